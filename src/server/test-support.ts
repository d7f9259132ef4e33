import type { NewUser, Store } from '../store/index.js';
import type { App } from './app.js';

/** A test account: a name and a role, the rest of `NewUser` defaulting to nothing. */
export type TestUser = Pick<NewUser, 'username' | 'role'> & Partial<Omit<NewUser, 'passwordHash'>>;

/**
 * Creates the accounts the API tests log in with, all with the same password hash (computed once with a cheap
 * scrypt cost by the caller, so suites stay fast; the API's own user creation is tested with the real cost).
 */
export async function createTestUsers(
  store: Store,
  users: readonly TestUser[],
  passwordHash: string,
): Promise<void> {
  for (const u of users)
    await store.users.create({
      department: null,
      domains: [],
      regionCode: null,
      providerUscc: null,
      displayName: u.username,
      disabled: false,
      passwordHash,
      ...u,
    });
}

/** Logs a test account in through the API and returns its bearer token; a failed login fails the test. */
export async function loginToken(app: App, username: string, password: string): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`login of ${username} failed: ${res.statusCode} ${res.body}`);
  return res.json<{ token: string }>().token;
}
