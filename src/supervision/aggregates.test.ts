import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aggregate, aggregateBy, monthlyTrend, priorFrom, residentSatisfaction } from './aggregates.js';
import { buildRating, loadCommunities } from './test-helpers.js';
import type { RatingLevel } from './rules.js';

function ratings(levels: RatingLevel[], extra: Parameters<typeof buildRating>[0] = {}) {
  return levels.map((level) => buildRating({ level, ...extra }));
}

test('the satisfaction rate is the share of the three positive levels', () => {
  const rs = ratings([
    'very_satisfied',
    'satisfied',
    'basically_satisfied',
    'dissatisfied',
    'very_dissatisfied',
  ]);
  assert.equal(aggregate('x', rs, priorFrom(rs)).satisfactionRate, 0.6);
});

test('held and invalidated ratings do not count', () => {
  const rs = [
    ...ratings(['satisfied']),
    ...ratings(['very_dissatisfied'], { status: 'held' }),
    ...ratings(['very_dissatisfied'], { status: 'invalidated' }),
  ];
  const a = aggregate('x', rs, priorFrom(rs));
  assert.equal(a.count, 1);
  assert.equal(a.satisfactionRate, 1);
});

test('a single 非常满意 does not outrank an outlet with fifty ratings averaging 4.6', () => {
  const lone = ratings(['very_satisfied'], { outletId: 'lone' });
  const steady = [
    ...ratings(Array<RatingLevel>(30).fill('very_satisfied'), { outletId: 'steady' }),
    ...ratings(Array<RatingLevel>(20).fill('satisfied'), { outletId: 'steady' }),
  ];
  const all = [
    ...lone,
    ...steady,
    ...ratings(Array<RatingLevel>(50).fill('basically_satisfied'), { outletId: 'other' }),
  ];
  const byOutlet = new Map(aggregateBy(all, 'outlet').map((a) => [a.key, a]));
  assert.equal(byOutlet.get('lone')?.meanScore, 5);
  assert.ok((byOutlet.get('steady')?.bayesianMean ?? 0) > (byOutlet.get('lone')?.bayesianMean ?? 0));
});

test('with no ratings the Bayesian mean is the prior mean', () => {
  assert.equal(aggregate('none', [], { weight: 10, mean: 4.2, satisfactionRate: 0.9 }).bayesianMean, 4.2);
});

test('region aggregates roll real 社区 codes up to their 街道', () => {
  const [a, b] = loadCommunities().filter((c) => c.streetCode === '510104017');
  const rs = [
    ...ratings(['satisfied'], { regionCode: a.code }),
    ...ratings(['dissatisfied'], { regionCode: b.code }),
  ];
  const byStreet = aggregateBy(rs, 'region', { regionDigits: 9 });
  assert.deepEqual(
    byStreet.map((x) => [x.key, x.count]),
    [['510104017', 2]],
  );
});

test('aggregates per provider and per service type are keyed by USCC and type', () => {
  const rs = [
    ...ratings(['satisfied'], { serviceType: 'childcare' }),
    ...ratings(['satisfied'], { serviceType: 'elderly-care' }),
  ];
  assert.deepEqual(
    aggregateBy(rs, 'type').map((x) => x.key),
    ['childcare', 'elderly-care'],
  );
});

test('the monthly trend uses Beijing months and fills empty months', () => {
  const rs = [
    buildRating({ createdAt: '2026-01-31T17:00:00Z', level: 'dissatisfied' }), // 1 Feb in Beijing
    buildRating({ createdAt: '2026-04-02T02:00:00Z', level: 'satisfied' }),
  ];
  assert.deepEqual(
    monthlyTrend(rs).map((p) => [p.month, p.count, p.satisfactionRate]),
    [
      ['2026-02', 1, 0],
      ['2026-03', 0, null],
      ['2026-04', 1, 1],
    ],
  );
});

test('resident satisfaction of a 街道 counts only its ratings within the period', () => {
  const rs = [
    ...ratings(Array<RatingLevel>(9).fill('satisfied'), {
      regionCode: '510104017001',
      createdAt: '2026-05-10T02:00:00Z',
    }),
    ...ratings(['dissatisfied'], { regionCode: '510104017002', createdAt: '2026-05-11T02:00:00Z' }),
    ...ratings(['dissatisfied'], { regionCode: '510105002001', createdAt: '2026-05-11T02:00:00Z' }),
    ...ratings(['dissatisfied'], { regionCode: '510104017001', createdAt: '2026-07-01T02:00:00Z' }),
  ];
  const figure = residentSatisfaction(rs, '510104017', '2026-05-01', '2026-06-30');
  assert.equal(figure.ratings, 10);
  assert.equal(figure.rate, 0.9);
});

test('ten ratings at 90 % cannot show that a "≥ 90 %" target is met: the interval is wide', () => {
  const rs = [...ratings(Array<RatingLevel>(9).fill('satisfied')), ...ratings(['dissatisfied'])];
  const [low, high] = residentSatisfaction(rs, '', '2026-01-01', '2026-12-31').interval95 ?? [0, 0];
  // Wilson interval for 9/10: 0.596–0.982.
  assert.equal(low.toFixed(3), '0.596');
  assert.equal(high.toFixed(3), '0.982');
});
