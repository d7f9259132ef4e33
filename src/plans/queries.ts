import { LifeCircleError } from '../errors.js';
import type { Viewer } from '../policy/index.js';
import {
  DEFAULT_PAGE_LIMIT,
  type Page,
  type PageQuery,
  type Store,
  type StoredPlan,
  type TrackingFilter,
} from '../store/index.js';
import { applyCorrections } from './corrections.js';
import { unitNameEn } from './departments.js';
import { presentAssignment, presentPlan, type AssignmentReports } from './presenters.js';
import {
  assignmentState,
  measureStates,
  remindersByDepartment,
  type Reminder,
  type Stage,
} from './tracking.js';
import { isInternal, ownedDepartments, seesAllTracking } from './viewers.js';

/** Reads of plans and plan tracking, scoped to the viewer (a department sees its own assignments only). */

export async function loadPlan(store: Pick<Store, 'plans'>, id: string): Promise<StoredPlan> {
  const plan = await store.plans.getPlan(id);
  if (!plan) throw new LifeCircleError('LC_NOT_FOUND', `plan ${id} does not exist`);
  return plan;
}

/** One page of the imported plans, newest first; who imported them only for internal viewers. */
export async function listPlans(store: Store, viewer: Viewer, page: PageQuery = {}) {
  const found = await store.plans.planPage(page);
  return {
    ...found,
    items: found.items.map((p) => (isInternal(viewer) ? p : { ...p, importedBy: null })),
  };
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

/** The assignments a viewer may see, as a store filter: all for the coordinator, a department its own. */
function visibleFilter(viewer: Viewer): TrackingFilter {
  if (seesAllTracking(viewer)) return {};
  const owned = ownedDepartments(viewer);
  // Owning none: an empty key list selects nothing.
  return owned ? { ownedBy: owned } : { departmentKeys: [] };
}

/** Which open assignments to list by their state on the day asked: those needing attention, or one stage. */
export interface StateFilter {
  /** only those overdue or at risk */
  attention?: boolean;
  /** only those in this stage (not `done`: done work is not open) */
  stage?: Exclude<Stage, 'done'>;
}

/**
 * One page of the viewer's assignments with their state (overdue, at risk, done). Filtered by state (`attention`,
 * `stage`): the state is the tracking rules' decision on the day asked, so the open assignments (not done by
 * `asOf`, as for reminders) are read with their reports and the matching ones paged.
 */
export async function assignmentsWithState(
  store: Store,
  viewer: Viewer,
  planId: string | undefined,
  asOf: string,
  page: PageQuery = {},
  state: StateFilter = {},
) {
  const filter = { ...visibleFilter(viewer), ...(planId ? { planId } : {}) };
  if (state.attention || state.stage) {
    const open = { ...filter, openOn: asOf };
    const reportsOf = groupReports(await store.plans.reports(open));
    const flagged = (await store.plans.assignments(open))
      .map((a) => presentAssignment(a, reportsOf.get(a.id) ?? [], asOf))
      .filter(
        (a) => (!state.attention || a.overdue || a.atRisk) && (!state.stage || a.stage === state.stage),
      );
    const { limit = DEFAULT_PAGE_LIMIT, offset = 0 } = page;
    return { items: flagged.slice(offset, offset + limit), total: flagged.length, limit, offset };
  }
  const found = await store.plans.assignmentPage({ ...filter, ...page });
  // Only the reports of this page, grouped once: each state then reads its own reports (stays linear).
  const reportsOf = groupReports(
    found.items.length ? await store.plans.reports({ assignmentIds: found.items.map((a) => a.id) }) : [],
  );
  return {
    ...found,
    items: found.items.map((a) => presentAssignment(a, reportsOf.get(a.id) ?? [], asOf)),
  };
}

function groupReports(reports: AssignmentReports): Map<string, AssignmentReports> {
  const byAssignment = new Map<string, AssignmentReports>();
  for (const r of reports) byAssignment.set(r.assignmentId, [...(byAssignment.get(r.assignmentId) ?? []), r]);
  return byAssignment;
}

/**
 * One page of what each department must do now (departments with the most reminders first, overdue items first),
 * for the viewer's assignments. Whether an assignment is due a reminder is the tracking rules' decision
 * (src/plans/tracking.ts), so the store selects what can be: the open assignments (not done by `asOf`) and their
 * reports; done work, however much of it, is never read. The department groups are then paged.
 */
export async function remindersFor(
  store: Store,
  viewer: Viewer,
  asOf: string,
  page: PageQuery = {},
): Promise<
  Page<{ departmentKey: string; departmentName: string; departmentNameEn: string | null; items: Reminder[] }>
> {
  const open = { ...visibleFilter(viewer), openOn: asOf };
  const assignments = await store.plans.assignments(open);
  const reminders = remindersByDepartment(assignments, await store.plans.reports(open), asOf);
  const names = new Map(assignments.map((a) => [a.departmentKey, a.departmentName]));
  const groups = Object.entries(reminders)
    .map(([departmentKey, items]) => ({
      departmentKey,
      departmentName: names.get(departmentKey) ?? departmentKey,
      departmentNameEn: unitNameEn(departmentKey),
      items,
    }))
    .sort((x, y) => y.items.length - x.items.length || x.departmentName.localeCompare(y.departmentName));
  const { limit = DEFAULT_PAGE_LIMIT, offset = 0 } = page;
  return { items: groups.slice(offset, offset + limit), total: groups.length, limit, offset };
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
  const districtOnly = { departmentKeyPrefix: 'district:' };
  const assignments = await store.plans.assignments(districtOnly);
  const reports = await store.plans.reports(districtOnly);
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
