import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import {
  ADMIN_PASSWORD,
  chooseOption,
  openHarness,
  vueLogIn,
  vueLogOut,
  type BrowserHarness,
} from './browser-support.js';
import type { Started } from './start-command.js';
import { manualClock } from '../time/index.js';

/**
 * The life-circle map (/app/#/map) in a real browser: Debian's chromium driven by playwright-core, against the
 * real server on a free port with a temporary store and the bundled central-Chengdu extract. Screenshots go to
 * test-results/map-ui/ (git-ignored).
 */
let harness: BrowserHarness;
let started: Started;
let page: Page;

const shot = (name: string, p: Page = page) => p.screenshot({ path: join(harness.shots, `${name}.png`) });

/** What the page exposes to these tests (web/app/src/pages/MapPage.vue); only types, the casts vanish in the browser. */
interface PageGlobals {
  lifecircleFirstMapMs?: number;
  lifecircleMap?: {
    project(p: [number, number]): { x: number; y: number };
    jumpTo(options: { center: [number, number]; zoom: number }): void;
    getZoom(): number;
    getBounds(): { getWest(): number; getSouth(): number; getEast(): number; getNorth(): number };
    getCenter(): { lng: number; lat: number };
    querySourceFeatures(source: string, options?: { sourceLayer?: string }): unknown[];
    queryRenderedFeatures(options?: { layers?: string[] }): { properties: Record<string, unknown> }[];
    getFeatureState(feature: { source: string; id: string }): Record<string, unknown>;
    once(event: string, listener: () => void): void;
    loaded(): boolean;
  };
}

async function openMap(p: Page): Promise<number> {
  await p.goto(`${started.url}/app/#/map`);
  await p.waitForSelector('body[data-map-ready="true"]', { timeout: 30_000 });
  return p.evaluate(() => (globalThis as unknown as PageGlobals).lifecircleFirstMapMs ?? -1);
}

/** Waits until the map has drawn everything it was asked to (tiles loaded, labels placed). */
const idle = (p: Page = page) =>
  p.evaluate(
    () =>
      new Promise<void>((resolve) => {
        const map = (globalThis as unknown as PageGlobals).lifecircleMap;
        if (!map) return resolve();
        map.once('idle', () => resolve());
        // A map already idle fires nothing more: a frame later it is asked again.
        setTimeout(() => (map.loaded() ? resolve() : undefined), 50);
      }),
  );

/** The pixel of a place on the page. */
async function pixel(lon: number, lat: number, p: Page = page): Promise<{ x: number; y: number }> {
  const box = (await p.locator('[data-test="map"]').boundingBox()) as { x: number; y: number };
  const at = await p.evaluate(
    ([lon, lat]) =>
      (globalThis as unknown as PageGlobals).lifecircleMap?.project([lon, lat]) ?? { x: -1, y: -1 },
    [lon, lat] as [number, number],
  );
  return { x: box.x + at.x, y: box.y + at.y };
}

interface Summary {
  types: { id: string; nameZh: string; nameEn: string; facilities: number; radiusM: number }[];
}
let summary: Summary;

before(async () => {
  // The platform's clock: 2026-03-16 10:00 in Beijing.
  harness = await openHarness('map-ui', { clock: manualClock('2026-03-16T10:00:00+08:00') });
  ({ started } = harness);
  summary = await harness.api<Summary>('GET', '/api/map/summary');
  page = await harness.newPage({ viewport: { width: 1400, height: 860 }, locale: 'zh-CN' });
});

after(async () => {
  await harness?.close();
});

test('the classic address opens the map, drawn in Chinese from our own server only: basemap, controls, attribution', async () => {
  const outside: string[] = [];
  const basemapTiles: string[] = [];
  page.on('request', (r) => {
    if (!r.url().startsWith(started.url) && !r.url().startsWith('data:') && !r.url().startsWith('blob:'))
      outside.push(r.url());
    if (r.url().includes('/api/map/tiles/basemap/')) basemapTiles.push(r.url());
  });
  await page.goto(`${started.url}/`);
  await page.waitForURL(/\/app\/#\/map$/);
  await page.waitForSelector('body[data-map-ready="true"]', { timeout: 30_000 });
  const ms = await page.evaluate(() => (globalThis as unknown as PageGlobals).lifecircleFirstMapMs ?? -1);
  // How long that takes is measured by `npm run bench:start`; here only that the page recorded it.
  assert.ok(Number.isFinite(ms) && ms > 0, `lifecircleFirstMapMs is ${ms}`);
  assert.deepEqual(outside, []);
  assert.ok(basemapTiles.length > 0, 'the basemap comes as tiles from this server');
  // Zoom buttons and a scale bar, in Chinese.
  assert.equal(await page.getAttribute('.maplibregl-ctrl-zoom-in', 'title'), '放大');
  assert.match((await page.textContent('.maplibregl-ctrl-scale')) ?? '', /^\d+\s?(米|公里)$/);
  assert.match((await page.textContent('.maplibregl-ctrl-attrib')) ?? '', /OpenStreetMap/);
  assert.match((await page.textContent('[data-test="legend"]')) ?? '', /数据来自分析运行 #\d+/);
  await shot('01-map-zh');
});

test('the basemap draws roads with their names, water and buildings at street level', async () => {
  // Central Chengdu at street level: 天府广场.
  await page.evaluate(() =>
    (globalThis as unknown as PageGlobals).lifecircleMap?.jumpTo({ center: [104.0657, 30.6574], zoom: 16 }),
  );
  await idle();
  const drawn = await page.evaluate(() => {
    const map = (globalThis as unknown as PageGlobals).lifecircleMap;
    const count = (layer: string) => map?.queryRenderedFeatures({ layers: [layer] }).length ?? 0;
    const labels = map?.queryRenderedFeatures({ layers: ['road-labels'] }) ?? [];
    return {
      roads: count('roads'),
      buildings: count('buildings'),
      labels: labels.map((f) => String(f.properties.name)),
    };
  });
  assert.ok(drawn.roads > 10, `roads drawn: ${drawn.roads}`);
  assert.ok(drawn.buildings > 10, `buildings drawn: ${drawn.buildings}`);
  assert.ok(
    drawn.labels.some((name) => /[路街巷道]/.test(name)),
    `road labels: ${drawn.labels.slice(0, 5)}`,
  );
  await shot('02-basemap-street-level');
});

test('switching the facility type recolours the map and the legend names the type and its facility count', async () => {
  const type = summary.types.find((x) => x.id === 'kindergarten') ?? summary.types[1];
  await chooseOption(page, '[data-test="type-select"]', type.nameZh);
  const legend = page.locator('[data-test="legend"]');
  await legend.filter({ hasText: type.nameZh }).waitFor();
  assert.match((await legend.textContent()) ?? '', new RegExp(`该类设施 ${type.facilities} 处`));
  assert.match((await legend.textContent()) ?? '', new RegExp(`步行 ${type.radiusM} 米`));
});

test('clicking a community draws its walking isochrone and shows its distances and what it lacks', async () => {
  const layer = await harness.api<{
    features: { properties: { code: string; name: string; population: number | null } }[];
  }>('GET', '/api/map/communities');
  // The most populous community has the largest polygon among the estimates: easy to hit with a click.
  const target = [...layer.features].sort(
    (a, b) => (b.properties.population ?? 0) - (a.properties.population ?? 0),
  )[0];
  const iso = await harness.api<{ origin: { lon: number; lat: number } }>(
    'GET',
    `/api/map/isochrone?community=${encodeURIComponent(target.properties.code)}`,
  );
  await page.evaluate(
    ([lon, lat]) =>
      (globalThis as unknown as PageGlobals).lifecircleMap?.jumpTo({ center: [lon, lat], zoom: 15 }),
    [iso.origin.lon, iso.origin.lat] as [number, number],
  );
  await idle();
  const at = await pixel(iso.origin.lon, iso.origin.lat);
  await page.mouse.click(at.x, at.y);
  const name = page.locator('[data-test="community-name"]');
  await name.waitFor();
  assert.equal(await name.textContent(), target.properties.name);
  assert.match(
    (await page.textContent('[data-test="community-facts"]')) ?? '',
    /15 分钟生活圈（步行 1\.0 公里）内道路 \d+\.\d 公里/,
    'the isochrone reaches the tier’s walking distance, the one its coverage is measured against',
  );
  const rows = page.locator('[data-test="community-distances"] tbody tr');
  assert.equal(await rows.count(), summary.types.length);
  // One rule for distances: whole 米 below 1 km, 公里 with one decimal above; never "1305.5 m" beside "1.20 km".
  const cells = await page.$$eval(
    '[data-test="community-distances"] tbody tr td:nth-child(2), [data-test="community-distances"] tbody tr td:nth-child(3)',
    (tds) => tds.map((td) => (td.textContent ?? '').trim()),
  );
  for (const cell of cells) assert.match(cell, /^(—|\d{1,3} 米|\d+\.\d 公里)$/, cell);
  await page.waitForFunction(
    () =>
      ((globalThis as unknown as PageGlobals).lifecircleMap?.querySourceFeatures('isochrone').length ?? 0) >
      0,
  );
  const selected = await page.evaluate(
    (code) =>
      (globalThis as unknown as PageGlobals).lifecircleMap?.getFeatureState({
        source: 'communities',
        id: code,
      }),
    target.properties.code,
  );
  assert.equal(selected?.selected, true);
  await shot('03-community-isochrone');
});

test('the search finds a community by name, a 街道 and a road of the basemap, and takes the map there', async () => {
  const layer = await harness.api<{ features: { properties: { code: string; name: string } }[] }>(
    'GET',
    '/api/map/communities',
  );
  const named = layer.features.find(
    (f) => f.properties.name.length >= 3 && !/未命名/.test(f.properties.name),
  );
  assert.ok(named, 'a named community');
  const search = page.locator('[data-test="map-search"]');
  await search.fill(named.properties.name);
  await page.locator('.el-autocomplete-suggestion li', { hasText: named.properties.name }).first().click();
  await page.locator('[data-test="community-name"]', { hasText: named.properties.name }).waitFor();

  // A road of the basemap: the map moves so the road is in view.
  const places = await harness.api<{ items: { name: string; kind: string; bbox: number[] }[] }>(
    'GET',
    `/api/map/places?q=${encodeURIComponent('人民南路')}&limit=5`,
  );
  const road = places.items.find((p) => p.kind === 'road');
  assert.ok(road, `人民南路 is a road of the bundled extract: ${JSON.stringify(places.items)}`);
  await search.fill('人民南路');
  await page.locator('.el-autocomplete-suggestion li', { hasText: '道路' }).first().click();
  await page.waitForFunction(
    ([w, s, e, n]) => {
      const c = (globalThis as unknown as PageGlobals).lifecircleMap?.getCenter();
      return !!c && c.lng >= w && c.lng <= e && c.lat >= s && c.lat <= n;
    },
    road.bbox as [number, number, number, number],
  );
  await shot('04-search-road');
});

test('in English the controls, legend, tabs and coverage chart speak English, and Chinese comes back', async () => {
  await page.click('[data-test="lang"]');
  await page.locator('.el-tabs__item', { hasText: 'Coverage' }).click();
  await page.waitForSelector('[data-test="coverage-chart"] canvas');
  assert.equal(await page.getAttribute('.maplibregl-ctrl-zoom-in', 'title'), 'Zoom in');
  assert.match((await page.textContent('.maplibregl-ctrl-scale')) ?? '', /^\d+\s?(m|km)$/);
  assert.match((await page.textContent('[data-test="legend"]')) ?? '', /Figures from analysis run #\d+/);
  const rows = await page.locator('[data-test="coverage-table"] tbody tr').count();
  const districts = await harness.api<unknown[]>('GET', '/api/map/coverage?level=district');
  assert.equal(rows, districts.length);
  await page.click('[data-test="coverage-level"] label:has-text("Subdistrict")');
  const subdistricts = await harness.api<unknown[]>('GET', '/api/map/coverage?level=subdistrict');
  await page.waitForFunction(
    (n) =>
      (
        globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }
      ).document.querySelectorAll('[data-test="coverage-table"] tbody tr').length === n,
    subdistricts.length,
  );
  // English only, place names aside: "not linked" is worded by the page, not passed on from the data.
  const panel = (await page.textContent('.lc-map-panel')) ?? '';
  assert.match(panel, /not linked to a subdistrict/);
  assert.doesNotMatch(panel.replace(/[\u4e00-\u9fff]+区/g, ''), /[\u4e00-\u9fff]/);
  assert.doesNotMatch((await page.textContent('[data-test="legend"]')) ?? '', /[\u4e00-\u9fff]/);
  await shot('05-coverage-en');
  await page.click('[data-test="lang"]');
  await page.locator('.el-tabs__item', { hasText: '覆盖率' }).waitFor();
  assert.equal(await page.getAttribute('.maplibregl-ctrl-zoom-in', 'title'), '放大');
});

test('a planner sees the gaps paged, suggested sites drawn and framed, and a what-if placed by clicking the map', async () => {
  await vueLogIn(page, 'admin', ADMIN_PASSWORD);
  const type = summary.types.find((x) => x.id === 'kindergarten') ?? summary.types[1];
  const token = await harness.adminToken();
  const gaps = await harness.api<{
    uncoveredCommunities: number;
    gaps: { code: string; name: string; lon: number; lat: number }[];
  }>('GET', `/api/planning/gaps?type=${type.id}&top=500`, undefined, token);
  await page.locator('.el-tabs__item', { hasText: '规划' }).click();
  const gapRows = page.locator('[data-test="gaps-table"] tbody tr');
  await gapRows.first().waitFor();
  assert.equal(await gapRows.count(), Math.min(10, gaps.gaps.length));
  assert.match(
    (await page.textContent('[data-test="gaps-summary"]')) ?? '',
    new RegExp(`^${gaps.uncoveredCommunities} 个社区未覆盖`),
  );
  if (gaps.gaps.length > 10)
    assert.match(
      (await page.textContent('[data-test="gaps-pages"]')) ?? '',
      new RegExp(`共 ${gaps.gaps.length} 条`),
    );

  await page.locator('[data-test="siting-count"] input').fill('2');
  await page.click('[data-test="siting-run"]');
  await page.locator('[data-test="siting-summary"]').waitFor();
  assert.match((await page.textContent('[data-test="siting-summary"]')) ?? '', /选出 2 处/);
  assert.equal(await page.locator('[data-test="siting-table"] tbody tr').count(), 2);
  const siting = await harness.api<{
    picks: { lon: number; lat: number; communities: { code: string }[] }[];
  }>('POST', '/api/planning/siting', { type: type.id, count: 2 }, token);
  // The picks are in view and their communities are drawn as newly covered.
  const view = await page.evaluate(() => {
    const b = (globalThis as unknown as PageGlobals).lifecircleMap?.getBounds();
    return b ? [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()] : [];
  });
  for (const p of siting.picks)
    assert.ok(p.lon >= view[0] && p.lon <= view[2] && p.lat >= view[1] && p.lat <= view[3], 'pick in view');
  const newly = siting.picks[0].communities[0].code;
  assert.equal(
    (
      await page.evaluate(
        (id) =>
          (globalThis as unknown as PageGlobals).lifecircleMap?.getFeatureState({
            source: 'communities',
            id,
          }),
        newly,
      )
    )?.newly,
    true,
  );
  assert.match((await page.textContent('[data-test="legend"]')) ?? '', /规划后新覆盖.*推荐选址/);

  // Place a hypothetical facility on the first gap the siting left uncovered.
  const covered = new Set(siting.picks.flatMap((p) => p.communities.map((c) => c.code)));
  const gap = gaps.gaps.find((g) => !covered.has(g.code)) ?? gaps.gaps[0];
  await page.click('[data-test="whatif-place"]');
  await page.evaluate(
    ([lon, lat]) =>
      (globalThis as unknown as PageGlobals).lifecircleMap?.jumpTo({ center: [lon, lat], zoom: 16 }),
    [gap.lon, gap.lat] as [number, number],
  );
  await idle();
  const at = await pixel(gap.lon, gap.lat);
  await page.mouse.click(at.x, at.y);
  await page.locator('[data-test="whatif-newly"]').waitFor();
  assert.match((await page.textContent('[data-test="whatif-newly"]')) ?? '', new RegExp(gap.name));
  assert.equal(
    (
      await page.evaluate(
        (id) =>
          (globalThis as unknown as PageGlobals).lifecircleMap?.getFeatureState({
            source: 'communities',
            id,
          }),
        gap.code,
      )
    )?.newly,
    true,
  );
  await shot('06-planning');
  // Switching the language keeps the results, worded again in the other language (issue 14).
  await page.click('[data-test="lang"]');
  await page.locator('[data-test="siting-summary"]', { hasText: /^2 picked of \d+ candidates/ }).waitFor();
  assert.equal(await page.locator('[data-test="siting-table"] tbody tr').count(), 2);
  assert.match(
    (await page.textContent('[data-test="whatif-newly"]')) ?? '',
    new RegExp(`Newly covered: .*${gap.name}`),
  );
  await page.click('[data-test="lang"]');
  await page.locator('[data-test="siting-summary"]', { hasText: '选出 2 处' }).waitFor();
});

test('the registers are paged by the server and show 区划 by name, the code a hover away', async () => {
  await page.locator('.el-tabs__item', { hasText: '登记' }).click();
  const rows = page.locator('[data-test="registry-table"] tbody tr');
  await rows.first().waitFor();
  const all = await harness.api<{ total: number; items: { code: string; name: string }[] }>(
    'GET',
    '/api/communities?limit=20&offset=20',
  );
  assert.equal(await rows.count(), 20);
  assert.match(
    (await page.textContent('[data-test="registry-pages"]')) ?? '',
    new RegExp(`共 ${all.total} 条`),
  );
  const regions = await page.locator('[data-test="registry-region"]').allTextContents();
  assert.ok(
    regions.length > 0 && regions.every((r) => !/^\d+$/.test(r.trim())),
    `names, not codes: ${regions}`,
  );
  await page.locator('[data-test="registry-pages"] .el-pager li', { hasText: /^2$/ }).click();
  await rows.filter({ hasText: all.items[0].name }).first().waitFor();
  await shot('07-registry');
  await vueLogOut(page);
});

test('without a planning role the planning tab says who may use it, and the server refuses', async () => {
  await page.locator('.el-tabs__item', { hasText: '规划' }).click();
  await page.getByText('选址与假设分析需以管理员、统筹协调或部门人员身份登录。').waitFor();
  const refused = await fetch(`${started.url}/api/planning/gaps?type=kindergarten`);
  assert.equal(refused.status, 401);
});

test('on a phone the map comes first and the panel below it', async () => {
  const phone = await harness.newPage({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
  });
  await openMap(phone);
  const map = (await phone.locator('[data-test="map"]').boundingBox()) as {
    y: number;
    height: number;
    width: number;
  };
  const panel = (await phone.locator('.lc-map-panel').boundingBox()) as { y: number; width: number };
  assert.ok(panel.y >= map.y + map.height - 1, 'panel below the map');
  assert.ok(map.width <= 390 && panel.width <= 390);
  await shot('08-phone', phone);
  await phone.close();
});
