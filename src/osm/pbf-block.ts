import Pbf from 'pbf';
import type { OsmHandlers, OsmMember, OsmTags } from './types.js';

/**
 * Decodes one inflated OSM PBF PrimitiveBlock (https://wiki.openstreetmap.org/wiki/PBF_Format) straight into
 * the handlers, over mapbox/pbf's wire-format reader. Why not the parser's own objects: a city has millions of
 * nodes, and one JS object per node was a fifth of import time in garbage collection; here dense nodes go to
 * `nodeCoordinates(id, lon, lat)` as plain numbers, metadata (DenseInfo, Info) is skipped, and strings are
 * decoded only when a tag is read.
 */
export interface BlockCounts {
  nodes: number;
  ways: number;
  relations: number;
}

const MEMBER_TYPES = ['node', 'way', 'relation'] as const;

interface Block {
  strings: [number, number][];
  groups: [number, number][];
  granularity: number;
  latOffset: number;
  lonOffset: number;
}

function readBlock(tag: number, block: Block, pbf: Pbf): void {
  if (tag === 1) {
    const end = pbf.readVarint() + pbf.pos;
    while (pbf.pos < end) {
      const t = pbf.readVarint();
      if (t >> 3 === 1) {
        const length = pbf.readVarint();
        block.strings.push([pbf.pos, pbf.pos + length]);
        pbf.pos += length;
      } else pbf.skip(t);
    }
  } else if (tag === 2) {
    const length = pbf.readVarint();
    block.groups.push([pbf.pos, pbf.pos + length]);
    pbf.pos += length;
  } else if (tag === 17) block.granularity = pbf.readVarint(true);
  else if (tag === 19) block.latOffset = pbf.readVarint(true);
  else if (tag === 20) block.lonOffset = pbf.readVarint(true);
  else pbf.skip(pbf.type);
}

export function decodePrimitiveBlock(
  bytes: Uint8Array,
  handlers: OsmHandlers,
  nodeTags: boolean,
  counts: BlockCounts,
): void {
  const pbf = new Pbf(bytes);
  const block = pbf.readFields<Block>(readBlock as never, {
    strings: [],
    groups: [],
    granularity: 100,
    latOffset: 0,
    lonOffset: 0,
  });
  const decoded: (string | undefined)[] = new Array(block.strings.length);
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const string = (index: number): string => {
    let s = decoded[index];
    if (s === undefined) {
      const [start, end] = block.strings[index] ?? [0, 0];
      s = decoded[index] = text.toString('utf8', start, end);
    }
    return s;
  };
  const tagsOf = (keys: number[], values: number[]): OsmTags => {
    const tags: OsmTags = {};
    for (let i = 0; i < keys.length; i++) tags[string(keys[i])] = string(values[i]);
    return tags;
  };
  // Divide by a power of ten (1e7 at the default granularity) so that coordinates come out exactly as the
  // decimal degrees an XML export of the same data holds.
  const divisor = 1e9 / block.granularity;
  const latOf = (raw: number) => block.latOffset * 1e-9 + raw / divisor;
  const lonOf = (raw: number) => block.lonOffset * 1e-9 + raw / divisor;

  for (const [groupStart, groupEnd] of block.groups) {
    pbf.pos = groupStart;
    while (pbf.pos < groupEnd) {
      const t = pbf.readVarint();
      const field = t >> 3;
      if (field !== 1 && field !== 2 && field !== 3 && field !== 4) {
        pbf.skip(t);
        continue;
      }
      const end = pbf.readVarint() + pbf.pos;
      if (field === 2) decodeDense(pbf, end, handlers, nodeTags, string, latOf, lonOf, counts);
      else if (field === 1) {
        let id = 0;
        let lat = 0;
        let lon = 0;
        const keys: number[] = [];
        const values: number[] = [];
        while (pbf.pos < end) {
          const tt = pbf.readVarint();
          const f = tt >> 3;
          if (f === 1) id = pbf.readSVarint();
          else if (f === 2) pbf.readPackedVarint(keys);
          else if (f === 3) pbf.readPackedVarint(values);
          else if (f === 8) lat = pbf.readSVarint();
          else if (f === 9) lon = pbf.readSVarint();
          else pbf.skip(tt);
        }
        counts.nodes++;
        if (handlers.nodeCoordinates) handlers.nodeCoordinates(id, lonOf(lon), latOf(lat));
        handlers.node?.({
          id,
          lon: lonOf(lon),
          lat: latOf(lat),
          tags: nodeTags ? tagsOf(keys, values) : undefined,
        });
      } else if (field === 3) {
        let id = 0;
        const keys: number[] = [];
        const values: number[] = [];
        const deltas: number[] = [];
        while (pbf.pos < end) {
          const tt = pbf.readVarint();
          const f = tt >> 3;
          if (f === 1) id = pbf.readVarint(true);
          else if (f === 2) pbf.readPackedVarint(keys);
          else if (f === 3) pbf.readPackedVarint(values);
          else if (f === 8) pbf.readPackedSVarint(deltas);
          else pbf.skip(tt);
        }
        counts.ways++;
        if (handlers.way) {
          let ref = 0;
          for (let i = 0; i < deltas.length; i++) deltas[i] = ref += deltas[i];
          handlers.way({ id, refs: deltas, tags: tagsOf(keys, values) });
        }
      } else {
        let id = 0;
        const keys: number[] = [];
        const values: number[] = [];
        const roles: number[] = [];
        const memberIds: number[] = [];
        const types: number[] = [];
        while (pbf.pos < end) {
          const tt = pbf.readVarint();
          const f = tt >> 3;
          if (f === 1) id = pbf.readVarint(true);
          else if (f === 2) pbf.readPackedVarint(keys);
          else if (f === 3) pbf.readPackedVarint(values);
          else if (f === 8) pbf.readPackedVarint(roles, true);
          else if (f === 9) pbf.readPackedSVarint(memberIds);
          else if (f === 10) pbf.readPackedVarint(types);
          else pbf.skip(tt);
        }
        counts.relations++;
        if (handlers.relation) {
          let ref = 0;
          const members: OsmMember[] = memberIds.map((delta, i) => ({
            type: MEMBER_TYPES[types[i]] ?? 'node',
            ref: (ref += delta),
            role: string(roles[i]),
          }));
          handlers.relation({ id, members, tags: tagsOf(keys, values) });
        }
      }
      pbf.pos = end;
    }
  }
}

function decodeDense(
  pbf: Pbf,
  end: number,
  handlers: OsmHandlers,
  nodeTags: boolean,
  string: (index: number) => string,
  latOf: (raw: number) => number,
  lonOf: (raw: number) => number,
  counts: BlockCounts,
): void {
  const ids: number[] = [];
  const lats: number[] = [];
  const lons: number[] = [];
  const keysValues: number[] = [];
  while (pbf.pos < end) {
    const t = pbf.readVarint();
    const f = t >> 3;
    if (f === 1) pbf.readPackedSVarint(ids);
    else if (f === 8) pbf.readPackedSVarint(lats);
    else if (f === 9) pbf.readPackedSVarint(lons);
    else if (f === 10 && nodeTags) pbf.readPackedVarint(keysValues, true);
    else pbf.skip(t); // denseinfo (5) and, without node tags, keys_vals
  }
  let id = 0;
  let lat = 0;
  let lon = 0;
  let k = 0;
  const coordinates = handlers.nodeCoordinates;
  const objects = handlers.node;
  counts.nodes += ids.length;
  for (let i = 0; i < ids.length; i++) {
    id += ids[i];
    lat += lats[i];
    lon += lons[i];
    if (coordinates) coordinates(id, lonOf(lon), latOf(lat));
    if (objects) {
      let tags: OsmTags | undefined;
      if (nodeTags && keysValues.length > 0) {
        tags = {};
        while (k < keysValues.length && keysValues[k] !== 0) {
          tags[string(keysValues[k])] = string(keysValues[k + 1]);
          k += 2;
        }
        k++;
      }
      objects({ id, lon: lonOf(lon), lat: latOf(lat), tags });
    }
  }
}
