import { openCityTemporaryStore } from '../cities/index.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type Store } from '../store/index.js';
import { addDefaultFacilityTypes } from '../registry/index.js';
import { cliViewer } from '../policy/index.js';
import { upheldCaseCreditRecords } from '../supervision/index.js';
import { manualClock } from '../time/index.js';
import { buildApp, type App } from './app.js';
import { hashPassword } from './passwords.js';
import { createTestUsers } from './test-support.js';

const HUAWEI = '914403001922038216'; // real vectors from reference/uscc_vectors.json
const TENCENT = '91440300708461136T';
const PASSWORD = 'correct horse battery';
const PHONE = '13812345678';

interface Ctx {
  app: App;
  store: Store;
  /** The server's clock; tests move it. */
  clock: { now: Date };
  token: (username: string, password?: string) => Promise<string>;
  call: (
    method: string,
    url: string,
    token?: string,
    payload?: unknown,
  ) => Promise<{ status: number; body: Body }>;
  dispose: () => Promise<void>;
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test bodies are read field by field
type Body = any;

/**
 * A real SQLite store with division codes, facility types, two providers, an elderly day-care outlet of each in 锦江区,
 * and users: admin, 锦江区民政局 staff (elderly care), 青羊区 staff, the two providers.
 * The clock starts on 2026-02-10 10:00 Beijing time, five days before the Spring Festival holiday.
 */
async function setup(): Promise<Ctx> {
  const tmp = await openCityTemporaryStore();
  const { store } = tmp;
  await addDefaultFacilityTypes(
    { store, clock: manualClock('2026-02-10T10:00:00+08:00'), cityCode: '5101' },
    cliViewer('test'),
    {},
  );
  for (const [uscc, name] of [
    [HUAWEI, '华为技术有限公司'],
    [TENCENT, '深圳市腾讯计算机系统有限公司'],
  ])
    await store.providers.upsert({
      uscc,
      name,
      regionCode: null,
      domains: ['elderly_care'],
      contactName: '李四',
      contactPhone: '13900000000',
    });
  for (const [code, uscc] of [
    ['OUT-HW', HUAWEI],
    ['OUT-TC', TENCENT],
  ])
    await store.facilities.upsert({
      code,
      name: `${code} 日间照料中心`,
      typeCode: 'elderly_day_care',
      location: { lon: 104.0874, lat: 30.6843 },
      address: null,
      regionCode: '510104022006',
      capacity: 20,
      affordable: true,
      status: 'open',
      providerUscc: uscc,
      contactPhone: null,
    });
  const users = [
    { username: 'admin', role: 'administrator' as const },
    {
      username: 'jinjiang',
      role: 'staff' as const,
      department: '锦江区民政局',
      domains: ['elderly_care' as const],
      regionCode: '510104',
    },
    {
      username: 'qingyang',
      role: 'staff' as const,
      department: '青羊区民政局',
      domains: ['elderly_care' as const],
      regionCode: '510105',
    },
    { username: 'huawei', role: 'provider' as const, providerUscc: HUAWEI },
    { username: 'tencent', role: 'provider' as const, providerUscc: TENCENT },
  ];
  const passwordHash = await hashPassword(PASSWORD, { N: 2 ** 10 });
  await createTestUsers(store, users, passwordHash);
  const clock = { now: new Date('2026-02-10T02:00:00Z') };
  // Sessions last 90 days here so tokens outlive the clock's jumps across the Spring Festival.
  const app = await buildApp({
    store,
    cityCode: '5101',
    clock: () => clock.now,
    sessionTtlMinutes: 90 * 24 * 60,
  });
  const call = async (method: string, url: string, token?: string, payload?: unknown) => {
    const res = await app.inject({
      method: method as 'GET',
      url,
      ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}),
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    return { status: res.statusCode, body: res.body ? res.json() : null };
  };
  return {
    app,
    store,
    clock,
    call,
    token: async (username, password = PASSWORD) => {
      const res = await call('POST', '/api/auth/login', undefined, { username, password });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body.token as string;
    },
    dispose: async () => {
      await app.close();
      await tmp.dispose();
    },
  };
}

async function resident(
  ctx: Ctx,
  phone = PHONE,
): Promise<{ token: string; id: number; username: string; displayName: string }> {
  const res = await ctx.call('POST', '/api/residents/register', undefined, {
    phone,
    password: 'resident-pass-1',
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  const { id, username, displayName } = res.body.user;
  return { token: res.body.token, id, username, displayName };
}

/** A synthetic 社区 of 1,000 residents in 锦江区, for the outlets-near-a-community answers. */
async function syntheticCommunity(ctx: Ctx, code: string, lon: number, lat: number): Promise<void> {
  await ctx.store.communities.upsert({
    code,
    name: '合成社区',
    regionCode: '510104022006',
    location: { lon, lat },
    boundary: null,
    population: 1000,
    ageGroups: {},
    populationEstimated: false,
  });
}

test('a resident registers with a phone and gets a pseudonymous account; the phone is not in the account or the audit', async () => {
  const ctx = await setup();
  const r = await resident(ctx);
  assert.match(r.username, /^居民-[0-9a-f]{8}$/);
  const me = await ctx.call('GET', '/api/auth/me', r.token);
  assert.equal(me.body.role, 'resident');
  assert.ok(!JSON.stringify(me.body).includes(PHONE));
  // Shown to themselves by the phone they log in with, masked; never by the random user name.
  assert.equal(r.displayName, '138****5678');
  assert.equal(me.body.displayName, '138****5678');
  const audit = await ctx.store.audit.list({ entity: 'users' });
  assert.ok(!JSON.stringify(audit.items).includes(PHONE));
  const again = await ctx.call('POST', '/api/residents/register', undefined, {
    phone: PHONE,
    password: 'another-pass-1',
  });
  assert.equal(again.status, 409);
  const bad = await ctx.call('POST', '/api/residents/register', undefined, {
    phone: '12345',
    password: 'another-pass-1',
  });
  assert.equal(bad.status, 400);
  assert.match(bad.body.error.message, /phone/);
  // One identity: the resident logs in with the phone registered with (issue 14), into the same account.
  const byPhone = await ctx.call('POST', '/api/auth/login', undefined, {
    username: PHONE,
    password: 'resident-pass-1',
  });
  assert.equal(byPhone.status, 200, JSON.stringify(byPhone.body));
  assert.equal(byPhone.body.user.username, r.username);
  assert.equal(byPhone.body.user.displayName, '138****5678');
  assert.ok(!JSON.stringify(byPhone.body).includes(PHONE));
  // Other accounts keep their display name.
  assert.equal(
    (await ctx.call('GET', '/api/auth/me', await ctx.token('jinjiang'))).body.displayName,
    'jinjiang',
  );
  const wrong = await ctx.call('POST', '/api/auth/login', undefined, {
    username: PHONE,
    password: 'wrong-pass-11',
  });
  assert.equal(wrong.status, 401);
  // The audit log names a phone login masked, success or failure; the number itself never.
  const sessions = await ctx.store.audit.list({ entity: 'session' });
  assert.ok(sessions.items.some((e) => e.action === 'login-failed' && e.entityKey === '138****5678'));
  assert.ok(!JSON.stringify(sessions.items).includes(PHONE));
  await ctx.dispose();
});

test('the full case workflow through the API: 差评 → queue with a deadline across Spring Festival → reply, rectify, 回访, confirm', async () => {
  const ctx = await setup();
  const r = await resident(ctx);
  const rated = await ctx.call('POST', '/api/ratings', r.token, {
    outletId: 'OUT-HW',
    level: 'very_dissatisfied',
    tags: ['态度差'],
    text: '饭菜是凉的',
    channel: 'mobile',
  });
  assert.equal(rated.status, 201, JSON.stringify(rated.body));
  const caseId = rated.body.caseId as string;
  assert.ok(caseId);

  const staff = await ctx.token('jinjiang');
  const queue = await ctx.call('GET', '/api/cases', staff);
  assert.equal(queue.body.total, 1);
  const row = queue.body.items[0];
  // 15 working days from Tue 10 Feb 2026: 11–13, Sat 14 (调休 make-up day), holiday 15–23, 24–27, Sat 28 (调休),
  // 2–6 and 9 March. Counted by hand from the 2026 arrangement.
  assert.equal(row.deadlineDate, '2026-03-09');
  assert.equal(row.workingDaysLeft, 15);
  assert.equal(row.overdue, false);
  assert.equal(row.state, 'assigned');

  // Another district's department and another provider do not see it at all.
  const qingyang = await ctx.token('qingyang');
  assert.equal((await ctx.call('GET', '/api/cases', qingyang)).body.total, 0);
  assert.equal((await ctx.call('GET', `/api/cases/${caseId}`, qingyang)).status, 404);
  const tencent = await ctx.token('tencent');
  assert.equal((await ctx.call('GET', `/api/cases/${caseId}`, tencent)).status, 404);

  const provider = await ctx.token('huawei');
  const act = (token: string, body: object) => ctx.call('POST', `/api/cases/${caseId}/actions`, token, body);
  // The resident cannot reply for the provider; the state machine names why.
  const wrong = await act(r.token, { type: 'reply', resolution: 'rectify', note: 'x' });
  assert.equal(wrong.status, 409);
  assert.equal(wrong.body.error.code, 'LC_CASE_TRANSITION');
  const missing = await act(provider, { type: 'reply', note: '已整改' });
  assert.equal(missing.status, 400);
  assert.match(missing.body.error.message, /resolution/);

  ctx.clock.now = new Date('2026-02-11T03:00:00Z');
  assert.equal(
    (await act(provider, { type: 'reply', resolution: 'rectify', note: '更换保温设备' })).status,
    200,
  );
  ctx.clock.now = new Date('2026-02-24T03:00:00Z');
  // Five working days passed (11, 12, 13, Sat 14 调休, 24 Feb; 15–23 is the holiday): 15 − 5 = 10 left.
  assert.equal((await ctx.call('GET', `/api/cases/${caseId}`, staff)).body.workingDaysLeft, 10);
  assert.equal((await act(provider, { type: 'report-rectified', note: '保温柜已到位' })).status, 200);
  assert.equal(
    (await act(staff, { type: 'follow-up', residentReached: true, note: '电话回访' })).status,
    200,
  );
  const confirmed = await act(r.token, { type: 'confirm', satisfied: true });
  assert.equal(confirmed.status, 200);
  assert.equal(confirmed.body.state, 'closed');
  assert.deepEqual(
    confirmed.body.history.map((e: { action: string }) => e.action),
    ['open', 'assign', 'reply', 'report-rectified', 'follow-up', 'confirm'],
  );
  const mine = await ctx.call('GET', '/api/cases', r.token);
  assert.equal(mine.body.items[0].state, 'closed');
  // Every step is audited.
  const audited = await ctx.store.audit.list({ entity: 'cases', entityKey: caseId });
  assert.equal(audited.total, 5);
  // Closed after rectification: an upheld complaint on the provider's credit record, its class recomputed.
  const records = await ctx.store.credit.listRecords(HUAWEI);
  const upheld = records.find((x) => x.id === `case:${caseId}`);
  assert.equal(upheld?.kind, 'complaint-upheld');
  assert.equal(upheld?.date, '2026-02-24');
  const stored = await ctx.store.credit.getClass(HUAWEI);
  assert.ok(stored?.drivers.some((d) => d.recordId === `case:${caseId}`));
  assert.ok((stored?.score ?? 100) < 100, `score ${stored?.score}`);
  await ctx.dispose();
});

test('an outlet without a registered provider is rated all the same: the department answers, credit attaches once one is registered', async () => {
  const ctx = await setup();
  // Most outlets a city starts with (OSM, a register without 统一社会信用代码) have no provider yet (issue 14).
  const unregistered = {
    code: 'OUT-NONE',
    name: '无主体登记的日间照料中心',
    typeCode: 'elderly_day_care',
    location: { lon: 104.0875, lat: 30.6844 },
    address: null,
    regionCode: '510104022006',
    capacity: 10,
    affordable: false,
    status: 'open' as const,
    providerUscc: null,
    contactPhone: null,
  };
  await ctx.store.facilities.upsert(unregistered);
  await syntheticCommunity(ctx, 'C-TEST', 104.0876, 30.6845);
  const near = await ctx.call('GET', '/api/ratings/outlets?community=C-TEST&limit=5');
  assert.equal(near.status, 200, JSON.stringify(near.body));
  const listed = near.body.items.find((o: { code: string }) => o.code === 'OUT-NONE');
  assert.equal(listed?.rateable, true);
  const r = await resident(ctx);
  const rated = await ctx.call('POST', '/api/ratings', r.token, {
    outletId: 'OUT-NONE',
    level: 'very_dissatisfied',
    text: '午餐迟到一小时',
  });
  assert.equal(rated.status, 201, JSON.stringify(rated.body));
  const caseId = rated.body.caseId as string;
  assert.ok(caseId, 'a 差评 opens a case even without a provider');

  const staff = await ctx.token('jinjiang');
  const provider = await ctx.token('huawei');
  const detail = async (token: string) => ctx.call('GET', `/api/cases/${caseId}`, token);
  const opened = await detail(staff);
  assert.equal(opened.body.providerUscc, null);
  assert.equal(opened.body.state, 'assigned');
  // The system's assignment carries no sentence in one language; the case's fields say who answers.
  assert.equal(opened.body.history[1].note, undefined);
  // The handler is offered the reply the provider would give; no provider sees the case.
  assert.deepEqual(opened.body.actions, ['reply']);
  assert.equal((await detail(provider)).status, 404);
  assert.deepEqual((await detail(r.token)).body.actions, []);

  const act = (token: string, body: object) => ctx.call('POST', `/api/cases/${caseId}/actions`, token, body);
  const replied = await act(staff, {
    type: 'reply',
    resolution: 'rectify',
    note: '已联系经营者，调整送餐时间',
  });
  assert.equal(replied.status, 200, JSON.stringify(replied.body));
  assert.deepEqual(replied.body.actions, ['report-rectified']);
  // Nobody can appeal for an operator that is not registered.
  const appeal = await act(staff, { type: 'appeal', ground: 'mistaken', note: 'x' });
  assert.equal(appeal.status, 409);
  assert.equal(appeal.body.error.code, 'LC_CASE_TRANSITION');

  // The operator registers while the case is open: credit attaches to it when the case closes.
  await ctx.store.facilities.upsert({ ...unregistered, providerUscc: TENCENT });
  assert.equal((await act(staff, { type: 'report-rectified', note: '现场核实已整改' })).status, 200);
  const followed = await act(staff, { type: 'follow-up', residentReached: true, note: '电话回访' });
  assert.deepEqual(followed.body.actions, ['follow-up', 'close-unconfirmed']);
  assert.deepEqual((await detail(r.token)).body.actions, ['confirm']);
  const closed = await act(r.token, { type: 'confirm', satisfied: true });
  assert.equal(closed.body.state, 'closed');
  const records = await ctx.store.credit.listRecords(TENCENT);
  assert.equal(records.find((x) => x.id === `case:${caseId}`)?.kind, 'complaint-upheld');
  // The batch rebuild of credit records from closed cases finds the same provider through the outlet.
  const rebuilt = await upheldCaseCreditRecords(ctx.store, '锦江区民政局');
  assert.equal(rebuilt.find((x) => x.id === `case:${caseId}`)?.uscc, TENCENT);

  // A complaint about an outlet without a provider opens a case too; this one has no name either (as many OSM
  // outlets): the server says so (null) with the type's names, and makes no label of its own in one language.
  await ctx.store.facilities.upsert({ ...unregistered, code: 'OUT-NONE-2', name: '', providerUscc: null });
  const complained = await ctx.call('POST', '/api/complaints', r.token, {
    outletId: 'OUT-NONE-2',
    category: 'prepaid-card',
    text: '预付卡无法使用',
  });
  assert.equal(complained.status, 201, JSON.stringify(complained.body));
  const complaintCase = await ctx.call('GET', `/api/cases/${complained.body.caseId}`, staff);
  assert.equal(complaintCase.body.providerUscc, null);
  assert.equal(complaintCase.body.origin.providerUscc, null);
  const queue = await ctx.call('GET', '/api/cases?limit=50', staff);
  const nameless = queue.body.items.find((c: { id: string }) => c.id === complained.body.caseId);
  const naming = (c: Body) => ({
    outletName: c.outletName,
    outletTypeCode: c.outletTypeCode,
    outletTypeName: c.outletTypeName,
    outletTypeNameEn: c.outletTypeNameEn,
  });
  const dayCare = {
    outletTypeCode: 'elderly_day_care',
    outletTypeName: '社区老年日间照料中心',
    outletTypeNameEn: 'Elderly day-care centre',
  };
  assert.deepEqual(naming(nameless), { outletName: null, ...dayCare });
  assert.deepEqual(naming(complaintCase.body), { outletName: null, ...dayCare });
  // A named outlet keeps its own name, with its type beside it.
  const named = queue.body.items.find((c: { id: string }) => c.id === caseId);
  assert.deepEqual(naming(named), { outletName: '无主体登记的日间照料中心', ...dayCare });
  await ctx.dispose();
});

test('one place is one outlet for residents: records of the same point and name list once, with every type and all ratings', async () => {
  const ctx = await setup();
  const place = {
    name: '合成社区食堂',
    location: { lon: 104.09, lat: 30.69 },
    address: null,
    regionCode: '510104022006',
    capacity: null,
    affordable: false,
    status: 'open' as const,
    providerUscc: null,
    contactPhone: null,
  };
  await ctx.store.facilities.upsert({ ...place, code: 'PLACE-DAY', typeCode: 'elderly_day_care' });
  await ctx.store.facilities.upsert({
    ...place,
    code: 'PLACE-MEAL',
    typeCode: 'elderly_canteen',
    affordable: true,
  });
  await syntheticCommunity(ctx, 'C-PLACE', 104.0901, 30.6901);
  const a = await resident(ctx);
  const b = await resident(ctx, '13700000009');
  for (const [r, outletId] of [
    [a, 'PLACE-DAY'],
    [b, 'PLACE-MEAL'],
  ] as const)
    assert.equal(
      (await ctx.call('POST', '/api/ratings', r.token, { outletId, level: 'satisfied' })).status,
      201,
    );
  const near = await ctx.call('GET', '/api/ratings/outlets?community=C-PLACE&limit=3');
  assert.equal(near.status, 200, JSON.stringify(near.body));
  const listed = near.body.items.filter((o: { name: string }) => o.name === '合成社区食堂');
  assert.equal(listed.length, 1, 'listed once');
  assert.equal(listed[0].code, 'PLACE-DAY');
  assert.deepEqual(
    listed[0].otherTypes.map((x: { code: string; typeNameZh: string }) => [x.code, x.typeNameZh]),
    [['PLACE-MEAL', '老年助餐点']],
  );
  assert.equal(listed[0].affordable, true);
  assert.equal(listed[0].aggregate.count, 2, 'the ratings of both records');
  // The other outlets still fill the list up to the limit.
  assert.equal(near.body.items.length, 3);
  await ctx.dispose();
});

test('the phone is in full for the handler only: masked for the provider and the resident, absent for the public', async () => {
  const ctx = await setup();
  const r = await resident(ctx);
  const rated = await ctx.call('POST', '/api/ratings', r.token, {
    outletId: 'OUT-HW',
    level: 'dissatisfied',
    text: '请回电 13987654321',
  });
  const caseId = rated.body.caseId;
  const view = async (token: string) => (await ctx.call('GET', `/api/cases/${caseId}`, token)).body.origin;
  const handler = await view(await ctx.token('jinjiang'));
  assert.equal(handler.contactPhone, PHONE);
  assert.match(handler.text, /13987654321/);
  const admin = await view(await ctx.token('admin'));
  assert.equal(admin.contactPhone, PHONE);
  const provider = await view(await ctx.token('huawei'));
  assert.equal(provider.contactPhone, '138****5678');
  assert.match(provider.text, /139\*\*\*\*4321/);
  const own = await view(r.token);
  assert.equal(own.contactPhone, '138****5678');
  const pub = await ctx.call('GET', '/api/facilities/OUT-HW/ratings');
  assert.equal(pub.status, 200);
  const text = JSON.stringify(pub.body);
  assert.ok(!text.includes('13812345678') && !text.includes('13987654321'), text);
  assert.equal(pub.body.items[0].accountId, undefined);
  assert.equal(pub.body.items[0].contactPhone, undefined);
  assert.equal(pub.body.aggregate.count, 1);
  await ctx.dispose();
});

test('one rating per outlet and account, and per service event and account', async () => {
  const ctx = await setup();
  const r = await resident(ctx);
  const rate = (body: object) =>
    ctx.call('POST', '/api/ratings', r.token, { outletId: 'OUT-TC', level: 'satisfied', ...body });
  assert.equal((await rate({})).status, 201);
  const twice = await rate({ level: 'very_satisfied' });
  assert.equal(twice.status, 409);
  assert.equal(twice.body.error.code, 'LC_CONFLICT');
  assert.equal((await rate({ eventId: 'visit-1' })).status, 201);
  assert.equal((await rate({ eventId: 'visit-2' })).status, 201);
  assert.equal((await rate({ eventId: 'visit-1' })).status, 409);
  // Another resident may rate the same event.
  const other = await resident(ctx, '13700000001');
  assert.equal(
    (
      await ctx.call('POST', '/api/ratings', other.token, {
        outletId: 'OUT-TC',
        level: 'satisfied',
        eventId: 'visit-1',
      })
    ).status,
    201,
  );
  // A satisfied rating opens no case.
  assert.equal((await ctx.store.cases.list()).total, 0);
  await ctx.dispose();
});

test('flagged ratings are held, left out of the aggregates, listed for review and never deleted', async () => {
  const ctx = await setup();
  const r = await resident(ctx);
  // Six ratings of six service events by one account within an hour: the rate limit (5 per 24 h) flags them.
  for (let i = 1; i <= 6; i += 1) {
    ctx.clock.now = new Date(Date.parse('2026-02-10T02:00:00Z') + i * 60_000);
    const res = await ctx.call('POST', '/api/ratings', r.token, {
      outletId: 'OUT-TC',
      level: 'very_satisfied',
      eventId: `e${i}`,
    });
    assert.equal(res.status, 201);
  }
  const all = await ctx.store.ratings.all();
  assert.equal(all.length, 6);
  assert.ok(
    all.every((x) => x.status === 'held'),
    all.map((x) => x.status).join(),
  );
  assert.equal(all[0].flags[0].detector, 'rate-limit');
  const agg = await ctx.call('GET', '/api/ratings/aggregates?by=outlet');
  assert.equal(agg.body.items[0].count, 0);
  const staff = await ctx.token('jinjiang');
  const held = await ctx.call('GET', '/api/ratings/held', staff);
  assert.equal(held.body.total, 6);
  assert.equal(held.body.items[0].flags[0].detector, 'rate-limit');
  assert.equal((await ctx.call('GET', '/api/ratings/held', r.token)).status, 403);
  // Another district's department neither lists nor moderates them.
  const qingyang = await ctx.token('qingyang');
  assert.equal((await ctx.call('GET', '/api/ratings/held', qingyang)).body.total, 0);
  const foreign = await ctx.call('POST', `/api/ratings/${all[2].id}/moderation`, qingyang, {
    decision: 'release',
    note: 'x',
  });
  assert.equal(foreign.status, 404);

  const moderate = (id: string, decision: string) =>
    ctx.call('POST', `/api/ratings/${id}/moderation`, staff, { decision, note: '核实' });
  assert.equal((await moderate(all[0].id, 'release')).body.status, 'published');
  assert.equal((await moderate(all[1].id, 'reject')).body.status, 'invalidated');
  const again = await moderate(all[0].id, 'reject');
  assert.equal(again.status, 409);
  assert.equal(again.body.error.code, 'LC_RATING_STATE');
  assert.equal((await ctx.store.ratings.all()).length, 6);
  const after = await ctx.call('GET', '/api/ratings/aggregates?by=outlet');
  assert.equal(after.body.items[0].count, 1);
  assert.equal(after.body.items[0].satisfactionRate, 1);
  await ctx.dispose();
});

test('an overdue case is flagged and escalated once per level; the queue puts it first', async () => {
  const ctx = await setup();
  const r = await resident(ctx);
  const first = (
    await ctx.call('POST', '/api/ratings', r.token, { outletId: 'OUT-HW', level: 'dissatisfied' })
  ).body.caseId;
  ctx.clock.now = new Date('2026-02-27T02:00:00Z');
  const second = (
    await ctx.call('POST', '/api/complaints', r.token, {
      outletId: 'OUT-TC',
      category: 'price',
      text: '乱收费',
    })
  ).body.caseId;
  // 2026-03-09 ends at 24:00 Beijing time (16:00 UTC); on 10 March the first case is one working day overdue.
  ctx.clock.now = new Date('2026-03-10T04:00:00Z');
  const staff = await ctx.token('jinjiang');
  const queue = (await ctx.call('GET', '/api/cases', staff)).body.items;
  assert.deepEqual(
    queue.map((c: { id: string }) => c.id),
    [first, second],
  );
  assert.equal(queue[0].overdue, true);
  assert.equal(queue[0].workingDaysLeft, -1);
  assert.equal(queue[1].overdue, false);
  const escalate = () => ctx.call('POST', `/api/cases/${first}/actions`, staff, { type: 'escalate' });
  assert.equal((await escalate()).body.escalationLevel, 1);
  assert.equal((await escalate()).status, 409);
  // Staff may backdate a complaint received earlier by hotline, not a resident.
  const backdated = await ctx.call('POST', '/api/complaints', r.token, {
    outletId: 'OUT-TC',
    category: 'price',
    text: 'x',
    receivedAt: '2026-01-05T02:00:00Z',
  });
  assert.equal(backdated.status, 400);
  assert.match(backdated.body.error.message, /receivedAt/);
  await ctx.dispose();
});

test('the deadline counts from the Beijing date: a 差评 a minute before midnight and one a minute after differ by a day', async () => {
  const ctx = await setup();
  const staff = await ctx.token('jinjiang');
  const deadlineOf = async (at: string, phone: string) => {
    ctx.clock.now = new Date(at);
    const r = await resident(ctx, phone);
    const rated = await ctx.call('POST', '/api/ratings', r.token, {
      outletId: 'OUT-HW',
      level: 'very_dissatisfied',
      text: '饭菜是凉的',
    });
    assert.equal(rated.status, 201, JSON.stringify(rated.body));
    return (await ctx.call('GET', `/api/cases/${rated.body.caseId}`, staff)).body.deadlineDate as string;
  };
  // Both instants fall on Tuesday 10 March 2026 in UTC (15:59Z and 16:01Z). By hand: 15 working days after Tue
  // 10 March are 11–13, 16–20, 23–27, 30 and 31 March; after Wed 11 March they end on Wed 1 April.
  assert.equal(await deadlineOf('2026-03-10T23:59:00+08:00', '13800000001'), '2026-03-31');
  assert.equal(await deadlineOf('2026-03-11T00:01:00+08:00', '13800000002'), '2026-04-01');
  await ctx.dispose();
});

test('an appeal upheld on review invalidates the rating (kept, not counted); a complaint cannot be appealed', async () => {
  const ctx = await setup();
  const r = await resident(ctx);
  const caseId = (
    await ctx.call('POST', '/api/ratings', r.token, {
      outletId: 'OUT-HW',
      level: 'very_dissatisfied',
      text: '恶意',
    })
  ).body.caseId;
  const provider = await ctx.token('huawei');
  const staff = await ctx.token('jinjiang');
  const appeal = await ctx.call('POST', `/api/cases/${caseId}/actions`, provider, {
    type: 'appeal',
    ground: 'malicious',
    note: '当日未营业',
  });
  assert.equal(appeal.body.state, 'under-review');
  const review = await ctx.call('POST', `/api/cases/${caseId}/actions`, staff, {
    type: 'review',
    decision: 'upheld',
    note: '监控核实',
  });
  assert.equal(review.body.state, 'closed');
  assert.equal(review.body.outcome, 'rating-invalidated');
  const rating = (await ctx.store.ratings.all())[0];
  assert.equal(rating.status, 'invalidated');
  assert.equal((await ctx.call('GET', '/api/facilities/OUT-HW/ratings')).body.aggregate.count, 0);

  const complaint = (
    await ctx.call('POST', '/api/complaints', r.token, {
      outletId: 'OUT-HW',
      category: 'quality',
      text: '不卫生',
    })
  ).body.caseId;
  const refused = await ctx.call('POST', `/api/cases/${complaint}/actions`, provider, {
    type: 'appeal',
    ground: 'mistaken',
    note: 'x',
  });
  assert.equal(refused.status, 409);
  await ctx.dispose();
});

test('roles: the public and providers cannot rate; staff enter ratings only in their scope; the public sees no queue', async () => {
  const ctx = await setup();
  assert.equal((await ctx.call('GET', '/api/cases')).status, 401);
  assert.equal(
    (await ctx.call('POST', '/api/ratings', undefined, { outletId: 'OUT-HW', level: 'satisfied' })).status,
    401,
  );
  const provider = await ctx.token('huawei');
  assert.equal(
    (await ctx.call('POST', '/api/ratings', provider, { outletId: 'OUT-HW', level: 'very_satisfied' }))
      .status,
    403,
  );
  const qingyang = await ctx.token('qingyang');
  const outside = await ctx.call('POST', '/api/ratings', qingyang, {
    outletId: 'OUT-HW',
    level: 'satisfied',
    residentPhone: PHONE,
  });
  assert.equal(outside.status, 403);
  const staff = await ctx.token('jinjiang');
  const entered = await ctx.call('POST', '/api/ratings', staff, {
    outletId: 'OUT-HW',
    level: 'dissatisfied',
    residentPhone: PHONE,
  });
  assert.equal(entered.status, 201, JSON.stringify(entered.body));
  assert.equal(entered.body.rating.channel, 'staff');
  // The same unregistered phone keeps one pseudonym, so the one-rating rule holds for staff entries too.
  const twice = await ctx.call('POST', '/api/ratings', staff, {
    outletId: 'OUT-HW',
    level: 'satisfied',
    residentPhone: PHONE,
  });
  assert.equal(twice.status, 409);
  assert.match(entered.body.rating.accountId, /^tel-[0-9a-f]{16}$/);
  // The resident who later registers with that phone follows the case staff opened for them.
  const r = await resident(ctx);
  assert.equal((await ctx.call('GET', '/api/cases', r.token)).body.total, 0);
  const own = await ctx.call('POST', '/api/ratings', r.token, { outletId: 'OUT-TC', level: 'dissatisfied' });
  assert.equal((await ctx.call('GET', '/api/cases', r.token)).body.total, 1);
  assert.ok(own.body.caseId);
  const sat = await ctx.call('GET', '/api/ratings/satisfaction?region=510104&from=2026-01-01&to=2026-12-31');
  assert.equal(sat.body.ratings, 2);
  assert.equal(sat.body.rate, 0);
  await ctx.dispose();
});
