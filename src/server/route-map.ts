import { Type, type TSchema } from '@sinclair/typebox';
import { LifeCircleError } from '../errors.js';
import { literals, PreSerialised } from './schemas.js';
import {
  CommunitiesCollection,
  CommunityDetail,
  CoverageRow,
  FacilitiesCollection,
  IsochroneResult,
  MapSummary,
  StreetsCollection,
} from './map-schemas.js';
import type { RouteContext, RoutePlugin } from './route-context.js';
import { ERRORS, ErrorRef } from './route-context.js';

/** What the map routes need from the analysis engine (implemented in src/analysis). */
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
  const geo = <T extends TSchema>(collection: T) => ({
    200: PreSerialised(collection),
    ...ERRORS,
    501: ErrorRef,
  });

  app.get(
    '/api/map/summary',
    {
      config: { permission: 'map.read' },
      schema: {
        tags: ['map'],
        summary:
          'What the map shows: analysis run, facility types with radii, extent, caveats and attribution',
        response: { 200: MapSummary, ...ERRORS, 501: ErrorRef },
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
        response: geo(StreetsCollection),
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
        response: geo(CommunitiesCollection),
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
        response: geo(FacilitiesCollection),
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
        response: { 200: CommunityDetail, ...ERRORS, 501: ErrorRef },
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
        response: { 200: IsochroneResult, ...ERRORS, 501: ErrorRef },
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
        response: { 200: Type.Array(CoverageRow), ...ERRORS, 501: ErrorRef },
      },
    },
    async (request) => provider().coverage(request.query.level ?? 'district'),
  );
};
