/**
 * The store: persistence behind one interface (`Store`), with the SQLite implementation as the default.
 * Callers get a `Store` from `openStore()` and never see SQL; a PostgreSQL implementation can be added here.
 */
import { openSqliteStore } from './sqlite-store.js';
import type { Store } from './types.js';
import type { Clock } from '../time/index.js';

export type * from './types.js';
export type * from './cases-types.js';
export type * from './indicators-types.js';
export type * from './credit-types.js';
export type * from './plans-types.js';
export type * from './jobs-types.js';
export { JOB_STATUSES } from './jobs-types.js';
export { SERVICE_DOMAINS, FACILITY_STATUSES, ROLES } from './types.js';
export { MIGRATIONS } from './migrations.js';
export type { Migration } from './migrations.js';
export { openSqliteStore, DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT } from './sqlite-store.js';
export { readBundledDivisions, loadBundledDivisions, bundledDataDir } from './divisions.js';
export { openTemporaryStore } from './temporary.js';

/** Where the store lives when nothing else is said: `$LIFECIRCLE_DB`, else `.lifecircle/lifecircle.db`. */
export function defaultStorePath(env: NodeJS.ProcessEnv = process.env): string {
  return env.LIFECIRCLE_DB || '.lifecircle/lifecircle.db';
}

export interface OpenStoreOptions {
  /** The SQLite file (default `defaultStorePath()`), or `:memory:`. */
  path?: string;
  /** Where the store's timestamps come from (tests pin it); the real time by default. */
  clock?: Clock;
}

/** Opens the store, creating and migrating it when needed. */
export function openStore(options: OpenStoreOptions = {}): Promise<Store> {
  return openSqliteStore({ path: options.path ?? defaultStorePath(), clock: options.clock });
}
