import { readOsm } from '../osm/index.js';
import { haversineM } from '../geo/index.js';
import { classifyWay } from './walk-profile.js';

/**
 * An independent reference for tests: the uncompressed network straight from the OSM file (every OSM node a
 * vertex, every segment an edge), in plain Maps and arrays, and a textbook Dijkstra over it. It shares only
 * the tag rules (tested on their own) and the haversine formula with the engine.
 */
export interface ReferenceNetwork {
  readonly adjacency: Map<number, { to: number; length: number }[]>;
  readonly coordinates: Map<number, [number, number]>;
  readonly idAt: Map<string, number>;
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
      if (way.forward) link(way.refs[i], way.refs[i + 1], length);
      if (way.backward) link(way.refs[i + 1], way.refs[i], length);
    }
  }
  const idAt = new Map<string, number>();
  for (const [id, [lon, lat]] of coordinates) idAt.set(`${lon},${lat}`, id);
  return { adjacency, coordinates, idAt };
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
