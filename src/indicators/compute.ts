import type { Indicator } from './catalogue.js';

/** Where a value came from: an analysis run (computed) or a department's report. */
export type Provenance =
  | { kind: 'analysis'; runId: string; computedAt: string }
  | { kind: 'report'; reportId: string; department: string; reportedAt: string };

export interface IndicatorValue {
  code: string;
  /** Region code (区划代码), e.g. 310115 for 浦东新区. */
  region: string;
  /** Date the value describes, YYYY-MM-DD. */
  date: string;
  value: number;
  provenance: Provenance;
}

/** Plain inputs from an analysis run, per region: counts, capacities and the population. */
export type AnalysisInputs = Record<string, number>;

export type ComputeResult = { ok: true; value: number } | { ok: false; missing: string[] };

/**
 * The value of a computed indicator from plain inputs, or which inputs are missing. Reported indicators have
 * no formula and always return missing: their values come from department reports.
 */
export function computeIndicator(indicator: Indicator, inputs: AnalysisInputs): ComputeResult {
  const f = indicator.formula;
  if (f.type === 'reported') return { ok: false, missing: ['(reported by a department)'] };
  const numerator = inputs[f.numerator];
  const denominator = inputs[f.denominator];
  const missing = [
    ...(Number.isFinite(numerator) ? [] : [f.numerator]),
    ...(Number.isFinite(denominator) && denominator > 0 ? [] : [f.denominator]),
  ];
  if (missing.length > 0) return { ok: false, missing };
  const ratio = numerator / denominator;
  return { ok: true, value: f.type === 'share' ? ratio * 100 : ratio * f.per };
}

/**
 * Recompute every computed indicator for the regions of an analysis run. Values carry the run as provenance, so
 * rerunning the analysis gives a fresh set that replaces the previous run's values (see `latestValues`).
 */
export function computeAll(
  indicators: Indicator[],
  inputsByRegion: Record<string, AnalysisInputs>,
  run: { runId: string; date: string; computedAt: string },
): { values: IndicatorValue[]; missing: { code: string; region: string; inputs: string[] }[] } {
  const values: IndicatorValue[] = [];
  const missing: { code: string; region: string; inputs: string[] }[] = [];
  for (const indicator of indicators.filter((i) => i.kind === 'computed'))
    for (const [region, inputs] of Object.entries(inputsByRegion)) {
      const result = computeIndicator(indicator, inputs);
      if (result.ok)
        values.push({
          code: indicator.code,
          region,
          date: run.date,
          value: result.value,
          provenance: { kind: 'analysis', runId: run.runId, computedAt: run.computedAt },
        });
      else missing.push({ code: indicator.code, region, inputs: result.missing });
    }
  return { values, missing };
}

function recordedAt(p: Provenance): string {
  return p.kind === 'analysis' ? p.computedAt : p.reportedAt;
}

/**
 * The current value per (indicator, region, date): a later analysis run or report supersedes an earlier one for
 * the same date, so a rerun updates the board without deleting history.
 */
export function latestValues(values: IndicatorValue[]): IndicatorValue[] {
  const best = new Map<string, IndicatorValue>();
  for (const v of values) {
    const key = `${v.code}|${v.region}|${v.date}`;
    const known = best.get(key);
    if (!known || recordedAt(v.provenance) > recordedAt(known.provenance)) best.set(key, v);
  }
  return [...best.values()].sort((a, b) =>
    (a.code + a.region + a.date).localeCompare(b.code + b.region + b.date),
  );
}
