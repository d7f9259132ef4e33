import { actorOf, recordAudit } from '../audit/index.js';
import { LifeCircleError } from '../errors.js';
import { defineCommand, jobScopeProblem } from '../policy/index.js';
import type { Job } from '../store/index.js';

/** Ends in which a cancel has nothing left to stop. */
const COMPLETED: readonly Job['status'][] = ['succeeded', 'failed'];

/**
 * `jobs.cancel`: records who asked to stop a job (audited). The runner has signalled the job already — this
 * write may wait for the lock that job held — so the job may be `cancelled` by now; this command is the only
 * writer of `cancelledBy`. Cancelling a job that completed, or was cancelled by someone, changes nothing.
 */
export const cancelJob = defineCommand<{ id: number }, Job>({
  name: 'jobs.cancel',
  permission: 'jobs.cancel',
  async run(deps, viewer, { id }) {
    return deps.store.transaction(async (tx) => {
      const job = await tx.jobs.get(id);
      if (!job) throw new LifeCircleError('LC_NOT_FOUND', `job ${id} does not exist`);
      const problem = jobScopeProblem(viewer, job);
      if (problem) throw new LifeCircleError('LC_FORBIDDEN', problem);
      if (COMPLETED.includes(job.status) || job.cancelledBy) return job;
      const after = (await tx.jobs.update(id, { cancelledBy: viewer.username })) as Job;
      await recordAudit(tx, actorOf(viewer), {
        action: 'cancel',
        entity: 'jobs',
        key: String(id),
        before: { status: job.status, title: job.title },
        after: { status: job.status, title: job.title, cancelledBy: viewer.username },
      });
      return after;
    });
  },
});
