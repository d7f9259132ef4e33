/**
 * The walking graph as flat typed arrays (STYLE habit 4, after OSRM's static_graph).
 *
 * Nodes are the OSM nodes where walkable ways meet or end; an edge is the stretch of one way between two such
 * nodes, with its full geometry kept for snapping and drawing. Directed arcs are stored in compressed sparse
 * rows: node u's outgoing arcs are `arcStart[u] .. arcStart[u + 1] - 1`. Most edges give two arcs; an edge
 * with `oneway:foot` gives one.
 */
export interface WalkGraph {
  readonly nodeCount: number;
  readonly edgeCount: number;
  readonly arcCount: number;
  readonly geometryPointCount: number;
  readonly componentCount: number;

  readonly nodeLon: Float64Array;
  readonly nodeLat: Float64Array;
  /** OSM node id of each graph node (ids stay below 2^53). */
  readonly nodeOsmId: Float64Array;
  /** Connected component of each node (weak connectivity); 0 is the largest. */
  readonly nodeComponent: Uint32Array;

  /** CSR offsets, nodeCount + 1 entries. */
  readonly arcStart: Uint32Array;
  readonly arcHead: Uint32Array;
  /** `edge << 1 | reversed`: the edge an arc runs along, and whether it runs from edgeTo to edgeFrom. */
  readonly arcEdge: Uint32Array;
  readonly arcLength: Float64Array;

  readonly edgeFrom: Uint32Array;
  readonly edgeTo: Uint32Array;
  /** Metres, summed over the WGS-84 geometry's segments (haversine). */
  readonly edgeLength: Float64Array;
  readonly edgeWayId: Float64Array;
  /** Bit EDGE_FORWARD: walkable from edgeFrom to edgeTo; bit EDGE_BACKWARD: the other way. */
  readonly edgeFlags: Uint8Array;
  /** Geometry offsets, edgeCount + 1 entries; an edge's points include both end nodes. */
  readonly edgeGeometryStart: Uint32Array;
  readonly geometryLon: Float64Array;
  readonly geometryLat: Float64Array;

  readonly componentNodeCount: Uint32Array;
  readonly componentLength: Float64Array;

  readonly meta: GraphMeta;
}

export const EDGE_FORWARD = 1;
export const EDGE_BACKWARD = 2;

export interface GraphMeta {
  readonly source: {
    readonly file: string;
    readonly format: string;
    readonly bytes: number;
    readonly sha256: string;
  };
  readonly profileVersion: number;
  readonly createdAt: string;
  readonly bbox: readonly [number, number, number, number];
  readonly totalLengthM: number;
  readonly osm: { readonly nodes: number; readonly ways: number; readonly relations: number };
  /** How many OSM ways each walking-profile verdict covered. */
  readonly wayVerdicts: Readonly<Record<string, number>>;
  /** Node references of walkable ways whose node is absent from the extract (the way is split there). */
  readonly missingNodeRefs: number;
  /** The first of them (at most `MISSING_REF_EXAMPLES`): which way references which absent node. */
  readonly missingNodeRefExamples?: readonly { readonly wayId: number; readonly nodeId: number }[];
  /** True where the graph was made by a synthetic generator (benchmarks), never for real OSM. */
  readonly synthetic?: boolean;
}

/** How many missing node references a graph names one by one (the rest are counted). */
export const MISSING_REF_EXAMPLES = 10;

export function isArcReversed(arcEdgeValue: number): boolean {
  return (arcEdgeValue & 1) === 1;
}

export function arcEdgeIndex(arcEdgeValue: number): number {
  return arcEdgeValue >>> 1;
}

export function canWalkForward(graph: WalkGraph, edge: number): boolean {
  return (graph.edgeFlags[edge] & EDGE_FORWARD) !== 0;
}

export function canWalkBackward(graph: WalkGraph, edge: number): boolean {
  return (graph.edgeFlags[edge] & EDGE_BACKWARD) !== 0;
}

/** Incoming arcs, as a second CSR (for searches on the reversed graph); built once per graph and cached. */
export interface ReverseArcs {
  readonly arcStart: Uint32Array;
  /** The arc's tail (where a forward walk would start). */
  readonly arcTail: Uint32Array;
  readonly arcEdge: Uint32Array;
  readonly arcLength: Float64Array;
}

const reverseCache = new WeakMap<WalkGraph, ReverseArcs>();

export function reverseArcs(graph: WalkGraph): ReverseArcs {
  const cached = reverseCache.get(graph);
  if (cached) return cached;
  const n = graph.nodeCount;
  const m = graph.arcCount;
  const arcStart = new Uint32Array(n + 1);
  for (let a = 0; a < m; a++) arcStart[graph.arcHead[a] + 1]++;
  for (let v = 0; v < n; v++) arcStart[v + 1] += arcStart[v];
  const fill = arcStart.slice(0, n);
  const arcTail = new Uint32Array(m);
  const arcEdge = new Uint32Array(m);
  const arcLength = new Float64Array(m);
  for (let u = 0; u < n; u++) {
    for (let a = graph.arcStart[u]; a < graph.arcStart[u + 1]; a++) {
      const slot = fill[graph.arcHead[a]]++;
      arcTail[slot] = u;
      arcEdge[slot] = graph.arcEdge[a];
      arcLength[slot] = graph.arcLength[a];
    }
  }
  const result = { arcStart, arcTail, arcEdge, arcLength };
  reverseCache.set(graph, result);
  return result;
}
