import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { LifeCircleError } from '../errors.js';
import type { CommandDeps, Permission, Viewer } from '../policy/index.js';
import {
  importRecords,
  linkCommunities,
  rejectionMessage,
  type ImportInput,
  type ImportOutcome,
  type LinkCommunitiesInput,
  type LinkCommunitiesReport,
} from '../registry/index.js';
import { readCensus } from '../places/index.js';
import { generateMonitoringReport, type GenerateReportInput } from '../reports/index.js';
import type { Standards } from '../standards/index.js';
import type { AnalysisRun, JobProgress, MonitoringReportRecord } from '../store/index.js';
import {
  evaluatedProvider,
  evaluateStore,
  importCityNetwork,
  loadCityGraph,
  NETWORK_IMPORT_PHASES,
  runAnalysis,
  type ImportCityNetworkInput,
  type ImportCityNetworkResult,
  type Evaluated,
  type EvaluationSetup,
} from '../analysis/index.js';

/** What a running job is given besides its input: where to report progress, and when to stop. */
export interface JobWork {
  onProgress(progress: JobProgress): void;
  /** Aborted when someone cancels the job; the kind stops at its next step and writes nothing. */
  signal: AbortSignal;
}

/**
 * A kind of long work. `run` executes in a worker thread (src/jobs/worker.ts) with its own store connection, and
 * must keep the all-or-nothing rule of commands: one transaction, so a cancelled or crashed job leaves nothing.
 * Its input and result cross threads by structured clone (plain data, typed arrays).
 */
export interface JobKind<I, R> {
  /** Named like the command it runs, e.g. `registry.import`. */
  name: string;
  /** Checked before the job is queued; the command checks it again (and the record scope) in the worker. */
  permission: Permission;
  title(input: I): string;
  /** How much of the whole job (0..100) this progress report stands for. */
  percent(progress: JobProgress): number;
  /**
   * What of the result the jobs table keeps (default: all of it). Whoever awaits the job in this process gets
   * the whole result; a large one (an evaluation) stays out of the store.
   */
  stored?(result: R): unknown;
  /**
   * How the input is kept in the store while the job waits for a worker process (`lifecircle worker`): as
   * JSON-able data and back. Kinds without it always run in the server that accepted them.
   */
  queue?: { encode(input: I): unknown; decode(stored: unknown): I };
  run(deps: CommandDeps, viewer: Viewer, input: I, work: JobWork): Promise<R>;
}

/**
 * Share of the job's time each phase takes, in order: measured in-process on a 50,000-row facilities CSV
 * (2-core machine, 6.2 s in all): reading the file 5 %, checking the rows 7 %, writing them with their audit
 * records and the report 88 %.
 */
const IMPORT_PHASES: readonly [string, number][] = [
  ['reading', 5],
  ['checking', 7],
  ['writing', 88],
];

/** Percent done from a phase table: the phases before, plus the reported share of this one. */
export function phasePercent(phases: readonly [string, number][], p: JobProgress): number {
  let before = 0;
  for (const [name, weight] of phases) {
    if (name === p.phase) {
      const share = p.total > 0 ? Math.min(1, p.done / p.total) : 0;
      return Math.round(before + weight * share);
    }
    before += weight;
  }
  return 0;
}

/** The file's bytes as base64 while a job waits in the store for a worker process, and back. */
function bytesQueue<I extends { bytes: Uint8Array }>(): NonNullable<JobKind<I, unknown>['queue']> {
  return {
    encode: (input) => ({ ...input, bytes: Buffer.from(input.bytes).toString('base64') }),
    decode: (stored) => {
      const { bytes, ...rest } = stored as Record<string, unknown> & { bytes: string };
      return { ...rest, bytes: new Uint8Array(Buffer.from(bytes, 'base64')) } as unknown as I;
    },
  };
}

/** Structured clone delivers a Uint8Array; the commands read a Buffer (same memory, no copy). */
const asBuffer = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/** A register import: the `registry.import` command, with progress and cancel. */
export type ImportJobInput = Omit<ImportInput, 'onProgress' | 'signal' | 'bytes'> & { bytes: Uint8Array };

export const importJob: JobKind<ImportJobInput, ImportOutcome> = {
  name: 'registry.import',
  permission: 'registry.import',
  title: (input) => `${input.entity} ← ${input.fileName}`,
  percent: (p) => phasePercent(IMPORT_PHASES, p),
  // The file as base64 in the jobs table until the job ends (then it is removed: it may hold personal data).
  queue: bytesQueue<ImportJobInput>(),
  async run(deps, viewer, input, work) {
    const outcome = await importRecords(deps, viewer, {
      ...input,
      bytes: asBuffer(input.bytes),
      onProgress: work.onProgress,
      signal: work.signal,
    });
    // The rejected rows stay with the import record (GET /api/imports/:id/rejected-rows), not in the job.
    const kept = { ...outcome, rejectedRows: null };
    // A rejected import is a failed job whose error carries the report (it names every bad row).
    if (!outcome.report.accepted)
      throw new LifeCircleError('LC_IMPORT_REJECTED', rejectionMessage(outcome.report), { details: kept });
    return kept;
  },
};

/** Linking the store's places to a file's 社区 (`registry.linkCommunities`): one pass, one transaction. */
export type LinkJobInput = Omit<LinkCommunitiesInput, 'bytes'> & { bytes: Uint8Array };

export const linkJob: JobKind<LinkJobInput, LinkCommunitiesReport> = {
  name: 'registry.linkCommunities',
  permission: 'registry.write.communities',
  title: (input) => `communities ↔ ${input.fileName}`,
  percent: () => 0,
  queue: bytesQueue<LinkJobInput>(),
  run: (deps, viewer, input) => linkCommunities(deps, viewer, { ...input, bytes: asBuffer(input.bytes) }),
};

/** A city's walking network from an uploaded OSM extract (`cities.importNetwork`), with progress and cancel. */
export type NetworkImportJobInput = Omit<ImportCityNetworkInput, 'path' | 'onProgress' | 'signal'> & {
  bytes: Uint8Array;
};

export const networkImportJob: JobKind<NetworkImportJobInput, ImportCityNetworkResult> = {
  name: 'cities.importNetwork',
  permission: 'cities.manage',
  title: (input) => `network ${input.cityCode} ← ${input.fileName}`,
  percent: (p) => phasePercent(NETWORK_IMPORT_PHASES, p),
  // No queue: an extract runs to hundreds of megabytes, too much to park in the jobs table as base64. The
  // server that accepted the upload runs it in one of its worker threads.
  async run(deps, viewer, { bytes, ...input }, work) {
    // The OSM readers stream from a file: a private temporary copy, removed whatever happens.
    const dir = await mkdtemp(join(tmpdir(), 'lifecircle-network-'));
    const path = join(dir, basename(input.fileName).replace(/[^\w.-]+/g, '_') || 'network.osm');
    try {
      await writeFile(path, bytes);
      return await importCityNetwork(deps, viewer, {
        ...input,
        path,
        onProgress: work.onProgress,
        signal: work.signal,
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};

/** An analysis run: the store evaluated on the walking graph (the CPU-heavy part), then `analysis.run`. */
export type AnalysisJobInput = Omit<EvaluationSetup, 'index' | 'onProgress'> & {
  kind: string;
  parameters: Record<string, unknown>;
};

/** The stored run, and the evaluation it came from (for the server's map; kept out of the jobs table). */
export interface AnalysisJobResult {
  run: AnalysisRun;
  evaluated: Evaluated;
}

/**
 * Phases of `evaluateAccess` (src/access) and the share of each, measured on the bundled district (three runs of
 * 50–180 ms: reading the store and placing communities about 50 %, nearest distances and counts 35–42 %, 2SFCA
 * 5–13 %); a whole city's shares will differ, so the bar is a guide, not a promise.
 */
const ANALYSIS_PHASES: readonly [string, number][] = [
  ['placing communities', 50],
  ['nearest and counts', 40],
  ['2SFCA catchments', 10],
];

/** The evaluation of `setup` stored as a run of `kind` (`analysis.run`), stopping at a step when cancelled. */
async function evaluateAndStore(
  deps: CommandDeps,
  viewer: Viewer,
  setup: EvaluationSetup,
  kind: string,
  parameters: Record<string, unknown>,
  work: JobWork,
): Promise<AnalysisJobResult> {
  if (kind !== 'coverage')
    throw new LifeCircleError('LC_NOT_AVAILABLE', `analysis '${kind}' is not available; available: coverage`);
  const evaluated = await evaluateStore(deps.store, {
    ...setup,
    onProgress(phase, done, total) {
      work.onProgress({ phase, done, total });
      if (work.signal.aborted)
        throw new LifeCircleError('LC_CANCELLED', `the ${kind} analysis was cancelled; no run was stored`);
    },
  });
  const run = await runAnalysis(deps, viewer, {
    provider: evaluatedProvider(evaluated, setup),
    kind,
    parameters,
  });
  return { run, evaluated };
}

/** What the jobs table keeps of an analysis: the run's id and hash (the evaluation is far too large). */
const storedRun = (result: { run: AnalysisRun }) => ({
  run: { id: result.run.id, kind: result.run.kind, inputsHash: result.run.inputsHash },
});

export const analysisJob: JobKind<AnalysisJobInput, AnalysisJobResult> = {
  name: 'analysis.run',
  permission: 'analysis.run',
  title: (input) => `analysis ${input.kind}`,
  percent: (p) => phasePercent(ANALYSIS_PHASES, p),
  stored: storedRun,
  run(deps, viewer, { kind, parameters, ...setup }, work) {
    return evaluateAndStore(deps, viewer, setup, kind, parameters, work);
  },
};

/**
 * A city's analysis on the walking network kept in the store (`cities.importNetwork`): the job loads the graph
 * and the census itself, so its input is a city code and the standards — small enough to wait in the jobs table
 * for any `lifecircle worker` (a province's cities spread over several machines), and the accepting server
 * never decodes a graph on its request thread.
 */
export interface CityAnalysisJobInput {
  cityCode: string;
  kind: string;
  /** The standards the accepting server analyses with (a city's configuration, or the national defaults). */
  standards: Standards;
}

/** Loading a city-sized graph file is a visible part of the job; the evaluation's phases follow. */
const CITY_ANALYSIS_PHASES: readonly [string, number][] = [
  ['loading network', 10],
  ...ANALYSIS_PHASES.map(([phase, share]): [string, number] => [phase, share * 0.9]),
];

export const cityAnalysisJob: JobKind<CityAnalysisJobInput, { run: AnalysisRun }> = {
  name: 'analysis.city',
  permission: 'analysis.run',
  title: (input) => `analysis ${input.kind} · ${input.cityCode}`,
  percent: (p) => phasePercent(CITY_ANALYSIS_PHASES, p),
  stored: storedRun,
  // Plain data already (the standards are parsed JSON): kept as it is.
  queue: { encode: (input) => input, decode: (stored) => stored as CityAnalysisJobInput },
  async run(deps, viewer, { cityCode, kind, standards }, work) {
    work.onProgress({ phase: 'loading network', done: 0, total: 1 });
    const graph = await loadCityGraph(deps.store, cityCode);
    if (!graph)
      throw new LifeCircleError(
        'LC_NOT_FOUND',
        `city ${cityCode} has no walking network yet; import an OSM extract of it first (lifecircle city network ${cityCode} <file>)`,
      );
    // Age shares of the city's 区县 (2020 census) fill the age groups a register does not give.
    const census = readCensus(undefined, cityCode);
    const parameters = { source: 'store', cityCode, network: graph.meta.source.sha256 };
    const { run } = await evaluateAndStore(
      deps,
      viewer,
      { cityCode, graph, standards, census },
      kind,
      parameters,
      work,
    );
    return { run };
  },
};

/** A monitoring report's input as a job takes it: plain data (no progress callback, no signal). */
export type ReportJobInput = Omit<GenerateReportInput, 'onProgress' | 'signal'>;

/**
 * Share of a report's time per step, measured once on a synthetic city of 2,000 communities and eight types
 * (2-core machine, 3.8 s in all): reading 4 %, figures 3 %, the HTML with its map and charts 18 %, DOCX 12 %, the
 * XLSX annex 62 % (a row per community), writing 1 %. A guide for the bar, not a promise.
 */
const REPORT_PHASE_SHARES: readonly [string, number][] = [
  ['reading', 4],
  ['figures', 3],
  ['html', 18],
  ['docx', 12],
  ['xlsx', 62],
  ['writing', 1],
];

/** `reports.generate` as a job: in a worker thread, with progress and cancel; the files are kept in one write. */
export const reportJob: JobKind<ReportJobInput, MonitoringReportRecord> = {
  name: 'reports.generate',
  permission: 'reports.generate',
  title: (input) =>
    `monitoring report ${input.region}${input.type ? ` · ${input.type}` : ''} (${input.lang})`,
  percent: (p) => phasePercent(REPORT_PHASE_SHARES, p),
  // Small, plain input: it can wait in the jobs table for any `lifecircle worker`.
  queue: { encode: (input) => input, decode: (stored) => stored as ReportJobInput },
  run: (deps, viewer, input, work) =>
    generateMonitoringReport(deps, viewer, { ...input, onProgress: work.onProgress, signal: work.signal }),
};

/** Every job kind, by name: the worker looks its task's kind up here. */
export const JOB_KINDS: ReadonlyMap<string, JobKind<never, unknown>> = new Map(
  [importJob, linkJob, networkImportJob, analysisJob, cityAnalysisJob, reportJob].map((kind) => [
    kind.name,
    kind as unknown as JobKind<never, unknown>,
  ]),
);
