import type { Viewer } from '../policy/index.js';
import type { StoredPlan } from '../store/index.js';
import { measureFingerprint, targetFingerprint, unitFingerprint } from './corrections.js';
import type { Correction, CorrectedPlan } from './corrections.js';
import { unitNameEn } from './departments.js';
import { flattenMeasures } from './parse-plan.js';
import { planNote } from './warnings.js';
import { assignmentState, type Assignment } from './tracking.js';
import { isInternal } from './viewers.js';

/** How plans and assignments leave the server (GET /api/plans…, /api/assignments): the one place that says so. */

/** Corrections as a viewer sees them: who made each is internal (staff names), not for the public. */
export function presentCorrections(corrections: Correction[], viewer: Viewer) {
  return isInternal(viewer) ? corrections : corrections.map(({ author: _author, ...c }) => c);
}

/** A plan for the dashboard: corrections applied, fingerprints the correction form sends back, states. */
export function presentPlan(
  stored: StoredPlan,
  corrected: CorrectedPlan,
  corrections: Correction[],
  viewer: Viewer,
) {
  const { raw: _raw, ...meta } = stored;
  const internal = isInternal(viewer);
  return {
    ...meta,
    importedBy: internal ? meta.importedBy : null,
    plan: corrected.plan,
    corrections: presentCorrections(corrections, viewer),
    conflicts: corrected.conflicts,
    unitNamesEn: englishUnitNames(corrected),
    notes: corrected.plan.warnings.map(planNote),
    fingerprints: Object.fromEntries(
      flattenMeasures(corrected.plan.measures).map((m) => [
        m.id,
        {
          measure: measureFingerprint(m),
          units: Object.fromEntries(
            m.responsibilities.flatMap((r) => r.units).map((u) => [u.key, unitFingerprint(u)]),
          ),
          targets: Object.fromEntries(m.targets.map((t) => [t.id, targetFingerprint(t)])),
        },
      ]),
    ),
  };
}

/** The English names of the plan's known units (measures and the task table), by unit key. */
function englishUnitNames({ plan }: CorrectedPlan): Record<string, string> {
  const units = [
    ...flattenMeasures(plan.measures).flatMap((m) => m.responsibilities),
    ...(plan.table?.rows.map((row) => row.responsibility) ?? []),
  ].flatMap((r) => r.units);
  const names: Record<string, string> = {};
  for (const { key } of units) {
    const name = unitNameEn(key);
    if (name) names[key] = name;
  }
  return names;
}

export type AssignmentReports = Parameters<typeof assignmentState>[1];

/** An assignment with its computed state; `reports` are this assignment's own (grouped by the caller). */
export function presentAssignment(a: Assignment, reports: AssignmentReports, asOf: string) {
  const s = assignmentState(a, reports, asOf);
  return {
    ...a,
    departmentNameEn: unitNameEn(a.departmentKey),
    stage: s.stage,
    overdue: s.overdue,
    atRisk: s.atRisk,
    reasons: s.reasons,
    daysToDue: s.daysToDue,
    lastReport: s.lastReport,
    reports,
  };
}
