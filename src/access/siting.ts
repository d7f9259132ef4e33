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
  for (const c of communities) {
    if (!c.ring) continue;
    const lons = c.ring.map((p) => p[0]);
    const lats = c.ring.map((p) => p[1]);
    const [x0, x1, y0, y1] = [Math.min(...lons), Math.max(...lons), Math.min(...lats), Math.max(...lats)];
    const polygon = { type: 'Polygon' as const, coordinates: [c.ring.map((p) => [p[0], p[1]])] };
    for (let n = 0; n < graph.nodeCount; n++) {
      const lon = graph.nodeLon[n];
      const lat = graph.nodeLat[n];
      if (lon < x0 || lon > x1 || lat < y0 || lat > y1 || edgeAt[n] < 0) continue;
      if (!booleanPointInPolygon([lon, lat], polygon)) continue;
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

export interface SitingResult {
  readonly picks: readonly SitingPick[];
  readonly uncoveredBefore: number;
  readonly uncoveredAfter: number;
  /** Gain evaluations done (lazy evaluation skips most of the candidates × k a plain greedy would do). */
  readonly evaluations: number;
  readonly candidates: number;
}

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
  return {
    picks,
    uncoveredBefore,
    uncoveredAfter: uncoveredBefore - cumulative,
    evaluations,
    candidates: input.candidates.length,
  };
}
