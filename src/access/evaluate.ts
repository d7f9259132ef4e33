import { EdgeIndex, type SnapOptions, type WalkGraph } from '../network/index.js';
import type { Community, Facility } from '../places/index.js';
import type { ResolvedFacilityType, Standards, TierId } from '../standards/index.js';
import { CatchmentSearch, computeCatchments, type Catchments } from './catchments.js';
import { gaussianDecay, twoStepFca, uniformDecay } from './fca.js';
import { placeCommunities, placeFacilities, type PlacedCommunities, type PlacedFacilities } from './place.js';
import { computeReach } from './reach.js';

export interface EvaluationInput {
  readonly graph: WalkGraph;
  readonly standards: Standards;
  readonly communities: readonly Community[];
  readonly facilities: readonly Facility[];
  /** A prebuilt snapping index for the graph (built when absent). */
  readonly index?: EdgeIndex;
  /** Nearest distances beyond this are reported as Infinity (default 2000 m, or twice the largest radius). */
  readonly maxDistanceM?: number;
  readonly onProgress?: (phase: string, done: number, total: number) => void;
  /** Snapping of communities and facilities (defaults of the network engine). */
  readonly snap?: SnapOptions;
}

/** Coverage and capacity-aware accessibility of one facility type. */
export interface TypeEvaluation {
  readonly type: ResolvedFacilityType;
  readonly placed: PlacedFacilities;
  /** Walking metres to the nearest facility (Infinity beyond maxDistanceM or none). */
  readonly nearestM: Float64Array;
  readonly nearestFacility: Int32Array;
  readonly countWithinRadius: Uint32Array;
  /** 1 where a facility lies within the service radius. */
  readonly covered: Uint8Array;
  /** Demand of each community in the type's demand group (0 where unknown). */
  readonly demand: Float64Array;
  /** Capacity per facility: from the data where given, else the type's default. */
  readonly capacity: Float64Array;
  readonly capacityFromData: Uint8Array;
  readonly catchments: Catchments;
  /** 2SFCA and Gaussian E2SFCA: R_j per facility and A_i per community (capacity per resident of the group). */
  readonly fca: { readonly ratio: Float64Array; readonly accessibility: Float64Array };
  readonly e2sfca: { readonly ratio: Float64Array; readonly accessibility: Float64Array };
}

export interface TierCompleteness {
  readonly tier: TierId;
  /** Required (应配) enabled types of this tier and every lower one (GB 50180-2018 条文说明 5.0.2). */
  readonly required: readonly string[];
  /** Per community: the required type ids not covered (empty = complete). */
  readonly missing: readonly (readonly string[])[];
}

export interface Evaluation {
  readonly standards: Standards;
  readonly communities: readonly Community[];
  readonly placedCommunities: PlacedCommunities;
  readonly types: readonly TypeEvaluation[];
  readonly completeness: readonly TierCompleteness[];
  readonly maxDistanceM: number;
  readonly snap: SnapOptions | undefined;
}

/**
 * The life-circle evaluation: per community × enabled facility type the nearest walking distance, the count
 * within the service radius and coverage (via computeReach); per tier the completeness (all required types
 * covered); per type 2SFCA and E2SFCA with the type's demand group and capacities. Pure: no files, no store.
 */
export function evaluateAccess(input: EvaluationInput): Evaluation {
  const { graph, standards, communities } = input;
  const progress = input.onProgress ?? (() => {});
  const index = input.index ?? new EdgeIndex(graph);
  const types = standards.facilityTypes.filter((t) => t.enabled);
  progress('placing communities', 0, 1);
  const placedCommunities = placeCommunities(index, communities, input.snap);
  const placedFacilities = placeFacilities(
    index,
    types.map((t) => t.id),
    input.facilities,
    input.snap,
  );
  const maxRadius = Math.max(
    0,
    ...types.map((t) => t.radiusM.value),
    ...types.map((t) => t.catchmentM.value),
  );
  const maxDistanceM = input.maxDistanceM ?? Math.max(2000, 2 * maxRadius);
  progress('nearest and counts', 0, types.length);
  const reach = computeReach({
    graph,
    accessPoints: placedCommunities.accessPoints,
    accessPointCommunity: placedCommunities.accessPointCommunity,
    communityCount: communities.length,
    facilityTypes: types.map((t, i) => ({
      id: t.id,
      radiusM: t.radiusM.value,
      facilities: placedFacilities[i].locations,
    })),
    maxDistanceM,
  });
  const search = new CatchmentSearch(graph, placedCommunities);
  const evaluations = types.map((type, i): TypeEvaluation => {
    progress('2SFCA catchments', i, types.length);
    const placed = placedFacilities[i];
    const r = reach[i];
    const covered = new Uint8Array(communities.length);
    for (let c = 0; c < communities.length; c++) covered[c] = r.nearestM[c] <= type.radiusM.value ? 1 : 0;
    const demand = Float64Array.from(communities, (c) => c.demand?.[type.demandGroup] ?? 0);
    const capacity = Float64Array.from(placed.facilities, (f) => f.capacity ?? type.defaultCapacity.value);
    const capacityFromData = Uint8Array.from(placed.facilities, (f) => (f.capacity === undefined ? 0 : 1));
    const catchmentM = type.catchmentM.value;
    // One search per facility serves both coverage (radius) and 2SFCA (catchment); W = 0 beyond the catchment.
    const limitM = Math.max(catchmentM, type.radiusM.value);
    const catchments = computeCatchments(graph, placedCommunities, placed.locations, limitM, search);
    const n = communities.length;
    return {
      type,
      placed,
      nearestM: r.nearestM,
      nearestFacility: r.nearestFacility,
      countWithinRadius: r.countWithinRadius,
      covered,
      demand,
      capacity,
      capacityFromData,
      catchments,
      fca: twoStepFca(catchments, capacity, demand, n, catchmentM, uniformDecay),
      e2sfca: twoStepFca(catchments, capacity, demand, n, catchmentM, gaussianDecay),
    };
  });
  progress('2SFCA catchments', types.length, types.length);
  return {
    standards,
    communities,
    placedCommunities,
    types: evaluations,
    completeness: completenessByTier(standards, evaluations, communities.length),
    maxDistanceM,
    snap: input.snap,
  };
}

/** Tiers with a walking distance (5/10/15 minutes), each requiring its own and every lower tier's 应配 types. */
export function completenessByTier(
  standards: Standards,
  evaluations: readonly Pick<TypeEvaluation, 'type' | 'covered'>[],
  communityCount: number,
): TierCompleteness[] {
  const rank = new Map(standards.tiers.map((t) => [t.id, t.rank]));
  return standards.tiers
    .filter((tier) => tier.walkingDistanceM !== undefined)
    .map((tier) => {
      const required = evaluations.filter(
        (e) => e.type.provision.value === 'required' && (rank.get(e.type.tier.value) ?? 0) <= tier.rank,
      );
      const missing = Array.from({ length: communityCount }, (_, c) =>
        required.filter((e) => e.covered[c] === 0).map((e) => e.type.id),
      );
      return { tier: tier.id, required: required.map((e) => e.type.id), missing };
    });
}
