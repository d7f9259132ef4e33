import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { TargetNeedAnswer } from '../analysis/index.js';
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
  method: string;
  gap: number;
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
  // The bundled district's instance is small: HiGHS proves the optimum well inside its 2 s budget.
  assert.equal(body.method, 'exact');
  assert.equal(body.gap, 0);
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

type Need = TargetNeedAnswer;

test('what a coverage target takes: the communities missing, and new sites that bring them in (checked by what-if)', async () => {
  // The city's coverage now, as the indicator board has it: C of N communities within the day-care radius.
  const board = await call<{
    items: { code: string; values: { regionCode: string; numerator: number; denominator: number }[] }[];
  }>('GET', '/api/indicators');
  const value = board.body.items
    .find((i) => i.code === 'community-elderly-care-coverage')
    ?.values.find((v) => v.regionCode === '5101');
  assert.ok(value);
  const [covered, all] = [value.numerator, value.denominator];
  // A target five communities above today: (C + 5) / N, as a percentage.
  const set = await call<{ id: number }>('POST', '/api/indicator-targets', {
    indicatorCode: 'community-elderly-care-coverage',
    regionCode: '5101',
    comparator: 'gte',
    targetValue: ((covered + 5) * 100) / all,
    deadlineYear: 2027,
  });
  assert.equal(set.status, 201, JSON.stringify(set.body));
  const { status, body } = await call<Need>('GET', `/api/planning/target-need?target=${set.body.id}`);
  assert.equal(status, 200, JSON.stringify(body));
  assert.deepEqual(
    [body.communities, body.covered, body.required, body.missing, body.stillMissing, body.reachable],
    [all, covered, covered + 5, 5, 5, true],
  );
  assert.deepEqual(body.planned, { facilities: 0, placed: 0, newlyCovered: 0 });
  assert.equal(body.facilitiesNeeded, body.picks.length);
  assert.ok(body.picks.length >= 1 && body.picks.length <= 5);
  // The picks bring in the five, and no shorter prefix does (greedy stops as soon as the target is met).
  const brought = body.picks.map((p) => p.newlyCovered);
  assert.ok(brought.reduce((s, n) => s + n, 0) >= 5);
  assert.ok(brought.slice(0, -1).reduce((s, n) => s + n, 0) < 5);
  // Checked by another path: the what-if of adding the picks covers at least five more communities.
  const whatIf = await call<WhatIf>('POST', '/api/planning/what-if', {
    type: 'elderly-daycare',
    add: body.picks.map((p) => ({ lon: p.lon, lat: p.lat })),
  });
  assert.equal(whatIf.status, 200, JSON.stringify(whatIf.body));
  assert.ok(whatIf.body.after.coveredCommunities - whatIf.body.before.coveredCommunities >= 5);

  // A planned project (拟建) where the first pick is: it brings that pick's communities in, and the sites asked
  // for are those still needed after it.
  const first = body.picks[0]!;
  const admin = await call<unknown>('POST', '/api/facilities', {
    code: 'TEST-PLANNED-1',
    name: '测试拟建日间照料中心（虚构）',
    typeCode: 'elderly-daycare',
    location: { lon: first.lon, lat: first.lat },
    address: null,
    regionCode: '510104',
    capacity: 30,
    affordable: true,
    status: 'planned',
    providerUscc: null,
  });
  assert.equal(admin.status, 201, JSON.stringify(admin.body));
  // The map's evaluation reads the store again with a new run.
  assert.equal((await call<unknown>('POST', '/api/analysis/runs', { kind: 'coverage' })).status, 201);
  const after = await call<Need>('GET', `/api/planning/target-need?target=${set.body.id}`);
  assert.equal(after.status, 200, JSON.stringify(after.body));
  assert.deepEqual(after.body.planned, { facilities: 1, placed: 1, newlyCovered: first.newlyCovered });
  assert.equal(after.body.covered, covered, 'a planned project serves nobody today');
  assert.equal(after.body.stillMissing, Math.max(0, 5 - first.newlyCovered));
  assert.equal(after.body.facilitiesNeeded, after.body.picks.length);
  assert.ok(after.body.picks.length <= body.picks.length - 1);

  // Only walking-coverage indicators with a lower bound are computed.
  const reported = await call<{ id: number }>('POST', '/api/indicator-targets', {
    indicatorCode: 'doctors-per-1000',
    regionCode: '5101',
    comparator: 'gte',
    targetValue: 3.5,
    deadlineYear: 2027,
  });
  const refused = await call<unknown>('GET', `/api/planning/target-need?target=${reported.body.id}`);
  assert.equal(refused.status, 400);
  assert.match(refused.body.error?.message ?? '', /not a walking-coverage indicator/);
  const missingTarget = await call<unknown>('GET', '/api/planning/target-need?target=999999');
  assert.equal(missingTarget.status, 404);
});
