import { Type } from '@sinclair/typebox';
import { LifeCircleError } from '../errors.js';
import { runAnalysis, summariseCoverageRun, type AnalysisProvider } from '../analysis/index.js';
import { AnalysisRun, AnalysisRunSummary, CoverageSummary, Page, PageQuery } from './schemas.js';
import type { RouteContext, RoutePlugin } from './route-context.js';
import { ERRORS, ErrorRef } from './route-context.js';
import { analysisJob, type AnalysisJobResult } from '../jobs/index.js';
import { acceptedJob, jobFailure, PreferHeader, prefersAsync, type JobAnswer } from './route-jobs.js';

/**
 * The seam for the analysis service (src/analysis): `lifecircle start` passes one, `lifecircle serve` none.
 * The provider's shape is declared by src/analysis; the server declares what it answers (schemas.ts).
 */
export type { AnalysisProvider };

export const analysisRoutes: RoutePlugin<RouteContext & { analysis?: AnalysisProvider }> = async (
  app,
  { store, analysis, clock, cityCode, jobs },
) => {
  const deps = { store, clock, cityCode };
  let newestAdopted = 0;
  app.get(
    '/api/analysis/runs',
    {
      config: { permission: 'analysis.read' },
      schema: {
        tags: ['analysis'],
        summary: 'Analysis runs, newest first (without their results)',
        querystring: Type.Object({ ...PageQuery, kind: Type.Optional(Type.String()) }),
        response: { 200: Page(AnalysisRunSummary), ...ERRORS },
      },
    },
    async (request) => store.analysisRuns.list(request.query),
  );

  app.get(
    '/api/analysis/runs/:id',
    {
      config: { permission: 'analysis.read' },
      schema: {
        tags: ['analysis'],
        summary: 'One run with its inputs hash, parameters and results',
        params: Type.Object({ id: Type.Integer() }),
        response: { 200: AnalysisRun, ...ERRORS },
      },
    },
    async (request) => {
      const run = await store.analysisRuns.get(request.params.id);
      if (!run) throw new LifeCircleError('LC_NOT_FOUND', `analysis run ${request.params.id} does not exist`);
      return run;
    },
  );

  app.get(
    '/api/analysis/runs/:id/summary',
    {
      config: { permission: 'analysis.read' },
      schema: {
        tags: ['analysis'],
        summary: 'What a coverage run found, by facility type, for the city and each 区',
        params: Type.Object({ id: Type.Integer() }),
        response: { 200: CoverageSummary, ...ERRORS },
      },
    },
    async (request) => {
      const run = await store.analysisRuns.get(request.params.id);
      if (!run) throw new LifeCircleError('LC_NOT_FOUND', `analysis run ${request.params.id} does not exist`);
      return summariseCoverageRun(run);
    },
  );

  app.post(
    '/api/analysis/runs',
    {
      config: { permission: 'analysis.run' },
      schema: {
        tags: ['analysis'],
        summary:
          'Run an analysis and keep the run (a job in a worker thread: the answer waits for it, or with ' +
          '`Prefer: respond-async` is 202 with the job); 501 without the analysis engine',
        headers: PreferHeader,
        body: Type.Object({
          kind: Type.String({ minLength: 1 }),
          parameters: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
        }),
        response: {
          201: AnalysisRun,
          202: Type.Unsafe<JobAnswer>({ $ref: 'Job#' }),
          ...ERRORS,
          409: ErrorRef,
          501: ErrorRef,
          503: ErrorRef,
        },
      },
    },
    async (request, reply) => {
      const { kind, parameters = {} } = request.body;
      const setup = analysis?.evaluationSetup?.();
      if (!analysis?.adopt || !setup || !jobs.threaded) {
        const run = await runAnalysis(deps, request.viewer, { provider: analysis, kind, parameters });
        return reply.status(201).send(run);
      }
      const { adopt } = analysis;
      // The evaluation runs in a worker thread; the map takes it as soon as the job ends, whoever waits.
      const job = await jobs.submit(request.viewer, analysisJob, { ...setup, kind, parameters });
      const ended = jobs.finished(job.id).then((end) => {
        const result = end.result as AnalysisJobResult;
        // Jobs on several threads may end out of order: the map keeps the newest run.
        if (end.status === 'succeeded' && result.run.id > newestAdopted) {
          newestAdopted = result.run.id;
          adopt.call(analysis, result.evaluated);
        }
        return end;
      });
      if (prefersAsync(request.headers)) return acceptedJob(reply, job);
      const end = await ended;
      if (end.status !== 'succeeded') throw jobFailure(end);
      return reply.status(201).send((end.result as AnalysisJobResult).run);
    },
  );
};
