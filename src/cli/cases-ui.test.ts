import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
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
 * 好差评 in a real browser against the real platform (bundled Chengdu data, temporary store): a resident on a phone
 * registers, finds a community, rates the nearest outlet 非常不满意; the supervising department sees the case with
 * its 15-working-day deadline; the provider replies and rectifies on the Vue dashboard (/app/#/cases); the department follows up; the
 * resident confirms on the phone; the history shows every step; an old case is highlighted as overdue.
 */
const HUAWEI = '914403001922038216';
const PASSWORD = 'cases-ui-password-1';
/** The platform's clock: Tuesday 2026-02-10 10:00 in Beijing, five days before the Spring Festival holiday. */
const CLOCK = manualClock('2026-02-10T10:00:00+08:00');

let harness: BrowserHarness;
let phone: BrowserContext;
let desk: BrowserContext;
let resident: Page;
let dashboard: Page;
let admin: string;
let outlet: { code: string; name: string };
let community: { code: string; name: string };
let caseId = '';

/** What the tests read in the page; only types, the casts vanish in the browser. */
interface PageGlobals {
  document: { documentElement: { scrollWidth: number } };
  getComputedStyle(element: unknown): { color: string };
}

const shot = (p: Page, name: string) =>
  p.screenshot({ path: join(harness.shots, `${name}.png`), fullPage: true });
const url = (path: string) => `${harness.started.url}${path}`;

// The case queue is a page of the Vue dashboard (web/app, /app/#/cases): its own login dialog and components.
const row = (id: string) => `tr.case-${id}`;
const form = (action: string) => `[data-test="case-detail"] .lc-action[data-action="${action}"]`;

/** Opens a case of the queue and waits for its detail. */
async function openCase(p: Page, id: string): Promise<void> {
  await p.click(`${row(id)} td >> nth=0`);
  await p.waitForSelector(`[data-test="case-detail"][data-case="${id}"]`);
}

/** Takes one step of the case through the form the server offered, and waits for the state it leads to. */
async function act(p: Page, action: string, note: string, next: string, choice?: string): Promise<void> {
  await p.waitForSelector(form(action));
  if (choice) await p.click(`${form(action)} .el-radio-button:has-text("${choice}")`);
  await p.fill(`${form(action)} textarea`, note);
  await p.click(`${form(action)} [data-test="submit"]`);
  await p.waitForSelector(`[data-test="case-state"][data-state="${next}"]`);
}

before(async () => {
  harness = await openHarness('cases-ui', { clock: CLOCK });
  admin = await harness.adminToken();
  // The first community of the register and the outlet nearest to it.
  const communities = await harness.api<{ items: { code: string; name: string }[] }>(
    'GET',
    '/api/communities?limit=1',
  );
  community = communities.items[0];
  const near = await harness.api<{ items: { code: string; name: string; typeCode: string }[] }>(
    'GET',
    `/api/ratings/outlets?community=${encodeURIComponent(community.code)}&limit=5`,
  );
  outlet = near.items[0];
  const facility = await harness.api<{ regionCode: string | null; typeCode: string }>(
    'GET',
    `/api/facilities/${encodeURIComponent(outlet.code)}`,
  );
  const { regionCode } = await harness.api<{ regionCode: string }>(
    'GET',
    `/api/communities/${encodeURIComponent(community.code)}`,
  );
  const region = facility.regionCode ?? regionCode;
  const types = await harness.api<{ code: string; domain: string }[]>('GET', '/api/facility-types');
  const domain = types.find((t) => t.code === facility.typeCode)?.domain ?? 'elderly_care';
  // The outlet's operator, set through the API as a department would.
  await harness.api(
    'POST',
    '/api/providers',
    { uscc: HUAWEI, name: '华为技术有限公司', domains: [domain] },
    admin,
  );
  await harness.api(
    'PATCH',
    `/api/facilities/${encodeURIComponent(outlet.code)}`,
    { providerUscc: HUAWEI, regionCode: region },
    admin,
  );
  const user = (username: string, extra: object) =>
    harness.api(
      'POST',
      '/api/users',
      { username, displayName: username, password: PASSWORD, ...extra },
      admin,
    );
  await user('dept', {
    role: 'staff',
    department: '区主管部门',
    domains: [domain],
    regionCode: region.slice(0, 6),
  });
  await user('operator', { role: 'provider', providerUscc: HUAWEI });
  phone = await harness.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
  desk = await harness.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
  resident = await phone.newPage();
  dashboard = await desk.newPage();
});

after(async () => {
  await phone?.close();
  await desk?.close();
  await harness?.close();
});

test('on a phone a resident registers, finds a community, sees outlets nearest first and rates one 非常不满意', async () => {
  await resident.goto(url('/resident.html'));
  await resident.waitForSelector('body[data-ready="true"]');
  assert.equal(await resident.textContent('#r-title'), '生活圈 · 居民评价');
  await resident.click('#r-lang');
  assert.equal(await resident.textContent('#r-title'), 'LifeCircle · rate local services');
  assert.equal(await resident.textContent('#r-register button[type="submit"]'), 'Register');
  await resident.click('#r-lang');
  assert.equal(await resident.textContent('#r-title'), '生活圈 · 居民评价');
  await resident.fill('#r-register input[name="phone"]', '13812345678');
  await resident.fill('#r-register input[name="password"]', 'resident-password-1');
  await resident.click('#r-register button[type="submit"]');
  await resident.waitForSelector('#r-user');
  assert.match((await resident.textContent('#r-user')) ?? '', /居民-[0-9a-f]{8}/);
  // One identity: registered with the phone, logged in with the same phone.
  await resident.click('#r-logout');
  await resident.fill('#r-login input[name="username"]', '13812345678');
  await resident.fill('#r-login input[name="password"]', 'resident-password-1');
  await resident.click('#r-login button[type="submit"]');
  await resident.waitForSelector('#r-user');

  await resident.fill('#r-q', community.name);
  await resident.click('#r-search button[type="submit"]');
  await resident.click(`[data-community="${community.code}"]`);
  await resident.waitForSelector('li.outlet');
  assert.equal(await resident.getAttribute('li.outlet >> nth=0', 'data-outlet'), outlet.code);
  assert.match((await resident.textContent('li.outlet >> nth=0 >> .distance')) ?? '', /直线距离 \d+ 米/);
  await shot(resident, '01-phone-outlets');

  const card = `li.outlet[data-outlet="${outlet.code}"]`;
  await resident.click(`${card} [data-open="rate"]`);
  await resident.check(`${card} input[name="level"][value="very_dissatisfied"]`);
  await resident.check(`${card} input[name="tag"] >> nth=0`);
  await resident.fill(`${card} textarea[name="text"]`, '等了一个小时没人接待');
  await resident.click(`${card} .r-rate button[type="submit"]`);
  await resident.waitForSelector('li.my-case');
  assert.match((await resident.textContent('#r-message')) ?? '', /已生成工单/);
  caseId = (await resident.getAttribute('li.my-case', 'data-case')) ?? '';
  assert.ok(caseId);
  // Phone-first: nothing is wider than the screen.
  assert.ok(
    await resident.evaluate(
      () => (globalThis as unknown as PageGlobals).document.documentElement.scrollWidth <= 390,
    ),
  );
  await shot(resident, '02-phone-rated');
});

test('the supervising department sees the case in its queue with a 15-working-day deadline; an old case is red', async () => {
  // A complaint received on New Year's Day 2026 by hotline, keyed in by the department now. Its deadline, counted by
  // hand on the 2026 calendar (国办发明电〔2025〕7号: 1–3 January off, Sunday 4 January a working day): 15 working
  // days after 1 January are 4–9, 12–16 and 19–22 January, so it fell due on 2026-01-22; by Tuesday 10 February it is
  // 13 working days overdue (23, 26–30 January, 2–6 and 9–10 February).
  const dept = (
    await harness.api<{ token: string }>('POST', '/api/auth/login', { username: 'dept', password: PASSWORD })
  ).token;
  const old = await harness.api<{ caseId: string }>(
    'POST',
    '/api/complaints',
    {
      outletId: outlet.code,
      category: 'quality',
      text: '12345 热线转来',
      residentPhone: '13900000002',
      receivedAt: '2026-01-01T10:00:00+08:00',
    },
    dept,
  );
  await dashboard.goto(url('/app/#/cases'));
  await vueLogIn(dashboard, 'dept', PASSWORD);
  await dashboard.waitForSelector(row(caseId));
  // Opened on 2026-02-10; 15 working days counted by hand across the Spring Festival (15–23 February off, Saturdays
  // 14 and 28 February working days): 11–14, 24–28 February and 2–6, 9 March → due 2026-03-09.
  const cells = async (id: string) =>
    dashboard.$$eval(`${row(id)} td`, (tds) => tds.map((td) => (td.textContent ?? '').trim()));
  const mine = await cells(caseId);
  assert.equal(mine[4], '2026-03-09');
  assert.equal(mine[5], '15 个工作日');
  assert.ok(mine[0] !== '');
  // Overdue first, in red.
  const first = await dashboard.$eval('[data-test="case-queue"] tbody tr', (tr) => tr.className);
  assert.match(first, new RegExp(`case-${old.caseId}`));
  assert.match(first, /is-overdue/);
  assert.equal((await cells(old.caseId))[5], '已超期 13 个工作日');
  assert.equal(
    await dashboard
      .locator(`${row(old.caseId)} .lc-overdue`)
      .evaluate((span) => (globalThis as unknown as PageGlobals).getComputedStyle(span).color),
    'rgb(245, 108, 108)',
  );
  await openCase(dashboard, caseId);
  // The handler sees the phone in full.
  assert.match((await dashboard.textContent('[data-test="case-origin"]')) ?? '', /13812345678/);
  await shot(dashboard, '03-queue-overdue');
  await vueLogOut(dashboard);
});

test('the provider replies and reports the rectification; the department follows up (回访)', async () => {
  await vueLogIn(dashboard, 'operator', PASSWORD);
  await dashboard.waitForSelector(row(caseId));
  await openCase(dashboard, caseId);
  // The provider sees the resident's phone masked.
  assert.match((await dashboard.textContent('[data-test="case-origin"]')) ?? '', /138\*\*\*\*5678/);
  assert.doesNotMatch((await dashboard.textContent('[data-test="case-detail"]')) ?? '', /13812345678/);
  await act(dashboard, 'reply', '已增加接待人员', 'replied', '限期整改');
  await act(dashboard, 'report-rectified', '整改完成，排班表已公示', 'rectified');
  await vueLogOut(dashboard);
  await vueLogIn(dashboard, 'dept', PASSWORD);
  await openCase(dashboard, caseId);
  await act(dashboard, 'follow-up', '电话回访居民', 'followed-up');
  await shot(dashboard, '04-followed-up');
});

test('the resident confirms on the phone; the history shows every step', async () => {
  await resident.reload();
  await resident.waitForSelector(`li.my-case[data-case="${caseId}"][data-state="followed-up"]`);
  await resident.click(`li.my-case[data-case="${caseId}"] [data-confirm="yes"]`);
  await resident.waitForSelector(`li.my-case[data-case="${caseId}"][data-state="closed"]`);
  await shot(resident, '05-phone-confirmed');
  await dashboard.reload();
  await dashboard.waitForSelector(row(caseId));
  await openCase(dashboard, caseId);
  await dashboard.waitForSelector('[data-test="case-state"][data-state="closed"]');
  const steps = await dashboard
    .locator('[data-test="case-history"] [data-event]')
    .evaluateAll((lis) => lis.map((li) => (li as unknown as { dataset: { event?: string } }).dataset.event));
  assert.deepEqual(steps, ['open', 'assign', 'reply', 'report-rectified', 'follow-up', 'confirm']);
  await shot(dashboard, '06-history');
});

test('appeal path: the provider appeals a 差评 as malicious, the department upholds it, the rating leaves the figures', async () => {
  const second = await harness.api<{ token: string }>('POST', '/api/residents/register', {
    phone: '13700000003',
    password: 'resident-password-2',
  });
  const rated = await harness.api<{ caseId: string }>(
    'POST',
    '/api/ratings',
    { outletId: outlet.code, level: 'dissatisfied', text: '随便打的' },
    second.token,
  );
  const before = await harness.api<{ aggregate: { count: number } }>(
    'GET',
    `/api/facilities/${encodeURIComponent(outlet.code)}/ratings`,
  );
  await vueLogOut(dashboard);
  await vueLogIn(dashboard, 'operator', PASSWORD);
  await openCase(dashboard, rated.caseId);
  await act(dashboard, 'appeal', '该时段未营业', 'under-review', '恶意评价');
  await vueLogOut(dashboard);
  await vueLogIn(dashboard, 'dept', PASSWORD);
  await openCase(dashboard, rated.caseId);
  await act(dashboard, 'review', '核实监控', 'closed', '申诉成立');
  const afterwards = await harness.api<{ aggregate: { count: number } }>(
    'GET',
    `/api/facilities/${encodeURIComponent(outlet.code)}/ratings`,
  );
  assert.equal(afterwards.aggregate.count, before.aggregate.count - 1);
  await shot(dashboard, '07-appeal-upheld');
});

test('an outlet with no registered provider (as every bundled one): the resident rates it, the department answers for it', async () => {
  const near = await harness.api<{ items: { code: string; rateable: boolean }[] }>(
    'GET',
    `/api/ratings/outlets?community=${encodeURIComponent(community.code)}&limit=5`,
  );
  const unregistered = near.items.find((o) => o.code !== outlet.code);
  assert.ok(unregistered, 'a second outlet near the community');
  assert.equal(unregistered.rateable, true);
  const card = `li.outlet[data-outlet="${unregistered.code}"]`;
  await resident.reload();
  await resident.waitForSelector('#r-user');
  await resident.fill('#r-q', community.name);
  await resident.click('#r-search button[type="submit"]');
  await resident.click(`[data-community="${community.code}"]`);
  await resident.waitForSelector(card);
  await resident.click(`${card} [data-open="rate"]`);
  await resident.check(`${card} input[name="level"][value="dissatisfied"]`);
  await resident.fill(`${card} textarea[name="text"]`, '门口堆放杂物');
  await resident.click(`${card} .r-rate button[type="submit"]`);
  await resident.waitForFunction(
    (n) =>
      (
        globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }
      ).document.querySelectorAll('li.my-case').length === n,
    2,
  );
  const cases = await harness.api<{ items: { id: string; outletId: string; providerUscc: string | null }[] }>(
    'GET',
    '/api/cases?limit=50',
    undefined,
    admin,
  );
  const opened = cases.items.find((c) => c.outletId === unregistered.code);
  assert.equal(opened?.providerUscc, null);
  // The administrator handles it as the supervising department would: the reply form is offered to the handler.
  await vueLogOut(dashboard);
  await vueLogIn(dashboard, 'admin', ADMIN_PASSWORD);
  await openCase(dashboard, opened.id);
  await dashboard.waitForSelector(form('reply'));
  assert.match((await dashboard.textContent('[data-test="no-provider"]')) ?? '', /尚未登记经营主体/);
  assert.equal(await dashboard.locator(form('appeal')).count(), 0);
  await act(dashboard, 'reply', '已联系经营者当场清理', 'replied', '立行立改');
  await shot(dashboard, '08-no-provider-replied');
});

test('the case page pages its queue and speaks one language at a time (headers, states, steps)', async () => {
  const dept = (
    await harness.api<{ token: string }>('POST', '/api/auth/login', { username: 'dept', password: PASSWORD })
  ).token;
  // Enough complaints for a second page of 20 (synthetic phones, keyed in by the department).
  for (let i = 0; i < 21; i += 1)
    await harness.api(
      'POST',
      '/api/complaints',
      {
        outletId: outlet.code,
        category: 'price',
        text: `示例投诉 ${i}`,
        residentPhone: `1390000${String(1000 + i)}`,
      },
      dept,
    );
  await vueLogOut(dashboard);
  await vueLogIn(dashboard, 'dept', PASSWORD);
  await dashboard.waitForSelector('[data-test="case-queue"] .el-pagination');
  const total = await harness.api<{ total: number }>('GET', '/api/cases?limit=1', undefined, dept);
  assert.equal(await dashboard.locator('[data-test="case-queue"] tbody tr').count(), 20);
  await dashboard.click('[data-test="case-queue"] .el-pagination .btn-next');
  await dashboard.waitForFunction(
    (n) =>
      (
        globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }
      ).document.querySelectorAll('[data-test="case-queue"] tbody tr').length === n,
    total.total - 20,
  );
  // The state filter asks the server for closed cases only.
  await chooseOption(dashboard, '[data-test="state-filter"]', '已办结');
  const closed = await harness.api<{ total: number }>(
    'GET',
    '/api/cases?state=closed&limit=1',
    undefined,
    dept,
  );
  await dashboard.waitForFunction(
    (n) =>
      (
        globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }
      ).document.querySelectorAll('[data-test="case-queue"] tbody tr').length === n,
    closed.total,
  );
  await openCase(dashboard, caseId);
  const chrome = async () => ({
    headers: await dashboard.$$eval('[data-test="case-queue"] th', (ths) =>
      ths.map((th) => th.textContent ?? ''),
    ),
    states: await dashboard.$$eval('[data-test="case-queue"] td .el-tag', (tags) =>
      tags.map((x) => x.textContent ?? ''),
    ),
    decided: await dashboard.$$eval('[data-test="decided"]', (tags) =>
      tags.map((x) => (x.textContent ?? '').trim()),
    ),
    steps: await dashboard.$$eval('[data-test="case-history"] [data-event] strong', (s) =>
      s.map((x) => x.textContent ?? ''),
    ),
  });
  const zh = await chrome();
  // What each step decided is worded by the page, not stored as an English sentence in the note.
  assert.deepEqual(zh.decided, ['限期整改', '已联系到居民', '居民满意']);
  for (const text of [...zh.headers, ...zh.states, ...zh.steps]) assert.doesNotMatch(text, /[A-Za-z]/, text);
  await dashboard.click('[data-test="lang"]');
  await dashboard.waitForFunction(() =>
    /Working days left/.test(
      (globalThis as unknown as { document: { body: { textContent: string } } }).document.body.textContent,
    ),
  );
  const en = await chrome();
  assert.ok(en.steps.length >= 6);
  assert.deepEqual(en.decided, ['Rectify by the deadline', 'resident reached', 'resident satisfied']);
  for (const text of [...en.headers, ...en.states, ...en.steps, ...en.decided])
    assert.doesNotMatch(text, /[\u4e00-\u9fff]/, text);
  await shot(dashboard, '09-cases-en');
  await dashboard.click('[data-test="lang"]');
});
