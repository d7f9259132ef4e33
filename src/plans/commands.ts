import { createHash } from 'node:crypto';
import { actorOf, recordAudit } from '../audit/index.js';
import { LifeCircleError } from '../errors.js';
import { defineCommand } from '../policy/index.js';
import type { StoredPlan } from '../store/index.js';
import { beijingToday, isoNow } from '../time/index.js';
import {
  applyCorrections,
  measureFingerprint,
  targetFingerprint,
  unitFingerprint,
  validateCorrection,
  type CorrectedPlan,
  type Correction,
} from './corrections.js';
import { flattenMeasures, importPlan, parsePlanText, requirePlanStructure } from './parse-plan.js';
import { loadPlan } from './queries.js';
import {
  createAssignments,
  expandLowerGovernments,
  reviewReport,
  submitReport,
  type EvidenceFile,
  type ProgressReport,
  type ReportStatus,
  type Unassignable,
} from './tracking.js';
import type { ParsedPlan } from './types.js';
import { ownsAssignment, trackingActor } from './viewers.js';

/**
 * The writes of plans and plan tracking (issue 5), shared by the API and the CLI: validate → policy → one
 * transaction → one audit record. Who may call each is its permission (src/policy); plan tracking's own rules
 * (a department reports on its own assignments only, a report is reviewed once) are the plan domain's.
 */

/** A policy document to import: the file's bytes and name, or pasted text (with an optional title). */
export type PlanImportInput =
  { bytes: Uint8Array; fileName?: string } | { text: unknown; title?: unknown; fileName?: string };

const planTitle = (p: ParsedPlan, fileName: string): string =>
  p.metadata.planTitle ?? p.metadata.title ?? fileName.replace(/\.[^.]+$/, '');

async function parseInput(input: PlanImportInput): Promise<ParsedPlan> {
  if ('bytes' in input) {
    if (!input.fileName)
      throw new LifeCircleError('LC_USAGE', 'fileName: give the document name (?fileName=方案.docx)');
    return importPlan(input.bytes, input.fileName);
  }
  if (typeof input.text !== 'string' || input.text.trim() === '')
    throw new LifeCircleError(
      'LC_USAGE',
      'body.text: expected the pasted plan text (or send the file as application/octet-stream)',
    );
  if (input.title !== undefined && typeof input.title !== 'string')
    throw new LifeCircleError('LC_USAGE', 'body.title: expected a string');
  const bytes = Buffer.from(input.text, 'utf8');
  const name = input.fileName ?? `${(input.title as string | undefined) || 'pasted'}.txt`;
  return parsePlanText(input.text, {
    fileName: name,
    format: 'text',
    encoding: 'utf-8',
    bytes: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
  });
}

/** Import a policy document as a plan; the same document (by SHA-256) twice is a conflict naming the first. */
export const importPlanDocument = defineCommand({
  name: 'plans.import',
  permission: 'plans.import',
  async run(
    { store, clock },
    viewer,
    input: PlanImportInput,
  ): Promise<{ stored: StoredPlan; corrected: CorrectedPlan }> {
    const parsed = requirePlanStructure(await parseInput(input));
    const sha256 = parsed.source.sha256;
    const stored: StoredPlan = {
      id: `plan-${sha256.slice(0, 12)}`,
      title: planTitle(parsed, parsed.source.fileName),
      fileName: parsed.source.fileName,
      format: parsed.source.format,
      sha256,
      importedAt: isoNow(clock),
      importedBy: viewer.username,
      raw: parsed,
    };
    await store.transaction(async (tx) => {
      const existing = await tx.plans.findPlanBySha256(sha256);
      if (existing)
        throw new LifeCircleError(
          'LC_CONFLICT',
          `${parsed.source.fileName}: this document was imported already as plan ${existing.id} (${existing.title})`,
          // The dashboard links to the plan the user meant to open.
          { details: { existingPlan: { id: existing.id, title: existing.title } } },
        );
      await tx.plans.createPlan(stored);
      await recordAudit(tx, actorOf(viewer), {
        action: 'import',
        entity: 'plans',
        key: stored.id,
        before: null,
        after: {
          title: stored.title,
          fileName: stored.fileName,
          sha256,
          measures: flattenMeasures(parsed.measures).length,
        },
      });
    });
    return { stored, corrected: applyCorrections(stored.raw, []) };
  },
});

/** Fills the fingerprints (`expect`, `measureExpect`, `parentExpect`) from the plan as it is now, when not sent. */
function withFingerprints(input: Record<string, unknown>, plan: ParsedPlan): Record<string, unknown> {
  const measures = flattenMeasures(plan.measures);
  const measure = (id: unknown) => measures.find((m) => m.id === id);
  const c = { ...input };
  const m = measure(c.measureId);
  if (m && c.measureExpect === undefined) c.measureExpect = measureFingerprint(m);
  if (m && c.expect === undefined && (c.op === 'set-measure' || c.op === 'remove-measure'))
    c.expect = measureFingerprint(m);
  if (m && c.expect === undefined && (c.op === 'set-unit' || c.op === 'remove-unit')) {
    const unit = m.responsibilities.flatMap((r) => r.units).find((u) => u.key === c.unitKey);
    if (unit) c.expect = unitFingerprint(unit);
  }
  if (c.expect === undefined && (c.op === 'set-target' || c.op === 'remove-target')) {
    const target = measures.flatMap((x) => x.targets).find((t) => t.id === c.targetId);
    if (target) c.expect = targetFingerprint(target);
  }
  if (c.op === 'add-measure') {
    c.parentId ??= null;
    const parent = measure(c.parentId);
    if (parent && c.parentExpect === undefined) c.parentExpect = measureFingerprint(parent);
    if (c.parentId === null) c.parentExpect = null;
  }
  return c;
}

/** An id for a new measure or target that no item of the plan has yet. */
function freshId(plan: ParsedPlan, prefix: string): string {
  const ids = new Set(flattenMeasures(plan.measures).flatMap((m) => [m.id, ...m.targets.map((t) => t.id)]));
  for (let n = 1; ; n++) if (!ids.has(`${prefix}${n}`)) return `${prefix}${n}`;
}

export interface CorrectPlanInput {
  planId: string;
  /** One correction op of src/plans/corrections.ts; fingerprints left out are taken from the plan as it is. */
  correction: Record<string, unknown>;
}

/** Correct the extraction of a plan (kept apart from it); a correction that no longer applies is refused. */
export const correctPlan = defineCommand({
  name: 'plans.correct',
  permission: 'plans.correct',
  async run({ store, clock }, viewer, input: CorrectPlanInput) {
    const stored = await loadPlan(store, input.planId);
    return store.transaction(async (tx) => {
      const existing = await tx.plans.corrections(stored.id);
      const current = applyCorrections(stored.raw, existing).plan;
      const op = withFingerprints(input.correction, current);
      if (op.op === 'add-measure' && op.newId === undefined)
        op.newId = freshId(current, op.parentId ? `${String(op.parentId)}.c` : 'c');
      if (op.op === 'add-target' && op.newId === undefined) op.newId = freshId(current, 'tc');
      const correction = validateCorrection({
        ...op,
        id: `${stored.id}:c${existing.length + 1}`,
        author: viewer.username,
        at: isoNow(clock),
      });
      const corrections: Correction[] = [...existing, correction];
      const applied = applyCorrections(stored.raw, corrections);
      const conflict = applied.conflicts.find((c) => c.correctionId === correction.id);
      if (conflict)
        throw new LifeCircleError('LC_PLAN_CORRECTION', `correction ${correction.op}: ${conflict.message}`);
      await tx.plans.addCorrection(stored.id, correction);
      await recordAudit(tx, actorOf(viewer), {
        action: 'create',
        entity: 'plan_corrections',
        key: correction.id,
        before: null,
        after: correction,
      });
      return { stored, correction, applied, corrections };
    });
  },
});

export interface AssignPlanInput {
  planId: string;
  /** YYYY-MM-DD; today (Beijing) when left out. */
  startDate?: string;
  defaultDueDate?: string;
}

/** Assign every measure of a plan to its responsible units (各区政府 → one per district of the city). */
export const assignPlan = defineCommand({
  name: 'plans.assign',
  permission: 'plans.assign',
  async run(
    { store, clock, cityCode },
    viewer,
    input: AssignPlanInput,
  ): Promise<{ created: number; existing: number; unassignable: Unassignable[] }> {
    const stored = await loadPlan(store, input.planId);
    const plan = applyCorrections(stored.raw, await store.plans.corrections(stored.id)).plan;
    const made = createAssignments(plan, stored.id, {
      startDate: input.startDate ?? beijingToday(clock),
      defaultDueDate: input.defaultDueDate,
    });
    const districts = (await store.regions.list({ level: 'district', within: cityCode, limit: 1000 })).items;
    const assignments = expandLowerGovernments(
      made.assignments,
      districts.map((d) => ({ region: d.code, name: d.name })),
    );
    const actor = actorOf(viewer);
    const created = await store.transaction(async (tx) => {
      const n = await tx.plans.addAssignments(assignments, actor.name);
      await recordAudit(tx, actor, {
        action: 'create',
        entity: 'plan_assignments',
        key: stored.id,
        before: null,
        after: { created: n, total: assignments.length, unassignable: made.unassignable },
      });
      return n;
    });
    return { created, existing: assignments.length - created, unassignable: made.unassignable };
  },
});

export interface SubmitReportInput {
  assignmentId: string;
  status: ReportStatus;
  value?: number | null;
  narrative: string;
  evidence?: EvidenceFile[];
  /** YYYY-MM-DD; today (Beijing) when left out. */
  submittedAt?: string;
}

/** A department reports progress on its own assignment (evidence files: metadata only). */
export const submitProgressReport = defineCommand({
  name: 'plans.report',
  permission: 'plans.report',
  async run({ store, clock }, viewer, input: SubmitReportInput): Promise<ProgressReport> {
    const actor = actorOf(viewer);
    return store.transaction(async (tx) => {
      const id = input.assignmentId;
      const assignment = await tx.plans.getAssignment(id);
      if (!assignment) throw new LifeCircleError('LC_NOT_FOUND', `assignment ${id} does not exist`);
      const own = ownsAssignment(viewer, assignment);
      const made = submitReport(
        [assignment],
        await tx.plans.reports({ assignmentId: id }),
        {
          id: await tx.plans.nextReportId(),
          assignmentId: id,
          submittedAt: input.submittedAt ?? beijingToday(clock),
          status: input.status,
          value: input.value ?? null,
          narrative: input.narrative,
          evidence: input.evidence ?? [],
        },
        trackingActor(viewer, own ? assignment.departmentKey : null),
      );
      await tx.plans.addReport(made, actor.name);
      await recordAudit(tx, actor, {
        action: 'create',
        entity: 'progress_reports',
        key: made.id,
        before: null,
        after: made,
      });
      return made;
    });
  },
});

export interface ReviewReportInput {
  reportId: string;
  decision: 'accepted' | 'returned';
  comment?: string;
}

/** The coordinator accepts a report or returns it with a comment; a report is reviewed once. */
export const reviewProgressReport = defineCommand({
  name: 'plans.review',
  permission: 'plans.review',
  async run({ store, clock }, viewer, input: ReviewReportInput): Promise<ProgressReport> {
    const id = input.reportId;
    return store.transaction(async (tx) => {
      const report = await tx.plans.getReport(id);
      if (!report) throw new LifeCircleError('LC_NOT_FOUND', `report ${id} does not exist`);
      const reviewed = reviewReport(
        report,
        input.decision,
        trackingActor(viewer, null),
        beijingToday(clock),
        input.comment ?? '',
      );
      if (!reviewed.review || !(await tx.plans.addReview(id, reviewed.review)))
        throw new LifeCircleError('LC_TRACKING_STATE', `report ${id} was reviewed already`);
      await recordAudit(tx, actorOf(viewer), {
        action: 'update',
        entity: 'progress_reports',
        key: id,
        before: report,
        after: reviewed,
      });
      return reviewed;
    });
  },
});
