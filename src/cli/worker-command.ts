import type { Command } from 'commander';
import { LifeCircleError } from '../errors.js';
import { JobRunner } from '../jobs/index.js';
import { openStore } from '../store/index.js';
import { systemClock } from '../time/index.js';
import { untilStopped } from './listen.js';

/**
 * `lifecircle worker`: a process that runs the jobs servers in queue mode (`LIFECIRCLE_JOBS=queue`) leave in the
 * store — imports and city analyses (`lifecircle city analyse --queue`). Run as many as the work needs, on any machine that reaches the database; each takes one
 * job at a time per thread, and a job is never taken twice. Ctrl-C or SIGTERM stops it: running jobs are
 * cancelled (nothing of them is kept) and end as cancelled.
 */
export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description(
      'run queued jobs (imports, city analyses) for servers started with LIFECIRCLE_JOBS=queue and for `lifecircle city analyse --queue`; see docs/deployment.md',
    )
    .option(
      '--db <file>',
      'a SQLite store file (default: the PostgreSQL of DATABASE_URL when set, else LIFECIRCLE_DB or .lifecircle/lifecircle.db)',
    )
    .option('--threads <n>', 'jobs run at once (default: one per two cores, at least one)')
    .option('--idle-ms <ms>', 'how often to look for work while there is none', '1000')
    .action(async (options: { db?: string; threads?: string; idleMs: string }) => {
      const threads = options.threads === undefined ? undefined : Number(options.threads);
      if (threads !== undefined && (!Number.isInteger(threads) || threads < 1 || threads > 64))
        throw new LifeCircleError(
          'LC_USAGE',
          `--threads: expected a whole number 1–64, got '${options.threads}'`,
        );
      const store = await openStore({ path: options.db });
      // The city of each job comes with the job (who asked, where); the worker itself serves none.
      const runner = await JobRunner.start({ store, clock: systemClock, cityCode: '' }, { threads });
      const stop = new AbortController();
      void untilStopped().then(() => stop.abort());
      process.stdout.write(`worker ${runner.runnerId} taking jobs from ${store.location}\n`);
      try {
        await runner.work(stop.signal, Number(options.idleMs) || 1000);
      } finally {
        await store.close();
      }
      process.stdout.write(`worker ${runner.runnerId} stopped\n`);
    });
}
