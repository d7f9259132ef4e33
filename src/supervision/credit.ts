import { LifeCircleError } from '../errors.js';
import { RISK_CLASSES, type RiskClass, type RuleSource } from './rules.js';

/**
 * Credit records per provider (by 统一社会信用代码) and a transparent scoring model that turns them into a risk class
 * A–D. Every number of the model is configuration (DEFAULT_SCORING below, documented in docs/credit-scoring.md); no
 * public national weights exist (reference/standards.md §7), so the defaults are project defaults a city must review.
 */
export type CreditRecordKind =
  'permit' | 'penalty' | 'inspection' | 'complaint-upheld' | 'commitment' | 'award';
export const CREDIT_RECORD_KINDS: readonly CreditRecordKind[] = [
  'permit',
  'penalty',
  'inspection',
  'complaint-upheld',
  'commitment',
  'award',
];

/** 行政处罚 severity: 轻微 / 一般 / 严重 (严重违法失信 drives class D on its own). */
export type PenaltySeverity = 'minor' | 'ordinary' | 'serious';

/** 检查结果: 未发现问题 / 发现问题已整改 / 发现问题 (不合格). */
export type InspectionOutcome = 'compliant' | 'rectified' | 'non-compliant';

export interface CreditRecord {
  readonly id: string;
  readonly uscc: string;
  readonly kind: CreditRecordKind;
  /** e.g. 食品经营许可证, 行政处罚决定 (超范围经营), 双随机抽查 (2026 第3批). */
  readonly title: string;
  /** The body that made the decision or issued the permit, and its document number (文书号) when there is one. */
  readonly source: { readonly authority: string; readonly document?: string };
  /** Date of the decision, inspection or commitment (YYYY-MM-DD). */
  readonly date: string;
  /** End of validity (permit expiry, end of the publicity period); absent = open-ended. */
  readonly validUntil?: string;
  /** 信用修复: from this date the record no longer counts (and is no longer disclosed). */
  readonly repairedOn?: string;
  readonly severity?: PenaltySeverity;
  readonly outcome?: InspectionOutcome;
  /** A credit commitment (信用承诺) the provider broke. */
  readonly breached?: boolean;
  /** Internal remarks (inspector, handler); never disclosed. */
  readonly internalNote?: string;
}

export interface ScoringConfig {
  /** Score of a provider with no records in force. */
  readonly base: number;
  readonly weights: {
    readonly permitExpired: number;
    readonly penalty: Readonly<Record<PenaltySeverity, number>>;
    readonly inspection: Readonly<Record<InspectionOutcome, number>>;
    readonly complaintUpheld: number;
    readonly commitmentKept: number;
    readonly commitmentBreached: number;
    readonly award: number;
  };
  /** Half-life of a record's weight in days; null = the record keeps its full weight while in force. */
  readonly halfLifeDays: Readonly<Record<CreditRecordKind, number | null>>;
  /** Lowest score of classes A, B and C; below C's is D. */
  readonly thresholds: Readonly<Record<'A' | 'B' | 'C', number>>;
  /** A serious penalty in force puts the provider in this class whatever its score. */
  readonly seriousPenaltyClass: RiskClass;
  readonly source: RuleSource;
}

export const DEFAULT_SCORING: ScoringConfig = {
  base: 100,
  weights: {
    permitExpired: -20,
    penalty: { minor: -5, ordinary: -15, serious: -40 },
    inspection: { compliant: 5, rectified: -3, 'non-compliant': -15 },
    complaintUpheld: -3,
    commitmentKept: 2,
    commitmentBreached: -30,
    award: 10,
  },
  halfLifeDays: {
    permit: null,
    penalty: 730,
    inspection: 365,
    'complaint-upheld': 365,
    commitment: null,
    award: 730,
  },
  thresholds: { A: 110, B: 90, C: 70 },
  seriousPenaltyClass: 'D',
  source: {
    document: 'LifeCircle 项目默认信用评分模型',
    documentEn: 'LifeCircle project default credit scoring model',
    status: 'project-default',
    note: 'Described in docs/credit-scoring.md. No public national indicator weights for 生活性服务 enterprises (standards.md §7); review with the city.',
  },
};

/** Refuses a configuration whose thresholds are not strictly descending or whose half-lives are not positive. */
export function validateScoringConfig(config: ScoringConfig): void {
  const { A, B, C } = config.thresholds;
  if (!(A > B && B > C))
    throw new LifeCircleError(
      'LC_SUPERVISION_CONFIG',
      `credit scoring thresholds: expected A > B > C, got A=${A}, B=${B}, C=${C}`,
    );
  for (const kind of CREDIT_RECORD_KINDS) {
    const h = config.halfLifeDays[kind];
    if (h !== null && !(h > 0))
      throw new LifeCircleError(
        'LC_SUPERVISION_CONFIG',
        `credit scoring halfLifeDays.${kind}: expected a positive number of days or null, got ${h}`,
      );
  }
}

export type ExclusionReason = 'not-yet-effective' | 'expired' | 'repaired';

export interface Contribution {
  readonly recordId: string;
  readonly kind: CreditRecordKind;
  readonly title: string;
  readonly date: string;
  readonly weight: number;
  /** 0.5^(age / half-life), 1 without decay. */
  readonly decay: number;
  readonly points: number;
}

export interface CreditClassification {
  readonly uscc: string;
  readonly asOf: string;
  readonly score: number;
  readonly riskClass: RiskClass;
  /** Why this class: the score band, or the serious penalty that overrides it. */
  readonly decidedBy:
    | { readonly rule: 'score'; readonly thresholds: ScoringConfig['thresholds'] }
    | { readonly rule: 'serious-penalty'; readonly recordIds: readonly string[] };
  /** Records that moved the score, largest effect first. */
  readonly drivers: readonly Contribution[];
  /** Records on file that did not count, and why. */
  readonly excluded: readonly { readonly recordId: string; readonly reason: ExclusionReason }[];
  readonly model: RuleSource;
}

const DAY_MS = 86400000;

function daysBetween(from: string, to: string): number {
  return (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS;
}

/** Why a record does not count on `asOf`, or null when it is in force. */
export function exclusionOf(r: CreditRecord, asOf: string): ExclusionReason | null {
  if (r.date > asOf) return 'not-yet-effective';
  if (r.repairedOn !== undefined && r.repairedOn <= asOf) return 'repaired';
  // An expired permit still counts: it is what the permitExpired weight is for.
  if (r.kind !== 'permit' && r.validUntil !== undefined && r.validUntil < asOf) return 'expired';
  return null;
}

function weightOf(
  r: CreditRecord,
  asOf: string,
  config: ScoringConfig,
  permits: readonly CreditRecord[],
): number {
  const w = config.weights;
  switch (r.kind) {
    case 'permit': {
      if (r.validUntil === undefined || r.validUntil >= asOf) return 0;
      // Expired, unless renewed by a later permit of the same title still valid.
      const renewed = permits.some(
        (p) => p !== r && p.title === r.title && p.date >= r.date && (p.validUntil ?? '9999') >= asOf,
      );
      return renewed ? 0 : w.permitExpired;
    }
    case 'penalty':
      return w.penalty[r.severity ?? 'ordinary'];
    case 'inspection':
      return w.inspection[r.outcome ?? 'compliant'];
    case 'complaint-upheld':
      return w.complaintUpheld;
    case 'commitment':
      return r.breached ? w.commitmentBreached : w.commitmentKept;
    case 'award':
      return w.award;
  }
}

/** The risk class of one provider on `asOf` from its records, with the records that drove it. */
export function classifyProvider(
  uscc: string,
  records: readonly CreditRecord[],
  asOf: string,
  config: ScoringConfig = DEFAULT_SCORING,
): CreditClassification {
  const own = records.filter((r) => r.uscc === uscc);
  const inForce: CreditRecord[] = [];
  const excluded: { recordId: string; reason: ExclusionReason }[] = [];
  for (const r of own) {
    const reason = exclusionOf(r, asOf);
    if (reason) excluded.push({ recordId: r.id, reason });
    else inForce.push(r);
  }
  const permits = inForce.filter((r) => r.kind === 'permit');
  const contributions: Contribution[] = [];
  for (const r of inForce) {
    const weight = weightOf(r, asOf, config, permits);
    if (weight === 0) continue;
    const halfLife = config.halfLifeDays[r.kind];
    const decay = halfLife === null ? 1 : Math.pow(0.5, Math.max(0, daysBetween(r.date, asOf)) / halfLife);
    contributions.push({
      recordId: r.id,
      kind: r.kind,
      title: r.title,
      date: r.date,
      weight,
      decay,
      points: weight * decay,
    });
  }
  contributions.sort(
    (a, b) => Math.abs(b.points) - Math.abs(a.points) || a.recordId.localeCompare(b.recordId),
  );
  const score = Math.round((config.base + contributions.reduce((s, c) => s + c.points, 0)) * 100) / 100;
  const serious = inForce.filter((r) => r.kind === 'penalty' && r.severity === 'serious').map((r) => r.id);
  const { A, B, C } = config.thresholds;
  const byScore: RiskClass = score >= A ? 'A' : score >= B ? 'B' : score >= C ? 'C' : 'D';
  const bySeriousPenalty =
    serious.length > 0 && RISK_CLASSES.indexOf(config.seriousPenaltyClass) >= RISK_CLASSES.indexOf(byScore);
  return {
    uscc,
    asOf,
    score,
    riskClass: bySeriousPenalty ? config.seriousPenaltyClass : byScore,
    decidedBy: bySeriousPenalty
      ? { rule: 'serious-penalty', recordIds: serious }
      : { rule: 'score', thresholds: config.thresholds },
    drivers: contributions,
    excluded,
    model: config.source,
  };
}

/** Classifies every provider that has records (the platform re-runs this when records change). */
export function classifyProviders(
  records: readonly CreditRecord[],
  asOf: string,
  config: ScoringConfig = DEFAULT_SCORING,
): Map<string, CreditClassification> {
  const byProvider = new Map<string, CreditRecord[]>();
  for (const r of records) {
    const list = byProvider.get(r.uscc);
    if (list) list.push(r);
    else byProvider.set(r.uscc, [r]);
  }
  const out = new Map<string, CreditClassification>();
  for (const uscc of [...byProvider.keys()].sort())
    out.set(uscc, classifyProvider(uscc, byProvider.get(uscc) ?? [], asOf, config));
  return out;
}

export interface ClassChange {
  readonly uscc: string;
  readonly from: RiskClass | null;
  readonly to: RiskClass;
  readonly decidedBy: CreditClassification['decidedBy'];
}

/**
 * Recomputes the classes of the providers whose records changed and reports the class changes, so that the
 * platform can update 双随机 candidate lists and notify departments.
 */
export function recomputeClasses(
  previous: ReadonlyMap<string, CreditClassification>,
  records: readonly CreditRecord[],
  changedUscc: Iterable<string>,
  asOf: string,
  config: ScoringConfig = DEFAULT_SCORING,
): { classes: Map<string, CreditClassification>; changes: ClassChange[] } {
  const classes = new Map(previous);
  const changes: ClassChange[] = [];
  for (const uscc of [...new Set(changedUscc)].sort()) {
    const next = classifyProvider(uscc, records, asOf, config);
    const before = previous.get(uscc)?.riskClass ?? null;
    classes.set(uscc, next);
    if (before !== next.riskClass)
      changes.push({ uscc, from: before, to: next.riskClass, decidedBy: next.decidedBy });
  }
  return { classes, changes };
}
