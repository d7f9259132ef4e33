/**
 * SQLite repositories of 好差评 ratings, complaints, cases and resident profiles (migration 5). Domain objects
 * are stored as they are: scalar fields in columns (for filters and indexes), lists and nested objects as JSON,
 * a case's history as rows of case_events. Nothing here deletes: ratings change status, cases change state.
 */
import type Database from 'better-sqlite3';
import {
  ratingKey,
  type AbuseFlag,
  type Case,
  type CaseEvent,
  type Complaint,
} from '../supervision/index.js';
import type {
  CaseFilter,
  CaseRepository,
  ComplaintFilter,
  ComplaintRepository,
  RatingFilter,
  RatingRepository,
  ResidentRepository,
  StoredCase,
  StoredRating,
} from './cases-types.js';
import type { Page, PageQuery } from './types.js';
import { pageOf } from './paging.js';

type Db = Database.Database;
type Row = Record<string, unknown>;

const json = (value: unknown): string => JSON.stringify(value ?? null);
const parse = <T>(text: unknown, fallback: T): T =>
  typeof text === 'string' ? (JSON.parse(text) as T) : fallback;

/** `WHERE …` from optional clauses; undefined or empty values drop their clause. */
function where(parts: [unknown, string, ...unknown[]][]): { sql: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  for (const [value, clause, ...values] of parts) {
    if (value === undefined || value === null || value === '') continue;
    clauses.push(clause);
    params.push(...values);
  }
  return { sql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

function paged<T>(
  db: Db,
  table: string,
  w: { sql: string; params: unknown[] },
  order: string,
  q: PageQuery | undefined,
  map: (r: Row) => T,
): Page<T> {
  const { limit, offset } = pageOf(q);
  const total = (db.prepare(`SELECT count(*) AS n FROM ${table} ${w.sql}`).get(...w.params) as { n: number })
    .n;
  const rows = db
    .prepare(`SELECT * FROM ${table} ${w.sql} ORDER BY ${order} LIMIT ? OFFSET ?`)
    .all(...w.params, limit, offset) as Row[];
  return { items: rows.map(map), total, limit, offset };
}

const ratingFromRow = (r: Row): StoredRating => ({
  id: r.id as string,
  accountId: r.account_id as string,
  outletId: r.outlet_id as string,
  providerUscc: r.provider_uscc as string,
  serviceType: r.service_type as string,
  regionCode: r.region_code as string,
  ...(r.event_id === null ? {} : { eventId: r.event_id as string }),
  level: r.level as StoredRating['level'],
  tags: parse<string[]>(r.tags, []),
  text: r.text as string,
  channel: r.channel as StoredRating['channel'],
  createdAt: r.created_at as string,
  status: r.status as StoredRating['status'],
  ...(r.contact_phone === null ? {} : { contactPhone: r.contact_phone as string }),
  flags: parse<AbuseFlag[]>(r.flags, []),
  enteredBy: (r.entered_by as number | null) ?? null,
  moderation: parse(r.moderation, null),
});

const complaintFromRow = (r: Row): Complaint => ({
  id: r.id as string,
  accountId: r.account_id as string,
  providerUscc: r.provider_uscc as string,
  ...(r.outlet_id === null ? {} : { outletId: r.outlet_id as string }),
  serviceType: r.service_type as string,
  regionCode: r.region_code as string,
  category: r.category as Complaint['category'],
  text: r.text as string,
  channel: r.channel as Complaint['channel'],
  createdAt: r.created_at as string,
  ...(r.contact_phone === null ? {} : { contactPhone: r.contact_phone as string }),
});

const eventFromRow = (r: Row): CaseEvent => ({
  at: r.at as string,
  actor: { role: r.actor_role as CaseEvent['actor']['role'], id: r.actor_id as string },
  action: r.action as CaseEvent['action'],
  from: (r.from_state as CaseEvent['from']) ?? null,
  to: r.to_state as CaseEvent['to'],
  ...(r.note === null ? {} : { note: r.note as string }),
});

type CaseData = Omit<Case, 'history'>;

function ratingRow(r: StoredRating): Row {
  return {
    id: r.id,
    account_id: r.accountId,
    outlet_id: r.outletId,
    provider_uscc: r.providerUscc,
    service_type: r.serviceType,
    region_code: r.regionCode,
    event_id: r.eventId ?? null,
    level: r.level,
    tags: json(r.tags),
    text: r.text,
    channel: r.channel,
    created_at: r.createdAt,
    status: r.status,
    contact_phone: r.contactPhone ?? null,
    flags: json(r.flags),
    entered_by: r.enteredBy,
    moderation: r.moderation ? json(r.moderation) : null,
  };
}

function ratingWhere(f: RatingFilter | undefined) {
  return where([
    [f?.outletId, 'outlet_id = ?', f?.outletId],
    [f?.providerUscc, 'provider_uscc = ?', f?.providerUscc],
    [f?.within, 'substr(region_code, 1, length(?)) = ?', f?.within, f?.within],
    [f?.status, 'status = ?', f?.status],
    [f?.accountId, 'account_id = ?', f?.accountId],
    [f?.since, 'created_at >= ?', f?.since],
  ]);
}

export function ratingRepository(db: Db): RatingRepository {
  const get = (id: string): StoredRating | null => {
    const row = db.prepare('SELECT * FROM ratings WHERE id = ?').get(id) as Row | undefined;
    return row ? ratingFromRow(row) : null;
  };
  return {
    insert: async (r) => {
      const row = { ...ratingRow(r), rating_key: ratingKey(r) };
      const cols = Object.keys(row);
      db.prepare(
        `INSERT INTO ratings (${cols.join(', ')}) VALUES (${cols.map((c) => '@' + c).join(', ')})`,
      ).run(row);
    },
    get: async (id) => get(id),
    findByKey: async (key) => {
      const row = db.prepare('SELECT * FROM ratings WHERE rating_key = ?').get(key) as Row | undefined;
      return row ? ratingFromRow(row) : null;
    },
    list: async (f) => paged(db, 'ratings', ratingWhere(f), 'created_at DESC, id', f, ratingFromRow),
    all: async (f) => {
      const w = ratingWhere(f);
      return (
        db.prepare(`SELECT * FROM ratings ${w.sql} ORDER BY created_at, id`).all(...w.params) as Row[]
      ).map(ratingFromRow);
    },
    phoneAccount: async (phone) => {
      const row = db
        .prepare(
          `SELECT account_id FROM ratings WHERE contact_phone = ? AND account_id LIKE 'tel-%'
            ORDER BY created_at, id LIMIT 1`,
        )
        .get(phone) as { account_id: string } | undefined;
      return row?.account_id ?? null;
    },
    abuseNeighbourhood: async (n) => {
      // One indexed query per part (ratings_account_time, ratings_outlet_time, ratings_text_time, ratings_time);
      // UNION drops a rating found twice. The window's ends fix the period the burst baselines divide by.
      const parts = [
        'SELECT * FROM ratings WHERE account_id = @account AND created_at >= @since',
        'SELECT * FROM ratings WHERE outlet_id = @outlet AND created_at >= @since',
        `SELECT * FROM (SELECT * FROM ratings WHERE created_at >= @since AND status <> 'invalidated'
           ORDER BY created_at, id LIMIT 1)`,
        `SELECT * FROM (SELECT * FROM ratings WHERE created_at >= @since AND status <> 'invalidated'
           ORDER BY created_at DESC, id DESC LIMIT 1)`,
      ];
      // A literal, not a parameter: SQLite uses the partial index only when it can prove the condition.
      if (n.minTextLength !== null)
        parts.push(
          `SELECT * FROM ratings WHERE created_at >= @since AND length(text) >= ${Math.trunc(n.minTextLength)}`,
        );
      const rows = db
        .prepare(`SELECT * FROM (${parts.join(' UNION ')}) ORDER BY created_at, id`)
        .all({ since: n.since, account: n.accountId, outlet: n.outletId }) as Row[];
      return rows.map(ratingFromRow);
    },
    publishedLevelCounts: async (outletIds) => {
      const byOutlet = new Map<string, Record<string, number>>();
      // In chunks: SQLite binds at most 32 766 parameters.
      for (let i = 0; i < outletIds.length; i += 500) {
        const chunk = outletIds.slice(i, i + 500);
        const rows = db
          .prepare(
            `SELECT outlet_id, level, count(*) AS n FROM ratings WHERE status = 'published'
              AND outlet_id IN (${chunk.map(() => '?').join(', ')}) GROUP BY outlet_id, level`,
          )
          .all(...chunk) as { outlet_id: string; level: string; n: number }[];
        for (const r of rows) {
          const levels = byOutlet.get(r.outlet_id) ?? {};
          levels[r.level] = r.n;
          byOutlet.set(r.outlet_id, levels);
        }
      }
      const total: Record<string, number> = {};
      for (const r of db.prepare('SELECT level, n FROM rating_level_totals WHERE n > 0').all() as {
        level: string;
        n: number;
      }[])
        total[r.level] = r.n;
      return { byOutlet, total };
    },
    update: async (r) => {
      const before = get(r.id);
      if (!before) return null;
      db.prepare('UPDATE ratings SET status = ?, flags = ?, moderation = ? WHERE id = ?').run(
        r.status,
        json(r.flags),
        r.moderation ? json(r.moderation) : null,
        r.id,
      );
      return before;
    },
  };
}

export function complaintRepository(db: Db): ComplaintRepository {
  return {
    insert: async (c) => {
      db.prepare(
        `INSERT INTO complaints (id, account_id, provider_uscc, outlet_id, service_type, region_code, category, text,
           channel, created_at, contact_phone) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        c.id,
        c.accountId,
        c.providerUscc,
        c.outletId ?? null,
        c.serviceType,
        c.regionCode,
        c.category,
        c.text,
        c.channel,
        c.createdAt,
        c.contactPhone ?? null,
      );
    },
    get: async (id) => {
      const row = db.prepare('SELECT * FROM complaints WHERE id = ?').get(id) as Row | undefined;
      return row ? complaintFromRow(row) : null;
    },
    list: async (f?: ComplaintFilter) =>
      paged(
        db,
        'complaints',
        where([
          [f?.accountId, 'account_id = ?', f?.accountId],
          [f?.providerUscc, 'provider_uscc = ?', f?.providerUscc],
        ]),
        'created_at DESC, id',
        f,
        complaintFromRow,
      ),
  };
}

export function caseRepository(db: Db): CaseRepository {
  const history = (id: string): CaseEvent[] =>
    (db.prepare('SELECT * FROM case_events WHERE case_id = ? ORDER BY seq').all(id) as Row[]).map(
      eventFromRow,
    );
  const fromRow = (r: Row): StoredCase => ({
    ...parse<CaseData>(r.data, {} as CaseData),
    regionCode: r.region_code as string,
    domain: r.domain as string,
    accountId: r.account_id as string,
    history: history(r.id as string),
  });
  const get = (id: string): StoredCase | null => {
    const row = db.prepare('SELECT * FROM cases WHERE id = ?').get(id) as Row | undefined;
    return row ? fromRow(row) : null;
  };
  const appendEvents = (c: StoredCase, from: number): void => {
    const stmt = db.prepare(
      `INSERT INTO case_events (case_id, seq, at, actor_role, actor_id, action, from_state, to_state, note)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    c.history
      .slice(from)
      .forEach((e, i) =>
        stmt.run(c.id, from + i, e.at, e.actor.role, e.actor.id, e.action, e.from, e.to, e.note ?? null),
      );
  };
  const data = (c: StoredCase): string => {
    const { history: _h, regionCode: _r, domain: _d, accountId: _a, ...rest } = c;
    return json(rest);
  };
  return {
    insert: async (c) => {
      db.prepare(
        `INSERT INTO cases (id, origin_kind, origin_id, outlet_id, provider_uscc, department_id, region_code, domain,
           account_id, state, opened_at, due_at, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        c.id,
        c.origin.kind,
        c.origin.kind === 'rating' ? c.origin.ratingId : c.origin.complaintId,
        c.outletId,
        c.providerUscc,
        c.departmentId,
        c.regionCode,
        c.domain,
        c.accountId,
        c.state,
        c.openedAt,
        c.deadline.dueAt,
        data(c),
      );
      appendEvents(c, 0);
    },
    get: async (id) => get(id),
    update: async (c) => {
      const before = get(c.id);
      if (!before) return null;
      db.prepare('UPDATE cases SET state = ?, department_id = ?, due_at = ?, data = ? WHERE id = ?').run(
        c.state,
        c.departmentId,
        c.deadline.dueAt,
        data(c),
        c.id,
      );
      appendEvents(c, before.history.length);
      return before;
    },
    list: async (f?: CaseFilter) => {
      const domains = f?.domains?.length ? f.domains : undefined;
      return paged(
        db,
        'cases',
        where([
          [f?.state, 'state = ?', f?.state],
          [f?.open ? 1 : undefined, "state <> 'closed'"],
          [f?.providerUscc, 'provider_uscc = ?', f?.providerUscc],
          [f?.within, 'substr(region_code, 1, length(?)) = ?', f?.within, f?.within],
          [domains, `domain IN (${(domains ?? []).map(() => '?').join(', ')})`, ...(domains ?? [])],
          [f?.accountId, 'account_id = ?', f?.accountId],
        ]),
        // Open cases first, the most urgent deadline first.
        "state = 'closed', due_at, id",
        f,
        fromRow,
      );
    },
    history: async (id) => history(id),
  };
}

export function residentRepository(db: Db): ResidentRepository {
  const fromRow = (r: Row) => ({
    userId: r.user_id as number,
    phone: r.phone as string,
    createdAt: r.created_at as string,
  });
  return {
    create: async (p) => {
      db.prepare('INSERT INTO resident_profiles (user_id, phone, created_at) VALUES (?, ?, ?)').run(
        p.userId,
        p.phone,
        p.createdAt,
      );
    },
    get: async (userId) => {
      const row = db.prepare('SELECT * FROM resident_profiles WHERE user_id = ?').get(userId) as
        Row | undefined;
      return row ? fromRow(row) : null;
    },
    findByPhone: async (phone) => {
      const row = db.prepare('SELECT * FROM resident_profiles WHERE phone = ?').get(phone) as Row | undefined;
      return row ? fromRow(row) : null;
    },
  };
}

/** The four repositories of migration 5, for `repositories(db)` in sqlite-store.ts. */
export function supervisionCasesRepositories(db: Db): {
  residents: ResidentRepository;
  ratings: RatingRepository;
  complaints: ComplaintRepository;
  cases: CaseRepository;
} {
  return {
    residents: residentRepository(db),
    ratings: ratingRepository(db),
    complaints: complaintRepository(db),
    cases: caseRepository(db),
  };
}
