import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LifeCircleError } from '../errors.js';
import { cliViewer, PUBLIC_VIEWER } from '../policy/index.js';
import { openTemporaryStore, type AuditEntry } from '../store/index.js';
import { manualClock } from '../time/index.js';
import { createUser, hashPassword, login, LoginThrottle, logout } from './index.js';

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
      }),
      failedLogin,
    );
    const entries = await audit();
    assert.deepEqual(
      entries.map((e) => [e.actorId, e.actorName, e.action, e.entity, e.entityKey, e.before, e.after]),
      [[null, 'nobody', 'login-failed', 'session', 'nobody', null, { reason: 'unknown user' }]],
    );
    assert.ok(!JSON.stringify(entries).includes('a secret guess'), 'the password tried is not logged');
  } finally {
    await dispose();
  }
});

test('five wrong passwords lock the name out (audited once as lockout); attempts while locked are audited too', async () => {
  const { deps, audit, dispose } = await setup();
  try {
    const throttle = new LoginThrottle();
    const attempt = (password: string) =>
      login(deps, PUBLIC_VIEWER, { username: 'clerk', password, ttlMinutes: 60, throttle });
    for (let i = 0; i < 5; i++) await assert.rejects(attempt(`guess ${i}`), failedLogin);
    await assert.rejects(attempt(PASSWORD), /too many failed logins for clerk/);
    const entries = await audit();
    assert.deepEqual(
      entries.map((e) => [e.actorId, e.actorName, e.action, e.after]),
      [
        ...[0, 1, 2, 3, 4].map(() => [null, 'clerk', 'login-failed', { reason: 'wrong password' }]),
        // Fifteen minutes from the first failure, 10:00 Beijing time = 02:00 UTC.
        [null, 'clerk', 'lockout', { failures: 5, until: '2026-03-16T02:15:00.000Z' }],
        [null, 'clerk', 'login-failed', { reason: 'locked', until: '2026-03-16T02:15:00.000Z' }],
      ],
    );
    assert.ok(!JSON.stringify(entries).includes('guess'), 'no password tried is logged');
    assert.ok(!JSON.stringify(entries).includes(PASSWORD));
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
