import { Type } from '@sinclair/typebox';
import {
  configureScorecard,
  indicatorCatalogue,
  indicatorHistory,
  INDICATORS,
  regionNames,
  reportIndicatorValue,
  scorecardReportMeta,
  scorecardToHtml,
  scorecardToXlsx,
  scorecardView,
  setIndicatorTarget,
  suggestFor,
  planTargetLinks,
  targetList,
  targetProgress,
  presentTarget,
  presentValue,
} from '../indicators/index.js';
import {
  CatalogueEntry,
  Code,
  ConfigBody,
  NewTarget,
  Progress,
  RegionCode,
  ScorecardBody,
  Target,
  Value,
  DateString,
  LinkProposal,
} from './indicators-schemas.js';
import { PlanParams, TargetSchema } from './plans-schemas.js';
import { Page, PageQuery } from './schemas.js';
import type { RouteContext, RoutePlugin } from './route-context.js';
import { ERRORS } from './route-context.js';
import { beijingToday } from '../time/index.js';

/**
 * Indicators, targets, progress and the district scorecard (issue 5 part B). Computed values are written by the
 * engine with each coverage run (src/analysis/indicators.ts); departments report the reported ones here.
 */

export interface IndicatorRouteOptions {
  /**
   * Share of each district's assigned measures completed and accepted (district code → 0..1), from plan
   * tracking. Without it the scorecard shows measure completion as "no data" and says so.
   */
  measureCompletion?: () => Promise<Map<string, number>>;
}

export const indicatorRoutes: RoutePlugin<RouteContext & IndicatorRouteOptions> = async (app, ctx) => {
  const { store, cityCode, clock } = ctx;
  const deps = { store, clock, cityCode };
  const today = (): string => beijingToday(clock);
  const scorecard = () => scorecardView(store, cityCode, today(), ctx.measureCompletion);

  app.get(
    '/api/indicators',
    {
      config: { permission: 'indicators.read' },
      schema: {
        tags: ['indicators'],
        summary:
          'The indicator catalogue with the latest value of each indicator for the city and each district',
        response: {
          200: Type.Object({
            regions: Type.Array(
              Type.Object({ code: Type.String(), name: Type.String(), level: Type.String() }),
            ),
            items: Type.Array(CatalogueEntry),
          }),
          ...ERRORS,
        },
      },
    },
    async () => indicatorCatalogue(store, cityCode),
  );

  app.get(
    '/api/indicators/suggest',
    {
      config: { permission: 'indicators.read' },
      schema: {
        tags: ['indicators'],
        summary:
          'Indicators of the catalogue that a target phrase (from a plan) probably measures, best first',
        querystring: Type.Object({
          phrase: Type.String({ minLength: 1, maxLength: 200 }),
          unit: Type.Optional(Type.String({ maxLength: 20 })),
        }),
        response: {
          200: Type.Array(
            Type.Object({
              code: Type.String(),
              nameZh: Type.String(),
              nameEn: Type.String(),
              score: Type.Number(),
              reason: Type.String(),
            }),
          ),
          ...ERRORS,
        },
      },
    },
    async (request) => suggestFor(request.query.phrase, request.query.unit),
  );

  app.get(
    '/api/indicators/:code/values',
    {
      config: { permission: 'indicators.read' },
      schema: {
        tags: ['indicators'],
        summary: 'Every stored value of one indicator (history), newest first, with provenance',
        params: Type.Object({ code: Code }),
        querystring: Type.Object({ region: Type.Optional(RegionCode) }),
        response: { 200: Type.Object({ indicator: CatalogueEntry, items: Type.Array(Value) }), ...ERRORS },
      },
    },
    async (request) => indicatorHistory(store, cityCode, request.params.code, request.query.region),
  );

  app.post(
    '/api/indicators/:code/values',
    {
      config: { permission: 'indicators.report' },
      schema: {
        tags: ['indicators'],
        summary: 'A department reports the value of a reported indicator for a region and date',
        params: Type.Object({ code: Code }),
        body: Type.Object(
          {
            regionCode: RegionCode,
            date: DateString,
            value: Type.Number(),
            note: Type.Optional(Type.String({ maxLength: 1000 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Value, ...ERRORS },
      },
    },
    async (request, reply) => {
      const stored = await reportIndicatorValue(deps, request.viewer, {
        code: request.params.code,
        ...request.body,
      });
      return reply.status(201).send(presentValue(stored, await regionNames(store, cityCode)));
    },
  );

  app.get(
    '/api/plans/:id/target-links',
    {
      config: { permission: 'indicators.target' },
      schema: {
        tags: ['indicators'],
        summary:
          "A plan's quantified targets, each with the indicator target confirmed from it or the indicators proposed for it (confidence, evidence, the value a link would set); paged in the plan's order",
        params: PlanParams,
        querystring: Type.Object(PageQuery),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                measureId: Type.String(),
                target: TargetSchema,
                linked: Type.Union([
                  Type.Object({
                    id: Type.Integer(),
                    indicatorCode: Code,
                    regionCode: RegionCode,
                    targetValue: Type.Number(),
                    deadlineYear: Type.Integer(),
                  }),
                  Type.Null(),
                ]),
                proposals: Type.Array(LinkProposal),
              }),
            ),
            total: Type.Integer(),
            limit: Type.Integer(),
            offset: Type.Integer(),
            regionCode: Type.String({
              description: 'the region a confirmed link is set for by default: the city',
            }),
          }),
          ...ERRORS,
        },
      },
    },
    async (request) => planTargetLinks(store, cityCode, request.params.id, request.query),
  );

  app.get(
    '/api/indicator-targets',
    {
      config: { permission: 'indicators.read' },
      schema: {
        tags: ['indicators'],
        summary: 'Targets set for indicators, per region and deadline year; paged',
        querystring: Type.Object({
          ...PageQuery,
          indicator: Type.Optional(Code),
          region: Type.Optional(RegionCode),
        }),
        response: { 200: Page(Target), ...ERRORS },
      },
    },
    async (request) => targetList(store, cityCode, request.query),
  );

  app.post(
    '/api/indicator-targets',
    {
      config: { permission: 'indicators.target' },
      schema: {
        tags: ['indicators'],
        summary:
          'Set (or replace) the target of an indicator for a region and deadline year, optionally confirming a plan target',
        body: NewTarget,
        response: { 201: Target, ...ERRORS },
      },
    },
    async (request, reply) => {
      const target = await setIndicatorTarget(deps, request.viewer, request.body);
      return reply.status(201).send(presentTarget(target, await regionNames(store, cityCode)));
    },
  );

  app.get(
    '/api/indicators/progress',
    {
      config: { permission: 'indicators.read' },
      schema: {
        tags: ['indicators'],
        summary:
          'Progress of each target: baseline, latest value, the straight trajectory today, status and early warnings; paged as the targets',
        querystring: Type.Object({
          ...PageQuery,
          region: Type.Optional(RegionCode),
          indicator: Type.Optional(Code),
        }),
        response: { 200: Page(Progress), ...ERRORS },
      },
    },
    async (request) => targetProgress(store, cityCode, request.query, today()),
  );

  app.get(
    '/api/scorecard',
    {
      config: { permission: 'scorecard.read' },
      schema: {
        tags: ['scorecard'],
        summary: 'The district scorecard: weighted indicator achievement and measure completion, ranked',
        querystring: Type.Object({ level: Type.Optional(Type.Literal('district')) }),
        response: { 200: ScorecardBody, ...ERRORS },
      },
    },
    async () => (await scorecard()).body,
  );

  app.put(
    '/api/scorecard/config',
    {
      config: { permission: 'scorecard.configure' },
      schema: {
        tags: ['scorecard'],
        summary: 'Set the scorecard weights (per indicator code, and of measure completion)',
        body: ConfigBody,
        response: { 200: ScorecardBody, ...ERRORS },
      },
    },
    async (request) => {
      await configureScorecard(deps, request.viewer, request.body);
      return (await scorecard()).body;
    },
  );

  app.get(
    '/api/scorecard/export.xlsx',
    {
      config: { permission: 'scorecard.read' },
      schema: { tags: ['scorecard'], summary: 'The scorecard as an XLSX workbook (考评结果, 权重, 说明)' },
    },
    async (_request, reply) => {
      const { card, body } = await scorecard();
      const xlsx = await scorecardToXlsx(
        card,
        INDICATORS,
        await scorecardReportMeta(store, cityCode, body.asOf),
      );
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="scorecard-${body.asOf}.xlsx"`)
        .send(xlsx);
    },
  );

  app.get(
    '/api/scorecard/export.html',
    {
      config: { permission: 'scorecard.read' },
      schema: {
        tags: ['scorecard'],
        summary: 'The scorecard as a printable HTML report (A4 landscape; print to PDF)',
      },
    },
    async (_request, reply) => {
      const { card, body } = await scorecard();
      const html = scorecardToHtml(card, INDICATORS, await scorecardReportMeta(store, cityCode, body.asOf));
      return reply.header('content-type', 'text/html; charset=utf-8').send(html);
    },
  );
};
