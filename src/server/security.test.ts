import { openCityTemporaryStore } from '../cities/index.js';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hashPassword } from '../accounts/index.js';
import { manualClock } from '../time/index.js';
import { buildApp, type AppOptions } from './app.js';
import { createTestUsers, loginToken } from './test-support.js';

const PASSWORD = 'correct horse battery';
const CLOCK = manualClock('2026-03-16T10:00:00+08:00');

async function setup(options: Partial<AppOptions> = {}) {
  const tmp = await openCityTemporaryStore({ clock: CLOCK });
  const passwordHash = await hashPassword(PASSWORD, { N: 2 ** 10 });
  await createTestUsers(
    tmp.store,
    [
      { username: 'admin', role: 'administrator' },
      { username: 'clerk', role: 'staff' },
    ],
    passwordHash,
  );
  const app = await buildApp({ store: tmp.store, cityCode: '5101', clock: CLOCK, ...options });
  return {
    app,
    dispose: async () => {
      await app.close();
      await tmp.dispose();
    },
  };
}

test('every answer carries the security headers: CSP without inline scripts, no framing, nosniff, no referrer', async () => {
  const { app, dispose } = await setup();
  for (const url of ['/api/health', '/api/facilities', '/api/no-such-route']) {
    const res = await app.inject({ url });
    const csp = String(res.headers['content-security-policy']);
    assert.match(csp, /default-src 'self'/, url);
    assert.match(csp, /script-src 'self'(;|$)/, `${url}: no 'unsafe-inline' or 'unsafe-eval' for scripts`);
    assert.match(csp, /frame-ancestors 'none'/, url);
    assert.match(csp, /object-src 'none'/, url);
    assert.equal(res.headers['x-frame-options'], 'DENY', url);
    assert.equal(res.headers['x-content-type-options'], 'nosniff', url);
    assert.equal(res.headers['referrer-policy'], 'no-referrer', url);
  }
  // The API documentation has swagger-ui's own policy (hashes for its inline scripts), still unframeable and
  // loading nothing from elsewhere (its online validator is off).
  const docs = await app.inject({ url: '/api/docs/static/index.html' });
  const docsCsp = String(docs.headers['content-security-policy']);
  assert.match(docsCsp, /frame-ancestors 'none'/);
  assert.doesNotMatch(docsCsp, /validator\.swagger\.io/);
  assert.equal(docs.headers['x-frame-options'], 'DENY');
  await dispose();
});

test('logins beyond the limit per client answer 429 LC_RATE_LIMITED with Retry-After, right or wrong password', async () => {
  const { app, dispose } = await setup({ rateLimits: { login: { max: 3, timeWindow: 60_000 } } });
  const attempt = (password: string, remoteAddress = '203.0.113.7') =>
    app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'clerk', password },
      remoteAddress,
    });
  assert.equal((await attempt('wrong password 1')).statusCode, 401);
  assert.equal((await attempt('wrong password 2')).statusCode, 401);
  assert.equal((await attempt(PASSWORD)).statusCode, 200);
  const limited = await attempt(PASSWORD);
  assert.equal(limited.statusCode, 429);
  assert.equal(limited.json().error.code, 'LC_RATE_LIMITED');
  assert.match(
    limited.json().error.message,
    /^POST \/api\/auth\/login: too many requests \(at most 3 per client/,
  );
  assert.equal(limited.json().error.details.limit, 3);
  assert.ok(Number(limited.headers['retry-after']) > 0 && Number(limited.headers['retry-after']) <= 60);
  // Another client is not affected.
  assert.equal((await attempt(PASSWORD, '198.51.100.20')).statusCode, 200);
  await dispose();
});

test('imports are limited per account, so colleagues behind one address keep their own budget', async () => {
  const { app, dispose } = await setup({ rateLimits: { imports: { max: 2, timeWindow: 60_000 } } });
  const admin = await loginToken(app, 'admin', PASSWORD);
  const clerk = await loginToken(app, 'clerk', PASSWORD);
  const send = (token: string) =>
    app.inject({
      method: 'POST',
      url: '/api/providers/import?fileName=p.csv',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
      payload: '统一社会信用代码,名称\n914403001922038216,华为技术有限公司\n',
    });
  assert.deepEqual([(await send(admin)).statusCode, (await send(admin)).statusCode], [200, 200]);
  assert.equal((await send(admin)).statusCode, 429);
  assert.equal((await send(clerk)).statusCode, 200);
  await dispose();
});

test('server processes on one store count together: the login rate window and failed logins are shared', async () => {
  const tmp = await openCityTemporaryStore({ clock: CLOCK });
  await createTestUsers(
    tmp.store,
    [{ username: 'clerk', role: 'staff' }],
    await hashPassword(PASSWORD, { N: 2 ** 10 }),
  );
  // Two servers, each with its own connection to the store, as two processes behind a load balancer.
  const other = await tmp.reopen();
  const options = {
    cityCode: '5101',
    clock: CLOCK,
    rateLimits: { login: { max: 5, timeWindow: 60_000 } },
    // Two free failures from one address, then a minute's wait (labelled test values, not the defaults).
    loginThrottle: {
      forgetAfterMs: 15 * 60_000,
      perClient: { freeFailures: 2, firstDelayMs: 60_000, maxDelayMs: 60_000 },
      perAccount: { freeFailures: 100, firstDelayMs: 1_000, maxDelayMs: 60_000 },
    },
  } satisfies Partial<AppOptions>;
  const first = await buildApp({ ...options, store: tmp.store });
  const second = await buildApp({ ...options, store: other });
  const attempt = (app: typeof first, password: string, remoteAddress = '203.0.113.7') =>
    app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'clerk', password },
      remoteAddress,
    });
  try {
    assert.equal((await attempt(first, 'wrong password 1')).statusCode, 401);
    assert.equal((await attempt(second, 'wrong password 2')).statusCode, 401);
    // The third failure is the third on either server: it starts the delay, which the other server enforces.
    assert.equal((await attempt(first, 'wrong password 3')).statusCode, 401);
    const delayed = await attempt(second, PASSWORD);
    assert.equal(delayed.statusCode, 429);
    assert.match(
      delayed.json().error.message,
      /^too many failed logins for clerk from this address; try again after/,
    );
    // Another address may log in on either server; a success there clears only that address's count.
    assert.equal((await attempt(second, PASSWORD, '198.51.100.20')).statusCode, 200);
    // Five requests from 203.0.113.7 so far (three on the first server, two on the second): the sixth is over
    // the window's limit of five, whichever server takes it.
    assert.equal((await attempt(first, PASSWORD)).statusCode, 429);
    const limited = await attempt(second, PASSWORD);
    assert.equal(limited.statusCode, 429);
    assert.match(
      limited.json().error.message,
      /^POST \/api\/auth\/login: too many requests \(at most 5 per client/,
    );
  } finally {
    await first.close();
    await second.close();
    await other.close();
    await tmp.dispose();
  }
});
