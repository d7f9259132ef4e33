import { readFileSync } from 'node:fs';

/** Counts a peer did not compute (a partial run) carry this value. */
export const NOT_COMPUTED = 0xffffffff;
/** Distances a peer did not compute (a partial run) carry this value. */
export const NOT_COMPUTED_DISTANCE = -1;
/** Distances agree when within this many metres (issue 2: 0.01 m). */
export const DISTANCE_TOLERANCE_M = 0.01;

export interface W1Results {
  readonly nearest: Float64Array;
  readonly counts: Uint32Array;
}

export function readResults(prefix: string): W1Results {
  // Copy out of Node's pooled buffers, whose offsets need not be aligned for typed arrays.
  const n = readFileSync(`${prefix}.nearest.f64`);
  const c = readFileSync(`${prefix}.count.u32`);
  return {
    nearest: new Float64Array(n.buffer.slice(n.byteOffset, n.byteOffset + n.byteLength)),
    counts: new Uint32Array(c.buffer.slice(c.byteOffset, c.byteOffset + c.byteLength)),
  };
}

export interface Agreement {
  readonly distancesCompared: number;
  readonly distanceMismatches: number;
  readonly maxAbsDiffM: number;
  readonly countsCompared: number;
  readonly countMismatches: number;
  /** A few mismatches, for the log: [index, ours, peer]. */
  readonly examples: readonly [number, number, number][];
}

/** Compares a peer's results with ours: distances within 0.01 m (both beyond the cap counts as equal). */
export function compareResults(ours: W1Results, peer: W1Results): Agreement {
  if (ours.nearest.length !== peer.nearest.length || ours.counts.length !== peer.counts.length)
    throw new Error(`result sizes differ: ours ${ours.nearest.length}, peer ${peer.nearest.length}`);
  let distanceMismatches = 0;
  let maxAbsDiffM = 0;
  const examples: [number, number, number][] = [];
  let distancesCompared = 0;
  for (let i = 0; i < ours.nearest.length; i++) {
    const a = ours.nearest[i];
    const b = peer.nearest[i];
    if (b === NOT_COMPUTED_DISTANCE) continue;
    distancesCompared++;
    if (a === b) continue;
    const diff = Math.abs(a - b);
    if (!(diff <= DISTANCE_TOLERANCE_M)) {
      distanceMismatches++;
      if (examples.length < 5) examples.push([i, a, b]);
    }
    if (Number.isFinite(diff) && diff > maxAbsDiffM) maxAbsDiffM = diff;
    else if (!Number.isFinite(diff)) maxAbsDiffM = Infinity;
  }
  let countsCompared = 0;
  let countMismatches = 0;
  for (let i = 0; i < ours.counts.length; i++) {
    if (peer.counts[i] === NOT_COMPUTED) continue;
    countsCompared++;
    if (ours.counts[i] !== peer.counts[i]) {
      countMismatches++;
      if (examples.length < 10) examples.push([i, ours.counts[i], peer.counts[i]]);
    }
  }
  return {
    distancesCompared,
    distanceMismatches,
    maxAbsDiffM,
    countsCompared,
    countMismatches,
    examples,
  };
}
