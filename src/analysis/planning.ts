import {
  findGaps,
  generateCandidates,
  siteFacilities,
  siteFacilitiesExact,
  WhatIfScenario,
  type CoverageSummary,
  type Evaluation,
  type TypeEvaluation,
} from '../access/index.js';
import { isLifeCircleError } from '../errors.js';
import type { EdgeIndex, WalkGraph } from '../network/index.js';
import { DEMAND_GROUP_NAMES } from '../standards/index.js';
import type { GapsAnswer, SitingAnswer, TargetNeedAnswer, WhatIfAnswer, WhatIfRequest } from './types.js';

/**
 * The planner's questions answered over one evaluation (the one the map shows): gaps, siting and what-if.
 * Thin adapters from src/access results to the API's shapes; the computing is in src/access.
 */
export interface PlanningInput {
  graph: WalkGraph;
  index: EdgeIndex;
  evaluation: Evaluation;
  runId: number | null;
  /** Each community's division code in the store (null when not linked to one), in the evaluation's order. */
  regionCodes: readonly (string | null)[];
}

const round = (v: number, digits = 0) => Number(v.toFixed(digits));
const finiteOrNull = (v: number) => (Number.isFinite(v) ? round(v, 1) : null);

/**
 * Siting candidates depend only on the graph and the evaluation's communities, not on the type asked about:
 * built once per evaluation (a spatial index over every junction) instead of on every request.
 */
const candidatesOf = new WeakMap<Evaluation, ReturnType<typeof generateCandidates>>();

function candidates(graph: WalkGraph, evaluation: Evaluation): ReturnType<typeof generateCandidates> {
  let found = candidatesOf.get(evaluation);
  if (!found) {
    found = generateCandidates(graph, evaluation.communities, evaluation.placedCommunities);
    candidatesOf.set(evaluation, found);
  }
  return found;
}

function typeOf(evaluation: Evaluation, typeId: string): TypeEvaluation | undefined {
  return evaluation.types.find((t) => t.type.id === typeId);
}

function named(evaluation: Evaluation, indexes: readonly number[]): { code: string; name: string }[] {
  return indexes.map((i) => ({ code: evaluation.communities[i].id, name: evaluation.communities[i].name }));
}

export function planningGaps(input: PlanningInput, typeId: string, top: number): GapsAnswer | null {
  const { evaluation } = input;
  const t = typeOf(evaluation, typeId);
  const gaps = findGaps(evaluation).find((g) => g.typeId === typeId);
  if (!t || !gaps) return null;
  return {
    typeId,
    runId: input.runId,
    radiusM: t.type.radiusM.value,
    demandGroup: t.type.demandGroup,
    demandGroupZh: DEMAND_GROUP_NAMES[t.type.demandGroup].zh,
    demandGroupEn: DEMAND_GROUP_NAMES[t.type.demandGroup].en,
    uncoveredCommunities: gaps.uncoveredCommunities,
    uncoveredDemand: round(gaps.uncoveredDemand),
    gaps: gaps.gaps.slice(0, top).map((g) => {
      const c = evaluation.communities[g.communityIndex];
      return {
        code: g.communityId,
        name: g.name,
        district: g.district ?? null,
        demand: round(g.demand),
        demandEstimated: g.demandEstimated,
        nearestM: finiteOrNull(g.nearestM),
        lon: c.lon,
        lat: c.lat,
      };
    }),
  };
}

/**
 * Siting answered exactly when it fits the budget (HiGHS in the siting thread, off the event loop; default 2 s),
 * else by greedy + swap; with a capacity, by the capacitated greedy. The answer says which (`method`) and bounds
 * how far from the optimum it may be (`gap`).
 */
export async function planningSiting(
  input: PlanningInput,
  typeId: string,
  count: number,
  capacity?: number,
  options: { budgetMs?: number } = {},
): Promise<SitingAnswer | null> {
  const { evaluation, graph } = input;
  const t = typeOf(evaluation, typeId);
  if (!t) return null;
  const result = await siteFacilitiesExact(
    {
      graph,
      placed: evaluation.placedCommunities,
      candidates: candidates(graph, evaluation),
      uncoveredDemand: Float64Array.from(t.demand, (d, i) => (t.covered[i] ? 0 : d)),
      radiusM: t.type.radiusM.value,
      k: count,
      capacity,
    },
    options,
  );
  return {
    typeId,
    runId: input.runId,
    radiusM: t.type.radiusM.value,
    candidates: result.candidates,
    uncoveredBefore: round(result.uncoveredBefore),
    uncoveredAfter: round(result.uncoveredAfter),
    method: result.method,
    // Rounded up, so the bound stays a bound.
    gap: Math.ceil(result.gap * 1e6) / 1e6,
    picks: result.picks.map((p, rank) => ({
      rank: rank + 1,
      lon: round(p.lon, 6),
      lat: round(p.lat, 6),
      origin: p.origin,
      gain: round(p.gain),
      cumulative: round(p.cumulative),
      communities: named(evaluation, p.communities),
    })),
  };
}

/**
 * What a coverage target takes (issue 16: target → need): in `regionCode` (the city, or one 区县), how many more
 * communities must come within the type's walking radius to reach `share` (0..1) of them, and how many new
 * facilities, where, would bring them in — greedy siting weighted by community, one pick after another until
 * the count is reached. Greedy gives an upper bound on the number of facilities (exact siting is issue 15's);
 * when every pick together cannot reach the share (communities too far from any walkable way), it says so.
 * `strict`: the target is "more than" the share rather than "at least". `planned`: the type's planned projects
 * (拟建), added first by what-if, so the sites asked for are those still needed after them.
 */
export function planningTargetNeed(
  input: PlanningInput,
  typeId: string,
  regionCode: string,
  share: number,
  options: { strict?: boolean; planned?: readonly PlannedFacility[] } = {},
): TargetNeedAnswer | null {
  const { evaluation, graph } = input;
  const t = typeOf(evaluation, typeId);
  if (!t) return null;
  const strict = options.strict ?? false;
  // Planned projects (拟建) first: what they bring is not asked of new sites.
  const planned = options.planned ?? [];
  let plannedPlaced = 0;
  let afterPlanned: ArrayLike<number> = t.covered;
  if (planned.length > 0) {
    const scenario = new WhatIfScenario(input.graph, evaluation, input.index);
    for (const f of planned)
      try {
        scenario.add(typeId, { lon: f.lon, lat: f.lat, ...(f.capacity ? { capacity: f.capacity } : {}) });
        plannedPlaced += 1;
      } catch (error) {
        // A planned site far from any walkable way reaches nobody: counted as not placed.
        if (!isLifeCircleError(error) || error.code !== 'LC_USAGE') throw error;
      }
    afterPlanned = scenario.current(typeId).covered;
  }
  const inRegion = input.regionCodes.map((code) => code !== null && code.startsWith(regionCode));
  const off = new Set(evaluation.placedCommunities.offNetwork);
  let communities = 0;
  let covered = 0;
  let plannedBrings = 0;
  let offNetwork = 0;
  const uncovered = new Float64Array(evaluation.communities.length);
  inRegion.forEach((inside, i) => {
    if (!inside) return;
    communities += 1;
    if (t.covered[i] === 1) covered += 1;
    else if (afterPlanned[i] === 1) plannedBrings += 1;
    else if (off.has(i)) offNetwork += 1;
    else uncovered[i] = 1;
  });
  // The share as the indicator computes it (covered ÷ all, × 100), rounding nothing: the smallest count that
  // reaches it (strict: that passes it), never more than all.
  const exact = share * communities;
  const required = Math.min(communities, strict ? Math.floor(exact + 1e-9) + 1 : Math.ceil(exact - 1e-9));
  const missing = Math.max(0, required - covered);
  const stillMissing = Math.max(0, missing - plannedBrings);
  const answer = {
    typeId,
    regionCode,
    runId: input.runId,
    radiusM: t.type.radiusM.value,
    communities,
    covered,
    required,
    missing,
    planned: { facilities: planned.length, placed: plannedPlaced, newlyCovered: plannedBrings },
    stillMissing,
    offNetwork,
  };
  if (stillMissing === 0) return { ...answer, reachable: true, facilitiesNeeded: 0, picks: [] };
  const result = siteFacilities({
    graph,
    placed: evaluation.placedCommunities,
    candidates: candidates(graph, evaluation),
    uncoveredDemand: uncovered,
    radiusM: t.type.radiusM.value,
    // Each pick brings at least one community in: never more picks than communities missing.
    k: stillMissing,
  });
  const enough = result.picks.findIndex((p) => p.cumulative >= stillMissing - 1e-9);
  const picks = (enough >= 0 ? result.picks.slice(0, enough + 1) : result.picks).map((p, rank) => ({
    rank: rank + 1,
    lon: round(p.lon, 6),
    lat: round(p.lat, 6),
    newlyCovered: round(p.gain),
    communities: named(evaluation, p.communities),
  }));
  return { ...answer, reachable: enough >= 0, facilitiesNeeded: enough >= 0 ? enough + 1 : null, picks };
}

/** A planned facility (拟建) of the store: where, and its capacity when recorded. */
export interface PlannedFacility {
  lon: number;
  lat: number;
  capacity: number | null;
}

function coverage(summary: CoverageSummary) {
  return {
    coveredCommunities: summary.coveredCommunities,
    coveredDemand: round(summary.coveredDemand),
    demandShare: round(summary.demandShare, 4),
    fcaPer1000: round(summary.fcaPer1000, 3),
  };
}

/** Applies the additions, then the removals, one after the other; each step reports what it changed. */
export function planningWhatIf(input: PlanningInput, request: WhatIfRequest): WhatIfAnswer | null {
  const { evaluation } = input;
  if (!typeOf(evaluation, request.type)) return null;
  const scenario = new WhatIfScenario(input.graph, evaluation, input.index);
  const results = [
    ...(request.add ?? []).map((a) => scenario.add(request.type, a)),
    ...(request.remove ?? []).map((id) => scenario.remove(request.type, id)),
  ];
  const byId = new Map(evaluation.communities.map((c, i) => [c.id, i]));
  const communities = (ids: readonly string[]) =>
    named(
      evaluation,
      ids.map((id) => byId.get(id) ?? -1).filter((i) => i >= 0),
    );
  return {
    typeId: request.type,
    runId: input.runId,
    before: coverage(results[0].before),
    after: coverage(results[results.length - 1].after),
    steps: results.map((r) => ({
      operation: r.operation,
      facilityId: r.facilityId,
      newlyCovered: communities(r.newlyCovered),
      newlyUncovered: communities(r.newlyUncovered),
      after: coverage(r.after),
    })),
  };
}
