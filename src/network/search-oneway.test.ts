import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importOsmNetwork } from './import-osm.js';
import { EDGE_BACKWARD, EDGE_FORWARD } from './graph.js';
import { isochrone } from './isochrone.js';
import { LocationsByEdge, NetworkSearch, TargetHits, type NetworkLocation } from './search.js';
import {
  edgeBetween,
  loadReferenceNetwork,
  nodeOf,
  referenceDijkstra,
  sphericalArcM,
  withVirtualPoints,
} from './test-support.js';

// Reversed one-way ways (oneway:foot=-1 and =reverse) on whole-metre edges, in both search directions; the
// layout is drawn in fixtures/reversed-oneway.osm and fixtures/README.md.
const LOOP = 'src/network/fixtures/reversed-oneway.osm';
const loop = importOsmNetwork(LOOP);
const loopReference = loadReferenceNetwork(LOOP);

async function edges() {
  const graph = await loop;
  return {
    graph,
    A: edgeBetween(graph, 1, 2), // 100 m, two-way
    B: edgeBetween(graph, 2, 3), // 200 m, oneway:foot=-1 (3 → 2 only)
    C: edgeBetween(graph, 3, 4), // 100 m, oneway:foot=reverse (4 → 3 only)
    D: edgeBetween(graph, 2, 4), // 500 m through the bend at 7, two-way
    E: edgeBetween(graph, 3, 5), // 100 m, oneway=-1 (a car rule, ignored)
    F: edgeBetween(graph, 5, 6), // 100 m, oneway:foot=yes (5 → 6 only)
  };
}

test('the loop stores whole-metre lengths and the walking directions of its tags', async () => {
  const { graph, A, B, C, D, E, F } = await edges();
  const flags = (e: number) => graph.edgeFlags[e] & (EDGE_FORWARD | EDGE_BACKWARD);
  assert.deepEqual(
    [A, B, C, D, E, F].map((e) => [graph.edgeLength[e], flags(e)]),
    [
      [100, EDGE_FORWARD | EDGE_BACKWARD],
      [200, EDGE_BACKWARD],
      [100, EDGE_BACKWARD],
      [500, EDGE_FORWARD | EDGE_BACKWARD],
      [100, EDGE_FORWARD | EDGE_BACKWARD],
      [100, EDGE_FORWARD],
    ],
  );
  // The lengths are true great-circle lengths (an independent formula), not only what the engine sums.
  for (const e of [A, B, C, D, E, F]) {
    let independent = 0;
    for (let p = graph.edgeGeometryStart[e]; p + 1 < graph.edgeGeometryStart[e + 1]; p++)
      independent += sphericalArcM(
        graph.geometryLon[p],
        graph.geometryLat[p],
        graph.geometryLon[p + 1],
        graph.geometryLat[p + 1],
      );
    assert.ok(Math.abs(independent - graph.edgeLength[e]) < 1e-6, `edge ${e}: ${independent}`);
  }
  assert.equal(graph.arcCount, 2 * 3 + 3, 'two arcs per two-way edge, one per one-way edge');
});

test('node distances on the loop, worked by hand, in both search directions', async () => {
  const { graph } = await edges();
  const three = nodeOf(graph, 3);
  // Walking from node 3: to 2 along B backwards (200), to 4 only the long way round 2 → 7 → 4 (700).
  const from3 = { 1: 300, 2: 200, 3: 0, 4: 700, 5: 100, 6: 200 };
  // Walking to node 3: from 4 along C backwards (100), from 2 round by 4 (600); nobody leaves the dead end 6.
  const to3 = { 1: 700, 2: 600, 3: 0, 4: 100, 5: 100, 6: Infinity };
  for (const [direction, want] of [
    ['from-sources', from3],
    ['to-sources', to3],
  ] as const) {
    const search = new NetworkSearch(graph, direction);
    search.runFromNodes([three]);
    for (const [id, metres] of Object.entries(want))
      assert.equal(search.distanceToNode(nodeOf(graph, Number(id))), metres, `${direction}, node ${id}`);
    // Bounded exactly at the far side of the loop: 700 is reached, 699 is not.
    search.runFromNodes([three], 699);
    assert.equal(search.distanceToNode(nodeOf(graph, direction === 'from-sources' ? 4 : 1)), Infinity);
    search.runFromNodes([three], 700);
    assert.equal(search.distanceToNode(nodeOf(graph, direction === 'from-sources' ? 4 : 1)), 700);
  }
});

/** Points on the loop, by edge letter and offset from the way's first node. */
const POINTS: [string, number][] = [
  ['B', 50],
  ['B', 150],
  ['C', 30],
  ['C', 70],
  ['A', 40],
  ['D', 250],
  ['E', 50],
  ['F', 50],
  ['F', 80],
  ['B', 0], // node 2 seen from B
  ['B', 200], // node 3 seen from B
  ['C', 100], // node 4 seen from C
];

/** Walking metres from point i to point j of POINTS where the walk is worth spelling out. */
const BY_HAND: [number, number, number][] = [
  [0, 0, 0], // the same place on a reversed one-way edge is 0 m away (was 800: round the loop)
  [2, 2, 0],
  [7, 7, 0],
  [0, 1, 700], // B@50 → B@150: not forwards along B; back to 2, round by 7 to 4, down C to 3, back along B 50
  [1, 0, 100], // B@150 → B@50: straight back along B
  [0, 2, 620], // B@50 → 2 (50) → 4 (500) → C@30 (70)
  [2, 0, 180], // C@30 → 3 (30) → B@50 (150)
  [2, 3, 760], // C@30 → C@70: not forwards along C; to 3 (30), back along B to 2 (200), round to 4 (500), down C (30)
  [3, 2, 40],
  [4, 1, 710], // A@40 → 2 (60) → 4 (500) → 3 (100) → B@150 (50)
  [1, 4, 210], // B@150 → 2 (150) → A@40 (60)
  [6, 7, 100], // E@50 → 5 (50) → F@50 (50): the car-only oneway=-1 on E does not bind walkers
  [7, 6, Infinity], // F runs 5 → 6 only and 6 is a dead end
  [7, 8, 30],
  [8, 7, Infinity],
  [6, 1, 50 + 50], // E@50 → 3 (50) → B@150 (50), E walked against its oneway=-1
  [9, 10, 600], // node 2 → node 3: round by 4
  [10, 9, 200],
  [11, 10, 100], // node 4 → node 3 down C
  [10, 11, 700],
];

function locations(graph: Awaited<ReturnType<typeof edges>>) {
  return POINTS.map(([letter, offsetM]): NetworkLocation => {
    const edge = graph[letter as 'A' | 'B' | 'C' | 'D' | 'E' | 'F'];
    return { edge, offsetM };
  });
}

test('on and around reversed one-way edges: hand-worked distances, both search directions', async () => {
  const loopEdges = await edges();
  const { graph } = loopEdges;
  const points = locations(loopEdges);
  const fromSources = new NetworkSearch(graph, 'from-sources');
  const toSources = new NetworkSearch(graph, 'to-sources');
  for (const [i, j, metres] of BY_HAND) {
    // from-sources from i asks how far j is when walking i → j.
    fromSources.run([points[i]]);
    assert.equal(
      fromSources.distanceToLocation(points[j].edge, points[j].offsetM),
      metres,
      `from ${i} to ${j}`,
    );
    // to-sources from j asks how far i is when walking i → j.
    toSources.run([points[j]]);
    assert.equal(
      toSources.distanceToLocation(points[i].edge, points[i].offsetM),
      metres,
      `to ${j} from ${i}`,
    );
  }
});

test('every pair of points on the loop equals the reference Dijkstra with the points spliced in, both directions, and collectTargets agrees', async () => {
  const loopEdges = await edges();
  const { graph } = loopEdges;
  const ref = await loopReference;
  const points = locations(loopEdges);
  const adjacency = withVirtualPoints(graph, ref, points);
  const walk = points.map((_, i) => referenceDijkstra(adjacency, new Map([[-(i + 1), 0]])));
  const metres = (i: number, j: number) => (i === j ? 0 : (walk[i].get(-(j + 1)) ?? Infinity));
  // The reference agrees with the hand-worked table (it is independent of the engine).
  for (const [i, j, want] of BY_HAND) assert.equal(metres(i, j), want, `reference ${i} → ${j}`);
  const byEdge = new LocationsByEdge(graph, points);
  const hits = new TargetHits(points.length);
  for (const direction of ['from-sources', 'to-sources'] as const) {
    const search = new NetworkSearch(graph, direction);
    for (let s = 0; s < points.length; s++) {
      for (const limit of [Infinity, 300]) {
        search.run([points[s]], limit);
        const found = search.collectTargets(byEdge, hits);
        const collected = new Map<number, number>();
        for (let h = 0; h < found; h++) collected.set(hits.targets[h], hits.distances[h]);
        for (let t = 0; t < points.length; t++) {
          // from-sources: walking s → t; to-sources: walking t → s.
          const exact = direction === 'from-sources' ? metres(s, t) : metres(t, s);
          const want = exact <= limit ? exact : Infinity;
          const got = search.distanceToLocation(points[t].edge, points[t].offsetM);
          assert.ok(
            want === Infinity ? got === Infinity : Math.abs(got - want) < 1e-9,
            `${direction} source ${s} target ${t} limit ${limit}: ${got} vs ${want}`,
          );
          assert.equal(collected.get(t) ?? Infinity, got, `${direction} collectTargets ${s} → ${t}`);
        }
      }
    }
  }
});

test('a multi-source search over reversed one-way edges picks the nearest source in the walking direction', async () => {
  const loopEdges = await edges();
  const { graph, B, C } = loopEdges;
  // Sources B@150 and C@70. Walking from them to B@50: from B@150 100 m; from C@70 30 + 150 = 180 m.
  const search = new NetworkSearch(graph, 'from-sources');
  search.run([
    { edge: C, offsetM: 70 },
    { edge: B, offsetM: 150 },
  ]);
  assert.equal(search.distanceToLocation(B, 50), 100);
  assert.equal(search.lastOrigin, 1);
  // Walking from B@150 to C@70 means going round (150 + 500 + 30 = 680); C@70 itself is the nearer source.
  assert.equal(search.distanceToLocation(C, 30), 40);
  assert.equal(search.lastOrigin, 0);
  // to-sources: who walks to them soonest. From B@50 to B@150 is 700; to C@70 is 50 + 500 + 30 = 580.
  const reverse = new NetworkSearch(graph, 'to-sources');
  reverse.run([
    { edge: C, offsetM: 70 },
    { edge: B, offsetM: 150 },
  ]);
  assert.equal(reverse.distanceToLocation(B, 50), 580);
  assert.equal(reverse.lastOrigin, 0);
});

test('an isochrone from a point on a reversed one-way edge runs against the way only', async () => {
  const { graph, A, B, D } = await edges();
  // From B@50 with 100 m: back along B to node 2 (50 m), then 50 m along A and 50 m along D.
  const result = isochrone(graph, { edge: B, offsetM: 50 }, 100);
  const pieces = result.lines.features
    .filter((f) => f.properties.toM > f.properties.fromM)
    .map((f) => [f.properties.edge, f.properties.fromM, f.properties.toM])
    .sort((x, y) => x[0] - y[0]);
  const want = [
    [A, 50, 100],
    [B, 0, 50],
    [D, 0, 50],
  ].sort((x, y) => x[0] - y[0]);
  assert.deepEqual(pieces, want);
  assert.equal(result.reachedLengthM, 150);
});
