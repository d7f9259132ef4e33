import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { openCityTemporaryStore } from '../cities/index.js';
import { seedTestCity } from '../reports/index.js';
import type { Store, TemporaryStore } from '../store/index.js';
import { manualClock } from '../time/index.js';
import { buildApp, type App } from './app.js';
import type { JobAnswer } from './route-jobs.js';
import { hashPassword } from './passwords.js';
import { createTestUsers, loginToken } from './test-support.js';

/**
 * The monitoring report through the API, on the SYNTHETIC city of src/reports/test-city.ts, in worker threads (a
 * file store): waiting and asynchronous answers, the three files, staff held to their region, cancel.
 */
const PASSWORD = 'correct horse battery';
const CLOCK = manualClock('2026-03-16T10:00:00+08:00');
let tmp: TemporaryStore;
let store: Store;
let app: App;
const headers = new Map<string, Record<string, string>>();
const as = async (user: string) => {
  if (!headers.has(user))
    headers.set(user, { authorization: `Bearer ${await loginToken(app, user, PASSWORD)}` });
  return headers.get(user)!;
};

before(async () => {
  tmp = await openCityTemporaryStore({ clock: CLOCK });
  store = tmp.store;
  await seedTestCity(store);
  await createTestUsers(
    store,
    [
      { username: 'admin', role: 'administrator' },
      { username: 'fgw', role: 'coordinator', department: '市发展改革委' },
      { username: 'jinjiang', role: 'staff', department: '锦江区民政局', regionCode: '510104' },
      { username: 'qingyang', role: 'staff', department: '青羊区民政局', regionCode: '510105' },
    ],
    await hashPassword(PASSWORD, { N: 2 ** 10 }),
  );
  app = await buildApp({ store, cityCode: '5101', clock: CLOCK });
});

after(async () => {
  await app?.close();
  await tmp?.dispose();
});

interface ReportAnswer {
  id: number;
  regionCode: string;
  runId: number;
  previousRunId: number | null;
  summary: {
    communities: number;
    tiers: { tier: string; communityShare: number }[];
    worst: { code: string }[];
  };
  files: { html: string; docx: string; xlsx: string };
}

async function followJob(user: string, id: number): Promise<JobAnswer> {
  for (;;) {
    const res = await app.inject({ url: `/api/jobs/${id}`, headers: await as(user) });
    assert.equal(res.statusCode, 200, res.body);
    const job = res.json<JobAnswer>();
    if (job.finishedAt) return job;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test('a coordinator makes the city report and downloads its three files', async () => {
  const res = await app.inject({
    method: 'POST',
    url: '/api/monitoring-reports',
    headers: await as('fgw'),
    payload: { region: '5101', lang: 'zh' },
  });
  assert.equal(res.statusCode, 201, res.body);
  const report = res.json<ReportAnswer>();
  // Hand-computed (test-city.ts): 5 communities; complete at 5/10/15 minutes 3, 2, 1 of 5; A2 worst served.
  assert.equal(report.summary.communities, 5);
  assert.deepEqual(
    report.summary.tiers.map((t) => t.communityShare),
    [0.6, 0.4, 0.2],
  );
  assert.equal(report.summary.worst[0]!.code, 'T-A2');
  assert.equal(report.previousRunId, report.runId - 1);

  const html = await app.inject({ url: report.files.html, headers: await as('fgw') });
  assert.equal(html.statusCode, 200);
  assert.match(String(html.headers['content-type']), /^text\/html/);
  assert.match(
    String(html.headers['content-disposition']),
    /attachment; filename="monitoring-report-5101-run\d+-zh\.html"/,
  );
  assert.match(html.body, /一、总体情况/);
  const docx = await app.inject({ url: report.files.docx, headers: await as('fgw') });
  assert.equal(docx.statusCode, 200);
  const xml = await (await JSZip.loadAsync(docx.rawPayload)).file('word/document.xml')!.async('string');
  assert.ok(xml.includes('三、分设施类型覆盖'));
  const xlsx = await app.inject({ url: report.files.xlsx, headers: await as('fgw') });
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(xlsx.rawPayload as never);
  assert.equal(workbook.worksheets[0]!.name, '字段说明');

  const list = await app.inject({ url: '/api/monitoring-reports', headers: await as('admin') });
  assert.equal(list.json<{ total: number }>().total >= 1, true);
  // The public and other roles are refused before anything runs.
  const anonymous = await app.inject({ url: report.files.html });
  assert.equal(anonymous.statusCode, 401);
});

test('staff report on their own 区 only, and read only the reports of areas inside it', async () => {
  const other = await app.inject({
    method: 'POST',
    url: '/api/monitoring-reports',
    headers: await as('jinjiang'),
    payload: { region: '510105', lang: 'en' },
  });
  assert.equal(other.statusCode, 403, other.body);
  // A scope refusal: no `details.permission` (the role may make reports, not of this area).
  assert.equal(other.json<{ error: { details?: unknown } }>().error.details, undefined);
  const own = await app.inject({
    method: 'POST',
    url: '/api/monitoring-reports',
    headers: await as('jinjiang'),
    payload: { region: '510104', lang: 'en', type: 'kindergarten' },
  });
  assert.equal(own.statusCode, 201, own.body);
  const report = own.json<ReportAnswer>();
  assert.equal(report.summary.communities, 2); // A1, A2
  const refused = await app.inject({ url: report.files.xlsx, headers: await as('qingyang') });
  assert.equal(refused.statusCode, 403);
  const listed = await app.inject({ url: '/api/monitoring-reports', headers: await as('qingyang') });
  assert.equal(
    listed.json<{ items: ReportAnswer[] }>().items.some((r) => r.id === report.id),
    false,
  );
  const mine = await app.inject({ url: '/api/monitoring-reports', headers: await as('jinjiang') });
  assert.deepEqual(
    mine.json<{ items: ReportAnswer[] }>().items.map((r) => r.regionCode),
    ['510104'],
  );
});

test('with Prefer: respond-async the report is a job; cancelled at once it keeps nothing', async () => {
  const before = (await store.monitoringReports.list()).total;
  const audits = (await store.audit.list({ entity: 'monitoring_reports' })).total;
  const started = await app.inject({
    method: 'POST',
    url: '/api/monitoring-reports',
    headers: { ...(await as('admin')), prefer: 'respond-async' },
    payload: { region: '5101', lang: 'en' },
  });
  assert.equal(started.statusCode, 202, started.body);
  const job = started.json<JobAnswer>();
  assert.equal(job.kind, 'reports.generate');
  const cancel = await app.inject({
    method: 'POST',
    url: `/api/jobs/${job.id}/cancel`,
    headers: await as('admin'),
  });
  assert.equal(cancel.statusCode, 202, cancel.body);
  const ended = await followJob('admin', job.id);
  assert.equal(ended.status, 'cancelled');
  assert.equal(ended.error?.code, 'LC_CANCELLED');
  assert.equal(ended.report, null);
  assert.equal((await store.monitoringReports.list()).total, before);
  assert.equal((await store.audit.list({ entity: 'monitoring_reports' })).total, audits);

  // Left to run, the job names the report and its files.
  const again = await app.inject({
    method: 'POST',
    url: '/api/monitoring-reports',
    headers: { ...(await as('admin')), prefer: 'respond-async' },
    payload: { region: '5101', lang: 'en' },
  });
  const done = await followJob('admin', again.json<JobAnswer>().id);
  assert.equal(done.status, 'succeeded', JSON.stringify(done.error));
  assert.equal(done.progress.percent, 100);
  const file = await app.inject({ url: done.report!.html, headers: await as('admin') });
  assert.equal(file.statusCode, 200);
  assert.match(file.body, /<html lang="en">/);
});
