import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { LifeCircleError } from '../errors.js';
import {
  describeGraph,
  importOsmNetwork,
  readGraphFile,
  writeGraphFile,
  type GraphSummary,
} from '../network/index.js';
import { createProgress } from './progress.js';

export function formatSummary(summary: GraphSummary): string {
  const [minLon, minLat, maxLon, maxLat] = summary.bbox;
  const lines = [
    `source      ${summary.source.file} (${summary.source.format}, ${summary.source.bytes} bytes, sha256 ${summary.source.sha256.slice(0, 12)}…)${summary.synthetic ? '  [SYNTHETIC]' : ''}`,
    `nodes       ${summary.nodes}`,
    `edges       ${summary.edges} (${summary.oneWayEdges} one-way for pedestrians), ${summary.arcs} arcs`,
    `components  ${summary.components}; largest: ${summary.largestComponent.nodes} nodes, ${summary.largestComponent.lengthKm.toFixed(1)} km (${(summary.largestComponent.shareOfLength * 100).toFixed(1)} % of length)`,
    `bbox        ${minLon.toFixed(5)},${minLat.toFixed(5)} → ${maxLon.toFixed(5)},${maxLat.toFixed(5)} (WGS-84)`,
    `length      ${summary.totalLengthKm.toFixed(1)} km walkable`,
    `ways        ${Object.entries(summary.wayVerdicts)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  ];
  if (summary.missingNodeRefs > 0)
    lines.push(
      `warning     ${summary.missingNodeRefs} node references missing from the extract (ways split there)`,
    );
  lines.push(`profile     walking profile v${summary.profileVersion}, built ${summary.createdAt}`);
  return lines.join('\n');
}

export function registerNetworkCommands(program: Command): void {
  const network = program
    .command('network')
    .description('build and inspect walking networks from OpenStreetMap');

  network
    .command('import')
    .description('build a walking graph from an OSM extract (.osm XML or .osm.pbf)')
    .argument('<file>', 'OSM XML or PBF file')
    .requiredOption('-o, --output <graph>', 'the graph file to write (e.g. city.graph)')
    .option('-q, --quiet', 'no progress output')
    .option('--force', 'overwrite an existing output file')
    .action(async (file: string, options: { output: string; quiet?: boolean; force?: boolean }) => {
      if (existsSync(options.output) && !options.force) {
        throw new LifeCircleError(
          'LC_USAGE',
          `${options.output} exists already; pass --force to overwrite it`,
        );
      }
      const progress = createProgress('import', options.quiet);
      const started = Date.now();
      try {
        const graph = await importOsmNetwork(file, {
          onProgress: ({ phase, bytesRead, totalBytes }) =>
            progress.update(bytesRead, totalBytes, phase === 'build' ? 'building graph' : 'reading'),
        });
        progress.stop();
        writeGraphFile(options.output, graph);
        if (!options.quiet) {
          process.stdout.write(`${formatSummary(describeGraph(graph))}\n`);
          process.stdout.write(
            `wrote       ${options.output} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
          );
        }
      } finally {
        progress.stop();
      }
    });

  network
    .command('info')
    .description('print nodes, edges, components, bbox and total length of a graph file')
    .argument('<graph>', 'a graph file written by `lifecircle network import`')
    .option('--json', 'print JSON')
    .action((path: string, options: { json?: boolean }) => {
      const summary = describeGraph(readGraphFile(path));
      process.stdout.write(
        options.json ? `${JSON.stringify(summary, null, 2)}\n` : `${formatSummary(summary)}\n`,
      );
    });
}
