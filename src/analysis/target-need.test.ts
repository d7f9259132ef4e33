import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCandidates, WhatIfScenario } from '../access/index.js';
import { createCity } from '../cities/index.js';
import { EdgeIndex } from '../network/index.js';
import { readCensus } from '../places/index.js';
import { cliViewer } from '../policy/index.js';
import { loadStandards } from '../standards/index.js';
import { openTemporaryStore } from '../store/index.js';
import { manualClock } from '../time/index.js';
import { evaluateStore, importCityNetwork, loadCityGraph, syntheticGridOsm } from './index.js';
import { planningTargetNeed, type PlanningInput } from './planning.js';

/**
 * What a coverage target takes, against brute force on a small network: a synthetic strip of streets (30 × 2
 * junctions 100 m apart, not a real place) in 宝山区's box with three 小区 — 甲 at its west end, 乙 250 m east of it
 * and 丙 at its east end, 1 km away. Kindergartens count a community within 300 m of walking, so one site can
 * serve 甲 and 乙, and 丙 needs its own: the fewest sites for all three is 2, for two of three 1.
 */
const clock = manualClock('2026-12-07T10:00:00+08:00');
const ADMIN = cliViewer('test');
const standards = loadStandards(undefined);

test('the sites a target takes are as few as brute force over every set of candidate sites finds', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lifecircle-need-'));
  const temp = await openTemporaryStore({ clock });
  try {
    const deps = { store: temp.store, clock, cityCode: '310113' };
    await createCity(deps, ADMIN, { code: '310113' });
    const path = join(dir, 'strip.osm');
    writeFileSync(
      path,
      syntheticGridOsm({
        lon: 121.4,
        lat: 31.4,
        // 30 × 2 = 60 junctions: the analysis leaves out network parts under 50 junctions.
        size: 30,
        rows: 2,
        areas: [
          { name: '合成小区甲（虚构）', east: 0, north: 40, sideM: 20 },
          { name: '合成小区乙（虚构）', east: 250, north: 40, sideM: 20 },
          { name: '合成小区丙（虚构）', east: 1000, north: 40, sideM: 20 },
        ],
      }),
    );
    await importCityNetwork(deps, ADMIN, {
      cityCode: '310113',
      path,
      fileName: 'strip.osm',
      places: true,
      standards,
    });
    const graph = (await loadCityGraph(temp.store, '310113'))!;
    const { evaluation, inputs } = await evaluateStore(temp.store, {
      cityCode: '310113',
      graph,
      standards,
      census: readCensus(undefined, '310113'),
    });
    const index = new EdgeIndex(graph);
    const byCode = new Map(inputs.communities.map((c) => [c.code, c.regionCode]));
    const input: PlanningInput = {
      graph,
      index,
      evaluation,
      runId: null,
      regionCodes: evaluation.communities.map((c) => byCode.get(c.id) ?? null),
    };
    assert.equal(evaluation.communities.length, 3);

    // Brute force: every set of candidate sites, smallest first, through what-if (not the siting code).
    const candidates = generateCandidates(graph, evaluation.communities, evaluation.placedCommunities);
    assert.ok(candidates.length >= 3, `${candidates.length} candidates`);
    const coveredBy = (sites: readonly number[]): number => {
      const scenario = new WhatIfScenario(graph, evaluation, index);
      for (const j of sites)
        scenario.add('kindergarten', { lon: candidates[j]!.lon, lat: candidates[j]!.lat });
      return scenario.current('kindergarten').covered.reduce((s, v) => s + v, 0);
    };
    const fewest = (wanted: number): number => {
      for (let k = 1; k <= 3; k++) {
        const pick = (from: number, chosen: number[]): boolean =>
          chosen.length === k
            ? coveredBy(chosen) >= wanted
            : Array.from({ length: candidates.length - from }, (_, i) => from + i).some((j) =>
                pick(j + 1, [...chosen, j]),
              );
        if (pick(0, [])) return k;
      }
      return Infinity;
    };

    for (const [share, wanted] of [
      [1, 3],
      [0.6, 2],
      [0.3, 1],
    ] as const) {
      const need = planningTargetNeed(input, 'kindergarten', '310113', share)!;
      assert.deepEqual([need.communities, need.covered, need.required], [3, 0, wanted], `share ${share}`);
      assert.equal(need.reachable, true);
      assert.equal(need.facilitiesNeeded, fewest(wanted), `share ${share}`);
      // The sites named do it: added by what-if they bring the region to the count wanted.
      const scenario = new WhatIfScenario(graph, evaluation, index);
      for (const p of need.picks) scenario.add('kindergarten', { lon: p.lon, lat: p.lat });
      assert.ok(scenario.current('kindergarten').covered.reduce((s, v) => s + v, 0) >= wanted);
    }
    assert.equal(planningTargetNeed(input, 'kindergarten', '310113', 1)!.facilitiesNeeded, 2);
    // "More than 2/3": all three.
    const strict = planningTargetNeed(input, 'kindergarten', '310113', 2 / 3, { strict: true })!;
    assert.equal(strict.required, 3);
    // Another region of the city has none of these communities.
    assert.equal(planningTargetNeed(input, 'kindergarten', '310114', 1)!.communities, 0);
  } finally {
    await temp.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});
