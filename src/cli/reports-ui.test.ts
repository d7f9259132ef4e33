import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import type { Page } from 'playwright-core';
import { manualClock } from '../time/index.js';
import {
  ADMIN_PASSWORD,
  chooseOption,
  openHarness,
  vueLogIn,
  type BrowserHarness,
} from './browser-support.js';

/**
 * The monitoring report page (/app/#/reports) in a real browser, on the bundled 成都 data the platform starts with:
 * refused to the public; an administrator makes the 锦江区 report in Chinese and the city's in English, with the
 * job's progress, previews each, and downloads a DOCX and an XLSX that are what the API kept.
 */
let harness: BrowserHarness;
let page: Page;
const shot = (name: string) => page.screenshot({ path: join(harness.shots, `${name}.png`), fullPage: true });

before(async () => {
  harness = await openHarness('reports-ui', { clock: manualClock('2026-03-16T10:00:00+08:00') });
  page = await harness.newPage({
    viewport: { width: 1366, height: 900 },
    locale: 'zh-CN',
    acceptDownloads: true,
  });
  await page.goto(`${harness.started.url}/app/#/reports`);
});

after(async () => {
  await harness?.close();
});

interface ReportAnswer {
  id: number;
  title: string;
  summary: { communities: number; tiers: { tier: string; communityShare: number | null }[] };
}

async function download(selector: string): Promise<Buffer> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  const path = await file.path();
  assert.ok(path);
  return readFileSync(path);
}

test('the public is told who may make reports', async () => {
  await page.locator('[data-test="reports-only"]', { hasText: '请登录' }).waitFor();
  assert.equal(await page.locator('[data-test="report-run"]').count(), 0);
});

test('an administrator makes the 锦江区 report in Chinese, previews it and downloads the DOCX', async () => {
  await vueLogIn(page, 'admin', ADMIN_PASSWORD);
  await page.click('[data-test="nav-reports"]');
  await chooseOption(page, '[data-test="report-region"]', '锦江区');
  await page.click('[data-test="report-run"]');
  const result = page.locator('[data-test="report-result"]');
  await result.waitFor({ timeout: 60_000 });
  const list = await harness.api<{ items: ReportAnswer[] }>(
    'GET',
    '/api/monitoring-reports',
    undefined,
    await harness.adminToken(),
  );
  const report = list.items[0]!;
  assert.equal(report.title, '锦江区一刻钟便民生活圈监测评价报告');
  assert.ok(report.summary.communities > 0);
  // The shares the page shows are the report's own.
  const tiers = (await page.textContent('[data-test="report-tiers"]')) ?? '';
  for (const t of report.summary.tiers)
    assert.ok(
      tiers.includes(t.communityShare === null ? '—' : `${(t.communityShare * 100).toFixed(1)}%`),
      `${t.tier} in ${tiers}`,
    );
  const preview = page.frameLocator('[data-test="report-preview"]');
  await preview.locator('h1', { hasText: '锦江区一刻钟便民生活圈监测评价报告' }).waitFor();
  await preview.locator('#coverage-map .legend').waitFor();
  await shot('01-report-zh');

  const docx = await download('[data-test="report-download-docx"]');
  const xml = await (await JSZip.loadAsync(docx)).file('word/document.xml')!.async('string');
  assert.ok(xml.includes('锦江区一刻钟便民生活圈监测评价报告'));
  assert.ok(xml.includes('二、分层级覆盖（5、10、15分钟生活圈）'));
  assert.ok(xml.includes(`第 ${(report as unknown as { runId: number }).runId} 次分析`));
});

test('in English the page and the city report speak English, and the XLSX annex downloads', async () => {
  await page.click('[data-test="lang"]');
  await page.locator('h2', { hasText: '15-minute life circle monitoring reports' }).waitFor();
  await page.click('[data-test="report-lang-en"]');
  await chooseOption(page, '[data-test="report-type"]', 'Kindergarten');
  await chooseOption(page, '[data-test="report-region"]', 'whole city');
  await page.click('[data-test="report-run"]');
  const preview = page.frameLocator('[data-test="report-preview"]');
  await preview
    .locator('h1', { hasText: '15-minute Life Circle Monitoring Report' })
    .waitFor({ timeout: 60_000 });
  await preview.locator('#coverage-map', { hasText: 'Coverage of each community: Kindergarten' }).waitFor();
  await page.locator('[data-test="reports-table"] tbody tr').nth(1).waitFor();
  await shot('02-report-en');

  const xlsx = await download('[data-test="report-download-xlsx"]');
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(xlsx as never);
  assert.deepEqual(
    workbook.worksheets.slice(0, 4).map((s) => s.name),
    ['Fields', 'About', 'Tiers', 'Types'],
  );

  // Nothing Chinese on the English page but names from the data (areas, the report's title naming the city).
  const text = await page.evaluate(() => {
    const doc = (globalThis as unknown as { document: { querySelector(s: string): unknown } }).document;
    const root = doc.querySelector('.lc-reports') as {
      cloneNode(deep: boolean): { querySelectorAll(s: string): { remove(): void }[]; textContent: string };
    };
    const copy = root.cloneNode(true);
    for (const el of copy.querySelectorAll('[data-lc-data]')) el.remove();
    return copy.textContent;
  });
  assert.doesNotMatch(text, /\p{Script=Han}/u);
  await page.click('[data-test="lang"]');
});
