import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { summariseCoverageRun } from '../analysis/index.js';
import { findCityDivision } from '../cities/index.js';
import { ERROR_CODES, LifeCircleError, type ErrorCode } from '../errors.js';
import { cityAnalysisJob, JobRunner } from '../jobs/index.js';
import { cliViewer } from '../policy/index.js';
import { loadStandards } from '../standards/index.js';
import type { AnalysisRun, Job, Store } from '../store/index.js';
import { systemClock } from '../time/index.js';
import { untilStopped } from './listen.js';
import { createProgress } from './progress.js';
import { DB_OPTION, withPreparedStore } from './prepared-store.js';
import { formatTable } from './table.js';

interface AnalyseOptions {
  queue?: boolean;
  threads?: string;
  config?: string;
  waitMin: string;
  quiet?: boolean;
  db?: string;
}

/**
 * `lifecircle city analyse [codes…]`: the coverage analysis of several cities at once — a province's, say — each
 * a job. Here (in this process's worker threads) by default; with `--queue`, left in the store for the
 * `lifecircle worker` processes of any number of machines (docs/deployment.md), this process only waiting for
 * them. The runs are the same either way: same inputs, same engine, same stored results.
 */
export function registerCityAnalysisCommand(city: Command): void {
  city
    .command('analyse')
    .alias('analyze')
    .description(
      'run the coverage analysis of cities set up with a walking network (all of them when none is named), ' +
        'each a job: here, or with --queue by the `lifecircle worker` processes',
    )
    .argument('[codes...]', 'division codes or names of cities set up')
    .option('--queue', 'leave the jobs in the store for `lifecircle worker` processes and wait for them')
    .option('--threads <n>', 'jobs run at once here (default: one per two cores); not with --queue')
    .option('--config <file>', 'city configuration (radii, facility types) instead of the national defaults')
    .option('--wait-min <minutes>', 'how long to wait for the queued jobs before giving up waiting', '120')
    .option('-q, --quiet', 'no progress on stderr')
    .option(...DB_OPTION)
    .action(async (codes: string[], o: AnalyseOptions) => {
      const threads = o.threads === undefined ? undefined : Number(o.threads);
      if (threads !== undefined && (!Number.isInteger(threads) || threads < 1 || threads > 64))
        throw new LifeCircleError('LC_USAGE', `--threads: expected a whole number 1–64, got '${o.threads}'`);
      if (threads !== undefined && o.queue)
        throw new LifeCircleError('LC_USAGE', '--threads: the workers choose their own threads with --queue');
      const waitMin = Number(o.waitMin);
      if (!Number.isFinite(waitMin) || waitMin <= 0)
        throw new LifeCircleError('LC_USAGE', `--wait-min: expected a positive number, got '${o.waitMin}'`);
      const standards = loadStandards(o.config);
      const { table, results, stopping } = await withPreparedStore(o.db, async (store) => {
        const cities = await citiesToAnalyse(store, codes);
        const runner = await JobRunner.start(
          { store, clock: systemClock, cityCode: '' },
          {
            mode: o.queue ? 'queue' : 'local',
            threads,
            // Every city waits its turn here: a province has more 区县 than a server lets wait (32).
            maxQueued: cities.length,
            pollMs: 500,
            queueWaitMs: waitMin * 60_000,
          },
        );
        const viewer = cliViewer(userInfo().username);
        const progress = createProgress(o.queue ? 'analyses (queued)' : 'analyses', o.quiet);
        const jobs: Job[] = [];
        // Ctrl-C: the jobs are cancelled (nothing of an unfinished one is kept), then the verb ends.
        let stopping = false;
        void untilStopped().then(async () => {
          stopping = true;
          for (const job of jobs) await runner.cancel(viewer, job.id).catch(() => undefined);
        });
        let results: Job[];
        try {
          for (const c of cities)
            jobs.push(
              await runner.submit(viewer, cityAnalysisJob, { cityCode: c.code, kind: 'coverage', standards }),
            );
          let done = 0;
          progress.update(0, jobs.length, o.queue ? 'waiting for workers' : '');
          results = await Promise.all(
            jobs.map((job) =>
              runner.finished(job.id).then((end) => {
                progress.update(++done, jobs.length, end.title);
                return end;
              }),
            ),
          );
        } finally {
          progress.stop();
          await runner.close();
        }
        return { table: await formatAnalyses(store, cities, results), results, stopping };
      });
      process.stdout.write(table);
      const failed = results.filter((j) => j.status !== 'succeeded');
      if (failed.length > 0) {
        const first = failed[0]!.error?.code ?? '';
        throw new LifeCircleError(
          stopping ? 'LC_CANCELLED' : first in ERROR_CODES ? (first as ErrorCode) : 'LC_INTERNAL',
          `${failed.length} of ${results.length} analyses did not succeed: ${failed.map((j) => `${j.title}: ${j.error?.message ?? j.status}`).join('; ')}`,
        );
      }
    });
}

/** The cities named (or all with a network); refused as a whole, before any job, when one cannot be analysed. */
async function citiesToAnalyse(
  store: Store,
  codes: readonly string[],
): Promise<{ code: string; name: string }[]> {
  const wanted = codes.length > 0 ? codes.map((c) => findCityDivision(c).code) : null;
  const all = await store.cities.list();
  const chosen = wanted ? [...new Set(wanted)] : all.map((c) => c.code);
  const problems: string[] = [];
  const out: { code: string; name: string }[] = [];
  for (const code of chosen) {
    const city = all.find((c) => c.code === code);
    if (!city) problems.push(`${code} is not set up (lifecircle city create ${code})`);
    else if (!(await store.cityNetworks.get(code))) {
      if (wanted)
        problems.push(`${code} ${city.name} has no walking network (lifecircle city network ${code} <file>)`);
    } else out.push({ code, name: city.name });
  }
  if (problems.length > 0)
    throw new LifeCircleError('LC_USAGE', `nothing was started: ${problems.join('; ')}`);
  if (out.length === 0)
    throw new LifeCircleError(
      'LC_USAGE',
      'no city set up has a walking network yet; import one with lifecircle city network <code> <file>',
    );
  return out;
}

const seconds = (job: Job): string =>
  job.startedAt && job.finishedAt
    ? `${((Date.parse(job.finishedAt) - Date.parse(job.startedAt)) / 1000).toFixed(1)} s`
    : '–';

/** One row per city: its run, what it covers, and which process ran it. */
async function formatAnalyses(
  store: Store,
  cities: readonly { code: string; name: string }[],
  results: readonly Job[],
): Promise<string> {
  const rows: string[][] = [];
  for (const [i, job] of results.entries()) {
    const city = cities[i]!;
    const runId = job.status === 'succeeded' ? (job.result as { run: AnalysisRun }).run.id : null;
    const run = runId === null ? null : await store.analysisRuns.get(runId);
    const summary = run ? summariseCoverageRun(run) : null;
    rows.push([
      city.code,
      city.name,
      job.status,
      runId === null ? '–' : String(runId),
      summary ? String(summary.communities) : '–',
      summary ? String(summary.communitiesOnNetwork) : '–',
      seconds(job),
      job.runner ?? '–',
    ]);
  }
  return formatTable(['city', 'name', 'status', 'run', 'communities', 'on network', 'time', 'ran in'], rows, [
    'left',
    'left',
    'left',
    'right',
    'right',
    'right',
    'right',
    'left',
  ]);
}
