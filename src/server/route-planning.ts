import { Type, type Static } from '@sinclair/typebox';
import { LifeCircleError } from '../errors.js';
import { indicatorByCode } from '../indicators/index.js';
import type { RouteContext, RoutePlugin } from './route-context.js';
import { ERRORS, ErrorRef } from './route-context.js';

/**
 * The planner's questions on top of the newest evaluation: where are the gaps, where should the next
 * facility of a type go, and what would adding or removing one change? Computed on request from the
 * evaluation the map shows (no new run is stored: these are proposals, not facts). Aggregate data only.
 */
const Coverage = Type.Object({
  coveredCommunities: Type.Integer(),
  coveredDemand: Type.Number({
    description: 'residents of the demand group with a facility within the radius',
  }),
  demandShare: Type.Number({ description: '0..1' }),
  fcaPer1000: Type.Number({
    description: 'demand-weighted mean 2SFCA, capacity per 1000 residents of the group',
  }),
});

export const GapsAnswer = Type.Object({
  typeId: Type.String(),
  runId: Type.Union([Type.Integer(), Type.Null()]),
  radiusM: Type.Number(),
  demandGroup: Type.String(),
  demandGroupZh: Type.String({ description: 'who the demand counts, e.g. 3–6岁幼儿' }),
  demandGroupEn: Type.String(),
  uncoveredCommunities: Type.Integer(),
  uncoveredDemand: Type.Number(),
  gaps: Type.Array(
    Type.Object({
      code: Type.String(),
      name: Type.String(),
      district: Type.Union([Type.String(), Type.Null()]),
      demand: Type.Number(),
      demandEstimated: Type.Boolean(),
      nearestM: Type.Union([Type.Number(), Type.Null()], {
        description: 'null: none within the search limit',
      }),
      lon: Type.Number(),
      lat: Type.Number(),
    }),
  ),
});
export type GapsAnswer = Static<typeof GapsAnswer>;

export const SitingAnswer = Type.Object({
  typeId: Type.String(),
  runId: Type.Union([Type.Integer(), Type.Null()]),
  radiusM: Type.Number(),
  candidates: Type.Integer({
    description: 'network locations considered (junctions inside and gates of residential areas)',
  }),
  uncoveredBefore: Type.Number(),
  uncoveredAfter: Type.Number(),
  method: Type.Union([Type.Literal('exact'), Type.Literal('greedy+swap'), Type.Literal('greedy')], {
    description:
      'exact: HiGHS (MIP) within its 2 s budget; greedy+swap: lazy greedy then swap local search, when the exact ' +
      'solver did not fit the budget; greedy: with a capacity (the capacitated greedy)',
  }),
  gap: Type.Number({
    minimum: 0,
    description: 'upper bound on (optimum − found) / optimum of the newly covered demand; 0 = proven optimal',
  }),
  picks: Type.Array(
    Type.Object({
      rank: Type.Integer(),
      lon: Type.Number(),
      lat: Type.Number(),
      origin: Type.String(),
      gain: Type.Number({ description: 'demand newly covered by this pick' }),
      cumulative: Type.Number(),
      communities: Type.Array(Type.Object({ code: Type.String(), name: Type.String() })),
    }),
  ),
});
export type SitingAnswer = Static<typeof SitingAnswer>;

const Point = Type.Object({
  lon: Type.Number({ minimum: -180, maximum: 180 }),
  lat: Type.Number({ minimum: -90, maximum: 90 }),
  capacity: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
  name: Type.Optional(Type.String({ maxLength: 100 })),
});

const WhatIfBody = Type.Object({
  type: Type.String({ maxLength: 64 }),
  add: Type.Optional(Type.Array(Point, { maxItems: 20 })),
  remove: Type.Optional(Type.Array(Type.String({ maxLength: 128 }), { maxItems: 20 })),
});
export type WhatIfRequest = Static<typeof WhatIfBody>;

export const WhatIfAnswer = Type.Object({
  typeId: Type.String(),
  runId: Type.Union([Type.Integer(), Type.Null()]),
  before: Coverage,
  after: Coverage,
  steps: Type.Array(
    Type.Object({
      operation: Type.String(),
      facilityId: Type.String(),
      newlyCovered: Type.Array(Type.Object({ code: Type.String(), name: Type.String() })),
      newlyUncovered: Type.Array(Type.Object({ code: Type.String(), name: Type.String() })),
      after: Coverage,
    }),
  ),
});
export type WhatIfAnswer = Static<typeof WhatIfAnswer>;

export const TargetNeedAnswer = Type.Object({
  typeId: Type.String({ description: 'the facility type whose walking radius the indicator counts' }),
  regionCode: Type.String(),
  runId: Type.Union([Type.Integer(), Type.Null()]),
  radiusM: Type.Number(),
  communities: Type.Integer({ description: 'communities of the region' }),
  covered: Type.Integer({ description: 'within the radius now' }),
  required: Type.Integer({ description: 'within the radius for the target to be met' }),
  missing: Type.Integer({ description: 'required − covered, at least 0' }),
  planned: Type.Object({
    facilities: Type.Integer({ description: 'planned projects (拟建) of the type in the store' }),
    placed: Type.Integer({ description: 'of them, those on the walking network' }),
    newlyCovered: Type.Integer({ description: 'communities of the region they bring within the radius' }),
  }),
  stillMissing: Type.Integer({
    description: 'what new sites must bring in once the planned projects are built',
  }),
  offNetwork: Type.Integer({ description: 'too far from any walkable way: no new facility reaches them' }),
  reachable: Type.Boolean({ description: 'whether new facilities can bring the region to the target' }),
  facilitiesNeeded: Type.Union([Type.Integer(), Type.Null()], {
    description:
      'new facilities beyond the planned ones that do it by greedy siting (an upper bound); null when not reachable',
  }),
  picks: Type.Array(
    Type.Object({
      rank: Type.Integer(),
      lon: Type.Number(),
      lat: Type.Number(),
      newlyCovered: Type.Number({ description: 'communities this pick brings within the radius' }),
      communities: Type.Array(Type.Object({ code: Type.String(), name: Type.String() })),
    }),
  ),
});
export type TargetNeedAnswer = Static<typeof TargetNeedAnswer>;

/** What the engine (src/engine) answers; null when the type is unknown or not evaluated. */
export interface PlanningProvider {
  gaps(typeId: string, top: number): Promise<GapsAnswer | null>;
  site(typeId: string, count: number, capacity?: number): Promise<SitingAnswer | null>;
  whatIf(request: WhatIfRequest): Promise<WhatIfAnswer | null>;
  targetNeed(
    typeId: string,
    regionCode: string,
    share: number,
    strict?: boolean,
  ): Promise<TargetNeedAnswer | null>;
}

const NOT_WIRED = { 501: ErrorRef } as const;

export const planningRoutes: RoutePlugin<RouteContext & { planning?: PlanningProvider }> = async (
  app,
  { planning, store },
) => {
  const provider = (): PlanningProvider => {
    if (!planning)
      throw new LifeCircleError(
        'LC_NOT_AVAILABLE',
        'this server runs without the analysis engine (use lifecircle start)',
      );
    return planning;
  };
  const unknownType = (typeId: string) =>
    new LifeCircleError(
      'LC_NOT_FOUND',
      `facility type ${typeId} is not evaluated (see GET /api/map/summary for the types)`,
    );

  app.get(
    '/api/planning/gaps',
    {
      config: { permission: 'planning.use' },
      schema: {
        tags: ['planning'],
        summary: 'Communities without a facility of a type within its walking radius, most demand first',
        querystring: Type.Object({
          type: Type.String({ maxLength: 64 }),
          top: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 20 })),
        }),
        response: { 200: GapsAnswer, ...ERRORS, ...NOT_WIRED },
      },
    },
    async (request) =>
      (await provider().gaps(request.query.type, request.query.top ?? 20)) ??
      Promise.reject(unknownType(request.query.type)),
  );

  app.post(
    '/api/planning/siting',
    {
      config: { permission: 'planning.use' },
      schema: {
        tags: ['planning'],
        summary: 'Where k new facilities of a type would cover the most uncovered demand (maximal covering)',
        description:
          'Candidates are walking-network junctions inside residential areas and their gates. Solved exactly ' +
          '(HiGHS, in a worker thread) when that fits a 2 s budget, else greedy + swap local search; with a ' +
          'capacity, the capacitated greedy. `method` says which, `gap` bounds the distance to the optimum ' +
          '(docs/performance.md).',
        body: Type.Object({
          type: Type.String({ maxLength: 64 }),
          count: Type.Integer({ minimum: 1, maximum: 20 }),
          capacity: Type.Optional(
            Type.Number({ exclusiveMinimum: 0, description: 'demand one facility can serve' }),
          ),
        }),
        response: { 200: SitingAnswer, ...ERRORS, ...NOT_WIRED },
      },
    },
    async (request) =>
      (await provider().site(request.body.type, request.body.count, request.body.capacity)) ??
      Promise.reject(unknownType(request.body.type)),
  );

  app.post(
    '/api/planning/what-if',
    {
      config: { permission: 'planning.use' },
      schema: {
        tags: ['planning'],
        summary: 'Coverage before and after adding facilities at points and/or removing existing ones',
        body: WhatIfBody,
        response: { 200: WhatIfAnswer, ...ERRORS, ...NOT_WIRED },
      },
    },
    async (request) => {
      if (!request.body.add?.length && !request.body.remove?.length)
        throw new LifeCircleError('LC_USAGE', 'body: expected at least one facility in add or remove');
      return (await provider().whatIf(request.body)) ?? Promise.reject(unknownType(request.body.type));
    },
  );

  app.get(
    '/api/planning/target-need',
    {
      config: { permission: 'planning.use' },
      schema: {
        tags: ['planning'],
        summary: 'What a walking-coverage target takes: communities missing, and new facilities and where',
        description:
          'For a target (GET /api/indicators/progress) on a walking-coverage indicator (facilityType in the ' +
          "catalogue) with a lower bound (≥, >, =): in the target's region, on the evaluation the map shows, how " +
          'many more communities must come within the radius, and the sites greedy siting picks until they do ' +
          '(an upper bound on the number). A proposal, not a stored fact.',
        querystring: Type.Object({ target: Type.Integer({ minimum: 1 }) }),
        response: { 200: TargetNeedAnswer, ...ERRORS, ...NOT_WIRED },
      },
    },
    async (request) => {
      const target = await store.indicators.getTarget(request.query.target);
      if (!target) throw new LifeCircleError('LC_NOT_FOUND', `target ${request.query.target} does not exist`);
      const indicator = indicatorByCode(target.indicatorCode);
      const formula = indicator?.formula;
      if (!indicator || formula?.type !== 'share' || !formula.facilityType)
        throw new LifeCircleError(
          'LC_USAGE',
          `target ${target.id}: ${target.indicatorCode} is not a walking-coverage indicator; what a target takes is computed for those only`,
        );
      if (!['gte', 'gt', 'eq'].includes(target.comparator))
        throw new LifeCircleError(
          'LC_USAGE',
          `target ${target.id}: an upper bound (${target.comparator}) needs no new facility; only ≥, > and = targets are computed`,
        );
      const answer = await provider().targetNeed(
        formula.facilityType,
        target.regionCode,
        Math.min(1, target.targetValue / 100),
        target.comparator === 'gt',
      );
      if (!answer) throw unknownType(formula.facilityType);
      if (answer.communities === 0)
        throw new LifeCircleError(
          'LC_NOT_FOUND',
          `target ${target.id}: region ${target.regionCode} has no community in the evaluation this server maps`,
        );
      return answer;
    },
  );
};
