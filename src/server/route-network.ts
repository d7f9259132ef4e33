import { Type } from '@sinclair/typebox';
import { IsochroneLines, IsochroneOutline } from './geojson-schemas.js';
import { LifeCircleError } from '../errors.js';
import { EdgeIndex, isochrone, isSnapped, NetworkSearch, type WalkGraph } from '../network/index.js';
import { COORDINATE_SYSTEMS, parseCoordinateSystem, toWgs84 } from '../registry/index.js';
import type { RouteContext, RoutePlugin } from './route-context.js';
import { ERRORS, ErrorRef } from './route-context.js';

/** Longest walk an isochrone may ask for: the 15-minute tier is ≤ 1000 m, so twice that leaves room. */
export const MAX_ISOCHRONE_M = 2000;

export const networkRoutes: RoutePlugin<RouteContext & { graph?: WalkGraph }> = async (app, { graph }) => {
  // Built on first use: a few hundred milliseconds for a city district, not worth paying at startup.
  let index: EdgeIndex | null = null;
  let search: NetworkSearch | null = null;

  app.get(
    '/api/isochrone',
    {
      config: { permission: 'analysis.read' },
      schema: {
        tags: ['analysis'],
        summary: 'The walking network reachable from a point within a distance, as GeoJSON',
        description:
          'The point snaps to the nearest walkable path (at most 300 m away). Answers the reached lines, a concave ' +
          'outline for display, and where the point snapped. 501 when the server runs without a walking graph.',
        querystring: Type.Object({
          lon: Type.Number({ minimum: -180, maximum: 180 }),
          lat: Type.Number({ minimum: -90, maximum: 90 }),
          meters: Type.Integer({ minimum: 50, maximum: MAX_ISOCHRONE_M, description: 'walking distance' }),
          crs: Type.Optional(
            Type.String({ description: `coordinate system of lon/lat: ${COORDINATE_SYSTEMS.join(', ')}` }),
          ),
        }),
        response: {
          200: Type.Object({
            origin: Type.Object({ lon: Type.Number(), lat: Type.Number(), snapDistanceM: Type.Number() }),
            limitM: Type.Number(),
            reachedLengthM: Type.Number(),
            outline: IsochroneOutline,
            lines: IsochroneLines,
          }),
          ...ERRORS,
          501: ErrorRef,
        },
      },
    },
    async (request) => {
      if (!graph)
        throw new LifeCircleError(
          'LC_NOT_AVAILABLE',
          'this server runs without a walking graph (lifecircle serve --graph)',
        );
      const { lon, lat, meters, crs } = request.query;
      const system = crs ? parseCoordinateSystem(crs) : 'WGS84';
      if (!system) throw new LifeCircleError('LC_USAGE', `crs: unknown coordinate system '${crs}'`);
      const [wlon, wlat] = toWgs84([lon, lat], system);
      index ??= new EdgeIndex(graph);
      search ??= new NetworkSearch(graph, 'from-sources');
      const snapped = index.snap(wlon, wlat);
      if (!isSnapped(snapped))
        throw new LifeCircleError(
          'LC_INVALID_FIELD',
          `(${wlon.toFixed(6)}, ${wlat.toFixed(6)}) is ${Number.isFinite(snapped.distanceM) ? `${Math.round(snapped.distanceM)} m` : 'far'} from the walking network (${snapped.status})`,
        );
      const result = isochrone(graph, snapped, meters, search);
      return {
        origin: {
          lon: snapped.lon,
          lat: snapped.lat,
          snapDistanceM: Math.round(snapped.distanceM * 10) / 10,
        },
        limitM: result.limitM,
        reachedLengthM: Math.round(result.reachedLengthM),
        outline: result.outline,
        lines: result.lines,
      };
    },
  );
};
