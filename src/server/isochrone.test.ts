import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { haversineM } from '../geo/index.js';
import { importOsmNetwork, type WalkGraph } from '../network/index.js';
import { fromWgs84 } from '../registry/index.js';
import { openTemporaryStore, type Store } from '../store/index.js';
import { buildApp } from './app.js';

// The bundled real OSM extract of central 成都 (data/chengdu-central, © OpenStreetMap contributors, ODbL).
let graph: WalkGraph;
let store: Store;
let dispose: () => Promise<void>;
before(async () => {
  graph = await importOsmNetwork('data/chengdu-central/chengdu-central-2018.osm');
  ({ store, dispose } = await openTemporaryStore());
});
after(async () => dispose());

// 天府广场 (WGS-84, OpenStreetMap).
const LON = 104.06573;
const LAT = 30.65742;

test('an isochrone never reaches farther than its walking distance as the crow flies', async () => {
  const app = await buildApp({ store, cityCode: '5101', graph });
  const res = await app.inject({ url: `/api/isochrone?lon=${LON}&lat=${LAT}&meters=500` });
  assert.equal(res.statusCode, 200, res.body);
  const body = res.json();
  assert.ok(body.origin.snapDistanceM < 300);
  assert.ok(body.reachedLengthM > 1000, `reached ${body.reachedLengthM} m of paths`);
  assert.equal(body.outline.geometry.type, 'Polygon');
  for (const f of body.lines.features)
    for (const [lon, lat] of f.geometry.coordinates)
      assert.ok(haversineM(lon, lat, body.origin.lon, body.origin.lat) <= 500 + 1, `${lon},${lat}`);
  await app.close();
});

test('a GCJ-02 point (as AMap shows it) gives the same isochrone as its WGS-84 original', async () => {
  const app = await buildApp({ store, cityCode: '5101', graph });
  const [glon, glat] = fromWgs84([LON, LAT], 'GCJ02');
  const wgs = (await app.inject({ url: `/api/isochrone?lon=${LON}&lat=${LAT}&meters=300` })).json();
  const gcj = (
    await app.inject({ url: `/api/isochrone?lon=${glon}&lat=${glat}&meters=300&crs=GCJ-02` })
  ).json();
  assert.equal(gcj.reachedLengthM, wgs.reachedLengthM);
  await app.close();
});

test('without a walking graph the isochrone answers 501 LC_NOT_AVAILABLE', async () => {
  const app = await buildApp({ store, cityCode: '5101' });
  const res = await app.inject({ url: `/api/isochrone?lon=${LON}&lat=${LAT}&meters=500` });
  assert.equal(res.statusCode, 501);
  assert.equal(res.json().error.code, 'LC_NOT_AVAILABLE');
  await app.close();
});
