import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { isLifeCircleError, LifeCircleError } from '../errors.js';
import { isoNow, systemClock, type Clock } from '../time/index.js';
import { MIGRATIONS, type Migration } from './migrations.js';
import { repositories } from './repositories.js';
import { sqliteSql } from './sql.js';
import type { Store, StoreAddress, StoreRepositories } from './types.js';

type Db = Database.Database;

export { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT } from './paging.js';

export interface SqliteStoreOptions {
  /** The store file; `:memory:` for a throw-away store. Parent folders are created. */
  path: string;
  /** Migrations to apply (tests pass a prefix of the list to exercise upgrades). */
  migrations?: readonly Migration[];
  /** Where the store's timestamps (audit, updated_at, history) come from; the real time by default. */
  clock?: Clock;
  /**
   * How to wait when another connection (a job's worker thread, another process) holds the file's write lock.
   * `yield` (default; the server's thread): never block the thread — retry on timers, so other requests are
   * served meanwhile. `block` (job workers): SQLite's busy timeout, which blocks the thread while it waits.
   */
  lockWait?: 'yield' | 'block';
  /** The longest wait for the write lock before LC_BUSY; 30 s by default. */
  lockTimeoutMs?: number;
  /**
   * Caps the file at this many pages (SQLite `max_page_count`): a write that would grow it further fails as on a
   * full disk. For a store on a shared volume, and for the tests that simulate a full disk.
   */
  maxPages?: number;
}

const DEFAULT_LOCK_TIMEOUT_MS = 30_000;

/** Opens (creating if needed) a SQLite store file and brings its schema up to date. */
export async function openSqliteStore(options: SqliteStoreOptions): Promise<Store> {
  const path = options.path === ':memory:' ? ':memory:' : resolve(options.path);
  const clock = options.clock ?? systemClock;
  const lockWait = options.lockWait ?? 'yield';
  const lockTimeout = options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
  let db: Db;
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    db = new Database(path);
  } catch (error) {
    throw new LifeCircleError('LC_STORE', `${path}: cannot open the store: ${(error as Error).message}`, {
      cause: error,
    });
  }
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    // Migrating waits for the lock like any writer; afterwards the yielding store retries on its own timers.
    db.pragma(`busy_timeout = ${lockTimeout}`);
    migrate(db, path, options.migrations ?? MIGRATIONS, clock);
    if (lockWait === 'yield') db.pragma('busy_timeout = 0');
    if (options.maxPages) db.pragma(`max_page_count = ${Math.trunc(options.maxPages)}`);
  } catch (error) {
    db.close();
    throw isLifeCircleError(error) ? error : damagedStore(path, error);
  }
  return new SqliteStore(db, path, clock, lockWait === 'yield' ? lockTimeout : 0);
}

/**
 * A file SQLite cannot read as a database (not one, truncated, damaged): one message naming the file and what to
 * do, never SQLite's stack.
 */
function damagedStore(path: string, error: unknown): LifeCircleError {
  const code = (error as { code?: string }).code ?? '';
  const what =
    code === 'SQLITE_NOTADB'
      ? 'is not a LifeCircle store (not an SQLite database)'
      : code === 'SQLITE_CORRUPT'
        ? 'is damaged or truncated (SQLite: database disk image is malformed)'
        : `cannot be read (${(error as Error).message})`;
  return new LifeCircleError(
    'LC_STORE',
    `${path} ${what}: restore it from a backup, or point --db or LIFECIRCLE_DB at another file`,
    { cause: error },
  );
}

/** Applies the missing migrations in one transaction; refuses a store written by a newer version. */
export function migrate(
  db: Db,
  path: string,
  migrations: readonly Migration[],
  clock: Clock = systemClock,
): number {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
  );
  const applied = new Set(
    (db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map(
      (r) => r.version,
    ),
  );
  const newest = Math.max(0, ...applied);
  const known = Math.max(0, ...migrations.map((m) => m.version));
  if (newest > known) {
    throw new LifeCircleError(
      'LC_STORE',
      `${path}: the store is at schema version ${newest}, this build knows up to ${known}; upgrade LifeCircle or use another store file`,
    );
  }
  const pending = migrations.filter((m) => !applied.has(m.version)).sort((a, b) => a.version - b.version);
  if (!pending.length) return 0;
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  // Foreign keys are off while migrating so a migration may rebuild a referenced table (SQLite's documented
  // procedure); every reference is checked before the transaction commits, so a broken one rolls it all back.
  const foreignKeys = db.pragma('foreign_keys', { simple: true }) as number;
  db.pragma('foreign_keys = OFF');
  try {
    db.transaction(() => {
      for (const m of pending) {
        db.exec(m.sql);
        record.run(m.version, m.name, isoNow(clock));
      }
      const broken = db.pragma('foreign_key_check') as { table: string; rowid: number; parent: string }[];
      if (broken.length)
        throw new LifeCircleError(
          'LC_STORE',
          `${path}: a migration left ${broken.length} broken reference(s), e.g. ${broken[0]!.table} row ${broken[0]!.rowid} → ${broken[0]!.parent}; nothing was changed`,
        );
    })();
  } finally {
    db.pragma(`foreign_keys = ${foreignKeys ? 'ON' : 'OFF'}`);
  }
  return pending.length;
}

// The repositories are the store's own fields, assigned in the constructor.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging
interface SqliteStore extends StoreRepositories {}

/**
 * better-sqlite3 is synchronous and has one connection, while repository methods are async (they await each
 * statement): so the connection is held by one caller at a time. A transaction holds it from BEGIN to COMMIT, a
 * method called outside one for the duration of the call; others wait for it. Waiting for another connection's
 * write lock (SQLITE_BUSY) happens between attempts, without holding it, so reads go on during a job's long write.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
class SqliteStore implements Store {
  readonly location: string;
  readonly dialect = 'sqlite' as const;
  readonly address: StoreAddress;
  private readonly db: Db;
  private readonly direct: StoreRepositories;
  private queue: Promise<unknown> = Promise.resolve();
  /** Settles when the caller holding the connection lets it go; null when nobody holds it. */
  private held: Promise<unknown> | null = null;
  /** True in the async context of a running transaction's callback. */
  private readonly inTransaction = new AsyncLocalStorage<boolean>();

  /** When > 0, SQLITE_BUSY is retried on timers for up to this long instead of blocking the thread. */
  private readonly yieldForMs: number;

  constructor(db: Db, location: string, clock: Clock, yieldForMs: number) {
    this.db = db;
    this.location = location;
    this.address = { dialect: 'sqlite', path: location };
    this.yieldForMs = yieldForMs;
    this.direct = repositories(sqliteSql(db), () => isoNow(clock));
    // Every repository, wrapped so that it holds the connection while it runs (the fields come from the
    // interface of the same name below).
    const gated = Object.fromEntries(
      Object.entries(this.direct).map(([name, repo]) => [name, this.gate(repo as object)]),
    );
    Object.assign(this, gated);
  }

  /** Waits until nobody holds the connection; the caller must take it before its next await. */
  private async free(): Promise<void> {
    while (this.held) await this.held.catch(() => undefined);
  }

  /** Wraps each method so it holds the connection while it runs (unless it runs inside a transaction). */
  private gate<T extends object>(repo: T): T {
    const wrapped: Record<string, unknown> = {};
    for (const [name, fn] of Object.entries(repo)) {
      wrapped[name] = async (...args: unknown[]) => {
        const call = () => (fn as (...a: unknown[]) => Promise<unknown>)(...args);
        // Called from inside a running transaction (same async context): it is part of it, so run now.
        if (this.inTransaction.getStore() === true) return call();
        return this.whenUnlocked(async () => {
          await this.free();
          const running = call();
          this.held = running;
          try {
            return await running;
          } finally {
            if (this.held === running) this.held = null;
          }
        });
      };
    }
    return wrapped as T;
  }

  transaction<T>(fn: (tx: StoreRepositories) => Promise<T>): Promise<T> {
    // A transaction opened inside another joins it (SQLite has no nested BEGIN); waiting would deadlock.
    if (this.inTransaction.getStore() === true) return fn(this.direct);
    const run = async (): Promise<T> => {
      let release: () => void = () => undefined;
      await this.whenUnlocked(async () => {
        await this.free();
        // BEGIN and taking the connection in one synchronous step: no other caller's statement lands between.
        this.db.exec('BEGIN IMMEDIATE');
        this.held = new Promise<void>((resolve) => (release = resolve));
      });
      try {
        const result = await this.inTransaction.run(true, () => fn(this.direct));
        this.db.exec('COMMIT');
        return result;
      } catch (error) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw isFull(error) ? diskFull(this.location, error) : error;
      } finally {
        this.held = null;
        release();
      }
    };
    const result = this.queue.catch(() => undefined).then(run);
    this.queue = result;
    return result;
  }

  /**
   * Runs `attempt`; while another connection holds the write lock (SQLITE_BUSY, which SQLite raises before
   * changing anything), tries again after 2, 4 … 100 ms until the lock timeout, then answers LC_BUSY.
   */
  private async whenUnlocked<T>(attempt: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + this.yieldForMs;
    for (let wait = 2; ; wait = Math.min(100, wait * 2)) {
      try {
        return await attempt();
      } catch (error) {
        if (!isBusy(error) || this.yieldForMs <= 0) throw error;
        if (Date.now() >= deadline)
          throw new LifeCircleError(
            'LC_BUSY',
            `${this.location}: another writer (an import job?) held the store for ${Math.round(this.yieldForMs / 1000)} s; try again when it has finished`,
            { cause: error },
          );
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  }

  async schemaVersion(): Promise<number> {
    const row = this.db.prepare('SELECT max(version) AS v FROM schema_migrations').get() as {
      v: number | null;
    };
    return row.v ?? 0;
  }

  /** Idempotent: closing twice is harmless. */
  async close(): Promise<void> {
    await this.queue.catch(() => undefined);
    await this.free();
    if (this.db.open) this.db.close();
  }
}

const isFull = (error: unknown): boolean => (error as { code?: unknown })?.code === 'SQLITE_FULL';

/** A full disk (or a capped store) met while writing: one clear message; the transaction was rolled back. */
function diskFull(path: string, error: unknown): LifeCircleError {
  return new LifeCircleError(
    'LC_STORE',
    `${path}: the disk is full (or the store reached its size limit) while writing; nothing of this change was kept — free space and try again`,
    { cause: error },
  );
}

const isBusy = (error: unknown): boolean =>
  typeof (error as { code?: unknown })?.code === 'string' &&
  (error as { code: string }).code.startsWith('SQLITE_BUSY');
