import { test } from 'node:test';
import assert from 'node:assert/strict';
import { haversineM } from '../geo/index.js';
import { fromWgs84, parseCoordinateSystem, toWgs84 } from './coordinates.js';

type LonLat = [number, number];

// 天府广场, 成都: WGS-84 position read from OpenStreetMap (node of the square's centre, © OSM contributors).
const TIANFU_SQUARE_WGS84: LonLat = [104.06573, 30.65742];

/** Metres between two [lon, lat] positions. */
const metres = (a: LonLat, b: LonLat): number => haversineM(a[0], a[1], b[0], b[1]);

function assertWithin(actual: LonLat, expected: LonLat, maxM: number, label: string): void {
  const d = metres(actual, expected);
  assert.ok(d < maxM, `${label}: ${actual.join(', ')} is ${d.toFixed(2)} m from ${expected.join(', ')}`);
}

/** GCJ-02 → BD-09 and back through the module's only two entry points (WGS-84 is the pivot). */
const gcjToBd = (p: LonLat): LonLat => fromWgs84(toWgs84(p, 'GCJ02'), 'BD09');
const bdToGcj = (p: LonLat): LonLat => fromWgs84(toWgs84(p, 'BD09'), 'GCJ02');

// ---- Published pairs, each from a source independent of this project ([lon, lat] order throughout) ----

/**
 * wandergis/coordtransform, README.md "示例用法" (the most used JavaScript implementation, npm `coordtransform`):
 * every function applied to (116.404, 39.915), results printed as
 *   bd09togcj02:  [ 116.39762729119315, 39.90865673957631 ]
 *   gcj02tobd09:  [ 116.41036949371029, 39.92133699351021 ]
 *   wgs84togcj02: [ 116.41024449916938, 39.91640428150164 ]
 *   gcj02towgs84: [ 116.39775550083061, 39.91359571849836 ]
 */
const WANDERGIS_INPUT: LonLat = [116.404, 39.915];
const WANDERGIS = {
  bd09ToGcj02: [116.39762729119315, 39.90865673957631] as LonLat,
  gcj02ToBd09: [116.41036949371029, 39.92133699351021] as LonLat,
  wgs84ToGcj02: [116.41024449916938, 39.91640428150164] as LonLat,
  gcj02ToWgs84: [116.39775550083061, 39.91359571849836] as LonLat,
};

/**
 * wyxloading/coordtransform-rs, tests/tests.rs (a Rust port): the WGS-84 ↔ BD-09 directions at the same input,
 *   bd09_to_wgs84(116.404, 39.915) == (116.3913836995125, 39.907253214522164)
 *   wgs84_to_bd09(116.404, 39.915) == (116.41662724378733, 39.922699552216216)
 */
const RS_BD09_TO_WGS84: LonLat = [116.3913836995125, 39.907253214522164];
const RS_WGS84_TO_BD09: LonLat = [116.41662724378733, 39.922699552216216];

/**
 * googollee/eviltransform, go/transform_test.go (also python/test.py, php/EvilTransformTest.php): the table
 * `{wgsLat, wgsLng, gcjLat, gcjLng}` of three cities. Written here as [lon, lat].
 */
const EVILTRANSFORM = [
  { city: 'shanghai', wgs: [121.5272106, 31.1774276], gcj: [121.531541859215, 31.17530398364597] },
  { city: 'shenzhen', wgs: [113.912316, 22.543847], gcj: [113.9171764808363, 22.540796131694766] },
  { city: 'beijing', wgs: [116.377817, 39.911954], gcj: [116.38404722455657, 39.91334545536069] },
] as { city: string; wgs: LonLat; gcj: LonLat }[];

/**
 * 成都市 武侯区, from hujiulong/gcoord test/fixtures/china-cities.json (commit fedbaa10, "test: add test data",
 * 2018-12-29): "WGS84": [104.0640437, 30.5747262], "GCJ02": [104.0665489, 30.5722732], "BD09": [104.0730134,
 * 30.5783237]. gcoord is the library coordinates.ts wraps, so this is not an independent implementation, but the
 * fixture is data given to 7 decimals (its own tests only check it to 4), and it is the only published triple
 * inside 成都 that was found. It differs from the formulas by ≈0.65 m, so it is checked to 1 m, not tighter.
 */
const CHENGDU_WUHOU = {
  wgs: [104.0640437, 30.5747262] as LonLat,
  gcj: [104.0665489, 30.5722732] as LonLat,
  bd: [104.0730134, 30.5783237] as LonLat,
};

test('WGS-84 → GCJ-02 matches the published pairs of coordtransform and eviltransform within 1 m', () => {
  assertWithin(fromWgs84(WANDERGIS_INPUT, 'GCJ02'), WANDERGIS.wgs84ToGcj02, 1, 'wandergis');
  for (const { city, wgs, gcj } of EVILTRANSFORM) assertWithin(fromWgs84(wgs, 'GCJ02'), gcj, 1, city);
});

test('GCJ-02 → WGS-84 matches the published pairs within 1 m', () => {
  assertWithin(toWgs84(WANDERGIS_INPUT, 'GCJ02'), WANDERGIS.gcj02ToWgs84, 1, 'wandergis');
  for (const { city, wgs, gcj } of EVILTRANSFORM) assertWithin(toWgs84(gcj, 'GCJ02'), wgs, 1, city);
});

test('GCJ-02 → BD-09 and BD-09 → GCJ-02 match coordtransform’s published results within 1 m', () => {
  assertWithin(gcjToBd(WANDERGIS_INPUT), WANDERGIS.gcj02ToBd09, 1, 'gcj02tobd09');
  assertWithin(bdToGcj(WANDERGIS_INPUT), WANDERGIS.bd09ToGcj02, 1, 'bd09togcj02');
});

test('WGS-84 → BD-09 and BD-09 → WGS-84 match coordtransform-rs’s published results within 1 m', () => {
  assertWithin(fromWgs84(WANDERGIS_INPUT, 'BD09'), RS_WGS84_TO_BD09, 1, 'wgs84_to_bd09');
  assertWithin(toWgs84(WANDERGIS_INPUT, 'BD09'), RS_BD09_TO_WGS84, 1, 'bd09_to_wgs84');
});

test('in 成都 (武侯区) the published WGS-84 / GCJ-02 / BD-09 triple is reproduced in every direction within 1 m', () => {
  const { wgs, gcj, bd } = CHENGDU_WUHOU;
  assertWithin(fromWgs84(wgs, 'GCJ02'), gcj, 1, 'WGS84 → GCJ02');
  assertWithin(toWgs84(gcj, 'GCJ02'), wgs, 1, 'GCJ02 → WGS84');
  assertWithin(fromWgs84(wgs, 'BD09'), bd, 1, 'WGS84 → BD09');
  assertWithin(toWgs84(bd, 'BD09'), wgs, 1, 'BD09 → WGS84');
  assertWithin(gcjToBd(gcj), bd, 1, 'GCJ02 → BD09');
  assertWithin(bdToGcj(bd), gcj, 1, 'BD09 → GCJ02');
});

test('the offsets point the published way: GCJ-02 lies north-east of WGS-84 in 北京, south-east in 成都', () => {
  // Signs read off the published pairs above, so a conversion applied backwards fails here too.
  const bj = fromWgs84(WANDERGIS_INPUT, 'GCJ02');
  assert.deepEqual([bj[0] > WANDERGIS_INPUT[0], bj[1] > WANDERGIS_INPUT[1]], [true, true]);
  const cd = fromWgs84(CHENGDU_WUHOU.wgs, 'GCJ02');
  assert.deepEqual([cd[0] > CHENGDU_WUHOU.wgs[0], cd[1] < CHENGDU_WUHOU.wgs[1]], [true, true]);
  // BD-09 adds ≈0.0065° east and ≈0.006° north to GCJ-02 (the constants of the published BD-09 formula).
  const bd = gcjToBd(CHENGDU_WUHOU.gcj);
  assert.ok(Math.abs(bd[0] - CHENGDU_WUHOU.gcj[0] - 0.0065) < 0.0005, `Δlon ${bd[0] - CHENGDU_WUHOU.gcj[0]}`);
  assert.ok(Math.abs(bd[1] - CHENGDU_WUHOU.gcj[1] - 0.006) < 0.0005, `Δlat ${bd[1] - CHENGDU_WUHOU.gcj[1]}`);
});

test('a GCJ-02 position converts back to the WGS-84 original within a metre', () => {
  const gcj = fromWgs84(TIANFU_SQUARE_WGS84, 'GCJ02');
  const back = toWgs84(gcj, 'GCJ02');
  assert.ok(metres(back, TIANFU_SQUARE_WGS84) < 1);
});

test('the GCJ-02 offset in 成都 is hundreds of metres, so ignoring it would misplace facilities', () => {
  const gcj = fromWgs84(TIANFU_SQUARE_WGS84, 'GCJ02');
  const offset = metres(gcj, TIANFU_SQUARE_WGS84);
  assert.ok(offset > 200 && offset < 800, `offset ${offset} m`);
});

test('a BD-09 position converts back to WGS-84 within a metre', () => {
  const bd = fromWgs84(TIANFU_SQUARE_WGS84, 'BD09');
  const back = toWgs84(bd, 'BD09');
  assert.ok(metres(back, TIANFU_SQUARE_WGS84) < 1);
});

test('WGS-84 in and out is the identity', () => {
  assert.deepEqual(toWgs84(TIANFU_SQUARE_WGS84, 'WGS84'), TIANFU_SQUARE_WGS84);
  assert.deepEqual(fromWgs84(TIANFU_SQUARE_WGS84, 'WGS84'), TIANFU_SQUARE_WGS84);
});

test('coordinate system names are read in English and Chinese', () => {
  assert.equal(parseCoordinateSystem('GCJ-02'), 'GCJ02');
  assert.equal(parseCoordinateSystem('高德'), 'GCJ02');
  assert.equal(parseCoordinateSystem('baidu'), 'BD09');
  assert.equal(parseCoordinateSystem('wgs84'), 'WGS84');
  assert.equal(parseCoordinateSystem('UTM'), null);
});

test('every coordinate-system name the importer documents is recognised, whatever the case and separators', () => {
  // What the names mean (not read from the code): EPSG:4326 is WGS-84 in the EPSG registry and GPS positions
  // are WGS-84; AMap (高德) and Tencent (腾讯) maps use GCJ-02, nicknamed 火星坐标; Baidu (百度) uses BD-09,
  // whose longitude/latitude form Baidu's APIs call bd09ll.
  const cases: [string, string | null][] = [
    ['WGS84', 'WGS84'],
    ['epsg 4326', 'WGS84'],
    ['EPSG:4326', 'WGS84'],
    ['EPSG_4326', 'WGS84'],
    ['GPS', 'WGS84'],
    ['gcj_02', 'GCJ02'],
    ['AMap', 'GCJ02'],
    [' 高德 ', 'GCJ02'],
    ['Tencent', 'GCJ02'],
    ['腾讯', 'GCJ02'],
    ['火星', 'GCJ02'],
    ['BD-09', 'BD09'],
    ['bd09ll', 'BD09'],
    ['BD09-LL', 'BD09'],
    ['Baidu', 'BD09'],
    ['百度', 'BD09'],
    // Nothing, or only separators, names no system.
    ['', null],
    ['  ', null],
    ['-_', null],
  ];
  for (const [text, expected] of cases)
    assert.equal(parseCoordinateSystem(text), expected, JSON.stringify(text));
});
