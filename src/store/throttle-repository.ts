import type { Sql } from './sql.js';
import type {
  LoginFailureRepository,
  LoginFailures,
  RequestCounterRepository,
  RequestWindow,
} from './throttle-types.js';

export function requestCounterRepository(sql: Sql): RequestCounterRepository {
  return {
    async hit(key, windowMs, nowMs) {
      // Both engines evaluate every SET expression on the row as it was: the CASEs agree on whether it ended.
      const row = await sql.get<{ hits: number; started_ms: number }>(
        `INSERT INTO request_windows (key, hits, started_ms) VALUES (?, 1, ?)
         ON CONFLICT (key) DO UPDATE SET
           hits = CASE WHEN request_windows.started_ms + ? <= ? THEN 1 ELSE request_windows.hits + 1 END,
           started_ms = CASE WHEN request_windows.started_ms + ? <= ? THEN ? ELSE request_windows.started_ms END
         RETURNING hits, started_ms`,
        [key, nowMs, windowMs, nowMs, windowMs, nowMs, nowMs],
      );
      return { hits: Number(row!.hits), startedMs: Number(row!.started_ms) };
    },
    async read(key, windowMs, nowMs) {
      const row = await sql.get<{ hits: number; started_ms: number }>(
        'SELECT hits, started_ms FROM request_windows WHERE key = ? AND started_ms + ? > ?',
        [key, windowMs, nowMs],
      );
      return row
        ? ({ hits: Number(row.hits), startedMs: Number(row.started_ms) } satisfies RequestWindow)
        : null;
    },
    prune: (beforeMs) => sql.run('DELETE FROM request_windows WHERE started_ms < ?', [beforeMs]),
  };
}

/** The name's count from anywhere is the row with client ''. */
const ANYWHERE = '';

export function loginFailureRepository(sql: Sql): LoginFailureRepository {
  return {
    async counts(username, client, sinceMs) {
      const rows = await sql.all<{ client: string; failures: number; last_ms: number }>(
        `SELECT client, failures, last_ms FROM login_failures
          WHERE username = ? AND client IN (?, ?) AND last_ms >= ?`,
        [username, client, ANYWHERE, sinceMs],
      );
      return rows.map((r): LoginFailures => ({
        client: r.client === ANYWHERE ? null : r.client,
        failures: Number(r.failures),
        lastMs: Number(r.last_ms),
      }));
    },
    async fail(username, client, nowMs, sinceMs) {
      await sql.run('DELETE FROM login_failures WHERE last_ms < ?', [sinceMs]);
      for (const who of [client, ANYWHERE])
        await sql.run(
          `INSERT INTO login_failures (username, client, failures, last_ms) VALUES (?, ?, 1, ?)
           ON CONFLICT (username, client) DO UPDATE SET
             failures = CASE WHEN login_failures.last_ms < ? THEN 1 ELSE login_failures.failures + 1 END,
             last_ms = ?`,
          [username, who, nowMs, sinceMs, nowMs],
        );
    },
    async clearClient(username, client) {
      await sql.run('DELETE FROM login_failures WHERE username = ? AND client = ?', [username, client]);
    },
    clearName: (username) => sql.run('DELETE FROM login_failures WHERE username = ?', [username]),
  };
}
