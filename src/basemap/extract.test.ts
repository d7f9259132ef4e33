import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LifeCircleError } from '../errors.js';
import {
  BASEMAP_FORMAT,
  decodeBasemap,
  encodeBasemap,
  extractBasemap,
  type BasemapFeature,
} from './index.js';

/** The synthetic fixture of fixtures/README.md (made-up names and places, nothing real). */
const FIXTURE = 'src/basemap/fixtures/synthetic-basemap.osm';

/** A feature in brief: class, name (null: none), geometry type, and the road flags that are set. */
const brief = (f: BasemapFeature) => [
  f.class,
  f.name ?? null,
  f.geometry.type,
  ...(f.bridge ? ['bridge'] : []),
  ...(f.tunnel ? ['tunnel'] : []),
];

test('one pass over an OSM extract collects each layer with exactly its classes and names', async () => {
  const basemap = await extractBasemap(FIXTURE);
  assert.deepEqual(basemap.layers.water.map(brief), [
    ['river', '合成河', 'MultiLineString'],
    ['water', '合成湖', 'MultiPolygon'],
    ['reservoir', '合成水库', 'MultiPolygon'],
  ]);
  assert.deepEqual(basemap.layers.green.map(brief), [
    ['park', '合成公园', 'MultiPolygon'],
    ['grass', null, 'MultiPolygon'],
    ['garden', '合成街心花园', 'MultiPolygon'],
  ]);
  // Two closed ways (one named, one a hospital) and a multipolygon relation; the open building way is left out.
  assert.deepEqual(basemap.layers.buildings.map(brief), [
    ['building', null, 'MultiPolygon'],
    ['building', '合成医院', 'MultiPolygon'],
    ['building', null, 'MultiPolygon'],
  ]);
  // highway=construction and the pedestrian area (area=yes) are not roads; name:zh wins over name.
  assert.deepEqual(basemap.layers.roads.map(brief), [
    ['major', '合成大道', 'MultiLineString', 'bridge'],
    ['secondary', '合成大道', 'MultiLineString'],
    ['minor', '合成一路', 'MultiLineString'],
    ['path', null, 'MultiLineString', 'tunnel'],
    ['secondary', 'Synthetic Road', 'MultiLineString'],
    ['tertiary', '合成三路', 'MultiLineString'],
    ['minor', '新合成路', 'MultiLineString'],
    ['minor', null, 'MultiLineString'],
  ]);
  // Named nodes only (the hamlet without a name, the bench and the locality are not places), then the hospital
  // at its outline's centroid.
  assert.deepEqual(basemap.layers.places.map(brief), [
    ['town', '合成镇', 'Point'],
    ['school', '合成小学', 'Point'],
    ['hotel', '合成宾馆', 'Point'],
    ['hospital', '合成医院', 'Point'],
  ]);
  assert.deepEqual(basemap.layers.places[3].geometry.coordinates, [121.4065, 31.397]);
  assert.deepEqual(basemap.counts, { water: 3, green: 3, buildings: 3, roads: 8, places: 4 });
  assert.deepEqual(basemap.bbox, [121.401, 31.394, 121.413, 31.408]);
  assert.deepEqual(basemap.skipped, { openAreas: 1, openRelations: 1, missingNodeRefs: 1 });
  assert.equal(basemap.source.fileName, 'synthetic-basemap.osm');
  assert.equal(basemap.source.format, 'xml');
  assert.match(basemap.source.sha256, /^[0-9a-f]{64}$/);
});

test('closed ways are areas only where their tags say so; lines stay lines, rings are assembled with their holes', async () => {
  const { layers } = await extractBasemap(FIXTURE);
  const lake = layers.water[1].geometry;
  assert.deepEqual(lake, {
    type: 'MultiPolygon',
    coordinates: [
      [
        [
          [121.402, 31.402],
          [121.403, 31.402],
          [121.403, 31.403],
          [121.402, 31.403],
          [121.402, 31.402],
        ],
      ],
    ],
  });
  // A closed highway (a loop) is a road line, not an area.
  assert.deepEqual(layers.roads[6].geometry, {
    type: 'MultiLineString',
    coordinates: [
      [
        [121.412, 31.396],
        [121.413, 31.396],
        [121.413, 31.397],
        [121.412, 31.396],
      ],
    ],
  });
  // The reservoir: two untagged outer ways joined into one ring, the untagged inner way its hole.
  const reservoir = layers.water[2].geometry;
  assert.equal(reservoir.type, 'MultiPolygon');
  assert.equal(reservoir.coordinates.length, 1);
  assert.deepEqual(
    reservoir.coordinates[0].map((ring) => ring.length),
    [5, 5],
  );
  assert.deepEqual(reservoir.coordinates[0][1][0], [121.402, 31.406]);
  // A way whose node the extract lacks is cut there: the piece of one point is dropped.
  assert.deepEqual(layers.roads[7].geometry, {
    type: 'MultiLineString',
    coordinates: [
      [
        [121.411, 31.4],
        [121.412, 31.4],
      ],
    ],
  });
});

test('a malformed extract is LC_OSM_FORMAT naming the file as the user knows it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lc-basemap-'));
  try {
    const path = join(dir, 'upload-123.tmp');
    writeFileSync(path, '<osm version="0.6"><node id="1" lat="north" lon="121.4"/></osm>');
    await assert.rejects(
      extractBasemap(path, { fileName: '宝山.osm' }),
      (error: unknown) =>
        error instanceof LifeCircleError &&
        error.code === 'LC_OSM_FORMAT' &&
        error.message.startsWith('宝山.osm:1:') &&
        /lat="north" is not a number/.test(error.message) &&
        !error.message.includes('upload-123'),
    );
    writeFileSync(path, 'not an extract at all');
    await assert.rejects(extractBasemap(path), (error: unknown) => {
      assert.ok(error instanceof LifeCircleError);
      assert.equal(error.code, 'LC_OSM_FORMAT');
      assert.ok(error.message.includes(path), error.message);
      return true;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the stored encoding round-trips every feature; corrupt bytes or another format are LC_BASEMAP_FORMAT', async () => {
  const basemap = await extractBasemap(FIXTURE);
  const encoded = encodeBasemap(basemap);
  assert.equal(encoded.format, BASEMAP_FORMAT);
  const decoded = decodeBasemap(encoded.data, encoded.sha256, 'the test basemap');
  assert.deepEqual(decoded.layers, basemap.layers);
  assert.deepEqual(decoded.counts, basemap.counts);
  assert.deepEqual(decoded.bbox, basemap.bbox);

  const damaged = encoded.data.slice();
  damaged[20] ^= 0xff;
  assert.throws(
    () => decodeBasemap(damaged, encoded.sha256, 'the basemap of city 310113 (x.osm)'),
    (error: unknown) =>
      error instanceof LifeCircleError &&
      error.code === 'LC_BASEMAP_FORMAT' &&
      /^the basemap of city 310113 \(x\.osm\): the stored bytes are corrupt/.test(error.message),
  );
  const other = encodeBasemap(basemap);
  const { gzipSync, gunzipSync } = await import('node:zlib');
  const { createHash } = await import('node:crypto');
  const text = gunzipSync(other.data).toString('utf8').replace(BASEMAP_FORMAT, 'lifecircle-basemap/99');
  const future = gzipSync(text);
  assert.throws(
    () => decodeBasemap(future, createHash('sha256').update(future).digest('hex'), 'a basemap'),
    /format "lifecircle-basemap\/99", this build reads lifecircle-basemap\/1/,
  );
});
