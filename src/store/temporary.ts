import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadBundledDivisions } from './divisions.js';
import Database from 'better-sqlite3';
import { MIGRATIONS, type Migration } from './migrations.js';
import { POSTGRES_MIGRATIONS } from './postgres-migrations.js';
import { numbered, openPostgresStore } from './postgres-store.js';
import { openSqliteStore } from './sqlite-store.js';
import type { Store } from './types.js';
import type { Clock } from '../time/index.js';

/**
 * The PostgreSQL server the tests use instead of SQLite files, when set (`.ci/run` sets it; so can a developer):
 * every temporary store is then a fresh schema there, dropped on dispose.
 */
export const TEST_DATABASE_URL_VARIABLE = 'LIFECIRCLE_TEST_DATABASE_URL';

export interface TemporaryStore {
  store: Store;
  /** The SQLite file, or the PostgreSQL URL. */
  path: string;
  /** The PostgreSQL schema (null for SQLite). */
  schema: string | null;
  /** The engine's migrations (SQLite's or PostgreSQL's list). */
  migrations: readonly Migration[];
  /** Opens another connection to the same store, with other migrations if given (tests of upgrades). */
  reopen: (options?: { migrations?: readonly Migration[]; lockTimeoutMs?: number }) => Promise<Store>;
  /** Runs raw SQL with `?` parameters on the store, beside it (tests that inspect or damage its tables). */
  query: (text: string, params?: readonly unknown[]) => Promise<Record<string, unknown>[]>;
  dispose: () => Promise<void>;
}

/**
 * A throw-away store, for tests and dry runs: a real SQLite file in a fresh temporary folder, as in production, or
 * a fresh schema on the PostgreSQL server named by `$LIFECIRCLE_TEST_DATABASE_URL` (or `options.postgresUrl`).
 * `engine: 'sqlite'` keeps SQLite whatever the environment says (tests of SQLite's own behaviour).
 */
export async function openTemporaryStore(
  options: { divisions?: boolean; clock?: Clock; engine?: 'sqlite' | 'postgres'; postgresUrl?: string } = {},
): Promise<TemporaryStore> {
  const url = options.postgresUrl ?? process.env[TEST_DATABASE_URL_VARIABLE];
  const engine = options.engine ?? (url ? 'postgres' : 'sqlite');
  const temporary =
    engine === 'postgres'
      ? await temporaryPostgres(url, options.clock)
      : await temporarySqlite(options.clock);
  if (options.divisions) await loadBundledDivisions(temporary.store);
  return temporary;
}

async function temporarySqlite(clock: Clock | undefined): Promise<TemporaryStore> {
  const dir = mkdtempSync(join(tmpdir(), 'lifecircle-store-'));
  const path = join(dir, 'lifecircle.db');
  const store = await openSqliteStore({ path, clock });
  return {
    store,
    path,
    schema: null,
    migrations: MIGRATIONS,
    reopen: (o = {}) =>
      openSqliteStore({ path, clock, migrations: o.migrations, lockTimeoutMs: o.lockTimeoutMs }),
    query: async (text, params = []) => {
      const db = new Database(path);
      try {
        const statement = db.prepare(text);
        if (statement.reader) return statement.all(...params) as Record<string, unknown>[];
        statement.run(...params);
        return [];
      } finally {
        db.close();
      }
    },
    dispose: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function temporaryPostgres(url: string | undefined, clock: Clock | undefined): Promise<TemporaryStore> {
  if (!url) throw new Error(`a PostgreSQL temporary store needs ${TEST_DATABASE_URL_VARIABLE}`);
  const schema = `lc_test_${randomBytes(6).toString('hex')}`;
  const store = await openPostgresStore({ url, schema, clock, poolSize: 4 });
  return {
    store,
    path: url,
    schema,
    migrations: POSTGRES_MIGRATIONS,
    reopen: (o = {}) =>
      openPostgresStore({
        url,
        schema,
        clock,
        poolSize: 4,
        migrations: o.migrations,
        lockTimeoutMs: o.lockTimeoutMs,
      }),
    query: async (text, params = []) => {
      const client = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` });
      await client.connect();
      try {
        return (await client.query(numbered(text), params as unknown[])).rows as Record<string, unknown>[];
      } finally {
        await client.end();
      }
    },
    dispose: async () => {
      await store.close();
      await dropSchema(url, schema);
    },
  };
}

/** Drops a temporary store's schema and everything in it. */
export async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}
