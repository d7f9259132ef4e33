import cluster, { type Worker } from 'node:cluster';
import { LifeCircleError } from '../errors.js';

/** What a serving process tells the primary once it listens: the lines to print. */
interface Listening {
  type: 'lifecircle:listening';
  lines: string[];
}

/** What a serving process tells the primary when it could not start: the message to print. */
interface Failed {
  type: 'lifecircle:failed';
  message: string;
}

/** `--processes`: a whole number from 1 to 64; a bad value is a usage error naming it. */
export function resolveProcesses(option: string | undefined): number {
  const text = option ?? process.env.LIFECIRCLE_PROCESSES ?? '1';
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 64)
    throw new LifeCircleError('LC_USAGE', `--processes: expected a whole number 1–64, got '${text}'`);
  return n;
}

/**
 * Serves with `count` processes on one port (node:cluster: the primary accepts connections and hands them to the
 * processes in turn). The first process prepares the store (tables, bundled data, the first analysis run) before
 * the others start, so they find it ready; each keeps its own store connection and map, which follows the newest
 * run in the store (src/analysis `followStore`). A process that dies is started again. Sessions and jobs live in
 * the store, so any process answers any request.
 *
 * `serveOne` starts one serving process and returns the lines to print and how to stop it; in the primary it
 * is never called. Resolves when the whole group has stopped (Ctrl-C or SIGTERM to the primary).
 */
export async function serveInProcesses(
  count: number,
  serveOne: () => Promise<{ lines: string[]; close: () => Promise<void> }>,
  untilStopped: () => Promise<void>,
  print: (text: string) => void,
): Promise<void> {
  if (!cluster.isPrimary) {
    let started: { lines: string[]; close: () => Promise<void> };
    try {
      started = await serveOne();
    } catch (error) {
      process.send?.({ type: 'lifecircle:failed', message: (error as Error).message } satisfies Failed);
      process.exit(1);
    }
    process.send?.({ type: 'lifecircle:listening', lines: started.lines } satisfies Listening);
    await untilStopped();
    await started.close();
    // The channel to the primary would keep this process alive after a clean close.
    process.exit(0);
  }

  let stopping = false;
  const ready = (worker: Worker): Promise<string[]> =>
    new Promise((resolve, reject) => {
      worker.on('message', (message: Listening | Failed) => {
        if (message?.type === 'lifecircle:listening') resolve(message.lines);
        if (message?.type === 'lifecircle:failed') reject(new LifeCircleError('LC_USAGE', message.message));
      });
      worker.once('exit', (code) =>
        reject(
          new LifeCircleError('LC_USAGE', `a serving process stopped while starting (exit code ${code})`),
        ),
      );
    });

  const first = cluster.fork();
  const lines = await ready(first);
  const rest = Array.from({ length: count - 1 }, () => cluster.fork());
  await Promise.all(rest.map(ready));
  const pids = [first, ...rest].map((w) => w.process.pid).join(', ');
  print([...lines, `processes  ${count} on one port (pids ${pids})`].join('\n') + '\n');

  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    print(`process ${worker.process.pid} stopped (${signal ?? `exit code ${code}`}); starting another\n`);
    cluster.fork();
  });
  await untilStopped();
  stopping = true;
  const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w);
  await Promise.all(
    workers.map(
      (w) =>
        new Promise<void>((resolve) => {
          w.once('exit', () => resolve());
          w.kill('SIGTERM');
        }),
    ),
  );
}
