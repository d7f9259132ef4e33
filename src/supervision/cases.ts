import { LifeCircleError, type ErrorCode } from '../errors.js';
import type { CreditRecord } from './credit.js';
import { RECTIFICATION_WORKING_DAYS, type RuleSource } from './rules.js';
import { addWorkingDays, beijingDate, type WorkingDayDeadline } from './working-days.js';

/**
 * The 差评 case workflow as a pure state machine. Every action takes a case and returns a new case (or a refusal as
 * a value); nothing is mutated, and the full history of transitions with actor and time is kept on the case.
 *
 *   opened ─assign→ assigned ─reply→ replied ─(立行立改/限期整改) report-rectified→ rectified ─follow-up→ followed-up
 *                                   └─(解释说明, no legal basis) follow-up───────────────────────────┘   │
 *   followed-up ─confirm(satisfied)→ closed      ─confirm(not satisfied)→ assigned (reopened)          │
 *               ─close-unconfirmed (resident unreachable, note required)→ closed ─────────────────────┘
 *   assigned | replied | rectified ─appeal(申诉)→ under-review ─review(upheld)→ closed (rating invalidated)
 *                                                               ─review(rejected)→ back to the state appealed from
 *   escalate: any open state past its deadline, once per overdue level (raises escalationLevel; state unchanged)
 */
export type CaseState =
  'opened' | 'assigned' | 'replied' | 'rectified' | 'followed-up' | 'under-review' | 'closed';

export type CaseOrigin =
  | { readonly kind: 'rating'; readonly ratingId: string }
  | { readonly kind: 'complaint'; readonly complaintId: string };

export type ActorRole = 'resident' | 'provider' | 'department' | 'system';

export interface Actor {
  readonly role: ActorRole;
  readonly id: string;
}

/** How the provider answers (国办发〔2019〕51号 as echoed locally): 立行立改, 限期整改 or 解释说明. */
export type Resolution = 'immediate' | 'rectify' | 'explain';

export type CaseOutcome = 'resolved' | 'closed-unconfirmed' | 'rating-invalidated';

/**
 * What a step decided, as values the dashboard words in the reader's language: how the reply resolves, whether the
 * resident was reached or satisfied, the appeal's ground and the review's decision, the escalation level reached.
 */
export interface CaseEventDetail {
  readonly resolution?: Resolution;
  readonly residentReached?: boolean;
  readonly satisfied?: boolean;
  readonly ground?: 'mistaken' | 'malicious';
  readonly decision?: 'upheld' | 'rejected';
  readonly escalationLevel?: number;
}

export interface CaseEvent {
  readonly at: string;
  readonly actor: Actor;
  readonly action: CaseAction['type'] | 'open';
  readonly from: CaseState | null;
  readonly to: CaseState;
  /** The actor's own words only; what the step decided is in `detail`, never written into the note. */
  readonly note?: string;
  readonly detail?: CaseEventDetail;
}

export interface Case {
  readonly id: string;
  readonly origin: CaseOrigin;
  readonly outletId: string;
  /**
   * The operator's 统一社会信用代码; null while the outlet has no registered provider. The supervising department
   * then answers for the outlet (it reaches the operator on site), and credit attaches once one is registered.
   */
  readonly providerUscc: string | null;
  /** The supervising department (主管部门). */
  readonly departmentId: string;
  readonly state: CaseState;
  readonly openedAt: string;
  readonly deadline: WorkingDayDeadline;
  readonly deadlineRule: RuleSource;
  readonly resolution?: Resolution;
  readonly outcome?: CaseOutcome;
  readonly reopenCount: number;
  readonly escalationLevel: number;
  /** The state an appeal interrupted, to return to when the appeal is rejected. */
  readonly appealedFrom?: CaseState;
  readonly history: readonly CaseEvent[];
}

export interface CaseConfig {
  readonly rectificationWorkingDays: number;
  readonly deadlineRule: RuleSource;
  /** Working days added to the deadline for each further escalation level. */
  readonly escalationStepWorkingDays: number;
}

export const DEFAULT_CASE_CONFIG: CaseConfig = {
  rectificationWorkingDays: RECTIFICATION_WORKING_DAYS.value,
  deadlineRule: RECTIFICATION_WORKING_DAYS.source,
  // Project default: no published rule for escalation steps.
  escalationStepWorkingDays: 5,
};

/** Refuses deadlines that are not a positive whole number of working days. */
export function validateCaseConfig(config: CaseConfig): void {
  for (const key of ['rectificationWorkingDays', 'escalationStepWorkingDays'] as const) {
    const v = config[key];
    if (!Number.isInteger(v) || v < 1 || v > 365)
      throw new LifeCircleError(
        'LC_SUPERVISION_CONFIG',
        `case configuration ${key}: expected a whole number of working days 1–365, got ${v}`,
      );
  }
}

export interface OpenCaseInput {
  readonly id: string;
  readonly origin: CaseOrigin;
  readonly outletId: string;
  readonly providerUscc: string | null;
  readonly departmentId: string;
  readonly openedAt: string;
  readonly actor: Actor;
}

/** A bad rating or a complaint opens a case; the rectification deadline runs from the day it opens. */
export function openCase(input: OpenCaseInput, config: CaseConfig = DEFAULT_CASE_CONFIG): Case {
  validateCaseConfig(config);
  return {
    id: input.id,
    origin: input.origin,
    outletId: input.outletId,
    providerUscc: input.providerUscc,
    departmentId: input.departmentId,
    state: 'opened',
    openedAt: input.openedAt,
    deadline: addWorkingDays(input.openedAt, config.rectificationWorkingDays),
    deadlineRule: config.deadlineRule,
    reopenCount: 0,
    escalationLevel: 0,
    history: [{ at: input.openedAt, actor: input.actor, action: 'open', from: null, to: 'opened' }],
  };
}

export type CaseAction =
  | { readonly type: 'assign'; readonly departmentId?: string; readonly note?: string }
  | { readonly type: 'reply'; readonly resolution: Resolution; readonly note: string }
  | { readonly type: 'report-rectified'; readonly note: string }
  | { readonly type: 'follow-up'; readonly residentReached: boolean; readonly note: string }
  | { readonly type: 'confirm'; readonly satisfied: boolean; readonly note?: string }
  | { readonly type: 'close-unconfirmed'; readonly note: string }
  | { readonly type: 'appeal'; readonly ground: 'mistaken' | 'malicious'; readonly note: string }
  | { readonly type: 'review'; readonly decision: 'upheld' | 'rejected'; readonly note: string }
  | { readonly type: 'escalate'; readonly note?: string };

export interface TransitionRefusal {
  readonly ok: false;
  readonly code: Extract<ErrorCode, 'LC_CASE_TRANSITION'>;
  readonly message: string;
}

export type TransitionResult = { readonly ok: true; readonly case: Case } | TransitionRefusal;

interface Rule {
  readonly from: readonly CaseState[];
  readonly roles: readonly ActorRole[];
}

/** Who may do what from which state: anything not listed is refused. */
const RULES: Readonly<Record<CaseAction['type'], Rule>> = {
  assign: { from: ['opened'], roles: ['department', 'system'] },
  reply: { from: ['assigned'], roles: ['provider'] },
  'report-rectified': { from: ['replied'], roles: ['provider'] },
  'follow-up': { from: ['replied', 'rectified', 'followed-up'], roles: ['department'] },
  confirm: { from: ['followed-up'], roles: ['resident'] },
  'close-unconfirmed': { from: ['followed-up'], roles: ['department'] },
  appeal: { from: ['assigned', 'replied', 'rectified'], roles: ['provider'] },
  review: { from: ['under-review'], roles: ['department'] },
  escalate: {
    from: ['opened', 'assigned', 'replied', 'rectified', 'followed-up', 'under-review'],
    roles: ['system', 'department'],
  },
};

/**
 * Who may take an action on this case. With no registered provider, the supervising department records the
 * outlet's reply and rectification itself (it reached the operator on site); nobody can appeal on the outlet's
 * behalf, since appealing is the provider's right against its own record.
 */
function rolesFor(c: Case, type: CaseAction['type']): readonly ActorRole[] {
  const roles = RULES[type].roles;
  if (c.providerUscc === null && (type === 'reply' || type === 'report-rectified')) return ['department'];
  if (c.providerUscc === null && type === 'appeal') return [];
  return roles;
}

function refuse(c: Case, message: string): TransitionRefusal {
  return { ok: false, code: 'LC_CASE_TRANSITION', message: `case ${c.id}: ${message}` };
}

/** The escalation level a case has reached at `now`: 1 the day after its deadline, +1 per further step. */
export function overdueLevel(c: Case, now: string, config: CaseConfig = DEFAULT_CASE_CONFIG): number {
  if (c.state === 'closed') return 0;
  let level = 0;
  let due = c.deadline;
  while (Date.parse(now) > Date.parse(due.dueAt)) {
    level += 1;
    due = addWorkingDays(due.date, config.escalationStepWorkingDays);
  }
  return level;
}

/** Apply one action by one actor at one time. Refusals name the case, the action and why. */
export function applyCaseAction(
  c: Case,
  action: CaseAction,
  actor: Actor,
  at: string,
  config: CaseConfig = DEFAULT_CASE_CONFIG,
): TransitionResult {
  const rule = RULES[action.type];
  if (Number.isNaN(Date.parse(at))) return refuse(c, `${action.type} at '${at}': expected an ISO date-time`);
  const last = c.history[c.history.length - 1];
  if (Date.parse(at) < Date.parse(last.at))
    return refuse(c, `${action.type} at ${at} is earlier than the last event (${last.action} at ${last.at})`);
  if (!rule.from.includes(c.state))
    return refuse(
      c,
      `cannot ${action.type} a case that is ${c.state} (allowed from: ${rule.from.join(', ')})`,
    );
  const roles = rolesFor(c, action.type);
  if (!roles.includes(actor.role))
    return refuse(
      c,
      roles.length
        ? `a ${actor.role} cannot ${action.type} (allowed: ${roles.join(', ')})`
        : `nobody can ${action.type}: the outlet has no registered provider`,
    );

  const step = (
    to: CaseState,
    patch: Partial<Case> = {},
    note?: string,
    detail?: CaseEventDetail,
  ): TransitionResult => ({
    ok: true,
    case: {
      ...c,
      ...patch,
      state: to,
      history: [
        ...c.history,
        {
          at,
          actor,
          action: action.type,
          from: c.state,
          to,
          ...(note === undefined || note.trim() === '' ? {} : { note }),
          ...(detail ? { detail } : {}),
        },
      ],
    },
  });

  switch (action.type) {
    case 'assign':
      return step('assigned', action.departmentId ? { departmentId: action.departmentId } : {}, action.note);
    case 'reply':
      if (action.note.trim() === '') return refuse(c, 'a reply needs a text for the resident');
      return step('replied', { resolution: action.resolution }, action.note, {
        resolution: action.resolution,
      });
    case 'report-rectified':
      if (c.resolution === 'explain')
        return refuse(c, 'the reply explained (解释说明); there is nothing to rectify');
      return step('rectified', {}, action.note);
    case 'follow-up':
      if (c.state === 'replied' && c.resolution !== 'explain')
        return refuse(c, 'follow-up (回访) waits for the rectification report');
      return step('followed-up', {}, action.note, { residentReached: action.residentReached });
    case 'confirm':
      if (action.satisfied) return step('closed', { outcome: 'resolved' }, action.note, { satisfied: true });
      // Not satisfied: the case is reopened (back to the department), as the detail and the state say.
      return step('assigned', { reopenCount: c.reopenCount + 1 }, action.note, { satisfied: false });
    case 'close-unconfirmed': {
      const reached = c.history.some((e) => e.action === 'follow-up');
      if (!reached || action.note.trim() === '')
        return refuse(c, 'closing without confirmation needs a follow-up and a note');
      return step('closed', { outcome: 'closed-unconfirmed' }, action.note);
    }
    case 'appeal':
      if (c.origin.kind !== 'rating')
        return refuse(c, 'only a rating can be appealed (申诉); a complaint is handled');
      if (c.history.some((e) => e.action === 'appeal')) return refuse(c, 'a case can be appealed once');
      return step('under-review', { appealedFrom: c.state }, action.note, { ground: action.ground });
    case 'review':
      if (action.decision === 'upheld')
        return step('closed', { outcome: 'rating-invalidated' }, action.note, { decision: 'upheld' });
      return step(c.appealedFrom ?? 'assigned', { appealedFrom: undefined }, action.note, {
        decision: 'rejected',
      });
    case 'escalate': {
      const level = overdueLevel(c, at, config);
      if (level <= c.escalationLevel)
        return refuse(
          c,
          `not overdue beyond level ${c.escalationLevel} at ${at} (deadline ${c.deadline.dueAt})`,
        );
      return step(c.state, { escalationLevel: level }, action.note, { escalationLevel: level });
    }
  }
}

/** One well-formed action of each type, to ask the state machine what it would allow (`actionsOpenTo`). */
const PROBES: readonly CaseAction[] = [
  { type: 'assign' },
  { type: 'reply', resolution: 'rectify', note: '·' },
  { type: 'report-rectified', note: '·' },
  { type: 'follow-up', residentReached: true, note: '·' },
  { type: 'confirm', satisfied: true },
  { type: 'close-unconfirmed', note: '·' },
  { type: 'appeal', ground: 'mistaken', note: '·' },
  { type: 'review', decision: 'rejected', note: '·' },
  { type: 'escalate' },
];

/**
 * The actions an actor in `role` may take on a case at `now`, as the state machine itself decides (every rule,
 * including the ones on resolution, appeals and overdue levels): the dashboard offers these and no others, so it
 * never restates the workflow.
 */
export function actionsOpenTo(
  c: Case,
  role: ActorRole,
  now: string,
  config: CaseConfig = DEFAULT_CASE_CONFIG,
): CaseAction['type'][] {
  const last = c.history[c.history.length - 1].at;
  const at = Date.parse(now) < Date.parse(last) ? last : now;
  return PROBES.filter((a) => applyCaseAction(c, a, { role, id: 'probe' }, at, config).ok).map((a) => a.type);
}

/** Applies actions in order and stops at the first refusal. */
export function runCase(
  c: Case,
  steps: readonly { action: CaseAction; actor: Actor; at: string }[],
  config: CaseConfig = DEFAULT_CASE_CONFIG,
): TransitionResult {
  let current: TransitionResult = { ok: true, case: c };
  for (const s of steps) {
    if (!current.ok) return current;
    current = applyCaseAction(current.case, s.action, s.actor, s.at, config);
  }
  return current;
}

/** Cases due for escalation at `now` (the platform runs this on a schedule). */
export function casesToEscalate(
  cases: readonly Case[],
  now: string,
  config: CaseConfig = DEFAULT_CASE_CONFIG,
): Case[] {
  return cases.filter(
    (c) => RULES.escalate.from.includes(c.state) && overdueLevel(c, now, config) > c.escalationLevel,
  );
}

/**
 * A closed case in which the provider had to act (立行立改 or 限期整改) is a complaint upheld: it becomes a credit
 * record of the provider. Explained (解释说明) cases and invalidated ratings are not. `uscc` is the outlet's provider
 * when the case closes (registered since it opened, if the case had none); none yet, no record.
 */
export function upheldComplaintRecord(
  c: Case,
  authority: string,
  uscc: string | null = c.providerUscc,
): CreditRecord | null {
  if (uscc === null) return null;
  if (c.state !== 'closed' || c.outcome === 'rating-invalidated') return null;
  if (c.resolution !== 'immediate' && c.resolution !== 'rectify') return null;
  const closedAt = c.history[c.history.length - 1].at;
  return {
    id: `case:${c.id}`,
    uscc,
    kind: 'complaint-upheld',
    title: c.origin.kind === 'rating' ? '差评经核实整改' : '投诉经核实整改',
    source: { authority },
    date: beijingDate(closedAt),
    internalNote: `case ${c.id}, outlet ${c.outletId}`,
  };
}
