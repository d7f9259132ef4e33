import type Database from 'better-sqlite3';
import type { Job, JobChange, JobError, JobFilter, JobRepository } from './jobs-types.js';
import { pageOf } from './paging.js';

type Db = Database.Database;
type Row = Record<string, unknown>;

const json = (value: unknown): string => JSON.stringify(value ?? null);
const parse = <T>(text: unknown): T => JSON.parse(String(text)) as T;

function jobFromRow(r: Row): Job {
  return {
    id: r.id as number,
    kind: r.kind as string,
    title: r.title as string,
    status: r.status as Job['status'],
    createdById: (r.created_by_id as number | null) ?? null,
    createdBy: r.created_by as string,
    progress: { phase: (r.phase as string | null) ?? null, done: r.done as number, total: r.total as number },
    result: r.result === null ? null : parse(r.result),
    error: r.error === null ? null : parse<JobError>(r.error),
    cancelledBy: (r.cancelled_by as string | null) ?? null,
    createdAt: r.created_at as string,
    startedAt: (r.started_at as string | null) ?? null,
    finishedAt: (r.finished_at as string | null) ?? null,
  };
}

/** Column of each changeable field; progress spreads over three. */
const COLUMNS: Record<Exclude<keyof JobChange, 'progress'>, [string, (v: unknown) => unknown]> = {
  status: ['status', (v) => v],
  result: ['result', json],
  error: ['error', json],
  cancelledBy: ['cancelled_by', (v) => v],
  startedAt: ['started_at', (v) => v],
  finishedAt: ['finished_at', (v) => v],
};

export function jobRepository(db: Db, now: () => string): JobRepository {
  const get = (id: number): Job | null => {
    const row = db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as Row | undefined;
    return row ? jobFromRow(row) : null;
  };
  return {
    async create(job) {
      const info = db
        .prepare(
          `INSERT INTO jobs (kind, title, status, created_by_id, created_by, created_at)
           VALUES (?, ?, 'queued', ?, ?, ?)`,
        )
        .run(job.kind, job.title, job.createdById, job.createdBy, now());
      return get(Number(info.lastInsertRowid)) as Job;
    },
    async get(id) {
      return get(id);
    },
    async list(filter: JobFilter = {}) {
      const clauses: string[] = [];
      const params: unknown[] = [];
      const when = (value: unknown, clause: string) => {
        if (value === undefined || value === '') return;
        clauses.push(clause);
        params.push(value);
      };
      when(filter.createdById, 'created_by_id = ?');
      when(filter.status, 'status = ?');
      when(filter.kind, 'kind = ?');
      const where = clauses.length ? `WHERE ${clauses.join(' AND ')}` : '';
      const { limit, offset } = pageOf(filter);
      const total = (db.prepare(`SELECT count(*) AS n FROM jobs ${where}`).get(...params) as { n: number }).n;
      const rows = db
        .prepare(`SELECT * FROM jobs ${where} ORDER BY id DESC LIMIT ? OFFSET ?`)
        .all(...params, limit, offset) as Row[];
      return { items: rows.map(jobFromRow), total, limit, offset };
    },
    async update(id, change) {
      const sets: string[] = [];
      const params: unknown[] = [];
      for (const [field, value] of Object.entries(change)) {
        if (value === undefined) continue;
        if (field === 'progress') {
          const p = value as Job['progress'];
          sets.push('phase = ?', 'done = ?', 'total = ?');
          params.push(p.phase, p.done, p.total);
          continue;
        }
        const [column, encode] = COLUMNS[field as keyof typeof COLUMNS];
        sets.push(`${column} = ?`);
        params.push(encode(value));
      }
      if (sets.length) db.prepare(`UPDATE jobs SET ${sets.join(', ')} WHERE id = ?`).run(...params, id);
      return get(id);
    },
    async endUnfinished(error, finishedAt) {
      return db
        .prepare(
          `UPDATE jobs SET status = 'cancelled', error = ?, finished_at = ?
            WHERE status IN ('queued', 'running')`,
        )
        .run(json(error), finishedAt || now()).changes;
    },
  };
}
