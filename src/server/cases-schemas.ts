import { Type } from '@sinclair/typebox';
import {
  COMPLAINT_CATEGORIES,
  RATING_CHANNELS,
  RATING_LEVELS,
  type AbuseDetector,
  type ActorRole,
  type CaseAction,
  type CaseOutcome,
  type CaseState,
  type RatingStatus,
  type Resolution,
} from '../supervision/index.js';
import { List, literals, Nullable, OutletNamingFields, RuleSource } from './schemas.js';

/** Request and response schemas of the 好差评 routes (route-cases.ts). */

const Instant = (description = 'ISO date-time') => Type.String({ description });
const BeijingDate = (description: string) =>
  Type.String({ description: `${description} (YYYY-MM-DD, Beijing)` });

const LEVELS = RATING_LEVELS.value.map((l) => l.level);
const RATING_STATUSES = ['published', 'held', 'invalidated'] as const satisfies readonly RatingStatus[];
export const CASE_STATES = [
  'opened',
  'assigned',
  'replied',
  'rectified',
  'followed-up',
  'under-review',
  'closed',
] as const satisfies readonly CaseState[];
const ACTIONS = [
  'assign',
  'reply',
  'report-rectified',
  'follow-up',
  'confirm',
  'close-unconfirmed',
  'appeal',
  'review',
  'escalate',
] as const satisfies readonly CaseAction['type'][];
const RESOLUTIONS = ['immediate', 'rectify', 'explain'] as const satisfies readonly Resolution[];
const OUTCOMES = [
  'resolved',
  'closed-unconfirmed',
  'rating-invalidated',
] as const satisfies readonly CaseOutcome[];
const ACTOR_ROLES = ['resident', 'provider', 'department', 'system'] as const satisfies readonly ActorRole[];
const DETECTORS = [
  'rate-limit',
  'near-duplicate',
  'burst',
  'new-account-cluster',
  'shared-device',
] as const satisfies readonly AbuseDetector[];

export const Phone = Type.String({ pattern: '^1[0-9]{10}$', description: '11-digit mainland mobile number' });
export const Region = Type.String({ pattern: '^[0-9]{2,12}$', description: 'division code prefix' });

// --- requests ---

export const RegisterBody = Type.Object({
  phone: Phone,
  password: Type.String({ minLength: 10, maxLength: 200 }),
});

export const RateBody = Type.Object({
  outletId: Type.String({ minLength: 1, maxLength: 64 }),
  level: literals(LEVELS),
  tags: Type.Optional(Type.Array(Type.String({ maxLength: 40 }), { maxItems: 10 })),
  text: Type.Optional(Type.String({ maxLength: 1000 })),
  eventId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  channel: Type.Optional(literals(RATING_CHANNELS)),
  residentPhone: Type.Optional(Phone),
});

export const ModerationBody = Type.Object({
  decision: literals(['release', 'reject'] as const),
  note: Type.String({ minLength: 1, maxLength: 1000 }),
});

export const ComplaintBody = Type.Object({
  outletId: Type.String({ minLength: 1, maxLength: 64 }),
  category: literals(COMPLAINT_CATEGORIES),
  text: Type.String({ minLength: 1, maxLength: 2000 }),
  channel: Type.Optional(literals(RATING_CHANNELS)),
  residentPhone: Type.Optional(Phone),
  receivedAt: Type.Optional(Type.String({ description: 'staff only: when it was received (ISO date-time)' })),
});

export const ActionBody = Type.Object({
  type: literals(ACTIONS),
  note: Type.Optional(Type.String({ maxLength: 2000 })),
  resolution: Type.Optional(literals(RESOLUTIONS)),
  residentReached: Type.Optional(Type.Boolean()),
  satisfied: Type.Optional(Type.Boolean()),
  ground: Type.Optional(literals(['mistaken', 'malicious'] as const)),
  decision: Type.Optional(literals(['upheld', 'rejected'] as const)),
  departmentId: Type.Optional(Type.String({ maxLength: 80 })),
});

function pageQuery() {
  return {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 50 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
  };
}

export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 80 }) });
export const KeyParams = Type.Object({ key: Type.String({ minLength: 1, maxLength: 64 }) });
export const PageOnly = Type.Object(pageQuery());

export const OutletsNearQuery = Type.Object({
  community: Type.String({ minLength: 1, maxLength: 64 }),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  type: Type.Optional(Type.String({ maxLength: 64 })),
});

export const OutletRatingsQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
});

export const AggregatesQuery = Type.Object({
  by: literals(['outlet', 'provider', 'type', 'region'] as const),
  within: Type.Optional(Region),
  regionDigits: Type.Optional(Type.Union([Type.Literal(6), Type.Literal(9), Type.Literal(12)])),
});

export const SatisfactionQuery = Type.Object({
  region: Type.Optional(Type.String({ pattern: '^[0-9]{0,12}$' })),
  from: Type.Optional(Type.String({ format: 'date' })),
  to: Type.Optional(Type.String({ format: 'date' })),
});

export const CaseQueueQuery = Type.Object({
  state: Type.Optional(literals(CASE_STATES)),
  open: Type.Optional(Type.Boolean({ description: 'leave out closed cases' })),
  ...pageQuery(),
});

// --- responses: ratings ---

const publicRatingFields = {
  id: Type.String(),
  outletId: Type.String(),
  level: literals(LEVELS),
  levelZh: Type.String({ description: 'the level in Chinese, e.g. 基本满意' }),
  levelEn: Type.String(),
  tags: List(Type.String()),
  text: Type.String({ description: 'phone numbers masked for everyone but the case handler' }),
  channel: literals(RATING_CHANNELS),
  createdAt: Instant(),
  status: literals(RATING_STATUSES),
};
const accountRatingFields = {
  ...publicRatingFields,
  accountId: Type.String({ description: 'pseudonymous account of the resident' }),
  contactPhone: Type.Optional(
    Type.String({
      description: 'the resident’s phone for the 回访: in full for the case handler only, else masked',
    }),
  ),
};

export const PublicRating = Type.Object(publicRatingFields, {
  description: 'A rating as the public sees it: no account, no phone, phone numbers in the text masked',
});
export const AccountRating = Type.Object(accountRatingFields, {
  description: 'A rating as the provider, the department or the case handler sees it: with the account',
});
/** `presentRating` per viewer (`ratingViewerOf`): the account view first, it is the one that requires accountId. */
export const RatingView = Type.Union([AccountRating, PublicRating]);

const AbuseFlag = Type.Object({
  detector: literals(DETECTORS),
  reason: Type.String(),
  related: List(Type.String(), { description: 'other ratings of the same pattern' }),
});

export const HeldRating = Type.Object(
  { ...accountRatingFields, flags: List(AbuseFlag) },
  { description: 'A rating held by the abuse detectors, with the reasons' },
);

export const ModeratedRating = Type.Object(
  {
    ...accountRatingFields,
    moderation: Nullable(
      Type.Object({
        decision: literals(['release', 'reject'] as const),
        by: Type.String(),
        at: Instant(),
        note: Type.String(),
      }),
    ),
  },
  { description: 'A held rating after review: released (published) or rejected (invalidated)' },
);

export const RateResult = Type.Object({
  rating: AccountRating,
  caseId: Nullable(Type.String({ description: 'the case a 差评 opened' })),
});

const levelCount = Type.Optional(Type.Integer({ minimum: 0 }));
export const RatingAggregate = Type.Object(
  {
    key: Type.String({ description: 'outlet, provider USCC, service type or region code' }),
    count: Type.Integer(),
    positive: Type.Integer(),
    satisfactionRate: Nullable(Type.Number({ description: 'share of the three positive levels' })),
    meanScore: Nullable(Type.Number()),
    bayesianMean: Type.Number(),
    bayesianSatisfactionRate: Type.Number(),
    levels: Type.Object(
      {
        very_satisfied: levelCount,
        satisfied: levelCount,
        basically_satisfied: levelCount,
        dissatisfied: levelCount,
        very_dissatisfied: levelCount,
      },
      { description: 'ratings per level; a level without ratings is absent' },
    ),
  },
  { description: 'Satisfaction rate and Bayesian average of published ratings' },
);

const MonthlyPoint = Type.Object({
  month: Type.String({ description: 'YYYY-MM, Beijing' }),
  count: Type.Integer(),
  satisfactionRate: Nullable(Type.Number()),
  meanScore: Nullable(Type.Number()),
});

const DistanceKind = literals(['walking', 'straight-line'] as const, {
  description:
    "walking: on the city's walking network, as the map measures it; straight-line: no walking network is loaded, the community or the outlet is off it, or the outlet lies beyond 3 km on foot",
});

export const RatedOutlet = Type.Object(
  {
    code: Type.String(),
    name: Type.String(),
    typeCode: Type.String(),
    typeNameZh: Type.String(),
    typeNameEn: Type.String(),
    otherTypes: List(
      Type.Object({
        code: Type.String(),
        typeCode: Type.String(),
        typeNameZh: Type.String(),
        typeNameEn: Type.String(),
      }),
      {
        description:
          'the other register records of the same place (the same name within 30 m, not two different operators), one per further service type; their ratings count in the aggregate',
      },
    ),
    address: Nullable(Type.String()),
    affordable: Type.Boolean({ description: '普惠' }),
    rateable: Type.Boolean({
      description:
        'has a region code, so a case can be routed to its supervising department (with or without a provider)',
    }),
    distanceM: Type.Integer({
      description: 'distance from the community, metres, measured as distanceKind says',
    }),
    distanceKind: DistanceKind,
    aggregate: RatingAggregate,
  },
  { description: 'An outlet near a community with its ratings aggregate' },
);

export const OutletsNear = Type.Object({
  community: Type.Object({ code: Type.String(), name: Type.String(), regionCode: Type.String() }),
  distance: literals(['walking', 'straight-line'] as const, {
    description:
      'what the list is ordered by: walking (outlets reached on foot first, by walking distance) when a walking network is loaded and the community is on it, else straight-line',
  }),
  items: List(RatedOutlet),
});

export const OutletRatings = Type.Object({
  outlet: Type.Object({ code: Type.String(), name: Type.String(), affordable: Type.Boolean() }),
  aggregate: RatingAggregate,
  trend: List(MonthlyPoint),
  total: Type.Integer(),
  items: List(RatingView),
});

export const Aggregates = Type.Object({
  by: literals(['outlet', 'provider', 'type', 'region'] as const),
  within: Nullable(Type.String()),
  items: List(RatingAggregate),
});

export const Satisfaction = Type.Object(
  {
    region: Type.String({ description: 'region code prefix; empty: everywhere' }),
    from: BeijingDate('first day'),
    to: BeijingDate('last day'),
    ratings: Type.Integer(),
    rate: Nullable(Type.Number()),
    interval95: Nullable(
      Type.Unsafe<readonly [number, number]>(
        Type.Tuple([Type.Number(), Type.Number()], { description: '95 % Wilson interval' }),
      ),
    ),
  },
  { description: '居民满意度 of a region over a period' },
);

export const HeldPage = Type.Object({
  items: List(HeldRating),
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
});

export const ComplaintFiled = Type.Object({ complaintId: Type.String(), caseId: Type.String() });

// --- responses: cases ---

const Deadline = Type.Object(
  {
    date: BeijingDate('the day on whose end the period runs out'),
    dueAt: Instant('the same moment as an ISO instant (UTC)'),
    workingDays: Type.Integer(),
    provisional: Type.Boolean({ description: 'counted into a year the holiday table does not cover yet' }),
    calendar: RuleSource,
    counting: RuleSource,
  },
  { description: 'A deadline in working days' },
);

const CaseEvent = Type.Object({
  at: Instant(),
  actor: Type.Object({ role: literals(ACTOR_ROLES), id: Type.String() }),
  action: literals([...ACTIONS, 'open'] as const),
  from: Nullable(literals(CASE_STATES)),
  to: literals(CASE_STATES),
  note: Type.Optional(Type.String({ description: 'the actor’s own words' })),
  detail: Type.Optional(
    Type.Object(
      {
        resolution: Type.Optional(literals(RESOLUTIONS)),
        residentReached: Type.Optional(Type.Boolean()),
        satisfied: Type.Optional(Type.Boolean()),
        ground: Type.Optional(literals(['mistaken', 'malicious'] as const)),
        decision: Type.Optional(literals(['upheld', 'rejected'] as const)),
        escalationLevel: Type.Optional(Type.Integer()),
      },
      { description: 'what the step decided, as values the client words in its language' },
    ),
  ),
});

export const CaseSummary = Type.Object(
  {
    id: Type.String(),
    originKind: literals(['rating', 'complaint'] as const),
    outletId: Type.String(),
    ...OutletNamingFields,
    providerUscc: Nullable(
      Type.String({ description: '统一社会信用代码; null: no registered provider, the department answers' }),
    ),
    departmentId: Type.String(),
    regionCode: Type.String(),
    state: literals(CASE_STATES),
    openedAt: Instant(),
    resolution: Nullable(literals(RESOLUTIONS)),
    outcome: Nullable(literals(OUTCOMES)),
    reopenCount: Type.Integer(),
    escalationLevel: Type.Integer(),
    deadlineRule: RuleSource,
    deadlineDate: BeijingDate('rectification deadline'),
    dueAt: Instant('the deadline as an ISO instant'),
    workingDaysLeft: Type.Integer({ description: 'negative: working days overdue' }),
    overdue: Type.Boolean(),
    overdueLevel: Type.Integer(),
    provisional: Type.Boolean(),
  },
  { description: 'A row of the case queue, with its deadline and the working days left' },
);

export const CasePage = Type.Object({
  items: List(CaseSummary),
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
});

const CaseRating = Type.Object(
  { ...accountRatingFields, flags: Type.Optional(List(AbuseFlag, { description: 'handler only' })) },
  { description: 'The rating a case came from' },
);

const CaseComplaint = Type.Object(
  {
    id: Type.String(),
    accountId: Type.String(),
    providerUscc: Nullable(Type.String()),
    outletId: Type.Optional(Type.String()),
    serviceType: Type.String(),
    regionCode: Type.String(),
    category: literals(COMPLAINT_CATEGORIES),
    text: Type.String({ description: 'phone numbers masked for everyone but the case handler' }),
    channel: literals(RATING_CHANNELS),
    createdAt: Instant(),
    contactPhone: Type.Optional(
      Type.String({ description: 'in full for the case handler only, else masked' }),
    ),
  },
  { description: 'The complaint a case came from' },
);

export const CaseDetail = Type.Object(
  {
    ...CaseSummary.properties,
    // null | rating | complaint, written so that OpenAPI 3.0 (no null type) folds the null into the rating branch
    // (`nullable: true`) instead of a separate `enum: [null]` member.
    origin: Type.Union([Nullable(CaseRating), CaseComplaint], {
      description: 'the rating or complaint the case came from; null if it is missing',
    }),
    history: List(CaseEvent),
    deadline: Deadline,
    actions: List(literals(ACTIONS), {
      description:
        'the steps this viewer may take now, as the workflow decides (the dashboard offers no others)',
    }),
  },
  { description: 'A case with its full history, its deadline and the rating or complaint it came from' },
);
