import { actorOf, recordAudit } from '../audit/index.js';
import { LifeCircleError } from '../errors.js';
import { defineCommand, scopeProblem, type Viewer } from '../policy/index.js';
import type {
  StoredIndicatorTarget,
  StoredIndicatorValue,
  StoredScorecardConfig,
  TargetSource,
} from '../store/index.js';
import { beijingToday, isoNow } from '../time/index.js';
import { INDICATORS, indicatorByCode, type Indicator } from './catalogue.js';
import { indicatorOr404, regionNames } from './queries.js';
import { validateConfig, type ScorecardConfig } from './scorecard.js';

/**
 * The writes of indicators and the scorecard, shared by the API and the CLI: validate → policy → one
 * transaction → one audit record. Computed values are written by the analysis runs (src/analysis), not here.
 */

/**
 * Why this viewer may not report this indicator for this region, or null: the one scope rule (src/policy) for the
 * region — a department reports inside its region only — and the catalogue's owner for the indicator (民政局
 * reports what 民政局 owns). Administrators report anything.
 */
export function reportProblem(viewer: Viewer, indicator: Indicator, regionCode: string): string | null {
  const outside = scopeProblem(viewer, { label: `${indicator.code} for ${regionCode}`, regionCode });
  if (outside)
    return `${viewer.department ?? 'staff'} reports in region ${viewer.regionCode}, not ${regionCode}`;
  if (viewer.role !== 'staff') return null;
  const core = indicator.owner.replace(/(局|委|委员会)$/, '');
  if (viewer.department && !viewer.department.includes(core))
    return `${indicator.zh} is reported by ${indicator.owner}, not ${viewer.department}`;
  return null;
}

async function requireKnownRegion(
  store: Parameters<typeof regionNames>[0],
  cityCode: string,
  regionCode: string,
): Promise<void> {
  if (!(await regionNames(store, cityCode)).has(regionCode))
    throw new LifeCircleError(
      'LC_INVALID_FIELD',
      `regionCode: expected the city ${cityCode} or one of its districts, got ${regionCode}`,
    );
}

export interface ReportValueInput {
  code: string;
  regionCode: string;
  /** YYYY-MM-DD, not in the future (Beijing). */
  date: string;
  value: number;
  note?: string;
}

/** A department reports the value of a reported indicator for a region (the city or a district) and a date. */
export const reportIndicatorValue = defineCommand({
  name: 'indicators.reportValue',
  permission: 'indicators.report',
  async run({ store, clock, cityCode }, viewer, input: ReportValueInput): Promise<StoredIndicatorValue> {
    const indicator = indicatorOr404(input.code);
    const { regionCode, date, value, note } = input;
    if (indicator.kind !== 'reported')
      throw new LifeCircleError(
        'LC_INVALID_FIELD',
        `${indicator.code}: a computed indicator; its values come from the analysis runs, not from reports`,
      );
    await requireKnownRegion(store, cityCode, regionCode);
    if (Number.isNaN(Date.parse(`${date}T00:00:00Z`)) || date > beijingToday(clock))
      throw new LifeCircleError(
        'LC_INVALID_FIELD',
        `date: expected a real day not in the future, got ${date}`,
      );
    const refused = reportProblem(viewer, indicator, regionCode);
    if (refused) throw new LifeCircleError('LC_FORBIDDEN', refused);
    const actor = actorOf(viewer);
    const by = viewer.department ?? actor.name;
    return store.transaction(async (tx) => {
      await tx.indicators.addValues([
        {
          indicatorCode: indicator.code,
          regionCode,
          date,
          value,
          numerator: null,
          denominator: null,
          missing: [],
          provenance: { kind: 'report', by, reportedAt: isoNow(clock), note: note ?? null },
        },
      ]);
      // Newest first: the first row of this date is the one just written.
      const { items } = await tx.indicators.listValues({
        indicatorCode: indicator.code,
        regionCode,
        limit: 5000,
      });
      const row = items.find((v) => v.date === date) as StoredIndicatorValue;
      await recordAudit(tx, actor, {
        action: 'create',
        entity: 'indicator_values',
        key: `${indicator.code}/${regionCode}/${date}`,
        before: null,
        after: { value, note: note ?? null, by },
      });
      return row;
    });
  },
});

export interface SetTargetInput {
  indicatorCode: string;
  regionCode: string;
  targetValue: number;
  comparator: StoredIndicatorTarget['comparator'];
  deadlineYear: number;
  baselineValue?: number;
  baselineDate?: string;
  /** The plan target this confirms, when set from an extracted plan. */
  source?: TargetSource;
}

/** Set (or replace) the target of an indicator for a region and deadline year. */
export const setIndicatorTarget = defineCommand({
  name: 'indicators.setTarget',
  permission: 'indicators.target',
  async run({ store, cityCode }, viewer, body: SetTargetInput): Promise<StoredIndicatorTarget> {
    const indicator = indicatorByCode(body.indicatorCode);
    if (!indicator)
      throw new LifeCircleError(
        'LC_INVALID_FIELD',
        `indicatorCode: '${body.indicatorCode}' is not in the catalogue (GET /api/indicators)`,
      );
    await requireKnownRegion(store, cityCode, body.regionCode);
    if ((body.baselineValue === undefined) !== (body.baselineDate === undefined))
      throw new LifeCircleError(
        'LC_INVALID_FIELD',
        'baselineValue and baselineDate: give both or neither (without them the first value on record is the baseline)',
      );
    if (body.baselineDate && body.baselineDate > `${body.deadlineYear}-12-31`)
      throw new LifeCircleError(
        'LC_INVALID_FIELD',
        `baselineDate: ${body.baselineDate} is after the deadline year ${body.deadlineYear}`,
      );
    const actor = actorOf(viewer);
    return store.transaction(async (tx) => {
      const result = await tx.indicators.upsertTarget({
        indicatorCode: indicator.code,
        regionCode: body.regionCode,
        baselineValue: body.baselineValue ?? null,
        baselineDate: body.baselineDate ?? null,
        targetValue: body.targetValue,
        comparator: body.comparator,
        deadlineYear: body.deadlineYear,
        source: body.source ?? null,
        confirmedBy: actor.name,
      });
      await recordAudit(tx, actor, {
        action: result.before ? 'update' : 'create',
        entity: 'indicator_targets',
        key: String(result.target.id),
        before: result.before,
        after: result.target,
      });
      return result.target;
    });
  },
});

/** Set the scorecard weights (per indicator code, and of measure completion). */
export const configureScorecard = defineCommand({
  name: 'scorecard.configure',
  permission: 'scorecard.configure',
  async run({ store }, viewer, config: ScorecardConfig): Promise<StoredScorecardConfig> {
    validateConfig(config, INDICATORS);
    const actor = actorOf(viewer);
    return store.transaction(async (tx) => {
      const before = await tx.indicators.scorecardConfig();
      const after = await tx.indicators.setScorecardConfig({
        indicatorWeights: config.indicatorWeights,
        measureWeight: config.measureWeight,
        updatedBy: actor.name,
      });
      await recordAudit(tx, actor, {
        action: before ? 'update' : 'create',
        entity: 'scorecard_config',
        key: 'district',
        before,
        after,
      });
      return after;
    });
  },
});
