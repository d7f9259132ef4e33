import { Type, type Static, type TObject, type TProperties, type TSchema } from '@sinclair/typebox';
import type { FastifySchemaValidationError } from 'fastify';
import { LifeCircleError, type ErrorCode } from '../errors.js';
import type {
  AdminLevel,
  Comparator,
  Conflict as PlanConflict,
  CorrectionOp,
  DateMention,
  NumberStyle,
  ReportStatus,
  Reminder,
  Responsibility,
  RiskReason,
  Stage,
  Target,
  TextEncoding,
  UnitMention,
  UnitStatus,
} from '../plans/index.js';
import { literals, Nullable, Page, PageQuery } from './schemas.js';

/**
 * Request and response schemas of the plan routes (route-plans.ts). The shapes are the plan domain's
 * (src/plans/types.ts, corrections.ts, tracking.ts, src/store/plans-types.ts), field for field: the serializer
 * sends exactly what is declared here.
 */

const ADMIN_LEVELS = ['省', '市', '区', '县', '镇', '街道'] as const satisfies readonly AdminLevel[];
const NUMBER_STYLES = [
  'chinese-dun',
  'chinese-paren',
  'article',
  'arabic-dot',
  'arabic-paren',
  'circled',
  'lost',
] as const satisfies readonly NumberStyle[];
const ENCODINGS = ['utf-8', 'gb18030', 'utf-16le', 'utf-16be'] as const satisfies readonly TextEncoding[];
const UNIT_STATUSES = ['known', 'government', 'generic', 'unknown'] as const satisfies readonly UnitStatus[];
const UNIT_ROLES = ['lead', 'co', 'unspecified'] as const satisfies readonly UnitMention['role'][];
const COMPARATORS = ['eq', 'gte', 'gt', 'lte', 'lt'] as const satisfies readonly Comparator[];
const REPORT_STATUSES = ['in-progress', 'completed', 'blocked'] as const satisfies readonly ReportStatus[];
const STAGES = [
  'not-started',
  'in-progress',
  'awaiting-review',
  'returned',
  'done',
] as const satisfies readonly Stage[];
const RISK_REASONS = [
  'due-soon',
  'blocked',
  'returned',
  'report-due',
] as const satisfies readonly RiskReason[];
const REMINDER_KINDS = ['overdue', ...RISK_REASONS] as const satisfies readonly Reminder['kind'][];
const CONFLICT_KINDS = [
  'missing',
  'changed',
  'duplicate-id',
] as const satisfies readonly PlanConflict['kind'][];
const SOURCES = ['inline', 'table', 'correction'] as const satisfies readonly Responsibility['source'][];
const DATE_ROLES = ['issued', 'published', 'mentioned'] as const satisfies readonly DateMention['role'][];
const DEADLINE_SOURCES = ['clause', 'paragraph', 'section', 'plan'] as const satisfies readonly NonNullable<
  Target['deadlineSource']
>[];
/** The correction operations, in the order of the body union's branches. */
const CORRECTION_OPS = [
  'set-measure',
  'add-measure',
  'remove-measure',
  'add-unit',
  'set-unit',
  'remove-unit',
  'add-target',
  'set-target',
  'remove-target',
] as const satisfies readonly CorrectionOp['op'][];

const Day = (description: string) => Type.String({ description: `${description} (YYYY-MM-DD)` });
const Instant = (description: string) => Type.String({ description: `${description} (ISO date-time)` });

// --- requests ---

export const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });
export const PlanParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
export const PlansQuery = Type.Object(PageQuery);
export const RemindersQuery = Type.Object({ ...PageQuery, asOf: Type.Optional(IsoDate) });
export const CompletionQuery = Type.Object({
  level: literals(['district'] as const),
  asOf: Type.Optional(IsoDate),
});
export const AssignmentsQuery = Type.Object({
  ...PageQuery,
  plan: Type.Optional(Type.String({ maxLength: 64 })),
  asOf: Type.Optional(IsoDate),
  attention: Type.Optional(
    Type.Boolean({ description: 'only the assignments overdue or at risk on the day asked' }),
  ),
  stage: Type.Optional(
    literals(['not-started', 'in-progress', 'awaiting-review', 'returned'] as const, {
      description:
        'only the open assignments in this stage on the day asked (e.g. awaiting-review: to review)',
    }),
  ),
});
export const ImportQuery = Type.Object({
  fileName: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
});

/** The media types a plan file is sent as; a .txt sent as text/plain is bytes too (often GBK). */
export const PLAN_FILE_MEDIA_TYPES = [
  'application/octet-stream',
  'text/plain',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
];

/** A plan pasted as text (application/json). */
const PastedPlan = Type.Object(
  {
    text: Type.String({ minLength: 1, description: 'the plan’s text as pasted' }),
    title: Type.Optional(Type.String({ maxLength: 200, description: 'names the document: `<title>.txt`' })),
  },
  { additionalProperties: false, description: 'A plan pasted as text' },
);

/**
 * The body of a plan import, per media type: JSON is a pasted text (validated by its schema); the file types
 * arrive as the file's bytes (a Buffer from the route's content-type parser), checked by the decoder. Without a
 * body (no content type) nothing arrives at all.
 */
export const PlanImportBody = Type.Unsafe<Static<typeof PastedPlan> | Buffer | undefined>({
  content: {
    'application/json': { schema: PastedPlan },
    ...Object.fromEntries(
      PLAN_FILE_MEDIA_TYPES.map((type) => [
        type,
        { schema: { description: 'the .txt (UTF-8, GBK …) or .docx file' } },
      ]),
    ),
  },
});

export const AssignBody = Type.Object(
  { startDate: Type.Optional(IsoDate), defaultDueDate: Type.Optional(IsoDate) },
  { additionalProperties: false },
);

export const EvidenceFile = Type.Object(
  {
    fileName: Type.String({ minLength: 1, maxLength: 200 }),
    mediaType: Type.String({ maxLength: 200 }),
    bytes: Type.Integer({ minimum: 0 }),
    sha256: Type.String({ pattern: '^[0-9a-f]{64}$', description: 'SHA-256 of the file, lowercase hex' }),
  },
  {
    additionalProperties: false,
    description: 'Metadata of an evidence file; the file itself is kept elsewhere',
  },
);

export const AssignmentParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 300 }) });
export const ReportBody = Type.Object(
  {
    status: literals(REPORT_STATUSES),
    // Number first, as before: with type coercion on, a null-first union would turn a value of 0 into null.
    value: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
    narrative: Type.String({ maxLength: 4000 }),
    evidence: Type.Optional(Type.Array(EvidenceFile, { maxItems: 20 })),
    submittedAt: Type.Optional(IsoDate),
  },
  { additionalProperties: false },
);

export const ReportParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
export const ReviewBody = Type.Object(
  {
    decision: literals(['accepted', 'returned'] as const),
    comment: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);

// --- corrections (request body and stored form) ---

const ItemId = (description: string) => Type.String({ minLength: 1, maxLength: 200, description });
const Fingerprint = (of: string) =>
  Type.String({
    minLength: 1,
    maxLength: 64,
    description: `fingerprint of ${of} as the corrector saw it (from the plan's \`fingerprints\`)`,
  });
const MeasureTitle = Type.String({ maxLength: 500 });
const MeasureText = Type.String({ minLength: 1, maxLength: 20000 });
const UnitName = Type.String({ minLength: 1, maxLength: 200, description: 'the unit as it should read' });
const UnitRole = literals(UNIT_ROLES);

const Relative = Type.Object(
  {
    baselineYear: Nullable(
      Type.Integer({
        description: 'the year compared with (比2020年); null when none is written (提高5个百分点)',
      }),
    ),
    change: literals(['increase', 'decrease'] as const),
    // Optional: plans imported before the kind was read (and corrections made then) have none; read it as absolute.
    kind: Type.Optional(
      literals(['absolute', 'points', 'percent', 'multiple'] as const, {
        description:
          'how the value applies to the baseline: absolute ± value (比2020年增加200人), points ± percentage points ' +
          '(提高5个百分点), percent × (1 ± value/100) (增长10%), multiple × value (翻一番 = 2); absent: absolute',
      }),
    ),
  },
  {
    additionalProperties: false,
    description: '比2020年增加200人以上 → { baselineYear: 2020, change: increase, kind: absolute }',
  },
);
/** The fields of a target a person may set (TargetFields of src/plans/corrections.ts). */
const targetFields = {
  phrase: Type.String({ description: 'the indicator phrase, e.g. 普惠性幼儿园覆盖率' }),
  comparator: literals(COMPARATORS),
  value: Type.Number(),
  valueMax: Nullable(Type.Number({ description: 'upper bound of a range (1-3家)' })),
  unit: Type.String(),
  deadlineYear: Nullable(Type.Integer()),
  scope: Nullable(Type.String({ description: '全市, 每县, 农村 …' })),
  relative: Nullable(Relative),
  aspirational: Type.Boolean({ description: '力争' }),
  gradual: Type.Boolean({ description: '逐步' }),
};
const { phrase, comparator, value, unit, ...optionalTargetFields } = targetFields;
const NewTarget = Type.Object(
  { phrase, comparator, value, unit, ...Type.Partial(Type.Object(optionalTargetFields)).properties },
  { additionalProperties: false },
);
const TargetChanges = Type.Partial(Type.Object(targetFields), { additionalProperties: false });

/**
 * One correction operation: `fields` the corrector sends; `filled`, fields the server fills when they are left
 * out (fingerprints from the plan as it is now, new ids, no parent); both are stored.
 */
function operation<O extends (typeof CORRECTION_OPS)[number], F extends TProperties, S extends TProperties>(
  op: O,
  description: string,
  fields: F,
  filled: S,
) {
  const note = Type.Optional(Type.String({ maxLength: 2000, description: 'why, in a few words' }));
  return {
    sent: Type.Object(
      { op: Type.Literal(op), ...fields, ...Type.Partial(Type.Object(filled)).properties, note },
      { additionalProperties: false, description },
    ),
    stored: Type.Object(
      {
        op: Type.Literal(op),
        ...fields,
        ...filled,
        id: Type.String(),
        author: Type.Optional(Type.String({ description: 'who made it; for government viewers only' })),
        at: Instant('when it was made'),
        note,
      },
      { description },
    ),
  };
}

/**
 * The server fills `measureExpect` whenever the correction names a measure it finds, also on set-measure and
 * remove-measure (where `expect` is the measure's): stored, and sent back as it is.
 */
function withMeasureExpect<S extends TSchema, P extends TProperties>({
  sent,
  stored,
}: {
  sent: S;
  stored: TObject<P>;
}) {
  const measureExpect = Type.Optional(Fingerprint('the measure; the same as `expect` here'));
  return {
    sent,
    stored: Type.Object({ ...stored.properties, measureExpect }, { description: stored.description }),
  };
}

const Operations = [
  withMeasureExpect(
    operation(
      'set-measure',
      'Change the title or text of a measure',
      {
        measureId: ItemId('the measure, e.g. m2.1'),
        title: Type.Optional(Nullable(MeasureTitle)),
        text: Type.Optional(MeasureText),
      },
      { expect: Fingerprint('the measure') },
    ),
  ),
  operation(
    'add-measure',
    'Add a measure the extraction missed, at the top or under a parent',
    { title: Nullable(MeasureTitle), text: MeasureText },
    {
      parentId: Nullable(ItemId('the parent measure; null: a top-level measure')),
      parentExpect: Nullable(Fingerprint('the parent measure')),
      newId: ItemId('the new measure’s id; made up when left out'),
    },
  ),
  withMeasureExpect(
    operation(
      'remove-measure',
      'Remove a measure that is not one',
      { measureId: ItemId('the measure') },
      { expect: Fingerprint('the measure') },
    ),
  ),
  operation(
    'add-unit',
    'Add a responsible unit to a measure',
    { measureId: ItemId('the measure'), name: UnitName, role: UnitRole },
    { measureExpect: Fingerprint('the measure') },
  ),
  operation(
    'set-unit',
    'Rename a responsible unit or change its role',
    {
      measureId: ItemId('the measure'),
      unitKey: ItemId('the unit’s key'),
      role: Type.Optional(UnitRole),
      name: Type.Optional(UnitName),
    },
    { measureExpect: Fingerprint('the measure'), expect: Fingerprint('the unit') },
  ),
  operation(
    'remove-unit',
    'Remove a responsible unit from a measure',
    { measureId: ItemId('the measure'), unitKey: ItemId('the unit’s key') },
    { measureExpect: Fingerprint('the measure'), expect: Fingerprint('the unit') },
  ),
  operation(
    'add-target',
    'Add a quantified target to a measure',
    { measureId: ItemId('the measure'), target: NewTarget },
    {
      measureExpect: Fingerprint('the measure'),
      newId: ItemId('the new target’s id; made up when left out'),
    },
  ),
  operation(
    'set-target',
    'Change fields of a quantified target',
    { targetId: ItemId('the target'), changes: TargetChanges },
    { expect: Fingerprint('the target') },
  ),
  operation(
    'remove-target',
    'Remove a quantified target that is not one',
    { targetId: ItemId('the target') },
    { expect: Fingerprint('the target') },
  ),
] as const;

/** The body of POST /api/plans/{id}/corrections: one correction operation. */
export const CorrectionBody = Type.Union(
  [
    Operations[0].sent,
    Operations[1].sent,
    Operations[2].sent,
    Operations[3].sent,
    Operations[4].sent,
    Operations[5].sent,
    Operations[6].sent,
    Operations[7].sent,
    Operations[8].sent,
  ],
  {
    description:
      'One correction of the extraction, by `op`. Fingerprints (`expect`, `measureExpect`, `parentExpect`) may be ' +
      'left out: they are taken from the plan as it is now. New ids are made up when left out.',
  },
);

/** A stored correction: the operation, its id, when it was made and (for government viewers) by whom. */
export const Correction = Type.Union(
  [
    Operations[0].stored,
    Operations[1].stored,
    Operations[2].stored,
    Operations[3].stored,
    Operations[4].stored,
    Operations[5].stored,
    Operations[6].stored,
    Operations[7].stored,
    Operations[8].stored,
  ],
  { description: 'A correction of the extraction, kept apart from it' },
);

/** The path of a refused field in dots, from where it was sent: `body.changes.value`. */
function fieldOf(context: string, error: FastifySchemaValidationError): string {
  const path = error.instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  const missing = (error.params as { missingProperty?: unknown }).missingProperty;
  if (error.keyword === 'required' && typeof missing === 'string') path.push(missing);
  return [context, ...path].join('.');
}

/** What was wrong with it, with the allowed values of an enum. */
function problemOf(error: FastifySchemaValidationError): string {
  if (error.keyword === 'required') return 'required';
  const allowed = (error.params as { allowedValues?: unknown }).allowedValues;
  return `${error.message ?? 'invalid'}${Array.isArray(allowed) ? ` (${allowed.join(' | ')})` : ''}`;
}

/** A request the schema refused, as a LifeCircleError naming the field: `body.text: required`. */
export function refusedField(code: ErrorCode) {
  return (errors: FastifySchemaValidationError[], context: string): Error => {
    const first = errors[0];
    return new LifeCircleError(
      code,
      first ? `${fieldOf(context, first)}: ${problemOf(first)}` : `${context}: invalid`,
      { details: errors },
    );
  };
}

/**
 * A correction body the schema refused (LC_PLAN_CORRECTION, as the plan domain refuses one): the errors of the
 * branch its `op` names, rather than the first branch's; an unknown `op` is named as such. Other parts of the
 * request (params) keep their own error.
 */
export function refusedCorrection(error: Error & { validationContext?: string }, body: unknown): Error {
  const errors = (error as { validation?: FastifySchemaValidationError[] }).validation;
  if (error.validationContext !== 'body' || !errors) return error;
  const op = typeof body === 'object' && body !== null ? (body as { op?: unknown }).op : undefined;
  const branch = CORRECTION_OPS.findIndex((o) => o === op);
  if (branch < 0)
    return new LifeCircleError(
      'LC_PLAN_CORRECTION',
      `body.op: expected one of ${CORRECTION_OPS.join(' | ')}, got ${JSON.stringify(op) ?? 'nothing'}`,
      { details: errors },
    );
  const own = errors.filter((e) => e.schemaPath.startsWith(`#/anyOf/${branch}/`));
  return refusedField('LC_PLAN_CORRECTION')(own.length > 0 ? own : errors, 'body');
}

export const Conflict = Type.Object(
  {
    correctionId: Type.String(),
    kind: literals(CONFLICT_KINDS),
    message: Type.String(),
  },
  { description: 'A correction that no longer applies to the extraction' },
);

// --- responses: the parsed plan ---

const Span = Type.Tuple([Type.Integer(), Type.Integer()], {
  description: 'half-open range [start, end) of UTF-16 code units into the plan’s text',
});

const SourceInfo = Type.Object({
  fileName: Type.String(),
  format: literals(['text', 'docx'] as const),
  encoding: Nullable(literals(ENCODINGS)),
  bytes: Type.Integer(),
  sha256: Type.String(),
});

const PlanMetadata = Type.Object({
  title: Nullable(Type.String()),
  titleSpan: Nullable(Span),
  planTitle: Nullable(Type.String()),
  planTitleSpan: Nullable(Span),
  issuer: Nullable(Type.String()),
  issuerSpan: Nullable(Span),
  issuerLevel: Nullable(literals(ADMIN_LEVELS)),
  documentNumber: Nullable(Type.String({ description: '文号' })),
  documentNumberSpan: Nullable(Span),
  dates: Type.Array(
    Type.Object({ date: Day('the date'), role: literals(DATE_ROLES), raw: Type.String(), span: Span }),
  ),
  horizonYear: Nullable(Type.Integer()),
  horizonSource: Nullable(literals(['title', 'preamble', 'goals'] as const)),
  citedDocuments: Type.Array(Type.Object({ number: Type.String(), span: Span })),
});

const UnitMentionSchema = Type.Object(
  {
    raw: Type.String(),
    span: Span,
    role: UnitRole,
    departmentId: Nullable(Type.String()),
    level: Nullable(literals(ADMIN_LEVELS)),
    levelInferred: Type.Boolean(),
    place: Nullable(Type.String()),
    normalized: Type.String({ description: 'canonical display name, e.g. 市卫生健康委' }),
    key: Type.String({ description: 'stable identity for grouping and assignment' }),
    status: literals(UNIT_STATUSES),
    correctedBy: Type.Optional(Type.String({ description: 'the correction that added or changed it' })),
  },
  { description: 'A responsible unit (责任单位) as written and as normalised' },
);

const ResponsibilitySchema = Type.Object({
  source: literals(SOURCES),
  raw: Type.String(),
  span: Span,
  coversSpan: Span,
  units: Type.Array(UnitMentionSchema),
  openEnded: Type.Boolean({ description: 'the list ends with 等: more units are meant than named' }),
});

export const TargetSchema = Type.Object(
  {
    id: Type.String(),
    ...targetFields,
    comparatorWords: Type.Array(Type.String()),
    deadlineSource: Nullable(literals(DEADLINE_SOURCES)),
    span: Span,
    valueSpan: Span,
    sentence: Type.String(),
    sentenceSpan: Span,
    correctedBy: Type.Optional(Type.String({ description: 'the correction that added or changed it' })),
  },
  { description: 'A quantified target (量化目标)' },
);

const MeasureSchema = Type.Recursive(
  (This) =>
    Type.Object({
      id: Type.String({ description: 'path id: m2, m2.1, m2.1.3' }),
      label: Nullable(Type.String()),
      number: Nullable(Type.Integer()),
      numberStyle: Nullable(literals(NUMBER_STYLES)),
      depth: Type.Integer(),
      title: Nullable(Type.String()),
      titleSpan: Nullable(Span),
      text: Type.String(),
      span: Span,
      synthetic: Type.Boolean({
        description: 'a group the parser inserted where the source lost its heading',
      }),
      responsibilities: Type.Array(ResponsibilitySchema),
      targets: Type.Array(TargetSchema),
      children: Type.Array(This),
      correctedBy: Type.Optional(Type.Array(Type.String())),
    }),
  { $id: 'PlanMeasure', description: 'A measure of a plan and its sub-measures' },
);

const ResponsibilityTable = Type.Object(
  {
    title: Type.String(),
    span: Span,
    rows: Type.Array(
      Type.Object({
        number: Type.Integer(),
        task: Type.String(),
        taskSpan: Span,
        responsibility: ResponsibilitySchema,
        measureId: Nullable(Type.String()),
        linkScore: Type.Number({ description: 'Dice similarity of task and measure title, 0..1' }),
      }),
    ),
  },
  { description: 'An attached task and responsibility table (具体工作任务及责任分工表)' },
);

const ParsedPlan = Type.Object(
  {
    source: SourceInfo,
    text: Type.String({ description: 'the decoded text every span points into' }),
    metadata: PlanMetadata,
    preambleSpan: Nullable(Span),
    measures: Type.Array(MeasureSchema),
    table: Nullable(ResponsibilityTable),
    warnings: Type.Array(Type.String()),
  },
  { description: 'The structured plan extracted from a policy document, corrections applied' },
);

// --- responses: plans ---

const planFields = {
  id: Type.String(),
  title: Type.String(),
  fileName: Type.String(),
  format: literals(['text', 'docx'] as const),
  sha256: Type.String(),
  importedAt: Instant('when it was imported'),
  importedBy: Nullable(Type.String({ description: 'who imported it; null for viewers outside government' })),
};

export const PlanSummary = Type.Object(
  {
    ...planFields,
    corrections: Type.Integer({ description: 'how many corrections it has' }),
    assignments: Type.Integer({ description: 'how many assignments were made from it' }),
  },
  { description: 'An imported plan in the listing' },
);

const Fingerprints = Type.Record(
  Type.String(),
  Type.Object({
    measure: Type.String(),
    units: Type.Record(Type.String(), Type.String(), { description: 'per unit key' }),
    targets: Type.Record(Type.String(), Type.String(), { description: 'per target id' }),
  }),
  { description: 'per measure id: the fingerprints a correction sends back as `expect`' },
);

const PlanNoteSchema = Type.Union(
  [
    Type.Object(
      { kind: literals(['lost-headings', 'past-year-figures'] as const), count: Type.Integer() },
      { additionalProperties: false },
    ),
    Type.Object(
      { kind: Type.Literal('unknown-units'), units: Type.Array(Type.String()) },
      { additionalProperties: false },
    ),
    Type.Object(
      {
        kind: literals(['table-row-ambiguous', 'table-row-unmatched'] as const),
        row: Type.Integer(),
        task: Type.String(),
      },
      { additionalProperties: false },
    ),
    Type.Object({ kind: Type.Literal('other'), text: Type.String() }, { additionalProperties: false }),
  ],
  { description: 'A warning of the parser: headings lost, units not in the list, table rows not linked' },
);

const presentedPlanFields = {
  ...planFields,
  plan: ParsedPlan,
  corrections: Type.Array(Correction),
  conflicts: Type.Array(Conflict),
  fingerprints: Fingerprints,
  notes: Type.Array(PlanNoteSchema, {
    description:
      'the parser’s warnings (plan.warnings) as structured notes, one per warning, for the page to word',
  }),
  unitNamesEn: Type.Record(Type.String(), Type.String(), {
    description:
      'per unit key, the English name of each known department of the plan (区:civil-affairs → District Civil ' +
      'Affairs Bureau); units known only as written are left out',
  }),
};

export const PresentedPlan = Type.Object(presentedPlanFields, {
  description: 'A plan with its corrections applied, the fingerprints the correction form sends back',
});

export const PlanDetail = Type.Object(
  {
    ...presentedPlanFields,
    measureStates: Type.Array(
      Type.Object({
        measureId: Type.String(),
        assignments: Type.Integer(),
        done: Type.Integer(),
        overdue: Type.Integer(),
        atRisk: Type.Integer(),
      }),
      { description: 'per assigned measure; empty for viewers who do not see all tracking' },
    ),
  },
  { description: 'A plan with its corrections applied and the state of its measures' },
);

export const CorrectionResult = Type.Object(
  { correction: Correction, ...presentedPlanFields },
  { description: 'The correction made and the plan with it applied' },
);

export const PlanCorrections = Type.Object({
  corrections: Type.Array(Correction),
  conflicts: Type.Array(Conflict),
});

// --- responses: tracking ---

export const AssignResult = Type.Object({
  created: Type.Integer({ description: 'assignments made now' }),
  existing: Type.Integer({ description: 'assignments that existed already' }),
  unassignable: Type.Array(Type.Object({ measureId: Type.String(), unit: Type.String() }), {
    description: 'units that cannot be assigned automatically (各有关单位)',
  }),
});

const Review = Type.Object({
  decision: literals(['accepted', 'returned'] as const),
  reviewer: Type.String(),
  reviewedAt: Day('the day of the review'),
  comment: Type.String(),
});

export const ProgressReport = Type.Object(
  {
    id: Type.String(),
    assignmentId: Type.String(),
    departmentKey: Type.String(),
    submittedAt: Day('the day it was submitted'),
    status: literals(REPORT_STATUSES),
    value: Nullable(Type.Number({ description: 'a value for the measure’s target' })),
    narrative: Type.String(),
    evidence: Type.Array(EvidenceFile),
    review: Nullable(Review),
  },
  { description: 'A department’s progress report and its review' },
);

export const AssignmentWithState = Type.Object(
  {
    id: Type.String(),
    planId: Type.String(),
    measureId: Type.String(),
    measureTitle: Type.String(),
    departmentKey: Type.String(),
    departmentName: Type.String(),
    departmentNameEn: Nullable(
      Type.String({ description: 'in English where the unit is a known department' }),
    ),
    role: UnitRole,
    dueDate: Nullable(Day('the due day')),
    startDate: Day('the day reporting starts'),
    stage: literals(STAGES),
    overdue: Type.Boolean(),
    atRisk: Type.Boolean(),
    reasons: Type.Array(literals(RISK_REASONS)),
    daysToDue: Nullable(Type.Number()),
    lastReport: Nullable(ProgressReport),
    reports: Type.Array(ProgressReport),
  },
  { description: 'An assignment (department × measure) with its state on the day asked' },
);

export const DepartmentReminders = Type.Object(
  {
    departmentKey: Type.String(),
    departmentName: Type.String(),
    departmentNameEn: Nullable(
      Type.String({ description: 'in English where the unit is a known department' }),
    ),
    items: Type.Array(
      Type.Object({
        assignmentId: Type.String(),
        measureId: Type.String(),
        measureTitle: Type.String(),
        kind: literals(REMINDER_KINDS),
        dueDate: Nullable(Day('the due day')),
        days: Nullable(
          Type.Integer({ description: 'days past the due day (overdue) or left until it (due-soon)' }),
        ),
        since: Nullable(Day('report-due: the day since which no progress was reported')),
        comment: Nullable(Type.String({ description: 'returned: the reviewer’s comment' })),
        message: Type.String({ description: 'the reminder in Chinese, for notices' }),
      }),
    ),
  },
  { description: 'What a department must do now, overdue first' },
);

export const DistrictCompletion = Type.Object(
  {
    regionCode: Type.String(),
    regionName: Type.String(),
    assignments: Type.Integer(),
    accepted: Type.Integer(),
    share: Nullable(Type.Number({ description: 'accepted / assignments; null without assignments' })),
  },
  { description: 'A district’s share of its assignments completed and accepted' },
);

export const PlanList = Page(PlanSummary);
export const AssignmentList = Page(AssignmentWithState);
export const ReminderList = Page(DepartmentReminders);
/** One row per district of the city: bounded by the divisions, not the store, so not paged. */
export const CompletionList = Type.Array(DistrictCompletion);
