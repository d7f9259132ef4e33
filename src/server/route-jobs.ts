import { Type, type Static } from '@sinclair/typebox';
import { JOB_KINDS, type JobRunner } from '../jobs/index.js';
import type { ImportOutcome } from '../registry/index.js';
import type { ImportCityNetworkResult } from '../analysis/index.js';
import { JOB_STATUSES, type AnalysisRun, type Job } from '../store/index.js';
import { LifeCircleError, type ErrorCode } from '../errors.js';
import type { RouteContext, RoutePlugin } from './route-context.js';
import { ERRORS } from './route-context.js';
import { CityBasemap, CityNetwork, literals, Nullable, Page, PageQuery } from './schemas.js';

/** What an import job answered, in brief; the full row report is at `/api/imports/:importId`. */
const ImportSummary = Type.Object({
  importId: Type.Integer(),
  reportXlsx: Type.String({ description: 'URL of the row report as XLSX' }),
  accepted: Type.Boolean(),
  rows: Type.Integer(),
  created: Type.Integer(),
  updated: Type.Integer(),
  unchanged: Type.Integer(),
  problemCount: Type.Integer(),
});

/** What a network upload job answered: the network kept for the city and the places loaded with it. */
export const NetworkImportSummary = Type.Object({
  network: CityNetwork,
  // The basemap read from the same extract; absent from the results of imports made before basemaps existed.
  basemap: Type.Optional(CityBasemap),
  replaced: Type.Boolean(),
  extentFromNetwork: Type.Boolean({ description: "the city's box was taken from the network's extent" }),
  communitiesLoaded: Type.Integer(),
  facilitiesLoaded: Type.Integer(),
  notes: Type.Array(
    Type.Object({
      code: literals([
        'communities-exist',
        'facilities-exist',
        'population-unknown',
        'no-residential-areas',
        'partly-outside',
        'fragmented',
      ] as const),
      count: Type.Optional(Type.Integer()),
      percent: Type.Optional(Type.Integer()),
    }),
    { description: 'what the user should know, as codes (src/analysis/city-network.ts NetworkNote)' },
  ),
});

export const JobBody = Type.Object(
  {
    id: Type.Integer(),
    kind: Type.String({ description: 'the job kind, named like its command, e.g. registry.import' }),
    title: Type.String(),
    status: literals(JOB_STATUSES),
    createdBy: Type.String(),
    progress: Type.Object({
      phase: Nullable(Type.String({ description: 'e.g. reading, checking, writing' })),
      done: Type.Integer({ description: 'units of the phase done (rows)' }),
      total: Type.Integer(),
      percent: Type.Integer({ minimum: 0, maximum: 100, description: 'of the whole job' }),
    }),
    import: Nullable(ImportSummary),
    analysisRun: Nullable(
      Type.Object(
        { id: Type.Integer(), kind: Type.String(), inputsHash: Type.String() },
        {
          description: 'the run an analysis job stored (GET /api/analysis/runs/:id)',
        },
      ),
    ),
    network: Nullable(NetworkImportSummary),
    report: Nullable(
      Type.Object(
        {
          id: Type.Integer(),
          html: Type.String(),
          docx: Type.String(),
          xlsx: Type.String(),
        },
        { description: 'the monitoring report a report job kept, with the addresses of its files' },
      ),
    ),
    error: Nullable(Type.Object({ code: Type.String(), message: Type.String() })),
    cancelledBy: Nullable(Type.String()),
    createdAt: Type.String(),
    startedAt: Nullable(Type.String()),
    finishedAt: Nullable(Type.String()),
  },
  { $id: 'Job' },
);
export type JobAnswer = Static<typeof JobBody>;

export const importReportUrl = (id: number) => `/api/imports/${id}/report.xlsx`;

/** `Prefer: respond-async` (RFC 7240): answer 202 with the job instead of waiting for it. */
export const prefersAsync = (headers: { prefer?: string | string[] }): boolean =>
  /\brespond-async\b/i.test([headers.prefer ?? ''].flat().join(','));

/** The `Prefer` header of the routes that start a job (documented once). */
export const PreferHeader = Type.Object({
  prefer: Type.Optional(
    Type.String({
      description:
        '`respond-async` (RFC 7240): answer 202 with the job at once and follow it at /api/jobs/:id',
    }),
  ),
});

/** `202 Accepted` with the job, where to follow it, and that `Prefer: respond-async` was honoured. */
export function acceptedJob<
  R extends { status(code: number): R; header(name: string, value: string): R; send(body: unknown): R },
>(reply: R, job: Job): R {
  return reply
    .status(202)
    .header('location', `/api/jobs/${job.id}`)
    .header('preference-applied', 'respond-async')
    .send(presentJob(job));
}

/** The error a job ended with, as the API's error (with `details` when the route has an answer to attach). */
export function jobFailure(job: Job, details?: unknown): LifeCircleError {
  const error = job.error ?? { code: 'LC_INTERNAL', message: `job ${job.id} ended without an answer` };
  return new LifeCircleError(
    error.code as ErrorCode,
    error.message,
    details === undefined ? {} : { details },
  );
}

/** The job as the API shows it: progress in percent, an import's outcome in brief (accepted or not). */
export function presentJob(job: Job): JobAnswer {
  const kind = JOB_KINDS.get(job.kind);
  const done = job.status === 'succeeded';
  // A rejected import's outcome travels in its error's details; both show as `import`.
  const outcome = (job.result ?? (job.error?.details as ImportOutcome | undefined)) as ImportOutcome | null;
  return {
    id: job.id,
    kind: job.kind,
    title: job.title,
    status: job.status,
    createdBy: job.createdBy,
    progress: {
      ...job.progress,
      percent: done ? 100 : job.status === 'queued' ? 0 : (kind?.percent(job.progress) ?? 0),
    },
    import:
      job.kind === 'registry.import' && outcome?.report
        ? {
            importId: outcome.importId,
            reportXlsx: importReportUrl(outcome.importId),
            accepted: outcome.report.accepted,
            rows: outcome.report.rows,
            created: outcome.report.created,
            updated: outcome.report.updated,
            unchanged: outcome.report.unchanged,
            problemCount: outcome.report.problemCount,
          }
        : null,
    analysisRun:
      (job.kind === 'analysis.run' || job.kind === 'analysis.city') && job.status === 'succeeded'
        ? (() => {
            const { id, kind: runKind, inputsHash } = (job.result as { run: AnalysisRun }).run;
            return { id, kind: runKind, inputsHash };
          })()
        : null,
    network:
      job.kind === 'cities.importNetwork' && job.status === 'succeeded'
        ? (job.result as ImportCityNetworkResult)
        : null,
    report:
      job.kind === 'reports.generate' && job.status === 'succeeded'
        ? (() => {
            const id = (job.result as { id: number }).id;
            const url = (format: string) => `/api/monitoring-reports/${id}/report.${format}`;
            return { id, html: url('html'), docx: url('docx'), xlsx: url('xlsx') };
          })()
        : null,
    error: job.error ? { code: job.error.code, message: job.error.message } : null,
    cancelledBy: job.cancelledBy,
    createdAt: job.createdAt,
    startedAt: job.startedAt,
    finishedAt: job.finishedAt,
  };
}

export const jobRoutes: RoutePlugin<RouteContext & { jobs: JobRunner }> = async (app, { jobs }) => {
  const JobRef = Type.Unsafe<JobAnswer>({ $ref: 'Job#' });

  app.get(
    '/api/jobs',
    {
      config: { permission: 'jobs.read' },
      schema: {
        tags: ['jobs'],
        summary: 'Your jobs (administrators: everyone’s), newest first, with their progress',
        querystring: Type.Object({
          ...PageQuery,
          status: Type.Optional(literals(JOB_STATUSES)),
          kind: Type.Optional(Type.String({ maxLength: 64 })),
        }),
        response: { 200: Page(JobRef), ...ERRORS },
      },
    },
    async (request) => {
      const page = await jobs.list(request.viewer, request.query);
      return { ...page, items: page.items.map(presentJob) };
    },
  );

  app.get(
    '/api/jobs/:id',
    {
      config: { permission: 'jobs.read' },
      schema: {
        tags: ['jobs'],
        summary: 'One job: status, progress (phase, rows, percent) and, when it ended, its outcome or error',
        params: Type.Object({ id: Type.Integer() }),
        response: { 200: JobRef, ...ERRORS },
      },
    },
    async (request) => presentJob(await jobs.get(request.viewer, request.params.id)),
  );

  app.post(
    '/api/jobs/:id/cancel',
    {
      config: { permission: 'jobs.cancel' },
      schema: {
        tags: ['jobs'],
        summary:
          'Ask a job to stop: a queued job never starts, a running one stops at its next step and writes nothing',
        params: Type.Object({ id: Type.Integer() }),
        response: { 202: JobRef, ...ERRORS },
      },
    },
    async (request, reply) =>
      reply.status(202).send(presentJob(await jobs.cancel(request.viewer, request.params.id))),
  );
};
