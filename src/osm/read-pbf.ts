import { createReadStream, statSync } from 'node:fs';
import { OSMTransform } from 'osm-pbf-parser-node';
import { LifeCircleError } from '../errors.js';
import type {
  OsmHandlers,
  OsmMember,
  OsmNode,
  OsmReadOptions,
  OsmReadSummary,
  OsmTags,
  OsmWay,
} from './types.js';

/** The shapes osm-pbf-parser-node emits (its typings say only `object`). */
interface PbfItem {
  type?: 'node' | 'way' | 'relation';
  id: number;
  lat?: number;
  lon?: number;
  refs?: number[];
  members?: OsmMember[];
  tags?: OsmTags;
  required_features?: string[];
}

const SUPPORTED_FEATURES = new Set([
  'OsmSchema-V0.6',
  'DenseNodes',
  'HistoricalInformation',
  'Sort.Type_then_ID',
]);

/** Streams an OSM PBF file block by block (osm-pbf-parser-node over mapbox/pbf and zlib). */
export async function readOsmPbf(
  path: string,
  handlers: OsmHandlers,
  options: OsmReadOptions = {},
): Promise<OsmReadSummary> {
  const totalBytes = statSync(path).size;
  const source = createReadStream(path, { highWaterMark: 1 << 20 });
  const transform = new OSMTransform({
    withTags: { node: options.nodeTags ?? false, way: true, relation: true },
    withInfo: false,
  });
  source.on('error', (error) => transform.destroy(error));
  source.pipe(transform);
  let nodes = 0;
  let ways = 0;
  let relations = 0;
  try {
    for await (const batch of transform as AsyncIterable<PbfItem[]>) {
      for (const item of batch) {
        // Items already have the OsmNode/OsmWay shape: hand them over as they are (no copy per node).
        if (item.type === 'node') {
          nodes++;
          handlers.node?.(item as PbfItem & OsmNode);
        } else if (item.type === 'way') {
          ways++;
          item.refs ??= [];
          item.tags ??= {};
          handlers.way?.(item as PbfItem & OsmWay);
        } else if (item.type === 'relation') {
          relations++;
          handlers.relation?.({ id: item.id, members: item.members ?? [], tags: item.tags ?? {} });
        } else if (item.required_features) {
          const unknown = item.required_features.filter((f) => !SUPPORTED_FEATURES.has(f));
          if (unknown.length > 0) {
            throw new LifeCircleError(
              'LC_OSM_FORMAT',
              `${path}: the PBF requires unsupported features: ${unknown.join(', ')}`,
            );
          }
        }
      }
      options.onProgress?.(source.bytesRead, totalBytes);
    }
  } catch (error) {
    if (error instanceof LifeCircleError) throw error;
    const detail = (error as Error).message;
    throw new LifeCircleError(
      'LC_OSM_FORMAT',
      `${path}: the PBF is truncated or corrupt after byte ${source.bytesRead} of ${totalBytes} (${detail})`,
      { cause: error },
    );
  } finally {
    source.destroy();
  }
  return { format: 'pbf', nodes, ways, relations, bytes: totalBytes };
}
