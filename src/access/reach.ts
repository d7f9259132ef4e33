import {
  LocationsByEdge,
  NetworkSearch,
  TargetHits,
  type NetworkLocation,
  type WalkGraph,
} from '../network/index.js';

/** One facility type's facilities, placed on the network, and the radius within which they count. */
export interface FacilityTypeInput {
  readonly id: string;
  readonly radiusM: number;
  /** Snapped facilities; undefined = not on the network (never reached, still counted in the input). */
  readonly facilities: readonly (NetworkLocation | undefined)[];
}

export interface ReachInput {
  readonly graph: WalkGraph;
  /**
   * Access points of the communities on the network. A community may have several (points on its boundary);
   * its distance to a facility is the best of them. undefined = an access point that did not snap.
   */
  readonly accessPoints: readonly (NetworkLocation | undefined)[];
  /** The community of each access point (0 … communityCount − 1). */
  readonly accessPointCommunity: ArrayLike<number>;
  readonly communityCount: number;
  readonly facilityTypes: readonly FacilityTypeInput[];
  /** Nearest distances beyond this are reported as Infinity (metres; e.g. 2000). */
  readonly maxDistanceM: number;
  /** How counts are computed; 'auto' searches from whichever side has fewer points. */
  readonly countStrategy?: 'auto' | 'from-facilities' | 'from-communities';
}

export interface TypeReach {
  readonly typeId: string;
  /** Walking metres from each community to its nearest facility of the type (Infinity beyond maxDistanceM). */
  readonly nearestM: Float64Array;
  /** Index (into the type's facilities) of that nearest facility, or -1. */
  readonly nearestFacility: Int32Array;
  /** Facilities of the type within its radius of each community. */
  readonly countWithinRadius: Uint32Array;
}

/**
 * For every community and facility type: the walking distance to the nearest facility, and how many lie within
 * the type's service radius. Distances are walked from the community to the facility (they differ from the
 * reverse only on `oneway:foot` ways).
 *
 * Nearest: one bounded multi-source search per type over the reversed graph. Counts: one bounded search per
 * facility (to it) or per community (from it), whichever side is smaller, with buffers reused throughout.
 */
export function computeReach(input: ReachInput): TypeReach[] {
  const { graph, accessPoints, accessPointCommunity, communityCount, maxDistanceM } = input;
  const toFacilities = new NetworkSearch(graph, 'to-sources');
  const results: TypeReach[] = input.facilityTypes.map((type) => {
    const nearestM = new Float64Array(communityCount).fill(Infinity);
    const nearestFacility = new Int32Array(communityCount).fill(-1);
    const placed: NetworkLocation[] = [];
    const placedIndex: number[] = [];
    type.facilities.forEach((location, i) => {
      if (location) {
        placed.push(location);
        placedIndex.push(i);
      }
    });
    if (placed.length > 0) {
      toFacilities.run(placed, maxDistanceM);
      for (let p = 0; p < accessPoints.length; p++) {
        const location = accessPoints[p];
        if (!location) continue;
        const d = toFacilities.distanceToLocation(location.edge, location.offsetM);
        const c = accessPointCommunity[p];
        if (d < nearestM[c]) {
          nearestM[c] = d;
          nearestFacility[c] = placedIndex[toFacilities.lastOrigin];
        }
      }
    }
    return { typeId: type.id, nearestM, nearestFacility, countWithinRadius: new Uint32Array(communityCount) };
  });

  const facilityTotal = input.facilityTypes.reduce((n, t) => n + t.facilities.length, 0);
  const strategy =
    input.countStrategy === undefined || input.countStrategy === 'auto'
      ? facilityTotal <= communityCount
        ? 'from-facilities'
        : 'from-communities'
      : input.countStrategy;
  if (strategy === 'from-facilities') countFromFacilities(input, results, toFacilities);
  else countFromCommunities(input, results);
  return results;
}

/** One search per facility over the reversed graph, limited to its type's radius, marking the communities hit. */
function countFromFacilities(input: ReachInput, results: TypeReach[], search: NetworkSearch): void {
  const targets = new LocationsByEdge(input.graph, input.accessPoints);
  const hits = new TargetHits(input.accessPoints.length);
  const lastCountedBy = new Int32Array(input.communityCount).fill(-1);
  let stamp = 0;
  input.facilityTypes.forEach((type, t) => {
    const counts = results[t].countWithinRadius;
    for (const location of type.facilities) {
      if (!location) continue;
      stamp++;
      search.run([location], type.radiusM);
      const found = search.collectTargets(targets, hits);
      for (let k = 0; k < found; k++) {
        const c = input.accessPointCommunity[hits.targets[k]];
        if (lastCountedBy[c] !== stamp) {
          lastCountedBy[c] = stamp;
          counts[c]++;
        }
      }
    }
  });
}

/** One search per access point, out to the largest radius, then each facility counted once per community. */
function countFromCommunities(input: ReachInput, results: TypeReach[]): void {
  const maxRadius = Math.max(0, ...input.facilityTypes.map((t) => t.radiusM));
  const all: (NetworkLocation | undefined)[] = [];
  const typeOf: number[] = [];
  input.facilityTypes.forEach((type, t) =>
    type.facilities.forEach((location) => {
      all.push(location);
      typeOf.push(t);
    }),
  );
  const targets = new LocationsByEdge(input.graph, all);
  const hits = new TargetHits(all.length);
  const search = new NetworkSearch(input.graph, 'from-sources');
  // Best distance per (community, facility) is what counts; walk access points grouped by community.
  const byCommunity: number[][] = Array.from({ length: input.communityCount }, () => []);
  for (let p = 0; p < input.accessPoints.length; p++)
    if (input.accessPoints[p]) byCommunity[input.accessPointCommunity[p]].push(p);
  const seenBy = new Int32Array(all.length).fill(-1);
  for (let c = 0; c < input.communityCount; c++) {
    for (const p of byCommunity[c]) {
      search.run([input.accessPoints[p] as NetworkLocation], maxRadius);
      const found = search.collectTargets(targets, hits);
      for (let k = 0; k < found; k++) {
        const f = hits.targets[k];
        const t = typeOf[f];
        if (hits.distances[k] <= input.facilityTypes[t].radiusM && seenBy[f] !== c) {
          seenBy[f] = c;
          results[t].countWithinRadius[c]++;
        }
      }
    }
  }
}
