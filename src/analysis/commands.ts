import { actorOf, recordAudit } from '../audit/index.js';
import { LifeCircleError } from '../errors.js';
import { defineCommand } from '../policy/index.js';
import type { AnalysisRun } from '../store/index.js';
import type { AnalysisProvider } from './types.js';

export interface RunAnalysisInput {
  /** The analysis wired into this server; absent on a server without one (`lifecircle serve`). */
  provider: AnalysisProvider | undefined;
  kind: string;
  parameters: Record<string, unknown>;
}

/**
 * `analysis.run`: runs an analysis of a kind the provider makes and keeps the run with the hash of its inputs;
 * what derives from it (the computed indicators) is stored in the same transaction. Audited under the viewer
 * (the run and its indicator values). LC_NOT_AVAILABLE when this server cannot make that kind of run.
 */
export const runAnalysis = defineCommand<RunAnalysisInput, AnalysisRun>({
  name: 'analysis.run',
  permission: 'analysis.run',
  async run(deps, viewer, { provider, kind, parameters }) {
    if (!provider || !provider.kinds.includes(kind))
      throw new LifeCircleError(
        'LC_NOT_AVAILABLE',
        `analysis '${kind}' is not available on this server${provider ? `; available: ${provider.kinds.join(', ')}` : ''}`,
      );
    const out = await provider.run(kind, parameters, { store: deps.store });
    const actor = actorOf(viewer);
    return deps.store.transaction(async (tx) => {
      const created = await tx.analysisRuns.create({
        kind,
        parameters,
        inputsHash: out.inputsHash,
        results: out.results,
        engineVersion: out.engineVersion,
        createdBy: actor.name,
      });
      await recordAudit(tx, actor, {
        action: 'create',
        entity: 'analysis_runs',
        key: String(created.id),
        after: { kind, parameters, inputsHash: out.inputsHash },
      });
      await provider.recordRun?.(created, tx, actor);
      return created;
    });
  },
});
