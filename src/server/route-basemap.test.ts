import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VectorTile } from '@mapbox/vector-tile';
// @mapbox/vector-tile reads with pbf 5 (installed as pbf-reader for tests); the product writes with pbf 3.
import { PbfReader } from 'pbf-reader';
import { importCityNetwork, LifeCircleEngine, loadCityGraph } from '../analysis/index.js';
import { createCity } from '../cities/index.js';
import { cliViewer } from '../policy/index.js';
import { loadStandards } from '../standards/index.js';
import { openTemporaryStore, type Store } from '../store/index.js';
import { manualClock } from '../time/index.js';
import { buildApp, type App } from './app.js';

/**
 * The basemap routes over the real engine: a city set up from the synthetic fixture of src/basemap/fixtures (made-up
 * names, not a real place), its network and basemap imported in one go by `cities.importNetwork`.
 */
const FIXTURE = 'src/basemap/fixtures/synthetic-basemap.osm';
const CITY = '310113';
const clock = manualClock('2026-12-06T10:00:00+08:00');

async function withApp(fn: (app: App, store: Store) => Promise<void>, dropBasemap = false): Promise<void> {
  const tmp = await openTemporaryStore({ clock });
  try {
    const deps = { store: tmp.store, clock, cityCode: CITY };
    await createCity(deps, cliViewer('test'), { code: CITY });
    const imported = await importCityNetwork(deps, cliViewer('test'), {
      cityCode: CITY,
      path: FIXTURE,
      fileName: 'synthetic-basemap.osm',
      places: false,
      standards: loadStandards(undefined),
    });
    assert.deepEqual(imported.basemap.counts, { water: 3, green: 3, buildings: 3, roads: 8, places: 4 });
    // A city whose network was imported before basemaps existed has none.
    if (dropBasemap) await tmp.query('DELETE FROM city_basemaps');
    const graph = (await loadCityGraph(tmp.store, CITY))!;
    const engine = new LifeCircleEngine({ store: tmp.store, cityCode: CITY, graph, census: [], clock });
    await engine.evaluate();
    const app = await buildApp({ store: tmp.store, cityCode: CITY, clock, map: engine, analysis: engine });
    try {
      await fn(app, tmp.store);
    } finally {
      await app.close();
    }
  } finally {
    await tmp.dispose();
  }
}

/** The layers of a tile answer and the properties of their features (sorted). */
function layersOf(body: Buffer): Record<string, Record<string, unknown>[]> {
  const tile = new VectorTile(new PbfReader(new Uint8Array(body)));
  return Object.fromEntries(
    Object.entries(tile.layers).map(([name, layer]) => {
      const features: string[] = [];
      for (let i = 0; i < layer.length; i++) features.push(JSON.stringify(layer.feature(i).properties));
      return [name, features.sort().map((f) => JSON.parse(f) as Record<string, unknown>)];
    }),
  );
}

// The fixture lies in tile 14/13717/6685 (121.3989–121.4209 E, 31.3912–31.4099 N) and its parents.
const Z14 = '/api/map/tiles/basemap/14/13717/6685.pbf';
const Z13 = '/api/map/tiles/basemap/13/6858/3342.pbf';

test('GET /api/map/tiles/basemap/{z}/{x}/{y}.pbf: one vector tile with the five layers; buildings from zoom 14', async () => {
  await withApp(async (app) => {
    const close = await app.inject({ url: Z14 });
    assert.equal(close.statusCode, 200);
    assert.equal(close.headers['content-type'], 'application/vnd.mapbox-vector-tile');
    const layers = layersOf(close.rawPayload);
    assert.deepEqual(Object.keys(layers), ['water', 'green', 'buildings', 'roads', 'places']);
    assert.deepEqual(layers.buildings, [
      { class: 'building', name: '合成医院' },
      { class: 'building' },
      { class: 'building' },
    ]);
    assert.deepEqual(layers.water, [
      { class: 'reservoir', name: '合成水库' },
      { class: 'river', name: '合成河' },
      { class: 'water', name: '合成湖' },
    ]);
    assert.ok(layers.roads.some((r) => r.class === 'major' && r.name === '合成大道' && r.bridge === true));

    const far = layersOf((await app.inject({ url: Z13 })).rawPayload);
    assert.deepEqual(Object.keys(far), ['water', 'green', 'roads', 'places'], 'no buildings before zoom 14');
    assert.deepEqual(far.places, [{ class: 'town', name: '合成镇' }], 'points of interest from zoom 14');
    const low = layersOf((await app.inject({ url: '/api/map/tiles/basemap/12/3429/1671.pbf' })).rawPayload);
    assert.deepEqual(
      [...new Set(low.roads.map((r) => r.class))].sort(),
      ['major', 'secondary', 'tertiary'],
      'minor roads and paths from zoom 13',
    );

    // Empty as the other tile layers: 204; off the zoom's grid: 400; the other layers still answer.
    const empty = await app.inject({ url: '/api/map/tiles/basemap/14/0/0.pbf' });
    assert.equal(empty.statusCode, 204);
    assert.equal(empty.body, '');
    assert.equal((await app.inject({ url: '/api/map/tiles/basemap/2/4/0.pbf' })).statusCode, 400);
    assert.equal((await app.inject({ url: '/api/map/tiles/streets/14/13717/6685.pbf' })).statusCode, 200);

    const summary = (await app.inject({ url: '/api/map/summary' })).json<{
      basemap: boolean;
      attribution: string;
    }>();
    assert.equal(summary.basemap, true);
    assert.match(summary.attribution, /© OpenStreetMap contributors/);
  });
});

test('GET /api/map/places: named roads, places, parks and water, best first, at most `limit`', async () => {
  await withApp(async (app) => {
    const res = await app.inject({ url: `/api/map/places?q=${encodeURIComponent('合成')}&limit=4` });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), {
      basemap: true,
      items: [
        {
          kind: 'place',
          class: 'town',
          name: '合成镇',
          lon: 121.405,
          lat: 31.4,
          bbox: [121.405, 31.4, 121.405, 31.4],
        },
        {
          kind: 'water',
          class: 'river',
          name: '合成河',
          lon: 121.405,
          lat: 31.401,
          bbox: [121.401, 31.401, 121.409, 31.401],
        },
        {
          kind: 'water',
          class: 'water',
          name: '合成湖',
          lon: 121.4025,
          lat: 31.4025,
          bbox: [121.402, 31.402, 121.403, 31.403],
        },
        {
          kind: 'place',
          class: 'hospital',
          name: '合成医院',
          lon: 121.4065,
          lat: 31.397,
          bbox: [121.4065, 31.397, 121.4065, 31.397],
        },
      ],
    });
    const road = (await app.inject({ url: '/api/map/places?q=synthetic%20ROAD' })).json<{
      items: unknown[];
    }>();
    assert.deepEqual(road.items, [
      {
        kind: 'road',
        class: 'secondary',
        name: 'Synthetic Road',
        lon: 121.405,
        lat: 31.398,
        bbox: [121.401, 31.398, 121.409, 31.398],
      },
    ]);
    assert.equal((await app.inject({ url: '/api/map/places?q=x&limit=21' })).statusCode, 400);
    assert.equal((await app.inject({ url: '/api/map/places?q=' })).statusCode, 400);
  });
});

test('a city without a basemap: the summary says basemap false, its tiles are empty, its search finds nothing', async () => {
  await withApp(async (app) => {
    assert.equal((await app.inject({ url: '/api/map/summary' })).json<{ basemap: boolean }>().basemap, false);
    assert.equal((await app.inject({ url: Z14 })).statusCode, 204);
    assert.deepEqual((await app.inject({ url: '/api/map/places?q=%E5%90%88%E6%88%90' })).json(), {
      basemap: false,
      items: [],
    });
  }, true);
});
