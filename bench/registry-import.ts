/**
 * Registry import/export throughput on a real store file: `npm run build && node dist/bench/registry-import.js`.
 * Rows: every 成都 社区 code of data/divisions/communities.csv (real codes and names) and 10,000 facilities.
 * Coordinates are SYNTHETIC (a deterministic grid inside 成都's box): the bundled codes carry no positions.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { bundledDataDir, openTemporaryStore } from '../src/store/index.js';
import { cliViewer } from '../src/policy/index.js';
import { systemClock } from '../src/time/index.js';
import {
  exportRegister,
  importRegister,
  addDefaultFacilityTypes,
  type ImportOptions,
} from '../src/registry/index.js';

const FACILITIES = 10_000;
const actor = { userId: null, name: 'bench' };

async function timed<T>(label: string, rows: number, fn: () => Promise<T>): Promise<T> {
  const start = performance.now();
  const out = await fn();
  const ms = performance.now() - start;
  console.log(
    `${label.padEnd(44)} ${ms.toFixed(0).padStart(7)} ms  ${((rows / ms) * 1000).toFixed(0).padStart(8)} rows/s`,
  );
  return out;
}

const grid = (i: number): [number, number] => [
  103.95 + (i % 100) * 0.003,
  30.55 + Math.floor(i / 100) * 0.0015,
];

async function main(): Promise<void> {
  const { store, dispose } = await openTemporaryStore();
  const { loadBundledDivisions } = await import('../src/store/index.js');
  const regions = await timed('load bundled division codes', 13_399, () => loadBundledDivisions(store));
  await addDefaultFacilityTypes({ store, clock: systemClock, cityCode: '5101' }, cliViewer('bench'), {});

  const communities = readFileSync(join(bundledDataDir(), 'divisions', 'communities.csv'), 'utf8')
    .split('\n')
    .slice(1)
    .filter((l) => l.split(',')[4] === '5101')
    .map((l, i) => {
      const [code, name] = l.split(',');
      const [lon, lat] = grid(i);
      return `${code},${name.replace(/"/g, '')},${code},${lon},${lat},${1000 + i}`;
    });
  const communityCsv = Buffer.from(['code,name,region_code,lon,lat,population', ...communities].join('\n'));
  const run = (o: Pick<ImportOptions, 'entity' | 'bytes' | 'fileName'>) =>
    importRegister(store, { ...o, actor, cityCode: '5101' });
  await timed(`import ${communities.length} 社区 (CSV, new)`, communities.length, () =>
    run({ entity: 'communities', bytes: communityCsv, fileName: 'c.csv' }),
  );
  await timed(`re-import the same file (unchanged)`, communities.length, () =>
    run({ entity: 'communities', bytes: communityCsv, fileName: 'c.csv' }),
  );

  const types = ['pharmacy', 'convenience_store', 'kindergarten', 'elderly_service_station'];
  const facilities = Array.from({ length: FACILITIES }, (_, i) => {
    const [lon, lat] = grid(i);
    return `F${i},网点${i},${types[i % types.length]},${lon},${lat},${i % 50},${i % 3 === 0 ? '是' : '否'}`;
  });
  const facilityCsv = Buffer.from(['code,name,type,lon,lat,capacity,affordable', ...facilities].join('\n'));
  await timed(`import ${FACILITIES} facilities (CSV, new)`, FACILITIES, () =>
    run({ entity: 'facilities', bytes: facilityCsv, fileName: 'f.csv' }),
  );
  const all = (await store.facilities.list({ limit: 1000 })).items;
  const xlsx = await timed('export 1000 facilities as XLSX', 1000, () =>
    exportRegister('facilities', all, 'xlsx'),
  );
  await timed('re-import that XLSX (unchanged)', 1000, () =>
    run({ entity: 'facilities', bytes: xlsx, fileName: 'f.xlsx' }),
  );
  console.log(`(${regions} regions; store file in a temp dir)`);
  await dispose();
}

await main();
