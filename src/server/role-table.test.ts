import { openCityTemporaryStore } from '../cities/index.js';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { type Role, type Store } from '../store/index.js';
import { addDefaultFacilityTypes } from '../registry/index.js';
import { cliViewer } from '../policy/index.js';
import { manualClock } from '../time/index.js';
import { buildApp, type App } from './app.js';
import { hashPassword } from './passwords.js';
import { createTestUsers, loginToken } from './test-support.js';

/**
 * Who may call what, written out by hand route by route — not derived from PERMISSIONS — and asserted through the
 * API for every role. A role granted an action it must not have (or losing one it needs) fails here, whichever
 * file the drift happened in: the permission table, a route's declared permission, or the check itself.
 *
 * Letters: A administrator, C coordinator (发改委), S department staff, I inspector, P provider, R resident,
 * - the public (no login). "all" is every role including the public.
 *
 * Allowed means the role gets past the role check (the route may still refuse a record out of the viewer's scope,
 * or a malformed request); refused means 401 (the public) or 403 carrying `details.permission`, before the
 * request's body is even validated.
 */
const ALL = 'ACSIPR-';
const ROLE_TABLE: Record<string, string> = {
  // platform
  'GET /api/health': ALL,
  'GET /api/cities': ALL,
  // Setting up a city loads its division codes and bounds every import: administrators only.
  'POST /api/cities': 'A',
  'PUT /api/cities/:code/extent': 'A',
  'GET /api/cities/:code/network': 'A',
  'PUT /api/cities/:code/network': 'A',
  'POST /api/cities/:code/analysis': 'AS',
  'GET /api/regions': ALL,
  'GET /api/facility-types': ALL,
  'PUT /api/facility-types/:code': 'A',
  'POST /api/auth/login': ALL,
  'POST /api/auth/logout': ALL,
  'GET /api/auth/me': ALL,
  'GET /api/users': 'A',
  'POST /api/users': 'A',
  'PATCH /api/users/:id': 'A',
  'POST /api/users/:id/unlock': 'A',
  'GET /api/audit': 'A',
  // registers: everyone reads (personal fields are masked by presenters); departments write in their scope,
  // providers only their own outlets.
  'GET /api/communities': ALL,
  'GET /api/communities/export': ALL,
  'GET /api/communities/:key': ALL,
  'POST /api/communities': 'AS',
  'PATCH /api/communities/:key': 'AS',
  'DELETE /api/communities/:key': 'AS',
  'POST /api/communities/import': 'AS',
  'GET /api/facilities': ALL,
  'GET /api/facilities/export': ALL,
  'GET /api/facilities/:key': ALL,
  'POST /api/facilities': 'ASP',
  'PATCH /api/facilities/:key': 'ASP',
  'DELETE /api/facilities/:key': 'ASP',
  'POST /api/facilities/import': 'AS',
  'GET /api/providers': ALL,
  'GET /api/providers/export': ALL,
  'GET /api/providers/:key': ALL,
  'POST /api/providers': 'AS',
  'PATCH /api/providers/:key': 'AS',
  'DELETE /api/providers/:key': 'AS',
  'POST /api/providers/import': 'AS',
  'GET /api/imports/:id': 'AS',
  // jobs: whoever may start long work follows and cancels its own (administrators: all)
  'GET /api/jobs': 'ACS',
  'GET /api/jobs/:id': 'ACS',
  'POST /api/jobs/:id/cancel': 'ACS',
  'GET /api/imports/:id/report.xlsx': 'AS',
  'GET /api/imports/:id/rejected-rows': 'AS',
  'POST /api/communities/link': 'AS',
  // analysis, map and planning: results are public; runs and planning tools are for the offices.
  'GET /api/analysis/runs': ALL,
  'GET /api/analysis/runs/:id': ALL,
  'GET /api/analysis/runs/:id/summary': ALL,
  'POST /api/analysis/runs': 'AS',
  'GET /api/isochrone': ALL,
  'GET /api/map/summary': ALL,
  'GET /api/map/streets': ALL,
  'GET /api/map/communities': ALL,
  'GET /api/map/communities/:code': ALL,
  'GET /api/map/facilities': ALL,
  'GET /api/map/tiles/:layer/:z/:x/:y.pbf': ALL,
  'GET /api/map/tiles/basemap/:z/:x/:y.pbf': ALL,
  'GET /api/map/places': ALL,
  'GET /api/map/isochrone': ALL,
  'GET /api/map/coverage': ALL,
  'GET /api/planning/gaps': 'ACS',
  'POST /api/planning/siting': 'ACS',
  'POST /api/planning/what-if': 'ACS',
  'GET /api/planning/target-need': 'ACS',
  // 好差评: residents rate and complain, departments key in what residents said by phone; cases for the parties.
  'POST /api/residents/register': ALL,
  'GET /api/ratings/outlets': ALL,
  'POST /api/ratings': 'SR',
  'GET /api/facilities/:key/ratings': ALL,
  'GET /api/ratings/aggregates': ALL,
  'GET /api/ratings/satisfaction': ALL,
  'GET /api/ratings/held': 'AS',
  'POST /api/ratings/:id/moderation': 'AS',
  'POST /api/complaints': 'SR',
  'GET /api/cases': 'ASPR',
  'GET /api/cases/:id': 'ASPR',
  'POST /api/cases/:id/actions': 'ASPR',
  // indicators and the district scorecard (an internal assessment, not for providers, residents or the public)
  'GET /api/indicators': ALL,
  'GET /api/indicators/suggest': ALL,
  'GET /api/indicators/progress': ALL,
  'GET /api/indicators/:code/values': ALL,
  'POST /api/indicators/:code/values': 'AS',
  'GET /api/indicator-targets': ALL,
  'POST /api/indicator-targets': 'AC',
  // The proposals a coordinator confirms into indicator targets: with the right to set them.
  'GET /api/plans/:id/target-links': 'AC',
  'GET /api/scorecard': 'ACSI',
  'PUT /api/scorecard/config': 'AC',
  'GET /api/scorecard/export.xlsx': 'ACSI',
  'GET /api/scorecard/export.html': 'ACSI',
  // credit, 双随机 and 普惠: inspectors record results, only departments draw; providers apply for their outlets.
  'GET /api/providers/:uscc/credit-records': 'ACSIP',
  'POST /api/providers/:uscc/credit-records': 'ASI',
  'POST /api/providers/:uscc/credit-records/:id/repair': 'ASI',
  'GET /api/providers/:uscc/credit': 'ACSIP',
  'GET /api/public/providers/:uscc': ALL,
  'GET /api/inspections/sampling-rule': ALL,
  'PUT /api/inspections/sampling-rule': 'AS',
  'POST /api/inspections/draws': 'AS',
  'GET /api/inspections/draws': ALL,
  'GET /api/inspections/draws/:id': ALL,
  'POST /api/inspections/draws/:id/publish': 'AS',
  'GET /api/inspections/draws/:id/candidates.csv': ALL,
  'GET /api/inspections/draws/:id/inspectors.csv': ALL,
  'POST /api/inspections/results': 'I',
  'GET /api/certifications': 'ACSIP',
  'POST /api/certifications': 'P',
  'POST /api/certifications/:id/review': 'AS',
  'POST /api/certifications/:id/withdraw': 'P',
  'GET /api/leaders': ALL,
  // plans: published plans are public; the coordinator imports, assigns and reviews; departments report.
  'GET /api/plans': ALL,
  'POST /api/plans': 'AC',
  'GET /api/plans/reminders': 'ACS',
  'GET /api/plans/completion': 'ACS',
  'GET /api/plans/:id': ALL,
  'GET /api/plans/:id/corrections': ALL,
  'POST /api/plans/:id/corrections': 'ACS',
  'POST /api/plans/:id/assignments': 'AC',
  'GET /api/assignments': 'ACS',
  'POST /api/assignments/:id/reports': 'S',
  'POST /api/reports/:id/review': 'AC',
  // monitoring reports: the offices that plan and evaluate (staff inside their region); not inspectors, operators,
  // residents or the public (the figures are public on the map; a report is an audited office document).
  'POST /api/monitoring-reports': 'ACS',
  'GET /api/monitoring-reports': 'ACS',
  'GET /api/monitoring-reports/:id': 'ACS',
  'GET /api/monitoring-reports/:id/report.html': 'ACS',
  'GET /api/monitoring-reports/:id/report.docx': 'ACS',
  'GET /api/monitoring-reports/:id/report.xlsx': 'ACS',
};

const LETTER: Record<string, Role> = {
  A: 'administrator',
  C: 'coordinator',
  S: 'staff',
  I: 'inspector',
  P: 'provider',
  R: 'resident',
  '-': 'public',
};
const ROLES = Object.values(LETTER);
const PASSWORD = 'correct horse battery';
const HUAWEI = '914403001922038216'; // a valid check-digit vector (registry/fixtures/uscc_vectors.json)

/** Path parameters filled with values that name nothing in the store: the role check comes first anyway. */
function concrete(url: string): string {
  return url
    .replace(':uscc', HUAWEI)
    .replace(/:(id|key|code)\b/g, (_m, name: string) => (name === 'id' ? '999999' : 'NOPE'));
}

let store: Store;
let app: App;
let dispose: () => Promise<void>;
const tokens = new Map<Role, string>();

before(async () => {
  const clock = manualClock('2026-03-16T10:00:00+08:00');
  const tmp = await openCityTemporaryStore({ clock });
  ({ store, dispose } = tmp);
  await addDefaultFacilityTypes({ store, clock, cityCode: '5101' }, cliViewer('test'), {});
  await store.providers.upsert({
    uscc: HUAWEI,
    name: '华为技术有限公司',
    regionCode: null,
    domains: ['health'],
    contactName: '（合成）张三',
    contactPhone: '13800000000',
  });
  await createTestUsers(
    store,
    [
      { username: 'admin', role: 'administrator' },
      { username: 'fgw', role: 'coordinator', department: '成都市发展和改革委员会' },
      {
        username: 'mzj',
        role: 'staff',
        department: '锦江区民政局',
        domains: ['elderly_care'],
        regionCode: '510104',
      },
      { username: 'inspector', role: 'inspector', regionCode: '5101' },
      { username: 'huawei', role: 'provider', providerUscc: HUAWEI },
      { username: 'resident', role: 'resident' },
    ],
    await hashPassword(PASSWORD, { N: 2 ** 10 }),
  );
  app = await buildApp({ store, cityCode: '5101', clock });
  for (const [role, username] of [
    ['administrator', 'admin'],
    ['coordinator', 'fgw'],
    ['staff', 'mzj'],
    ['inspector', 'inspector'],
    ['provider', 'huawei'],
    ['resident', 'resident'],
  ] as const)
    tokens.set(role, await loginToken(app, username, PASSWORD));
});

after(async () => {
  await app?.close();
  await dispose?.();
});

test('the hand-written role table names every API route, and only those', () => {
  const served = app.routePermissions.map((r) => `${r.method} ${r.url}`).sort();
  assert.deepEqual(Object.keys(ROLE_TABLE).sort(), served);
  for (const [route, letters] of Object.entries(ROLE_TABLE))
    assert.match(letters, /^A?C?S?I?P?R?-?$/, `${route}: roles in the order ACSIPR-`);
});

test('every role is allowed exactly the routes of the table and refused the others, before validation', async () => {
  const mismatches: string[] = [];
  // Logging out ends the session the later requests need: it goes last.
  const routes = Object.keys(ROLE_TABLE).sort(
    (a, b) => Number(a === 'POST /api/auth/logout') - Number(b === 'POST /api/auth/logout'),
  );
  for (const route of routes) {
    const [method, url] = route.split(' ');
    for (const role of ROLES) {
      const letter = Object.keys(LETTER).find((l) => LETTER[l] === role) as string;
      const expected = ROLE_TABLE[route].includes(letter);
      const token = tokens.get(role);
      // No body: a refused role must be turned away before the missing body is noticed.
      const res = await app.inject({
        method: method as 'GET',
        url: concrete(url),
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
      const error = res.headers['content-type']?.toString().includes('json')
        ? (res.json() as { error?: { code: string; details?: { permission?: unknown } } }).error
        : undefined;
      const refused =
        (res.statusCode === 401 || res.statusCode === 403) && typeof error?.details?.permission === 'string';
      if (refused === expected)
        mismatches.push(
          `${role} ${route}: expected ${expected ? 'allowed' : 'refused'}, got ${res.statusCode}`,
        );
      if (refused) {
        assert.equal(res.statusCode, role === 'public' ? 401 : 403, `${role} ${route}`);
        assert.equal(
          error?.code,
          role === 'public' ? 'LC_AUTH_REQUIRED' : 'LC_FORBIDDEN',
          `${role} ${route}`,
        );
      }
    }
  }
  assert.deepEqual(mismatches, []);
});
