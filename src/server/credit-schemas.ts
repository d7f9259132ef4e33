import { Type, type TSchema } from '@sinclair/typebox';
import { CREDIT_RECORD_KINDS, RISK_CLASSES } from '../supervision/index.js';
import { SERVICE_DOMAINS } from '../store/index.js';
import { List, literals, Nullable, OutletNamingFields, Page, RuleSource } from './schemas.js';

/**
 * Response schemas of the credit, 双随机 inspection and 普惠 certification routes (route-credit.ts,
 * route-inspections.ts, route-certification.ts). Each names every field the presenters of credit-common.ts and the
 * routes send, so a field not declared here never leaves the server. The public disclosure (ProviderDisclosure)
 * declares the public fields only: no internal note, inspector, complaint, risk class, score or contact.
 */

const Day = (description = 'YYYY-MM-DD') => Type.String({ description });
const Timestamp = (description = 'ISO 8601 date-time') => Type.String({ description });
/** One value per risk class A–D. */
const perClass = <T extends TSchema>(t: T) => Type.Object({ A: t, B: t, C: t, D: t });

export const RiskClass = literals(RISK_CLASSES);
const RecordKind = literals(CREDIT_RECORD_KINDS);
const Severity = literals(['minor', 'ordinary', 'serious'] as const);
const Outcome = literals(['compliant', 'rectified', 'non-compliant'] as const);

// --- credit records and classes ---

export const CreditRecordView = Type.Object(
  {
    id: Type.String(),
    uscc: Type.String(),
    kind: RecordKind,
    title: Type.String(),
    source: Type.Object({
      authority: Type.String(),
      document: Type.Optional(Type.String({ description: '文书号' })),
    }),
    date: Day(),
    validUntil: Type.Optional(Day('end of validity, YYYY-MM-DD; absent = open-ended')),
    repairedOn: Type.Optional(Day('信用修复 date, YYYY-MM-DD')),
    severity: Type.Optional(Severity),
    outcome: Type.Optional(Outcome),
    breached: Type.Optional(Type.Boolean()),
    internalNote: Type.Optional(
      Type.String({ description: 'internal remarks: sent to administrators, staff and inspectors only' }),
    ),
    inForce: Type.Boolean(),
    excludedBecause: Nullable(literals(['not-yet-effective', 'expired', 'repaired'] as const)),
  },
  { description: 'A credit record as the viewer sees it, with whether it counts today' },
);

const Contribution = Type.Object({
  recordId: Type.String(),
  kind: RecordKind,
  title: Type.String(),
  date: Day(),
  weight: Type.Number(),
  decay: Type.Number({ description: '0.5^(age / half-life), 1 without decay' }),
  points: Type.Number(),
});

const Thresholds = Type.Object({ A: Type.Number(), B: Type.Number(), C: Type.Number() });

export const CreditClassification = Type.Object(
  {
    uscc: Type.String(),
    asOf: Day(),
    score: Type.Number(),
    riskClass: RiskClass,
    decidedBy: Type.Union([
      Type.Object({ rule: Type.Literal('score'), thresholds: Thresholds }),
      Type.Object({ rule: Type.Literal('serious-penalty'), recordIds: List(Type.String()) }),
    ]),
    drivers: List(Contribution, { description: 'records that moved the score, largest effect first' }),
    excluded: List(
      Type.Object({
        recordId: Type.String(),
        reason: literals(['not-yet-effective', 'expired', 'repaired'] as const),
      }),
    ),
    model: RuleSource,
  },
  { description: 'Risk class A–D of a provider with the records that drove it' },
);

const ScoringConfig = Type.Object(
  {
    base: Type.Number(),
    weights: Type.Object({
      permitExpired: Type.Number(),
      penalty: Type.Object({ minor: Type.Number(), ordinary: Type.Number(), serious: Type.Number() }),
      inspection: Type.Object({
        compliant: Type.Number(),
        rectified: Type.Number(),
        'non-compliant': Type.Number(),
      }),
      complaintUpheld: Type.Number(),
      commitmentKept: Type.Number(),
      commitmentBreached: Type.Number(),
      award: Type.Number(),
    }),
    halfLifeDays: Type.Object(
      {
        permit: Nullable(Type.Number()),
        penalty: Nullable(Type.Number()),
        inspection: Nullable(Type.Number()),
        'complaint-upheld': Nullable(Type.Number()),
        commitment: Nullable(Type.Number()),
        award: Nullable(Type.Number()),
      },
      { description: 'half-life per record kind in days; null = full weight while in force' },
    ),
    thresholds: Thresholds,
    seriousPenaltyClass: RiskClass,
    source: RuleSource,
  },
  { description: 'The scoring model (docs/credit-scoring.md)' },
);

/** A recorded or repaired credit record with the class change it caused. */
const creditChangeFields = {
  record: CreditRecordView,
  classification: CreditClassification,
  previousClass: Nullable(RiskClass),
  revoked: List(Type.String(), { description: 'ids of the certifications revoked by the change' }),
};
export const CreditRecordChange = Type.Object(creditChangeFields, {
  description: 'A credit record added or repaired, with the class it gave',
});

export const CreditRecordList = Page(CreditRecordView);

// --- certification ---

const CERTIFICATION_STATES = [
  'applied',
  'under-review',
  'certified',
  'rejected',
  'revoked',
  'withdrawn',
] as const;
const CertificationState = literals(CERTIFICATION_STATES);

const Badge = {
  outletId: Type.String(),
  label: Type.String(),
  labelEn: Type.String(),
  certifiedOn: Day(),
  validUntil: Day(),
  commitment: Type.String({ description: 'the credit commitment text, published with the badge' }),
};

export const CertificationView = Type.Object(
  {
    id: Type.String(),
    outletId: Type.String(),
    providerUscc: Type.String(),
    serviceType: Type.String(),
    state: CertificationState,
    commitment: Type.Object({
      text: Type.String(),
      signedOn: Day(),
      signatoryRole: Type.String({ description: 'a role (法定代表人), not a name' }),
    }),
    certifiedOn: Type.Optional(Day()),
    expiresOn: Type.Optional(Day()),
    history: List(
      Type.Object({
        on: Day(),
        actor: Type.Object({
          role: literals(['resident', 'provider', 'department', 'system'] as const),
          id: Type.String(),
        }),
        action: literals(['apply', 'start-review', 'decide', 'revoke', 'withdraw'] as const),
        to: CertificationState,
        note: Type.Optional(Type.String()),
      }),
    ),
    ...OutletNamingFields,
    status: literals([...CERTIFICATION_STATES, 'expired'] as const),
    badge: Nullable(Type.Object(Badge, { description: 'the public 普惠网点 badge while certified' })),
  },
  { description: 'A 普惠 certification with its status today and its public badge' },
);

export const CertificationList = Type.Object({
  items: List(CertificationView),
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
  config: Type.Object({
    validityYears: Type.Integer(),
    eligibleClasses: List(RiskClass),
    source: RuleSource,
  }),
});

// --- the credit profile, the public disclosure and 领跑者 ---

export const CreditProfile = Type.Object(
  {
    provider: Type.Object({ uscc: Type.String(), name: Type.String(), regionCode: Nullable(Type.String()) }),
    classification: CreditClassification,
    stored: Type.Boolean({ description: 'false when computed on the fly (no class stored yet)' }),
    className: Type.Object({ zh: Type.String(), en: Type.String() }),
    classSource: RuleSource,
    records: List(CreditRecordView),
    scoring: ScoringConfig,
    certifications: List(CertificationView),
  },
  {
    description: "A provider's class, score, records and scoring model (supervising roles and the provider)",
  },
);

const disclosedFields = {
  title: Type.String(),
  authority: Type.String(),
  document: Type.Optional(Type.String()),
  date: Day(),
  validUntil: Type.Optional(Day()),
  severity: Type.Optional(Severity),
  outcome: Type.Optional(Outcome),
};
const DisclosedItem = Type.Object(disclosedFields);

/** Public: whitelisted fields only (presentDisclosure); a field added to the domain stays in the server. */
export const ProviderDisclosure = Type.Object(
  {
    uscc: Type.String(),
    name: Type.String(),
    asOf: Day(),
    permits: List(Type.Object({ ...disclosedFields, expired: Type.Boolean() })),
    penalties: List(DisclosedItem),
    inspections: List(DisclosedItem),
    badges: List(Type.Object({ ...Badge, ...OutletNamingFields })),
  },
  {
    description:
      'Public disclosure (信息公示): permits, penalties and inspections in force and 普惠 badges; nothing personal, no risk class',
  },
);

export const LeaderBoard = Type.Object(
  {
    basis: literals(['ratings-and-credit', 'credit-only'] as const),
    note: Type.String(),
    config: Type.Object({
      minRatings: Type.Integer(),
      eligibleClasses: List(RiskClass),
      weights: Type.Object({ satisfaction: Type.Number(), credit: Type.Number() }),
      top: Type.Integer(),
      source: RuleSource,
    }),
    types: List(
      Type.Object({
        serviceType: Type.String(),
        entries: List(
          Type.Object({
            rank: Type.Integer(),
            outletId: Type.String(),
            outletName: Type.String(),
            providerUscc: Type.String(),
            score: Type.Optional(
              Type.Number({ description: 'internal supervision reference: supervising roles only' }),
            ),
            riskClass: Type.Optional(
              Type.Unsafe<(typeof RISK_CLASSES)[number]>({
                type: 'string',
                enum: [...RISK_CLASSES],
                description: 'internal supervision reference: supervising roles only',
              }),
            ),
          }),
        ),
      }),
    ),
  },
  { description: '领跑者 ranking per service type' },
);

// --- 双随机 draws and results ---

const Range = Type.Object({ min: Type.Number(), max: Type.Number() });
/** The 双随机 sampling rule a city draws by: its own, or LifeCircle's national default (`adopted` false). */
export const SamplingRuleView = Type.Object(
  {
    ratios: perClass(Type.Number()),
    ranges: Nullable(perClass(Range)),
    source: RuleSource,
    adopted: Type.Boolean({
      description: "false: LifeCircle's national default, until the city adopts its own",
    }),
    updatedBy: Nullable(Type.String()),
    updatedAt: Nullable(Timestamp()),
  },
  { description: "the city's 双随机 sampling rule and the document it comes from" },
);

const DrawConfig = Type.Object({
  ratios: perClass(Type.Number()),
  ranges: Nullable(perClass(Range)),
  rounding: literals(['nearest', 'up', 'down'] as const),
  inspectorsPerTarget: Type.Integer(),
  sources: Type.Object({ ratios: RuleSource, inspectorsPerTarget: RuleSource }),
});

const DrawScope = Type.Object({
  regionCode: Type.String({ description: 'division code prefix' }),
  domain: Nullable(literals(SERVICE_DOMAINS)),
});

const Candidate = Type.Object({
  uscc: Type.String(),
  name: Type.Optional(Type.String()),
  riskClass: RiskClass,
  regionCode: Type.String(),
  lastInspectorIds: List(Type.String()),
});

const Inspector = Type.Object({
  id: Type.String(),
  regionCodes: List(Type.String()),
  conflictUscc: List(Type.String(), { description: 'declared conflicts of interest (回避)' }),
});

const DrawResult = Type.Object(
  {
    algorithm: Type.Literal('lifecircle-draw-v1'),
    assignAlgorithm: Nullable(Type.Literal('lifecircle-assign-v1')),
    seed: Type.String(),
    candidateListSha256: Type.String(),
    inspectorListSha256: Nullable(Type.String()),
    config: DrawConfig,
    strata: List(
      Type.Object({
        riskClass: RiskClass,
        candidates: Type.Integer(),
        ratio: Type.Number(),
        drawn: Type.Integer(),
        achievedRatio: Nullable(Type.Number()),
        withinLocalRule: Nullable(Type.Boolean()),
      }),
    ),
    targets: List(
      Type.Object({
        uscc: Type.String(),
        riskClass: RiskClass,
        regionCode: Type.String(),
        rank: Type.Integer({ description: '1-based rank within its class' }),
        drawKey: Type.String(),
        inspectorIds: Type.Optional(List(Type.String())),
      }),
    ),
    unassigned: List(Type.Object({ uscc: Type.String(), eligible: Type.Integer(), reason: Type.String() })),
  },
  { description: 'The draw result: a pure function of the seed, both lists and the configuration' },
);

const CreatedBy = Type.Optional(
  Type.String({ description: 'the account that made the draw: roles that see unpublished draws only' }),
);

const drawFields = {
  id: Type.String(),
  seed: Type.String(),
  scope: DrawScope,
  candidates: List(Candidate),
  inspectors: Nullable(List(Inspector)),
  config: DrawConfig,
  result: DrawResult,
  published: Type.Boolean(),
  publishedAt: Nullable(Timestamp()),
  createdAt: Timestamp(),
  createdBy: CreatedBy,
  files: Type.Object({
    candidatesCsv: Type.String({ description: 'URL of the published candidate list' }),
    inspectorsCsv: Type.Optional(Type.String({ description: 'URL of the published inspector list' })),
  }),
  cli: Type.String({ description: 'the command that re-runs the draw from its published files' }),
  canPublish: Type.Boolean(),
};
export const DrawView = Type.Object(drawFields, {
  description: 'A 双随机 draw with everything needed to re-run it (一公开)',
});

export const DrawCreated = Type.Object(
  {
    ...drawFields,
    skipped: List(Type.Object({ uscc: Type.String(), reason: Type.String() }), {
      description: 'providers left out of the candidates, and why',
    }),
  },
  { description: 'The new draw and the providers it could not take as candidates' },
);

const resultFields = {
  drawId: Type.String(),
  uscc: Type.String(),
  inspectedOn: Day(),
  inspectorIds: List(Type.String()),
  outcome: Outcome,
  findings: Type.String({ description: 'public summary of the findings' }),
  authority: Type.String(),
  document: Type.Optional(Type.String()),
  createdAt: Timestamp(),
};

export const DrawDetail = Type.Object(
  { ...drawFields, results: List(Type.Object(resultFields)) },
  { description: 'One draw with the results recorded so far' },
);

export const DrawList = Type.Object({
  items: List(
    Type.Object({
      id: Type.String(),
      seed: Type.String(),
      scope: DrawScope,
      config: DrawConfig,
      published: Type.Boolean(),
      publishedAt: Nullable(Timestamp()),
      createdAt: Timestamp(),
      createdBy: CreatedBy,
      candidateCount: Type.Integer(),
      targetCount: Type.Integer(),
    }),
  ),
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
  defaults: Type.Object(
    { config: DrawConfig, rule: SamplingRuleView },
    { description: "the configuration a new draw starts from, for the dashboard's form" },
  ),
});

export const ResultRecorded = Type.Object(
  {
    result: Type.Object({
      ...resultFields,
      createdBy: Type.String({ description: 'the inspector who recorded it' }),
    }),
    ...creditChangeFields,
  },
  { description: 'An inspection result and the credit record and class change it made' },
);
