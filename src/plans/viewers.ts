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
 * Whether an assignment is the viewer's department's: the user's department equals the unit's normalised name
 * (区民政局), or normalises to the same department key (区民政局 ≡ 西青区民政局 is NOT assumed: places differ);
 * a district government's staff (department naming 政府) own the `district:<regionCode>` assignments.
 */
export function ownsAssignment(
  viewer: Viewer,
  a: Pick<Assignment, 'departmentKey' | 'departmentName'>,
): boolean {
  if (viewer.role !== 'staff' || !viewer.department) return false;
  const department = viewer.department.trim();
  if (a.departmentName === department) return true;
  if (a.departmentKey.startsWith('district:'))
    return (
      viewer.regionCode !== null &&
      a.departmentKey === `district:${viewer.regionCode}` &&
      /政府/.test(department)
    );
  const unit = normalizeUnit(department, null);
  return unit.status === 'known' && unit.key === a.departmentKey;
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
