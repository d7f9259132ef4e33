import { Type, type Static } from '@sinclair/typebox';
import { LifeCircleError } from '../errors.js';
import {
  INDICATORS,
  assessProgress,
  buildScorecard,
  chartPoints,
  indicatorByCode,
  scorecardToHtml,
  scorecardToXlsx,
  suggestIndicators,
  trajectoryValue,
  validateConfig,
  type DistrictInput,
  type Indicator,
  type Observation,
  type Scorecard,
  type ScorecardConfig,
} from '../indicators/index.js';
import type { Region, StoredIndicatorTarget, StoredIndicatorValue, Store } from '../store/index.js';
import { actorOf } from './auth.js';
import type { Viewer } from '../policy/index.js';
import type { RouteContext, RoutePlugin } from './route-context.js';
import { ERRORS } from './route-context.js';
import { beijingToday } from '../time/index.js';

/**
 * Indicators, targets, progress and the district scorecard (issue 5 part B). Computed values are written by the
 * engine with each coverage run (src/analysis/indicators.ts); departments report the reported ones here.
 */

export interface IndicatorRouteOptions {
  /**
   * Share of each district's assigned measures completed and accepted (district code → 0..1), from plan
   * tracking. Without it the scorecard shows measure completion as "no data" and says so.
   */
  measureCompletion?: () => Promise<Map<string, number>>;
}

/** Weights when the coordinator has not configured any: the computed coverage indicators and measures, equally. */
export const DEFAULT_SCORECARD_CONFIG: ScorecardConfig = {
  indicatorWeights: {
    'community-childcare-coverage': 1,
    'community-elderly-care-coverage': 1,
    'elderly-meal-coverage': 1,
  },
  measureWeight: 1,
};

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Code = Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z0-9-]+$' });
const RegionCode = Type.String({ pattern: '^[0-9]{2,12}$', description: '行政区划代码, 2 to 12 digits' });
const DateString = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });
const Comparator = Type.Unsafe<'eq' | 'gte' | 'gt' | 'lte' | 'lt'>({
  type: 'string',
  enum: ['eq', 'gte', 'gt', 'lte', 'lt'],
});

const Provenance = Type.Union([
  Type.Object({ kind: Type.Literal('analysis'), runId: Type.Integer() }),
  Type.Object({
    kind: Type.Literal('report'),
    by: Type.String(),
    reportedAt: Type.String(),
    note: Nullable(Type.String()),
  }),
]);

const Value = Type.Object({
  id: Type.Integer(),
  indicatorCode: Type.String(),
  regionCode: Type.String(),
  regionName: Type.String(),
  date: Type.String(),
  value: Nullable(Type.Number()),
  numerator: Nullable(Type.Number()),
  denominator: Nullable(Type.Number()),
  missing: Type.Array(Type.String()),
  provenance: Provenance,
  recordedAt: Type.String(),
});

const CatalogueEntry = Type.Object({
  code: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  unit: Type.String(),
  direction: Type.String(),
  kind: Type.String(),
  domain: Type.String(),
  formulaText: Type.String(),
  owner: Type.String(),
  source: Type.Object({ document: Type.String(), clause: Type.String(), verified: Type.Boolean() }),
  definitionVerified: Type.Boolean(),
  values: Type.Array(Value),
});

const TargetSource = Type.Object({
  planId: Type.String({ minLength: 1, maxLength: 200 }),
  targetId: Type.String({ minLength: 1, maxLength: 200 }),
  phrase: Type.String({ maxLength: 500 }),
  sentence: Type.String({ maxLength: 4000 }),
});

const Target = Type.Object({
  id: Type.Integer(),
  indicatorCode: Type.String(),
  regionCode: Type.String(),
  regionName: Type.String(),
  baselineValue: Nullable(Type.Number()),
  baselineDate: Nullable(Type.String()),
  targetValue: Type.Number(),
  comparator: Type.String(),
  deadlineYear: Type.Integer(),
  source: Nullable(TargetSource),
  confirmedBy: Type.String(),
  confirmedAt: Type.String(),
});

const NewTarget = Type.Object(
  {
    indicatorCode: Code,
    regionCode: RegionCode,
    targetValue: Type.Number(),
    comparator: Comparator,
    deadlineYear: Type.Integer({ minimum: 2000, maximum: 2100 }),
    baselineValue: Type.Optional(Type.Number()),
    baselineDate: Type.Optional(DateString),
    source: Type.Optional(TargetSource),
  },
  { additionalProperties: false },
);

const Progress = Type.Object({
  target: Target,
  indicator: Type.Object({
    code: Type.String(),
    nameZh: Type.String(),
    nameEn: Type.String(),
    unit: Type.String(),
  }),
  baseline: Nullable(Type.Object({ date: Type.String(), value: Type.Number() })),
  latest: Nullable(Value),
  trajectoryToday: Nullable(Type.Number()),
  status: Type.String(),
  ratio: Nullable(Type.Number()),
  achieved: Nullable(Type.Number()),
  warnings: Type.Array(
    Type.Object({ kind: Type.String(), message: Type.String(), messageZh: Type.String() }),
  ),
  chart: Type.Array(
    Type.Object({ date: Type.String(), expected: Type.Number(), actual: Nullable(Type.Number()) }),
  ),
  note: Nullable(Type.String()),
});

const ConfigBody = Type.Object(
  {
    indicatorWeights: Type.Record(Type.String(), Type.Number({ minimum: 0 })),
    measureWeight: Type.Number({ minimum: 0 }),
  },
  { additionalProperties: false },
);

const ScorecardBody = Type.Object({
  config: Type.Object({
    indicatorWeights: Type.Record(Type.String(), Type.Number()),
    measureWeight: Type.Number(),
    updatedBy: Nullable(Type.String()),
    updatedAt: Nullable(Type.String()),
  }),
  asOf: Type.String(),
  measureCompletion: Type.String({
    description:
      "'wired', or 'no data' (plan tracking not connected, or no measure assigned to a district yet)",
  }),
  notes: Type.Array(Type.String()),
  indicators: Type.Array(
    Type.Object({ code: Type.String(), nameZh: Type.String(), nameEn: Type.String(), weight: Type.Number() }),
  ),
  rows: Type.Array(
    Type.Object({
      region: Type.String(),
      name: Type.String(),
      rank: Type.Integer(),
      total: Type.Number(),
      indicatorScores: Type.Record(Type.String(), Nullable(Type.Number())),
      values: Type.Record(Type.String(), Nullable(Type.Number())),
      measureScore: Nullable(Type.Number()),
      missing: Type.Array(Type.String()),
    }),
  ),
});

/** Which service domain an indicator belongs to, for grouping on the board (from its owner department). */
export function indicatorDomain(indicator: Indicator): string {
  if (/托|幼儿园/.test(indicator.zh)) return 'childcare-education';
  if (/养老|老年|日间照料/.test(indicator.zh)) return 'elderly-care';
  if (/医师|护士/.test(indicator.zh)) return 'health';
  if (/体育|文化/.test(indicator.zh)) return 'culture-sport';
  return 'convenience';
}

function presentIndicator(i: Indicator) {
  return {
    code: i.code,
    nameZh: i.zh,
    nameEn: i.en,
    unit: i.unit,
    direction: i.direction,
    kind: i.kind,
    domain: indicatorDomain(i),
    formulaText: i.formulaText,
    owner: i.owner,
    source: i.source,
    definitionVerified: i.definitionVerified,
  };
}

function indicatorOr404(code: string): Indicator {
  const indicator = indicatorByCode(code);
  if (!indicator) throw new LifeCircleError('LC_NOT_FOUND', `indicator '${code}' is not in the catalogue`);
  return indicator;
}

/** The city and its districts, city first: the regions indicators are kept for. */
async function regionsOf(store: Store, cityCode: string): Promise<Region[]> {
  const city = (await store.regions.get(cityCode)) ?? {
    code: cityCode,
    name: cityCode,
    level: 'city' as const,
    parentCode: null,
  };
  const districts = await store.regions.list({ level: 'district', within: cityCode, limit: 1000 });
  return [city, ...districts.items];
}

type Names = Map<string, string>;
const presentValue = (v: StoredIndicatorValue, names: Names) => ({
  ...v,
  regionName: names.get(v.regionCode) ?? v.regionCode,
});
const presentTarget = (t: StoredIndicatorTarget, names: Names) => ({
  ...t,
  regionName: names.get(t.regionCode) ?? t.regionCode,
});

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

/** Staff report only inside their region and only indicators their department owns (e.g. 民政局 → 民政). */
function reportScopeProblem(viewer: Viewer, indicator: Indicator, regionCode: string): string | null {
  if (viewer.role !== 'staff') return null;
  if (viewer.regionCode && !regionCode.startsWith(viewer.regionCode))
    return `${viewer.department ?? 'staff'} reports in region ${viewer.regionCode}, not ${regionCode}`;
  const core = indicator.owner.replace(/(局|委|委员会)$/, '');
  if (viewer.department && !viewer.department.includes(core))
    return `${indicator.zh} is reported by ${indicator.owner}, not ${viewer.department}`;
  return null;
}

export const indicatorRoutes: RoutePlugin<RouteContext & IndicatorRouteOptions> = async (app, ctx) => {
  const { store, cityCode } = ctx;
  const today = (): string => beijingToday(ctx.clock);
  const names = async (): Promise<Names> =>
    new Map((await regionsOf(store, cityCode)).map((r) => [r.code, r.name]));

  app.get(
    '/api/indicators',
    {
      config: { permission: 'indicators.read' },
      schema: {
        tags: ['indicators'],
        summary:
          'The indicator catalogue with the latest value of each indicator for the city and each district',
        response: {
          200: Type.Object({
            regions: Type.Array(
              Type.Object({ code: Type.String(), name: Type.String(), level: Type.String() }),
            ),
            items: Type.Array(CatalogueEntry),
          }),
          ...ERRORS,
        },
      },
    },
    async () => {
      const regions = await regionsOf(store, cityCode);
      const n: Names = new Map(regions.map((r) => [r.code, r.name]));
      const latest = await store.indicators.latestValues();
      return {
        regions: regions.map((r) => ({ code: r.code, name: r.name, level: r.level })),
        items: INDICATORS.map((i) => ({
          ...presentIndicator(i),
          values: latest.filter((v) => v.indicatorCode === i.code).map((v) => presentValue(v, n)),
        })),
      };
    },
  );

  app.get(
    '/api/indicators/suggest',
    {
      config: { permission: 'indicators.read' },
      schema: {
        tags: ['indicators'],
        summary:
          'Indicators of the catalogue that a target phrase (from a plan) probably measures, best first',
        querystring: Type.Object({
          phrase: Type.String({ minLength: 1, maxLength: 200 }),
          unit: Type.Optional(Type.String({ maxLength: 20 })),
        }),
        response: {
          200: Type.Array(
            Type.Object({
              code: Type.String(),
              nameZh: Type.String(),
              nameEn: Type.String(),
              score: Type.Number(),
              reason: Type.String(),
            }),
          ),
          ...ERRORS,
        },
      },
    },
    async (request) => {
      const { phrase, unit } = request.query;
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
    },
  );

  app.get(
    '/api/indicators/:code/values',
    {
      config: { permission: 'indicators.read' },
      schema: {
        tags: ['indicators'],
        summary: 'Every stored value of one indicator (history), newest first, with provenance',
        params: Type.Object({ code: Code }),
        querystring: Type.Object({ region: Type.Optional(RegionCode) }),
        response: { 200: Type.Object({ indicator: CatalogueEntry, items: Type.Array(Value) }), ...ERRORS },
      },
    },
    async (request) => {
      const indicator = indicatorOr404(request.params.code);
      const n = await names();
      const { items } = await store.indicators.listValues({
        indicatorCode: indicator.code,
        regionCode: request.query.region,
        limit: 5000,
      });
      const shown = items.map((v) => presentValue(v, n));
      return { indicator: { ...presentIndicator(indicator), values: [] }, items: shown };
    },
  );

  app.post(
    '/api/indicators/:code/values',
    {
      config: { permission: 'indicators.report' },
      schema: {
        tags: ['indicators'],
        summary: 'A department reports the value of a reported indicator for a region and date',
        params: Type.Object({ code: Code }),
        body: Type.Object(
          {
            regionCode: RegionCode,
            date: DateString,
            value: Type.Number(),
            note: Type.Optional(Type.String({ maxLength: 1000 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Value, ...ERRORS },
      },
    },
    async (request, reply) => {
      const indicator = indicatorOr404(request.params.code);
      const { regionCode, date, value, note } = request.body;
      if (indicator.kind !== 'reported')
        throw new LifeCircleError(
          'LC_INVALID_FIELD',
          `${indicator.code}: a computed indicator; its values come from the analysis runs, not from reports`,
        );
      const n = await names();
      if (!n.has(regionCode))
        throw new LifeCircleError(
          'LC_INVALID_FIELD',
          `regionCode: expected the city ${cityCode} or one of its districts, got ${regionCode}`,
        );
      if (Number.isNaN(Date.parse(`${date}T00:00:00Z`)) || date > today())
        throw new LifeCircleError(
          'LC_INVALID_FIELD',
          `date: expected a real day not in the future, got ${date}`,
        );
      const scope = reportScopeProblem(request.viewer, indicator, regionCode);
      if (scope) throw new LifeCircleError('LC_FORBIDDEN', scope);
      const actor = actorOf(request.viewer);
      const stored = await store.transaction(async (tx) => {
        const reportedAt = ctx.clock().toISOString();
        await tx.indicators.addValues([
          {
            indicatorCode: indicator.code,
            regionCode,
            date,
            value,
            numerator: null,
            denominator: null,
            missing: [],
            provenance: {
              kind: 'report',
              by: request.viewer.department ?? actor.name,
              reportedAt,
              note: note ?? null,
            },
          },
        ]);
        // Newest first: the first row of this date is the one just written.
        const { items } = await tx.indicators.listValues({
          indicatorCode: indicator.code,
          regionCode,
          limit: 5000,
        });
        const row = items.find((v) => v.date === date) as StoredIndicatorValue;
        await tx.audit.record({
          actorId: actor.userId,
          actorName: actor.name,
          action: 'create',
          entity: 'indicator_values',
          entityKey: `${indicator.code}/${regionCode}/${date}`,
          before: null,
          after: { value, note: note ?? null, by: request.viewer.department ?? actor.name },
        });
        return row;
      });
      return reply.status(201).send(presentValue(stored, n));
    },
  );

  app.get(
    '/api/indicator-targets',
    {
      config: { permission: 'indicators.read' },
      schema: {
        tags: ['indicators'],
        summary: 'Targets set for indicators, per region and deadline year',
        querystring: Type.Object({ indicator: Type.Optional(Code), region: Type.Optional(RegionCode) }),
        response: { 200: Type.Array(Target), ...ERRORS },
      },
    },
    async (request) => {
      const n = await names();
      const targets = await store.indicators.listTargets({
        indicatorCode: request.query.indicator,
        regionCode: request.query.region,
      });
      return targets.map((t) => presentTarget(t, n));
    },
  );

  app.post(
    '/api/indicator-targets',
    {
      config: { permission: 'indicators.target' },
      schema: {
        tags: ['indicators'],
        summary:
          'Set (or replace) the target of an indicator for a region and deadline year, optionally confirming a plan target',
        body: NewTarget,
        response: { 201: Target, ...ERRORS },
      },
    },
    async (request, reply) => {
      const body: Static<typeof NewTarget> = request.body;
      const indicator = indicatorByCode(body.indicatorCode);
      if (!indicator)
        throw new LifeCircleError(
          'LC_INVALID_FIELD',
          `indicatorCode: '${body.indicatorCode}' is not in the catalogue (GET /api/indicators)`,
        );
      const n = await names();
      if (!n.has(body.regionCode))
        throw new LifeCircleError(
          'LC_INVALID_FIELD',
          `regionCode: expected the city ${cityCode} or one of its districts, got ${body.regionCode}`,
        );
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
      const actor = actorOf(request.viewer);
      const { target } = await store.transaction(async (tx) => {
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
        await tx.audit.record({
          actorId: actor.userId,
          actorName: actor.name,
          action: result.before ? 'update' : 'create',
          entity: 'indicator_targets',
          entityKey: String(result.target.id),
          before: result.before,
          after: result.target,
        });
        return result;
      });
      return reply.status(201).send(presentTarget(target, n));
    },
  );

  app.get(
    '/api/indicators/progress',
    {
      config: { permission: 'indicators.read' },
      schema: {
        tags: ['indicators'],
        summary:
          'Progress of each target: baseline, latest value, the straight trajectory today, status and early warnings',
        querystring: Type.Object({ region: Type.Optional(RegionCode), indicator: Type.Optional(Code) }),
        response: { 200: Type.Array(Progress), ...ERRORS },
      },
    },
    async (request) => {
      const n = await names();
      const targets = await store.indicators.listTargets({
        regionCode: request.query.region,
        indicatorCode: request.query.indicator,
      });
      const asOf = today();
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
          ? assessProgress({
              direction: indicator.direction,
              baseline,
              target: goal,
              observations: points,
              asOf,
            })
          : null;
        const latest = obs[obs.length - 1] ?? null;
        out.push({
          target: presentTarget(t, n),
          indicator: {
            code: indicator.code,
            nameZh: indicator.zh,
            nameEn: indicator.en,
            unit: indicator.unit,
          },
          baseline,
          latest: latest ? presentValue(latest, n) : null,
          trajectoryToday: baseline ? trajectoryValue(baseline, goal, asOf) : null,
          status: assessment?.status ?? 'no-data',
          ratio: assessment?.ratio ?? null,
          achieved: assessment?.achieved ?? null,
          warnings: assessment?.warnings ?? [],
          chart: baseline ? chartPoints(baseline, goal, points) : [],
          note: baseline ? null : 'no value on record yet and no baseline given: progress cannot be assessed',
        });
      }
      return out;
    },
  );

  /** The scorecard over the districts: latest values against the district's target, else the city's. */
  async function scorecard(): Promise<{ card: Scorecard; body: Static<typeof ScorecardBody> }> {
    const stored = await store.indicators.scorecardConfig();
    const config: ScorecardConfig = stored
      ? { indicatorWeights: stored.indicatorWeights, measureWeight: stored.measureWeight }
      : DEFAULT_SCORECARD_CONFIG;
    const regions = await regionsOf(store, cityCode);
    const latest = await store.indicators.latestValues();
    // Districts outside the analysed area (no value of any indicator) would only fill the ranking with zeros.
    const withData = new Set(latest.map((v) => v.regionCode));
    const all = regions.slice(1);
    const districts = withData.size > 0 ? all.filter((d) => withData.has(d.code)) : all;
    const targets = await store.indicators.listTargets();
    const asOf = today();
    const tracked = ctx.measureCompletion ? await ctx.measureCompletion() : null;
    // No district with an assignment yet is the same as no data: nothing to score completion on.
    const completion = tracked && tracked.size > 0 ? tracked : null;
    const codes = Object.keys(config.indicatorWeights);
    const notes: string[] = [];
    if (districts.length < all.length)
      notes.push(
        `${all.length - districts.length} 个区县无任何指标数据，未列入 / ${all.length - districts.length} districts without any indicator value are left out`,
      );
    if (!completion && tracked && config.measureWeight > 0)
      notes.push(
        '任务完成率：尚无分解到区县的任务，计 0 分 / measure completion: no measure is assigned to a district yet; scored 0',
      );
    else if (!completion && config.measureWeight > 0)
      notes.push(
        '任务完成率：无数据（未接入规划任务跟踪），计 0 分 / measure completion: no data (plan tracking is not connected to this server); scored 0',
      );
    /** The target in force: the earliest deadline not yet passed, else the latest. */
    const targetFor = (code: string, region: string): StoredIndicatorTarget | undefined => {
      const own = targets.filter((t) => t.indicatorCode === code && t.regionCode === region);
      const open = own
        .filter((t) => `${t.deadlineYear}-12-31` >= asOf)
        .sort((a, b) => a.deadlineYear - b.deadlineYear);
      return open[0] ?? own.sort((a, b) => b.deadlineYear - a.deadlineYear)[0];
    };
    for (const code of codes)
      if (!targetFor(code, cityCode) && !districts.some((d) => targetFor(code, d.code)))
        notes.push(
          `${indicatorByCode(code)?.zh ?? code}：未设定目标，各区县该项计 0 分 / no target set; every district scores 0 on it`,
        );
    const values: Record<string, Record<string, number | null>> = {};
    const inputs: DistrictInput[] = districts.map((d) => {
      const indicators: DistrictInput['indicators'] = {};
      values[d.code] = {};
      for (const code of codes) {
        const v = latest.find((x) => x.indicatorCode === code && x.regionCode === d.code);
        values[d.code][code] = v?.value ?? null;
        const t = targetFor(code, d.code) ?? targetFor(code, cityCode);
        if (t)
          indicators[code] = { value: v?.value ?? null, target: t.targetValue, baseline: t.baselineValue };
      }
      return { region: d.code, name: d.name, indicators, measureCompletion: completion?.get(d.code) ?? null };
    });
    const card = buildScorecard(inputs, config, INDICATORS);
    return {
      card,
      body: {
        config: { ...config, updatedBy: stored?.updatedBy ?? null, updatedAt: stored?.updatedAt ?? null },
        asOf,
        measureCompletion: completion ? 'wired' : 'no data',
        notes,
        indicators: codes.map((c) => {
          const i = indicatorOr404(c);
          return { code: c, nameZh: i.zh, nameEn: i.en, weight: config.indicatorWeights[c] };
        }),
        rows: card.rows.map((r) => ({ ...r, values: values[r.region] ?? {} })),
      },
    };
  }

  const reportMeta = async (asOf: string) => ({
    title: `${(await store.regions.get(cityCode))?.name ?? cityCode}生活性服务业发展绩效考评（区县）`,
    issuer: 'LifeCircle 生活圈',
    asOf,
  });

  app.get(
    '/api/scorecard',
    {
      config: { permission: 'scorecard.read' },
      schema: {
        tags: ['scorecard'],
        summary: 'The district scorecard: weighted indicator achievement and measure completion, ranked',
        querystring: Type.Object({ level: Type.Optional(Type.Literal('district')) }),
        response: { 200: ScorecardBody, ...ERRORS },
      },
    },
    async () => (await scorecard()).body,
  );

  app.put(
    '/api/scorecard/config',
    {
      config: { permission: 'scorecard.configure' },
      schema: {
        tags: ['scorecard'],
        summary: 'Set the scorecard weights (per indicator code, and of measure completion)',
        body: ConfigBody,
        response: { 200: ScorecardBody, ...ERRORS },
      },
    },
    async (request) => {
      const config: ScorecardConfig = request.body;
      validateConfig(config, INDICATORS);
      const actor = actorOf(request.viewer);
      await store.transaction(async (tx) => {
        const before = await tx.indicators.scorecardConfig();
        const after = await tx.indicators.setScorecardConfig({ ...config, updatedBy: actor.name });
        await tx.audit.record({
          actorId: actor.userId,
          actorName: actor.name,
          action: before ? 'update' : 'create',
          entity: 'scorecard_config',
          entityKey: 'district',
          before,
          after,
        });
      });
      return (await scorecard()).body;
    },
  );

  app.get(
    '/api/scorecard/export.xlsx',
    {
      config: { permission: 'scorecard.read' },
      schema: { tags: ['scorecard'], summary: 'The scorecard as an XLSX workbook (考评结果, 权重, 说明)' },
    },
    async (_request, reply) => {
      const { card, body } = await scorecard();
      const xlsx = await scorecardToXlsx(card, INDICATORS, await reportMeta(body.asOf));
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="scorecard-${body.asOf}.xlsx"`)
        .send(xlsx);
    },
  );

  app.get(
    '/api/scorecard/export.html',
    {
      config: { permission: 'scorecard.read' },
      schema: {
        tags: ['scorecard'],
        summary: 'The scorecard as a printable HTML report (A4 landscape; print to PDF)',
      },
    },
    async (_request, reply) => {
      const { card, body } = await scorecard();
      const html = scorecardToHtml(card, INDICATORS, await reportMeta(body.asOf));
      return reply.header('content-type', 'text/html; charset=utf-8').send(html);
    },
  );
};
