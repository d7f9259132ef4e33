import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { importPlan, type ProgressReport, type Target } from '../plans/index.js';
import { assessProgress, indicatorByCode, progressInputFor, targetGoal, valueFromReport } from './index.js';

const plan = importPlan(readFileSync('data/seeds/002_ce73fb87e0a846d2.txt'), '002.txt');

test('seed 002 每千人口托位数 4.5 by 2025 becomes a goal of 4.5 on 2025-12-31 and is assessed', async () => {
  const target = (await plan).measures[0].children[0].targets[5];
  const indicator = indicatorByCode('childcare-places-per-1000');
  assert.ok(indicator);
  const input = progressInputFor(
    target,
    indicator,
    { date: '2021-12-31', value: 2.1 },
    [{ date: '2024-12-31', value: 4.6 }],
    '2025-01-10',
  );
  assert.deepEqual(input?.target, { value: 4.5, deadline: '2025-12-31' });
  assert.equal(input && assessProgress(input).status, 'achieved');
});

test('a relative target (比2020年增加200人以上) is added to the baseline', async () => {
  const target = (await plan).measures[0].children[0].targets[2];
  assert.deepEqual(targetGoal(target, { date: '2020-12-31', value: 1350 }), {
    value: 1550,
    deadline: '2025-12-31',
  });
});

test('relative targets of each kind reach the level their words say, from the baseline', () => {
  // Hand-worked: 提高5个百分点 on 80 % → 85; 增长10% on 1,350 → 1,485; 翻一番 on 12 → 24; 减少20人 on 300 → 280.
  const goal = (relative: Target['relative'], value: number, baseline: number) =>
    targetGoal({ ...base, relative, value, valueMax: null }, { date: '2020-12-31', value: baseline })?.value;
  const base = { deadlineYear: 2025 } as Target;
  assert.equal(goal({ baselineYear: 2020, change: 'increase', kind: 'points' }, 5, 80), 85);
  assert.ok(
    Math.abs((goal({ baselineYear: 2020, change: 'increase', kind: 'percent' }, 10, 1350) ?? 0) - 1485) <
      1e-9,
  );
  assert.equal(goal({ baselineYear: null, change: 'increase', kind: 'multiple' }, 2, 12), 24);
  assert.equal(goal({ baselineYear: 2020, change: 'decrease', kind: 'absolute' }, 20, 300), 280);
});

test('only an accepted report with a value becomes an indicator value, with the report as provenance', () => {
  const report: ProgressReport = {
    id: 'r7',
    assignmentId: 'qhd:m1.1:市:culture-tourism',
    departmentKey: '市:culture-tourism',
    submittedAt: '2025-06-30',
    status: 'in-progress',
    value: 3.1,
    narrative: '上半年公共文化设施服务人次。',
    evidence: [],
    review: null,
  };
  assert.equal(valueFromReport(report, 'public-culture-visits-per-10000', '130300'), null);
  const accepted = {
    ...report,
    review: { decision: 'accepted' as const, reviewer: 'fgw-1', reviewedAt: '2025-07-05', comment: '' },
  };
  assert.deepEqual(valueFromReport(accepted, 'public-culture-visits-per-10000', '130300'), {
    code: 'public-culture-visits-per-10000',
    region: '130300',
    date: '2025-06-30',
    value: 3.1,
    provenance: {
      kind: 'report',
      reportId: 'r7',
      department: '市:culture-tourism',
      reportedAt: '2025-07-05',
    },
  });
});
