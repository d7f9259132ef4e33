import { existsSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { LifeCircleError } from '../errors.js';
import {
  EdgeIndex,
  describeGraph,
  importOsmNetwork,
  isSnapped,
  isochrone,
  readGraphFile,
  writeGraphFile,
  type GraphSummary,
} from '../network/index.js';

/** Planning walking speed (m/min): common practice, not a standard — see docs/walking-network.md. */
const DEFAULT_WALKING_SPEED_M_PER_MIN = 60;
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
  const missing = missingRefsWarning(summary);
  if (missing) lines.push(missing);
  lines.push(`profile     walking profile v${summary.profileVersion}, built ${summary.createdAt}`);
  return lines.join('\n');
}

/**
 * Ways that reference nodes absent from the extract (cut at its edge, or a broken file), naming the first ways
 * and nodes so they can be looked up on openstreetmap.org; null when there are none.
 */
export function missingRefsWarning(summary: GraphSummary): string | null {
  if (summary.missingNodeRefs === 0) return null;
  const named = summary.missingNodeRefExamples.map((m) => `way ${m.wayId} → node ${m.nodeId}`).join(', ');
  const more = summary.missingNodeRefs - summary.missingNodeRefExamples.length;
  return (
    `warning     ${summary.missingNodeRefs} node reference(s) missing from the extract (ways split there): ${named}` +
    (more > 0 ? `, and ${more} more` : '')
  );
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
        const summary = describeGraph(graph);
        // A damaged extract is worth a line even with --quiet (on stderr, so scripts reading stdout are unaffected).
        if (options.quiet) {
          const missing = missingRefsWarning(summary);
          if (missing) process.stderr.write(`${missing}\n`);
        } else {
          process.stdout.write(`${formatSummary(summary)}\n`);
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

function parseLonLat(value: string): [number, number] {
  const parts = value.split(',').map((s) => Number(s.trim()));
  if (
    parts.length !== 2 ||
    parts.some((n) => !Number.isFinite(n)) ||
    Math.abs(parts[0]) > 180 ||
    Math.abs(parts[1]) > 90
  ) {
    throw new LifeCircleError(
      'LC_USAGE',
      `--at "${value}": expected "lon,lat" in WGS-84 degrees, e.g. 104.07,30.66`,
    );
  }
  return [parts[0], parts[1]];
}

function positiveNumber(option: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new LifeCircleError('LC_USAGE', `${option} "${value}": expected a positive number`);
  return n;
}

export function registerIsochroneCommand(program: Command): void {
  program
    .command('isochrone')
    .description('the walkable network within a distance or walking time of a point, as GeoJSON')
    .requiredOption('-g, --graph <graph>', 'graph file from `lifecircle network import`')
    .requiredOption('--at <lon,lat>', 'the origin in WGS-84, e.g. 104.0665,30.6598')
    .option('--minutes <n>', 'walking time (uses --speed)')
    .option('--metres <n>', 'walking distance in metres')
    .option(
      '--speed <m-per-min>',
      `walking speed in metres per minute`,
      String(DEFAULT_WALKING_SPEED_M_PER_MIN),
    )
    .option('--max-snap <metres>', 'how far the origin may lie from the network', '300')
    .option('-o, --output <file>', 'write the GeoJSON here instead of stdout')
    .action(
      (options: {
        graph: string;
        at: string;
        minutes?: string;
        metres?: string;
        speed: string;
        maxSnap: string;
        output?: string;
      }) => {
        const [lon, lat] = parseLonLat(options.at);
        const minutes = positiveNumber('--minutes', options.minutes);
        const metres = positiveNumber('--metres', options.metres);
        const speed = positiveNumber('--speed', options.speed) as number;
        if ((minutes === undefined) === (metres === undefined)) {
          throw new LifeCircleError('LC_USAGE', 'give exactly one of --minutes or --metres');
        }
        const limitM = metres ?? (minutes as number) * speed;
        const graph = readGraphFile(options.graph);
        const snapped = new EdgeIndex(graph).snap(lon, lat, {
          maxSnapDistanceM: positiveNumber('--max-snap', options.maxSnap),
        });
        if (!isSnapped(snapped)) {
          throw new LifeCircleError(
            'LC_USAGE',
            `--at ${lon},${lat} is unreachable (${snapped.status}, ${snapped.distanceM.toFixed(0)} m from the nearest walkable way)`,
          );
        }
        const result = isochrone(graph, snapped, limitM);
        const features = [
          ...result.lines.features,
          ...(result.outline ? [result.outline] : []),
          {
            type: 'Feature' as const,
            properties: { role: 'origin', snapDistanceM: snapped.distanceM },
            geometry: { type: 'Point' as const, coordinates: [snapped.lon, snapped.lat] },
          },
        ];
        const geojson = JSON.stringify({
          type: 'FeatureCollection',
          properties: { limitM, walkingSpeedMPerMin: speed, reachedLengthM: result.reachedLengthM },
          features,
        });
        if (options.output) writeFileSync(options.output, geojson);
        else process.stdout.write(`${geojson}\n`);
        process.stderr.write(
          `isochrone: ${limitM.toFixed(0)} m, ${(result.reachedLengthM / 1000).toFixed(2)} km of ways in ${result.lines.features.length} pieces\n`,
        );
      },
    );
}
