import { openCityTemporaryStore } from '../cities/index.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { addDefaultFacilityTypes } from '../registry/index.js';
import { cliViewer } from '../policy/index.js';
import { buildApp, type App } from './app.js';
import { hashPassword } from './passwords.js';
import { createTestUsers, loginToken } from './test-support.js';
import { openTemporaryStore, type Store, type TemporaryStore } from '../store/index.js';
import { systemClock } from '../time/index.js';
import { JobRunner } from '../jobs/index.js';

const PASSWORD = 'correct horse battery';

/** A synthetic pharmacy register of `n` rows (codes and names made up, labelled TEST). */
function pharmacies(n: number, prefix = 'Q'): string {
  const lines = ['设施编码,设施名称,设施类型,经度,纬度'];
  for (let i = 0; i < n; i++)
    lines.push(
      `TEST-${prefix}${i},测试药店${prefix}${i},药店,${(104.03 + (i % 100) * 4e-4).toFixed(6)},${(30.62 + Math.floor(i / 100) * 4e-4).toFixed(6)}`,
    );
  return lines.join('\n');
}

/** A server in queue mode over a fresh store, and an administrator's headers. */
async function queueServer(options: { queueWaitMs?: number } = {}): Promise<{
  temp: TemporaryStore;
  app: App;
  admin: Record<string, string>;
  dispose: () => Promise<void>;
}> {
  const temp = await openCityTemporaryStore();
  await addDefaultFacilityTypes(
    { store: temp.store, clock: systemClock, cityCode: '5101' },
    cliViewer('test'),
    {},
  );
  await createTestUsers(
    temp.store,
    [{ username: 'admin', role: 'administrator' }],
    await hashPassword(PASSWORD, { N: 2 ** 10 }),
  );
  const app = await buildApp({
    store: temp.store,
    cityCode: '5101',
    jobs: { mode: 'queue', pollMs: 50, queueWaitMs: options.queueWaitMs },
    rateLimits: { imports: { max: 1000, timeWindow: 60_000 } },
  });
  const admin = { authorization: `Bearer ${await loginToken(app, 'admin', PASSWORD)}` };
  return {
    temp,
    app,
    admin,
    dispose: async () => {
      await app.close();
      await temp.dispose();
    },
  };
}

/** A worker on its own connection to the same store, as `lifecircle worker` runs. */
async function startWorker(temp: TemporaryStore): Promise<{ store: Store; stop: () => Promise<void> }> {
  const store = await temp.reopen();
  const runner = await JobRunner.start({ store, clock: systemClock, cityCode: '' }, { threads: 1 });
  const controller = new AbortController();
  const working = runner.work(controller.signal, 20);
  return {
    store,
    stop: async () => {
      controller.abort();
      await working;
      await store.close();
    },
  };
}

test('queue mode: an import waits in the store until a worker takes it; the request gets the worker’s report', async () => {
  const ctx = await queueServer();
  try {
    const asked = await ctx.app.inject({
      method: 'POST',
      url: '/api/facilities/import?fileName=q.csv',
      headers: { ...ctx.admin, 'content-type': 'text/csv', prefer: 'respond-async' },
      payload: pharmacies(300),
    });
    assert.equal(asked.statusCode, 202, asked.body);
    const id = asked.json().id as number;
    // Nobody has taken it: it waits, with its input kept in the store.
    const [waiting] = await ctx.temp.query(
      'SELECT status, runner, input IS NOT NULL AS has_input FROM jobs WHERE id = ?',
      [id],
    );
    assert.deepEqual(
      [waiting!.status, waiting!.runner, Boolean(Number(waiting!.has_input))],
      ['queued', null, true],
    );

    const worker = await startWorker(ctx.temp);
    try {
      const waited = await ctx.app.inject({
        method: 'POST',
        url: '/api/facilities/import?fileName=q2.csv',
        headers: { ...ctx.admin, 'content-type': 'text/csv' },
        payload: pharmacies(200, 'R'),
      });
      assert.equal(waited.statusCode, 200, waited.body);
      assert.equal(waited.json().report.accepted, true);
      const first = await ctx.app.inject({ url: `/api/jobs/${id}`, headers: ctx.admin });
      assert.equal(first.json().status, 'succeeded', first.body);
      assert.equal(await ctx.temp.store.facilities.count(), 500);
      // Ended jobs keep no input: an import file may hold personal data.
      const rows = await ctx.temp.query(
        'SELECT count(*) AS n FROM jobs WHERE input IS NOT NULL OR context IS NOT NULL',
      );
      assert.equal(Number(rows[0]!.n), 0);
      const runners = await ctx.temp.query('SELECT DISTINCT runner FROM jobs');
      assert.equal(runners.length, 1, 'both ran in the worker, none in the server');
    } finally {
      await worker.stop();
    }
  } finally {
    await ctx.dispose();
  }
});

test('queue mode: a job nobody has taken is cancelled at once; without a worker a waiting request ends LC_BUSY', async () => {
  const ctx = await queueServer({ queueWaitMs: 300 });
  try {
    const asked = await ctx.app.inject({
      method: 'POST',
      url: '/api/facilities/import?fileName=c.csv',
      headers: { ...ctx.admin, 'content-type': 'text/csv', prefer: 'respond-async' },
      payload: pharmacies(10),
    });
    const id = asked.json().id as number;
    const cancel = await ctx.app.inject({
      method: 'POST',
      url: `/api/jobs/${id}/cancel`,
      headers: ctx.admin,
    });
    assert.equal(cancel.statusCode, 202, cancel.body);
    assert.equal(cancel.json().status, 'cancelled');
    assert.equal(cancel.json().cancelledBy, 'admin');
    assert.equal(
      await ctx.temp.store.jobs.claim('someone:1:000000', new Date().toISOString()),
      null,
      'nothing left to take',
    );

    const waited = await ctx.app.inject({
      method: 'POST',
      url: '/api/facilities/import?fileName=w.csv',
      headers: { ...ctx.admin, 'content-type': 'text/csv' },
      payload: pharmacies(10),
    });
    assert.equal(waited.statusCode, 503, waited.body);
    assert.match(
      waited.json().error.message,
      /waiting for a worker \(is `lifecircle worker` running\?\); follow it at \/api\/jobs\/\d+/,
    );
  } finally {
    await ctx.dispose();
  }
});

test('workers racing for queued jobs never take the same one', async () => {
  const temp = await openTemporaryStore();
  try {
    for (let i = 0; i < 20; i++)
      await temp.store.jobs.create({
        kind: 'registry.import',
        title: `t${i}`,
        createdById: null,
        createdBy: 'x',
        queued: { input: { n: i }, context: { viewer: null, cityCode: '5101' } },
      });
    const others = await Promise.all([temp.reopen(), temp.reopen()]);
    const stores = [temp.store, ...others];
    const taken: number[] = [];
    await Promise.all(
      stores.map(async (store, w) => {
        for (;;) {
          const claimed = await store.jobs.claim(`w${w}:1:000000`, new Date().toISOString());
          if (!claimed) return;
          assert.equal(claimed.job.status, 'running');
          assert.deepEqual(claimed.input, { n: Number(claimed.job.title.slice(1)) });
          taken.push(claimed.job.id);
        }
      }),
    );
    for (const s of others) await s.close();
    assert.equal(taken.length, 20);
    assert.equal(new Set(taken).size, 20);
  } finally {
    await temp.dispose();
  }
});

test('lifecircle worker, a process of its own, runs a queued import and stops on SIGTERM', async () => {
  const ctx = await queueServer();
  const env = { ...process.env };
  const args = ['bin/lifecircle.js', 'worker', '--idle-ms', '50'];
  if (ctx.temp.schema) {
    env.DATABASE_URL = ctx.temp.path;
    env.LIFECIRCLE_DB_SCHEMA = ctx.temp.schema;
  } else args.push('--db', ctx.temp.path);
  const worker = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  worker.stdout.on('data', (d: Buffer) => (out += d.toString()));
  worker.stderr.on('data', (d: Buffer) => (out += d.toString()));
  try {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/facilities/import?fileName=p.csv',
      headers: { ...ctx.admin, 'content-type': 'text/csv' },
      payload: pharmacies(250, 'P'),
    });
    assert.equal(res.statusCode, 200, `${res.body}\n${out}`);
    assert.equal(res.json().report.accepted, true);
    assert.equal(await ctx.temp.store.facilities.count(), 250);
    const [row] = await ctx.temp.query('SELECT runner FROM jobs');
    assert.match(String(row!.runner), new RegExp(`:${worker.pid}:`), 'the worker process ran it');
    worker.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => worker.once('exit', resolve));
    assert.equal(code, 0, out);
    assert.match(out, /worker \S+ taking jobs from .*\n[\s\S]*worker \S+ stopped/);
  } finally {
    if (worker.exitCode === null) worker.kill('SIGKILL');
    await ctx.dispose();
  }
});
