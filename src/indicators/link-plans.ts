import type { ProgressReport, Target } from '../plans/index.js';
import { relativeGoal } from '../plans/index.js';
import type { Indicator } from './catalogue.js';
import type { IndicatorValue } from './compute.js';
import type { Observation, ProgressInput } from './progress.js';

/**
 * Glue between extracted targets, department reports and indicators: a confirmed link turns a target into the
 * inputs of `assessProgress`, and an accepted report with a value into an indicator value with provenance.
 */

/**
 * The target a progress assessment aims at. Relative targets (比2020年增加200人) are added to the baseline.
 * The deadline is 31 December of the target's year. Null when the target has no deadline year.
 */
export function targetGoal(
  target: Target,
  baseline: Observation,
): { value: number; deadline: string } | null {
  if (target.deadlineYear === null) return null;
  const amount = target.valueMax ?? target.value;
  const value = target.relative ? relativeGoal(target.relative, amount, baseline.value) : target.value;
  return { value, deadline: `${target.deadlineYear}-12-31` };
}

/** Inputs for `assessProgress` from a target confirmed as measuring `indicator`. */
export function progressInputFor(
  target: Target,
  indicator: Indicator,
  baseline: Observation,
  observations: Observation[],
  asOf: string,
): ProgressInput | null {
  const goal = targetGoal(target, baseline);
  return goal ? { direction: indicator.direction, baseline, target: goal, observations, asOf } : null;
}

/**
 * A reported indicator's value from a department's progress report: only reports the coordinator accepted, and
 * only when they carry a value. The report is the provenance.
 */
export function valueFromReport(report: ProgressReport, code: string, region: string): IndicatorValue | null {
  if (report.review?.decision !== 'accepted' || report.value === null) return null;
  return {
    code,
    region,
    date: report.submittedAt,
    value: report.value,
    provenance: {
      kind: 'report',
      reportId: report.id,
      department: report.departmentKey,
      reportedAt: report.review.reviewedAt,
    },
  };
}
