import type { Indicator } from './catalogue.js';

/** What an extracted target offers for matching: its phrase and unit. */
export interface TargetLike {
  id: string;
  phrase: string;
  unit: string;
}

export interface Suggestion {
  code: string;
  /** 0..1: phrase similarity to the indicator's names, lowered when the units disagree. */
  score: number;
  reason: string;
}

/**
 * A link between an extracted target and an indicator. The parser only suggests; a person confirms or rejects,
 * and only confirmed links feed progress and the scorecard.
 */
export interface IndicatorLink {
  targetId: string;
  code: string;
  status: 'suggested' | 'confirmed' | 'rejected';
  score: number;
  decidedBy: string | null;
  decidedAt: string | null;
}

/**
 * Below this score no suggestion is offered: the phrase names something the catalogue does not hold. Set on the
 * seed targets: 养老服务设施达标率 against 养老服务设施覆盖率 scores 0.63 and is a different indicator.
 */
export const MIN_SUGGESTION_SCORE = 0.7;

function bigrams(text: string): string[] {
  const clean = text.replace(/[()（）、，,\s]/g, '');
  const grams: string[] = [];
  for (let i = 0; i + 1 < clean.length; i++) grams.push(clean.slice(i, i + 2));
  return grams;
}

/** Share of the alias's bigrams found in the phrase: an alias contained in a longer phrase scores 1. */
export function bigramContainment(phrase: string, alias: string): number {
  const have = new Map<string, number>();
  for (const g of bigrams(phrase)) have.set(g, (have.get(g) ?? 0) + 1);
  const want = bigrams(alias);
  if (want.length === 0) return 0;
  let found = 0;
  for (const g of want) {
    const n = have.get(g) ?? 0;
    if (n > 0) {
      found++;
      have.set(g, n - 1);
    }
  }
  return found / want.length;
}

/** Units that measure the same thing (覆盖率 70% vs a share). */
function unitsAgree(targetUnit: string, indicatorUnit: string): boolean {
  return targetUnit === indicatorUnit || (targetUnit === '%' && indicatorUnit === '%');
}

/** Rank catalogue indicators for an extracted target phrase, best first, at most `limit`. */
export function suggestIndicators(target: TargetLike, catalogue: Indicator[], limit = 3): Suggestion[] {
  const suggestions: (Suggestion & { specificity: number })[] = [];
  for (const indicator of catalogue) {
    let best = 0;
    let bestAlias = '';
    for (const alias of [indicator.zh, ...indicator.aliases]) {
      const score = bigramContainment(target.phrase, alias);
      if (score > best) [best, bestAlias] = [score, alias];
    }
    const agree = unitsAgree(target.unit, indicator.unit);
    const score = Math.round((agree ? best : best * 0.6) * 1000) / 1000;
    if (score >= MIN_SUGGESTION_SCORE)
      suggestions.push({
        code: indicator.code,
        score,
        reason: `phrase matches “${bestAlias}”${agree ? '' : `; unit ${target.unit} ≠ ${indicator.unit}`}`,
        specificity: bestAlias.length,
      });
  }
  // Equal scores: the longer matched name is the more specific indicator (日间照料 over 养老服务设施).
  return suggestions
    .sort((a, b) => b.score - a.score || b.specificity - a.specificity)
    .slice(0, limit)
    .map(({ code, score, reason }) => ({ code, score, reason }));
}

/** Suggested links for a list of targets: the best suggestion of each, awaiting a person's decision. */
export function suggestLinks(targets: TargetLike[], catalogue: Indicator[]): IndicatorLink[] {
  return targets.flatMap((t) => {
    const [best] = suggestIndicators(t, catalogue, 1);
    return best
      ? [
          {
            targetId: t.id,
            code: best.code,
            status: 'suggested' as const,
            score: best.score,
            decidedBy: null,
            decidedAt: null,
          },
        ]
      : [];
  });
}

/** A person confirms or rejects a suggested link (or re-decides). Returns a new link. */
export function decideLink(
  link: IndicatorLink,
  decision: 'confirmed' | 'rejected',
  by: string,
  at: string,
  code: string = link.code,
): IndicatorLink {
  return { ...link, code, status: decision, decidedBy: by, decidedAt: at };
}
