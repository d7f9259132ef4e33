/**
 * Maximum coverage without a solver: swap local search from a start (the greedy's picks), the greedy order of a
 * set, and an upper bound on the optimum that any set proves. Over candidate catchments (CSR: candidate j covers
 * `community[start[j] .. start[j + 1])`) and a weight per community (0 = nothing to gain there).
 */

/** Candidate catchments as CSR: the communities each candidate covers. */
export interface CoverageSets {
  readonly start: ArrayLike<number>;
  readonly community: ArrayLike<number>;
}

const candidateCount = (sets: CoverageSets) => sets.start.length - 1;

function communityCount(sets: CoverageSets, weight: ArrayLike<number>): number {
  let n = weight.length;
  for (let p = 0; p < sets.community.length; p++) n = Math.max(n, sets.community[p] + 1);
  return n;
}

/** Demand covered by a set of candidates (each community counted once). */
export function coveredDemand(
  sets: CoverageSets,
  weight: ArrayLike<number>,
  picks: Iterable<number>,
): number {
  const seen = new Uint8Array(communityCount(sets, weight));
  let sum = 0;
  for (const j of picks)
    for (let p = sets.start[j]; p < sets.start[j + 1]; p++) {
      const c = sets.community[p];
      if (seen[c]) continue;
      seen[c] = 1;
      sum += weight[c] ?? 0;
    }
  return sum;
}

/**
 * A set in greedy order: at each step the member with the largest marginal gain over those before it. Gains come
 * out non-increasing (coverage is submodular), so the list reads like the greedy's own picks.
 */
export function greedyOrder(
  sets: CoverageSets,
  weight: ArrayLike<number>,
  picks: readonly number[],
): { order: number[]; gains: number[] } {
  const covered = new Uint8Array(communityCount(sets, weight));
  const left = [...picks];
  const order: number[] = [];
  const gains: number[] = [];
  const gainOf = (j: number) => {
    let g = 0;
    for (let p = sets.start[j]; p < sets.start[j + 1]; p++)
      if (!covered[sets.community[p]]) g += weight[sets.community[p]] ?? 0;
    return g;
  };
  while (left.length > 0) {
    let best = 0;
    let bestGain = -1;
    left.forEach((j, at) => {
      const g = gainOf(j);
      // Ties go to the smaller candidate index, so the order does not depend on the set's order.
      if (g > bestGain || (g === bestGain && j < left[best])) {
        best = at;
        bestGain = g;
      }
    });
    const j = left.splice(best, 1)[0];
    for (let p = sets.start[j]; p < sets.start[j + 1]; p++) covered[sets.community[p]] = 1;
    order.push(j);
    gains.push(bestGain);
  }
  return { order, gains };
}

/**
 * An upper bound on the best k-set's covered demand. For any set S, OPT ≤ f(S) + the k largest marginal gains
 * over S (coverage is monotone submodular: Nemhauser, Wolsey & Fisher 1978; used as an online bound by Minoux
 * 1978 and Leskovec et al. 2010). Taken over S = every prefix of `order` (give the greedy's picks in pick order;
 * prefix 0 = the k largest single gains), the smallest is returned. Also ≤ all the demand any candidate reaches.
 */
export function submodularBound(
  sets: CoverageSets,
  weight: ArrayLike<number>,
  k: number,
  order: readonly number[],
): number {
  const n = candidateCount(sets);
  const m = communityCount(sets, weight);
  const w = (c: number) => weight[c] ?? 0;
  // Who covers each community (CSR), so a pick updates only the gains it changes.
  const byCommunity = new Uint32Array(m + 1);
  for (let p = 0; p < sets.community.length; p++) byCommunity[sets.community[p] + 1]++;
  for (let c = 0; c < m; c++) byCommunity[c + 1] += byCommunity[c];
  const fill = byCommunity.slice(0, m);
  const coverer = new Uint32Array(sets.community.length);
  for (let j = 0; j < n; j++)
    for (let p = sets.start[j]; p < sets.start[j + 1]; p++) coverer[fill[sets.community[p]]++] = j;
  const covered = new Uint8Array(m);
  const gains = new Float64Array(n);
  for (let j = 0; j < n; j++)
    for (let p = sets.start[j]; p < sets.start[j + 1]; p++) gains[j] += w(sets.community[p]);
  let reachable = 0;
  for (let c = 0; c < m; c++) if (byCommunity[c + 1] > byCommunity[c]) reachable += w(c);
  let best = reachable;
  let value = 0;
  const sorted = new Float64Array(n);
  for (let t = 0; t <= order.length; t++) {
    sorted.set(gains);
    sorted.sort();
    let top = 0;
    for (let i = n - 1; i >= Math.max(0, n - k); i--) top += sorted[i];
    best = Math.min(best, value + top);
    if (t === order.length) break;
    const j = order[t];
    for (let p = sets.start[j]; p < sets.start[j + 1]; p++) {
      const c = sets.community[p];
      if (covered[c]) continue;
      covered[c] = 1;
      value += w(c);
      for (let q = byCommunity[c]; q < byCommunity[c + 1]; q++) gains[coverer[q]] -= w(c);
    }
  }
  return best;
}

/** What the swap search found. */
export interface SwapResult {
  readonly picks: number[];
  readonly value: number;
  /** Improving moves made (a swap, or an addition while fewer than k are picked). */
  readonly moves: number;
}

/**
 * Swap local search (Teitz & Bart 1968's vertex substitution, here for coverage): from `start`, repeatedly makes
 * the best improving move — swap one pick for one candidate outside the set, or add one while fewer than k — until
 * none improves by more than a rounding tolerance (a 1-swap local optimum) or `maxMoves` is reached. Never worse
 * than the start. Each sweep looks at every candidate once: O(Σ catchment sizes + candidates × k).
 */
export function swapSearch(
  sets: CoverageSets,
  weight: ArrayLike<number>,
  k: number,
  start: readonly number[],
  options: { maxMoves?: number } = {},
): SwapResult {
  const n = candidateCount(sets);
  const m = communityCount(sets, weight);
  const w = (c: number) => weight[c] ?? 0;
  const maxMoves = options.maxMoves ?? 50 * Math.max(1, k);
  const picks = [...new Set(start)].slice(0, k);
  const position = new Int32Array(n).fill(-1);
  picks.forEach((j, at) => (position[j] = at));
  // Per community: how many picks cover it, and the XOR of their indices (the one owner when the count is 1).
  const count = new Uint32Array(m);
  const owner = new Int32Array(m);
  const enter = (j: number) => {
    for (let p = sets.start[j]; p < sets.start[j + 1]; p++) {
      count[sets.community[p]]++;
      owner[sets.community[p]] ^= j;
    }
  };
  const leave = (j: number) => {
    for (let p = sets.start[j]; p < sets.start[j + 1]; p++) {
      count[sets.community[p]]--;
      owner[sets.community[p]] ^= j;
    }
  };
  picks.forEach(enter);
  let all = 0;
  for (let c = 0; c < m; c++) all += Math.max(0, w(c));
  const eps = 1e-9 * Math.max(1, all);
  const loss = new Float64Array(k);
  const bonus = new Float64Array(k);
  let moves = 0;
  while (moves < maxMoves) {
    // loss[at]: demand only picks[at] covers, lost when it leaves.
    loss.fill(0);
    for (let c = 0; c < m; c++) if (count[c] === 1) loss[position[owner[c]]] += w(c);
    let bestDelta = eps;
    let bestIn = -1;
    let bestOut = -1;
    for (let j = 0; j < n; j++) {
      if (position[j] >= 0) continue;
      let gain = 0;
      for (let p = sets.start[j]; p < sets.start[j + 1]; p++) {
        const c = sets.community[p];
        if (count[c] === 0) gain += w(c);
        else if (count[c] === 1) bonus[position[owner[c]]] += w(c);
      }
      if (picks.length < k && gain > bestDelta) {
        bestDelta = gain;
        bestIn = j;
        bestOut = -1;
      }
      for (let at = 0; at < picks.length; at++) {
        const delta = gain + bonus[at] - loss[at];
        if (delta > bestDelta) {
          bestDelta = delta;
          bestIn = j;
          bestOut = at;
        }
        bonus[at] = 0;
      }
    }
    if (bestIn < 0) break;
    if (bestOut >= 0) {
      const out = picks[bestOut];
      leave(out);
      position[out] = -1;
      picks[bestOut] = bestIn;
      position[bestIn] = bestOut;
    } else {
      position[bestIn] = picks.length;
      picks.push(bestIn);
    }
    enter(bestIn);
    moves++;
  }
  let value = 0;
  for (let c = 0; c < m; c++) if (count[c] > 0) value += w(c);
  return { picks, value, moves };
}
