import type {
  IndicatorProvenance,
  IndicatorRepository,
  StoredIndicatorTarget,
  StoredIndicatorValue,
  StoredScorecardConfig,
  TargetComparator,
  TargetSource,
} from './indicators-types.js';
import type { Row, Sql } from './sql.js';

const parse = <T>(text: unknown, fallback: T): T =>
  typeof text === 'string' ? (JSON.parse(text) as T) : fallback;

const valueFromRow = (r: Row): StoredIndicatorValue => ({
  id: r.id as number,
  indicatorCode: r.indicator_code as string,
  regionCode: r.region_code as string,
  date: r.date as string,
  value: (r.value as number | null) ?? null,
  numerator: (r.numerator as number | null) ?? null,
  denominator: (r.denominator as number | null) ?? null,
  missing: parse<string[]>(r.missing, []),
  provenance: parse<IndicatorProvenance>(r.provenance, { kind: 'analysis', runId: 0 }),
  recordedAt: r.recorded_at as string,
});

const targetFromRow = (r: Row): StoredIndicatorTarget => ({
  id: r.id as number,
  indicatorCode: r.indicator_code as string,
  regionCode: r.region_code as string,
  baselineValue: (r.baseline_value as number | null) ?? null,
  baselineDate: (r.baseline_date as string | null) ?? null,
  targetValue: r.target_value as number,
  comparator: r.comparator as TargetComparator,
  deadlineYear: r.deadline_year as number,
  source: parse<TargetSource | null>(r.source, null),
  confirmedBy: r.confirmed_by as string,
  confirmedAt: r.confirmed_at as string,
});

/** `WHERE` clauses for the optional filters, with their parameters in order. */
function where(filter: { indicatorCode?: string; regionCode?: string; runId?: number } = {}): {
  sql: string;
  params: unknown[];
} {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const add = (clause: string, value: unknown): void => {
    if (value === undefined) return;
    clauses.push(clause);
    params.push(value);
  };
  add('indicator_code = ?', filter.indicatorCode);
  add('region_code = ?', filter.regionCode);
  add('run_id = ?', filter.runId);
  return { sql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

/** The indicator tables of migration 4 (values, targets, scorecard configuration), in either store. */
export function indicatorRepository(sql: Sql, now: () => string): IndicatorRepository {
  const getTarget = async (id: number): Promise<StoredIndicatorTarget | null> => {
    const row = await sql.get('SELECT * FROM indicator_targets WHERE id = ?', [id]);
    return row ? targetFromRow(row) : null;
  };
  return {
    addValues: async (values) => {
      const at = now();
      for (const v of values)
        await sql.run(
          `INSERT INTO indicator_values
             (indicator_code, region_code, date, value, numerator, denominator, missing, provenance, run_id, recorded_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [
            v.indicatorCode,
            v.regionCode,
            v.date,
            v.value,
            v.numerator,
            v.denominator,
            JSON.stringify(v.missing),
            JSON.stringify(v.provenance),
            v.provenance.kind === 'analysis' ? v.provenance.runId : null,
            at,
          ],
        );
      return values.length;
    },
    listValues: async (filter = {}) => {
      const w = where(filter);
      const total = (await sql.get<{ n: number }>(
        `SELECT count(*) AS n FROM indicator_values ${w.sql}`,
        w.params,
      ))!.n;
      const limit = Math.min(Math.max(1, Math.trunc(filter.limit ?? 1000)), 5000);
      const offset = Math.max(0, Math.trunc(filter.offset ?? 0));
      const rows = await sql.all(
        `SELECT * FROM indicator_values ${w.sql} ORDER BY date DESC, id DESC LIMIT ? OFFSET ?`,
        [...w.params, limit, offset],
      );
      return { items: rows.map(valueFromRow), total };
    },
    latestValues: async (filter = {}) => {
      const w = where(filter);
      // The row with the greatest (date, id) per (indicator, region): a rerun on the same day supersedes.
      const rows = await sql.all(
        `SELECT v.* FROM indicator_values v
           JOIN (SELECT indicator_code, region_code,
                        max(date || '#' || ${sql.dialect.zeroPadded('id', 12)}) AS k
                   FROM indicator_values ${w.sql} GROUP BY indicator_code, region_code) m
             ON m.indicator_code = v.indicator_code AND m.region_code = v.region_code
            AND v.date || '#' || ${sql.dialect.zeroPadded('v.id', 12)} = m.k
         ORDER BY v.indicator_code, v.region_code`,
        w.params,
      );
      return rows.map(valueFromRow);
    },
    countForRun: async (runId) =>
      (await sql.get<{ n: number }>('SELECT count(*) AS n FROM indicator_values WHERE run_id = ?', [runId]))!
        .n,
    upsertTarget: async (t) => {
      const previous = await sql.get(
        'SELECT * FROM indicator_targets WHERE indicator_code = ? AND region_code = ? AND deadline_year = ?',
        [t.indicatorCode, t.regionCode, t.deadlineYear],
      );
      const inserted = await sql.insertId(
        `INSERT INTO indicator_targets (indicator_code, region_code, baseline_value, baseline_date, target_value,
           comparator, deadline_year, source, confirmed_by, confirmed_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (indicator_code, region_code, deadline_year) DO UPDATE SET
           baseline_value = excluded.baseline_value, baseline_date = excluded.baseline_date,
           target_value = excluded.target_value, comparator = excluded.comparator, source = excluded.source,
           confirmed_by = excluded.confirmed_by, confirmed_at = excluded.confirmed_at`,
        [
          t.indicatorCode,
          t.regionCode,
          t.baselineValue,
          t.baselineDate,
          t.targetValue,
          t.comparator,
          t.deadlineYear,
          t.source ? JSON.stringify(t.source) : null,
          t.confirmedBy,
          now(),
        ],
      );
      const id = previous ? (previous.id as number) : inserted;
      return {
        target: (await getTarget(id)) as StoredIndicatorTarget,
        before: previous ? targetFromRow(previous) : null,
      };
    },
    listTargets: async (filter = {}) => {
      const w = where(filter);
      return (
        await sql.all(
          `SELECT * FROM indicator_targets ${w.sql} ORDER BY indicator_code, region_code, deadline_year`,
          w.params,
        )
      ).map(targetFromRow);
    },
    targetPage: async (filter = {}) => {
      const w = where(filter);
      // The API's bounds (1–1000, default 50), as every paged list.
      const limit = Math.min(Math.max(1, Math.trunc(filter.limit ?? 50)), 1000);
      const offset = Math.max(0, Math.trunc(filter.offset ?? 0));
      const total = (await sql.get<{ n: number }>(
        `SELECT count(*) AS n FROM indicator_targets ${w.sql}`,
        w.params,
      ))!.n;
      const rows = await sql.all(
        `SELECT * FROM indicator_targets ${w.sql}
         ORDER BY indicator_code, region_code, deadline_year LIMIT ? OFFSET ?`,
        [...w.params, limit, offset],
      );
      return { items: rows.map(targetFromRow), total, limit, offset };
    },
    getTarget: async (id) => getTarget(id),
    scorecardConfig: async () => {
      const row = await sql.get('SELECT * FROM scorecard_config WHERE id = 1');
      return row ? configFromRow(row) : null;
    },
    setScorecardConfig: async (c) => {
      await sql.run(
        `INSERT INTO scorecard_config (id, indicator_weights, measure_weight, updated_by, updated_at)
         VALUES (1, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET indicator_weights = excluded.indicator_weights,
           measure_weight = excluded.measure_weight, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
        [JSON.stringify(c.indicatorWeights), c.measureWeight, c.updatedBy, now()],
      );
      return configFromRow((await sql.get('SELECT * FROM scorecard_config WHERE id = 1')) as Row);
    },
  };
}

const configFromRow = (r: Row): StoredScorecardConfig => ({
  indicatorWeights: parse<Record<string, number>>(r.indicator_weights, {}),
  measureWeight: r.measure_weight as number,
  updatedBy: r.updated_by as string,
  updatedAt: r.updated_at as string,
});
