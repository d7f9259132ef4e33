import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importOsmNetwork } from './import-osm.js';
import { EdgeIndex, isSnapped } from './snap.js';
import { isochrone } from './isochrone.js';
import { LocationsByEdge, NetworkSearch, TargetHits, type NetworkLocation } from './search.js';
import {
  edgeBetween,
  loadReferenceNetwork,
  nodeOf,
  referenceDijkstra,
  sphericalArcM,
} from './test-support.js';

// Boundaries on whole metres: every edge of this star is an exact whole number of metres, so "exactly at the
// limit" is exact in floating point (sums of integers below 2^53 are exact) and cannot be blurred by rounding.
const STAR = 'src/network/fixtures/whole-metre-star.osm';
const star = importOsmNetwork(STAR);
const starReference = loadReferenceNetwork(STAR);
const SNAP = { minComponentNodes: 1 };

/** [from, to, metres]: the star's edges as the ways are drawn (fixtures/README.md). */
const EDGES: [number, number, number][] = [
  [1, 6, 500],
  [2, 3, 200],
  [1, 2, 300],
  [4, 5, 200],
  [1, 4, 301],
];
/** Walking metres from node 1, worked by hand from EDGES. */
const FROM_CENTRE = new Map([
  [1, 0],
  [2, 300],
  [3, 500],
  [4, 301],
  [5, 501],
  [6, 500],
]);

test('the star fixture stores exactly the whole-metre lengths it states, and they are true great-circle lengths', async () => {
  const graph = await star;
  assert.equal(graph.edgeCount, EDGES.length);
  for (const [a, b, metres] of EDGES) {
    const e = edgeBetween(graph, a, b);
    assert.equal(graph.edgeLength[e], metres, `edge ${a}→${b}`);
    const from = nodeOf(graph, a);
    const to = nodeOf(graph, b);
    const independent = sphericalArcM(
      graph.nodeLon[from],
      graph.nodeLat[from],
      graph.nodeLon[to],
      graph.nodeLat[to],
    );
    assert.ok(Math.abs(independent - metres) < 1e-6, `edge ${a}→${b}: ${independent} m`);
  }
});

test('a node exactly at the search limit is reached; one 1 m beyond it is not (both directions)', async () => {
  const graph = await star;
  const centre = nodeOf(graph, 1);
  for (const direction of ['from-sources', 'to-sources'] as const) {
    const search = new NetworkSearch(graph, direction);
    for (const limit of [0, 299, 300, 301, 499, 500, 501, Infinity]) {
      search.runFromNodes([centre], limit);
      for (const [id, metres] of FROM_CENTRE) {
        const want = metres <= limit ? metres : Infinity;
        assert.equal(
          search.distanceToNode(nodeOf(graph, id)),
          want,
          `${direction}, limit ${limit}, node ${id}`,
        );
      }
      const reached = [...search.reached()].map((v) => graph.nodeOsmId[v]).sort((a, b) => a - b);
      const within = [...FROM_CENTRE].filter(([, m]) => m <= limit).map(([id]) => id);
      assert.deepEqual(reached, within, `${direction}, limit ${limit}: reached nodes`);
    }
  }
});

test('at the limit the bounded search agrees exactly with the reference Dijkstra on the star', async () => {
  const graph = await star;
  const ref = await starReference;
  const search = new NetworkSearch(graph, 'from-sources');
  for (const [sourceId] of FROM_CENTRE) {
    const expected = referenceDijkstra(ref.adjacency, new Map([[sourceId, 0]]));
    // Every reference distance is a limit to try, with 1 m below and above it.
    const limits = [...expected.values()].flatMap((d) => [d - 1, d, d + 1]).filter((d) => d >= 0);
    for (const limit of limits) {
      search.runFromNodes([nodeOf(graph, sourceId)], limit);
      for (const [id] of FROM_CENTRE) {
        const want = expected.get(id) ?? Infinity;
        const got = search.distanceToNode(nodeOf(graph, id));
        assert.equal(got, want <= limit ? want : Infinity, `from ${sourceId}, limit ${limit}, node ${id}`);
      }
    }
  }
});

test('located sources and targets: exactly at the limit is found, 1 m beyond is not (distanceToLocation and collectTargets)', async () => {
  const graph = await star;
  const e16 = edgeBetween(graph, 1, 6);
  const e23 = edgeBetween(graph, 2, 3);
  const e12 = edgeBetween(graph, 1, 2);
  const e45 = edgeBetween(graph, 4, 5);
  // The source sits on node 1 as the start of edge 1→6.
  const source: NetworkLocation = { edge: e16, offsetM: 0 };
  // Targets and their walking metres from the source, by hand.
  const targets: [NetworkLocation, number][] = [
    [{ edge: e23, offsetM: 0 }, 300], // node 2, reached only through the step 1 → 2
    [{ edge: e12, offsetM: 300 }, 300], // node 2 again, as the end of 1→2
    [{ edge: e45, offsetM: 0 }, 301], // node 4
    [{ edge: e23, offsetM: 150 }, 450],
    [{ edge: e23, offsetM: 151 }, 451],
    [{ edge: e16, offsetM: 500 }, 500], // node 6, on the source's own edge
    [{ edge: e23, offsetM: 200 }, 500], // node 3, two steps away
    [{ edge: e45, offsetM: 200 }, 501], // node 5
  ];
  const byEdge = new LocationsByEdge(
    graph,
    targets.map(([t]) => t),
  );
  const hits = new TargetHits(targets.length);
  for (const direction of ['from-sources', 'to-sources'] as const) {
    const search = new NetworkSearch(graph, direction);
    for (const limit of [299, 300, 301, 449, 450, 451, 500, 501]) {
      search.run([source], limit);
      const want = new Map<number, number>();
      targets.forEach(([t, metres], i) => {
        const expected = metres <= limit ? metres : Infinity;
        assert.equal(
          search.distanceToLocation(t.edge, t.offsetM),
          expected,
          `${direction} ${limit} target ${i}`,
        );
        assert.equal(search.lastOrigin, expected === Infinity ? -1 : 0);
        if (expected !== Infinity) want.set(i, expected);
      });
      const found = search.collectTargets(byEdge, hits);
      const got = new Map<number, number>();
      for (let h = 0; h < found; h++) got.set(hits.targets[h], hits.distances[h]);
      assert.deepEqual(
        [...got].sort((a, b) => a[0] - b[0]),
        [...want].sort((a, b) => a[0] - b[0]),
        `${direction}, limit ${limit}: collectTargets`,
      );
    }
  }
});

test('a source seeded exactly at the limit from its edge end reaches that end, not beyond', async () => {
  const graph = await star;
  const e12 = edgeBetween(graph, 1, 2);
  const e23 = edgeBetween(graph, 2, 3);
  const search = new NetworkSearch(graph, 'from-sources');
  // From 100 m along 1→2: node 1 is 100 m away, node 2 200 m.
  search.run([{ edge: e12, offsetM: 100 }], 200);
  assert.equal(search.distanceToNode(nodeOf(graph, 2)), 200);
  assert.equal(search.distanceToNode(nodeOf(graph, 1)), 100);
  assert.equal(search.distanceToNode(nodeOf(graph, 3)), Infinity);
  assert.equal(search.distanceToLocation(e23, 0), 200);
  assert.equal(search.distanceToLocation(e23, 1), Infinity);
  search.run([{ edge: e12, offsetM: 100 }], 199);
  assert.equal(search.distanceToNode(nodeOf(graph, 2)), Infinity);
  assert.equal(search.distanceToLocation(e12, 300), Infinity);
  assert.equal(search.distanceToLocation(e12, 299), 199);
});

test('snapping: a point exactly the maximum snap distance from the network snaps, 1 m farther it does not', async () => {
  const graph = await star;
  const index = new EdgeIndex(graph);
  // Due south of node 1 along the meridian, 300 m and 301 m away (fixtures/README.md).
  const at300: [number, number] = [0, -0.002697961091173614];
  const at301: [number, number] = [0, -0.0027069542948108594];
  assert.ok(Math.abs(sphericalArcM(0, 0, ...at300) - 300) < 1e-6);
  assert.ok(Math.abs(sphericalArcM(0, 0, ...at301) - 301) < 1e-6);
  const snapped = index.snap(...at300, SNAP); // the default maximum is 300 m
  assert.ok(isSnapped(snapped), `status ${snapped.status}`);
  assert.equal(snapped.distanceM, 300);
  assert.equal(graph.edgeFrom[snapped.edge], nodeOf(graph, 1));
  assert.equal(snapped.offsetM, 0);
  assert.deepEqual([snapped.lon, snapped.lat], [0, 0]);
  const beyond = index.snap(...at301, SNAP);
  assert.equal(beyond.status, 'too-far');
  assert.equal(beyond.distanceM, 301);
  const widened = index.snap(...at301, { ...SNAP, maxSnapDistanceM: 301 });
  assert.ok(isSnapped(widened));
  assert.equal(widened.distanceM, 301);
  assert.equal(index.snap(...at300, { ...SNAP, maxSnapDistanceM: 299 }).status, 'too-far');
});

test('snapping onto a node gives exactly 0 or the edge length as the offset', async () => {
  const graph = await star;
  const index = new EdgeIndex(graph);
  for (const [id, edge, offsetM] of [
    [1, edgeBetween(graph, 1, 6), 0], // way 10 is the lowest at node 1
    [2, edgeBetween(graph, 2, 3), 0], // way 11 before way 12
    [3, edgeBetween(graph, 2, 3), 200],
    [4, edgeBetween(graph, 4, 5), 0],
    [5, edgeBetween(graph, 4, 5), 200],
    [6, edgeBetween(graph, 1, 6), 500],
  ]) {
    const node = nodeOf(graph, id);
    const s = index.snap(graph.nodeLon[node], graph.nodeLat[node], SNAP);
    assert.ok(isSnapped(s));
    assert.deepEqual([s.edge, s.offsetM, s.distanceM], [edge, offsetM, 0], `node ${id}`);
  }
});

test('isochrone boundaries on whole metres: edges cut exactly where the limit runs out', async () => {
  const graph = await star;
  const origin: NetworkLocation = { edge: edgeBetween(graph, 1, 6), offsetM: 0 };
  const pieces = (limit: number) =>
    isochrone(graph, origin, limit)
      .lines.features.filter((f) => f.properties.toM > f.properties.fromM)
      .map((f) => [
        `${graph.nodeOsmId[graph.edgeFrom[f.properties.edge]]}-${graph.nodeOsmId[graph.edgeTo[f.properties.edge]]}`,
        f.properties.fromM,
        f.properties.toM,
        f.properties.partial,
      ])
      .sort();
  // 450 m: all of 1-2, 150 m of 2-3, all of 1-4 and 149 m of 4-5, 450 m of 1-6.
  assert.deepEqual(pieces(450), [
    ['1-2', 0, 300, false],
    ['1-4', 0, 301, false],
    ['1-6', 0, 450, true],
    ['2-3', 0, 150, true],
    ['4-5', 0, 149, true],
  ]);
  assert.equal(isochrone(graph, origin, 450).reachedLengthM, 300 + 150 + 301 + 149 + 450);
  // 300 m ends exactly on node 2: 1-2 whole, nothing of 2-3.
  assert.deepEqual(pieces(300), [
    ['1-2', 0, 300, false],
    ['1-4', 0, 300, true],
    ['1-6', 0, 300, true],
  ]);
  assert.equal(isochrone(graph, origin, 300).reachedLengthM, 900);
  // 301 m: 1 m into 2-3, and 1-4 whole.
  assert.deepEqual(pieces(301), [
    ['1-2', 0, 300, false],
    ['1-4', 0, 301, false],
    ['1-6', 0, 301, true],
    ['2-3', 0, 1, true],
  ]);
});
