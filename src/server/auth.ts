import { LifeCircleError } from '../errors.js';
import {
  bearerToken,
  hashToken,
  login as loginCommand,
  LoginThrottle,
  maskPhone,
  DEFAULT_SESSION_TTL_MINUTES,
} from '../accounts/index.js';
import type { Store, User } from '../store/index.js';
import { PUBLIC_VIEWER, type Viewer } from '../policy/index.js';
import { presentUser } from './presenters.js';
import type { Clock } from '../time/index.js';

/**
 * Request authentication: which viewer an Authorization header names. The writes (users, logins, logouts) are
 * the commands of src/accounts; this file only reads the session a token opens.
 */
export { actorOf } from '../audit/index.js';
export { DEFAULT_SESSION_TTL_MINUTES, LoginThrottle };

/** The viewer behind an Authorization header: the public without one, LC_AUTH_REQUIRED for a bad or stale one. */
export async function authenticate(store: Store, header: string | undefined, clock: Clock): Promise<Viewer> {
  if (!header) return PUBLIC_VIEWER;
  const token = bearerToken(header);
  if (!token)
    throw new LifeCircleError('LC_AUTH_REQUIRED', 'the Authorization header must be "Bearer <token>"');
  const session = await store.sessions.findValid(hashToken(token), clock().toISOString());
  const user = session ? await store.users.get(session.userId) : null;
  if (!user || user.disabled)
    throw new LifeCircleError(
      'LC_AUTH_REQUIRED',
      'the session token is unknown or has expired; log in again',
    );
  return user;
}

/**
 * The account as its own session shows it: a resident is known by the phone they log in with, masked (138****5678),
 * never by the random user name (居民-xxxxxxxx) that keeps them pseudonymous elsewhere.
 */
export async function presentAccount(store: Store, user: User): Promise<User> {
  const shown = presentUser(user);
  const profile = user.role === 'resident' ? await store.residents.get(user.id) : null;
  return profile ? { ...shown, displayName: maskPhone(profile.phone) } : shown;
}

/**
 * The `accounts.login` command as the API answers it (the session with its presented user). Routes that open a
 * session (log in, a resident's registration) call this.
 */
export async function login(
  ctx: {
    store: Store;
    clock: Clock;
    cityCode: string;
    loginThrottle: LoginThrottle;
    sessionTtlMinutes: number;
  },
  input: { username: string; password: string; client: string },
) {
  const { store, clock, cityCode, loginThrottle: throttle, sessionTtlMinutes: ttlMinutes } = ctx;
  const session = await loginCommand({ store, clock, cityCode }, PUBLIC_VIEWER, {
    ...input,
    ttlMinutes,
    throttle,
  });
  return { ...session, user: await presentAccount(store, session.user) };
}
