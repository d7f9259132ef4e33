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
 * A district with nothing scored (no indicator with both a value and a target, no measure completion) is not ranked:
 * a row of zeros says nothing about it, and ranking such rows first together would read as a result.
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
  /** Per indicator code: current value, target (null: none in force), and optional baseline. */
  indicators: Record<string, { value: number | null; target: number | null; baseline?: number | null }>;
  /** Share of assigned measures completed and accepted, 0..1; null when the district has none. */
  measureCompletion: number | null;
}

export interface DistrictScore {
  region: string;
  name: string;
  /** 1 = best; ties share a rank. null: nothing was scored for this district, so it is not ranked. */
  rank: number | null;
  total: number;
  /** Per indicator code: score 0..1, or null when the value is missing or no target is set (counted as 0). */
  indicatorScores: Record<string, number | null>;
  measureScore: number | null;
  /** Not reported: indicator codes without a value, and `measureCompletion` when it weighs and has no data. */
  missing: string[];
  /** Indicator codes with no target in force for this district (nor for the city): not scorable. */
  noTarget: string[];
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
    const noTarget: string[] = [];
    let sum = 0;
    let scored = 0;
    for (const code of codes) {
      const entry = d.indicators[code];
      const indicator = byCode.get(code);
      const value = entry?.value ?? null;
      const target = entry?.target ?? null;
      if (value === null) missing.push(code);
      if (target === null) noTarget.push(code);
      if (value === null || target === null || !indicator) {
        indicatorScores[code] = null;
        continue;
      }
      const score = indicatorScore(indicator, { value, target, baseline: entry?.baseline ?? null });
      indicatorScores[code] = score;
      sum += config.indicatorWeights[code] * score;
      if (config.indicatorWeights[code] > 0) scored += 1;
    }
    if (d.measureCompletion === null && config.measureWeight > 0) missing.push('measureCompletion');
    const measureScore = d.measureCompletion === null ? null : clamp01(d.measureCompletion);
    if (measureScore !== null && config.measureWeight > 0) scored += 1;
    sum += config.measureWeight * (measureScore ?? 0);
    return {
      row: {
        region: d.region,
        name: d.name,
        rank: null as number | null,
        total: Math.round((1000 * sum) / totalWeight) / 10,
        indicatorScores,
        measureScore,
        missing,
        noTarget,
      },
      scored,
    };
  });
  // Ranked rows first, high to low (ties in region-code order); then the unranked, in region-code order.
  rows.sort(
    (a, b) =>
      Number(b.scored > 0) - Number(a.scored > 0) ||
      b.row.total - a.row.total ||
      a.row.region.localeCompare(b.row.region),
  );
  rows.forEach(({ row, scored }, i) => {
    if (scored === 0) return;
    const previous = rows[i - 1]?.row;
    row.rank = previous && previous.rank !== null && previous.total === row.total ? previous.rank : i + 1;
  });
  return { config, rows: rows.map((r) => r.row) };
}
