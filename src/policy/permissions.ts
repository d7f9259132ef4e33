import { LifeCircleError } from '../errors.js';
import type { Community, Facility, FacilityType, Provider, Role, User } from '../store/index.js';
import type { RegisterEntity, RegisterRecord } from '../registry/index.js';

const ALL: readonly Role[] = [
  'administrator',
  'coordinator',
  'staff',
  'inspector',
  'provider',
  'resident',
  'public',
];

/**
 * Which roles may do what: every API route names one of these actions and the server refuses to start if a
 * route under /api/ does not (STYLE habit 13, Decidim-style "nothing allowed unless listed").
 * Record scope (a department's region and domains, a provider's own outlets, a resident's own records) is the one
 * rule of `scopeProblem` below; lists use the same rule as a filter (`scopeOf`).
 */
export const PERMISSIONS = {
  'meta.read': ALL,
  'session.manage': ALL,
  'registry.read': ALL,
  'registry.write.communities': ['administrator', 'staff'],
  'registry.write.facilities': ['administrator', 'staff', 'provider'],
  'registry.write.providers': ['administrator', 'staff'],
  'registry.import': ['administrator', 'staff'],
  'registry.write.types': ['administrator'],
  'registry.write.regions': ['administrator'],
  // Setting up a city (src/cities) loads its division codes and bounds what every import accepts.
  'cities.manage': ['administrator'],
  'users.manage': ['administrator'],
  'audit.read': ['administrator'],
  'analysis.read': ALL,
  'analysis.run': ['administrator', 'staff'],
  'map.read': ALL,
  // Siting and what-if are CPU work on request: for planners, not the anonymous public.
  'planning.use': ['administrator', 'coordinator', 'staff'],
  // 好差评 (route-cases.ts): residents rate and complain, staff enter what residents said by phone or at the counter.
  'residents.register': ALL,
  'ratings.read': ALL,
  'ratings.create': ['resident', 'staff'],
  'ratings.moderate': ['administrator', 'staff'],
  'complaints.create': ['resident', 'staff'],
  // Scope inside: staff their region and domains, providers their outlets, residents their own cases.
  'cases.read': ['administrator', 'staff', 'provider', 'resident'],
  'cases.act': ['administrator', 'staff', 'provider', 'resident'],
  // Indicator values and targets are public statistics (政务公开); the district scorecard is an internal assessment.
  'indicators.read': ALL,
  'indicators.report': ['administrator', 'staff'],
  'indicators.target': ['administrator', 'coordinator'],
  'scorecard.read': ['administrator', 'coordinator', 'staff', 'inspector'],
  'scorecard.configure': ['administrator', 'coordinator'],
  // Credit, 双随机 inspections, 普惠 certification (route-credit.ts). Providers read only their own credit.
  'credit.read': ['administrator', 'coordinator', 'staff', 'inspector', 'provider'],
  'credit.write': ['administrator', 'staff', 'inspector'],
  'inspections.read': ALL,
  'inspections.draw': ['administrator', 'staff'],
  // A city's own 双随机 sampling rule (staff covering the whole city).
  'inspections.configure': ['administrator', 'staff'],
  'inspections.record': ['inspector'],
  'certification.read': ['administrator', 'coordinator', 'staff', 'inspector', 'provider'],
  'certification.apply': ['provider'],
  'certification.review': ['administrator', 'staff'],
  'disclosure.read': ALL,
  // Published plans are public documents; tracking (assignments, reports, reminders) is internal.
  'plans.read': ALL,
  'plans.import': ['administrator', 'coordinator'],
  'plans.correct': ['administrator', 'coordinator', 'staff'],
  'plans.assign': ['administrator', 'coordinator'],
  'plans.track': ['administrator', 'coordinator', 'staff'],
  'plans.report': ['staff'],
  'plans.review': ['administrator', 'coordinator'],
  // Jobs (src/jobs): whoever may start long work follows it; the scope is one's own jobs (administrators: all).
  'jobs.read': ['administrator', 'coordinator', 'staff'],
  'jobs.cancel': ['administrator', 'coordinator', 'staff'],
  // Monitoring reports (src/reports): the offices that plan and evaluate, staff for areas inside their region. Not
  // the public: a report is CPU work on request and an audited office document; its figures are public already
  // (GET /api/map/coverage), and it holds nothing personal, so an office may publish one as it is.
  'reports.generate': ['administrator', 'coordinator', 'staff'],
  'reports.read': ['administrator', 'coordinator', 'staff'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

/** The person behind a request; anonymous requests act as the public role. */
export type Viewer = Pick<
  User,
  'id' | 'username' | 'displayName' | 'role' | 'department' | 'domains' | 'regionCode' | 'providerUscc'
>;

export const PUBLIC_VIEWER: Viewer = {
  id: 0,
  username: 'public',
  displayName: '公众',
  role: 'public',
  department: null,
  domains: [],
  regionCode: null,
  providerUscc: null,
};

export function allowed(viewer: Viewer, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(viewer.role);
}

/**
 * Refuses a viewer whose role may not do this: LC_AUTH_REQUIRED for the public (log in first), LC_FORBIDDEN
 * otherwise. `details.permission` names the action, which tells a role refusal from a record-scope refusal.
 */
export function requirePermission(viewer: Viewer, permission: Permission, what?: string): void {
  if (allowed(viewer, permission)) return;
  const details = { permission };
  if (viewer.role === 'public')
    throw new LifeCircleError('LC_AUTH_REQUIRED', `${what ?? permission} needs a login (${permission})`, {
      details,
    });
  throw new LifeCircleError('LC_FORBIDDEN', `the ${viewer.role} role may not ${permission}`, { details });
}

/** Roles that see personal data (contact names and phones) of every record. */
const SEES_PERSONAL: readonly Role[] = ['administrator', 'staff', 'inspector'];

/** Whether this viewer may see the personal fields of this record (a provider sees its own). */
export function seesPersonalData(viewer: Viewer, entity: RegisterEntity, record: RegisterRecord): boolean {
  if (SEES_PERSONAL.includes(viewer.role)) return true;
  if (viewer.role !== 'provider' || !viewer.providerUscc) return false;
  if (entity === 'providers') return (record as Provider).uscc === viewer.providerUscc;
  if (entity === 'facilities') return (record as Facility).providerUscc === viewer.providerUscc;
  return false;
}

/**
 * What a record is, as far as scope goes: where it is, which service domains it serves, who operates it, whose it
 * is. `domains` left out: the record is not bound to a domain (a community, a provider that declares none); an
 * empty list: bound to a domain nobody knows (a facility of an unknown type), which no domain-bound viewer covers.
 */
export interface ScopedRecord {
  /** How to name the record in a refusal, e.g. "outlet F1" or "provider 9144…". */
  label: string;
  regionCode: string | null;
  domains?: readonly string[];
  providerUscc?: string | null;
  /** The resident account the record belongs to (a resident's own rating or case). */
  ownerId?: number | null;
}

/**
 * The one scope rule: why this viewer does not cover this record, or null when it does.
 * - administrators and coordinators (统筹协调) cover everything their role may touch;
 * - staff and inspectors cover their region (division codes nest by prefix) and, when they have domains, records
 *   of those domains;
 * - providers cover what they operate; residents what is theirs; the public nothing.
 * The role check (`requirePermission`) comes first: covering a record gives no action the role lacks.
 */
export function scopeProblem(viewer: Viewer, record: ScopedRecord): string | null {
  const who = viewer.department ?? viewer.displayName ?? viewer.role;
  switch (viewer.role) {
    case 'administrator':
    case 'coordinator':
      return null;
    case 'staff':
    case 'inspector':
      if (viewer.regionCode && !(record.regionCode ?? '').startsWith(viewer.regionCode))
        return `${who} acts in region ${viewer.regionCode}; ${record.label} is in ${record.regionCode ?? 'no region'}`;
      if (
        viewer.domains.length &&
        record.domains &&
        !record.domains.some((d) => viewer.domains.includes(d as never))
      )
        return `${who} is responsible for ${viewer.domains.join(', ')}, not ${record.domains.join(', ') || 'an unknown domain'} (${record.label})`;
      return null;
    case 'provider':
      return viewer.providerUscc && record.providerUscc === viewer.providerUscc
        ? null
        : `${record.label} is not operated by provider ${viewer.providerUscc ?? '(none)'}`;
    case 'resident':
      return record.ownerId != null && record.ownerId === viewer.id ? null : `${record.label} is not yours`;
    default:
      return `the ${viewer.role} role covers no records`;
  }
}

export const covers = (viewer: Viewer, record: ScopedRecord): boolean =>
  scopeProblem(viewer, record) === null;

/** Throws LC_FORBIDDEN naming why, when the viewer does not cover the record. */
export function requireCovers(viewer: Viewer, record: ScopedRecord): void {
  const problem = scopeProblem(viewer, record);
  if (problem) throw new LifeCircleError('LC_FORBIDDEN', problem);
}

/**
 * The same rule as a query filter, for lists: the store returns only what the viewer covers. `all` for
 * administrators and coordinators; `none` for the public; otherwise the constraints that apply.
 */
export type ViewerScope =
  | { kind: 'all' }
  | { kind: 'none' }
  | {
      kind: 'limited';
      /** Division-code prefix the records' region must start with. */
      regionPrefix: string | null;
      /** Service domains a record must serve (null: any). */
      domains: readonly string[] | null;
      /** The provider whose records these are. */
      providerUscc: string | null;
      /** The resident account whose records these are. */
      ownerId: number | null;
    };

export function scopeOf(viewer: Viewer): ViewerScope {
  switch (viewer.role) {
    case 'administrator':
    case 'coordinator':
      return { kind: 'all' };
    case 'staff':
    case 'inspector':
      return {
        kind: 'limited',
        regionPrefix: viewer.regionCode,
        domains: viewer.domains.length ? [...viewer.domains] : null,
        providerUscc: null,
        ownerId: null,
      };
    case 'provider':
      return {
        kind: 'limited',
        regionPrefix: null,
        domains: null,
        providerUscc: viewer.providerUscc ?? '(none)',
        ownerId: null,
      };
    case 'resident':
      return { kind: 'limited', regionPrefix: null, domains: null, providerUscc: null, ownerId: viewer.id };
    default:
      return { kind: 'none' };
  }
}

/**
 * Jobs are their starter's: why this viewer may not see or cancel a job started by account `createdById` (null:
 * the command line or the system), or null when it may. Administrators cover every job.
 */
export function jobScopeProblem(
  viewer: Viewer,
  job: { id: number; createdById: number | null },
): string | null {
  if (viewer.role === 'administrator') return null;
  return job.createdById !== null && job.createdById === viewer.id
    ? null
    : `job ${job.id} was started by another account`;
}

/** The same rule as a list filter: the account whose jobs the viewer sees, or undefined for all. */
export const jobOwnerOf = (viewer: Viewer): number | undefined =>
  viewer.role === 'administrator' ? undefined : viewer.id;

/**
 * Why this viewer may not write this register record (before and/or after the change), or null when it may: the
 * scope rule applied to communities, facilities and providers. Staff's domains bind facilities only (a community
 * or a provider record is not a service of one domain); providers change only outlets they operate.
 */
export function registryScopeProblem(
  viewer: Viewer,
  entity: RegisterEntity,
  records: (RegisterRecord | null)[],
  types: Map<string, FacilityType>,
): string | null {
  if (viewer.role === 'provider' && entity !== 'facilities')
    return 'providers may change only their own outlets';
  if (viewer.role !== 'administrator' && viewer.role !== 'staff' && viewer.role !== 'provider')
    return `the ${viewer.role} role cannot change the registry`;
  for (const record of records) {
    if (!record) continue;
    const problem = scopeProblem(viewer, registerScope(entity, record, types));
    if (problem) return problem;
  }
  return null;
}

function registerScope(
  entity: RegisterEntity,
  record: RegisterRecord,
  types: Map<string, FacilityType>,
): ScopedRecord {
  if (entity === 'communities') {
    const c = record as Community;
    return { label: `community ${c.code}`, regionCode: c.regionCode };
  }
  if (entity === 'providers') {
    const p = record as Provider;
    return { label: `provider ${p.uscc}`, regionCode: p.regionCode, providerUscc: p.uscc };
  }
  const f = record as Facility;
  const domain = types.get(f.typeCode)?.domain;
  return {
    label: `outlet ${f.code}`,
    regionCode: f.regionCode,
    domains: domain ? [domain] : [],
    providerUscc: f.providerUscc,
  };
}
