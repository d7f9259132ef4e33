import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LifeCircleEngine, loadCityGraph } from '../analysis/index.js';
import { manualClock } from '../time/index.js';
import { buildApp } from './app.js';
import { openGridCity } from './test-support.js';

/**
 * The map's isochrone and its coverage measure one distance: a tier's walking distance (GB 50180-2018 表 3.0.4:
 * 300 / 500 / 1000 m), not the tier's minutes at the walking speed (60 m/min would give 300 / 600 / 900 m).
 * A synthetic grid of streets 100 m apart (not a real place) with one 小区.
 */
const CITY = '310113';
const clock = manualClock('2026-12-07T10:00:00+08:00');

test('an isochrone reaches its tier’s walking distance by default; minutes are a separate question', async () => {
  const { store, community, dispose } = await openGridCity({
    cityCode: CITY,
    clock,
    grid: {
      lon: 121.4,
      lat: 31.4,
      size: 30,
      areas: [{ name: '合成小区（虚构）', east: 1500, north: 1500, sideM: 20 }],
    },
  });
  try {
    const graph = (await loadCityGraph(store, CITY))!;
    const engine = new LifeCircleEngine({ store, cityCode: CITY, graph, clock });
    await engine.refresh();
    const app = await buildApp({ store, cityCode: CITY, clock, map: engine, analysis: engine });
    const iso = async (query: string) =>
      app.inject({ url: `/api/map/isochrone?community=${encodeURIComponent(community.code)}${query}` });

    const summary = (await app.inject({ url: '/api/map/summary' })).json() as {
      tiers: { id: string; minutes: number; walkingDistanceM: number }[];
    };
    assert.deepEqual(
      summary.tiers.map((t) => [t.id, t.minutes, t.walkingDistanceM]),
      [
        ['five-minute', 5, 300],
        ['ten-minute', 10, 500],
        ['fifteen-minute', 15, 1000],
      ],
    );

    const fifteen = (await iso('')).json() as { limitM: number; minutes: number; tier: string | null };
    assert.deepEqual([fifteen.limitM, fifteen.tier, fifteen.minutes], [1000, 'fifteen-minute', 16.7]);
    const ten = (await iso('&tier=ten-minute')).json() as typeof fifteen & { reachedLengthM: number };
    assert.deepEqual([ten.limitM, ten.tier, ten.minutes], [500, 'ten-minute', 8.3]);
    const minutes = (await iso('&minutes=10')).json() as typeof ten;
    assert.deepEqual([minutes.limitM, minutes.tier, minutes.minutes], [600, null, 10]);
    assert.ok(minutes.reachedLengthM > ten.reachedLengthM, 'ten minutes at 60 m/min walk farther than 500 m');

    const both = await iso('&tier=ten-minute&minutes=10');
    assert.equal(both.statusCode, 400);
    assert.match(both.json().error.message, /tier or minutes/);
    const block = await iso('&tier=neighbourhood-block');
    assert.equal(block.statusCode, 400, '居住街坊 has no walking distance');
    await app.close();
  } finally {
    await dispose();
  }
});
