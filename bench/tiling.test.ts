import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importOsmNetwork, type WalkGraph } from '../src/network/index.js';
import { planTiles } from './tiling.js';
import { loadFacilityTypes, syntheticWorkload } from './workload.js';

let chengdu: WalkGraph | undefined;
async function graph(): Promise<WalkGraph> {
  chengdu ??= await importOsmNetwork('data/chengdu-central/chengdu-central-2018.osm');
  return chengdu;
}

test('tile stitches join main-component nodes of neighbouring tiles only', async () => {
  const g = await graph();
  const { plan, stitches } = planTiles(g, 5); // 3 columns: tiles 0 1 2 / 3 4
  assert.equal(plan.columns, 3);
  const mainIds = new Set<number>();
  for (let i = 0; i < g.nodeCount; i++) if (g.nodeComponent[i] === 0) mainIds.add(g.nodeOsmId[i]);
  const borders = new Set<string>();
  for (const [a, b] of stitches) {
    const ta = Math.floor(a / 1e10);
    const tb = Math.floor(b / 1e10);
    assert.ok(tb - ta === 1 || tb - ta === 3, `tiles ${ta} and ${tb} are not neighbours`);
    if (tb - ta === 1) assert.notEqual(ta % 3, 2, `tile ${ta} is at the end of its row`);
    assert.ok(mainIds.has(a - ta * 1e10) && mainIds.has(b - tb * 1e10));
    borders.add(`${ta}-${tb}`);
  }
  assert.deepEqual([...borders].sort(), ['0-1', '0-3', '1-2', '1-4', '3-4']);
  assert.equal(plan.stitchCount, stitches.length);
  assert.ok(plan.stitchLengthM.min > 0 && plan.stitchLengthM.min <= plan.stitchLengthM.max);
});

test('synthetic points are the same for the same seed and lie on their edges', async () => {
  const g = await graph();
  const types = loadFacilityTypes('bench/w1-facility-types.json').synthetic;
  const a = syntheticWorkload('x', g, types, 2000, 42);
  const b = syntheticWorkload('x', g, types, 2000, 42);
  const c = syntheticWorkload('x', g, types, 2000, 43);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a.communities, c.communities);
  assert.equal(a.communities.length, Math.round(g.nodeCount * 0.01));
  assert.equal(
    a.types.reduce((n, t) => n + t.facilities.length, 0),
    20_000,
  );
  for (const t of a.types)
    for (const f of t.facilities) assert.ok(f.offsetM >= 0 && f.offsetM <= g.edgeLength[f.edge]);
  assert.deepEqual(a.syntheticParts, ['communities', 'facilities']);
});
