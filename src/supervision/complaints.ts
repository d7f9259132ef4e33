import {
  checkConcerned,
  checkSubmission,
  fieldProblems,
  isNonEmpty,
  maskPhone,
  maskPhonesInText,
  type FieldProblem,
  type RatingChannel,
} from './ratings.js';
import type { RuleSource } from './rules.js';

/**
 * Complaints (投诉): like a 差评 they open a case (`openCase` with origin `complaint`), but they carry a category and
 * need not follow a service event. Prepaid-card complaints get an early warning, because operators that vanish with
 * residents' prepaid money (预付卡 "跑路坑民") are named as a target by the action plans.
 */
export type ComplaintCategory = 'quality' | 'price' | 'safety' | 'prepaid-card' | 'attitude' | 'other';
export const COMPLAINT_CATEGORIES: readonly ComplaintCategory[] = [
  'quality',
  'price',
  'safety',
  'prepaid-card',
  'attitude',
  'other',
];

export interface Complaint {
  readonly id: string;
  readonly accountId: string;
  readonly providerUscc: string | null;
  readonly outletId?: string;
  readonly serviceType: string;
  readonly regionCode: string;
  readonly category: ComplaintCategory;
  readonly text: string;
  readonly channel: RatingChannel;
  readonly createdAt: string;
  readonly contactPhone?: string;
}

export function validateComplaint(input: Partial<Complaint>): FieldProblem[] {
  const { problems, need } = fieldProblems(input);
  need('id', isNonEmpty(input.id), 'a non-empty id');
  need('accountId', isNonEmpty(input.accountId), 'a pseudonymous account id');
  checkConcerned(input, need);
  need(
    'category',
    COMPLAINT_CATEGORIES.includes(input.category as ComplaintCategory),
    COMPLAINT_CATEGORIES.join(', '),
  );
  need(
    'text',
    isNonEmpty(input.text) && (input.text ?? '').length <= 2000,
    'a description of 1–2000 characters',
  );
  checkSubmission(input, need);
  return problems;
}

/** The complaint as the provider or department sees it: phone numbers masked; the handler sees it whole. */
export function presentComplaint(c: Complaint, viewer: 'handler' | 'department' | 'provider'): Complaint {
  if (viewer === 'handler') return c;
  return {
    ...c,
    text: maskPhonesInText(c.text),
    ...(c.contactPhone === undefined ? {} : { contactPhone: maskPhone(c.contactPhone) }),
  };
}

export interface PrepaidAlertConfig {
  readonly minComplaints: number;
  readonly windowDays: number;
  readonly source: RuleSource;
}

export const DEFAULT_PREPAID_ALERT: PrepaidAlertConfig = {
  minComplaints: 3,
  windowDays: 30,
  source: {
    document: 'LifeCircle 项目默认 预付卡投诉预警',
    documentEn: 'LifeCircle project default early warning on prepaid-card complaints',
    status: 'project-default',
    note: 'Described in docs/supervision.md. No published threshold; three prepaid-card complaints from different residents in 30 days.',
  },
};

export interface PrepaidAlert {
  /** The operator warned about; null when the outlet has no registered provider (then `outletId` names it). */
  readonly providerUscc: string | null;
  readonly outletId: string | null;
  readonly complaints: readonly string[];
  readonly residents: number;
  readonly from: string;
  readonly to: string;
}

/**
 * Providers with at least `minComplaints` prepaid-card complaints from different residents within `windowDays` up to
 * `asOf`: an early warning for the department to check the operator before it closes its doors.
 */
export function prepaidCardAlerts(
  complaints: readonly Complaint[],
  asOf: string,
  config: PrepaidAlertConfig = DEFAULT_PREPAID_ALERT,
): PrepaidAlert[] {
  const end = Date.parse(asOf);
  const start = end - config.windowDays * 86400_000;
  // By operator; an outlet without a registered operator is warned about on its own.
  const byOperator = new Map<string, Complaint[]>();
  for (const c of complaints) {
    const t = Date.parse(c.createdAt);
    if (c.category !== 'prepaid-card' || t < start || t > end) continue;
    const key = c.providerUscc ?? `outlet:${c.outletId ?? ''}`;
    byOperator.set(key, [...(byOperator.get(key) ?? []), c]);
  }
  const alerts: PrepaidAlert[] = [];
  for (const [key, list] of [...byOperator].sort(([a], [b]) => a.localeCompare(b))) {
    const residents = new Set(list.map((c) => c.accountId)).size;
    if (residents < config.minComplaints) continue;
    const times = list.map((c) => c.createdAt).sort();
    const uscc = list[0].providerUscc;
    alerts.push({
      providerUscc: uscc,
      outletId: uscc === null ? key.slice('outlet:'.length) || null : null,
      complaints: list.map((c) => c.id),
      residents,
      from: times[0],
      to: times[times.length - 1],
    });
  }
  return alerts;
}
