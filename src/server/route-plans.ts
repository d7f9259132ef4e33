import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  assignPlan,
  assignmentsWithState,
  completionByDistrict,
  correctPlan,
  importPlanDocument,
  listPlans,
  MAX_PLAN_BYTES,
  planCorrections,
  planDetail,
  presentPlan,
  presentCorrections,
  remindersFor,
  reviewProgressReport,
  submitProgressReport,
  type PlanImportInput,
} from '../plans/index.js';
import {
  AssignBody,
  AssignmentParams,
  AssignmentsQuery,
  AssignResult,
  AssignmentList,
  CompletionQuery,
  CorrectionBody,
  CorrectionResult,
  CompletionList,
  ImportQuery,
  PLAN_FILE_MEDIA_TYPES,
  PlanCorrections,
  PlanDetail,
  PlanImportBody,
  PlanParams,
  PlanList,
  PlansQuery,
  PresentedPlan,
  ProgressReport,
  refusedCorrection,
  refusedField,
  ReminderList,
  RemindersQuery,
  ReportBody,
  ReportParams,
  ReviewBody,
} from './plans-schemas.js';
import type { RoutePlugin } from './route-context.js';
import { ERRORS, ErrorRef } from './route-context.js';
import { beijingToday } from '../time/index.js';

/**
 * Plans and plan tracking (issue 5): import a policy document, correct its extraction, assign its measures to
 * departments, collect their progress reports and the coordinator's review. Every write is a command of
 * src/plans/commands.ts (policy, transaction, audit); reads are its queries; this module is the HTTP face.
 * Schemas: plans-schemas.ts.
 */

export const planRoutes: RoutePlugin = async (app, ctx) => {
  const today = (): string => beijingToday(ctx.clock);
  const { store, cityCode, clock } = ctx;
  const deps = { store, clock, cityCode };
  const tags = ['plans'];

  app.get(
    '/api/plans',
    {
      config: { permission: 'plans.read' },
      schema: {
        tags,
        summary: 'Imported plans (policy documents), newest first; paged',
        querystring: PlansQuery,
        response: { 200: PlanList, ...ERRORS },
      },
    },
    async (request) => await listPlans(store, request.viewer, request.query),
  );

  // Import: the raw file (.txt in UTF-8/GBK, .docx) as application/octet-stream, or JSON { text, title? }.
  // A .txt sent as text/plain is taken as bytes too: its encoding (often GBK) is the decoder's to find.
  await app.register(async (raw) => {
    raw.removeContentTypeParser('text/plain');
    raw.addContentTypeParser(
      PLAN_FILE_MEDIA_TYPES,
      { parseAs: 'buffer', bodyLimit: 2 * MAX_PLAN_BYTES },
      (_req, body, done) => done(null, body),
    );
    raw.withTypeProvider<TypeBoxTypeProvider>().post(
      '/api/plans',
      {
        config: { permission: 'plans.import' },
        schemaErrorFormatter: refusedField('LC_USAGE'),
        schema: {
          tags,
          summary:
            'Import a plan: the raw .txt/.docx (application/octet-stream, ?fileName=) or JSON { text, title? }',
          querystring: ImportQuery,
          body: PlanImportBody,
          response: {
            201: PresentedPlan,
            ...ERRORS,
            409: ErrorRef,
            413: ErrorRef,
          },
        },
      },
      async (request, reply) => {
        const { body } = request;
        const { fileName } = request.query;
        const input: PlanImportInput = Buffer.isBuffer(body)
          ? { bytes: body, fileName }
          : { text: body?.text, title: body?.title, fileName };
        const { stored, corrected } = await importPlanDocument(deps, request.viewer, input);
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
        summary:
          'What each department must do now (overdue first), for the viewer’s assignments; paged by department',
        querystring: RemindersQuery,
        response: { 200: ReminderList, ...ERRORS },
      },
    },
    async (request) => {
      const { asOf, ...page } = request.query;
      return await remindersFor(store, request.viewer, asOf ?? today(), page);
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
        querystring: CompletionQuery,
        response: { 200: CompletionList, ...ERRORS },
      },
    },
    async (request) => await completionByDistrict(store, request.query.asOf ?? today(), cityCode),
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
        response: { 200: PlanDetail, ...ERRORS },
      },
    },
    async (request) => await planDetail(store, request.viewer, request.params.id, today()),
  );

  app.get(
    '/api/plans/:id/corrections',
    {
      config: { permission: 'plans.read' },
      schema: {
        tags,
        summary: 'Corrections of a plan, oldest first, and any that no longer apply',
        params: PlanParams,
        response: { 200: PlanCorrections, ...ERRORS },
      },
    },
    async (request) => {
      const { corrections, conflicts } = await planCorrections(store, request.params.id);
      return { corrections: presentCorrections(corrections, request.viewer), conflicts };
    },
  );

  app.post(
    '/api/plans/:id/corrections',
    {
      config: { permission: 'plans.correct' },
      // A malformed correction is refused as the plan domain refuses one (LC_PLAN_CORRECTION), naming the field
      // of the operation its `op` names.
      attachValidation: true,
      schema: {
        tags,
        summary:
          'Correct the extraction (fix or add a unit, a target, a measure); kept apart from it; audited',
        params: PlanParams,
        body: CorrectionBody,
        response: { 201: CorrectionResult, ...ERRORS, 409: ErrorRef },
      },
    },
    async (request, reply) => {
      if (request.validationError) throw refusedCorrection(request.validationError, request.body);
      const result = await correctPlan(deps, request.viewer, {
        planId: request.params.id,
        correction: request.body,
      });
      return reply.status(201).send({
        correction: result.correction,
        ...presentPlan(result.stored, result.applied, result.corrections, request.viewer),
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
        body: AssignBody,
        response: { 201: AssignResult, ...ERRORS },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await assignPlan(deps, request.viewer, { planId: request.params.id, ...request.body })),
  );

  app.get(
    '/api/assignments',
    {
      config: { permission: 'plans.track' },
      schema: {
        tags,
        summary:
          'Assignments with their state (overdue, at risk, done); a department sees only its own; paged',
        querystring: AssignmentsQuery,
        response: { 200: AssignmentList, ...ERRORS },
      },
    },
    async (request) => {
      const { plan, asOf, attention, stage, ...page } = request.query;
      return await assignmentsWithState(store, request.viewer, plan, asOf ?? today(), page, {
        attention,
        stage,
      });
    },
  );

  app.post(
    '/api/assignments/:id/reports',
    {
      config: { permission: 'plans.report' },
      schema: {
        tags,
        summary: 'A department reports progress on its assignment (evidence files: metadata only); audited',
        params: AssignmentParams,
        body: ReportBody,
        response: { 201: ProgressReport, ...ERRORS, 409: ErrorRef },
      },
    },
    async (request, reply) =>
      reply.status(201).send(
        await submitProgressReport(deps, request.viewer, {
          assignmentId: request.params.id,
          ...request.body,
        }),
      ),
  );

  app.post(
    '/api/reports/:id/review',
    {
      config: { permission: 'plans.review' },
      schema: {
        tags,
        summary: 'The coordinator accepts a report or returns it with a comment; audited',
        params: ReportParams,
        body: ReviewBody,
        response: { 200: ProgressReport, ...ERRORS, 409: ErrorRef },
      },
    },
    async (request) =>
      await reviewProgressReport(deps, request.viewer, {
        reportId: request.params.id,
        ...request.body,
      }),
  );
};
