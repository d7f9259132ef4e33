import { aggregate, priorFrom, type BayesianPrior } from './aggregates.js';
import { DEFAULT_SCORING, type CreditClassification, type ScoringConfig } from './credit.js';
import type { Rating } from './ratings.js';
import type { RiskClass, RuleSource } from './rules.js';

/**
 * 领跑者 ranking: per service type, outlets ordered by a transparent blend of residents' satisfaction (the Bayesian
 * satisfaction rate, so that a handful of ratings cannot win) and the provider's credit score. Only outlets with
 * enough ratings and a low or ordinary credit risk take part. Every entry shows its components.
 */
export interface LeaderConfig {
  readonly minRatings: number;
  readonly eligibleClasses: readonly RiskClass[];
  readonly weights: { readonly satisfaction: number; readonly credit: number };
  readonly top: number;
  readonly source: RuleSource;
}

export const DEFAULT_LEADER_CONFIG: LeaderConfig = {
  minRatings: 20,
  eligibleClasses: ['A', 'B'],
  weights: { satisfaction: 0.7, credit: 0.3 },
  top: 10,
  source: {
    document: 'LifeCircle 项目默认 领跑者 排名',
    documentEn: 'LifeCircle project default ranking of service leaders',
    status: 'project-default',
    note: 'Described in docs/supervision.md. The action plans name 领跑者 but publish no formula; weights and thresholds are ours, review per city.',
  },
};

export interface OutletRef {
  readonly outletId: string;
  readonly providerUscc: string;
  readonly serviceType: string;
}

export interface LeaderEntry {
  readonly rank: number;
  readonly outletId: string;
  readonly providerUscc: string;
  readonly score: number;
  readonly ratings: number;
  readonly bayesianSatisfactionRate: number;
  readonly riskClass: RiskClass;
  /** Credit score mapped onto 0–1 between the C and the A threshold. */
  readonly creditComponent: number;
}

export function rankLeaders(
  outlets: readonly OutletRef[],
  ratings: readonly Rating[],
  classes: ReadonlyMap<string, CreditClassification>,
  config: LeaderConfig = DEFAULT_LEADER_CONFIG,
  scoring: ScoringConfig = DEFAULT_SCORING,
): Map<string, LeaderEntry[]> {
  const byOutlet = new Map<string, Rating[]>();
  for (const r of ratings) {
    const list = byOutlet.get(r.outletId);
    if (list) list.push(r);
    else byOutlet.set(r.outletId, [r]);
  }
  const byType = new Map<string, OutletRef[]>();
  for (const o of outlets) byType.set(o.serviceType, [...(byType.get(o.serviceType) ?? []), o]);
  const { A, C } = scoring.thresholds;
  const out = new Map<string, LeaderEntry[]>();
  for (const [type, list] of [...byType].sort(([a], [b]) => a.localeCompare(b))) {
    // Outlets of one type are compared against the prior of that type.
    const typeRatings = list.flatMap((o) => byOutlet.get(o.outletId) ?? []);
    const prior: BayesianPrior = priorFrom(typeRatings);
    const entries: Omit<LeaderEntry, 'rank'>[] = [];
    for (const o of list) {
      const credit = classes.get(o.providerUscc);
      if (!credit || !config.eligibleClasses.includes(credit.riskClass)) continue;
      const a = aggregate(o.outletId, byOutlet.get(o.outletId) ?? [], prior);
      if (a.count < config.minRatings) continue;
      const creditComponent = Math.min(1, Math.max(0, (credit.score - C) / (A - C)));
      const score =
        config.weights.satisfaction * a.bayesianSatisfactionRate + config.weights.credit * creditComponent;
      entries.push({
        outletId: o.outletId,
        providerUscc: o.providerUscc,
        score: Math.round(score * 10000) / 10000,
        ratings: a.count,
        bayesianSatisfactionRate: a.bayesianSatisfactionRate,
        riskClass: credit.riskClass,
        creditComponent,
      });
    }
    entries.sort(
      (x, y) => y.score - x.score || y.ratings - x.ratings || x.outletId.localeCompare(y.outletId),
    );
    out.set(
      type,
      entries.slice(0, config.top).map((e, i) => ({ rank: i + 1, ...e })),
    );
  }
  return out;
}

/**
 * 领跑者 without ratings (a new platform): eligible classes only, highest credit score first, per service type, at
 * most `top` per type.
 */
export function rankByCredit(
  outlets: { outletId: string; providerUscc: string; serviceType: string }[],
  classes: ReadonlyMap<string, CreditClassification>,
) {
  const out = new Map<
    string,
    { rank: number; outletId: string; providerUscc: string; score: number; riskClass: RiskClass }[]
  >();
  const byType = new Map<string, typeof outlets>();
  for (const o of outlets) byType.set(o.serviceType, [...(byType.get(o.serviceType) ?? []), o]);
  for (const [type, list] of [...byType].sort(([a], [b]) => a.localeCompare(b))) {
    const entries = list
      .map((o) => ({ o, c: classes.get(o.providerUscc) }))
      .filter(
        (x): x is { o: (typeof list)[number]; c: CreditClassification } =>
          x.c !== undefined && DEFAULT_LEADER_CONFIG.eligibleClasses.includes(x.c.riskClass),
      )
      .sort((x, y) => y.c.score - x.c.score || x.o.outletId.localeCompare(y.o.outletId))
      .slice(0, DEFAULT_LEADER_CONFIG.top)
      .map((x, i) => ({
        rank: i + 1,
        outletId: x.o.outletId,
        providerUscc: x.o.providerUscc,
        score: x.c.score,
        riskClass: x.c.riskClass,
      }));
    out.set(type, entries);
  }
  return out;
}
