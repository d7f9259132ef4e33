import { createReadStream, statSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { OSMTransform } from 'osm-pbf-parser-node';
import { LifeCircleError } from '../errors.js';
import { decodePrimitiveBlock, type BlockCounts } from './pbf-block.js';
import type { OsmHandlers, OsmReadOptions, OsmReadSummary } from './types.js';

/** The OSMHeader block as osm-pbf-parser-node emits it. */
interface PbfHeader {
  required_features?: string[];
}

const SUPPORTED_FEATURES = new Set([
  'OsmSchema-V0.6',
  'DenseNodes',
  'HistoricalInformation',
  'Sort.Type_then_ID',
]);

/**
 * Streams an OSM PBF file block by block: osm-pbf-parser-node frames the file (blob headers, the OSMHeader, and
 * the check that the file does not end inside a block) and hands over each data blob still compressed; the
 * blob is inflated here and decoded by decodePrimitiveBlock without making an object per node.
 */
export async function readOsmPbf(
  path: string,
  handlers: OsmHandlers,
  options: OsmReadOptions = {},
): Promise<OsmReadSummary> {
  const totalBytes = statSync(path).size;
  const source = createReadStream(path, { highWaterMark: 1 << 20 });
  const transform = new OSMTransform({ writeRaw: true });
  source.on('error', (error) => transform.destroy(error));
  source.pipe(transform);
  const counts: BlockCounts = { nodes: 0, ways: 0, relations: 0 };
  const nodeTags = options.nodeTags ?? false;
  try {
    for await (const item of transform as AsyncIterable<Buffer | PbfHeader[]>) {
      if (Array.isArray(item)) {
        const unknown = (item[0]?.required_features ?? []).filter((f) => !SUPPORTED_FEATURES.has(f));
        if (unknown.length > 0) {
          throw new LifeCircleError(
            'LC_OSM_FORMAT',
            `${path}: the PBF requires unsupported features: ${unknown.join(', ')}`,
          );
        }
        continue;
      }
      decodePrimitiveBlock(inflateSync(item), handlers, nodeTags, counts);
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
  return {
    format: 'pbf',
    nodes: counts.nodes,
    ways: counts.ways,
    relations: counts.relations,
    bytes: totalBytes,
  };
}
