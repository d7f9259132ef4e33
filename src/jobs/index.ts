/**
 * Jobs: long work (imports, network imports, analyses; reports next) off the server's thread, with progress and cancel.
 * `JobRunner` queues a job kind (`JOB_KINDS`) for a viewer, runs it in a worker thread on its own store
 * connection, and keeps its state in the store's `jobs` table. See README.md.
 */
export { JobRunner, jobModeFromEnv, STALE_AFTER_MS } from './runner.js';
export type { JobMode, JobRunnerOptions } from './runner.js';
export {
  JOB_KINDS,
  analysisJob,
  cityAnalysisJob,
  importJob,
  linkJob,
  networkImportJob,
  phasePercent,
  reportJob,
} from './kinds.js';
export type {
  AnalysisJobInput,
  AnalysisJobResult,
  CityAnalysisJobInput,
  ImportJobInput,
  JobKind,
  JobWork,
  NetworkImportJobInput,
  ReportJobInput,
} from './kinds.js';
export { cancelJob } from './commands.js';
