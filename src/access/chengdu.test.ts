import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EdgeIndex, importOsmNetwork } from '../network/index.js';
import { estimateFromCensus, readCensus, readDistricts, readOsmPlaces } from '../places/index.js';
import { defaultStandards } from '../standards/index.js';
import {
  computeReach,
  evaluateAccess,
  findGaps,
  generateCandidates,
  rollUp,
  siteFacilities,
  WhatIfScenario,
} from './index.js';

// The bundled extract (data/chengdu-central/SOURCE.md): thin POI coverage, so these check consistency, not supply.
const OSM = 'data/chengdu-central/chengdu-central-2018.osm';
const setup = (async () => {
  const standards = defaultStandards();
  const [graph, places] = await Promise.all([
    importOsmNetwork(OSM),
    readOsmPlaces(OSM, standards.facilityTypes),
  ]);
  const { communities } = estimateFromCensus(places.residentialAreas, {
    census: readCensus(undefined, '5101'),
    districts: readDistricts(),
    region: places.bounds,
  });
  const index = new EdgeIndex(graph);
  const evaluation = evaluateAccess({ graph, standards, communities, facilities: places.facilities, index });
  return { graph, index, standards, communities, facilities: places.facilities, evaluation };
})();

test('Chengdu: all 186 residential areas reach the network through several gates', async () => {
  const { evaluation } = await setup;
  assert.equal(evaluation.communities.length, 186);
  assert.deepEqual(evaluation.placedCommunities.offNetwork, []);
  assert.ok(evaluation.placedCommunities.accessPoints.length >= 4 * 186);
});

test('Chengdu: covered means the nearest facility is within the radius, and counts agree', async () => {
  const { evaluation } = await setup;
  for (const t of evaluation.types)
    for (let c = 0; c < evaluation.communities.length; c++) {
      assert.equal(t.covered[c] === 1, t.nearestM[c] <= t.type.radiusM.value, `${t.type.id} ${c}`);
      assert.equal(t.covered[c] === 1, t.countWithinRadius[c] > 0, `${t.type.id} ${c}`);
    }
});

test('Chengdu: a community’s distance is the best of its gates, never worse than its label point alone', async () => {
  const { graph, evaluation } = await setup;
  const placed = evaluation.placedCommunities;
  const kindergarten = evaluation.types.find((t) => t.type.id === 'kindergarten');
  assert.ok(kindergarten);
  // The first access point of each community is its label point.
  const first = new Map<number, number>();
  placed.accessPointCommunity.forEach((c, a) => {
    if (!first.has(c)) first.set(c, a);
  });
  const labelOnly = computeReach({
    graph,
    accessPoints: [...first.values()].map((a) => placed.accessPoints[a]),
    accessPointCommunity: [...first.keys()],
    communityCount: placed.count,
    facilityTypes: [{ id: 'kindergarten', radiusM: 300, facilities: kindergarten.placed.locations }],
    maxDistanceM: evaluation.maxDistanceM,
  })[0];
  let better = 0;
  for (let c = 0; c < placed.count; c++) {
    assert.ok(kindergarten.nearestM[c] <= labelOnly.nearestM[c]);
    if (kindergarten.nearestM[c] < labelOnly.nearestM[c]) better++;
  }
  assert.ok(better > 0, 'gates on the boundary shorten some walks');
});

test('Chengdu: district roll-ups add up to the city', async () => {
  const { evaluation } = await setup;
  const [city] = rollUp(evaluation, 'city');
  const districts = rollUp(evaluation, 'district');
  assert.equal(
    districts.reduce((s, d) => s + d.communities, 0),
    city.communities,
  );
  city.types.forEach((t, i) => {
    const covered = districts.reduce((s, d) => s + d.types[i].coveredDemand, 0);
    assert.ok(Math.abs(covered - t.coveredDemand) < 1e-6 * Math.max(1, t.coveredDemand), t.typeId);
  });
  assert.ok(city.populationEstimated);
});

test('Chengdu: gaps list exactly the uncovered communities, most demand first', async () => {
  const { evaluation } = await setup;
  for (const g of findGaps(evaluation)) {
    const t = evaluation.types.find((x) => x.type.id === g.typeId);
    assert.ok(t);
    assert.equal(g.uncoveredCommunities, t.covered.length - t.covered.reduce((s, v) => s + v, 0));
    for (let i = 1; i < g.gaps.length; i++) assert.ok(g.gaps[i - 1].demand >= g.gaps[i].demand);
  }
});

test('Chengdu: adding a kindergarten by what-if gives what a full re-evaluation gives', async () => {
  const { graph, index, standards, communities, facilities, evaluation } = await setup;
  const site = communities[40];
  const scenario = new WhatIfScenario(graph, evaluation, index);
  const result = scenario.add('kindergarten', { lon: site.lon, lat: site.lat, capacity: 200 });
  assert.ok(result.after.coveredCommunities >= result.before.coveredCommunities);
  const full = evaluateAccess({
    graph,
    standards,
    communities,
    facilities: [
      ...facilities,
      {
        id: 'new',
        typeId: 'kindergarten',
        name: undefined,
        lon: site.lon,
        lat: site.lat,
        capacity: 200,
        source: 'test',
      },
    ],
    index,
  });
  const expected = full.types.find((t) => t.type.id === 'kindergarten');
  assert.ok(expected);
  const now = scenario.current('kindergarten');
  assert.deepEqual(Array.from(now.covered), Array.from(expected.covered));
  now.fca.forEach((a, i) => assert.ok(Math.abs(a - expected.fca.accessibility[i]) < 1e-9, `2SFCA ${i}`));
  now.e2sfca.forEach((a, i) =>
    assert.ok(Math.abs(a - expected.e2sfca.accessibility[i]) < 1e-9, `E2SFCA ${i}`),
  );
  now.nearestM.forEach((d, i) =>
    assert.ok(d === expected.nearestM[i] || Math.abs(d - expected.nearestM[i]) < 1e-6, `nearest ${i}`),
  );
});

test('Chengdu: siting gains fall pick by pick and add up to the demand newly served', async () => {
  const { graph, communities, evaluation } = await setup;
  const t = evaluation.types.find((x) => x.type.id === 'kindergarten');
  assert.ok(t);
  const candidates = generateCandidates(graph, communities, evaluation.placedCommunities);
  const result = siteFacilities({
    graph,
    placed: evaluation.placedCommunities,
    candidates,
    uncoveredDemand: Float64Array.from(t.demand, (d, i) => (t.covered[i] ? 0 : d)),
    radiusM: t.type.radiusM.value,
    k: 8,
  });
  assert.equal(result.picks.length, 8);
  for (let i = 1; i < result.picks.length; i++) assert.ok(result.picks[i].gain <= result.picks[i - 1].gain);
  assert.ok(Math.abs(result.uncoveredBefore - result.uncoveredAfter - result.picks[7].cumulative) < 1e-6);
  assert.ok(result.evaluations < candidates.length * 2, 'lazy evaluation');
});

test('Chengdu: twenty random what-if changes (add, move, remove) each give what a full re-evaluation gives', async () => {
  // The repair after a removal searches only from the communities the removed facility served (issue 15 item 1):
  // checked against evaluating the whole city again, after every step, on seeded random changes.
  const { graph, index, standards, communities, facilities, evaluation } = await setup;
  let seed = 20261207;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const typeId = 'kindergarten';
  const scenario = new WhatIfScenario(graph, evaluation, index);
  // The facility set as it stands, for the full re-evaluation.
  const current = new Map(facilities.filter((f) => f.typeId === typeId).map((f) => [f.id, f]));
  const others = facilities.filter((f) => f.typeId !== typeId);
  const site = () => {
    const c = communities[Math.floor(random() * communities.length)];
    return { lon: c.lon + (random() - 0.5) * 0.002, lat: c.lat + (random() - 0.5) * 0.002 };
  };
  const ops: string[] = [];
  for (let step = 0; step < 20; step++) {
    const ids = [...current.keys()];
    const op = ids.length < 2 ? 'add' : (['add', 'move', 'remove'] as const)[Math.floor(random() * 3)];
    const to = site();
    try {
      if (op === 'add') {
        const r = scenario.add(typeId, { ...to, capacity: 150 });
        current.set(r.facilityId, {
          id: r.facilityId,
          typeId,
          name: undefined,
          ...to,
          capacity: 150,
          source: 't',
        });
      } else {
        const id = ids[Math.floor(random() * ids.length)];
        const f = current.get(id);
        assert.ok(f);
        if (op === 'move') {
          scenario.move(typeId, id, to);
          current.set(id, { ...f, ...to });
        } else {
          scenario.remove(typeId, id);
          current.delete(id);
        }
      }
    } catch (e) {
      // A random site off the walkable network is refused and changes nothing.
      assert.match((e as Error).message, /from any walkable way/);
      continue;
    }
    ops.push(op);
    const full = evaluateAccess({
      graph,
      standards,
      communities,
      facilities: [...others, ...current.values()],
      index,
    });
    const expected = full.types.find((t) => t.type.id === typeId);
    assert.ok(expected);
    const now = scenario.current(typeId);
    const where = `step ${step} (${op})`;
    assert.deepEqual(Array.from(now.covered), Array.from(expected.covered), where);
    now.nearestM.forEach((d, i) =>
      assert.ok(
        d === expected.nearestM[i] || Math.abs(d - expected.nearestM[i]) < 1e-6,
        `${where}: nearest ${i}`,
      ),
    );
    now.fca.forEach((a, i) =>
      assert.ok(Math.abs(a - expected.fca.accessibility[i]) < 1e-9, `${where}: 2SFCA ${i}`),
    );
  }
  // The seed gives every kind of change several times.
  for (const op of ['add', 'move', 'remove'])
    assert.ok(ops.filter((o) => o === op).length >= 3, ops.join(' '));
});
