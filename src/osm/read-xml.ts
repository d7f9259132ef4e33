import { createReadStream, statSync } from 'node:fs';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { LifeCircleError } from '../errors.js';
import type { OsmHandlers, OsmMember, OsmReadOptions, OsmReadSummary, OsmTags } from './types.js';

type Current =
  | { kind: 'node'; id: number; lon: number; lat: number; tags: OsmTags | undefined }
  | { kind: 'way'; id: number; refs: number[]; tags: OsmTags }
  | { kind: 'relation'; id: number; members: OsmMember[]; tags: OsmTags }
  | { kind: 'other' };

/** Streams an OSM XML file through a SAX parser: memory stays flat whatever the file size. */
export async function readOsmXml(
  path: string,
  handlers: OsmHandlers,
  options: OsmReadOptions = {},
): Promise<OsmReadSummary> {
  const totalBytes = statSync(path).size;
  const parser = new SaxesParser({ position: true, fileName: path });
  let failure: LifeCircleError | undefined;
  const fail = (message: string) => {
    failure ??= new LifeCircleError('LC_OSM_FORMAT', `${path}:${parser.line}:${parser.column}: ${message}`);
  };
  let sawRoot = false;
  let current: Current | undefined;
  let nodes = 0;
  let ways = 0;
  let relations = 0;

  const number = (tag: SaxesTagPlain, name: string): number => {
    const raw = tag.attributes[name];
    const value = raw === undefined ? NaN : Number(raw);
    if (!Number.isFinite(value)) fail(`<${tag.name}> attribute ${name}="${raw ?? ''}" is not a number`);
    return value;
  };

  parser.on('error', (error) => {
    failure ??= new LifeCircleError('LC_OSM_FORMAT', `${error.message} (malformed XML)`);
  });
  parser.on('opentag', (openTag) => {
    const tag = openTag as SaxesTagPlain;
    if (failure) return;
    if (!sawRoot) {
      sawRoot = true;
      if (tag.name !== 'osm') fail(`root element is <${tag.name}>, expected <osm> (an OSM XML file)`);
      return;
    }
    switch (tag.name) {
      case 'node': {
        const id = number(tag, 'id');
        const lat = number(tag, 'lat');
        const lon = number(tag, 'lon');
        if (lat < -90 || lat > 90 || lon < -180 || lon > 180)
          fail(`node ${id} has coordinates out of range (${lon}, ${lat})`);
        current = { kind: 'node', id, lon, lat, tags: options.nodeTags ? {} : undefined };
        break;
      }
      case 'way':
        current = { kind: 'way', id: number(tag, 'id'), refs: [], tags: {} };
        break;
      case 'relation':
        current = { kind: 'relation', id: number(tag, 'id'), members: [], tags: {} };
        break;
      case 'tag': {
        if (current && current.kind !== 'other' && current.tags) {
          const k = tag.attributes.k;
          if (k !== undefined) current.tags[k] = tag.attributes.v ?? '';
        }
        break;
      }
      case 'nd':
        if (current?.kind === 'way') current.refs.push(number(tag, 'ref'));
        break;
      case 'member':
        if (current?.kind === 'relation') {
          const type = tag.attributes.type as string | undefined;
          if (type === 'node' || type === 'way' || type === 'relation') {
            current.members.push({ type, ref: number(tag, 'ref'), role: tag.attributes.role ?? '' });
          }
        }
        break;
      default:
        if (!current) current = { kind: 'other' };
    }
  });
  parser.on('closetag', (tag) => {
    if (failure || !current) return;
    if (tag.name === 'node' && current.kind === 'node') {
      nodes++;
      handlers.nodeCoordinates?.(current.id, current.lon, current.lat);
      handlers.node?.(
        current.tags ? { id: current.id, lon: current.lon, lat: current.lat, tags: current.tags } : current,
      );
      current = undefined;
    } else if (tag.name === 'way' && current.kind === 'way') {
      ways++;
      handlers.way?.({ id: current.id, refs: current.refs, tags: current.tags });
      current = undefined;
    } else if (tag.name === 'relation' && current.kind === 'relation') {
      relations++;
      handlers.relation?.({ id: current.id, members: current.members, tags: current.tags });
      current = undefined;
    } else if (current.kind === 'other' && tag.name !== 'tag') {
      current = undefined;
    }
  });

  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 });
  try {
    for await (const chunk of stream) {
      parser.write(chunk as string);
      if (failure) break;
      options.onProgress?.(stream.bytesRead, totalBytes);
    }
    if (!failure) parser.close();
  } catch (error) {
    if (error instanceof LifeCircleError) throw error;
    failure ??= new LifeCircleError('LC_OSM_FORMAT', `${path}: ${(error as Error).message}`);
  } finally {
    stream.destroy();
  }
  if (failure) throw failure;
  if (!sawRoot)
    throw new LifeCircleError('LC_OSM_FORMAT', `${path}: no XML element found (expected an <osm> document)`);
  return { format: 'xml', nodes, ways, relations, bytes: totalBytes };
}
