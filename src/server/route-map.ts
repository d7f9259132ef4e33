import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { Type, type TSchema } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LifeCircleError } from '../errors.js';
import { TILE_LAYERS, type MapDataProvider } from '../analysis/index.js';
import { BASEMAP_MAX_ZOOM, BASEMAP_MIN_ZOOMS, holdBasemapThread } from '../basemap/index.js';
import * as S from './schemas.js';
import { literals, PreSerialised } from './schemas.js';
import {
  CommunitiesCollection,
  CommunityDetail,
  CoverageRow,
  FacilitiesPage,
  IsochroneResult,
  MapSummary,
  PlaceSearch,
  StreetsCollection,
} from './map-schemas.js';
import type { RouteContext, RoutePlugin } from './route-context.js';
import { ERRORS, ErrorRef } from './route-context.js';

/** What the map routes need from the analysis engine: declared by src/analysis, which implements it. */
export type { MapDataProvider };

const GEOJSON = 'application/geo+json; charset=utf-8';

/** `west,south,east,north` → numbers, refusing a box that is upside down or off the globe. */
function parseBbox(text: string): [number, number, number, number] {
  const [w, s, e, n] = text.split(',').map(Number);
  if (![w, s, e, n].every(Number.isFinite) || w > e || s > n || w < -180 || e > 180 || s < -90 || n > 90)
    throw new LifeCircleError(
      'LC_USAGE',
      `bbox: expected west,south,east,north in degrees with west ≤ east and south ≤ north, got '${text}'`,
    );
  return [w, s, e, n];
}

/** On libuv's thread pool, not the event loop: a zoom-10 tile of a big city is over 100 KB. */
const gzipAsync = promisify(gzip);

/** Whether an Accept-Encoding header takes gzip: `gzip`, `x-gzip` or `*` with a weight above 0 (RFC 9110 12.5.3). */
function acceptsGzip(header: string | undefined): boolean {
  let any = false;
  for (const part of (header ?? '').toLowerCase().split(',')) {
    const [coding, ...params] = part.split(';').map((p) => p.trim());
    const q = params.find((p) => p.startsWith('q='));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    if (coding === 'gzip' || coding === 'x-gzip') return weight > 0;
    if (coding === '*') any = weight > 0;
  }
  return any;
}

/** Whether If-None-Match names the entity tag (weak comparison, as the header asks; `*` names any). */
function notModified(ifNoneMatch: string | undefined, etag: string): boolean {
  const opaque = etag.replace(/^W\//, '');
  return (ifNoneMatch ?? '')
    .split(',')
    .map((tag) => tag.trim())
    .some((tag) => tag === '*' || tag.replace(/^W\//, '') === opaque);
}

/**
 * A basemap tile with its entity tag (answered 304 when the client's copy is current), gzip'd when the client takes
 * it. Typed as any reply: 304 is not in the route's response schema (a conditional request's answer, not content).
 */
async function basemapTileReply(request: FastifyRequest, reply: FastifyReply, tile: Uint8Array | null) {
  if (!tile) return reply.status(204).send(null);
  // Weak: the gzip'd and the plain answer are the same tile. no-cache: a replaced basemap shows at once, and a tile
  // the client has is answered 304 without its bytes.
  const etag = `W/"${createHash('sha256').update(tile).digest('base64url').slice(0, 27)}"`;
  reply.header('cache-control', 'no-cache').header('etag', etag).header('vary', 'accept-encoding');
  if (notModified(request.headers['if-none-match'], etag)) return reply.status(304).send();
  reply.type('application/vnd.mapbox-vector-tile');
  if (!acceptsGzip(request.headers['accept-encoding']))
    return reply.send(Buffer.from(tile.buffer, tile.byteOffset, tile.byteLength));
  return reply.header('content-encoding', 'gzip').send(await gzipAsync(tile));
}

export const mapRoutes: RoutePlugin<RouteContext & { map?: MapDataProvider }> = async (app, { map }) => {
  // The basemap's tiles are cut in a worker thread shared by the process's servers: the last to close stops it.
  app.addHook('onClose', holdBasemapThread());
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
        summary:
          'Facilities as GeoJSON points (code, name, type, status, 普惠 flag; no contact data), by bounding box, ' +
          'a page at a time; the whole layer for drawing is /api/map/tiles/facilities/{z}/{x}/{y}.pbf',
        querystring: Type.Object({
          type: Type.Optional(Type.String({ maxLength: 64 })),
          bbox: Type.Optional(
            Type.String({
              pattern: '^-?[0-9.]+,-?[0-9.]+,-?[0-9.]+,-?[0-9.]+$',
              description: 'west,south,east,north in WGS-84 degrees (as OGC API – Features)',
            }),
          ),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, default: 1000 })),
          offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
        }),
        response: { 200: FacilitiesPage, ...ERRORS, 501: ErrorRef },
      },
    },
    async (request) => {
      const { type, bbox, limit = 1000, offset = 0 } = request.query;
      return provider().facilities({ type, bbox: bbox ? parseBbox(bbox) : undefined, limit, offset });
    },
  );

  const tileReply = (reply: FastifyReply, tile: Uint8Array | null) => {
    if (!tile) return reply.status(204).send(null);
    return reply
      .type('application/vnd.mapbox-vector-tile')
      .header('cache-control', 'no-cache')
      .send(Buffer.from(tile.buffer, tile.byteOffset, tile.byteLength));
  };
  const TileAddress = {
    z: Type.Integer({ minimum: 0, maximum: 24 }),
    x: Type.Integer({ minimum: 0 }),
    y: Type.Integer({ minimum: 0 }),
  };
  const checkTile = (z: number, x: number, y: number) => {
    if (x >= 2 ** z || y >= 2 ** z)
      throw new LifeCircleError('LC_USAGE', `tile ${z}/${x}/${y}: x and y must be below 2^${z}`);
  };

  app.get(
    '/api/map/tiles/basemap/:z/:x/:y.pbf',
    {
      config: { permission: 'map.read' },
      schema: {
        tags: ['map'],
        summary:
          "A Mapbox Vector Tile (2.1) of the city's basemap, from its own OSM extract (© OpenStreetMap contributors, " +
          'ODbL); 204 when the tile is empty or the city has no basemap (`basemap: false` in /api/map/summary)',
        description:
          'Layers, each feature with `class` and `name` (`name:zh`, else `name`; absent when unnamed): ' +
          '`water` (polygons: water, reservoir, basin, riverbank; lines: river, canal, stream, drain), ' +
          '`green` (polygons: park, garden, pitch, playground, grass, forest, recreation_ground, meadow, ' +
          'village_green, wood, scrub), `buildings` (polygons, class building), `roads` (lines: major, secondary, ' +
          'tertiary, minor, path; `bridge`/`tunnel` true when so, absent otherwise), `places` (points: city, ' +
          'district, suburb, town, quarter, neighbourhood, village, hamlet, or a point of interest named by its ' +
          `amenity, tourism or leisure value). Buildings from zoom ${BASEMAP_MIN_ZOOMS.buildings}, minor roads and ` +
          `paths from ${BASEMAP_MIN_ZOOMS.detailRoads}, points of interest from ` +
          `${BASEMAP_MIN_ZOOMS.pointsOfInterest}. Cut to zoom ${BASEMAP_MAX_ZOOM}; clients over-zoom beyond.`,
        params: Type.Object(TileAddress),
        response: {
          200: S.FileDownload('the tile (application/vnd.mapbox-vector-tile)'),
          204: Type.Null({ description: 'nothing in this tile' }),
          ...ERRORS,
          501: ErrorRef,
        },
      },
    },
    async (request, reply) => {
      const { z, x, y } = request.params;
      checkTile(z, x, y);
      return basemapTileReply(request, reply, await provider().basemapTile(z, x, y));
    },
  );

  app.get(
    '/api/map/places',
    {
      config: { permission: 'map.read' },
      schema: {
        tags: ['map'],
        summary:
          "Find a road, place, park or water by name in the city's basemap: names containing the text " +
          '(case-insensitive), those starting with it first, then shorter names; a road once per name',
        querystring: Type.Object({
          q: Type.String({ minLength: 1, maxLength: 100 }),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 20, default: 10 })),
        }),
        response: { 200: PlaceSearch, ...ERRORS, 501: ErrorRef },
      },
    },
    async (request) => provider().searchPlaces(request.query.q, request.query.limit ?? 10),
  );

  app.get(
    '/api/map/tiles/:layer/:z/:x/:y.pbf',
    {
      config: { permission: 'map.read' },
      schema: {
        tags: ['map'],
        summary:
          'A Mapbox Vector Tile (2.1) of streets, communities (with their coverage properties) or facilities; ' +
          '204 when the tile is empty. Tiles are cut to zoom 16; clients over-zoom beyond (source maxzoom 16)',
        params: Type.Object({ layer: literals(TILE_LAYERS), ...TileAddress }),
        response: {
          200: S.FileDownload('the tile (application/vnd.mapbox-vector-tile)'),
          204: Type.Null({ description: 'no feature in this tile' }),
          ...ERRORS,
          501: ErrorRef,
        },
      },
    },
    async (request, reply) => {
      const { layer, z, x, y } = request.params;
      checkTile(z, x, y);
      return tileReply(reply, provider().tile(layer, z, x, y));
    },
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
          tier: Type.Optional(
            literals(['five-minute', 'ten-minute', 'fifteen-minute'] as const, {
              description:
                'a life-circle tier: its walking distance, the one its coverage is measured against (the default: fifteen-minute)',
            }),
          ),
          minutes: Type.Optional(
            Type.Number({
              minimum: 1,
              maximum: 30,
              description: 'instead of a tier: minutes at the walking speed',
            }),
          ),
        }),
        response: { 200: IsochroneResult, ...ERRORS, 501: ErrorRef },
      },
    },
    async (request) => {
      const { community, lon, lat, tier, minutes } = request.query;
      if (community === undefined && (lon === undefined || lat === undefined))
        throw new LifeCircleError('LC_USAGE', 'querystring: expected community, or both lon and lat');
      if (tier !== undefined && minutes !== undefined)
        throw new LifeCircleError('LC_USAGE', 'querystring: expected tier or minutes, not both');
      const origin = community !== undefined ? { community } : { lon: lon as number, lat: lat as number };
      const result = provider().isochrone(
        origin,
        minutes !== undefined ? { minutes } : { tier: tier ?? 'fifteen-minute' },
      );
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
