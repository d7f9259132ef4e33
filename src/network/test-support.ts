import { readOsm } from '../osm/index.js';
import { haversineM } from '../geo/index.js';
import { classifyWay } from './walk-profile.js';
import type { WalkGraph } from './graph.js';
import type { NetworkLocation } from './search.js';

/**
 * An independent reference for tests: the uncompressed network straight from the OSM file (every OSM node a
 * vertex, every segment an edge), in plain Maps and arrays, and a textbook Dijkstra over it. It shares only
 * the tag rules (tested on their own) and the haversine formula with the engine.
 */
export interface ReferenceNetwork {
  readonly adjacency: Map<number, { to: number; length: number }[]>;
  readonly coordinates: Map<number, [number, number]>;
  readonly idAt: Map<string, number>;
  /** Every segment of every walkable way once, [a, b, metres] (a segment two ways share is listed twice). */
  readonly segments: [number, number, number][];
}

export async function loadReferenceNetwork(path: string): Promise<ReferenceNetwork> {
  const coordinates = new Map<number, [number, number]>();
  const ways: { refs: readonly number[]; forward: boolean; backward: boolean }[] = [];
  await readOsm(path, {
    node: (n) => void coordinates.set(n.id, [n.lon, n.lat]),
    way: (w) => {
      const c = classifyWay(w.tags);
      if (c.verdict === 'walkable') ways.push({ refs: w.refs, forward: c.forward, backward: c.backward });
    },
  });
  const adjacency = new Map<number, { to: number; length: number }[]>();
  const segments: [number, number, number][] = [];
  const link = (a: number, b: number, length: number) => {
    const list = adjacency.get(a) ?? [];
    list.push({ to: b, length });
    adjacency.set(a, list);
  };
  for (const way of ways) {
    for (let i = 0; i + 1 < way.refs.length; i++) {
      const a = coordinates.get(way.refs[i]);
      const b = coordinates.get(way.refs[i + 1]);
      if (!a || !b || way.refs[i] === way.refs[i + 1]) continue;
      const length = haversineM(a[0], a[1], b[0], b[1]);
      segments.push([way.refs[i], way.refs[i + 1], length]);
      if (way.forward) link(way.refs[i], way.refs[i + 1], length);
      if (way.backward) link(way.refs[i + 1], way.refs[i], length);
    }
  }
  const idAt = new Map<string, number>();
  for (const [id, [lon, lat]] of coordinates) idAt.set(`${lon},${lat}`, id);
  return { adjacency, coordinates, idAt, segments };
}

/** Textbook Dijkstra with a simple array-backed binary heap; vertices are any numbers (OSM ids, or negative for virtual ones). */
export function referenceDijkstra(
  adjacency: Map<number, { to: number; length: number }[]>,
  sources: Map<number, number>,
): Map<number, number> {
  const distance = new Map<number, number>();
  const heap: [number, number][] = [];
  const push = (item: [number, number]) => {
    heap.push(item);
    let i = heap.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (heap[p][0] <= heap[i][0]) break;
      [heap[p], heap[i]] = [heap[i], heap[p]];
      i = p;
    }
  };
  const pop = (): [number, number] => {
    const top = heap[0];
    const last = heap.pop() as [number, number];
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && heap[l][0] < heap[m][0]) m = l;
        if (r < heap.length && heap[r][0] < heap[m][0]) m = r;
        if (m === i) break;
        [heap[m], heap[i]] = [heap[i], heap[m]];
        i = m;
      }
    }
    return top;
  };
  for (const [vertex, d] of sources) push([d, vertex]);
  const done = new Set<number>();
  while (heap.length > 0) {
    const [d, v] = pop();
    if (done.has(v)) continue;
    done.add(v);
    distance.set(v, d);
    for (const { to, length } of adjacency.get(v) ?? []) if (!done.has(to)) push([d + length, to]);
  }
  return distance;
}

/**
 * Splices points on edges into a copy of the reference network as virtual vertices −1, −2, … (point i is
 * vertex −(i + 1)), each splitting the OSM segment it lies on. Several points on one segment are chained in
 * order of their offsets, so a walk between two of them goes straight along the segment where the way allows.
 */
export function withVirtualPoints(
  graph: WalkGraph,
  ref: ReferenceNetwork,
  points: readonly NetworkLocation[],
): Map<number, { to: number; length: number }[]> {
  const adjacency = new Map([...ref.adjacency].map(([v, list]) => [v, [...list]]));
  const bySegment = new Map<string, { a: number; b: number; length: number; at: [number, number][] }>();
  points.forEach((point, i) => {
    const ids: number[] = [];
    for (let p = graph.edgeGeometryStart[point.edge]; p < graph.edgeGeometryStart[point.edge + 1]; p++) {
      const id = ref.idAt.get(`${graph.geometryLon[p]},${graph.geometryLat[p]}`);
      if (id === undefined) throw new Error(`geometry point ${p} is no OSM node`);
      ids.push(id);
    }
    // Walk the geometry to the segment holding the offset (the last one takes any rounding excess).
    let walked = 0;
    for (let k = 0; k + 1 < ids.length; k++) {
      const [lon0, lat0] = ref.coordinates.get(ids[k]) as [number, number];
      const [lon1, lat1] = ref.coordinates.get(ids[k + 1]) as [number, number];
      const length = haversineM(lon0, lat0, lon1, lat1);
      if (point.offsetM <= walked + length || k + 2 === ids.length) {
        const key = `${ids[k]},${ids[k + 1]}`;
        const entry = bySegment.get(key) ?? { a: ids[k], b: ids[k + 1], length, at: [] };
        entry.at.push([point.offsetM - walked, -(i + 1)]);
        bySegment.set(key, entry);
        return;
      }
      walked += length;
    }
  });
  const link = (from: number, to: number, length: number) => {
    const list = adjacency.get(from) ?? [];
    list.push({ to, length });
    adjacency.set(from, list);
  };
  for (const { a, b, length, at } of bySegment.values()) {
    const forward = (ref.adjacency.get(a) ?? []).some((x) => x.to === b);
    const backward = (ref.adjacency.get(b) ?? []).some((x) => x.to === a);
    const chain: [number, number][] = [[0, a], ...at.sort((x, y) => x[0] - y[0]), [length, b]];
    for (let k = 0; k + 1 < chain.length; k++) {
      const [s0, v0] = chain[k];
      const [s1, v1] = chain[k + 1];
      if (forward) link(v0, v1, s1 - s0);
      if (backward) link(v1, v0, s1 - s0);
    }
  }
  return adjacency;
}

/**
 * Great-circle metres by the Vincenty (atan2) form on the same sphere: a formula independent of the engine's
 * haversine, to check that a fixture's hand-stated lengths are true lengths and not just what the code computes.
 */
export function sphericalArcM(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const rad = Math.PI / 180;
  const [p1, p2, dl] = [lat1 * rad, lat2 * rad, (lon2 - lon1) * rad];
  const y = Math.hypot(
    Math.cos(p2) * Math.sin(dl),
    Math.cos(p1) * Math.sin(p2) - Math.sin(p1) * Math.cos(p2) * Math.cos(dl),
  );
  const x = Math.sin(p1) * Math.sin(p2) + Math.cos(p1) * Math.cos(p2) * Math.cos(dl);
  return 6371008.8 * Math.atan2(y, x);
}

/** The edge running from OSM node a to OSM node b (as the way is drawn). */
export function edgeBetween(graph: WalkGraph, a: number, b: number): number {
  for (let e = 0; e < graph.edgeCount; e++) {
    if (graph.nodeOsmId[graph.edgeFrom[e]] === a && graph.nodeOsmId[graph.edgeTo[e]] === b) return e;
  }
  throw new Error(`no edge ${a}→${b}`);
}

/** Graph node of an OSM node id. */
export function nodeOf(graph: WalkGraph, osmId: number): number {
  const node = graph.nodeOsmId.indexOf(osmId);
  if (node < 0) throw new Error(`OSM node ${osmId} is no graph node`);
  return node;
}
