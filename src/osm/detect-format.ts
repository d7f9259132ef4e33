import { openSync, readSync, closeSync, statSync } from 'node:fs';
import { LifeCircleError } from '../errors.js';
import type { OsmFormat } from './types.js';

/**
 * Tells OSM XML from OSM PBF by the file's first bytes, not its name, so a mislabelled file is caught before
 * parsing starts. PBF begins with a 4-byte big-endian BlobHeader length followed by the protobuf field
 * `type = "OSMHeader"`; XML begins (after an optional BOM and white space) with `<`.
 */
export function detectOsmFormat(path: string): OsmFormat {
  let size: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new Error('not a file');
    size = stat.size;
  } catch {
    throw new LifeCircleError(
      'LC_FILE_NOT_FOUND',
      `${path}: no such file (expected an OSM .osm or .osm.pbf file)`,
    );
  }
  if (size === 0)
    throw new LifeCircleError('LC_OSM_FORMAT', `${path}: the file is empty (expected OSM XML or PBF)`);
  const head = Buffer.alloc(Math.min(64, size));
  const fd = openSync(path, 'r');
  try {
    readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  if (head.length >= 15 && head[4] === 0x0a && head.subarray(6, 15).toString('latin1') === 'OSMHeader')
    return 'pbf';
  const text = head
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart();
  if (text.startsWith('<')) return 'xml';
  if (head[0] === 0x1f && head[1] === 0x8b) {
    throw new LifeCircleError(
      'LC_OSM_FORMAT',
      `${path}: the file is gzip-compressed; decompress it first (expected OSM XML or PBF)`,
    );
  }
  if (head.subarray(0, 3).toString('latin1') === 'BZh') {
    throw new LifeCircleError(
      'LC_OSM_FORMAT',
      `${path}: the file is bzip2-compressed; decompress it first (expected OSM XML or PBF)`,
    );
  }
  if (text.startsWith('{') || text.startsWith('[')) {
    throw new LifeCircleError(
      'LC_OSM_FORMAT',
      `${path}: the file looks like JSON/GeoJSON, not OSM XML or PBF`,
    );
  }
  throw new LifeCircleError(
    'LC_OSM_FORMAT',
    `${path}: not an OSM file (expected OSM XML starting with '<' or a PBF starting with an OSMHeader block)`,
  );
}
