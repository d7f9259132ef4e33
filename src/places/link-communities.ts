import Flatbush from 'flatbush';
import area from '@turf/area';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import { LifeCircleError } from '../errors.js';
import { EARTH_RADIUS_M, haversineM } from '../geo/index.js';
import type { AgeGroups, GeoJsonPolygonal, LonLat } from '../store/index.js';

/**
 * Linking residential areas (居住区/小区, store `Community` records) to the 社区 (neighbourhood committee areas) a
 * city supplies, as polygons or as points, so roll-ups by 社区/街道 carry real names and a 社区's population can be
 * apportioned over the residential areas inside it. Pure: no store, no I/O.
 */

/** A 社区 as the city supplies it. A store `Community` fits as it is. */
export interface CommunityUnit {
  readonly code: string;
  readonly name: string;
  /** Its representative point; the nearest-unit fallback measures to this point. */
  readonly location: LonLat;
  /** Its area (Polygon or MultiPolygon, WGS-84); null when the city gives the 社区 as a point only. */
  readonly boundary: GeoJsonPolygonal | null;
  readonly population: number | null;
  readonly ageGroups?: AgeGroups;
}

/** A residential area to link: only its representative point is used. A store `Community` fits as it is. */
export interface LinkablePlace {
  readonly code: string;
  readonly location: LonLat;
}

export interface PlaceLink {
  readonly placeCode: string;
  readonly unitCode: string;
  /** `inside`: the place's point lies in the unit's polygon; `nearest`: the unit's point is the nearest one. */
  readonly how: 'inside' | 'nearest';
  /** 0 for `inside`; great-circle metres from the place's point to the unit's point for `nearest`. */
  readonly distanceM: number;
}

export interface UnlinkedPlace {
  readonly placeCode: string;
  /** The nearest unit point even though it is beyond `maxDistanceM`; null when there is none (no units). */
  readonly nearestUnitCode: string | null;
  readonly distanceM: number | null;
}

export interface LinkResult {
  /** One per linked place, in the order of the places given. */
  readonly links: PlaceLink[];
  readonly unlinked: UnlinkedPlace[];
}

export interface LinkOptions {
  /** How far (great-circle metres, inclusive) a place may be from a unit's point to be linked to it as `nearest`. */
  readonly maxDistanceM: number;
}

function usage(message: string): LifeCircleError {
  return new LifeCircleError('LC_USAGE', message);
}

function isFiniteLonLat(p: LonLat | null | undefined): p is LonLat {
  return !!p && Number.isFinite(p.lon) && Number.isFinite(p.lat);
}

/** [minLon, minLat, maxLon, maxLat] of a polygonal geometry's vertices, or null when it has none. */
function polygonalBbox(g: GeoJsonPolygonal): [number, number, number, number] | null {
  const polygons = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const polygon of polygons)
    for (const ring of polygon)
      for (const [x, y] of ring) {
        if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
        if (x < minX) minX = x;
        if (y < minY) minY = y;
        if (x > maxX) maxX = x;
        if (y > maxY) maxY = y;
      }
  return minX <= maxX ? [minX, minY, maxX, maxY] : null;
}

const RAD = Math.PI / 180;

/**
 * Links each place to one unit:
 *
 * - `inside` the unit whose polygon contains the place's point (a point on the boundary counts as inside, a
 *   point in a hole as outside; Polygon and MultiPolygon). Where overlapping polygons both contain it, the one
 *   with the smallest area (Turf, spherical) wins; equal areas go to the unit given first.
 * - otherwise `nearest`: the unit whose point (`location`) is nearest by great-circle distance, if that distance
 *   is at most `maxDistanceM` (inclusive). For units given as polygons the distance is still measured to their
 *   point, not to their boundary — a place just outside a large 社区 may be nearer to a small neighbour's point.
 * - otherwise it is `unlinked`, reported with its nearest unit and the distance.
 *
 * Spatial indexes (Flatbush) keep it near O((places + units) log units): polygon bounding boxes for containment,
 * unit points (longitude scaled by the cosine of the units' mean latitude) for the nearest search, whose planar
 * candidates are confirmed by haversine within a radius that covers the scaling's distortion.
 *
 * @throws LifeCircleError LC_USAGE when `maxDistanceM` is not a finite number ≥ 0.
 */
export function linkPlacesToUnits(
  places: readonly LinkablePlace[],
  units: readonly CommunityUnit[],
  options: LinkOptions,
): LinkResult {
  const maxDistanceM: unknown = options?.maxDistanceM;
  if (typeof maxDistanceM !== 'number' || !Number.isFinite(maxDistanceM) || maxDistanceM < 0)
    throw usage(
      `maxDistanceM must be a finite number of metres ≥ 0 (how far a residential area may be from a 社区's point), got ${String(maxDistanceM)}`,
    );

  const inside = polygonIndex(units);
  const nearest = pointIndex(units, places);
  const links: PlaceLink[] = [];
  const unlinked: UnlinkedPlace[] = [];
  for (const place of places) {
    if (!isFiniteLonLat(place.location)) {
      unlinked.push({ placeCode: place.code, nearestUnitCode: null, distanceM: null });
      continue;
    }
    const { lon, lat } = place.location;
    const container = inside?.containing(lon, lat);
    if (container !== undefined) {
      links.push({ placeCode: place.code, unitCode: units[container].code, how: 'inside', distanceM: 0 });
      continue;
    }
    const near = nearest?.nearest(lon, lat);
    if (near && near.distanceM <= maxDistanceM)
      links.push({
        placeCode: place.code,
        unitCode: units[near.unit].code,
        how: 'nearest',
        distanceM: near.distanceM,
      });
    else
      unlinked.push({
        placeCode: place.code,
        nearestUnitCode: near ? units[near.unit].code : null,
        distanceM: near ? near.distanceM : null,
      });
  }
  return { links, unlinked };
}

/** Bounding boxes of the units' polygons; undefined when no unit has one. */
function polygonIndex(units: readonly CommunityUnit[]) {
  const withPolygon: { unit: number; geometry: GeoJsonPolygonal; bbox: [number, number, number, number] }[] =
    [];
  units.forEach((u, unit) => {
    const bbox = u.boundary ? polygonalBbox(u.boundary) : null;
    if (u.boundary && bbox) withPolygon.push({ unit, geometry: u.boundary, bbox });
  });
  if (withPolygon.length === 0) return undefined;
  const index = new Flatbush(withPolygon.length);
  for (const p of withPolygon) index.add(p.bbox[0], p.bbox[1], p.bbox[2], p.bbox[3]);
  index.finish();
  const areas = new Map<number, number>();
  const areaOf = (i: number): number => {
    let a = areas.get(i);
    if (a === undefined) {
      a = area(withPolygon[i].geometry);
      areas.set(i, a);
    }
    return a;
  };
  return {
    /** The index (into units) of the smallest unit polygon containing the point, or undefined. */
    containing(lon: number, lat: number): number | undefined {
      let best: number | undefined;
      for (const i of index.search(lon, lat, lon, lat)) {
        if (!booleanPointInPolygon([lon, lat], withPolygon[i].geometry)) continue;
        if (
          best === undefined ||
          areaOf(i) < areaOf(best) ||
          (areaOf(i) === areaOf(best) && withPolygon[i].unit < withPolygon[best].unit)
        )
          best = i;
      }
      return best === undefined ? undefined : withPolygon[best].unit;
    },
  };
}

/** The units' points in a plane with longitude scaled by cos(mean latitude); undefined when no unit has a point. */
function pointIndex(units: readonly CommunityUnit[], places: readonly LinkablePlace[]) {
  const withPoint: number[] = [];
  units.forEach((u, i) => {
    if (isFiniteLonLat(u.location)) withPoint.push(i);
  });
  if (withPoint.length === 0) return undefined;
  const lat0 = withPoint.reduce((s, i) => s + units[i].location.lat, 0) / withPoint.length;
  const cos0 = Math.cos(lat0 * RAD);
  // Planar distance ≤ stretch × local true distance, where stretch = cos0 / (smallest cos(lat) of any point
  // involved): east–west distances are shrunk by cos(lat) in truth but by cos0 here.
  let maxAbsLat = 0;
  for (const i of withPoint) maxAbsLat = Math.max(maxAbsLat, Math.abs(units[i].location.lat));
  for (const p of places)
    if (isFiniteLonLat(p.location)) maxAbsLat = Math.max(maxAbsLat, Math.abs(p.location.lat));
  const stretch = Math.max(1, cos0 / Math.max(1e-6, Math.cos(Math.min(90, maxAbsLat) * RAD)));
  const index = new Flatbush(withPoint.length);
  for (const i of withPoint) {
    const { lon, lat } = units[i].location;
    index.add(lon * cos0, lat, lon * cos0, lat);
  }
  index.finish();
  const metresPerDegree = EARTH_RADIUS_M * RAD;
  return {
    /** The unit (index into units) whose point is nearest by haversine, and the distance. */
    nearest(lon: number, lat: number): { unit: number; distanceM: number } {
      const x = lon * cos0;
      const [first] = index.neighbors(x, lat, 1);
      let best = withPoint[first];
      let bestM = haversineM(lon, lat, units[best].location.lon, units[best].location.lat);
      // Every unit truly within bestM lies within this planar radius (0.5 % + 1 m covers the difference
      // between the local flat metric and the great circle at city scale).
      const radius = (stretch * (bestM * 1.005 + 1)) / metresPerDegree;
      for (const j of index.neighbors(x, lat, Infinity, radius)) {
        const u = withPoint[j];
        const d = haversineM(lon, lat, units[u].location.lon, units[u].location.lat);
        if (d < bestM || (d === bestM && u < best)) {
          best = u;
          bestM = d;
        }
      }
      return { unit: best, distanceM: bestM };
    },
  };
}

/** A linked place's area for apportioning; null (or ≤ 0) when unknown. */
export interface ApportionPlace {
  readonly code: string;
  readonly areaM2: number | null;
}

/** A place's share of its unit's residents. */
export interface ApportionedPopulation {
  readonly placeCode: string;
  readonly population: number;
  /** Only the bands the unit gives. */
  readonly ageGroups: AgeGroups;
  readonly estimated: true;
  readonly fromUnit: string;
}

export interface ApportionResult {
  /** One per link to a unit with a population, in the order of the links. */
  readonly places: ApportionedPopulation[];
  /** Units no place is linked to: their residents are represented by no residential area. */
  readonly unitsWithoutPlaces: { readonly unitCode: string; readonly population: number | null }[];
}

const AGE_BANDS = [
  'age0to3',
  'age3to6',
  'age0to14',
  'age6to11',
  'age12to14',
  'age60plus',
  'age80plus',
] as const satisfies readonly (keyof AgeGroups)[];

/**
 * Splits `total` (rounded to whole persons) in proportion to `weights` so the parts sum exactly to it: each part
 * gets the floor of its quota, and the persons left over go one each to the largest fractional remainders
 * (ties: the earlier part).
 */
function largestRemainder(total: number, weights: readonly number[]): number[] {
  const whole = Math.round(total);
  const sum = weights.reduce((s, w) => s + w, 0);
  if (weights.length === 0) return [];
  const quotas = weights.map((w) => (sum > 0 ? (whole * w) / sum : whole / weights.length));
  const parts = quotas.map((q) => Math.floor(q));
  let left = whole - parts.reduce((s, p) => s + p, 0);
  const order = quotas
    .map((q, i) => ({ i, frac: q - Math.floor(q) }))
    .sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) parts[order[k].i]++;
  return parts;
}

/**
 * Apportions each unit's population (and each age band it gives) over the places linked to it, in proportion to
 * the places' areas — or in equal shares when any of them has no known positive area — with largest-remainder
 * rounding so the parts sum exactly to the unit's figures. Every result is flagged `estimated`.
 * Units without a population give their places nothing; units without a linked place are reported.
 *
 * @throws LifeCircleError LC_USAGE when a link names an unknown unit, a place is linked twice, or a unit's
 *   population or age band is negative or not finite.
 */
export function apportionPopulation(
  links: readonly PlaceLink[],
  places: readonly ApportionPlace[],
  units: readonly CommunityUnit[],
): ApportionResult {
  const unitByCode = new Map<string, CommunityUnit>();
  for (const u of units) unitByCode.set(u.code, u);
  const areaByCode = new Map<string, number | null>();
  for (const p of places) areaByCode.set(p.code, p.areaM2);

  const linksByUnit = new Map<string, PlaceLink[]>();
  const seenPlaces = new Set<string>();
  for (const link of links) {
    if (!unitByCode.has(link.unitCode))
      throw usage(
        `link of place ${link.placeCode} names unit ${link.unitCode}, which is not among the units`,
      );
    if (seenPlaces.has(link.placeCode)) throw usage(`place ${link.placeCode} is linked more than once`);
    seenPlaces.add(link.placeCode);
    const list = linksByUnit.get(link.unitCode);
    if (list) list.push(link);
    else linksByUnit.set(link.unitCode, [link]);
  }

  const shares = new Map<string, ApportionedPopulation>();
  for (const [unitCode, unitLinks] of linksByUnit) {
    const unit = unitByCode.get(unitCode) as CommunityUnit;
    if (unit.population === null || unit.population === undefined) continue;
    checkCount(unit.population, `population of unit ${unitCode}`);
    const areas = unitLinks.map((l) => areaByCode.get(l.placeCode) ?? null);
    const known = areas.every((a) => a !== null && Number.isFinite(a) && a > 0);
    const weights = known ? (areas as number[]) : areas.map(() => 1);
    const population = largestRemainder(unit.population, weights);
    const bands: AgeGroups[] = unitLinks.map(() => ({}));
    for (const band of AGE_BANDS) {
      const value = unit.ageGroups?.[band];
      if (value === undefined || value === null) continue;
      checkCount(value, `${band} of unit ${unitCode}`);
      largestRemainder(value, weights).forEach((n, k) => (bands[k][band] = n));
    }
    unitLinks.forEach((l, k) =>
      shares.set(l.placeCode, {
        placeCode: l.placeCode,
        population: population[k],
        ageGroups: bands[k],
        estimated: true,
        fromUnit: unitCode,
      }),
    );
  }
  const out: ApportionedPopulation[] = [];
  for (const link of links) {
    const share = shares.get(link.placeCode);
    if (share) out.push(share);
  }
  const unitsWithoutPlaces = units
    .filter((u) => !linksByUnit.has(u.code))
    .map((u) => ({ unitCode: u.code, population: u.population }));
  return { places: out, unitsWithoutPlaces };
}

function checkCount(value: number, what: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
    throw usage(`${what} must be a finite number ≥ 0, got ${String(value)}`);
}
