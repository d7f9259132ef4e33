import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { ADMIN_PASSWORD, chooseOption, openHarness, type BrowserHarness } from './browser-support.js';
import { manualClock } from '../time/index.js';

/**
 * The Vue dashboard's city set-up page (/app/#/onboarding) in a real browser: an administrator sets up a city
 * from its code and imports a register as a city publishes it — checked first (dry run), the bad row skipped,
 * the shared-point rows flagged. The register's rows are SYNTHETIC (测试养老院 n); only the division names are
 * real, from the bundled national list.
 */
let harness: BrowserHarness;
let page: Page;

before(async () => {
  harness = await openHarness('onboarding-ui', { clock: manualClock('2026-12-03T10:00:00+08:00') });
  page = await harness.newPage({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
  await page.goto(`${harness.started.url}/app/#/onboarding`);
});

/**
 * Picks an option of an Element Plus select and waits until the select shows it: the option list may still be
 * filling (types load after the page) or animating when the first click lands, so it is tried again.
 */
const choose = (select: string, option: string) => chooseOption(page, select, option);

after(async () => {
  await harness?.close();
});

test('anyone sees the cities set up; only an administrator is offered to set up another', async () => {
  const table = page.locator('[data-test="cities"]');
  await table.locator('tr', { hasText: '成都市' }).waitFor();
  assert.match((await table.textContent()) ?? '', /5101.*成都市.*本服务器规划的城市/);
  assert.match((await table.textContent()) ?? '', /1201.*天津市/);
  assert.ok(await page.getByText('只有系统管理员可以接入城市。').isVisible());
});

test('an administrator logs in and sets up 上海市 from its code: its box comes from the bundled outlines', async () => {
  await page.click('[data-test="login-open"]');
  await page.fill('[data-test="username"]', 'admin');
  await page.fill('[data-test="password"]', ADMIN_PASSWORD);
  await page.click('[data-test="login-submit"]');
  await page.locator('[data-test="city-code"]').fill('310100');
  await page.click('[data-test="city-create"]');
  const row = page.locator('[data-test="cities"] tr', { hasText: '上海市' });
  await row.waitFor();
  assert.match(
    (await row.textContent()) ?? '',
    /3101.*上海市.*120\.8, 30\.62, 122\.07, 31\.92.*内置区县轮廓/,
  );
  await page.locator('[data-test="city-code"]').fill('51');
  await page.click('[data-test="city-create"]');
  await page.locator('[data-test="city-error"]', { hasText: '四川省' }).waitFor();
});

test('a register as published: checked first, the bad row skipped, shared points flagged, nothing guessed', async () => {
  const lines = ['id,name,type,district,street,address,beds,lng,lat'];
  for (let i = 0; i < 12; i++) {
    const [lng, lat] = i < 3 ? [121.4737, 31.2304] : [121.3 + i * 0.01, 31.3];
    const district = i === 11 ? '锦江区' : i % 2 ? '宝山区' : '宝山';
    lines.push(`B${i},测试养老院${i},民建民营,${district},友谊路街道,测试路${i}号,${20 + i},${lng},${lat}`);
  }
  const file = join(harness.shots, 'registry.csv');
  writeFileSync(file, `\ufeff${lines.join('\r\n')}\r\n`);

  await choose('[data-test="import-city"]', '3101 上海市');
  await page.setInputFiles('[data-test="import-file"] input[type="file"]', file);
  await page.click('label:has-text("GCJ-02")');
  await choose('[data-test="whole-type"]', '养老机构');
  await page.click('[data-test="import-check"]');
  const verdict = page.locator('[data-test="import-checked"] [data-test="verdict"]');
  await verdict.waitFor();
  assert.match((await verdict.textContent()) ?? '', /试导入发现 1 个问题/);
  const problems = page.locator('[data-test="problems"]');
  assert.match((await problems.textContent()) ?? '', /13.*锦江区.*区县名称不属于本市/);
  const warnings = page.locator('[data-test="warnings"]');
  assert.equal(await warnings.locator('tbody tr', { hasText: '多行坐标完全相同' }).count(), 3);
  assert.equal(
    await harness.api<{ total: number }>('GET', '/api/facilities?within=3101').then((p) => p.total),
    0,
  );
  // The detail (which value, what was expected) is a hover away.
  await problems.locator('.lc-reason').first().hover();
  await page.locator('.el-popper', { hasText: "district '锦江区' is not a district of 上海市" }).waitFor();
  await page.screenshot({ path: join(harness.shots, '01-dry-run.png'), fullPage: true });

  await page.click('[data-test="skip-bad"]');
  await page.click('[data-test="import-confirm"]');
  const done = page.locator('[data-test="import-done"] [data-test="verdict"]');
  await done.waitFor();
  assert.match((await done.textContent()) ?? '', /已导入 11 行（新增 11/);
  assert.ok(await page.locator('[data-test="download-rejected"]').isVisible());
  const stored = await harness.api<{ total: number; items: { regionCode: string; typeCode: string }[] }>(
    'GET',
    '/api/facilities?within=3101&limit=50',
  );
  assert.equal(stored.total, 11);
  assert.ok(stored.items.every((f) => f.typeCode === 'elderly_care_institution'));
  assert.ok(
    stored.items.every((f) => f.regionCode === '310113003'),
    'district and 街道 names became codes',
  );
  await page.screenshot({ path: join(harness.shots, '02-imported.png'), fullPage: true });
});

test('a large import shows its progress and can be cancelled; nothing of it is kept', async () => {
  const before = await harness.api<{ total: number }>('GET', '/api/facilities?limit=1').then((p) => p.total);
  // SYNTHETIC outlets (no real places) on a grid in 上海市: enough rows to be stopped while running.
  const lines = ['设施编码,设施名称,设施类型,经度,纬度'];
  for (let i = 0; i < 30_000; i++)
    lines.push(
      `UI-${i},合成网点${i},药店,${(121.4 + (i % 200) * 0.0004).toFixed(6)},${(31.2 + Math.floor(i / 200) * 0.0004).toFixed(6)}`,
    );
  const file = join(harness.shots, 'synthetic-large.csv');
  writeFileSync(file, lines.join('\n'));
  await page.setInputFiles('[data-test="import-file"] input[type="file"]', file);
  await page.click('[data-test="import-check"]');
  await page.locator('[data-test="import-progress"]').waitFor();
  await page.screenshot({ path: join(harness.shots, '02b-import-progress.png'), fullPage: true });
  await page.click('[data-test="job-cancel"]');
  await page.locator('[data-test="import-error"]', { hasText: '已取消' }).waitFor({ timeout: 30_000 });
  assert.ok(!(await page.locator('[data-test="import-progress"]').isVisible()));
  assert.equal(
    await harness.api<{ total: number }>('GET', '/api/facilities?limit=1').then((p) => p.total),
    before,
  );
});

test("上海市's walking network is uploaded with progress, and what was built and loaded is said in Chinese", async () => {
  // The synthetic grid of src/analysis/fixtures (not a real place): 64 nodes, two 小区, one kindergarten.
  await choose('[data-test="network-city"]', '3101 上海市');
  await page.setInputFiles(
    '[data-test="network-file"] input[type="file"]',
    'src/analysis/fixtures/synthetic-grid.osm',
  );
  await page.click('[data-test="network-upload"]');
  const done = page.locator('[data-test="network-done"]');
  await done.waitFor();
  const text = (await done.textContent()) ?? '';
  // The register imported above put facilities in 上海市 already: the extract's kindergarten is not added.
  assert.match(text, /路网已保存：载入 2 个居住区、0 个设施/);
  assert.match(text, /该城市已有设施数据/);
  assert.match(text, /已载入 2 个居住区，人口未知/);
  const summary = (await page.locator('[data-test="network-summary"]').textContent()) ?? '';
  assert.match(summary, /synthetic-grid\.osm \(XML/);
  assert.match(summary, /64 个节点，112 条路段，可步行 11\.2 公里/);
  assert.match(summary, /1 个连通部分，最大部分占 100\.0 % 长度/);
  // Built at the platform's clock, 2026-12-03 10:00 in Beijing (stored in UTC), by the administrator.
  assert.match(summary, /2026-12-03 10:00 · admin/);
  await page.screenshot({ path: join(harness.shots, '03-network.png'), fullPage: true });
});

test('the 小区 are linked to a 社区 polygon, checked first; the one outside stays unlinked and is named', async () => {
  // A synthetic 社区 (合成社区) of 友谊路街道 (310113003, real code) around 小区甲 only: 0–300 m of the grid's corner.
  const east = (m: number) => 121.4 + m / (6371008.8 * (Math.PI / 180) * Math.cos((31.4 * Math.PI) / 180));
  const north = (m: number) => 31.4 + m / (6371008.8 * (Math.PI / 180));
  const ring = [
    [east(0), north(0)],
    [east(300), north(0)],
    [east(300), north(300)],
    [east(0), north(300)],
    [east(0), north(0)],
  ];
  const file = join(harness.shots, '社区.geojson');
  writeFileSync(
    file,
    JSON.stringify({
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { 编码: 'TEST-SQ-1', 名称: '合成社区（虚构）', 区划代码: '310113003', 人口: 3000 },
          geometry: { type: 'Polygon', coordinates: [ring] },
        },
      ],
    }),
  );
  await choose('[data-test="link-city"]', '3101 上海市');
  await page.setInputFiles('[data-test="link-file"] input[type="file"]', file);
  await page.locator('[data-test="link-distance"] input').fill('100');
  await page.click('[data-test="link-check"]');
  const checked = page.locator('[data-test="link-checked"]');
  await checked.waitFor();
  assert.match(
    (await checked.textContent()) ?? '',
    /2 个居住区中，1 个在社区边界内，0 个按最近社区点关联，1 个未能关联；尚未写入/,
  );
  assert.match((await checked.locator('[data-test="link-unlinked"]').textContent()) ?? '', /osm-way-102/);
  const before = await harness.api<{ items: { code: string; regionCode: string }[] }>(
    'GET',
    '/api/communities?within=3101',
  );
  assert.ok(
    before.items.every((c) => c.regionCode === '3101'),
    'the check wrote nothing',
  );
  await page.click('[data-test="link-confirm"]');
  await page.locator('[data-test="link-done"]').waitFor();
  const after = await harness.api<{
    items: { code: string; regionCode: string; population: number | null }[];
  }>('GET', '/api/communities?within=3101');
  assert.deepEqual(after.items.map((c) => [c.code, c.regionCode, c.population]).sort(), [
    ['osm-way-101', '310113003', 3000],
    ['osm-way-102', '3101', null],
  ]);
});

test("上海市's coverage is analysed on its network with progress: a chart with its legend and a table by 区", async () => {
  await choose('[data-test="analysis-city"]', '3101 上海市');
  await page.click('[data-test="analysis-run"]');
  const result = page.locator('[data-test="analysis-result"]');
  await result.waitFor();
  assert.match((await result.textContent()) ?? '', /2 个社区，其中 2 个位于步行路网上/);
  assert.ok(await page.locator('[data-test="coverage-chart"] canvas').isVisible());
  const table = page.locator('[data-test="analysis-districts"]');
  // 小区甲 (now in 宝山区's 友谊路街道) has the register's elderly-care homes elsewhere and no kindergarten in
  // the store (the extract's was not loaded): 0 % in both rows; 小区乙 is not linked to a 区.
  assert.match((await table.locator('tr', { hasText: '宝山区' }).textContent()) ?? '', /宝山区\s*1/);
  assert.match(
    (await table.locator('tr', { hasText: '未关联区县' }).textContent()) ?? '',
    /（未关联区县）\s*1/,
  );
  await page.screenshot({ path: join(harness.shots, '04-analysis.png'), fullPage: true });
});

test('in English the page speaks English only', async () => {
  await page.click('[data-test="lang"]');
  await page.getByText('Cities set up').waitFor();
  const text = (await page.locator('.el-card').first().textContent()) ?? '';
  assert.match(text, /The city this server plans for/);
  assert.doesNotMatch(text.replace(/[\u4e00-\u9fff]+[市区县]/g, ''), /本服务器|城市|接入/);
  // The results already on the page change language too (network, linkage, analysis), names of places aside.
  await page.getByText('Network kept: 2 residential areas and 0 facilities loaded').waitFor();
  const all = (await page.locator('.lc-page').textContent()) ?? '';
  assert.match(all, /Analysis #\d+ done: 2 communities, 2 of them on the walking network/);
  assert.match(all, /\(not linked to a district\)/);
  const words = all
    .replace(/[\u4e00-\u9fff]+[市区县]/g, '')
    .replace(/合成[\u4e00-\u9fff（）]+|测试[\u4e00-\u9fff]+|社区/g, '');
  assert.doesNotMatch(words, /本服务器|城市|接入|路网|居住区|覆盖|分析|关联|导入|设施/);
  await page.screenshot({ path: join(harness.shots, '05-english.png'), fullPage: true });
});
