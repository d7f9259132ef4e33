import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  EdgeIndex,
  NetworkSearch,
  importOsmNetwork,
  isSnapped,
  type NetworkLocation,
} from '../network/index.js';
import { computeReach, type FacilityTypeInput } from './reach.js';

function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function scenario() {
  const graph = await importOsmNetwork('data/chengdu-central/chengdu-central-2018.osm');
  const index = new EdgeIndex(graph);
  const next = random(11);
  const place = (): NetworkLocation | undefined => {
    const s = index.snap(104.05 + next() * 0.07, 30.66 + next() * 0.06);
    return isSnapped(s) ? { edge: s.edge, offsetM: s.offsetM } : undefined;
  };
  const communityCount = 60;
  const accessPoints: (NetworkLocation | undefined)[] = [];
  const accessPointCommunity: number[] = [];
  for (let c = 0; c < communityCount; c++) {
    for (let k = 0; k < 1 + (c % 3); k++) {
      accessPoints.push(place());
      accessPointCommunity.push(c);
    }
  }
  const facilityTypes: FacilityTypeInput[] = [
    { id: 'kindergarten', radiusM: 300, facilities: Array.from({ length: 25 }, place) },
    { id: 'school', radiusM: 500, facilities: Array.from({ length: 15 }, place) },
    { id: 'clinic', radiusM: 1000, facilities: Array.from({ length: 8 }, place) },
  ];
  return { graph, accessPoints, accessPointCommunity, communityCount, facilityTypes, maxDistanceM: 2000 };
}

test('computeReach agrees with one search per community and facility, and both count strategies agree', async () => {
  const input = await scenario();
  const fromFacilities = computeReach({ ...input, countStrategy: 'from-facilities' });
  const fromCommunities = computeReach({ ...input, countStrategy: 'from-communities' });
  const search = new NetworkSearch(input.graph, 'to-sources');
  let covered = 0;
  input.facilityTypes.forEach((type, t) => {
    const nearest = new Float64Array(input.communityCount).fill(Infinity);
    const counts = new Uint32Array(input.communityCount);
    for (const facility of type.facilities) {
      if (!facility) continue;
      search.run([facility]);
      for (let c = 0; c < input.communityCount; c++) {
        let best = Infinity;
        input.accessPoints.forEach((p, i) => {
          if (p && input.accessPointCommunity[i] === c)
            best = Math.min(best, search.distanceToLocation(p.edge, p.offsetM));
        });
        nearest[c] = Math.min(nearest[c], best);
        if (best <= type.radiusM) counts[c]++;
      }
    }
    for (let c = 0; c < input.communityCount; c++) {
      const want = nearest[c] <= input.maxDistanceM ? nearest[c] : Infinity;
      const got = fromFacilities[t].nearestM[c];
      if (want === Infinity) assert.equal(got, Infinity);
      else assert.ok(Math.abs(got - want) < 1e-6, `${type.id} community ${c}: ${got} vs ${want}`);
      if (counts[c] > 0) covered++;
    }
    assert.deepEqual(
      [...fromFacilities[t].countWithinRadius],
      [...counts],
      `${type.id} counts (from facilities)`,
    );
    assert.deepEqual(
      [...fromCommunities[t].countWithinRadius],
      [...counts],
      `${type.id} counts (from communities)`,
    );
    assert.deepEqual(fromCommunities[t].nearestM, fromFacilities[t].nearestM);
  });
  assert.ok(covered > 10, 'the scenario covers some communities, so the counts are tested');
});

test('the nearest facility index points at a facility at that distance', async () => {
  const input = await scenario();
  const [kindergartens] = computeReach(input);
  const search = new NetworkSearch(input.graph, 'to-sources');
  for (let c = 0; c < input.communityCount; c++) {
    const f = kindergartens.nearestFacility[c];
    if (f < 0) {
      assert.equal(kindergartens.nearestM[c], Infinity);
      continue;
    }
    search.run([input.facilityTypes[0].facilities[f] as NetworkLocation]);
    let best = Infinity;
    input.accessPoints.forEach((p, i) => {
      if (p && input.accessPointCommunity[i] === c)
        best = Math.min(best, search.distanceToLocation(p.edge, p.offsetM));
    });
    assert.ok(Math.abs(best - kindergartens.nearestM[c]) < 1e-6);
  }
});
