import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importCityNetwork, syntheticGridOsm } from '../analysis/index.js';
import { createCity } from '../cities/index.js';
import { cliViewer } from '../policy/index.js';
import { loadStandards } from '../standards/index.js';
import { openTemporaryStore, type Community, type NewUser, type Store } from '../store/index.js';
import type { Clock } from '../time/index.js';
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

/**
 * A city made of a synthetic street grid (`syntheticGridOsm`: streets 100 m apart, not a real place) with the 小区
 * given, imported as a user would (its network and places through `importCityNetwork`) into a temporary store.
 * `dispose` removes the store and the file.
 */
export async function openGridCity(options: {
  cityCode: string;
  clock: Clock;
  grid: Parameters<typeof syntheticGridOsm>[0];
}): Promise<{ store: Store; community: Community; dispose(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'lifecircle-grid-'));
  const temp = await openTemporaryStore({ clock: options.clock });
  try {
    const deps = { store: temp.store, clock: options.clock, cityCode: options.cityCode };
    await createCity(deps, cliViewer('test'), { code: options.cityCode });
    const path = join(dir, 'grid.osm');
    writeFileSync(path, syntheticGridOsm(options.grid));
    await importCityNetwork(deps, cliViewer('test'), {
      cityCode: options.cityCode,
      path,
      fileName: 'grid.osm',
      places: true,
      standards: loadStandards(undefined),
    });
    const [community] = (await temp.store.communities.list({ limit: 10 })).items;
    if (!community) throw new Error('the grid has no 小区');
    return {
      store: temp.store,
      community,
      dispose: async () => {
        await temp.dispose();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await temp.dispose();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
