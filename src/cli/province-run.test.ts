import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  importCityNetwork,
  prepareStore,
  summariseCoverageRun,
  syntheticGridOsm,
  type SyntheticGrid,
} from '../analysis/index.js';
import { createCity } from '../cities/index.js';
import { cliViewer } from '../policy/index.js';
import { loadStandards } from '../standards/index.js';
import { openTemporaryStore, type AnalysisRun, type TemporaryStore } from '../store/index.js';
import { systemClock } from '../time/index.js';

/**
 * Three cities of one province (山西: 太原, 大同, 长治), each with a synthetic walking grid (not real places; see
 * src/analysis/test-grid.ts) placed inside the city's bundled box. In each, 小区甲 holds a kindergarten at its
 * centre and 小区乙 lies more than 300 m of walking (the kindergarten's radius) from it, so 1 of 2 communities is
 * covered; 长治 has a third 小区 beside the kindergarten (2 of 3).
 */
const CITIES: { code: string; grid: SyntheticGrid; covered: [number, number] }[] = [
  { code: '1401', grid: grid(112.55, 37.86, 8, 0), covered: [1, 2] },
  { code: '1402', grid: grid(113.3, 40.08, 10, 1_000_000), covered: [1, 2] },
  {
    code: '1404',
    grid: {
      ...grid(113.12, 36.2, 9, 2_000_000),
      areas: [...grid(0, 0, 0, 0).areas!, { name: '合成小区丙（虚构）', east: 210, north: 120, sideM: 50 }],
    },
    covered: [2, 3],
  },
];

function grid(lon: number, lat: number, size: number, idBase: number): SyntheticGrid {
  return {
    lon,
    lat,
    size,
    idBase,
    areas: [
      { name: '合成小区甲（虚构）', east: 120, north: 120, sideM: 60 },
      { name: '合成小区乙（虚构）', east: 550, north: 550, sideM: 40 },
    ],
    facilities: [{ name: '合成幼儿园（虚构）', east: 150, north: 150, tags: { amenity: 'kindergarten' } }],
  };
}

/** `lifecircle …` as its own process on the test's store; resolves with its output once it exits. */
function lifecircle(temp: TemporaryStore, args: string[]): ChildProcess & { output: { text: string } } {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_TEST_CONTEXT: undefined };
  const full = ['bin/lifecircle.js', ...args];
  if (temp.schema) {
    env.DATABASE_URL = temp.path;
    env.LIFECIRCLE_DB_SCHEMA = temp.schema;
  } else full.push('--db', temp.path);
  const child = spawn(process.execPath, full, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = { text: '' };
  child.stdout.on('data', (d: Buffer) => (output.text += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output.text += d.toString()));
  return Object.assign(child, { output });
}

const exited = (child: ChildProcess): Promise<number | null> =>
  child.exitCode !== null
    ? Promise.resolve(child.exitCode)
    : new Promise((resolve) => child.once('exit', (code) => resolve(code)));

async function printed(child: ChildProcess & { output: { text: string } }, pattern: RegExp): Promise<void> {
  for (let waited = 0; !pattern.test(child.output.text); waited += 50) {
    if (child.exitCode !== null || waited > 60_000)
      throw new Error(`no ${pattern} from the process:\n${child.output.text}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test(
  "a province's analyses queued for two worker processes store exactly the runs one process makes",
  { timeout: 300_000 },
  async () => {
    const temp = await openTemporaryStore({ clock: systemClock });
    const dir = mkdtempSync(join(tmpdir(), 'lifecircle-province-'));
    const workers: ReturnType<typeof lifecircle>[] = [];
    try {
      const admin = cliViewer('test');
      await prepareStore(temp.store, { LIFECIRCLE_ADMIN_PASSWORD: 'synthetic admin pw' });
      for (const { code, grid } of CITIES) {
        const deps = { store: temp.store, clock: systemClock, cityCode: code };
        await createCity(deps, admin, { code });
        const path = join(dir, `${code}.osm`);
        writeFileSync(path, syntheticGridOsm(grid));
        await importCityNetwork(deps, admin, {
          cityCode: code,
          path,
          fileName: `${code}.osm`,
          places: true,
          standards: loadStandards(undefined),
        });
      }

      // One process: every city with a network (none named), in this process's thread.
      const single = lifecircle(temp, ['city', 'analyse', '--threads', '1', '--quiet']);
      assert.equal(await exited(single), 0, single.output.text);

      // Two workers, then the same cities named and queued for them.
      workers.push(lifecircle(temp, ['worker', '--threads', '1', '--idle-ms', '50']));
      workers.push(lifecircle(temp, ['worker', '--threads', '1', '--idle-ms', '50']));
      for (const w of workers) await printed(w, /taking jobs from/);
      const queued = lifecircle(temp, ['city', 'analyse', '太原市', '1402', '140400', '--queue', '--quiet']);
      assert.equal(await exited(queued), 0, queued.output.text);
      for (const w of workers) w.kill('SIGTERM');
      for (const w of workers) assert.equal(await exited(w), 0, w.output.text);

      for (const out of [single.output.text, queued.output.text]) {
        assert.match(out, /^city\s+name\s+status\s+run\s+communities\s+on network\s+time\s+ran in$/m);
        for (const name of ['太原市', '大同市', '长治市'])
          assert.match(out, new RegExp(`^\\d{4}\\s+${name}\\s+succeeded\\s+\\d+\\s`, 'm'));
      }

      const jobs = (await temp.store.jobs.list({ limit: 100 })).items
        .filter((j) => j.kind === 'analysis.city')
        .sort((a, b) => a.id - b.id);
      assert.equal(jobs.length, 6);
      assert.ok(jobs.every((j) => j.status === 'succeeded'));
      const pidOf = (job: (typeof jobs)[number]) => Number(job.runner!.split(':').at(-2));
      assert.deepEqual(new Set(jobs.slice(0, 3).map(pidOf)), new Set([single.pid]));
      assert.deepEqual(
        new Set(jobs.slice(3).map(pidOf)),
        new Set(workers.map((w) => w.pid)),
        'each worker took a part of the queue, the waiting process none',
      );
      // Queued jobs keep no input once ended.
      const [left] = await temp.query('SELECT count(*) AS n FROM jobs WHERE input IS NOT NULL');
      assert.equal(Number(left!.n), 0);

      const runs = new Map<string, AnalysisRun[]>();
      for (const job of jobs) {
        const run = (await temp.store.analysisRuns.get((job.result as { run: AnalysisRun }).run.id))!;
        const city = String((run.parameters as { cityCode: string }).cityCode);
        runs.set(city, [...(runs.get(city) ?? []), run]);
      }
      for (const { code, covered } of CITIES) {
        const [one, other] = runs.get(code)!;
        assert.ok(one && other, `two runs of ${code}`);
        assert.notEqual(one.id, other.id);
        assert.equal(other.inputsHash, one.inputsHash, code);
        assert.deepEqual(other.results, one.results, code);
        assert.deepEqual(other.parameters, one.parameters, code);
        const kindergarten = summariseCoverageRun(one).types.find((t) => t.typeId === 'kindergarten')!;
        assert.deepEqual([kindergarten.coveredCommunities, kindergarten.communities], covered, code);
      }
    } finally {
      for (const w of workers) if (w.exitCode === null) w.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      await temp.dispose();
    }
  },
);
