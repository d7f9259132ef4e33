import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import {
  EdgeIndex,
  WALK_PROFILE,
  describeGraph,
  importOsmNetwork,
  isSnapped,
  isochrone,
  readGraphFile,
  writeGraphFile,
  type WalkGraph,
} from '../network/index.js';
import { BUNDLED_OSM } from '../analysis/index.js';
import { formatSummary } from './network-commands.js';
import { createProgress } from './progress.js';

const CACHE_DIR = '.lifecircle';

/** The bundled network, built once and cached beside the checkout (rebuilt when the source changes). */
export async function loadBundledGraph(quiet = false): Promise<WalkGraph> {
  const cached = join(CACHE_DIR, 'chengdu-central-2018.graph');
  if (existsSync(cached)) {
    try {
      const graph = readGraphFile(cached);
      const sha256 = createHash('sha256').update(readFileSync(BUNDLED_OSM)).digest('hex');
      if (graph.meta.source.sha256 === sha256 && graph.meta.profileVersion === WALK_PROFILE.version)
        return graph;
    } catch {
      // A corrupt cache is rebuilt below.
    }
  }
  const progress = createProgress('importing the bundled Chengdu network', quiet);
  const graph = await importOsmNetwork(BUNDLED_OSM, {
    onProgress: ({ bytesRead, totalBytes }) => progress.update(bytesRead, totalBytes),
  });
  progress.stop();
  mkdirSync(CACHE_DIR, { recursive: true });
  writeGraphFile(cached, graph);
  return graph;
}

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description(
      'build the bundled central-Chengdu walking network and print what it holds (what `npm start` runs)',
    )
    .action(async () => {
      const graph = await loadBundledGraph();
      process.stdout.write(
        'LifeCircle 生活圈 — central Chengdu (OpenStreetMap 2018, © OpenStreetMap contributors, ODbL)\n\n',
      );
      process.stdout.write(`${formatSummary(describeGraph(graph))}\n\n`);
      // 天府广场 (Tianfu Square), the city centre: what lies within a 15-minute walk (900 m at 60 m/min)?
      const origin = new EdgeIndex(graph).snap(104.0657, 30.6573);
      if (isSnapped(origin)) {
        const reach = isochrone(graph, origin, 900);
        process.stdout.write(
          `15-minute walk from 天府广场: ${(reach.reachedLengthM / 1000).toFixed(1)} km of streets and paths ` +
            `(origin snapped ${origin.distanceM.toFixed(0)} m to way ${graph.edgeWayId[origin.edge]})\n`,
        );
      }
      process.stdout.write('\nTry: npx lifecircle --help\n');
    });
}
