import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  EARTH_RADIUS_M,
  haversineM,
  localProjection,
  projectX,
  projectY,
  unprojectLat,
  unprojectLon,
} from './index.js';

// Reference values worked out by hand from the IUGG mean radius R = 6 371 008.8 m:
// one degree of a great circle is R·π/180 = 111 195.080 m; half the equator is π·R = 20 015 114.442 m.
const DEGREE_M = 111195.08023;

const near = (actual: number, expected: number, tolerance: number, what: string): void =>
  assert.ok(
    Math.abs(actual - expected) <= tolerance,
    `${what}: ${actual} is not within ${tolerance} of ${expected}`,
  );

test('the Earth radius is the IUGG mean radius', () => {
  assert.equal(EARTH_RADIUS_M, 6371008.8);
});

test('one degree along a meridian or the equator is R·π/180, in either direction', () => {
  near(haversineM(0, 0, 0, 1), DEGREE_M, 0.001, 'meridian north');
  near(haversineM(0, 1, 0, 0), DEGREE_M, 0.001, 'meridian south');
  near(haversineM(0, 0, 1, 0), DEGREE_M, 0.001, 'equator east');
  near(haversineM(104, 30, 104, 31), DEGREE_M, 0.001, 'meridian at Chengdu');
  near(haversineM(104, 31, 104, 30), DEGREE_M, 0.001, 'meridian at Chengdu, southwards');
  assert.equal(haversineM(104.06, 30.66, 104.06, 30.66), 0);
});

test('a degree of longitude at 60° N is half as long: 2R·asin(cos 60°·sin 0.5°) = 55 597.011 m', () => {
  near(haversineM(10, 60, 11, 60), 55597.0109, 0.001, '60° N');
  near(haversineM(11, -60, 10, -60), 55597.0109, 0.001, '60° S');
});

test('antipodes are half a great circle apart (π·R), not more', () => {
  near(haversineM(0, 0, 180, 0), 20015114.442, 0.001, 'equator');
  near(haversineM(-90, 0, 90, 0), 20015114.442, 0.001, 'equator, west to east');
  near(haversineM(0, 90, 0, -90), 20015114.442, 0.001, 'pole to pole');
});

test('Nashville to Los Angeles: the published haversine example, scaled to this radius', () => {
  // Rosetta Code, "Haversine formula": BNA (36.12, −86.67) to LAX (33.94, −118.40) is 2887.2599506 km with
  // R = 6372.8 km; the distance scales with the radius: 2887.2599506 × 6371.0088 / 6372.8 = 2886.4484 km.
  near(haversineM(-86.67, 36.12, -118.4, 33.94), 2886448.43, 0.01, 'BNA–LAX');
  near(haversineM(-118.4, 33.94, -86.67, 36.12), 2886448.43, 0.01, 'LAX–BNA');
});

test('the local projection has R·π/180 metres per degree of latitude and cos(lat0) of that per degree of longitude', () => {
  const p = localProjection(104, 60);
  assert.equal(p.lon0, 104);
  assert.equal(p.lat0, 60);
  near(p.metresPerDegreeLat, DEGREE_M, 1e-4, 'metres per degree of latitude');
  near(p.metresPerDegreeLon, DEGREE_M / 2, 1e-4, 'metres per degree of longitude at 60°');
  const equator = localProjection(0, 0);
  near(equator.metresPerDegreeLon, DEGREE_M, 1e-4, 'metres per degree of longitude at the equator');
});

test('projecting measures from the reference point and unprojecting returns to degrees', () => {
  const p = localProjection(104, 60);
  near(projectX(p, 105), DEGREE_M / 2, 1e-4, 'one degree east');
  near(projectX(p, 103.5), -DEGREE_M / 4, 1e-4, 'half a degree west');
  near(projectY(p, 61), DEGREE_M, 1e-4, 'one degree north');
  near(projectY(p, 59.5), -DEGREE_M / 2, 1e-4, 'half a degree south');
  assert.equal(projectX(p, 104), 0);
  assert.equal(projectY(p, 60), 0);
  near(unprojectLon(p, DEGREE_M / 2), 105, 1e-9, 'back east');
  near(unprojectLon(p, -DEGREE_M / 4), 103.5, 1e-9, 'back west');
  near(unprojectLat(p, DEGREE_M), 61, 1e-9, 'back north');
  near(unprojectLat(p, -DEGREE_M / 2), 59.5, 1e-9, 'back south');
});
