import type { Page, PageQuery } from './types.js';

/**
 * Stored indicator values, targets and the scorecard configuration (migration 4). The indicator catalogue itself
 * is code (src/indicators); rows here name an indicator by its catalogue code.
 */

/** Where a value came from: the analysis run that computed it, or the department that reported it. */
export type IndicatorProvenance =
  | { kind: 'analysis'; runId: number }
  | { kind: 'report'; by: string; reportedAt: string; note: string | null };

export interface StoredIndicatorValue {
  id: number;
  indicatorCode: string;
  /** Division code (区划代码) of the district or city the value describes. */
  regionCode: string;
  /** The day the value describes, YYYY-MM-DD. */
  date: string;
  /** Null when it could not be computed; `missing` then names the inputs that were lacking. */
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  missing: string[];
  provenance: IndicatorProvenance;
  recordedAt: string;
}

export type NewIndicatorValue = Omit<StoredIndicatorValue, 'id' | 'recordedAt'>;

export interface IndicatorValueFilter extends PageQuery {
  indicatorCode?: string;
  regionCode?: string;
  runId?: number;
}

/** gte: at least (达到, 不低于, 以上); lte: at most; eq: exactly; gt / lt strict. Same as src/plans' Comparator. */
export type TargetComparator = 'eq' | 'gte' | 'gt' | 'lte' | 'lt';

/** The extracted plan target a stored target was confirmed from. */
export interface TargetSource {
  planId: string;
  targetId: string;
  phrase: string;
  sentence: string;
}

export interface StoredIndicatorTarget {
  id: number;
  indicatorCode: string;
  regionCode: string;
  baselineValue: number | null;
  baselineDate: string | null;
  targetValue: number;
  comparator: TargetComparator;
  deadlineYear: number;
  source: TargetSource | null;
  /** Who set (confirmed) the target and when. */
  confirmedBy: string;
  confirmedAt: string;
}

export type NewIndicatorTarget = Omit<StoredIndicatorTarget, 'id' | 'confirmedAt'>;

export interface StoredScorecardConfig {
  indicatorWeights: Record<string, number>;
  measureWeight: number;
  updatedBy: string;
  updatedAt: string;
}

export interface IndicatorRepository {
  addValues(values: NewIndicatorValue[]): Promise<number>;
  /** Newest first (by date, then by the order they were recorded). */
  listValues(filter?: IndicatorValueFilter): Promise<{ items: StoredIndicatorValue[]; total: number }>;
  /** The newest value of each (indicator, region): latest date, and for that date the last one recorded. */
  latestValues(filter?: { indicatorCode?: string; regionCode?: string }): Promise<StoredIndicatorValue[]>;
  countForRun(runId: number): Promise<number>;
  /** Inserts, or replaces the target of the same (indicator, region, deadline year); returns the previous one. */
  upsertTarget(
    target: NewIndicatorTarget,
  ): Promise<{ target: StoredIndicatorTarget; before: StoredIndicatorTarget | null }>;
  listTargets(filter?: { indicatorCode?: string; regionCode?: string }): Promise<StoredIndicatorTarget[]>;
  /** One page of the targets, in the order of `listTargets` (indicator, region, deadline year). */
  targetPage(
    filter?: { indicatorCode?: string; regionCode?: string } & PageQuery,
  ): Promise<Page<StoredIndicatorTarget>>;
  getTarget(id: number): Promise<StoredIndicatorTarget | null>;
  scorecardConfig(): Promise<StoredScorecardConfig | null>;
  setScorecardConfig(config: Omit<StoredScorecardConfig, 'updatedAt'>): Promise<StoredScorecardConfig>;
}
