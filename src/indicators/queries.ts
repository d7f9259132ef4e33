import { LifeCircleError } from '../errors.js';
import type { PageQuery, Region, StoredIndicatorValue, Store } from '../store/index.js';
import { INDICATORS, indicatorByCode, type Indicator } from './catalogue.js';
import { DEFAULT_SCORECARD_CONFIG, districtScorecard } from './district-scorecard.js';
import { presentIndicator, presentTarget, presentValue, type RegionNames } from './presenters.js';
import { assessProgress, chartPoints, trajectoryValue, type Observation } from './progress.js';
import type { Scorecard, ScorecardConfig } from './scorecard.js';
import { suggestIndicators } from './suggest.js';

/** Reads of indicators, targets, progress and the district scorecard (public statistics, no record scope). */

export function indicatorOr404(code: string): Indicator {
  const indicator = indicatorByCode(code);
  if (!indicator) throw new LifeCircleError('LC_NOT_FOUND', `indicator '${code}' is not in the catalogue`);
  return indicator;
}

/** The city and its districts, city first: the regions indicators are kept for. */
export async function regionsOf(store: Pick<Store, 'regions'>, cityCode: string): Promise<Region[]> {
  const city = (await store.regions.get(cityCode)) ?? {
    code: cityCode,
    name: cityCode,
    level: 'city' as const,
    parentCode: null,
  };
  const districts = await store.regions.list({ level: 'district', within: cityCode, limit: 1000 });
  return [city, ...districts.items];
}

export async function regionNames(store: Pick<Store, 'regions'>, cityCode: string): Promise<RegionNames> {
  return new Map((await regionsOf(store, cityCode)).map((r) => [r.code, r.name]));
}

/** The catalogue with the latest value of each indicator for the city and each district. */
export async function indicatorCatalogue(store: Store, cityCode: string) {
  const regions = await regionsOf(store, cityCode);
  const n: RegionNames = new Map(regions.map((r) => [r.code, r.name]));
  const latest = await store.indicators.latestValues();
  return {
    regions: regions.map((r) => ({ code: r.code, name: r.name, level: r.level })),
    items: INDICATORS.map((i) => ({
      ...presentIndicator(i),
      values: latest.filter((v) => v.indicatorCode === i.code).map((v) => presentValue(v, n)),
    })),
  };
}

/** Indicators a target phrase (from a plan) probably measures, best first. */
export function suggestFor(phrase: string, unit: string | undefined) {
  // Without a unit the phrase alone decides: take the unit of each candidate so none is marked down.
  return INDICATORS.flatMap((indicator) =>
    suggestIndicators({ id: 'q', phrase, unit: unit ?? indicator.unit }, [indicator], 1),
  )
    .sort((a, b) => b.score - a.score)
    .slice(0, 5)
    .map((s) => {
      const i = indicatorOr404(s.code);
      return { code: s.code, nameZh: i.zh, nameEn: i.en, score: s.score, reason: s.reason };
    });
}

/** Every stored value of one indicator (history), newest first. */
export async function indicatorHistory(store: Store, cityCode: string, code: string, region?: string) {
  const indicator = indicatorOr404(code);
  const n = await regionNames(store, cityCode);
  const { items } = await store.indicators.listValues({
    indicatorCode: indicator.code,
    regionCode: region,
    limit: 5000,
  });
  return {
    indicator: { ...presentIndicator(indicator), values: [] },
    items: items.map((v) => presentValue(v, n)),
  };
}

/** One page of the targets, by indicator, region and deadline year. */
export async function targetList(
  store: Store,
  cityCode: string,
  filter: { indicator?: string; region?: string } & PageQuery,
) {
  const n = await regionNames(store, cityCode);
  const found = await store.indicators.targetPage({
    indicatorCode: filter.indicator,
    regionCode: filter.region,
    limit: filter.limit,
    offset: filter.offset,
  });
  return { ...found, items: found.items.map((t) => presentTarget(t, n)) };
}

/** Observations of an indicator in a region, oldest first, one per date (the last recorded wins). */
async function observations(store: Store, code: string, region: string): Promise<StoredIndicatorValue[]> {
  const { items } = await store.indicators.listValues({
    indicatorCode: code,
    regionCode: region,
    limit: 5000,
  });
  const byDate = new Map<string, StoredIndicatorValue>();
  for (const v of [...items].reverse()) byDate.set(v.date, v);
  return [...byDate.values()].filter((v) => v.value !== null);
}

/**
 * Progress of one page of the targets (as `targetList` pages them): baseline, latest value, the straight
 * trajectory today, status and early warnings. Only the page's targets have their values read.
 */
export async function targetProgress(
  store: Store,
  cityCode: string,
  filter: { indicator?: string; region?: string } & PageQuery,
  asOf: string,
) {
  const n = await regionNames(store, cityCode);
  const { items: targets, ...page } = await store.indicators.targetPage({
    regionCode: filter.region,
    indicatorCode: filter.indicator,
    limit: filter.limit,
    offset: filter.offset,
  });
  const out = [];
  for (const t of targets) {
    const indicator = indicatorOr404(t.indicatorCode);
    const obs = await observations(store, t.indicatorCode, t.regionCode);
    const first = obs[0];
    const baseline: Observation | null =
      t.baselineValue !== null && t.baselineDate !== null
        ? { date: t.baselineDate, value: t.baselineValue }
        : first
          ? { date: first.date, value: first.value as number }
          : null;
    const goal = { value: t.targetValue, deadline: `${t.deadlineYear}-12-31` };
    const after = baseline ? obs.filter((o) => o.date >= baseline.date) : [];
    const points = after.map((o) => ({ date: o.date, value: o.value as number }));
    const assessment = baseline
      ? assessProgress({ direction: indicator.direction, baseline, target: goal, observations: points, asOf })
      : null;
    const latest = obs[obs.length - 1] ?? null;
    out.push({
      target: presentTarget(t, n),
      indicator: {
        code: indicator.code,
        nameZh: indicator.zh,
        nameEn: indicator.en,
        unit: indicator.unit,
        unitEn: indicator.unitEn,
      },
      baseline,
      latest: latest ? presentValue(latest, n) : null,
      trajectoryToday: baseline ? trajectoryValue(baseline, goal, asOf) : null,
      status: assessment?.status ?? 'no-data',
      ratio: assessment?.ratio ?? null,
      achieved: assessment?.achieved ?? null,
      warnings: assessment?.warnings ?? [],
      chart: baseline ? chartPoints(baseline, goal, points) : [],
      // A code the client words in its language (issue 14: no English sentence in the Chinese screen).
      note: baseline ? null : ('no-baseline' as const),
    });
  }
  return { ...page, items: out };
}

/**
 * The district scorecard as the API shows it: the configured weights (else the sourced defaults), the latest
 * values against each district's target in force (else the city's), measure completion from plan tracking.
 */
export async function scorecardView(
  store: Store,
  cityCode: string,
  asOf: string,
  measureCompletion?: () => Promise<Map<string, number>>,
) {
  const stored = await store.indicators.scorecardConfig();
  const config: ScorecardConfig = stored
    ? { indicatorWeights: stored.indicatorWeights, measureWeight: stored.measureWeight }
    : DEFAULT_SCORECARD_CONFIG;
  const regions = await regionsOf(store, cityCode);
  const result = districtScorecard({
    config,
    cityCode,
    districts: regions.slice(1),
    latest: await store.indicators.latestValues(),
    targets: await store.indicators.listTargets(),
    tracked: measureCompletion ? await measureCompletion() : null,
    asOf,
    catalogue: INDICATORS,
  });
  const card: Scorecard = result.card;
  return {
    card,
    body: {
      config: { ...config, updatedBy: stored?.updatedBy ?? null, updatedAt: stored?.updatedAt ?? null },
      asOf,
      measureCompletion: result.completionWired ? 'wired' : 'no data',
      notes: result.notes,
      indicators: Object.keys(config.indicatorWeights).map((c) => {
        const i = indicatorOr404(c);
        return { code: c, nameZh: i.zh, nameEn: i.en, weight: config.indicatorWeights[c] };
      }),
      rows: card.rows.map((r) => ({ ...r, values: result.values[r.region] ?? {} })),
    },
  };
}

/** Title, issuer and date of the scorecard's exports. */
export async function scorecardReportMeta(store: Store, cityCode: string, asOf: string) {
  return {
    title: `${(await store.regions.get(cityCode))?.name ?? cityCode}生活性服务业发展绩效考评（区县）`,
    issuer: 'LifeCircle 生活圈',
    asOf,
  };
}
