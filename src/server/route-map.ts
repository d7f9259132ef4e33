import { Type, type Static } from '@sinclair/typebox';
import { LifeCircleError } from '../errors.js';
import { literals } from './schemas.js';
import type { RouteContext, RoutePlugin } from './route-context.js';
import { ERRORS } from './route-context.js';

/**
 * Map data for the dashboard: streets, communities coloured by coverage, facilities, isochrones and the
 * per-区/街道 coverage table, all from our own data (no tiles). Aggregate and public: no route here returns
 * personal data (no contact names or phones), so the public role may read it.
 */
const NullableNumber = Type.Union([Type.Number(), Type.Null()]);

export const MapFacilityType = Type.Object({
  id: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  tier: Type.String({ description: 'life-circle tier, e.g. fifteen-minute' }),
  radiusM: Type.Number({ description: 'service radius, walking metres' }),
  radiusVerified: Type.Boolean(),
  required: Type.Boolean({ description: '应配 (required) rather than 宜配 (recommended)' }),
  facilities: Type.Integer({ description: 'open facilities of this type in the evaluated data' }),
});

export const MapSummary = Type.Object({
  runId: Type.Union([Type.Integer(), Type.Null()], {
    description: 'the stored analysis run every number on the map comes from',
  }),
  inputsHash: Type.String(),
  evaluatedAt: Type.String(),
  bbox: Type.Array(Type.Number(), {
    minItems: 4,
    maxItems: 4,
    description: '[minLon, minLat, maxLon, maxLat]',
  }),
  communities: Type.Integer(),
  facilities: Type.Integer(),
  walkingSpeedMPerMin: Type.Number(),
  types: Type.Array(MapFacilityType),
  tiers: Type.Array(
    Type.Object({ id: Type.String(), nameZh: Type.String(), nameEn: Type.String(), minutes: Type.Number() }),
  ),
  caveats: Type.Array(Type.String()),
  attribution: Type.String(),
});
export type MapSummary = Static<typeof MapSummary>;

export const CommunityDetail = Type.Object({
  code: Type.String(),
  name: Type.String(),
  district: Type.Union([Type.String(), Type.Null()]),
  population: NullableNumber,
  populationEstimated: Type.Boolean(),
  onNetwork: Type.Boolean(),
  runId: Type.Union([Type.Integer(), Type.Null()]),
  types: Type.Array(
    Type.Object({
      typeId: Type.String(),
      nearestM: Type.Union([Type.Number(), Type.Null()], {
        description: 'null: none within the search limit',
      }),
      radiusM: Type.Number(),
      covered: Type.Boolean(),
      countWithinRadius: Type.Integer(),
    }),
  ),
  lacks: Type.Array(
    Type.Object({
      tier: Type.String(),
      missing: Type.Array(Type.String({ description: 'facility type id' })),
    }),
    { description: 'per life-circle tier, the required types not within their radius' },
  ),
});
export type CommunityDetail = Static<typeof CommunityDetail>;

export const CoverageRow = Type.Object({
  key: Type.String(),
  name: Type.String(),
  communities: Type.Integer(),
  population: Type.Number(),
  populationEstimated: Type.Boolean(),
  types: Type.Array(
    Type.Object({
      typeId: Type.String(),
      coveredCommunities: Type.Integer(),
      communityShare: NullableNumber,
      demandShare: NullableNumber,
    }),
  ),
  tiers: Type.Array(
    Type.Object({ tier: Type.String(), completeCommunities: Type.Integer(), communityShare: NullableNumber }),
  ),
});
export type CoverageRow = Static<typeof CoverageRow>;

const FeatureCollection = Type.Object(
  { type: Type.Literal('FeatureCollection'), features: Type.Array(Type.Unknown()) },
  { description: 'GeoJSON FeatureCollection (RFC 7946), WGS-84' },
);

export const IsochroneResult = Type.Object({
  limitM: Type.Number(),
  minutes: Type.Number(),
  origin: Type.Object({ lon: Type.Number(), lat: Type.Number() }),
  snappedM: Type.Number({ description: 'distance from the origin to the street it was snapped to' }),
  reachedLengthM: Type.Number(),
  lines: FeatureCollection,
  outline: Type.Union([Type.Unknown(), Type.Null()], {
    description: 'GeoJSON Polygon feature, display only',
  }),
});
export type IsochroneResult = Static<typeof IsochroneResult>;

/** What the map routes need from the analysis engine (implemented in src/engine). */
export interface MapDataProvider {
  summary(): Promise<MapSummary>;
  /** Pre-serialised GeoJSON: the street network changes only with the graph, so it is built once. */
  streetsGeoJson(): string;
  communitiesGeoJson(): string;
  facilitiesGeoJson(typeId?: string): string;
  community(code: string): Promise<CommunityDetail | null>;
  isochrone(
    origin: { community: string } | { lon: number; lat: number },
    minutes: number,
  ): IsochroneResult | null;
  coverage(level: 'district' | 'subdistrict'): CoverageRow[];
}

const GEOJSON = 'application/geo+json; charset=utf-8';

export const mapRoutes: RoutePlugin<RouteContext & { map?: MapDataProvider }> = async (app, { map }) => {
  const provider = (): MapDataProvider => {
    if (!map) throw new LifeCircleError('LC_NOT_AVAILABLE', 'map data needs the analysis engine (npm start)');
    return map;
  };
  const geo = { 200: FeatureCollection, ...ERRORS, 501: { $ref: 'ErrorBody#' } };

  app.get(
    '/api/map/summary',
    {
      config: { permission: 'map.read' },
      schema: {
        tags: ['map'],
        summary:
          'What the map shows: analysis run, facility types with radii, extent, caveats and attribution',
        response: { 200: MapSummary, ...ERRORS, 501: { $ref: 'ErrorBody#' } },
      },
    },
    async () => provider().summary(),
  );

  app.get(
    '/api/map/streets',
    {
      config: { permission: 'map.read' },
      schema: {
        tags: ['map'],
        summary: 'Walkable streets and paths of the network as GeoJSON lines',
        response: geo,
      },
    },
    async (_request, reply) => reply.type(GEOJSON).send(provider().streetsGeoJson()),
  );

  app.get(
    '/api/map/communities',
    {
      config: { permission: 'map.read' },
      schema: {
        tags: ['map'],
        summary:
          'Communities (polygons, or points where no boundary is known) with per-type coverage: properties ' +
          '`d:<type>` nearest walking metres (null = none within reach), `c:<type>` 1 when covered, ' +
          '`n:<type>` count within the radius, `lacks15` required types the 15-minute circle lacks',
        response: geo,
      },
    },
    async (_request, reply) => reply.type(GEOJSON).send(provider().communitiesGeoJson()),
  );

  app.get(
    '/api/map/facilities',
    {
      config: { permission: 'map.read' },
      schema: {
        tags: ['map'],
        summary: 'Facilities as GeoJSON points (code, name, type, status, 普惠 flag; no contact data)',
        querystring: Type.Object({ type: Type.Optional(Type.String({ maxLength: 64 })) }),
        response: geo,
      },
    },
    async (request, reply) => reply.type(GEOJSON).send(provider().facilitiesGeoJson(request.query.type)),
  );

  app.get(
    '/api/map/communities/:code',
    {
      config: { permission: 'map.read' },
      schema: {
        tags: ['map'],
        summary: "One community's walking distance to each type and what its life circles lack",
        params: Type.Object({ code: Type.String({ maxLength: 128 }) }),
        response: { 200: CommunityDetail, ...ERRORS, 501: { $ref: 'ErrorBody#' } },
      },
    },
    async (request) => {
      const detail = await provider().community(request.params.code);
      if (!detail)
        throw new LifeCircleError('LC_NOT_FOUND', `community ${request.params.code} is not in the analysis`);
      return detail;
    },
  );

  app.get(
    '/api/map/isochrone',
    {
      config: { permission: 'map.read' },
      schema: {
        tags: ['map'],
        summary: 'Walking isochrone (reached streets and an outline) from a community or a lon/lat',
        querystring: Type.Object({
          community: Type.Optional(Type.String({ maxLength: 128 })),
          lon: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
          lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
          minutes: Type.Optional(Type.Number({ minimum: 1, maximum: 30, default: 15 })),
        }),
        response: { 200: IsochroneResult, ...ERRORS, 501: { $ref: 'ErrorBody#' } },
      },
    },
    async (request) => {
      const { community, lon, lat, minutes = 15 } = request.query;
      if (community === undefined && (lon === undefined || lat === undefined))
        throw new LifeCircleError('LC_USAGE', 'querystring: expected community, or both lon and lat');
      const origin = community !== undefined ? { community } : { lon: lon as number, lat: lat as number };
      const result = provider().isochrone(origin, minutes);
      if (!result)
        throw new LifeCircleError(
          'LC_NOT_FOUND',
          community !== undefined
            ? `community ${community} is not in the analysis or lies off the walking network`
            : `no walkable street near ${lon},${lat}`,
        );
      return result;
    },
  );

  app.get(
    '/api/map/coverage',
    {
      config: { permission: 'map.read' },
      schema: {
        tags: ['map'],
        summary: 'Coverage and completeness per 区 (district) or 街道 (subdistrict)',
        querystring: Type.Object({
          level: Type.Optional(literals(['district', 'subdistrict'] as const)),
        }),
        response: { 200: Type.Array(CoverageRow), ...ERRORS, 501: { $ref: 'ErrorBody#' } },
      },
    },
    async (request) => provider().coverage(request.query.level ?? 'district'),
  );
};
