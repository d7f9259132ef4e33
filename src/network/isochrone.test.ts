import { test } from 'node:test';
import assert from 'node:assert/strict';
import { haversineM } from '../geo/index.js';
import { importOsmNetwork } from './import-osm.js';
import { isochrone, sliceEdgeGeometry } from './isochrone.js';

const graphPromise = importOsmNetwork('src/network/fixtures/rules.osm');

function edgeOf(graph: Awaited<typeof graphPromise>, a: number, b: number): number {
  for (let e = 0; e < graph.edgeCount; e++) {
    if (graph.nodeOsmId[graph.edgeFrom[e]] === a && graph.nodeOsmId[graph.edgeTo[e]] === b) return e;
  }
  throw new Error(`no edge ${a}→${b}`);
}

test('an isochrone holds whole edges and the reached parts of frontier edges', async () => {
  const graph = await graphPromise;
  const street = edgeOf(graph, 1, 2);
  const next = edgeOf(graph, 2, 3);
  const footway = edgeOf(graph, 2, 4);
  const L = graph.edgeLength[street];
  const result = isochrone(graph, { edge: street, offsetM: 20 }, 100);
  const left = 100 - (L - 20); // what remains at node 2
  const byEdge = new Map(result.lines.features.map((f) => [f.properties.edge, f.properties]));
  assert.deepEqual(
    [...byEdge.keys()].sort((a, b) => a - b),
    [street, next, footway].sort((a, b) => a - b),
  );
  assert.equal(byEdge.get(street)?.partial, false);
  assert.ok(Math.abs((byEdge.get(next)?.toM ?? 0) - left) < 1e-9);
  assert.equal(byEdge.get(next)?.partial, true);
  assert.ok(Math.abs(result.reachedLengthM - (L + 2 * left)) < 1e-9);
  // The cut end of the partial street lies `left` metres from node 2 along the street.
  const cut = result.lines.features.find((f) => f.properties.edge === next)?.geometry.coordinates;
  assert.ok(cut);
  const end = cut[cut.length - 1];
  assert.ok(Math.abs(haversineM(104.001, 30.0, end[0], end[1]) - left) < 0.01);
  assert.ok(result.outline, 'an outline polygon');
  assert.equal(result.outline.geometry.type, 'Polygon');
});

test('an isochrone inside one edge covers the stretch around the origin only', async () => {
  const graph = await graphPromise;
  const street = edgeOf(graph, 1, 2);
  const result = isochrone(graph, { edge: street, offsetM: 40 }, 10);
  assert.equal(result.lines.features.length, 1);
  const only = result.lines.features[0].properties;
  assert.ok(Math.abs(only.fromM - 30) < 1e-9 && Math.abs(only.toM - 50) < 1e-9);
});

test('an isochrone respects oneway:foot', async () => {
  const graph = await graphPromise;
  const path = edgeOf(graph, 4, 5);
  const L = graph.edgeLength[path];
  const result = isochrone(graph, { edge: path, offsetM: L / 2 }, 10_000);
  const piece = result.lines.features.filter((f) => f.properties.edge === path);
  assert.equal(piece.length, 1);
  assert.ok(
    Math.abs(piece[0].properties.fromM - L / 2) < 1e-9 && Math.abs(piece[0].properties.toM - L) < 1e-9,
  );
  assert.equal(result.lines.features.length, 1, 'node 5 is a dead end');
});

test('sliceEdgeGeometry cuts inside segments and keeps the bends between', async () => {
  const graph = await graphPromise;
  const footway = edgeOf(graph, 2, 4);
  const first = haversineM(104.001, 30.0, 104.0015, 30.0005);
  const slice = sliceEdgeGeometry(graph, footway, first / 2, first + 5);
  assert.equal(slice.length, 3);
  assert.deepEqual(slice[1], [104.0015, 30.0005]);
});
