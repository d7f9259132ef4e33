import { FACILITY_TYPES, type TierId } from '../standards/index.js';
import type { Indicator } from './catalogue.js';
import { bigramContainment, MIN_SUGGESTION_SCORE } from './suggest.js';

/**
 * Proposing which indicator a plan's target measures, from the indicator's definition (issue 16, item 2): what it
 * names (its names and aliases), what kind of quantity it is (a share, a figure per head of population, a count),
 * the facility type it counts, the unit, and the life-circle tier a phrase may name. Each piece of evidence is
 * kept so the coordinator sees why; the confidence only orders and labels proposals, a person confirms every link.
 *
 * The weights are LifeCircle's working choice (no standard sets them), checked on the five seed plans
 * (src/indicators/propose.test.ts): the name carries most, the definition confirms or contradicts it.
 */
export const PROPOSAL_WEIGHTS = { name: 0.55, measure: 0.2, facility: 0.15, unit: 0.1 } as const;
/** Confidence from which a proposal is labelled high, and medium; below `PROPOSAL_MIN` none is offered. */
export const PROPOSAL_LEVELS = { high: 0.85, medium: 0.7 } as const;
export const PROPOSAL_MIN = 0.6;
/** The name score a phrase earns by naming the facility type the indicator counts (a working choice, as above). */
const FACILITY_NAMES_INDICATOR = 0.8;
/** Taken off when the phrase ends in another noun than the indicator's name (a working choice, as above). */
const HEAD_DIFFERS = 0.25;

/** The last two characters of a phrase, its head noun (brackets and punctuation left out). */
function headOf(phrase: string): string {
  const clean = phrase.replace(/[()（）、，,\s]/g, '');
  return clean.length >= 2 ? clean.slice(-2) : '';
}

/** What kind of quantity a target or indicator states. */
export type MeasureKind = 'share' | 'per-population' | 'count';

/** What a target offers for matching. */
export interface ProposalTarget {
  phrase: string;
  unit: string;
  /** The sentence the target was read from: names a tier or a facility the phrase may leave out. */
  sentence?: string;
}

/** One reason for (or against) a proposal; the page words it. */
export type LinkEvidence =
  | { kind: 'name'; score: number; alias: string; headAgrees: boolean }
  | { kind: 'measure'; agrees: boolean | null; target: MeasureKind | null; indicator: MeasureKind }
  | { kind: 'facility'; agrees: boolean; facilityType: string }
  | { kind: 'unit'; agrees: boolean; target: string; indicator: string }
  | { kind: 'tier'; agrees: boolean; minutes: number; indicatorMinutes: number };

export interface LinkProposal {
  code: string;
  /** 0..1, rounded to 0.01. */
  confidence: number;
  level: 'high' | 'medium' | 'low';
  evidence: LinkEvidence[];
}

const PER_POPULATION = /每(千|万|百)(人|名|常住人口|户)|千人口|万人口|人均|每千名|每百户/;
const SHARE_WORDS = /率|比例|占比|比重|覆盖/;

/** The kind of quantity a target states, from its unit and phrase; null when they do not say. */
export function targetMeasure(t: ProposalTarget): MeasureKind | null {
  if (PER_POPULATION.test(t.phrase)) return 'per-population';
  if (t.unit === '%' || t.unit === '个百分点') return 'share';
  if (SHARE_WORDS.test(t.phrase)) return null; // a rate stated in another unit: unclear
  return t.unit ? 'count' : null;
}

/** The kind of quantity an indicator is, from its formula (computed) or its unit and name (reported). */
export function indicatorMeasure(i: Indicator): MeasureKind {
  if (i.formula.type === 'share') return 'share';
  if (i.formula.type === 'per-population') return 'per-population';
  if (PER_POPULATION.test(i.zh)) return 'per-population';
  return i.unit === '%' ? 'share' : 'count';
}

/** The facility type's names as a phrase may write them: 老年人日间照料中心（托老所） → 老年人日间照料中心, 托老所. */
function facilityNames(typeId: string): string[] {
  const type = FACILITY_TYPES.find((f) => f.id === typeId);
  if (!type) return [];
  return type.nameZh
    .split(/[（）()、/]/)
    .map((s) => s.trim())
    .filter((s) => s.length >= 2);
}

/** Minutes of a life circle a text names: 15分钟 / 一刻钟 → 15, 10分钟 → 10, 5分钟 → 5. */
function tierMinutes(text: string): number | null {
  if (/一刻钟|15\s*分钟/.test(text)) return 15;
  if (/10\s*分钟|十分钟/.test(text)) return 10;
  if (/5\s*分钟|五分钟/.test(text)) return 5;
  return null;
}

const TIER_MINUTES: Partial<Record<TierId, number>> = {
  'five-minute': 5,
  'ten-minute': 10,
  'fifteen-minute': 15,
};

/** The proposal for one indicator, or null when nothing ties the target to it. */
export function proposeOne(target: ProposalTarget, indicator: Indicator): LinkProposal | null {
  const evidence: LinkEvidence[] = [];
  let name = 0;
  let alias = '';
  for (const a of [indicator.zh, ...indicator.aliases]) {
    const s = bigramContainment(target.phrase, a);
    if (s > name) [name, alias] = [s, a];
  }
  // A Chinese noun phrase ends in what it counts: 建成…生活圈建设示范区 counts 示范区, not 生活圈.
  const head = headOf(target.phrase);
  const headAgrees =
    head === '' ||
    [indicator.zh, ...indicator.aliases].some((a) => a.replace(/[()（）、，,\s]/g, '').includes(head));
  evidence.push({ kind: 'name', score: Math.round(name * 100) / 100, alias, headAgrees });

  const measureOfTarget = targetMeasure(target);
  const measureOfIndicator = indicatorMeasure(indicator);
  const measureAgrees = measureOfTarget === null ? null : measureOfTarget === measureOfIndicator;
  evidence.push({
    kind: 'measure',
    agrees: measureAgrees,
    target: measureOfTarget,
    indicator: measureOfIndicator,
  });

  const facilityType = indicator.formula.type === 'share' ? indicator.formula.facilityType : undefined;
  let facility = 0.5; // neutral: the indicator counts no facility type
  if (facilityType) {
    // The phrase only: a sentence often lists several services, each with its own target (老年助餐、居家照护…).
    const named = facilityNames(facilityType).some((n) => bigramContainment(target.phrase, n) >= 0.75);
    facility = named ? 1 : 0.3;
    if (named) evidence.push({ kind: 'facility', agrees: true, facilityType });
    const minutes = tierMinutes(`${target.phrase}${target.sentence ?? ''}`);
    const type = FACILITY_TYPES.find((f) => f.id === facilityType);
    const indicatorMinutes = type ? TIER_MINUTES[type.tier.value] : undefined;
    if (minutes !== null && indicatorMinutes !== undefined)
      evidence.push({ kind: 'tier', agrees: minutes >= indicatorMinutes, minutes, indicatorMinutes });
  }

  const unitAgrees = target.unit === indicator.unit || (target.unit === '个百分点' && indicator.unit === '%');
  evidence.push({ kind: 'unit', agrees: unitAgrees, target: target.unit, indicator: indicator.unit });

  const measure = measureAgrees === null ? 0.5 : measureAgrees ? 1 : 0;
  // A phrase naming the very facility the indicator counts (托老所覆盖社区比例) names the indicator, in other words.
  const named = facility === 1 ? Math.max(name, FACILITY_NAMES_INDICATOR) : name;
  let confidence =
    PROPOSAL_WEIGHTS.name * named +
    PROPOSAL_WEIGHTS.measure * measure +
    PROPOSAL_WEIGHTS.facility * facility +
    PROPOSAL_WEIGHTS.unit * (unitAgrees ? 1 : 0);
  if (!headAgrees) confidence -= HEAD_DIFFERS;
  // A tier the text names that is narrower than the facility's own radius contradicts the definition.
  if (evidence.some((e) => e.kind === 'tier' && !e.agrees)) confidence -= 0.1;
  // The name must be near, or the definition must speak for it: no proposal from measure and unit alone.
  if (name < MIN_SUGGESTION_SCORE && facility < 1) return null;
  confidence = Math.round(Math.max(0, Math.min(1, confidence)) * 100) / 100;
  if (confidence < PROPOSAL_MIN) return null;
  const level =
    confidence >= PROPOSAL_LEVELS.high ? 'high' : confidence >= PROPOSAL_LEVELS.medium ? 'medium' : 'low';
  return { code: indicator.code, confidence, level, evidence };
}

/** Proposals for a target, best first, at most `limit`; equal confidence: the more specific (longer) name first. */
export function proposeLinks(
  target: ProposalTarget,
  catalogue: readonly Indicator[],
  limit = 3,
): LinkProposal[] {
  const aliasLength = (p: LinkProposal) => {
    const e = p.evidence.find((x) => x.kind === 'name');
    return e?.kind === 'name' ? e.alias.length : 0;
  };
  return catalogue
    .map((i) => proposeOne(target, i))
    .filter((p): p is LinkProposal => p !== null)
    .sort((a, b) => b.confidence - a.confidence || aliasLength(b) - aliasLength(a))
    .slice(0, limit);
}
