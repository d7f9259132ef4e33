import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { isLifeCircleError } from '../errors.js';
import {
  assignmentState,
  completionShare,
  createAssignments,
  expandLowerGovernments,
  importPlan,
  remindersByDepartment,
  reviewReport,
  submitReport,
  visibleAssignments,
  type Actor,
  type Assignment,
  type ParsedPlan,
  type ProgressReport,
} from './index.js';

// Seed 001 (西青区, issued 2022-08-08): 推广普惠养老服务 is m1.1, due by the end of 2022 (2022年，新建10处…).
const plan: Promise<ParsedPlan> = importPlan(readFileSync('data/seeds/001_6d4fe630431b83bc.txt'), '001.txt');
const coordinator: Actor = { role: 'coordinator', id: 'fgw-1' };
const civil = { role: 'department', id: 'mz-1', departmentKey: '区:civil-affairs' } as const satisfies Actor;
const commerce: Actor = { role: 'department', id: 'sw-1', departmentKey: '区:commerce' };

async function setup(): Promise<{ assignments: Assignment[]; civilOnM11: Assignment }> {
  const { assignments } = createAssignments(await plan, 'xq-2022', { startDate: '2022-08-08' });
  const civilOnM11 = assignments.find(
    (a) => a.measureId === 'm1.1' && a.departmentKey === civil.departmentKey,
  );
  assert.ok(civilOnM11);
  return { assignments, civilOnM11 };
}

function report(assignment: Assignment, id: string, submittedAt: string, status: ProgressReport['status']) {
  return {
    id,
    assignmentId: assignment.id,
    submittedAt,
    status,
    value: 6,
    narrative: '已建成6处，4处在建。',
    evidence: [],
  };
}

const rejects = (fn: () => unknown, code: string): void =>
  assert.throws(fn, (e: unknown) => isLifeCircleError(e) && e.code === code);

test('each (measure, unit) becomes an assignment due with the measure’s target year; generic units are left for the coordinator', async () => {
  const { assignments, unassignable } = createAssignments(await plan, 'xq-2022', { startDate: '2022-08-08' });
  const m11 = assignments.filter((a) => a.measureId === 'm1.1');
  assert.deepEqual(
    m11.map((a) => a.departmentName),
    ['区民政局', '区商务局', '区卫生健康委', '区财政局', '市规划和自然资源局（西青）', '各街镇'],
  );
  assert.ok(m11.every((a) => a.dueDate === '2022-12-31'));
  assert.deepEqual(unassignable, [{ measureId: 'm12.1', unit: '各有关单位' }]);
});

test('a department sees only its own assignments; the coordinator sees all', async () => {
  const { assignments } = await setup();
  const own = visibleAssignments(assignments, civil);
  // Seed 001 names 民政局 in twelve （…按职责分工负责） lists (counted by hand: text lines 19, 23, 25, 35, 57, 75,
  // 87, 93, 101, 107, 115 and 119), one assignment each.
  assert.equal(own.length, 12);
  assert.ok(own.every((a) => a.departmentKey === '区:civil-affairs'));
  assert.equal(visibleAssignments(assignments, coordinator).length, assignments.length);
});

test('a department cannot report on another department’s assignment, and the coordinator cannot report', async () => {
  const { assignments, civilOnM11 } = await setup();
  rejects(
    () => submitReport(assignments, [], report(civilOnM11, 'r1', '2022-09-30', 'in-progress'), commerce),
    'LC_TRACKING_FORBIDDEN',
  );
  rejects(
    () => submitReport(assignments, [], report(civilOnM11, 'r1', '2022-09-30', 'in-progress'), coordinator),
    'LC_TRACKING_FORBIDDEN',
  );
});

test('report → returned with a comment → resubmitted → accepted: the assignment is done', async () => {
  const { assignments, civilOnM11 } = await setup();
  const first = submitReport(assignments, [], report(civilOnM11, 'r1', '2022-09-30', 'in-progress'), civil);
  assert.equal(assignmentState(civilOnM11, [first], '2022-10-01').stage, 'awaiting-review');
  rejects(
    () => submitReport(assignments, [first], report(civilOnM11, 'r2', '2022-10-02', 'in-progress'), civil),
    'LC_TRACKING_STATE',
  );
  rejects(() => reviewReport(first, 'returned', coordinator, '2022-10-03'), 'LC_USAGE');
  rejects(() => reviewReport(first, 'accepted', civil, '2022-10-03'), 'LC_TRACKING_FORBIDDEN');
  const returned = reviewReport(first, 'returned', coordinator, '2022-10-03', '请附选址批复');
  const state = assignmentState(civilOnM11, [returned], '2022-10-04');
  assert.deepEqual([state.stage, state.reasons], ['returned', ['returned']]);
  const second = submitReport(
    assignments,
    [returned],
    report(civilOnM11, 'r2', '2022-11-30', 'completed'),
    civil,
  );
  const accepted = reviewReport(second, 'accepted', coordinator, '2022-12-05');
  assert.equal(assignmentState(civilOnM11, [returned, accepted], '2022-12-06').stage, 'done');
  rejects(() => reviewReport(accepted, 'accepted', coordinator, '2022-12-06'), 'LC_TRACKING_STATE');
  rejects(
    () =>
      submitReport(
        assignments,
        [returned, accepted],
        report(civilOnM11, 'r3', '2022-12-07', 'completed'),
        civil,
      ),
    'LC_TRACKING_STATE',
  );
});

test('overdue after the due date, at risk within 30 days of it or after 90 days without a report', async () => {
  const { civilOnM11 } = await setup();
  assert.deepEqual(assignmentState(civilOnM11, [], '2022-10-01').reasons, []);
  assert.deepEqual(assignmentState(civilOnM11, [], '2022-11-10').reasons, ['report-due']);
  assert.deepEqual(assignmentState(civilOnM11, [], '2022-12-15').reasons, ['due-soon', 'report-due']);
  const late = assignmentState(civilOnM11, [], '2023-01-10');
  assert.deepEqual([late.overdue, late.daysToDue], [true, -10]);
});

test('reminders per department list overdue items first, in Chinese', async () => {
  const { assignments, civilOnM11 } = await setup();
  const first = submitReport(assignments, [], report(civilOnM11, 'r1', '2022-12-20', 'blocked'), civil);
  const reminders = remindersByDepartment(
    assignments,
    [reviewReport(first, 'accepted', coordinator, '2022-12-21')],
    '2023-01-10',
  );
  const mine = reminders['区:civil-affairs'];
  assert.equal(mine[0].kind, 'overdue');
  assert.equal(mine[0].message, '逾期 10 天（期限 2022-12-31）');
  const commerceM11 = reminders['区:commerce'].filter((r) => r.measureId === 'm1.1');
  assert.deepEqual(
    commerceM11.map((r) => r.kind),
    ['overdue'],
  );
  // Measures without any deadline (no target year, no plan horizon in seed 001) remind only to report.
  assert.ok(reminders['区:commerce'].filter((r) => r.dueDate === null).every((r) => r.kind === 'report-due'));
});

test('completion share counts only completed reports the coordinator accepted', async () => {
  const { assignments, civilOnM11 } = await setup();
  const mine = assignments.filter((a) => a.departmentKey === civil.departmentKey);
  const done = reviewReport(
    submitReport(assignments, [], report(civilOnM11, 'r1', '2022-11-30', 'completed'), civil),
    'accepted',
    coordinator,
    '2022-12-01',
  );
  assert.equal(completionShare(mine, [done], '2022-12-02'), 1 / mine.length);
  assert.equal(completionShare(mine, [{ ...done, review: null }], '2022-12-02'), 0);
});

test('各区人民政府 assignments become one per district, whose completion feeds the district scorecard', async () => {
  const tianjin = await importPlan(readFileSync('data/seeds/000_35adacbb0c49853b.txt'), '000.txt');
  const { assignments } = createAssignments(tianjin, 'tj-2022', { startDate: '2022-03-11' });
  const districts = [
    { region: '120101', name: '和平区' },
    { region: '120111', name: '西青区' },
  ];
  const expanded = expandLowerGovernments(assignments, districts);
  const lower = assignments.filter((a) => a.departmentKey === 'gov:lower-governments:区');
  // 37 of the 39 measures with units name 各区人民政府; (二十八) and (二十九) do not.
  assert.equal(lower.length, 37);
  const heping = expanded.filter((a) => a.departmentKey === 'district:120101');
  assert.equal(heping.length, lower.length);
  assert.equal(expanded.length, assignments.length + lower.length);
  const actor = { role: 'department', id: 'hp-1', departmentKey: 'district:120101' } as const;
  const first = submitReport(expanded, [], report(heping[0], 'r1', '2022-06-30', 'completed'), actor);
  const done = reviewReport(first, 'accepted', coordinator, '2022-07-01');
  assert.equal(completionShare(heping, [done], '2022-07-02'), 1 / heping.length);
});
