import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { readOsm } from '../osm/index.js';
import { LifeCircleError } from '../errors.js';
import { NodeTable, WayTable, buildGraph } from './build-graph.js';
import type { WalkGraph } from './graph.js';
import { WALK_PROFILE, classifyWay, type WalkProfile, type WayVerdict } from './walk-profile.js';

export interface ImportProgress {
  readonly phase: 'read' | 'build';
  readonly bytesRead: number;
  readonly totalBytes: number;
}

export interface ImportOptions {
  readonly profile?: WalkProfile;
  readonly onProgress?: (progress: ImportProgress) => void;
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Reads an OSM XML or PBF extract in one streaming pass and builds its walking graph. Node coordinates are
 * held in typed arrays (24 bytes a node); ways the profile rejects are counted, never stored.
 */
export async function importOsmNetwork(path: string, options: ImportOptions = {}): Promise<WalkGraph> {
  const profile = options.profile ?? WALK_PROFILE;
  const nodes = new NodeTable();
  const ways = new WayTable();
  const verdicts: Partial<Record<WayVerdict, number>> = {};
  const summary = await readOsm(
    path,
    {
      nodeCoordinates(id, lon, lat) {
        nodes.add(id, lon, lat);
      },
      way(way) {
        const verdict = classifyWay(way.tags, profile);
        verdicts[verdict.verdict] = (verdicts[verdict.verdict] ?? 0) + 1;
        if (verdict.verdict === 'walkable' && way.refs.length >= 2)
          ways.add(way.id, way.refs, verdict.forward, verdict.backward);
      },
    },
    { onProgress: (bytesRead, totalBytes) => options.onProgress?.({ phase: 'read', bytesRead, totalBytes }) },
  );
  if (ways.size === 0) {
    const rejected = Object.entries(verdicts)
      .map(([verdict, count]) => `${verdict}: ${count}`)
      .join(', ');
    throw new LifeCircleError(
      'LC_OSM_NO_WALKABLE_WAYS',
      `${path}: no walkable way among ${summary.ways} ways${rejected ? ` (${rejected})` : ''}; expected highway=* ways a pedestrian may use`,
    );
  }
  options.onProgress?.({ phase: 'build', bytesRead: summary.bytes, totalBytes: summary.bytes });
  const sha256 = await sha256File(path);
  return buildGraph(
    nodes,
    ways,
    {
      source: { file: basename(path), format: summary.format, bytes: summary.bytes, sha256 },
      profileVersion: profile.version,
      createdAt: new Date().toISOString(),
      osm: { nodes: summary.nodes, ways: summary.ways, relations: summary.relations },
      wayVerdicts: verdicts,
    },
    path,
  );
}
