import { openCityTemporaryStore } from '../cities/index.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { type Store } from '../store/index.js';
import { manualClock } from '../time/index.js';
import { buildApp, type App } from './app.js';
import { hashPassword } from './passwords.js';
import { measureCompletionByRegion, ownsAssignment } from '../plans/index.js';
import { createTestUsers } from './test-support.js';

/** The plans API on a real SQLite store with the bundled Chengdu divisions and one user per tracking role. */
const PASSWORD = 'correct horse battery';
/** The platform's clock: Monday 2026-03-16 10:00 in Beijing. */
const CLOCK = manualClock('2026-03-16T10:00:00+08:00');
const SEED_XIQING = 'data/seeds/001_6d4fe630431b83bc.txt'; // 西青区生活性服务业发展行动方案 (a district plan)
const SEED_QINHUANGDAO = 'data/seeds/002_ce73fb87e0a846d2.txt'; // 各县、区政府 as units: one per district
const SHA = 'a'.repeat(64);

/** Response bodies, typed as far as these tests read them. */
interface UnitBody {
  key: string;
  normalized: string;
  correctedBy?: string;
}
interface MeasureBody {
  id: string;
  responsibilities: { units: UnitBody[] }[];
  targets: { id: string; value: number; deadlineYear: number | null; correctedBy?: string }[];
  children: MeasureBody[];
}
interface ReportBody {
  id: string;
  review: { comment: string } | null;
  evidence: unknown[];
}
interface AssignmentBody {
  id: string;
  departmentName: string;
  departmentKey: string;
  stage: string;
  lastReport: ReportBody;
  reports: ReportBody[];
}
interface Body extends ReportBody {
  unitNamesEn: Record<string, string>;
  notes: { kind: string }[];
  importedBy: string | null;
  error: { code: string; message: string };
  token: string;
  title: string;
  fileName: string;
  created: number;
  plan: { text: string; measures: MeasureBody[]; warnings: string[] };
  corrections: unknown[];
}
interface ReminderBody {
  departmentName: string;
  departmentNameEn: string | null;
  items: { assignmentId: string; kind: string; days: number | null; since: string | null }[];
}
/** A paged list: `{ items, total, limit, offset }`. */
interface PageBody<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}
interface CompletionBody {
  regionCode: string;
  accepted: number;
  assignments: number;
  share: number | null;
}

interface Ctx {
  app: App;
  store: Store;
  token: (username: string) => Promise<string>;
  call: <T = Body>(
    method: string,
    url: string,
    token?: string,
    payload?: unknown,
  ) => Promise<{ status: number; body: T }>;
  upload: (file: string, token?: string, fileName?: string) => Promise<{ status: number; body: Body }>;
  dispose: () => Promise<void>;
}

async function setup(): Promise<Ctx> {
  const tmp = await openCityTemporaryStore({ clock: CLOCK });
  const { store } = tmp;
  const passwordHash = await hashPassword(PASSWORD, { N: 2 ** 10 });
  const users = [
    { username: 'admin', role: 'administrator' as const },
    { username: 'fgw', role: 'coordinator' as const, department: '区发展改革委' },
    { username: 'minzheng', role: 'staff' as const, department: '区民政局' },
    { username: 'shangwu', role: 'staff' as const, department: '区商务局' },
    { username: 'jinjiang', role: 'staff' as const, department: '锦江区人民政府', regionCode: '510104' },
    { username: 'resident', role: 'resident' as const },
  ];
  await createTestUsers(store, users, passwordHash);
  const app = await buildApp({ store, cityCode: '5101', clock: CLOCK });
  const call = async <T = Body>(method: string, url: string, token?: string, payload?: unknown) => {
    const res = await app.inject({
      method: method as 'GET',
      url,
      headers: token ? { authorization: `Bearer ${token}` } : {},
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    return { status: res.statusCode, body: (res.body ? res.json() : undefined) as T };
  };
  return {
    app,
    store,
    call,
    token: async (username) =>
      (await call('POST', '/api/auth/login', undefined, { username, password: PASSWORD })).body.token,
    upload: async (file, token, fileName = file.split('/').pop()) => {
      const res = await app.inject({
        method: 'POST',
        url: `/api/plans?fileName=${encodeURIComponent(fileName ?? '')}`,
        headers: {
          'content-type': 'application/octet-stream',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        payload: readFileSync(file),
      });
      return { status: res.statusCode, body: res.json() };
    },
    dispose: async () => {
      await app.close();
      await tmp.dispose();
    },
  };
}

test('imports are for the coordinator: the public and departments are refused, binary and duplicates too', async () => {
  const ctx = await setup();
  const fgw = await ctx.token('fgw');
  const anonymous = await ctx.upload(SEED_XIQING);
  assert.equal(anonymous.status, 401);
  assert.equal(anonymous.body.error.code, 'LC_AUTH_REQUIRED');
  assert.equal((await ctx.upload(SEED_XIQING, await ctx.token('minzheng'))).status, 403);

  const png = await ctx.app.inject({
    method: 'POST',
    url: '/api/plans?fileName=scan.txt',
    headers: { 'content-type': 'application/octet-stream', authorization: `Bearer ${fgw}` },
    payload: Buffer.from([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 1, 2,
    ]),
  });
  assert.equal(png.statusCode, 400);
  assert.match(png.json().error.code, /^LC_PLAN_/);
  assert.match(png.json().error.message, /scan\.txt/);

  const first = await ctx.upload(SEED_XIQING, fgw);
  assert.equal(first.status, 201, JSON.stringify(first.body));
  assert.match(first.body.title, /西青区生活性服务业发展行动方案/);
  assert.ok(first.body.plan.text.length > 6000);
  assert.ok(first.body.plan.measures.length > 3);
  const again = await ctx.upload(SEED_XIQING, fgw);
  assert.equal(again.status, 409);
  assert.match(again.body.error.message, new RegExp(first.body.id));
  // The answer names the plan it already is, for the dashboard to link to.
  assert.deepEqual((again.body.error as { details?: unknown }).details, {
    existingPlan: { id: first.body.id, title: first.body.title },
  });

  const noText = await ctx.call('POST', '/api/plans', fgw, { title: '空' });
  assert.equal(noText.status, 400);
  assert.match(noText.body.error.message, /body\.text/);
  const pasted = await ctx.call('POST', '/api/plans', fgw, {
    title: '试点方案',
    text: '关于试点的方案\n一、推进社区养老\n到2025年，社区养老服务设施覆盖率达到90%。（区民政局牵头）\n',
  });
  assert.equal(pasted.status, 201, JSON.stringify(pasted.body));
  assert.equal(pasted.body.fileName, '试点方案.txt');

  const gbkAsText = await ctx.app.inject({
    method: 'POST',
    url: '/api/plans?fileName=003.txt',
    headers: { 'content-type': 'text/plain', authorization: `Bearer ${fgw}` },
    payload: readFileSync('data/seeds/003_3feb47f8dc58927a.txt'),
  });
  assert.equal(gbkAsText.statusCode, 201, 'a .txt sent as text/plain is decoded like an upload');
  assert.match(gbkAsText.json().title, /山西省生活性服务业发展行动方案/);

  const list = await ctx.call<PageBody<Body>>('GET', '/api/plans');
  assert.equal(list.status, 200, 'published plans are public documents');
  assert.deepEqual(
    [list.body.items.length, list.body.total, list.body.limit, list.body.offset],
    [3, 3, 50, 0],
  );
  assert.ok(
    list.body.items.every((p) => p.importedBy === null),
    'the public does not see who imported',
  );
  // Paged in the query: two of the three, then the last one.
  const first2 = (await ctx.call<PageBody<Body>>('GET', '/api/plans?limit=2')).body;
  assert.deepEqual([first2.items.length, first2.total, first2.limit], [2, 3, 2]);
  const last = (await ctx.call<PageBody<Body>>('GET', '/api/plans?limit=2&offset=2')).body;
  assert.deepEqual([last.items.length, last.total, last.offset], [1, 3, 2]);
  assert.deepEqual(
    [...first2.items, ...last.items].map((p) => p.id),
    list.body.items.map((p) => p.id),
    'the pages follow the listing order (newest first)',
  );
  assert.equal((await ctx.call('GET', '/api/plans?limit=1001')).status, 400);
  const audit = await ctx.store.audit.list({ entity: 'plans' });
  assert.equal(audit.total, 3);
  assert.equal(audit.items[0].actorName, 'fgw');
  await ctx.dispose();
});

test('a correction is kept apart from the raw extraction, marked on the plan and audited', async () => {
  const ctx = await setup();
  const fgw = await ctx.token('fgw');
  const plan = (await ctx.upload(SEED_XIQING, fgw)).body;
  // English names for the known departments, by unit key; units known only as written have none.
  assert.equal(plan.unitNamesEn['区:civil-affairs'], 'District Civil Affairs Bureau');
  assert.ok(
    Object.keys(plan.unitNamesEn).every((key) => !key.startsWith('unknown:') && !key.startsWith('generic:')),
  );
  // The parser's warnings, one note each, for the page to word.
  assert.equal(plan.notes.length, plan.plan.warnings.length);
  assert.ok(
    plan.notes.every((n) => n.kind !== 'other'),
    JSON.stringify(plan.notes),
  );
  const m = plan.plan.measures[0].children?.[0] ?? plan.plan.measures[0];
  const unit = m.responsibilities.flatMap((r) => r.units)[0];
  const bad = await ctx.call('POST', `/api/plans/${plan.id}/corrections`, fgw, {
    op: 'set-unit',
    measureId: m.id,
    unitKey: unit.key,
    role: 'boss',
  });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.code, 'LC_PLAN_CORRECTION');
  assert.match(bad.body.error.message, /role/);
  const fix = await ctx.call('POST', `/api/plans/${plan.id}/corrections`, await ctx.token('minzheng'), {
    op: 'set-unit',
    measureId: m.id,
    unitKey: unit.key,
    name: '区商务局',
    role: 'lead',
  });
  assert.equal(fix.status, 201, JSON.stringify(fix.body));
  const added = await ctx.call('POST', `/api/plans/${plan.id}/corrections`, fgw, {
    op: 'add-unit',
    measureId: m.id,
    name: '区体育局',
    role: 'co',
  });
  assert.equal(added.status, 201, JSON.stringify(added.body));

  const got = (await ctx.call('GET', `/api/plans/${plan.id}`)).body;
  const fixed = got.plan.measures.flatMap((x) => [x, ...x.children]).find((x) => x.id === m.id)!;
  const names = fixed.responsibilities.flatMap((r) => r.units).map((u) => u.normalized);
  assert.ok(names.includes('区商务局') && names.includes('区体育局'), names.join());
  const corrected = fixed.responsibilities.flatMap((r) => r.units).filter((u) => u.correctedBy);
  assert.deepEqual(corrected.map((u) => u.normalized).sort(), ['区体育局', '区商务局'].sort());
  assert.equal(got.corrections.length, 2);
  assert.ok(
    got.corrections.every((c) => !('author' in (c as object))),
    'the public sees corrections, not who made them',
  );
  const internal = (await ctx.call('GET', `/api/plans/${plan.id}`, fgw)).body;
  assert.deepEqual(
    internal.corrections.map((c) => (c as { author: string }).author),
    ['minzheng', 'fgw'],
  );
  // The corrections list hides the authors from the public the same way.
  const list = (await ctx.call('GET', `/api/plans/${plan.id}/corrections`)).body as {
    corrections: { author?: string }[];
  };
  assert.deepEqual(
    list.corrections.map((c) => c.author ?? null),
    [null, null],
  );
  const listed = (await ctx.call('GET', `/api/plans/${plan.id}/corrections`, fgw)).body as {
    corrections: { author?: string }[];
  };
  assert.deepEqual(
    listed.corrections.map((c) => c.author),
    ['minzheng', 'fgw'],
  );
  // Fix a target's value and deadline, and add a sub-measure: ids and fingerprints are the server's.
  const target = got.plan.measures[0].children[0].targets[0];
  const setTarget = await ctx.call('POST', `/api/plans/${plan.id}/corrections`, fgw, {
    op: 'set-target',
    targetId: target.id,
    changes: { value: target.value + 2, deadlineYear: 2024 },
  });
  assert.equal(setTarget.status, 201, JSON.stringify(setTarget.body));
  const addMeasure = await ctx.call('POST', `/api/plans/${plan.id}/corrections`, fgw, {
    op: 'add-measure',
    parentId: m.id,
    title: '建设社区食堂',
    text: '2024年底前建成社区食堂5个。',
  });
  assert.equal(addMeasure.status, 201, JSON.stringify(addMeasure.body));
  const after = (await ctx.call('GET', `/api/plans/${plan.id}`, fgw)).body;
  const m2 = after.plan.measures.flatMap((x) => [x, ...x.children]).find((x) => x.id === m.id)!;
  const t2 = m2.targets[0];
  assert.deepEqual([t2.value, t2.deadlineYear, Boolean(t2.correctedBy)], [target.value + 2, 2024, true]);
  assert.deepEqual(
    m2.children.map((c) => c.id),
    [`${m.id}.c1`],
  );
  const stale = await ctx.call('POST', `/api/plans/${plan.id}/corrections`, fgw, {
    op: 'set-target',
    targetId: target.id,
    expect: 'an-old-fingerprint',
    changes: { value: 1 },
  });
  assert.equal(stale.status, 400, 'a correction made on an outdated view is refused, not applied blindly');
  assert.equal(stale.body.error.code, 'LC_PLAN_CORRECTION');

  const raw = await ctx.store.plans.getPlan(plan.id);
  const rawUnits = JSON.stringify(raw?.raw.measures);
  assert.doesNotMatch(rawUnits, /correctedBy/, 'the raw extraction is untouched');
  assert.equal((await ctx.store.audit.list({ entity: 'plan_corrections' })).total, 4);
  await ctx.dispose();
});

test('a department sees and reports only on its own assignments; the coordinator returns and accepts', async () => {
  const ctx = await setup();
  const [fgw, minzheng, shangwu] = [
    await ctx.token('fgw'),
    await ctx.token('minzheng'),
    await ctx.token('shangwu'),
  ];
  const plan = (await ctx.upload(SEED_XIQING, fgw)).body;
  assert.equal((await ctx.call('POST', `/api/plans/${plan.id}/assignments`, minzheng, {})).status, 403);
  const made = await ctx.call('POST', `/api/plans/${plan.id}/assignments`, fgw, { startDate: '2022-03-01' });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  assert.ok(made.body.created > 50);
  assert.equal((await ctx.call('POST', `/api/plans/${plan.id}/assignments`, fgw, {})).body.created, 0);

  const everything = (
    await ctx.call<PageBody<AssignmentBody>>('GET', '/api/assignments?asOf=2022-06-01&limit=1000', fgw)
  ).body;
  const all = everything.items;
  assert.equal(all.length, made.body.created);
  assert.equal(everything.total, made.body.created);
  // Paged in the query, in the same order as the whole list.
  const firstPage = (await ctx.call<PageBody<AssignmentBody>>('GET', '/api/assignments?limit=2', fgw)).body;
  assert.deepEqual([firstPage.items.length, firstPage.total], [2, all.length]);
  assert.deepEqual(
    firstPage.items.map((a) => a.id),
    all.slice(0, 2).map((a) => a.id),
  );
  const lastPage = (
    await ctx.call<PageBody<AssignmentBody>>('GET', `/api/assignments?limit=2&offset=${all.length - 1}`, fgw)
  ).body;
  assert.deepEqual(
    lastPage.items.map((a) => a.id),
    [all[all.length - 1].id],
  );
  const minePage = (
    await ctx.call<PageBody<AssignmentBody>>('GET', '/api/assignments?asOf=2022-06-01', minzheng)
  ).body;
  const mine = minePage.items;
  // Seed 001 names 民政局 in twelve responsibility lists (counted by hand, see src/plans/tracking.test.ts).
  assert.equal(mine.length, 12);
  assert.equal(minePage.total, 12, 'the department scope is part of the query, so the total is its own');
  assert.ok(mine.length < all.length);
  assert.ok(mine.every((a) => a.departmentName === '区民政局'));
  const mineLast = (
    await ctx.call<PageBody<AssignmentBody>>('GET', '/api/assignments?limit=5&offset=10', minzheng)
  ).body;
  assert.deepEqual(
    mineLast.items.map((a) => a.id),
    mine.slice(10).map((a) => a.id),
  );
  assert.equal((await ctx.call('GET', '/api/assignments', await ctx.token('resident'))).status, 403);
  assert.equal((await ctx.call('GET', '/api/assignments')).status, 401);

  const task = mine[0];
  const evidence = [{ fileName: '照片.jpg', mediaType: 'image/jpeg', bytes: 1234, sha256: SHA }];
  const other = await ctx.call('POST', `/api/assignments/${encodeURIComponent(task.id)}/reports`, shangwu, {
    status: 'in-progress',
    narrative: '不是我们的任务',
  });
  assert.equal(other.status, 403);
  assert.equal(other.body.error.code, 'LC_TRACKING_FORBIDDEN');
  const badSha = await ctx.call('POST', `/api/assignments/${encodeURIComponent(task.id)}/reports`, minzheng, {
    status: 'completed',
    narrative: '已完成',
    evidence: [{ ...evidence[0], sha256: 'xyz' }],
  });
  assert.equal(badSha.status, 400);
  assert.match(badSha.body.error.message, /evidence\/0\/sha256/);

  const url = `/api/assignments/${encodeURIComponent(task.id)}/reports`;
  const r1 = await ctx.call('POST', url, minzheng, {
    status: 'completed',
    value: 3,
    narrative: '新建3处',
    evidence,
  });
  assert.equal(r1.status, 201, JSON.stringify(r1.body));
  // The review queue is the assignments awaiting review, selected and paged by the server.
  const awaiting = (
    await ctx.call<PageBody<AssignmentBody>>('GET', '/api/assignments?stage=awaiting-review', fgw)
  ).body;
  assert.deepEqual([awaiting.total, awaiting.items.map((a) => a.id)], [1, [task.id]]);
  assert.equal(
    (await ctx.call<PageBody<AssignmentBody>>('GET', '/api/assignments?stage=awaiting-review', shangwu)).body
      .total,
    0,
    'another department’s report is not in its scope',
  );
  assert.equal(
    (await ctx.call('GET', '/api/assignments?stage=done', fgw)).status,
    400,
    'done work is not open',
  );
  assert.equal(
    (await ctx.call('POST', url, minzheng, { status: 'completed', narrative: '再报' })).status,
    409,
  );
  const reviewUrl = `/api/reports/${r1.body.id}/review`;
  assert.equal((await ctx.call('POST', reviewUrl, minzheng, { decision: 'accepted' })).status, 403);
  const noComment = await ctx.call('POST', reviewUrl, fgw, { decision: 'returned' });
  assert.equal(noComment.status, 400);
  assert.match(noComment.body.error.message, /comment/);
  const returned = await ctx.call('POST', reviewUrl, fgw, { decision: 'returned', comment: '请补充照片' });
  assert.equal(returned.status, 200, JSON.stringify(returned.body));
  assert.equal((await ctx.call('POST', reviewUrl, fgw, { decision: 'accepted' })).status, 409);

  let state = (await ctx.call<PageBody<AssignmentBody>>('GET', '/api/assignments', minzheng)).body.items.find(
    (a) => a.id === task.id,
  )!;
  assert.equal(state.stage, 'returned');
  assert.equal(state.lastReport.review?.comment, '请补充照片');
  assert.deepEqual(state.lastReport.evidence, evidence);

  const r2 = await ctx.call('POST', url, minzheng, {
    status: 'completed',
    value: 3,
    narrative: '补充照片',
    evidence,
  });
  assert.equal(r2.status, 201);
  assert.equal(
    (await ctx.call('POST', `/api/reports/${r2.body.id}/review`, fgw, { decision: 'accepted' })).status,
    200,
  );
  state = (
    await ctx.call<PageBody<AssignmentBody>>(
      'GET',
      `/api/assignments?plan=${encodeURIComponent(plan.id)}&limit=1000`,
      fgw,
    )
  ).body.items.find((a) => a.id === task.id)!;
  assert.equal(state.stage, 'done');
  assert.equal(state.reports.length, 2);
  assert.equal(
    (await ctx.call<PageBody<AssignmentBody>>('GET', '/api/assignments?stage=awaiting-review', fgw)).body
      .total,
    0,
  );

  const reminderPage = (await ctx.call<PageBody<ReminderBody>>('GET', '/api/plans/reminders', minzheng)).body;
  const reminders = reminderPage.items;
  assert.equal(reminders.length, 1, 'a department is reminded of its own tasks only');
  assert.equal(reminderPage.total, 1);
  assert.equal(reminders[0].departmentName, '区民政局');
  assert.ok(
    reminders[0].items.every((i) => i.assignmentId !== task.id),
    'a done task needs no reminder',
  );
  // Started 2022-03-01 and silent since: every open task is overdue or due a report (quarterly rhythm).
  const remindedTasks = new Set(reminders[0].items.map((i) => i.assignmentId));
  assert.equal(remindedTasks.size, mine.length - 1);
  // "Only what needs attention" is the same set, selected by the server over every page.
  const attention = (
    await ctx.call<PageBody<AssignmentBody>>('GET', '/api/assignments?attention=true&limit=5', minzheng)
  ).body;
  assert.equal(attention.total, mine.length - 1);
  assert.equal(attention.items.length, 5);
  assert.ok(attention.items.every((a) => remindedTasks.has(a.id)));
  const attentionTail = (
    await ctx.call<PageBody<AssignmentBody>>('GET', '/api/assignments?attention=true&offset=10', minzheng)
  ).body;
  assert.equal(attentionTail.items.length, mine.length - 1 - 10);
  // Worded by the page from fields: the department's English name, days or the day since.
  assert.equal(reminders[0].departmentNameEn, 'District Civil Affairs Bureau');
  for (const item of reminders[0].items) {
    if (item.kind === 'overdue' || item.kind === 'due-soon')
      assert.ok(Number.isInteger(item.days) && item.days! > 0);
    else assert.equal(item.days, null);
    if (item.kind === 'report-due') assert.match(item.since ?? '', /^\d{4}-\d{2}-\d{2}$/);
    else assert.equal(item.since, null);
  }
  // The coordinator's reminders are paged by department, most reminders first.
  const groups = (await ctx.call<PageBody<ReminderBody>>('GET', '/api/plans/reminders?limit=1000', fgw)).body;
  assert.ok(groups.total > 3, String(groups.total));
  assert.equal(groups.items.length, groups.total);
  const two = (await ctx.call<PageBody<ReminderBody>>('GET', '/api/plans/reminders?limit=2', fgw)).body;
  assert.deepEqual([two.items.length, two.total, two.limit], [2, groups.total, 2]);
  assert.deepEqual(
    two.items.map((g) => g.departmentName),
    groups.items.slice(0, 2).map((g) => g.departmentName),
  );
  const tail = (
    await ctx.call<PageBody<ReminderBody>>('GET', `/api/plans/reminders?offset=${groups.total - 1}`, fgw)
  ).body;
  assert.deepEqual(
    tail.items.map((g) => g.departmentName),
    [groups.items[groups.total - 1].departmentName],
  );

  const audit = await ctx.store.audit.list({ entity: 'progress_reports' });
  assert.equal(audit.total, 4, 'two reports and two reviews');
  assert.equal((await ctx.store.audit.list({ entity: 'plan_assignments' })).total, 2);
  await ctx.dispose();
});

test('各县、区政府 measures become one assignment per district; completion per district follows accepted reports', async () => {
  const ctx = await setup();
  const fgw = await ctx.token('fgw');
  const jinjiang = await ctx.token('jinjiang');
  const plan = (await ctx.upload(SEED_QINHUANGDAO, fgw)).body;
  assert.equal((await ctx.call('POST', `/api/plans/${plan.id}/assignments`, fgw, {})).status, 201);
  const minePage = (await ctx.call<PageBody<AssignmentBody>>('GET', '/api/assignments?limit=1000', jinjiang))
    .body;
  const mine = minePage.items;
  assert.ok(mine.length > 10);
  assert.equal(minePage.total, mine.length);
  assert.ok(mine.every((a) => a.departmentKey === 'district:510104'));
  const report = await ctx.call(
    'POST',
    `/api/assignments/${encodeURIComponent(mine[0].id)}/reports`,
    jinjiang,
    {
      status: 'completed',
      narrative: '已完成',
    },
  );
  assert.equal(report.status, 201);
  await ctx.call('POST', `/api/reports/${report.body.id}/review`, fgw, { decision: 'accepted' });
  const rows = (await ctx.call<CompletionBody[]>('GET', '/api/plans/completion?level=district', fgw)).body;
  const jj = rows.find((r) => r.regionCode === '510104')!;
  assert.equal(jj.accepted, 1);
  assert.equal(jj.assignments, mine.length);
  assert.equal(jj.share, 1 / mine.length);
  assert.ok(rows.some((r) => r.regionCode !== '510104' && r.accepted === 0 && r.assignments === mine.length));
  const map = await measureCompletionByRegion(ctx.store, '2026-03-16');
  assert.equal(map.get('510104'), 1 / mine.length);
  // The district scorecard takes its measure completion from this tracking (buildApp's default).
  const card = (
    await ctx.call<{ measureCompletion: string; rows: { region: string; measureScore: number | null }[] }>(
      'GET',
      '/api/scorecard',
      fgw,
    )
  ).body;
  assert.equal(card.measureCompletion, 'wired');
  assert.equal(card.rows.find((r) => r.region === '510104')?.measureScore, 1 / mine.length);
  assert.equal((await ctx.call('GET', '/api/plans/completion?level=city', fgw)).status, 400);
  await ctx.dispose();
});

test('a department owns an assignment by its normalised name, an alias of it, or as its district government', () => {
  const staff = (department: string, regionCode: string | null = null) => ({
    id: 1,
    username: 'u',
    displayName: 'u',
    role: 'staff' as const,
    department,
    domains: [],
    regionCode,
    providerUscc: null,
  });
  const health = { departmentKey: '区:health', departmentName: '区卫生健康委' };
  const jinjiang = { departmentKey: 'district:510104', departmentName: '锦江区' };
  assert.equal(ownsAssignment(staff('区卫生健康委'), health), true);
  assert.equal(ownsAssignment(staff('区卫健委'), health), true, 'the common abbreviation');
  assert.equal(ownsAssignment(staff('区民政局'), health), false);
  assert.equal(ownsAssignment({ ...staff('区卫生健康委'), role: 'inspector' }, health), false);
  assert.equal(ownsAssignment(staff('锦江区人民政府', '510104'), jinjiang), true);
  assert.equal(
    ownsAssignment(staff('锦江区民政局', '510104'), jinjiang),
    false,
    'a district bureau is not its government',
  );
  assert.equal(ownsAssignment(staff('武侯区人民政府', '510107'), jinjiang), false);
});

test('a target extracted from a plan links to an indicator: suggested from its phrase, confirmed with its source', async () => {
  const ctx = await setup();
  const fgw = await ctx.token('fgw');
  const plan = (await ctx.upload(SEED_QINHUANGDAO, fgw)).body;
  const detail = (await ctx.call('GET', `/api/plans/${plan.id}`, fgw)).body;
  type Linkable = MeasureBody['targets'][number] & { phrase: string; sentence: string; comparator: string };
  const flat = (ms: MeasureBody[]): MeasureBody[] => ms.flatMap((m) => [m, ...flat(m.children)]);
  const targets = flat(detail.plan.measures).flatMap((m) => m.targets as Linkable[]);
  let linked: { target: Linkable; code: string } | undefined;
  for (const target of targets.filter((x) => x.deadlineYear !== null)) {
    const suggestions = (
      await ctx.call<{ code: string }[]>(
        'GET',
        `/api/indicators/suggest?phrase=${encodeURIComponent(target.phrase)}`,
      )
    ).body;
    if (suggestions.length) {
      linked = { target, code: suggestions[0].code };
      break;
    }
  }
  assert.ok(linked, `no target of ${targets.length} got an indicator suggestion`);
  const { target, code } = linked;
  const made = await ctx.call('POST', '/api/indicator-targets', fgw, {
    indicatorCode: code,
    regionCode: '5101',
    targetValue: target.value,
    comparator: target.comparator,
    deadlineYear: target.deadlineYear,
    source: {
      planId: String(plan.id),
      targetId: target.id,
      phrase: target.phrase,
      sentence: target.sentence,
    },
  });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  const listed = (
    await ctx.call<PageBody<{ indicatorCode: string; source: { planId: string; targetId: string } | null }>>(
      'GET',
      `/api/indicator-targets?indicator=${code}`,
    )
  ).body.items;
  assert.deepEqual(
    listed.map((x) => [x.indicatorCode, x.source?.planId, x.source?.targetId]),
    [[code, String(plan.id), target.id]],
  );
  await ctx.dispose();
});
