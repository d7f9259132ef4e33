import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isLifeCircleError } from '../errors.js';
import {
  DEFAULT_SCORING,
  classifyProvider,
  recomputeClasses,
  validateScoringConfig,
  type CreditRecord,
} from './credit.js';
import { REAL_USCC } from './test-helpers.js';

const P = REAL_USCC.tencent;
let n = 0;
function rec(overrides: Partial<CreditRecord> & Pick<CreditRecord, 'kind'>): CreditRecord {
  n += 1;
  return {
    id: `rec-${n}`,
    uscc: P,
    title: overrides.kind,
    source: { authority: '锦江区市场监督管理局' },
    date: '2026-01-10',
    ...overrides,
  };
}

test('a provider with no records is ordinary risk (B)', () => {
  const c = classifyProvider(P, [], '2026-11-22');
  assert.equal(c.score, DEFAULT_SCORING.base);
  assert.equal(c.riskClass, 'B');
});

test('a fresh compliant inspection and an award make a provider low risk (A), explained by both records', () => {
  const records = [
    rec({ kind: 'inspection', outcome: 'compliant', date: '2026-11-01' }),
    rec({ kind: 'award', title: '市级诚信经营示范店', date: '2026-11-01' }),
  ];
  const c = classifyProvider(P, records, '2026-11-22');
  assert.equal(c.riskClass, 'A');
  assert.deepEqual(
    c.drivers.map((d) => d.kind),
    ['award', 'inspection'],
  );
});

test('a serious penalty in force makes the provider high risk (D) whatever its score', () => {
  const records = [
    rec({ kind: 'award', date: '2026-10-01' }),
    rec({ kind: 'award', date: '2026-10-02' }),
    rec({ kind: 'award', date: '2026-10-03' }),
    rec({
      id: 'pen-1',
      kind: 'penalty',
      severity: 'serious',
      title: '预付卡经营者卷款停业',
      date: '2026-06-01',
    }),
  ];
  const c = classifyProvider(P, records, '2026-11-22');
  assert.equal(c.riskClass, 'D');
  assert.deepEqual(c.decidedBy, { rule: 'serious-penalty', recordIds: ['pen-1'] });
});

test('a repaired (信用修复) penalty no longer counts and is listed as excluded', () => {
  const penalty = rec({ kind: 'penalty', severity: 'serious', date: '2025-06-01', repairedOn: '2026-06-01' });
  const c = classifyProvider(P, [penalty], '2026-11-22');
  assert.equal(c.riskClass, 'B');
  assert.deepEqual(c.excluded, [{ recordId: penalty.id, reason: 'repaired' }]);
});

test('a penalty loses half its weight after one half-life', () => {
  const penalty = rec({ kind: 'penalty', severity: 'ordinary', date: '2024-11-22' });
  const c = classifyProvider(P, [penalty], '2026-11-22'); // 730 days later
  assert.equal(c.drivers[0].points, DEFAULT_SCORING.weights.penalty.ordinary / 2);
});

test('an expired permit that was not renewed lowers the score; a renewed one does not', () => {
  const old = rec({ kind: 'permit', title: '食品经营许可证', date: '2021-01-01', validUntil: '2026-01-01' });
  const renewal = rec({
    kind: 'permit',
    title: '食品经营许可证',
    date: '2025-12-20',
    validUntil: '2030-12-19',
  });
  assert.equal(
    classifyProvider(P, [old], '2026-11-22').score,
    DEFAULT_SCORING.base + DEFAULT_SCORING.weights.permitExpired,
  );
  assert.equal(classifyProvider(P, [old, renewal], '2026-11-22').score, DEFAULT_SCORING.base);
});

test('records dated after the classification date do not count yet', () => {
  const c = classifyProvider(
    P,
    [rec({ kind: 'penalty', severity: 'serious', date: '2026-12-01' })],
    '2026-11-22',
  );
  assert.equal(c.riskClass, 'B');
});

test('a new record triggers recomputation and reports the class change with its cause', () => {
  const before = new Map([[P, classifyProvider(P, [], '2026-11-22')]]);
  const penalty = rec({ kind: 'penalty', severity: 'serious', date: '2026-11-20' });
  const { changes } = recomputeClasses(before, [penalty], [P], '2026-11-22');
  assert.deepEqual(
    changes.map((c) => [c.uscc, c.from, c.to, c.decidedBy.rule]),
    [[P, 'B', 'D', 'serious-penalty']],
  );
});

test('scoring thresholds that are not descending are refused with the values named', () => {
  const bad = { ...DEFAULT_SCORING, thresholds: { A: 80, B: 90, C: 70 } };
  assert.throws(
    () => validateScoringConfig(bad),
    (e: unknown) =>
      isLifeCircleError(e) && e.code === 'LC_SUPERVISION_CONFIG' && /A=80, B=90/.test(e.message),
  );
});
