import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isLifeCircleError } from '../errors.js';
import { haversineM } from '../geo/index.js';
import { FACILITY_TYPES } from '../standards/index.js';
import {
  assembleRings,
  boundaryPoints,
  communitiesFromRecords,
  estimateFromCensus,
  readCensus,
  readCommunityFile,
  readDistricts,
  readFacilityFile,
  readOsmPlaces,
  ringAreaM2,
  shareInside,
  unnamedAreaName,
  unnamedAreaNameEn,
} from './index.js';

const FIXTURES = 'src/places/fixtures';
const CHENGDU = 'data/chengdu-central/chengdu-central-2018.osm';

function pointsError(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    assert.ok(isLifeCircleError(error));
    assert.equal(error.code, 'LC_POINTS_FORMAT');
    return error.message;
  }
  assert.fail('expected LC_POINTS_FORMAT');
}

test('boundary points of a 200 m × 200 m square are spread every 100 m along its 800 m perimeter', () => {
  const d = 200 / 111195; // degrees of latitude for 200 m; longitude scaled at 30.67°N
  const dLon = d / Math.cos((30.67 * Math.PI) / 180);
  const ring = [
    [104, 30.67],
    [104 + dLon, 30.67],
    [104 + dLon, 30.67 + d],
    [104, 30.67 + d],
    [104, 30.67],
  ] as const;
  const points = boundaryPoints(ring);
  assert.equal(points.length, 8);
  assert.ok(Math.abs(haversineM(points[0][0], points[0][1], points[1][0], points[1][1]) - 100) < 1);
  assert.ok(Math.abs(ringAreaM2(ring) - 40000) < 200);
});

test('census shares of 锦江区 split the 1–4 band evenly between 0–2 and 3–5 (hand-computed from its row)', () => {
  const jinjiang = readCensus(undefined, '5101').find((c) => c.name === '锦江区');
  assert.ok(jinjiang);
  assert.equal(jinjiang.population, 902933);
  // 0岁 2987+2753; 1–4岁 18392+17230; 5–9岁 24260+22499 (the census row).
  const under3 = 2987 + 2753 + (18392 + 17230) / 2;
  const threeToFive = (18392 + 17230) / 2 + (24260 + 22499) / 5;
  assert.ok(Math.abs(jinjiang.shares.age0to2 / jinjiang.shares.age3to5 - under3 / threeToFive) < 1e-12);
  assert.ok(Math.abs(jinjiang.shares.age0to2 - under3 / 902933) < 1e-12);
  // 60–64 21500+23484, 65–69 21684+23874, 70–74 13156+13987, 75–79 8658+8996, 80–84 6017+7174, 85+ 6037+7536
  // = 162103 of 902933 (the bands add up to the population).
  assert.ok(Math.abs(jinjiang.shares.age60plus - 162103 / 902933) < 1e-12, `${jinjiang.shares.age60plus}`);
});

test('the bundled Chengdu extract has 178 named residential areas, all placed in a district', async () => {
  const places = await readOsmPlaces(CHENGDU, FACILITY_TYPES);
  assert.equal(places.residentialAreas.filter((a) => a.named).length, 178);
  // The others carry the name made for them, with the OSM id a surveyor looks up, and read in English.
  const unnamed = places.residentialAreas.filter((a) => !a.named);
  assert.ok(unnamed.length > 0);
  for (const a of unnamed) {
    const [, kind, id] = /^osm-(way|relation)-(\d+)$/.exec(a.id) ?? [];
    assert.equal(a.name, `未命名居住区（OSM ${kind === 'way' ? '路径' : '关系'} ${id}）`);
    assert.equal(unnamedAreaNameEn(a.name), `Unnamed residential area (OSM ${kind} ${id})`);
  }
  assert.equal(unnamedAreaName('relation', 42), '未命名居住区（OSM 关系 42）');
  assert.equal(
    unnamedAreaNameEn('未命名居住区（OSM 关系 42）'),
    'Unnamed residential area (OSM relation 42)',
  );
  assert.equal(unnamedAreaNameEn('锦江区水井坊社区'), null, 'a real name is not translated');
  assert.equal(places.facilities.filter((f) => f.typeId === 'kindergarten').length, 5);
  const report = estimateFromCensus(places.residentialAreas, {
    census: readCensus(undefined, '5101'),
    districts: readDistricts(),
    region: places.bounds,
  });
  assert.equal(report.unassigned, 0);
  // Each district's placed residents are spread in full over its residential areas, in proportion to area.
  for (const d of report.districts) {
    const inDistrict = report.communities.filter((c) => c.district === d.name);
    const sum = inDistrict.reduce((s, c) => s + (c.demand?.all ?? 0), 0);
    assert.ok(Math.abs(sum - d.residentsPlaced) < 1e-6 * d.residentsPlaced, d.name);
    const [a, b] = inDistrict;
    if (a && b && a.demand && b.demand && a.areaM2 && b.areaM2)
      assert.ok(Math.abs(a.demand.all / a.areaM2 - b.demand.all / b.areaM2) < 1e-9);
  }
  assert.ok(report.communities.every((c) => c.populationEstimated && c.ageGroupsEstimated));
});

test('a community CSV keeps given age groups and estimates missing ones from the district shares', () => {
  const records = readCommunityFile(`${FIXTURES}/communities-ok.csv`);
  const [given, estimated] = communitiesFromRecords(records, readCensus(undefined, '5101'), readDistricts());
  assert.equal(given.demand?.age0to2, 200);
  assert.equal(given.demand?.age80plus, 190, '高龄 as counted');
  assert.equal(given.ageGroupsEstimated, false);
  assert.equal(given.subdistrict, '猛追湾街道');
  const chenghua = readCensus(undefined, '5101').find((c) => c.name === '成华区');
  assert.ok(chenghua);
  assert.ok(Math.abs((estimated.demand?.age60plus ?? 0) - 6000 * chenghua.shares.age60plus) < 1e-9);
  assert.ok(Math.abs((estimated.demand?.age80plus ?? 0) - 6000 * chenghua.shares.age80plus) < 1e-9);
  assert.equal(estimated.ageGroupsEstimated, true);
  assert.equal(estimated.populationEstimated, false);
});

test('a file counting the standards’ age groups but not 80+ still reads; its 80+ comes from the census, flagged', () => {
  const text = readFileSync(`${FIXTURES}/communities-ok.csv`, 'utf8')
    .split('\n')
    .map((line) => line.replace(/,[^,]*$/, ''))
    .join('\n');
  const dir = mkdtempSync(join(tmpdir(), 'lifecircle-80-'));
  try {
    writeFileSync(join(dir, 'communities.csv'), text);
    const [given] = communitiesFromRecords(
      readCommunityFile(join(dir, 'communities.csv')),
      readCensus(undefined, '5101'),
      readDistricts(),
    );
    const chenghua = readCensus(undefined, '5101').find((c) => c.name === '成华区');
    assert.ok(chenghua);
    assert.equal(given.demand?.age60plus, 1500, 'the counted groups kept');
    assert.ok(Math.abs((given.demand?.age80plus ?? 0) - 8000 * chenghua.shares.age80plus) < 1e-9);
    assert.equal(given.ageGroupsEstimated, true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the census’s 80+ share is its bands 80–84 and 85+ (成华区, 7th census)', () => {
  const chenghua = readCensus(undefined, '5101').find((c) => c.name === '成华区');
  // Read off data/census/census-2020-counties.csv by hand: 80–84 21,771 and 85+ 16,033 of 1,381,894 in all bands.
  assert.ok(Math.abs((chenghua?.shares.age80plus ?? 0) - (21771 + 16033) / 1381894) < 1e-12);
});

test('polygons without population get census estimates in proportion to area', () => {
  const records = readCommunityFile(`${FIXTURES}/communities-polygons.geojson`);
  const [a, b] = communitiesFromRecords(records, readCensus(undefined, '5101'), readDistricts());
  assert.ok(a.populationEstimated && b.populationEstimated);
  assert.ok(a.demand && b.demand && a.areaM2 && b.areaM2);
  assert.ok(Math.abs(b.demand.all / a.demand.all - b.areaM2 / a.areaM2) < 1e-9);
  assert.ok(Math.abs(b.areaM2 / a.areaM2 - 3) < 0.01);
});

test('a bad latitude names the file, line and field', () => {
  assert.match(
    pointsError(() => readCommunityFile(`${FIXTURES}/communities-bad-lat.csv`)),
    /communities-bad-lat\.csv line 3: lat should be a latitude in degrees .*got "north"/,
  );
});

test('age groups given only in part are rejected, naming the first missing column', () => {
  assert.match(
    pointsError(() => readCommunityFile(`${FIXTURES}/communities-partial-ages.csv`)),
    /line 2: age_3_5 should be given, as all age groups must be given or none/,
  );
});

test('a facility of an unknown type is rejected with the known types', () => {
  assert.match(
    pointsError(() => readFacilityFile(`${FIXTURES}/facilities-bad-type.csv`, ['kindergarten', 'nursery'])),
    /facilities-bad-type\.csv line 3: type should be one of kindergarten, nursery, got "kindergarden"/,
  );
});

test('share of a district inside a box: all of it for a box around it, none for a box away from it', () => {
  const jinjiang = readDistricts().find((d) => d.name === '锦江区');
  assert.ok(jinjiang);
  const [x0, y0, x1, y1] = jinjiang.bbox;
  assert.ok(Math.abs(shareInside(jinjiang, [x0 - 0.01, y0 - 0.01, x1 + 0.01, y1 + 0.01]) - 1) < 0.02);
  assert.equal(shareInside(jinjiang, [x1 + 1, y1 + 1, x1 + 2, y1 + 2]), 0);
});

test('a residential multipolygon relation becomes one area, its outer ways joined into a ring', async () => {
  const places = await readOsmPlaces(`${FIXTURES}/residential-multipolygon.osm`, FACILITY_TYPES);
  assert.equal(places.residentialAreas.length, 1);
  const [area] = places.residentialAreas;
  assert.equal(area.name, '多边形小区');
  assert.equal(area.source, 'osm:relation/100');
  assert.equal(area.ring.length, 5);
  // 0.002° of latitude = 222.4 m; 0.002° of longitude at 30.671°N = 191.2 m.
  assert.ok(Math.abs(area.areaM2 - 222.4 * 191.2) / (222.4 * 191.2) < 0.01);
});

test('ring assembly drops pieces that never close', () => {
  assert.deepEqual(
    assembleRings([
      [1, 2, 3],
      [3, 4, 1],
      [7, 8],
    ]),
    [[1, 2, 3, 4, 1]],
  );
});

test('the bundled census covers the whole country; a city takes its rows by code, so repeated names do not mix', () => {
  const all = readCensus();
  // Two 朝阳区 (北京 110105 and 长春 220104): by name alone one would stand for the other.
  assert.deepEqual(
    all.filter((c) => c.name === '朝阳区').map((c) => c.code),
    ['110105', '220104'],
  );
  const beijing = readCensus(undefined, '1101');
  assert.deepEqual(
    beijing.filter((c) => c.name === '朝阳区').map((c) => [c.code, c.population]),
    [['110105', 3452460]],
  );
  assert.ok(beijing.every((c) => c.code.startsWith('1101')));
  const baoshan = readCensus(undefined, '310113');
  assert.deepEqual(
    baoshan.map((c) => [c.name, c.population]),
    [['宝山区', 2235218]],
  );
  const shares = baoshan[0].shares;
  assert.ok(shares.age60plus > 0.1 && shares.age60plus < 0.4, `60+ share ${shares.age60plus}`);
});
