import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assessProgress, chartPoints, trajectoryValue, type ProgressInput } from './index.js';

// 每千人口托位数 from 2.0 (end of 2020) to the seed-002 target 4.5 by the end of 2025.
const base: Omit<ProgressInput, 'observations' | 'asOf'> = {
  direction: 'higher-is-better',
  baseline: { date: '2020-12-31', value: 2 },
  target: { value: 4.5, deadline: '2025-12-31' },
};

test('the trajectory is straight: 911 of 1826 days in, it expects 2 + 2.5 × 911/1826', () => {
  const expected = trajectoryValue(base.baseline, base.target, '2023-06-30');
  assert.ok(Math.abs(expected - (2 + (2.5 * 911) / 1826)) < 1e-9);
  assert.equal(trajectoryValue(base.baseline, base.target, '2027-01-01'), 4.5);
});

test('80% of the expected progress is at risk, with a behind-trajectory warning', () => {
  const result = assessProgress({
    ...base,
    observations: [{ date: '2023-06-30', value: 3 }],
    asOf: '2023-07-01',
  });
  assert.equal(result.status, 'at-risk');
  assert.ok(Math.abs((result.ratio ?? 0) - 1 / ((2.5 * 911) / 1826)) < 1e-9);
  assert.deepEqual(
    result.warnings.map((w) => w.kind),
    ['behind-trajectory'],
  );
  // Both languages carry the same numbers: the value, its date and the share of expected progress.
  const [w] = result.warnings;
  const pct = `${Math.round((result.ratio ?? 0) * 100)}%`;
  for (const text of [w.message, w.messageZh])
    assert.ok(text.includes('2023-06-30') && text.includes(pct), text);
  assert.match(w.messageZh, /目标轨迹/);
});

test('less than half the expected progress is off track; reaching the target is achieved', () => {
  const off = assessProgress({
    ...base,
    observations: [{ date: '2023-06-30', value: 2.2 }],
    asOf: '2023-07-01',
  });
  assert.equal(off.status, 'off-track');
  const done = assessProgress({
    ...base,
    observations: [{ date: '2024-12-31', value: 4.6 }],
    asOf: '2025-01-05',
  });
  assert.equal(done.status, 'achieved');
  assert.deepEqual(done.warnings, []);
});

test('a lower-is-better indicator ahead of its falling trajectory is on track', () => {
  const result = assessProgress({
    direction: 'lower-is-better',
    baseline: { date: '2024-01-01', value: 30 },
    target: { value: 10, deadline: '2026-01-01' },
    observations: [{ date: '2025-01-01', value: 19 }],
    asOf: '2025-01-02',
  });
  assert.equal(result.status, 'on-track');
});

test('early warnings: deadline near, deadline missed, regressing and stale data', () => {
  const near = assessProgress({
    ...base,
    observations: [{ date: '2025-10-01', value: 4.4 }],
    asOf: '2025-11-01',
  });
  assert.ok(near.warnings.some((w) => w.kind === 'deadline-near' && /60 days/.test(w.message)));
  const missed = assessProgress({
    ...base,
    observations: [{ date: '2025-12-31', value: 4.4 }],
    asOf: '2026-03-01',
  });
  assert.ok(missed.warnings.some((w) => w.kind === 'deadline-missed'));
  const falling = assessProgress({
    ...base,
    observations: [
      { date: '2023-06-30', value: 2.8 },
      { date: '2023-01-01', value: 3.0 },
    ],
    asOf: '2023-07-01',
  });
  assert.ok(falling.warnings.some((w) => w.kind === 'regressing'));
  const stale = assessProgress({
    ...base,
    observations: [{ date: '2022-01-01', value: 2.6 }],
    asOf: '2023-06-30',
  });
  assert.ok(stale.warnings.some((w) => w.kind === 'stale-data'));
});

test('no observation yet is no-data, and a missed deadline still warns', () => {
  const result = assessProgress({ ...base, observations: [], asOf: '2026-02-01' });
  assert.equal(result.status, 'no-data');
  assert.deepEqual(
    result.warnings.map((w) => w.kind),
    ['deadline-missed'],
  );
});

test('chart points run from the baseline through each observation to the deadline, with the trajectory value', () => {
  const points = chartPoints(base.baseline, base.target, [{ date: '2023-06-30', value: 3 }]);
  assert.deepEqual(
    points.map((p) => [p.date, p.actual]),
    [
      ['2020-12-31', 2],
      ['2023-06-30', 3],
      ['2025-12-31', null],
    ],
  );
  assert.deepEqual([points[0].expected, points[2].expected], [2, 4.5]);
});
