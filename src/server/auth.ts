import { createHash, randomBytes } from 'node:crypto';
import { LifeCircleError } from '../errors.js';
import type { Actor, NewUser, Store, User } from '../store/index.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { PUBLIC_VIEWER, type Viewer } from '../policy/index.js';
import { presentUser } from './presenters.js';
import type { Clock } from '../time/index.js';

/** One working day; a token is an opaque random string and the store keeps only its SHA-256. */
export const DEFAULT_SESSION_TTL_MINUTES = 8 * 60;

const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

export function actorOf(viewer: Viewer): Actor {
  return { userId: viewer.id || null, name: viewer.username };
}

/** The viewer behind an Authorization header: the public without one, LC_AUTH_REQUIRED for a bad or stale one. */
export async function authenticate(store: Store, header: string | undefined, clock: Clock): Promise<Viewer> {
  if (!header) return PUBLIC_VIEWER;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match)
    throw new LifeCircleError('LC_AUTH_REQUIRED', 'the Authorization header must be "Bearer <token>"');
  const session = await store.sessions.findValid(hashToken(match[1]), clock().toISOString());
  const user = session ? await store.users.get(session.userId) : null;
  if (!user || user.disabled)
    throw new LifeCircleError(
      'LC_AUTH_REQUIRED',
      'the session token is unknown or has expired; log in again',
    );
  return user;
}

/**
 * Limits password guessing per user name: after `maxFailures` failures within `windowMinutes`, logins for that
 * name are refused until the window has passed (OWASP Authentication Cheat Sheet, account throttling).
 * In memory, per server process; enough for one district server.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, { count: number; since: number }>();
  constructor(
    readonly maxFailures = 5,
    readonly windowMinutes = 15,
  ) {}

  /** When logins for this name are blocked until, or null. */
  blockedUntil(username: string, now: number): Date | null {
    const f = this.failures.get(username);
    if (!f) return null;
    const until = f.since + this.windowMinutes * 60_000;
    if (until <= now) {
      this.failures.delete(username);
      return null;
    }
    return f.count >= this.maxFailures ? new Date(until) : null;
  }

  fail(username: string, now: number): void {
    const f = this.failures.get(username);
    if (!f || f.since + this.windowMinutes * 60_000 <= now)
      this.failures.set(username, { count: 1, since: now });
    else f.count++;
  }

  succeed(username: string): void {
    this.failures.delete(username);
  }
}

/** Checks a password and opens a session; the same message for an unknown user and a wrong password. */
export async function login(
  store: Store,
  username: string,
  password: string,
  ttlMinutes: number,
  throttle: LoginThrottle,
  clock: Clock,
): Promise<{ token: string; expiresAt: string; user: User }> {
  const now = clock();
  const blocked = throttle.blockedUntil(username, now.getTime());
  if (blocked)
    throw new LifeCircleError(
      'LC_AUTH_FAILED',
      `too many failed logins for ${username}; try again after ${blocked.toISOString()}`,
    );
  const user = await store.users.findByUsername(username);
  // Hash even for unknown users so response time does not reveal which names exist.
  const ok = user ? await verifyPassword(password, user.passwordHash) : (await hashPassword(password), false);
  if (!user || !ok || user.disabled) {
    throttle.fail(username, now.getTime());
    throw new LifeCircleError('LC_AUTH_FAILED', 'wrong user name or password, or the account is disabled');
  }
  throttle.succeed(username);
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + ttlMinutes * 60_000).toISOString();
  await store.transaction(async (tx) => {
    await tx.sessions.deleteExpired(now.toISOString());
    await tx.sessions.create({
      tokenHash: hashToken(token),
      userId: user.id,
      createdAt: now.toISOString(),
      expiresAt,
    });
    await tx.audit.record({
      actorId: user.id,
      actorName: user.username,
      action: 'login',
      entity: 'session',
      entityKey: user.username,
      before: null,
      after: { expiresAt },
    });
  });
  const { passwordHash: _hash, ...plain } = user;
  return { token, expiresAt, user: presentUser(plain) };
}

export async function logout(store: Store, header: string | undefined, viewer: Viewer): Promise<void> {
  const token = /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];
  if (!token) return;
  await store.transaction(async (tx) => {
    await tx.sessions.delete(hashToken(token));
    await tx.audit.record({
      actorId: viewer.id,
      actorName: viewer.username,
      action: 'logout',
      entity: 'session',
      entityKey: viewer.username,
      before: null,
      after: null,
    });
  });
}

export interface CreateUserInput extends Omit<NewUser, 'passwordHash' | 'disabled'> {
  password: string;
}

/** Creates a user with a hashed password and an audit entry (the password never reaches the log). */
export async function createUser(store: Store, input: CreateUserInput, actor: Actor): Promise<User> {
  const { password, ...rest } = input;
  if (password.length < 10)
    throw new LifeCircleError('LC_INVALID_FIELD', 'password: expected at least 10 characters');
  if (rest.role === 'provider' && !rest.providerUscc)
    throw new LifeCircleError('LC_INVALID_FIELD', 'providerUscc: a provider account must name its provider');
  if (rest.providerUscc && !(await store.providers.get(rest.providerUscc)))
    throw new LifeCircleError(
      'LC_INVALID_FIELD',
      `providerUscc: provider ${rest.providerUscc} is not in the register`,
    );
  if (rest.regionCode && !(await store.regions.get(rest.regionCode)))
    throw new LifeCircleError(
      'LC_INVALID_FIELD',
      `regionCode: division code ${rest.regionCode} is not in the store`,
    );
  const passwordHash = await hashPassword(password);
  return store.transaction(async (tx) => {
    const user = await tx.users.create({ ...rest, passwordHash, disabled: false });
    await tx.audit.record({
      actorId: actor.userId,
      actorName: actor.name,
      action: 'create',
      entity: 'users',
      entityKey: user.username,
      before: null,
      after: presentUser(user),
    });
    return user;
  });
}

export interface UpdateUserInput extends Partial<Omit<NewUser, 'passwordHash' | 'username'>> {
  password?: string;
}

/** Changes a user (role, scope, disabled, password); disabling or a new password ends their sessions. Audited. */
export async function updateUser(
  store: Store,
  id: number,
  input: UpdateUserInput,
  actor: Actor,
): Promise<User> {
  const { password, ...rest } = input;
  if (password !== undefined && password.length < 10)
    throw new LifeCircleError('LC_INVALID_FIELD', 'password: expected at least 10 characters');
  if (rest.providerUscc && !(await store.providers.get(rest.providerUscc)))
    throw new LifeCircleError(
      'LC_INVALID_FIELD',
      `providerUscc: provider ${rest.providerUscc} is not in the register`,
    );
  if (rest.regionCode && !(await store.regions.get(rest.regionCode)))
    throw new LifeCircleError(
      'LC_INVALID_FIELD',
      `regionCode: division code ${rest.regionCode} is not in the store`,
    );
  if (actor.userId === id && (rest.disabled || (rest.role && rest.role !== 'administrator')))
    throw new LifeCircleError('LC_FORBIDDEN', 'administrators cannot disable or demote their own account');
  const passwordHash = password === undefined ? undefined : await hashPassword(password);
  return store.transaction(async (tx) => {
    const before = await tx.users.update(id, { ...rest, ...(passwordHash ? { passwordHash } : {}) });
    if (!before) throw new LifeCircleError('LC_NOT_FOUND', `user ${id} does not exist`);
    const after = (await tx.users.get(id)) as User;
    await tx.audit.record({
      actorId: actor.userId,
      actorName: actor.name,
      action: 'update',
      entity: 'users',
      entityKey: after.username,
      before: presentUser(before),
      after: { ...presentUser(after), ...(passwordHash ? { passwordChanged: true } : {}) },
    });
    return after;
  });
}
