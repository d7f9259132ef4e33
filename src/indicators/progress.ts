import type { Direction, SourceNote } from './catalogue.js';

/**
 * Progress of an indicator against its target: the straight trajectory from baseline to target, the ratio of
 * actual to expected progress, a status and early warnings.
 */

export interface ProgressThresholds {
  /** Actual progress ≥ this share of the progress expected by now: on track. */
  onTrackRatio: number;
  /** Between this and onTrackRatio: at risk; below it: off track. */
  atRiskRatio: number;
  /** Warn when the deadline is this near and the target is not met. */
  deadlineWarningDays: number;
  /** Warn when the latest value is older than this. */
  staleAfterDays: number;
  source: SourceNote;
}

/**
 * Defaults. No Chinese standard sets these (the seed plans ask for 监测评价 and 预警 without numbers), so they
 * are LifeCircle's working values: the ratio of actual to required progress is the method of the UN SDG Progress
 * Chart; 0.95 and 0.5 are our cut-offs; a quarter (90 days) before the deadline matches quarterly 调度; a value
 * older than a year misses one annual statistical cycle. Each city configures its own.
 */
export const DEFAULT_PROGRESS_THRESHOLDS: ProgressThresholds = {
  onTrackRatio: 0.95,
  atRiskRatio: 0.5,
  deadlineWarningDays: 90,
  staleAfterDays: 365,
  source: {
    // Described in docs/plans-and-indicators.md §Progress.
    document: 'LifeCircle 工作默认值；方法参照联合国可持续发展目标进展图',
    documentEn: 'LifeCircle working defaults; method after the UN SDG Progress Chart',
    clause: '—',
    verified: false,
  },
};

export interface Observation {
  date: string;
  value: number;
}

export interface ProgressInput {
  direction: Direction;
  baseline: Observation;
  target: { value: number; deadline: string };
  /** Observations after the baseline, any order. */
  observations: Observation[];
  /** The day to assess, YYYY-MM-DD. */
  asOf: string;
}

export type ProgressStatus = 'achieved' | 'on-track' | 'at-risk' | 'off-track' | 'no-data';

export type WarningKind =
  'behind-trajectory' | 'deadline-near' | 'deadline-missed' | 'regressing' | 'stale-data';

export interface EarlyWarning {
  kind: WarningKind;
  message: string;
  /** The same in Chinese, for the dashboard's first language and reports to leaders. */
  messageZh: string;
}

export interface ProgressAssessment {
  status: ProgressStatus;
  latest: Observation | null;
  /** Value the straight trajectory expects at the latest observation's date. */
  expected: number | null;
  /** (latest − baseline) ÷ (expected − baseline); 1 means exactly on the trajectory. */
  ratio: number | null;
  /** Share of the way from baseline to target, 0..1 (can exceed 1 or go below 0). */
  achieved: number | null;
  warnings: EarlyWarning[];
}

const DAY = 86_400_000;

function dayNumber(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) / DAY;
}

/** The straight trajectory: baseline at its date, target at the deadline, linear between, flat after. */
export function trajectoryValue(
  baseline: Observation,
  target: { value: number; deadline: string },
  date: string,
): number {
  const t0 = dayNumber(baseline.date);
  const t1 = dayNumber(target.deadline);
  const t = dayNumber(date);
  if (t1 <= t0 || t >= t1) return target.value;
  if (t <= t0) return baseline.value;
  return baseline.value + ((target.value - baseline.value) * (t - t0)) / (t1 - t0);
}

export interface ChartPoint {
  date: string;
  /** The straight trajectory's value on that date. */
  expected: number;
  /** The observed value, when one was reported that day. */
  actual: number | null;
}

/**
 * Points for the indicator board's chart (value vs target trajectory): the baseline, every observation and the
 * deadline, in date order, each with the trajectory's value.
 */
export function chartPoints(
  baseline: Observation,
  target: { value: number; deadline: string },
  observations: Observation[],
): ChartPoint[] {
  const byDate = new Map<string, number | null>([[baseline.date, baseline.value]]);
  for (const o of observations) byDate.set(o.date, o.value);
  if (!byDate.has(target.deadline)) byDate.set(target.deadline, null);
  return [...byDate.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([date, actual]) => ({ date, expected: trajectoryValue(baseline, target, date), actual }));
}

/** Assess progress. Pure: the same inputs and asOf always give the same result. */
export function assessProgress(
  input: ProgressInput,
  thresholds: ProgressThresholds = DEFAULT_PROGRESS_THRESHOLDS,
): ProgressAssessment {
  const sign = input.direction === 'higher-is-better' ? 1 : -1;
  const upTo = input.observations
    .filter((o) => o.date <= input.asOf)
    .sort((a, b) => a.date.localeCompare(b.date));
  const latest = upTo[upTo.length - 1] ?? null;
  const previous = upTo[upTo.length - 2] ?? null;
  const warnings: EarlyWarning[] = [];
  const { baseline, target } = input;
  const daysLeft = dayNumber(target.deadline) - dayNumber(input.asOf);
  if (!latest) {
    if (daysLeft < 0)
      warnings.push({
        kind: 'deadline-missed',
        message: `no value reported and the deadline ${target.deadline} passed`,
        messageZh: `截至期限 ${target.deadline} 仍无数据`,
      });
    return { status: 'no-data', latest, expected: null, ratio: null, achieved: null, warnings };
  }
  const span = target.value - baseline.value;
  const achieved =
    span === 0 ? (sign * (latest.value - target.value) >= 0 ? 1 : 0) : (latest.value - baseline.value) / span;
  const met = sign * (latest.value - target.value) >= 0;
  const expected = trajectoryValue(baseline, target, latest.date);
  const required = expected - baseline.value;
  const ratio = required === 0 ? null : (latest.value - baseline.value) / required;
  let status: ProgressStatus;
  if (met) status = 'achieved';
  else if (ratio === null || ratio >= thresholds.onTrackRatio) status = 'on-track';
  else if (ratio >= thresholds.atRiskRatio) status = 'at-risk';
  else status = 'off-track';

  if (status === 'at-risk' || status === 'off-track')
    warnings.push({
      kind: 'behind-trajectory',
      message: `${round(latest.value)} on ${latest.date} is ${Math.round((ratio ?? 0) * 100)}% of the progress the trajectory expects (${round(expected)})`,
      messageZh: `${latest.date} 的值 ${round(latest.value)} 仅达到目标轨迹应有进度（${round(expected)}）的 ${Math.round((ratio ?? 0) * 100)}%`,
    });
  if (!met && daysLeft < 0)
    warnings.push({
      kind: 'deadline-missed',
      message: `target ${target.value} not met by the deadline ${target.deadline}`,
      messageZh: `期限 ${target.deadline} 已过，未达到目标 ${target.value}`,
    });
  else if (!met && daysLeft <= thresholds.deadlineWarningDays)
    warnings.push({
      kind: 'deadline-near',
      message: `${Math.ceil(daysLeft)} days to the deadline ${target.deadline}; ${round(Math.abs(target.value - latest.value))} still to go`,
      messageZh: `距期限 ${target.deadline} 还有 ${Math.ceil(daysLeft)} 天，尚差 ${round(Math.abs(target.value - latest.value))}`,
    });
  if (previous && sign * (latest.value - previous.value) < 0)
    warnings.push({
      kind: 'regressing',
      message: `fell from ${round(previous.value)} (${previous.date}) to ${round(latest.value)} (${latest.date})`,
      messageZh: `由 ${round(previous.value)}（${previous.date}）降至 ${round(latest.value)}（${latest.date}）`,
    });
  if (dayNumber(input.asOf) - dayNumber(latest.date) > thresholds.staleAfterDays)
    warnings.push({
      kind: 'stale-data',
      message: `latest value is from ${latest.date}`,
      messageZh: `最新数据停留在 ${latest.date}`,
    });
  return { status, latest, expected, ratio, achieved, warnings };
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
