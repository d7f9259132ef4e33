import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { logIn, openHarness, type BrowserHarness } from './browser-support.js';
import { manualClock } from '../time/index.js';

/**
 * Issue 5 "done when" (plans part): a coordinator imports a seed plan through the dashboard, checks the tree
 * against the source text, corrects a unit and creates assignments; a department reports with an evidence
 * file; the coordinator returns it with a comment; the department sees the comment and reports again; the
 * coordinator accepts, and the task is done. Real platform, real chromium, screenshots in test-results/plans-ui/.
 */
const SEED = resolve('data/seeds/001_6d4fe630431b83bc.txt'); // 西青区生活性服务业发展行动方案
const PASSWORD = 'plans-ui-password-1';

let harness: BrowserHarness;
let coordinator: Page;
let department: Page;
let planId = '';
let evidenceDir = '';
const shot = (p: Page, name: string) =>
  p.screenshot({ path: join(harness.shots, `${name}.png`), fullPage: false });

/** What the test reads from the page's window (types only; the cast vanishes in the browser). */
interface StyleGlobals {
  getComputedStyle(element: unknown): { color: string };
}

interface AssignmentBody {
  id: string;
  measureId: string;
  departmentName: string;
  role: string;
  stage: string;
  lastReport: { evidence: { fileName: string; bytes: number; sha256: string }[] } | null;
  reports: unknown[];
}

/** Every assignment, as the administrator sees them (one page: the seed plan has fewer than 1,000). */
const allAssignments = async (): Promise<AssignmentBody[]> => {
  const page = await harness.api<{ items: AssignmentBody[]; total: number }>(
    'GET',
    '/api/assignments?limit=1000',
    undefined,
    await harness.adminToken(),
  );
  assert.equal(page.items.length, page.total);
  return page.items;
};

before(async () => {
  // The platform's clock: 2026-03-16 10:00 in Beijing.
  harness = await openHarness('plans-ui', { clock: manualClock('2026-03-16T10:00:00+08:00') });
  const admin = await harness.adminToken();
  for (const [username, role, department] of [
    ['fgw', 'coordinator', '区发展改革委'],
    ['minzheng', 'staff', '区民政局'],
  ])
    await harness.api(
      'POST',
      '/api/users',
      { username, displayName: department, password: PASSWORD, role, department },
      admin,
    );
  const url = harness.started.url;
  coordinator = await harness.newPage({ viewport: { width: 1366, height: 860 }, locale: 'zh-CN' });
  department = await harness.newPage({ viewport: { width: 1280, height: 860 }, locale: 'zh-CN' });
  await coordinator.goto(`${url}/#/plans`);
  await department.goto(`${url}/#/plans/tasks`);
  evidenceDir = mkdtempSync(join(tmpdir(), 'plans-ui-evidence-'));
});

after(async () => {
  await harness?.close();
  if (evidenceDir) rmSync(evidenceDir, { recursive: true, force: true });
});

test('the coordinator imports a seed plan by upload and sees its tree', async () => {
  await logIn(coordinator, 'fgw', PASSWORD);
  await coordinator.waitForSelector('#plans-import-file');
  await coordinator.setInputFiles('#plans-import-file', SEED);
  await coordinator.click('#plans-import-submit');
  await coordinator.waitForSelector('.plan-tree .measure-head');
  planId = decodeURIComponent(new URL(coordinator.url()).hash.split('/')[2] ?? '');
  assert.match(planId, /^plan-[0-9a-f]{12}$/);
  assert.match((await coordinator.textContent('.plan-title')) ?? '', /西青区生活性服务业发展行动方案/);
  assert.ok((await coordinator.locator('.plan-tree .measure').count()) >= 40);
  assert.ok((await coordinator.locator('.plan-tree .unit').count()) > 50);
  assert.ok((await coordinator.locator('.plan-tree .target').count()) > 3);
  await shot(coordinator, '01-plan-tree');
});

test('importing the same document again links to the plan it already is, in the coordinator’s language', async () => {
  await coordinator.goto(`${harness.started.url}/#/plans`);
  await coordinator.waitForSelector('#plans-import-file');
  await coordinator.setInputFiles('#plans-import-file', SEED);
  await coordinator.click('#plans-import-submit');
  const notice = coordinator.locator('.already-imported');
  await notice.waitFor();
  assert.match((await notice.textContent()) ?? '', /该文件已导入，即规划“西青区生活性服务业发展行动方案/);
  assert.doesNotMatch((await notice.textContent()) ?? '', /LC_CONFLICT/);
  await coordinator.click('.already-imported a.existing-plan');
  await coordinator.waitForSelector('.plan-tree .measure-head');
  assert.equal(decodeURIComponent(new URL(coordinator.url()).hash.split('/')[2] ?? ''), planId);
});

test('clicking a measure highlights exactly its span of the source text', async () => {
  const stored = await harness.started.store.plans.getPlan(planId);
  const m = stored?.raw.measures[0].children[0];
  assert.ok(m && m.title === '推广普惠养老服务');
  await coordinator.click('.measure-head[data-measure-id="m1.1"]');
  await coordinator.waitForSelector('#plan-source mark');
  assert.equal(await coordinator.textContent('#plan-source mark'), m.text);
  assert.equal(await coordinator.getAttribute('#plan-source', 'data-highlight'), `${m.span[0]},${m.span[1]}`);
  // A unit chip highlights where the unit is written.
  const unit = m.responsibilities.flatMap((r) => r.units).find((u) => u.normalized === '区民政局');
  assert.ok(unit);
  await coordinator.click(
    '.measure[data-measure-id="m1.1"] > .units .unit[data-unit-key="区:civil-affairs"]',
  );
  assert.equal(await coordinator.textContent('#plan-source mark'), unit.raw);
  await shot(coordinator, '02-highlight');
});

test('the coordinator corrects a unit (区民政局 leads) and the tree marks it corrected', async () => {
  await coordinator.waitForSelector('#correction-form[data-measure-id="m1.1"]');
  await coordinator.selectOption('#corr-op', 'set-unit');
  await coordinator.selectOption('#corr-unit', '区:civil-affairs');
  await coordinator.selectOption('#corr-unit-role', 'lead');
  await coordinator.click('#corr-submit');
  await coordinator.waitForSelector('#corr-result:has-text("修正已保存")');
  const chip = coordinator.locator('.measure[data-measure-id="m1.1"] > .units .unit.corrected');
  assert.equal(await chip.count(), 1);
  assert.match((await chip.textContent()) ?? '', /区民政局\s*牵头/);
  const raw = await harness.started.store.plans.getPlan(planId);
  assert.ok(
    raw?.raw.measures[0].children[0].responsibilities.flatMap((r) => r.units).every((u) => u.role !== 'lead'),
    'the raw extraction keeps what the parser read',
  );
  await shot(coordinator, '03-corrected');
});

test('the coordinator creates the assignments', async () => {
  await coordinator.click('#assign-submit');
  await coordinator.waitForSelector('#assign-result .accepted');
  assert.match((await coordinator.textContent('#assign-result')) ?? '', /新建 \d+ 项任务/);
  const all = await allAssignments();
  const lead = all.find((a) => a.measureId === 'm1.1' && a.departmentName === '区民政局');
  assert.equal(lead?.role, 'lead', 'assignments follow the corrected plan');
});

const taskRow = (p: Page) =>
  p.locator(`table.tasks tr[data-assignment-id="${planId}:m1.1:区:civil-affairs"]`);

test('the department sees only its own tasks, overdue in red, and reports with an evidence file', async () => {
  await logIn(department, 'minzheng', PASSWORD);
  await department.waitForSelector('table.tasks tbody tr');
  const departments = await department.locator('table.tasks tbody tr td:nth-child(2)').allTextContents();
  const all = await allAssignments();
  assert.equal(departments.length, all.filter((a) => a.departmentName === '区民政局').length);
  assert.ok(departments.length < all.length);
  assert.ok(departments.every((d) => d.startsWith('区民政局')));
  const row = taskRow(department);
  assert.match((await row.getAttribute('class')) ?? '', /overdue/, 'due 2022-12-31: overdue now');
  assert.equal(
    await row
      .locator('td')
      .first()
      .evaluate((td) => (globalThis as unknown as StyleGlobals).getComputedStyle(td).color),
    'rgb(179, 38, 30)',
  );
  await shot(department, '04-tasks');
  // "Only overdue and at risk" keeps exactly the flagged rows.
  await department.check('#tasks-attention');
  await department.waitForSelector('table.tasks[data-attention="true"]');
  const flagged = department.locator('table.tasks tbody tr');
  assert.ok((await flagged.count()) >= 1 && (await flagged.count()) < departments.length);
  assert.equal(
    await flagged.count(),
    await department.locator('table.tasks tbody tr:has(.overdue-flag, .risk-flag)').count(),
  );
  await department.uncheck('#tasks-attention');
  await department.waitForSelector('table.tasks[data-attention="false"]');
  assert.equal(await department.locator('table.tasks tbody tr').count(), departments.length);

  const evidence = join(evidenceDir, '养老设施验收.txt');
  writeFileSync(evidence, '西青区 2022 年新建养老服务设施 3 处，验收记录。\n');
  await row.locator('.report-open').click();
  await department.selectOption('#report-status', 'completed');
  await department.fill('#report-value', '3');
  await department.fill('#report-narrative', '已新建养老服务设施3处并通过验收。');
  await department.setInputFiles('#report-files', evidence);
  await shot(department, '05-report-form');
  await department.click('#report-submit');
  await department.waitForSelector('#tasks-message');
  assert.match((await taskRow(department).textContent()) ?? '', /待审核/);
  const mine = await allAssignments();
  const report = mine.find((a) => a.id === `${planId}:m1.1:区:civil-affairs`)?.lastReport;
  const bytes = readFileSync(evidence);
  assert.deepEqual(
    report?.evidence.map((e) => [e.fileName, e.bytes, e.sha256]),
    [['养老设施验收.txt', bytes.length, createHash('sha256').update(bytes).digest('hex')]],
  );
});

test('the coordinator returns the report with a comment; the department sees it and reports again', async () => {
  await coordinator.click('[data-page-link="review"]');
  await coordinator.waitForSelector('.review-item');
  assert.equal(await coordinator.locator('.review-item').count(), 1);
  assert.match((await coordinator.textContent('.review-item')) ?? '', /养老设施验收\.txt/);
  await coordinator.click('.review-return');
  assert.match((await coordinator.textContent('.review-result')) ?? '', /请填写意见/);
  await coordinator.fill('.review-comment', '请补充验收照片');
  await shot(coordinator, '06-review');
  await coordinator.click('.review-return');
  await coordinator.waitForSelector('#review-message');
  assert.equal(await coordinator.locator('.review-item').count(), 0);

  await department.reload();
  await department.waitForSelector('table.tasks tbody tr');
  assert.match((await taskRow(department).locator('.review-returned').textContent()) ?? '', /请补充验收照片/);
  await shot(department, '07-returned');
  await taskRow(department).locator('.report-open').click();
  await department.selectOption('#report-status', 'completed');
  await department.fill('#report-narrative', '已补充验收照片。');
  await department.setInputFiles('#report-files', join(evidenceDir, '养老设施验收.txt'));
  await department.click('#report-submit');
  await department.waitForSelector('#tasks-message');
});

test('the coordinator accepts; the task is done for both', async () => {
  await coordinator.reload();
  await coordinator.waitForSelector('.review-item');
  await coordinator.click('.review-accept');
  await coordinator.waitForSelector('#review-message');
  await department.reload();
  await department.waitForSelector('table.tasks tbody tr');
  assert.equal(await taskRow(department).locator('.stage-done').count(), 1);
  assert.equal(await taskRow(department).locator('.report-open').count(), 0);
  const all = await allAssignments();
  const task = all.find((a) => a.id === `${planId}:m1.1:区:civil-affairs`);
  assert.equal(task?.stage, 'done');
  assert.equal(task?.reports.length, 2);
  await shot(department, '08-done');

  // The plan tree shows the coordinator each measure's progress.
  await coordinator.goto(`${harness.started.url}/#/plans/${planId}`);
  await coordinator.waitForSelector('.measure-head[data-measure-id="m1.1"] .measure-progress');
  const m11 = all.filter((a) => a.measureId === 'm1.1').length;
  assert.equal(
    await coordinator.textContent('.measure-head[data-measure-id="m1.1"] .measure-progress'),
    `完成 1/${m11}`,
  );

  // English works too.
  await department.click('#lang-switch');
  await department.waitForSelector('[data-page-link="tasks"]:has-text("Tasks")');
  assert.equal(await taskRow(department).locator('.stage-done').textContent(), 'done');
  await shot(department, '08-done-en');
  await department.click('#lang-switch');
  await department.setViewportSize({ width: 390, height: 800 });
  await shot(department, '09-tasks-phone');
  const scrolls = await department.$eval('.table-scroll', (el) => el.scrollWidth > el.clientWidth);
  assert.ok(scrolls, 'on a phone the task table scrolls sideways instead of overflowing the page');
});
