import { spawnSync } from 'node:child_process';
import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { haversineM } from '../src/geo/index.js';
import type { WalkGraph } from '../src/network/index.js';
import { DEBIAN_PYTHON } from './peers/python.js';

/** OSM ids of copy k are the source's plus k × stride (Porto 2015: node ids < 4e9, way ids < 4e8). */
const NODE_STRIDE = 1e10;
const WAY_STRIDE = 1e9;
/** Gap between tiles, in degrees (≈ 40 m), so copies never overlap. */
const GAP_DEG = 0.0005;
/** Each shared tile border is cut into this many bands; the shortest STITCHES_PER_BORDER candidates are used. */
const STITCH_BANDS = 64;
const STITCHES_PER_BORDER = 16;

export interface TilePlan {
  readonly copies: number;
  readonly columns: number;
  readonly stitchCount: number;
  readonly stitchLengthM: { readonly min: number; readonly median: number; readonly max: number };
}

/**
 * Plans a SYNTHETIC enlargement: `copies` of the source network on a grid (columns ≈ √copies), each shifted as
 * little as keeps the main components of neighbouring tiles apart in every band, plus a gap. Neighbouring tiles are stitched by footways: the border is cut into bands, in
 * each band the outermost node of the main component on one side is paired with the outermost on the other, and
 * the shortest pairs are joined.
 */
export function planTiles(
  graph: WalkGraph,
  copies: number,
): { plan: TilePlan; dLon: number; dLat: number; stitches: [number, number][] } {
  const [minLon, minLat, maxLon, maxLat] = graph.meta.bbox;
  const columns = Math.ceil(Math.sqrt(copies));
  for (let i = 0; i < graph.nodeCount; i++) {
    if (graph.nodeOsmId[i] >= NODE_STRIDE)
      throw new Error(`OSM node id ${graph.nodeOsmId[i]} ≥ tile id stride`);
  }
  // Outermost main-component node per band, on each of the four sides.
  const east = new Int32Array(STITCH_BANDS).fill(-1);
  const west = new Int32Array(STITCH_BANDS).fill(-1);
  const north = new Int32Array(STITCH_BANDS).fill(-1);
  const south = new Int32Array(STITCH_BANDS).fill(-1);
  const band = (x: number, lo: number, hi: number) =>
    Math.min(STITCH_BANDS - 1, Math.floor(((x - lo) / (hi - lo)) * STITCH_BANDS));
  for (let i = 0; i < graph.nodeCount; i++) {
    if (graph.nodeComponent[i] !== 0) continue;
    const lon = graph.nodeLon[i];
    const lat = graph.nodeLat[i];
    const bLat = band(lat, minLat, maxLat);
    const bLon = band(lon, minLon, maxLon);
    if (east[bLat] < 0 || lon > graph.nodeLon[east[bLat]]) east[bLat] = i;
    if (west[bLat] < 0 || lon < graph.nodeLon[west[bLat]]) west[bLat] = i;
    if (north[bLon] < 0 || lat > graph.nodeLat[north[bLon]]) north[bLon] = i;
    if (south[bLon] < 0 || lat < graph.nodeLat[south[bLon]]) south[bLon] = i;
  }
  // Shift tiles as close as they go without the main components overlapping in any band, plus a gap.
  let dLon = 0;
  let dLat = 0;
  for (let b = 0; b < STITCH_BANDS; b++) {
    if (east[b] >= 0) dLon = Math.max(dLon, graph.nodeLon[east[b]] - graph.nodeLon[west[b]]);
    if (north[b] >= 0) dLat = Math.max(dLat, graph.nodeLat[north[b]] - graph.nodeLat[south[b]]);
  }
  dLon += GAP_DEG;
  dLat += GAP_DEG;
  // Candidate pairs per band, measured between a tile and its neighbour; the shortest ones are kept, so the
  // stitches sit where the network reaches the tile edge (Porto's outline is irregular).
  const shortest = (
    from: Int32Array,
    to: Int32Array,
    shiftLon: number,
    shiftLat: number,
  ): [number, number][] =>
    Array.from({ length: STITCH_BANDS }, (_, b) => [from[b], to[b]] as [number, number])
      .filter(([a, b]) => a >= 0 && b >= 0)
      .map(([a, b]) => ({
        pair: [a, b] as [number, number],
        d: haversineM(
          graph.nodeLon[a],
          graph.nodeLat[a],
          graph.nodeLon[b] + shiftLon,
          graph.nodeLat[b] + shiftLat,
        ),
      }))
      .sort((x, y) => x.d - y.d)
      .slice(0, STITCHES_PER_BORDER)
      .map((x) => x.pair);
  const horizontal = shortest(east, west, dLon, 0);
  const vertical = shortest(north, south, 0, dLat);
  const stitches: [number, number][] = [];
  const lengths: number[] = [];
  const join = (a: number, ka: number, b: number, kb: number) => {
    const ca = ka % columns;
    const ra = Math.floor(ka / columns);
    const cb = kb % columns;
    const rb = Math.floor(kb / columns);
    stitches.push([graph.nodeOsmId[a] + ka * NODE_STRIDE, graph.nodeOsmId[b] + kb * NODE_STRIDE]);
    lengths.push(
      haversineM(
        graph.nodeLon[a] + ca * dLon,
        graph.nodeLat[a] + ra * dLat,
        graph.nodeLon[b] + cb * dLon,
        graph.nodeLat[b] + rb * dLat,
      ),
    );
  };
  for (let k = 0; k < copies; k++) {
    const right = k + 1;
    if (k % columns !== columns - 1 && right < copies) for (const [a, b] of horizontal) join(a, k, b, right);
    const above = k + columns;
    if (above < copies) for (const [a, b] of vertical) join(a, k, b, above);
  }
  lengths.sort((a, b) => a - b);
  return {
    plan: {
      copies,
      columns,
      stitchCount: stitches.length,
      stitchLengthM: {
        min: lengths[0] ?? 0,
        median: lengths[Math.floor(lengths.length / 2)] ?? 0,
        max: lengths[lengths.length - 1] ?? 0,
      },
    },
    dLon,
    dLat,
    stitches,
  };
}

const TILER = fileURLToPath(new URL('../../bench/peers/tile_pbf.py', import.meta.url));

/** Writes the tiled network as a real .osm.pbf with pyosmium (cached: skipped when the file exists). */
export function writeTiledPbf(
  sourcePbf: string,
  graph: WalkGraph,
  copies: number,
  output: string,
): { plan: TilePlan; writeS: number; cached: boolean } {
  const { plan, dLon, dLat, stitches } = planTiles(graph, copies);
  if (existsSync(output)) return { plan, writeS: 0, cached: true };
  const planFile = `${output}.plan.json`;
  const partial = `${output}.partial.osm.pbf`;
  rmSync(partial, { force: true });
  writeFileSync(
    planFile,
    JSON.stringify({
      source: sourcePbf,
      output: partial,
      copies,
      columns: plan.columns,
      dLon,
      dLat,
      nodeStride: NODE_STRIDE,
      wayStride: WAY_STRIDE,
      stitches,
    }),
  );
  const started = performance.now();
  const result = spawnSync(DEBIAN_PYTHON, [TILER, planFile], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`pyosmium tiler failed: ${result.stderr || String(result.error)}`);
  renameSync(partial, output);
  return { plan, writeS: (performance.now() - started) / 1000, cached: false };
}

export interface ImportRun {
  readonly wallS: number;
  readonly peakRssKiB: number;
}

/** Times `lifecircle network import` in a child process under /usr/bin/time -v (wall time, peak RSS). */
export function timeImport(cli: string, pbf: string, graphOut: string): ImportRun {
  rmSync(graphOut, { force: true });
  const result = spawnSync(
    '/usr/bin/time',
    ['-v', process.execPath, cli, 'network', 'import', pbf, '-o', graphOut, '-q'],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 24,
    },
  );
  if (result.status !== 0) throw new Error(`import of ${pbf} failed: ${result.stderr}`);
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/.exec(
    result.stderr,
  );
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(result.stderr);
  if (!wall || !rss) throw new Error(`could not read /usr/bin/time output: ${result.stderr.slice(-500)}`);
  return {
    wallS: Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]),
    peakRssKiB: Number(rss[1]),
  };
}
