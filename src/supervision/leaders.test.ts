import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyProvider, type CreditRecord } from './credit.js';
import { rankLeaders, type OutletRef } from './leaders.js';
import type { RatingLevel } from './rules.js';
import { REAL_USCC, buildRating } from './test-helpers.js';

const outlets: OutletRef[] = [
  { outletId: 'steady', providerUscc: REAL_USCC.huawei, serviceType: 'canteen' },
  { outletId: 'few', providerUscc: REAL_USCC.tencent, serviceType: 'canteen' },
  { outletId: 'risky', providerUscc: REAL_USCC.petroChina, serviceType: 'canteen' },
  { outletId: 'ok', providerUscc: REAL_USCC.tencent, serviceType: 'canteen' },
];

function ratingsOf(outletId: string, levels: [RatingLevel, number][]) {
  return levels.flatMap(([level, n]) =>
    Array.from({ length: n }, () => buildRating({ outletId, level, serviceType: 'canteen' })),
  );
}

const ratings = [
  ...ratingsOf('steady', [
    ['very_satisfied', 40],
    ['satisfied', 8],
    ['dissatisfied', 2],
  ]),
  ...ratingsOf('few', [['very_satisfied', 5]]),
  ...ratingsOf('risky', [['very_satisfied', 60]]),
  ...ratingsOf('ok', [
    ['satisfied', 20],
    ['basically_satisfied', 5],
    ['dissatisfied', 5],
  ]),
];
const serious: CreditRecord = {
  id: 'pen',
  uscc: REAL_USCC.petroChina,
  kind: 'penalty',
  severity: 'serious',
  title: '严重违法',
  source: { authority: '市场监管局' },
  date: '2026-06-01',
};
const classes = new Map(
  [REAL_USCC.huawei, REAL_USCC.tencent, REAL_USCC.petroChina].map((u) => [
    u,
    classifyProvider(u, [serious], '2026-11-22'),
  ]),
);

test('leaders need enough ratings and a low or ordinary credit risk', () => {
  const ranking = rankLeaders(outlets, ratings, classes).get('canteen') ?? [];
  assert.deepEqual(
    ranking.map((e) => e.outletId),
    ['steady', 'ok'],
  );
});

test('each leader entry shows the components of its score', () => {
  const [first] = rankLeaders(outlets, ratings, classes).get('canteen') ?? [];
  assert.equal(first.riskClass, 'B');
  // By hand: the canteen prior is 138 positive of 145 ratings (steady 48/50, few 5/5, risky 60/60, ok 25/30) with
  // weight 10, so steady's rate is (10 × 138/145 + 48) / (10 + 50) = (1668/29) / 60 = 139/145.
  assert.ok(
    Math.abs(first.bayesianSatisfactionRate - 139 / 145) < 1e-12,
    `${first.bayesianSatisfactionRate}`,
  );
});
