import { LifeCircleError } from '../errors.js';
import { flattenMeasures, measureUnits } from './parse-plan.js';
import type { Measure, ParsedPlan, UnitMention } from './types.js';

/**
 * Plan tracking (任务调度) as plain data and pure functions: plans → measures → assignments (department ×
 * measure) → progress reports → review by the coordinating office (统筹部门, e.g. 发展改革委). Persisting it, and
 * authenticating the actor, is the platform's job; these functions only decide what is allowed and what is due.
 */

export interface TrackingRules {
  /** Not done and due within this many days: at risk. */
  dueSoonDays: number;
  /** A department reports at least this often (季度调度): a longer silence is at risk. */
  reportIntervalDays: number;
  /** Where the rules come from: the title (Chinese) and its English, the clause, whether it was checked. */
  source: { document: string; documentEn: string; clause: string; verified: boolean };
}

/**
 * Defaults. The seed plans ask departments to 细化…落实措施 and the coordinator to 抓好落实, without a reporting
 * rhythm; quarterly reporting and a 30-day warning are common practice, not a rule we could cite. Configurable.
 */
export const DEFAULT_TRACKING_RULES: TrackingRules = {
  dueSoonDays: 30,
  reportIntervalDays: 90,
  source: {
    // Described in docs/plans-and-indicators.md §Tracking.
    document: 'LifeCircle 工作默认值（任务跟踪）',
    documentEn: 'LifeCircle working defaults (task tracking)',
    clause: '—',
    verified: false,
  },
};

export interface Assignment {
  id: string;
  planId: string;
  measureId: string;
  measureTitle: string;
  /** UnitMention.key of the responsible department or government. */
  departmentKey: string;
  departmentName: string;
  role: UnitMention['role'];
  /** YYYY-MM-DD; from the measure's targets, else the plan horizon, else the caller's default. */
  dueDate: string | null;
  /** The day reporting starts (the plan's issue date or the day the assignment was made), YYYY-MM-DD. */
  startDate: string;
}

export type ReportStatus = 'in-progress' | 'completed' | 'blocked';

/** Metadata of an evidence file; the file itself lives in the platform's store. */
export interface EvidenceFile {
  fileName: string;
  mediaType: string;
  bytes: number;
  sha256: string;
}

export interface Review {
  decision: 'accepted' | 'returned';
  reviewer: string;
  reviewedAt: string;
  comment: string;
}

export interface ProgressReport {
  id: string;
  assignmentId: string;
  departmentKey: string;
  /** YYYY-MM-DD */
  submittedAt: string;
  status: ReportStatus;
  /** A value for the measure's target, when it has one (e.g. 新建养老服务设施: 6). */
  value: number | null;
  narrative: string;
  evidence: EvidenceFile[];
  review: Review | null;
}

export type Actor =
  { role: 'coordinator'; id: string } | { role: 'department'; id: string; departmentKey: string };

/** Units that cannot receive an assignment automatically: 各有关单位, 相关行业主管部门. */
export interface Unassignable {
  measureId: string;
  unit: string;
}

function dueDateOf(measure: Measure, ancestors: Measure[], horizon: number | null): string | null {
  const years = [measure, ...ancestors]
    .flatMap((m) => m.targets.map((t) => t.deadlineYear ?? 0))
    .filter((y) => y > 0);
  const year = years.length > 0 ? Math.max(...years) : horizon;
  return year ? `${year}-12-31` : null;
}

/**
 * One assignment per (measure, responsible unit). Generic units (各有关单位) are returned as unassignable for the
 * coordinator to resolve; unknown units are assigned under their name as written.
 */
export function createAssignments(
  plan: ParsedPlan,
  planId: string,
  options: { startDate: string; defaultDueDate?: string },
): { assignments: Assignment[]; unassignable: Unassignable[] } {
  const assignments: Assignment[] = [];
  const unassignable: Unassignable[] = [];
  const walk = (measures: Measure[], ancestors: Measure[]): void => {
    for (const m of measures) {
      const due = dueDateOf(m, ancestors, plan.metadata.horizonYear) ?? options.defaultDueDate ?? null;
      for (const unit of measureUnits(m)) {
        if (unit.status === 'generic') {
          unassignable.push({ measureId: m.id, unit: unit.raw });
          continue;
        }
        assignments.push({
          id: `${planId}:${m.id}:${unit.key}`,
          planId,
          measureId: m.id,
          measureTitle: m.title ?? m.text.slice(0, 30),
          departmentKey: unit.key,
          departmentName: unit.normalized,
          role: unit.role,
          dueDate: due,
          startDate: options.startDate,
        });
      }
      walk(m.children, [m, ...ancestors]);
    }
  };
  walk(plan.measures, []);
  return { assignments, unassignable };
}

/**
 * 各区人民政府 / 各县区政府 assignments stand for every district: replace each with one assignment per district
 * (key `district:<region code>`), so that each district reports on its own and its completion can be scored.
 */
export function expandLowerGovernments(
  assignments: Assignment[],
  districts: { region: string; name: string }[],
): Assignment[] {
  return assignments.flatMap((a) =>
    a.departmentKey.startsWith('gov:lower-governments')
      ? districts.map((d) => ({
          ...a,
          id: `${a.id}@${d.region}`,
          departmentKey: `district:${d.region}`,
          departmentName: d.name,
        }))
      : [a],
  );
}

/** A department sees its own assignments; the coordinator sees all. */
export function visibleAssignments(assignments: Assignment[], actor: Actor): Assignment[] {
  return actor.role === 'coordinator'
    ? assignments
    : assignments.filter((a) => a.departmentKey === actor.departmentKey);
}

function reportsOf(assignmentId: string, reports: ProgressReport[]): ProgressReport[] {
  return reports
    .filter((r) => r.assignmentId === assignmentId)
    .sort((a, b) => a.submittedAt.localeCompare(b.submittedAt) || a.id.localeCompare(b.id));
}

const isDone = (r: ProgressReport): boolean => r.status === 'completed' && r.review?.decision === 'accepted';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A department reports progress on one of its assignments. Refused when the assignment is another department's,
 * already done, or has a report still waiting for review.
 */
export function submitReport(
  assignments: Assignment[],
  reports: ProgressReport[],
  input: Omit<ProgressReport, 'review' | 'departmentKey'>,
  actor: Actor,
): ProgressReport {
  const assignment = assignments.find((a) => a.id === input.assignmentId);
  if (!assignment)
    throw new LifeCircleError('LC_TRACKING_STATE', `assignment ${input.assignmentId} does not exist`);
  if (actor.role !== 'department' || actor.departmentKey !== assignment.departmentKey)
    throw new LifeCircleError(
      'LC_TRACKING_FORBIDDEN',
      `${actor.id} cannot report on ${assignment.id}: it is assigned to ${assignment.departmentName}`,
    );
  if (!ISO_DATE.test(input.submittedAt))
    throw new LifeCircleError('LC_USAGE', `submittedAt: expected YYYY-MM-DD, got '${input.submittedAt}'`);
  if (input.narrative.trim() === '')
    throw new LifeCircleError('LC_USAGE', 'narrative: a report needs a short account of the work done');
  input.evidence.forEach((e, i) => {
    if (!/^[0-9a-f]{64}$/.test(e.sha256) || !Number.isInteger(e.bytes) || e.bytes < 0 || e.fileName === '')
      throw new LifeCircleError(
        'LC_USAGE',
        `evidence[${i}]: expected fileName, a byte count and a SHA-256 hex digest, got ${JSON.stringify(e)}`,
      );
  });
  const history = reportsOf(assignment.id, reports);
  if (history.some(isDone))
    throw new LifeCircleError('LC_TRACKING_STATE', `${assignment.id} is already completed and accepted`);
  const pending = history.find((r) => r.review === null);
  if (pending)
    throw new LifeCircleError(
      'LC_TRACKING_STATE',
      `${assignment.id} has report ${pending.id} of ${pending.submittedAt} waiting for review; wait for the coordinator`,
    );
  return { ...input, departmentKey: assignment.departmentKey, review: null };
}

/** The coordinator accepts a report or returns it with a comment. Returns the reviewed report. */
export function reviewReport(
  report: ProgressReport,
  decision: Review['decision'],
  actor: Actor,
  reviewedAt: string,
  comment = '',
): ProgressReport {
  if (actor.role !== 'coordinator')
    throw new LifeCircleError(
      'LC_TRACKING_FORBIDDEN',
      `${actor.id} cannot review reports: only the coordinator can`,
    );
  if (report.review !== null)
    throw new LifeCircleError(
      'LC_TRACKING_STATE',
      `report ${report.id} was already ${report.review.decision} on ${report.review.reviewedAt}`,
    );
  if (decision === 'returned' && comment.trim() === '')
    throw new LifeCircleError('LC_USAGE', 'comment: say why the report is returned');
  return { ...report, review: { decision, reviewer: actor.id, reviewedAt, comment } };
}

export type Stage = 'not-started' | 'in-progress' | 'awaiting-review' | 'returned' | 'done';
export type RiskReason = 'due-soon' | 'blocked' | 'returned' | 'report-due';

export interface AssignmentState {
  assignment: Assignment;
  stage: Stage;
  overdue: boolean;
  atRisk: boolean;
  reasons: RiskReason[];
  daysToDue: number | null;
  lastReport: ProgressReport | null;
}

const DAY = 86_400_000;
const days = (from: string, to: string): number =>
  (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY;

/** Stage, overdue and at-risk of one assignment on a given day. */
export function assignmentState(
  assignment: Assignment,
  reports: ProgressReport[],
  asOf: string,
  rules: TrackingRules = DEFAULT_TRACKING_RULES,
): AssignmentState {
  const history = reportsOf(assignment.id, reports).filter((r) => r.submittedAt <= asOf);
  const last = history[history.length - 1] ?? null;
  let stage: Stage;
  if (history.some(isDone)) stage = 'done';
  else if (!last) stage = 'not-started';
  else if (last.review === null) stage = 'awaiting-review';
  else if (last.review.decision === 'returned') stage = 'returned';
  else stage = 'in-progress';
  const daysToDue = assignment.dueDate ? days(asOf, assignment.dueDate) : null;
  const overdue = stage !== 'done' && daysToDue !== null && daysToDue < 0;
  const reasons: RiskReason[] = [];
  if (stage !== 'done' && !overdue) {
    if (daysToDue !== null && daysToDue <= rules.dueSoonDays) reasons.push('due-soon');
    if (last?.status === 'blocked') reasons.push('blocked');
    if (stage === 'returned') reasons.push('returned');
    if (days(last?.submittedAt ?? assignment.startDate, asOf) > rules.reportIntervalDays)
      reasons.push('report-due');
  }
  return { assignment, stage, overdue, atRisk: reasons.length > 0, reasons, daysToDue, lastReport: last };
}

/** Share of the assignments that are done (completed and accepted), 0..1, or null when there are none. */
export function completionShare(
  assignments: Assignment[],
  reports: ProgressReport[],
  asOf: string,
): number | null {
  if (assignments.length === 0) return null;
  const done = assignments.filter((a) => assignmentState(a, reports, asOf).stage === 'done').length;
  return done / assignments.length;
}

export interface Reminder {
  assignmentId: string;
  measureId: string;
  measureTitle: string;
  kind: 'overdue' | RiskReason;
  dueDate: string | null;
  /** Whole days past the due day (overdue) or left until it (due-soon); null for the other kinds. */
  days: number | null;
  /** report-due: the day since which no progress was reported. */
  since: string | null;
  /** returned: the reviewer's comment. */
  comment: string | null;
  /** The reminder in Chinese, for notices sent outside the dashboard (which words it from the fields above). */
  message: string;
}

const REMINDER_TEXT: Record<Reminder['kind'], (s: AssignmentState) => string> = {
  overdue: (s) => `逾期 ${Math.ceil(-(s.daysToDue ?? 0))} 天（期限 ${s.assignment.dueDate}）`,
  'due-soon': (s) => `距期限 ${Math.ceil(s.daysToDue ?? 0)} 天（期限 ${s.assignment.dueDate}）`,
  blocked: () => '上次报告为“受阻”，请说明需协调的问题',
  returned: (s) => `报告被退回：${s.lastReport?.review?.comment ?? ''}`,
  'report-due': (s) => `自 ${s.lastReport?.submittedAt ?? s.assignment.startDate} 起未报送进展`,
};

/** What each department must do now, overdue items first. Departments with nothing due are left out. */
export function remindersByDepartment(
  assignments: Assignment[],
  reports: ProgressReport[],
  asOf: string,
  rules: TrackingRules = DEFAULT_TRACKING_RULES,
): Record<string, Reminder[]> {
  const result: Record<string, Reminder[]> = {};
  for (const a of assignments) {
    const state = assignmentState(a, reports, asOf, rules);
    const kinds: Reminder['kind'][] = state.overdue ? ['overdue'] : state.reasons;
    for (const kind of kinds)
      (result[a.departmentKey] ??= []).push({
        assignmentId: a.id,
        measureId: a.measureId,
        measureTitle: a.measureTitle,
        kind,
        dueDate: a.dueDate,
        days:
          kind === 'overdue'
            ? Math.ceil(-(state.daysToDue ?? 0))
            : kind === 'due-soon'
              ? Math.ceil(state.daysToDue ?? 0)
              : null,
        since: kind === 'report-due' ? (state.lastReport?.submittedAt ?? a.startDate) : null,
        comment: kind === 'returned' ? (state.lastReport?.review?.comment ?? '') : null,
        message: REMINDER_TEXT[kind](state),
      });
  }
  for (const list of Object.values(result))
    list.sort(
      (x, y) =>
        Number(y.kind === 'overdue') - Number(x.kind === 'overdue') ||
        (x.dueDate ?? '').localeCompare(y.dueDate ?? ''),
    );
  return result;
}

/** All measures of a plan with their assignments' states, for the coordinator's tree view. */
export function measureStates(
  plan: ParsedPlan,
  assignments: Assignment[],
  reports: ProgressReport[],
  asOf: string,
): { measureId: string; assignments: number; done: number; overdue: number; atRisk: number }[] {
  return flattenMeasures(plan.measures)
    .map((m) => {
      const states = assignments
        .filter((a) => a.measureId === m.id)
        .map((a) => assignmentState(a, reports, asOf));
      return {
        measureId: m.id,
        assignments: states.length,
        done: states.filter((s) => s.stage === 'done').length,
        overdue: states.filter((s) => s.overdue).length,
        atRisk: states.filter((s) => s.atRisk).length,
      };
    })
    .filter((s) => s.assignments > 0);
}
