import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isLifeCircleError } from '../errors.js';
import { haversineM } from '../geo/index.js';
import type { Community, GeoJsonPolygonal } from '../store/index.js';
import {
  apportionPopulation,
  linkPlacesToUnits,
  type CommunityUnit,
  type LinkablePlace,
  type PlaceLink,
} from './index.js';

// Hand-drawn fixtures in degrees near lon 104.06, lat 30.66. Names are made up (社区A, 社区B, …).

/** Closed square ring [minLon, minLat] – [maxLon, maxLat], counter-clockwise. */
function square(x0: number, y0: number, x1: number, y1: number): number[][] {
  return [
    [x0, y0],
    [x1, y0],
    [x1, y1],
    [x0, y1],
    [x0, y0],
  ];
}

function unit(
  code: string,
  lon: number,
  lat: number,
  boundary: GeoJsonPolygonal | null = null,
  population: number | null = null,
): CommunityUnit {
  return { code, name: `社区${code}`, location: { lon, lat }, boundary, population };
}

function place(code: string, lon: number, lat: number): LinkablePlace {
  return { code, location: { lon, lat } };
}

/** Great-circle metres, written here independently of src/geo (mean Earth radius 6 371 008.8 m). */
function greatCircleM(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const r = Math.PI / 180;
  const a =
    Math.sin(((lat2 - lat1) * r) / 2) ** 2 +
    Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.sin(((lon2 - lon1) * r) / 2) ** 2;
  return 2 * 6371008.8 * Math.atan2(Math.sqrt(a), Math.sqrt(1 - a));
}

function linkOf(result: ReturnType<typeof linkPlacesToUnits>, placeCode: string): PlaceLink | undefined {
  return result.links.find((l) => l.placeCode === placeCode);
}

// 社区A: a 0.02° square with a hole; 社区B: two separate squares (MultiPolygon); 社区C: a large square that
// overlaps the small 社区D completely (C listed first, so "first match" would be wrong).
const A = unit('A', 104.015, 30.615, {
  type: 'Polygon',
  coordinates: [square(104.0, 30.6, 104.02, 30.62), square(104.005, 30.605, 104.01, 30.61)],
});
const B = unit('B', 104.055, 30.605, {
  type: 'MultiPolygon',
  coordinates: [[square(104.05, 30.6, 104.06, 30.61)], [square(104.08, 30.6, 104.09, 30.61)]],
});
const C = unit('C', 104.13, 30.63, { type: 'Polygon', coordinates: [square(104.1, 30.6, 104.14, 30.64)] });
const D = unit('D', 104.115, 30.615, {
  type: 'Polygon',
  coordinates: [square(104.11, 30.61, 104.12, 30.62)],
});
const POLYGON_UNITS = [A, B, C, D];

test('a place inside a unit polygon links to it as inside, with distance 0', () => {
  const r = linkPlacesToUnits([place('p1', 104.015, 30.615), place('p2', 104.001, 30.619)], POLYGON_UNITS, {
    maxDistanceM: 0,
  });
  assert.deepEqual(r.links, [
    { placeCode: 'p1', unitCode: 'A', how: 'inside', distanceM: 0 },
    { placeCode: 'p2', unitCode: 'A', how: 'inside', distanceM: 0 },
  ]);
  assert.deepEqual(r.unlinked, []);
});

test('a place in a hole is outside the polygon: it falls back to the nearest unit point', () => {
  const r = linkPlacesToUnits([place('hole', 104.0075, 30.6075)], POLYGON_UNITS, { maxDistanceM: 0 });
  assert.deepEqual(r.links, []);
  assert.equal(r.unlinked.length, 1);
  assert.equal(r.unlinked[0].nearestUnitCode, 'A');
  // A's point is 0.0075° east and north of the place.
  assert.ok(
    Math.abs((r.unlinked[0].distanceM ?? 0) - greatCircleM(104.0075, 30.6075, 104.015, 30.615)) < 0.01,
  );

  const within = linkPlacesToUnits([place('hole', 104.0075, 30.6075)], POLYGON_UNITS, { maxDistanceM: 2000 });
  assert.equal(linkOf(within, 'hole')?.how, 'nearest');
  assert.equal(linkOf(within, 'hole')?.unitCode, 'A');
});

test('MultiPolygon: a place in either part is inside; one between the parts is not', () => {
  const r = linkPlacesToUnits(
    [place('west', 104.052, 30.608), place('east', 104.085, 30.605), place('between', 104.07, 30.605)],
    POLYGON_UNITS,
    { maxDistanceM: 0 },
  );
  assert.equal(linkOf(r, 'west')?.unitCode, 'B');
  assert.equal(linkOf(r, 'west')?.how, 'inside');
  assert.equal(linkOf(r, 'east')?.unitCode, 'B');
  assert.equal(linkOf(r, 'east')?.how, 'inside');
  assert.equal(linkOf(r, 'between'), undefined);
  assert.deepEqual(
    r.unlinked.map((u) => u.placeCode),
    ['between'],
  );
});

test('overlapping units: the smallest containing polygon wins, whatever the order', () => {
  const places = [place('inD', 104.115, 30.615), place('onlyC', 104.13, 30.63)];
  for (const units of [POLYGON_UNITS, [D, C, A, B]]) {
    const r = linkPlacesToUnits(places, units, { maxDistanceM: 0 });
    assert.equal(linkOf(r, 'inD')?.unitCode, 'D');
    assert.equal(linkOf(r, 'inD')?.how, 'inside');
    assert.equal(linkOf(r, 'onlyC')?.unitCode, 'C');
  }
});

test('inside beats a nearer unit point', () => {
  // The place is inside C but 10 m from D's point (D given here as a point only).
  const dPoint = unit('Dp', 104.1201, 30.6301);
  const r = linkPlacesToUnits([place('x', 104.12, 30.63)], [C, dPoint], { maxDistanceM: 5000 });
  assert.deepEqual(linkOf(r, 'x'), { placeCode: 'x', unitCode: 'C', how: 'inside', distanceM: 0 });
});

test('nearest: a place exactly at maxDistanceM links, one just beyond does not', () => {
  const E = unit('E', 104.06, 30.66);
  // 0.009° of latitude north: R × 0.009 × π/180 = 6 371 008.8 × 1.570796e-4 ≈ 1000.7557 m.
  const atLimit = place('at', 104.06, 30.669);
  // 0.00901° ≈ 1001.8677 m.
  const beyond = place('beyond', 104.06, 30.66901);
  assert.ok(Math.abs(greatCircleM(104.06, 30.66, 104.06, 30.669) - 1000.7557) < 0.0001);
  // The limit exactly at the fixture distance, as the project's haversine gives it (place → unit), so "at" is
  // exact to the last bit; and a hand-written limit 0.3 mm above it.
  const limits = [haversineM(104.06, 30.669, 104.06, 30.66), 1000.756];
  for (const maxDistanceM of limits) {
    const result = linkPlacesToUnits([atLimit, beyond], [E], { maxDistanceM });
    const at = linkOf(result, 'at');
    assert.equal(at?.unitCode, 'E');
    assert.equal(at?.how, 'nearest');
    assert.ok(Math.abs((at?.distanceM ?? 0) - 1000.7557) < 0.0001);
    assert.equal(linkOf(result, 'beyond'), undefined);
    assert.equal(result.unlinked.length, 1);
    assert.equal(result.unlinked[0].placeCode, 'beyond');
    assert.equal(result.unlinked[0].nearestUnitCode, 'E');
    assert.ok(Math.abs((result.unlinked[0].distanceM ?? 0) - 1001.8677) < 0.0001);
  }
  // A hair below the distance, the place at 0.009° no longer links.
  const below = linkPlacesToUnits([atLimit], [E], { maxDistanceM: 1000.755 });
  assert.deepEqual(below.links, []);
});

test('nearest is by great-circle metres, not by degrees (a degree of longitude is shorter)', () => {
  // From (104.06, 30.66): X is 0.008° east ≈ 765.21 m, Y is 0.007° north ≈ 778.37 m. In raw degrees Y looks nearer.
  const X = unit('X', 104.068, 30.66);
  const Y = unit('Y', 104.06, 30.667);
  assert.ok(greatCircleM(104.06, 30.66, 104.068, 30.66) < greatCircleM(104.06, 30.66, 104.06, 30.667));
  for (const units of [
    [X, Y],
    [Y, X],
  ]) {
    const r = linkPlacesToUnits([place('o', 104.06, 30.66)], units, { maxDistanceM: 800 });
    assert.equal(linkOf(r, 'o')?.unitCode, 'X');
    assert.ok(Math.abs((linkOf(r, 'o')?.distanceM ?? 0) - 765.21) < 0.01);
  }
  // With a limit between the two, only X qualifies anyway; below both, nothing links.
  const none = linkPlacesToUnits([place('o', 104.06, 30.66)], [X, Y], { maxDistanceM: 700 });
  assert.deepEqual(none.links, []);
  assert.equal(none.unlinked[0].nearestUnitCode, 'X');
});

test('nearest stays right when the units span many latitudes (a national file)', () => {
  // Two units in the north at lat 45.75 and two far south at lat 22: the index's longitude scale is set for
  // their mean latitude (≈ 33.9°), which overstates east–west distances at 45.75°. From (126.6, 45.75),
  // P is 0.01° east ≈ 775.9 m and Q 0.0075° north ≈ 834.0 m: P is nearer, though Q is nearer on the index's plane.
  const P = unit('P', 126.61, 45.75);
  const Q = unit('Q', 126.6, 45.7575);
  const south = [unit('S1', 109.5, 22.0), unit('S2', 109.6, 22.0)];
  assert.ok(Math.abs(greatCircleM(126.6, 45.75, 126.61, 45.75) - 775.9) < 0.1);
  assert.ok(Math.abs(greatCircleM(126.6, 45.75, 126.6, 45.7575) - 834.0) < 0.1);
  for (const units of [
    [Q, P, ...south],
    [...south, P, Q],
  ]) {
    const r = linkPlacesToUnits([place('o', 126.6, 45.75)], units, { maxDistanceM: 1000 });
    assert.equal(linkOf(r, 'o')?.unitCode, 'P');
  }
});

test('nearest agrees with a brute-force search on scattered points', () => {
  // mulberry32: a small seeded generator with 32-bit integer arithmetic (stays exact in doubles).
  let seed = 12345;
  const rand = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const units = Array.from({ length: 300 }, (_, i) =>
    unit(`U${i}`, 103.96 + rand() * 0.2, 30.56 + rand() * 0.2),
  );
  const places = Array.from({ length: 2000 }, (_, i) =>
    place(`P${i}`, 103.94 + rand() * 0.24, 30.54 + rand() * 0.24),
  );
  const maxDistanceM = 600;
  const r = linkPlacesToUnits(places, units, { maxDistanceM });
  const links = new Map(r.links.map((l) => [l.placeCode, l]));
  const unlinked = new Map(r.unlinked.map((u) => [u.placeCode, u]));
  let linkedCount = 0;
  for (const p of places) {
    let best = -1;
    let bestM = Infinity;
    units.forEach((u, i) => {
      const d = greatCircleM(p.location.lon, p.location.lat, u.location.lon, u.location.lat);
      if (d < bestM) {
        bestM = d;
        best = i;
      }
    });
    if (bestM <= maxDistanceM) {
      linkedCount++;
      assert.equal(links.get(p.code)?.unitCode, units[best].code, p.code);
      assert.equal(links.get(p.code)?.how, 'nearest');
    } else {
      assert.equal(unlinked.get(p.code)?.nearestUnitCode, units[best].code, p.code);
      assert.ok(Math.abs((unlinked.get(p.code)?.distanceM ?? 0) - bestM) < 0.01);
    }
  }
  assert.ok(linkedCount > 100 && linkedCount < 1900, `both outcomes exercised (${linkedCount} linked)`);
});

test('no units: every place is unlinked with no nearest unit', () => {
  const r = linkPlacesToUnits([place('a', 104.06, 30.66), place('b', 104.07, 30.67)], [], {
    maxDistanceM: 1000,
  });
  assert.deepEqual(r.links, []);
  assert.deepEqual(r.unlinked, [
    { placeCode: 'a', nearestUnitCode: null, distanceM: null },
    { placeCode: 'b', nearestUnitCode: null, distanceM: null },
  ]);
});

test('store Community records serve as places and as units', () => {
  const community = (
    code: string,
    lon: number,
    lat: number,
    boundary: GeoJsonPolygonal | null,
  ): Community => ({
    code,
    name: `社区${code}`,
    regionCode: '510104000000',
    location: { lon, lat },
    boundary,
    population: 500,
    ageGroups: { age60plus: 80 },
    populationEstimated: false,
  });
  const unitS = community('S', 104.06, 30.66, {
    type: 'Polygon',
    coordinates: [square(104.05, 30.65, 104.07, 30.67)],
  });
  const estate = community('小区1', 104.061, 30.661, null);
  const r = linkPlacesToUnits([estate], [unitS], { maxDistanceM: 0 });
  assert.equal(linkOf(r, '小区1')?.unitCode, 'S');
  const shares = apportionPopulation(r.links, [{ code: '小区1', areaM2: null }], [unitS]);
  assert.equal(shares.places[0].population, 500);
  assert.deepEqual(shares.places[0].ageGroups, { age60plus: 80 });
});

test('maxDistanceM must be a finite number ≥ 0', () => {
  for (const bad of [-1, Number.NaN, Infinity, undefined, '500']) {
    assert.throws(
      () => linkPlacesToUnits([], [], { maxDistanceM: bad as number }),
      (error: unknown) =>
        isLifeCircleError(error) && error.code === 'LC_USAGE' && error.message.includes('maxDistanceM'),
      String(bad),
    );
  }
  assert.doesNotThrow(() => linkPlacesToUnits([], [], { maxDistanceM: 0 }));
});

// Apportionment.

function links(unitCode: string, ...placeCodes: string[]): PlaceLink[] {
  return placeCodes.map((placeCode) => ({ placeCode, unitCode, how: 'inside', distanceM: 0 }));
}

test('population splits over equal areas with largest remainder: 1000 → 334/333/333', () => {
  const U: CommunityUnit = { ...unit('U', 104.06, 30.66, null, 1000) };
  const r = apportionPopulation(
    links('U', 'a', 'b', 'c'),
    [
      { code: 'a', areaM2: 5000 },
      { code: 'b', areaM2: 5000 },
      { code: 'c', areaM2: 5000 },
    ],
    [U],
  );
  assert.deepEqual(
    r.places.map((p) => [p.placeCode, p.population]),
    [
      ['a', 334],
      ['b', 333],
      ['c', 333],
    ],
  );
  for (const p of r.places) {
    assert.equal(p.estimated, true);
    assert.equal(p.fromUnit, 'U');
    assert.deepEqual(p.ageGroups, {});
  }
  assert.deepEqual(r.unitsWithoutPlaces, []);
});

test('population follows area, and the left-over person goes to the largest remainder', () => {
  const U = unit('U', 104.06, 30.66, null, 1000);
  const V = unit('V', 104.07, 30.66, null, 100);
  const r = apportionPopulation(
    [...links('U', 'u1', 'u2', 'u3'), ...links('V', 'v1', 'v2')],
    [
      { code: 'u1', areaM2: 1000 },
      { code: 'u2', areaM2: 1000 },
      { code: 'u3', areaM2: 2000 },
      { code: 'v1', areaM2: 100 },
      { code: 'v2', areaM2: 200 },
    ],
    [U, V],
  );
  // 1000 × 1/4, 1/4, 1/2 = 250, 250, 500; 100 × 1/3, 2/3 = 33.33, 66.67 → 33, 67 (not 34, 66).
  assert.deepEqual(
    r.places.map((p) => [p.placeCode, p.population, p.fromUnit]),
    [
      ['u1', 250, 'U'],
      ['u2', 250, 'U'],
      ['u3', 500, 'U'],
      ['v1', 33, 'V'],
      ['v2', 67, 'V'],
    ],
  );
});

test('age bands present in the unit are split the same way and sum exactly', () => {
  const U: CommunityUnit = {
    ...unit('U', 104.06, 30.66, null, 1000),
    ageGroups: { age0to3: 10, age60plus: 200 },
  };
  const r = apportionPopulation(
    links('U', 'a', 'b', 'c'),
    [
      { code: 'a', areaM2: 3000 },
      { code: 'b', areaM2: 3000 },
      { code: 'c', areaM2: 3000 },
    ],
    [U],
  );
  // 10/3 = 3.33 each → 4, 3, 3; 200/3 = 66.67 each → 67, 67, 66.
  assert.deepEqual(
    r.places.map((p) => p.ageGroups),
    [
      { age0to3: 4, age60plus: 67 },
      { age0to3: 3, age60plus: 67 },
      { age0to3: 3, age60plus: 66 },
    ],
  );
});

test('missing areas give equal shares (all of the unit, even if only one area is missing)', () => {
  const U = unit('U', 104.06, 30.66, null, 90);
  const allMissing = apportionPopulation(
    links('U', 'a', 'b', 'c'),
    [
      { code: 'a', areaM2: null },
      { code: 'b', areaM2: null },
      { code: 'c', areaM2: null },
    ],
    [U],
  );
  assert.deepEqual(
    allMissing.places.map((p) => p.population),
    [30, 30, 30],
  );
  const oneMissing = apportionPopulation(
    links('U', 'a', 'b', 'c'),
    [
      { code: 'a', areaM2: 8000 },
      { code: 'b', areaM2: 1000 },
      { code: 'c', areaM2: null },
    ],
    [U],
  );
  assert.deepEqual(
    oneMissing.places.map((p) => p.population),
    [30, 30, 30],
  );
});

test('units without population give nothing; units without places are reported', () => {
  const U = unit('U', 104.06, 30.66, null, null);
  const W = unit('W', 104.07, 30.66, null, 400);
  const Z = unit('Z', 104.08, 30.66, null, null);
  const r = apportionPopulation(links('U', 'a'), [{ code: 'a', areaM2: 100 }], [U, W, Z]);
  assert.deepEqual(r.places, []);
  assert.deepEqual(r.unitsWithoutPlaces, [
    { unitCode: 'W', population: 400 },
    { unitCode: 'Z', population: null },
  ]);
});

test('apportioning rejects links to unknown units, double links and bad populations', () => {
  const U = unit('U', 104.06, 30.66, null, 100);
  const usage = (error: unknown) => isLifeCircleError(error) && error.code === 'LC_USAGE';
  assert.throws(() => apportionPopulation(links('nope', 'a'), [], [U]), usage);
  assert.throws(() => apportionPopulation([...links('U', 'a'), ...links('U', 'a')], [], [U]), usage);
  assert.throws(() => apportionPopulation(links('U', 'a'), [], [{ ...U, population: -5 }]), usage);
});
