import { Type, type TSchema } from '@sinclair/typebox';

/**
 * GeoJSON (RFC 7946) as the API sends it, WGS-84 longitude/latitude: the geometries the map and isochrone routes
 * use and a feature with closed properties, so the OpenAPI document says what each feature carries.
 */
const Position = Type.Array(Type.Number(), {
  minItems: 2,
  maxItems: 3,
  description: '[longitude, latitude] in WGS-84 (RFC 7946 §3.1.1)',
});
const Ring = Type.Array(Position, { description: 'a closed linear ring: first and last positions equal' });

export const PointGeometry = Type.Object({ type: Type.Literal('Point'), coordinates: Position });
export const LineStringGeometry = Type.Object({
  type: Type.Literal('LineString'),
  coordinates: Type.Array(Position),
});
export const PolygonGeometry = Type.Object({ type: Type.Literal('Polygon'), coordinates: Type.Array(Ring) });
export const MultiPolygonGeometry = Type.Object({
  type: Type.Literal('MultiPolygon'),
  coordinates: Type.Array(Type.Array(Ring)),
});
/** A boundary: a polygon or a multipolygon. */
export const Polygonal = Type.Union([PolygonGeometry, MultiPolygonGeometry]);

export const Feature = <G extends TSchema, P extends TSchema>(
  geometry: G,
  properties: P,
  description?: string,
) =>
  Type.Object(
    {
      type: Type.Literal('Feature'),
      id: Type.Optional(Type.Integer()),
      properties,
      geometry,
    },
    description ? { description } : {},
  );

export const FeatureCollection = <F extends TSchema>(feature: F, description?: string) =>
  Type.Object(
    { type: Type.Literal('FeatureCollection'), features: Type.Array(feature) },
    { description: `GeoJSON FeatureCollection (RFC 7946), WGS-84${description ? `: ${description}` : ''}` },
  );

/** The reached streets of an isochrone: whole edges and the reached parts of edges. */
export const IsochroneLines = FeatureCollection(
  Feature(
    LineStringGeometry,
    Type.Object({
      edge: Type.Integer({ description: 'edge of the walking graph' }),
      wayId: Type.Integer({ description: 'OpenStreetMap way' }),
      fromM: Type.Number({ description: 'reached stretch, metres from the edge start' }),
      toM: Type.Number(),
      partial: Type.Boolean({ description: 'only part of the edge is reached' }),
    }),
  ),
  'the reached streets',
);

/** The concave outline of an isochrone, for display only (the area inside is not all walkable). */
export const IsochroneOutline = Type.Union([
  Type.Null(),
  Feature(
    PolygonGeometry,
    Type.Object({ limitM: Type.Number() }),
    'outline of the reached streets, display only',
  ),
]);
