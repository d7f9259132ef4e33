import { MessageChannel } from 'node:worker_threads';
import { randomBytes } from 'node:crypto';
import { availableParallelism, hostname } from 'node:os';
import { Piscina } from 'piscina';
import { isLifeCircleError, LifeCircleError } from '../errors.js';
import {
  jobOwnerOf,
  jobScopeProblem,
  requirePermission,
  type CommandDeps,
  type Viewer,
} from '../policy/index.js';
import type { ClaimedJob, Job, JobChange, JobError, JobFilter, JobProgress, Page } from '../store/index.js';
import { isoNow, snapshotClock } from '../time/index.js';
import { cancelJob } from './commands.js';
import { JOB_KINDS, type JobKind } from './kinds.js';
import type { WorkerAnswer, WorkerTask } from './protocol.js';
import { jobErrorOf } from './worker.js';

export interface JobRunnerOptions {
  /**
   * Worker threads running jobs at once. Default: one per two cores, at least one — the server's own thread and
   * the store's writer need a core too, and SQLite takes one writer at a time anyway.
   */
  threads?: number;
  /** Jobs waiting for a thread beyond which new ones are refused (LC_BUSY); default 32. */
  maxQueued?: number;
  /** After a cancel, how long a job may take to reach its next step before its thread is stopped; default 10 s. */
  hardStopAfterMs?: number;
  /** Progress is kept in memory at once and written to the store at most this often; default 1 s. */
  progressWriteMs?: number;
  /** How often this process says its jobs are alive; default 15 s. */
  heartbeatMs?: number;
  /**
   * `local` (default): every job runs in this process's worker threads. `queue` (several servers on PostgreSQL;
   * `LIFECIRCLE_JOBS=queue`): jobs whose kind can be queued (`JobKind.queue`: imports) are left in the store for
   * `lifecircle worker` processes on any machine; the others still run here.
   */
  mode?: JobMode;
  /** How often a request waiting for a queued job looks at it; default 250 ms. */
  pollMs?: number;
  /** How long a request waits for a queued job before answering LC_BUSY (the job goes on); default 15 min. */
  queueWaitMs?: number;
}

export type JobMode = 'local' | 'queue';

/** The job mode from `LIFECIRCLE_JOBS` (`queue` or `local`, the default); anything else is a usage error. */
export function jobModeFromEnv(env: NodeJS.ProcessEnv = process.env): JobMode {
  const value = env.LIFECIRCLE_JOBS?.trim() || 'local';
  if (value !== 'local' && value !== 'queue')
    throw new LifeCircleError('LC_USAGE', `LIFECIRCLE_JOBS: expected 'local' or 'queue', got '${value}'`);
  return value;
}

/**
 * A job whose runner has not said it is alive for this long is taken for one of a stopped server: the next server
 * to start ends it (four missed heartbeats).
 */
export const STALE_AFTER_MS = 60_000;

interface LiveJob {
  job: Job;
  flag: Int32Array;
  hardStop: AbortController;
  finished: Promise<Job>;
  lastWrite: number;
  /** Store writes of this job, in order (a late progress write must not overwrite the final state). */
  writes: Promise<unknown>;
}

const workerFile = new URL(`./worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);

/**
 * Runs long work off the server's thread: each job in a worker thread (piscina) with its own store connection,
 * its state in the store's `jobs` table (so any server process can answer "how far is it?"), progress as it
 * comes, and cancel — cooperative at the job's next step, then by stopping the thread (the store rolls back the
 * open transaction either way). An in-memory store cannot be shared with a thread: its jobs run inline.
 */
export class JobRunner {
  private readonly deps: CommandDeps;
  private readonly options: Required<JobRunnerOptions>;
  private pool: Piscina | null = null;
  private readonly live = new Map<number, LiveJob>();
  private closed = false;
  /** This process, as the jobs table names it: host, process id and a random part (a restarted pid differs). */
  readonly runnerId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private heartbeatTimer: NodeJS.Timeout | null = null;

  private constructor(deps: CommandDeps, options: JobRunnerOptions) {
    this.deps = deps;
    this.options = {
      threads: options.threads ?? Math.max(1, Math.floor(availableParallelism() / 2)),
      maxQueued: options.maxQueued ?? 32,
      hardStopAfterMs: options.hardStopAfterMs ?? 10_000,
      progressWriteMs: options.progressWriteMs ?? 1000,
      heartbeatMs: options.heartbeatMs ?? 15_000,
      mode: options.mode ?? 'local',
      pollMs: options.pollMs ?? 250,
      queueWaitMs: options.queueWaitMs ?? 15 * 60_000,
    };
  }

  /**
   * A runner for this store. Jobs a stopped server left queued or running (no heartbeat for `STALE_AFTER_MS`) end
   * as cancelled: their work was one uncommitted transaction, so nothing of it is in the store. Jobs other live
   * servers on the same store are running are left to them.
   */
  static async start(deps: CommandDeps, options: JobRunnerOptions = {}): Promise<JobRunner> {
    await deps.store.jobs.endUnfinished(
      {
        code: 'LC_CANCELLED',
        message:
          'the server stopped while this job was queued or running; nothing of it was kept — run it again',
      },
      isoNow(deps.clock),
      new Date(Date.now() - STALE_AFTER_MS).toISOString(),
    );
    return new JobRunner(deps, options);
  }

  /** Whether jobs run in worker threads (file stores) or inline (in-memory stores). */
  get threaded(): boolean {
    return this.deps.store.location !== ':memory:';
  }

  /** Queues a job; answers at once with its record. Refused when the viewer's role may not run this kind. */
  async submit<I>(viewer: Viewer, kind: JobKind<I, unknown>, input: I): Promise<Job> {
    requirePermission(viewer, kind.permission, kind.name);
    if (this.closed)
      throw new LifeCircleError('LC_BUSY', 'the server is shutting down; start the job again later');
    if (this.options.mode === 'queue' && kind.queue)
      return this.deps.store.jobs.create({
        kind: kind.name,
        title: kind.title(input),
        createdById: viewer.id > 0 ? viewer.id : null,
        createdBy: viewer.username,
        queued: { input: kind.queue.encode(input), context: { viewer, cityCode: this.deps.cityCode } },
      });
    const waiting = [...this.live.values()].filter((l) => l.job.status === 'queued').length;
    if (waiting >= this.options.maxQueued)
      throw new LifeCircleError(
        'LC_BUSY',
        `${waiting} jobs are waiting for a worker; start this one when some have finished`,
      );
    const job = await this.deps.store.jobs.create({
      kind: kind.name,
      title: kind.title(input),
      createdById: viewer.id > 0 ? viewer.id : null,
      createdBy: viewer.username,
      runner: this.runnerId,
    });
    this.keepAlive();
    const live = liveJob(job);
    this.live.set(job.id, live);
    live.finished = this.execute(live, kind, viewer, input).finally(() => this.live.delete(job.id));
    return job;
  }

  /** A job the viewer may see: live state when it runs here, else the stored record. */
  async get(viewer: Viewer, id: number): Promise<Job> {
    requirePermission(viewer, 'jobs.read');
    const job = this.live.get(id)?.job ?? (await this.deps.store.jobs.get(id));
    if (!job) throw new LifeCircleError('LC_NOT_FOUND', `job ${id} does not exist`);
    const problem = jobScopeProblem(viewer, job);
    if (problem) throw new LifeCircleError('LC_FORBIDDEN', problem);
    return job;
  }

  /** The viewer's jobs (administrators: everyone's), newest first, with live progress where it is fresher. */
  async list(viewer: Viewer, filter: Omit<JobFilter, 'createdById'> = {}): Promise<Page<Job>> {
    requirePermission(viewer, 'jobs.read');
    const page = await this.deps.store.jobs.list({ ...filter, createdById: jobOwnerOf(viewer) });
    return { ...page, items: page.items.map((j) => this.live.get(j.id)?.job ?? j) };
  }

  /**
   * Resolves with the job's final record once it has ended: at once for a job running here, by looking at the
   * store every `pollMs` for one a worker process runs (or will), for up to `queueWaitMs`.
   */
  async finished(id: number): Promise<Job> {
    const live = this.live.get(id);
    if (live) return live.finished;
    const deadline = Date.now() + this.options.queueWaitMs;
    for (;;) {
      const job = await this.deps.store.jobs.get(id);
      if (!job) throw new LifeCircleError('LC_NOT_FOUND', `job ${id} does not exist`);
      if (job.finishedAt || this.closed) return job;
      if (Date.now() >= deadline)
        throw new LifeCircleError(
          'LC_BUSY',
          `job ${id} is still ${job.status === 'queued' ? 'waiting for a worker (is `lifecircle worker` running?)' : 'running'}; follow it at /api/jobs/${id}`,
        );
      await new Promise((resolve) => setTimeout(resolve, this.options.pollMs));
    }
  }

  /**
   * Asks a job to stop (`jobs.cancel`, audited): a queued job never starts; a running one stops at its next step,
   * or its thread is stopped after `hardStopAfterMs`. Answers the job as it is now; `finished` gives the end.
   */
  async cancel(viewer: Viewer, id: number): Promise<Job> {
    // Signal first: recording the cancel is a store write, which would wait for the lock the job itself holds.
    await this.get(viewer, id);
    requirePermission(viewer, 'jobs.cancel');
    const live = this.live.get(id);
    if (live && !live.job.finishedAt) {
      live.job = { ...live.job, cancelledBy: live.job.cancelledBy ?? viewer.username };
      Atomics.store(live.flag, 0, 1);
      if (live.job.status === 'queued') live.hardStop.abort();
      else {
        const timer = setTimeout(() => live.hardStop.abort(), this.options.hardStopAfterMs);
        timer.unref();
        void live.finished.finally(() => clearTimeout(timer));
      }
    }
    const recorded = await cancelJob(this.deps, viewer, { id });
    // Not running here: a job no worker has taken ends now; one a worker runs stops when it sees the request.
    if (!live && !recorded.finishedAt) {
      await this.deps.store.jobs.cancelQueued(
        id,
        cancelledError(id, viewer.username),
        isoNow(this.deps.clock),
      );
      return (await this.deps.store.jobs.get(id)) ?? recorded;
    }
    return this.live.get(id)?.job ?? recorded;
  }

  /**
   * `lifecircle worker`: takes jobs left in the store by servers in `queue` mode and runs them here, as many at
   * once as this runner has threads, until `signal` aborts; then cancels those still running (their transactions
   * roll back) and returns. Looks for work every `idleMs` while there is none.
   */
  async work(signal: AbortSignal, idleMs = 1000): Promise<void> {
    const running = new Set<Promise<Job>>();
    const pause = (ms: number) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
      });
    while (!signal.aborted) {
      if (running.size >= this.options.threads) {
        await Promise.race([...running, pause(idleMs)]);
        continue;
      }
      let claimed: ClaimedJob | null = null;
      try {
        claimed = await this.deps.store.jobs.claim(this.runnerId, new Date().toISOString());
      } catch {
        // The store is unreachable for a moment (a restart, a failover): try again after a pause.
      }
      if (!claimed) {
        await pause(idleMs);
        continue;
      }
      const done: Promise<Job> = this.runClaimed(claimed).finally(() => running.delete(done));
      running.add(done);
    }
    await this.close();
  }

  /** Runs a job taken from the store as if it had been submitted here, for the viewer and city that asked. */
  private runClaimed({ job, input, context }: ClaimedJob): Promise<Job> {
    const kind = JOB_KINDS.get(job.kind) as JobKind<unknown, unknown> | undefined;
    const { viewer, cityCode } = context as { viewer: Viewer; cityCode: string };
    const live = liveJob(job);
    this.live.set(job.id, live);
    this.keepAlive();
    live.finished = (
      kind?.queue
        ? this.execute(live, kind, viewer, kind.queue.decode(input), cityCode)
        : this.save(
            live,
            {
              status: 'failed',
              error: { code: 'LC_USAGE', message: `job kind '${job.kind}' cannot run in a worker process` },
              finishedAt: isoNow(this.deps.clock),
            },
            true,
          )
    ).finally(() => this.live.delete(job.id));
    return live.finished;
  }

  /** A cancel asked for elsewhere (another server, the store): this job stops at its next step. */
  private noticeCancel(live: LiveJob, stored: Job | null): void {
    if (!stored?.cancelledBy || Atomics.load(live.flag, 0) === 1 || live.job.finishedAt) return;
    live.job = { ...live.job, cancelledBy: stored.cancelledBy };
    Atomics.store(live.flag, 0, 1);
    const timer = setTimeout(() => live.hardStop.abort(), this.options.hardStopAfterMs);
    timer.unref();
    void live.finished.finally(() => clearTimeout(timer));
  }

  /**
   * While jobs run here, says so every `heartbeatMs` (real time: heartbeats are about processes, not the domain's
   * clock), so that another server starting on the same store leaves them alone.
   */
  private keepAlive(): void {
    if (this.heartbeatTimer) return;
    this.heartbeatTimer = setInterval(() => {
      if (!this.live.size) {
        clearInterval(this.heartbeatTimer!);
        this.heartbeatTimer = null;
        return;
      }
      this.deps.store.jobs.heartbeat(this.runnerId, new Date().toISOString()).catch(() => undefined);
      // A job in a long step without progress still sees a cancel asked for on another server.
      for (const live of this.live.values())
        this.deps.store.jobs
          .get(live.job.id)
          .then((stored) => this.noticeCancel(live, stored))
          .catch(() => undefined);
    }, this.options.heartbeatMs);
    this.heartbeatTimer.unref();
  }

  /** Stops taking jobs, cancels those still running and waits for them; then stops the threads. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = null;
    for (const live of this.live.values()) {
      Atomics.store(live.flag, 0, 1);
      live.hardStop.abort();
    }
    await Promise.allSettled([...this.live.values()].map((l) => l.finished));
    await this.pool?.destroy();
    this.pool = null;
  }

  private workerPool(): Piscina {
    this.pool ??= new Piscina({
      filename: workerFile.href,
      maxThreads: this.options.threads,
      minThreads: 0,
      idleTimeout: 60_000,
    });
    return this.pool;
  }

  private async execute<I>(
    live: LiveJob,
    kind: JobKind<I, unknown>,
    viewer: Viewer,
    input: I,
    cityCode: string = this.deps.cityCode,
  ): Promise<Job> {
    const onProgress = (progress: JobProgress) => this.progress(live, progress);
    let answer: WorkerAnswer;
    if (!this.threaded) answer = await this.runInline(live, kind, viewer, input, onProgress);
    else {
      const { port1, port2 } = new MessageChannel();
      port1.on('message', onProgress);
      const task: WorkerTask = {
        jobId: live.job.id,
        kind: kind.name,
        input,
        viewer,
        store: this.deps.store.address,
        cityCode,
        clock: snapshotClock(this.deps.clock),
        port: port2,
        cancelFlag: live.flag.buffer as SharedArrayBuffer,
      };
      try {
        answer = (await this.workerPool().run(task, {
          transferList: [port2],
          signal: live.hardStop.signal,
        })) as WorkerAnswer;
      } catch (error) {
        answer = {
          ok: false,
          error: live.hardStop.signal.aborted
            ? {
                code: 'LC_CANCELLED',
                message: `job ${live.job.id} was stopped${live.job.cancelledBy ? ` by ${live.job.cancelledBy}` : ' with the server'}; nothing of it was kept`,
              }
            : jobErrorOf(error),
        };
      } finally {
        port1.close();
      }
    }
    const ended: JobChange = answer.ok
      ? { status: 'succeeded', result: kind.stored ? kind.stored(answer.result) : answer.result, error: null }
      : { status: answer.error.code === 'LC_CANCELLED' ? 'cancelled' : 'failed', error: answer.error };
    const job = await this.save(live, { ...ended, finishedAt: isoNow(this.deps.clock) }, true);
    // Whoever awaits the job here gets the whole result; the store keeps what `stored` chose.
    return answer.ok ? { ...job, result: answer.result } : job;
  }

  private async runInline<I>(
    live: LiveJob,
    kind: JobKind<I, unknown>,
    viewer: Viewer,
    input: I,
    onProgress: (p: JobProgress) => void,
  ): Promise<WorkerAnswer> {
    const controller = new AbortController();
    live.hardStop.signal.addEventListener('abort', () => controller.abort());
    try {
      await Promise.resolve(); // answer `submit` first, as the threaded path does
      const result = await kind.run(this.deps, viewer, input, {
        onProgress(progress) {
          if (Atomics.load(live.flag, 0) === 1) controller.abort();
          onProgress(progress);
        },
        signal: controller.signal,
      });
      return { ok: true, result };
    } catch (error) {
      return { ok: false, error: jobErrorOf(error) as JobError };
    }
  }

  private progress(live: LiveJob, progress: JobProgress): void {
    if (live.job.finishedAt) return;
    const first = live.job.status === 'queued';
    const change: JobChange = first
      ? { status: 'running', startedAt: isoNow(this.deps.clock), progress }
      : { progress };
    live.job = { ...live.job, ...change } as Job;
    const now = Date.now();
    if (first || now - live.lastWrite >= this.options.progressWriteMs) {
      live.lastWrite = now;
      // Progress in the store is for other processes' eyes; a failed write is retried by the next one.
      this.save(live, change, false).catch(() => undefined);
    }
  }

  private save(live: LiveJob, change: JobChange, final: boolean): Promise<Job> {
    if (final) live.job = { ...live.job, ...change } as Job;
    const write = final ? { ...change, progress: live.job.progress } : change;
    const update = async (): Promise<Job | null> => {
      // The end of a job must be kept: while other jobs' long writes hold the store (LC_BUSY), keep trying.
      for (;;) {
        try {
          const stored = await this.deps.store.jobs.update(live.job.id, write);
          if (!final) this.noticeCancel(live, stored);
          return stored;
        } catch (error) {
          if (!final || !isLifeCircleError(error) || error.code !== 'LC_BUSY') throw error;
        }
      }
    };
    const saved = live.writes
      .catch(() => undefined)
      .then(update)
      .then((stored) => (final && stored ? stored : live.job));
    live.writes = saved;
    return saved;
  }
}

/** The error a job cancelled before any worker took it ends with. */
function cancelledError(id: number, by: string): JobError {
  return {
    code: 'LC_CANCELLED',
    message: `job ${id} was cancelled by ${by} before it started; nothing of it was kept`,
  };
}

/** A job about to run here: not cancelled, nothing written yet. */
function liveJob(job: Job): LiveJob {
  return {
    job,
    flag: new Int32Array(new SharedArrayBuffer(4)),
    hardStop: new AbortController(),
    finished: Promise.resolve(job),
    lastWrite: 0,
    writes: Promise.resolve(),
  };
}
