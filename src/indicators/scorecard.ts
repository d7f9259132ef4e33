import { LifeCircleError } from '../errors.js';
import type { Indicator } from './catalogue.js';

/**
 * The district scorecard (绩效考评): each district's indicator achievement and its completion of assigned
 * measures, weighted and summed to a score out of 100, then ranked.
 *
 * Indicator score (distance to target, as in the SDG Index "percentage of achievement"):
 *   s = clamp((value − baseline) ÷ (target − baseline), 0, 1), or clamp(value ÷ target, 0, 1) without a baseline;
 *   reversed for lower-is-better indicators. A missing value scores 0 and is listed, so not reporting never helps.
 * Measure score: the share of the district's assignments completed and accepted by the coordinator (0..1).
 * Total = 100 × Σ wᵢ sᵢ ÷ Σ wᵢ. Ties share a rank (1, 2, 2, 4).
 */

export interface ScorecardConfig {
  /** Weight per indicator code; the coordinator sets these each assessment year. */
  indicatorWeights: Record<string, number>;
  /** Weight of measure completion. */
  measureWeight: number;
}

export interface DistrictInput {
  region: string;
  name: string;
  /** Per indicator code: current value, target, and optional baseline. */
  indicators: Record<string, { value: number | null; target: number; baseline?: number | null }>;
  /** Share of assigned measures completed and accepted, 0..1; null when the district has none. */
  measureCompletion: number | null;
}

export interface DistrictScore {
  region: string;
  name: string;
  rank: number;
  total: number;
  /** Per indicator code: score 0..1, or null when the value is missing (counted as 0). */
  indicatorScores: Record<string, number | null>;
  measureScore: number | null;
  missing: string[];
}

export interface Scorecard {
  config: ScorecardConfig;
  rows: DistrictScore[];
}

const clamp01 = (x: number): number => Math.min(1, Math.max(0, x));

/** Check weights: finite, non-negative, at least one positive, and only catalogue codes. */
export function validateConfig(config: ScorecardConfig, catalogue: Indicator[]): void {
  const known = new Set(catalogue.map((i) => i.code));
  const entries = Object.entries(config.indicatorWeights);
  for (const [code, weight] of entries) {
    if (!known.has(code))
      throw new LifeCircleError(
        'LC_SCORECARD_CONFIG',
        `indicatorWeights.${code}: not an indicator of the catalogue`,
      );
    if (!Number.isFinite(weight) || weight < 0)
      throw new LifeCircleError(
        'LC_SCORECARD_CONFIG',
        `indicatorWeights.${code}: expected a non-negative number, got ${String(weight)}`,
      );
  }
  if (!Number.isFinite(config.measureWeight) || config.measureWeight < 0)
    throw new LifeCircleError(
      'LC_SCORECARD_CONFIG',
      `measureWeight: expected a non-negative number, got ${String(config.measureWeight)}`,
    );
  if (entries.reduce((s, [, w]) => s + w, 0) + config.measureWeight <= 0)
    throw new LifeCircleError(
      'LC_SCORECARD_CONFIG',
      'all weights are zero; give at least one a positive weight',
    );
}

/** Score of one indicator value against its target, 0..1. */
export function indicatorScore(
  indicator: Pick<Indicator, 'direction'>,
  entry: { value: number; target: number; baseline?: number | null },
): number {
  const { value, target } = entry;
  const baseline = entry.baseline ?? null;
  const higher = indicator.direction === 'higher-is-better';
  if (baseline !== null && baseline !== target) return clamp01((value - baseline) / (target - baseline));
  if (higher) return target === 0 ? 1 : clamp01(value / target);
  return value <= target ? 1 : value === 0 ? 1 : clamp01(target / value);
}

/** Build the scorecard. Pure: plain inputs in, ranked rows out. */
export function buildScorecard(
  districts: DistrictInput[],
  config: ScorecardConfig,
  catalogue: Indicator[],
): Scorecard {
  validateConfig(config, catalogue);
  const byCode = new Map(catalogue.map((i) => [i.code, i]));
  const codes = Object.keys(config.indicatorWeights);
  const totalWeight = codes.reduce((s, c) => s + config.indicatorWeights[c], 0) + config.measureWeight;
  const rows = districts.map((d) => {
    const indicatorScores: Record<string, number | null> = {};
    const missing: string[] = [];
    let sum = 0;
    for (const code of codes) {
      const entry = d.indicators[code];
      const indicator = byCode.get(code);
      if (!entry || entry.value === null || entry.value === undefined || !indicator) {
        indicatorScores[code] = null;
        missing.push(code);
        continue;
      }
      const score = indicatorScore(indicator, { ...entry, value: entry.value });
      indicatorScores[code] = score;
      sum += config.indicatorWeights[code] * score;
    }
    if (d.measureCompletion === null && config.measureWeight > 0) missing.push('measureCompletion');
    const measureScore = d.measureCompletion === null ? null : clamp01(d.measureCompletion);
    sum += config.measureWeight * (measureScore ?? 0);
    return {
      region: d.region,
      name: d.name,
      rank: 0,
      total: Math.round((1000 * sum) / totalWeight) / 10,
      indicatorScores,
      measureScore,
      missing,
    };
  });
  rows.sort((a, b) => b.total - a.total || a.region.localeCompare(b.region));
  rows.forEach((row, i) => {
    row.rank = i > 0 && rows[i - 1].total === row.total ? rows[i - 1].rank : i + 1;
  });
  return { config, rows };
}
