/**
 * Repositories of 好差评 ratings, complaints, cases and resident profiles (migration 5). Domain objects
 * are stored as they are: scalar fields in columns (for filters and indexes), lists and nested objects as JSON,
 * a case's history as rows of case_events. Nothing here deletes: ratings change status, cases change state.
 */
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
import { Where, inList, withinRegion, type Row, type Sql } from './sql.js';

const json = (value: unknown): string => JSON.stringify(value ?? null);
const parse = <T>(text: unknown, fallback: T): T =>
  typeof text === 'string' ? (JSON.parse(text) as T) : fallback;

async function paged<T>(
  sql: Sql,
  table: string,
  w: Where,
  order: string,
  q: PageQuery | undefined,
  map: (r: Row) => T | Promise<T>,
): Promise<Page<T>> {
  const { limit, offset } = pageOf(q);
  const total = (await sql.get<{ n: number }>(`SELECT count(*) AS n FROM ${table} ${w.sql}`, w.params))!.n;
  const rows = await sql.all(`SELECT * FROM ${table} ${w.sql} ORDER BY ${order} LIMIT ? OFFSET ?`, [
    ...w.params,
    limit,
    offset,
  ]);
  const items: T[] = [];
  for (const r of rows) items.push(await map(r));
  return { items, total, limit, offset };
}

const ratingFromRow = (r: Row): StoredRating => ({
  id: r.id as string,
  accountId: r.account_id as string,
  outletId: r.outlet_id as string,
  providerUscc: (r.provider_uscc as string | null) ?? null,
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
  providerUscc: (r.provider_uscc as string | null) ?? null,
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
  ...(r.detail === null || r.detail === undefined
    ? {}
    : { detail: parse<NonNullable<CaseEvent['detail']>>(r.detail, {}) }),
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

function ratingWhere(f: RatingFilter | undefined): Where {
  return new Where()
    .when(f?.outletId, 'outlet_id = ?', f?.outletId)
    .when(f?.providerUscc, 'provider_uscc = ?', f?.providerUscc)
    .when(f?.within, withinRegion('region_code'), f?.within, f?.within)
    .when(f?.status, 'status = ?', f?.status)
    .when(f?.accountId, 'account_id = ?', f?.accountId)
    .when(f?.since, 'created_at >= ?', f?.since);
}

export function ratingRepository(sql: Sql): RatingRepository {
  const get = async (id: string): Promise<StoredRating | null> => {
    const row = await sql.get('SELECT * FROM ratings WHERE id = ?', [id]);
    return row ? ratingFromRow(row) : null;
  };
  return {
    insert: async (r) => {
      const row = { ...ratingRow(r), rating_key: ratingKey(r) };
      const cols = Object.keys(row);
      await sql.run(
        `INSERT INTO ratings (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`,
        Object.values(row),
      );
    },
    get,
    findByKey: async (key) => {
      const row = await sql.get('SELECT * FROM ratings WHERE rating_key = ?', [key]);
      return row ? ratingFromRow(row) : null;
    },
    list: async (f) => paged(sql, 'ratings', ratingWhere(f), 'created_at DESC, id', f, ratingFromRow),
    all: async (f) => {
      const w = ratingWhere(f);
      return (await sql.all(`SELECT * FROM ratings ${w.sql} ORDER BY created_at, id`, w.params)).map(
        ratingFromRow,
      );
    },
    phoneAccount: async (phone) => {
      // Staff-entered accounts are `tel-` and lower-case hex, so LIKE matches alike in SQLite and PostgreSQL.
      const row = await sql.get<{ account_id: string }>(
        `SELECT account_id FROM ratings WHERE contact_phone = ? AND account_id LIKE 'tel-%'
          ORDER BY created_at, id LIMIT 1`,
        [phone],
      );
      return row?.account_id ?? null;
    },
    abuseNeighbourhood: async (n) => {
      // One indexed query per part (ratings_account_time, ratings_outlet_time, ratings_text_time, ratings_time);
      // UNION drops a rating found twice. The window's ends fix the period the burst baselines divide by.
      // (PostgreSQL 15 wants an alias on every subquery in FROM.)
      const parts = [
        'SELECT * FROM ratings WHERE account_id = ? AND created_at >= ?',
        'SELECT * FROM ratings WHERE outlet_id = ? AND created_at >= ?',
        `SELECT * FROM (SELECT * FROM ratings WHERE created_at >= ? AND status <> 'invalidated'
           ORDER BY created_at, id LIMIT 1) AS first_counted`,
        `SELECT * FROM (SELECT * FROM ratings WHERE created_at >= ? AND status <> 'invalidated'
           ORDER BY created_at DESC, id DESC LIMIT 1) AS last_counted`,
      ];
      const params: unknown[] = [n.accountId, n.since, n.outletId, n.since, n.since, n.since];
      // A literal, not a parameter: SQLite uses the partial index only when it can prove the condition.
      if (n.minTextLength !== null) {
        parts.push(
          `SELECT * FROM ratings WHERE created_at >= ? AND length(text) >= ${Math.trunc(n.minTextLength)}`,
        );
        params.push(n.since);
      }
      const rows = await sql.all(
        `SELECT * FROM (${parts.join(' UNION ')}) AS neighbourhood ORDER BY created_at, id`,
        params,
      );
      return rows.map(ratingFromRow);
    },
    publishedLevelCounts: async (outletIds) => {
      const byOutlet = new Map<string, Record<string, number>>();
      // In chunks: SQLite binds at most 32 766 parameters.
      for (let i = 0; i < outletIds.length; i += 500) {
        const chunk = outletIds.slice(i, i + 500);
        const rows = await sql.all<{ outlet_id: string; level: string; n: number }>(
          `SELECT outlet_id, level, count(*) AS n FROM ratings WHERE status = 'published'
            AND outlet_id ${inList(chunk)} GROUP BY outlet_id, level`,
          chunk,
        );
        for (const r of rows) {
          const levels = byOutlet.get(r.outlet_id) ?? {};
          levels[r.level] = r.n;
          byOutlet.set(r.outlet_id, levels);
        }
      }
      const total: Record<string, number> = {};
      for (const r of await sql.all<{ level: string; n: number }>(
        'SELECT level, n FROM rating_level_totals WHERE n > 0',
      ))
        total[r.level] = r.n;
      return { byOutlet, total };
    },
    update: async (r) => {
      const before = await get(r.id);
      if (!before) return null;
      await sql.run('UPDATE ratings SET status = ?, flags = ?, moderation = ? WHERE id = ?', [
        r.status,
        json(r.flags),
        r.moderation ? json(r.moderation) : null,
        r.id,
      ]);
      return before;
    },
  };
}

export function complaintRepository(sql: Sql): ComplaintRepository {
  return {
    insert: async (c) => {
      await sql.run(
        `INSERT INTO complaints (id, account_id, provider_uscc, outlet_id, service_type, region_code, category, text,
           channel, created_at, contact_phone) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
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
        ],
      );
    },
    get: async (id) => {
      const row = await sql.get('SELECT * FROM complaints WHERE id = ?', [id]);
      return row ? complaintFromRow(row) : null;
    },
    list: async (f?: ComplaintFilter) =>
      paged(
        sql,
        'complaints',
        new Where()
          .when(f?.accountId, 'account_id = ?', f?.accountId)
          .when(f?.providerUscc, 'provider_uscc = ?', f?.providerUscc),
        'created_at DESC, id',
        f,
        complaintFromRow,
      ),
  };
}

export function caseRepository(sql: Sql): CaseRepository {
  const history = async (id: string): Promise<CaseEvent[]> =>
    (await sql.all('SELECT * FROM case_events WHERE case_id = ? ORDER BY seq', [id])).map(eventFromRow);
  const fromRow = async (r: Row): Promise<StoredCase> => ({
    ...parse<CaseData>(r.data, {} as CaseData),
    regionCode: r.region_code as string,
    domain: r.domain as string,
    accountId: r.account_id as string,
    history: await history(r.id as string),
  });
  const get = async (id: string): Promise<StoredCase | null> => {
    const row = await sql.get('SELECT * FROM cases WHERE id = ?', [id]);
    return row ? fromRow(row) : null;
  };
  const appendEvents = async (c: StoredCase, from: number): Promise<void> => {
    for (const [i, e] of c.history.slice(from).entries())
      await sql.run(
        `INSERT INTO case_events (case_id, seq, at, actor_role, actor_id, action, from_state, to_state, note, detail)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          c.id,
          from + i,
          e.at,
          e.actor.role,
          e.actor.id,
          e.action,
          e.from,
          e.to,
          e.note ?? null,
          e.detail ? json(e.detail) : null,
        ],
      );
  };
  const data = (c: StoredCase): string => {
    const { history: _h, regionCode: _r, domain: _d, accountId: _a, ...rest } = c;
    return json(rest);
  };
  return {
    insert: async (c) => {
      await sql.run(
        `INSERT INTO cases (id, origin_kind, origin_id, outlet_id, provider_uscc, department_id, region_code, domain,
           account_id, state, opened_at, due_at, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
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
        ],
      );
      await appendEvents(c, 0);
    },
    get,
    update: async (c) => {
      const before = await get(c.id);
      if (!before) return null;
      await sql.run('UPDATE cases SET state = ?, department_id = ?, due_at = ?, data = ? WHERE id = ?', [
        c.state,
        c.departmentId,
        c.deadline.dueAt,
        data(c),
        c.id,
      ]);
      await appendEvents(c, before.history.length);
      return before;
    },
    list: async (f?: CaseFilter) => {
      const domains = f?.domains?.length ? f.domains : undefined;
      return paged(
        sql,
        'cases',
        new Where()
          .when(f?.state, 'state = ?', f?.state)
          .when(f?.open ? 1 : undefined, "state <> 'closed'")
          .when(f?.providerUscc, 'provider_uscc = ?', f?.providerUscc)
          .when(f?.within, withinRegion('region_code'), f?.within, f?.within)
          .when(domains, `domain ${inList(domains ?? [])}`, ...(domains ?? []))
          .when(f?.accountId, 'account_id = ?', f?.accountId),
        // Open cases first, the most urgent deadline first (false sorts before true in both stores).
        "state = 'closed', due_at, id",
        f,
        fromRow,
      );
    },
    history,
  };
}

export function residentRepository(sql: Sql): ResidentRepository {
  const fromRow = (r: Row) => ({
    userId: r.user_id as number,
    phone: r.phone as string,
    createdAt: r.created_at as string,
  });
  return {
    create: async (p) => {
      await sql.run('INSERT INTO resident_profiles (user_id, phone, created_at) VALUES (?, ?, ?)', [
        p.userId,
        p.phone,
        p.createdAt,
      ]);
    },
    get: async (userId) => {
      const row = await sql.get('SELECT * FROM resident_profiles WHERE user_id = ?', [userId]);
      return row ? fromRow(row) : null;
    },
    findByPhone: async (phone) => {
      const row = await sql.get('SELECT * FROM resident_profiles WHERE phone = ?', [phone]);
      return row ? fromRow(row) : null;
    },
  };
}

/** The four repositories of migration 5, for `repositories(sql)` in repositories.ts. */
export function supervisionCasesRepositories(sql: Sql): {
  residents: ResidentRepository;
  ratings: RatingRepository;
  complaints: ComplaintRepository;
  cases: CaseRepository;
} {
  return {
    residents: residentRepository(sql),
    ratings: ratingRepository(sql),
    complaints: complaintRepository(sql),
    cases: caseRepository(sql),
  };
}
