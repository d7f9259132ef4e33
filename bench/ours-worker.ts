/**
 * Runs workload W1 with our engine (computeReach) in its own process, so its wall time and peak memory are
 * measured like the peers'. Also times the lower bound: one full, unbounded multi-source Dijkstra per type.
 *
 * usage: node dist/bench/ours-worker.js <graph> <workload.json> <out prefix>
 * Writes <out>.nearest.f64 and <out>.count.u32 (type-major) and prints one JSON line of timings.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { computeReach } from '../src/access/index.js';
import { NetworkSearch, readGraphFile } from '../src/network/index.js';
import type { W1Workload } from './workload.js';

const REPEATS = 3;

async function main(): Promise<void> {
  const [graphPath, workloadPath, out] = process.argv.slice(2);
  const t0 = performance.now();
  const graph = await readGraphFile(graphPath);
  const workload = JSON.parse(readFileSync(workloadPath, 'utf8')) as W1Workload;
  const loadS = (performance.now() - t0) / 1000;

  // The first run is the one compared (cold: JIT warm-up included, as a one-shot CLI run would be); the best of
  // REPEATS shows the warm engine, which matters on a shared machine where single timings jump.
  const input = {
    graph,
    accessPoints: workload.communities,
    accessPointCommunity: Uint32Array.from(workload.communities, (_, i) => i),
    communityCount: workload.communities.length,
    facilityTypes: workload.types.map((t) => ({ id: t.id, radiusM: t.radiusM, facilities: t.facilities })),
    maxDistanceM: workload.maxDistanceM,
  };
  const times: number[] = [];
  let reach: ReturnType<typeof computeReach> = [];
  for (let r = 0; r < REPEATS; r++) {
    const t1 = performance.now();
    reach = computeReach(input);
    times.push((performance.now() - t1) / 1000);
  }
  const w1S = times[0];
  const w1BestS = Math.min(...times);

  // Nearest part alone (counts disabled by an empty radius would change semantics, so time it separately).
  const search = new NetworkSearch(graph, 'to-sources');
  const t2 = performance.now();
  for (const type of workload.types) {
    if (type.facilities.length === 0) continue;
    search.run(type.facilities, workload.maxDistanceM);
    for (const c of workload.communities) search.distanceToLocation(c.edge, c.offsetM);
  }
  const nearestS = (performance.now() - t2) / 1000;

  const t3 = performance.now();
  for (const type of workload.types) if (type.facilities.length > 0) search.run(type.facilities, Infinity);
  const lowerBoundS = (performance.now() - t3) / 1000;

  const C = workload.communities.length;
  const nearest = new Float64Array(C * reach.length);
  const counts = new Uint32Array(C * reach.length);
  reach.forEach((r, t) => {
    nearest.set(r.nearestM, t * C);
    counts.set(r.countWithinRadius, t * C);
  });
  writeFileSync(`${out}.nearest.f64`, nearest);
  writeFileSync(`${out}.count.u32`, counts);
  console.log(
    JSON.stringify({
      engine: 'ours',
      loadS,
      w1S,
      w1BestS,
      nearestS,
      lowerBoundS,
      peakRssKiB: process.resourceUsage().maxRSS,
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
