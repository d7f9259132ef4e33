import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EdgeIndex, importOsmNetwork, type NetworkLocation } from '../network/index.js';
import type { Community, Facility } from '../places/index.js';
import { FACILITY_TYPES, applyCityConfig, parseCityConfig, type Standards } from '../standards/index.js';
import {
  candidateCoverage,
  computeReach,
  evaluateAccess,
  siteFacilities,
  snapCandidates,
  WhatIfScenario,
  type Evaluation,
} from './index.js';

// Facilities exactly at the service radius, and 1 m beyond it, on a star of footways whose edges are whole
// metres exactly (fixtures/README.md): east 1 -300- 2 -200- 3, west 1 -301- 4 -200- 5, north 1 -500- 6.
const star = importOsmNetwork('src/access/fixtures/whole-metre-star.osm');
const SNAP = { minComponentNodes: 1 };
/** The star's nodes as [lon, lat], copied from the fixture. */
const NODE: Record<number, [number, number]> = {
  1: [0, 0],
  2: [0.002697961091173614, 0],
  3: [0.00449660181862269, 0],
  4: [-0.0027069542948108594, 0],
  5: [-0.0045055950222599355, 0],
  6: [0, 0.00449660181862269],
};

function community(id: string, node: number, young: number, pupils: number): Community {
  const [lon, lat] = NODE[node];
  return {
    id,
    name: id,
    code: undefined,
    district: 'D1',
    subdistrict: 'S1',
    lon,
    lat,
    ring: undefined,
    areaM2: undefined,
    demand: {
      all: 0,
      age0to2: 0,
      age3to5: young,
      age6to11: pupils,
      age12to14: 0,
      age60plus: 0,
      age80plus: 0,
    },
    populationEstimated: false,
    ageGroupsEstimated: false,
    source: 'test',
  };
}

function facility(id: string, typeId: string, node: number, capacity: number): Facility {
  const [lon, lat] = NODE[node];
  return { id, typeId, name: id, lon, lat, capacity, source: 'test' };
}

/** Kindergarten (national default radius 300 m) and primary school (500 m) only; catchments = radius. */
function standards(): Standards {
  const facilityTypes: Record<string, unknown> = Object.fromEntries(
    FACILITY_TYPES.map((t) => [t.id, { enabled: false }]),
  );
  facilityTypes.kindergarten = {};
  facilityTypes['primary-school'] = {};
  return applyCityConfig(parseCityConfig(JSON.stringify({ facilityTypes }), 'test.json'), 'test.json');
}

// A at node 1 (3–5 year olds 10, 6–11 year olds 20), B at node 3 (20, 40).
const COMMUNITIES = [community('A', 1, 10, 20), community('B', 3, 20, 40)];
// Kindergartens exactly 300 m from A (node 2) and 301 m from A (node 4); primary schools 500 m (node 6) and
// 501 m (node 5) from A. B is 200 m from the kindergarten at node 2 and 1000 m from the school at node 6.
const FACILITIES = [
  facility('K300', 'kindergarten', 2, 30),
  facility('K301', 'kindergarten', 4, 40),
  facility('P500', 'primary-school', 6, 100),
  facility('P501', 'primary-school', 5, 50),
];

async function evaluateStar(facilities = FACILITIES): Promise<Evaluation> {
  const graph = await star;
  return evaluateAccess({ graph, standards: standards(), communities: COMMUNITIES, facilities, snap: SNAP });
}

const typeOf = (e: Evaluation, id: string) => {
  const t = e.types.find((x) => x.type.id === id);
  assert.ok(t, id);
  return t;
};

test('the fixture: radii are the national defaults and every place sits where the distances are whole metres', async () => {
  const e = await evaluateStar();
  assert.deepEqual(
    Object.fromEntries(e.types.map((t) => [t.type.id, [t.type.radiusM.value, t.type.catchmentM.value]])),
    {
      kindergarten: [300, 300],
      'primary-school': [500, 500],
    },
  );
  const graph = await star;
  // A snaps onto node 1 as the start of 1→6, B onto node 3 as the end of 2→3: whole-metre offsets.
  const at = (l: NetworkLocation | undefined) =>
    l && [graph.nodeOsmId[graph.edgeFrom[l.edge]], graph.nodeOsmId[graph.edgeTo[l.edge]], l.offsetM];
  assert.deepEqual(e.placedCommunities.accessPoints.map(at), [
    [1, 6, 0],
    [2, 3, 200],
  ]);
  // K300 on node 2 as the start of 2→3, so walking to it from A takes the node-to-node step 1 → 2.
  assert.deepEqual(typeOf(e, 'kindergarten').placed.locations.map(at), [
    [2, 3, 0],
    [4, 5, 0],
  ]);
  assert.deepEqual(typeOf(e, 'primary-school').placed.locations.map(at), [
    [1, 6, 500],
    [4, 5, 200],
  ]);
});

test('coverage: a facility exactly at the radius covers and is counted; 1 m beyond it does not', async () => {
  const e = await evaluateStar();
  const k = typeOf(e, 'kindergarten');
  assert.deepEqual(Array.from(k.nearestM), [300, 200]);
  assert.deepEqual(Array.from(k.nearestFacility), [0, 0]);
  assert.deepEqual(Array.from(k.countWithinRadius), [1, 1]);
  assert.deepEqual(Array.from(k.covered), [1, 1]);
  const p = typeOf(e, 'primary-school');
  assert.deepEqual(Array.from(p.nearestM), [500, 1000]);
  assert.deepEqual(Array.from(p.countWithinRadius), [1, 0]);
  assert.deepEqual(Array.from(p.covered), [1, 0]);
  for (const tier of e.completeness)
    assert.deepEqual(tier.missing, tier.tier === 'five-minute' ? [[], []] : [[], ['primary-school']]);
});

test('coverage: with only the facility 1 m beyond the radius, nobody is covered and the distance is exact', async () => {
  const e = await evaluateStar([FACILITIES[1], FACILITIES[3]]);
  const k = typeOf(e, 'kindergarten');
  assert.deepEqual(Array.from(k.nearestM), [301, 801]);
  assert.deepEqual(Array.from(k.countWithinRadius), [0, 0]);
  assert.deepEqual(Array.from(k.covered), [0, 0]);
  const p = typeOf(e, 'primary-school');
  assert.deepEqual(Array.from(p.nearestM), [501, 1001]);
  assert.deepEqual(Array.from(p.countWithinRadius), [0, 0]);
  assert.deepEqual(Array.from(p.covered), [0, 0]);
});

test('reach counts at the radius agree for both count strategies', async () => {
  const graph = await star;
  const e = await evaluateStar();
  const input = {
    graph,
    accessPoints: e.placedCommunities.accessPoints,
    accessPointCommunity: e.placedCommunities.accessPointCommunity,
    communityCount: 2,
    maxDistanceM: 2000,
    facilityTypes: [
      { id: 'kindergarten', radiusM: 300, facilities: typeOf(e, 'kindergarten').placed.locations },
      { id: 'primary-school', radiusM: 500, facilities: typeOf(e, 'primary-school').placed.locations },
      // The same kindergartens with a radius 1 m short of K300: nobody counts A.
      { id: 'short', radiusM: 299, facilities: typeOf(e, 'kindergarten').placed.locations },
    ],
  };
  for (const countStrategy of ['from-facilities', 'from-communities'] as const) {
    const [k, p, short] = computeReach({ ...input, countStrategy });
    assert.deepEqual(Array.from(k.countWithinRadius), [1, 1], `${countStrategy}: kindergartens`);
    assert.deepEqual(Array.from(p.countWithinRadius), [1, 0], `${countStrategy}: schools`);
    assert.deepEqual(Array.from(short.countWithinRadius), [0, 1], `${countStrategy}: 299 m`);
    assert.deepEqual(Array.from(k.nearestM), [300, 200]);
  }
  // A maximum distance exactly at the nearest facility keeps it; 1 m less reports Infinity.
  const [atMax] = computeReach({ ...input, maxDistanceM: 300 });
  assert.deepEqual(Array.from(atMax.nearestM), [300, 200]);
  const [belowMax] = computeReach({ ...input, maxDistanceM: 299 });
  assert.deepEqual(Array.from(belowMax.nearestM), [Infinity, 200]);
  assert.deepEqual(Array.from(belowMax.nearestFacility), [-1, 0]);
});

test('2SFCA and E2SFCA: a community exactly at the catchment counts with weight 1 (2SFCA) and 0 (Gaussian)', async () => {
  const e = await evaluateStar();
  const k = typeOf(e, 'kindergarten');
  // K300 serves A (300 m, on the catchment) and B (200 m): R = 30 / (10 + 20) = 1. K301 reaches nobody: R = 0.
  assert.deepEqual(Array.from(k.catchments.community), [1, 0]);
  assert.deepEqual(Array.from(k.catchments.distanceM), [200, 300]);
  assert.deepEqual(Array.from(k.catchments.start), [0, 2, 2]);
  assert.deepEqual(Array.from(k.fca.ratio), [1, 0]);
  assert.deepEqual(Array.from(k.fca.accessibility), [1, 1]);
  // Gaussian: W(300) = 0 exactly, so K300's weighted demand is W(200)·20 and A gets nothing.
  const w200 = (Math.exp(-0.5 * (200 / 300) ** 2) - Math.exp(-0.5)) / (1 - Math.exp(-0.5));
  assert.ok(Math.abs(k.e2sfca.ratio[0] - 30 / (w200 * 20)) < 1e-12);
  assert.equal(k.e2sfca.accessibility[0], 0);
  assert.ok(Math.abs(k.e2sfca.accessibility[1] - 1.5) < 1e-12);
  const p = typeOf(e, 'primary-school');
  // P500 serves A alone (500 m, on the catchment): R = 100 / 20 = 5; P501 nobody.
  assert.deepEqual(Array.from(p.fca.ratio), [5, 0]);
  assert.deepEqual(Array.from(p.fca.accessibility), [5, 0]);
});

test('what-if at the radius: removing and re-adding the facility exactly 300 m away uncovers and covers A', async () => {
  const graph = await star;
  const e = await evaluateStar();
  const scenario = new WhatIfScenario(graph, e);
  assert.deepEqual(Array.from(scenario.current('kindergarten').covered), [1, 1]);
  assert.deepEqual(Array.from(scenario.current('primary-school').covered), [1, 0]);
  const removed = scenario.remove('kindergarten', 'K300');
  assert.deepEqual(removed.newlyUncovered, ['A', 'B']);
  assert.deepEqual(Array.from(scenario.current('kindergarten').nearestM), [301, 801]);
  const [lon, lat] = NODE[2];
  const added = scenario.add('kindergarten', { lon, lat, capacity: 30 });
  assert.deepEqual(added.newlyCovered, ['A', 'B']);
  const now = scenario.current('kindergarten');
  assert.deepEqual(Array.from(now.nearestM), [300, 200]);
  assert.deepEqual(Array.from(now.fca), [1, 1]);
  // Moving the school from 500 m to 501 m away uncovers A.
  const [lon5, lat5] = NODE[5];
  const moved = scenario.move('primary-school', 'P500', { lon: lon5, lat: lat5 });
  assert.deepEqual(moved.newlyUncovered, ['A']);
  assert.deepEqual(Array.from(scenario.current('primary-school').nearestM), [501, 1001]);
});

test('siting at the radius: the candidate exactly 300 m from A covers it, the one 301 m away does not', async () => {
  const graph = await star;
  const e = await evaluateStar([]);
  const { candidates } = snapCandidates(
    new EdgeIndex(graph),
    [1, 2, 3, 4, 5, 6].map((n) => ({ lon: NODE[n][0], lat: NODE[n][1] })),
    SNAP,
  );
  const coverage = candidateCoverage(graph, e.placedCommunities, candidates, 300);
  const around = (j: number) => [
    Array.from(coverage.community.subarray(coverage.start[j], coverage.start[j + 1])),
    Array.from(coverage.distanceM.subarray(coverage.start[j], coverage.start[j + 1])),
  ];
  assert.deepEqual(
    candidates.map((_, j) => around(j)),
    [
      [[0], [0]], // node 1: A; B is 500 m away
      [
        [1, 0],
        [200, 300],
      ], // node 2: B, then A exactly on the radius
      [[1], [0]], // node 3: B
      [[], []], // node 4: A is 301 m away
      [[], []],
      [[], []], // node 6: A is 500 m away
    ],
  );
  const result = siteFacilities({
    graph,
    placed: e.placedCommunities,
    candidates,
    uncoveredDemand: [10, 20],
    radiusM: 300,
    k: 1,
  });
  assert.deepEqual(
    result.picks.map((p) => [p.lon, p.gain, p.communities]),
    [[NODE[2][0], 30, [1, 0]]],
  );
  assert.equal(result.uncoveredAfter, 0);
});
