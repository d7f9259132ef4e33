import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importOsmNetwork } from './import-osm.js';
import { EdgeIndex, isSnapped, type SnappedPoint } from './snap.js';
import { LocationsByEdge, NetworkSearch, TargetHits, type NetworkLocation } from './search.js';
import { loadReferenceNetwork, referenceDijkstra, withVirtualPoints } from './test-support.js';

const CHENGDU = 'data/chengdu-central/chengdu-central-2018.osm';
const RULES = 'src/network/fixtures/rules.osm';
const TOLERANCE_M = 0.01;

/** A small deterministic PRNG (mulberry32) so the random pairs are the same on every run. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const chengdu = importOsmNetwork(CHENGDU);
const reference = loadReferenceNetwork(CHENGDU);

test('single-source distances equal an independent Dijkstra on the uncompressed OSM network (300 pairs)', async () => {
  const graph = await chengdu;
  const ref = await reference;
  const search = new NetworkSearch(graph, 'from-sources');
  const next = random(42);
  let compared = 0;
  for (let s = 0; s < 30; s++) {
    const source = Math.floor(next() * graph.nodeCount);
    const expected = referenceDijkstra(ref.adjacency, new Map([[graph.nodeOsmId[source], 0]]));
    search.runFromNodes([source]);
    for (let k = 0; k < 10; k++) {
      const target = Math.floor(next() * graph.nodeCount);
      const want = expected.get(graph.nodeOsmId[target]) ?? Infinity;
      const got = search.distanceToNode(target);
      if (want === Infinity) assert.equal(got, Infinity);
      else assert.ok(Math.abs(got - want) <= TOLERANCE_M, `node ${source} → ${target}: ${got} vs ${want}`);
      compared++;
    }
  }
  assert.equal(compared, 300);
});

test('a bounded search reaches exactly the nodes within the limit, at the same distances', async () => {
  const graph = await chengdu;
  const ref = await reference;
  const search = new NetworkSearch(graph, 'from-sources');
  const next = random(7);
  for (let s = 0; s < 10; s++) {
    const source = Math.floor(next() * graph.nodeCount);
    const limit = 300 + next() * 1700;
    search.runFromNodes([source], limit);
    const expected = referenceDijkstra(ref.adjacency, new Map([[graph.nodeOsmId[source], 0]]));
    let inside = 0;
    let onTheEdge = 0;
    for (let v = 0; v < graph.nodeCount; v++) {
      const want = expected.get(graph.nodeOsmId[v]) ?? Infinity;
      const got = search.distanceToNode(v);
      if (want <= limit - TOLERANCE_M) {
        inside++;
        assert.ok(Math.abs(got - want) <= TOLERANCE_M);
      } else if (want > limit + TOLERANCE_M) {
        assert.equal(got, Infinity);
      } else onTheEdge++;
    }
    // reached() lists exactly the nodes with a distance, each within the limit.
    const reached = [...search.reached()];
    assert.ok(reached.every((v) => search.distanceToNode(v) <= limit));
    assert.equal(new Set(reached).size, reached.length, 'no node is listed twice');
    assert.ok(
      reached.length >= inside && reached.length <= inside + onTheEdge,
      `${reached.length} reached, ${inside} within the limit by the reference`,
    );
  }
});

test('a multi-source search gives every node the distance to its nearest source, and which one', async () => {
  const graph = await chengdu;
  const ref = await reference;
  const next = random(99);
  const sources = Array.from({ length: 6 }, () => Math.floor(next() * graph.nodeCount));
  const perSource = sources.map((s) => referenceDijkstra(ref.adjacency, new Map([[graph.nodeOsmId[s], 0]])));
  const search = new NetworkSearch(graph, 'from-sources');
  search.runFromNodes(sources, 2000);
  for (let v = 0; v < graph.nodeCount; v++) {
    const id = graph.nodeOsmId[v];
    const want = Math.min(...perSource.map((d) => d.get(id) ?? Infinity));
    const got = search.distanceToNode(v);
    if (want > 2000 + TOLERANCE_M) {
      assert.equal(got, Infinity);
      continue;
    }
    if (want > 2000 - TOLERANCE_M) continue;
    assert.ok(Math.abs(got - want) <= TOLERANCE_M);
    const origin = search.originOfNode(v);
    assert.ok(
      Math.abs((perSource[origin].get(id) ?? Infinity) - want) <= TOLERANCE_M,
      'the origin is a nearest source',
    );
  }
});

test('point-to-point distances from snapped points equal the reference with the points spliced in', async () => {
  const graph = await chengdu;
  const ref = await reference;
  const index = new EdgeIndex(graph);
  const [minLon, minLat, maxLon, maxLat] = [104.045, 30.655, 104.125, 30.725];
  const next = random(2024);
  const points: SnappedPoint[] = [];
  while (points.length < 12) {
    const snapped = index.snap(minLon + next() * (maxLon - minLon), minLat + next() * (maxLat - minLat));
    if (isSnapped(snapped)) points.push(snapped);
  }
  const search = new NetworkSearch(graph, 'from-sources');
  for (let i = 0; i < points.length; i++) {
    search.run([points[i]], 3000);
    for (let j = 0; j < points.length; j++) {
      const adjacency = withVirtualPoints(graph, ref, [points[i], points[j]]);
      const want = i === j ? 0 : (referenceDijkstra(adjacency, new Map([[-1, 0]])).get(-2) ?? Infinity);
      const got = search.distanceToLocation(points[j].edge, points[j].offsetM);
      if (want > 3000 + TOLERANCE_M) assert.equal(got, Infinity);
      else if (want < 3000 - TOLERANCE_M)
        assert.ok(Math.abs(got - want) <= TOLERANCE_M, `${i} → ${j}: ${got} vs ${want}`);
    }
  }
});

test('collectTargets finds exactly the targets within the limit, at the distances distanceToLocation gives', async () => {
  const graph = await chengdu;
  const index = new EdgeIndex(graph);
  const next = random(5);
  const targets: (NetworkLocation | undefined)[] = [];
  for (let i = 0; i < 400; i++) {
    const s = index.snap(104.045 + next() * 0.08, 30.655 + next() * 0.07);
    targets.push(isSnapped(s) ? s : undefined);
  }
  const byEdge = new LocationsByEdge(graph, targets);
  const hits = new TargetHits(targets.length);
  for (const direction of ['from-sources', 'to-sources'] as const) {
    const search = new NetworkSearch(graph, direction);
    for (let k = 0; k < 20; k++) {
      const source = targets[k];
      if (!source) continue;
      search.run([source], 800);
      const found = search.collectTargets(byEdge, hits);
      const got = new Map<number, number>();
      for (let h = 0; h < found; h++) got.set(hits.targets[h], hits.distances[h]);
      targets.forEach((t, i) => {
        const want = t ? search.distanceToLocation(t.edge, t.offsetM) : Infinity;
        if (want === Infinity) assert.ok(!got.has(i), `target ${i} beyond the limit`);
        else assert.ok(Math.abs((got.get(i) ?? NaN) - want) < 1e-9, `target ${i}: ${got.get(i)} vs ${want}`);
      });
    }
  }
});

test('on one edge: both directions, both points on the same edge, and oneway:foot', async () => {
  const graph = await importOsmNetwork(RULES);
  const index = new EdgeIndex(graph);
  const edgeOf = (a: number, b: number) => {
    for (let e = 0; e < graph.edgeCount; e++) {
      if (graph.nodeOsmId[graph.edgeFrom[e]] === a && graph.nodeOsmId[graph.edgeTo[e]] === b) return e;
    }
    throw new Error(`no edge ${a}→${b}`);
  };
  const street = edgeOf(1, 2);
  const a = { edge: street, offsetM: 20 };
  const b = { edge: street, offsetM: 70 };
  for (const direction of ['from-sources', 'to-sources'] as const) {
    const search = new NetworkSearch(graph, direction);
    search.run([a]);
    assert.equal(search.distanceToLocation(b.edge, b.offsetM), 50);
    search.run([b]);
    assert.equal(search.distanceToLocation(a.edge, a.offsetM), 50);
  }
  // On the one-way path 4→5 a pedestrian may walk forwards only, and node 5 is a dead end.
  const path = edgeOf(4, 5);
  const length = graph.edgeLength[path];
  const c = { edge: path, offsetM: length / 3 };
  const d = { edge: path, offsetM: (2 * length) / 3 };
  const forward = new NetworkSearch(graph, 'from-sources');
  forward.run([c]);
  assert.ok(Math.abs(forward.distanceToLocation(d.edge, d.offsetM) - length / 3) < 1e-9);
  forward.run([d]);
  assert.equal(forward.distanceToLocation(c.edge, c.offsetM), Infinity);
  // to-sources asks the other question: from where can one walk to d? From c, length/3 away.
  const backward = new NetworkSearch(graph, 'to-sources');
  backward.run([d]);
  assert.ok(Math.abs(backward.distanceToLocation(c.edge, c.offsetM) - length / 3) < 1e-9);
  // A point next to node 1 walks to the path through 1→2→(footway)→4.
  const near1 = index.snap(104.0001, 30.0, { minComponentNodes: 1 });
  assert.ok(isSnapped(near1));
  forward.run([near1]);
  const footway = graph.edgeLength[edgeOf(2, 4)];
  assert.equal(near1.edge, street);
  const viaStreet = graph.edgeLength[street] - near1.offsetM + footway + length / 3;
  assert.ok(Math.abs(forward.distanceToLocation(c.edge, c.offsetM) - viaStreet) < 1e-9);
});

test('searches are deterministic: the same run twice gives identical distances and origins', async () => {
  const graph = await chengdu;
  const next = random(3);
  const sources = Array.from({ length: 20 }, () => Math.floor(next() * graph.nodeCount));
  const once = new NetworkSearch(graph);
  once.runFromNodes(sources, 1500);
  const first = Array.from({ length: graph.nodeCount }, (_, v) => [
    once.distanceToNode(v),
    once.originOfNode(v),
  ]);
  once.runFromNodes(sources, 1500);
  const second = Array.from({ length: graph.nodeCount }, (_, v) => [
    once.distanceToNode(v),
    once.originOfNode(v),
  ]);
  assert.deepEqual(first, second);
});
