import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import pg from 'pg';
import { LifeCircleError } from '../errors.js';
import { describeUrl, numbered, openPostgresStore, pgTypes } from './postgres-store.js';
import { sqliteSql, postgresDialect, type Row, type Sql } from './sql.js';
import { openSqliteStore } from './sqlite-store.js';
import type { StoreAddress } from './types.js';

/**
 * `lifecircle store copy`: a whole store from one engine (or server, or file) to another, row for row, in one
 * transaction on the target, read from one consistent snapshot of the source; then every table's row count and
 * checksum is compared on both sides before the target commits. Nothing is half-copied.
 */

/**
 * Every table a store holds, parents before children, with the key that orders its rows (keyset paging and the
 * checksums). Left out on purpose: schema_migrations (each store keeps its own), rating_level_totals (kept by
 * triggers as ratings are inserted; compared afterwards all the same) and SQLite's R*Tree (kept by triggers).
 * copy.test.ts checks that this list names every table of a new store.
 */
export const COPIED_TABLES: readonly { table: string; key: readonly string[] }[] = [
  // Parents first: a region's code is longer than its parent's.
  { table: 'regions', key: ['length(code)', 'code'] },
  { table: 'cities', key: ['code'] },
  { table: 'city_networks', key: ['city_code'] },
  { table: 'city_basemaps', key: ['city_code'] },
  { table: 'city_rules', key: ['city_code', 'rule'] },
  { table: 'facility_types', key: ['code'] },
  { table: 'providers', key: ['uscc'] },
  { table: 'communities', key: ['code'] },
  { table: 'facilities', key: ['code'] },
  { table: 'users', key: ['id'] },
  { table: 'sessions', key: ['token_hash'] },
  // Counts that slow guessing and floods travel with the store, so a move does not reset a guesser's delay.
  { table: 'login_failures', key: ['username', 'client'] },
  { table: 'request_windows', key: ['key'] },
  { table: 'audit_log', key: ['id'] },
  { table: 'analysis_runs', key: ['id'] },
  { table: 'imports', key: ['id'] },
  { table: 'plans', key: ['id'] },
  { table: 'plan_corrections', key: ['id'] },
  // Insertion order is the plans' document order (plans-repository.ts): copied in it, kept in it.
  { table: 'plan_assignments', key: ['rowid'] },
  { table: 'progress_reports', key: ['id'] },
  { table: 'report_evidence', key: ['report_id', 'position'] },
  { table: 'report_reviews', key: ['report_id'] },
  { table: 'indicator_values', key: ['id'] },
  { table: 'indicator_targets', key: ['id'] },
  { table: 'scorecard_config', key: ['id'] },
  { table: 'resident_profiles', key: ['user_id'] },
  { table: 'ratings', key: ['id'] },
  { table: 'complaints', key: ['id'] },
  { table: 'cases', key: ['id'] },
  { table: 'case_events', key: ['case_id', 'seq'] },
  { table: 'credit_records', key: ['id'] },
  { table: 'credit_classes', key: ['uscc'] },
  { table: 'inspection_draws', key: ['id'] },
  { table: 'inspection_results', key: ['draw_id', 'uscc'] },
  { table: 'certifications', key: ['id'] },
  { table: 'jobs', key: ['id'] },
  // After analysis_runs, which its rows name.
  { table: 'monitoring_reports', key: ['id'] },
];

/** Tables compared after the copy although not copied: derived by the target's own triggers. */
const DERIVED_TABLES: readonly { table: string; key: readonly string[] }[] = [
  { table: 'rating_level_totals', key: ['level'] },
];

/** Columns that are the engine's own, not data: PostgreSQL's stand-in for SQLite's implicit rowid. */
const ENGINE_COLUMNS = new Set(['rowid']);

const PAGE_ROWS = 1000;
const INSERT_ROWS = 200;

export interface CopyProgress {
  table: string;
  /** Rows copied so far, over all tables, of `total`. */
  done: number;
  total: number;
}

export interface CopiedTable {
  table: string;
  rows: number;
  /** SHA-256 over the rows in key order, each as the JSON array of its columns in name order. */
  checksum: string;
}

export interface CopyReport {
  from: string;
  to: string;
  tables: CopiedTable[];
  rows: number;
}

/** One raw connection, for the copy only: SQL plus transaction control and the table's columns. */
interface Connection extends Sql {
  readonly location: string;
  exec(text: string): Promise<void>;
  columns(table: string): Promise<string[]>;
  tables(): Promise<string[]>;
  close(): Promise<void>;
}

async function connect(address: StoreAddress): Promise<Connection> {
  if (address.dialect === 'sqlite') {
    const db = new Database(address.path);
    db.pragma('foreign_keys = ON');
    return {
      ...sqliteSql(db),
      location: address.path,
      exec: async (text) => void db.exec(text),
      columns: async (table) => (db.pragma(`table_info(${table})`) as { name: string }[]).map((c) => c.name),
      tables: async () =>
        (
          db
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
            .all() as { name: string }[]
        )
          .map((t) => t.name)
          .filter((name) => !name.startsWith('facilities_rtree')),
      close: async () => void db.close(),
    };
  }
  const client = new pg.Client({
    connectionString: address.url,
    types: pgTypes,
    options: `-c search_path=${address.schema}`,
  });
  await client.connect();
  const query = async (text: string, params: readonly unknown[] = []) =>
    client.query<Row>(numbered(text), params as unknown[]);
  return {
    dialect: postgresDialect,
    location: describeUrl(address.url, address.schema),
    all: async <T>(text: string, params?: readonly unknown[]) => (await query(text, params)).rows as T[],
    get: async <T>(text: string, params?: readonly unknown[]) => (await query(text, params)).rows[0] as T,
    run: async (text, params) => (await query(text, params)).rowCount ?? 0,
    insertId: async (text, params) => Number((await query(`${text} RETURNING id`, params)).rows[0]!.id),
    exec: async (text) => void (await client.query(text)),
    columns: async (table) =>
      (
        await query(
          'SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position',
          [address.schema, table],
        )
      ).rows.map((r) => r.column_name as string),
    tables: async () =>
      (
        await query(
          "SELECT table_name FROM information_schema.tables WHERE table_schema = ? AND table_type = 'BASE TABLE'",
          [address.schema],
        )
      ).rows.map((r) => r.table_name as string),
    close: () => client.end(),
  };
}

/** Brings a store to this build's schema (creating it when new), so both sides have the same tables. */
async function migrated(address: StoreAddress): Promise<number> {
  const store =
    address.dialect === 'sqlite'
      ? await openSqliteStore({ path: address.path })
      : await openPostgresStore({ url: address.url, schema: address.schema, poolSize: 1 });
  try {
    return await store.schemaVersion();
  } finally {
    await store.close();
  }
}

/** Reads a table in key order, a page at a time (keyset paging: each page costs its rows, not the offset). */
async function* pages(source: Connection, table: string, key: readonly string[]): AsyncGenerator<Row[]> {
  const keyList = key.join(', ');
  const keyAliases = key.map((_, i) => `k${i}`);
  const select = `SELECT ${key.map((k, i) => `${k} AS k${i}`).join(', ')}, * FROM ${table}`;
  let after: unknown[] | null = null;
  for (;;) {
    const where: string = after ? `WHERE (${keyList}) > (${key.map(() => '?').join(', ')})` : '';
    const rows: Row[] = await source.all(
      `${select} ${where} ORDER BY ${keyList} LIMIT ${PAGE_ROWS}`,
      after ?? [],
    );
    if (!rows.length) return;
    const last: Row = rows[rows.length - 1]!;
    after = keyAliases.map((k) => last[k]);
    yield rows;
    if (rows.length < PAGE_ROWS) return;
  }
}

/** Row count and checksum of a table as a connection sees it (inside its open transaction). */
async function summarise(
  connection: Connection,
  table: string,
  key: readonly string[],
): Promise<CopiedTable> {
  const columns = (await connection.columns(table)).filter((c) => !ENGINE_COLUMNS.has(c)).sort();
  const hash = createHash('sha256');
  let rows = 0;
  for await (const page of pages(connection, table, key))
    for (const row of page) {
      hash.update(JSON.stringify(columns.map((c) => row[c] ?? null)));
      hash.update('\n');
      rows++;
    }
  return { table, rows, checksum: hash.digest('hex') };
}

/**
 * Copies the store at `from` into the empty store at `to` (created when missing). Writers should be stopped
 * first: the source is read from one snapshot, so rows written during the copy are not in it.
 */
export async function copyStore(
  from: StoreAddress,
  to: StoreAddress,
  options: { onProgress?: (progress: CopyProgress) => void } = {},
): Promise<CopyReport> {
  const fromVersion = await migrated(from);
  const toVersion = await migrated(to);
  if (fromVersion !== toVersion)
    throw new LifeCircleError(
      'LC_STORE',
      `schema versions differ after migration: ${fromVersion} and ${toVersion}`,
    );
  const source = await connect(from);
  let target: Connection | null = null;
  try {
    target = await connect(to);
    if (sameStore(from, to))
      throw new LifeCircleError('LC_USAGE', `--from and --to are the same store (${source.location})`);
    const missing = (await source.tables()).filter(
      (t) => t !== 'schema_migrations' && ![...COPIED_TABLES, ...DERIVED_TABLES].some((c) => c.table === t),
    );
    if (missing.length)
      throw new LifeCircleError(
        'LC_STORE',
        `${source.location}: tables this build cannot copy: ${missing.join(', ')}`,
      );

    // One snapshot of the source; the target's writes all in one transaction.
    await source.exec(
      source.dialect.name === 'sqlite' ? 'BEGIN' : 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
    );
    await target.exec(target.dialect.name === 'sqlite' ? 'BEGIN IMMEDIATE' : 'BEGIN');

    const counts = new Map<string, number>();
    for (const { table } of COPIED_TABLES) {
      counts.set(table, (await source.get<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))!.n);
      const held = (await target.get<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))!.n;
      if (held > 0)
        throw new LifeCircleError(
          'LC_USAGE',
          `${target.location} is not empty (${table}: ${held} rows); copy into a new database, schema or file`,
        );
    }
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    let done = 0;
    options.onProgress?.({ table: COPIED_TABLES[0]!.table, done, total });

    for (const { table, key } of COPIED_TABLES) {
      const targetColumns = new Set(await target.columns(table));
      const columns = (await source.columns(table)).filter(
        (c) => targetColumns.has(c) && !ENGINE_COLUMNS.has(c),
      );
      for await (const page of pages(source, table, key)) {
        for (let i = 0; i < page.length; i += INSERT_ROWS) {
          const batch = page.slice(i, i + INSERT_ROWS);
          await target.run(
            `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${batch
              .map(() => `(${columns.map(() => '?').join(', ')})`)
              .join(', ')}`,
            batch.flatMap((row) => columns.map((c) => row[c] ?? null)),
          );
        }
        done += page.length;
        options.onProgress?.({ table, done, total });
      }
    }
    if (target.dialect.name === 'postgres') await resetIdentities(target);

    // Compare before committing: a difference leaves the target as it was.
    const tables: CopiedTable[] = [];
    for (const { table, key } of [...COPIED_TABLES, ...DERIVED_TABLES]) {
      const [a, b] = [await summarise(source, table, key), await summarise(target, table, key)];
      if (a.rows !== b.rows || a.checksum !== b.checksum)
        throw new LifeCircleError(
          'LC_STORE',
          `${table}: the copy differs from the source (${a.rows} rows, sha256 ${a.checksum.slice(0, 12)}… against ${b.rows} rows, ${b.checksum.slice(0, 12)}…); nothing was kept`,
        );
      tables.push(a);
    }
    await target.exec('COMMIT');
    await source.exec('COMMIT');
    return { from: source.location, to: target.location, tables, rows: total };
  } catch (error) {
    await target?.exec('ROLLBACK').catch(() => undefined);
    await source.exec('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await target?.close();
    await source.close();
  }
}

/**
 * Every table's row count and checksum as `copyStore` computes them, from one snapshot: to check a backup, a
 * restore or a copy made by other means (pg_dump, a file copy) against the store it came from.
 */
export async function storeChecksums(address: StoreAddress): Promise<CopiedTable[]> {
  const connection = await connect(address);
  try {
    await connection.exec(
      connection.dialect.name === 'sqlite' ? 'BEGIN' : 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
    );
    const tables: CopiedTable[] = [];
    for (const { table, key } of [...COPIED_TABLES, ...DERIVED_TABLES])
      tables.push(await summarise(connection, table, key));
    await connection.exec('COMMIT');
    return tables;
  } finally {
    await connection.close();
  }
}

/**
 * An online backup of a SQLite store into a new file (SQLite's backup API: consistent while servers keep
 * writing). PostgreSQL stores are backed up with pg_dump (docs/deployment.md).
 */
export async function backupSqliteStore(path: string, to: string): Promise<void> {
  let db: Database.Database | null = null;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    await db.backup(to);
  } catch (error) {
    throw new LifeCircleError('LC_STORE', `${path} → ${to}: the backup failed: ${(error as Error).message}`, {
      cause: error,
    });
  } finally {
    db?.close();
  }
}

/** Rows copied with their ids: each identity column goes on from the largest id, not from 1. */
async function resetIdentities(target: Connection): Promise<void> {
  const identities = await target.all<{ table_name: string; column_name: string }>(
    "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() AND is_identity = 'YES'",
  );
  for (const { table_name: table, column_name: column } of identities)
    await target.get(
      `SELECT setval(pg_get_serial_sequence(CAST(? AS TEXT), CAST(? AS TEXT)), max(${column})) FROM ${table} HAVING max(${column}) IS NOT NULL`,
      [table, column],
    );
}

function sameStore(a: StoreAddress, b: StoreAddress): boolean {
  if (a.dialect === 'sqlite' && b.dialect === 'sqlite') return a.path === b.path;
  if (a.dialect === 'postgres' && b.dialect === 'postgres') return a.url === b.url && a.schema === b.schema;
  return false;
}
