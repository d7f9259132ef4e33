import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isLifeCircleError } from '../errors.js';
import {
  DEFAULT_CASE_CONFIG,
  actionsOpenTo,
  applyCaseAction,
  casesToEscalate,
  openCase,
  overdueLevel,
  runCase,
  upheldComplaintRecord,
  type Actor,
  type Case,
} from './cases.js';
import { REAL_USCC } from './test-helpers.js';

const dept: Actor = { role: 'department', id: 'jinjiang-civil-affairs' };
const provider: Actor = { role: 'provider', id: REAL_USCC.huawei };
const resident: Actor = { role: 'resident', id: 'acct-7f3a' };
const system: Actor = { role: 'system', id: 'scheduler' };

/** A case opened by a 非常不满意 on the eve of Spring Festival 2026 (Friday 13 Feb, 10:00 Beijing). */
function buildCase(kind: 'rating' | 'complaint' = 'rating'): Case {
  return openCase({
    id: 'case-1',
    origin: kind === 'rating' ? { kind, ratingId: 'r-1' } : { kind, complaintId: 'c-1' },
    outletId: 'outlet-shuijingfang-canteen',
    providerUscc: REAL_USCC.huawei,
    departmentId: 'jinjiang-commerce',
    openedAt: '2026-02-13T02:00:00Z',
    actor: system,
  });
}

function ok(result: ReturnType<typeof applyCaseAction>): Case {
  if (!result.ok) assert.fail(result.message);
  return result.case;
}

test('a new case is due 15 working days later, across Spring Festival 2026 (Sichuan local rule)', () => {
  const c = buildCase();
  assert.equal(c.deadline.date, '2026-03-12');
  assert.equal(c.deadlineRule.status, 'local');
});

test('the full workflow runs from 差评 to the resident confirmation and keeps every step', () => {
  const result = runCase(buildCase(), [
    { action: { type: 'assign' }, actor: dept, at: '2026-02-13T03:00:00Z' },
    {
      action: { type: 'reply', resolution: 'rectify', note: '更换保温箱' },
      actor: provider,
      at: '2026-02-14T02:00:00Z',
    },
    { action: { type: 'report-rectified', note: '已更换' }, actor: provider, at: '2026-02-26T02:00:00Z' },
    {
      action: { type: 'follow-up', residentReached: true, note: '电话回访' },
      actor: dept,
      at: '2026-02-27T02:00:00Z',
    },
    { action: { type: 'confirm', satisfied: true }, actor: resident, at: '2026-02-27T05:00:00Z' },
  ]);
  assert.ok(result.ok);
  assert.equal(result.case.state, 'closed');
  assert.equal(result.case.outcome, 'resolved');
  assert.deepEqual(
    result.case.history.map((e) => `${e.actor.role}:${e.action}:${e.to}`),
    [
      'system:open:opened',
      'department:assign:assigned',
      'provider:reply:replied',
      'provider:report-rectified:rectified',
      'department:follow-up:followed-up',
      'resident:confirm:closed',
    ],
  );
});

test('a resident who is not satisfied reopens the case', () => {
  const result = runCase(buildCase(), [
    { action: { type: 'assign' }, actor: dept, at: '2026-02-13T03:00:00Z' },
    {
      action: { type: 'reply', resolution: 'immediate', note: '已道歉并重做' },
      actor: provider,
      at: '2026-02-13T04:00:00Z',
    },
    { action: { type: 'report-rectified', note: '已重做' }, actor: provider, at: '2026-02-13T05:00:00Z' },
    {
      action: { type: 'follow-up', residentReached: true, note: '回访' },
      actor: dept,
      at: '2026-02-14T02:00:00Z',
    },
    { action: { type: 'confirm', satisfied: false }, actor: resident, at: '2026-02-14T03:00:00Z' },
  ]);
  assert.ok(result.ok);
  assert.equal(result.case.state, 'assigned');
  assert.equal(result.case.reopenCount, 1);
});

test('an explanation (解释说明) goes straight to follow-up without a rectification report', () => {
  const result = runCase(buildCase(), [
    { action: { type: 'assign' }, actor: dept, at: '2026-02-13T03:00:00Z' },
    {
      action: { type: 'reply', resolution: 'explain', note: '收费标准经物价备案' },
      actor: provider,
      at: '2026-02-13T04:00:00Z',
    },
    {
      action: { type: 'follow-up', residentReached: true, note: '回访' },
      actor: dept,
      at: '2026-02-14T02:00:00Z',
    },
  ]);
  assert.ok(result.ok);
  assert.equal(result.case.state, 'followed-up');
});

test('a provider cannot skip the rectification report and claim follow-up', () => {
  const replied = ok(
    applyCaseAction(
      ok(applyCaseAction(buildCase(), { type: 'assign' }, dept, '2026-02-13T03:00:00Z')),
      { type: 'reply', resolution: 'rectify', note: '将整改' },
      provider,
      '2026-02-13T04:00:00Z',
    ),
  );
  const result = applyCaseAction(
    replied,
    { type: 'follow-up', residentReached: true, note: 'x' },
    dept,
    '2026-02-13T05:00:00Z',
  );
  assert.equal(result.ok, false);
});

test('a provider cannot close its own case: the refusal is a value naming the role', () => {
  const result = applyCaseAction(buildCase(), { type: 'assign' }, provider, '2026-02-13T03:00:00Z');
  assert.deepEqual(result.ok ? null : [result.code, /provider cannot assign/.test(result.message)], [
    'LC_CASE_TRANSITION',
    true,
  ]);
});

test('an action dated before the last event is refused', () => {
  const result = applyCaseAction(buildCase(), { type: 'assign' }, dept, '2026-02-12T03:00:00Z');
  assert.equal(result.ok, false);
});

test('an upheld appeal (申诉) against a malicious rating closes the case and invalidates the rating', () => {
  const result = runCase(buildCase(), [
    { action: { type: 'assign' }, actor: dept, at: '2026-02-13T03:00:00Z' },
    {
      action: { type: 'appeal', ground: 'malicious', note: '该账号当日对同街道5家网点差评' },
      actor: provider,
      at: '2026-02-13T04:00:00Z',
    },
    {
      action: { type: 'review', decision: 'upheld', note: '核实为恶意差评' },
      actor: dept,
      at: '2026-02-24T02:00:00Z',
    },
  ]);
  assert.ok(result.ok);
  assert.equal(result.case.outcome, 'rating-invalidated');
});

test('a rejected appeal returns the case to the state it was appealed from', () => {
  const result = runCase(buildCase(), [
    { action: { type: 'assign' }, actor: dept, at: '2026-02-13T03:00:00Z' },
    {
      action: { type: 'reply', resolution: 'rectify', note: '将整改' },
      actor: provider,
      at: '2026-02-13T04:00:00Z',
    },
    {
      action: { type: 'appeal', ground: 'mistaken', note: '非本店订单' },
      actor: provider,
      at: '2026-02-13T05:00:00Z',
    },
    {
      action: { type: 'review', decision: 'rejected', note: '订单核实属实' },
      actor: dept,
      at: '2026-02-24T02:00:00Z',
    },
  ]);
  assert.ok(result.ok);
  assert.equal(result.case.state, 'replied');
});

test('a complaint cannot be appealed as a rating', () => {
  const assigned = ok(
    applyCaseAction(buildCase('complaint'), { type: 'assign' }, dept, '2026-02-13T03:00:00Z'),
  );
  const result = applyCaseAction(
    assigned,
    { type: 'appeal', ground: 'mistaken', note: 'x' },
    provider,
    '2026-02-13T04:00:00Z',
  );
  assert.equal(result.ok, false);
});

test('a case is not overdue at the end of its deadline day (12 March 24:00 Beijing)', () => {
  assert.deepEqual(casesToEscalate([buildCase()], '2026-03-12T15:59:59Z'), []);
});

test('a case is escalated once it is past its deadline, and not twice at the same level', () => {
  const c = buildCase();
  assert.equal(casesToEscalate([c], '2026-03-13T01:00:00Z').length, 1);
  const escalated = ok(applyCaseAction(c, { type: 'escalate' }, system, '2026-03-13T01:00:00Z'));
  assert.equal(escalated.escalationLevel, 1);
  assert.equal(escalated.state, 'opened');
  assert.equal(applyCaseAction(escalated, { type: 'escalate' }, system, '2026-03-13T02:00:00Z').ok, false);
});

test('a closed case is never escalated', () => {
  const closed = runCase(buildCase(), [
    { action: { type: 'assign' }, actor: dept, at: '2026-02-13T03:00:00Z' },
    {
      action: { type: 'appeal', ground: 'malicious', note: 'x' },
      actor: provider,
      at: '2026-02-13T04:00:00Z',
    },
    { action: { type: 'review', decision: 'upheld', note: 'y' }, actor: dept, at: '2026-02-24T02:00:00Z' },
  ]);
  assert.ok(closed.ok);
  assert.deepEqual(casesToEscalate([closed.case], '2026-06-01T00:00:00Z'), []);
});

test('a case closed after rectification becomes an upheld-complaint credit record dated in Beijing time', () => {
  const result = runCase(buildCase(), [
    { action: { type: 'assign' }, actor: dept, at: '2026-02-13T03:00:00Z' },
    {
      action: { type: 'reply', resolution: 'rectify', note: '更换保温箱' },
      actor: provider,
      at: '2026-02-14T02:00:00Z',
    },
    { action: { type: 'report-rectified', note: '已更换' }, actor: provider, at: '2026-02-26T02:00:00Z' },
    {
      action: { type: 'follow-up', residentReached: true, note: '回访' },
      actor: dept,
      at: '2026-02-27T02:00:00Z',
    },
    { action: { type: 'confirm', satisfied: true }, actor: resident, at: '2026-02-27T17:00:00Z' },
  ]);
  assert.ok(result.ok);
  const record = upheldComplaintRecord(result.case, '锦江区商务局');
  assert.deepEqual(
    [record?.kind, record?.uscc, record?.date],
    ['complaint-upheld', REAL_USCC.huawei, '2026-02-28'],
  );
});

test('an explained case is not an upheld complaint', () => {
  const result = runCase(buildCase(), [
    { action: { type: 'assign' }, actor: dept, at: '2026-02-13T03:00:00Z' },
    {
      action: { type: 'reply', resolution: 'explain', note: '收费经备案' },
      actor: provider,
      at: '2026-02-13T04:00:00Z',
    },
    {
      action: { type: 'follow-up', residentReached: true, note: '回访' },
      actor: dept,
      at: '2026-02-14T02:00:00Z',
    },
    { action: { type: 'confirm', satisfied: true }, actor: resident, at: '2026-02-14T03:00:00Z' },
  ]);
  assert.ok(result.ok);
  assert.equal(upheldComplaintRecord(result.case, '锦江区商务局'), null);
});

test('a deadline of zero working days is refused as configuration', () => {
  assert.throws(
    () =>
      openCase(
        {
          id: 'c',
          origin: { kind: 'complaint', complaintId: 'x' },
          outletId: 'o',
          providerUscc: REAL_USCC.huawei,
          departmentId: 'd',
          openedAt: '2026-02-13T02:00:00Z',
          actor: system,
        },
        { ...DEFAULT_CASE_CONFIG, rectificationWorkingDays: 0 },
      ),
    (e: unknown) => isLifeCircleError(e) && e.code === 'LC_SUPERVISION_CONFIG',
  );
});

test('the second escalation level starts 5 working days after the deadline day', () => {
  const c = buildCase(); // due 12 March 2026; +5 working days = Thursday 19 March
  assert.equal(overdueLevel(c, '2026-03-19T15:00:00Z'), 1);
  assert.equal(overdueLevel(c, '2026-03-19T17:00:00Z'), 2);
});

test('the actions offered to each role are the ones the state machine accepts, overdue escalation included', () => {
  const assigned = ok(applyCaseAction(buildCase(), { type: 'assign' }, system, '2026-02-13T03:00:00Z'));
  const now = '2026-02-14T02:00:00Z';
  assert.deepEqual(actionsOpenTo(assigned, 'provider', now), ['reply', 'appeal']);
  assert.deepEqual(actionsOpenTo(assigned, 'department', now), []);
  assert.deepEqual(actionsOpenTo(assigned, 'resident', now), []);
  // Past the deadline (12 March), the department may escalate.
  assert.deepEqual(actionsOpenTo(assigned, 'department', '2026-03-13T02:00:00Z'), ['escalate']);
  const explained = ok(
    applyCaseAction(assigned, { type: 'reply', resolution: 'explain', note: '按合同执行' }, provider, now),
  );
  // An explanation goes to follow-up: nothing to rectify.
  assert.deepEqual(actionsOpenTo(explained, 'provider', now), ['appeal']);
  assert.deepEqual(actionsOpenTo(explained, 'department', now), ['follow-up']);
  // A time before the last event is read as the last event's time, not refused.
  assert.deepEqual(actionsOpenTo(explained, 'department', '2026-01-01T00:00:00Z'), ['follow-up']);
});

test('without a registered provider the department records the reply and rectification, and nobody appeals', () => {
  const c = ok(
    applyCaseAction(
      { ...buildCase(), providerUscc: null },
      { type: 'assign' },
      system,
      '2026-02-13T03:00:00Z',
    ),
  );
  const now = '2026-02-14T02:00:00Z';
  assert.deepEqual(actionsOpenTo(c, 'provider', now), []);
  assert.deepEqual(actionsOpenTo(c, 'department', now), ['reply']);
  const byProvider = applyCaseAction(c, { type: 'reply', resolution: 'rectify', note: 'x' }, provider, now);
  assert.equal(byProvider.ok, false);
  const done = runCase(c, [
    { action: { type: 'reply', resolution: 'rectify', note: '已联系经营者' }, actor: dept, at: now },
    { action: { type: 'report-rectified', note: '现场核实' }, actor: dept, at: '2026-02-26T02:00:00Z' },
    {
      action: { type: 'follow-up', residentReached: true, note: '回访' },
      actor: dept,
      at: '2026-02-27T02:00:00Z',
    },
    { action: { type: 'confirm', satisfied: true }, actor: resident, at: '2026-02-27T05:00:00Z' },
  ]);
  if (!done.ok) assert.fail(done.message);
  // No provider, no credit record; the outlet's provider registered since then takes it.
  assert.equal(upheldComplaintRecord(done.case, '锦江区商务局'), null);
  assert.equal(upheldComplaintRecord(done.case, '锦江区商务局', REAL_USCC.huawei)?.uscc, REAL_USCC.huawei);
});
