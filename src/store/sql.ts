import type Database from 'better-sqlite3';
import { LifeCircleError } from '../errors.js';

/** A row as the driver returns it: column name → value. */
export type Row = Record<string, unknown>;

/**
 * The few SQL fragments SQLite and PostgreSQL spell differently. Each fragment binds the same parameters in both,
 * so the query that uses it passes the same parameter list to either store.
 */
export interface Dialect {
  readonly name: 'sqlite' | 'postgres';
  /** True when `column` contains the bound text (one parameter). */
  contains(column: string): string;
  /** True when the JSON array stored as text in `column` has the bound string as an element (one parameter). */
  jsonArrayHas(column: string): string;
  /** The integer `expression` as text, zero-padded to `width` digits (no parameter). */
  zeroPadded(expression: string, width: number): string;
  /**
   * Facilities whose point may lie in the box [west, south, east, north], through the store's spatial index; the
   * exact test on the row's own coordinates follows it. The one query whose SQL and parameters differ.
   */
  facilitiesInBox(box: readonly [number, number, number, number]): { clause: string; params: number[] };
  /**
   * Appended to the subquery that picks a row to take (a queued job): on PostgreSQL the row is locked and rows
   * other transactions hold are skipped; SQLite needs nothing, its one writer already excludes the others.
   */
  readonly forUpdateSkipLocked: string;
}

/**
 * What a repository needs of a database: SQL text with `?` placeholders and a parameter list, in either store.
 * Repositories are written once against this; `sqliteSql` and the PostgreSQL store (`postgres-store.ts`) run it.
 * Portable SQL only: `CAST(? AS TEXT)` where PostgreSQL cannot infer a parameter's type (`? IS NULL`),
 * `ON CONFLICT … DO …` for upserts, `RETURNING` through `insertId`, and the `dialect` for the rest.
 */
export interface Sql {
  readonly dialect: Dialect;
  all<T = Row>(text: string, params?: readonly unknown[]): Promise<T[]>;
  get<T = Row>(text: string, params?: readonly unknown[]): Promise<T | undefined>;
  /** Runs a statement; the number of rows it changed. */
  run(text: string, params?: readonly unknown[]): Promise<number>;
  /** Runs an INSERT into a table whose key is a generated integer `id`; that id. */
  insertId(text: string, params?: readonly unknown[]): Promise<number>;
}

export const sqliteDialect: Dialect = {
  name: 'sqlite',
  forUpdateSkipLocked: '',
  contains: (column) => `instr(${column}, ?) > 0`,
  jsonArrayHas: (column) => `EXISTS (SELECT 1 FROM json_each(${column}) WHERE value = ?)`,
  zeroPadded: (expression, width) => `printf('%0${width}d', ${expression})`,
  // The R*Tree (migration 8) keeps 32-bit floats rounded outwards, so it is asked for boxes that overlap.
  facilitiesInBox: ([west, south, east, north]) => ({
    clause:
      'rowid IN (SELECT id FROM facilities_rtree WHERE max_lon >= ? AND min_lon <= ? AND max_lat >= ? AND min_lat <= ?)',
    params: [west, east, south, north],
  }),
};

export const postgresDialect: Dialect = {
  name: 'postgres',
  forUpdateSkipLocked: ' FOR UPDATE SKIP LOCKED',
  contains: (column) => `strpos(${column}, ?) > 0`,
  jsonArrayHas: (column) =>
    `EXISTS (SELECT 1 FROM json_array_elements_text(CAST(${column} AS json)) AS element (value) WHERE value = ?)`,
  zeroPadded: (expression, width) => `lpad(CAST(${expression} AS TEXT), ${width}, '0')`,
  // The GiST index over point(lon, lat) (postgres-migrations.ts): core PostgreSQL, no extension needed.
  facilitiesInBox: ([west, south, east, north]) => ({
    clause: 'point(lon, lat) <@ box(point(?, ?), point(?, ?))',
    params: [west, south, east, north],
  }),
};

/** Prepared statements cached by SQL text: preparing costs more than running for single-row statements. */
const statementCache = new WeakMap<Database.Database, Map<string, Database.Statement>>();
export function prepared(db: Database.Database, text: string): Database.Statement {
  let cache = statementCache.get(db);
  if (!cache) statementCache.set(db, (cache = new Map()));
  let statement = cache.get(text);
  if (!statement) cache.set(text, (statement = db.prepare(text)));
  return statement;
}

/**
 * `Sql` over one better-sqlite3 connection. Statements run synchronously when called (the promise is already
 * settled), so a repository method that awaits only these calls runs without giving other work a turn.
 */
export function sqliteSql(db: Database.Database): Sql {
  const run = <T>(statement: () => T): T => {
    try {
      return statement();
    } catch (error) {
      throw keyConflict(error) ?? error;
    }
  };
  return {
    dialect: sqliteDialect,
    all: async <T>(text: string, params: readonly unknown[] = []) =>
      run(() => prepared(db, text).all(...params) as T[]),
    get: async <T>(text: string, params: readonly unknown[] = []) =>
      run(() => prepared(db, text).get(...params) as T | undefined),
    run: async (text, params = []) => run(() => prepared(db, text).run(...params).changes),
    insertId: async (text, params = []) =>
      run(() => Number(prepared(db, text).run(...params).lastInsertRowid)),
  };
}

/**
 * A unique or primary key met twice, from either engine, as one LC_CONFLICT naming the table and key (never the
 * values: a key may be a phone number). Null for any other error.
 */
export function keyConflict(error: unknown): LifeCircleError | null {
  const e = error as { code?: unknown; message?: unknown; constraint?: unknown; table?: unknown };
  let what: string | null = null;
  if (e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY')
    what = String(e.message).replace(/^.*constraint failed: /, '');
  else if (e.code === '23505') what = `${String(e.table ?? '?')} (${String(e.constraint ?? '?')})`;
  return what === null
    ? null
    : new LifeCircleError('LC_CONFLICT', `a record with the same key exists already: ${what}`, {
        cause: error,
      });
}

/** `IN (?, ?, …)` for a list; an empty list matches nothing. */
export const inList = (values: readonly unknown[]): string =>
  `IN (${values.map(() => '?').join(', ') || 'NULL'})`;

/** Builds `WHERE …` from optional clauses; undefined, null or empty values drop their clause. */
export class Where {
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

/** True when a code column lies within the region whose code is bound (a prefix; two parameters). */
export const withinRegion = (column: string): string => `substr(${column}, 1, length(CAST(? AS TEXT))) = ?`;
