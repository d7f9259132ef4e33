import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isLifeCircleError } from '../errors.js';
import {
  GRAPH_FORMAT_VERSION,
  decodeGraph,
  encodeGraph,
  readGraphFile,
  writeGraphFile,
} from './graph-file.js';
import { importOsmNetwork } from './import-osm.js';

const dir = mkdtempSync(join(tmpdir(), 'lifecircle-graph-'));
const graphPromise = importOsmNetwork('src/network/fixtures/rules.osm');

test('a graph survives a write and a read unchanged', async () => {
  const graph = await graphPromise;
  const path = join(dir, 'rules.graph');
  writeGraphFile(path, graph);
  const loaded = readGraphFile(path);
  assert.deepEqual(loaded, graph);
  assert.deepEqual(readdirSync(dir), ['rules.graph'], 'no temporary file left behind');
});

function expectGraphError(bytes: Uint8Array, pattern: RegExp) {
  const path = join(dir, `bad-${Math.random().toString(36).slice(2)}.graph`);
  writeFileSync(path, bytes);
  assert.throws(
    () => readGraphFile(path),
    (error: unknown) =>
      isLifeCircleError(error) &&
      error.code === 'LC_GRAPH_FORMAT' &&
      pattern.test(error.message) &&
      error.message.includes(path),
  );
}

test('a flipped byte is caught by the checksum', async () => {
  const bytes = encodeGraph(await graphPromise);
  bytes[bytes.length - 100] ^= 0xff;
  expectGraphError(bytes, /checksum mismatch/);
});

test('a truncated file is refused', async () => {
  const bytes = encodeGraph(await graphPromise);
  expectGraphError(bytes.subarray(0, bytes.length - 1), /truncated/);
});

test('a file that is not a graph is refused', () => {
  expectGraphError(readFileSync('src/network/fixtures/rules.osm'), /not a LifeCircle walking graph/);
});

test('a graph of another format version is refused with the way to rebuild it', async () => {
  const bytes = encodeGraph(await graphPromise);
  new DataView(bytes.buffer).setUint32(4, GRAPH_FORMAT_VERSION + 1, true);
  expectGraphError(bytes, new RegExp(`format ${GRAPH_FORMAT_VERSION + 1}.*rebuild`));
});

test('a missing graph file names the command that makes one', () => {
  assert.throws(
    () => readGraphFile(join(dir, 'none.graph')),
    (error: unknown) =>
      isLifeCircleError(error) && error.code === 'LC_FILE_NOT_FOUND' && /network import/.test(error.message),
  );
});

test('decoding a buffer at an odd offset still works (views need 8-byte alignment)', async () => {
  const bytes = encodeGraph(await graphPromise);
  const shifted = new Uint8Array(bytes.length + 3);
  shifted.set(bytes, 3);
  const graph = decodeGraph(shifted.subarray(3), 'shifted');
  assert.equal(graph.nodeCount, (await graphPromise).nodeCount);
  assert.ok(!existsSync(join(dir, 'shifted')));
});
