/**
 * What the analysis service answers, in its own terms. The server declares its own (closed) response schemas
 * for these shapes (src/server/route-map.ts, route-planning.ts, route-analysis.ts); `buildApp` accepting a
 * `LifeCircleEngine` is the compile-time check that the two agree. This module imports nothing from src/server.
 */
import type { AnalysisRun, Store, StoreRepositories } from '../store/index.js';
import type { Actor } from '../store/index.js';
import type { Isochrone } from '../network/index.js';
import type { PlaceHit } from '../basemap/index.js';
import type { TileLayer } from './tiles.js';
import type { Evaluated, EvaluationSetup } from './engine.js';
import type { TierId } from '../standards/index.js';

/** One analysis made on request: what the run stores. */
export interface AnalysisOutput {
  inputsHash: string;
  results: unknown;
  engineVersion: string;
}

/** Runs analyses of the kinds it names; each run is stored with the hash of its inputs. */
export interface AnalysisProvider {
  /** The kinds of run it can make, e.g. 'coverage'. */
  kinds: readonly string[];
  run(kind: string, parameters: Record<string, unknown>, context: { store: Store }): Promise<AnalysisOutput>;
  /**
   * Stores what derives from a new run (the computed indicators) in the transaction that creates it, audited
   * under the actor who asked for the run.
   */
  recordRun?(run: AnalysisRun, tx: StoreRepositories, actor?: Actor): Promise<void>;
  /**
   * When both are given, the server runs analyses as jobs in a worker thread (`evaluateStore` there on this
   * setup) and hands the evaluation back with `adopt`, so the map shows the new run.
   */
  evaluationSetup?(): Omit<EvaluationSetup, 'index' | 'onProgress'>;
  adopt?(evaluated: Evaluated): unknown;
}

type Nullable<T> = T | null;

export interface MapFacilityType {
  id: string;
  nameZh: string;
  nameEn: string;
  tier: string;
  radiusM: number;
  radiusVerified: boolean;
  required: boolean;
  facilities: number;
}

export interface MapSummary {
  runId: Nullable<number>;
  inputsHash: string;
  evaluatedAt: string;
  /** [minLon, minLat, maxLon, maxLat] */
  bbox: number[];
  communities: number;
  facilities: number;
  walkingSpeedMPerMin: number;
  types: MapFacilityType[];
  tiers: { id: string; nameZh: string; nameEn: string; minutes: number; walkingDistanceM: number }[];
  caveats: string[];
  attribution: string;
  /**
   * Whether the city has a basemap (src/basemap) for /api/map/tiles/basemap/…: false for a city whose network was
   * imported before basemaps existed, until its extract is imported again (`lifecircle city basemap`).
   */
  basemap: boolean;
}

export interface CommunityDetail {
  code: string;
  name: string;
  district: Nullable<string>;
  population: Nullable<number>;
  populationEstimated: boolean;
  onNetwork: boolean;
  runId: Nullable<number>;
  types: {
    typeId: string;
    nearestM: Nullable<number>;
    radiusM: number;
    covered: boolean;
    countWithinRadius: number;
  }[];
  lacks: { tier: string; missing: string[] }[];
}

export interface CoverageRow {
  key: string;
  name: string;
  /** The 区 of the group; null when the communities name none. */
  district: string | null;
  /** The 街道 (subdistrict rows only); null when not linked to one, and on district rows. */
  subdistrict: string | null;
  communities: number;
  population: number;
  populationEstimated: boolean;
  types: {
    typeId: string;
    coveredCommunities: number;
    communityShare: Nullable<number>;
    demandShare: Nullable<number>;
  }[];
  tiers: { tier: string; completeCommunities: number; communityShare: Nullable<number> }[];
}

export interface IsochroneResult {
  limitM: number;
  /** The walking minutes of `limitM` at the walking speed. */
  minutes: number;
  /** The tier whose walking distance it is; null for a number of minutes. */
  tier: TierId | null;
  origin: { lon: number; lat: number };
  snappedM: number;
  reachedLengthM: number;
  lines: Isochrone['lines'];
  /** GeoJSON Polygon feature, display only. */
  outline: Isochrone['outline'];
}

/** What the map routes read from the running analysis. */
export interface MapDataProvider {
  summary(): Promise<MapSummary>;
  /** Pre-serialised GeoJSON: the street network changes only with the graph, so it is built once. */
  streetsGeoJson(): string;
  communitiesGeoJson(): string;
  /** Facilities in a bounding box, a page at a time (OGC API – Features style: numberMatched, numberReturned). */
  facilities(query: FacilityQuery): FacilitiesPage;
  /** One Mapbox Vector Tile (protobuf) of a layer; null when the tile is empty. */
  tile(layer: TileLayer, z: number, x: number, y: number): Uint8Array | null;
  community(code: string): Promise<CommunityDetail | null>;
  /**
   * The streets within walking reach of a point: a tier's walking distance (the distance its coverage is
   * measured against, so the drawn area and the coverage agree) or a number of minutes at the walking speed.
   */
  isochrone(
    origin: { community: string } | { lon: number; lat: number },
    reach: IsochroneReach,
  ): IsochroneResult | null;
  coverage(level: 'district' | 'subdistrict'): CoverageRow[];
  /**
   * One basemap tile (layers water, green, buildings, roads, places) of the city the map shows; null when the
   * tile is empty or the city has no basemap.
   */
  basemapTile(z: number, x: number, y: number): Promise<Uint8Array | null>;
  /** Named roads, places, parks and water of the city's basemap matching `query`, best first, at most `limit`. */
  searchPlaces(query: string, limit: number): Promise<PlaceSearchAnswer>;
  /**
   * Walking metres from a community to each point, as `community` measures its distances (from the community's
   * access points to the point snapped on the network); null for a point off the network or beyond `limitM`.
   * Null altogether when the community is off the network. A community the last evaluation does not hold yet
   * (registered since) walks from its own point.
   */
  walkingDistances(
    community: { code: string; lon: number; lat: number },
    points: readonly { lon: number; lat: number }[],
    limitM: number,
  ): (number | null)[] | null;
}

export interface PlaceSearchAnswer {
  /** False when the city has no basemap (then there are no hits either). */
  basemap: boolean;
  items: PlaceHit[];
}

export interface FacilityQuery {
  type?: string;
  /** [west, south, east, north] in WGS-84 degrees. */
  bbox?: [number, number, number, number];
  limit: number;
  offset: number;
}

export interface FacilityFeature {
  type: 'Feature';
  properties: {
    code: string;
    name: string;
    type: string;
    status: string;
    affordable: boolean;
    capacity: number | null;
  };
  geometry: { type: 'Point'; coordinates: [number, number] };
}

export interface FacilitiesPage {
  type: 'FeatureCollection';
  /** Facilities matching the type and box, all pages. */
  numberMatched: number;
  numberReturned: number;
  features: FacilityFeature[];
}

interface Coverage {
  coveredCommunities: number;
  coveredDemand: number;
  demandShare: number;
  fcaPer1000: number;
}

export interface GapsAnswer {
  typeId: string;
  runId: Nullable<number>;
  radiusM: number;
  demandGroup: string;
  demandGroupZh: string;
  demandGroupEn: string;
  uncoveredCommunities: number;
  uncoveredDemand: number;
  gaps: {
    code: string;
    name: string;
    district: Nullable<string>;
    demand: number;
    demandEstimated: boolean;
    nearestM: Nullable<number>;
    lon: number;
    lat: number;
  }[];
}

export interface SitingAnswer {
  typeId: string;
  runId: Nullable<number>;
  radiusM: number;
  candidates: number;
  uncoveredBefore: number;
  uncoveredAfter: number;
  /** 'exact' (HiGHS), 'greedy+swap' (the exact solver did not fit its budget), 'greedy' (with a capacity). */
  method: 'exact' | 'greedy+swap' | 'greedy';
  /** Upper bound on (optimum − found) / optimum; 0 = proven optimal. */
  gap: number;
  picks: {
    rank: number;
    lon: number;
    lat: number;
    origin: string;
    gain: number;
    cumulative: number;
    communities: { code: string; name: string }[];
  }[];
}

/** What a coverage target takes in one region (planningTargetNeed). */
export interface TargetNeedAnswer {
  typeId: string;
  regionCode: string;
  runId: Nullable<number>;
  radiusM: number;
  /** Communities of the region, those within the radius now, those the share needs, and the difference. */
  communities: number;
  covered: number;
  required: number;
  missing: number;
  /** The type's planned projects (拟建): how many, how many on the network, the communities they bring in. */
  planned: { facilities: number; placed: number; newlyCovered: number };
  /** What new sites must still bring in once the planned projects are built. */
  stillMissing: number;
  /** Communities too far from any walkable way to be reached by a new facility. */
  offNetwork: number;
  /** Whether new facilities can bring the region to the share; how many (greedy: an upper bound), null if not. */
  reachable: boolean;
  facilitiesNeeded: Nullable<number>;
  picks: {
    rank: number;
    lon: number;
    lat: number;
    newlyCovered: number;
    communities: { code: string; name: string }[];
  }[];
}

export interface WhatIfRequest {
  type: string;
  add?: { lon: number; lat: number; capacity?: number; name?: string }[];
  remove?: string[];
}

export interface WhatIfAnswer {
  typeId: string;
  runId: Nullable<number>;
  before: Coverage;
  after: Coverage;
  steps: {
    operation: string;
    facilityId: string;
    newlyCovered: { code: string; name: string }[];
    newlyUncovered: { code: string; name: string }[];
    after: Coverage;
  }[];
}

/** The planner's questions over the newest evaluation; null when the type is unknown or not evaluated. */
export interface PlanningProvider {
  gaps(typeId: string, top: number): Promise<GapsAnswer | null>;
  site(typeId: string, count: number, capacity?: number): Promise<SitingAnswer | null>;
  whatIf(request: WhatIfRequest): Promise<WhatIfAnswer | null>;
  /** What reaching `share` (0..1) of a region's communities within the type's radius takes. */
  targetNeed(
    typeId: string,
    regionCode: string,
    share: number,
    strict?: boolean,
  ): Promise<TargetNeedAnswer | null>;
}

/** How far an isochrone reaches: a life-circle tier (its walking distance) or minutes at the walking speed. */
export type IsochroneReach = { tier: TierId } | { minutes: number };
