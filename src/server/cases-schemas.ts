import { Type } from '@sinclair/typebox';
import { COMPLAINT_CATEGORIES, RATING_CHANNELS, RATING_LEVELS } from '../supervision/index.js';
import { literals } from './schemas.js';

/** Request and response schemas of the 好差评 routes (route-cases.ts). */

/** Responses carry nested domain objects (deadline rules, history); the schema names the main fields. */
export const Open = (props: Parameters<typeof Type.Object>[0], description?: string) =>
  Type.Object(props, { additionalProperties: true, ...(description ? { description } : {}) });

const LEVELS = RATING_LEVELS.value.map((l) => l.level);
export const CASE_STATES = [
  'opened',
  'assigned',
  'replied',
  'rectified',
  'followed-up',
  'under-review',
  'closed',
] as const;
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
] as const;
export const Phone = Type.String({ pattern: '^1[0-9]{10}$', description: '11-digit mainland mobile number' });
export const Region = Type.String({ pattern: '^[0-9]{2,12}$', description: 'division code prefix' });

export const CaseSummary = Open({
  id: Type.String(),
  originKind: Type.String(),
  outletId: Type.String(),
  outletName: Type.String(),
  state: Type.String(),
  openedAt: Type.String(),
  deadlineDate: Type.String(),
  workingDaysLeft: Type.Integer(),
  overdue: Type.Boolean(),
});

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
  resolution: Type.Optional(literals(['immediate', 'rectify', 'explain'] as const)),
  residentReached: Type.Optional(Type.Boolean()),
  satisfied: Type.Optional(Type.Boolean()),
  ground: Type.Optional(literals(['mistaken', 'malicious'] as const)),
  decision: Type.Optional(literals(['upheld', 'rejected'] as const)),
  departmentId: Type.Optional(Type.String({ maxLength: 80 })),
});

export function pageQuery() {
  return {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 50 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
  };
}
