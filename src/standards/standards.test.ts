import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isLifeCircleError } from '../errors.js';
import {
  COMPLETE_COMMUNITY_CHECKLIST,
  FACILITY_TYPES,
  MOFCOM_FORMATS,
  TIERS,
  defaultStandards,
  facilityTypeById,
  loadStandards,
  matchingTypes,
  parseCityConfig,
} from './index.js';

const FIXTURES = 'src/standards/fixtures';

test('tiers are ordered by walking distance: 5 < 10 < 15 minutes, as in GB 50180-2018 表 3.0.4', () => {
  const distances = TIERS.filter((t) => t.walkingDistanceM).map((t) => t.walkingDistanceM?.value);
  assert.deepEqual(distances, [300, 500, 1000]);
  assert.deepEqual(
    TIERS.map((t) => t.rank),
    [0, 1, 2, 3],
  );
});

test('every facility type, format and checklist item names its source and verification status', () => {
  for (const t of FACILITY_TYPES) {
    for (const v of [t.tier, t.radiusM, t.provision, t.defaultCapacity, t.lifeServiceCategory]) {
      assert.ok(v.source.length > 10, `${t.id} source`);
      assert.equal(typeof v.verified, 'boolean');
    }
  }
  for (const f of MOFCOM_FORMATS) assert.ok(f.provenance.source.length > 10, f.id);
  for (const i of COMPLETE_COMMUNITY_CHECKLIST) assert.ok(i.requirement.source.length > 10, i.id);
});

test('radii not yet checked against GB 50180-2018 附录C ship unverified', () => {
  assert.ok(FACILITY_TYPES.every((t) => t.radiusM.verified === false));
});

test('checklist items point only at known facility types', () => {
  const ids = new Set(FACILITY_TYPES.map((t) => t.id));
  for (const i of COMPLETE_COMMUNITY_CHECKLIST) for (const t of i.facilityTypes) assert.ok(ids.has(t), t);
});

test('OSM selectors tell a 小学 from a 中学 by name and a kindergarten by tag', () => {
  assert.deepEqual(matchingTypes({ amenity: 'school', name: '成都市实验小学' }, FACILITY_TYPES), [
    'primary-school',
  ]);
  assert.deepEqual(matchingTypes({ amenity: 'school', name: '成都七中' }, FACILITY_TYPES), []);
  assert.deepEqual(matchingTypes({ amenity: 'school', name: '石室中学' }, FACILITY_TYPES), ['middle-school']);
  assert.deepEqual(matchingTypes({ amenity: 'kindergarten' }, FACILITY_TYPES), ['kindergarten']);
});

test('a YAML city config overrides radius, capacity, walking speed, tier distance and switches types off', () => {
  const s = loadStandards(`${FIXTURES}/chengdu-config.yaml`);
  const k = facilityTypeById(s, 'kindergarten');
  assert.equal(k.radiusM.value, 500);
  assert.equal(k.radiusM.verified, true);
  assert.match(k.radiusM.source, /chengdu-config\.yaml facilityTypes\.kindergarten\.radiusM/);
  assert.equal(k.catchmentM.value, 500);
  assert.equal(k.defaultCapacity.value, 270);
  assert.equal(s.walkingSpeedMPerMin.value, 70);
  assert.equal(s.tiers.find((t) => t.id === 'five-minute')?.walkingDistanceM?.value, 350);
  assert.equal(facilityTypeById(s, 'large-sports-ground').enabled, false);
  assert.equal(facilityTypeById(s, 'nursery').radiusM.value, 300);
  assert.equal(s.city, '成都市锦江区');
});

test('without a config the national defaults apply, all types enabled', () => {
  const s = defaultStandards();
  assert.equal(s.walkingSpeedMPerMin.value, 60);
  assert.ok(s.facilityTypes.every((t) => t.enabled));
});

function configError(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    assert.ok(isLifeCircleError(error));
    assert.equal(error.code, 'LC_CONFIG');
    return error.message;
  }
  assert.fail('expected LC_CONFIG');
}

test('a radius that is not a number is reported with its key and the expected value', () => {
  const message = configError(() => loadStandards(`${FIXTURES}/bad-radius.yaml`));
  assert.match(
    message,
    /bad-radius\.yaml: facilityTypes\.kindergarten\.radiusM: expected a service radius as a number of metres/,
  );
});

test('a misspelt facility type is reported with the known ids', () => {
  const message = configError(() => loadStandards(`${FIXTURES}/bad-type.json`));
  assert.match(message, /facilityTypes: unknown key "kindergarden"; expected one of .*kindergarten/);
});

test('a negative walking speed and an unknown tier are rejected naming the key', () => {
  assert.match(
    configError(() => parseCityConfig('walkingSpeedMPerMin: -5', 'c.yaml')),
    /walkingSpeedMPerMin: expected a walking speed between 20 and 150/,
  );
  assert.match(
    configError(() => parseCityConfig('facilityTypes:\n  nursery:\n    tier: 7-minute\n', 'c.yaml')),
    /facilityTypes\.nursery\.tier: expected one of neighbourhood-block, five-minute/,
  );
});

test('broken YAML is reported with its line', () => {
  assert.match(
    configError(() => parseCityConfig('city: a\n  bad: [\n', 'c.yaml')),
    /c\.yaml line \d+: not valid JSON\/YAML/,
  );
});
