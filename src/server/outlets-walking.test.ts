import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LifeCircleEngine, loadCityGraph } from '../analysis/index.js';
import { haversineM } from '../geo/index.js';
import type { Facility } from '../store/index.js';
import { manualClock } from '../time/index.js';
import { buildApp } from './app.js';
import { openGridCity } from './test-support.js';

/**
 * The residents' outlets walk on the same network, from the same points, as the map's community panel: a synthetic
 * grid of streets 100 m apart (10 × 10 junctions, not a real place) in 宝山区's box, one 小区 at its west edge, two
 * kindergartens on its streets and one 2 km off the grid.
 */
const CITY = '310113';
const clock = manualClock('2026-12-07T10:00:00+08:00');
const SW = { lon: 121.4, lat: 31.4 };
/** Metres east and north of the grid's south-west corner (the grid's own construction). */
const at = (east: number, north: number) => {
  const north1 = (6_371_008.8 * Math.PI) / 180;
  return {
    lon: SW.lon + east / north1 / Math.cos((SW.lat * Math.PI) / 180),
    lat: SW.lat + north / north1,
  };
};

test('outlets near a community: walking distances from the engine, equal to the map panel’s; off the network, straight line', async () => {
  const { store, community, dispose } = await openGridCity({
    cityCode: CITY,
    clock,
    grid: { ...SW, size: 10, areas: [{ name: '合成小区（虚构）', east: 0, north: 40, sideM: 20 }] },
  });
  try {
    const kindergarten = (code: string, name: string, location: { lon: number; lat: number }): Facility => ({
      code,
      name,
      typeCode: 'kindergarten',
      location,
      address: null,
      regionCode: community.regionCode,
      capacity: 100,
      affordable: false,
      status: 'open',
      providerUscc: null,
      contactPhone: null,
    });
    // On the street x = 300 m, 400 m up: about 300 m as the crow flies, some 650 m along the streets.
    await store.facilities.upsert(kindergarten('K-NEAR', '合成幼儿园甲（虚构）', at(300, 400)));
    await store.facilities.upsert(kindergarten('K-FAR', '合成幼儿园乙（虚构）', at(800, 800)));
    await store.facilities.upsert(kindergarten('K-OFF', '合成幼儿园丙（虚构）', at(-2000, 50)));
    const graph = (await loadCityGraph(store, CITY))!;
    const engine = new LifeCircleEngine({ store, cityCode: CITY, graph, clock });
    await engine.refresh();
    const app = await buildApp({ store, cityCode: CITY, clock, map: engine, analysis: engine });
    const url = `/api/ratings/outlets?community=${encodeURIComponent(community.code)}&limit=10`;
    const res = await app.inject({ url });
    assert.equal(res.statusCode, 200, res.body);
    const near = res.json();
    assert.equal(near.distance, 'walking');
    assert.deepEqual(
      near.items.map((i: { code: string; distanceKind: string }) => [i.code, i.distanceKind]),
      [
        ['K-NEAR', 'walking'],
        ['K-FAR', 'walking'],
        ['K-OFF', 'straight-line'],
      ],
    );
    const [first, second, off] = near.items as { code: string; distanceM: number }[];
    const { lon, lat } = community.location;
    const crow = (f: { lon: number; lat: number }) => haversineM(lon, lat, f.lon, f.lat);
    assert.ok(first.distanceM > crow(at(300, 400)) + 100, `${first.distanceM} m walked is along the streets`);
    assert.ok(second.distanceM > first.distanceM);
    assert.equal(off.distanceM, Math.round(crow(at(-2000, 50))));
    // The same number the map's community panel gives for the nearest kindergarten.
    const panel = await app.inject({ url: `/api/map/communities/${encodeURIComponent(community.code)}` });
    assert.equal(panel.statusCode, 200, panel.body);
    const type = panel.json().types.find((t: { typeId: string }) => t.typeId === 'kindergarten');
    assert.equal(first.distanceM, type.nearestM);
    await app.close();

    // Without a walking network the server says the distances are straight lines.
    const plain = await buildApp({ store, cityCode: CITY, clock });
    const straight = (await plain.inject({ url })).json();
    assert.equal(straight.distance, 'straight-line');
    assert.deepEqual(
      straight.items.map((i: { code: string; distanceM: number; distanceKind: string }) => [
        i.code,
        i.distanceKind,
      ]),
      [
        ['K-NEAR', 'straight-line'],
        ['K-FAR', 'straight-line'],
        ['K-OFF', 'straight-line'],
      ],
    );
    await plain.close();
  } finally {
    await dispose();
  }
});
