import { scopeOf, type Viewer } from '../policy/index.js';
import type { Actor as TrackingActor, Assignment } from './tracking.js';
import { normalizeUnit } from './units.js';

/**
 * How a platform account meets plan tracking: which assignments are its department's, and as whom the tracking
 * rules (src/plans/tracking.ts) see it. Who may call what is `PERMISSIONS` (src/policy); this is the department
 * match an assignment needs on top of it.
 */

/** Whether the viewer sees every assignment and every tracking detail: the policy's "covers everything" scope. */
export const seesAllTracking = (viewer: Viewer): boolean => scopeOf(viewer).kind === 'all';

/** Who worked on a plan (user names) is internal; the public and residents see the plan itself. */
export const isInternal = (viewer: Viewer): boolean => !['public', 'resident'].includes(viewer.role);

/**
 * The assignments that are the viewer's department's, as a store filter can select them: the user's department
 * equals the unit's normalised name (区民政局), or normalises to the same department key (区民政局 ≡ 西青区民政局
 * is NOT assumed: places differ); a district government's staff (department naming 政府) own the
 * `district:<regionCode>` assignments. Null: the viewer owns none (not staff, or no department).
 */
export function ownedDepartments(
  viewer: Viewer,
): { departmentName: string; departmentKeys: string[] } | null {
  if (viewer.role !== 'staff' || !viewer.department) return null;
  const departmentName = viewer.department.trim();
  const departmentKeys: string[] = [];
  if (viewer.regionCode !== null && /政府/.test(departmentName))
    departmentKeys.push(`district:${viewer.regionCode}`);
  const unit = normalizeUnit(departmentName, null);
  // A district key is owned by its government's staff only (above), never by a name that normalises to it.
  if (unit.status === 'known' && !unit.key.startsWith('district:')) departmentKeys.push(unit.key);
  return { departmentName, departmentKeys };
}

/** Whether an assignment is the viewer's department's (`ownedDepartments`). */
export function ownsAssignment(
  viewer: Viewer,
  a: Pick<Assignment, 'departmentKey' | 'departmentName'>,
): boolean {
  const owned = ownedDepartments(viewer);
  return (
    owned !== null &&
    (a.departmentName === owned.departmentName || owned.departmentKeys.includes(a.departmentKey))
  );
}

/** Who the plan domain sees: the administrator acts as the coordinator; staff as their department. */
export function trackingActor(viewer: Viewer, departmentKey: string | null): TrackingActor {
  if (viewer.role === 'administrator' || viewer.role === 'coordinator')
    return { role: 'coordinator', id: viewer.username };
  return {
    role: 'department',
    id: viewer.username,
    departmentKey: departmentKey ?? `user:${viewer.username}`,
  };
}
