/**
 * Two-step floating catchment area (2SFCA, Luo & Wang 2003) and its enhanced form with distance decay (E2SFCA,
 * Luo & Qi 2009), on walking distances:
 *
 *   R_j = S_j / Σ_{k: d_kj ≤ d0} W(d_kj) · D_k          (supply-to-demand ratio of facility j)
 *   A_i = Σ_{j: d_ij ≤ d0} W(d_ij) · R_j                (accessibility of community i)
 *
 * S_j capacity, D_k demand (the type's demand group), d0 the catchment. 2SFCA: W = 1 inside the catchment.
 * E2SFCA here uses the continuous Gaussian weight of Dai (2010) / Wan, Zou & Sternberg (2012):
 *
 *   W(d) = (exp(−½ (d/d0)²) − exp(−½)) / (1 − exp(−½))   for d ≤ d0,   0 beyond
 *
 * so W(0) = 1 and W(d0) = 0. A_i is capacity per resident of the demand group (× 1000 = places per 1000).
 */
export type DecayFunction = (distanceM: number, catchmentM: number) => number;

export const uniformDecay: DecayFunction = (d, d0) => (d <= d0 ? 1 : 0);

const EDGE = Math.exp(-0.5);
export const gaussianDecay: DecayFunction = (d, d0) =>
  d <= d0 ? (Math.exp(-0.5 * (d / d0) ** 2) - EDGE) / (1 - EDGE) : 0;

export interface FcaPairs {
  readonly start: ArrayLike<number>;
  readonly community: ArrayLike<number>;
  readonly distanceM: ArrayLike<number>;
}

export interface FcaResult {
  /** R_j per facility (capacity per weighted resident; 0 for a facility nobody reaches, Infinity never). */
  readonly ratio: Float64Array;
  /** A_i per community. */
  readonly accessibility: Float64Array;
}

/** Weighted demand in facility j's catchment, Σ W(d_kj)·D_k. */
export function catchmentDemand(
  pairs: FcaPairs,
  j: number,
  demand: ArrayLike<number>,
  catchmentM: number,
  decay: DecayFunction,
): number {
  let sum = 0;
  for (let p = pairs.start[j]; p < pairs.start[j + 1]; p++)
    sum += decay(pairs.distanceM[p], catchmentM) * demand[pairs.community[p]];
  return sum;
}

export function twoStepFca(
  pairs: FcaPairs,
  supply: ArrayLike<number>,
  demand: ArrayLike<number>,
  communityCount: number,
  catchmentM: number,
  decay: DecayFunction,
): FcaResult {
  const facilities = supply.length;
  const ratio = new Float64Array(facilities);
  const accessibility = new Float64Array(communityCount);
  for (let j = 0; j < facilities; j++) {
    const weighted = catchmentDemand(pairs, j, demand, catchmentM, decay);
    ratio[j] = weighted > 0 ? supply[j] / weighted : 0;
    addFacility(pairs, j, ratio[j], accessibility, catchmentM, decay, 1);
  }
  return { ratio, accessibility };
}

/** Adds (sign 1) or removes (sign −1) facility j's share R_j·W(d_ij) to every community in its catchment. */
export function addFacility(
  pairs: FcaPairs,
  j: number,
  ratio: number,
  accessibility: Float64Array,
  catchmentM: number,
  decay: DecayFunction,
  sign: 1 | -1,
): void {
  if (ratio === 0) return;
  for (let p = pairs.start[j]; p < pairs.start[j + 1]; p++)
    accessibility[pairs.community[p]] += sign * ratio * decay(pairs.distanceM[p], catchmentM);
}
