import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { haversineM } from '../geo/index.js';
import { isLifeCircleError } from '../errors.js';
import { EDGE_BACKWARD, EDGE_FORWARD, type WalkGraph } from './graph.js';
import { importOsmNetwork } from './import-osm.js';
import { loadReferenceNetwork } from './test-support.js';

const RULES = 'src/network/fixtures/rules.osm';
const CHENGDU_XML = 'data/chengdu-central/chengdu-central-2018.osm';
const CHENGDU_PBF = 'src/network/fixtures/chengdu-central-2018.osm.pbf';

function nodeByOsmId(graph: WalkGraph, id: number): number {
  const index = graph.nodeOsmId.indexOf(id);
  assert.ok(index >= 0, `OSM node ${id} is a graph node`);
  return index;
}

function edgeBetween(graph: WalkGraph, a: number, b: number): number[] {
  const u = nodeByOsmId(graph, a);
  const v = nodeByOsmId(graph, b);
  const found: number[] = [];
  for (let e = 0; e < graph.edgeCount; e++) {
    if (
      (graph.edgeFrom[e] === u && graph.edgeTo[e] === v) ||
      (graph.edgeFrom[e] === v && graph.edgeTo[e] === u)
    )
      found.push(e);
  }
  return found;
}

test('the rules fixture keeps exactly the walkable ways and counts each verdict', async () => {
  const graph = await importOsmNetwork(RULES);
  assert.deepEqual(graph.meta.wayVerdicts, {
    walkable: 8,
    'access-forbidden': 1,
    'needs-foot-permission': 1,
    'foot-forbidden': 1,
    'not-a-highway': 1,
  });
  assert.equal(graph.meta.missingNodeRefs, 1);
  // Way 109 references node 999, which the file does not have (rules.osm line 28).
  assert.deepEqual(graph.meta.missingNodeRefExamples, [{ wayId: 109, nodeId: 999 }]);
  // Junctions and ends only: node 15 (inside the footway) and 9, 10 (inside the area's outline) are geometry.
  assert.deepEqual(
    [...graph.nodeOsmId].sort((a, b) => a - b),
    [1, 2, 3, 4, 5, 6, 7, 8, 12, 13, 14],
  );
  assert.equal(graph.edgeCount, 8);
  assert.equal(graph.arcCount, 15, 'seven two-way edges and one one-way edge');
});

test('car one-way rules are ignored and oneway:foot gives a single arc', async () => {
  const graph = await importOsmNetwork(RULES);
  const [street] = edgeBetween(graph, 1, 2);
  assert.equal(graph.edgeFlags[street], EDGE_FORWARD | EDGE_BACKWARD);
  const [path] = edgeBetween(graph, 4, 5);
  assert.equal(graph.edgeFlags[path], EDGE_FORWARD);
  assert.equal(graph.nodeOsmId[graph.edgeFrom[path]], 4);
});

test('excluded ways leave no edge: private service, motorway, steps with foot=no', async () => {
  const graph = await importOsmNetwork(RULES);
  assert.deepEqual(edgeBetween(graph, 5, 3), []);
  assert.deepEqual(edgeBetween(graph, 3, 6), []);
  assert.ok(!graph.nodeOsmId.includes(11));
});

test('an edge keeps its geometry and its length is the sum of its segments', async () => {
  const graph = await importOsmNetwork(RULES);
  const [footway] = edgeBetween(graph, 2, 4);
  const start = graph.edgeGeometryStart[footway];
  assert.equal(graph.edgeGeometryStart[footway + 1] - start, 3, 'nodes 2, 15, 4');
  const expected =
    haversineM(104.001, 30.0, 104.0015, 30.0005) + haversineM(104.0015, 30.0005, 104.001, 30.001);
  assert.ok(Math.abs(graph.edgeLength[footway] - expected) < 1e-9);
});

test('a pedestrian area is walked along its outline', async () => {
  const graph = await importOsmNetwork(RULES);
  const [ring] = edgeBetween(graph, 8, 8);
  assert.equal(graph.edgeGeometryStart[ring + 1] - graph.edgeGeometryStart[ring], 4);
  const expected =
    haversineM(104.01, 30.01, 104.011, 30.01) +
    haversineM(104.011, 30.01, 104.011, 30.011) +
    haversineM(104.011, 30.011, 104.01, 30.01);
  assert.ok(Math.abs(graph.edgeLength[ring] - expected) < 1e-9);
});

test('a way with a missing node is split there, and components are labelled largest first', async () => {
  const graph = await importOsmNetwork(RULES);
  assert.equal(edgeBetween(graph, 13, 14).length, 1);
  assert.equal(graph.componentCount, 4);
  assert.deepEqual([...graph.componentNodeCount], [6, 2, 2, 1]);
  assert.equal(graph.nodeComponent[nodeByOsmId(graph, 12)], 0);
  assert.equal(graph.nodeComponent[nodeByOsmId(graph, 8)], 3);
});

test('XML and PBF of the same Chengdu extract give the same graph', async () => {
  const fromXml = await importOsmNetwork(CHENGDU_XML);
  const fromPbf = await importOsmNetwork(CHENGDU_PBF);
  assert.equal(fromXml.meta.source.format, 'xml');
  assert.equal(fromPbf.meta.source.format, 'pbf');
  assert.equal(fromXml.nodeCount, fromPbf.nodeCount);
  assert.deepEqual(fromXml.nodeOsmId, fromPbf.nodeOsmId);
  assert.deepEqual(fromXml.arcHead, fromPbf.arcHead);
  assert.deepEqual(fromXml.edgeWayId, fromPbf.edgeWayId);
  for (let e = 0; e < fromXml.edgeCount; e++)
    assert.ok(Math.abs(fromXml.edgeLength[e] - fromPbf.edgeLength[e]) < 1e-6);
});

test('the Chengdu network is one large component holding almost all of its length', async () => {
  const graph = await importOsmNetwork(CHENGDU_XML);
  assert.ok(graph.nodeCount > 3000);
  assert.ok(graph.componentLength[0] / graph.meta.totalLengthM > 0.95);
  // The total length and the largest component's length, derived independently from the uncompressed network
  // (every segment of every walkable way, components by union-find).
  const ref = await loadReferenceNetwork(CHENGDU_XML);
  const parent = new Map<number, number>();
  const find = (v: number): number => {
    let root = v;
    while (parent.has(root) && parent.get(root) !== root) root = parent.get(root) as number;
    parent.set(v, root);
    return root;
  };
  for (const [a, b] of ref.segments) {
    const [ra, rb] = [find(a), find(b)];
    if (ra !== rb) parent.set(ra, rb);
  }
  const lengthByRoot = new Map<number, number>();
  let total = 0;
  for (const [a, , length] of ref.segments) {
    total += length;
    lengthByRoot.set(find(a), (lengthByRoot.get(find(a)) ?? 0) + length);
  }
  assert.ok(Math.abs(graph.meta.totalLengthM - total) < 1e-3, `${graph.meta.totalLengthM} vs ${total}`);
  const largest = Math.max(...lengthByRoot.values());
  assert.ok(Math.abs(graph.componentLength[0] - largest) < 1e-3, `${graph.componentLength[0]} vs ${largest}`);
  assert.equal(graph.componentCount, lengthByRoot.size);
  // Every arc's length equals its edge's, and arcs of two-way edges come in pairs.
  let twoWay = 0;
  for (let e = 0; e < graph.edgeCount; e++) if (graph.edgeFlags[e] === 3) twoWay++;
  assert.equal(graph.arcCount, graph.edgeCount + twoWay);
  for (let a = 0; a < graph.arcCount; a++)
    assert.equal(graph.arcLength[a], graph.edgeLength[graph.arcEdge[a] >>> 1]);
});

async function expectImportError(path: string, code: string, pattern: RegExp): Promise<void> {
  await assert.rejects(importOsmNetwork(path), (error: unknown) => {
    assert.ok(isLifeCircleError(error), `expected a LifeCircleError, got ${String(error)}`);
    assert.equal(error.code, code);
    assert.match(error.message, pattern);
    assert.ok(error.message.includes(path), 'the message names the file');
    return true;
  });
}

const scratch = mkdtempSync(join(tmpdir(), 'lifecircle-import-'));
function scratchFile(name: string, content: string | Uint8Array): string {
  const path = join(scratch, name);
  writeFileSync(path, content);
  return path;
}

test('bad input: a missing file', async () => {
  await expectImportError(join(scratch, 'nope.osm'), 'LC_FILE_NOT_FOUND', /no such file/);
});

test('bad input: an empty file', async () => {
  await expectImportError(scratchFile('empty.osm', ''), 'LC_OSM_FORMAT', /empty/);
});

test('bad input: a GeoJSON file', async () => {
  await expectImportError(
    scratchFile('areas.osm', '{"type":"FeatureCollection","features":[]}'),
    'LC_OSM_FORMAT',
    /JSON/,
  );
});

test('bad input: a gzip file', async () => {
  await expectImportError(
    scratchFile('x.osm.gz', new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0])),
    'LC_OSM_FORMAT',
    /gzip/,
  );
});

test('bad input: malformed XML names the line', async () => {
  const xml = '<osm version="0.6">\n<node id="1" lat="30" lon="104"></way>\n</osm>\n';
  await expectImportError(scratchFile('bad.osm', xml), 'LC_OSM_FORMAT', /:2:\d+: .*malformed XML/);
});

test('bad input: truncated XML', async () => {
  const xml = readFileSync(RULES, 'utf8');
  await expectImportError(
    scratchFile('cut.osm', xml.slice(0, xml.length / 2)),
    'LC_OSM_FORMAT',
    /unclosed tag/,
  );
});

test('bad input: XML that is not OSM', async () => {
  await expectImportError(
    scratchFile('page.osm', '<html><body/></html>'),
    'LC_OSM_FORMAT',
    /root element is <html>/,
  );
});

test('bad input: a node with a non-numeric coordinate', async () => {
  const xml = '<osm version="0.6">\n<node id="1" lat="thirty" lon="104"/>\n</osm>\n';
  await expectImportError(
    scratchFile('nan.osm', xml),
    'LC_OSM_FORMAT',
    /:2:\d+: <node> attribute lat="thirty" is not a number/,
  );
});

test('bad input: a truncated PBF', async () => {
  const pbf = readFileSync(CHENGDU_PBF);
  await expectImportError(
    scratchFile('cut.osm.pbf', pbf.subarray(0, Math.floor(pbf.length / 2))),
    'LC_OSM_FORMAT',
    /truncated or corrupt/,
  );
});

test('bad input: an extract with no walkable ways', async () => {
  const xml =
    '<osm version="0.6"><node id="1" lat="30" lon="104"/><node id="2" lat="30.001" lon="104"/>' +
    '<way id="9"><nd ref="1"/><nd ref="2"/><tag k="building" v="yes"/></way>' +
    '<way id="10"><nd ref="1"/><nd ref="2"/><tag k="highway" v="motorway"/></way></osm>';
  await expectImportError(
    scratchFile('buildings.osm', xml),
    'LC_OSM_NO_WALKABLE_WAYS',
    /no walkable way among 2 ways \(not-a-highway: 1, needs-foot-permission: 1\)/,
  );
});
