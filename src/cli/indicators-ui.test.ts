import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { openHarness, vueLogIn, vueLogOut, type BrowserHarness } from './browser-support.js';
import type { Started } from './start-command.js';
import { manualClock } from '../time/index.js';

/**
 * The indicators pages of the Vue dashboard (/app/#/indicators) in a real browser over the real platform (bundled Chengdu data, the engine's first run):
 * the board shows a computed coverage indicator with its run; a coordinator sets a target and sees status and
 * chart; the scorecard ranks the districts; its XLSX download is a real workbook matching the API.
 */
const COORDINATOR = { username: 'fgw', password: 'coordinator-password-1' };
const COVERAGE = 'community-elderly-care-coverage';

let harness: BrowserHarness;
let started: Started;
let page: Page;

const shot = (name: string) => page.screenshot({ path: join(harness.shots, `${name}.png`), fullPage: true });

before(async () => {
  // The platform's clock: 2026-03-16 10:00 in Beijing; the analysis run and "today" are that day.
  harness = await openHarness('indicators-ui', { clock: manualClock('2026-03-16T10:00:00+08:00') });
  ({ started } = harness);
  await harness.api(
    'POST',
    '/api/users',
    {
      username: COORDINATOR.username,
      displayName: '市发改委',
      password: COORDINATOR.password,
      role: 'coordinator',
      department: '成都市发展和改革委员会',
    },
    await harness.adminToken(),
  );
  page = await harness.newPage({
    viewport: { width: 1366, height: 900 },
    locale: 'zh-CN',
    acceptDownloads: true,
  });
});

after(async () => {
  await harness?.close();
});

const url = (path: string) => `${started.url}/app/#${path}`;
const ranking = '[data-test="ranking"] tbody tr';
// The test compiles without the DOM's types: the page's globals are reached through globalThis.
type PageGlobals = { document: { documentElement: { scrollWidth: number } }; innerWidth: number };

test('before any target the scorecard ranks no district and says why, in both languages (no row of tied zeros)', async () => {
  await page.goto(url('/indicators/scorecard'));
  await vueLogIn(page, COORDINATOR.username, COORDINATOR.password);
  await page.waitForSelector(ranking);
  const ranks = await page.$$eval(ranking, (trs) => trs.map((tr) => tr.children[0]?.textContent?.trim()));
  assert.ok(ranks.length >= 4);
  assert.ok(
    ranks.every((r) => r === '未排名'),
    ranks.join(','),
  );
  assert.equal(await page.locator('[data-test="ranking-chart"]').count(), 0, 'no chart of zeros');
  assert.match((await page.textContent('[data-test="none-ranked"]')) ?? '', /尚无可排名的区县/);
  assert.match((await page.textContent('[data-note="nothing-scored"]')) ?? '', /没有任何区县有可评分项/);
  await shot('00-scorecard-nothing-ranked');
  await page.click('[data-test="lang"]');
  await page.locator('[data-test="none-ranked"]', { hasText: 'No district can be ranked yet' }).waitFor();
  // Every note in English is English: no Chinese outside indicator and district names.
  const notes = await page.$$eval('.scorecard-note', (ps) => ps.map((p) => p.textContent ?? ''));
  assert.ok(notes.length >= 2);
  for (const note of notes) assert.doesNotMatch(note, /[\u4e00-\u9fff]/, note);
  await page.click('[data-test="lang"]');
  await page.locator('[data-test="none-ranked"]', { hasText: '尚无可排名的区县' }).waitFor();
  await vueLogOut(page);
});

test('the board shows a computed coverage indicator for the city with the analysis run it came from', async () => {
  const runs = await harness.api<{ items: { id: number }[] }>('GET', '/api/analysis/runs?kind=coverage');
  await page.goto(url('/indicators'));
  const row = page.locator(`tr.indicator-${COVERAGE}`);
  await row.waitFor();
  assert.match((await row.textContent()) ?? '', /社区养老服务设施覆盖率/);
  assert.match((await row.textContent()) ?? '', /民政局/);
  const city = (await row.locator('td.city-value').textContent()) ?? '';
  assert.match(city, /\d+(\.\d+)?%/);
  assert.match(city, new RegExp(`分析运行 #${runs.items[0].id}`));
  // Sports areas are not in the register: no number, the missing input named.
  const sports =
    (await page.locator('tr.indicator-sports-area-per-capita td.city-value').textContent()) ?? '';
  assert.match(sports, /无数据/);
  assert.match(sports, /缺少：体育场地面积/);
  // The bundled 2018 OSM extract has no elderly day-care centre: its 0 % is flagged as a gap in the data.
  const summary = await harness.api<{ types: { typeId: string; facilities: number }[] }>(
    'GET',
    `/api/analysis/runs/${runs.items[0].id}/summary`,
  );
  assert.equal(summary.types.find((t) => t.typeId === 'elderly-daycare')?.facilities ?? 0, 0);
  assert.equal(await row.locator('[data-test="none-registered"]').textContent(), '尚无该类设施登记');
  await shot('01-board');
});

test('after a new elderly-care facility and a rerun of the analysis the board shows the new value and run', async () => {
  const admin = await harness.adminToken();
  const layer = await harness.api<{ features: { properties: Record<string, unknown> }[] }>(
    'GET',
    '/api/map/communities',
  );
  const uncovered = layer.features.find((f) => f.properties['c:elderly-daycare'] === 0);
  assert.ok(uncovered, 'a community without an elderly-care facility in reach');
  const community = await harness.api<{ regionCode: string; location: { lon: number; lat: number } }>(
    'GET',
    `/api/communities/${encodeURIComponent(String(uncovered.properties.code))}`,
  );
  await harness.api(
    'POST',
    '/api/facilities',
    {
      code: 'UI-ELDERLY-1',
      name: '测试日间照料中心',
      typeCode: 'elderly-daycare',
      location: community.location,
      address: null,
      regionCode: community.regionCode.slice(0, 6),
      capacity: 30,
      affordable: true,
      status: 'open',
      providerUscc: null,
    },
    admin,
  );
  const run = await harness.api<{ id: number }>('POST', '/api/analysis/runs', { kind: 'coverage' }, admin);
  await page.goto(url('/indicators'));
  await page.reload();
  const city = page.locator(`tr.indicator-${COVERAGE} td.city-value`);
  await city.filter({ hasText: `分析运行 #${run.id}` }).waitFor();
  const text = (await city.textContent()) ?? '';
  const value = Number(/([\d.]+)%/.exec(text)?.[1]);
  assert.ok(value > 0, text);
  // One is registered now: the warning has gone.
  assert.equal(await page.locator(`tr.indicator-${COVERAGE} [data-test="none-registered"]`).count(), 0);
});

test('a coordinator sets a target and sees its status, warnings and the value-vs-trajectory chart', async () => {
  await vueLogIn(page, COORDINATOR.username, COORDINATOR.password);
  await page.goto(url(`/indicators/i/${COVERAGE}`));
  await page.waitForSelector('[data-test="target-form"]');
  assert.match((await page.textContent('[data-test="indicator-title"]')) ?? '', /社区养老服务设施覆盖率/);
  const board = await harness.api<{
    items: { code: string; values: { regionCode: string; value: number }[] }[];
  }>('GET', '/api/indicators');
  const current = board.items.find((i) => i.code === COVERAGE)?.values.find((v) => v.regionCode === '5101');
  assert.ok(current);
  const year = 2026; // the platform clock's year
  // The region defaults to the page's: the city (5101).
  await page.fill('[data-test="target-value"] input', '100');
  await page.fill('[data-test="target-year"] input', String(year + 1));
  // A baseline well below today's value two years ago: progress is ahead of or on the trajectory.
  await page.fill('[data-test="baseline-value"] input', String(Math.max(0, current.value - 20)));
  await page.fill('[data-test="baseline-date"] input', `${year - 2}-01-01`);
  await page.keyboard.press('Tab');
  await page.click('[data-test="target-save"]');
  await page.waitForSelector('[data-test="target-saved"]');
  await page.waitForSelector('tr.target-row');
  const { items: progress } = await harness.api<{
    items: {
      status: string;
      baseline: { date: string; value: number } | null;
      target: { regionCode: string };
    }[];
  }>('GET', `/api/indicators/progress?indicator=${COVERAGE}&region=5101`);
  assert.equal(progress.length, 1);
  assert.deepEqual(progress[0].baseline, {
    date: `${year - 2}-01-01`,
    value: Math.max(0, current.value - 20),
  });
  const statusZh = {
    achieved: '已达标',
    'on-track': '进度正常',
    'at-risk': '有风险',
    'off-track': '明显滞后',
  }[progress[0].status];
  assert.ok(statusZh, progress[0].status);
  assert.match((await page.textContent('tr.target-row')) ?? '', new RegExp(statusZh));
  // The chart draws on a canvas with two series (actual and trajectory): it is not blank.
  const canvas = page.locator('[data-test="trajectory-chart"] canvas');
  await canvas.waitFor();
  assert.ok(((await canvas.boundingBox())?.height ?? 0) > 100);
  const audit = await harness.api<{ items: { actorName: string }[] }>(
    'GET',
    '/api/audit?entity=indicator_targets',
    undefined,
    await harness.adminToken(),
  );
  assert.equal(audit.items[0].actorName, COORDINATOR.username);
  // What the target takes: the page says what the planning API answers for it.
  const targetId = Number(await page.getAttribute('[data-test="target-need"]', 'data-target'));
  const token = (await harness.api<{ token: string }>('POST', '/api/auth/login', COORDINATOR)).token;
  const need = await harness.api<{
    covered: number;
    communities: number;
    required: number;
    missing: number;
    reachable: boolean;
    facilitiesNeeded: number | null;
    offNetwork: number;
  }>('GET', `/api/planning/target-need?target=${targetId}`, undefined, token);
  assert.equal(need.required, need.communities, 'a target of 100 % needs every community');
  await page.click('[data-test="need-compute"]');
  const summary = (await page.locator('[data-test="need-summary"]').textContent()) ?? '';
  assert.match(
    summary,
    new RegExp(`现有 ${need.communities} 个社区中 ${need.covered} 个在 \\d+ 米步行范围内`),
  );
  assert.match(summary, new RegExp(`达到目标需 ${need.required} 个，还差 ${need.missing} 个社区`));
  assert.match(
    summary,
    need.reachable
      ? new RegExp(`新增 ${need.facilitiesNeeded} 处即可达到`)
      : new RegExp(`无法达到：${need.offNetwork} 个社区不在步行路网上`),
  );
  await shot('02-indicator-target');
});

test('the scorecard ranks the districts, and its XLSX download is a workbook matching the API', async () => {
  await page.goto(url('/indicators/scorecard'));
  await page.waitForSelector(ranking);
  const token = (await harness.api<{ token: string }>('POST', '/api/auth/login', COORDINATOR)).token;
  const card = await harness.api<{ rows: { region: string; name: string; rank: number; total: number }[] }>(
    'GET',
    '/api/scorecard',
    undefined,
    token,
  );
  assert.ok(card.rows.length >= 4, `the districts of the bundled area ranked: ${card.rows.length}`);
  const shown = await page.$$eval(ranking, (trs) =>
    trs.map((tr) => [tr.children[1]?.textContent?.trim(), tr.children[2]?.textContent?.trim()]),
  );
  assert.deepEqual(
    shown,
    card.rows.map((r) => [r.name, r.total.toFixed(1)]),
  );
  // The city target set above applies to every district: someone scores above zero.
  assert.ok(card.rows[0].total > 0);
  await page.waitForSelector('[data-test="ranking-chart"] canvas');
  await shot('03-scorecard');

  // The coordinator weighs elderly care three times; the API and the table follow.
  await page.fill(`[data-test="weights"] [data-code="${COVERAGE}"] input`, '3');
  await page.click('[data-test="weights-save"]');
  await page.locator('[data-test="ranking"] thead', { hasText: '权重 3' }).waitFor();
  const weighted = await harness.api<{ config: { indicatorWeights: Record<string, number> } }>(
    'GET',
    '/api/scorecard',
    undefined,
    token,
  );
  assert.equal(weighted.config.indicatorWeights[COVERAGE], 3);
  card.rows = (await harness.api<{ rows: typeof card.rows }>('GET', '/api/scorecard', undefined, token)).rows;

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.click('[data-test="scorecard-xlsx"]'),
  ]);
  const path = await download.path();
  assert.ok(path);
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(readFileSync(path) as unknown as ArrayBuffer);
  const sheet = book.getWorksheet('考评结果');
  assert.ok(sheet, 'the workbook has the 考评结果 sheet');
  const rows: [string, string, number][] = [];
  sheet.eachRow((row, n) => {
    if (n > 3)
      rows.push([String(row.getCell(2).value), String(row.getCell(3).value), Number(row.getCell(4).value)]);
  });
  assert.deepEqual(
    rows,
    card.rows.map((r) => [r.region, r.name, r.total]),
  );
});

test('on a phone-width screen the ranking table scrolls sideways instead of overflowing the page', async () => {
  await page.setViewportSize({ width: 390, height: 800 });
  await page.goto(url('/indicators/scorecard'));
  await page.waitForSelector(ranking);
  const overflow = await page.evaluate(() => {
    const g = globalThis as unknown as PageGlobals;
    return g.document.documentElement.scrollWidth - g.innerWidth;
  });
  assert.ok(overflow <= 1, `page overflows by ${overflow}px`);
  await shot('04-scorecard-phone');
  await page.setViewportSize({ width: 1366, height: 900 });
});

test('in English the board and the scorecard speak English, department names and units included', async () => {
  await page.goto(url('/indicators'));
  await page.waitForSelector('[data-test="indicator-board"]');
  await page.click('[data-test="lang"]');
  await page.locator('[data-test="indicators-page"]', { hasText: 'Indicator board' }).waitFor();
  const row = (await page.textContent(`tr.indicator-${COVERAGE}`)) ?? '';
  assert.match(row, /Share of communities served by an elderly-care facility/);
  assert.match(row, /Civil Affairs Bureau/);
  assert.match(row, /analysis run #\d+/);
  assert.match(
    (await page.textContent('tr.indicator-sports-area-per-capita')) ?? '',
    /m².*missing: sports ground area/s,
  );
  await page.goto(url('/indicators/scorecard'));
  await page.waitForSelector(ranking);
  assert.match((await page.textContent('[data-test="ranking"] thead')) ?? '', /Rank.*Total/s);
  await shot('05-scorecard-en');
  // Nothing Chinese on the English page but the names of districts (the header's language button says 中文 and
  // the user's own name is theirs: both outside the page).
  const names = await page.$$eval(ranking, (trs) =>
    trs.map((tr) => tr.children[1]?.textContent?.trim() ?? ''),
  );
  const page_ = (await page.textContent('[data-test="indicators-page"]')) ?? '';
  const text = page_.replace(new RegExp(names.join('|'), 'g'), '');
  assert.doesNotMatch(text, /[\u4e00-\u9fff]/);
  await page.click('[data-test="lang"]');
});
