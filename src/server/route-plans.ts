import { Type } from '@sinclair/typebox';
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
  remindersFor,
  reviewProgressReport,
  submitProgressReport,
  type PlanImportInput,
} from '../plans/index.js';
import { literals } from './schemas.js';
import type { RoutePlugin } from './route-context.js';
import { ERRORS } from './route-context.js';
import { beijingToday } from '../time/index.js';

/**
 * Plans and plan tracking (issue 5): import a policy document, correct its extraction, assign its measures to
 * departments, collect their progress reports and the coordinator's review. Every write is a command of
 * src/plans/commands.ts (policy, transaction, audit); reads are its queries; this module is the HTTP face.
 */

const DOCX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });
const PlanParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
/** Shapes are the plan domain's (src/plans/types.ts, tracking.ts); serialised as they are. */
const Json = Type.Unknown();
const AsOfQuery = Type.Object({ asOf: Type.Optional(IsoDate) });

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
  const { store, cityCode, clock } = ctx;
  const deps = { store, clock, cityCode };
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
    async (request) => listPlans(store, request.viewer),
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
    raw.withTypeProvider<TypeBoxTypeProvider>().post(
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
        // The body has no schema: a Buffer from the parsers above, or whatever JSON was sent.
        const body: unknown = request.body;
        const { fileName } = request.query;
        const b = (body ?? {}) as { text?: unknown; title?: unknown };
        const input: PlanImportInput = Buffer.isBuffer(body)
          ? { bytes: body, fileName }
          : { text: b.text, title: b.title, fileName };
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
        summary: 'What each department must do now (overdue first), for the viewer’s assignments',
        querystring: AsOfQuery,
        response: { 200: Json, ...ERRORS },
      },
    },
    async (request) => remindersFor(store, request.viewer, request.query.asOf ?? today()),
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
    async (request) => completionByDistrict(store, request.query.asOf ?? today(), cityCode),
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
    async (request) => planDetail(store, request.viewer, request.params.id, today()),
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
    async (request) => planCorrections(store, request.params.id),
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
        summary: 'Assignments with their state (overdue, at risk, done); a department sees only its own',
        querystring: Type.Object({
          plan: Type.Optional(Type.String({ maxLength: 64 })),
          asOf: Type.Optional(IsoDate),
        }),
        response: { 200: Json, ...ERRORS },
      },
    },
    async (request) =>
      assignmentsWithState(store, request.viewer, request.query.plan, request.query.asOf ?? today()),
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
            status: literals(['in-progress', 'completed', 'blocked'] as const),
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
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }),
        body: Type.Object(
          {
            decision: literals(['accepted', 'returned'] as const),
            comment: Type.Optional(Type.String({ maxLength: 2000 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Json, ...ERRORS, 409: { $ref: 'ErrorBody#' } },
      },
    },
    async (request) =>
      reviewProgressReport(deps, request.viewer, { reportId: request.params.id, ...request.body }),
  );
};
