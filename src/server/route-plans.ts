import { createHash } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import { LifeCircleError } from '../errors.js';
import {
  applyCorrections,
  assignmentState,
  createAssignments,
  expandLowerGovernments,
  flattenMeasures,
  importPlan,
  MAX_PLAN_BYTES,
  measureFingerprint,
  measureStates,
  normalizeUnit,
  parsePlanText,
  remindersByDepartment,
  reviewReport,
  submitReport,
  targetFingerprint,
  unitFingerprint,
  validateCorrection,
  type Actor as TrackingActor,
  type Assignment,
  type Correction,
  type CorrectedPlan,
  type EvidenceFile,
  type ParsedPlan,
  type ReportStatus,
} from '../plans/index.js';
import type { Store, StoredPlan } from '../store/index.js';
import { actorOf } from './auth.js';
import type { Viewer } from '../policy/index.js';
import { literals } from './schemas.js';
import type { RoutePlugin } from './route-context.js';
import { ERRORS } from './route-context.js';
import { beijingToday, type Clock } from '../time/index.js';

/**
 * Plans and plan tracking (issue 5): import a policy document, correct its extraction, assign its measures to
 * departments, collect their progress reports and the coordinator's review. The decisions are the plan
 * domain's (src/plans); this module persists them, scopes them to the viewer and audits every write.
 */

const DOCX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });
const PlanParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
/** Shapes are the plan domain's (src/plans/types.ts, tracking.ts); serialised as they are. */
const Json = Type.Unknown();
const AsOfQuery = Type.Object({ asOf: Type.Optional(IsoDate) });

/** Who the plan domain sees: the administrator acts as the coordinator; staff as their department. */
function trackingActor(viewer: Viewer, departmentKey: string | null): TrackingActor {
  if (viewer.role === 'administrator' || viewer.role === 'coordinator')
    return { role: 'coordinator', id: viewer.username };
  return {
    role: 'department',
    id: viewer.username,
    departmentKey: departmentKey ?? `user:${viewer.username}`,
  };
}

/**
 * Whether an assignment is the viewer's department's: the user's department equals the unit's normalised name
 * (区民政局), or normalises to the same department key (区民政局 ≡ 西青区民政局 is NOT assumed: places differ);
 * a district government's staff (department naming 政府) own the `district:<regionCode>` assignments.
 */
export function ownsAssignment(
  viewer: Viewer,
  a: Pick<Assignment, 'departmentKey' | 'departmentName'>,
): boolean {
  if (viewer.role !== 'staff' || !viewer.department) return false;
  const department = viewer.department.trim();
  if (a.departmentName === department) return true;
  if (a.departmentKey.startsWith('district:'))
    return (
      viewer.regionCode !== null &&
      a.departmentKey === `district:${viewer.regionCode}` &&
      /政府/.test(department)
    );
  const unit = normalizeUnit(department, null);
  return unit.status === 'known' && unit.key === a.departmentKey;
}

/** Who worked on a plan (user names) is internal; the public and residents see the plan itself. */
const isInternal = (viewer: Viewer): boolean => !['public', 'resident'].includes(viewer.role);

const seesAllTracking = (viewer: Viewer): boolean =>
  viewer.role === 'administrator' || viewer.role === 'coordinator';

async function loadPlan(store: Store, id: string): Promise<StoredPlan> {
  const plan = await store.plans.getPlan(id);
  if (!plan) throw new LifeCircleError('LC_NOT_FOUND', `plan ${id} does not exist`);
  return plan;
}

async function correctedPlan(store: Store, stored: StoredPlan): Promise<CorrectedPlan> {
  return applyCorrections(stored.raw, await store.plans.corrections(stored.id));
}

/** A plan for the dashboard: corrections applied, fingerprints the correction form sends back, states. */
function presentPlan(
  stored: StoredPlan,
  corrected: CorrectedPlan,
  corrections: Correction[],
  viewer: Viewer,
) {
  const { raw: _raw, ...meta } = stored;
  const internal = isInternal(viewer);
  return {
    ...meta,
    importedBy: internal ? meta.importedBy : null,
    plan: corrected.plan,
    corrections: internal ? corrections : corrections.map(({ author: _author, ...c }) => c),
    conflicts: corrected.conflicts,
    fingerprints: Object.fromEntries(
      flattenMeasures(corrected.plan.measures).map((m) => [
        m.id,
        {
          measure: measureFingerprint(m),
          units: Object.fromEntries(
            m.responsibilities.flatMap((r) => r.units).map((u) => [u.key, unitFingerprint(u)]),
          ),
          targets: Object.fromEntries(m.targets.map((t) => [t.id, targetFingerprint(t)])),
        },
      ]),
    ),
  };
}

const planTitle = (p: ParsedPlan, fileName: string): string =>
  p.metadata.planTitle ?? p.metadata.title ?? fileName.replace(/\.[^.]+$/, '');

async function savePlan(store: Store, viewer: Viewer, parsed: ParsedPlan, clock: Clock) {
  const sha256 = parsed.source.sha256;
  const existing = await store.plans.findPlanBySha256(sha256);
  if (existing)
    throw new LifeCircleError(
      'LC_CONFLICT',
      `${parsed.source.fileName}: this document was imported already as plan ${existing.id} (${existing.title})`,
    );
  const stored: StoredPlan = {
    id: `plan-${sha256.slice(0, 12)}`,
    title: planTitle(parsed, parsed.source.fileName),
    fileName: parsed.source.fileName,
    format: parsed.source.format,
    sha256,
    importedAt: clock().toISOString(),
    importedBy: viewer.username,
    raw: parsed,
  };
  const actor = actorOf(viewer);
  await store.transaction(async (tx) => {
    await tx.plans.createPlan(stored);
    await tx.audit.record({
      actorId: actor.userId,
      actorName: actor.name,
      action: 'import',
      entity: 'plans',
      entityKey: stored.id,
      before: null,
      after: {
        title: stored.title,
        fileName: stored.fileName,
        sha256,
        measures: flattenMeasures(parsed.measures).length,
      },
    });
  });
  return stored;
}

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

type Reports = Parameters<typeof assignmentState>[1];

/** An assignment with its computed state; `reports` are this assignment's own (grouped by the caller). */
function presentState(a: Assignment, reports: Reports, asOf: string) {
  const s = assignmentState(a, reports, asOf);
  return {
    ...a,
    stage: s.stage,
    overdue: s.overdue,
    atRisk: s.atRisk,
    reasons: s.reasons,
    daysToDue: s.daysToDue,
    lastReport: s.lastReport,
    reports,
  };
}

/** The assignments this viewer may see (a department its own, the coordinator all). */
async function visible(store: Store, viewer: Viewer, planId?: string): Promise<Assignment[]> {
  const all = await store.plans.assignments(planId ? { planId } : undefined);
  return seesAllTracking(viewer) ? all : all.filter((a) => ownsAssignment(viewer, a));
}

/**
 * Share of the district-level assignments (各区政府 expanded per district) that are done, per district code;
 * districts without such assignments are left out. For the district scorecard.
 */
export async function measureCompletionByRegion(store: Store, asOf: string): Promise<Map<string, number>> {
  const rows = await completionRows(store, asOf, null);
  return new Map(rows.filter((r) => r.assignments > 0).map((r) => [r.regionCode, r.share ?? 0]));
}

async function completionRows(store: Store, asOf: string, cityCode: string | null) {
  const assignments = (await store.plans.assignments()).filter((a) =>
    a.departmentKey.startsWith('district:'),
  );
  const reports = await store.plans.reports();
  const byRegion = new Map<string, { name: string; total: number; done: number }>();
  if (cityCode)
    for (const d of (await store.regions.list({ level: 'district', within: cityCode, limit: 1000 })).items)
      byRegion.set(d.code, { name: d.name, total: 0, done: 0 });
  for (const a of assignments) {
    const code = a.departmentKey.slice('district:'.length);
    const row = byRegion.get(code) ?? { name: a.departmentName, total: 0, done: 0 };
    row.total++;
    if (assignmentState(a, reports, asOf).stage === 'done') row.done++;
    byRegion.set(code, row);
  }
  return [...byRegion].map(([regionCode, r]) => ({
    regionCode,
    regionName: r.name,
    assignments: r.total,
    accepted: r.done,
    share: r.total ? r.done / r.total : null,
  }));
}

const EvidenceSchema = Type.Object(
  {
    fileName: Type.String({ minLength: 1, maxLength: 200 }),
    mediaType: Type.String({ maxLength: 200 }),
    bytes: Type.Integer({ minimum: 0 }),
    sha256: Type.String({ pattern: '^[0-9a-f]{64}$', description: 'SHA-256 of the file, lowercase hex' }),
  },
  { additionalProperties: false },
);

export const planRoutes: RoutePlugin = async (app, ctx) => {
  const today = (): string => beijingToday(ctx.clock);
  const { store, cityCode } = ctx;
  const tags = ['plans'];

  app.get(
    '/api/plans',
    {
      config: { permission: 'plans.read' },
      schema: {
        tags,
        summary: 'Imported plans (policy documents), newest first',
        response: { 200: Json, ...ERRORS },
      },
    },
    async (request) =>
      (await store.plans.listPlans()).map((p) =>
        isInternal(request.viewer) ? p : { ...p, importedBy: null },
      ),
  );

  // Import: the raw file (.txt in UTF-8/GBK, .docx) as application/octet-stream, or JSON { text, title? }.
  // A .txt sent as text/plain is taken as bytes too: its encoding (often GBK) is the decoder's to find.
  await app.register(async (raw) => {
    raw.removeContentTypeParser('text/plain');
    raw.addContentTypeParser(
      ['application/octet-stream', 'text/plain', DOCX_MEDIA_TYPE],
      { parseAs: 'buffer', bodyLimit: 2 * MAX_PLAN_BYTES },
      (_req, body, done) => done(null, body),
    );
    raw.post(
      '/api/plans',
      {
        config: { permission: 'plans.import' },
        schema: {
          tags,
          summary:
            'Import a plan: the raw .txt/.docx (application/octet-stream, ?fileName=) or JSON { text, title? }',
          querystring: Type.Object({
            fileName: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
          }),
          response: { 201: Json, ...ERRORS, 409: { $ref: 'ErrorBody#' }, 413: { $ref: 'ErrorBody#' } },
        },
      },
      async (request, reply) => {
        const body = request.body as unknown;
        const { fileName } = request.query as { fileName?: string };
        let parsed: ParsedPlan;
        if (Buffer.isBuffer(body)) {
          if (!fileName)
            throw new LifeCircleError('LC_USAGE', 'fileName: give the document name (?fileName=方案.docx)');
          parsed = await importPlan(body, fileName);
        } else {
          const b = (body ?? {}) as { text?: unknown; title?: unknown };
          if (typeof b.text !== 'string' || b.text.trim() === '')
            throw new LifeCircleError(
              'LC_USAGE',
              'body.text: expected the pasted plan text (or send the file as application/octet-stream)',
            );
          if (b.title !== undefined && typeof b.title !== 'string')
            throw new LifeCircleError('LC_USAGE', 'body.title: expected a string');
          const bytes = Buffer.from(b.text, 'utf8');
          const name = fileName ?? `${(b.title as string | undefined) || 'pasted'}.txt`;
          parsed = parsePlanText(b.text, {
            fileName: name,
            format: 'text',
            encoding: 'utf-8',
            bytes: bytes.length,
            sha256: createHash('sha256').update(bytes).digest('hex'),
          });
        }
        const stored = await savePlan(store, request.viewer, parsed, ctx.clock);
        const corrected = applyCorrections(stored.raw, []);
        return reply.status(201).send(presentPlan(stored, corrected, [], request.viewer));
      },
    );
  });

  app.get(
    '/api/plans/reminders',
    {
      config: { permission: 'plans.track' },
      schema: {
        tags,
        summary: 'What each department must do now (overdue first), for the viewer’s assignments',
        querystring: AsOfQuery,
        response: { 200: Json, ...ERRORS },
      },
    },
    async (request) => {
      const asOf = (request.query as { asOf?: string }).asOf ?? today();
      const assignments = await visible(store, request.viewer);
      const reminders = remindersByDepartment(assignments, await store.plans.reports(), asOf);
      const names = new Map(assignments.map((a) => [a.departmentKey, a.departmentName]));
      return Object.entries(reminders)
        .map(([departmentKey, items]) => ({
          departmentKey,
          departmentName: names.get(departmentKey) ?? departmentKey,
          items,
        }))
        .sort((x, y) => y.items.length - x.items.length || x.departmentName.localeCompare(y.departmentName));
    },
  );

  app.get(
    '/api/plans/completion',
    {
      config: { permission: 'plans.track' },
      schema: {
        tags,
        summary:
          'Share of district assignments (各区政府, one per district) completed and accepted, per district',
        querystring: Type.Object({ level: literals(['district']), asOf: Type.Optional(IsoDate) }),
        response: { 200: Json, ...ERRORS },
      },
    },
    async (request) => completionRows(store, (request.query as { asOf?: string }).asOf ?? today(), cityCode),
  );

  app.get(
    '/api/plans/:id',
    {
      config: { permission: 'plans.read' },
      schema: {
        tags,
        summary:
          'One plan with its corrections applied, the source text, spans, fingerprints and measure states',
        params: PlanParams,
        response: { 200: Json, ...ERRORS },
      },
    },
    async (request) => {
      const stored = await loadPlan(store, request.params.id);
      const corrections = await store.plans.corrections(stored.id);
      const corrected = applyCorrections(stored.raw, corrections);
      const states = seesAllTracking(request.viewer)
        ? measureStates(
            corrected.plan,
            await store.plans.assignments({ planId: stored.id }),
            await store.plans.reports({ planId: stored.id }),
            today(),
          )
        : [];
      return { ...presentPlan(stored, corrected, corrections, request.viewer), measureStates: states };
    },
  );

  app.get(
    '/api/plans/:id/corrections',
    {
      config: { permission: 'plans.read' },
      schema: {
        tags,
        summary: 'Corrections of a plan, oldest first, and any that no longer apply',
        params: PlanParams,
        response: { 200: Json, ...ERRORS },
      },
    },
    async (request) => {
      const stored = await loadPlan(store, request.params.id);
      const corrections = await store.plans.corrections(stored.id);
      return { corrections, conflicts: applyCorrections(stored.raw, corrections).conflicts };
    },
  );

  app.post(
    '/api/plans/:id/corrections',
    {
      config: { permission: 'plans.correct' },
      schema: {
        tags,
        summary:
          'Correct the extraction (fix or add a unit, a target, a measure); kept apart from it; audited',
        description:
          'Body: one correction op of src/plans (set-unit, add-unit, set-target, add-target, add-measure, …). ' +
          '`expect` fingerprints may be left out: they are taken from the plan as it is now. New ids are made up.',
        params: PlanParams,
        body: Type.Object({ op: Type.String() }, { additionalProperties: true }),
        response: { 201: Json, ...ERRORS, 409: { $ref: 'ErrorBody#' } },
      },
    },
    async (request, reply) => {
      const stored = await loadPlan(store, request.params.id);
      const actor = actorOf(request.viewer);
      const result = await store.transaction(async (tx) => {
        const existing = await tx.plans.corrections(stored.id);
        const current = applyCorrections(stored.raw, existing).plan;
        const input = withFingerprints(request.body as Record<string, unknown>, current);
        if (input.op === 'add-measure' && input.newId === undefined)
          input.newId = freshId(current, input.parentId ? `${String(input.parentId)}.c` : 'c');
        if (input.op === 'add-target' && input.newId === undefined) input.newId = freshId(current, 'tc');
        const at = ctx.clock().toISOString();
        const correction = validateCorrection({
          ...input,
          id: `${stored.id}:c${existing.length + 1}`,
          author: request.viewer.username,
          at,
        });
        const applied = applyCorrections(stored.raw, [...existing, correction]);
        const conflict = applied.conflicts.find((c) => c.correctionId === correction.id);
        if (conflict)
          throw new LifeCircleError('LC_PLAN_CORRECTION', `correction ${correction.op}: ${conflict.message}`);
        await tx.plans.addCorrection(stored.id, correction);
        await tx.audit.record({
          actorId: actor.userId,
          actorName: actor.name,
          action: 'create',
          entity: 'plan_corrections',
          entityKey: correction.id,
          before: null,
          after: correction,
        });
        return { correction, applied };
      });
      return reply.status(201).send({
        correction: result.correction,
        ...presentPlan(stored, result.applied, await store.plans.corrections(stored.id), request.viewer),
      });
    },
  );

  app.post(
    '/api/plans/:id/assignments',
    {
      config: { permission: 'plans.assign' },
      schema: {
        tags,
        summary: 'Assign every measure to its responsible units (各区政府 → one per district); audited',
        params: PlanParams,
        body: Type.Object(
          {
            startDate: Type.Optional(IsoDate),
            defaultDueDate: Type.Optional(IsoDate),
          },
          { additionalProperties: false },
        ),
        response: { 201: Json, ...ERRORS },
      },
    },
    async (request, reply) => {
      const stored = await loadPlan(store, request.params.id);
      const body = request.body as { startDate?: string; defaultDueDate?: string };
      const plan = (await correctedPlan(store, stored)).plan;
      const made = createAssignments(plan, stored.id, {
        startDate: body.startDate ?? today(),
        defaultDueDate: body.defaultDueDate,
      });
      const districts = (await store.regions.list({ level: 'district', within: cityCode, limit: 1000 }))
        .items;
      const assignments = expandLowerGovernments(
        made.assignments,
        districts.map((d) => ({ region: d.code, name: d.name })),
      );
      const actor = actorOf(request.viewer);
      const added = await store.transaction(async (tx) => {
        const n = await tx.plans.addAssignments(assignments, actor.name);
        await tx.audit.record({
          actorId: actor.userId,
          actorName: actor.name,
          action: 'create',
          entity: 'plan_assignments',
          entityKey: stored.id,
          before: null,
          after: { created: n, total: assignments.length, unassignable: made.unassignable },
        });
        return n;
      });
      return reply
        .status(201)
        .send({ created: added, existing: assignments.length - added, unassignable: made.unassignable });
    },
  );

  app.get(
    '/api/assignments',
    {
      config: { permission: 'plans.track' },
      schema: {
        tags,
        summary: 'Assignments with their state (overdue, at risk, done); a department sees only its own',
        querystring: Type.Object({
          plan: Type.Optional(Type.String({ maxLength: 64 })),
          asOf: Type.Optional(IsoDate),
        }),
        response: { 200: Json, ...ERRORS },
      },
    },
    async (request) => {
      const q = request.query as { plan?: string; asOf?: string };
      const asOf = q.asOf ?? today();
      const assignments = await visible(store, request.viewer, q.plan);
      const reports = await store.plans.reports(q.plan ? { planId: q.plan } : undefined);
      // Grouped once: the state of each assignment then reads its own reports only (2,000 × n stays linear).
      const byAssignment = new Map<string, Reports>();
      for (const r of reports)
        byAssignment.set(r.assignmentId, [...(byAssignment.get(r.assignmentId) ?? []), r]);
      return assignments.map((a) => presentState(a, byAssignment.get(a.id) ?? [], asOf));
    },
  );

  app.post(
    '/api/assignments/:id/reports',
    {
      config: { permission: 'plans.report' },
      schema: {
        tags,
        summary: 'A department reports progress on its assignment (evidence files: metadata only); audited',
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 300 }) }),
        body: Type.Object(
          {
            status: literals(['in-progress', 'completed', 'blocked']),
            value: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
            narrative: Type.String({ maxLength: 4000 }),
            evidence: Type.Optional(Type.Array(EvidenceSchema, { maxItems: 20 })),
            submittedAt: Type.Optional(IsoDate),
          },
          { additionalProperties: false },
        ),
        response: { 201: Json, ...ERRORS, 409: { $ref: 'ErrorBody#' } },
      },
    },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const b = request.body as {
        status: ReportStatus;
        value?: number | null;
        narrative: string;
        evidence?: EvidenceFile[];
        submittedAt?: string;
      };
      const actor = actorOf(request.viewer);
      const report = await store.transaction(async (tx) => {
        const assignment = await tx.plans.getAssignment(id);
        if (!assignment) throw new LifeCircleError('LC_NOT_FOUND', `assignment ${id} does not exist`);
        const own = ownsAssignment(request.viewer, assignment);
        const made = submitReport(
          [assignment],
          await tx.plans.reports({ assignmentId: id }),
          {
            id: await tx.plans.nextReportId(),
            assignmentId: id,
            submittedAt: b.submittedAt ?? today(),
            status: b.status,
            value: b.value ?? null,
            narrative: b.narrative,
            evidence: b.evidence ?? [],
          },
          trackingActor(request.viewer, own ? assignment.departmentKey : null),
        );
        await tx.plans.addReport(made, actor.name);
        await tx.audit.record({
          actorId: actor.userId,
          actorName: actor.name,
          action: 'create',
          entity: 'progress_reports',
          entityKey: made.id,
          before: null,
          after: made,
        });
        return made;
      });
      return reply.status(201).send(report);
    },
  );

  app.post(
    '/api/reports/:id/review',
    {
      config: { permission: 'plans.review' },
      schema: {
        tags,
        summary: 'The coordinator accepts a report or returns it with a comment; audited',
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }),
        body: Type.Object(
          {
            decision: literals(['accepted', 'returned']),
            comment: Type.Optional(Type.String({ maxLength: 2000 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Json, ...ERRORS, 409: { $ref: 'ErrorBody#' } },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const b = request.body as { decision: 'accepted' | 'returned'; comment?: string };
      const actor = actorOf(request.viewer);
      return store.transaction(async (tx) => {
        const report = await tx.plans.getReport(id);
        if (!report) throw new LifeCircleError('LC_NOT_FOUND', `report ${id} does not exist`);
        const reviewed = reviewReport(
          report,
          b.decision,
          trackingActor(request.viewer, null),
          today(),
          b.comment ?? '',
        );
        if (!reviewed.review || !(await tx.plans.addReview(id, reviewed.review)))
          throw new LifeCircleError('LC_TRACKING_STATE', `report ${id} was reviewed already`);
        await tx.audit.record({
          actorId: actor.userId,
          actorName: actor.name,
          action: 'update',
          entity: 'progress_reports',
          entityKey: id,
          before: report,
          after: reviewed,
        });
        return reviewed;
      });
    },
  );
};
