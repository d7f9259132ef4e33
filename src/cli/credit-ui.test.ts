import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { manualClock } from '../time/index.js';
import {
  ADMIN_PASSWORD,
  chooseOption,
  openHarness,
  vueLogIn,
  vueLogOut,
  type BrowserHarness,
} from './browser-support.js';

/**
 * Credit, 双随机 and 普惠 in a real browser against the real platform: staff add a penalty and the profile shows
 * the new class with that record as the reason; a draw re-run by the CLI on the downloaded lists gives the same
 * result; an inspector's result becomes a credit record; a provider's certification is approved, shown publicly,
 * and revoked by a serious penalty. Screenshots in test-results/credit-ui/.
 */
const BIN = fileURLToPath(new URL('../../../bin/lifecircle.js', import.meta.url));
const HUAWEI = '914403001922038216'; // real check-digit vectors (reference/uscc_vectors.json)
const TENCENT = '91440300708461136T';
// The platform's clock: 2026-06-15 09:30 in Beijing (a Monday).
const CLOCK = manualClock('2026-06-15T09:30:00+08:00');
const TODAY = '2026-06-15';
const PW = 'credit-ui-password-1';

let harness: BrowserHarness;
let page: Page;
let url: string;
let drawId = '';
const downloads = mkdtempSync(join(tmpdir(), 'lifecircle-credit-ui-'));

const shot = (name: string) => page.screenshot({ path: join(harness.shots, `${name}.png`), fullPage: true });
/** Logs in as `user` through the dashboard's dialog (on the inspections page). */
const as = async (user: string) => {
  await page.goto(`${url}/app/#/inspections`);
  await page.waitForSelector('[data-test="login-open"], [data-test="logout"]');
  if (await page.locator('[data-test="logout"]').count()) await vueLogOut(page);
  await vueLogIn(page, user, PW);
};
/** Opens a provider's credit page of the Vue dashboard (/app/#/credit/<uscc>) and waits for its data. */
async function openCredit(uscc: string): Promise<void> {
  await page.goto(`${url}/app/#/credit/${uscc}`);
  await page.waitForSelector(`[data-test="credit-page"][data-loaded="${uscc}"]`, { timeout: 20_000 });
}
const badge = (cls: string) => `[data-test="credit-summary"] [data-class="${cls}"]`;
/** Adds a serious penalty through the page's form (Element Plus puts an el-input's attributes on its <input>). */
async function addPenalty(fields: { title: string; authority: string; document?: string; note?: string }) {
  await page.fill('[data-test="record-title"]', fields.title);
  await page.fill('[data-test="record-authority"]', fields.authority);
  if (fields.document) await page.fill('[data-test="record-document"]', fields.document);
  await page.click('[data-test="record-severity"] [data-severity="serious"]');
  if (fields.note) await page.fill('[data-test="record-note"]', fields.note);
  await page.click('[data-test="record-save"]');
}
/** Opens the inspections page (one draw when `drawId` is given) and waits until it has loaded its data. */
async function openInspections(drawId?: string): Promise<void> {
  await page.goto(`${url}/app/#/inspections${drawId ? `/${drawId}` : ''}`);
  await page.waitForSelector('[data-test="inspections-page"][data-loaded="list"]', { timeout: 20_000 });
  if (drawId)
    await page.waitForSelector(`[data-test="draw-detail"][data-loaded="${drawId}"]`, { timeout: 20_000 });
}

before(async () => {
  harness = await openHarness('credit-ui', { clock: CLOCK });
  url = harness.started.url;
  const admin = await harness.adminToken();
  for (const [uscc, name] of [
    [HUAWEI, '华为锦江便民药房'],
    [TENCENT, '腾讯锦江社区药店'],
  ])
    await harness.api(
      'POST',
      '/api/providers',
      { uscc, name, regionCode: '510104', domains: ['health'] },
      admin,
    );
  await harness.api(
    'POST',
    '/api/facilities',
    {
      code: 'CREDIT-UI-OUTLET',
      name: '腾讯锦江社区药店春熙路店',
      typeCode: 'pharmacy',
      location: { lon: 104.0874466, lat: 30.6843382 },
      regionCode: '510104',
      providerUscc: TENCENT,
    },
    admin,
  );
  const users = [
    {
      username: 'jj-health',
      role: 'staff',
      department: '锦江区卫健局',
      domains: ['health'],
      regionCode: '510104',
    },
    { username: 'inspector-a', role: 'inspector', regionCode: '5101' },
    { username: 'inspector-b', role: 'inspector', regionCode: '5101' },
    { username: 'tencent-shop', role: 'provider', providerUscc: TENCENT },
  ];
  for (const u of users)
    await harness.api('POST', '/api/users', { displayName: u.username, password: PW, ...u }, admin);
  page = await harness.newPage({
    viewport: { width: 1366, height: 900 },
    locale: 'zh-CN',
    acceptDownloads: true,
  });
  await page.goto(`${url}/app/#/inspections`);
});

after(async () => {
  await harness?.close();
  rmSync(downloads, { recursive: true, force: true });
});

test('staff add a serious penalty: the class changes and the profile names that record as the reason', async () => {
  await as('jj-health');
  await page.goto(`${url}/app/#/credit`);
  await page.fill('[data-test="credit-query"]', '华为');
  await page.click('[data-test="credit-search"]');
  await page.click(`[data-test="credit-hits"] a[data-uscc="${HUAWEI}"]`);
  await page.waitForSelector(`[data-test="credit-page"][data-loaded="${HUAWEI}"]`);
  await page.waitForSelector(badge('B'));
  await addPenalty({
    title: '销售过期药品',
    authority: '锦江区市场监督管理局',
    document: '锦市监罚〔2026〕88号',
    note: '群众举报',
  });
  await page.waitForSelector(badge('D'));
  assert.match((await page.textContent('[data-test="credit-message"]')) ?? '', /B → D/);
  assert.match((await page.textContent('[data-test="credit-why"]')) ?? '', /严重行政处罚/);
  assert.match(
    (await page.textContent('[data-test="credit-drivers"]')) ?? '',
    /销售过期药品.*锦江区市场监督管理局 · 锦市监罚〔2026〕88号/,
  );
  // The public disclosure below shows the penalty but never the internal note.
  await page.waitForSelector(`[data-test="credit-page"][data-loaded="${HUAWEI}"]`);
  const disclosure = (await page.textContent('[data-test="disclosure"]')) ?? '';
  assert.match(disclosure, /销售过期药品/);
  assert.doesNotMatch(disclosure, /群众举报/);
  await shot('01-profile-penalty');
});

test('staff draw by the city’s own rule once it is adopted; the CLI on the downloaded lists gives the same draw', async () => {
  // The city's rule is set by someone who covers the whole city: the administrator here.
  await page.goto(`${url}/app/#/inspections`);
  await page.waitForSelector('[data-test="login-open"], [data-test="logout"]');
  if (await page.locator('[data-test="logout"]').count()) await vueLogOut(page);
  await vueLogIn(page, 'admin', ADMIN_PASSWORD);
  await openInspections();
  // Until 成都 adopts a rule, the page says the ratios are LifeCircle's after the national principle — no other city's.
  const before = (await page.textContent('[data-test="rule-state"]')) ?? '';
  assert.match(before, /本市尚未设置抽查规则.*不是本市规则/);
  assert.doesNotMatch(before, /大庆|林甸/);
  // Staff set the city's own rule here (audited), with the document it comes from.
  await page.click('[data-test="rule-edit"]');
  for (const [k, v] of Object.entries({ A: '0.05', B: '0.2', C: '0.6', D: '1' })) {
    await page.fill(`[data-test="rule-ratio-${k}"] input`, v);
    await page.press(`[data-test="rule-ratio-${k}"] input`, 'Tab');
  }
  await page.fill('[data-test="rule-document"]', '成都市合成测试抽查规则（虚构，非真实文件）');
  await page.click('[data-test="rule-save"]');
  await page.locator('[data-test="rule-state"]', { hasText: '本市规则：成都市合成测试抽查规则' }).waitFor();
  const rule = await harness.api<{ adopted: boolean; ratios: Record<string, number>; updatedBy: string }>(
    'GET',
    '/api/inspections/sampling-rule',
  );
  assert.deepEqual(rule.ratios, { A: 0.05, B: 0.2, C: 0.6, D: 1 });
  assert.equal(rule.adopted, true);
  await as('jj-health');
  await openInspections();
  assert.match(
    (await page.textContent('[data-test="rule-state"]')) ?? '',
    /本市规则：成都市合成测试抽查规则/,
  );
  assert.equal(await page.inputValue('[data-test="draw-ratio-D"] input'), '1.00');
  await page.fill('[data-test="draw-seed"]', `${TODAY} 福彩3D 517`);
  await page.fill('[data-test="draw-region"]', '510104');
  await page.click('[data-test="draw-submit"]');
  await page.waitForSelector('[data-test="draw-cli"]');
  drawId = (await page.textContent('[data-test="draw-title"]'))?.match(/\d+/)?.[0] ?? '';
  assert.ok(drawId);
  await page.click('[data-test="draw-publish"]');
  await page.locator('[data-test="draw-state"]', { hasText: /^已公开$/ }).waitFor();
  const cli = (await page.textContent('[data-test="draw-cli"]')) ?? '';
  const save = async (button: string) => {
    const [file] = await Promise.all([page.waitForEvent('download'), page.click(button)]);
    const path = join(downloads, file.suggestedFilename());
    await file.saveAs(path);
    return path;
  };
  const candidates = await save('[data-test="draw-csv"]');
  const inspectors = await save('[data-test="draw-inspectors-csv"]');
  // Re-run the printed command with the downloaded files.
  const words = [...cli.matchAll(/'((?:[^']|'\\'')*)'|(\S+)/g)].map((m) => m[1] ?? m[2]);
  assert.equal(words.slice(0, 3).join(' '), 'lifecircle inspections draw');
  const args = words
    .slice(3)
    .map((w) =>
      w.endsWith('-candidates.csv') ? candidates : w.endsWith('-inspectors.csv') ? inspectors : w,
    );
  const run = spawnSync(process.execPath, [BIN, 'inspections', 'draw', ...args], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  const published = await harness.api<{ result: { targets: { uscc: string; inspectorIds: string[] }[] } }>(
    'GET',
    `/api/inspections/draws/${drawId}`,
  );
  assert.deepEqual(JSON.parse(run.stdout), published.result);
  const huawei = published.result.targets.find((x) => x.uscc === HUAWEI);
  assert.ok(huawei, 'the class-D provider is drawn (ratio 100 %)');
  assert.deepEqual([...huawei.inspectorIds].sort(), ['inspector-a', 'inspector-b']);
  assert.equal(await page.locator(`[data-test="draw-targets"] tr.lc-row-${HUAWEI}`).count(), 1);
  await shot('02-draw');
});

test('an inspector records the result: it appears as a credit record and the class is recomputed', async () => {
  await as('inspector-a');
  await openInspections(drawId);
  await chooseOption(page, '[data-test="result-uscc"]', HUAWEI);
  await page.locator('[data-test="result-outcome"] label', { hasText: /^发现问题$/ }).click();
  await page.fill('[data-test="result-findings"]', '药品未按规定储存');
  await page.fill('[data-test="result-authority"]', '锦江区市场监督管理局');
  await page.click('[data-test="result-submit"]');
  await page.waitForSelector(`[data-test="draw-results"] tr.lc-row-${HUAWEI}`);
  assert.match((await page.textContent('[data-test="draw-results"]')) ?? '', /药品未按规定储存/);
  await shot('03-result');
  await openCredit(HUAWEI);
  assert.match(
    (await page.textContent('[data-test="credit-records"]')) ?? '',
    /双随机抽查 \d+: 药品未按规定储存/,
  );
  assert.equal((await page.textContent('[data-test="credit-score"]'))?.trim(), String(100 - 40 - 15));
  assert.match((await page.textContent('[data-test="disclosure-inspections"]')) ?? '', /药品未按规定储存/);
});

test('staff repair the penalty (信用修复): the class is recomputed and the penalty leaves the public page', async () => {
  await as('jj-health');
  await openCredit(HUAWEI);
  await page
    .locator('[data-test="credit-records"] tr', { hasText: '销售过期药品' })
    .locator('[data-test="repair"]')
    .click();
  await page.waitForSelector(badge('C'));
  assert.match((await page.textContent('[data-test="credit-message"]')) ?? '', /D → C/);
  assert.match((await page.textContent('[data-test="credit-records"]')) ?? '', /已信用修复/);
  await page.waitForSelector(`[data-test="credit-page"][data-loaded="${HUAWEI}"]`);
  assert.doesNotMatch((await page.textContent('[data-test="disclosure-penalties"]')) ?? '', /销售过期药品/);
  await shot('04-repaired');
});

test('a provider applies, staff approve, the public page shows the badge; a serious penalty revokes it', async () => {
  await as('tencent-shop');
  await page.goto(`${url}/app/#/certification`);
  await page.fill('[data-test="cert-commitment"]', '普惠价格不高于市场价的80%，预付费资金存管');
  await page.click('[data-test="cert-submit"]');
  await page.waitForSelector('tr.cert-applied');
  await shot('05-applied');

  await as('jj-health');
  await page.goto(`${url}/app/#/certification`);
  const row = page.locator('tr.cert-applied');
  await row.locator('[data-test="cert-note"]').fill('材料齐全，价格符合普惠标准');
  await row.locator('[data-test="cert-expires"] input').fill('2028-12-31');
  await page.keyboard.press('Tab');
  await row.locator('[data-test="cert-approve"]').click();
  await page.waitForSelector('tr.cert-certified [data-test="badge"]');
  assert.match((await page.textContent('tr.cert-certified')) ?? '', /2028-12-31/);
  await shot('06-certified');

  await vueLogOut(page);
  await openCredit(TENCENT);
  assert.match((await page.textContent('[data-test="badges"]')) ?? '', /普惠网点.*2028-12-31/);
  assert.match((await page.textContent('[data-test="login-for-profile"]')) ?? '', /登录后可见/);
  await shot('07-public-badge');
  const outlet = await harness.api<{ affordable: boolean }>('GET', '/api/facilities/CREDIT-UI-OUTLET');
  assert.equal(outlet.affordable, true);

  await as('jj-health');
  await openCredit(TENCENT);
  await addPenalty({ title: '预付卡卷款跑路风险（严重违法）', authority: '锦江区市场监督管理局' });
  await page.waitForSelector(badge('D'));
  assert.match((await page.textContent('[data-test="credit-message"]')) ?? '', /已撤销普惠认定/);
  await page.waitForSelector(`[data-test="credit-page"][data-loaded="${TENCENT}"]`);
  assert.equal(await page.locator('[data-test="badges"]').count(), 0);
  await page.goto(`${url}/app/#/certification`);
  await page.waitForSelector('tr.cert-revoked');
  assert.match((await page.textContent('tr.cert-revoked')) ?? '', /预付卡卷款跑路风险/);
  await shot('08-revoked');
  assert.equal(
    (await harness.api<{ affordable: boolean }>('GET', '/api/facilities/CREDIT-UI-OUTLET')).affordable,
    false,
  );
});

test('the pages work in English and on a phone-width screen', async () => {
  const phone = await harness.newPage({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
  await phone.goto(`${url}/app/#/inspections/${drawId}`);
  await phone.waitForSelector(`[data-test="draw-detail"][data-loaded="${drawId}"]`);
  const width = await phone.evaluate<number>('document.documentElement.scrollWidth');
  assert.ok(width <= 400, `the page scrolls sideways as a whole (${width}px); only tables should`);
  await phone.screenshot({ path: join(harness.shots, '09-phone-draw.png'), fullPage: true });
  await phone.close();

  await openCredit(HUAWEI);
  await page.click('[data-test="lang"]');
  await page.locator('[data-test="disclosure-title"]', { hasText: /^Public disclosure/ }).waitFor();
  assert.match(
    (await page.textContent('[data-test="credit-why"]')) ?? '',
    /By score band: A ≥ 110, B ≥ 90, C ≥ 70/,
  );
  await shot('10-profile-en');
  await page.click('[data-test="lang"]');
});
