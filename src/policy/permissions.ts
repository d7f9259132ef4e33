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
 * Record scope (a department's region and domains, a provider's own outlets) is checked by `scopeProblem`.
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

function regionOf(entity: RegisterEntity, record: RegisterRecord): string | null {
  return entity === 'communities'
    ? (record as Community).regionCode
    : (record as Facility | Provider).regionCode;
}

/**
 * Why this viewer may not write this record (before and/or after the change), or null when it may.
 * Staff act only inside their region (division codes nest by prefix) and, for facilities, their domains;
 * providers only on outlets they operate, and cannot hand an outlet to another provider.
 */
export function scopeProblem(
  viewer: Viewer,
  entity: RegisterEntity,
  records: (RegisterRecord | null)[],
  types: Map<string, FacilityType>,
): string | null {
  if (viewer.role === 'administrator') return null;
  for (const record of records) {
    if (!record) continue;
    if (viewer.role === 'staff') {
      const region = regionOf(entity, record);
      if (viewer.regionCode && !(region ?? '').startsWith(viewer.regionCode))
        return `${viewer.department ?? 'staff'} acts in region ${viewer.regionCode}; this record's region is ${region ?? 'not set'}`;
      if (entity === 'facilities' && viewer.domains.length) {
        const domain = types.get((record as Facility).typeCode)?.domain;
        if (!domain || !viewer.domains.includes(domain))
          return `${viewer.department ?? 'staff'} is responsible for ${viewer.domains.join(', ')}, not ${domain ?? (record as Facility).typeCode}`;
      }
    } else if (viewer.role === 'provider') {
      if (entity !== 'facilities') return 'providers may change only their own outlets';
      if (!viewer.providerUscc || (record as Facility).providerUscc !== viewer.providerUscc)
        return `outlet ${(record as Facility).code} is not operated by provider ${viewer.providerUscc ?? '(none)'}`;
    } else return `the ${viewer.role} role cannot change the registry`;
  }
  return null;
}
