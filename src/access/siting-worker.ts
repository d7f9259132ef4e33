// The siting solver thread's entry: src/access/siting-thread.ts starts it as a worker thread.
import { parentPort } from 'node:worker_threads';
import { loadHighs, solveCoverage, type CoverageProblem, type MipOutcome } from './siting-exact.js';

/**
 * What the main thread asks: solve `problem` from `start` within `budgetMs` of `sentAt` (Date.now()), or of when
 * HiGHS finished loading if that was later (loading is paid once per thread, not by one request's budget).
 */
export interface SolveRequest {
  readonly id: number;
  readonly problem: CoverageProblem;
  readonly start: readonly number[];
  readonly budgetMs: number;
  readonly sentAt: number;
}

/** 'ready' (no id) once HiGHS has loaded or failed to: the main thread's watchdogs count from then. */
export type SolveReply =
  | { readonly type: 'ready' }
  | { readonly id: number; readonly type: 'solved'; readonly outcome: MipOutcome }
  | { readonly id: number; readonly type: 'late' }
  | { readonly id: number; readonly type: 'error'; readonly message: string };

const port = parentPort;
if (!port) throw new Error('src/access/siting-worker runs as a worker thread (SitingThread starts it)');
// Loaded (and compiled) at once, while the first request's message is on its way.
let loadedAt = Infinity;
const highs = loadHighs();
highs.then(
  () => ((loadedAt = Date.now()), port.postMessage({ type: 'ready' } satisfies SolveReply)),
  () => ((loadedAt = Date.now()), port.postMessage({ type: 'ready' } satisfies SolveReply)),
);
port.on('message', (request: SolveRequest) => {
  highs.then(
    (h) => {
      // Requests queue behind each other: what is left of this one's budget when its turn comes.
      const leftS = (Math.max(request.sentAt, loadedAt) + request.budgetMs - Date.now()) / 1000;
      if (leftS <= 0.005) return port.postMessage({ id: request.id, type: 'late' } satisfies SolveReply);
      try {
        const outcome = solveCoverage(h, request.problem, { timeLimitS: leftS, start: request.start });
        port.postMessage({ id: request.id, type: 'solved', outcome } satisfies SolveReply);
      } catch (error) {
        port.postMessage({ id: request.id, type: 'error', message: String(error) } satisfies SolveReply);
      }
    },
    (error: unknown) =>
      port.postMessage({
        id: request.id,
        type: 'error',
        message: `HiGHS did not load: ${String(error)}`,
      } satisfies SolveReply),
  );
});
