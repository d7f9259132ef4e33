import { Type, type Static } from '@sinclair/typebox';
import { LifeCircleError } from '../errors.js';
import {
  drawConfigOf,
  RISK_CLASSES,
  SEES_UNPUBLISHED,
  samplingRuleOf,
  setSamplingRule,
  drawInspectionTargets,
  publishDraw,
  recordInspectionResult,
  visibleDraw,
} from '../supervision/index.js';
import { SERVICE_DOMAINS, type StoredDraw } from '../store/index.js';
import { allowed, type Viewer } from '../policy/index.js';
import { FileDownload, literals } from './schemas.js';
import {
  CONFLICT,
  DATE,
  IdParams,
  USCC,
  candidatesCsv,
  cliCommand,
  inspectorsCsv,
  presentCreditRecord,
  type CreditRouteOptions,
} from './credit-common.js';
import {
  DrawCreated,
  DrawDetail,
  DrawList,
  DrawView,
  ResultRecorded,
  SamplingRuleView,
} from './credit-schemas.js';
import { ERRORS, type RoutePlugin } from './route-context.js';

const CityCode = Type.String({
  pattern: '^[0-9]{4}([0-9]{2})?$',
  description: 'default: the city this server plans for',
});
const Ratio = Type.Number({ minimum: 0, maximum: 1 });
const perClassRatio = Type.Object(
  { A: Ratio, B: Ratio, C: Ratio, D: Ratio },
  { additionalProperties: false },
);
const RatioRange = Type.Object({ min: Ratio, max: Ratio }, { additionalProperties: false });
const perClassRange = Type.Object(
  { A: RatioRange, B: RatioRange, C: RatioRange, D: RatioRange },
  { additionalProperties: false },
);

const DrawInputBody = Type.Object(
  {
    seed: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: 'published seed; generated when left out' }),
    ),
    regionCode: Type.Optional(Type.String({ pattern: '^[0-9]{2,12}$' })),
    domain: Type.Optional(literals(SERVICE_DOMAINS)),
    ratios: Type.Optional(
      Type.Object(
        Object.fromEntries(
          RISK_CLASSES.map((k) => [k, Type.Optional(Type.Number({ minimum: 0, maximum: 1 }))]),
        ),
        { additionalProperties: false },
      ),
    ),
    localRange: Type.Optional(
      Type.Boolean({ description: 'keep ratios inside the local rule (default true)' }),
    ),
    rounding: Type.Optional(literals(['nearest', 'up', 'down'] as const)),
    teamSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 8 })),
    assignInspectors: Type.Optional(Type.Boolean({ description: 'assign inspectors (default true)' })),
    conflicts: Type.Optional(
      Type.Array(Type.Object({ inspectorId: Type.String({ minLength: 1 }), uscc: USCC }), { maxItems: 1000 }),
    ),
  },
  { additionalProperties: false },
);
const ResultInput = Type.Object(
  {
    drawId: Type.String({ pattern: '^[0-9]+$' }),
    uscc: USCC,
    inspectedOn: DATE,
    outcome: literals(['compliant', 'rectified', 'non-compliant'] as const),
    findings: Type.String({ minLength: 1, maxLength: 500, description: 'public summary of the findings' }),
    authority: Type.String({ minLength: 1, maxLength: 100 }),
    document: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
);

/** The account that made a draw is internal; the rest of a published draw is public by design (一公开). */
function drawView(d: StoredDraw, viewer: Viewer): Static<typeof DrawView> {
  const { createdBy, ...rest } = d;
  return {
    ...rest,
    ...(SEES_UNPUBLISHED.includes(viewer.role) ? { createdBy } : {}),
    files: {
      candidatesCsv: `/api/inspections/draws/${d.id}/candidates.csv`,
      ...(d.inspectors ? { inspectorsCsv: `/api/inspections/draws/${d.id}/inspectors.csv` } : {}),
    },
    cli: cliCommand(d),
    canPublish: !d.published && allowed(viewer, 'inspections.draw'),
  };
}

/** 双随机 draws (create, list, publish, the published lists) and inspectors' results. */
export const inspectionRoutes: RoutePlugin<CreditRouteOptions> = async (app, ctx) => {
  const { store } = ctx;

  app.get(
    '/api/inspections/sampling-rule',
    {
      config: { permission: 'inspections.read' },
      schema: {
        tags: ['inspections'],
        summary:
          "The city's 双随机 sampling rule (its own, or LifeCircle's national default) and its document",
        querystring: Type.Object({ city: Type.Optional(CityCode) }),
        response: { 200: SamplingRuleView, ...ERRORS },
      },
    },
    async (request) => samplingRuleOf(store, request.query.city ?? ctx.cityCode),
  );

  app.put(
    '/api/inspections/sampling-rule',
    {
      config: { permission: 'inspections.configure' },
      schema: {
        tags: ['inspections'],
        summary:
          "Adopt the city's own 双随机 sampling rule, or go back to the national default (reset); audited",
        body: Type.Object(
          {
            city: Type.Optional(CityCode),
            reset: Type.Optional(Type.Boolean()),
            ratios: Type.Optional(perClassRatio),
            ranges: Type.Optional(Type.Union([perClassRange, Type.Null()])),
            document: Type.Optional(
              Type.String({ maxLength: 300, description: 'the document the rule comes from' }),
            ),
            url: Type.Optional(Type.String({ maxLength: 500 })),
            clause: Type.Optional(Type.String({ maxLength: 200 })),
            note: Type.Optional(Type.String({ maxLength: 500 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: SamplingRuleView, ...ERRORS },
      },
    },
    async (request) => {
      const { city, ...rest } = request.body;
      return setSamplingRule(ctx, request.viewer, { ...rest, cityCode: city });
    },
  );

  app.post(
    '/api/inspections/draws',
    {
      config: { permission: 'inspections.draw' },
      schema: {
        tags: ['inspections'],
        summary:
          '双随机 draw: candidates = providers in scope with their current class; seed given or generated',
        body: DrawInputBody,
        response: { 201: DrawCreated, ...ERRORS },
      },
    },
    async (request, reply) => {
      const { draw, skipped } = await drawInspectionTargets(ctx, request.viewer, request.body);
      return reply.status(201).send({ ...drawView(draw, request.viewer), skipped });
    },
  );

  app.get(
    '/api/inspections/draws',
    {
      config: { permission: 'inspections.read' },
      schema: {
        tags: ['inspections'],
        summary: 'Draws, newest first; the public sees published ones only',
        querystring: Type.Object({
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
          offset: Type.Optional(Type.Integer({ minimum: 0 })),
        }),
        response: { 200: DrawList, ...ERRORS },
      },
    },
    async (request): Promise<Static<typeof DrawList>> => {
      const q = request.query;
      const all = SEES_UNPUBLISHED.includes(request.viewer.role);
      const listed = await store.credit.listDraws({ ...q, ...(all ? {} : { published: true }) });
      const page = all ? listed : { ...listed, items: listed.items.map(({ createdBy: _by, ...d }) => d) };
      // What a new draw starts from (the city's rule, else the national default), for the dashboard's form.
      const rule = await samplingRuleOf(store, ctx.cityCode);
      return { ...page, defaults: { config: drawConfigOf(rule), rule } };
    },
  );

  app.get(
    '/api/inspections/draws/:id',
    {
      config: { permission: 'inspections.read' },
      schema: {
        tags: ['inspections'],
        summary: 'One draw: seed, candidate and inspector lists, configuration, result, results recorded',
        params: IdParams,
        response: { 200: DrawDetail, ...ERRORS },
      },
    },
    async (request): Promise<Static<typeof DrawDetail>> => {
      const d = await visibleDraw(store, request.params.id, request.viewer);
      const results = await store.credit.listResults({ drawId: d.id });
      return {
        ...drawView(d, request.viewer),
        results: results.map(({ createdBy: _by, ...r }) => r),
      };
    },
  );

  app.post(
    '/api/inspections/draws/:id/publish',
    {
      config: { permission: 'inspections.draw' },
      schema: {
        tags: ['inspections'],
        summary: 'Publish a draw (一公开); idempotent, audited',
        params: IdParams,
        response: { 200: DrawView, ...ERRORS },
      },
    },
    async (request): Promise<Static<typeof DrawView>> => {
      const d = await publishDraw(ctx, request.viewer, request.params);
      return drawView(d, request.viewer);
    },
  );

  for (const [file, body] of [
    ['candidates', (d: StoredDraw) => candidatesCsv(d.candidates)],
    ['inspectors', (d: StoredDraw) => (d.inspectors ? inspectorsCsv(d.inspectors) : null)],
  ] as const)
    app.get(
      `/api/inspections/draws/:id/${file}.csv`,
      {
        config: { permission: 'inspections.read' },
        schema: {
          tags: ['inspections'],
          summary: `The published ${file} list as CSV, as \`lifecircle inspections draw --${file}\` reads it`,
          params: IdParams,
          response: { 200: FileDownload('the published list as CSV'), ...ERRORS },
        },
      },
      async (request, reply) => {
        const d = await visibleDraw(store, request.params.id, request.viewer);
        const text = body(d);
        if (text === null) throw new LifeCircleError('LC_NOT_FOUND', `draw ${d.id} assigned no inspectors`);
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="draw-${d.id}-${file}.csv"`)
          .send(text);
      },
    );

  app.post(
    '/api/inspections/results',
    {
      config: { permission: 'inspections.record' },
      schema: {
        tags: ['inspections'],
        summary:
          "An inspector records a drawn target's result; it becomes a credit record and the class is recomputed",
        body: ResultInput,
        response: { 201: ResultRecorded, ...ERRORS, ...CONFLICT },
      },
    },
    async (request, reply) => {
      const out = await recordInspectionResult(ctx, request.viewer, request.body);
      return reply.status(201).send({
        result: out.result,
        record: presentCreditRecord(out.record, request.viewer, out.asOf),
        classification: out.classification,
        previousClass: out.previousClass,
        revoked: out.revoked,
      });
    },
  );
};
