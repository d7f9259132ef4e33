import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importOsmNetwork } from '../network/index.js';
import type { Community } from '../places/index.js';
import { FACILITY_TYPES, applyCityConfig, parseCityConfig, type Standards } from '../standards/index.js';
import { evaluateAccess } from './index.js';

// The whole-metre star of fixtures/README.md; one community at its centre (node 1, lon 0 lat 0), no facilities.
const star = importOsmNetwork('src/access/fixtures/whole-metre-star.osm');

const A: Community = {
  id: 'A',
  name: 'A',
  code: undefined,
  district: 'D1',
  subdistrict: 'S1',
  lon: 0,
  lat: 0,
  ring: undefined,
  areaM2: undefined,
  demand: { all: 100, age0to2: 0, age3to5: 10, age6to11: 0, age12to14: 0, age60plus: 0, age80plus: 0 },
  populationEstimated: false,
  ageGroupsEstimated: false,
  source: 'test',
};

/** Only the listed types enabled, each with its overrides. */
function standards(enabled: Record<string, Record<string, number>>): Standards {
  const facilityTypes: Record<string, unknown> = Object.fromEntries(
    FACILITY_TYPES.map((t) => [t.id, { enabled: false }]),
  );
  Object.assign(facilityTypes, enabled);
  return applyCityConfig(parseCityConfig(JSON.stringify({ facilityTypes }), 'test.json'), 'test.json');
}

async function evaluate(enabled: Record<string, Record<string, number>>) {
  return evaluateAccess({
    graph: await star,
    standards: standards(enabled),
    communities: [A],
    facilities: [],
    snap: { minComponentNodes: 1 },
  });
}

test('nearest distances are cut at 2000 m while every radius and catchment is 1000 m or less', async () => {
  // Kindergarten 300 m, large sports ground 1000 m (GB 50180-2018): 2 × 1000 = 2000, not more than the floor.
  const e = await evaluate({ kindergarten: {}, 'large-sports-ground': {} });
  assert.equal(e.maxDistanceM, 2000);
});

test('nearest distances reach twice the largest radius or catchment when that is beyond 2000 m', async () => {
  // Radius 1500 m: 2 × 1500 = 3000 m; a catchment of 1800 m on top: 2 × 1800 = 3600 m.
  assert.equal(
    (await evaluate({ kindergarten: {}, 'large-sports-ground': { radiusM: 1500 } })).maxDistanceM,
    3000,
  );
  assert.equal(
    (await evaluate({ kindergarten: {}, 'large-sports-ground': { radiusM: 1500, catchmentM: 1800 } }))
      .maxDistanceM,
    3600,
  );
  assert.equal(
    (await evaluate({ 'large-sports-ground': { radiusM: 1200 }, kindergarten: { catchmentM: 1700 } }))
      .maxDistanceM,
    3400,
  );
});

test('a life circle is complete without its recommended (宜配) types: only required (应配) ones are missing', async () => {
  // Kindergarten is 应配 and the large sports ground 宜配 (GB 50180-2018 table 5.0.2); neither has a facility.
  const e = await evaluate({ kindergarten: {}, 'large-sports-ground': {} });
  const fifteen = e.completeness.find((t) => t.tier === 'fifteen-minute');
  assert.deepEqual(fifteen?.required, ['kindergarten']);
  assert.deepEqual(fifteen?.missing, [['kindergarten']]);
});
