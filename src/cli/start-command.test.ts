import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { VectorTile } from '@mapbox/vector-tile';
// @mapbox/vector-tile reads with pbf 5; the product's OSM reader uses pbf 3 (pbf 5 is installed as pbf-reader for tests).
import { PbfReader } from 'pbf-reader';
import { importCityNetwork, prepareStore } from '../analysis/index.js';
import { createCity } from '../cities/index.js';
import { cliViewer } from '../policy/index.js';
import { loadStandards } from '../standards/index.js';
import { openStore } from '../store/index.js';
import { systemClock } from '../time/index.js';
import { startPlatform, type Started } from './start-command.js';

const FIXTURES = fileURLToPath(new URL('../../../src/cli/fixtures/', import.meta.url));
const PASSWORD = 'start-test-password-1';

let dir: string;
let started: Started;

interface Summary {
  runId: number;
  inputsHash: string;
  communities: number;
  facilities: number;
  types: { id: string; radiusM: number; required: boolean; tier: string }[];
}
interface Detail {
  code: string;
  types: {
    typeId: string;
    nearestM: number | null;
    radiusM: number;
    covered: boolean;
    countWithinRadius: number;
  }[];
  lacks: { tier: string; missing: string[] }[];
  runId: number;
}
interface Feature {
  properties: Record<string, unknown>;
  geometry: { type: string; coordinates: unknown };
}

/** The slippy-map tile (Web Mercator) holding a point at zoom z. */
function tileOf([lon, lat]: [number, number], z: number): [number, number, number] {
  const r = (lat * Math.PI) / 180;
  return [
    z,
    Math.floor(((lon + 180) / 360) * 2 ** z),
    Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * 2 ** z),
  ];
}

const get = async <T>(path: string, token?: string): Promise<{ status: number; body: T }> => {
  const res = await fetch(started.url + path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.status, body: (await res.json()) as T };
};
const login = async (username: string, password: string): Promise<string> => {
  const res = await fetch(`${started.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  return ((await res.json()) as { token: string }).token;
};
const post = async (path: string, body: unknown, token?: string, type = 'application/json') => {
  const res = await fetch(started.url + path, {
    method: 'POST',
    headers: { 'content-type': type, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
  });
  return {
    status: res.status,
    body: (await res.json()) as Record<string, unknown> & { error?: { code: string } },
  };
};

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lifecircle-start-'));
  started = await startPlatform({
    port: 0,
    db: join(dir, 'lifecircle.db'),
    env: { LIFECIRCLE_ADMIN_PASSWORD: PASSWORD },
  });
});

after(async () => {
  await started?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('the first start loads the bundled communities and facilities and records one analysis run', async () => {
  const { store } = started;
  const runs = await store.analysisRuns.list({ kind: 'coverage' });
  assert.equal(runs.total, 1);
  const { body: summary } = await get<Summary>('/api/map/summary');
  assert.equal(summary.runId, runs.items[0].id);
  assert.equal(summary.inputsHash, runs.items[0].inputsHash);
  assert.equal(summary.communities, await store.communities.count());
  assert.equal(summary.facilities, await store.facilities.count());
  assert.ok(summary.communities > 100, `expected the bundled residential areas, got ${summary.communities}`);
  const audit = await store.audit.list({ entity: 'communities' });
  assert.equal(audit.items.filter((e) => e.action === 'import').length, 1);
  assert.ok(started.lines.some((l) => l.startsWith('login') && l.includes(`admin / ${PASSWORD}`)));
});

test('the first start gives the bundled city the basemap of the bundled extract, once, audited; its tiles draw central Chengdu', async () => {
  const { store } = started;
  const basemap = (await store.cityBasemaps.get('5101'))!;
  assert.equal(basemap.fileName, 'chengdu-central-2018.osm');
  assert.equal(basemap.sourceSha256, 'dc4fd916ca60143d63008acb95e17ab5383ce353749b618c55b6745757f0b27b');
  assert.equal(basemap.createdBy, 'system:bundled-data');
  // The 2018 extract's buildings, roads, water, green and named places (data/chengdu-central/SOURCE.md).
  assert.ok(basemap.counts.roads >= 2000 && basemap.counts.buildings >= 700, JSON.stringify(basemap.counts));
  assert.ok(basemap.counts.water > 10 && basemap.counts.green > 30 && basemap.counts.places > 100);
  assert.ok(started.lines.some((l) => /^basemap {4}read from chengdu-central-2018\.osm: \d+ roads/.test(l)));
  const audit = await store.audit.list({ entity: 'city_basemaps' });
  assert.deepEqual(
    audit.items.map((e) => [e.action, e.entityKey, e.actorName]),
    [['create', '5101', 'system:bundled-data']],
  );
  const { body: summary } = await get<{ basemap: boolean }>('/api/map/summary');
  assert.equal(summary.basemap, true);
  // 天府广场 (Tianfu Square) at zoom 15: roads with names and buildings around it.
  const [z, x, y] = tileOf([104.0657, 30.6573], 15);
  const res = await fetch(`${started.url}/api/map/tiles/basemap/${z}/${x}/${y}.pbf`);
  assert.equal(res.status, 200);
  const tile = new VectorTile(new PbfReader(new Uint8Array(await res.arrayBuffer())));
  assert.ok(tile.layers.roads && tile.layers.buildings, Object.keys(tile.layers).join());
  const names = new Set<unknown>();
  for (let i = 0; i < tile.layers.roads.length; i++) names.add(tile.layers.roads.feature(i).properties.name);
  assert.ok(names.has('人民中路一段') && names.has('顺城大街'), [...names].join());
  const { body: found } = await get<{ items: { kind: string; name: string }[] }>(
    `/api/map/places?q=${encodeURIComponent('人民公园')}`,
  );
  assert.deepEqual(found.items[0], { ...found.items[0], kind: 'green', name: '人民公园' });
});

test("the first start shows 成都's own plan (seed 004), imported through plans.import and audited; its targets are suggestions", async () => {
  const { store } = started;
  const plans = await store.plans.listPlans();
  assert.deepEqual(
    plans.map((p) => [p.title, p.importedBy]),
    [['关于创新发展生活性服务业建设高品质和谐宜居生活城市的意见', 'system:bundled-data']],
  );
  const audit = await store.audit.list({ entity: 'plans' });
  assert.deepEqual(
    audit.items.map((e) => [e.action, e.actorName]),
    [['import', 'system:bundled-data']],
  );
  assert.ok(started.lines.some((l) => /^plans {6}imported 关于创新发展生活性服务业/.test(l)));
  // "城市社区养老服务设施覆盖率达100%" is offered on the indicator it names; nothing is confirmed for the coordinator.
  const { body: suggestions } = await get<{ code: string }[]>(
    `/api/indicators/suggest?phrase=${encodeURIComponent('社区养老服务设施覆盖率')}&unit=%25`,
  );
  assert.equal(suggestions[0]?.code, 'community-elderly-care-coverage');
  assert.deepEqual(
    await store.indicators.listTargets({}),
    [],
    'no target is set without a person confirming it',
  );
});

test("a community's distances agree with its map colouring and its 15-minute circle lacks exactly the uncovered required types", async () => {
  const { body: summary } = await get<Summary>('/api/map/summary');
  const { body: layer } = await get<{ features: Feature[] }>('/api/map/communities');
  const props = layer.features[0].properties;
  const { body: detail } = await get<Detail>(
    `/api/map/communities/${encodeURIComponent(String(props.code))}`,
  );
  assert.equal(detail.runId, summary.runId);
  for (const t of detail.types) {
    assert.equal(t.covered, t.nearestM !== null && t.nearestM <= t.radiusM, t.typeId);
    assert.equal(props[`c:${t.typeId}`], t.covered ? 1 : 0, t.typeId);
    assert.equal(props[`d:${t.typeId}`], t.nearestM, t.typeId);
  }
  const required15 = summary.types.filter((t) => t.required).map((t) => t.id);
  const uncovered = new Set(detail.types.filter((t) => !t.covered).map((t) => t.typeId));
  const lacks15 = detail.lacks.find((l) => l.tier === 'fifteen-minute')?.missing ?? [];
  assert.deepEqual([...lacks15].sort(), required15.filter((id) => uncovered.has(id)).sort());
  assert.equal(props.lacks15, lacks15.length);
});

test('a 15-minute isochrone reaches more street than a 5-minute one from the same community', async () => {
  const { body: layer } = await get<{ features: Feature[] }>('/api/map/communities');
  const code = encodeURIComponent(String(layer.features[0].properties.code));
  const short = await get<{ reachedLengthM: number; limitM: number }>(
    `/api/map/isochrone?community=${code}&minutes=5`,
  );
  const long = await get<{ reachedLengthM: number; limitM: number; lines: { features: unknown[] } }>(
    `/api/map/isochrone?community=${code}&minutes=15`,
  );
  assert.equal(long.status, 200);
  assert.equal(long.body.limitM, 900);
  assert.ok(short.body.reachedLengthM > 0);
  assert.ok(long.body.reachedLengthM > short.body.reachedLengthM);
  assert.ok(long.body.lines.features.length > 0);
});

test('the point isochrone API is served by start too (the graph is wired in)', async () => {
  const res = await get<{ reachedLengthM: number }>('/api/isochrone?lon=104.0837&lat=30.6576&meters=500');
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.ok(res.body.reachedLengthM > 500);
});

test('an isochrone from a point far from every street answers 404 naming the point', async () => {
  const res = await get<{ error: { code: string; message: string } }>(
    '/api/map/isochrone?lon=116.3975&lat=39.9087',
  );
  assert.equal(res.status, 404);
  assert.match(res.body.error.message, /116\.3975,39\.9087/);
  const neither = await get<{ error: { code: string } }>('/api/map/isochrone');
  assert.equal(neither.status, 400);
});

test('the per-district coverage table accounts for every community once', async () => {
  const { body: summary } = await get<Summary>('/api/map/summary');
  const { body: rows } = await get<{ communities: number; types: { typeId: string }[] }[]>(
    '/api/map/coverage?level=district',
  );
  assert.equal(
    rows.reduce((s, r) => s + r.communities, 0),
    summary.communities,
  );
  assert.deepEqual(
    rows[0].types.map((t) => t.typeId),
    summary.types.map((t) => t.id),
  );
});

test('the public reads map data without personal fields but may not run an analysis', async () => {
  const { body: layer } = await get<{ features: Feature[]; numberMatched: number }>('/api/map/facilities');
  assert.ok(layer.features.length > 0);
  assert.equal(layer.numberMatched, layer.features.length);
  for (const f of layer.features) assert.ok(!('contactPhone' in f.properties));
  const denied = await post('/api/analysis/runs', { kind: 'coverage' });
  assert.equal(denied.status, 401);
  assert.equal(denied.body.error?.code, 'LC_AUTH_REQUIRED');
});

test('facilities by bounding box, a page at a time: the box and the pages agree with the whole layer', async () => {
  type Page = { features: Feature[]; numberMatched: number; numberReturned: number };
  const { body: all } = await get<Page>('/api/map/facilities?limit=10000');
  const [w, s, e, n] = [104.05, 30.64, 104.08, 30.67];
  const inside = all.features
    .filter((f) => {
      const [lon, lat] = f.geometry.coordinates as [number, number];
      return lon >= w && lon <= e && lat >= s && lat <= n;
    })
    .map((f) => f.properties.code)
    .sort();
  assert.ok(inside.length >= 3 && inside.length < all.features.length, `${inside.length} in the box`);
  const { body: first } = await get<Page>(`/api/map/facilities?bbox=${w},${s},${e},${n}&limit=2`);
  assert.equal(first.numberMatched, inside.length);
  assert.equal(first.numberReturned, 2);
  const { body: rest } = await get<Page>(`/api/map/facilities?bbox=${w},${s},${e},${n}&limit=1000&offset=2`);
  assert.deepEqual([...first.features, ...rest.features].map((f) => f.properties.code).sort(), inside);
  const wrong = await get<{ error: { code: string; message: string } }>(
    '/api/map/facilities?bbox=104.1,30.6,104.0,30.7',
  );
  assert.equal(wrong.status, 400);
  assert.match(wrong.body.error.message, /west ≤ east/);
});

test('map layers come as vector tiles: facilities without personal fields, communities with their coverage', async () => {
  // The zoom-12 tile holding the first facility of the layer.
  const { body: layer } = await get<{ features: Feature[] }>('/api/map/facilities?limit=1');
  const [z, x, y] = tileOf(layer.features[0].geometry.coordinates as [number, number], 12);
  const res = await fetch(`${started.url}/api/map/tiles/facilities/${z}/${x}/${y}.pbf`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/vnd.mapbox-vector-tile');
  const tile = new VectorTile(new PbfReader(new Uint8Array(await res.arrayBuffer())));
  const facilities = tile.layers.facilities;
  assert.ok(facilities.length > 0);
  const feature = facilities.feature(0);
  // Public fields only (capacity is left out of a tile when unknown): never contact names or phones.
  const PUBLIC = ['affordable', 'capacity', 'code', 'name', 'status', 'type'];
  for (let i = 0; i < facilities.length; i++)
    for (const key of Object.keys(facilities.feature(i).properties))
      assert.ok(PUBLIC.includes(key), `tile property ${key}`);
  assert.ok(['code', 'name', 'type'].every((k) => k in feature.properties));
  const point = feature.toGeoJSON(x, y, z).geometry;
  assert.equal(point.type, 'Point');
  const [lon, lat] = (point as unknown as { coordinates: [number, number] }).coordinates;
  const size = 360 / 2 ** z;
  assert.ok(lon >= -180 + x * size && lon <= -180 + (x + 1) * size, `lon ${lon} in the tile`);
  assert.ok(lat > 30 && lat < 31);
  const communities = new VectorTile(
    new PbfReader(
      new Uint8Array(
        await (await fetch(`${started.url}/api/map/tiles/communities/${z}/${x}/${y}.pbf`)).arrayBuffer(),
      ),
    ),
  ).layers.communities;
  assert.ok(communities.length > 0);
  assert.ok(Object.keys(communities.feature(0).properties).some((k) => k.startsWith('d:')));
  // An empty tile (the open sea) is 204; a tile outside its zoom's grid is refused.
  assert.equal((await fetch(`${started.url}/api/map/tiles/streets/12/0/0.pbf`)).status, 204);
  assert.equal((await fetch(`${started.url}/api/map/tiles/streets/2/4/0.pbf`)).status, 400);
});

test('an imported facility changes the inputs hash; the new run is what the map then shows', async () => {
  const token = await login('admin', PASSWORD);
  const { body: before } = await get<Summary>('/api/map/summary');
  const imported = await post(
    '/api/facilities/import?fileName=facilities-good.csv',
    readFileSync(join(FIXTURES, 'facilities-good.csv')),
    token,
    'text/csv',
  );
  assert.equal(imported.status, 200, JSON.stringify(imported.body));
  const run = await post('/api/analysis/runs', { kind: 'coverage' }, token);
  assert.equal(run.status, 201);
  assert.notEqual(run.body.inputsHash, before.inputsHash);
  const { body: after } = await get<Summary>('/api/map/summary');
  assert.equal(after.runId, run.body.id);
  assert.equal(after.facilities, before.facilities + 2);
  const { body: daycare } = await get<{ features: Feature[] }>('/api/map/facilities?type=elderly-daycare');
  const added = daycare.features.find((f) => f.properties.code === 'TEST-ELD-001') as Feature;
  const [tz, tx, ty] = tileOf(added.geometry.coordinates as [number, number], 12);
  const tiled = await fetch(`${started.url}/api/map/tiles/facilities/${tz}/${tx}/${ty}.pbf`);
  const codes = new VectorTile(new PbfReader(new Uint8Array(await tiled.arrayBuffer()))).layers.facilities;
  const inTile = Array.from({ length: codes.length }, (_, i) => codes.feature(i).properties.code);
  assert.ok(inTile.includes('TEST-ELD-001'), 'the tiles follow the new run');
  assert.ok(daycare.features.some((f) => f.properties.code === 'TEST-ELD-001'));
});

test('an analysis run is a job: 202 at once with Prefer: respond-async, progress, then the run the map shows', async () => {
  const token = await login('admin', PASSWORD);
  const res = await fetch(`${started.url}/api/analysis/runs`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
      prefer: 'respond-async',
    },
    body: JSON.stringify({ kind: 'coverage' }),
  });
  assert.equal(res.status, 202);
  const queued = (await res.json()) as { id: number; kind: string };
  assert.equal(queued.kind, 'analysis.run');
  assert.equal(res.headers.get('location'), `/api/jobs/${queued.id}`);
  type JobView = { status: string; finishedAt: string | null; analysisRun: { id: number } | null };
  let job: JobView;
  do {
    await new Promise((resolve) => setTimeout(resolve, 50));
    job = (await get<JobView>(`/api/jobs/${queued.id}`, token)).body;
  } while (!job.finishedAt);
  assert.equal(job.status, 'succeeded');
  const runId = job.analysisRun?.id as number;
  assert.equal((await get(`/api/analysis/runs/${runId}`)).status, 200);
  // The map takes the evaluation as the job ends.
  for (let i = 0; i < 50 && (await get<Summary>('/api/map/summary')).body.runId !== runId; i++)
    await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal((await get<Summary>('/api/map/summary')).body.runId, runId);
});

test('the dashboard is served at / and the OpenAPI document lists the map routes', async () => {
  const page = await fetch(`${started.url}/`);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /生活圈/);
  const { body: doc } = await get<{ paths: Record<string, unknown> }>('/api/openapi.json');
  for (const path of ['/api/map/summary', '/api/map/streets', '/api/map/communities', '/api/map/isochrone'])
    assert.ok(path in doc.paths, path);
});

test('a second start over the same store loads nothing and reuses the run of unchanged inputs', async () => {
  const db = join(dir, 'lifecircle.db');
  const { body: summary } = await get<Summary>('/api/map/summary');
  const communities = await started.store.communities.count();
  await started.close();
  started = await startPlatform({ port: 0, db });
  assert.ok(started.lines.some((l) => l.includes('nothing loaded')));
  assert.ok(started.lines.some((l) => l.includes('reused')));
  assert.ok(started.lines.some((l) => l.includes('existing users')));
  assert.equal(await started.store.communities.count(), communities);
  assert.equal((await started.store.plans.listPlans()).length, 1, 'the plan is not imported twice');
  assert.ok(started.lines.some((l) => l.startsWith('basemap    kept from chengdu-central-2018.osm')));
  assert.equal(
    (await started.store.audit.list({ entity: 'city_basemaps' })).total,
    1,
    'the basemap is read once',
  );
  assert.ok(!started.lines.some((l) => l.startsWith('plans')));
  const { body: again } = await get<Summary>('/api/map/summary');
  assert.equal(again.runId, summary.runId);
});

test('start --city serves another city from the network its store keeps: its own 小区, its network; a city without one is told what to do', async () => {
  const other = mkdtempSync(join(tmpdir(), 'lifecircle-start-city-'));
  const db = join(other, 'lifecircle.db');
  try {
    const store = await openStore({ path: db });
    try {
      await prepareStore(store, { LIFECIRCLE_ADMIN_PASSWORD: PASSWORD });
      const deps = { store, clock: systemClock, cityCode: '3101' };
      await createCity(deps, cliViewer('test'), { code: '3101' });
      // The synthetic grid of src/analysis/fixtures (not a real place): two 小区, one kindergarten.
      await importCityNetwork(deps, cliViewer('test'), {
        cityCode: '3101',
        path: 'src/analysis/fixtures/synthetic-grid.osm',
        fileName: 'synthetic-grid.osm',
        places: true,
        standards: loadStandards(undefined),
      });
    } finally {
      await store.close();
    }
    await assert.rejects(
      startPlatform({ port: 0, db, city: '1201' }),
      /city 1201 has no walking network yet; .*lifecircle city network 1201 <file\.osm\.pbf>/,
    );
    const shanghai = await startPlatform({ port: 0, db, city: '上海市' });
    try {
      assert.match(shanghai.lines[0], /^LifeCircle 生活圈 — 上海市 \(3101\), network synthetic-grid\.osm/);
      const summary = (await (await fetch(`${shanghai.url}/api/map/summary`)).json()) as Summary;
      assert.equal(summary.communities, 2);
      assert.equal(summary.facilities, 1);
      const streets = (await (await fetch(`${shanghai.url}/api/map/streets`)).json()) as {
        features: unknown[];
      };
      assert.equal(streets.features.length, 112, 'the 112 street segments of the grid');
      // Its basemap came with its network: the grid's streets.
      assert.equal((summary as Summary & { basemap: boolean }).basemap, true);
      const runs = await shanghai.store.analysisRuns.list({ kind: 'coverage' });
      assert.equal((runs.items[0].parameters as { cityCode: string }).cityCode, '3101');
    } finally {
      await shanghai.close();
    }
  } finally {
    rmSync(other, { recursive: true, force: true });
  }
});
