import { detectOsmFormat } from './detect-format.js';
import { readOsmPbf } from './read-pbf.js';
import { readOsmXml } from './read-xml.js';
import type { OsmHandlers, OsmReadOptions, OsmReadSummary } from './types.js';

export type {
  OsmFormat,
  OsmHandlers,
  OsmMember,
  OsmNode,
  OsmReadOptions,
  OsmReadSummary,
  OsmRelation,
  OsmTags,
  OsmWay,
} from './types.js';
export { detectOsmFormat } from './detect-format.js';

/**
 * Streams an OSM XML or PBF file (told apart by content) into the handlers, in file order.
 * Throws LC_FILE_NOT_FOUND or LC_OSM_FORMAT naming the file and what is wrong.
 */
export async function readOsm(
  path: string,
  handlers: OsmHandlers,
  options: OsmReadOptions = {},
): Promise<OsmReadSummary> {
  const format = detectOsmFormat(path);
  return format === 'pbf' ? readOsmPbf(path, handlers, options) : readOsmXml(path, handlers, options);
}
