import Flatbush from 'flatbush';
import FlatQueue from 'flatqueue';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import {
  EdgeIndex,
  isSnapped,
  type NetworkLocation,
  type SnapOptions,
  type WalkGraph,
} from '../network/index.js';
import type { Community } from '../places/index.js';
import { CatchmentSearch, computeCatchments, type Catchments } from './catchments.js';
import type { PlacedCommunities } from './place.js';
import { reduceCoverage } from './siting-exact.js';
import { coveredDemand, greedyOrder, submodularBound, swapSearch } from './siting-swap.js';
import { sharedSitingThread, type SitingThread } from './siting-thread.js';

/** A place where a new facility could go. */
export interface Candidate {
  readonly lon: number;
  readonly lat: number;
  readonly location: NetworkLocation;
  /** Why it is a candidate: 'supplied', 'node inside <community>', 'gate of <community>'. */
  readonly origin: string;
}

/** Snaps supplied candidate points; those off the network are returned separately, never dropped silently. */
export function snapCandidates(
  index: EdgeIndex,
  points: readonly { readonly lon: number; readonly lat: number }[],
  options: SnapOptions = {},
): { candidates: Candidate[]; offNetwork: number[] } {
  const candidates: Candidate[] = [];
  const offNetwork: number[] = [];
  points.forEach((p, i) => {
    const s = index.snap(p.lon, p.lat, options);
    if (isSnapped(s))
      candidates.push({
        lon: p.lon,
        lat: p.lat,
        location: { edge: s.edge, offsetM: s.offsetM },
        origin: 'supplied',
      });
    else offNetwork.push(i);
  });
  return { candidates, offNetwork };
}

/**
 * Network locations inside or at the edge of residential areas: every graph junction inside a community's
 * polygon, and every snapped access point (gate) on its boundary. Point communities contribute their snapped
 * point. Duplicates (same edge and metre) are dropped.
 */
export function generateCandidates(
  graph: WalkGraph,
  communities: readonly Community[],
  placed: PlacedCommunities,
): Candidate[] {
  const seen = new Set<string>();
  const out: Candidate[] = [];
  const push = (c: Candidate) => {
    const key = `${c.location.edge}:${Math.round(c.location.offsetM)}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(c);
  };
  placed.accessPoints.forEach((location, a) => {
    if (!location) return;
    const [lon, lat] = placed.accessPointLonLat[a];
    push({ lon, lat, location, origin: `gate of ${communities[placed.accessPointCommunity[a]].name}` });
  });
  // First edge at each node, to give junctions a NetworkLocation.
  const edgeAt = new Int32Array(graph.nodeCount).fill(-1);
  for (let e = graph.edgeCount - 1; e >= 0; e--) {
    edgeAt[graph.edgeFrom[e]] = e;
  }
  // Junctions indexed once, so each polygon looks only at the nodes inside its bounding box.
  const nodes = new Flatbush(Math.max(1, graph.nodeCount));
  for (let n = 0; n < graph.nodeCount; n++) nodes.add(graph.nodeLon[n], graph.nodeLat[n]);
  if (graph.nodeCount === 0) nodes.add(0, 0);
  nodes.finish();
  for (const c of communities) {
    if (!c.ring || graph.nodeCount === 0) continue;
    const lons = c.ring.map((p) => p[0]);
    const lats = c.ring.map((p) => p[1]);
    const polygon = { type: 'Polygon' as const, coordinates: [c.ring.map((p) => [p[0], p[1]])] };
    const inBox = nodes.search(Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats));
    for (const n of inBox.sort((a, b) => a - b)) {
      const lon = graph.nodeLon[n];
      const lat = graph.nodeLat[n];
      if (edgeAt[n] < 0 || !booleanPointInPolygon([lon, lat], polygon)) continue;
      push({ lon, lat, location: { edge: edgeAt[n], offsetM: 0 }, origin: `node inside ${c.name}` });
    }
  }
  return out;
}

export interface SitingInput {
  readonly graph: WalkGraph;
  readonly placed: PlacedCommunities;
  readonly candidates: readonly Candidate[];
  /** Demand per community that still lacks the service (0 where already covered). */
  readonly uncoveredDemand: ArrayLike<number>;
  readonly radiusM: number;
  readonly k: number;
  /** Demand one new facility can serve (its capacity); Infinity = coverage only. */
  readonly capacity?: number;
  /** Precomputed candidate catchments (radius), e.g. shared with an exact solver. */
  readonly coverage?: Catchments;
}

export interface SitingPick {
  readonly candidate: number;
  readonly lon: number;
  readonly lat: number;
  readonly origin: string;
  /** Demand newly served by this pick (its marginal gain). */
  readonly gain: number;
  readonly cumulative: number;
  /** Communities whose remaining demand this pick serves, fully or (with capacity) in part. */
  readonly communities: readonly number[];
}

/**
 * Which method chose the picks: 'exact' — HiGHS branch-and-bound (proven optimal when `gap` is 0, else its best
 * set when the budget ran out); 'greedy+swap' — lazy greedy then swap local search (the budget did not suffice);
 * 'greedy' — lazy greedy alone (`siteFacilities`, and every siting with a capacity).
 */
export type SitingMethod = 'exact' | 'greedy+swap' | 'greedy';

/** What the exact solver did in `siteFacilitiesExact`. */
export interface ExactAttempt {
  /**
   * 'optimal': proven within the budget; 'time-limit': HiGHS stopped at the budget (its bound still counts);
   * 'over-budget': no answer in time (queued behind other solves, or the thread overran and was stopped);
   * 'failed': HiGHS or its thread failed (`message`); 'not-run': budget 0, a capacity, or nothing to decide.
   */
  readonly status: 'optimal' | 'time-limit' | 'over-budget' | 'failed' | 'not-run';
  readonly budgetMs: number;
  /** Wall-clock time from asking the solver thread to its answer. */
  readonly ms: number;
  readonly message?: string;
}

export interface SitingResult {
  readonly picks: readonly SitingPick[];
  readonly uncoveredBefore: number;
  readonly uncoveredAfter: number;
  /** Gain evaluations done (lazy evaluation skips most of the candidates × k a plain greedy would do). */
  readonly evaluations: number;
  readonly candidates: number;
  readonly method: SitingMethod;
  /**
   * Upper bound on (optimum − found) / optimum, the optimum being the most demand k sites could newly serve:
   * 0 = proven optimal. From the best of HiGHS's proven bound and the submodular bound (`upperBound`).
   */
  readonly gap: number;
  /** A proven upper bound on that optimum. */
  readonly upperBound: number;
  /** `siteFacilitiesExact` only. */
  readonly exact?: ExactAttempt;
}

/** Default wall-clock budget of the exact solver (`siteFacilitiesExact`), in milliseconds. */
export const DEFAULT_EXACT_BUDGET_MS = 2000;

const gapOf = (found: number, bound: number) => {
  const upper = Math.max(found, bound);
  const gap = upper > 0 ? (upper - found) / upper : 0;
  return gap < 1e-9 ? 0 : gap;
};

/** Candidate catchments: the communities within the radius of each candidate. */
export function candidateCoverage(
  graph: WalkGraph,
  placed: PlacedCommunities,
  candidates: readonly Candidate[],
  radiusM: number,
): Catchments {
  return computeCatchments(
    graph,
    placed,
    candidates.map((c) => c.location),
    radiusM,
    new CatchmentSearch(graph, placed),
  );
}

/**
 * Greedy maximum coverage with lazy evaluation (Minoux 1978; "CELF", Leskovec et al. 2007): a candidate's gain
 * only falls as picks are made, so a stale gain is an upper bound and only the top of the queue is re-evaluated.
 * Gain of candidate j = min(capacity, Σ remaining demand within the radius); a pick serves its communities
 * nearest first up to its capacity. Uncapacitated, this is the (1 − 1/e)-approximate greedy of max coverage.
 */
export function siteFacilities(input: SitingInput): SitingResult {
  const coverage =
    input.coverage ?? candidateCoverage(input.graph, input.placed, input.candidates, input.radiusM);
  const capacity = input.capacity ?? Infinity;
  const remaining = Float64Array.from(input.uncoveredDemand);
  const uncoveredBefore = remaining.reduce((s, v) => s + v, 0);
  const gainOf = (j: number) => {
    let sum = 0;
    for (let p = coverage.start[j]; p < coverage.start[j + 1]; p++) sum += remaining[coverage.community[p]];
    return Math.min(capacity, sum);
  };
  const queue = new FlatQueue<number>();
  let evaluations = 0;
  for (let j = 0; j < input.candidates.length; j++) {
    const g = gainOf(j);
    evaluations++;
    if (g > 0) queue.push(j, -g);
  }
  const fresh = new Int32Array(input.candidates.length).fill(0);
  const picks: SitingPick[] = [];
  let cumulative = 0;
  let round = 0;
  while (picks.length < input.k && queue.length > 0) {
    const j = queue.peek() as number;
    if (fresh[j] !== round) {
      queue.pop();
      const g = gainOf(j);
      evaluations++;
      fresh[j] = round;
      if (g > 0) queue.push(j, -g);
      continue;
    }
    const gain = -(queue.peekValue() as number);
    queue.pop();
    let left = capacity;
    const served: number[] = [];
    for (let p = coverage.start[j]; p < coverage.start[j + 1] && left > 0; p++) {
      const c = coverage.community[p];
      if (remaining[c] <= 0) continue;
      const take = Math.min(left, remaining[c]);
      remaining[c] -= take;
      left -= take;
      served.push(c);
    }
    cumulative += gain;
    const cand = input.candidates[j];
    picks.push({
      candidate: j,
      lon: cand.lon,
      lat: cand.lat,
      origin: cand.origin,
      gain,
      cumulative,
      communities: served,
    });
    round++;
  }
  const upperBound = Number.isFinite(capacity)
    ? capacitatedBound(coverage, input.uncoveredDemand, input.k, capacity)
    : submodularBound(
        coverage,
        input.uncoveredDemand,
        input.k,
        picks.map((p) => p.candidate),
      );
  return {
    picks,
    uncoveredBefore,
    uncoveredAfter: uncoveredBefore - cumulative,
    evaluations,
    candidates: input.candidates.length,
    method: 'greedy',
    gap: gapOf(cumulative, upperBound),
    upperBound,
  };
}

/**
 * With a capacity C: a site serves at most min(C, demand in its radius), so the k best such sites add up to a
 * bound; so does all the demand any candidate reaches. Loose, but proven.
 */
function capacitatedBound(
  coverage: Catchments,
  demand: ArrayLike<number>,
  k: number,
  capacity: number,
): number {
  const n = coverage.start.length - 1;
  const single = new Float64Array(n);
  const reached = new Set<number>();
  for (let j = 0; j < n; j++) {
    let sum = 0;
    for (let p = coverage.start[j]; p < coverage.start[j + 1]; p++) {
      sum += demand[coverage.community[p]];
      reached.add(coverage.community[p]);
    }
    single[j] = Math.min(capacity, sum);
  }
  single.sort();
  let top = 0;
  for (let i = n - 1; i >= Math.max(0, n - k); i--) top += single[i];
  let all = 0;
  for (const c of reached) all += demand[c];
  return Math.min(top, all);
}

/** Options of `siteFacilitiesExact`. */
export interface ExactSitingOptions {
  /**
   * Wall-clock budget of the exact solver in milliseconds (default `DEFAULT_EXACT_BUDGET_MS`, 2 s): HiGHS runs
   * until it proves the optimum or the budget runs out; 0 = greedy + swap only.
   */
  readonly budgetMs?: number;
  /** The solver thread (default: the process's shared one). */
  readonly thread?: SitingThread;
}

/**
 * Siting solved exactly when it fits the budget (uncapacitated): the lazy greedy, then swap local search from
 * its picks, then HiGHS (in a worker thread, off the event loop) from that start on the reduced instance. The
 * answer is HiGHS's when it proves the optimum (method 'exact', gap 0) or finds a better set before the budget
 * runs out ('exact', gap from its bound); otherwise the greedy + swap picks ('greedy+swap') with the best bound
 * known. Picks are listed in greedy order, so gains fall pick by pick. With a capacity, the capacitated greedy
 * of `siteFacilities` is returned as it is (method 'greedy').
 */
export async function siteFacilitiesExact(
  input: SitingInput,
  options: ExactSitingOptions = {},
): Promise<SitingResult> {
  const budgetMs = Math.max(0, options.budgetMs ?? DEFAULT_EXACT_BUDGET_MS);
  const coverage =
    input.coverage ?? candidateCoverage(input.graph, input.placed, input.candidates, input.radiusM);
  const greedy = siteFacilities({ ...input, coverage });
  const notRun = (message: string): ExactAttempt => ({ status: 'not-run', budgetMs, ms: 0, message });
  if (Number.isFinite(input.capacity ?? Infinity))
    return { ...greedy, exact: notRun('with a capacity, siting is the capacitated greedy') };
  const weight = input.uncoveredDemand;
  const swapped = swapSearch(
    coverage,
    weight,
    input.k,
    greedy.picks.map((p) => p.candidate),
  );
  let picks = swapped.picks;
  let value = swapped.value;
  let method: SitingMethod = 'greedy+swap';
  let upperBound = Math.min(
    greedy.upperBound,
    submodularBound(coverage, weight, input.k, greedyOrder(coverage, weight, picks).order),
  );
  let exact: ExactAttempt;
  if (gapOf(value, upperBound) === 0)
    exact = notRun('greedy + swap is proven optimal by the submodular bound');
  else if (budgetMs === 0) exact = notRun('budget 0');
  else {
    const t0 = performance.now();
    const answer = await (options.thread ?? sharedSitingThread()).solve(
      reduceCoverage(coverage, weight, input.k),
      picks,
      budgetMs,
    );
    const ms = performance.now() - t0;
    if (answer.ok) {
      const { outcome } = answer;
      upperBound = Math.min(upperBound, outcome.bound);
      // Counted on the full instance, not read off the solver.
      const found = coveredDemand(coverage, weight, outcome.picks);
      if (outcome.status !== 'failed' && (outcome.status === 'optimal' || found > value)) {
        picks = outcome.picks;
        value = found;
        method = 'exact';
      }
      exact = { status: outcome.status, budgetMs, ms };
    } else exact = { status: answer.why, budgetMs, ms, message: answer.message };
  }
  const built = picksInOrder(input, coverage, greedyOrder(coverage, weight, picks).order);
  const uncoveredBefore = greedy.uncoveredBefore;
  const cumulative = built.length > 0 ? built[built.length - 1].cumulative : 0;
  return {
    picks: built,
    uncoveredBefore,
    uncoveredAfter: uncoveredBefore - cumulative,
    evaluations: greedy.evaluations,
    candidates: input.candidates.length,
    method,
    gap: gapOf(cumulative, upperBound),
    upperBound,
    exact,
  };
}

/** Picks listed in `order`, each with the demand it newly serves (nearest communities first). */
function picksInOrder(input: SitingInput, coverage: Catchments, order: readonly number[]): SitingPick[] {
  const remaining = Float64Array.from(input.uncoveredDemand);
  let cumulative = 0;
  return order.map((j) => {
    let gain = 0;
    const served: number[] = [];
    for (let p = coverage.start[j]; p < coverage.start[j + 1]; p++) {
      const c = coverage.community[p];
      if (remaining[c] <= 0) continue;
      gain += remaining[c];
      remaining[c] = 0;
      served.push(c);
    }
    cumulative += gain;
    const cand = input.candidates[j];
    return {
      candidate: j,
      lon: cand.lon,
      lat: cand.lat,
      origin: cand.origin,
      gain,
      cumulative,
      communities: served,
    };
  });
}
