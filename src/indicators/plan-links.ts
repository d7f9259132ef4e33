import { applyCorrections, flattenMeasures, loadPlan, relativeGoal, type Target } from '../plans/index.js';
import type { PageQuery, StoredIndicatorTarget, Store } from '../store/index.js';
import { INDICATORS } from './catalogue.js';
import { proposeLinks, type LinkProposal } from './propose.js';
import { regionsOf } from './queries.js';

/**
 * A plan's quantified targets with the indicator each is linked to, or the indicators proposed for it (issue 16,
 * item 2): what the coordinator confirms in one click. A relative target's link needs its baseline: the year the
 * plan names and, when the store holds a value of the proposed indicator for the city in that year, that value.
 */
export interface PlanTargetLink {
  measureId: string;
  target: Target;
  /** The indicator target confirmed from this plan target, if any. */
  linked: {
    id: number;
    indicatorCode: string;
    regionCode: string;
    targetValue: number;
    deadlineYear: number;
  } | null;
  proposals: (LinkProposal & {
    /** The value the proposal would set: the target's level, or baseline + change; null until a baseline is known. */
    targetValue: number | null;
    /** For a relative target: the baseline year (the plan's) and the stored value of that year, if any. */
    baseline: { year: number | null; value: number | null; date: string | null } | null;
  })[];
}

/** The year-end value of an indicator for a region in a year, from the stored values (newest of that year). */
async function valueInYear(
  store: Store,
  indicatorCode: string,
  regionCode: string,
  year: number,
): Promise<{ value: number; date: string } | null> {
  const { items } = await store.indicators.listValues({ indicatorCode, regionCode, limit: 1000 });
  const found = items.find((v) => v.date.startsWith(`${year}-`) && v.value !== null);
  return found && found.value !== null ? { value: found.value, date: found.date } : null;
}

/**
 * Every quantified target of a plan (corrections applied) in the plan's order, paged. Links are looked up among the
 * stored indicator targets, which number at most indicators × regions × deadline years (a few hundred).
 */
export async function planTargetLinks(store: Store, cityCode: string, planId: string, page: PageQuery = {}) {
  const stored = await loadPlan(store, planId);
  const { plan } = applyCorrections(stored.raw, await store.plans.corrections(stored.id));
  const all = flattenMeasures(plan.measures).flatMap((m) =>
    m.targets.map((target) => ({ measureId: m.id, target })),
  );
  const limit = Math.min(Math.max(1, Math.trunc(page.limit ?? 50)), 1000);
  const offset = Math.max(0, Math.trunc(page.offset ?? 0));
  const linkedBy = new Map<string, StoredIndicatorTarget>();
  for (const t of await store.indicators.listTargets())
    if (t.source?.planId === stored.id) linkedBy.set(t.source.targetId, t);
  const city = (await regionsOf(store, cityCode))[0].code;
  const items: PlanTargetLink[] = [];
  for (const { measureId, target } of all.slice(offset, offset + limit)) {
    const link = linkedBy.get(target.id);
    const proposals: PlanTargetLink['proposals'] = [];
    if (!link)
      for (const p of proposeLinks(target, INDICATORS)) {
        const amount = target.valueMax ?? target.value;
        if (!target.relative) {
          proposals.push({ ...p, targetValue: target.value, baseline: null });
          continue;
        }
        const year = target.relative.baselineYear;
        const known = year === null ? null : await valueInYear(store, p.code, city, year);
        proposals.push({
          ...p,
          targetValue: known ? relativeGoal(target.relative, amount, known.value) : null,
          baseline: { year, value: known?.value ?? null, date: known?.date ?? null },
        });
      }
    items.push({
      measureId,
      target,
      linked: link
        ? {
            id: link.id,
            indicatorCode: link.indicatorCode,
            regionCode: link.regionCode,
            targetValue: link.targetValue,
            deadlineYear: link.deadlineYear,
          }
        : null,
      proposals,
    });
  }
  return { items, total: all.length, limit, offset, regionCode: city };
}
