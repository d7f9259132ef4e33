import { openCityTemporaryStore } from '../cities/index.js';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { haversineM } from '../geo/index.js';
import { openTemporaryStore, type Facility, type StoredRating } from '../store/index.js';
import { manualClock } from '../time/index.js';
import { aggregate, priorFrom } from './aggregates.js';
import { ratedOutletsNear } from './queries.js';
import type { RatingLevel } from './rules.js';

const LEVELS: RatingLevel[] = [
  'very_satisfied',
  'satisfied',
  'basically_satisfied',
  'dissatisfied',
  'very_dissatisfied',
];

/** A deterministic pseudo-random sequence (mulberry32), so the layout is the same on every run. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Synthetic outlets (no real places) scattered up to ~8 km around a community, some closed, two types, with
 * synthetic ratings; the spatially indexed search is checked against a brute-force second implementation that
 * reads every facility and every rating.
 */
test('outlets near a community: the indexed search equals reading the whole register, after moves and deletes', async () => {
  const clock = manualClock('2026-03-16T10:00:00+08:00');
  const { store, dispose } = await openCityTemporaryStore({ clock });
  const next = random(7);
  const centre = { lon: 104.0665, lat: 30.6598 };
  await store.communities.upsert({
    code: 'C1',
    name: '合成社区',
    regionCode: '510104',
    location: centre,
    population: null,
    boundary: null,
  } as never);
  for (const code of ['pharmacy', 'supermarket'])
    await store.facilityTypes.upsert({ code, nameZh: code, nameEn: code, domain: 'health', source: 'test' });
  const facilities: Facility[] = [];
  for (let i = 0; i < 400; i++) {
    const f: Facility = {
      code: `F${String(i).padStart(3, '0')}`,
      name: `合成网点${i}`,
      typeCode: i % 3 === 0 ? 'supermarket' : 'pharmacy',
      location: { lon: centre.lon + (next() - 0.5) * 0.16, lat: centre.lat + (next() - 0.5) * 0.14 },
      address: null,
      regionCode: null,
      capacity: null,
      affordable: false,
      status: i % 7 === 0 ? 'closed' : 'open',
      providerUscc: null,
      contactPhone: null,
    };
    facilities.push(f);
    await store.facilities.upsert(f);
  }
  let id = 0;
  for (const f of facilities.slice(0, 200))
    for (let k = Math.floor(next() * 4); k > 0; k--)
      await store.ratings.insert({
        id: `R${++id}`,
        accountId: `synthetic-${id}`,
        outletId: f.code,
        providerUscc: 'X'.repeat(18),
        serviceType: f.typeCode,
        regionCode: '510104',
        level: LEVELS[Math.floor(next() * 5)],
        tags: [],
        text: '',
        channel: 'web',
        createdAt: '2026-03-01T00:00:00.000Z',
        status: next() < 0.9 ? 'published' : 'held',
        flags: [],
        enteredBy: null,
        moderation: null,
      } as StoredRating);
  // Move one outlet next to the community and delete another: the index follows.
  await store.facilities.upsert({
    ...facilities[399],
    status: 'open',
    location: { lon: centre.lon + 0.0001, lat: centre.lat },
  });
  await store.facilities.delete(facilities[398].code);

  const bruteForce = async (limit: number, type?: string) => {
    const all = (await store.facilities.list({ limit: 1000 })).items;
    const ratings = await store.ratings.all();
    const prior = priorFrom(ratings);
    return all
      .filter((f) => f.status !== 'closed' && (!type || f.typeCode === type))
      .map((f) => ({ f, d: haversineM(centre.lon, centre.lat, f.location.lon, f.location.lat) }))
      .sort((a, b) => a.d - b.d || (a.f.code < b.f.code ? -1 : 1))
      .slice(0, limit)
      .map(({ f, d }) => ({
        code: f.code,
        distanceM: Math.round(d),
        aggregate: aggregate(
          f.code,
          ratings.filter((r) => r.outletId === f.code),
          prior,
        ),
      }));
  };
  for (const [limit, type] of [
    [1, undefined],
    [20, undefined],
    [100, 'supermarket'],
    [500, undefined],
  ] as const) {
    const got = await ratedOutletsNear(store, 'C1', limit, type);
    const want = await bruteForce(limit, type);
    assert.deepEqual(
      got.items.map((i) => ({ code: i.code, distanceM: i.distanceM, aggregate: i.aggregate })),
      want,
      `limit ${limit} type ${type ?? 'all'}`,
    );
  }
  assert.equal(
    (await ratedOutletsNear(store, 'C1', 1, undefined)).items[0].code,
    'F399',
    'the moved outlet is nearest',
  );
  assert.ok(
    !(await ratedOutletsNear(store, 'C1', 500, undefined)).items.some((i) => i.code === 'F398'),
    'deleted',
  );
  await dispose();
});

test('the store keeps published ratings counted by level through inserts, moderation and level changes', async () => {
  const clock = manualClock('2026-03-16T10:00:00+08:00');
  const { store, dispose } = await openTemporaryStore({ clock });
  const next = random(11);
  const rating = (i: number, status: StoredRating['status']): StoredRating =>
    ({
      id: `R${i}`,
      accountId: `synthetic-${i}`,
      outletId: `F${i % 5}`,
      providerUscc: 'X'.repeat(18),
      serviceType: 'pharmacy',
      regionCode: '510104',
      level: LEVELS[Math.floor(next() * 5)],
      tags: [],
      text: '',
      channel: 'web',
      createdAt: '2026-03-01T00:00:00.000Z',
      status,
      flags: [],
      enteredBy: null,
      moderation: null,
    }) as StoredRating;
  // Counted the slow way, from every row: the second implementation.
  const counted = async () => {
    const totals: Record<string, number> = {};
    for (const r of await store.ratings.all())
      if (r.status === 'published') totals[r.level] = (totals[r.level] ?? 0) + 1;
    return totals;
  };
  for (let i = 0; i < 60; i++) await store.ratings.insert(rating(i, i % 4 === 0 ? 'held' : 'published'));
  assert.deepEqual((await store.ratings.publishedLevelCounts([])).total, await counted());
  // Moderation both ways: a held rating released, a published one invalidated.
  const held = (await store.ratings.get('R0'))!;
  await store.ratings.update({ ...held, status: 'published' });
  const published = (await store.ratings.get('R1'))!;
  await store.ratings.update({ ...published, status: 'invalidated' });
  const { total, byOutlet } = await store.ratings.publishedLevelCounts(['F0', 'F1', 'F9']);
  assert.deepEqual(total, await counted());
  assert.equal(
    Object.values(total).reduce((a, b) => a + b, 0),
    60 - 15 + 1 - 1,
    '45 published at first, one released, one invalidated',
  );
  assert.deepEqual([...byOutlet.keys()].sort(), ['F0', 'F1'], 'no ratings, no entry');
  await dispose();
});
