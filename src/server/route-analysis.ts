import { Type } from '@sinclair/typebox';
import { LifeCircleError } from '../errors.js';
import { runAnalysis, type AnalysisProvider } from '../analysis/index.js';
import { AnalysisRun, AnalysisRunSummary, Page, PageQuery } from './schemas.js';
import type { RouteContext, RoutePlugin } from './route-context.js';
import { ERRORS, ErrorRef } from './route-context.js';

/**
 * The seam for the analysis service (src/analysis): `lifecircle start` passes one, `lifecircle serve` none.
 * The provider's shape is declared by src/analysis; the server declares what it answers (schemas.ts).
 */
export type { AnalysisProvider };

export const analysisRoutes: RoutePlugin<RouteContext & { analysis?: AnalysisProvider }> = async (
  app,
  { store, analysis, clock, cityCode },
) => {
  const deps = { store, clock, cityCode };
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

  app.post(
    '/api/analysis/runs',
    {
      config: { permission: 'analysis.run' },
      schema: {
        tags: ['analysis'],
        summary: 'Run an analysis and keep the run; answers 501 until the engine is wired in',
        body: Type.Object({
          kind: Type.String({ minLength: 1 }),
          parameters: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
        }),
        response: { 201: AnalysisRun, ...ERRORS, 501: ErrorRef },
      },
    },
    async (request, reply) => {
      const { kind, parameters = {} } = request.body;
      const run = await runAnalysis(deps, request.viewer, { provider: analysis, kind, parameters });
      return reply.status(201).send(run);
    },
  );
};
