import type { MessagePort } from 'node:worker_threads';
import type { Viewer } from '../policy/index.js';
import type { JobError, JobProgress, StoreAddress } from '../store/index.js';
import type { ClockSnapshot } from '../time/index.js';

/** What the server thread sends a worker for one job (structured clone; the port and flag are shared). */
export interface WorkerTask {
  jobId: number;
  kind: string;
  input: unknown;
  viewer: Viewer;
  /** The store the worker opens its own connection to (a file path; PostgreSQL: its URL, issue 12). */
  store: StoreAddress;
  cityCode: string;
  /** The server's clock: audit times and `updatedAt` of the job's writes come from it, as from the server's. */
  clock: ClockSnapshot;
  /** Progress messages (`JobProgress`) go here. */
  port: MessagePort;
  /** Int32Array over this: index 0 set to 1 asks the job to stop at its next step. */
  cancelFlag: SharedArrayBuffer;
}

/** What a worker answers: a result, or the error in the API's shape (Error objects lose their code in transit). */
export type WorkerAnswer = { ok: true; result: unknown } | { ok: false; error: JobError };

export type { JobProgress };
