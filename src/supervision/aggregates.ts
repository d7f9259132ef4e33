import type { Rating } from './ratings.js';
import { ratingLevelRule, type RuleSource } from './rules.js';
import { beijingDate } from './working-days.js';

/**
 * Bayesian smoothing prior: an outlet is treated as if it already had `weight` ratings at the prior mean and the prior
 * satisfaction rate (by default the means of the whole population being compared). A single 非常满意 then moves an
 * outlet only 1/(weight+1) of the way from the prior towards 5.
 */
export interface BayesianPrior {
  readonly weight: number;
  /** Prior mean score (1–5). */
  readonly mean: number;
  /** Prior satisfaction rate (0–1). */
  readonly satisfactionRate: number;
}

export const DEFAULT_PRIOR_WEIGHT: { value: number; source: RuleSource } = {
  value: 10,
  source: {
    document: 'LifeCircle 项目默认 评价汇总',
    documentEn: 'LifeCircle project default rating aggregates',
    status: 'project-default',
    note: 'Described in docs/supervision.md, "Aggregates". Project choice: an outlet needs about ten ratings before its own ratings outweigh the prior; tune per city.',
  },
};

export interface RatingAggregate {
  readonly key: string;
  readonly count: number;
  readonly positive: number;
  /** Share of the three positive levels; null without ratings. */
  readonly satisfactionRate: number | null;
  readonly meanScore: number | null;
  readonly bayesianMean: number;
  readonly bayesianSatisfactionRate: number;
  readonly levels: Readonly<Record<string, number>>;
}

/** Only published ratings count: held ones wait for review, invalidated ones were upheld on appeal. */
function counted(ratings: readonly Rating[]): Rating[] {
  return ratings.filter((r) => r.status === 'published');
}

/** The prior from a population of ratings: its own mean and satisfaction rate, with the default weight. */
export function priorFrom(ratings: readonly Rating[], weight = DEFAULT_PRIOR_WEIGHT.value): BayesianPrior {
  return priorFromCounts(levelCounts(counted(ratings)), weight);
}

/** The prior from published ratings counted by level (as the store counts them). */
export function priorFromCounts(
  levels: Readonly<Record<string, number>>,
  weight = DEFAULT_PRIOR_WEIGHT.value,
): BayesianPrior {
  const { n, sum, positive } = totals(levels);
  if (n === 0) return { weight, mean: 3, satisfactionRate: 0.5 };
  return { weight, mean: sum / n, satisfactionRate: positive / n };
}

function levelCounts(ratings: readonly Rating[]): Record<string, number> {
  const levels: Record<string, number> = {};
  for (const r of ratings) levels[r.level] = (levels[r.level] ?? 0) + 1;
  return levels;
}

function totals(levels: Readonly<Record<string, number>>): { n: number; sum: number; positive: number } {
  let n = 0;
  let sum = 0;
  let positive = 0;
  for (const [level, count] of Object.entries(levels)) {
    const rule = ratingLevelRule(level as Rating['level']);
    n += count;
    sum += rule.score * count;
    if (rule.positive) positive += count;
  }
  return { n, sum, positive };
}

export function aggregate(key: string, ratings: readonly Rating[], prior: BayesianPrior): RatingAggregate {
  return aggregateFromCounts(key, levelCounts(counted(ratings)), prior);
}

/** The aggregate of one key from its published ratings counted by level. */
export function aggregateFromCounts(
  key: string,
  levels: Readonly<Record<string, number>>,
  prior: BayesianPrior,
): RatingAggregate {
  const { n, sum, positive } = totals(levels);
  return {
    key,
    count: n,
    positive,
    satisfactionRate: n === 0 ? null : positive / n,
    meanScore: n === 0 ? null : sum / n,
    bayesianMean: (prior.weight * prior.mean + sum) / (prior.weight + n),
    bayesianSatisfactionRate: (prior.weight * prior.satisfactionRate + positive) / (prior.weight + n),
    levels: { ...levels },
  };
}

export type AggregateDimension = 'outlet' | 'provider' | 'type' | 'region';

export interface AggregateOptions {
  /** For `region`: digits of the region code to group by (6 区县, 9 街道, 12 社区); default 9. */
  readonly regionDigits?: 6 | 9 | 12;
  /** Defaults to the prior of all ratings given. */
  readonly prior?: BayesianPrior;
}

/** The group a rating falls in; null: none (a rating of an outlet without a registered provider, by provider). */
function keyOf(r: Rating, dimension: AggregateDimension, regionDigits: number): string | null {
  switch (dimension) {
    case 'outlet':
      return r.outletId;
    case 'provider':
      return r.providerUscc;
    case 'type':
      return r.serviceType;
    case 'region':
      return r.regionCode.slice(0, regionDigits);
  }
}

/**
 * Aggregates per outlet, provider, service type or region, ordered by key. By provider, ratings of outlets without a
 * registered provider are in no group (they count for their outlet, type and region).
 */
export function aggregateBy(
  ratings: readonly Rating[],
  dimension: AggregateDimension,
  options: AggregateOptions = {},
): RatingAggregate[] {
  const prior = options.prior ?? priorFrom(ratings);
  const regionDigits = options.regionDigits ?? 9;
  const groups = new Map<string, Rating[]>();
  for (const r of ratings) {
    const k = keyOf(r, dimension, regionDigits);
    if (k === null) continue;
    const g = groups.get(k);
    if (g) g.push(r);
    else groups.set(k, [r]);
  }
  return [...groups.keys()].sort().map((k) => aggregate(k, groups.get(k) ?? [], prior));
}

export interface MonthlyPoint {
  /** YYYY-MM in Beijing time. */
  readonly month: string;
  readonly count: number;
  readonly satisfactionRate: number | null;
  readonly meanScore: number | null;
}

/** Monthly trend (Beijing calendar months), months without ratings included between the first and last. */
export function monthlyTrend(ratings: readonly Rating[]): MonthlyPoint[] {
  const rs = counted(ratings);
  if (rs.length === 0) return [];
  const byMonth = new Map<string, Rating[]>();
  for (const r of rs) {
    const m = beijingDate(r.createdAt).slice(0, 7);
    const g = byMonth.get(m);
    if (g) g.push(r);
    else byMonth.set(m, [r]);
  }
  const months = [...byMonth.keys()].sort();
  const out: MonthlyPoint[] = [];
  let [y, m] = months[0].split('-').map(Number);
  const last = months[months.length - 1];
  for (;;) {
    const month = `${y}-${String(m).padStart(2, '0')}`;
    const a = aggregate(month, byMonth.get(month) ?? [], { weight: 0, mean: 0, satisfactionRate: 0 });
    out.push({ month, count: a.count, satisfactionRate: a.satisfactionRate, meanScore: a.meanScore });
    if (month === last) break;
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
  return out;
}

export interface SatisfactionFigure {
  /** Region code prefix the figure covers ('' = everything given). */
  readonly region: string;
  readonly from: string;
  readonly to: string;
  readonly ratings: number;
  /** Share of the three positive levels (居民满意度), null without ratings. */
  readonly rate: number | null;
  /** 95 % Wilson score interval of the rate: how sure the figure is, e.g. against a "≥ 90 %" target. */
  readonly interval95: readonly [number, number] | null;
}

/**
 * 居民满意度 of a region over a period (Beijing dates, inclusive), for the plan-tracking indicators such as
 * Tianjin's "居民满意度达到90%以上". Only published ratings count.
 */
export function residentSatisfaction(
  ratings: readonly Rating[],
  region: string,
  from: string,
  to: string,
): SatisfactionFigure {
  const rs = counted(ratings).filter((r) => {
    const d = beijingDate(r.createdAt);
    return r.regionCode.startsWith(region) && d >= from && d <= to;
  });
  const n = rs.length;
  if (n === 0) return { region, from, to, ratings: 0, rate: null, interval95: null };
  const p = rs.filter((r) => ratingLevelRule(r.level).positive).length / n;
  const z = 1.959963984540054;
  const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
  const half = (z / (1 + (z * z) / n)) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  return {
    region,
    from,
    to,
    ratings: n,
    rate: p,
    interval95: [Math.max(0, centre - half), Math.min(1, centre + half)],
  };
}
