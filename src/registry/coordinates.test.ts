import { test } from 'node:test';
import assert from 'node:assert/strict';
import { haversineM } from '../geo/index.js';
import { fromWgs84, parseCoordinateSystem, toWgs84 } from './coordinates.js';

// 天府广场, 成都: WGS-84 position read from OpenStreetMap (node of the square's centre, © OSM contributors).
const TIANFU_SQUARE_WGS84: [number, number] = [104.06573, 30.65742];

test('a GCJ-02 position converts back to the WGS-84 original within a metre', () => {
  const gcj = fromWgs84(TIANFU_SQUARE_WGS84, 'GCJ02');
  const back = toWgs84(gcj, 'GCJ02');
  assert.ok(haversineM(back[0], back[1], ...TIANFU_SQUARE_WGS84) < 1);
});

test('the GCJ-02 offset in 成都 is hundreds of metres, so ignoring it would misplace facilities', () => {
  const gcj = fromWgs84(TIANFU_SQUARE_WGS84, 'GCJ02');
  const offset = haversineM(gcj[0], gcj[1], ...TIANFU_SQUARE_WGS84);
  assert.ok(offset > 200 && offset < 800, `offset ${offset} m`);
});

test('a BD-09 position converts back to WGS-84 within a metre', () => {
  const bd = fromWgs84(TIANFU_SQUARE_WGS84, 'BD09');
  const back = toWgs84(bd, 'BD09');
  assert.ok(haversineM(back[0], back[1], ...TIANFU_SQUARE_WGS84) < 1);
});

test('coordinate system names are read in English and Chinese', () => {
  assert.equal(parseCoordinateSystem('GCJ-02'), 'GCJ02');
  assert.equal(parseCoordinateSystem('高德'), 'GCJ02');
  assert.equal(parseCoordinateSystem('baidu'), 'BD09');
  assert.equal(parseCoordinateSystem('wgs84'), 'WGS84');
  assert.equal(parseCoordinateSystem('UTM'), null);
});
