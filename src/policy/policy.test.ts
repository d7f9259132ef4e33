import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LifeCircleError } from '../errors.js';
import type { Facility, Provider } from '../store/index.js';
import {
  covers,
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
