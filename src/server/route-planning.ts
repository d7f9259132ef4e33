import { Type, type Static } from '@sinclair/typebox';
import { LifeCircleError } from '../errors.js';
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

/** What the engine (src/engine) answers; null when the type is unknown or not evaluated. */
export interface PlanningProvider {
  gaps(typeId: string, top: number): Promise<GapsAnswer | null>;
  site(typeId: string, count: number, capacity?: number): Promise<SitingAnswer | null>;
  whatIf(request: WhatIfRequest): Promise<WhatIfAnswer | null>;
}

const NOT_WIRED = { 501: ErrorRef } as const;

export const planningRoutes: RoutePlugin<RouteContext & { planning?: PlanningProvider }> = async (
  app,
  { planning },
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
        summary:
          'Where k new facilities of a type would cover the most uncovered demand (greedy maximal covering)',
        description:
          'Candidates are walking-network junctions inside residential areas and their gates. Greedy picks are ' +
          'within 0.24 % of the exact optimum on the benchmark instances (docs/life-circle-evaluation.md).',
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
};
