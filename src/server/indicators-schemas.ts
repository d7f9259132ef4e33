import { Type } from '@sinclair/typebox';

/** Request and response schemas of the indicator and scorecard routes (route-indicators.ts). */

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
export const Code = Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z0-9-]+$' });
export const RegionCode = Type.String({
  pattern: '^[0-9]{2,12}$',
  description: '行政区划代码, 2 to 12 digits',
});
export const DateString = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });
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

export const Value = Type.Object({
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

export const CatalogueEntry = Type.Object({
  code: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  unit: Type.String(),
  unitEn: Type.String(),
  direction: Type.String(),
  kind: Type.String(),
  domain: Type.String(),
  formulaText: Type.String(),
  formulaEn: Type.String(),
  facilityType: Nullable(
    Type.String({ description: 'for a walking-coverage indicator, the facility type whose radius counts' }),
  ),
  owner: Type.String(),
  ownerEn: Type.String(),
  source: Type.Object({
    document: Type.String({ description: 'the title in Chinese' }),
    documentEn: Type.String(),
    clause: Type.String({ description: 'the words quoted, in the document’s language' }),
    verified: Type.Boolean(),
  }),
  definitionVerified: Type.Boolean(),
  values: Type.Array(Value),
});

const TargetSource = Type.Object({
  planId: Type.String({ minLength: 1, maxLength: 200 }),
  targetId: Type.String({ minLength: 1, maxLength: 200 }),
  phrase: Type.String({ maxLength: 500 }),
  sentence: Type.String({ maxLength: 4000 }),
});

export const Target = Type.Object({
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

export const NewTarget = Type.Object(
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

export const Progress = Type.Object({
  target: Target,
  indicator: Type.Object({
    code: Type.String(),
    nameZh: Type.String(),
    nameEn: Type.String(),
    unit: Type.String(),
    unitEn: Type.String(),
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
  note: Type.Union([Type.Literal('no-baseline'), Type.Null()], {
    description:
      "'no-baseline': no value on record yet and no baseline given, so progress cannot be assessed",
  }),
});

export const ConfigBody = Type.Object(
  {
    indicatorWeights: Type.Record(Type.String(), Type.Number({ minimum: 0 })),
    measureWeight: Type.Number({ minimum: 0 }),
  },
  { additionalProperties: false },
);

export const ScorecardBody = Type.Object({
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
  notes: Type.Array(
    Type.Union([
      Type.Object(
        { code: Type.Literal('districts-left-out'), count: Type.Integer() },
        { additionalProperties: false },
      ),
      Type.Object({ code: Type.Literal('measure-not-assigned') }, { additionalProperties: false }),
      Type.Object({ code: Type.Literal('measure-not-connected') }, { additionalProperties: false }),
      Type.Object(
        { code: Type.Literal('indicator-without-target'), indicator: Type.String() },
        { additionalProperties: false },
      ),
      Type.Object({ code: Type.Literal('nothing-scored') }, { additionalProperties: false }),
    ]),
    {
      description:
        'what the reader must know, as codes the client words: districts left out (no value at all), measure completion without data (no assignment yet, or plan tracking not connected), an indicator without a target, no district ranked',
    },
  ),
  indicators: Type.Array(
    Type.Object({ code: Type.String(), nameZh: Type.String(), nameEn: Type.String(), weight: Type.Number() }),
  ),
  rows: Type.Array(
    Type.Object({
      region: Type.String(),
      name: Type.String(),
      rank: Type.Union([Type.Integer(), Type.Null()], {
        description:
          'null: nothing scored for this district (no value with a target, no completion): not ranked',
      }),
      total: Type.Number(),
      indicatorScores: Type.Record(Type.String(), Nullable(Type.Number())),
      values: Type.Record(Type.String(), Nullable(Type.Number())),
      measureScore: Nullable(Type.Number()),
      missing: Type.Array(Type.String(), {
        description: 'not reported: indicator codes, or measureCompletion',
      }),
      noTarget: Type.Array(Type.String(), { description: 'indicator codes with no target in force' }),
    }),
  ),
});

const MeasureKind = Type.Unsafe<'share' | 'per-population' | 'count'>({
  type: 'string',
  enum: ['share', 'per-population', 'count'],
  description: 'a share (覆盖率), a figure per head of population (每千人口), or a count',
});

/** Why an indicator is proposed for a target (src/indicators/propose.ts); the page words each. */
const Evidence = Type.Union([
  Type.Object({
    kind: Type.Literal('name'),
    score: Type.Number({ description: '0..1: how much of the indicator’s name or alias the phrase holds' }),
    alias: Type.String({ description: 'the name or alias matched' }),
    headAgrees: Type.Boolean({
      description: 'the phrase ends in a noun of one of the indicator’s names (what it counts)',
    }),
  }),
  Type.Object({
    kind: Type.Literal('measure'),
    agrees: Nullable(Type.Boolean({ description: 'null: the target does not say what it measures' })),
    target: Nullable(MeasureKind),
    indicator: MeasureKind,
  }),
  Type.Object({
    kind: Type.Literal('facility'),
    agrees: Type.Boolean(),
    facilityType: Type.String({ description: 'the facility type the indicator counts, named in the phrase' }),
  }),
  Type.Object({
    kind: Type.Literal('unit'),
    agrees: Type.Boolean(),
    target: Type.String(),
    indicator: Type.String(),
  }),
  Type.Object({
    kind: Type.Literal('tier'),
    agrees: Type.Boolean(),
    minutes: Type.Number({ description: 'the life circle the text names' }),
    indicatorMinutes: Type.Number({
      description: 'the life circle of the facility type the indicator counts',
    }),
  }),
]);

export const LinkProposal = Type.Object({
  code: Code,
  confidence: Type.Number({ description: '0..1; orders and labels proposals, a person confirms every link' }),
  level: Type.Unsafe<'high' | 'medium' | 'low'>({ type: 'string', enum: ['high', 'medium', 'low'] }),
  evidence: Type.Array(Evidence),
  targetValue: Nullable(
    Type.Number({ description: 'the value the link would set: the level, or baseline + change once known' }),
  ),
  baseline: Nullable(
    Type.Object({
      year: Nullable(Type.Integer({ description: 'the plan’s baseline year; null when it names none' })),
      value: Nullable(
        Type.Number({ description: 'the stored value of the indicator for the city that year' }),
      ),
      date: Nullable(DateString),
    }),
  ),
});
