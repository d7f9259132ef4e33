import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { ADMIN_PASSWORD, openHarness, type BrowserHarness } from './browser-support.js';
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

  await page.click('[data-test="import-city"]');
  await page.click('.el-select-dropdown__item:has-text("3101 上海市")');
  await page.setInputFiles('[data-test="import-file"] input[type="file"]', file);
  await page.click('label:has-text("GCJ-02")');
  await page.click('[data-test="whole-type"]');
  await page.click('.el-select-dropdown__item:has-text("养老机构")');
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

test('in English the page speaks English only', async () => {
  await page.click('[data-test="lang"]');
  await page.getByText('Cities set up').waitFor();
  const text = (await page.locator('.el-card').first().textContent()) ?? '';
  assert.match(text, /The city this server plans for/);
  assert.doesNotMatch(text.replace(/[\u4e00-\u9fff]+[市区县]/g, ''), /本服务器|城市|接入/);
});
