import { test } from 'node:test';
import assert from 'node:assert/strict';
import { haversineM } from '../geo/index.js';
import { importOsmNetwork } from './import-osm.js';
import { EdgeIndex, isSnapped } from './snap.js';
import { sphericalArcM } from './test-support.js';

const RULES = 'src/network/fixtures/rules.osm';
const graphPromise = importOsmNetwork(RULES);
const ALL_COMPONENTS = { minComponentNodes: 1 };

function edgeOf(graph: Awaited<typeof graphPromise>, a: number, b: number): number {
  for (let e = 0; e < graph.edgeCount; e++) {
    if (graph.nodeOsmId[graph.edgeFrom[e]] === a && graph.nodeOsmId[graph.edgeTo[e]] === b) return e;
  }
  throw new Error(`no edge ${a}→${b}`);
}

test('a point beside a street snaps onto the edge (not a node), with its offset and distance', async () => {
  const graph = await graphPromise;
  const index = new EdgeIndex(graph);
  const lat = 30.0 + 10 / 111195; // about 10 m north of the street 1–2–3
  const result = index.snap(104.0005, lat, ALL_COMPONENTS);
  assert.ok(isSnapped(result));
  assert.equal(result.edge, edgeOf(graph, 1, 2));
  assert.ok(Math.abs(result.offsetM - haversineM(104.0, 30.0, 104.0005, 30.0)) < 0.01);
  assert.ok(Math.abs(result.distanceM - haversineM(104.0005, lat, 104.0005, 30.0)) < 0.01);
  assert.ok(Math.abs(result.lon - 104.0005) < 1e-9 && Math.abs(result.lat - 30.0) < 1e-9);
});

test('a point on a bend of a multi-segment edge carries the offset along the whole geometry', async () => {
  const graph = await graphPromise;
  const index = new EdgeIndex(graph);
  // Node 15 is the bend of the footway 2 → 15 → 4; just past it on the second segment.
  const result = index.snap(104.00145, 30.00055, ALL_COMPONENTS);
  assert.ok(isSnapped(result));
  assert.equal(result.edge, edgeOf(graph, 2, 4));
  const firstSegment = haversineM(104.001, 30.0, 104.0015, 30.0005);
  // The point lies on the second segment (15 → 4), a tenth of the way along it (−0.00005°, +0.00005°).
  const secondSegment = haversineM(104.0015, 30.0005, 104.001, 30.001);
  assert.ok(
    Math.abs(result.offsetM - (firstSegment + secondSegment / 10)) < 1e-6,
    `offset ${result.offsetM}`,
  );
  assert.ok(result.distanceM < 1e-6, `distance ${result.distanceM}`);
  assert.equal(graph.edgeLength[result.edge], firstSegment + secondSegment);
});

test('a point too far from every edge is reported with its distance, not dropped', async () => {
  const graph = await graphPromise;
  const index = new EdgeIndex(graph);
  const result = index.snap(104.0, 30.005, ALL_COMPONENTS); // ~445 m north of node 1, ~430 m from the footway
  assert.equal(result.status, 'too-far');
  // The nearest place on the network is node 4 (104.001, 30.001), the end of the footway and of the path 4→5.
  const toNode4 = sphericalArcM(104.0, 30.005, 104.001, 30.001);
  assert.ok(Math.abs(result.distanceM - toNode4) < 0.01, `distance ${result.distanceM} vs ${toNode4}`);
  const wider = index.snap(104.0, 30.005, { ...ALL_COMPONENTS, maxSnapDistanceM: 600 });
  assert.equal(wider.status, 'snapped');
  assert.ok(Math.abs(wider.distanceM - result.distanceM) < 0.01);
});

test('a point near a tiny island only is unreachable; near a larger component within reach, it snaps there', async () => {
  const graph = await graphPromise;
  const index = new EdgeIndex(graph);
  // The pedestrian area 8–9–10 is a one-node component about 1.4 km from the rest.
  const nearArea = index.snap(104.0105, 30.0101, { minComponentNodes: 3 });
  assert.equal(nearArea.status, 'tiny-component');
  // Nearest is the area's south side 8–9 along 30.010 N, 0.0001° of latitude away.
  assert.ok(Math.abs(nearArea.distanceM - sphericalArcM(104.0105, 30.0101, 104.0105, 30.01)) < 0.01);
  // The trunk 6–7 is a two-node island; the main component (6 nodes) is ~150 m away.
  const nearTrunk = index.snap(104.0035, 30.0001, { minComponentNodes: 3 });
  assert.ok(isSnapped(nearTrunk));
  assert.equal(nearTrunk.component, 0);
  assert.equal(nearTrunk.passedTinyComponent, true);
  const everywhere = index.snap(104.0035, 30.0001, ALL_COMPONENTS);
  assert.ok(isSnapped(everywhere));
  assert.equal(everywhere.edge, edgeOf(graph, 6, 7));
});

test('snapping is deterministic and keeps input order for many points', async () => {
  const graph = await importOsmNetwork('data/chengdu-central/chengdu-central-2018.osm');
  const index = new EdgeIndex(graph);
  const points: [number, number][] = [];
  for (let i = 0; i < 200; i++) points.push([104.05 + (i % 20) * 0.004, 30.66 + Math.floor(i / 20) * 0.006]);
  const once = index.snapAll(points);
  const twice = new EdgeIndex(graph).snapAll(points);
  assert.deepEqual(once, twice);
  assert.equal(once.length, 200);
  for (const result of once)
    if (isSnapped(result)) assert.ok(result.offsetM >= 0 && result.offsetM <= graph.edgeLength[result.edge]);
});
