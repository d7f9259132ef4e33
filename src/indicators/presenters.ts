import type { StoredIndicatorTarget, StoredIndicatorValue } from '../store/index.js';
import { DEPARTMENT_KINDS } from '../plans/index.js';
import type { Indicator } from './catalogue.js';

/** How indicators, their values and targets leave the server (GET /api/indicators…): the one place that says so. */

/** Which service domain an indicator belongs to, for grouping on the board (from its owner department). */
export function indicatorDomain(indicator: Indicator): string {
  if (/托|幼儿园/.test(indicator.zh)) return 'childcare-education';
  if (/养老|老年|日间照料/.test(indicator.zh)) return 'elderly-care';
  if (/医师|护士/.test(indicator.zh)) return 'health';
  if (/体育|文化/.test(indicator.zh)) return 'culture-sport';
  return 'convenience';
}

/** The owner department's English name from the department list (the catalogue names each by its canonical name). */
export function ownerInEnglish(owner: string): string {
  return DEPARTMENT_KINDS.find((k) => k.canonical === owner)?.en ?? owner;
}

export function presentIndicator(i: Indicator) {
  return {
    code: i.code,
    nameZh: i.zh,
    nameEn: i.en,
    unit: i.unit,
    unitEn: i.unitEn,
    direction: i.direction,
    kind: i.kind,
    domain: indicatorDomain(i),
    formulaText: i.formulaText,
    formulaEn: i.formulaEn,
    facilityType: i.formula.type === 'share' ? (i.formula.facilityType ?? null) : null,
    owner: i.owner,
    ownerEn: ownerInEnglish(i.owner),
    source: i.source,
    definitionVerified: i.definitionVerified,
  };
}

/** Region code → name, for the regions indicators are kept for. */
export type RegionNames = Map<string, string>;

export const presentValue = (v: StoredIndicatorValue, names: RegionNames) => ({
  ...v,
  regionName: names.get(v.regionCode) ?? v.regionCode,
});

export const presentTarget = (t: StoredIndicatorTarget, names: RegionNames) => ({
  ...t,
  regionName: names.get(t.regionCode) ?? t.regionCode,
});
