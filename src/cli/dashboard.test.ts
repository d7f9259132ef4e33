import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import {
  ADMIN_PASSWORD,
  logIn as logInAs,
  logOut as logOutOf,
  openHarness,
  type BrowserHarness,
} from './browser-support.js';
import type { Started } from './start-command.js';
import { manualClock } from '../time/index.js';

/**
 * The dashboard in a real browser: Debian's chromium driven by playwright-core, against the real server on a
 * free port with a temporary store. Screenshots go to test-results/dashboard/ (git-ignored).
 */
const FIXTURES = fileURLToPath(new URL('../../../src/cli/fixtures/', import.meta.url));
const PASSWORD = ADMIN_PASSWORD;

let harness: BrowserHarness;
let started: Started;
let page: Page;

const shot = (name: string, p: Page = page) => p.screenshot({ path: join(harness.shots, `${name}.png`) });

async function openDashboard(p: Page): Promise<number> {
  await p.goto(`${started.url}/`);
  await p.waitForSelector('body[data-map-ready="true"]', { timeout: 30_000 });
  return p.evaluate(() => (globalThis as unknown as PageGlobals).lifecircleFirstMapMs ?? -1);
}

const logIn = (username: string, password: string) => logInAs(page, username, password);
const logOut = () => logOutOf(page);

/** What the page exposes to these tests (web/src/main.ts); only types, the casts vanish in the browser. */
interface PageGlobals {
  lifecircleFirstMapMs?: number;
  lifecircleMap?: {
    project(p: [number, number]): { x: number; y: number };
    jumpTo(options: { center: [number, number]; zoom: number }): void;
    querySourceFeatures(source: string): unknown[];
  };
  sessionStorage: { getItem(key: string): string | null };
}

before(async () => {
  // The platform's clock: 2026-03-16 10:00 in Beijing.
  harness = await openHarness('dashboard', { clock: manualClock('2026-03-16T10:00:00+08:00') });
  ({ started } = harness);
  page = await harness.newPage({ viewport: { width: 1366, height: 800 }, locale: 'zh-CN' });
});

after(async () => {
  await harness?.close();
});

test('the map loads in Chinese from our own data only, with the OSM caveat and ODbL attribution', async () => {
  const outside: string[] = [];
  page.on('request', (r) => {
    if (!r.url().startsWith(started.url) && !r.url().startsWith('data:') && !r.url().startsWith('blob:'))
      outside.push(r.url());
  });
  // The page records when its first map was drawn; how long that takes is measured by `npm run bench:start`.
  const ms = await openDashboard(page);
  assert.ok(Number.isFinite(ms) && ms > 0, `lifecircleFirstMapMs is ${ms}`);
  await shot('01-map-zh');
  assert.equal(await page.textContent('h1'), '生活圈 · 成都中心城区');
  assert.match((await page.textContent('#attribution')) ?? '', /OpenStreetMap contributors \(ODbL/);
  assert.match((await page.textContent('#attribution')) ?? '', /OSM 设施点在中国覆盖稀疏/);
  assert.match((await page.textContent('#legend')) ?? '', /分析运行 #\d+/);
  assert.deepEqual(outside, []);
});

test('switching the facility type recolours the map and the legend names the type and its facility count', async () => {
  const summary = (await (await fetch(`${started.url}/api/map/summary`)).json()) as {
    types: { id: string; nameZh: string; facilities: number }[];
  };
  const type = summary.types.find((x) => x.id === 'kindergarten') ?? summary.types[1];
  await page.selectOption('#type-select', type.id);
  const legend = (await page.textContent('#legend')) ?? '';
  assert.match(legend, new RegExp(type.nameZh));
  assert.match(legend, new RegExp(`该类设施 ${type.facilities} 处`));
  await shot('02-type-kindergarten');
});

test('clicking a community draws its walking isochrone and shows its distances and what it lacks', async () => {
  const layer = (await (await fetch(`${started.url}/api/map/communities`)).json()) as {
    features: { properties: { code: string; name: string; population: number | null } }[];
  };
  // The most populous community has the largest polygon among the estimates: easy to hit with a click.
  const target = [...layer.features].sort(
    (a, b) => (b.properties.population ?? 0) - (a.properties.population ?? 0),
  )[0];
  const detail = (await (
    await fetch(`${started.url}/api/map/communities/${encodeURIComponent(target.properties.code)}`)
  ).json()) as { name: string };
  const point = (await (
    await fetch(`${started.url}/api/map/isochrone?community=${encodeURIComponent(target.properties.code)}`)
  ).json()) as { origin: { lon: number; lat: number } };
  const box = (await page.locator('#map').boundingBox()) as { x: number; y: number };
  const px = await page.evaluate(
    ([lon, lat]) =>
      (globalThis as unknown as PageGlobals).lifecircleMap?.project([lon, lat]) ?? { x: -1, y: -1 },
    [point.origin.lon, point.origin.lat] as [number, number],
  );
  await page.mouse.click(box.x + px.x, box.y + px.y);
  await page.waitForSelector('.community-name');
  assert.equal(await page.textContent('.community-name'), detail.name);
  assert.ok((await page.locator('table.distances tbody tr').count()) > 5);
  assert.match((await page.textContent('#community-detail')) ?? '', /15 分钟步行范围 \d+\.\d 公里/);
  // One rule for distances: whole 米 below 1 km, 公里 with one decimal above; never "1305.5 m" beside "1.20 km".
  const cells = await page.$$eval(
    'table.distances tbody tr td:nth-child(2), table.distances tbody tr td:nth-child(3)',
    (tds) => tds.map((td) => td.textContent ?? ''),
  );
  for (const cell of cells) assert.match(cell, /^(—|\d{1,3} 米|\d+\.\d 公里)$/, cell);
  await page.waitForFunction(() => {
    const map = (globalThis as unknown as PageGlobals).lifecircleMap;
    return (map?.querySourceFeatures('isochrone').length ?? 0) > 0;
  });
  await shot('03-community-isochrone');
});

test('the English switch translates the interface and the coverage chart and table follow', async () => {
  await page.click('#lang-switch');
  assert.equal(await page.textContent('h1'), 'LifeCircle · central Chengdu');
  await page.click('[data-tab="coverage"]');
  await page.waitForSelector('#coverage-chart canvas');
  assert.equal(await page.textContent('[data-tab="coverage"]'), 'Coverage');
  assert.ok((await page.locator('table.coverage tbody tr').count()) >= 2);
  await shot('04-coverage-en');
  await page.click('#lang-switch');
  assert.equal(await page.textContent('[data-tab="coverage"]'), '覆盖率');
});

test('an administrator imports a facility file; the registry shows the new outlets', async () => {
  await logIn('admin', PASSWORD);
  assert.match((await page.textContent('#user-label')) ?? '', /管理员/);
  await page.click('[data-tab="registry"]');
  await page.selectOption('#entity-select', 'facilities');
  await page.setInputFiles('#import-file', join(FIXTURES, 'facilities-good.csv'));
  await page.click('#import-submit');
  await page.waitForSelector('#import-result .accepted');
  assert.match((await page.textContent('#import-result')) ?? '', /新增 2 条/);
  await shot('05-import-accepted');
});

test('a partly wrong file is rejected whole and the row report names each bad row, column and reason', async () => {
  const before = await started.store.facilities.count();
  await page.setInputFiles('#import-file', join(FIXTURES, 'facilities-bad.csv'));
  await page.click('#import-submit');
  await page.waitForSelector('#import-result .rejected');
  const rows = await page.locator('table.problems tbody tr').allTextContents();
  assert.ok(
    rows.some((r) => r.startsWith('3')),
    `row 3 (Beijing) in ${rows.join(' | ')}`,
  );
  assert.ok(
    rows.some((r) => r.startsWith('4')),
    `row 4 (unknown type) in ${rows.join(' | ')}`,
  );
  assert.ok(!rows.some((r) => r.startsWith('2')));
  assert.equal(await started.store.facilities.count(), before);
  await page.waitForSelector('#report-download');
  await shot('06-import-rejected');
});

test('a large import shows its progress and can be cancelled; nothing of it is kept', async () => {
  const before = await started.store.facilities.count();
  // SYNTHETIC outlets (no real places) on a grid in central Chengdu: enough rows to be stopped while running.
  const lines = ['设施编码,设施名称,设施类型,经度,纬度'];
  for (let i = 0; i < 30_000; i++)
    lines.push(
      `UI-${i},合成网点${i},药店,${(104.03 + (i % 200) * 0.0004).toFixed(6)},${(30.62 + Math.floor(i / 200) * 0.0004).toFixed(6)}`,
    );
  await page.setInputFiles('#import-file', {
    name: 'synthetic-large.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(lines.join('\n')),
  });
  await page.click('#import-submit');
  await page.waitForSelector('#import-result progress');
  await shot('06b-import-progress');
  await page.click('#import-cancel');
  await page.waitForSelector('#import-result .rejected', { timeout: 30_000 });
  assert.match((await page.textContent('#import-result')) ?? '', /导入已取消/);
  assert.equal(await started.store.facilities.count(), before);
});

test('a planner sees the gaps, suggested sites and a what-if placed by clicking the map', async () => {
  await page.click('[data-tab="planning"]');
  await page.waitForSelector('#tab-planning table.gaps tbody tr');
  const gapRows = await page.locator('#tab-planning table.gaps tbody tr').count();
  assert.ok(gapRows > 0 && gapRows <= 10);
  await page.fill('#siting-form input[name="count"]', '2');
  await page.click('#siting-form button[type="submit"]');
  await page.waitForSelector('#siting-summary');
  assert.match((await page.textContent('#siting-summary')) ?? '', /选出 2 处/);
  assert.equal(await page.locator('#siting-result table.siting tbody tr').count(), 2);
  // Place a hypothetical facility of the selected type on the first gap community.
  const type = await page.inputValue('#type-select');
  const gap = await page.evaluate(async (type) => {
    const token = JSON.parse(
      (globalThis as unknown as PageGlobals).sessionStorage.getItem('lifecircle.session') ?? '{}',
    ).token;
    const res = await fetch(`/api/planning/gaps?type=${type}&top=1`, {
      headers: { authorization: `Bearer ${token}` },
    });
    return ((await res.json()) as { gaps: { lon: number; lat: number; name: string }[] }).gaps[0];
  }, type);
  await page.click('#whatif-place');
  await page.evaluate(
    ([lon, lat]) => {
      (globalThis as unknown as PageGlobals).lifecircleMap?.jumpTo({ center: [lon, lat], zoom: 16 });
    },
    [gap.lon, gap.lat] as const,
  );
  const box = await page.locator('#map canvas').boundingBox();
  assert.ok(box);
  const point = await page.evaluate(
    ([lon, lat]) => (globalThis as unknown as PageGlobals).lifecircleMap?.project([lon, lat]),
    [gap.lon, gap.lat] as const,
  );
  assert.ok(point);
  await page.mouse.click(box.x + point.x, box.y + point.y);
  await page.waitForSelector('#whatif-summary');
  assert.match((await page.textContent('#whatif-summary')) ?? '', new RegExp(gap.name));
  await shot('08-planning');
  // Switching the language keeps the results, worded again in the other language (issue 14).
  await page.click('#lang-switch');
  await page.waitForFunction(() =>
    /picked of/.test(
      (globalThis as unknown as { document: { body: { textContent: string } } }).document.body.textContent,
    ),
  );
  assert.match((await page.textContent('#siting-summary')) ?? '', /^2 picked of \d+ candidates/);
  assert.equal(await page.locator('#siting-result table.siting tbody tr').count(), 2);
  assert.match((await page.textContent('#whatif-summary')) ?? '', new RegExp(gap.name));
  await page.click('#lang-switch');
  await page.waitForSelector('#siting-summary');
  assert.match((await page.textContent('#siting-summary')) ?? '', /选出 2 处/);
});

test('an inspector and the public may not import: the form says so and the server refuses', async () => {
  const admin = await page.evaluate(
    () =>
      JSON.parse((globalThis as unknown as PageGlobals).sessionStorage.getItem('lifecircle.session') ?? '{}')
        .token,
  );
  const created = await fetch(`${started.url}/api/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
    body: JSON.stringify({
      username: 'inspector1',
      displayName: '检查员甲',
      password: 'inspector-password-1',
      role: 'inspector',
      regionCode: '510104',
    }),
  });
  assert.equal(created.status, 201);
  await logOut();
  await logIn('inspector1', 'inspector-password-1');
  assert.ok(await page.locator('#import-submit').isDisabled());
  assert.match((await page.textContent('#import-note')) ?? '', /当前角色无权导入/);
  const denied = await page.evaluate(async () => {
    const token = JSON.parse(
      (globalThis as unknown as PageGlobals).sessionStorage.getItem('lifecircle.session') ?? '{}',
    ).token;
    const res = await fetch('/api/facilities/import?fileName=x.csv', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
      body: 'a,b\n1,2\n',
    });
    return { status: res.status, code: ((await res.json()) as { error: { code: string } }).error.code };
  });
  assert.deepEqual(denied, { status: 403, code: 'LC_FORBIDDEN' });
  await shot('07-inspector-denied');
  await logOut();
  const anonymous = await page.evaluate(async () => {
    const res = await fetch('/api/facilities/import', { method: 'POST', body: 'a\n1\n' });
    return res.status;
  });
  assert.equal(anonymous, 401);
});

test('on a phone the map comes first and the panel below it', async () => {
  const phone = await harness.newPage({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
  });
  await openDashboard(phone);
  const map = (await phone.locator('#map').boundingBox()) as { y: number; height: number; width: number };
  const panel = (await phone.locator('.panel').boundingBox()) as { y: number; width: number };
  assert.ok(panel.y >= map.y + map.height - 1, 'panel below the map');
  assert.ok(map.width <= 390 && panel.width <= 390);
  await shot('08-phone', phone);
  await phone.close();
});
