import { openCityTemporaryStore } from '../cities/index.js';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { haversineM } from '../geo/index.js';
import { openTemporaryStore, type Facility, type StoredRating } from '../store/index.js';
import { manualClock } from '../time/index.js';
import { aggregate, priorFrom } from './aggregates.js';
import { RESIDENT_WALK_LIMIT_M, ratedOutletsNear, type WalkingDistances } from './queries.js';
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

/** Metres east and north of a point as WGS-84 degrees (small offsets; the same metre as haversineM). */
function offset(from: { lon: number; lat: number }, east: number, north: number) {
  const dLat = north / 111_195.08;
  return { lon: from.lon + east / (111_195.08 * Math.cos((from.lat * Math.PI) / 180)), lat: from.lat + dLat };
}

/** A synthetic outlet (no real place) at metre offsets from a point. */
function outlet(code: string, name: string, typeCode: string, at: { lon: number; lat: number }): Facility {
  return {
    code,
    name,
    typeCode,
    location: at,
    address: null,
    regionCode: '510104',
    capacity: null,
    affordable: false,
    status: 'open',
    providerUscc: null,
    contactPhone: null,
  };
}

test('one place is one outlet: records of one outlet a few metres apart or spelled with spaces list once; a branch of the same name does not', async () => {
  const { store, dispose } = await openCityTemporaryStore();
  const centre = { lon: 104.0665, lat: 30.6598 };
  await store.communities.upsert({
    code: 'C1',
    name: '合成社区',
    regionCode: '510104',
    location: centre,
    population: null,
    boundary: null,
  } as never);
  for (const code of ['elderly_canteen', 'elderly_day_care', 'pharmacy'])
    await store.facilityTypes.upsert({
      code,
      nameZh: code,
      nameEn: code,
      domain: 'elderly_care',
      source: 'test',
    });
  for (const [uscc, name] of [
    ['914403001922038216', '合成经营者甲'],
    ['91440300708461136T', '合成经营者乙'],
  ])
    await store.providers.upsert({
      uscc,
      name,
      regionCode: null,
      domains: ['elderly_care'],
      contactName: null,
      contactPhone: null,
    });
  // A register lists the canteen once per service type; the two rows were geocoded 6 m apart (before: two cards).
  await store.facilities.upsert(outlet('CANTEEN', '合成社区食堂', 'elderly_canteen', offset(centre, 100, 0)));
  await store.facilities.upsert(
    outlet('DAYCARE', '合成社区食堂', 'elderly_day_care', offset(centre, 104, 4.5)),
  );
  // The same outlet keyed in with a full-width space.
  await store.facilities.upsert(outlet('PHARM', '合成　药房', 'pharmacy', offset(centre, 0, 200)));
  await store.facilities.upsert(outlet('PHARM-2', '合成药房', 'elderly_day_care', offset(centre, 0, 200)));
  // A branch of the same name 400 m away, and another operator's outlet of the same name at the canteen's point.
  await store.facilities.upsert(outlet('BRANCH', '合成社区食堂', 'elderly_canteen', offset(centre, 0, -400)));
  await store.facilities.upsert({
    ...outlet('OTHER-OP', '合成社区食堂', 'elderly_canteen', offset(centre, 100, 0)),
    providerUscc: '914403001922038216',
  });
  await store.facilities.upsert({
    ...(await store.facilities.get('CANTEEN'))!,
    providerUscc: '91440300708461136T',
  });

  const near = await ratedOutletsNear(store, 'C1', 10, undefined);
  const listed = near.items.map((i) => [i.code, i.otherTypes.map((o) => o.code)]);
  assert.deepEqual(listed, [
    ['CANTEEN', ['DAYCARE']],
    ['OTHER-OP', []],
    ['PHARM', ['PHARM-2']],
    ['BRANCH', []],
  ]);
  assert.equal(near.distance, 'straight-line');
  assert.ok(near.items.every((i) => i.distanceKind === 'straight-line'));
  await dispose();
});

test('with a walking network the outlets are ordered by walking distance; those not reached on foot follow, by straight line, labelled so', async () => {
  const { store, dispose } = await openCityTemporaryStore();
  const centre = { lon: 104.0665, lat: 30.6598 };
  await store.communities.upsert({
    code: 'C1',
    name: '合成社区',
    regionCode: '510104',
    location: centre,
    population: null,
    boundary: null,
  } as never);
  await store.facilityTypes.upsert({
    code: 'pharmacy',
    nameZh: '药店',
    nameEn: 'pharmacy',
    domain: 'health',
    source: 'test',
  });
  // Straight line: A 100 m, C 200 m, B 300 m. On foot (the fake network below): A 900 m across a river, B 350 m, C
  // not reached.
  const walk = new Map([
    ['A', 900],
    ['B', 350],
  ]);
  const places = [
    outlet('A', '合成药房甲', 'pharmacy', offset(centre, 100, 0)),
    outlet('B', '合成药房乙', 'pharmacy', offset(centre, 0, 300)),
    outlet('C', '合成药房丙', 'pharmacy', offset(centre, -200, 0)),
  ];
  for (const f of places) await store.facilities.upsert(f);
  const asked: { community: string; points: number; limitM: number }[] = [];
  const walking: WalkingDistances = (community, points, limitM) => {
    asked.push({ community: community.code, points: points.length, limitM });
    return points.map((p) => {
      const f = places.find((x) => x.location.lon === p.lon && x.location.lat === p.lat);
      return (f && walk.get(f.code)) ?? null;
    });
  };
  const walked = await ratedOutletsNear(store, 'C1', 10, undefined, walking);
  assert.equal(walked.distance, 'walking');
  assert.deepEqual(
    walked.items.map((i) => [i.code, i.distanceM, i.distanceKind]),
    [
      ['B', 350, 'walking'],
      ['A', 900, 'walking'],
      ['C', 200, 'straight-line'],
    ],
  );
  assert.deepEqual(asked, [{ community: 'C1', points: 3, limitM: RESIDENT_WALK_LIMIT_M }]);
  // The limit applies after the walking order: the nearest on foot, not the nearest as the crow flies.
  assert.deepEqual(
    (await ratedOutletsNear(store, 'C1', 1, undefined, walking)).items.map((i) => i.code),
    ['B'],
  );
  // No network under the community: straight line throughout, said so.
  const offNetwork = await ratedOutletsNear(store, 'C1', 10, undefined, () => null);
  assert.equal(offNetwork.distance, 'straight-line');
  assert.deepEqual(
    offNetwork.items.map((i) => [i.code, i.distanceM, i.distanceKind]),
    [
      ['A', 100, 'straight-line'],
      ['C', 200, 'straight-line'],
      ['B', 300, 'straight-line'],
    ],
  );
  await dispose();
});
