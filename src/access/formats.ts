import type { WalkGraph } from '../network/index.js';
import type { Facility } from '../places/index.js';
import {
  MOFCOM_CIRCLE_MINUTES,
  MOFCOM_FORMATS,
  type BusinessFormat,
  type Standards,
} from '../standards/index.js';
import type { EdgeIndex, SnapOptions } from '../network/index.js';
import { placeFacilities, type PlacedCommunities } from './place.js';
import { computeReach } from './reach.js';

/** Facilities of a 商务部 format carry this prefix on their type id (e.g. 'mofcom:pharmacy'). */
export const FORMAT_PREFIX = 'mofcom:';

/** The formats as OSM-matchable types (ids prefixed), to read their places alongside the facility types. */
export function formatSelectors(formats: readonly BusinessFormat[] = MOFCOM_FORMATS) {
  return formats.map((f) => ({ id: `${FORMAT_PREFIX}${f.id}`, osm: f.osm }));
}

export interface FormatEvaluation {
  readonly format: BusinessFormat;
  /** Walking metres within which it counts: its ladder minutes (else the 15-minute circle) × walking speed. */
  readonly radiusM: number;
  readonly present: Uint8Array;
  readonly nearestM: Float64Array;
}

export interface FormatsResult {
  readonly formats: readonly FormatEvaluation[];
  /** Per community: basic (基本保障类) formats present, of all basic formats. */
  readonly basicPresent: Uint16Array;
  readonly basicTotal: number;
  readonly qualityPresent: Uint16Array;
}

/**
 * 一刻钟便民生活圈 business formats within walking reach of each community: a format is present when one of its
 * outlets lies within its ladder time (5/8/15 min, unverified) or else the guide's 15 minutes, at the planning
 * walking speed.
 */
export function evaluateFormats(
  graph: WalkGraph,
  index: EdgeIndex,
  placed: PlacedCommunities,
  facilities: readonly Facility[],
  standards: Standards,
  formats: readonly BusinessFormat[] = MOFCOM_FORMATS,
  snap: SnapOptions = {},
): FormatsResult {
  const speed = standards.walkingSpeedMPerMin.value;
  const radii = formats.map((f) => (f.walkingMinutes?.value ?? MOFCOM_CIRCLE_MINUTES.value) * speed);
  const placedFormats = placeFacilities(
    index,
    formats.map((f) => `${FORMAT_PREFIX}${f.id}`),
    facilities,
    snap,
  );
  const reach = computeReach({
    graph,
    accessPoints: placed.accessPoints,
    accessPointCommunity: placed.accessPointCommunity,
    communityCount: placed.count,
    facilityTypes: formats.map((f, i) => ({
      id: f.id,
      radiusM: radii[i],
      facilities: placedFormats[i].locations,
    })),
    maxDistanceM: Math.max(...radii),
  });
  const basicPresent = new Uint16Array(placed.count);
  const qualityPresent = new Uint16Array(placed.count);
  const results = formats.map((format, i): FormatEvaluation => {
    const present = Uint8Array.from(reach[i].nearestM, (d) => (d <= radii[i] ? 1 : 0));
    present.forEach((p, c) => {
      if (!p) return;
      if (format.formatClass === 'basic') basicPresent[c]++;
      else qualityPresent[c]++;
    });
    return { format, radiusM: radii[i], present, nearestM: reach[i].nearestM };
  });
  return {
    formats: results,
    basicPresent,
    basicTotal: formats.filter((f) => f.formatClass === 'basic').length,
    qualityPresent,
  };
}
