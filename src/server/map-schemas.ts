import { Type, type Static } from '@sinclair/typebox';
import {
  Feature,
  FeatureCollection,
  IsochroneLines,
  IsochroneOutline,
  LineStringGeometry,
  MultiPolygonGeometry,
  PointGeometry,
  PolygonGeometry,
} from './geojson-schemas.js';

/** Response schemas of the map routes (route-map.ts): what the dashboard's map reads. */

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
    Type.Object({
      id: Type.String(),
      nameZh: Type.String(),
      nameEn: Type.String(),
      minutes: Type.Number({ description: 'the tier’s name in minutes (GB 50180-2018)' }),
      walkingDistanceM: Type.Number({
        description:
          'the walking distance that defines the tier: coverage and isochrones are measured against it',
      }),
    }),
  ),
  caveats: Type.Array(Type.String()),
  attribution: Type.String(),
  basemap: Type.Boolean({
    description:
      'whether the city has a basemap for /api/map/tiles/basemap/{z}/{x}/{y}.pbf and /api/map/places (false: its ' +
      'network was imported before basemaps existed; import its extract again)',
  }),
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
  name: Type.String({ description: "the group as one label, in the data's language" }),
  district: Type.Union([Type.String(), Type.Null()], { description: 'the 区; null when none is known' }),
  subdistrict: Type.Union([Type.String(), Type.Null()], {
    description:
      'the 街道 of a subdistrict row; null when its communities are linked to none (and on district rows)',
  }),
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

const NullableInt = Type.Union([Type.Null(), Type.Integer()]);
export const StreetsCollection = FeatureCollection(
  Feature(LineStringGeometry, Type.Object({})),
  'every edge of the walking network',
);
export const CommunitiesCollection = FeatureCollection(
  Feature(
    Type.Union([PolygonGeometry, MultiPolygonGeometry, PointGeometry]),
    Type.Object(
      {
        code: Type.String(),
        name: Type.String(),
        district: Type.Union([Type.Null(), Type.String()]),
        region: Type.Union([Type.Null(), Type.String()], {
          description: '行政区划 code the community is filed under (its 社区 or 街道); null when unlinked',
        }),
        population: Type.Union([Type.Null(), Type.Integer()], { description: 'residents (census estimate)' }),
        estimated: Type.Boolean({ description: 'population estimated rather than counted' }),
        lacks15: Type.Integer({ description: 'required types the 15-minute circle lacks' }),
      },
      {
        additionalProperties: NullableInt,
        description:
          'plus, per facility type: `d:<type>` nearest walking metres (null = none within reach), ' +
          '`c:<type>` 1 when covered, `n:<type>` count within the radius',
      },
    ),
  ),
  'communities: polygons where a boundary is known, else points',
);
const FacilityFeature = Feature(
  PointGeometry,
  Type.Object({
    code: Type.String(),
    name: Type.String(),
    type: Type.String(),
    status: Type.String(),
    affordable: Type.Boolean({ description: '普惠' }),
    capacity: Type.Union([Type.Null(), Type.Number()]),
  }),
);

export const FacilitiesPage = Type.Object(
  {
    type: Type.Literal('FeatureCollection'),
    numberMatched: Type.Integer({ description: 'facilities matching the type and box, over all pages' }),
    numberReturned: Type.Integer(),
    features: Type.Array(FacilityFeature),
  },
  { description: 'GeoJSON FeatureCollection (RFC 7946), WGS-84, paged as OGC API – Features' },
);

export const IsochroneResult = Type.Object({
  limitM: Type.Number({ description: 'the walking distance reached, metres' }),
  minutes: Type.Number({ description: 'limitM in minutes at the walking speed' }),
  tier: Type.Union([Type.String(), Type.Null()], {
    description: 'the tier whose walking distance limitM is; null for minutes',
  }),
  origin: Type.Object({ lon: Type.Number(), lat: Type.Number() }),
  snappedM: Type.Number({ description: 'distance from the origin to the street it was snapped to' }),
  reachedLengthM: Type.Number(),
  lines: IsochroneLines,
  outline: IsochroneOutline,
});
export type IsochroneResult = Static<typeof IsochroneResult>;

const Bbox = Type.Array(Type.Number(), {
  minItems: 4,
  maxItems: 4,
  description: '[west, south, east, north] in WGS-84 degrees',
});

export const PlaceHit = Type.Object({
  kind: Type.Union(
    [Type.Literal('road'), Type.Literal('place'), Type.Literal('green'), Type.Literal('water')],
    {
      description:
        "road: a road's ways merged by name; place: a settlement (place=*) or named point of interest; green: a park " +
        'or other green area; water: a river, canal, lake … (merged by name)',
    },
  ),
  class: Type.String({
    description:
      'as in the basemap tiles: major, secondary, tertiary, minor, path for roads; suburb, neighbourhood, school, ' +
      'hospital … for places; park, garden, pitch … for green; river, canal, water, riverbank … for water',
  }),
  name: Type.String(),
  lon: Type.Number({
    description: 'a representative point: the middle of the longest way, a centroid, the point',
  }),
  lat: Type.Number(),
  bbox: Bbox,
});

export const PlaceSearch = Type.Object({
  basemap: Type.Boolean({ description: 'false when the city has no basemap (then no hits)' }),
  items: Type.Array(PlaceHit, {
    description: 'names containing the text, those starting with it first, then shorter names',
  }),
});
export type PlaceSearch = Static<typeof PlaceSearch>;
