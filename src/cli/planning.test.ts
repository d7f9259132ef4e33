import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startPlatform, type Started } from './start-command.js';

/** The planner's API (gaps, siting, what-if) on the bundled Chengdu data, through the real server. */
const PASSWORD = 'planning-test-password-1';
let dir: string;
let started: Started;
let token: string;

interface Gaps {
  uncoveredCommunities: number;
  uncoveredDemand: number;
  gaps: { code: string; name: string; demand: number; nearestM: number | null; lon: number; lat: number }[];
}
interface Siting {
  candidates: number;
  uncoveredBefore: number;
  uncoveredAfter: number;
  picks: { rank: number; gain: number; cumulative: number; communities: { code: string }[] }[];
}
interface WhatIf {
  before: { coveredCommunities: number; coveredDemand: number };
  after: { coveredCommunities: number; coveredDemand: number };
  steps: { newlyCovered: { code: string }[]; newlyUncovered: { code: string }[] }[];
}

async function call<T>(method: string, path: string, body?: unknown, auth = token) {
  const res = await fetch(started.url + path, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(auth ? { authorization: `Bearer ${auth}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return {
    status: res.status,
    body: (await res.json()) as T & { error?: { code: string; message: string } },
  };
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lifecircle-planning-'));
  started = await startPlatform({
    port: 0,
    db: join(dir, 'lifecircle.db'),
    env: { LIFECIRCLE_ADMIN_PASSWORD: PASSWORD },
  });
  const res = await call<{ token: string }>(
    'POST',
    '/api/auth/login',
    { username: 'admin', password: PASSWORD },
    '',
  );
  token = res.body.token;
});

after(async () => {
  await started?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('gaps list uncovered communities with the most demand first, and agree with the community detail', async () => {
  const { status, body } = await call<Gaps>('GET', '/api/planning/gaps?type=kindergarten&top=50');
  assert.equal(status, 200, JSON.stringify(body));
  assert.ok(body.uncoveredCommunities > 0);
  assert.ok(body.gaps.length > 0 && body.gaps.length <= 50);
  for (let i = 1; i < body.gaps.length; i++) assert.ok(body.gaps[i - 1].demand >= body.gaps[i].demand);
  const first = body.gaps[0];
  const detail = await call<{ types: { typeId: string; covered: boolean; nearestM: number | null }[] }>(
    'GET',
    `/api/map/communities/${encodeURIComponent(first.code)}`,
  );
  const kindergarten = detail.body.types.find((t) => t.typeId === 'kindergarten');
  assert.equal(kindergarten?.covered, false);
  assert.equal(
    kindergarten?.nearestM === null ? null : Math.round(kindergarten.nearestM),
    first.nearestM === null ? null : Math.round(first.nearestM),
  );
});

test('siting k facilities lowers uncovered demand by the sum of the picks’ gains', async () => {
  const { status, body } = await call<Siting>('POST', '/api/planning/siting', {
    type: 'kindergarten',
    count: 3,
  });
  assert.equal(status, 200, JSON.stringify(body));
  assert.equal(body.picks.length, 3);
  assert.ok(body.candidates > 100);
  const gains = body.picks.reduce((s, p) => s + p.gain, 0);
  assert.ok(Math.abs(body.uncoveredBefore - body.uncoveredAfter - gains) <= 3, 'rounding of three gains');
  for (let i = 1; i < body.picks.length; i++) assert.ok(body.picks[i - 1].gain >= body.picks[i].gain);
  assert.ok(body.picks.every((p) => p.communities.length > 0));
});

test('a kindergarten added where a gap is covers that community and never uncovers one', async () => {
  const gaps = (await call<Gaps>('GET', '/api/planning/gaps?type=kindergarten&top=5')).body;
  const target = gaps.gaps[0];
  const { status, body } = await call<WhatIf>('POST', '/api/planning/what-if', {
    type: 'kindergarten',
    add: [{ lon: target.lon, lat: target.lat }],
  });
  assert.equal(status, 200, JSON.stringify(body));
  assert.ok(body.steps[0].newlyCovered.some((c) => c.code === target.code));
  assert.deepEqual(body.steps[0].newlyUncovered, []);
  assert.equal(
    body.after.coveredCommunities,
    body.before.coveredCommunities + body.steps[0].newlyCovered.length,
  );
  assert.ok(body.after.coveredDemand > body.before.coveredDemand);
});

test('planning needs a planner login, names unknown types and refuses empty scenarios', async () => {
  const anonymous = await call<unknown>('GET', '/api/planning/gaps?type=kindergarten', undefined, '');
  assert.equal(anonymous.status, 401);
  const unknown = await call<unknown>('GET', '/api/planning/gaps?type=no-such-type');
  assert.equal(unknown.status, 404);
  assert.match(unknown.body.error?.message ?? '', /no-such-type/);
  const nothing = await call<unknown>('POST', '/api/planning/what-if', { type: 'kindergarten' });
  assert.equal(nothing.status, 400);
  const far = await call<unknown>('POST', '/api/planning/what-if', {
    type: 'kindergarten',
    add: [{ lon: 116.3975, lat: 39.9087 }],
  });
  assert.equal(far.status, 400);
  assert.match(far.body.error?.message ?? '', /walkable/);
});
