import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startPlatform, type Started } from './start-command.js';

/**
 * Issue 5's "computed indicators update when the analysis reruns", end to end over the real platform: bundled
 * central-Chengdu data, the engine's first run, a nursery added through the API, a rerun through the API.
 */

const PASSWORD = 'indicators-test-password-1';
let dir: string;
let started: Started;
let token: string;

interface Value {
  regionCode: string;
  regionName: string;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  missing: string[];
  provenance: { kind: string; runId?: number };
}
interface Board {
  regions: { code: string; name: string; level: string }[];
  items: { code: string; kind: string; values: Value[] }[];
}

async function call<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(started.url + path, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T };
}

const valueOf = (board: Board, code: string, region: string): Value | undefined =>
  board.items.find((i) => i.code === code)?.values.find((v) => v.regionCode === region);

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lifecircle-indicators-'));
  started = await startPlatform({
    port: 0,
    db: join(dir, 'lifecircle.db'),
    env: { LIFECIRCLE_ADMIN_PASSWORD: PASSWORD },
  });
  const res = await fetch(`${started.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: PASSWORD }),
  });
  token = ((await res.json()) as { token: string }).token;
});

after(async () => {
  await started?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('the first run stores every computed indicator per district and city, with the run as provenance', async () => {
  const runs = await started.store.analysisRuns.list({ kind: 'coverage' });
  const runId = runs.items[0].id;
  const { body: board } = await call<Board>('GET', '/api/indicators');
  const districts = board.regions.filter((r) => r.level === 'district');
  assert.ok(districts.length >= 5, `expected the districts of 成都, got ${districts.length}`);
  const coverage = board.items.find((i) => i.code === 'community-childcare-coverage');
  assert.ok(coverage && coverage.values.length > 1, 'coverage computed for the city and districts');
  for (const v of coverage.values) {
    assert.deepEqual(v.provenance, { kind: 'analysis', runId });
    assert.ok(v.value !== null && v.denominator !== null && v.numerator !== null);
    assert.equal(v.value, (100 * v.numerator) / v.denominator);
  }
  // The city's counts are the sum of the districts' (every bundled community lies in a district).
  const city = valueOf(board, 'community-childcare-coverage', '5101') as Value;
  const sum = coverage.values
    .filter((v) => v.regionCode !== '5101')
    .reduce((s, v) => s + (v.denominator ?? 0), 0);
  assert.equal(city.denominator, sum);
  assert.equal(city.denominator, await started.store.communities.count());
  // No sports areas in the register: no number, the missing input named.
  const sports = valueOf(board, 'sports-area-per-capita', '5101') as Value;
  assert.equal(sports.value, null);
  assert.deepEqual(sports.missing, ['sportsAreaM2']);
  // Reported indicators are never computed.
  assert.equal(board.items.find((i) => i.code === 'resident-satisfaction')?.values.length, 0);
});

test('adding a nursery near uncovered communities and rerunning the analysis updates the indicator and its run', async () => {
  const { body: layer } = await call<{ features: { properties: Record<string, unknown> }[] }>(
    'GET',
    '/api/map/communities',
  );
  const uncovered = layer.features.find((f) => f.properties['c:nursery'] === 0);
  assert.ok(uncovered, 'some bundled community lacks a nursery within its radius');
  const { body: community } = await call<{ regionCode: string; location: { lon: number; lat: number } }>(
    'GET',
    `/api/communities/${encodeURIComponent(String(uncovered.properties.code))}`,
  );
  const district = community.regionCode.slice(0, 6);
  const { body: before } = await call<Board>('GET', '/api/indicators');
  const old = valueOf(before, 'community-childcare-coverage', district) as Value;

  const added = await call('POST', '/api/facilities', {
    code: 'TEST-NURSERY-1',
    name: '测试托育园',
    typeCode: 'nursery',
    location: community.location,
    address: null,
    regionCode: district,
    capacity: 60,
    affordable: true,
    status: 'open',
    providerUscc: null,
  });
  assert.equal(added.status, 201, JSON.stringify(added.body));
  // Until the analysis reruns, the board still shows the old run's value.
  const { body: stale } = await call<Board>('GET', '/api/indicators');
  assert.deepEqual(valueOf(stale, 'community-childcare-coverage', district), old);

  const rerun = await call<{ id: number }>('POST', '/api/analysis/runs', { kind: 'coverage' });
  assert.equal(rerun.status, 201);
  const { body: after } = await call<Board>('GET', '/api/indicators');
  const fresh = valueOf(after, 'community-childcare-coverage', district) as Value;
  assert.deepEqual(fresh.provenance, { kind: 'analysis', runId: rerun.body.id });
  assert.ok((fresh.numerator ?? 0) > (old.numerator ?? 0), `${fresh.numerator} > ${old.numerator}`);
  assert.ok((fresh.value ?? 0) > (old.value ?? 0));
  // History is kept: both runs' values are listed.
  const { body: history } = await call<{ items: Value[] }>(
    'GET',
    `/api/indicators/community-childcare-coverage/values?region=${district}`,
  );
  assert.deepEqual(
    history.items.map((v) => v.provenance.runId),
    [rerun.body.id, old.provenance.runId],
  );
  const audit = await started.store.audit.list({
    entity: 'indicator_values',
    entityKey: `run:${rerun.body.id}`,
  });
  assert.equal(audit.total, 1);
  // A refresh over unchanged inputs reuses the run and stores nothing twice.
  const stored = await started.store.indicators.countForRun(rerun.body.id);
  const again = await started.engine.refresh();
  assert.deepEqual([again.reused, again.run.id], [true, rerun.body.id]);
  assert.equal(await started.store.indicators.countForRun(rerun.body.id), stored);
});
