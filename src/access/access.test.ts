import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EARTH_RADIUS_M } from '../geo/index.js';
import { importOsmNetwork, type WalkGraph } from '../network/index.js';
import type { Community, Facility } from '../places/index.js';
import {
  FACILITY_TYPES,
  MOFCOM_FORMATS,
  applyCityConfig,
  parseCityConfig,
  type Standards,
} from '../standards/index.js';
import {
  evaluateAccess,
  findGaps,
  gaussianDecay,
  rollUp,
  siteFacilities,
  snapCandidates,
  candidateCoverage,
  checkCompleteCommunity,
  evaluateFormats,
  WhatIfScenario,
  type Evaluation,
} from './index.js';
import { EdgeIndex } from '../network/index.js';

// One unit of the line street: 0.001° of longitude on the equator.
const U = (EARTH_RADIUS_M * Math.PI) / 180 / 1000;
const SNAP = { minComponentNodes: 1 };
const lineStreet = importOsmNetwork('src/access/fixtures/line-street.osm');

function community(name: string, node: number, all: number, young: number, sub = 'S1'): Community {
  return {
    id: name,
    name,
    code: undefined,
    district: 'D1',
    subdistrict: sub,
    lon: node / 1000,
    lat: 0,
    ring: undefined,
    areaM2: undefined,
    demand: { all, age0to2: young, age3to5: young, age6to11: 0, age12to14: 0, age60plus: 0, age80plus: 0 },
    populationEstimated: false,
    ageGroupsEstimated: false,
    source: 'test',
  };
}

function facility(id: string, typeId: string, node: number, capacity?: number): Facility {
  return { id, typeId, name: id, lon: node / 1000, lat: 0, capacity, source: 'test' };
}

/** Only kindergarten (radius and catchment 340 m = 3u + 6 m) and nursery (150 m = 1u + 39 m) switched on. */
function standards(extra: Record<string, unknown> = {}): Standards {
  const facilityTypes: Record<string, unknown> = Object.fromEntries(
    FACILITY_TYPES.map((t) => [t.id, { enabled: false }]),
  );
  facilityTypes.kindergarten = { radiusM: 340, catchmentM: 340 };
  facilityTypes.nursery = { radiusM: 150, ...(extra.nursery as object) };
  return applyCityConfig(parseCityConfig(JSON.stringify({ facilityTypes }), 'test.json'), 'test.json');
}

// A at n0 (100 people, 10 children per group), B at n2 (200, 20), C at n6 (300, 30).
const COMMUNITIES = [
  community('A', 0, 100, 10),
  community('B', 2, 200, 20),
  community('C', 6, 300, 30, 'S2'),
];
// Kindergartens at n1 (capacity 30) and n5 (60); a nursery at n1 without a capacity (the default applies).
const FACILITIES = [
  facility('K1', 'kindergarten', 1, 30),
  facility('K2', 'kindergarten', 5, 60),
  facility('N1', 'nursery', 1),
];

async function evaluateLine(
  s: Standards = standards(),
  facilities = FACILITIES,
): Promise<[WalkGraph, Evaluation]> {
  const graph = await lineStreet;
  return [graph, evaluateAccess({ graph, standards: s, communities: COMMUNITIES, facilities, snap: SNAP })];
}

const byId = (e: Evaluation, id: string) => {
  const t = e.types.find((x) => x.type.id === id);
  assert.ok(t, id);
  return t;
};

test('coverage: nearest walking distance, count within the radius and covered, worked by hand', async () => {
  const [, e] = await evaluateLine();
  const k = byId(e, 'kindergarten');
  // A–K1 1u; B–K1 1u, B–K2 3u; C–K2 1u (C–K1 5u is outside 340 m).
  assert.deepEqual(
    Array.from(k.nearestM, (d) => Math.round(d / U)),
    [1, 1, 1],
  );
  assert.ok(Math.abs(k.nearestM[0] - U) < 1e-6);
  assert.deepEqual(Array.from(k.countWithinRadius), [1, 2, 1]);
  assert.deepEqual(Array.from(k.covered), [1, 1, 1]);
  const n = byId(e, 'nursery');
  assert.deepEqual(Array.from(n.covered), [1, 1, 0]);
  assert.ok(Math.abs(n.nearestM[2] - 5 * U) < 1e-6);
});

test('2SFCA: R_j = S_j / Σ D_k and A_i = Σ R_j within the catchment, worked by hand', async () => {
  const [, e] = await evaluateLine();
  const k = byId(e, 'kindergarten');
  // K1 reaches A and B: 30 / (10 + 20) = 1. K2 reaches B (3u = 333.6 m ≤ 340) and C: 60 / (20 + 30) = 1.2.
  assert.deepEqual(
    Array.from(k.fca.ratio, (r) => Number(r.toFixed(12))),
    [1, 1.2],
  );
  // A: 1. B: 1 + 1.2. C: 1.2.
  assert.deepEqual(
    Array.from(k.fca.accessibility, (a) => Number(a.toFixed(12))),
    [1, 2.2, 1.2],
  );
});

test('E2SFCA: the Gaussian weight is 1 at 0, 0 at the catchment, 0.7014 at half of it', () => {
  assert.equal(gaussianDecay(0, 340), 1);
  assert.equal(gaussianDecay(340, 340), 0);
  assert.equal(gaussianDecay(341, 340), 0);
  assert.ok(Math.abs(gaussianDecay(170, 340) - 0.70137) < 1e-5);
});

test('E2SFCA on the line street, worked by hand with the Gaussian weights', async () => {
  const [, e] = await evaluateLine();
  const k = byId(e, 'kindergarten');
  const w = (d: number) => (Math.exp(-0.5 * (d / 340) ** 2) - Math.exp(-0.5)) / (1 - Math.exp(-0.5));
  const w1 = w(U);
  const w3 = w(3 * U);
  const r1 = 30 / (w1 * 10 + w1 * 20);
  const r2 = 60 / (w3 * 20 + w1 * 30);
  const expected = [w1 * r1, w1 * r1 + w3 * r2, w1 * r2];
  k.e2sfca.accessibility.forEach((a, i) => assert.ok(Math.abs(a - expected[i]) < 1e-9, `community ${i}`));
});

test('capacity comes from the data where given, else the type default', async () => {
  const [, e] = await evaluateLine();
  const n = byId(e, 'nursery');
  assert.deepEqual(Array.from(n.capacity), [n.type.defaultCapacity.value]);
  assert.deepEqual(Array.from(n.capacityFromData), [0]);
  assert.deepEqual(Array.from(byId(e, 'kindergarten').capacityFromData), [1, 1]);
});

test('completeness: C misses the nursery at every tier', async () => {
  const [, e] = await evaluateLine();
  for (const tier of e.completeness) {
    assert.deepEqual(tier.required, ['kindergarten', 'nursery']);
    assert.deepEqual(tier.missing, [[], [], ['nursery']]);
  }
});

test('completeness adds requirements up across tiers (GB 50180-2018 条文说明 5.0.2)', async () => {
  const [, e] = await evaluateLine(standards({ nursery: { tier: 'ten-minute' } }));
  const [five, ten, fifteen] = e.completeness;
  assert.deepEqual(five.required, ['kindergarten']);
  assert.deepEqual(five.missing[2], []);
  assert.deepEqual(ten.missing[2], ['nursery']);
  assert.deepEqual(fifteen.missing[2], ['nursery']);
});

test('roll-ups: share of communities and of demand covered per 街道 and city', async () => {
  const [, e] = await evaluateLine();
  const [city] = rollUp(e, 'city');
  const nursery = city.types.find((t) => t.typeId === 'nursery');
  assert.ok(nursery);
  assert.equal(nursery.coveredCommunities, 2);
  assert.equal(nursery.communityShare, 2 / 3);
  assert.equal(nursery.demandShare, 30 / 60);
  assert.equal(city.tiers[0].completeCommunities, 2);
  assert.equal(city.tiers[0].populationShare, 300 / 600);
  const subs = rollUp(e, 'subdistrict');
  assert.deepEqual(
    subs.map((s) => [s.key, s.tiers[0].communityShare]),
    [
      ['D1/S1', 1],
      ['D1/S2', 0],
    ],
  );
});

test('gaps: the uncovered communities of a type, most demand first', async () => {
  const [, e] = await evaluateLine();
  const nursery = findGaps(e).find((g) => g.typeId === 'nursery');
  assert.ok(nursery);
  assert.equal(nursery.uncoveredDemand, 30);
  assert.deepEqual(
    nursery.gaps.map((g) => g.communityId),
    ['C'],
  );
});

test('what-if: adding a nursery next to C covers it; removing it restores the start', async () => {
  const [graph, e] = await evaluateLine();
  const scenario = new WhatIfScenario(graph, e);
  const added = scenario.add('nursery', { lon: 0.006, lat: 0, capacity: 50 });
  assert.deepEqual(added.newlyCovered, ['C']);
  assert.equal(added.after.coveredCommunities, 3);
  assert.equal(added.after.demandShare, 1);
  // The new nursery serves C alone: R = 50 / 30.
  assert.ok(Math.abs(scenario.current('nursery').fca[2] - 50 / 30) < 1e-12);
  const removed = scenario.remove('nursery', added.facilityId);
  assert.deepEqual(removed.newlyUncovered, ['C']);
  assert.deepEqual(removed.after, added.before);
  assert.ok(Math.abs(scenario.current('nursery').nearestM[2] - 5 * U) < 1e-6);
});

test('what-if equals a full re-evaluation: moving kindergarten K2 from n5 to n7', async () => {
  const [graph, e] = await evaluateLine();
  const scenario = new WhatIfScenario(graph, e);
  scenario.move('kindergarten', 'K2', { lon: 0.007, lat: 0 });
  const [, full] = await evaluateLine(standards(), [
    FACILITIES[0],
    facility('K2', 'kindergarten', 7, 60),
    FACILITIES[2],
  ]);
  const now = scenario.current('kindergarten');
  const k = byId(full, 'kindergarten');
  assert.deepEqual(Array.from(now.covered), Array.from(k.covered));
  now.fca.forEach((a, i) => assert.ok(Math.abs(a - k.fca.accessibility[i]) < 1e-12));
  now.e2sfca.forEach((a, i) => assert.ok(Math.abs(a - k.e2sfca.accessibility[i]) < 1e-12));
  now.nearestM.forEach((d, i) => assert.ok(Math.abs(d - k.nearestM[i]) < 1e-9));
});

// Siting instance: demand 10 at n0, 20 at n2, 25 at n4, 40 at n7, 15 at n9; radius 120 m (1u, not 2u).
async function sitingInstance() {
  const graph = await lineStreet;
  const people = [
    community('P0', 0, 10, 0),
    community('P2', 2, 20, 0),
    community('P4', 4, 25, 0),
    community('P7', 7, 40, 0),
    community('P9', 9, 15, 0),
  ];
  const e = evaluateAccess({
    graph,
    standards: standards(),
    communities: people,
    facilities: [],
    snap: SNAP,
  });
  const { candidates } = snapCandidates(
    new EdgeIndex(graph),
    Array.from({ length: 11 }, (_, n) => ({ lon: n / 1000, lat: 0 })),
    SNAP,
  );
  return {
    graph,
    placed: e.placedCommunities,
    candidates,
    uncoveredDemand: [10, 20, 25, 40, 15],
    radiusM: 120,
  };
}

test('siting: greedy picks n8 (55) then n3 (45) then a site by n0 (10), with marginal gains', async () => {
  const input = await sitingInstance();
  const result = siteFacilities({ ...input, k: 3 });
  assert.deepEqual(
    result.picks.slice(0, 2).map((p) => Math.round(p.lon * 1000)),
    [8, 3],
  );
  assert.ok([0, 1].includes(Math.round(result.picks[2].lon * 1000)));
  assert.deepEqual(
    result.picks.map((p) => p.gain),
    [55, 45, 10],
  );
  assert.equal(result.uncoveredAfter, 0);
  assert.ok(result.evaluations < 11 * 3, 'lazy evaluation re-evaluates fewer than candidates × k');
});

test('siting with capacity 50: the first site serves 50 of the 55 around n8, nearest first', async () => {
  const input = await sitingInstance();
  const result = siteFacilities({ ...input, k: 3, capacity: 50 });
  assert.deepEqual(
    result.picks.map((p) => p.gain),
    [50, 45, 10],
  );
  assert.equal(Math.round(result.picks[0].lon * 1000), 8);
});

test('candidate coverage lists each candidate’s communities within the radius, nearest first', async () => {
  const input = await sitingInstance();
  const coverage = candidateCoverage(input.graph, input.placed, input.candidates, input.radiusM);
  // Candidate n3 covers P2 and P4 (community 1 and 2), both 1u away.
  assert.deepEqual(Array.from(coverage.community.subarray(coverage.start[3], coverage.start[4])), [1, 2]);
});

test('complete-community checklist: an item is met where one of its types is covered; utilities are not checkable', async () => {
  const [, e] = await evaluateLine();
  const results = checkCompleteCommunity(e.types, e.communities.length);
  const nursery = results.find((r) => r.item.id === 'nursery');
  assert.ok(nursery);
  assert.deepEqual(Array.from(nursery.met), [1, 1, 0]);
  const elderly = results.find((r) => r.item.id === 'elderly-station');
  assert.equal(elderly?.checkable, false, 'elderly-daycare is switched off in this configuration');
  assert.equal(results.find((r) => r.item.id === 'utilities')?.checkable, false);
});

test('商务部 formats: a pharmacy counts within its 8-minute ladder time at the walking speed', async () => {
  const graph = await lineStreet;
  const pharmacy: Facility = { ...facility('P1', 'mofcom:pharmacy', 1) };
  const run = (s: Standards) => {
    const e = evaluateAccess({ graph, standards: s, communities: COMMUNITIES, facilities: [], snap: SNAP });
    return evaluateFormats(
      graph,
      new EdgeIndex(graph),
      e.placedCommunities,
      [pharmacy],
      s,
      MOFCOM_FORMATS,
      SNAP,
    );
  };
  // 8 min × 60 m/min = 480 m: A (1u) and B (1u) reach it, C (5u = 556 m) does not.
  const atSixty = run(standards()).formats.find((f) => f.format.id === 'pharmacy');
  assert.equal(atSixty?.radiusM, 480);
  assert.deepEqual(Array.from(atSixty?.present ?? []), [1, 1, 0]);
  // At 70 m/min: 560 m, and C reaches it.
  const fast = applyCityConfig(parseCityConfig('walkingSpeedMPerMin: 70', 'fast.yaml'), 'fast.yaml');
  const atSeventy = run(fast);
  assert.deepEqual(
    Array.from(atSeventy.formats.find((f) => f.format.id === 'pharmacy')?.present ?? []),
    [1, 1, 1],
  );
  assert.deepEqual(Array.from(atSeventy.basicPresent), [1, 1, 1]);
});
