import { Worker } from 'node:worker_threads';
import type { CoverageProblem, MipOutcome } from './siting-exact.js';
import type { SolveReply, SolveRequest } from './siting-worker.js';

const ENTRY = new URL(`./siting-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);

/** After the budget, how long a solve may overrun (HiGHS checks its time limit now and then) before the thread is stopped. */
const GRACE_MS = 1000;
/** A thread whose HiGHS has not loaded by then is stopped (its requests answer 'over-budget'). */
const LOAD_LIMIT_MS = 20_000;

/** The exact solver's answer, or why there is none. */
export type ThreadAnswer =
  | { readonly ok: true; readonly outcome: MipOutcome }
  | { readonly ok: false; readonly why: 'over-budget' | 'failed'; readonly message: string };

interface Live {
  worker: Worker;
  pending: Map<number, (answer: ThreadAnswer) => void>;
  /** Set when HiGHS has loaded in the thread; until then, watchdogs wait here to be armed. */
  ready: boolean;
  onReady: (() => void)[];
}

/**
 * One worker thread that holds HiGHS (WebAssembly, loaded once: 0.1–0.5 s) and solves maximum-coverage MIPs by
 * message, so branch-and-bound never blocks the server's event loop. Requests are solved one after another, each
 * within its budget counted from when it was asked (or from when HiGHS had loaded, for requests made while it
 * loaded); the thread itself stops a solve at the budget, and a thread that has not answered by the budget plus a
 * grace second is terminated (its requests answer 'over-budget') and started anew on the next request. An idle
 * thread does not keep the process alive.
 */
export class SitingThread {
  private live: Live | undefined;
  private nextId = 1;

  /** `entry`: the worker's module (tests may start another). */
  constructor(private readonly options: { entry?: URL } = {}) {}

  /** Solves `problem` from `start` (original candidate indices) within `budgetMs` of now. Never rejects. */
  solve(problem: CoverageProblem, start: readonly number[], budgetMs: number): Promise<ThreadAnswer> {
    const live = (this.live ??= this.start());
    const id = this.nextId++;
    return new Promise<ThreadAnswer>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const arm = () => {
        if (!live.pending.has(id)) return;
        // The thread overran this budget by more than the grace: stop it, with whatever else it was doing.
        timer = setTimeout(() => {
          if (live.pending.has(id)) void this.stop(live);
        }, budgetMs + GRACE_MS);
        timer.unref();
      };
      if (live.pending.size === 0) live.worker.ref();
      live.pending.set(id, (answer) => {
        clearTimeout(timer);
        resolve(answer);
      });
      if (live.ready) arm();
      else live.onReady.push(arm);
      live.worker.postMessage({
        id,
        problem,
        start: [...start],
        budgetMs,
        sentAt: Date.now(),
      } satisfies SolveRequest);
    });
  }

  /** Stops the thread; requests still waiting answer 'over-budget'. A later request starts it again. */
  async close(): Promise<void> {
    if (this.live) await this.stop(this.live);
  }

  private async stop(live: Live): Promise<void> {
    if (this.live === live) this.live = undefined;
    await live.worker.terminate();
  }

  private start(): Live {
    const worker = new Worker(this.options.entry ?? ENTRY);
    const live: Live = { worker, pending: new Map(), ready: false, onReady: [] };
    worker.unref();
    const loading = setTimeout(() => void this.stop(live), LOAD_LIMIT_MS);
    loading.unref();
    const settle = (id: number, answer: ThreadAnswer) => {
      const waiting = live.pending.get(id);
      if (!waiting) return;
      live.pending.delete(id);
      if (live.pending.size === 0) worker.unref();
      waiting(answer);
    };
    worker.on('message', (reply: SolveReply) => {
      if (reply.type === 'ready') {
        clearTimeout(loading);
        live.ready = true;
        for (const arm of live.onReady.splice(0)) arm();
      } else if (reply.type === 'solved') settle(reply.id, { ok: true, outcome: reply.outcome });
      else if (reply.type === 'late')
        settle(reply.id, { ok: false, why: 'over-budget', message: 'the budget ran out before its turn' });
      else settle(reply.id, { ok: false, why: 'failed', message: reply.message });
    });
    let failure: Error | undefined;
    worker.on('error', (error) => (failure = error));
    worker.on('exit', () => {
      if (this.live === live) this.live = undefined;
      for (const id of [...live.pending.keys()])
        settle(
          id,
          failure
            ? { ok: false, why: 'failed', message: `the siting thread failed: ${failure.message}` }
            : { ok: false, why: 'over-budget', message: 'the siting thread was stopped over its budget' },
        );
    });
    return live;
  }
}

let shared: SitingThread | undefined;

/** The process's siting solver thread, started on first use. */
export function sharedSitingThread(): SitingThread {
  return (shared ??= new SitingThread());
}
