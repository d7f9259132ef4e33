import { haversineM } from '../geo/index.js';
import { LifeCircleError } from '../errors.js';
import { Growable } from './growable.js';
import { hilbertIndex } from './hilbert.js';
import {
  EDGE_BACKWARD,
  EDGE_FORWARD,
  MISSING_REF_EXAMPLES,
  type GraphMeta,
  type WalkGraph,
} from './graph.js';

/** All nodes of an extract, by OSM id, in typed arrays (24 bytes a node; no per-node objects). */
export class NodeTable {
  readonly ids = new Growable(Float64Array, 1 << 16);
  readonly lon = new Growable(Float64Array, 1 << 16);
  readonly lat = new Growable(Float64Array, 1 << 16);
  private sorted = true;
  private order: Uint32Array | undefined;

  add(id: number, lon: number, lat: number): void {
    if (this.ids.length > 0 && id <= this.ids.get(this.ids.length - 1)) this.sorted = false;
    this.ids.push(id);
    this.lon.push(lon);
    this.lat.push(lat);
  }

  get size(): number {
    return this.ids.length;
  }

  /** True when nodes arrived in ascending id order (as OSM files have them), so slot order is id order. */
  get isSortedById(): boolean {
    return this.sorted;
  }

  /** Index of the node with this OSM id, or -1; OSM files are sorted by id, others get sorted once here. */
  indexOf(id: number): number {
    const ids = this.ids.view();
    if (!this.sorted && !this.order) {
      const order = new Uint32Array(ids.length);
      for (let i = 0; i < order.length; i++) order[i] = i;
      order.sort((a, b) => ids[a] - ids[b]);
      this.order = order;
    }
    const order = this.order;
    let lo = 0;
    let hi = ids.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const at = order ? order[mid] : mid;
      const value = ids[at];
      if (value === id) return at;
      if (value < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }
}

/** The walkable ways of an extract: node references flattened, with per-way direction flags. */
export class WayTable {
  readonly refs = new Growable(Float64Array, 1 << 16);
  readonly start = new Growable(Uint32Array, 1 << 12);
  readonly ids = new Growable(Float64Array, 1 << 12);
  readonly flags = new Growable(Uint8Array, 1 << 12);

  add(id: number, refs: readonly number[], forward: boolean, backward: boolean): void {
    this.start.push(this.refs.length);
    for (const ref of refs) this.refs.push(ref);
    this.ids.push(id);
    this.flags.push((forward ? EDGE_FORWARD : 0) | (backward ? EDGE_BACKWARD : 0));
  }

  get size(): number {
    return this.ids.length;
  }
}

export type GraphMetaInput = Omit<GraphMeta, 'bbox' | 'totalLengthM' | 'missingNodeRefs'>;

/**
 * Turns walkable ways into the compressed walking graph. Graph nodes are kept only where ways meet, end or
 * break (a missing node); everything between becomes edge geometry. Nodes are numbered along a Hilbert curve.
 */
export function buildGraph(
  nodes: NodeTable,
  ways: WayTable,
  metaInput: GraphMetaInput,
  label: string,
): WalkGraph {
  const refCount = ways.refs.length;
  const wayRefs = ways.refs.view();
  const wayStart = ways.start.view();
  const wayCount = ways.size;
  const nodeLonAll = nodes.lon.view();
  const nodeLatAll = nodes.lat.view();
  const nodeIdsAll = nodes.ids.view();

  // 1. Resolve references, then mark graph nodes: the ends of every piece of a way (a run of known nodes with at
  // least two distinct ones; a missing node splits a way) and every node used more than once.
  const refIndex = new Int32Array(refCount);
  const use = new Uint8Array(nodes.size); // 0 unused, 1 interior once, 2 graph node
  let missingNodeRefs = 0;
  const missingNodeRefExamples: { wayId: number; nodeId: number }[] = [];
  const wayOfRef = (r: number): number => {
    // The way whose reference range holds r (binary search over the ways' start offsets).
    let lo = 0;
    let hi = wayCount - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (wayStart[mid] <= r) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  // Consecutive nodes of a way were usually created together and have neighbouring ids: try the slot after
  // (or before) the previous hit before a binary search.
  let previousHit = -1;
  for (let r = 0; r < refCount; r++) {
    const id = wayRefs[r];
    let index: number;
    if (previousHit >= 0 && nodes.isSortedById && nodeIdsAll[previousHit + 1] === id) index = previousHit + 1;
    else if (previousHit > 0 && nodes.isSortedById && nodeIdsAll[previousHit - 1] === id)
      index = previousHit - 1;
    else index = nodes.indexOf(id);
    refIndex[r] = index;
    if (index < 0) {
      missingNodeRefs++;
      if (missingNodeRefExamples.length < MISSING_REF_EXAMPLES)
        missingNodeRefExamples.push({ wayId: Number(ways.ids.view()[wayOfRef(r)]), nodeId: Number(id) });
    } else previousHit = index;
  }
  const markPiece = (first: number, last: number) => {
    // refs first..last are known nodes; consecutive repeats collapse.
    let distinct = 1;
    for (let r = first + 1; r <= last; r++) if (refIndex[r] !== refIndex[r - 1]) distinct++;
    if (distinct < 2) return;
    while (refIndex[last] === refIndex[last - 1]) last--;
    for (let r = first; r <= last; r++) {
      if (r > first && refIndex[r] === refIndex[r - 1]) continue;
      const index = refIndex[r];
      use[index] = r === first || r === last || use[index] >= 1 ? 2 : 1;
    }
  };
  for (let w = 0; w < wayCount; w++) {
    const begin = wayStart[w];
    const end = w + 1 < wayCount ? wayStart[w + 1] : refCount;
    let pieceFirst = -1;
    for (let r = begin; r < end; r++) {
      if (refIndex[r] < 0) {
        if (pieceFirst >= 0) markPiece(pieceFirst, r - 1);
        pieceFirst = -1;
      } else if (pieceFirst < 0) {
        pieceFirst = r;
      }
    }
    if (pieceFirst >= 0) markPiece(pieceFirst, end - 1);
  }

  // 2. Number the graph nodes along a Hilbert curve (ties by OSM id, so numbering is deterministic).
  let minLon = Infinity;
  let minLat = Infinity;
  let maxLon = -Infinity;
  let maxLat = -Infinity;
  const graphNodeTableIndex = new Growable(Uint32Array, 1 << 12);
  for (let i = 0; i < use.length; i++) {
    if (use[i] === 0) continue;
    if (use[i] >= 2) graphNodeTableIndex.push(i);
    const lon = nodeLonAll[i];
    const lat = nodeLatAll[i];
    if (lon < minLon) minLon = lon;
    if (lon > maxLon) maxLon = lon;
    if (lat < minLat) minLat = lat;
    if (lat > maxLat) maxLat = lat;
  }
  const nodeCount = graphNodeTableIndex.length;
  if (nodeCount === 0) {
    throw new LifeCircleError(
      'LC_OSM_NO_WALKABLE_WAYS',
      `${label}: no walkable way with known nodes was found`,
    );
  }
  const tableIndex = graphNodeTableIndex.view();
  const spanLon = Math.max(maxLon - minLon, 1e-9);
  const spanLat = Math.max(maxLat - minLat, 1e-9);
  const curve = new Float64Array(nodeCount);
  for (let k = 0; k < nodeCount; k++) {
    const i = tableIndex[k];
    const x = Math.min(65535, Math.floor(((nodeLonAll[i] - minLon) / spanLon) * 65535));
    const y = Math.min(65535, Math.floor(((nodeLatAll[i] - minLat) / spanLat) * 65535));
    curve[k] = hilbertIndex(x, y);
  }
  const order = new Uint32Array(nodeCount);
  for (let k = 0; k < nodeCount; k++) order[k] = k;
  order.sort((a, b) => curve[a] - curve[b] || nodeIdsAll[tableIndex[a]] - nodeIdsAll[tableIndex[b]]);
  const graphId = new Int32Array(nodes.size).fill(-1);
  const nodeLon = new Float64Array(nodeCount);
  const nodeLat = new Float64Array(nodeCount);
  const nodeOsmId = new Float64Array(nodeCount);
  for (let g = 0; g < nodeCount; g++) {
    const i = tableIndex[order[g]];
    graphId[i] = g;
    nodeLon[g] = nodeLonAll[i];
    nodeLat[g] = nodeLatAll[i];
    nodeOsmId[g] = nodeIdsAll[i];
  }

  // 3. Cut every way at graph nodes into edges, keeping the geometry in between.
  const edgeFrom = new Growable(Uint32Array);
  const edgeTo = new Growable(Uint32Array);
  const edgeLength = new Growable(Float64Array);
  const edgeWayId = new Growable(Float64Array);
  const edgeFlags = new Growable(Uint8Array);
  const geometryStart = new Growable(Uint32Array);
  const geometryLon = new Growable(Float64Array, 1 << 16);
  const geometryLat = new Growable(Float64Array, 1 << 16);
  const wayIds = ways.ids.view();
  const wayFlags = ways.flags.view();
  for (let w = 0; w < wayCount; w++) {
    const begin = wayStart[w];
    const end = w + 1 < wayCount ? wayStart[w + 1] : refCount;
    let from = -1;
    let length = 0;
    let lastIndex = -1;
    let pieceStart = geometryLon.length;
    for (let r = begin; r < end; r++) {
      const index = refIndex[r];
      if (index < 0) {
        // A break: drop the unfinished piece (its start was a graph node, its end is unknown).
        geometryLon.length = pieceStart;
        geometryLat.length = pieceStart;
        from = -1;
        lastIndex = -1;
        continue;
      }
      if (index === lastIndex) continue; // repeated node: zero-length segment
      const lon = nodeLonAll[index];
      const lat = nodeLatAll[index];
      if (from < 0) {
        from = graphId[index];
        length = 0;
        pieceStart = geometryLon.length;
      } else {
        length += haversineM(nodeLonAll[lastIndex], nodeLatAll[lastIndex], lon, lat);
      }
      geometryLon.push(lon);
      geometryLat.push(lat);
      lastIndex = index;
      const g = graphId[index];
      if (g >= 0 && geometryLon.length - pieceStart >= 2) {
        edgeFrom.push(from);
        edgeTo.push(g);
        edgeLength.push(length);
        edgeWayId.push(wayIds[w]);
        edgeFlags.push(wayFlags[w]);
        geometryStart.push(pieceStart);
        // The end node starts the next piece.
        from = g;
        length = 0;
        pieceStart = geometryLon.length;
        geometryLon.push(lon);
        geometryLat.push(lat);
      }
    }
    geometryLon.length = pieceStart; // drop the trailing single point
    geometryLat.length = pieceStart;
  }
  const edgeCount = edgeFrom.length;
  if (edgeCount === 0) {
    throw new LifeCircleError(
      'LC_OSM_NO_WALKABLE_WAYS',
      `${label}: the walkable ways form no edge (every way has fewer than two known nodes)`,
    );
  }
  geometryStart.push(geometryLon.length);

  // 4. Arcs in CSR order.
  const from = edgeFrom.toArray();
  const to = edgeTo.toArray();
  const lengths = edgeLength.toArray();
  const flags = edgeFlags.toArray();
  const arcStart = new Uint32Array(nodeCount + 1);
  for (let e = 0; e < edgeCount; e++) {
    if (flags[e] & EDGE_FORWARD) arcStart[from[e] + 1]++;
    if (flags[e] & EDGE_BACKWARD) arcStart[to[e] + 1]++;
  }
  for (let v = 0; v < nodeCount; v++) arcStart[v + 1] += arcStart[v];
  const arcCount = arcStart[nodeCount];
  const fill = arcStart.slice(0, nodeCount);
  const arcHead = new Uint32Array(arcCount);
  const arcEdge = new Uint32Array(arcCount);
  const arcLength = new Float64Array(arcCount);
  for (let e = 0; e < edgeCount; e++) {
    if (flags[e] & EDGE_FORWARD) {
      const a = fill[from[e]]++;
      arcHead[a] = to[e];
      arcEdge[a] = e << 1;
      arcLength[a] = lengths[e];
    }
    if (flags[e] & EDGE_BACKWARD) {
      const a = fill[to[e]]++;
      arcHead[a] = from[e];
      arcEdge[a] = (e << 1) | 1;
      arcLength[a] = lengths[e];
    }
  }

  const components = labelComponents(nodeCount, from, to, lengths);
  let totalLengthM = 0;
  for (let e = 0; e < edgeCount; e++) totalLengthM += lengths[e];
  const geometryLonArray = geometryLon.toArray();
  return {
    nodeCount,
    edgeCount,
    arcCount,
    geometryPointCount: geometryLonArray.length,
    componentCount: components.componentNodeCount.length,
    nodeLon,
    nodeLat,
    nodeOsmId,
    nodeComponent: components.nodeComponent,
    arcStart,
    arcHead,
    arcEdge,
    arcLength,
    edgeFrom: from,
    edgeTo: to,
    edgeLength: lengths,
    edgeWayId: edgeWayId.toArray(),
    edgeFlags: flags,
    edgeGeometryStart: geometryStart.toArray(),
    geometryLon: geometryLonArray,
    geometryLat: geometryLat.toArray(),
    componentNodeCount: components.componentNodeCount,
    componentLength: components.componentLength,
    meta: {
      ...metaInput,
      bbox: [minLon, minLat, maxLon, maxLat],
      totalLengthM,
      missingNodeRefs,
      missingNodeRefExamples,
    },
  };
}

/**
 * Weakly connected components by union–find, numbered by size (0 = most nodes; ties by lowest node id), so a
 * component's number says at a glance whether it is the main network.
 */
export function labelComponents(
  nodeCount: number,
  edgeFrom: Uint32Array,
  edgeTo: Uint32Array,
  edgeLength: Float64Array,
): { nodeComponent: Uint32Array; componentNodeCount: Uint32Array; componentLength: Float64Array } {
  const parent = new Uint32Array(nodeCount);
  for (let i = 0; i < nodeCount; i++) parent[i] = i;
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  };
  for (let e = 0; e < edgeFrom.length; e++) {
    const a = find(edgeFrom[e]);
    const b = find(edgeTo[e]);
    if (a !== b) {
      if (a < b) parent[b] = a;
      else parent[a] = b;
    }
  }
  const rootSize = new Uint32Array(nodeCount);
  for (let i = 0; i < nodeCount; i++) rootSize[find(i)]++;
  const roots: number[] = [];
  for (let i = 0; i < nodeCount; i++) if (parent[i] === i) roots.push(i);
  roots.sort((a, b) => rootSize[b] - rootSize[a] || a - b);
  const label = new Uint32Array(nodeCount);
  roots.forEach((root, k) => (label[root] = k));
  const nodeComponent = new Uint32Array(nodeCount);
  const componentNodeCount = new Uint32Array(roots.length);
  for (let i = 0; i < nodeCount; i++) {
    const c = label[find(i)];
    nodeComponent[i] = c;
    componentNodeCount[c]++;
  }
  const componentLength = new Float64Array(roots.length);
  for (let e = 0; e < edgeFrom.length; e++) componentLength[nodeComponent[edgeFrom[e]]] += edgeLength[e];
  return { nodeComponent, componentNodeCount, componentLength };
}
