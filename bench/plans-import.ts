/**
 * Time `importPlan` on the five seed plans (data/seeds). Run: `npm run build && node dist/bench/plans-import.js`.
 * Reports the median of 20 runs per seed after 3 warm-up runs.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
// eslint-disable-next-line no-restricted-imports -- bench/ sits outside src/ and uses the module's public entry
import { flattenMeasures, importPlan } from '../src/plans/index.js';

const SEEDS = [
  '000_35adacbb0c49853b',
  '001_6d4fe630431b83bc',
  '002_ce73fb87e0a846d2',
  '003_3feb47f8dc58927a',
  '004_8ac6a6207ac107a0',
];

for (const seed of SEEDS) {
  const bytes = readFileSync(`data/seeds/${seed}.txt`);
  const times: number[] = [];
  let measures = 0;
  for (let i = 0; i < 23; i++) {
    const start = performance.now();
    const plan = await importPlan(bytes, seed);
    const ms = performance.now() - start;
    if (i >= 3) times.push(ms);
    measures = flattenMeasures(plan.measures).length;
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  console.log(
    `${seed}  ${String(bytes.length).padStart(6)} bytes  ${String(measures).padStart(3)} measures  median ${median.toFixed(1)} ms`,
  );
}
