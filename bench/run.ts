/**
 * `npm run bench`: workload W1 of issue 2 (nearest walking distance capped at 2000 m and facilities within each
 * type's radius, per community and type) with our engine and, side by side on identical inputs, pgRouting,
 * igraph and NetworkX; plus the 1M-node import goal. See bench/README.md.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { readGraphFile, type WalkGraph } from '../src/network/index.js';
import { compareResults, readResults, type Agreement } from './compare.js';
import { ensurePeerPackages, describeMachine, type Machine } from './machine.js';
import { splitForPeers, writePeerInput } from './peer-export.js';
import { PgCluster, runPgRouting } from './peers/pgrouting.js';
import { runPythonPeer, type PeerRun } from './peers/python.js';
import { renderPerformanceDoc, renderTable } from './report.js';
import { timeImport, writeTiledPbf, type ImportRun, type TilePlan } from './tiling.js';
import { chengduWorkload, loadFacilityTypes, syntheticWorkload, type W1Workload } from './workload.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = join(ROOT, 'bin/lifecircle.js');
const SHARED = resolve(ROOT, '../shared/data');
const PORTO_PBF = join(SHARED, 'porto-2015/porto_portugal.osm.pbf');
const HEIDELBERG_PBF = join(SHARED, 'heidelberg-2017/heidelberg.osm.pbf');
const CHENGDU_OSM = join(ROOT, 'data/chengdu-central/chengdu-central-2018.osm');
const RESULTS_DIR = join(ROOT, 'bench/results');

const NETWORKS = ['chengdu', 'porto', 'heidelberg', 'porto-x14', 'porto-x55'] as const;
type NetworkName = (typeof NETWORKS)[number];
const PEERS = ['pgrouting', 'igraph', 'networkx'] as const;
type PeerName = (typeof PEERS)[number];

export interface OursRun {
  readonly loadS: number;
  readonly w1S: number;
  /** Best of three runs in the same process (warm). */
  readonly w1BestS: number;
  readonly nearestS: number;
  readonly lowerBoundS: number;
  readonly peakRssKiB: number;
}

export interface NetworkResult {
  readonly network: NetworkName;
  readonly label: string;
  /** Everything synthetic about this row (empty = all real). */
  readonly synthetic: readonly string[];
  readonly osmNodes: number;
  readonly graphNodes: number;
  readonly graphEdges: number;
  readonly peerNodes: number;
  readonly workload: {
    readonly communities: number;
    readonly facilities: number;
    readonly types: number;
    readonly description: string;
  };
  readonly import?: ImportRun & { readonly pbfBytes: number; readonly file: string };
  readonly tiles?: TilePlan;
  readonly ours: OursRun;
  readonly peers: readonly { readonly run: PeerRun; readonly agreement?: Agreement }[];
  readonly machine: Machine;
  readonly ranAt: string;
}

interface Options {
  only: string;
  peers: string;
  limit: string;
  countBudget: string;
  cache: string;
  install: boolean;
  docs: boolean;
  networkxMaxNodes: string;
}

function parseList<T extends string>(value: string, allowed: readonly T[], what: string): T[] {
  if (value === 'none') return [];
  const items = value.split(',').map((s) => s.trim()) as T[];
  for (const item of items)
    if (!allowed.includes(item))
      throw new Error(`--${what}: unknown "${item}"; expected ${allowed.join(', ')}`);
  return items;
}

function log(message: string): void {
  console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);
}

/** Imports an OSM file once into the cache (timed in a child process); later runs reuse the graph. */
function cachedImport(source: string, graphPath: string): ImportRun & { pbfBytes: number; file: string } {
  const timing = `${graphPath}.import.json`;
  if (existsSync(graphPath) && existsSync(timing)) return JSON.parse(readFileSync(timing, 'utf8'));
  log(`importing ${source} …`);
  const run = { ...timeImport(CLI, source, graphPath), pbfBytes: statSync(source).size, file: source };
  writeFileSync(timing, JSON.stringify(run));
  return run;
}

async function main(): Promise<void> {
  const program = new Command()
    .name('npm run bench --')
    .description('Workload W1 on real and SYNTHETIC networks, ours vs pgRouting, igraph and NetworkX')
    .option('--only <networks>', `comma-separated: ${NETWORKS.join(',')}`, NETWORKS.join(','))
    .option('--peers <peers>', `comma-separated: ${PEERS.join(',')}, or none`, PEERS.join(','))
    .option('--limit <seconds>', 'time limit per peer run on one network', '1200')
    .option(
      '--count-budget <seconds>',
      'igraph/NetworkX: in each part (nearest, counts) start no search after this; extrapolate the rest',
      '300',
    )
    .option(
      '--cache <dir>',
      'graphs, tiled PBFs and peer inputs (outside git)',
      join(tmpdir(), 'lifecircle-bench'),
    )
    .option('--no-install', 'do not apt-get install missing peers')
    .option('--no-docs', 'do not rewrite docs/performance.md')
    .option('--networkx-max-nodes <n>', 'skip NetworkX above this many graph nodes (memory)', '2000000');
  program.parse(process.argv);
  const options = program.opts<Options>();
  const networks = parseList(options.only, NETWORKS, 'only');
  const peers = parseList(options.peers, PEERS, 'peers');
  const limitS = Number(options.limit);
  const countBudgetS = Math.min(Number(options.countBudget), limitS / 2);
  const cache = resolve(options.cache);
  mkdirSync(cache, { recursive: true });
  mkdirSync(RESULTS_DIR, { recursive: true });

  if (peers.length > 0 && options.install) ensurePeerPackages(peers, log);
  const needsTiles = networks.some((n) => n.startsWith('porto-x'));
  if (needsTiles && options.install) ensurePeerPackages(['pyosmium'], log);
  const machine = describeMachine();
  log(
    `machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB} GiB; load ${machine.loadAverage}`,
  );

  const types = loadFacilityTypes(join(ROOT, 'bench/w1-facility-types.json'));
  let cluster: PgCluster | undefined;
  let failed = false;
  try {
    if (peers.includes('pgrouting')) {
      cluster = new PgCluster(cache);
      // Ctrl-C or kill: stop the throwaway cluster too (runs once the current child process has ended).
      for (const signal of ['SIGINT', 'SIGTERM'] as const)
        process.on(signal, () => {
          cluster?.stop();
          process.exit(130);
        });
      cluster.start();
      machine.versions.pgrouting = cluster.version();
    }
    for (const network of networks) {
      const prepared = await prepare(network, cache, types);
      if (!prepared) continue;
      const result = runNetwork(
        network,
        prepared,
        cache,
        peers,
        limitS,
        countBudgetS,
        Number(options.networkxMaxNodes),
        machine,
        cluster,
      );
      writeFileSync(join(RESULTS_DIR, `${network}.json`), JSON.stringify(result, null, 1));
      console.log(renderTable([result]));
      for (const p of result.peers)
        if (p.agreement && (p.agreement.distanceMismatches > 0 || p.agreement.countMismatches > 0)) {
          failed = true;
          console.error(`MISMATCH: ${p.run.engine} on ${network}: ${JSON.stringify(p.agreement)}`);
        }
    }
  } finally {
    cluster?.stop();
  }
  const all = readdirSync(RESULTS_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(RESULTS_DIR, f), 'utf8')) as NetworkResult)
    .sort((a, b) => NETWORKS.indexOf(a.network) - NETWORKS.indexOf(b.network));
  console.log('\nAll results so far (bench/results/):');
  console.log(renderTable(all));
  if (options.docs) {
    const docPath = join(ROOT, 'docs/performance.md');
    const previous = existsSync(docPath) ? readFileSync(docPath, 'utf8') : '';
    // Formatted as `npm run lint` expects (Prettier pads the tables).
    const prettier = await import('prettier');
    const config = (await prettier.resolveConfig(docPath)) ?? {};
    const doc = await prettier.format(renderPerformanceDoc(all, previous), { ...config, parser: 'markdown' });
    writeFileSync(docPath, doc);
    log('wrote docs/performance.md');
  }
  if (failed) {
    console.error('bench: some peer results differ from ours (see MISMATCH above)');
    process.exitCode = 1;
  }
}

interface Prepared {
  readonly graphPath: string;
  readonly graph: WalkGraph;
  readonly workload: W1Workload;
  readonly label: string;
  readonly synthetic: string[];
  readonly importRun?: ImportRun & { pbfBytes: number; file: string };
  readonly tiles?: TilePlan;
}

async function prepare(
  network: NetworkName,
  cache: string,
  types: ReturnType<typeof loadFacilityTypes>,
): Promise<Prepared | undefined> {
  if (network === 'chengdu') {
    const graphPath = join(cache, 'chengdu.graph');
    const importRun = cachedImport(CHENGDU_OSM, graphPath);
    const graph = await readGraphFile(graphPath);
    const { workload } = await chengduWorkload(CHENGDU_OSM, graph, types.chengdu, types.maxDistanceM);
    return { graphPath, graph, workload, label: 'Chengdu central 2018 (real)', synthetic: [], importRun };
  }
  const source = network === 'heidelberg' ? HEIDELBERG_PBF : PORTO_PBF;
  if (!existsSync(source)) {
    log(
      `SKIPPED ${network}: ${source} is missing (the bench reads it from ../shared/data next to the checkout)`,
    );
    return undefined;
  }
  const baseName = network === 'heidelberg' ? 'heidelberg' : 'porto';
  const basePath = join(cache, `${baseName}.graph`);
  const baseImport = cachedImport(source, basePath);
  if (network === 'porto' || network === 'heidelberg') {
    const graph = await readGraphFile(basePath);
    const workload = syntheticWorkload(network, graph, types.synthetic, types.maxDistanceM);
    const label = network === 'porto' ? 'Porto 2015 (real network)' : 'Heidelberg 2017 (real network)';
    return { graphPath: basePath, graph, workload, label, synthetic: ['points'], importRun: baseImport };
  }
  const copies = network === 'porto-x14' ? 14 : 55;
  const porto = await readGraphFile(basePath);
  const pbf = join(cache, `porto-x${copies}.osm.pbf`);
  log(`writing SYNTHETIC ${copies}-tile Porto PBF with pyosmium (cached) …`);
  const { plan, writeS, cached } = writeTiledPbf(PORTO_PBF, porto, copies, pbf);
  log(`tiled PBF ${cached ? 'reused from cache' : `written in ${writeS.toFixed(1)} s`}: ${pbf}`);
  const graphPath = join(cache, `porto-x${copies}.graph`);
  const importRun = cachedImport(pbf, graphPath);
  log(`import: ${importRun.wallS.toFixed(1)} s, peak ${(importRun.peakRssKiB / 1024).toFixed(0)} MiB`);
  const graph = await readGraphFile(graphPath);
  const workload = syntheticWorkload(network, graph, types.synthetic, types.maxDistanceM);
  return {
    graphPath,
    graph,
    workload,
    label: `SYNTHETIC: ${copies} tiled copies of Porto`,
    synthetic: [`network (${copies} tiled copies of Porto, ${plan.stitchCount} stitch footways)`, 'points'],
    importRun,
    tiles: plan,
  };
}

function runNetwork(
  network: NetworkName,
  p: Prepared,
  cache: string,
  peers: readonly PeerName[],
  limitS: number,
  countBudgetS: number,
  networkxMaxNodes: number,
  machine: Machine,
  cluster: PgCluster | undefined,
): NetworkResult {
  const { graph, workload } = p;
  log(
    `${network}: ${graph.meta.osm.nodes} OSM nodes, ${graph.nodeCount} graph nodes; ${workload.description}`,
  );
  const workloadPath = join(cache, `${network}.workload.json`);
  writeFileSync(workloadPath, JSON.stringify(workload));
  const peerGraph = splitForPeers(graph, workload);
  const peerPrefix = join(cache, `${network}.peer`);
  writePeerInput(peerPrefix, peerGraph, workload);

  log(`${network}: ours (computeReach) …`);
  const oursOut = join(cache, `${network}.ours`);
  const worker = spawnSync(
    process.execPath,
    [
      '--max-old-space-size=8192',
      join(ROOT, 'dist/bench/ours-worker.js'),
      p.graphPath,
      workloadPath,
      oursOut,
    ],
    { encoding: 'utf8', timeout: limitS * 1000 },
  );
  if (worker.status !== 0) throw new Error(`our W1 run failed on ${network}: ${worker.stderr}`);
  const ours = JSON.parse(worker.stdout.trim().split('\n').pop() as string) as OursRun;
  log(`${network}: ours W1 ${ours.w1S.toFixed(2)} s (lower bound ${ours.lowerBoundS.toFixed(2)} s)`);
  const oursResults = readResults(oursOut);

  const peerRuns: { run: PeerRun; agreement?: Agreement }[] = [];
  for (const peer of peers) {
    const out = join(cache, `${network}.${peer}`);
    let run: PeerRun;
    if (peer === 'networkx' && graph.nodeCount > networkxMaxNodes) {
      run = skipped(
        peer,
        `skipped: ${graph.nodeCount} graph nodes > ${networkxMaxNodes} (NetworkX needs ~1 KiB a node)`,
      );
    } else if (peer === 'pgrouting') {
      log(`${network}: pgRouting …`);
      run = runPgRouting(cluster as PgCluster, peerGraph, workload, out, limitS);
    } else {
      log(`${network}: ${peer} …`);
      run = runPythonPeer(peer, peerPrefix, out, limitS, countBudgetS);
    }
    const agreement =
      existsSync(`${out}.nearest.f64`) && !run.note?.startsWith('skipped') && !Number.isNaN(run.nearestS)
        ? compareResults(oursResults, readResults(out))
        : undefined;
    log(
      `${network}: ${peer}: nearest ${run.nearestS.toFixed(2)} s, counts ${run.countsS.toFixed(2)} s; ${agreement ? `max |Δ| ${agreement.maxAbsDiffM.toExponential(2)} m, ${agreement.distanceMismatches} distance and ${agreement.countMismatches} count mismatches` : 'no comparison'}`,
    );
    peerRuns.push({ run, agreement });
  }
  return {
    network,
    label: p.label,
    synthetic: p.synthetic,
    osmNodes: graph.meta.osm.nodes,
    graphNodes: graph.nodeCount,
    graphEdges: graph.edgeCount,
    peerNodes: peerGraph.nodeCount,
    workload: {
      communities: workload.communities.length,
      facilities: workload.types.reduce((n, t) => n + t.facilities.length, 0),
      types: workload.types.length,
      description: workload.description,
    },
    import: p.importRun,
    tiles: p.tiles,
    ours,
    peers: peerRuns,
    machine: {
      ...machine,
      loadAverage: loadavg()
        .map((x) => x.toFixed(2))
        .join(' '),
    },
    ranAt: new Date().toISOString(),
  };
}

function skipped(engine: string, note: string): PeerRun {
  return {
    engine,
    buildS: NaN,
    nearestS: NaN,
    countsS: NaN,
    timedOut: false,
    countSources: 0,
    countSourcesDone: 0,
    peakRssKiB: NaN,
    note,
  };
}

main().catch((error: unknown) => {
  console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
