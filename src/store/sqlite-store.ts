import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { isLifeCircleError, LifeCircleError } from '../errors.js';
import { isoNow, systemClock, type Clock } from '../time/index.js';
import { creditRepository } from './credit-repository.js';
import { MIGRATIONS, type Migration } from './migrations.js';
import { supervisionCasesRepositories } from './supervision-cases-repository.js';
import { indicatorRepository } from './indicators-repository.js';
import { sqlitePlanRepository } from './plans-repository.js';
import { jobRepository } from './jobs-repository.js';
import type {
  AnalysisRun,
  AuditEntry,
  AuditFilter,
  Community,
  CommunityFilter,
  Facility,
  FacilityFilter,
  FacilityType,
  ImportRecord,
  KeyedRepository,
  Page,
  PageQuery,
  Provider,
  ProviderFilter,
  Region,
  RegionFilter,
  Store,
  StoreRepositories,
  User,
} from './types.js';
import { pageOf } from './paging.js';

type Db = Database.Database;
type Row = Record<string, unknown>;

/** Prepared statements cached by SQL text: preparing costs more than running for single-row statements. */
const statementCache = new WeakMap<Db, Map<string, Database.Statement>>();
function prep(db: Db, sql: string): Database.Statement {
  let cache = statementCache.get(db);
  if (!cache) statementCache.set(db, (cache = new Map()));
  let stmt = cache.get(sql);
  if (!stmt) cache.set(sql, (stmt = db.prepare(sql)));
  return stmt;
}

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

/**
 * better-sqlite3 is synchronous and has one connection, so an async transaction must not interleave with other
 * callers: transactions queue on a promise chain, and calls outside a transaction wait while one is open (not
 * while one waits for another connection's lock: reads go on during a job's long write).
 */
class SqliteStore implements Store {
  readonly location: string;
  private readonly db: Db;
  private readonly direct: StoreRepositories;
  private queue: Promise<unknown> = Promise.resolve();
  /** Settles when the transaction open on the connection (BEGIN done) ends; null when none is open. */
  private open: Promise<unknown> | null = null;
  /** True in the async context of a running transaction's callback. */
  private readonly inTransaction = new AsyncLocalStorage<boolean>();

  readonly regions: StoreRepositories['regions'];
  readonly facilityTypes: StoreRepositories['facilityTypes'];
  readonly communities: StoreRepositories['communities'];
  readonly facilities: StoreRepositories['facilities'];
  readonly providers: StoreRepositories['providers'];
  readonly users: StoreRepositories['users'];
  readonly sessions: StoreRepositories['sessions'];
  readonly audit: StoreRepositories['audit'];
  readonly analysisRuns: StoreRepositories['analysisRuns'];
  readonly imports: StoreRepositories['imports'];
  readonly residents: StoreRepositories['residents'];
  readonly ratings: StoreRepositories['ratings'];
  readonly complaints: StoreRepositories['complaints'];
  readonly cases: StoreRepositories['cases'];
  readonly indicators: StoreRepositories['indicators'];
  readonly credit: StoreRepositories['credit'];
  readonly plans: StoreRepositories['plans'];
  readonly jobs: StoreRepositories['jobs'];

  /** When > 0, SQLITE_BUSY is retried on timers for up to this long instead of blocking the thread. */
  private readonly yieldForMs: number;

  constructor(db: Db, location: string, clock: Clock, yieldForMs: number) {
    this.db = db;
    this.location = location;
    this.yieldForMs = yieldForMs;
    this.direct = repositories(db, () => isoNow(clock));
    const gated = <T extends object>(repo: T): T => this.gate(repo);
    this.regions = gated(this.direct.regions);
    this.facilityTypes = gated(this.direct.facilityTypes);
    this.communities = gated(this.direct.communities);
    this.facilities = gated(this.direct.facilities);
    this.providers = gated(this.direct.providers);
    this.users = gated(this.direct.users);
    this.sessions = gated(this.direct.sessions);
    this.audit = gated(this.direct.audit);
    this.analysisRuns = gated(this.direct.analysisRuns);
    this.imports = gated(this.direct.imports);
    this.residents = gated(this.direct.residents);
    this.ratings = gated(this.direct.ratings);
    this.complaints = gated(this.direct.complaints);
    this.cases = gated(this.direct.cases);
    this.indicators = gated(this.direct.indicators);
    this.credit = gated(this.direct.credit);
    this.plans = gated(this.direct.plans);
    this.jobs = gated(this.direct.jobs);
  }

  /** Wraps each method so it runs only when no transaction holds the connection. */
  private gate<T extends object>(repo: T): T {
    const wrapped: Record<string, unknown> = {};
    for (const [name, fn] of Object.entries(repo)) {
      wrapped[name] = async (...args: unknown[]) => {
        const call = () => (fn as (...a: unknown[]) => unknown)(...args);
        // Called from inside a running transaction (same async context): it is part of it, so run now.
        if (this.inTransaction.getStore() === true) return call();
        while (this.open) await this.open.catch(() => undefined);
        return this.whenUnlocked(call);
      };
    }
    return wrapped as T;
  }

  transaction<T>(fn: (tx: StoreRepositories) => Promise<T>): Promise<T> {
    // A transaction opened inside another joins it (SQLite has no nested BEGIN); waiting would deadlock.
    if (this.inTransaction.getStore() === true) return fn(this.direct);
    const run = async (): Promise<T> => {
      await this.whenUnlocked(() => this.db.exec('BEGIN IMMEDIATE'));
      const body = (async () => {
        try {
          const result = await this.inTransaction.run(true, () => fn(this.direct));
          this.db.exec('COMMIT');
          return result;
        } catch (error) {
          if (this.db.inTransaction) this.db.exec('ROLLBACK');
          throw isFull(error) ? diskFull(this.location, error) : error;
        } finally {
          this.open = null;
        }
      })();
      this.open = body;
      return body;
    };
    const result = this.queue.catch(() => undefined).then(run);
    this.queue = result;
    return result;
  }

  /**
   * Runs `attempt`; while another connection holds the write lock (SQLITE_BUSY, which SQLite raises before
   * changing anything), tries again after 2, 4 … 100 ms until the lock timeout, then answers LC_BUSY.
   */
  private async whenUnlocked<T>(attempt: () => T): Promise<Awaited<T>> {
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

const json = (value: unknown): string => JSON.stringify(value ?? null);
const parse = <T>(text: unknown, fallback: T): T =>
  typeof text === 'string' ? (JSON.parse(text) as T) : fallback;
const bool = (value: unknown): boolean => value === 1 || value === true;

/** Builds `WHERE …` from optional clauses; undefined values drop their clause. */
class Where {
  readonly clauses: string[] = [];
  readonly params: unknown[] = [];
  add(clause: string, ...values: unknown[]): this {
    this.clauses.push(clause);
    this.params.push(...values);
    return this;
  }
  when(value: unknown, clause: string, ...values: unknown[]): this {
    return value === undefined || value === null || value === '' ? this : this.add(clause, ...values);
  }
  get sql(): string {
    return this.clauses.length ? `WHERE ${this.clauses.join(' AND ')}` : '';
  }
}

function paged<T>(
  db: Db,
  table: string,
  where: Where,
  order: string,
  q: PageQuery | undefined,
  map: (r: Row) => T,
): Page<T> {
  const { limit, offset } = pageOf(q);
  const total = (
    prep(db, `SELECT count(*) AS n FROM ${table} ${where.sql}`).get(...where.params) as { n: number }
  ).n;
  const rows = prep(db, `SELECT * FROM ${table} ${where.sql} ORDER BY ${order} LIMIT ? OFFSET ?`).all(
    ...where.params,
    limit,
    offset,
  ) as Row[];
  return { items: rows.map(map), total, limit, offset };
}

const regionFromRow = (r: Row): Region => ({
  code: r.code as string,
  name: r.name as string,
  level: r.level as Region['level'],
  parentCode: (r.parent_code as string | null) ?? null,
});

const communityFromRow = (r: Row): Community => ({
  code: r.code as string,
  name: r.name as string,
  regionCode: r.region_code as string,
  location: { lon: r.lon as number, lat: r.lat as number },
  boundary: parse(r.boundary, null),
  population: (r.population as number | null) ?? null,
  ageGroups: parse(r.age_groups, {}),
  populationEstimated: bool(r.population_estimated),
});

const facilityFromRow = (r: Row): Facility => ({
  code: r.code as string,
  name: r.name as string,
  typeCode: r.type_code as string,
  location: { lon: r.lon as number, lat: r.lat as number },
  address: (r.address as string | null) ?? null,
  regionCode: (r.region_code as string | null) ?? null,
  capacity: (r.capacity as number | null) ?? null,
  affordable: bool(r.affordable),
  status: r.status as Facility['status'],
  providerUscc: (r.provider_uscc as string | null) ?? null,
  contactPhone: (r.contact_phone as string | null) ?? null,
});

const providerFromRow = (r: Row): Provider => ({
  uscc: r.uscc as string,
  name: r.name as string,
  regionCode: (r.region_code as string | null) ?? null,
  domains: parse(r.domains, []),
  contactName: (r.contact_name as string | null) ?? null,
  contactPhone: (r.contact_phone as string | null) ?? null,
});

const userFromRow = (r: Row): User => ({
  id: r.id as number,
  username: r.username as string,
  displayName: r.display_name as string,
  role: r.role as User['role'],
  department: (r.department as string | null) ?? null,
  domains: parse(r.domains, []),
  regionCode: (r.region_code as string | null) ?? null,
  providerUscc: (r.provider_uscc as string | null) ?? null,
  disabled: bool(r.disabled),
  createdAt: r.created_at as string,
});

const auditFromRow = (r: Row): AuditEntry => ({
  id: r.id as number,
  at: r.at as string,
  actorId: (r.actor_id as number | null) ?? null,
  actorName: r.actor_name as string,
  action: r.action as AuditEntry['action'],
  entity: r.entity as string,
  entityKey: r.entity_key as string,
  before: parse(r.before, null),
  after: parse(r.after, null),
});

const runFromRow = (r: Row): AnalysisRun => ({
  id: r.id as number,
  kind: r.kind as string,
  inputsHash: r.inputs_hash as string,
  parameters: parse(r.parameters, null),
  results: parse(r.results, null),
  engineVersion: r.engine_version as string,
  createdAt: r.created_at as string,
  createdBy: r.created_by as string,
});

const importFromRow = (r: Row): ImportRecord => ({
  id: r.id as number,
  entity: r.entity as string,
  fileName: r.file_name as string,
  fileSha256: r.file_sha256 as string,
  accepted: bool(r.accepted),
  summary: parse(r.summary, null),
  report: parse(r.report, null),
  createdAt: r.created_at as string,
  createdBy: r.created_by as string,
});

/** The same shape for every keyed register: get/list/upsert/delete by the stable key. */
function keyed<T, F extends PageQuery>(
  db: Db,
  now: () => string,
  spec: {
    table: string;
    key: string;
    keyOf: (t: T) => string;
    fromRow: (r: Row) => T;
    toRow: (t: T) => Row;
    where: (f: F | undefined) => Where;
    order: string;
  },
): KeyedRepository<T, F> {
  const get = (key: string): T | null => {
    const row = prep(db, `SELECT * FROM ${spec.table} WHERE ${spec.key} = ?`).get(key) as Row | undefined;
    return row ? spec.fromRow(row) : null;
  };
  return {
    get: async (key) => get(key),
    list: async (filter) => paged(db, spec.table, spec.where(filter), spec.order, filter, spec.fromRow),
    upsert: async (record) => {
      const before = get(spec.keyOf(record));
      const row = { ...spec.toRow(record), updated_at: now() };
      const cols = Object.keys(row);
      prep(
        db,
        `INSERT INTO ${spec.table} (${cols.join(', ')}) VALUES (${cols.map((c) => '@' + c).join(', ')})
         ON CONFLICT (${spec.key}) DO UPDATE SET ${cols
           .filter((c) => c !== spec.key)
           .map((c) => `${c} = excluded.${c}`)
           .join(', ')}`,
      ).run(row);
      return before;
    },
    delete: async (key) => {
      const before = get(key);
      if (before) prep(db, `DELETE FROM ${spec.table} WHERE ${spec.key} = ?`).run(key);
      return before;
    },
    count: async () => (prep(db, `SELECT count(*) AS n FROM ${spec.table}`).get() as { n: number }).n,
  };
}

function repositories(db: Db, now: () => string): StoreRepositories {
  return {
    ...supervisionCasesRepositories(db),
    regions: {
      get: async (code) => {
        const row = prep(db, 'SELECT * FROM regions WHERE code = ?').get(code) as Row | undefined;
        return row ? regionFromRow(row) : null;
      },
      list: async (f?: RegionFilter) =>
        paged(
          db,
          'regions',
          new Where()
            .when(f?.level, 'level = ?', f?.level)
            .when(f?.parentCode, 'parent_code = ?', f?.parentCode)
            .when(f?.within, 'substr(code, 1, length(?)) = ?', f?.within, f?.within)
            .when(f?.q, 'instr(name, ?) > 0', f?.q),
          'code',
          f,
          regionFromRow,
        ),
      existing: async (codes) => {
        const found = new Set<string>();
        const stmt = prep(db, 'SELECT 1 FROM regions WHERE code = ?');
        for (const code of new Set(codes)) if (stmt.get(code)) found.add(code);
        return found;
      },
      upsertMany: async (regions) => {
        const stmt = prep(
          db,
          `INSERT INTO regions (code, name, level, parent_code) VALUES (?, ?, ?, ?)
           ON CONFLICT (code) DO UPDATE SET name = excluded.name, level = excluded.level, parent_code = excluded.parent_code`,
        );
        for (const r of regions) stmt.run(r.code, r.name, r.level, r.parentCode);
        return regions.length;
      },
      count: async () => (prep(db, 'SELECT count(*) AS n FROM regions').get() as { n: number }).n,
    },

    facilityTypes: {
      get: async (code) => {
        const row = prep(db, 'SELECT * FROM facility_types WHERE code = ?').get(code) as Row | undefined;
        return row ? facilityTypeFromRow(row) : null;
      },
      list: async () =>
        (prep(db, 'SELECT * FROM facility_types ORDER BY code').all() as Row[]).map(facilityTypeFromRow),
      upsert: async (t) => {
        const row = prep(db, 'SELECT * FROM facility_types WHERE code = ?').get(t.code) as Row | undefined;
        prep(
          db,
          `INSERT INTO facility_types (code, name_zh, name_en, domain, source) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (code) DO UPDATE SET name_zh = excluded.name_zh, name_en = excluded.name_en,
             domain = excluded.domain, source = excluded.source`,
        ).run(t.code, t.nameZh, t.nameEn, t.domain, t.source);
        return row ? facilityTypeFromRow(row) : null;
      },
    },

    communities: keyed<Community, CommunityFilter>(db, now, {
      table: 'communities',
      key: 'code',
      keyOf: (c) => c.code,
      fromRow: communityFromRow,
      toRow: (c) => ({
        code: c.code,
        name: c.name,
        region_code: c.regionCode,
        lon: c.location.lon,
        lat: c.location.lat,
        boundary: c.boundary ? json(c.boundary) : null,
        population: c.population,
        age_groups: json(c.ageGroups),
        population_estimated: c.populationEstimated ? 1 : 0,
      }),
      where: (f) =>
        new Where()
          .when(f?.within, 'substr(region_code, 1, length(?)) = ?', f?.within, f?.within)
          .when(f?.q, 'instr(name, ?) > 0', f?.q),
      order: 'code',
    }),

    facilities: {
      ...keyed<Facility, FacilityFilter>(db, now, {
        table: 'facilities',
        key: 'code',
        keyOf: (f) => f.code,
        fromRow: facilityFromRow,
        toRow: (f) => ({
          code: f.code,
          name: f.name,
          type_code: f.typeCode,
          lon: f.location.lon,
          lat: f.location.lat,
          address: f.address,
          region_code: f.regionCode,
          capacity: f.capacity,
          affordable: f.affordable ? 1 : 0,
          status: f.status,
          provider_uscc: f.providerUscc,
          contact_phone: f.contactPhone,
        }),
        where: (f) => {
          const w = new Where()
            .when(f?.within, 'substr(region_code, 1, length(?)) = ?', f?.within, f?.within)
            .when(f?.typeCode, 'type_code = ?', f?.typeCode)
            .when(f?.status, 'status = ?', f?.status)
            .when(f?.providerUscc, 'provider_uscc = ?', f?.providerUscc)
            .when(f?.q, 'instr(name, ?) > 0', f?.q);
          if (f?.bbox) {
            const [west, south, east, north] = f.bbox;
            // The R*Tree keeps 32-bit floats rounded outwards, so it is asked for boxes that overlap; the exact
            // test on the row's own coordinates follows.
            w.add(
              'rowid IN (SELECT id FROM facilities_rtree WHERE max_lon >= ? AND min_lon <= ? AND max_lat >= ? AND min_lat <= ?)',
              west,
              east,
              south,
              north,
            );
            w.add('lon BETWEEN ? AND ? AND lat BETWEEN ? AND ?', west, east, south, north);
          }
          if (f?.affordable !== undefined) w.add('affordable = ?', f.affordable ? 1 : 0);
          if (f?.domains)
            w.add(
              `type_code IN (SELECT code FROM facility_types WHERE domain IN (${f.domains.map(() => '?').join(', ') || 'NULL'}))`,
              ...f.domains,
            );
          return w;
        },
        order: 'code',
      }),
      getMany: async (codes) => {
        const out: Facility[] = [];
        // In chunks: SQLite binds at most 32,766 parameters.
        for (let i = 0; i < codes.length; i += 500) {
          const chunk = codes.slice(i, i + 500);
          const rows = prep(
            db,
            `SELECT * FROM facilities WHERE code IN (${chunk.map(() => '?').join(', ')})`,
          ).all(...chunk) as Row[];
          out.push(...rows.map(facilityFromRow));
        }
        return out;
      },
      // Only what a nearest-outlet search ranks by, so a dense box costs its points and not its records.
      pointsInBox: async ([west, south, east, north], typeCode) =>
        (
          prep(
            db,
            `SELECT code, lon, lat FROM facilities
              WHERE rowid IN (SELECT id FROM facilities_rtree
                               WHERE max_lon >= ? AND min_lon <= ? AND max_lat >= ? AND min_lat <= ?)
                AND lon BETWEEN ? AND ? AND lat BETWEEN ? AND ? AND status <> 'closed'
                AND (? IS NULL OR type_code = ?)`,
          ).all(west, east, south, north, west, east, south, north, typeCode ?? null, typeCode ?? null) as {
            code: string;
            lon: number;
            lat: number;
          }[]
        ).map((r) => ({ code: r.code, location: { lon: r.lon, lat: r.lat } })),
    },

    providers: keyed<Provider, ProviderFilter>(db, now, {
      table: 'providers',
      key: 'uscc',
      keyOf: (p) => p.uscc,
      fromRow: providerFromRow,
      toRow: (p) => ({
        uscc: p.uscc,
        name: p.name,
        region_code: p.regionCode,
        domains: json(p.domains),
        contact_name: p.contactName,
        contact_phone: p.contactPhone,
      }),
      where: (f) =>
        new Where()
          .when(f?.within, 'substr(region_code, 1, length(?)) = ?', f?.within, f?.within)
          .when(f?.domain, 'EXISTS (SELECT 1 FROM json_each(domains) WHERE value = ?)', f?.domain)
          .when(f?.q, 'instr(name, ?) > 0', f?.q),
      order: 'uscc',
    }),

    users: {
      get: async (id) => {
        const row = prep(db, 'SELECT * FROM users WHERE id = ?').get(id) as Row | undefined;
        return row ? userFromRow(row) : null;
      },
      findByUsername: async (username) => {
        const row = prep(db, 'SELECT * FROM users WHERE username = ?').get(username) as Row | undefined;
        return row ? { ...userFromRow(row), passwordHash: row.password_hash as string } : null;
      },
      list: async (q) => paged(db, 'users', new Where(), 'id', q, userFromRow),
      update: async (id, patch) => {
        const row = prep(db, 'SELECT * FROM users WHERE id = ?').get(id) as Row | undefined;
        if (!row) return null;
        const columns: Record<string, unknown> = {
          display_name: patch.displayName,
          password_hash: patch.passwordHash,
          role: patch.role,
          department: patch.department,
          domains: patch.domains === undefined ? undefined : json(patch.domains),
          region_code: patch.regionCode,
          provider_uscc: patch.providerUscc,
          disabled: patch.disabled === undefined ? undefined : patch.disabled ? 1 : 0,
        };
        const set = Object.entries(columns).filter(([, v]) => v !== undefined);
        if (set.length)
          prep(db, `UPDATE users SET ${set.map(([c]) => `${c} = ?`).join(', ')} WHERE id = ?`).run(
            ...set.map(([, v]) => v),
            id,
          );
        if (patch.disabled || patch.passwordHash) prep(db, 'DELETE FROM sessions WHERE user_id = ?').run(id);
        return userFromRow(row);
      },
      create: async (u) => {
        const existing = prep(db, 'SELECT 1 FROM users WHERE username = ?').get(u.username);
        if (existing) throw new LifeCircleError('LC_CONFLICT', `user ${u.username} exists already`);
        const info = prep(
          db,

          `INSERT INTO users (username, display_name, password_hash, role, department, domains, region_code,
               provider_uscc, disabled, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(
          u.username,
          u.displayName,
          u.passwordHash,
          u.role,
          u.department,
          json(u.domains),
          u.regionCode,
          u.providerUscc,
          u.disabled ? 1 : 0,
          now(),
        );
        return userFromRow(prep(db, 'SELECT * FROM users WHERE id = ?').get(info.lastInsertRowid) as Row);
      },
      count: async () => (prep(db, 'SELECT count(*) AS n FROM users').get() as { n: number }).n,
    },

    sessions: {
      create: async (s) => {
        prep(
          db,
          'INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)',
        ).run(s.tokenHash, s.userId, s.createdAt, s.expiresAt);
      },
      findValid: async (tokenHash, at) => {
        const row = prep(db, 'SELECT * FROM sessions WHERE token_hash = ? AND expires_at > ?').get(
          tokenHash,
          at,
        ) as Row | undefined;
        return row
          ? {
              tokenHash: row.token_hash as string,
              userId: row.user_id as number,
              createdAt: row.created_at as string,
              expiresAt: row.expires_at as string,
            }
          : null;
      },
      delete: async (tokenHash) => {
        prep(db, 'DELETE FROM sessions WHERE token_hash = ?').run(tokenHash);
      },
      deleteExpired: async (at) => prep(db, 'DELETE FROM sessions WHERE expires_at <= ?').run(at).changes,
    },

    audit: {
      record: async (e) => {
        const info = prep(
          db,

          `INSERT INTO audit_log (at, actor_id, actor_name, action, entity, entity_key, before, after)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(now(), e.actorId, e.actorName, e.action, e.entity, e.entityKey, json(e.before), json(e.after));
        return auditFromRow(
          prep(db, 'SELECT * FROM audit_log WHERE id = ?').get(info.lastInsertRowid) as Row,
        );
      },
      list: async (f?: AuditFilter) =>
        paged(
          db,
          'audit_log',
          new Where()
            .when(f?.entity, 'entity = ?', f?.entity)
            .when(f?.entityKey, 'entity_key = ?', f?.entityKey)
            .when(f?.actorId, 'actor_id = ?', f?.actorId)
            .when(f?.since, 'at >= ?', f?.since),
          'id DESC',
          f,
          auditFromRow,
        ),
    },

    analysisRuns: {
      create: async (r) => {
        const info = prep(
          db,

          `INSERT INTO analysis_runs (kind, inputs_hash, parameters, results, engine_version, created_at, created_by)
             VALUES (?, ?, ?, ?, ?, ?, ?)`,
        ).run(r.kind, r.inputsHash, json(r.parameters), json(r.results), r.engineVersion, now(), r.createdBy);
        return runFromRow(
          prep(db, 'SELECT * FROM analysis_runs WHERE id = ?').get(info.lastInsertRowid) as Row,
        );
      },
      get: async (id) => {
        const row = prep(db, 'SELECT * FROM analysis_runs WHERE id = ?').get(id) as Row | undefined;
        return row ? runFromRow(row) : null;
      },
      list: async (f) => {
        const page = paged(
          db,
          'analysis_runs',
          new Where().when(f?.kind, 'kind = ?', f?.kind),
          'id DESC',
          f,
          runFromRow,
        );
        return { ...page, items: page.items.map(({ results: _results, ...rest }) => rest) };
      },
      findByInputsHash: async (kind, inputsHash) => {
        const row = prep(
          db,
          'SELECT * FROM analysis_runs WHERE kind = ? AND inputs_hash = ? ORDER BY id DESC LIMIT 1',
        ).get(kind, inputsHash) as Row | undefined;
        return row ? runFromRow(row) : null;
      },
    },

    imports: {
      create: async (r) => {
        const info = prep(
          db,

          `INSERT INTO imports (entity, file_name, file_sha256, accepted, summary, report, created_at, created_by)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(
          r.entity,
          r.fileName,
          r.fileSha256,
          r.accepted ? 1 : 0,
          json(r.summary),
          json(r.report),
          now(),
          r.createdBy,
        );
        return importFromRow(prep(db, 'SELECT * FROM imports WHERE id = ?').get(info.lastInsertRowid) as Row);
      },
      get: async (id) => {
        const row = prep(db, 'SELECT * FROM imports WHERE id = ?').get(id) as Row | undefined;
        return row ? importFromRow(row) : null;
      },
    },

    indicators: indicatorRepository(db, now),
    credit: creditRepository(db, now),
    plans: sqlitePlanRepository(db, now),
    jobs: jobRepository(db, now),
  };
}

const facilityTypeFromRow = (r: Row): FacilityType => ({
  code: r.code as string,
  nameZh: r.name_zh as string,
  nameEn: r.name_en as string,
  domain: r.domain as FacilityType['domain'],
  source: r.source as string,
});
