import { EDGE_BACKWARD, EDGE_FORWARD, reverseArcs, type WalkGraph } from './graph.js';
import { MinHeap } from './heap.js';

/** A place on the network: on `edge`, `offsetM` metres along its geometry from edgeFrom. */
export interface NetworkLocation {
  readonly edge: number;
  readonly offsetM: number;
}

/**
 * `from-sources`: distances walked from the sources to everywhere (isochrones).
 * `to-sources`: distances walked from everywhere to the sources (a resident walking to a facility).
 * They differ only where `oneway:foot` makes the network directed.
 */
export type SearchDirection = 'from-sources' | 'to-sources';

/**
 * Bounded Dijkstra from one or many sources, with buffers allocated once and reset only where the last run
 * went, so thousands of small searches cost what they explore, not the size of the graph.
 *
 * Sources and targets sit on edges, not nodes: a search starts from both ends of a source's edge (where the
 * edge may be walked that way) and a target's distance is the best over both ends of its edge, or straight
 * along the edge when a source shares it.
 */
export class NetworkSearch {
  readonly graph: WalkGraph;
  readonly direction: SearchDirection;
  private readonly distance: Float64Array;
  private readonly originOf: Int32Array;
  private readonly reachedNodes: Uint32Array;
  private reachedCount = 0;
  private readonly heap = new MinHeap(1 << 12);
  private readonly adjacencyStart: Uint32Array;
  private readonly adjacencyNode: Uint32Array;
  private readonly adjacencyEdge: Uint32Array;
  private readonly adjacencyLength: Float64Array;
  private sources: readonly NetworkLocation[] = [];
  private sourcesOnEdge = new Map<number, number[]>();
  private limit = Infinity;
  /** The source that gave the last distanceToLocation() its value (-1 when unreached). */
  lastOrigin = -1;

  constructor(graph: WalkGraph, direction: SearchDirection = 'from-sources') {
    this.graph = graph;
    this.direction = direction;
    this.distance = new Float64Array(graph.nodeCount).fill(Infinity);
    this.originOf = new Int32Array(graph.nodeCount).fill(-1);
    this.reachedNodes = new Uint32Array(graph.nodeCount);
    if (direction === 'from-sources') {
      this.adjacencyStart = graph.arcStart;
      this.adjacencyNode = graph.arcHead;
      this.adjacencyEdge = graph.arcEdge;
      this.adjacencyLength = graph.arcLength;
    } else {
      const reverse = reverseArcs(graph);
      this.adjacencyStart = reverse.arcStart;
      this.adjacencyNode = reverse.arcTail;
      this.adjacencyEdge = reverse.arcEdge;
      this.adjacencyLength = reverse.arcLength;
    }
  }

  /** Runs the search from all sources at once; each node learns its distance to (or from) the nearest one. */
  run(sources: readonly NetworkLocation[], limitM = Infinity): void {
    this.reset();
    this.sources = sources;
    this.limit = limitM;
    const g = this.graph;
    const forwardSearch = this.direction === 'from-sources';
    for (let i = 0; i < sources.length; i++) {
      const { edge, offsetM } = sources[i];
      const flags = g.edgeFlags[edge];
      const length = g.edgeLength[edge];
      // Leaving the source towards edgeFrom means walking the edge backwards (and the reverse for to-sources).
      const towardFrom = forwardSearch ? (flags & EDGE_BACKWARD) !== 0 : (flags & EDGE_FORWARD) !== 0;
      const towardTo = forwardSearch ? (flags & EDGE_FORWARD) !== 0 : (flags & EDGE_BACKWARD) !== 0;
      if (towardFrom) this.seed(g.edgeFrom[edge], offsetM, i);
      if (towardTo) this.seed(g.edgeTo[edge], length - offsetM, i);
      const list = this.sourcesOnEdge.get(edge);
      if (list) list.push(i);
      else this.sourcesOnEdge.set(edge, [i]);
    }
    this.settle();
  }

  /** Runs from graph nodes instead of locations (used by benchmarks' full passes and by tests). */
  runFromNodes(nodes: ArrayLike<number>, limitM = Infinity): void {
    this.reset();
    this.sources = [];
    this.limit = limitM;
    for (let i = 0; i < nodes.length; i++) this.seed(nodes[i], 0, i);
    this.settle();
  }

  private reset(): void {
    const distance = this.distance;
    const originOf = this.originOf;
    const reached = this.reachedNodes;
    for (let i = 0; i < this.reachedCount; i++) {
      distance[reached[i]] = Infinity;
      originOf[reached[i]] = -1;
    }
    this.reachedCount = 0;
    this.heap.clear();
    this.sourcesOnEdge = new Map();
  }

  private seed(node: number, distance: number, origin: number): void {
    if (distance > this.limit || distance >= this.distance[node]) return;
    if (this.distance[node] === Infinity) this.reachedNodes[this.reachedCount++] = node;
    this.distance[node] = distance;
    this.originOf[node] = origin;
    this.heap.push(distance, node);
  }

  private settle(): void {
    const heap = this.heap;
    const distance = this.distance;
    const originOf = this.originOf;
    const reached = this.reachedNodes;
    const start = this.adjacencyStart;
    const neighbour = this.adjacencyNode;
    const arcLength = this.adjacencyLength;
    const limit = this.limit;
    let reachedCount = this.reachedCount;
    while (heap.size > 0) {
      const d = heap.peekKey();
      const x = heap.peekValue();
      heap.pop();
      if (d > distance[x]) continue; // stale entry
      const origin = originOf[x];
      const end = start[x + 1];
      for (let a = start[x]; a < end; a++) {
        const y = neighbour[a];
        const nd = d + arcLength[a];
        if (nd < distance[y] && nd <= limit) {
          if (distance[y] === Infinity) reached[reachedCount++] = y;
          distance[y] = nd;
          originOf[y] = origin;
          heap.push(nd, y);
        }
      }
    }
    this.reachedCount = reachedCount;
  }

  /** Distance of a graph node after run() (Infinity beyond the limit). */
  distanceToNode(node: number): number {
    return this.distance[node];
  }

  /** Index of the source nearest to a node, or -1. */
  originOfNode(node: number): number {
    return this.originOf[node];
  }

  /** The nodes the last run reached, in the order first reached. */
  reached(): Uint32Array {
    return this.reachedNodes.subarray(0, this.reachedCount);
  }

  /** Distance between the sources and a location; sets `lastOrigin`. Infinity beyond the limit. */
  distanceToLocation(edge: number, offsetM: number): number {
    const g = this.graph;
    const flags = g.edgeFlags[edge];
    const forwardOk = (flags & EDGE_FORWARD) !== 0;
    const backwardOk = (flags & EDGE_BACKWARD) !== 0;
    const from = g.edgeFrom[edge];
    const to = g.edgeTo[edge];
    const length = g.edgeLength[edge];
    const fromSources = this.direction === 'from-sources';
    let best = Infinity;
    let origin = -1;
    // Via edgeFrom: arrive there and walk forwards to the location (from-sources), or walk backwards to it.
    if (fromSources ? forwardOk : backwardOk) {
      const d = this.distance[from] + offsetM;
      if (d < best) {
        best = d;
        origin = this.originOf[from];
      }
    }
    if (fromSources ? backwardOk : forwardOk) {
      const d = this.distance[to] + (length - offsetM);
      if (d < best) {
        best = d;
        origin = this.originOf[to];
      }
    }
    const onSameEdge = this.sourcesOnEdge.get(edge);
    if (onSameEdge) {
      for (const i of onSameEdge) {
        const d = sameEdgeDistance(this.sources[i].offsetM, offsetM, forwardOk, backwardOk, fromSources);
        if (d < best) {
          best = d;
          origin = i;
        }
      }
    }
    if (best > this.limit) {
      this.lastOrigin = -1;
      return Infinity;
    }
    this.lastOrigin = origin;
    return best;
  }

  /**
   * Every target within the limit of the last run's sources, with its distance, written into `out`; only the
   * edges next to reached nodes are looked at. Returns the number of targets found.
   */
  collectTargets(targets: LocationsByEdge, out: TargetHits): number {
    const g = this.graph;
    const best = targets.scratchDistance;
    const found = out.targets;
    let count = 0;
    const consider = (target: number, d: number) => {
      if (d > this.limit) return;
      if (best[target] === Infinity) found[count++] = target;
      if (d < best[target]) best[target] = d;
    };
    const fromSources = this.direction === 'from-sources';
    const reached = this.reachedNodes;
    for (let r = 0; r < this.reachedCount; r++) {
      const x = reached[r];
      const dx = this.distance[x];
      for (let a = this.adjacencyStart[x]; a < this.adjacencyStart[x + 1]; a++) {
        const packed = this.adjacencyEdge[a];
        const edge = packed >>> 1;
        const reversed = (packed & 1) === 1;
        const first = targets.edgeStart[edge];
        const last = targets.edgeStart[edge + 1];
        if (first === last) continue;
        const length = g.edgeLength[edge];
        // Which end of the edge x is: from-sources walks out of x along the arc; to-sources walks into x.
        const xIsFrom = fromSources ? !reversed : reversed;
        for (let k = first; k < last; k++) {
          const s = targets.offset[k];
          consider(targets.target[k], dx + (xIsFrom ? s : length - s));
        }
      }
    }
    for (const [edge, sourceIndices] of this.sourcesOnEdge) {
      const flags = g.edgeFlags[edge];
      for (let k = targets.edgeStart[edge]; k < targets.edgeStart[edge + 1]; k++) {
        for (const i of sourceIndices) {
          const d = sameEdgeDistance(
            this.sources[i].offsetM,
            targets.offset[k],
            (flags & EDGE_FORWARD) !== 0,
            (flags & EDGE_BACKWARD) !== 0,
            fromSources,
          );
          consider(targets.target[k], d);
        }
      }
    }
    for (let i = 0; i < count; i++) {
      out.distances[i] = best[found[i]];
      best[found[i]] = Infinity;
    }
    return count;
  }
}

/** Straight along one edge between a source at `sourceOffset` and a target at `targetOffset`. */
function sameEdgeDistance(
  sourceOffset: number,
  targetOffset: number,
  forwardOk: boolean,
  backwardOk: boolean,
  fromSources: boolean,
): number {
  // Walking direction: source→target for from-sources, target→source for to-sources.
  const startOffset = fromSources ? sourceOffset : targetOffset;
  const endOffset = fromSources ? targetOffset : sourceOffset;
  // The same place is 0 m away whichever way the edge may be walked (a one-way edge included).
  if (endOffset === startOffset) return 0;
  if (endOffset > startOffset) return forwardOk ? endOffset - startOffset : Infinity;
  return backwardOk ? startOffset - endOffset : Infinity;
}

/** Targets grouped by the edge they sit on (CSR), for NetworkSearch.collectTargets. */
export class LocationsByEdge {
  readonly edgeStart: Uint32Array;
  readonly target: Uint32Array;
  readonly offset: Float64Array;
  /** Per-target scratch space for collectTargets; all Infinity between calls. */
  readonly scratchDistance: Float64Array;
  readonly size: number;

  /** `locations[i]` undefined means target i is not on the network and is never found. */
  constructor(graph: WalkGraph, locations: readonly (NetworkLocation | undefined)[]) {
    this.size = locations.length;
    const edgeStart = new Uint32Array(graph.edgeCount + 1);
    let placed = 0;
    for (const location of locations) {
      if (location) {
        edgeStart[location.edge + 1]++;
        placed++;
      }
    }
    for (let e = 0; e < graph.edgeCount; e++) edgeStart[e + 1] += edgeStart[e];
    const fill = edgeStart.slice(0, graph.edgeCount);
    this.target = new Uint32Array(placed);
    this.offset = new Float64Array(placed);
    locations.forEach((location, i) => {
      if (!location) return;
      const slot = fill[location.edge]++;
      this.target[slot] = i;
      this.offset[slot] = location.offsetM;
    });
    this.edgeStart = edgeStart;
    this.scratchDistance = new Float64Array(locations.length).fill(Infinity);
  }
}

/** Output buffers for collectTargets, sized for every target. */
export class TargetHits {
  readonly targets: Uint32Array;
  readonly distances: Float64Array;
  constructor(targetCount: number) {
    this.targets = new Uint32Array(targetCount);
    this.distances = new Float64Array(targetCount);
  }
}
