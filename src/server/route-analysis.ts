import { Type } from '@sinclair/typebox';
import { LifeCircleError } from '../errors.js';
import type { AnalysisRun as StoredRun, Store, StoreRepositories } from '../store/index.js';
import { actorOf } from './auth.js';
import { AnalysisRun, AnalysisRunSummary, Page, PageQuery } from './schemas.js';
import type { RouteContext, RoutePlugin } from './route-context.js';
import { ERRORS } from './route-context.js';

/**
 * The seam for the analysis engine (issue 3: coverage, gaps, siting). `lifecircle serve` passes one when the
 * engine is wired in; each run is stored with the hash of its inputs, so every number shown can be traced.
 */
export interface AnalysisProvider {
  /** The kinds of run it can make, e.g. 'coverage'. */
  kinds: readonly string[];
  run(
    kind: string,
    parameters: Record<string, unknown>,
    context: { store: Store },
  ): Promise<{ inputsHash: string; results: unknown; engineVersion: string }>;
  /** Stores what derives from a new run (the computed indicators) in the transaction that creates it. */
  recordRun?(run: StoredRun, tx: StoreRepositories): Promise<void>;
}

export const analysisRoutes: RoutePlugin<RouteContext & { analysis?: AnalysisProvider }> = async (
  app,
  { store, analysis },
) => {
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
        response: { 201: AnalysisRun, ...ERRORS, 501: { $ref: 'ErrorBody#' } },
      },
    },
    async (request, reply) => {
      const { kind, parameters = {} } = request.body;
      if (!analysis || !analysis.kinds.includes(kind))
        throw new LifeCircleError(
          'LC_NOT_AVAILABLE',
          `analysis '${kind}' is not available on this server${analysis ? `; available: ${analysis.kinds.join(', ')}` : ''}`,
        );
      const out = await analysis.run(kind, parameters, { store });
      const actor = actorOf(request.viewer);
      const run = await store.transaction(async (tx) => {
        const created = await tx.analysisRuns.create({
          kind,
          parameters,
          inputsHash: out.inputsHash,
          results: out.results,
          engineVersion: out.engineVersion,
          createdBy: actor.name,
        });
        await tx.audit.record({
          actorId: actor.userId,
          actorName: actor.name,
          action: 'create',
          entity: 'analysis_runs',
          entityKey: String(created.id),
          before: null,
          after: { kind, parameters, inputsHash: out.inputsHash },
        });
        await analysis.recordRun?.(created, tx);
        return created;
      });
      return reply.status(201).send(run);
    },
  );
};
