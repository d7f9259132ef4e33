import { createHash, randomBytes } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { LifeCircleError } from '../errors.js';
import type { GraphMeta, WalkGraph } from './graph.js';

/**
 * The `.graph` file (format documented in docs/graph-format.md):
 *
 *   header (64 bytes) | section table (24 bytes a section) | metadata JSON | sections, each 8-byte aligned | SHA-256
 *
 * Every section is a typed array written in the machine's (little-endian) byte order, so loading is one read
 * and the arrays are views on that one buffer, with no copy and no parse.
 */
export const GRAPH_MAGIC = 'LCWG';
export const GRAPH_FORMAT_VERSION = 1;
const HEADER_BYTES = 64;
const SECTION_ENTRY_BYTES = 24;
const CHECKSUM_BYTES = 32;

type ArrayKind = 'f64' | 'u32' | 'u8';
type SectionName = keyof Omit<
  WalkGraph,
  'nodeCount' | 'edgeCount' | 'arcCount' | 'geometryPointCount' | 'componentCount' | 'meta'
>;

interface SectionSpec {
  readonly name: SectionName;
  readonly kind: ArrayKind;
  readonly length: (counts: Counts) => number;
}

interface Counts {
  nodeCount: number;
  edgeCount: number;
  arcCount: number;
  geometryPointCount: number;
  componentCount: number;
}

/** The sections in file order; their numbers (index + 1) are part of the format: append only. */
const SECTIONS: readonly SectionSpec[] = [
  { name: 'nodeLon', kind: 'f64', length: (c) => c.nodeCount },
  { name: 'nodeLat', kind: 'f64', length: (c) => c.nodeCount },
  { name: 'nodeOsmId', kind: 'f64', length: (c) => c.nodeCount },
  { name: 'nodeComponent', kind: 'u32', length: (c) => c.nodeCount },
  { name: 'arcStart', kind: 'u32', length: (c) => c.nodeCount + 1 },
  { name: 'arcHead', kind: 'u32', length: (c) => c.arcCount },
  { name: 'arcEdge', kind: 'u32', length: (c) => c.arcCount },
  { name: 'arcLength', kind: 'f64', length: (c) => c.arcCount },
  { name: 'edgeFrom', kind: 'u32', length: (c) => c.edgeCount },
  { name: 'edgeTo', kind: 'u32', length: (c) => c.edgeCount },
  { name: 'edgeLength', kind: 'f64', length: (c) => c.edgeCount },
  { name: 'edgeWayId', kind: 'f64', length: (c) => c.edgeCount },
  { name: 'edgeFlags', kind: 'u8', length: (c) => c.edgeCount },
  { name: 'edgeGeometryStart', kind: 'u32', length: (c) => c.edgeCount + 1 },
  { name: 'geometryLon', kind: 'f64', length: (c) => c.geometryPointCount },
  { name: 'geometryLat', kind: 'f64', length: (c) => c.geometryPointCount },
  { name: 'componentNodeCount', kind: 'u32', length: (c) => c.componentCount },
  { name: 'componentLength', kind: 'f64', length: (c) => c.componentCount },
];

const BYTES: Record<ArrayKind, number> = { f64: 8, u32: 4, u8: 1 };
const KIND_CODE: Record<ArrayKind, number> = { f64: 1, u32: 2, u8: 3 };
const align8 = (n: number) => Math.ceil(n / 8) * 8;

function countsOf(graph: WalkGraph): Counts {
  return {
    nodeCount: graph.nodeCount,
    edgeCount: graph.edgeCount,
    arcCount: graph.arcCount,
    geometryPointCount: graph.geometryPointCount,
    componentCount: graph.componentCount,
  };
}

/** Serialises a graph into one buffer (exported for tests; use writeGraphFile to write). */
export function encodeGraph(graph: WalkGraph): Uint8Array {
  const counts = countsOf(graph);
  const metaBytes = Buffer.from(JSON.stringify(graph.meta), 'utf8');
  let offset = align8(HEADER_BYTES + SECTIONS.length * SECTION_ENTRY_BYTES + metaBytes.length);
  const placed = SECTIONS.map((spec) => {
    const byteLength = spec.length(counts) * BYTES[spec.kind];
    const at = offset;
    offset = align8(offset + byteLength);
    return { spec, at, byteLength };
  });
  const total = offset + CHECKSUM_BYTES;
  const bytes = new Uint8Array(new ArrayBuffer(total));
  const view = new DataView(bytes.buffer);
  bytes.set(Buffer.from(GRAPH_MAGIC, 'latin1'), 0);
  view.setUint32(4, GRAPH_FORMAT_VERSION, true);
  view.setUint32(8, HEADER_BYTES, true);
  view.setUint32(12, SECTIONS.length, true);
  view.setBigUint64(16, BigInt(total), true);
  view.setUint32(24, counts.nodeCount, true);
  view.setUint32(28, counts.edgeCount, true);
  view.setUint32(32, counts.arcCount, true);
  view.setUint32(36, counts.geometryPointCount, true);
  view.setUint32(40, counts.componentCount, true);
  view.setUint32(44, metaBytes.length, true);
  placed.forEach(({ spec, at, byteLength }, i) => {
    const entry = HEADER_BYTES + i * SECTION_ENTRY_BYTES;
    view.setUint32(entry, i + 1, true);
    view.setUint32(entry + 4, KIND_CODE[spec.kind], true);
    view.setBigUint64(entry + 8, BigInt(at), true);
    view.setBigUint64(entry + 16, BigInt(byteLength), true);
    const source = graph[spec.name];
    bytes.set(new Uint8Array(source.buffer, source.byteOffset, byteLength), at);
  });
  bytes.set(metaBytes, HEADER_BYTES + SECTIONS.length * SECTION_ENTRY_BYTES);
  const digest = createHash('sha256')
    .update(bytes.subarray(0, total - CHECKSUM_BYTES))
    .digest();
  bytes.set(digest, total - CHECKSUM_BYTES);
  return bytes;
}

/** Writes atomically: to a temporary file beside the target, then a rename, so no partial file is ever left. */
export function writeGraphFile(path: string, graph: WalkGraph): void {
  const bytes = encodeGraph(graph);
  const temporary = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    writeFileSync(temporary, bytes);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new LifeCircleError(
      'LC_OUTPUT',
      `${path}: cannot write the graph file (${(error as Error).message})`,
      {
        cause: error,
      },
    );
  }
}

function readWholeFile(path: string): Uint8Array {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    throw new LifeCircleError(
      'LC_FILE_NOT_FOUND',
      `${path}: no such graph file (make one with 'lifecircle network import')`,
    );
  }
  try {
    const size = fstatSync(fd).size;
    // A fresh ArrayBuffer is 8-byte aligned, which the Float64Array views need.
    const bytes = new Uint8Array(new ArrayBuffer(size));
    let done = 0;
    while (done < size) {
      const n = readSync(fd, bytes, done, size - done, done);
      if (n === 0) break;
      done += n;
    }
    return bytes.subarray(0, done);
  } finally {
    closeSync(fd);
  }
}

export function decodeGraph(input: Uint8Array, label: string): WalkGraph {
  // Float64Array views need 8-byte alignment; a pooled Buffer may not have it.
  const bytes = input.byteOffset % 8 === 0 ? input : new Uint8Array(input);
  const bad = (what: string) => new LifeCircleError('LC_GRAPH_FORMAT', `${label}: ${what}`);
  if (bytes.length < HEADER_BYTES || Buffer.from(bytes.subarray(0, 4)).toString('latin1') !== GRAPH_MAGIC) {
    throw bad(
      `not a LifeCircle walking graph (no '${GRAPH_MAGIC}' header); make one with 'lifecircle network import'`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(4, true);
  if (version !== GRAPH_FORMAT_VERSION) {
    throw bad(
      `graph format ${version}, this build reads format ${GRAPH_FORMAT_VERSION}; rebuild it with 'lifecircle network import'`,
    );
  }
  const total = Number(view.getBigUint64(16, true));
  if (total !== bytes.length)
    throw bad(`truncated or padded: the header says ${total} bytes, the file has ${bytes.length}`);
  const digest = createHash('sha256')
    .update(bytes.subarray(0, total - CHECKSUM_BYTES))
    .digest();
  if (!digest.equals(Buffer.from(bytes.subarray(total - CHECKSUM_BYTES))))
    throw bad('checksum mismatch: the file is corrupt');
  const sectionCount = view.getUint32(12, true);
  if (sectionCount !== SECTIONS.length)
    throw bad(`has ${sectionCount} sections, expected ${SECTIONS.length}`);
  const counts: Counts = {
    nodeCount: view.getUint32(24, true),
    edgeCount: view.getUint32(28, true),
    arcCount: view.getUint32(32, true),
    geometryPointCount: view.getUint32(36, true),
    componentCount: view.getUint32(40, true),
  };
  const metaLength = view.getUint32(44, true);
  const metaStart = HEADER_BYTES + SECTIONS.length * SECTION_ENTRY_BYTES;
  const meta = JSON.parse(
    Buffer.from(bytes.subarray(metaStart, metaStart + metaLength)).toString('utf8'),
  ) as GraphMeta;
  const arrays: Partial<Record<SectionName, Float64Array | Uint32Array | Uint8Array>> = {};
  SECTIONS.forEach((spec, i) => {
    const entry = HEADER_BYTES + i * SECTION_ENTRY_BYTES;
    const at = Number(view.getBigUint64(entry + 8, true));
    const byteLength = Number(view.getBigUint64(entry + 16, true));
    const length = spec.length(counts);
    if (
      byteLength !== length * BYTES[spec.kind] ||
      at % 8 !== 0 ||
      at + byteLength > total - CHECKSUM_BYTES
    ) {
      throw bad(`section ${spec.name} has an inconsistent size or offset`);
    }
    const absolute = bytes.byteOffset + at;
    arrays[spec.name] =
      spec.kind === 'f64'
        ? new Float64Array(bytes.buffer, absolute, length)
        : spec.kind === 'u32'
          ? new Uint32Array(bytes.buffer, absolute, length)
          : new Uint8Array(bytes.buffer, absolute, length);
  });
  return { ...counts, ...(arrays as Pick<WalkGraph, SectionName>), meta };
}

/** Loads a graph file in one read; throws LC_FILE_NOT_FOUND or LC_GRAPH_FORMAT naming the file. */
export function readGraphFile(path: string): WalkGraph {
  return decodeGraph(readWholeFile(path), path);
}
