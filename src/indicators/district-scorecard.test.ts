import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_SCORECARD_CONFIG,
  DEFAULT_SCORECARD_WEIGHTS,
  INDICATORS,
  districtScorecard,
  districtsToScore,
  targetInForce,
  type ScorecardTarget,
} from './index.js';

/** The district scorecard's own rules; the expected figures are worked out by hand in the comments. */

const MEAL = 'elderly-meal-coverage'; // 老年助餐服务覆盖社区比例, higher is better
const target = (regionCode: string, deadlineYear: number, targetValue = 100): ScorecardTarget => ({
  indicatorCode: MEAL,
  regionCode,
  deadlineYear,
  targetValue,
  baselineValue: null,
});

test('the target in force is the earliest whose deadline (31 December) has not passed, else the latest', () => {
  const targets = [target('510104', 2030, 90), target('510104', 2025, 60), target('510104', 2027, 75)];
  const other = [
    ...targets,
    target('510105', 2026, 50),
    { ...target('510104', 2026, 1), indicatorCode: 'x' },
  ];
  assert.equal(
    targetInForce(other, MEAL, '510104', '2026-03-16')?.targetValue,
    75,
    '2025 passed, 2027 is next',
  );
  assert.equal(
    targetInForce(other, MEAL, '510104', '2027-12-31')?.targetValue,
    75,
    'in force on its deadline',
  );
  assert.equal(targetInForce(other, MEAL, '510104', '2028-01-01')?.targetValue, 90, 'the day after: 2030');
  assert.equal(targetInForce(other, MEAL, '510104', '2031-01-01')?.targetValue, 90, 'all passed: the latest');
  assert.equal(targetInForce(other, MEAL, '510104', '2024-06-30')?.targetValue, 60);
  assert.equal(targetInForce(other, MEAL, '510106', '2026-03-16'), undefined, 'no target of its own');
  assert.deepEqual(
    targets.map((t) => t.deadlineYear),
    [2030, 2025, 2027],
    'the caller’s list is left in its order',
  );
});

test('districts without a value of any indicator are left out, unless no district has any', () => {
  const districts = [{ code: '510104' }, { code: '510105' }, { code: '510106' }];
  const latest = [
    { indicatorCode: MEAL, regionCode: '510104', value: 50 },
    { indicatorCode: 'x', regionCode: '510106', value: null },
    { indicatorCode: MEAL, regionCode: '5101', value: 40 },
  ];
  assert.deepEqual(
    districtsToScore(districts, latest).map((d) => d.code),
    ['510104', '510106'],
    'a stored null is still a value on record',
  );
  assert.deepEqual(
    districtsToScore(districts, []).map((d) => d.code),
    ['510104', '510105', '510106'],
  );
});

test('default weights: the three coverage indicators and measure completion, 1 each, marked as an unverified default', () => {
  assert.deepEqual(DEFAULT_SCORECARD_CONFIG, {
    indicatorWeights: {
      'community-childcare-coverage': 1,
      'community-elderly-care-coverage': 1,
      'elderly-meal-coverage': 1,
    },
    measureWeight: 1,
  });
  assert.equal(DEFAULT_SCORECARD_WEIGHTS.value, DEFAULT_SCORECARD_CONFIG);
  assert.equal(DEFAULT_SCORECARD_WEIGHTS.verified, false);
  assert.match(DEFAULT_SCORECARD_WEIGHTS.source, /^LifeCircle default/);
  assert.match(DEFAULT_SCORECARD_WEIGHTS.note ?? '', /津政办发〔2022〕15号/);
  for (const code of Object.keys(DEFAULT_SCORECARD_CONFIG.indicatorWeights)) {
    const indicator = INDICATORS.find((i) => i.code === code);
    assert.equal(indicator?.kind, 'computed', `${code} is a computed coverage indicator`);
  }
});

const districts = [
  { code: '510104', name: '锦江区' },
  { code: '510105', name: '青羊区' },
  { code: '510106', name: '金牛区' },
];
const latest = [
  { indicatorCode: MEAL, regionCode: '510104', value: 50 },
  { indicatorCode: MEAL, regionCode: '510105', value: 20 },
];
const base = {
  config: { indicatorWeights: { [MEAL]: 1 }, measureWeight: 1 },
  cityCode: '5101',
  districts,
  latest,
  // The city's target 100 by 2027; 青羊区 has its own, 40 by 2027, and one that passed (10 by 2025).
  targets: [target('5101', 2027, 100), target('510105', 2027, 40), target('510105', 2025, 10)],
  asOf: '2026-03-16',
  catalogue: INDICATORS,
};

test('each district is scored against its own target in force, else the city’s; completion from plan tracking', () => {
  const result = districtScorecard({
    ...base,
    tracked: new Map([
      ['510104', 0.5],
      ['510105', 1],
    ]),
  });
  // 青羊区: 20 ÷ 40 = 0.5, completion 1 → 100 × (0.5 + 1) ÷ 2 = 75.
  // 锦江区: 50 ÷ 100 (the city's) = 0.5, completion 0.5 → 100 × (0.5 + 0.5) ÷ 2 = 50. 金牛区 has no value: left out.
  assert.deepEqual(
    result.card.rows.map((r) => [r.name, r.rank, r.total, r.indicatorScores[MEAL], r.measureScore]),
    [
      ['青羊区', 1, 75, 0.5, 1],
      ['锦江区', 2, 50, 0.5, 0.5],
    ],
  );
  assert.equal(result.completionWired, true);
  assert.deepEqual(result.values, { '510104': { [MEAL]: 50 }, '510105': { [MEAL]: 20 } });
  assert.deepEqual(result.notes, [{ code: 'districts-left-out', count: 1 }]);
});

test('no assignment yet, no plan tracking, no target: scored 0 and said so', () => {
  const empty = districtScorecard({ ...base, tracked: new Map() });
  assert.equal(empty.completionWired, false);
  assert.deepEqual(empty.notes[1], { code: 'measure-not-assigned' });
  // Both: 100 × 0.5 ÷ 2 = 25, completion missing and listed; equal totals share the rank, in region-code order.
  assert.deepEqual(
    empty.card.rows.map((r) => [r.region, r.rank, r.total, r.missing]),
    [
      ['510104', 1, 25, ['measureCompletion']],
      ['510105', 1, 25, ['measureCompletion']],
    ],
  );
  const unwired = districtScorecard({ ...base, tracked: null });
  assert.deepEqual(unwired.notes[1], { code: 'measure-not-connected' });
  const noTarget = districtScorecard({ ...base, targets: [], tracked: null });
  assert.deepEqual(noTarget.notes.slice(2), [
    { code: 'indicator-without-target', indicator: MEAL },
    { code: 'nothing-scored' },
  ]);
  // Values reported but nothing to score them against: not ranked (rather than all first with 0), and why.
  assert.deepEqual(
    noTarget.card.rows.map((r) => [r.region, r.rank, r.total, r.missing, r.noTarget]),
    [
      ['510104', null, 0, ['measureCompletion'], [MEAL]],
      ['510105', null, 0, ['measureCompletion'], [MEAL]],
    ],
  );
  const noMeasureWeight = districtScorecard({
    ...base,
    config: { ...base.config, measureWeight: 0 },
    tracked: null,
  });
  assert.deepEqual(
    noMeasureWeight.notes,
    [{ code: 'districts-left-out', count: 1 }],
    'completion weighs nothing',
  );
});

test('a district with only unscored parts is listed after the ranked ones, unranked; ties among the ranked share', () => {
  const result = districtScorecard({
    ...base,
    districts: [...districts, { code: '510107', name: '武侯区' }],
    latest: [...latest, { indicatorCode: MEAL, regionCode: '510107', value: 50 }],
    // 武侯区 has its value but (with the city's target gone) only 青羊区 has a target in force.
    targets: [target('510105', 2027, 40)],
    tracked: null,
  });
  assert.deepEqual(
    result.card.rows.map((r) => [r.name, r.rank]),
    [
      ['青羊区', 1],
      ['锦江区', null],
      ['武侯区', null],
    ],
  );
  assert.ok(!result.notes.some((n) => n.code === 'nothing-scored'));
});
