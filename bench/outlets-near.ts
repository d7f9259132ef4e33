import { openCityTemporaryStore } from '../src/cities/index.js';
// Benchmark: the resident's outlet search ("outlets near my community, with their ratings", issue 11) on a store
// of 150,000 SYNTHETIC facilities and 500,000 SYNTHETIC ratings: the spatially indexed query the API runs against
// a full scan of the register and of every rating (what the API did before; kept here as the peer and as a check
// that both answer the same). Run with `npm run bench:outlets`. Median of alternating repeats; load printed.
import { deepStrictEqual } from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { haversineM } from '../src/geo/index.js';
import { type Facility, type Store } from '../src/store/index.js';
import { aggregate, priorFrom, ratedOutletsNear } from '../src/supervision/index.js';
import { describeMachine } from './machine.js';
import { seededRandom } from './rng.js';
import { syntheticFacility, syntheticRating } from './synthetic.js';

const FACILITIES = 150_000;
const RATINGS = 500_000;
const COMMUNITIES = 40;
const LIMIT = 20;
const REPEATS = 7;
// Central Chengdu, about 30 × 30 km.
const WEST = 103.9;
const SOUTH = 30.55;
const SPAN = 0.3;

async function fill(store: Store): Promise<void> {
  const rand = seededRandom(20261203);
  await store.facilityTypes.upsert({
    code: 'bench_outlet',
    nameZh: '合成网点',
    nameEn: 'Synthetic outlet',
    domain: 'elderly_care',
    source: 'synthetic benchmark data',
  });
  await store.transaction(async (tx) => {
    for (let i = 0; i < COMMUNITIES; i++)
      await tx.communities.upsert({
        code: `BC${i}`,
        name: `合成社区${i}`,
        regionCode: '510104',
        location: { lon: WEST + rand() * SPAN, lat: SOUTH + rand() * SPAN },
        population: null,
        boundary: null,
      } as never);
    const box = { west: WEST, south: SOUTH, spanLon: SPAN, spanLat: SPAN };
    for (let i = 0; i < FACILITIES; i++)
      await tx.facilities.upsert(
        syntheticFacility(i, rand, box, { typeCode: 'bench_outlet', regionCode: null, providerUscc: null }),
      );
    for (let i = 0; i < RATINGS; i++)
      await tx.ratings.insert(
        syntheticRating(i, rand, FACILITIES, { serviceType: 'bench_outlet', providerUscc: 'S'.repeat(18) }),
      );
  });
}

/** The peer: every facility and every rating read, distances and aggregates computed for all. */
async function fullScan(store: Store, code: string) {
  const community = (await store.communities.get(code))!;
  const { lon, lat } = community.location;
  const facilities: Facility[] = [];
  for (let offset = 0; ; offset += 1000) {
    const page = await store.facilities.list({ limit: 1000, offset });
    facilities.push(...page.items);
    if (facilities.length >= page.total || page.items.length === 0) break;
  }
  const near = facilities
    .filter((f) => f.status !== 'closed')
    .map((f) => ({ f, d: haversineM(lon, lat, f.location.lon, f.location.lat) }))
    .sort((a, b) => a.d - b.d || (a.f.code < b.f.code ? -1 : 1))
    .slice(0, LIMIT);
  const ratings = await store.ratings.all();
  const prior = priorFrom(ratings);
  return near.map(({ f, d }) => ({
    code: f.code,
    distanceM: Math.round(d),
    aggregate: aggregate(
      f.code,
      ratings.filter((r) => r.outletId === f.code),
      prior,
    ),
  }));
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const machine = describeMachine();
  console.log(`machine: ${machine.cpuModel}, ${machine.cores} cores, load average ${machine.loadAverage}`);
  const { store, dispose } = await openCityTemporaryStore();
  try {
    const t0 = performance.now();
    await fill(store);
    console.log(
      `store: ${FACILITIES} facilities, ${RATINGS} ratings (synthetic), filled in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    // Same answers first: the indexed search must equal the full scan.
    for (const code of ['BC0', 'BC1', 'BC2']) {
      const ours = (await ratedOutletsNear(store, code, LIMIT, undefined)).items.map((i) => ({
        code: i.code,
        distanceM: i.distanceM,
        aggregate: i.aggregate,
      }));
      // Deep equality (key order aside): the same outlets, distances and aggregates.
      deepStrictEqual(
        ours,
        await fullScan(store, code),
        `the indexed search and the full scan disagree for ${code}`,
      );
    }
    const indexed: number[] = [];
    const scanned: number[] = [];
    for (let r = 0; r < REPEATS; r++) {
      // Alternating: one community indexed, then the same by full scan, so load affects both alike.
      const code = `BC${r % COMMUNITIES}`;
      let t = performance.now();
      await ratedOutletsNear(store, code, LIMIT, undefined);
      indexed.push(performance.now() - t);
      t = performance.now();
      await fullScan(store, code);
      scanned.push(performance.now() - t);
    }
    const ours = median(indexed);
    const peer = median(scanned);
    console.log(`outlet search, ${LIMIT} nearest with aggregates, median of ${REPEATS} alternating runs:`);
    console.log(`  spatial index + counted ratings (the API)   ${ours.toFixed(1)} ms`);
    console.log(`  full scan of register and ratings (before)  ${peer.toFixed(1)} ms`);
    console.log(`  ratio                                        ${(peer / ours).toFixed(0)} ×`);
    console.log(`load average at the end: ${describeMachine().loadAverage}`);
  } finally {
    await dispose();
  }
}

await main();
