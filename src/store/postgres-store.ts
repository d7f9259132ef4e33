import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import { isLifeCircleError, LifeCircleError } from '../errors.js';
import { isoNow, systemClock, type Clock } from '../time/index.js';
import type { Migration } from './migrations.js';
import { POSTGRES_MIGRATIONS } from './postgres-migrations.js';
import { repositories } from './repositories.js';
import { keyConflict, postgresDialect, type Row, type Sql } from './sql.js';
import type { Store, StoreAddress, StoreRepositories } from './types.js';

export interface PostgresStoreOptions {
  /** `postgres://user[:password]@host[:port]/database` (or `postgresql://`); libpq's PG* variables fill gaps. */
  url: string;
  /** The schema holding the tables (created when missing); `public` by default. Tests use one each. */
  schema?: string;
  migrations?: readonly Migration[];
  clock?: Clock;
  /** Connections this process keeps open at most; 10 by default. */
  poolSize?: number;
  /** The longest a transaction waits for the write lock before LC_BUSY; 30 s by default. */
  lockTimeoutMs?: number;
}

/** The longest a transaction waits for the store's write lock before LC_BUSY, as SQLite's store does. */
const DEFAULT_LOCK_TIMEOUT_MS = 30_000;

/** `count(*)`, `sum()` and identity keys arrive as JavaScript numbers, as from SQLite (ids stay below 2^53). */
export const pgTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === pg.types.builtins.INT8 || oid === pg.types.builtins.NUMERIC) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format as 'text');
  }) as typeof pg.types.getTypeParser,
};

/** The location for messages: server, port, database and schema, never the password. */
export function describeUrl(url: string, schema = 'public'): string {
  try {
    const u = new URL(url);
    return `postgres://${u.username ? `${decodeURIComponent(u.username)}@` : ''}${u.host}${u.pathname}#${schema}`;
  } catch {
    return 'postgres (unreadable DATABASE_URL)';
  }
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Opens a PostgreSQL store (creating its schema and tables when needed) and brings it up to date. */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<Store> {
  const schema = options.schema ?? 'public';
  if (!SCHEMA_NAME.test(schema))
    throw new LifeCircleError('LC_STORE', `schema "${schema}": expected lower-case letters, digits and _`);
  const location = describeUrl(options.url, schema);
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    types: pgTypes,
    options: `-c search_path=${schema}`,
    application_name: 'lifecircle',
  });
  // An idle connection the server drops (restart, failover) must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  try {
    await migrate(pool, schema, location, options.migrations ?? POSTGRES_MIGRATIONS, options.clock);
  } catch (error) {
    await pool.end();
    throw isLifeCircleError(error) ? error : unreachable(location, error);
  }
  return new PostgresStore(
    pool,
    { dialect: 'postgres', url: options.url, schema },
    options.clock ?? systemClock,
    options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS,
  );
}

function unreachable(location: string, error: unknown): LifeCircleError {
  return new LifeCircleError(
    'LC_STORE',
    `${location}: cannot open the store: ${(error as Error).message}; check DATABASE_URL and that the server is running`,
    { cause: error },
  );
}

/** Applies the missing migrations in one transaction, one server process at a time (an advisory lock). */
async function migrate(
  pool: pg.Pool,
  schema: string,
  location: string,
  migrations: readonly Migration[],
  clock: Clock = systemClock,
): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // Several servers starting together: the first migrates, the others wait and then find nothing to do.
    await client.query("SELECT pg_advisory_xact_lock(hashtext('lifecircle migrate ' || $1))", [schema]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
    );
    const applied = new Set(
      (await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map(
        (r) => r.version,
      ),
    );
    const newest = Math.max(0, ...applied);
    const known = Math.max(0, ...migrations.map((m) => m.version));
    if (newest > known)
      throw new LifeCircleError(
        'LC_STORE',
        `${location}: the store is at schema version ${newest}, this build knows up to ${known}; upgrade LifeCircle or use another database`,
      );
    const pending = migrations.filter((m) => !applied.has(m.version)).sort((a, b) => a.version - b.version);
    for (const m of pending) {
      await client.query(m.sql);
      await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
        m.version,
        m.name,
        isoNow(clock),
      ]);
    }
    await client.query('COMMIT');
    return pending.length;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** `?` placeholders as PostgreSQL's `$1, $2 …`, outside quoted text; cached per SQL text. */
const numberedCache = new Map<string, string>();
export function numbered(text: string): string {
  let out = numberedCache.get(text);
  if (out !== undefined) return out;
  let n = 0;
  let quoted = false;
  out = '';
  for (const ch of text) {
    if (ch === "'") quoted = !quoted;
    out += ch === '?' && !quoted ? `$${++n}` : ch;
  }
  if (numberedCache.size < 5000) numberedCache.set(text, out);
  return out;
}

type Queryable = pg.Pool | pg.PoolClient;

// The repositories are the store's own fields, assigned in the constructor.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging
interface PostgresStore extends StoreRepositories {}

/**
 * A store on a pool of connections. Reads outside a transaction run on any connection, in parallel. A transaction
 * takes one connection and first the store's write lock (a transaction-scoped advisory lock per schema), so
 * transactions from any number of processes run one after another, exactly as with SQLite's single writer: a
 * command's check-then-write (a limit, an abuse window, a state machine) cannot interleave with another's, and its
 * callback runs once. (SERIALIZABLE with retries was measured first, in a quick npm run bench:store run:
 * concurrent rating writes, whose abuse checks read the ratings the others insert, fell to 3 a second under
 * serialization failures, and a retried callback counted its rows twice; docs/performance.md.) Calls made inside a
 * transaction's callback, through `tx` or the store itself, run on its connection (AsyncLocalStorage).
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
class PostgresStore implements Store {
  readonly location: string;
  readonly dialect = 'postgres' as const;
  readonly address: StoreAddress;
  private readonly pool: pg.Pool;
  private readonly current = new AsyncLocalStorage<pg.PoolClient>();
  private readonly repos: StoreRepositories;
  private closed = false;

  private readonly lockTimeoutMs: number;

  constructor(
    pool: pg.Pool,
    address: StoreAddress & { dialect: 'postgres' },
    clock: Clock,
    lockTimeoutMs: number,
  ) {
    this.pool = pool;
    this.lockTimeoutMs = lockTimeoutMs;
    this.address = address;
    this.location = describeUrl(address.url, address.schema);
    const query = async (text: string, params: readonly unknown[] = []): Promise<pg.QueryResult<Row>> => {
      const on: Queryable = this.current.getStore() ?? this.pool;
      try {
        return await on.query<Row>(numbered(text), params as unknown[]);
      } catch (error) {
        throw this.translate(error);
      }
    };
    const sql: Sql = {
      dialect: postgresDialect,
      all: async <T>(text: string, params?: readonly unknown[]) => (await query(text, params)).rows as T[],
      get: async <T>(text: string, params?: readonly unknown[]) =>
        (await query(text, params)).rows[0] as T | undefined,
      run: async (text, params) => (await query(text, params)).rowCount ?? 0,
      insertId: async (text, params) => Number((await query(`${text} RETURNING id`, params)).rows[0]!.id),
    };
    this.repos = repositories(sql, () => isoNow(clock));
    // The repositories are the store's own fields (the interface of the same name below).
    Object.assign(this, this.repos);
  }

  /** Connection failures as one clear LC_STORE message; the driver's other errors pass as they are. */
  private translate(error: unknown): unknown {
    const conflict = keyConflict(error);
    if (conflict) return conflict;
    const code = (error as { code?: unknown }).code;
    if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === '57P01' || code === '08006')
      return unreachable(this.location, error);
    if (code === '53100')
      return new LifeCircleError(
        'LC_STORE',
        `${this.location}: the database server's disk is full; nothing of this change was kept — free space and try again`,
        { cause: error },
      );
    return error;
  }

  async transaction<T>(fn: (tx: StoreRepositories) => Promise<T>): Promise<T> {
    if (this.current.getStore()) return fn(this.repos);
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw unreachable(this.location, error);
    }
    let broken = false;
    try {
      await client.query('BEGIN');
      await client.query(`SET LOCAL lock_timeout = ${Math.max(1, Math.round(this.lockTimeoutMs))}`);
      await client.query("SELECT pg_advisory_xact_lock(hashtext('lifecircle write ' || current_schema()))");
      const result = await this.current.run(client, () => fn(this.repos));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => (broken = true));
      if ((error as { code?: unknown }).code === '55P03')
        throw new LifeCircleError(
          'LC_BUSY',
          `${this.location}: another writer (an import job?) held the store for ${Math.round(this.lockTimeoutMs / 1000)} s; try again when it has finished`,
          { cause: error },
        );
      throw this.translate(error);
    } finally {
      client.release(broken);
    }
  }

  async schemaVersion(): Promise<number> {
    const row = (
      await this.pool.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations')
    ).rows[0];
    return row?.v ?? 0;
  }

  /** Idempotent: closing twice is harmless. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}
