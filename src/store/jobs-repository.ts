import type { Job, JobChange, JobError, JobFilter, JobRepository } from './jobs-types.js';
import { pageOf } from './paging.js';
import type { Row, Sql } from './sql.js';

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
    runner: (r.runner as string | null) ?? null,
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

export function jobRepository(sql: Sql, now: () => string): JobRepository {
  const get = async (id: number): Promise<Job | null> => {
    const row = await sql.get('SELECT * FROM jobs WHERE id = ?', [id]);
    return row ? jobFromRow(row) : null;
  };
  return {
    async create(job) {
      const id = await sql.insertId(
        `INSERT INTO jobs (kind, title, status, created_by_id, created_by, created_at, runner, heartbeat_at,
                           input, context)
         VALUES (?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?)`,
        [
          job.kind,
          job.title,
          job.createdById,
          job.createdBy,
          now(),
          job.runner ?? null,
          job.runner ? (job.heartbeatAt ?? new Date().toISOString()) : null,
          job.queued ? json(job.queued.input) : null,
          job.queued ? json(job.queued.context) : null,
        ],
      );
      return (await get(id)) as Job;
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
      const total = (await sql.get<{ n: number }>(`SELECT count(*) AS n FROM jobs ${where}`, params))!.n;
      const rows = await sql.all(`SELECT * FROM jobs ${where} ORDER BY id DESC LIMIT ? OFFSET ?`, [
        ...params,
        limit,
        offset,
      ]);
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
      // An ended job's input goes: an import file may hold personal data, and nobody will run it again.
      if (change.finishedAt) sets.push('input = NULL', 'context = NULL');
      if (sets.length) await sql.run(`UPDATE jobs SET ${sets.join(', ')} WHERE id = ?`, [...params, id]);
      return get(id);
    },
    async endUnfinished(error, finishedAt, staleBefore) {
      return sql.run(
        `UPDATE jobs SET status = 'cancelled', error = ?, finished_at = ?
          WHERE status IN ('queued', 'running')
            AND NOT (runner IS NULL AND input IS NOT NULL)
            AND (CAST(? AS TEXT) IS NULL OR heartbeat_at IS NULL OR heartbeat_at < ?)`,
        [json(error), finishedAt || now(), staleBefore ?? null, staleBefore ?? null],
      );
    },
    async claim(runner, at) {
      const row = await sql.get(
        `UPDATE jobs SET status = 'running', runner = ?, heartbeat_at = ?, started_at = ?
          WHERE id = (SELECT id FROM jobs WHERE status = 'queued' AND runner IS NULL AND input IS NOT NULL
                       ORDER BY id LIMIT 1${sql.dialect.forUpdateSkipLocked})
        RETURNING *`,
        [runner, at, at],
      );
      return row ? { job: jobFromRow(row), input: parse(row.input), context: parse(row.context) } : null;
    },
    async cancelQueued(id, error, finishedAt) {
      const changed = await sql.run(
        `UPDATE jobs SET status = 'cancelled', error = ?, finished_at = ?, input = NULL, context = NULL
          WHERE id = ? AND status = 'queued' AND runner IS NULL`,
        [json(error), finishedAt, id],
      );
      return changed === 1;
    },
    async heartbeat(runner, at) {
      return sql.run(
        `UPDATE jobs SET heartbeat_at = ? WHERE runner = ? AND status IN ('queued', 'running')`,
        [at, runner],
      );
    },
  };
}
