import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { EDGE_BACKWARD, EDGE_FORWARD, type WalkGraph } from '../src/network/index.js';
import type { W1Workload } from './workload.js';

/**
 * The graph every peer sees: our graph with each community and facility inserted as a node that splits its edge,
 * so that node-to-node searches in the peers answer exactly the point-to-point question our engine answers.
 * Segment lengths are differences of offsets along the edge, so sums match ours to rounding.
 */
export interface PeerGraph {
  readonly nodeCount: number;
  readonly segmentCount: number;
  /** Segment ends; the segment may be walked u→v when flags & 1, v→u when flags & 2 (as EDGE_FORWARD/BACKWARD). */
  readonly u: Int32Array;
  readonly v: Int32Array;
  readonly length: Float64Array;
  readonly flags: Uint8Array;
  readonly communityNode: Int32Array;
  readonly facilityNode: readonly Int32Array[];
}

export function splitForPeers(graph: WalkGraph, workload: W1Workload): PeerGraph {
  const points: { edge: number; offsetM: number }[] = [...workload.communities];
  for (const t of workload.types) points.push(...t.facilities);
  const n = graph.nodeCount;
  // Points grouped by edge, each group sorted along the edge (ties by point index, so output is deterministic).
  const start = new Uint32Array(graph.edgeCount + 1);
  for (const p of points) start[p.edge + 1]++;
  for (let e = 0; e < graph.edgeCount; e++) start[e + 1] += start[e];
  const fill = start.slice(0, graph.edgeCount);
  const order = new Uint32Array(points.length);
  points.forEach((p, i) => (order[fill[p.edge]++] = i));
  const segmentCount = graph.edgeCount + points.length;
  const u = new Int32Array(segmentCount);
  const v = new Int32Array(segmentCount);
  const length = new Float64Array(segmentCount);
  const flags = new Uint8Array(segmentCount);
  let s = 0;
  for (let e = 0; e < graph.edgeCount; e++) {
    const group = Array.from(order.subarray(start[e], start[e + 1]));
    group.sort((a, b) => points[a].offsetM - points[b].offsetM || a - b);
    let previousNode = graph.edgeFrom[e];
    let previousOffset = 0;
    for (const i of group) {
      u[s] = previousNode;
      v[s] = n + i;
      length[s] = points[i].offsetM - previousOffset;
      flags[s] = graph.edgeFlags[e];
      s++;
      previousNode = n + i;
      previousOffset = points[i].offsetM;
    }
    u[s] = previousNode;
    v[s] = graph.edgeTo[e];
    length[s] = graph.edgeLength[e] - previousOffset;
    flags[s] = graph.edgeFlags[e];
    s++;
  }
  const communityNode = new Int32Array(workload.communities.length);
  for (let c = 0; c < communityNode.length; c++) communityNode[c] = n + c;
  let next = n + workload.communities.length;
  const facilityNode = workload.types.map((t) => {
    const nodes = new Int32Array(t.facilities.length);
    for (let f = 0; f < nodes.length; f++) nodes[f] = next++;
    return nodes;
  });
  return {
    nodeCount: n + points.length,
    segmentCount,
    u,
    v,
    length,
    flags,
    communityNode,
    facilityNode,
  };
}

/** How W1 counts facilities within radius: search from the smaller side, as computeReach's 'auto' does. */
export function countSide(workload: W1Workload): 'from-facilities' | 'from-communities' {
  const facilities = workload.types.reduce((n, t) => n + t.facilities.length, 0);
  return facilities <= workload.communities.length ? 'from-facilities' : 'from-communities';
}

/**
 * Writes the peers' input: `<prefix>.json` (node ids of points, types, radii, cap) and `<prefix>.bin`
 * (little-endian u:int32[m], v:int32[m], length:float64[m], flags:uint8[m]).
 */
export function writePeerInput(prefix: string, peer: PeerGraph, workload: W1Workload): void {
  const m = peer.segmentCount;
  const bytes = Buffer.alloc(m * 17);
  Buffer.from(peer.u.buffer, peer.u.byteOffset, m * 4).copy(bytes, 0);
  Buffer.from(peer.v.buffer, peer.v.byteOffset, m * 4).copy(bytes, m * 4);
  Buffer.from(peer.length.buffer, peer.length.byteOffset, m * 8).copy(bytes, m * 8);
  Buffer.from(peer.flags.buffer, peer.flags.byteOffset, m).copy(bytes, m * 16);
  writeFileSync(`${prefix}.bin`, bytes);
  writeFileSync(
    `${prefix}.json`,
    JSON.stringify({
      network: workload.network,
      nodeCount: peer.nodeCount,
      segmentCount: m,
      forwardFlag: EDGE_FORWARD,
      backwardFlag: EDGE_BACKWARD,
      maxDistanceM: workload.maxDistanceM,
      countSide: countSide(workload),
      communities: Array.from(peer.communityNode),
      types: workload.types.map((t, i) => ({
        id: t.id,
        radiusM: t.radiusM,
        facilities: Array.from(peer.facilityNode[i]),
      })),
    }),
  );
}

/**
 * Writes the segments as CSV for PostgreSQL COPY: id,source,target,cost,reverse_cost (−1 = not walkable).
 * Vertex ids are shifted by +1 (pgRouting ids are positive); written in chunks, as big graphs exceed a JS string.
 */
export function writePeerEdgesCsv(path: string, peer: PeerGraph): void {
  const fd = openSync(path, 'w');
  try {
    let lines: string[] = [];
    for (let s = 0; s < peer.segmentCount; s++) {
      const f = peer.flags[s];
      const cost = f & EDGE_FORWARD ? peer.length[s] : -1;
      const reverse = f & EDGE_BACKWARD ? peer.length[s] : -1;
      lines.push(`${s + 1},${peer.u[s] + 1},${peer.v[s] + 1},${cost},${reverse}`);
      if (lines.length === 100_000) {
        writeSync(fd, lines.join('\n') + '\n');
        lines = [];
      }
    }
    if (lines.length > 0) writeSync(fd, lines.join('\n') + '\n');
  } finally {
    closeSync(fd);
  }
}
