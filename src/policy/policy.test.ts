import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LifeCircleError } from '../errors.js';
import type { Community, Facility, FacilityType, Provider } from '../store/index.js';
import {
  covers,
  PUBLIC_VIEWER,
  registryScopeProblem,
  requireCovers,
  requirePermission,
  scopeOf,
  scopeProblem,
  seesPersonalData,
  type ScopedRecord,
  type Viewer,
} from './index.js';

/** Synthetic accounts (no real people): one per role, staff of 锦江区 (510104) for elderly care. */
const base: Pick<Viewer, 'department' | 'domains' | 'regionCode' | 'providerUscc'> = {
  department: null,
  domains: [],
  regionCode: null,
  providerUscc: null,
};
const HUAWEI = '914403001922038216'; // valid check-digit vector
const TENCENT = '91440300708461136T';
const admin: Viewer = { ...base, id: 1, username: 'admin', displayName: '管理员', role: 'administrator' };
const coordinator: Viewer = { ...base, id: 2, username: 'fgw', displayName: '发改委', role: 'coordinator' };
const staff: Viewer = {
  ...base,
  id: 3,
  username: 'mzj',
  displayName: '民政',
  role: 'staff',
  department: '锦江区民政局',
  domains: ['elderly_care'],
  regionCode: '510104',
};
const inspector: Viewer = {
  ...base,
  id: 4,
  username: 'insp',
  displayName: '检查员',
  role: 'inspector',
  regionCode: '5101',
};
const provider: Viewer = {
  ...base,
  id: 5,
  username: 'hw',
  displayName: '华为',
  role: 'provider',
  providerUscc: HUAWEI,
};
const resident: Viewer = { ...base, id: 6, username: '居民-0000000a', displayName: '居民', role: 'resident' };
const publicViewer: Viewer = { ...base, id: 0, username: 'public', displayName: '公众', role: 'public' };

const outlet = (over: Partial<ScopedRecord> = {}): ScopedRecord => ({
  label: 'outlet F1',
  regionCode: '510104001',
  domains: ['elderly_care'],
  providerUscc: HUAWEI,
  ownerId: 6,
  ...over,
});

test('administrators and coordinators cover every record, the public none', () => {
  for (const v of [admin, coordinator]) assert.equal(scopeProblem(v, outlet({ regionCode: null })), null);
  assert.equal(scopeProblem(publicViewer, outlet()), 'the public role covers no records');
});

test('staff cover their region by prefix and their domains; the refusal names both sides', () => {
  assert.equal(scopeProblem(staff, outlet()), null);
  assert.equal(
    scopeProblem(staff, outlet({ regionCode: '510105001' })),
    '锦江区民政局 acts in region 510104; outlet F1 is in 510105001',
  );
  assert.equal(
    scopeProblem(staff, outlet({ regionCode: null })),
    '锦江区民政局 acts in region 510104; outlet F1 is in no region',
  );
  assert.equal(
    scopeProblem(staff, outlet({ domains: ['health'] })),
    '锦江区民政局 is responsible for elderly_care, not health (outlet F1)',
  );
  // A record bound to a domain nobody knows is covered by no domain-bound viewer.
  assert.equal(
    scopeProblem(staff, outlet({ domains: [] })),
    '锦江区民政局 is responsible for elderly_care, not an unknown domain (outlet F1)',
  );
  // A record bound to no domain (a community, a provider that declares none) is covered by region alone.
  assert.equal(scopeProblem(staff, outlet({ domains: undefined })), null);
  // Staff without domains cover every domain of their region.
  assert.equal(scopeProblem({ ...staff, domains: [] }, outlet({ domains: ['health'] })), null);
  // Staff without a region cover every region.
  assert.equal(scopeProblem({ ...staff, regionCode: null }, outlet({ regionCode: '120101' })), null);
  // Without a department the refusal names the display name.
  assert.match(
    scopeProblem({ ...staff, department: null }, outlet({ regionCode: '510105' })) ?? '',
    /^民政 acts in region/,
  );
});

test('inspectors cover their region like staff', () => {
  assert.equal(scopeProblem(inspector, outlet()), null);
  assert.equal(
    scopeProblem(inspector, outlet({ regionCode: '120101' })),
    '检查员 acts in region 5101; outlet F1 is in 120101',
  );
});

test('providers cover what they operate, residents what is theirs', () => {
  assert.equal(scopeProblem(provider, outlet()), null);
  assert.equal(
    scopeProblem(provider, outlet({ providerUscc: TENCENT })),
    `outlet F1 is not operated by provider ${HUAWEI}`,
  );
  assert.equal(
    scopeProblem({ ...provider, providerUscc: null }, outlet({ providerUscc: null })),
    'outlet F1 is not operated by provider (none)',
  );
  assert.equal(scopeProblem(resident, outlet()), null);
  assert.equal(scopeProblem(resident, outlet({ ownerId: 7 })), 'outlet F1 is not yours');
  assert.equal(scopeProblem(resident, outlet({ ownerId: null })), 'outlet F1 is not yours');
  assert.equal(covers(resident, outlet()), true);
  assert.equal(covers(resident, outlet({ ownerId: 7 })), false);
});

test('requireCovers throws LC_FORBIDDEN naming why; requirePermission names the refused action', () => {
  assert.doesNotThrow(() => requireCovers(staff, outlet()));
  assert.throws(
    () => requireCovers(staff, outlet({ regionCode: '510105' })),
    (e: unknown) =>
      e instanceof LifeCircleError &&
      e.code === 'LC_FORBIDDEN' &&
      e.message === '锦江区民政局 acts in region 510104; outlet F1 is in 510105' &&
      e.details === undefined,
  );
  assert.doesNotThrow(() => requirePermission(inspector, 'inspections.record'));
  assert.throws(
    () => requirePermission(staff, 'inspections.record'),
    (e: unknown) =>
      e instanceof LifeCircleError &&
      e.code === 'LC_FORBIDDEN' &&
      e.message === 'the staff role may not inspections.record' &&
      (e.details as { permission: string }).permission === 'inspections.record',
  );
  assert.throws(
    () => requirePermission(publicViewer, 'plans.import', 'plans.import'),
    (e: unknown) =>
      e instanceof LifeCircleError &&
      e.code === 'LC_AUTH_REQUIRED' &&
      e.message === 'plans.import needs a login (plans.import)',
  );
  assert.throws(
    () => requirePermission(publicViewer, 'plans.import'),
    (e: unknown) => e instanceof LifeCircleError && e.message === 'plans.import needs a login (plans.import)',
  );
});

test('scopeOf gives lists the same rule as a filter', () => {
  assert.deepEqual(scopeOf(admin), { kind: 'all' });
  assert.deepEqual(scopeOf(coordinator), { kind: 'all' });
  assert.deepEqual(scopeOf(publicViewer), { kind: 'none' });
  assert.deepEqual(scopeOf(staff), {
    kind: 'limited',
    regionPrefix: '510104',
    domains: ['elderly_care'],
    providerUscc: null,
    ownerId: null,
  });
  assert.deepEqual(scopeOf({ ...staff, domains: [] }), {
    kind: 'limited',
    regionPrefix: '510104',
    domains: null,
    providerUscc: null,
    ownerId: null,
  });
  assert.deepEqual(scopeOf(inspector), {
    kind: 'limited',
    regionPrefix: '5101',
    domains: null,
    providerUscc: null,
    ownerId: null,
  });
  assert.deepEqual(scopeOf(provider), {
    kind: 'limited',
    regionPrefix: null,
    domains: null,
    providerUscc: HUAWEI,
    ownerId: null,
  });
  assert.deepEqual(scopeOf({ ...provider, providerUscc: null }), {
    kind: 'limited',
    regionPrefix: null,
    domains: null,
    providerUscc: '(none)',
    ownerId: null,
  });
  assert.deepEqual(scopeOf(resident), {
    kind: 'limited',
    regionPrefix: null,
    domains: null,
    providerUscc: null,
    ownerId: 6,
  });
});

test('contact data: administrators, staff and inspectors see it; a provider only on its own records', () => {
  const own = { code: 'F1', providerUscc: HUAWEI } as Facility;
  const other = { code: 'F2', providerUscc: TENCENT } as Facility;
  const ownProvider = { uscc: HUAWEI } as Provider;
  for (const v of [admin, staff, inspector]) assert.equal(seesPersonalData(v, 'facilities', other), true);
  for (const v of [coordinator, resident, publicViewer])
    assert.equal(seesPersonalData(v, 'facilities', own), false);
  assert.equal(seesPersonalData(provider, 'facilities', own), true);
  assert.equal(seesPersonalData(provider, 'facilities', other), false);
  assert.equal(seesPersonalData(provider, 'providers', ownProvider), true);
  assert.equal(seesPersonalData(provider, 'providers', { uscc: TENCENT } as Provider), false);
  assert.equal(seesPersonalData(provider, 'communities', own as never), false);
  assert.equal(seesPersonalData({ ...provider, providerUscc: null }, 'facilities', own), false);
});

test('a refusal lists every domain of the record, separated', () => {
  assert.equal(
    scopeProblem(staff, outlet({ domains: ['health', 'housekeeping'] })),
    '锦江区民政局 is responsible for elderly_care, not health, housekeeping (outlet F1)',
  );
});

test('the public viewer is an anonymous account with no scope', () => {
  assert.deepEqual(PUBLIC_VIEWER, publicViewer);
});

test('registry writes: providers only their outlets, read-only roles nothing, staff by region and by the type’s domain', () => {
  const types = new Map<string, FacilityType>([
    [
      'day_care',
      { code: 'day_care', nameZh: '日间照料中心', nameEn: 'Day care', domain: 'elderly_care', source: 'x' },
    ],
    ['clinic', { code: 'clinic', nameZh: '社区卫生服务站', nameEn: 'Clinic', domain: 'health', source: 'x' }],
  ]);
  const community: Community = {
    code: '510105001001',
    name: '草市街社区',
    regionCode: '510105001',
    location: { lon: 104.07, lat: 30.67 },
    population: null,
    boundary: null,
  } as Community;
  const provRecord = {
    uscc: TENCENT,
    name: '腾讯',
    regionCode: '440305',
    domains: [],
  } as unknown as Provider;
  const facilityOf = (typeCode: string, over: Partial<Facility> = {}) =>
    ({ code: 'F1', typeCode, regionCode: '510104001', providerUscc: HUAWEI, ...over }) as Facility;

  assert.equal(
    registryScopeProblem(provider, 'communities', [community], types),
    'providers may change only their own outlets',
  );
  assert.equal(
    registryScopeProblem(provider, 'providers', [provRecord], types),
    'providers may change only their own outlets',
  );
  for (const viewer of [coordinator, inspector, resident, publicViewer])
    assert.equal(
      registryScopeProblem(viewer, 'facilities', [facilityOf('day_care')], types),
      `the ${viewer.role} role cannot change the registry`,
    );
  assert.equal(
    registryScopeProblem(staff, 'communities', [community], types),
    '锦江区民政局 acts in region 510104; community 510105001001 is in 510105001',
  );
  assert.equal(
    registryScopeProblem(staff, 'providers', [provRecord], types),
    '锦江区民政局 acts in region 510104; provider 91440300708461136T is in 440305',
  );
  // A community or a provider is not a service of one domain: staff's domains do not bind them.
  assert.equal(
    registryScopeProblem(staff, 'communities', [{ ...community, regionCode: '510104002' }], types),
    null,
  );
  assert.equal(registryScopeProblem(staff, 'facilities', [facilityOf('day_care')], types), null);
  assert.equal(
    registryScopeProblem(staff, 'facilities', [facilityOf('clinic')], types),
    '锦江区民政局 is responsible for elderly_care, not health (outlet F1)',
  );
  assert.equal(
    registryScopeProblem(staff, 'facilities', [facilityOf('no_such_type')], types),
    '锦江区民政局 is responsible for elderly_care, not an unknown domain (outlet F1)',
  );
  // Before and after: both must be covered; a missing side (create, delete) is skipped.
  assert.equal(
    registryScopeProblem(
      staff,
      'facilities',
      [null, facilityOf('day_care', { regionCode: '510105001' })],
      types,
    ),
    '锦江区民政局 acts in region 510104; outlet F1 is in 510105001',
  );
  assert.equal(registryScopeProblem(provider, 'facilities', [facilityOf('clinic'), null], types), null);
  assert.equal(
    registryScopeProblem(provider, 'facilities', [facilityOf('clinic', { providerUscc: TENCENT })], types),
    `outlet F1 is not operated by provider ${HUAWEI}`,
  );
  assert.equal(registryScopeProblem(admin, 'providers', [provRecord], types), null);
});

test('personal data of an outlet with no provider stays hidden from every role but the supervising ones', () => {
  const unowned = { code: 'F9', providerUscc: null } as unknown as Facility;
  for (const viewer of [coordinator, resident, publicViewer, { ...provider, providerUscc: null }])
    assert.equal(seesPersonalData(viewer, 'facilities', unowned), false, viewer.role);
  assert.equal(seesPersonalData(staff, 'facilities', unowned), true);
});

test('a refusal lists every domain of the viewer, separated', () => {
  assert.equal(
    scopeProblem({ ...staff, domains: ['elderly_care', 'childcare'] }, outlet({ domains: ['health'] })),
    '锦江区民政局 is responsible for elderly_care, childcare, not health (outlet F1)',
  );
});
