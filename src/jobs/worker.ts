/**
 * The worker-thread side of a job (run by piscina): opens its own connection to the store, runs the job kind,
 * posts progress, and answers the result or the error as plain data. The connection blocks while another writer
 * holds the lock — this thread serves no requests, so waiting here is what keeps the server's thread free.
 */
import { isLifeCircleError, LifeCircleError } from '../errors.js';
import { openStoreAt, type Store, type StoreAddress } from '../store/index.js';
import { clockFromSnapshot } from '../time/index.js';
import { JOB_KINDS } from './kinds.js';
import type { WorkerAnswer, WorkerTask } from './protocol.js';

/**
 * One connection per store, clock and worker thread, kept while the thread lives (piscina reuses threads); the
 * store stamps its writes with its clock, so a job on another clock (a test's) gets its own connection.
 */
const stores = new Map<string, Promise<Store>>();
const WORKER_LOCK_TIMEOUT_MS = 120_000;

function storeAt(address: StoreAddress, clock: WorkerTask['clock']): Promise<Store> {
  const key = `${JSON.stringify(address)}\n${JSON.stringify(clock)}`;
  let store = stores.get(key);
  if (!store) {
    store = openStoreAt(address, { clock: clockFromSnapshot(clock), lockTimeoutMs: WORKER_LOCK_TIMEOUT_MS });
    stores.set(key, store);
    store.catch(() => stores.delete(key));
    // Test clocks step from instant to instant: keep the newest few connections only.
    for (const [oldKey, old] of [...stores].slice(0, Math.max(0, stores.size - 4))) {
      stores.delete(oldKey);
      void old.then((s) => s.close()).catch(() => undefined);
    }
  }
  return store;
}

export default async function runJob(task: WorkerTask): Promise<WorkerAnswer> {
  const flag = new Int32Array(task.cancelFlag);
  const controller = new AbortController();
  const cancelled = () => {
    if (Atomics.load(flag, 0) === 1 && !controller.signal.aborted) controller.abort();
    return controller.signal.aborted;
  };
  try {
    const kind = JOB_KINDS.get(task.kind);
    if (!kind) throw new LifeCircleError('LC_USAGE', `unknown job kind '${task.kind}'`);
    if (cancelled())
      throw new LifeCircleError('LC_CANCELLED', `job ${task.jobId} was cancelled before it started`);
    const store = await storeAt(task.store, task.clock);
    const deps = { store, clock: clockFromSnapshot(task.clock), cityCode: task.cityCode };
    const result = await kind.run(deps, task.viewer, task.input as never, {
      onProgress(progress) {
        cancelled();
        task.port.postMessage(progress);
      },
      signal: controller.signal,
    });
    return { ok: true, result };
  } catch (error) {
    return { ok: false, error: jobErrorOf(error) };
  } finally {
    task.port.close();
  }
}

/** The API's error shape; an unexpected error is logged here (its stack) and answered as LC_INTERNAL. */
export function jobErrorOf(error: unknown): { code: string; message: string; details?: unknown } {
  if (isLifeCircleError(error))
    return {
      code: error.code,
      message: error.message,
      ...(error.details !== undefined ? { details: error.details } : {}),
    };
  console.error(error);
  return { code: 'LC_INTERNAL', message: `the job failed unexpectedly (a bug): ${(error as Error).message}` };
}
