import { LifeCircleError } from '../errors.js';
import type { Viewer } from '../policy/index.js';
import type { Store, StoredPlan } from '../store/index.js';
import { applyCorrections } from './corrections.js';
import { presentAssignment, presentPlan, type AssignmentReports } from './presenters.js';
import { assignmentState, measureStates, remindersByDepartment, type Assignment } from './tracking.js';
import { isInternal, ownsAssignment, seesAllTracking } from './viewers.js';

/** Reads of plans and plan tracking, scoped to the viewer (a department sees its own assignments only). */

export async function loadPlan(store: Pick<Store, 'plans'>, id: string): Promise<StoredPlan> {
  const plan = await store.plans.getPlan(id);
  if (!plan) throw new LifeCircleError('LC_NOT_FOUND', `plan ${id} does not exist`);
  return plan;
}

/** Imported plans, newest first; who imported them only for internal viewers. */
export async function listPlans(store: Store, viewer: Viewer) {
  return (await store.plans.listPlans()).map((p) => (isInternal(viewer) ? p : { ...p, importedBy: null }));
}

/** One plan with its corrections applied; measure states for the viewers who see all tracking. */
export async function planDetail(store: Store, viewer: Viewer, id: string, asOf: string) {
  const stored = await loadPlan(store, id);
  const corrections = await store.plans.corrections(stored.id);
  const corrected = applyCorrections(stored.raw, corrections);
  const states = seesAllTracking(viewer)
    ? measureStates(
        corrected.plan,
        await store.plans.assignments({ planId: stored.id }),
        await store.plans.reports({ planId: stored.id }),
        asOf,
      )
    : [];
  return { ...presentPlan(stored, corrected, corrections, viewer), measureStates: states };
}

/** Corrections of a plan, oldest first, and any that no longer apply. */
export async function planCorrections(store: Store, id: string) {
  const stored = await loadPlan(store, id);
  const corrections = await store.plans.corrections(stored.id);
  return { corrections, conflicts: applyCorrections(stored.raw, corrections).conflicts };
}

/** The assignments this viewer may see (a department its own, the coordinator all). */
export async function visibleTo(store: Store, viewer: Viewer, planId?: string): Promise<Assignment[]> {
  const all = await store.plans.assignments(planId ? { planId } : undefined);
  return seesAllTracking(viewer) ? all : all.filter((a) => ownsAssignment(viewer, a));
}

/** The viewer's assignments with their state (overdue, at risk, done). */
export async function assignmentsWithState(
  store: Store,
  viewer: Viewer,
  planId: string | undefined,
  asOf: string,
) {
  const assignments = await visibleTo(store, viewer, planId);
  const reports = await store.plans.reports(planId ? { planId } : undefined);
  // Grouped once: the state of each assignment then reads its own reports only (2,000 × n stays linear).
  const byAssignment = new Map<string, AssignmentReports>();
  for (const r of reports) byAssignment.set(r.assignmentId, [...(byAssignment.get(r.assignmentId) ?? []), r]);
  return assignments.map((a) => presentAssignment(a, byAssignment.get(a.id) ?? [], asOf));
}

/** What each department must do now (overdue first), for the viewer's assignments. */
export async function remindersFor(store: Store, viewer: Viewer, asOf: string) {
  const assignments = await visibleTo(store, viewer);
  const reminders = remindersByDepartment(assignments, await store.plans.reports(), asOf);
  const names = new Map(assignments.map((a) => [a.departmentKey, a.departmentName]));
  return Object.entries(reminders)
    .map(([departmentKey, items]) => ({
      departmentKey,
      departmentName: names.get(departmentKey) ?? departmentKey,
      items,
    }))
    .sort((x, y) => y.items.length - x.items.length || x.departmentName.localeCompare(y.departmentName));
}

export interface DistrictCompletion {
  regionCode: string;
  regionName: string;
  assignments: number;
  accepted: number;
  share: number | null;
}

/**
 * Per district, the district-level assignments (各区政府 expanded per district) and how many are done. With a
 * city code every district of the city is listed, also those without assignments.
 */
export async function completionByDistrict(
  store: Store,
  asOf: string,
  cityCode: string | null,
): Promise<DistrictCompletion[]> {
  const assignments = (await store.plans.assignments()).filter((a) =>
    a.departmentKey.startsWith('district:'),
  );
  const reports = await store.plans.reports();
  const byRegion = new Map<string, { name: string; total: number; done: number }>();
  if (cityCode)
    for (const d of (await store.regions.list({ level: 'district', within: cityCode, limit: 1000 })).items)
      byRegion.set(d.code, { name: d.name, total: 0, done: 0 });
  for (const a of assignments) {
    const code = a.departmentKey.slice('district:'.length);
    const row = byRegion.get(code) ?? { name: a.departmentName, total: 0, done: 0 };
    row.total++;
    if (assignmentState(a, reports, asOf).stage === 'done') row.done++;
    byRegion.set(code, row);
  }
  return [...byRegion].map(([regionCode, r]) => ({
    regionCode,
    regionName: r.name,
    assignments: r.total,
    accepted: r.done,
    share: r.total ? r.done / r.total : null,
  }));
}

/**
 * Share of the district-level assignments that are done, per district code; districts without such assignments
 * are left out. Plan tracking's input to the district scorecard (src/indicators).
 */
export async function measureCompletionByRegion(store: Store, asOf: string): Promise<Map<string, number>> {
  const rows = await completionByDistrict(store, asOf, null);
  return new Map(rows.filter((r) => r.assignments > 0).map((r) => [r.regionCode, r.share ?? 0]));
}
