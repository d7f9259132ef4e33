// Benchmark: a 双随机 draw over 100,000 SYNTHETIC providers must take ≤ 1 s (issue 6).
// Run with `npm run bench:supervision`. Providers, classes and inspectors are invented; only the timing matters.
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { drawInspections, type Candidate, type Inspector, type RiskClass } from '../src/supervision/index.js';
import { seededRandom as mulberry32 } from './rng.js';

const PROVIDERS = 100_000;
const INSPECTORS = 400;
const RUNS = 5;
const GOAL_MS = 1000;

function syntheticLists(): { candidates: Candidate[]; inspectors: Inspector[] } {
  const rand = mulberry32(20261122);
  // 12 districts of 成都 (5101xx), 20 街道 each: a city-sized spread of region codes.
  const districts = [
    '510104',
    '510105',
    '510106',
    '510107',
    '510108',
    '510112',
    '510113',
    '510114',
    '510115',
    '510116',
    '510117',
    '510118',
  ];
  const candidates: Candidate[] = [];
  for (let i = 0; i < PROVIDERS; i += 1) {
    const r = rand();
    const riskClass: RiskClass = r < 0.3 ? 'A' : r < 0.8 ? 'B' : r < 0.95 ? 'C' : 'D';
    const district = districts[Math.floor(rand() * districts.length)];
    const street = String(1 + Math.floor(rand() * 20)).padStart(3, '0');
    candidates.push({
      uscc: `SYN${district}${String(i).padStart(9, '0')}`,
      riskClass,
      regionCode: `${district}${street}`,
      lastInspectorIds: rand() < 0.3 ? [`insp-${Math.floor(rand() * INSPECTORS)}`] : [],
    });
  }
  const inspectors: Inspector[] = [];
  for (let j = 0; j < INSPECTORS; j += 1) {
    const conflictUscc: string[] = [];
    for (let k = 0; k < 3; k += 1) conflictUscc.push(candidates[Math.floor(rand() * PROVIDERS)].uscc);
    inspectors.push({ id: `insp-${j}`, regionCodes: [districts[j % districts.length]], conflictUscc });
  }
  return { candidates, inspectors };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const { candidates, inspectors } = syntheticLists();
// Wall-clock and CPU time: the machine may be shared, and CPU time is what the draw itself costs.
const timings = {
  drawOnly: [] as number[],
  cpuDrawOnly: [] as number[],
  withAssignment: [] as number[],
  cpuWithAssignment: [] as number[],
};
let last = drawInspections({ seed: 'warm-up', candidates });
for (let run = 0; run < RUNS; run += 1) {
  let t0 = performance.now();
  const cpuDraw0 = process.cpuUsage();
  last = drawInspections({ seed: `bench-${run}`, candidates });
  const cpuDraw = process.cpuUsage(cpuDraw0);
  timings.drawOnly.push(performance.now() - t0);
  timings.cpuDrawOnly.push((cpuDraw.user + cpuDraw.system) / 1000);
  t0 = performance.now();
  const cpu0 = process.cpuUsage();
  last = drawInspections({ seed: `bench-${run}`, candidates, inspectors });
  const cpu = process.cpuUsage(cpu0);
  timings.withAssignment.push(performance.now() - t0);
  timings.cpuWithAssignment.push((cpu.user + cpu.system) / 1000);
}
const drawOnly = median(timings.drawOnly);
const withAssignment = median(timings.withAssignment);
const cpuWithAssignment = median(timings.cpuWithAssignment);
console.log('双随机 draw benchmark (SYNTHETIC providers and inspectors)');
console.log(
  `machine        ${cpus()[0]?.model ?? 'unknown cpu'} × ${cpus().length}, Node ${process.version}`,
);
console.log(
  `input          ${PROVIDERS} providers, ${INSPECTORS} inspectors, default ratios (大庆/林甸 upper bounds)`,
);
console.log(`drawn          ${last.targets.length} targets, ${last.unassigned.length} unassigned`);
console.log(
  `draw only      median ${drawOnly.toFixed(0)} ms wall, ${median(timings.cpuDrawOnly).toFixed(0)} ms CPU, of ${RUNS} runs`,
);
console.log(
  `draw + assign  median ${withAssignment.toFixed(0)} ms wall, ${cpuWithAssignment.toFixed(0)} ms CPU, of ${RUNS} runs`,
);
console.log(
  `goal ≤ ${GOAL_MS} ms  wall ${withAssignment <= GOAL_MS ? 'MET' : 'MISSED'}, CPU ${cpuWithAssignment <= GOAL_MS ? 'MET' : 'MISSED'}` +
    (loadavg()[0] > cpus().length ? ' (machine busy: wall time includes waiting for a core)' : ''),
);
