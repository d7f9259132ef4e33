import { openCityTemporaryStore } from '../cities/index.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { openTemporaryStore, type Store } from '../store/index.js';
import { addDefaultFacilityTypes } from '../registry/index.js';
import { cliViewer } from '../policy/index.js';
import { manualClock } from '../time/index.js';
import { buildApp, type App } from './app.js';
import type { JobAnswer } from './route-jobs.js';
import { hashPassword } from './passwords.js';
import { createTestUsers, loginToken } from './test-support.js';

const PASSWORD = 'correct horse battery';
const CSV = { 'content-type': 'text/csv' };
const CLOCK = manualClock('2026-03-16T10:00:00+08:00');

async function setup(): Promise<{
  app: App;
  store: Store;
  headers: (user: string) => Promise<Record<string, string>>;
  dispose: () => Promise<void>;
}> {
  const tmp = await openCityTemporaryStore({ clock: CLOCK });
  const { store } = tmp;
  await addDefaultFacilityTypes({ store, clock: CLOCK, cityCode: '5101' }, cliViewer('test'), {});
  await createTestUsers(
    store,
    [
      { username: 'admin', role: 'administrator' },
      { username: 'jinjiang', role: 'staff', department: '锦江区民政局', regionCode: '510104' },
    ],
    await hashPassword(PASSWORD, { N: 2 ** 10 }),
  );
  const app = await buildApp({
    store,
    cityCode: '5101',
    clock: CLOCK,
    rateLimits: { imports: { max: 1000, timeWindow: 60_000 } },
  });
  return {
    app,
    store,
    headers: async (user) => ({
      authorization: `Bearer ${await loginToken(app, user, PASSWORD)}`,
    }),
    dispose: async () => {
      await app.close();
      await tmp.dispose();
    },
  };
}

/** A synthetic pharmacy register of `n` rows in central Chengdu (names and codes made up, labelled TEST). */
function pharmacies(n: number, bad?: number): string {
  const lines = ['设施编码,设施名称,设施类型,经度,纬度'];
  for (let i = 0; i < n; i++) {
    const lon = 104.03 + (i % 200) * 0.0004;
    const lat = 30.62 + Math.floor(i / 200) * 0.0004;
    lines.push(`TEST-${i},测试药店${i},药店,${lon.toFixed(6)},${i === bad ? 'north' : lat.toFixed(6)}`);
  }
  return lines.join('\n');
}

async function job(app: App, headers: Record<string, string>, id: number): Promise<JobAnswer> {
  const res = await app.inject({ url: `/api/jobs/${id}`, headers });
  assert.equal(res.statusCode, 200, res.body);
  return res.json<JobAnswer>();
}

/** Polls the job until `until` holds for it (or it ends), recording every phase seen. */
async function follow(
  app: App,
  headers: Record<string, string>,
  id: number,
  until: (j: JobAnswer) => boolean = () => false,
): Promise<{ last: JobAnswer; phases: Set<string> }> {
  const phases = new Set<string>();
  for (;;) {
    const last = await job(app, headers, id);
    if (last.progress.phase) phases.add(last.progress.phase);
    if (until(last) || last.finishedAt) return { last, phases };
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

test('an import sent with Prefer: respond-async answers 202 at once; the job reports its phases and ends with the outcome', async () => {
  const ctx = await setup();
  const headers = await ctx.headers('admin');
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/api/facilities/import?fileName=药店.csv',
    headers: { ...headers, ...CSV, prefer: 'respond-async' },
    payload: pharmacies(3000),
  });
  assert.equal(res.statusCode, 202, res.body);
  assert.equal(res.headers['preference-applied'], 'respond-async');
  const queued = res.json<JobAnswer>();
  assert.equal(res.headers.location, `/api/jobs/${queued.id}`);
  assert.equal(queued.kind, 'registry.import');
  assert.equal(queued.title, 'facilities ← 药店.csv');
  assert.equal(queued.import, null);

  const { last, phases } = await follow(ctx.app, headers, queued.id);
  assert.equal(last.status, 'succeeded', JSON.stringify(last.error));
  assert.equal(last.progress.percent, 100);
  assert.ok(phases.has('writing') || phases.has('checking'), `phases seen: ${[...phases]}`);
  assert.equal(last.import?.accepted, true);
  assert.equal(last.import?.created, 3000);
  assert.equal(await ctx.store.facilities.count(), 3000);
  // The full report is the import's, as for a waiting import.
  const report = await ctx.app.inject({ url: `/api/imports/${last.import?.importId}`, headers });
  assert.equal(report.json().report.created, 3000);
  // The stored job says the same as the live one did.
  const stored = await ctx.store.jobs.get(queued.id);
  assert.equal(stored?.status, 'succeeded');
  assert.equal(stored?.progress.phase, 'writing');
  await ctx.dispose();
});

test('while a job writes, the server answers other requests, which do not see its rows; a cancel rolls it all back', async () => {
  const ctx = await setup();
  const headers = await ctx.headers('jinjiang');
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/api/facilities/import?fileName=big.csv',
    headers: { ...headers, ...CSV, prefer: 'respond-async' },
    payload: pharmacies(30_000),
  });
  assert.equal(res.statusCode, 202, res.body);
  const { id } = res.json<JobAnswer>();
  const { last: writing } = await follow(
    ctx.app,
    headers,
    id,
    (j) => j.progress.phase === 'writing' && j.progress.done > 0,
  );
  assert.equal(writing.status, 'running', 'the write phase lasts long enough to be seen');
  // Reading and checking are 12 % of an import (src/jobs/kinds.ts); writing the rest.
  assert.ok(writing.progress.percent >= 12 && writing.progress.percent < 100, `${writing.progress.percent}`);
  // The worker holds the write lock now; this thread still reads, and sees nothing uncommitted.
  const health = await ctx.app.inject({ url: '/api/health' });
  assert.equal(health.statusCode, 200);
  const during = await ctx.app.inject({ url: '/api/facilities?limit=1', headers });
  assert.equal(during.json().total, 0);

  const cancel = await ctx.app.inject({ method: 'POST', url: `/api/jobs/${id}/cancel`, headers });
  assert.equal(cancel.statusCode, 202, cancel.body);
  assert.equal(cancel.json().cancelledBy, 'jinjiang');
  const { last } = await follow(ctx.app, headers, id);
  assert.equal(last.status, 'cancelled');
  assert.equal(last.error?.code, 'LC_CANCELLED');
  assert.equal(await ctx.store.facilities.count(), 0);
  const audit = await ctx.store.audit.list({ limit: 1000 });
  assert.deepEqual(
    audit.items
      .filter((e) => e.entity !== 'facility_types' && e.action !== 'login')
      .map((e) => [e.action, e.entity, e.entityKey]),
    [['cancel', 'jobs', String(id)]],
    'no import record survived the cancel; the cancel itself is audited',
  );
  // A second cancel of an ended job changes nothing.
  const again = await ctx.app.inject({ method: 'POST', url: `/api/jobs/${id}/cancel`, headers });
  assert.equal(again.json().status, 'cancelled');
  await ctx.dispose();
});

test('a rejected import fails its job with the report in brief; a waiting import answers 422 as before', async () => {
  const ctx = await setup();
  const headers = await ctx.headers('admin');
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/api/facilities/import?fileName=bad.csv',
    headers: { ...headers, ...CSV, prefer: 'respond-async' },
    payload: pharmacies(50, 7),
  });
  const { last } = await follow(ctx.app, headers, res.json<JobAnswer>().id);
  assert.equal(last.status, 'failed');
  assert.equal(last.error?.code, 'LC_IMPORT_REJECTED');
  assert.match(
    last.error?.message ?? '',
    /bad\.csv: 1 problem\(s\), nothing was imported; first: row 9, 纬度/,
  );
  assert.equal(last.import?.accepted, false);
  assert.equal(last.import?.problemCount, 1);
  const waiting = await ctx.app.inject({
    method: 'POST',
    url: '/api/facilities/import?fileName=bad.csv',
    headers: { ...headers, ...CSV },
    payload: pharmacies(50, 7),
  });
  assert.equal(waiting.statusCode, 422);
  assert.equal(waiting.json().error.details.report.problems[0].row, 9);
  assert.equal(await ctx.store.facilities.count(), 0);
  await ctx.dispose();
});

test('jobs are their starter’s: staff see and cancel only their own, administrators all', async () => {
  const ctx = await setup();
  const admin = await ctx.headers('admin');
  const staff = await ctx.headers('jinjiang');
  const started = await ctx.app.inject({
    method: 'POST',
    url: '/api/facilities/import?fileName=a.csv',
    headers: { ...admin, ...CSV },
    payload: pharmacies(10),
  });
  assert.equal(started.statusCode, 200, started.body);
  const [adminJob] = (await ctx.app.inject({ url: '/api/jobs', headers: admin })).json().items;
  assert.equal(adminJob.createdBy, 'admin');
  assert.equal(adminJob.status, 'succeeded');
  const other = await ctx.app.inject({ url: `/api/jobs/${adminJob.id}`, headers: staff });
  assert.equal(other.statusCode, 403);
  const cancel = await ctx.app.inject({
    method: 'POST',
    url: `/api/jobs/${adminJob.id}/cancel`,
    headers: staff,
  });
  assert.equal(cancel.statusCode, 403);
  assert.equal((await ctx.app.inject({ url: '/api/jobs', headers: staff })).json().total, 0);
  assert.equal((await ctx.app.inject({ url: '/api/jobs/999', headers: admin })).statusCode, 404);
  await ctx.dispose();
});

test('jobs a stopped server left queued or running end as cancelled when the next one starts', async () => {
  const tmp = await openTemporaryStore({ clock: CLOCK });
  const left = await tmp.store.jobs.create({
    kind: 'registry.import',
    title: 't',
    createdById: null,
    createdBy: 'x',
  });
  await tmp.store.jobs.update(left.id, { status: 'running', startedAt: '2026-03-16T01:00:00.000Z' });
  const app = await buildApp({ store: tmp.store, cityCode: '5101', clock: CLOCK });
  const after = await tmp.store.jobs.get(left.id);
  assert.equal(after?.status, 'cancelled');
  assert.equal(after?.error?.code, 'LC_CANCELLED');
  assert.match(after?.error?.message ?? '', /server stopped/);
  assert.equal(after?.finishedAt, CLOCK().toISOString());
  await app.close();
  await tmp.dispose();
});

test('a starting server leaves alone the jobs another live server on the same store is running', async () => {
  const tmp = await openTemporaryStore({ clock: CLOCK });
  const neighbours = await tmp.store.jobs.create({
    kind: 'registry.import',
    title: 'another server’s import',
    createdById: null,
    createdBy: 'x',
    runner: 'other-host:4242:abcdef',
  });
  await tmp.store.jobs.update(neighbours.id, { status: 'running', startedAt: '2026-03-16T01:00:00.000Z' });
  const stopped = await tmp.store.jobs.create({
    kind: 'registry.import',
    title: 'a stopped server’s import',
    createdById: null,
    createdBy: 'x',
    runner: 'gone-host:1:000000',
    heartbeatAt: new Date(Date.now() - 5 * 60_000).toISOString(),
  });
  const app = await buildApp({ store: tmp.store, cityCode: '5101', clock: CLOCK });
  assert.equal((await tmp.store.jobs.get(neighbours.id))?.status, 'running');
  assert.equal((await tmp.store.jobs.get(stopped.id))?.status, 'cancelled');
  // The neighbour's heartbeat keeps its job alive; a heartbeat from nobody changes nothing.
  assert.equal(await tmp.store.jobs.heartbeat('other-host:4242:abcdef', new Date().toISOString()), 1);
  assert.equal(await tmp.store.jobs.heartbeat('nobody:0:000000', new Date().toISOString()), 0);
  await app.close();
  await tmp.dispose();
});

test("a new city's network is uploaded as a job with progress, and its coverage analysed on it; staff may not upload", async () => {
  const ctx = await setup();
  const headers = await ctx.headers('admin');
  const created = await ctx.app.inject({
    method: 'POST',
    url: '/api/cities',
    headers,
    payload: { code: '3101' },
  });
  assert.equal(created.statusCode, 200, created.body);
  // The synthetic grid of src/analysis/fixtures (inside 上海市's box; not a real place).
  const grid = readFileSync('src/analysis/fixtures/synthetic-grid.osm');
  const staff = await ctx.app.inject({
    method: 'PUT',
    url: '/api/cities/3101/network?fileName=grid.osm',
    headers: { ...(await ctx.headers('jinjiang')), 'content-type': 'application/xml' },
    payload: grid,
  });
  assert.equal(staff.statusCode, 403, staff.body);
  const none = await ctx.app.inject({ method: 'POST', url: '/api/cities/3101/analysis', headers });
  assert.equal(none.statusCode, 404, none.body);
  assert.match(none.json().error.message, /city 3101 has no walking network yet/);

  const res = await ctx.app.inject({
    method: 'PUT',
    url: '/api/cities/3101/network?fileName=grid.osm',
    headers: { ...headers, 'content-type': 'application/xml', prefer: 'respond-async' },
    payload: grid,
  });
  assert.equal(res.statusCode, 202, res.body);
  const queued = res.json<JobAnswer>();
  assert.equal(queued.kind, 'cities.importNetwork');
  assert.equal(queued.title, 'network 3101 ← grid.osm');
  const { last } = await follow(ctx.app, headers, queued.id);
  assert.equal(last.status, 'succeeded', JSON.stringify(last.error));
  assert.equal(last.progress.percent, 100);
  assert.equal(last.network?.network.summary.nodes, 64);
  assert.equal(last.network?.communitiesLoaded, 2);
  assert.equal(last.network?.facilitiesLoaded, 1);
  const kept = await ctx.app.inject({ url: '/api/cities/3101/network', headers });
  assert.equal(kept.json().network.fileName, 'grid.osm');
  assert.equal(kept.json().network.createdBy, 'admin');

  const analysed = await ctx.app.inject({ method: 'POST', url: '/api/cities/3101/analysis', headers });
  assert.equal(analysed.statusCode, 201, analysed.body);
  const summary = analysed.json();
  assert.equal(summary.cityCode, '3101');
  assert.equal(summary.communities, 2);
  const kindergarten = summary.types.find((t: { typeId: string }) => t.typeId === 'kindergarten');
  assert.deepEqual([kindergarten.coveredCommunities, kindergarten.communityShare], [1, 0.5]);
  // The whole city: its 小区 from OSM are not linked to a 区 yet, one group without a name.
  assert.deepEqual(
    summary.districts.map((d: { name: string | null; communities: number }) => [d.name, d.communities]),
    [[null, 2]],
  );
  const again = await ctx.app.inject({ url: `/api/analysis/runs/${summary.runId}/summary`, headers });
  assert.deepEqual(again.json(), summary);
  // The analysis of 成都 (the city this server plans for) is not touched: no 成都 run was stored.
  const runs = await ctx.store.analysisRuns.list({});
  assert.deepEqual(
    runs.items.map((r) => (r.parameters as { cityCode?: string }).cityCode),
    ['3101'],
  );
  await ctx.dispose();
});
