import type { Command } from 'commander';
import { EdgeIndex, describeGraph, isSnapped, isochrone, type WalkGraph } from '../network/index.js';
import { loadBundledGraph as loadBundled } from '../analysis/index.js';
import { formatSummary } from './network-commands.js';
import { createProgress } from './progress.js';
import { tierById } from '../standards/index.js';

/** The bundled network (cached beside the checkout), with a progress bar while it is built the first time. */
export async function loadBundledGraph(quiet = false): Promise<WalkGraph> {
  const progress = createProgress('importing the bundled Chengdu network', quiet);
  try {
    return await loadBundled({ onProgress: (done, total) => progress.update(done, total) });
  } finally {
    progress.stop();
  }
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
      // 天府广场 (Tianfu Square), the city centre: what lies within the 15-minute life circle's walking distance
      // (the one its coverage is measured against)?
      const origin = new EdgeIndex(graph).snap(104.0657, 30.6573);
      const limitM = tierById('fifteen-minute').walkingDistanceM?.value ?? 1000;
      if (isSnapped(origin)) {
        const reach = isochrone(graph, origin, limitM);
        process.stdout.write(
          `15-minute life circle (${limitM} m on foot) from 天府广场: ${(reach.reachedLengthM / 1000).toFixed(1)} km of streets and paths ` +
            `(origin snapped ${origin.distanceM.toFixed(0)} m to way ${graph.edgeWayId[origin.edge]})\n`,
        );
      }
      process.stdout.write('\nTry: npx lifecircle --help\n');
    });
}
