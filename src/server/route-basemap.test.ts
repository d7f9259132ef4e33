import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { VectorTile } from '@mapbox/vector-tile';
// @mapbox/vector-tile reads with pbf 5 (installed as pbf-reader for tests); the product writes with pbf 3.
import { PbfReader } from 'pbf-reader';
import { importCityNetwork, LifeCircleEngine, loadCityGraph } from '../analysis/index.js';
import { encodeBasemap, type Basemap, type BasemapFeature } from '../basemap/index.js';
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

async function withApp(
  fn: (app: App, store: Store) => Promise<void>,
  {
    dropBasemap = false,
    engineStore = (store: Store) => store,
  }: { dropBasemap?: boolean; engineStore?: (store: Store) => Store } = {},
): Promise<void> {
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
    const engine = new LifeCircleEngine({
      store: engineStore(tmp.store),
      cityCode: CITY,
      graph,
      census: [],
      clock,
    });
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
  await withApp(
    async (app) => {
      assert.equal(
        (await app.inject({ url: '/api/map/summary' })).json<{ basemap: boolean }>().basemap,
        false,
      );
      assert.equal((await app.inject({ url: Z14 })).statusCode, 204);
      assert.deepEqual((await app.inject({ url: '/api/map/places?q=%E5%90%88%E6%88%90' })).json(), {
        basemap: false,
        items: [],
      });
    },
    { dropBasemap: true },
  );
});

test('basemap tiles: gzip only when the client takes it, a weak ETag, 304 for the copy the client has', async () => {
  await withApp(async (app) => {
    const plain = await app.inject({ url: Z14 });
    assert.equal(plain.statusCode, 200);
    assert.equal(plain.headers['content-encoding'], undefined, 'no Accept-Encoding: not compressed');
    assert.equal(plain.headers['cache-control'], 'no-cache');
    assert.equal(plain.headers.vary, 'accept-encoding');
    const etag = plain.headers.etag as string;
    assert.match(etag, /^W\/"[\w-]{27}"$/);

    for (const accept of ['gzip', 'br, gzip, deflate', 'gzip;q=0.5, identity', '*', 'x-gzip']) {
      const gzipped = await app.inject({ url: Z14, headers: { 'accept-encoding': accept } });
      assert.equal(gzipped.headers['content-encoding'], 'gzip', accept);
      assert.equal(gzipped.headers['content-type'], 'application/vnd.mapbox-vector-tile');
      assert.equal(gzipped.headers.etag, etag, 'one tag for both encodings (weak)');
      assert.equal(gzipped.headers.vary, 'accept-encoding');
      assert.deepEqual(gunzipSync(gzipped.rawPayload), plain.rawPayload, accept);
    }
    for (const accept of ['identity', 'br, deflate', 'gzip;q=0', '*, gzip;q=0', 'gzip;q=0, *']) {
      const refused = await app.inject({ url: Z14, headers: { 'accept-encoding': accept } });
      assert.equal(refused.headers['content-encoding'], undefined, accept);
      assert.deepEqual(refused.rawPayload, plain.rawPayload, accept);
    }

    const current = await app.inject({
      url: Z14,
      headers: { 'if-none-match': `"other", ${etag}`, 'accept-encoding': 'gzip' },
    });
    assert.equal(current.statusCode, 304);
    assert.equal(current.rawPayload.byteLength, 0);
    assert.equal(current.headers.etag, etag);
    assert.equal(current.headers.vary, 'accept-encoding');
    const strong = await app.inject({ url: Z14, headers: { 'if-none-match': etag.slice(2) } });
    assert.equal(strong.statusCode, 304, 'If-None-Match compares weakly');
    const stale = await app.inject({ url: Z14, headers: { 'if-none-match': 'W/"other"' } });
    assert.equal(stale.statusCode, 200);
    const other = await app.inject({ url: Z13 });
    assert.notEqual(other.headers.etag, etag, 'another tile, another tag');
  });
});

/**
 * A SYNTHETIC basemap big enough that decoding and indexing it takes a while (as Porto's 1.7 MB): 30,000 tertiary
 * roads of 12 points zigzagging over the fixture's square kilometre.
 */
function bigBasemap(): Basemap {
  const roads: BasemapFeature[] = [];
  for (let i = 0; i < 30_000; i++) {
    const lat = 31.394 + (i % 1000) * 1.5e-5;
    const lon = 121.401 + Math.floor(i / 1000) * 3e-4;
    const line: [number, number][] = [];
    for (let k = 0; k < 12; k++)
      line.push([+(lon + k * 2.5e-5).toFixed(6), +(lat + (k % 2) * 7e-6).toFixed(6)]);
    roads.push({
      class: 'tertiary',
      name: `合成路${i}`,
      geometry: { type: 'MultiLineString', coordinates: [line] },
    });
  }
  return {
    layers: { water: [], green: [], buildings: [], roads, places: [] },
    counts: { water: 0, green: 0, buildings: 0, roads: roads.length, places: 0 },
    bbox: [121.401, 31.394, 121.41, 31.409],
  };
}

test('the event loop stays free while a big basemap is decoded and indexed: /api/health answers before the first tile', async () => {
  // Once the engine has read the basemap's bytes, a health check goes out: in-thread decoding and indexing would
  // answer the tile first (nothing else runs meanwhile); the basemap thread lets the health check through.
  let afterRead = () => {};
  const engineStore = (store: Store): Store => {
    const cityBasemaps = {
      ...store.cityBasemaps,
      data: async (cityCode: string) => {
        const data = await store.cityBasemaps.data(cityCode);
        afterRead();
        return data;
      },
    };
    return new Proxy(store, {
      get: (target, key) => {
        if (key === 'cityBasemaps') return cityBasemaps;
        const value: unknown = Reflect.get(target, key);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  };
  await withApp(
    async (app, store) => {
      const big = bigBasemap();
      const { data, sha256, format } = encodeBasemap(big);
      await store.cityBasemaps.put({
        cityCode: CITY,
        fileName: 'big.osm',
        sourceSha256: 'b'.repeat(64),
        format,
        sha256,
        bytes: data.byteLength,
        counts: big.counts,
        bbox: big.bbox,
        createdBy: 'test',
        data,
      });
      await app.listen({ host: '127.0.0.1', port: 0 });
      const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
      const order: string[] = [];
      let health: Promise<unknown> = Promise.resolve();
      afterRead = () => {
        afterRead = () => {};
        health = fetch(`${base}/api/health`)
          .then((r) => r.json())
          .then(() => order.push('health'));
      };
      // An empty tile: the whole basemap is decoded and indexed for it, and its answer is small at once (a large
      // tile's bytes, gzip'd off the event loop, would let the health check by whichever way it was cut).
      const tile = await fetch(`${base}/api/map/tiles/basemap/14/0/0.pbf`);
      assert.equal(tile.status, 204);
      await tile.arrayBuffer();
      order.push('tile');
      await health;
      assert.deepEqual(order, ['health', 'tile']);
    },
    { engineStore },
  );
});
