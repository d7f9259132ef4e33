/**
 * The store: persistence behind one interface (`Store`), on SQLite (the default: one file, nothing to install)
 * or PostgreSQL (`DATABASE_URL`). Callers get a `Store` from `openStore()` and never see SQL.
 */
import { openPostgresStore } from './postgres-store.js';
import { openSqliteStore } from './sqlite-store.js';
import type { Store, StoreAddress } from './types.js';
import type { Clock } from '../time/index.js';

export type * from './types.js';
export type * from './cases-types.js';
export type * from './indicators-types.js';
export type * from './credit-types.js';
export type * from './plans-types.js';
export type * from './jobs-types.js';
export type * from './reports-types.js';
export type * from './throttle-types.js';
export { JOB_STATUSES } from './jobs-types.js';
export { REPORT_FORMATS } from './reports-types.js';
export { SERVICE_DOMAINS, FACILITY_STATUSES, ROLES } from './types.js';
export { MIGRATIONS } from './migrations.js';
export type { Migration } from './migrations.js';
export { openSqliteStore, DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT } from './sqlite-store.js';
export { readBundledDivisions, loadBundledDivisions, bundledDataDir, SEED_CITY_CODES } from './divisions.js';
export { openTemporaryStore, TEST_DATABASE_URL_VARIABLE } from './temporary.js';
export type { TemporaryStore } from './temporary.js';
export { openPostgresStore, describeUrl } from './postgres-store.js';
export { POSTGRES_MIGRATIONS } from './postgres-migrations.js';
export { backupSqliteStore, copyStore, COPIED_TABLES, storeChecksums } from './copy.js';
export type { CopyProgress, CopyReport, CopiedTable } from './copy.js';

/** Where the store lives when nothing else is said: `$LIFECIRCLE_DB`, else `.lifecircle/lifecircle.db`. */
export function defaultStorePath(env: NodeJS.ProcessEnv = process.env): string {
  return env.LIFECIRCLE_DB || '.lifecircle/lifecircle.db';
}

/** The PostgreSQL server when one is configured: `$DATABASE_URL` if it is a postgres:// URL. */
export function configuredDatabaseUrl(env: NodeJS.ProcessEnv = process.env): string | null {
  const url = env.DATABASE_URL;
  return url && /^postgres(ql)?:\/\//.test(url) ? url : null;
}

export interface OpenStoreOptions {
  /** The SQLite file (default `defaultStorePath()`), or `:memory:`. */
  path?: string;
  /** A PostgreSQL URL; wins over `path`. Default: `configuredDatabaseUrl()`, when `path` is not given. */
  url?: string | null;
  /** The PostgreSQL schema (default `$LIFECIRCLE_DB_SCHEMA`, else `public`). */
  schema?: string;
  /** Where the store's timestamps come from (tests pin it); the real time by default. */
  clock?: Clock;
  /** Where DATABASE_URL, LIFECIRCLE_DB and LIFECIRCLE_DB_SCHEMA are read; `process.env` by default. */
  env?: NodeJS.ProcessEnv;
}

/** Opens another connection to a store given its address (a job's worker thread), waiting for locks. */
export function openStoreAt(
  address: StoreAddress,
  options: { clock?: Clock; lockTimeoutMs?: number; poolSize?: number } = {},
): Promise<Store> {
  return address.dialect === 'postgres'
    ? openPostgresStore({ ...address, clock: options.clock, poolSize: options.poolSize ?? 2 })
    : openSqliteStore({
        path: address.path,
        clock: options.clock,
        lockWait: 'block',
        lockTimeoutMs: options.lockTimeoutMs,
      });
}

/** Opens the store (PostgreSQL when a URL is given or configured, else SQLite), creating and migrating it. */
export function openStore(options: OpenStoreOptions = {}): Promise<Store> {
  const env = options.env ?? process.env;
  const url = options.url !== undefined ? options.url : options.path ? null : configuredDatabaseUrl(env);
  if (url)
    return openPostgresStore({
      url,
      schema: options.schema ?? (env.LIFECIRCLE_DB_SCHEMA || undefined),
      clock: options.clock,
    });
  return openSqliteStore({ path: options.path ?? defaultStorePath(env), clock: options.clock });
}
