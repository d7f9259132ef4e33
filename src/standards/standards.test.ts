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

/**
 * reference/standards.md, "Working defaults for facility service radii", one row per facility, typed by hand:
 * [GB 50180-2018 name as in that table, tier, default service radius in metres]. The last row of the table
 * (社区食堂, 社区商业网点 — 5-min — 300 m) covers two of our types.
 */
const WORKING_DEFAULT_RADII: [string, string, number][] = [
  ['初中', 'fifteen-minute', 1000],
  ['大型多功能运动场地', 'fifteen-minute', 1000],
  ['卫生服务中心（社区医院）', 'fifteen-minute', 1000],
  ['文化活动中心', 'fifteen-minute', 1000],
  ['社区服务中心（街道级）', 'fifteen-minute', 1000],
  ['小学', 'ten-minute', 500],
  ['中型多功能运动场地', 'ten-minute', 500],
  ['菜市场或生鲜超市', 'ten-minute', 500],
  ['幼儿园', 'five-minute', 300],
  ['托儿所', 'five-minute', 300],
  ['老年人日间照料中心（托老所）', 'five-minute', 300],
  ['社区卫生服务站', 'five-minute', 300],
  ['社区服务站', 'five-minute', 300],
  ['小型多功能运动场地 / 室外综合健身场地', 'five-minute', 300],
  ['文化活动站', 'five-minute', 500], // the one 5-min facility with 500 m in the table
  ['社区食堂（老年助餐点）', 'five-minute', 300],
  ['社区商业网点（超市、药店、洗衣店、美发店等）', 'five-minute', 300],
];

test('each facility type has the tier and radius of its row in the working-defaults table, marked unverified', () => {
  assert.deepEqual(
    FACILITY_TYPES.map((t) => [t.nameZh, t.tier.value, t.radiusM.value]),
    WORKING_DEFAULT_RADII,
  );
  // The table is "not yet checked against 附录C": every radius ships unverified.
  assert.deepEqual(
    FACILITY_TYPES.filter((t) => t.radiusM.verified).map((t) => t.id),
    [],
  );
});

test('tier sizes are those of standards.md §1.1 and its addenda, verified only where the table has ✅', () => {
  assert.deepEqual(
    TIERS.map((t) => [
      t.id,
      t.walkingMinutes ?? null,
      t.walkingDistanceM ? [t.walkingDistanceM.value, t.walkingDistanceM.verified] : null,
      t.residents ? [t.residents.value, t.residents.verified] : null,
      t.dwellings ? [t.dwellings.value, t.dwellings.verified] : null,
    ]),
    [
      // 居住街坊: no walking tier (❌); 1,000–3,000 residents ✅ (clause 2.0.5); dwellings ❌ not found.
      ['neighbourhood-block', null, null, [[1000, 3000], true], null],
      // 五分钟: 300 m ⚠️; 5,000–12,000 people and 1,500–4,000 dwellings ⚠️ (addenda, clause 2.0.3 quoted).
      ['five-minute', 5, [300, false], [[5000, 12000], false], [[1500, 4000], false]],
      // 十分钟: ≈500 m, 15,000–25,000 residents, ≈5,000–8,000 dwellings, all ✅ (中国大百科全书).
      ['ten-minute', 10, [500, true], [[15000, 25000], true], [[5000, 8000], true]],
      // 十五分钟: 800–1000 m ⚠️ (1000 m used); 50,000–100,000 and ≈17,000–32,000 ✅ (CCPR glossary).
      ['fifteen-minute', 15, [1000, false], [[50000, 100000], true], [[17000, 32000], true]],
    ],
  );
});

test('the planning walking speed is 60 m/min, unverified (⚠️ common practice, not the standard)', () => {
  const s = defaultStandards();
  assert.deepEqual([s.walkingSpeedMPerMin.value, s.walkingSpeedMPerMin.verified], [60, false]);
});

test('the 完整居住社区 checklist: one of each basic facility, 公共活动场地 ≥150 m², all ⚠️ unverified', () => {
  // standards.md §3, "Required facilities" and "公共活动场地" rows (secondary README summary, ⚠️).
  const byId = new Map(COMPLETE_COMMUNITY_CHECKLIST.map((i) => [i.id, i]));
  for (const id of [
    'service-station',
    'kindergarten',
    'nursery',
    'elderly-station',
    'health-station',
    'supermarket',
  ])
    assert.equal(byId.get(id)?.requirement.value, '1', id);
  assert.equal(byId.get('parcel')?.requirement.value, 'several');
  assert.equal(byId.get('activity-space')?.requirement.value, '≥150 m²');
  assert.deepEqual(byId.get('activity-space')?.facilityTypes, ['small-sports-ground']);
  assert.equal(COMPLETE_COMMUNITY_CHECKLIST.length, 15);
  assert.ok(COMPLETE_COMMUNITY_CHECKLIST.every((i) => i.requirement.verified === false));
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
  assert.equal(s.facilityTypes.length, 17);
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
