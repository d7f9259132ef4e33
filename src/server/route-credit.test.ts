import { openCityTemporaryStore } from '../cities/index.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type Store } from '../store/index.js';
import { addDefaultFacilityTypes } from '../registry/index.js';
import { cliViewer } from '../policy/index.js';
import { drawInspections, parseCandidates, parseInspectors } from '../supervision/index.js';
import { manualClock } from '../time/index.js';
import { buildApp, type App } from './app.js';
import { hashPassword } from './passwords.js';
import { createTestUsers, loginToken } from './test-support.js';

const HUAWEI = '914403001922038216'; // real vectors from reference/uscc_vectors.json
const TENCENT = '91440300708461136T';
const PASSWORD = 'correct horse battery';
/** The platform's clock: Monday 2026-06-15 09:30 in Beijing. */
const CLOCK = manualClock('2026-06-15T09:30:00+08:00');
const TODAY = '2026-06-15';

interface Ctx {
  app: App;
  store: Store;
  call: (
    method: string,
    url: string,
    user?: string,
    payload?: unknown,
  ) => Promise<{ status: number; body: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any
  dispose: () => Promise<void>;
}

/** Two providers (锦江 and 青羊), one outlet of the first, and one user per role that acts here. */
async function setup(): Promise<Ctx> {
  const tmp = await openCityTemporaryStore({ clock: CLOCK });
  const { store } = tmp;
  await addDefaultFacilityTypes({ store, clock: CLOCK, cityCode: '5101' }, cliViewer('test'), {});
  for (const [uscc, name, regionCode] of [
    [HUAWEI, '华为技术有限公司', '510104'],
    [TENCENT, '深圳市腾讯计算机系统有限公司', '510105'],
  ])
    await store.providers.upsert({
      uscc,
      name,
      regionCode,
      domains: ['health'],
      contactName: '李四',
      contactPhone: '13900000000',
    });
  await store.facilities.upsert({
    code: 'OUTLET-1',
    name: '瑞华药业三友店',
    typeCode: 'pharmacy',
    location: { lon: 104.0874466, lat: 30.6843382 },
    address: null,
    regionCode: '510104022006',
    capacity: null,
    affordable: false,
    status: 'open',
    providerUscc: HUAWEI,
    contactPhone: '13800000000',
  });
  const users = [
    { username: 'admin', role: 'administrator' as const },
    {
      username: 'jinjiang',
      role: 'staff' as const,
      department: '锦江区卫健局',
      domains: ['health' as const],
      regionCode: '510104',
    },
    { username: 'insp1', role: 'inspector' as const, regionCode: '5101' },
    { username: 'insp2', role: 'inspector' as const, regionCode: '5101' },
    { username: 'insp3', role: 'inspector' as const, regionCode: '5101' },
    { username: 'huawei', role: 'provider' as const, providerUscc: HUAWEI },
    { username: 'coord', role: 'coordinator' as const },
  ];
  const passwordHash = await hashPassword(PASSWORD, { N: 2 ** 10 });
  await createTestUsers(store, users, passwordHash);
  const app = await buildApp({ store, cityCode: '5101', clock: CLOCK });
  const tokens = new Map<string, string>();
  const token = async (username: string) => {
    if (!tokens.has(username)) tokens.set(username, await loginToken(app, username, PASSWORD));
    return tokens.get(username) as string;
  };
  return {
    app,
    store,
    call: async (method, url, user, payload) => {
      const res = await app.inject({
        method: method as 'GET',
        url,
        headers: user ? { authorization: `Bearer ${await token(user)}` } : {},
        ...(payload === undefined ? {} : { payload: payload as object }),
      });
      const type = String(res.headers['content-type'] ?? '');
      return { status: res.statusCode, body: type.includes('json') ? res.json() : res.body };
    },
    dispose: async () => {
      await app.close();
      await tmp.dispose();
    },
  };
}

const penalty = (severity: string, title = '超范围经营') => ({
  kind: 'penalty',
  title,
  authority: '锦江区市场监督管理局',
  document: '锦市监罚〔2026〕12号',
  date: TODAY,
  severity,
  internalNote: '举报人 王五 13700000000',
});

test('a penalty recomputes the class in the same transaction and the profile names it as the reason', async () => {
  const ctx = await setup();
  try {
    const before = await ctx.call('GET', `/api/providers/${HUAWEI}/credit`, 'jinjiang');
    assert.equal(before.status, 200);
    assert.equal(before.body.classification.riskClass, 'B');
    assert.equal(before.body.stored, false);
    const added = await ctx.call(
      'POST',
      `/api/providers/${HUAWEI}/credit-records`,
      'jinjiang',
      penalty('ordinary'),
    );
    assert.equal(added.status, 201, JSON.stringify(added.body));
    assert.equal(added.body.previousClass, 'B');
    assert.equal(added.body.classification.riskClass, 'C');
    const profile = await ctx.call('GET', `/api/providers/${HUAWEI}/credit`, 'coord');
    assert.equal(profile.body.classification.score, 85);
    assert.equal(profile.body.classification.drivers[0].recordId, added.body.record.id);
    assert.equal(profile.body.stored, true);
    // The coordinator reads the profile but not the internal note; staff see it.
    assert.equal(profile.body.records[0].internalNote, undefined);
    const staffView = await ctx.call('GET', `/api/providers/${HUAWEI}/credit-records`, 'jinjiang');
    assert.match(staffView.body.items[0].internalNote, /王五/);
    // 信用修复: from the repair date the penalty no longer counts; the class goes back to B.
    const recordUrl = `/api/providers/${HUAWEI}/credit-records/${added.body.record.id}/repair`;
    const early = await ctx.call('POST', recordUrl, 'jinjiang', { repairedOn: '2000-01-01' });
    assert.equal(early.status, 400);
    assert.match(early.body.error.message, /repairedOn/);
    const repaired = await ctx.call('POST', recordUrl, 'jinjiang', { repairedOn: TODAY });
    assert.equal(repaired.status, 200, JSON.stringify(repaired.body));
    assert.equal(repaired.body.classification.riskClass, 'B');
    assert.equal(repaired.body.previousClass, 'C');
    assert.deepEqual(repaired.body.classification.excluded, [
      { recordId: added.body.record.id, reason: 'repaired' },
    ]);
    assert.equal((await ctx.call('GET', `/api/public/providers/${HUAWEI}`)).body.penalties.length, 0);
    const audit = await ctx.call('GET', '/api/audit?entity=credit_classes', 'admin');
    assert.equal(audit.body.items[0].entityKey, HUAWEI);
    assert.deepEqual(
      audit.body.items.map((e: { after: { riskClass: string } }) => e.after.riskClass),
      ['B', 'C'],
    );
  } finally {
    await ctx.dispose();
  }
});

test('roles and scope: providers read only their own credit, staff write only in their region, the public none', async () => {
  const ctx = await setup();
  try {
    assert.equal((await ctx.call('GET', `/api/providers/${HUAWEI}/credit`, 'huawei')).status, 200);
    const other = await ctx.call('GET', `/api/providers/${TENCENT}/credit`, 'huawei');
    assert.equal(other.status, 403);
    assert.equal(other.body.error.code, 'LC_FORBIDDEN');
    assert.equal((await ctx.call('GET', `/api/providers/${HUAWEI}/credit`)).status, 401);
    const outside = await ctx.call(
      'POST',
      `/api/providers/${TENCENT}/credit-records`,
      'jinjiang',
      penalty('minor'),
    );
    assert.equal(outside.status, 403);
    assert.match(outside.body.error.message, /510104/);
    const byProvider = await ctx.call(
      'POST',
      `/api/providers/${HUAWEI}/credit-records`,
      'huawei',
      penalty('minor'),
    );
    assert.equal(byProvider.status, 403);
    assert.equal((await ctx.call('GET', `/api/providers/${'9'.repeat(18)}/credit`, 'admin')).status, 404);
  } finally {
    await ctx.dispose();
  }
});

test('bad credit records are refused with the field named', async () => {
  const ctx = await setup();
  try {
    const url = `/api/providers/${HUAWEI}/credit-records`;
    const noSeverity = await ctx.call('POST', url, 'admin', { ...penalty('minor'), severity: undefined });
    assert.equal(noSeverity.status, 400);
    assert.match(noSeverity.body.error.message, /severity/);
    const badDate = await ctx.call('POST', url, 'admin', { ...penalty('minor'), date: '2026/01/02' });
    assert.equal(badDate.status, 400);
    assert.match(badDate.body.error.message, /date/);
    const badKind = await ctx.call('POST', url, 'admin', { ...penalty('minor'), kind: 'fine' });
    assert.equal(badKind.status, 400);
    assert.match(badKind.body.error.message, /kind/);
    const repairedEarly = await ctx.call('POST', url, 'admin', {
      ...penalty('minor'),
      repairedOn: '2000-01-01',
    });
    assert.equal(repairedEarly.status, 400);
    assert.match(repairedEarly.body.error.message, /repairedOn/);
    assert.equal((await ctx.call('GET', url, 'admin')).body.items.length, 0);
  } finally {
    await ctx.dispose();
  }
});

test('the public disclosure shows permits, penalties and inspections in force, and nothing personal', async () => {
  const ctx = await setup();
  try {
    await ctx.call('POST', `/api/providers/${HUAWEI}/credit-records`, 'admin', penalty('minor'));
    await ctx.call('POST', `/api/providers/${HUAWEI}/credit-records`, 'admin', {
      kind: 'permit',
      title: '药品经营许可证',
      authority: '成都市药监局',
      date: '2025-01-01',
      validUntil: '2030-12-31',
    });
    await ctx.call('POST', `/api/providers/${HUAWEI}/credit-records`, 'admin', {
      kind: 'complaint-upheld',
      title: '投诉属实',
      authority: '12345',
      date: TODAY,
    });
    const res = await ctx.call('GET', `/api/public/providers/${HUAWEI}`);
    assert.equal(res.status, 200);
    assert.equal(res.body.penalties.length, 1);
    assert.equal(res.body.permits[0].title, '药品经营许可证');
    const text = JSON.stringify(res.body);
    for (const secret of ['李四', '13900000000', '王五', '13700000000', '投诉属实', 'riskClass', 'score'])
      assert.ok(!text.includes(secret), `disclosure leaks ${secret}`);
  } finally {
    await ctx.dispose();
  }
});

test("a provider's credit records are paged in the query, oldest first", async () => {
  const ctx = await setup();
  try {
    const url = `/api/providers/${HUAWEI}/credit-records`;
    for (const date of ['2026-03-01', '2026-01-01', '2026-02-01']) {
      const made = await ctx.call('POST', url, 'admin', {
        kind: 'inspection',
        title: `检查 ${date}`,
        authority: '锦江区市场监督管理局',
        date,
        outcome: 'compliant',
      });
      assert.equal(made.status, 201, JSON.stringify(made.body));
    }
    await ctx.call('POST', `/api/providers/${TENCENT}/credit-records`, 'admin', penalty('minor'));
    const all = (await ctx.call('GET', url, 'admin')).body;
    assert.deepEqual([all.items.length, all.total, all.limit, all.offset], [3, 3, 50, 0]);
    const dates = (page: { items: { date: string }[] }) => page.items.map((r) => r.date);
    assert.deepEqual(dates(all), ['2026-01-01', '2026-02-01', '2026-03-01']);
    const first = (await ctx.call('GET', `${url}?limit=2`, 'admin')).body;
    assert.deepEqual([dates(first), first.total, first.limit], [['2026-01-01', '2026-02-01'], 3, 2]);
    const rest = (await ctx.call('GET', `${url}?limit=2&offset=2`, 'admin')).body;
    assert.deepEqual([dates(rest), rest.total, rest.offset], [['2026-03-01'], 3, 2]);
    assert.equal((await ctx.call('GET', `${url}?limit=1001`, 'admin')).status, 400);
  } finally {
    await ctx.dispose();
  }
});

test('a draw is reproducible from its published files, hidden until published, and results become credit', async () => {
  const ctx = await setup();
  try {
    await ctx.call('POST', `/api/providers/${TENCENT}/credit-records`, 'admin', penalty('serious'));
    const forbidden = await ctx.call('POST', '/api/inspections/draws', 'jinjiang', { regionCode: '510105' });
    assert.equal(forbidden.status, 403);
    const created = await ctx.call('POST', '/api/inspections/draws', 'admin', {
      seed: '2026-11-22 福彩3D 123',
      localRange: false,
      ratios: { A: 1, B: 1, C: 1, D: 1 },
      conflicts: [{ inspectorId: 'insp1', uscc: TENCENT }],
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const draw = created.body;
    assert.equal(draw.published, false);
    assert.deepEqual(draw.candidates.map((c: { riskClass: string }) => c.riskClass).sort(), ['B', 'D']);
    assert.match(
      draw.cli,
      /--seed '2026-11-22 福彩3D 123' --candidates draw-\d+-candidates.csv --inspectors/,
    );
    // Hidden from the public until published.
    assert.equal((await ctx.call('GET', `/api/inspections/draws/${draw.id}`)).status, 404);
    assert.equal((await ctx.call('GET', '/api/inspections/draws')).body.total, 0);
    assert.equal((await ctx.call('POST', `/api/inspections/draws/${draw.id}/publish`, 'admin')).status, 200);
    const csv = await ctx.call('GET', `/api/inspections/draws/${draw.id}/candidates.csv`);
    const inspectorsCsv = await ctx.call('GET', `/api/inspections/draws/${draw.id}/inspectors.csv`);
    assert.equal(csv.status, 200);
    const rerun = drawInspections({
      seed: draw.seed,
      candidates: parseCandidates(csv.body, 'candidates.csv'),
      inspectors: parseInspectors(inspectorsCsv.body, 'inspectors.csv'),
      config: draw.config,
    });
    assert.deepEqual(JSON.parse(JSON.stringify(rerun)), draw.result);
    const tencent = draw.result.targets.find((t: { uscc: string }) => t.uscc === TENCENT);
    assert.ok(!tencent.inspectorIds.includes('insp1'), 'the declared conflict is respected');

    const assigned = tencent.inspectorIds[0] as string;
    const outsider = ['insp1', 'insp2', 'insp3'].find((i) => !tencent.inspectorIds.includes(i)) as string;
    const result = {
      drawId: draw.id,
      uscc: TENCENT,
      inspectedOn: TODAY,
      outcome: 'non-compliant',
      findings: '未公示价格',
      authority: '青羊区市场监督管理局',
    };
    assert.equal((await ctx.call('POST', '/api/inspections/results', outsider, result)).status, 403);
    assert.equal((await ctx.call('POST', '/api/inspections/results', 'jinjiang', result)).status, 403);
    const recorded = await ctx.call('POST', '/api/inspections/results', assigned, result);
    assert.equal(recorded.status, 201, JSON.stringify(recorded.body));
    assert.equal(recorded.body.record.kind, 'inspection');
    const profile = await ctx.call('GET', `/api/providers/${TENCENT}/credit`, 'admin');
    assert.equal(profile.body.records.length, 2);
    assert.equal(profile.body.classification.score, 100 - 40 - 15);
    const again = await ctx.call('POST', '/api/inspections/results', assigned, result);
    assert.equal(again.status, 409);
    const published = await ctx.call('GET', `/api/inspections/draws/${draw.id}`);
    assert.equal(published.body.results[0].findings, '未公示价格');
    assert.equal(published.body.createdBy, undefined, 'the public does not see who made the draw');
    assert.equal((await ctx.call('GET', '/api/inspections/draws')).body.items[0].createdBy, undefined);
    assert.equal(
      (await ctx.call('GET', `/api/inspections/draws/${draw.id}`, 'coord')).body.createdBy,
      'admin',
    );
  } finally {
    await ctx.dispose();
  }
});

test('certification: the provider applies, staff approve with expiry, a serious penalty revokes it', async () => {
  const ctx = await setup();
  try {
    const commitment = { text: '普惠价格不高于市场价80%', signatoryRole: '法定代表人' };
    const notOwn = await ctx.call('POST', '/api/certifications', 'admin', {
      outletId: 'OUTLET-1',
      commitment,
    });
    assert.equal(notOwn.status, 403);
    const applied = await ctx.call('POST', '/api/certifications', 'huawei', {
      outletId: 'OUTLET-1',
      commitment,
    });
    assert.equal(applied.status, 201, JSON.stringify(applied.body));
    assert.equal(applied.body.state, 'applied');
    const twice = await ctx.call('POST', '/api/certifications', 'huawei', {
      outletId: 'OUTLET-1',
      commitment,
    });
    assert.equal(twice.status, 409);
    const queue = await ctx.call('GET', '/api/certifications?state=applied', 'jinjiang');
    assert.deepEqual(
      queue.body.items.map((c: { id: string }) => c.id),
      [applied.body.id],
    );
    assert.deepEqual([queue.body.total, queue.body.limit, queue.body.offset], [1, 50, 0]);
    const past = await ctx.call('GET', '/api/certifications?state=applied&offset=1', 'jinjiang');
    assert.deepEqual([past.body.items.length, past.body.total], [0, 1]);
    const id = applied.body.id as string;
    const badExpiry = await ctx.call('POST', `/api/certifications/${id}/review`, 'jinjiang', {
      decision: 'approve',
      note: '材料齐全',
      expiresOn: '2000-01-01',
    });
    assert.equal(badExpiry.status, 400);
    assert.match(badExpiry.body.error.message, /expiresOn/);
    const approved = await ctx.call('POST', `/api/certifications/${id}/review`, 'jinjiang', {
      decision: 'approve',
      note: '材料齐全',
      expiresOn: '2030-06-30',
    });
    assert.equal(approved.status, 200, JSON.stringify(approved.body));
    assert.equal(approved.body.state, 'certified');
    assert.equal(approved.body.expiresOn, '2030-06-30');
    assert.equal((await ctx.store.facilities.get('OUTLET-1'))?.affordable, true);
    const page = await ctx.call('GET', `/api/public/providers/${HUAWEI}`);
    assert.equal(page.body.badges[0].label, '普惠网点');
    assert.equal(page.body.badges[0].validUntil, '2030-06-30');

    const serious = await ctx.call(
      'POST',
      `/api/providers/${HUAWEI}/credit-records`,
      'jinjiang',
      penalty('serious', '销售假药'),
    );
    assert.equal(serious.status, 201);
    assert.deepEqual(serious.body.revoked, [id]);
    assert.equal(serious.body.classification.riskClass, 'D');
    assert.equal((await ctx.store.facilities.get('OUTLET-1'))?.affordable, false);
    const after = await ctx.call('GET', `/api/public/providers/${HUAWEI}`);
    assert.equal(after.body.badges.length, 0);
    const mine = await ctx.call('GET', '/api/certifications', 'huawei');
    assert.equal(mine.body.items[0].state, 'revoked');
    assert.match(mine.body.items[0].history.at(-1).note, /销售假药/);
    const revokeAudit = await ctx.call('GET', `/api/audit?entity=certifications&entityKey=${id}`, 'admin');
    assert.equal(revokeAudit.body.items[0].after.state, 'revoked');
  } finally {
    await ctx.dispose();
  }
});

test('a class-D provider cannot be certified; leaders rank by credit alone and say so', async () => {
  const ctx = await setup();
  try {
    await ctx.call('POST', `/api/providers/${HUAWEI}/credit-records`, 'admin', {
      kind: 'award',
      title: '诚信经营示范店',
      authority: '锦江区商务局',
      date: TODAY,
    });
    const leaders = await ctx.call('GET', '/api/leaders');
    assert.equal(leaders.body.basis, 'credit-only');
    assert.equal(leaders.body.types[0].entries[0].outletId, 'OUTLET-1');
    assert.equal(leaders.body.types[0].entries[0].score, undefined, 'the public sees no credit score');
    assert.equal((await ctx.call('GET', '/api/leaders', 'admin')).body.types[0].entries[0].score, 110);
    await ctx.call('POST', `/api/providers/${HUAWEI}/credit-records`, 'admin', penalty('serious'));
    const commitment = { text: '依法诚信经营', signatoryRole: '法定代表人' };
    const applied = await ctx.call('POST', '/api/certifications', 'huawei', {
      outletId: 'OUTLET-1',
      commitment,
    });
    const refused = await ctx.call('POST', `/api/certifications/${applied.body.id}/review`, 'admin', {
      decision: 'approve',
      note: 'ok',
    });
    assert.equal(refused.status, 409);
    assert.equal(refused.body.error.code, 'LC_CERTIFICATION_TRANSITION');
    assert.match(refused.body.error.message, /risk class D/);
    // The refused approval changed nothing (one transaction); the provider withdraws it, and only its own.
    const still = await ctx.call('GET', '/api/certifications', 'huawei');
    assert.equal(still.body.items[0].state, 'applied');
    const withdrawUrl = `/api/certifications/${applied.body.id}/withdraw`;
    assert.equal((await ctx.call('POST', withdrawUrl, 'jinjiang', {})).status, 403);
    const withdrawn = await ctx.call('POST', withdrawUrl, 'huawei', { note: '暂缓申请' });
    assert.equal(withdrawn.status, 200, JSON.stringify(withdrawn.body));
    assert.equal(withdrawn.body.state, 'withdrawn');
    assert.equal((await ctx.call('POST', withdrawUrl, 'huawei', {})).status, 409);
  } finally {
    await ctx.dispose();
  }
});
