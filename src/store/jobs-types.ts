import type { Page, PageQuery } from './types.js';

/** A job's life: queued → running → one of the three ends. */
export const JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** How far a running job has come: a named phase and a count of its units (rows, communities…). */
export interface JobProgress {
  phase: string | null;
  done: number;
  total: number;
}

/** Why a job failed or was cancelled, in the API's error shape. */
export interface JobError {
  code: string;
  message: string;
  details?: unknown;
}

/**
 * Long work (imports, later analyses and reports) run off the request: who asked, how far it is, what came out.
 * The input itself is not kept (an import file stays in memory until its worker has it).
 */
export interface Job {
  id: number;
  /** The job kind, named like its command (e.g. `registry.import`). */
  kind: string;
  /** What the job does, for lists (e.g. "facilities ← 养老机构.csv"). */
  title: string;
  status: JobStatus;
  /** The account that asked; null for the command line and the system. */
  createdById: number | null;
  createdBy: string;
  progress: JobProgress;
  /** What the job answered when it succeeded (kind-specific, e.g. an import's report). */
  result: unknown;
  error: JobError | null;
  /** Who asked to cancel it, if anyone. */
  cancelledBy: string | null;
  /** The process that runs or ran it (host:pid:random); null while it waits in the store for a worker. */
  runner: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export type NewJob = Pick<Job, 'kind' | 'title' | 'createdById' | 'createdBy'> & {
  /**
   * The process running it (host:pid:random), which keeps `heartbeat`ing while it runs: with several servers on one
   * store, a starting server ends only the jobs whose runner has stopped, not its neighbours'.
   */
  runner?: string;
  /** When the runner last said it was alive (real time, ISO-8601); now by default. */
  heartbeatAt?: string;
  /**
   * For a job left to any worker process (`lifecircle worker`; no `runner` yet): its input as JSON-able data
   * (src/jobs `JobKind.queue`), and who asked in which city. Both are removed when the job ends: an import file
   * may hold personal data.
   */
  queued?: { input: unknown; context: unknown };
};

/** A queued job a worker has taken: the job, now running under that worker, with what it needs to run. */
export interface ClaimedJob {
  job: Job;
  input: unknown;
  context: unknown;
}

export interface JobFilter extends PageQuery {
  /** Only the jobs this account asked for (the policy's scope for everyone but administrators). */
  createdById?: number;
  status?: JobStatus;
  kind?: string;
}

export type JobChange = Partial<
  Pick<Job, 'status' | 'progress' | 'result' | 'error' | 'cancelledBy' | 'startedAt' | 'finishedAt'>
>;

export interface JobRepository {
  create(job: NewJob): Promise<Job>;
  get(id: number): Promise<Job | null>;
  /** Newest first. */
  list(filter?: JobFilter): Promise<Page<Job>>;
  update(id: number, change: JobChange): Promise<Job | null>;
  /**
   * Ends every job still queued or running whose runner stopped (its last heartbeat before `staleBefore`, or none:
   * all of them when `staleBefore` is not given), as cancelled with `error`; answers how many. Their work never
   * committed: every job kind writes in one transaction. Jobs waiting for any worker (queued with an input, no
   * runner yet) are left waiting.
   */
  endUnfinished(error: JobError, finishedAt: string, staleBefore?: string): Promise<number>;
  /** A runner is alive: its unfinished jobs' heartbeat becomes `at`. Answers how many. */
  heartbeat(runner: string, at: string): Promise<number>;
  /**
   * Takes the oldest job left to any worker (queued, with an input, no runner), marking it running under
   * `runner`; null when there is none. Workers in several processes never take the same job (on PostgreSQL the
   * row is locked with SKIP LOCKED, on SQLite the one writer does it).
   */
  claim(runner: string, at: string): Promise<ClaimedJob | null>;
  /** Ends a job no worker has taken yet as cancelled; false when it has already been taken or has ended. */
  cancelQueued(id: number, error: JobError, finishedAt: string): Promise<boolean>;
}

export type JobPage = Page<Job>;
