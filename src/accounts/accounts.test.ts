import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LifeCircleError } from '../errors.js';
import { cliViewer, PUBLIC_VIEWER } from '../policy/index.js';
import { openTemporaryStore, type AuditEntry } from '../store/index.js';
import { manualClock } from '../time/index.js';
import { createUser, hashPassword, login, LoginThrottle, logout, unlockLogin } from './index.js';

const PASSWORD = 'correct horse battery';
const START = '2026-03-16T10:00:00+08:00';

async function setup() {
  const clock = manualClock(START);
  const tmp = await openTemporaryStore({ clock });
  await tmp.store.users.create({
    username: 'clerk',
    displayName: '窗口',
    role: 'staff',
    department: null,
    domains: [],
    regionCode: null,
    providerUscc: null,
    disabled: false,
    passwordHash: await hashPassword(PASSWORD, { N: 2 ** 10 }),
  });
  const deps = { store: tmp.store, clock, cityCode: '5101' };
  const audit = async (): Promise<AuditEntry[]> =>
    (await tmp.store.audit.list({ limit: 100 })).items.reverse();
  return { ...tmp, clock, deps, audit };
}

const failedLogin = (error: unknown) => error instanceof LifeCircleError && error.code === 'LC_AUTH_FAILED';

test('a failed login of an unknown user name is audited under that name with no account id, never the password', async () => {
  const { deps, audit, dispose } = await setup();
  try {
    const throttle = new LoginThrottle();
    await assert.rejects(
      login(deps, PUBLIC_VIEWER, {
        username: 'nobody',
        password: 'a secret guess',
        ttlMinutes: 60,
        throttle,
        client: '203.0.113.7',
      }),
      failedLogin,
    );
    const entries = await audit();
    assert.deepEqual(
      entries.map((e) => [e.actorId, e.actorName, e.action, e.entity, e.entityKey, e.before, e.after]),
      [
        [
          null,
          'nobody',
          'login-failed',
          'session',
          'nobody',
          null,
          { reason: 'unknown user', client: '203.0.113.7' },
        ],
      ],
    );
    assert.ok(!JSON.stringify(entries).includes('a secret guess'), 'the password tried is not logged');
  } finally {
    await dispose();
  }
});

const throttled = (error: unknown) => error instanceof LifeCircleError && error.code === 'LC_RATE_LIMITED';

test('after five failures from one address each further one doubles the wait there; another address is not slowed', async () => {
  const { deps, clock, audit, dispose } = await setup();
  try {
    const throttle = new LoginThrottle();
    const attempt = (password: string, client = '203.0.113.7') =>
      login(deps, PUBLIC_VIEWER, { username: 'clerk', password, ttlMinutes: 60, throttle, client });
    for (let i = 1; i <= 5; i++) await assert.rejects(attempt(`guess ${i}`), failedLogin);
    // The sixth failure starts a delay of 1 s (10:00:00 Beijing = 02:00:00Z).
    await assert.rejects(attempt('guess 6'), failedLogin);
    await assert.rejects(attempt(PASSWORD), (e: Error) => {
      assert.ok(throttled(e));
      assert.equal(
        e.message,
        'too many failed logins for clerk from this address; try again after 2026-03-16T02:00:01.000Z',
      );
      return true;
    });
    // The owner, elsewhere, is not slowed by someone else's guesses.
    const elsewhere = await attempt(PASSWORD, '198.51.100.20');
    assert.equal(elsewhere.user.username, 'clerk');
    // Exactly at the end of the delay the address may try again; the seventh failure doubles it to 2 s.
    clock.advance(999);
    await assert.rejects(attempt(PASSWORD), throttled);
    clock.advance(1);
    await assert.rejects(attempt('guess 7'), failedLogin);
    clock.advance(1999);
    await assert.rejects(attempt(PASSWORD), throttled);
    clock.advance(1);
    assert.equal((await attempt(PASSWORD)).user.username, 'clerk');
    const entries = await audit();
    assert.deepEqual(
      entries
        .filter((e) => e.action !== 'login' && e.action !== 'login-failed')
        .map((e) => [e.actorId, e.actorName, e.action, e.after]),
      [
        [
          null,
          'clerk',
          'lockout',
          { scope: 'client', failures: 6, until: '2026-03-16T02:00:01.000Z', client: '203.0.113.7' },
        ],
        [
          null,
          'clerk',
          'lockout',
          { scope: 'client', failures: 7, until: '2026-03-16T02:00:03.000Z', client: '203.0.113.7' },
        ],
      ],
    );
    const refusals = entries.filter((e) => (e.after as { reason?: string } | null)?.reason === 'throttled');
    assert.deepEqual(
      refusals.map((e) => e.after),
      [
        { reason: 'throttled', client: '203.0.113.7', scope: 'client', until: '2026-03-16T02:00:01.000Z' },
        { reason: 'throttled', client: '203.0.113.7', scope: 'client', until: '2026-03-16T02:00:01.000Z' },
        { reason: 'throttled', client: '203.0.113.7', scope: 'client', until: '2026-03-16T02:00:03.000Z' },
      ],
    );
    assert.ok(!JSON.stringify(entries).includes('guess'), 'no password tried is logged');
    assert.ok(!JSON.stringify(entries).includes(PASSWORD));
  } finally {
    await dispose();
  }
});

test('guesses from many addresses slow the name everywhere by at most a minute; an administrator clears it', async () => {
  const { deps, clock, store, audit, dispose } = await setup();
  try {
    const throttle = new LoginThrottle();
    const attempt = (password: string, client: string) =>
      login(deps, PUBLIC_VIEWER, { username: 'clerk', password, ttlMinutes: 60, throttle, client });
    // One guess from each of 30 addresses, each made as soon as the name may be tried again.
    for (let n = 1; n <= 30; n++) {
      const wait = await throttle.waitFor(store.loginFailures, 'clerk', `10.0.0.${n}`, clock().getTime());
      if (wait) clock.set(wait.until.toISOString());
      await assert.rejects(attempt(`guess ${n}`, `10.0.0.${n}`), failedLogin);
    }
    // 20 free failures, then 1 s, 2 s, 4 s … capped at 60 s: the 30th failure (2^9 s) waits 60 s.
    const lockouts = (await audit()).filter((e) => e.action === 'lockout').map((e) => e.after);
    assert.equal(lockouts.length, 10);
    assert.deepEqual(
      lockouts.map((a) => (a as { failures: number }).failures),
      [21, 22, 23, 24, 25, 26, 27, 28, 29, 30],
    );
    const last = lockouts[9] as { scope: string; until: string };
    assert.equal(last.scope, 'account');
    assert.equal(Date.parse(last.until) - clock().getTime(), 60_000);
    await assert.rejects(
      attempt(PASSWORD, '198.51.100.20'),
      (e: Error) => throttled(e) && /^too many failed logins for clerk; try again after/.test(e.message),
    );
    const admin = cliViewer('admin');
    assert.deepEqual(await unlockLogin(deps, admin, { username: 'clerk', throttle }), { cleared: 31 });
    assert.equal((await attempt(PASSWORD, '198.51.100.20')).user.username, 'clerk');
    const unlock = (await store.audit.list({ entity: 'session' })).items.find((e) => e.action === 'unlock');
    assert.deepEqual(
      [unlock?.actorName, unlock?.entityKey, unlock?.after],
      ['cli:admin', 'clerk', { cleared: 31 }],
    );
  } finally {
    await dispose();
  }
});

test('failures are forgotten 15 minutes after the last one', async () => {
  const { deps, clock, store, dispose } = await setup();
  try {
    const throttle = new LoginThrottle();
    const attempt = (password: string) =>
      login(deps, PUBLIC_VIEWER, {
        username: 'clerk',
        password,
        ttlMinutes: 60,
        throttle,
        client: '203.0.113.7',
      });
    for (let i = 1; i <= 6; i++) await assert.rejects(attempt(`guess ${i}`), failedLogin);
    assert.equal(
      await throttle.failuresOf(store.loginFailures, 'clerk', '203.0.113.7', clock().getTime()),
      6,
    );
    clock.advance(15 * 60_000 - 1);
    assert.equal(
      await throttle.failuresOf(store.loginFailures, 'clerk', '203.0.113.7', clock().getTime()),
      6,
    );
    clock.advance(1);
    assert.equal(
      await throttle.failuresOf(store.loginFailures, 'clerk', '203.0.113.7', clock().getTime()),
      0,
    );
    assert.equal((await attempt(PASSWORD)).user.username, 'clerk');
  } finally {
    await dispose();
  }
});

test('a login and a logout are audited under the account; the session ends', async () => {
  const { deps, store, audit, dispose } = await setup();
  try {
    const session = await login(deps, PUBLIC_VIEWER, {
      username: 'clerk',
      password: PASSWORD,
      ttlMinutes: 60,
      throttle: new LoginThrottle(),
      client: '203.0.113.7',
    });
    assert.equal(session.expiresAt, '2026-03-16T03:00:00.000Z');
    assert.equal((session.user as { passwordHash?: string }).passwordHash, undefined);
    const clerk = (await store.users.findByUsername('clerk'))!;
    await logout(deps, clerk, { authorization: `Bearer ${session.token}` });
    assert.deepEqual(
      (await audit()).map((e) => [e.actorId, e.actorName, e.action, e.entityKey]),
      [
        [clerk.id, 'clerk', 'login', 'clerk'],
        [clerk.id, 'clerk', 'logout', 'clerk'],
      ],
    );
  } finally {
    await dispose();
  }
});

test('the command line creates a user through the same command, audited as cli:<user> without the password', async () => {
  const { deps, audit, dispose } = await setup();
  try {
    const user = await createUser(deps, cliViewer('ops'), {
      username: 'planner',
      displayName: '规划科',
      password: 'a long enough password',
      role: 'coordinator',
      department: null,
      domains: [],
      regionCode: null,
      providerUscc: null,
    });
    const [entry] = await audit();
    assert.deepEqual(
      [entry.actorId, entry.actorName, entry.action, entry.entity, entry.entityKey],
      [null, 'cli:ops', 'create', 'users', 'planner'],
    );
    assert.equal((entry.after as { id: number }).id, user.id);
    assert.ok(!JSON.stringify(entry).includes('a long enough password'));
    assert.ok(!JSON.stringify(entry).includes('scrypt'), 'nor its hash');
  } finally {
    await dispose();
  }
});
