import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VectorTile } from '@mapbox/vector-tile';
// @mapbox/vector-tile reads with pbf 5 (installed as pbf-reader for tests); the product writes with pbf 3.
import { PbfReader } from 'pbf-reader';
import { BasemapTiles, extractBasemap, PlaceIndex } from './index.js';

const FIXTURE = 'src/basemap/fixtures/synthetic-basemap.osm';

/** The slippy-map tile (Web Mercator) holding a point at zoom z. */
function tileOf(lon: number, lat: number, z: number): [number, number, number] {
  const r = (lat * Math.PI) / 180;
  return [
    z,
    Math.floor(((lon + 180) / 360) * 2 ** z),
    Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * 2 ** z),
  ];
}

/** The tile's layers: name → the features' properties, sorted for comparison. */
function decode(bytes: Uint8Array | null): Record<string, Record<string, unknown>[]> {
  if (!bytes) return {};
  const tile = new VectorTile(new PbfReader(bytes));
  const out: Record<string, Record<string, unknown>[]> = {};
  for (const [name, layer] of Object.entries(tile.layers)) {
    const features = [];
    for (let i = 0; i < layer.length; i++) features.push({ ...layer.feature(i).properties });
    out[name] = features
      .map((f) => JSON.stringify(f))
      .sort()
      .map((f) => JSON.parse(f) as Record<string, unknown>);
  }
  return out;
}

test('a basemap tile holds the layers water, green, buildings, roads and places with class and name; detail only at close zooms', async () => {
  const tiles = new BasemapTiles(await extractBasemap(FIXTURE));
  // The fixture's 1.4 km fits in one tile at zoom 13 and 14 around 121.407 E, 31.401 N.
  const [z14, x14, y14] = tileOf(121.407, 31.401, 14);
  const close = decode(tiles.tile(z14, x14, y14));
  assert.deepEqual(Object.keys(close), ['water', 'green', 'buildings', 'roads', 'places']);
  assert.deepEqual(close.roads, [
    { class: 'major', name: '合成大道', bridge: true },
    { class: 'minor', name: '合成一路' },
    { class: 'minor', name: '新合成路' },
    { class: 'minor' },
    { class: 'path', tunnel: true },
    { class: 'secondary', name: 'Synthetic Road' },
    { class: 'secondary', name: '合成大道' },
    { class: 'tertiary', name: '合成三路' },
  ]);
  assert.deepEqual(close.buildings, [
    { class: 'building', name: '合成医院' },
    { class: 'building' },
    { class: 'building' },
  ]);
  assert.deepEqual(close.places, [
    { class: 'hospital', name: '合成医院' },
    { class: 'hotel', name: '合成宾馆' },
    { class: 'school', name: '合成小学' },
    { class: 'town', name: '合成镇' },
  ]);
  assert.deepEqual(close.water, [
    { class: 'reservoir', name: '合成水库' },
    { class: 'river', name: '合成河' },
    { class: 'water', name: '合成湖' },
  ]);
  assert.deepEqual(close.green, [
    { class: 'garden', name: '合成街心花园' },
    { class: 'grass' },
    { class: 'park', name: '合成公园' },
  ]);

  // Zoom 13: no buildings and no points of interest yet; minor roads and paths are there.
  const at13 = decode(tiles.tile(...tileOf(121.407, 31.401, 13)));
  assert.deepEqual(Object.keys(at13), ['water', 'green', 'roads', 'places']);
  assert.deepEqual(at13.places, [{ class: 'town', name: '合成镇' }]);
  assert.ok(at13.roads.some((r) => r.class === 'minor') && at13.roads.some((r) => r.class === 'path'));
  // Zoom 12: major to tertiary roads only.
  const at12 = decode(tiles.tile(...tileOf(121.407, 31.401, 12)));
  assert.deepEqual([...new Set(at12.roads.map((r) => r.class))].sort(), ['major', 'secondary', 'tertiary']);
  assert.equal(at12.buildings, undefined);
  // A tile far away holds nothing: null (the route answers 204).
  assert.equal(tiles.tile(14, 0, 0), null);
  // Asked again, the same bytes (kept encoded).
  assert.equal(tiles.tile(z14, x14, y14), tiles.tile(z14, x14, y14));
});

test('place search: names containing the text, prefix matches first, then shorter names; a road once per name with the box of all its ways', async () => {
  const places = new PlaceIndex(await extractBasemap(FIXTURE));
  const hits = places.search('合成', 20);
  assert.deepEqual(
    hits.map((h) => [h.kind, h.class, h.name]),
    [
      ['place', 'town', '合成镇'],
      ['water', 'river', '合成河'],
      ['water', 'water', '合成湖'],
      ['place', 'hospital', '合成医院'],
      ['place', 'hotel', '合成宾馆'],
      ['place', 'school', '合成小学'],
      ['road', 'minor', '合成一路'],
      ['road', 'tertiary', '合成三路'],
      ['road', 'major', '合成大道'],
      ['green', 'park', '合成公园'],
      ['water', 'reservoir', '合成水库'],
      ['green', 'garden', '合成街心花园'],
      ['road', 'minor', '新合成路'],
    ],
  );
  const avenue = hits.find((h) => h.name === '合成大道')!;
  // Its two ways (primary 121.401–121.409, secondary 121.409–121.411): the box of both, the class of the higher,
  // the point in the middle of the longer.
  assert.deepEqual(avenue.bbox, [121.401, 31.394, 121.411, 31.394]);
  assert.deepEqual([avenue.lon, avenue.lat], [121.405, 31.394]);
  const lake = hits.find((h) => h.name === '合成湖')!;
  assert.deepEqual(lake.bbox, [121.402, 31.402, 121.403, 31.403]);
  assert.ok(Math.abs(lake.lon - 121.4025) < 1e-6 && Math.abs(lake.lat - 31.4025) < 1e-6);
  const town = hits[0];
  assert.deepEqual([town.lon, town.lat, town.bbox], [121.405, 31.4, [121.405, 31.4, 121.405, 31.4]]);

  // Case-insensitive; the limit cuts the list; nothing for what no name holds.
  assert.deepEqual(
    places.search('ROAD', 5).map((h) => h.name),
    ['Synthetic Road'],
  );
  assert.deepEqual(
    places.search('  synth', 5).map((h) => h.name),
    ['Synthetic Road'],
  );
  assert.equal(places.search('合成', 3).length, 3);
  assert.deepEqual(places.search('不存在', 10), []);
  assert.deepEqual(places.search('   ', 10), []);
});
