import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createUser, generatePassword } from '../accounts/index.js';
import {
  importOsmNetwork,
  readGraphFile,
  WALK_PROFILE,
  writeGraphFile,
  type WalkGraph,
} from '../network/index.js';
import { systemViewer } from '../policy/index.js';
import { setUpSeedCities } from '../cities/index.js';
import { addDefaultFacilityTypes } from '../registry/index.js';
import type { Store } from '../store/index.js';
import { systemClock, type Clock } from '../time/index.js';
import { BUNDLED_OSM } from './bundled.js';

/**
 * Start-up, shared by `lifecircle serve` and `lifecircle start`: bring a store to a usable state and load the
 * bundled walking network. Neither command borrows from the other.
 */

export interface PrepareResult {
  divisionsLoaded: number;
  typesAdded: number;
  /** Set only when this start created the first administrator. */
  administrator: { username: string; password: string } | null;
}

/**
 * The platform's own start-up, which loads reference data and creates the first administrator through commands
 * (`cities.create` for the seed cities, `registry.addDefaultFacilityTypes`, `accounts.createUser`): an administrator
 * viewer with no account, audited as `system:first-start`.
 */
const FIRST_START = systemViewer('first-start', '系统 (首次启动)');

/**
 * Brings a store to a usable state: the seed cities and their division codes, default facility types and a first administrator
 * (password from LIFECIRCLE_ADMIN_PASSWORD, else generated and returned once). Idempotent, so a second start
 * reuses everything and creates nothing.
 */
export async function prepareStore(
  store: Store,
  env: NodeJS.ProcessEnv = process.env,
  options: { cityCode?: string; clock?: Clock } = {},
): Promise<PrepareResult> {
  const deps = { store, clock: options.clock ?? systemClock, cityCode: options.cityCode ?? '' };
  const divisionsLoaded = await setUpSeedCities(deps, FIRST_START);
  const typesAdded = (await addDefaultFacilityTypes(deps, FIRST_START, {})).length;
  let administrator: PrepareResult['administrator'] = null;
  if ((await store.users.count()) === 0) {
    const username = 'admin';
    const password = env.LIFECIRCLE_ADMIN_PASSWORD || generatePassword();
    await createUser(deps, FIRST_START, {
      username,
      displayName: '系统管理员',
      password,
      role: 'administrator',
      department: null,
      domains: [],
      regionCode: null,
      providerUscc: null,
    });
    administrator = { username, password };
  }
  return { divisionsLoaded, typesAdded, administrator };
}

/** Where the bundled network is cached beside the checkout (rebuilt when the source or the profile changes). */
const CACHE_DIR = '.lifecircle';

/**
 * The bundled central-Chengdu walking network, built from the bundled OSM extract once and cached. `onProgress`
 * reports the bytes read while building (the command line draws its progress bar with it).
 */
export async function loadBundledGraph(
  options: { onProgress?: (bytesRead: number, totalBytes: number) => void } = {},
): Promise<WalkGraph> {
  const cached = join(CACHE_DIR, 'chengdu-central-2018.graph');
  if (existsSync(cached)) {
    try {
      const graph = readGraphFile(cached);
      const sha256 = createHash('sha256').update(readFileSync(BUNDLED_OSM)).digest('hex');
      if (graph.meta.source.sha256 === sha256 && graph.meta.profileVersion === WALK_PROFILE.version)
        return graph;
    } catch {
      // A corrupt cache is rebuilt below.
    }
  }
  const graph = await importOsmNetwork(BUNDLED_OSM, {
    onProgress: ({ bytesRead, totalBytes }) => options.onProgress?.(bytesRead, totalBytes),
  });
  mkdirSync(CACHE_DIR, { recursive: true });
  writeGraphFile(cached, graph);
  return graph;
}
