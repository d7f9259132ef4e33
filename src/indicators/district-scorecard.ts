import { sourced, type Sourced } from '../standards/index.js';
import type { Indicator } from './catalogue.js';
import { buildScorecard, type DistrictInput, type Scorecard, type ScorecardConfig } from './scorecard.js';

/**
 * The district scorecard over the store's figures (GET /api/scorecard): which districts are scored, which target
 * each is scored against, and the weights when the coordinator has set none. Pure: the caller reads the store.
 */

/**
 * Weights when the coordinator has not configured any: the three computed coverage indicators and measure
 * completion, equally. No document fixes these weights: 津政办发〔2022〕15号 (二十七) asks to bring the indicators
 * into the districts' 绩效考评 without weighting them (docs/plans-and-indicators.md §District scorecard).
 */
export const DEFAULT_SCORECARD_WEIGHTS: Sourced<ScorecardConfig> = sourced(
  {
    indicatorWeights: {
      'community-childcare-coverage': 1,
      'community-elderly-care-coverage': 1,
      'elderly-meal-coverage': 1,
    },
    measureWeight: 1,
  },
  'LifeCircle default: equal weights for the computed coverage indicators and measure completion',
  false,
  '津政办发〔2022〕15号 (二十七) brings the indicators into 绩效考评 without fixing weights; the coordinator sets them (PUT /api/scorecard/config)',
);

/** The weights alone, as the scorecard uses them. */
export const DEFAULT_SCORECARD_CONFIG: ScorecardConfig = DEFAULT_SCORECARD_WEIGHTS.value;

/** A target as far as the scorecard reads it. */
export interface ScorecardTarget {
  indicatorCode: string;
  regionCode: string;
  deadlineYear: number;
  targetValue: number;
  baselineValue: number | null;
}

/** A latest value as far as the scorecard reads it. */
export interface ScorecardValue {
  indicatorCode: string;
  regionCode: string;
  value: number | null;
}

/**
 * The target in force for an indicator in a region on a day: the earliest whose deadline (31 December of its
 * year) has not passed, else the one with the latest deadline; undefined when the region has none.
 */
export function targetInForce<T extends ScorecardTarget>(
  targets: readonly T[],
  code: string,
  region: string,
  asOf: string,
): T | undefined {
  const own = targets.filter((t) => t.indicatorCode === code && t.regionCode === region);
  const open = own
    .filter((t) => `${t.deadlineYear}-12-31` >= asOf)
    .sort((a, b) => a.deadlineYear - b.deadlineYear);
  return open[0] ?? [...own].sort((a, b) => b.deadlineYear - a.deadlineYear)[0];
}

/**
 * The districts scored: those with a value of any indicator. Districts outside the analysed area would only fill
 * the ranking with zeros. When no district has any value, all are scored (every one scores 0 and says so).
 */
export function districtsToScore<D extends { code: string }>(
  districts: readonly D[],
  latest: readonly ScorecardValue[],
): D[] {
  const withData = new Set(latest.map((v) => v.regionCode));
  return withData.size > 0 ? districts.filter((d) => withData.has(d.code)) : [...districts];
}

export interface DistrictScorecardInput {
  config: ScorecardConfig;
  cityCode: string;
  /** Every district of the city. */
  districts: readonly { code: string; name: string }[];
  /** The latest value of each indicator per region. */
  latest: readonly ScorecardValue[];
  targets: readonly ScorecardTarget[];
  /**
   * Share of each district's assignments done (plan tracking), or null when plan tracking is not connected; an
   * empty map (no district has an assignment yet) is "no data" too.
   */
  tracked: ReadonlyMap<string, number> | null;
  asOf: string;
  catalogue: Indicator[];
}

/**
 * What the reader must know about a scorecard, as codes the dashboard and the exports word in their language:
 * districts left out for want of any value, measure completion without data, indicators without a target, and
 * no district ranked at all.
 */
export type ScorecardNote =
  | { code: 'districts-left-out'; count: number }
  | { code: 'measure-not-assigned' }
  | { code: 'measure-not-connected' }
  | { code: 'indicator-without-target'; indicator: string }
  | { code: 'nothing-scored' };

export interface DistrictScorecard {
  card: Scorecard;
  /** Whether measure completion was scored from plan tracking. */
  completionWired: boolean;
  notes: ScorecardNote[];
  /** The value shown per district and indicator code. */
  values: Record<string, Record<string, number | null>>;
}

/**
 * Scores the districts: each indicator's latest value against the district's own target in force, else the
 * city's; measure completion from plan tracking. Notes say what is left out, scored 0 for want of data, or why no
 * district is ranked.
 */
export function districtScorecard(input: DistrictScorecardInput): DistrictScorecard {
  const { config, cityCode, latest, targets, tracked, asOf, catalogue } = input;
  const all = input.districts;
  const districts = districtsToScore(all, latest);
  const completion = tracked && tracked.size > 0 ? tracked : null;
  const codes = Object.keys(config.indicatorWeights);
  const notes: ScorecardNote[] = [];
  if (districts.length < all.length)
    notes.push({ code: 'districts-left-out', count: all.length - districts.length });
  if (!completion && config.measureWeight > 0)
    notes.push({ code: tracked ? 'measure-not-assigned' : 'measure-not-connected' });
  const targetFor = (code: string, region: string) => targetInForce(targets, code, region, asOf);
  for (const code of codes)
    if (!targetFor(code, cityCode) && !districts.some((d) => targetFor(code, d.code)))
      notes.push({ code: 'indicator-without-target', indicator: code });
  const values: Record<string, Record<string, number | null>> = {};
  const inputs: DistrictInput[] = districts.map((d) => {
    const indicators: DistrictInput['indicators'] = {};
    values[d.code] = {};
    for (const code of codes) {
      const v = latest.find((x) => x.indicatorCode === code && x.regionCode === d.code);
      values[d.code][code] = v?.value ?? null;
      const t = targetFor(code, d.code) ?? targetFor(code, cityCode);
      indicators[code] = {
        value: v?.value ?? null,
        target: t?.targetValue ?? null,
        baseline: t?.baselineValue ?? null,
      };
    }
    return { region: d.code, name: d.name, indicators, measureCompletion: completion?.get(d.code) ?? null };
  });
  const card = buildScorecard(inputs, config, catalogue);
  if (card.rows.length > 0 && card.rows.every((r) => r.rank === null)) notes.push({ code: 'nothing-scored' });
  return { card, completionWired: completion !== null, notes, values };
}
