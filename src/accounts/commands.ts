import { LifeCircleError } from '../errors.js';
import { actorOf, recordAudit } from '../audit/index.js';
import { defineCommand, type CommandDeps } from '../policy/index.js';
import type { NewUser, User } from '../store/index.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { MAINLAND_MOBILE, maskPhone } from './phone.js';
import { bearerToken, hashToken, newToken, type LoginThrottle } from './sessions.js';

/**
 * Accounts: who may use the platform. Creating and changing users is the administrator's (`users.manage`);
 * logging in and out is everyone's (`session.manage`). Every change is audited in its transaction; so is every
 * failed login (`login-failed`, under the user name tried, with no account id) and every lockout (`lockout`).
 * A password never reaches the audit log: user records are logged without their hash, a new password only as
 * `passwordChanged: true`.
 */

/** A user as the audit log keeps it: everything but the password hash. */
export function userRecord(u: User): User {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    role: u.role,
    department: u.department,
    domains: u.domains,
    regionCode: u.regionCode,
    providerUscc: u.providerUscc,
    disabled: u.disabled,
    createdAt: u.createdAt,
  };
}

const MIN_PASSWORD = 10;

async function checkScopeFields(
  deps: CommandDeps,
  fields: { providerUscc?: string | null; regionCode?: string | null },
): Promise<void> {
  if (fields.providerUscc && !(await deps.store.providers.get(fields.providerUscc)))
    throw new LifeCircleError(
      'LC_INVALID_FIELD',
      `providerUscc: provider ${fields.providerUscc} is not in the register`,
    );
  if (fields.regionCode && !(await deps.store.regions.get(fields.regionCode)))
    throw new LifeCircleError(
      'LC_INVALID_FIELD',
      `regionCode: division code ${fields.regionCode} is not in the store`,
    );
}

export interface CreateUserInput extends Omit<NewUser, 'passwordHash' | 'disabled'> {
  password: string;
}

/** Creates a user with a hashed password (scrypt); audited without the password. */
export const createUser = defineCommand<CreateUserInput, User>({
  name: 'accounts.createUser',
  permission: 'users.manage',
  async run(deps, viewer, input) {
    const { password, ...rest } = input;
    if (password.length < MIN_PASSWORD)
      throw new LifeCircleError('LC_INVALID_FIELD', `password: expected at least ${MIN_PASSWORD} characters`);
    if (rest.role === 'provider' && !rest.providerUscc)
      throw new LifeCircleError(
        'LC_INVALID_FIELD',
        'providerUscc: a provider account must name its provider',
      );
    await checkScopeFields(deps, rest);
    const passwordHash = await hashPassword(password);
    return deps.store.transaction(async (tx) => {
      const user = await tx.users.create({ ...rest, passwordHash, disabled: false });
      await recordAudit(tx, actorOf(viewer), {
        action: 'create',
        entity: 'users',
        key: user.username,
        after: userRecord(user),
      });
      return user;
    });
  },
});

export interface UpdateUserInput extends Partial<Omit<NewUser, 'passwordHash' | 'username'>> {
  password?: string;
}

/**
 * Changes a user (role, scope, disabled, password); disabling or a new password ends their sessions (the store
 * does). Administrators cannot disable or demote themselves. Audited; a new password shows as `passwordChanged`.
 */
export const updateUser = defineCommand<{ id: number; change: UpdateUserInput }, User>({
  name: 'accounts.updateUser',
  permission: 'users.manage',
  async run(deps, viewer, { id, change }) {
    const { password, ...rest } = change;
    if (password !== undefined && password.length < MIN_PASSWORD)
      throw new LifeCircleError('LC_INVALID_FIELD', `password: expected at least ${MIN_PASSWORD} characters`);
    await checkScopeFields(deps, rest);
    if (viewer.id === id && (rest.disabled || (rest.role && rest.role !== 'administrator')))
      throw new LifeCircleError('LC_FORBIDDEN', 'administrators cannot disable or demote their own account');
    const passwordHash = password === undefined ? undefined : await hashPassword(password);
    return deps.store.transaction(async (tx) => {
      const before = await tx.users.update(id, { ...rest, ...(passwordHash ? { passwordHash } : {}) });
      if (!before) throw new LifeCircleError('LC_NOT_FOUND', `user ${id} does not exist`);
      const after = (await tx.users.get(id)) as User;
      await recordAudit(tx, actorOf(viewer), {
        action: 'update',
        entity: 'users',
        key: after.username,
        before: userRecord(before),
        after: { ...userRecord(after), ...(passwordHash ? { passwordChanged: true } : {}) },
      });
      return after;
    });
  },
});

export interface LoginInput {
  username: string;
  password: string;
  ttlMinutes: number;
  /** The login rule's delays (the counts are the store's, shared by every server process). */
  throttle: LoginThrottle;
  /** The client's address as the server sees it (behind a proxy: the forwarded address, see docs/security.md). */
  client: string;
}

export interface OpenedSession {
  token: string;
  expiresAt: string;
  user: User;
}

/**
 * Checks a password and opens a session; the same message for an unknown user, a wrong password and a disabled
 * account. Every failure is audited (`login-failed`, actor = the name tried, no account id, the reason and the
 * client address); a failure that starts a delay is audited once more (`lockout`: scope, failures, until when);
 * an attempt during a delay is refused without checking the password (LC_RATE_LIMITED) and audited as
 * `login-failed` with reason `throttled`.
 */
export const login = defineCommand<LoginInput, OpenedSession>({
  name: 'accounts.login',
  permission: 'session.manage',
  async run(deps, _viewer, { username, password, ttlMinutes, throttle, client }) {
    const now = deps.clock();
    // A resident logs in with the phone number they registered with; the audit log names it masked only.
    const byPhone = MAINLAND_MOBILE.test(username);
    const named = byPhone ? maskPhone(username) : username;
    const tried = { userId: null, name: named };
    const waiting = await throttle.waitFor(deps.store.loginFailures, username, client, now.getTime());
    if (waiting) {
      const until = waiting.until.toISOString();
      await deps.store.transaction((tx) =>
        recordAudit(tx, tried, {
          action: 'login-failed',
          entity: 'session',
          key: named,
          after: { reason: 'throttled', client, scope: waiting.scope, until },
        }),
      );
      throw new LifeCircleError(
        'LC_RATE_LIMITED',
        `too many failed logins for ${named}${waiting.scope === 'client' ? ' from this address' : ''}; try again after ${until}`,
        { details: { retryAfterSeconds: Math.ceil((waiting.until.getTime() - now.getTime()) / 1000) } },
      );
    }
    const profile = byPhone ? await deps.store.residents.findByPhone(username) : null;
    const account = profile ? await deps.store.users.get(profile.userId) : null;
    const user = byPhone
      ? account && (await deps.store.users.findByUsername(account.username))
      : await deps.store.users.findByUsername(username);
    // Hash even for unknown users so response time does not reveal which names exist.
    const ok = user
      ? await verifyPassword(password, user.passwordHash)
      : (await hashPassword(password), false);
    if (!user || !ok || user.disabled) {
      // The count and its audit records in one transaction: every server process sees the same count.
      await deps.store.transaction(async (tx) => {
        const delay = await throttle.fail(tx.loginFailures, username, client, now.getTime());
        await recordAudit(tx, tried, {
          action: 'login-failed',
          entity: 'session',
          key: named,
          after: { reason: !user ? 'unknown user' : !ok ? 'wrong password' : 'account disabled', client },
        });
        if (delay)
          await recordAudit(tx, tried, {
            action: 'lockout',
            entity: 'session',
            key: named,
            after: { scope: delay.scope, failures: delay.failures, until: delay.until.toISOString(), client },
          });
      });
      throw new LifeCircleError('LC_AUTH_FAILED', 'wrong user name or password, or the account is disabled');
    }
    const token = newToken();
    const expiresAt = new Date(now.getTime() + ttlMinutes * 60_000).toISOString();
    await deps.store.transaction(async (tx) => {
      await throttle.succeed(tx.loginFailures, username, client);
      await tx.sessions.deleteExpired(now.toISOString());
      await tx.sessions.create({
        tokenHash: hashToken(token),
        userId: user.id,
        createdAt: now.toISOString(),
        expiresAt,
      });
      await recordAudit(tx, actorOf(user), {
        action: 'login',
        entity: 'session',
        key: user.username,
        after: { expiresAt },
      });
    });
    return { token, expiresAt, user: userRecord(user) };
  },
});

/** Ends the session of this Authorization header; nothing to do for the public (no session). Audited. */
export const logout = defineCommand<{ authorization: string | undefined }, void>({
  name: 'accounts.logout',
  permission: 'session.manage',
  async run(deps, viewer, { authorization }) {
    const token = bearerToken(authorization);
    if (!token || viewer.role === 'public') return;
    await deps.store.transaction(async (tx) => {
      await tx.sessions.delete(hashToken(token));
      await recordAudit(tx, actorOf(viewer), {
        action: 'logout',
        entity: 'session',
        key: viewer.username,
      });
    });
  },
});

/**
 * `accounts.unlockLogin`: an administrator clears the login delays of a user name (its owner, locked out by
 * someone else's guesses, must get in now). Audited even when there was nothing to clear.
 */
export const unlockLogin = defineCommand<{ username: string; throttle: LoginThrottle }, { cleared: number }>({
  name: 'accounts.unlockLogin',
  permission: 'users.manage',
  async run(deps, viewer, { username, throttle }) {
    return deps.store.transaction(async (tx) => {
      const cleared = await throttle.unlock(tx.loginFailures, username);
      await recordAudit(tx, actorOf(viewer), {
        action: 'unlock',
        entity: 'session',
        key: username,
        after: { cleared },
      });
      return { cleared };
    });
  },
});
