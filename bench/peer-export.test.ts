import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeReach } from '../src/access/index.js';
import { importOsmNetwork, type WalkGraph } from '../src/network/index.js';
import { splitForPeers, type PeerGraph } from './peer-export.js';
import { loadFacilityTypes, syntheticWorkload, type W1Workload } from './workload.js';

const CHENGDU = 'data/chengdu-central/chengdu-central-2018.osm';
let cached: { graph: WalkGraph; workload: W1Workload; peer: PeerGraph } | undefined;

async function chengdu() {
  if (!cached) {
    const graph = await importOsmNetwork(CHENGDU);
    const types = loadFacilityTypes('bench/w1-facility-types.json');
    // Fewer facilities than the bench's 20,000 keep the test quick; placement is the same code.
    const workload = syntheticWorkload('chengdu', graph, types.synthetic.slice(0, 4), 2000, 7);
    const small = {
      ...workload,
      types: workload.types.map((t) => ({ ...t, facilities: t.facilities.slice(0, 60) })),
    };
    cached = { graph, workload: small, peer: splitForPeers(graph, small) };
  }
  return cached;
}

/** A plain Dijkstra (array scan, no heap) over the peers' graph, walking arcs backwards: distance to the sources. */
function distancesToSources(peer: PeerGraph, sources: ArrayLike<number>, cap: number): Float64Array {
  const into: number[][] = Array.from({ length: peer.nodeCount }, () => []);
  for (let s = 0; s < peer.segmentCount; s++) {
    if (peer.flags[s] & 1) into[peer.v[s]].push(peer.u[s], peer.length[s]);
    if (peer.flags[s] & 2) into[peer.u[s]].push(peer.v[s], peer.length[s]);
  }
  const dist = new Float64Array(peer.nodeCount).fill(Infinity);
  const done = new Uint8Array(peer.nodeCount);
  const frontier = new Set<number>();
  for (let i = 0; i < sources.length; i++) {
    dist[sources[i]] = 0;
    frontier.add(sources[i]);
  }
  while (frontier.size > 0) {
    let x = -1;
    for (const y of frontier) if (x < 0 || dist[y] < dist[x]) x = y;
    frontier.delete(x);
    done[x] = 1;
    const arcs = into[x];
    for (let k = 0; k < arcs.length; k += 2) {
      const y = arcs[k];
      const d = dist[x] + arcs[k + 1];
      if (!done[y] && d < dist[y] && d <= cap) {
        dist[y] = d;
        frontier.add(y);
      }
    }
  }
  return dist;
}

test('splitting edges at the points keeps every edge its length, piece by piece', async () => {
  const { graph, workload, peer } = await chengdu();
  const points = workload.communities.length + workload.types.reduce((n, t) => n + t.facilities.length, 0);
  assert.equal(peer.nodeCount, graph.nodeCount + points);
  assert.equal(peer.segmentCount, graph.edgeCount + points);
  let total = 0;
  let graphTotal = 0;
  for (let s = 0; s < peer.segmentCount; s++) {
    assert.ok(peer.length[s] >= 0, `segment ${s} has a negative length`);
    total += peer.length[s];
  }
  for (let e = 0; e < graph.edgeCount; e++) graphTotal += graph.edgeLength[e];
  assert.ok(Math.abs(total - graphTotal) < 1e-3, `${total} vs ${graphTotal}`);
});

test('on the split graph, a plain Dijkstra finds the nearest distances computeReach finds on Chengdu', async () => {
  const { graph, workload, peer } = await chengdu();
  const reach = computeReach({
    graph,
    accessPoints: workload.communities,
    accessPointCommunity: Uint32Array.from(workload.communities, (_, i) => i),
    communityCount: workload.communities.length,
    facilityTypes: workload.types.map((t) => ({ id: t.id, radiusM: t.radiusM, facilities: t.facilities })),
    maxDistanceM: workload.maxDistanceM,
  });
  let finite = 0;
  workload.types.forEach((type, t) => {
    const dist = distancesToSources(peer, peer.facilityNode[t], workload.maxDistanceM);
    peer.communityNode.forEach((node, c) => {
      const ours = reach[t].nearestM[c];
      if (Number.isFinite(ours)) finite++;
      assert.ok(
        ours === dist[node] || Math.abs(ours - dist[node]) <= 0.01,
        `${type.id}, community ${c}: computeReach ${ours} m, plain Dijkstra ${dist[node]} m`,
      );
    });
  });
  assert.ok(finite > workload.communities.length, 'most communities should reach some facility');
});
