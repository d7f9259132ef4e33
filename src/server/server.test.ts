import { openCityTemporaryStore } from '../cities/index.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { type Store } from '../store/index.js';
import { addDefaultFacilityTypes } from '../registry/index.js';
import { cliViewer } from '../policy/index.js';
import { buildApp, type App } from './app.js';
import { hashPassword } from './passwords.js';
import type { AnalysisProvider } from './route-analysis.js';
import { createTestUsers, loginToken } from './test-support.js';
import { manualClock } from '../time/index.js';

const HUAWEI = '914403001922038216'; // real vectors from reference/uscc_vectors.json
const TENCENT = '91440300708461136T';
const PASSWORD = 'correct horse battery';

interface Ctx {
  app: App;
  store: Store;
  token: (username: string) => Promise<string>;
  dispose: () => Promise<void>;
}

/** The platform's clock, set back to Monday 2026-03-16 10:00 in Beijing by every setup. */
const START = '2026-03-16T10:00:00+08:00';
const CLOCK = manualClock(START);

/** A real SQLite file in a temp dir with division codes, facility types, two providers and one user per role. */
async function setup(
  options: { analysis?: AnalysisProvider; sessionTtlMinutes?: number } = {},
): Promise<Ctx> {
  CLOCK.set(START);
  const tmp = await openCityTemporaryStore({ clock: CLOCK });
  const { store } = tmp;
  await addDefaultFacilityTypes({ store, clock: CLOCK, cityCode: '5101' }, cliViewer('test'), {});
  for (const [uscc, name] of [
    [HUAWEI, '华为技术有限公司'],
    [TENCENT, '深圳市腾讯计算机系统有限公司'],
  ])
    await store.providers.upsert({
      uscc,
      name,
      regionCode: null,
      domains: ['health'],
      contactName: '李四',
      contactPhone: '13900000000',
    });
  const users = [
    { username: 'admin', role: 'administrator' as const },
    // 锦江区民政局: elderly care and health, in 锦江区 (510104) only.
    {
      username: 'jinjiang',
      role: 'staff' as const,
      department: '锦江区民政局',
      domains: ['elderly_care' as const, 'health' as const],
      regionCode: '510104',
    },
    { username: 'inspector', role: 'inspector' as const },
    { username: 'huawei', role: 'provider' as const, providerUscc: HUAWEI },
  ];
  // A cheap scrypt cost keeps the suite fast; the API's own user creation (tested below) uses the real cost.
  const passwordHash = await hashPassword(PASSWORD, { N: 2 ** 10 });
  await createTestUsers(store, users, passwordHash);
  const app = await buildApp({ store, cityCode: '5101', clock: CLOCK, ...options });
  return {
    app,
    store,
    token: (username) => loginToken(app, username, PASSWORD),
    dispose: async () => {
      await app.close();
      await tmp.dispose();
    },
  };
}

const auth = (token: string) => ({ authorization: `Bearer ${token}` });

const pharmacy = (code: string, providerUscc: string | null, regionCode = '510104022006') => ({
  code,
  name: '瑞华药业三友店',
  typeCode: 'pharmacy',
  location: { lon: 104.0874466, lat: 30.6843382 },
  regionCode,
  providerUscc,
  contactPhone: '028-86000000',
});

test('login returns an expiring token; a wrong password gets LC_AUTH_FAILED in the one error body', async () => {
  const ctx = await setup();
  const ok = await ctx.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username: 'admin', password: PASSWORD },
  });
  assert.equal(ok.statusCode, 200);
  // Eight hours (one working day) after the platform's clock.
  assert.equal(ok.json().expiresAt, '2026-03-16T10:00:00.000Z');
  assert.equal(ok.json().user.passwordHash, undefined);
  const bad = await ctx.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username: 'admin', password: 'nope' },
  });
  assert.equal(bad.statusCode, 401);
  assert.deepEqual(Object.keys(bad.json()), ['error']);
  assert.equal(bad.json().error.code, 'LC_AUTH_FAILED');
  await ctx.dispose();
});

test('a session token works until its expiry and is refused with LC_AUTH_REQUIRED from that instant', async () => {
  const ctx = await setup({ sessionTtlMinutes: 60 });
  const token = await ctx.token('admin');
  const me = () => ctx.app.inject({ url: '/api/auth/me', headers: auth(token) });
  CLOCK.advance(60 * 60_000 - 1); // one millisecond before the hour is up
  assert.equal((await me()).statusCode, 200);
  CLOCK.advance(1);
  const res = await me();
  assert.equal(res.statusCode, 401);
  assert.equal(res.json().error.code, 'LC_AUTH_REQUIRED');
  await ctx.dispose();
});

test('the public may read but not write; an inspector may not write the registry', async () => {
  const ctx = await setup();
  assert.equal((await ctx.app.inject({ url: '/api/facilities' })).statusCode, 200);
  const anon = await ctx.app.inject({
    method: 'POST',
    url: '/api/facilities',
    payload: pharmacy('F1', null),
  });
  assert.equal(anon.statusCode, 401);
  assert.equal(anon.json().error.code, 'LC_AUTH_REQUIRED');
  const inspector = await ctx.app.inject({
    method: 'POST',
    url: '/api/facilities',
    headers: auth(await ctx.token('inspector')),
    payload: pharmacy('F1', null),
  });
  assert.equal(inspector.statusCode, 403);
  assert.equal(inspector.json().error.code, 'LC_FORBIDDEN');
  assert.equal(await ctx.store.facilities.count(), 0);
  await ctx.dispose();
});

test('department staff write only inside their region and domains', async () => {
  const ctx = await setup();
  const headers = auth(await ctx.token('jinjiang'));
  const inside = await ctx.app.inject({
    method: 'POST',
    url: '/api/facilities',
    headers,
    payload: pharmacy('F1', null),
  });
  assert.equal(inside.statusCode, 201, inside.body);
  // 成华区 (510108) is outside 锦江区.
  const outside = await ctx.app.inject({
    method: 'POST',
    url: '/api/facilities',
    headers,
    payload: pharmacy('F2', null, '510108002002'),
  });
  assert.equal(outside.statusCode, 403);
  assert.match(outside.json().error.message, /region 510104/);
  const kindergarten = { ...pharmacy('F3', null), typeCode: 'kindergarten', name: '省建一公司幼儿园' };
  const wrongDomain = await ctx.app.inject({
    method: 'POST',
    url: '/api/facilities',
    headers,
    payload: kindergarten,
  });
  assert.equal(wrongDomain.statusCode, 403);
  assert.match(wrongDomain.json().error.message, /education/);
  await ctx.dispose();
});

test('a provider changes its own outlets and no one else’s', async () => {
  const ctx = await setup();
  const admin = auth(await ctx.token('admin'));
  for (const [code, uscc] of [
    ['OWN', HUAWEI],
    ['OTHER', TENCENT],
  ])
    assert.equal(
      (
        await ctx.app.inject({
          method: 'POST',
          url: '/api/facilities',
          headers: admin,
          payload: pharmacy(code, uscc),
        })
      ).statusCode,
      201,
    );
  const provider = auth(await ctx.token('huawei'));
  const own = await ctx.app.inject({
    method: 'PATCH',
    url: '/api/facilities/OWN',
    headers: provider,
    payload: { capacity: 30 },
  });
  assert.equal(own.statusCode, 200, own.body);
  assert.equal(own.json().capacity, 30);
  const other = await ctx.app.inject({
    method: 'PATCH',
    url: '/api/facilities/OTHER',
    headers: provider,
    payload: { capacity: 30 },
  });
  assert.equal(other.statusCode, 403);
  const handOver = await ctx.app.inject({
    method: 'PATCH',
    url: '/api/facilities/OWN',
    headers: provider,
    payload: { providerUscc: TENCENT },
  });
  assert.equal(handOver.statusCode, 403);
  await ctx.dispose();
});

test('the public never sees personal data; staff do', async () => {
  const ctx = await setup();
  const admin = auth(await ctx.token('admin'));
  await ctx.app.inject({
    method: 'POST',
    url: '/api/facilities',
    headers: admin,
    payload: pharmacy('F1', HUAWEI),
  });
  const pub = await ctx.app.inject({ url: '/api/facilities/F1' });
  assert.equal(pub.json().contactPhone, undefined);
  const provider = await ctx.app.inject({ url: `/api/providers/${HUAWEI}` });
  assert.equal(provider.json().contactName, undefined);
  assert.equal(provider.json().contactPhone, undefined);
  const staff = await ctx.app.inject({
    url: '/api/facilities/F1',
    headers: auth(await ctx.token('jinjiang')),
  });
  assert.equal(staff.json().contactPhone, '028-86000000');
  const csv = await ctx.app.inject({ url: '/api/providers/export?format=csv' });
  assert.doesNotMatch(csv.body, /13900000000|李四/);
  await ctx.dispose();
});

test('listings page with limit and offset and reject a limit above 1000 naming the field', async () => {
  const ctx = await setup();
  const page = await ctx.app.inject({ url: '/api/regions?within=510104&level=community&limit=10&offset=10' });
  assert.equal(page.statusCode, 200);
  const body = page.json();
  assert.equal(body.items.length, 10);
  assert.equal(body.offset, 10);
  assert.ok(body.total > 20);
  assert.ok(body.items.every((r: { code: string }) => r.code.startsWith('510104')));
  const tooMany = await ctx.app.inject({ url: '/api/regions?limit=5000' });
  assert.equal(tooMany.statusCode, 400);
  assert.equal(tooMany.json().error.code, 'LC_USAGE');
  assert.match(tooMany.json().error.message, /querystring\/limit/);
  await ctx.dispose();
});

test('a rejected import answers 422 with its row report, downloadable as XLSX, and writes nothing', async () => {
  const ctx = await setup();
  const headers = { ...auth(await ctx.token('admin')), 'content-type': 'text/csv' };
  const csv = [
    '设施编码,设施名称,设施类型,经度,纬度,运营主体统一社会信用代码',
    'F1,瑞华药业三友店,药店,104.0874466,30.6843382,914403001922038216',
    'F2,喔喔超市,综合超市,104.0647573,30.6529107,914403001922038210',
  ].join('\n');
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/api/facilities/import?fileName=网点.csv',
    headers,
    payload: csv,
  });
  assert.equal(res.statusCode, 422);
  const { error } = res.json();
  assert.equal(error.code, 'LC_IMPORT_REJECTED');
  assert.match(error.message, /row 3/);
  assert.deepEqual(
    error.details.report.problems.map((p: { row: number; column: string; reason: string }) => [
      p.row,
      p.column,
      p.reason,
    ]),
    [[3, '运营主体统一社会信用代码', 'uscc_invalid']],
  );
  assert.equal(await ctx.store.facilities.count(), 0);
  const xlsx = await ctx.app.inject({ url: error.details.reportXlsx, headers });
  assert.equal(xlsx.statusCode, 200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
  assert.equal(wb.worksheets[0].getRow(2).getCell(2).value, '运营主体统一社会信用代码');
  await ctx.dispose();
});

test('the import API: a dry run writes nothing; skipBadRows imports the good rows and the refused ones download to fix', async () => {
  const ctx = await setup();
  const headers = { ...auth(await ctx.token('admin')), 'content-type': 'text/csv' };
  // A register as published: no code column, 区 names, an ownership column called type (synthetic rows).
  const csv = [
    'name,type,district,lng,lat',
    '测试药店甲,民营,锦江区,104.0874466,30.6843382',
    '测试药店乙,民营,青羊区,104.0647573,30.6529107',
    '测试药店丙,民营,宝山区,104.0700000,30.6600000',
  ].join('\n');
  const url = (q: string) =>
    `/api/facilities/import?fileName=${encodeURIComponent('药店.csv')}&type=pharmacy&${q}`;
  const dry = await ctx.app.inject({
    method: 'POST',
    url: url('dryRun=true&skipBadRows=true'),
    headers,
    payload: csv,
  });
  assert.equal(dry.statusCode, 200, dry.body);
  const report = dry.json().report;
  assert.equal(report.dryRun, true);
  assert.equal(report.created, 2);
  assert.equal(report.skippedRows, 1);
  assert.equal(report.generatedCodes, 3);
  assert.equal(report.regionsFromNames, 2);
  assert.deepEqual(report.ignoredColumns, ['type']);
  assert.equal(report.problems[0].reason, 'unknown_district');
  assert.equal(await ctx.store.facilities.count(), 0);

  const res = await ctx.app.inject({ method: 'POST', url: url('skipBadRows=true'), headers, payload: csv });
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.json().report.created, 2);
  const regions = (await ctx.store.facilities.list()).items.map((f) => f.regionCode).sort();
  assert.deepEqual(regions, ['510104', '510105']);
  const rejected = await ctx.app.inject({
    url: `/api/imports/${res.json().importId}/rejected-rows`,
    headers,
  });
  assert.equal(rejected.statusCode, 200);
  assert.match(rejected.headers['content-type'] as string, /text\/csv/);
  const lines = rejected.body
    .replace(/^\ufeff/, '')
    .trim()
    .split(/\r?\n/);
  assert.equal(lines.length, 2);
  assert.match(lines[1], /^测试药店丙,民营,宝山区,.*district '宝山区' is not a district of 成都市/);
  // Another staff member may not read it: the rows are the importer's.
  const other = await ctx.app.inject({
    url: `/api/imports/${res.json().importId}/rejected-rows`,
    headers: auth(await ctx.token('jinjiang')),
  });
  assert.equal(other.statusCode, 403);
  const none = await ctx.app.inject({
    url: `/api/imports/${dry.json().importId + 99}/rejected-rows`,
    headers,
  });
  assert.equal(none.statusCode, 404);
  const badType = await ctx.app.inject({
    method: 'POST',
    url: '/api/facilities/import?fileName=x.csv&type=gym',
    headers,
    payload: csv,
  });
  assert.equal(badType.statusCode, 400, badType.body);
  assert.match(badType.json().error.message, /type: 'gym' is not a facility type/);
  await ctx.dispose();
});

test('the link API gives stored places the 社区 code of the polygon that holds them, as a job; staff outside are refused', async () => {
  const ctx = await setup();
  const admin = { ...auth(await ctx.token('admin')), 'content-type': 'application/geo+json' };
  // A synthetic residential area inside a synthetic square around it; the 社区 code is real (春熙路街道's
  // 总府路社区, data/divisions/communities.csv).
  await ctx.store.communities.upsert({
    code: 'osm-way-1',
    name: '测试小区',
    regionCode: '510104',
    location: { lon: 104.0841, lat: 30.6562 },
    boundary: null,
    population: null,
    ageGroups: {},
    populationEstimated: false,
  });
  const square = [
    [104.083, 30.655],
    [104.086, 30.655],
    [104.086, 30.658],
    [104.083, 30.658],
    [104.083, 30.655],
  ];
  const file = JSON.stringify({
    type: 'FeatureCollection',
    features: [
      {
        type: 'Feature',
        properties: { 编码: '510104022006', 名称: '总府路社区', 区划代码: '510104022' },
        geometry: { type: 'Polygon', coordinates: [square] },
      },
    ],
  });
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/api/communities/link?fileName=社区.geojson&maxDistanceM=200',
    headers: admin,
    payload: file,
  });
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.json().linkedInside, 1);
  assert.equal(res.json().changed, 1);
  assert.equal((await ctx.store.communities.get('osm-way-1'))?.regionCode, '510104022006');
  const audit = await ctx.store.audit.list({ entity: 'communities', entityKey: 'osm-way-1' });
  assert.equal(audit.items[0]?.actorName, 'admin');
  const inspector = await ctx.app.inject({
    method: 'POST',
    url: '/api/communities/link?maxDistanceM=200',
    headers: { ...auth(await ctx.token('inspector')), 'content-type': 'application/geo+json' },
    payload: file,
  });
  assert.equal(inspector.statusCode, 403);
  await ctx.dispose();
});

test('a header-only file sent to each register’s import answers 422 “nothing to import”, not a server error', async () => {
  const ctx = await setup();
  const headers = { ...auth(await ctx.token('admin')), 'content-type': 'text/csv' };
  for (const [register, header] of [
    ['facilities', '设施编码,设施名称,设施类型,经度,纬度'],
    ['providers', '统一社会信用代码,名称'],
    ['communities', '社区编码,社区名称,区划代码,经度,纬度'],
  ]) {
    const res = await ctx.app.inject({
      method: 'POST',
      url: `/api/${register}/import?fileName=empty.csv`,
      headers,
      payload: `${header}\r\n`,
    });
    assert.equal(res.statusCode, 422, `${register}: ${res.body}`);
    const { error } = res.json();
    assert.equal(error.code, 'LC_IMPORT_REJECTED');
    assert.match(error.message, /empty\.csv: a header row and no data rows; nothing to import/);
    assert.deepEqual(
      error.details.report.problems.map((p: { row: number; reason: string }) => [p.row, p.reason]),
      [[1, 'no_rows']],
    );
  }
  await ctx.dispose();
});

test('every write is in the audit log with who, what, before and after; only administrators read it', async () => {
  const ctx = await setup();
  const admin = auth(await ctx.token('admin'));
  const staff = auth(await ctx.token('jinjiang'));
  await ctx.app.inject({
    method: 'POST',
    url: '/api/facilities',
    headers: staff,
    payload: pharmacy('F1', null),
  });
  await ctx.app.inject({
    method: 'PATCH',
    url: '/api/facilities/F1',
    headers: staff,
    payload: { affordable: true },
  });
  await ctx.app.inject({ method: 'DELETE', url: '/api/facilities/F1', headers: staff });
  const log = await ctx.app.inject({ url: '/api/audit?entity=facilities&entityKey=F1', headers: admin });
  assert.equal(log.statusCode, 200);
  const entries = log.json().items as {
    action: string;
    actorName: string;
    before: { affordable?: boolean } | null;
    after: { affordable?: boolean } | null;
  }[];
  assert.deepEqual(
    entries.map((e) => e.action),
    ['delete', 'update', 'create'],
  );
  assert.ok(entries.every((e) => e.actorName === 'jinjiang'));
  assert.deepEqual([entries[1].before?.affordable, entries[1].after?.affordable], [false, true]);
  const denied = await ctx.app.inject({ url: '/api/audit', headers: staff });
  assert.equal(denied.statusCode, 403);
  await ctx.dispose();
});

test('an invalid 统一社会信用代码 in a body is refused with the expected check character', async () => {
  const ctx = await setup();
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/api/providers',
    headers: auth(await ctx.token('admin')),
    payload: { uscc: '911100007109254620', name: '中国石油天然气股份有限公司' },
  });
  assert.equal(res.statusCode, 400);
  assert.equal(res.json().error.code, 'LC_INVALID_FIELD');
  assert.match(res.json().error.message, /expected 'X'/);
  await ctx.dispose();
});

test('administrators create users; the password hash never leaves the server or enters the log', async () => {
  const ctx = await setup();
  const admin = auth(await ctx.token('admin'));
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/api/users',
    headers: admin,
    payload: {
      username: 'chenghua',
      displayName: '成华区商务局',
      password: 'another long secret',
      role: 'staff',
      regionCode: '510108',
      domains: ['retail_food'],
    },
  });
  assert.equal(res.statusCode, 201, res.body);
  assert.equal(res.json().passwordHash, undefined);
  const log = await ctx.app.inject({ url: '/api/audit?entity=users&entityKey=chenghua', headers: admin });
  assert.doesNotMatch(log.body, /scrypt|another long secret/);
  const login = await ctx.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username: 'chenghua', password: 'another long secret' },
  });
  assert.equal(login.statusCode, 200);
  const staff = await ctx.app.inject({ url: '/api/users', headers: auth(login.json().token) });
  assert.equal(staff.statusCode, 403);
  await ctx.dispose();
});

test('analysis runs answer 501 until an engine is wired in, then keep inputs hash and results', async () => {
  const without = await setup();
  const res = await without.app.inject({
    method: 'POST',
    url: '/api/analysis/runs',
    headers: auth(await without.token('admin')),
    payload: { kind: 'coverage' },
  });
  assert.equal(res.statusCode, 501);
  assert.equal(res.json().error.code, 'LC_NOT_AVAILABLE');
  await without.dispose();

  const engine: AnalysisProvider = {
    kinds: ['facility-count'],
    run: async (_kind, _params, { store }) => ({
      inputsHash: 'f'.repeat(64),
      results: { facilities: await store.facilities.count() },
      engineVersion: 'test',
    }),
  };
  const ctx = await setup({ analysis: engine });
  const created = await ctx.app.inject({
    method: 'POST',
    url: '/api/analysis/runs',
    headers: auth(await ctx.token('jinjiang')),
    payload: { kind: 'facility-count' },
  });
  assert.equal(created.statusCode, 201, created.body);
  const run = await ctx.app.inject({ url: `/api/analysis/runs/${created.json().id}` });
  assert.deepEqual([run.json().inputsHash, run.json().results], ['f'.repeat(64), { facilities: 0 }]);
  await ctx.dispose();
});

test('the OpenAPI document lists the routes with the shared error body, and the docs page is served', async () => {
  const ctx = await setup();
  const doc = (await ctx.app.inject({ url: '/api/openapi.json' })).json();
  for (const path of [
    '/api/facilities',
    '/api/facilities/import',
    '/api/providers/{key}',
    '/api/audit',
    '/api/auth/login',
  ])
    assert.ok(doc.paths[path], path);
  assert.ok(doc.components.schemas.ErrorBody);
  const ui = await ctx.app.inject({ url: '/api/docs/' });
  assert.equal(ui.statusCode, 200);
  assert.match(ui.body, /swagger/i);
  assert.doesNotMatch(ui.body, /(src|href)="https?:/, 'the docs page loads nothing from the Internet');
  await ctx.dispose();
});

test('docs/api.md lists exactly the routes, each with the permission it enforces', async () => {
  const ctx = await setup();
  const doc = readFileSync('docs/api.md', 'utf8');
  const documented = [...doc.matchAll(/^\|\s*`([A-Z]+) (\/api\/\S+)`\s*\|\s*`([a-z.]+)`\s*\|/gm)].map(
    (m) => `${m[1]} ${m[2]} ${m[3]}`,
  );
  const actual = ctx.app.routePermissions.map((r) => `${r.method} ${r.url} ${r.permission}`);
  assert.deepEqual([...documented].sort(), [...actual].sort());
  await ctx.dispose();
});

test('a community placed in another city’s division code is refused by the API as by the importer', async () => {
  const ctx = await setup();
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/api/communities',
    headers: auth(await ctx.token('admin')),
    // 120111001001 is in 天津 西青区; this server plans for 成都.
    payload: {
      code: 'C1',
      name: '花园路社区',
      regionCode: '120111001001',
      location: { lon: 104.0837, lat: 30.6576 },
    },
  });
  assert.equal(res.statusCode, 400);
  assert.equal(res.json().error.code, 'LC_INVALID_FIELD');
  assert.match(res.json().error.message, /not in city 5101/);
  await ctx.dispose();
});

test('a login with an over-long user name or password is refused before it is checked or audited', async () => {
  const ctx = await setup();
  const before = (await ctx.store.audit.list({})).total;
  for (const payload of [
    { username: 'x'.repeat(129), password: PASSWORD },
    { username: 'admin', password: 'p'.repeat(1025) },
  ]) {
    const res = await ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.code, 'LC_USAGE');
  }
  assert.equal((await ctx.store.audit.list({})).total, before);
  await ctx.dispose();
});

test('failed logins slow that name from that address (429 with Retry-After); an administrator clears the delay', async () => {
  const ctx = await setup();
  const attempt = (password: string, remoteAddress = '203.0.113.7') =>
    ctx.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'inspector', password },
      remoteAddress,
    });
  for (let i = 0; i < 6; i++) assert.equal((await attempt(`guess ${i}`)).statusCode, 401);
  const slowed = await attempt(PASSWORD);
  assert.equal(slowed.statusCode, 429);
  assert.equal(slowed.json().error.code, 'LC_RATE_LIMITED');
  assert.match(slowed.json().error.message, /too many failed logins for inspector from this address/);
  assert.equal(slowed.json().error.details.retryAfterSeconds, 1);
  // Someone else's guesses do not lock the owner out.
  assert.equal((await attempt(PASSWORD, '198.51.100.20')).statusCode, 200);
  const admin = auth(await ctx.token('admin'));
  const inspector = (await ctx.store.users.findByUsername('inspector'))!;
  const unlock = (headers: Record<string, string>) =>
    ctx.app.inject({ method: 'POST', url: `/api/users/${inspector.id}/unlock`, headers });
  assert.equal((await unlock(auth(await ctx.token('jinjiang')))).statusCode, 403);
  const cleared = await unlock(admin);
  assert.equal(cleared.statusCode, 200);
  assert.deepEqual(cleared.json(), { username: 'inspector', cleared: 2 });
  assert.equal((await attempt(PASSWORD)).statusCode, 200);
  const missing = await ctx.app.inject({ method: 'POST', url: '/api/users/9999/unlock', headers: admin });
  assert.equal(missing.statusCode, 404);
  await ctx.dispose();
});

test('administrators add a city facility type with its source; staff may not', async () => {
  const ctx = await setup();
  const type = {
    nameZh: '社区食堂',
    nameEn: 'Community canteen',
    domain: 'retail_food',
    source: '西青区 生活性服务业发展行动方案 (seed 001): 社区食堂',
  };
  const staff = await ctx.app.inject({
    method: 'PUT',
    url: '/api/facility-types/community_canteen',
    headers: auth(await ctx.token('jinjiang')),
    payload: type,
  });
  assert.equal(staff.statusCode, 403);
  const admin = auth(await ctx.token('admin'));
  const res = await ctx.app.inject({
    method: 'PUT',
    url: '/api/facility-types/community_canteen',
    headers: admin,
    payload: type,
  });
  assert.equal(res.statusCode, 200, res.body);
  assert.equal((await ctx.store.facilityTypes.get('community_canteen'))?.nameZh, '社区食堂');
  const log = await ctx.app.inject({ url: '/api/audit?entity=facility_types', headers: admin });
  assert.equal(log.json().items[0].entityKey, 'community_canteen');
  await ctx.dispose();
});

test('disabling a user ends their sessions at once; administrators cannot disable themselves', async () => {
  const ctx = await setup();
  const admin = auth(await ctx.token('admin'));
  const inspector = auth(await ctx.token('inspector'));
  const id = (await ctx.store.users.findByUsername('inspector'))!.id;
  const res = await ctx.app.inject({
    method: 'PATCH',
    url: `/api/users/${id}`,
    headers: admin,
    payload: { disabled: true },
  });
  assert.equal(res.statusCode, 200, res.body);
  assert.equal((await ctx.app.inject({ url: '/api/auth/me', headers: inspector })).statusCode, 401);
  const login = await ctx.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username: 'inspector', password: PASSWORD },
  });
  assert.equal(login.statusCode, 401);
  const adminId = (await ctx.store.users.findByUsername('admin'))!.id;
  const self = await ctx.app.inject({
    method: 'PATCH',
    url: `/api/users/${adminId}`,
    headers: admin,
    payload: { disabled: true },
  });
  assert.equal(self.statusCode, 403);
  await ctx.dispose();
});

test('a staff import with one row outside the department’s region is rejected whole, naming that row', async () => {
  const ctx = await setup();
  const csv = [
    'code,name,type,lon,lat,region_code',
    'E1,东风电力社区老年服务站,老年服务站,104.0837,30.6576,510104022009', // 锦江区: allowed
    'E2,建华社区老年服务站,老年服务站,104.1043529,30.6832477,510108002002', // 成华区: outside
  ].join('\n');
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/api/facilities/import?fileName=staff.csv',
    headers: { ...auth(await ctx.token('jinjiang')), 'content-type': 'text/csv' },
    payload: csv,
  });
  assert.equal(res.statusCode, 422);
  const problems = res.json().error.details.report.problems as {
    row: number;
    reason: string;
    message: string;
  }[];
  assert.deepEqual(
    problems.map((p) => [p.row, p.reason]),
    [[3, 'forbidden']],
  );
  assert.match(problems[0].message, /region 510104/);
  assert.equal(await ctx.store.facilities.count(), 0);
  await ctx.dispose();
});

test('a provider account sees its own contact data but not another provider’s', async () => {
  const ctx = await setup();
  const provider = auth(await ctx.token('huawei'));
  const own = await ctx.app.inject({ url: `/api/providers/${HUAWEI}`, headers: provider });
  assert.equal(own.json().contactPhone, '13900000000');
  const other = await ctx.app.inject({ url: `/api/providers/${TENCENT}`, headers: provider });
  assert.equal(other.json().contactPhone, undefined);
  await ctx.dispose();
});

test('explicit nulls in a request body stay null (no coercion to an empty string)', async () => {
  const ctx = await setup();
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/api/users',
    headers: auth(await ctx.token('admin')),
    payload: {
      username: 'fgw-coordinator',
      displayName: '区发改委',
      password: 'coordinator-password-1',
      role: 'coordinator',
      department: null,
      regionCode: null,
      providerUscc: null,
    },
  });
  assert.equal(res.statusCode, 201, res.body);
  assert.equal(res.json().regionCode, null);
  assert.equal(res.json().role, 'coordinator');
  await ctx.dispose();
});
