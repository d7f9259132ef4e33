import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCity } from '../cities/index.js';
import { LifeCircleError } from '../errors.js';
import { cliViewer, type Viewer } from '../policy/index.js';
import { loadStandards } from '../standards/index.js';
import { openTemporaryStore, type Store } from '../store/index.js';
import { manualClock } from '../time/index.js';
import {
  evaluatedProvider,
  evaluateStore,
  importCityNetwork,
  loadCityGraph,
  runAnalysis,
  summariseCoverageRun,
} from './index.js';

/** The synthetic grid of fixtures/README.md: 64 nodes, 112 segments of 100 m, two 小区, one kindergarten. */
const GRID = 'src/analysis/fixtures/synthetic-grid.osm';
const clock = manualClock('2026-12-06T10:00:00+08:00');
const ADMIN = cliViewer('test');
const STAFF: Viewer = { ...ADMIN, username: 'staff', role: 'staff' };
const standards = loadStandards(undefined);

const isError = (code: string, pattern: RegExp) => (error: unknown) =>
  error instanceof LifeCircleError && error.code === code && pattern.test(error.message);

async function withCity<T>(code: string, fn: (store: Store) => Promise<T>): Promise<T> {
  const tmp = await openTemporaryStore({ clock });
  try {
    await createCity({ store: tmp.store, clock, cityCode: code }, ADMIN, { code });
    return await fn(tmp.store);
  } finally {
    await tmp.dispose();
  }
}

const input = (cityCode: string, path = GRID, fileName = 'baoshan.osm') => ({
  cityCode,
  path,
  fileName,
  places: true,
  standards,
});

test("cities.importNetwork keeps a city's walking network in the store with its 小区 and facilities, audited; places are never doubled", async () => {
  await withCity('310113', async (store) => {
    const deps = { store, clock, cityCode: '310113' };
    await assert.rejects(importCityNetwork(deps, STAFF, input('310113')), isError('LC_FORBIDDEN', /cities/));
    const phases: string[] = [];
    const first = await importCityNetwork(deps, ADMIN, {
      ...input('310113'),
      onProgress: (p) => phases.push(p.phase ?? ''),
    });
    const s = first.network.summary;
    assert.equal(s.nodes, 64);
    assert.equal(s.edges, 112);
    assert.ok(Math.abs(s.totalLengthKm - 11.2) < 0.005, `${s.totalLengthKm} km`);
    assert.equal(s.components, 1);
    assert.equal(s.format, 'xml');
    assert.equal(first.network.fileName, 'baoshan.osm');
    assert.equal(first.replaced, false);
    assert.deepEqual([...new Set(phases)], ['reading', 'places', 'basemap', 'writing']);
    // 宝山区 has a bundled outline box: it is kept, not replaced by the network's extent.
    assert.equal(first.extentFromNetwork, false);
    assert.equal((await store.cities.get('310113'))?.extentSource, 'outline');
    assert.deepEqual(first.notes, [{ code: 'population-unknown', count: 2 }]);
    assert.equal(first.communitiesLoaded, 2);
    assert.equal(first.facilitiesLoaded, 1);
    const communities = await store.communities.list({ within: '310113' });
    assert.deepEqual(communities.items.map((c) => [c.code, c.name, c.population]).sort(), [
      ['osm-way-101', '合成小区甲（虚构）', null],
      ['osm-way-102', '合成小区乙（虚构）', null],
    ]);
    const kindergarten = await store.facilities.list({ typeCode: 'kindergarten' });
    assert.deepEqual(
      kindergarten.items.map((f) => [f.name, f.regionCode]),
      [['合成幼儿园（虚构）', '310113']],
    );
    const audit = await store.audit.list({ entity: 'city_networks', entityKey: '310113' });
    assert.equal(audit.items.length, 1);
    assert.equal(audit.items[0]?.action, 'create');
    assert.equal(audit.items[0]?.actorName, 'cli:test');
    // The basemap of the same extract, kept in the same transaction (the grid: its streets only).
    assert.deepEqual(first.basemap.counts, { water: 0, green: 0, buildings: 0, roads: 16, places: 1 });
    assert.equal(first.basemap.fileName, 'baoshan.osm');
    assert.equal(first.basemap.sourceSha256, first.network.sourceSha256);
    assert.deepEqual(await store.cityBasemaps.get('310113'), first.basemap);
    const basemapAudit = await store.audit.list({ entity: 'city_basemaps', entityKey: '310113' });
    assert.deepEqual(
      basemapAudit.items.map((e) => [e.action, e.actorName]),
      [['create', 'cli:test']],
    );

    const graph = await loadCityGraph(store, '310113');
    assert.equal(graph?.nodeCount, 64);
    assert.equal(graph?.meta.source.sha256, first.network.sourceSha256);

    // Again: the network is replaced; the 小区 and the kindergarten are there already and are not loaded twice.
    const again = await importCityNetwork(deps, ADMIN, input('310113'));
    assert.equal(again.replaced, true);
    assert.equal(again.communitiesLoaded, 0);
    assert.equal(again.facilitiesLoaded, 0);
    assert.deepEqual(again.notes, [{ code: 'communities-exist' }, { code: 'facilities-exist' }]);
    assert.equal((await store.facilities.list({})).total, 1);
    assert.equal((await store.audit.list({ entity: 'city_networks' })).items[0]?.action, 'update');
    assert.equal((await store.audit.list({ entity: 'city_basemaps' })).items[0]?.action, 'update');
  });
});

test('a city without a box takes the network’s extent, rounded outwards; a network of another place is refused by name', async () => {
  await withCity('310113', async (store) => {
    const deps = { store, clock, cityCode: '310113' };
    // The same grid moved to Chengdu (30.66° N 104.07° E) is not an extract of 宝山区.
    const dir = mkdtempSync(join(tmpdir(), 'lc-grid-'));
    try {
      const moved = join(dir, 'moved.osm');
      const text = readFileSync(GRID, 'utf8');
      writeFileSync(moved, text.replace(/lat="31\.4/g, 'lat="30.6').replace(/lon="121\.4/g, 'lon="104.0'));
      await assert.rejects(
        importCityNetwork(deps, ADMIN, input('310113', moved, '成都.osm')),
        isError(
          'LC_NETWORK_OUTSIDE_CITY',
          /^成都\.osm: 100 % of the network's extent .* lies outside 上海市宝山区 310113/,
        ),
      );
      assert.equal(await store.cityNetworks.get('310113'), null, 'nothing kept');
      assert.equal(await store.cityBasemaps.get('310113'), null, 'no basemap kept');
      assert.equal((await store.communities.list({})).total, 0, 'no 小区 kept');
      // Not an OSM file: the error names the file as the user called it, not the path read.
      const notOsm = join(dir, 'tmp-copy-123');
      copyFileSync('README.md', notOsm);
      await assert.rejects(
        importCityNetwork(deps, ADMIN, input('310113', notOsm, '宝山路网.pbf')),
        (error: unknown) =>
          error instanceof LifeCircleError &&
          error.code === 'LC_OSM_FORMAT' &&
          error.message.startsWith('宝山路网.pbf') &&
          !error.message.includes('tmp-copy-123'),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  // 上海市 as a whole city with its box removed (as for a city whose outline is not bundled).
  await withCity('3101', async (store) => {
    const before = (await store.cities.get('3101'))!;
    await store.cities.upsert({ ...before, bbox: null, extentSource: null, extentNote: 'none' });
    const result = await importCityNetwork({ store, clock, cityCode: '3101' }, ADMIN, {
      ...input('3101'),
      places: false,
    });
    assert.equal(result.extentFromNetwork, true);
    assert.equal(result.communitiesLoaded, 0);
    const city = (await store.cities.get('3101'))!;
    assert.equal(city.extentSource, 'network');
    // The grid spans 121.40000…121.40737 E, 31.40000…31.40630 N (700 m each way); outwards to 1e-4°.
    assert.deepEqual(city.bbox, [121.4, 31.4, 121.4074, 31.4063]);
  });
});

test('a cancelled network import keeps nothing', async () => {
  await withCity('310113', async (store) => {
    const controller = new AbortController();
    await assert.rejects(
      importCityNetwork({ store, clock, cityCode: '310113' }, ADMIN, {
        ...input('310113'),
        signal: controller.signal,
        onProgress: () => controller.abort(),
      }),
      isError('LC_CANCELLED', /baoshan\.osm was cancelled; nothing was kept/),
    );
    assert.equal(await store.cityNetworks.get('310113'), null);
    assert.equal(await store.cityBasemaps.get('310113'), null);
    assert.equal((await store.communities.list({})).total, 0);
    assert.equal((await store.audit.list({ entity: 'city_networks' })).total, 0);
  });
});

test("a city's coverage is analysed on its own network, over its own 小区 only; the summary gives shares by type", async () => {
  await withCity('310113', async (store) => {
    const deps = { store, clock, cityCode: '310113' };
    await importCityNetwork(deps, ADMIN, input('310113'));
    // A community of another city in the same store is not this city's: left out.
    await createCity({ store, clock, cityCode: '5101' }, ADMIN, { code: '5101' });
    await store.communities.upsert({
      code: 'chengdu-1',
      name: '成都测试小区（虚构）',
      regionCode: '510104',
      location: { lon: 104.08, lat: 30.65 },
      boundary: null,
      population: 1000,
      ageGroups: {},
      populationEstimated: false,
    });
    const graph = (await loadCityGraph(store, '310113'))!;
    const setup = { cityCode: '310113', graph, standards, census: [] };
    const evaluated = await evaluateStore(store, setup);
    assert.deepEqual(evaluated.inputs.communities.map((c) => c.code).sort(), ['osm-way-101', 'osm-way-102']);
    const run = await runAnalysis(deps, ADMIN, {
      provider: evaluatedProvider(evaluated, setup),
      kind: 'coverage',
      parameters: { cityCode: '310113' },
    });
    const summary = summariseCoverageRun(run);
    assert.equal(summary.cityCode, '310113');
    assert.equal(summary.communities, 2);
    assert.equal(summary.communitiesOnNetwork, 2);
    assert.equal(summary.communitiesWithPopulation, 0);
    const kindergarten = summary.types.find((t) => t.typeId === 'kindergarten')!;
    // 小区甲 holds it; 小区乙 is more than 700 m of walking away, beyond the 300 m radius.
    assert.deepEqual(
      [kindergarten.facilities, kindergarten.coveredCommunities, kindergarten.communityShare],
      [1, 1, 0.5],
    );
    assert.equal(kindergarten.demandShare, null, 'no population: no resident share');
    assert.equal(kindergarten.radiusM, 300);
    const clinic = summary.types.find((t) => t.typeId === 'health-station')!;
    assert.deepEqual([clinic.facilities, clinic.coveredCommunities], [0, 0]);
    // The 区县 set up as the city: its 小区 roll up under it, by name.
    assert.deepEqual(
      summary.districts.map((d) => [d.name, d.communities]),
      [['宝山区', 2]],
    );
  });
});
