import { openCityTemporaryStore } from '../cities/index.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { type Role, type Store } from '../store/index.js';
import { manualClock } from '../time/index.js';
import { buildApp, type App } from './app.js';
import { hashPassword } from './passwords.js';
import { createTestUsers, loginToken } from './test-support.js';

const PASSWORD = 'correct horse battery';
const CITY = '5101';
const JINJIANG = '510104';
const QINGYANG = '510105';
const JINNIU = '510106';
const COVERAGE = 'community-childcare-coverage';
/**
 * The platform's clock: half past midnight in Beijing on Monday 2026-03-16, still Sunday 15 March in UTC. "Today"
 * is the Beijing date, so a value dated 2026-03-16 is not in the future.
 */
const CLOCK = manualClock('2026-03-16T00:30:00+08:00');
const TODAY = '2026-03-16';
const YEAR = 2026;

interface Ctx {
  app: App;
  store: Store;
  token: (username: string) => Promise<string>;
  dispose: () => Promise<void>;
}

/** A real store with division codes, one user per role and computed values from two analysis runs. */
async function setup(measureCompletion?: () => Promise<Map<string, number>>): Promise<Ctx> {
  const tmp = await openCityTemporaryStore({ clock: CLOCK });
  const { store } = tmp;
  const users: { username: string; role: Role; department?: string; regionCode?: string }[] = [
    { username: 'admin', role: 'administrator' },
    { username: 'fgw', role: 'coordinator', department: '成都市发展和改革委员会' },
    { username: 'mzj', role: 'staff', department: '锦江区民政局', regionCode: JINJIANG },
    { username: 'wlj', role: 'staff', department: '锦江区文化和旅游局', regionCode: JINJIANG },
    { username: 'inspector', role: 'inspector' },
    { username: 'resident', role: 'resident' },
  ];
  const passwordHash = await hashPassword(PASSWORD, { N: 2 ** 10 });
  await createTestUsers(store, users, passwordHash);
  // Two coverage runs: the second one supersedes the first for the same day.
  for (const [i, values] of [
    [{ [CITY]: 40, [JINJIANG]: 30, [QINGYANG]: 50, [JINNIU]: 45 }],
    [{ [CITY]: 42, [JINJIANG]: 35, [QINGYANG]: 55, [JINNIU]: 45 }],
  ].entries()) {
    const run = await store.analysisRuns.create({
      kind: 'coverage',
      parameters: {},
      inputsHash: `hash-${i}`,
      results: {},
      engineVersion: 'test',
      createdBy: 'test',
    });
    await store.indicators.addValues(
      Object.entries(values[0]).map(([regionCode, value]) => ({
        indicatorCode: COVERAGE,
        regionCode,
        date: TODAY,
        value,
        numerator: value,
        denominator: 100,
        missing: [],
        provenance: { kind: 'analysis' as const, runId: run.id },
      })),
    );
  }
  const app = await buildApp({ store, cityCode: CITY, measureCompletion, clock: CLOCK });
  return {
    app,
    store,
    token: (username) => loginToken(app, username, PASSWORD),
    dispose: async () => {
      await app.close();
      await tmp.dispose();
    },
  };
}

const auth = (token: string) => ({ authorization: `Bearer ${token}` });
const target = (extra: Record<string, unknown> = {}) => ({
  indicatorCode: COVERAGE,
  regionCode: CITY,
  targetValue: 60,
  comparator: 'gte',
  deadlineYear: YEAR + 2,
  ...extra,
});

test('the board is public and shows the newest run’s value per region with its provenance', async () => {
  const ctx = await setup();
  const res = await ctx.app.inject({ method: 'GET', url: '/api/indicators' });
  assert.equal(res.statusCode, 200);
  const item = res.json().items.find((i: { code: string }) => i.code === COVERAGE);
  const jinjiang = item.values.find((v: { regionCode: string }) => v.regionCode === JINJIANG);
  assert.equal(jinjiang.value, 35);
  assert.equal(jinjiang.regionName, '锦江区');
  assert.deepEqual(jinjiang.provenance, { kind: 'analysis', runId: 2 });
  assert.equal(item.nameZh, '社区托育服务覆盖率');
  const suggest = await ctx.app.inject({
    method: 'GET',
    url: `/api/indicators/suggest?phrase=${encodeURIComponent('社区托育服务覆盖率')}&unit=%25`,
  });
  assert.equal(suggest.json()[0].code, COVERAGE);
  assert.equal(suggest.json()[0].nameZh, '社区托育服务覆盖率');
  await ctx.dispose();
});

test('targets: coordinators set them (audited, replaced per deadline year); others may not; bad input names the field', async () => {
  const ctx = await setup();
  const post = async (body: unknown, who?: string) =>
    ctx.app.inject({
      method: 'POST',
      url: '/api/indicator-targets',
      payload: body as Record<string, unknown>,
      headers: who ? auth(await ctx.token(who)) : {},
    });
  assert.equal((await post(target())).statusCode, 401);
  assert.equal((await post(target(), 'mzj')).json().error.code, 'LC_FORBIDDEN');
  assert.equal((await post(target(), 'resident')).statusCode, 403);
  const source = {
    planId: 'seed-000',
    targetId: 't3',
    phrase: '社区托育服务覆盖率',
    sentence: '…覆盖率达到60%',
  };
  const created = await post(target({ source }), 'fgw');
  assert.equal(created.statusCode, 201, created.body);
  assert.equal(created.json().confirmedBy, 'fgw');
  assert.deepEqual(created.json().source, source);
  const replaced = await post(target({ targetValue: 65 }), 'fgw');
  assert.equal(replaced.json().id, created.json().id);
  assert.equal(replaced.json().targetValue, 65);
  const audit = await ctx.store.audit.list({ entity: 'indicator_targets' });
  assert.deepEqual(
    audit.items.map((a) => a.action),
    ['update', 'create'],
  );
  assert.equal((audit.items[0].before as { targetValue: number }).targetValue, 60);

  const bad = async (body: unknown, code: string, field: RegExp) => {
    const res = await post(body, 'fgw');
    assert.equal(res.statusCode, 400, res.body);
    assert.equal(res.json().error.code, code);
    assert.match(res.json().error.message, field);
  };
  await bad(target({ indicatorCode: 'no-such-indicator' }), 'LC_INVALID_FIELD', /indicatorCode/);
  await bad(target({ regionCode: '120111' }), 'LC_INVALID_FIELD', /regionCode: expected the city 5101/);
  await bad(target({ comparator: 'about' }), 'LC_USAGE', /comparator/);
  await bad(target({ deadlineYear: 'soon' }), 'LC_USAGE', /deadlineYear/);
  await bad(target({ baselineValue: 30 }), 'LC_INVALID_FIELD', /baselineValue and baselineDate/);
  await bad(target({ targetValue: undefined }), 'LC_USAGE', /targetValue/);
  await ctx.dispose();
});

test('targets and their progress are paged in the query; the filters narrow the total', async () => {
  const ctx = await setup();
  const token = await ctx.token('fgw');
  for (const regionCode of [CITY, JINJIANG, QINGYANG]) {
    const made = await ctx.app.inject({
      method: 'POST',
      url: '/api/indicator-targets',
      payload: target({ regionCode }),
      headers: auth(token),
    });
    assert.equal(made.statusCode, 201, made.body);
  }
  // A target (regionCode) or a target's progress (target.regionCode).
  type Item = { regionCode?: string; target?: { regionCode: string } };
  const region = (x: Item) => x.regionCode ?? x.target?.regionCode;
  const get = async (url: string) => {
    const res = await ctx.app.inject({ method: 'GET', url });
    assert.equal(res.statusCode, 200, res.body);
    return res.json() as { items: Item[]; total: number; limit: number; offset: number };
  };
  for (const route of ['/api/indicator-targets', '/api/indicators/progress']) {
    const all = await get(route);
    assert.deepEqual([all.items.length, all.total, all.limit, all.offset], [3, 3, 50, 0], route);
    const first = await get(`${route}?limit=2`);
    assert.deepEqual([first.items.length, first.total, first.limit], [2, 3, 2], route);
    const rest = await get(`${route}?limit=2&offset=2`);
    assert.deepEqual([rest.items.length, rest.total, rest.offset], [1, 3, 2], route);
    assert.deepEqual([...first.items, ...rest.items].map(region), all.items.map(region), route);
    const one = await get(`${route}?region=${JINJIANG}&indicator=${COVERAGE}`);
    assert.deepEqual([one.total, one.items.map(region)], [1, [JINJIANG]], route);
    const bad = await ctx.app.inject({ method: 'GET', url: `${route}?limit=0` });
    assert.equal(bad.statusCode, 400, route);
  }
  await ctx.dispose();
});

test('reported values: a department reports its own indicator in its region only; computed ones are refused', async () => {
  const ctx = await setup();
  const report = async (who: string, code: string, body: Record<string, unknown>) =>
    ctx.app.inject({
      method: 'POST',
      url: `/api/indicators/${code}/values`,
      payload: { regionCode: JINJIANG, date: TODAY, value: 3.1, ...body },
      headers: auth(await ctx.token(who)),
    });
  const culture = 'public-culture-visits-per-10000';
  const ok = await report('wlj', culture, { note: '2025年统计年报' });
  assert.equal(ok.statusCode, 201, ok.body);
  assert.deepEqual(
    ok.json().provenance,
    // reportedAt is the platform's instant, in UTC.
    {
      kind: 'report',
      by: '锦江区文化和旅游局',
      reportedAt: '2026-03-15T16:30:00.000Z',
      note: '2025年统计年报',
    },
  );
  assert.match(
    (await report('wlj', culture, { regionCode: QINGYANG })).json().error.message,
    /reports in region 510104/,
  );
  assert.match((await report('mzj', culture, {})).json().error.message, /reported by 文化和旅游局/);
  const computed = await report('admin', COVERAGE, {});
  assert.equal(computed.statusCode, 400);
  assert.match(computed.json().error.message, /computed indicator/);
  const future = await report('wlj', culture, { date: `${YEAR + 1}-01-01` });
  assert.match(future.json().error.message, /date: expected a real day not in the future/);
  assert.equal((await report('inspector', culture, {})).statusCode, 403);
  assert.equal((await report('wlj', 'nope', {})).statusCode, 404);
  const history = await ctx.app.inject({
    method: 'GET',
    url: `/api/indicators/${culture}/values?region=${JINJIANG}`,
  });
  assert.equal(history.json().items.length, 1);
  assert.equal((await ctx.store.audit.list({ entity: 'indicator_values' })).total, 1);
  await ctx.dispose();
});

test('a reported value may be dated today in Beijing: refused a minute before midnight, accepted a minute after', async () => {
  const ctx = await setup();
  const culture = 'public-culture-visits-per-10000';
  const report = async () =>
    ctx.app.inject({
      method: 'POST',
      url: `/api/indicators/${culture}/values`,
      payload: { regionCode: JINJIANG, date: '2026-03-17', value: 3.1 },
      headers: auth(await ctx.token('wlj')),
    });
  try {
    CLOCK.set('2026-03-16T23:59:00+08:00'); // 15:59 UTC on the 16th
    const early = await report();
    assert.equal(early.statusCode, 400, early.body);
    assert.match(early.json().error.message, /date/);
    CLOCK.set('2026-03-17T00:01:00+08:00'); // 16:01 UTC on the 16th: the UTC date has not changed, Beijing's has
    assert.equal((await report()).statusCode, 201);
  } finally {
    CLOCK.set('2026-03-16T00:30:00+08:00');
    await ctx.dispose();
  }
});

test('progress follows the straight trajectory from the baseline to the target at the deadline', async () => {
  const ctx = await setup();
  const token = await ctx.token('fgw');
  const baselineDate = `${YEAR - 1}-01-01`;
  await ctx.app.inject({
    method: 'POST',
    url: '/api/indicator-targets',
    payload: target({
      regionCode: JINJIANG,
      baselineValue: 20,
      baselineDate,
      targetValue: 80,
      deadlineYear: YEAR + 1,
    }),
    headers: auth(token),
  });
  // No value yet for 青羊区 and no baseline: no data, said so.
  await ctx.app.inject({
    method: 'POST',
    url: '/api/indicator-targets',
    payload: target({ indicatorCode: 'elderly-meal-coverage', regionCode: QINGYANG }),
    headers: auth(token),
  });
  const res = await ctx.app.inject({ method: 'GET', url: '/api/indicators/progress' });
  assert.equal(res.statusCode, 200);
  assert.equal(res.json().total, 2);
  const [childcare, meal] = res.json().items; // ordered by indicator code
  assert.equal(meal.status, 'no-data');
  assert.equal(meal.note, 'no-baseline');
  const goal = { value: 80, deadline: `${YEAR + 1}-12-31` };
  // By hand: 2025-01-01 → 2026-03-16 is 439 days of the 1,094 to 2027-12-31, so the straight line from 20 to 80
  // stands at 20 + 60 × 439 / 1094 = 44.0768 today. 35 covers 15 of the 24.08 points due: 62 %, under the 95 %
  // on-track cut-off and over the 50 % at-risk one.
  assert.ok(
    Math.abs(childcare.trajectoryToday - 44.076782449725776) < 1e-9,
    String(childcare.trajectoryToday),
  );
  assert.equal(childcare.latest.value, 35);
  assert.equal(childcare.status, 'at-risk');
  assert.ok(childcare.warnings.some((w: { kind: string }) => w.kind === 'behind-trajectory'));
  assert.deepEqual(
    childcare.chart.map((p: { date: string }) => p.date),
    [baselineDate, TODAY, goal.deadline],
  );
  await ctx.dispose();
});

test('scorecard: districts ranked against the city target; weights validated; XLSX matches the API', async () => {
  const ctx = await setup();
  const coord = await ctx.token('fgw');
  assert.equal((await ctx.app.inject({ method: 'GET', url: '/api/scorecard' })).statusCode, 401);
  const resident = await ctx.token('resident');
  assert.equal(
    (await ctx.app.inject({ method: 'GET', url: '/api/scorecard', headers: auth(resident) })).statusCode,
    403,
  );
  await ctx.app.inject({
    method: 'POST',
    url: '/api/indicator-targets',
    payload: target({ targetValue: 50 }),
    headers: auth(coord),
  });
  const put = (body: unknown, token = coord) =>
    ctx.app.inject({
      method: 'PUT',
      url: '/api/scorecard/config',
      payload: body as object,
      headers: auth(token),
    });
  const unknown = await put({ indicatorWeights: { nope: 1 }, measureWeight: 1 });
  assert.equal(unknown.json().error.code, 'LC_SCORECARD_CONFIG');
  assert.match(unknown.json().error.message, /indicatorWeights.nope/);
  assert.equal(
    (await put({ indicatorWeights: { [COVERAGE]: 0 }, measureWeight: 0 })).json().error.code,
    'LC_SCORECARD_CONFIG',
  );
  assert.equal((await put({ indicatorWeights: { [COVERAGE]: -1 }, measureWeight: 0 })).statusCode, 400);
  assert.equal(
    (await put({ indicatorWeights: { [COVERAGE]: 1 }, measureWeight: 0 }, await ctx.token('mzj'))).statusCode,
    403,
  );
  const ok = await put({ indicatorWeights: { [COVERAGE]: 3 }, measureWeight: 1 });
  assert.equal(ok.statusCode, 200, ok.body);
  const card = ok.json();
  assert.equal(card.measureCompletion, 'no data');
  // Plan tracking is connected by default, but no measure of this store is assigned to a district yet.
  assert.ok(card.notes.some((n: { code: string }) => n.code === 'measure-not-assigned'));
  const byRegion = new Map(card.rows.map((r: { region: string }) => [r.region, r]));
  // 青羊 55 ≥ 50 → 1; 金牛 45/50 = 0.9; 锦江 35/50 = 0.7; weight 3 of 4 → 75, 67.5, 52.5.
  const rowOf = (code: string) =>
    byRegion.get(code) as { rank: number; total: number; values: Record<string, number> };
  assert.equal(rowOf(QINGYANG).total, 75);
  assert.equal(rowOf(JINNIU).total, 67.5);
  assert.equal(rowOf(JINJIANG).total, 52.5);
  assert.equal(rowOf(JINJIANG).values[COVERAGE], 35);
  assert.ok(rowOf(QINGYANG).rank < rowOf(JINNIU).rank && rowOf(JINNIU).rank < rowOf(JINJIANG).rank);
  assert.equal((await ctx.store.audit.list({ entity: 'scorecard_config' })).total, 1);

  const xlsx = await ctx.app.inject({
    method: 'GET',
    url: '/api/scorecard/export.xlsx',
    headers: auth(coord),
  });
  assert.equal(xlsx.statusCode, 200);
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
  const sheet = book.getWorksheet('考评结果');
  assert.ok(sheet);
  const rows: [string, number][] = [];
  sheet.eachRow((row, n) => {
    if (n > 3) rows.push([String(row.getCell(2).value), Number(row.getCell(4).value)]);
  });
  assert.deepEqual(
    rows,
    card.rows.map((r: { region: string; total: number }) => [r.region, r.total]),
  );
  const html = await ctx.app.inject({
    method: 'GET',
    url: '/api/scorecard/export.html',
    headers: auth(coord),
  });
  assert.match(html.headers['content-type'] as string, /text\/html/);
  assert.match(html.body, /锦江区/);
  assert.match(html.body, /@page \{ size: A4 landscape/);
  await ctx.dispose();
});

test('with plan tracking wired in, measure completion is scored', async () => {
  const ctx = await setup(async () => new Map([[JINJIANG, 1]]));
  const res = await ctx.app.inject({
    method: 'GET',
    url: '/api/scorecard',
    headers: auth(await ctx.token('admin')),
  });
  const card = res.json();
  assert.equal(card.measureCompletion, 'wired');
  const jinjiang = card.rows.find((r: { region: string }) => r.region === JINJIANG);
  assert.equal(jinjiang.measureScore, 1);
  // No targets yet: indicators score 0 and say so; 锦江 leads on measures alone (1 of 4 equal weights).
  assert.equal(jinjiang.total, 25);
  assert.equal(jinjiang.rank, 1);
  assert.ok(card.notes.some((n: { code: string }) => n.code === 'indicator-without-target'));
  await ctx.dispose();
});

test('a plan’s targets with the indicators proposed for them; a relative one reaches baseline + change; confirming links it', async () => {
  const ctx = await setup();
  try {
    const fgw = await ctx.token('fgw');
    // A value of the coverage indicator for the city at the end of the plan's baseline year (a hand-set figure).
    await ctx.store.indicators.addValues([
      {
        indicatorCode: COVERAGE,
        regionCode: CITY,
        date: '2020-12-31',
        value: 30,
        numerator: 30,
        denominator: 100,
        missing: [],
        provenance: { kind: 'report', by: 'fgw', reportedAt: '2021-01-05T00:00:00.000Z', note: null },
      },
    ]);
    const text = [
      '某市生活性服务业发展行动方案（合成示例）',
      '一、发展目标',
      '到2025年，普惠性幼儿园覆盖率达到85%。与2020年相比，社区托育服务覆盖率提高10个百分点。新建社区足球场50个。',
    ].join('\n');
    const imported = await ctx.app.inject({
      method: 'POST',
      url: '/api/plans',
      headers: auth(fgw),
      payload: { text, title: 'synthetic' },
    });
    assert.equal(imported.statusCode, 201, imported.body);
    const planId = (imported.json() as { id: string }).id;
    const links = async () => {
      const r = await ctx.app.inject({
        method: 'GET',
        url: `/api/plans/${planId}/target-links`,
        headers: auth(fgw),
      });
      assert.equal(r.statusCode, 200, r.body);
      return r.json() as {
        total: number;
        regionCode: string;
        items: {
          target: { id: string; phrase: string };
          linked: { indicatorCode: string; targetValue: number } | null;
          proposals: {
            code: string;
            level: string;
            targetValue: number | null;
            baseline: { year: number | null; value: number | null } | null;
            evidence: { kind: string }[];
          }[];
        }[];
      };
    };
    const before = await links();
    assert.equal(before.total, 3, JSON.stringify(before.items.map((i) => i.target.phrase)));
    assert.equal(before.regionCode, CITY);
    const [kindergarten, childcare, football] = before.items;
    assert.equal(kindergarten.proposals[0].code, 'inclusive-kindergarten-coverage');
    assert.equal(kindergarten.proposals[0].level, 'high');
    assert.equal(kindergarten.proposals[0].targetValue, 85);
    assert.equal(kindergarten.proposals[0].baseline, null);
    assert.deepEqual(
      kindergarten.proposals[0].evidence.map((e) => e.kind),
      ['name', 'measure', 'unit'],
    );
    // 30 % in 2020 + 10 percentage points = 40 %.
    assert.equal(childcare.proposals[0].code, COVERAGE);
    assert.deepEqual(childcare.proposals[0].baseline, { year: 2020, value: 30, date: '2020-12-31' });
    assert.equal(childcare.proposals[0].targetValue, 40);
    assert.deepEqual(football.proposals, [], 'no indicator counts football pitches');

    // Confirming the proposal in one request links the target; it is then shown as linked, with no proposals.
    const confirmed = await ctx.app.inject({
      method: 'POST',
      url: '/api/indicator-targets',
      headers: auth(fgw),
      payload: target({
        targetValue: 40,
        deadlineYear: 2025,
        baselineValue: 30,
        baselineDate: '2020-12-31',
        source: { planId, targetId: childcare.target.id, phrase: childcare.target.phrase, sentence: '…' },
      }),
    });
    assert.equal(confirmed.statusCode, 201, confirmed.body);
    const after = await links();
    assert.equal(after.items[1].linked?.indicatorCode, COVERAGE);
    assert.equal(after.items[1].linked?.targetValue, 40);
    assert.deepEqual(after.items[1].proposals, []);
    assert.equal(after.items[0].linked, null);

    // Paged in the plan's order; a department's staff may not see the coordinator's proposals.
    const second = await ctx.app.inject({
      method: 'GET',
      url: `/api/plans/${planId}/target-links?limit=1&offset=1`,
      headers: auth(fgw),
    });
    assert.deepEqual(
      (second.json() as { items: { target: { id: string } }[] }).items.map((i) => i.target.id),
      [childcare.target.id],
    );
    const staff = await ctx.app.inject({
      method: 'GET',
      url: `/api/plans/${planId}/target-links`,
      headers: auth(await ctx.token('mzj')),
    });
    assert.equal(staff.statusCode, 403);
  } finally {
    await ctx.dispose();
  }
});
