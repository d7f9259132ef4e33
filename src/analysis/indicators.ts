import type { Evaluation } from '../access/index.js';
import { INDICATORS, computeIndicator, type AnalysisInputs } from '../indicators/index.js';
import { recordAudit, systemActor } from '../audit/index.js';
import type { Actor, NewIndicatorValue, StoreRepositories } from '../store/index.js';
import type { StoreInputs } from './store-inputs.js';
import { beijingDate } from '../time/index.js';

/**
 * The computed indicators of one coverage run, per district and for the city, stored with the run as provenance
 * (issue 5: "computed indicators update when the analysis reruns"). What cannot be computed is stored too, as a
 * value of null naming the missing inputs, so the board says "no data" instead of showing a made-up number.
 */

/** Which facility type of the standards answers each coverage numerator: the catalogue says (docs/plans-and-indicators.md). */
export const COVERAGE_TYPES: Readonly<Record<string, string>> = Object.fromEntries(
  INDICATORS.flatMap((i) =>
    i.formula.type === 'share' && i.formula.facilityType
      ? [[i.formula.numerator, i.formula.facilityType]]
      : [],
  ),
);

/** The type whose recorded capacities are 托位 (childcare places). */
const CHILDCARE_TYPE = 'nursery';

interface Acc {
  communities: number;
  population: number;
  withPopulation: number;
  covered: Record<string, number>;
  places: number;
  nurseriesWithoutCapacity: number;
}

const empty = (): Acc => ({
  communities: 0,
  population: 0,
  withPopulation: 0,
  covered: {},
  places: 0,
  nurseriesWithoutCapacity: 0,
});

/**
 * The plain inputs of the catalogue's formulas per region (each district of the city, and the city itself):
 * community counts, communities covered by each type within its walking radius, the population, and childcare
 * places summed from the open nurseries' recorded capacities. An input that is not known is left out, so
 * `computeIndicator` names it as missing: sports areas are not in the register (sportsAreaM2 is never given);
 * a district where some open nursery has no recorded capacity has no childcarePlaces.
 */
export function indicatorInputs(
  evaluation: Evaluation,
  inputs: StoreInputs,
  cityCode: string,
): Record<string, AnalysisInputs> {
  const acc = new Map<string, Acc>([[cityCode, empty()]]);
  for (const code of inputs.districtNames.keys()) acc.set(code, empty());
  const regionsOf = (regionCode: string | null): Acc[] => {
    const district = regionCode ? acc.get(regionCode.slice(0, 6)) : undefined;
    const city = acc.get(cityCode) as Acc;
    return district && district !== city ? [city, district] : [city];
  };
  const byCode = new Map(inputs.communities.map((c) => [c.code, c]));
  const types = new Map(evaluation.types.map((t) => [t.type.id, t]));
  evaluation.communities.forEach((community, i) => {
    const stored = byCode.get(community.id);
    for (const a of regionsOf(stored?.regionCode ?? null)) {
      a.communities += 1;
      if (stored?.population !== null && stored?.population !== undefined) {
        a.population += stored.population;
        a.withPopulation += 1;
      }
      for (const [input, typeId] of Object.entries(COVERAGE_TYPES)) {
        const t = types.get(typeId);
        if (t) a.covered[input] = (a.covered[input] ?? 0) + (t.covered[i] === 1 ? 1 : 0);
      }
    }
  });
  for (const f of inputs.facilities)
    if (f.status === 'open' && f.typeCode === CHILDCARE_TYPE)
      for (const a of regionsOf(f.regionCode))
        if (f.capacity === null) a.nurseriesWithoutCapacity += 1;
        else a.places += f.capacity;
  const out: Record<string, AnalysisInputs> = {};
  for (const [region, a] of acc) {
    if (a.communities === 0) continue;
    const values: AnalysisInputs = { communities: a.communities };
    // A population summed over only some communities would inflate per-capita values: all or nothing.
    if (a.withPopulation === a.communities) values.population = a.population;
    for (const input of Object.keys(COVERAGE_TYPES))
      if (a.covered[input] !== undefined) values[input] = a.covered[input];
    if (a.nurseriesWithoutCapacity === 0) values.childcarePlaces = a.places;
    out[region] = values;
  }
  return out;
}

/** One stored row per computed indicator and region, with the run as provenance. */
export function indicatorValuesForRun(
  byRegion: Record<string, AnalysisInputs>,
  run: { id: number; createdAt: string },
): NewIndicatorValue[] {
  const out: NewIndicatorValue[] = [];
  for (const indicator of INDICATORS.filter((i) => i.kind === 'computed'))
    for (const [region, inputs] of Object.entries(byRegion)) {
      const result = computeIndicator(indicator, inputs);
      const f = indicator.formula;
      const parts =
        f.type === 'reported'
          ? { numerator: null, denominator: null }
          : { numerator: inputs[f.numerator] ?? null, denominator: inputs[f.denominator] ?? null };
      out.push({
        indicatorCode: indicator.code,
        regionCode: region,
        // The Beijing date of the run: a run at 07:00 Beijing time is still the previous day in UTC.
        date: beijingDate(run.createdAt),
        value: result.ok ? result.value : null,
        ...parts,
        missing: result.ok ? [] : result.missing,
        provenance: { kind: 'analysis', runId: run.id },
      });
    }
  return out;
}

/** Computes and stores the run's indicators inside the caller's transaction (the one that created the run). */
export async function storeRunIndicators(
  tx: StoreRepositories,
  evaluation: Evaluation,
  inputs: StoreInputs,
  cityCode: string,
  run: { id: number; createdAt: string },
  actor: Actor = systemActor('analysis'),
): Promise<number> {
  const values = indicatorValuesForRun(indicatorInputs(evaluation, inputs, cityCode), run);
  await tx.indicators.addValues(values);
  await recordAudit(tx, actor, {
    action: 'create',
    entity: 'indicator_values',
    key: `run:${run.id}`,
    after: { runId: run.id, values: values.length, computed: values.filter((v) => v.value !== null).length },
  });
  return values.length;
}
