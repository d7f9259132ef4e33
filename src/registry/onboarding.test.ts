import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCity, openCityTemporaryStore } from '../cities/index.js';
import { cliViewer } from '../policy/index.js';
import { readBundledDivisions, type Actor, type Facility, type Store } from '../store/index.js';
import { manualClock } from '../time/index.js';
import { addDefaultFacilityTypes } from './commands.js';
import { linkCommunities } from './link.js';
import { resolveColumns } from './fields.js';
import { importRegister, type ImportOptions } from './import.js';
import { nameCore } from './place-names.js';

/**
 * A city set up from its code and a registry shaped like the ones cities publish (issue 13): UTF-8 with BOM,
 * columns id,name,type,district,street,address,beds,lng,lat, GCJ-02, an ownership column called `type`, district
 * names instead of codes. The rows are SYNTHETIC (测试养老院 n at made-up positions inside the city's box); only the
 * division codes and names are real, read from the bundled national list.
 */
const CITY = '3101';
const BAOSHAN = '310113';
const CLERK: Actor = { userId: null, name: 'test clerk' };
const VIEWER = cliViewer('test');

async function shanghai(): Promise<{ store: Store; dispose: () => Promise<void> }> {
  const clock = manualClock('2026-12-03T10:00:00+08:00');
  const ctx = await openCityTemporaryStore({ clock });
  const deps = { store: ctx.store, clock, cityCode: CITY };
  await createCity(deps, VIEWER, { code: CITY });
  await addDefaultFacilityTypes(deps, VIEWER, {});
  return ctx;
}

const run = (
  store: Store,
  o: Omit<ImportOptions, 'actor' | 'cityCode' | 'fileName' | 'entity'> & { fileName?: string },
) =>
  importRegister(store, {
    entity: 'facilities',
    fileName: 'registry.csv',
    cityCode: CITY,
    actor: CLERK,
    ...o,
  });

/** The 街道/镇 of 宝山区 in the national list (real names: the test does not make them up). */
const streets = readBundledDivisions({ within: [BAOSHAN] }).filter((r) => r.level === 'subdistrict');

const csv = (lines: string[]) => Buffer.from(`\ufeff${lines.join('\r\n')}\r\n`, 'utf8');
const HEADER = 'id,name,type,district,street,address,beds,lng,lat';

/** n synthetic rows spread 0.002° apart inside 宝山区's box; `fallback` rows all on one point. */
function registry(n: number, fallback: number): string[] {
  const lines = [HEADER];
  for (let i = 0; i < n; i++) {
    const onFallback = i < fallback;
    const lon = onFallback ? 121.45 : 121.3 + (i % 20) * 0.005;
    const lat = onFallback ? 31.4 : 31.3 + Math.floor(i / 20) * 0.005;
    const street = streets[i % streets.length].name;
    // Half the rows write the district without its suffix, some streets without 街道/镇: as registers do.
    const district = i % 2 ? '宝山区' : '宝山';
    const streetText = i % 3 ? street : nameCore(street);
    const ownership = i % 2 ? '民建民营' : '公建民营';
    lines.push(
      `${1000 + i},测试养老院${i},${ownership},${district},${streetText},测试路${i}号,${50 + i},${lon},${lat}`,
    );
  }
  return lines;
}

test('a registry as cities publish it imports with --type alone: codes from id, beds as capacity, district and street codes from names, fallback points flagged', async () => {
  const { store, dispose } = await shanghai();
  try {
    const bytes = csv(registry(60, 9));
    const { report } = await run(store, { bytes, crs: 'GCJ02', type: 'elderly-care-institution' });
    assert.equal(report.accepted, true, JSON.stringify(report.problems.slice(0, 3)));
    assert.equal(report.created, 60);
    assert.equal(report.regionsFromNames, 60);
    assert.deepEqual(report.ignoredColumns, ['type'], 'the ownership column is named as not read');
    const shared = report.warnings.filter((w) => w.reason === 'shared_point');
    assert.deepEqual(
      shared.map((w) => w.row),
      [2, 3, 4, 5, 6, 7, 8, 9, 10],
      'the nine rows on one point (file lines 2–10) are flagged, no others',
    );
    const first = (await store.facilities.get('1000')) as Facility;
    assert.equal(first.typeCode, 'elderly_care_institution');
    assert.equal(first.capacity, 50);
    // Row 0 names streets[0] without its suffix (0 % 3 === 0): matched all the same.
    assert.equal(first.regionCode, streets[0].code);
    const second = (await store.facilities.get('1001')) as Facility;
    assert.equal(second.regionCode, streets[1].code);
  } finally {
    await dispose();
  }
});

test('the type column is never silently taken as the type: ownership values are refused and a mapping is proposed', async () => {
  const { store, dispose } = await shanghai();
  try {
    const lines = [
      'name,类型,所属区,lng,lat',
      '测试A,养老院,宝山区,121.40,31.35',
      '测试B,敬老院,宝山区,121.41,31.35',
      '测试C,敬老院,宝山区,121.42,31.35',
      '测试D,日间照料中心,宝山区,121.43,31.35',
      '测试E,民建民营,宝山区,121.44,31.35',
    ];
    const { report } = await run(store, { bytes: csv(lines) });
    assert.equal(report.accepted, false);
    assert.equal(await store.facilities.count(), 0);
    assert.equal(report.typeProposal?.column, '类型');
    assert.ok(report.typeProposal?.types.some((t) => t.code === 'elderly_care_institution'));
    assert.deepEqual(report.typeProposal?.values, [
      { value: '敬老院', rows: 2, proposed: 'elderly_care_institution', proposedName: '养老机构' },
      { value: '养老院', rows: 1, proposed: 'elderly_care_institution', proposedName: '养老机构' },
      {
        value: '日间照料中心',
        rows: 1,
        proposed: 'elderly_day_care',
        proposedName: '社区老年日间照料中心',
      },
      { value: '民建民营', rows: 1, proposed: null, proposedName: null },
    ]);
    // Confirmed (and the ownership value mapped by hand), every row goes in.
    const confirmed = await run(store, {
      bytes: csv(lines),
      typeMap: {
        养老院: 'elderly_care_institution',
        敬老院: 'elderly_care_institution',
        日间照料中心: 'elderly_day_care',
        民建民营: 'elderly_care_institution',
      },
    });
    assert.equal(confirmed.report.accepted, true);
    assert.equal(confirmed.report.created, 5);
    assert.equal(confirmed.report.typeProposal, null);
    assert.equal(confirmed.report.generatedCodes, 5, 'no code column: codes made from name and position');
    // The same file again: the same codes, so nothing new.
    const again = await run(store, { bytes: csv(lines), type: 'elderly_care_institution' });
    assert.equal(again.report.created, 0);
    assert.equal(again.report.unchanged + again.report.updated, 5);
  } finally {
    await dispose();
  }
});

test("a district that is not one of the city's is a problem naming the row, the value and the city", async () => {
  const { store, dispose } = await shanghai();
  try {
    const lines = [
      HEADER,
      '1,测试甲,x,宝山区,,测试路1号,10,121.40,31.35',
      '2,测试乙,x,锦江区,,测试路2号,10,121.41,31.35',
    ];
    const { report } = await run(store, { bytes: csv(lines), type: 'elderly_care_institution' });
    assert.equal(report.accepted, false);
    assert.equal(report.problems.length, 1);
    const [p] = report.problems;
    assert.equal(p.row, 3);
    assert.equal(p.reason, 'unknown_district');
    assert.equal(p.value, '锦江区');
    assert.match(p.message, /^district '锦江区' is not a district of 上海市; its districts: .*宝山区/);
  } finally {
    await dispose();
  }
});

test('a dry run reports what would change and writes nothing; --skip-bad-rows imports the rest and hands back the bad rows to fix', async () => {
  const { store, dispose } = await shanghai();
  try {
    const lines = [
      HEADER,
      '1,测试甲,x,宝山区,,测试路1号,10,121.40,31.35',
      '2,测试乙,x,锦江区,,测试路2号,10,121.41,31.35',
      '3,测试丙,x,宝山区,,测试路3号,abc,121.42,31.35',
      '4,测试丁,x,宝山区,,测试路4号,12,121.43,31.35',
    ];
    const dry = await run(store, {
      bytes: csv(lines),
      type: 'elderly_care_institution',
      dryRun: true,
      skipBadRows: true,
    });
    assert.equal(dry.report.dryRun, true);
    assert.equal(dry.report.accepted, true);
    assert.equal(dry.report.created, 2);
    assert.equal(dry.report.skippedRows, 2);
    assert.equal(await store.facilities.count(), 0, 'a dry run writes nothing');
    assert.equal((await store.audit.list({ entity: 'facilities' })).total, 0);

    const strict = await run(store, { bytes: csv(lines), type: 'elderly_care_institution' });
    assert.equal(strict.report.accepted, false, 'all or nothing unless asked');
    assert.equal(await store.facilities.count(), 0);

    const { report, rejectedRows } = await run(store, {
      bytes: csv(lines),
      type: 'elderly_care_institution',
      skipBadRows: true,
    });
    assert.equal(report.accepted, true);
    assert.equal(report.created, 2);
    assert.deepEqual((await store.facilities.list()).items.map((f) => f.code).sort(), ['1', '4']);
    assert.ok(rejectedRows);
    assert.equal(rejectedRows.fileName, 'registry.rejected.csv');
    const text = rejectedRows.bytes.toString('utf8');
    assert.ok(text.startsWith('\ufeff'), 'UTF-8 with BOM, for Excel');
    const rejectedLines = text.slice(1).trim().split(/\r?\n/);
    assert.equal(rejectedLines.length, 3);
    assert.equal(rejectedLines[0], `${HEADER},问题 problem`);
    assert.match(rejectedLines[1], /^2,测试乙,x,锦江区,.*district '锦江区' is not a district of 上海市/);
    assert.match(rejectedLines[2], /^3,测试丙,.*beds: expected a non-negative whole number/);
    // Fixed in place and imported again: the problem column is ignored, the rows go in.
    const fixed =
      rejectedLines[1].replace('锦江区', '宝山区') + '\r\n' + rejectedLines[2].replace(',abc,', ',30,');
    const again = await run(store, {
      bytes: csv([rejectedLines[0], ...fixed.split('\r\n')]),
      fileName: rejectedRows.fileName,
      type: 'elderly_care_institution',
    });
    assert.equal(again.report.accepted, true, JSON.stringify(again.report.problems));
    assert.equal(again.report.created, 2);
    assert.deepEqual(again.report.ignoredColumns, ['type', '问题 problem']);
  } finally {
    await dispose();
  }
});

test('an unknown 街道 is a warning and the row keeps its district code; the same provider at one address is flagged', async () => {
  const { store, dispose } = await shanghai();
  try {
    const lines = [
      'id,name,district,street,address,lng,lat',
      '1,测试甲,宝山区,不存在街道,测试路1号,121.40,31.35',
      '2,测试乙,宝山区,,测试路2号,121.41,31.35',
    ];
    const { report } = await run(store, { bytes: csv(lines), type: 'pharmacy' });
    assert.equal(report.accepted, true);
    assert.deepEqual(
      report.warnings.map((w) => [w.row, w.reason]),
      [[2, 'unknown_street']],
    );
    assert.equal((await store.facilities.get('1'))?.regionCode, BAOSHAN);
    assert.equal((await store.facilities.get('2'))?.regionCode, BAOSHAN);
  } finally {
    await dispose();
  }
});

test('header synonyms: each name a register uses lands on its field; a real code column outranks 序号', () => {
  const cases: [string, string][] = [
    ['编号', 'code'],
    ['序号', 'code'],
    ['机构编号', 'code'],
    ['id', 'code'],
    ['ID', 'code'],
    ['名称', 'name'],
    ['机构名称', 'name'],
    ['name', 'name'],
    ['床位数', 'capacity'],
    ['核定床位', 'capacity'],
    ['beds', 'capacity'],
    ['capacity', 'capacity'],
    ['所属区', 'district'],
    ['区县', 'district'],
    ['district', 'district'],
    ['街道', 'street'],
    ['街镇', 'street'],
    ['street', 'street'],
    ['地址', 'address'],
    ['address', 'address'],
    ['经度', 'lon'],
    ['lng', 'lon'],
    ['lon', 'lon'],
    ['x', 'lon'],
    ['纬度', 'lat'],
    ['lat', 'lat'],
    ['y', 'lat'],
    ['统一社会信用代码', 'providerUscc'],
    ['USCC', 'providerUscc'],
  ];
  for (const [header, field] of cases) {
    const { columns } = resolveColumns('facilities', [header]);
    assert.equal(columns.get(field), header, `${header} → ${field}`);
  }
  const ranked = resolveColumns('facilities', ['序号', '机构名称', '机构编号', 'lng', 'lat']);
  assert.equal(ranked.columns.get('code'), '机构编号');
  assert.deepEqual(ranked.ignored, ['序号']);
  // No code column and no type column: only the type is missing (a code is made; --type gives the type).
  assert.deepEqual(
    resolveColumns('facilities', ['name', 'lng', 'lat']).missing.map((f) => f.key),
    ['typeCode'],
  );
  // Communities: 区/街道 names stand in for the division code column.
  assert.deepEqual(resolveColumns('communities', ['编码', '名称', '街道', '经度', '纬度']).missing, []);
});

test('district and street names match with or without their suffix, never by one character', () => {
  assert.equal(nameCore('宝山区'), '宝山');
  assert.equal(nameCore('友谊路街道'), '友谊路');
  assert.equal(nameCore('友谊路街道办事处'), '友谊路');
  assert.equal(nameCore('罗店镇'), '罗店');
  assert.equal(nameCore('浦东新区'), '浦东');
  assert.equal(nameCore('城区'), '城区');
  assert.equal(nameCore(' 宝山 区 '), '宝山');
});

test('residential areas are linked to the 社区 that holds them, else the nearest 社区 point within the distance; population apportioned', async () => {
  const { store, dispose } = await shanghai();
  try {
    const deps = { store, clock: manualClock('2026-12-03T10:00:00+08:00'), cityCode: CITY };
    const place = (code: string, lon: number, lat: number) => ({
      code,
      name: `测试小区${code}`,
      regionCode: BAOSHAN,
      location: { lon, lat },
      boundary: null,
      population: null,
      ageGroups: {},
      populationEstimated: false,
    });
    await store.transaction(async (tx) => {
      await tx.communities.upsert(place('P1', 121.405, 31.355)); // inside the square below
      await tx.communities.upsert(place('P2', 121.406, 31.356)); // inside too
      await tx.communities.upsert(place('P3', 121.5, 31.5 + 0.002)); // 222 m north of the point 社区
      await tx.communities.upsert(place('P4', 121.3, 31.25)); // far from both
    });
    const square = [
      [121.4, 31.35],
      [121.41, 31.35],
      [121.41, 31.36],
      [121.4, 31.36],
      [121.4, 31.35],
    ];
    const friendship = streets.find((s) => s.name === '友谊路街道')!;
    const file = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { 编码: 'U1', 名称: '测试社区甲', 所属区县: '宝山区', 街道: '友谊路', 常住人口: 1001 },
          geometry: { type: 'Polygon', coordinates: [square] },
        },
        {
          type: 'Feature',
          properties: { 编码: 'U2', 名称: '测试社区乙', 所属区县: '宝山区', 常住人口: 500 },
          geometry: { type: 'Point', coordinates: [121.5, 31.5] },
        },
      ],
    };
    const bytes = Buffer.from(JSON.stringify(file));
    const report = await linkCommunities(deps, VIEWER, {
      bytes,
      fileName: '社区.geojson',
      maxDistanceM: 300,
      apportion: true,
    });
    assert.equal(report.linkedInside, 2);
    assert.equal(report.linkedNearest, 1);
    assert.equal(report.unlinked, 1);
    assert.equal(report.unlinkedExamples[0].placeCode, 'P4');
    assert.equal((await store.communities.get('P1'))?.regionCode, friendship.code);
    assert.equal((await store.communities.get('P3'))?.regionCode, BAOSHAN);
    assert.equal((await store.communities.get('P4'))?.regionCode, BAOSHAN, 'unlinked: left as it was');
    // 1001 residents over two places with no outline: equal shares, summing exactly.
    const shares = [(await store.communities.get('P1'))!, (await store.communities.get('P2'))!];
    assert.deepEqual(shares.map((c) => c.population).sort(), [500, 501]);
    assert.ok(shares.every((c) => c.populationEstimated));
    assert.equal((await store.communities.get('P3'))?.population, 500);
    // 100 m is too short for P3 (222 m away).
    const short = await linkCommunities(deps, VIEWER, {
      bytes,
      fileName: '社区.geojson',
      maxDistanceM: 100,
      dryRun: true,
    });
    assert.equal(short.linkedNearest, 0);
    assert.equal(short.dryRun, true);
  } finally {
    await dispose();
  }
});
