import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isLifeCircleError } from '../errors.js';
import {
  CALENDAR_SOURCE,
  DEFAULT_CASE_CONFIG,
  addWorkingDays,
  applyCaseAction,
  beijingDate,
  isWorkingDay,
  openCase,
  overdueLevel,
  runCase,
  validateCaseConfig,
  type Actor,
  type Case,
  type CaseConfig,
} from './index.js';

const system: Actor = { role: 'system', id: 'scheduler' };
const dept: Actor = { role: 'department', id: 'jinjiang-civil-affairs' };
const provider: Actor = { role: 'provider', id: 'provider-1' };

/** Opened Friday 13 Feb 2026, 10:00 Beijing; 15 working days across Spring Festival end on Thursday 12 March. */
function buildCase(config: CaseConfig = DEFAULT_CASE_CONFIG): Case {
  return openCase(
    {
      id: 'case-9',
      origin: { kind: 'rating', ratingId: 'r-9' },
      outletId: 'outlet-1',
      providerUscc: '91510100MA61R0XX7G',
      departmentId: 'jinjiang-commerce',
      openedAt: '2026-02-13T02:00:00Z',
      actor: system,
    },
    config,
  );
}

/** The end of 12 March 2026 in Beijing (24:00 UTC+8) is 16:00 UTC. */
const END_OF_12_MARCH = '2026-03-12T16:00:00.000Z';

test('the working-day limits of a case configuration are 1 and 365, both allowed', () => {
  for (const key of ['rectificationWorkingDays', 'escalationStepWorkingDays'] as const) {
    assert.doesNotThrow(() => validateCaseConfig({ ...DEFAULT_CASE_CONFIG, [key]: 1 }));
    assert.doesNotThrow(() => validateCaseConfig({ ...DEFAULT_CASE_CONFIG, [key]: 365 }));
    for (const bad of [0, 366, 2.5]) {
      assert.throws(
        () => validateCaseConfig({ ...DEFAULT_CASE_CONFIG, [key]: bad }),
        (e: unknown) =>
          isLifeCircleError(e) &&
          e.code === 'LC_SUPERVISION_CONFIG' &&
          e.message.includes(key) &&
          e.message.includes('1–365') &&
          e.message.includes(`got ${bad}`),
      );
    }
  }
});

test('a one-working-day deadline from Friday 13 Feb 2026 ends on Saturday 14 Feb, a make-up workday', () => {
  const c = buildCase({ ...DEFAULT_CASE_CONFIG, rectificationWorkingDays: 1 });
  // 2026 Spring Festival: 15–23 Feb off, Saturday 14 Feb worked instead (调休), per the State Council's 2026 notice.
  assert.equal(c.deadline.workingDays, 1);
  assert.equal(c.deadline.date, '2026-02-14');
});

test('a case is overdue from the first instant after its deadline, not at it', () => {
  const c = buildCase();
  assert.equal(c.deadline.dueAt, END_OF_12_MARCH);
  assert.equal(overdueLevel(c, END_OF_12_MARCH), 0);
  assert.equal(overdueLevel(c, '2026-03-12T16:00:00.001Z'), 1);
});

test('a closed case has no overdue level, however late', () => {
  const closed = runCase(buildCase(), [
    { action: { type: 'assign' }, actor: dept, at: '2026-02-13T03:00:00Z' },
    {
      action: { type: 'appeal', ground: 'malicious', note: 'x' },
      actor: provider,
      at: '2026-02-13T04:00:00Z',
    },
    { action: { type: 'review', decision: 'upheld', note: 'y' }, actor: dept, at: '2026-02-24T02:00:00Z' },
  ]);
  if (!closed.ok) assert.fail(closed.message);
  assert.equal(closed.case.state, 'closed');
  assert.equal(overdueLevel(closed.case, '2026-06-01T00:00:00Z'), 0);
});

test('escalation records the level it reached as a value, and the escalating actor’s note as written', () => {
  const c = buildCase();
  const auto = applyCaseAction(c, { type: 'escalate' }, system, '2026-03-13T01:00:00Z');
  if (!auto.ok) assert.fail(auto.message);
  assert.deepEqual(auto.case.history.at(-1)?.detail, { escalationLevel: 1 });
  // No sentence in one language written for the reader: the dashboard words the level.
  assert.equal(auto.case.history.at(-1)?.note, undefined);
  const written = applyCaseAction(c, { type: 'escalate', note: '督办' }, dept, '2026-03-13T01:00:00Z');
  if (!written.ok) assert.fail(written.message);
  assert.equal(written.case.history.at(-1)?.note, '督办');
});

test('an escalation that is not due says the level, the time and the deadline', () => {
  const refused = applyCaseAction(buildCase(), { type: 'escalate' }, system, '2026-03-12T15:00:00Z');
  assert.equal(refused.ok, false);
  if (refused.ok) return;
  assert.equal(
    refused.message,
    `case case-9: not overdue beyond level 0 at 2026-03-12T15:00:00Z (deadline ${END_OF_12_MARCH})`,
  );
});

test('dates and instants that are not ISO are refused with what was given', () => {
  assert.throws(
    () => isWorkingDay('12026-03-12'),
    /^RangeError: expected a date YYYY-MM-DD, got 12026-03-12$/,
  );
  assert.throws(() => isWorkingDay('2026-3-12'), /expected a date YYYY-MM-DD, got 2026-3-12/);
  assert.throws(
    () => beijingDate('the day after tomorrow'),
    /^RangeError: not a date-time: the day after tomorrow$/,
  );
  assert.throws(
    () => addWorkingDays('2026-03-12', 0),
    /^RangeError: working days must be a positive integer, got 0$/,
  );
});

test('the holiday calendar cites the State Council notices through the chinese-days package', () => {
  assert.match(CALENDAR_SOURCE.document, /^国务院办公厅 关于部分节假日安排的通知/);
  // The package is how the notices are read, not their title: it is named in the note and the address.
  assert.match(CALENDAR_SOURCE.note ?? '', /chinese-days/);
  assert.doesNotMatch(CALENDAR_SOURCE.document, /chinese-days/);
  assert.equal(CALENDAR_SOURCE.url, 'https://github.com/vsme/chinese-days');
  assert.equal(CALENDAR_SOURCE.status, 'secondary');
  assert.match(CALENDAR_SOURCE.note ?? '', /not re-checked against gov\.cn/);
});
