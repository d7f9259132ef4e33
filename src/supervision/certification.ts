import type { ErrorCode } from '../errors.js';
import type { Actor } from './cases.js';
import { exclusionOf, type CreditClassification, type CreditRecord } from './credit.js';
import type { RiskClass, RuleSource } from './rules.js';

/**
 * Certification of 普惠 (affordable) outlets as a pure state machine:
 *
 *   applied ─start-review→ under-review ─decide(approve)→ certified ─revoke→ revoked
 *                                       ─decide(reject)──→ rejected
 *   applied | under-review | certified ─withdraw (provider)→ withdrawn
 *   certified past its expiry date reads as `expired` (certificationStatus); the provider applies again to renew.
 *
 * The application carries the provider's credit commitment (信用承诺). Approval needs a credit class among
 * `eligibleClasses` and no serious penalty in force; a serious penalty or a broken commitment after certification
 * revokes it (revocationsDue).
 */
export type CertificationState =
  'applied' | 'under-review' | 'certified' | 'rejected' | 'revoked' | 'withdrawn';

export interface CreditCommitment {
  /** The commitment text the provider signed (e.g. 普惠价格不高于市场价80%, 预付费资金存管, 依法诚信经营). */
  readonly text: string;
  readonly signedOn: string;
  /** Role of the signatory (法定代表人), not a name: the commitment is published with the badge. */
  readonly signatoryRole: string;
}

export interface CertificationEvent {
  readonly on: string;
  readonly actor: Actor;
  readonly action: CertificationAction['type'] | 'apply';
  readonly to: CertificationState;
  readonly note?: string;
}

export interface Certification {
  readonly id: string;
  readonly outletId: string;
  readonly providerUscc: string;
  readonly serviceType: string;
  readonly state: CertificationState;
  readonly commitment: CreditCommitment;
  readonly certifiedOn?: string;
  readonly expiresOn?: string;
  readonly history: readonly CertificationEvent[];
}

export interface CertificationConfig {
  readonly validityYears: number;
  readonly eligibleClasses: readonly RiskClass[];
  readonly source: RuleSource;
}

export const DEFAULT_CERTIFICATION_CONFIG: CertificationConfig = {
  validityYears: 2,
  eligibleClasses: ['A', 'B'],
  source: {
    document: '国办函〔2021〕103号（二）：县级制定社区普惠性生活服务机构（网点）认定支持办法',
    documentEn:
      'General Office of the State Council, Guo Ban Han (2021) No. 103, (2): counties set the rules for certifying affordable community service outlets',
    url: 'http://www.eindiatrips.com/2021-11/02/content_24989806.html',
    status: 'project-default',
    note: 'The validity and the eligible classes are project defaults. No national validity period or credit threshold found; each county sets its own 认定办法.',
  },
};

export type CertificationAction =
  | { readonly type: 'start-review' }
  | {
      readonly type: 'decide';
      readonly approve: boolean;
      readonly note: string;
      /** The provider's current classification, which the decision must respect. */
      readonly credit: CreditClassification;
    }
  | { readonly type: 'revoke'; readonly reason: string }
  | { readonly type: 'withdraw'; readonly note?: string };

export type CertificationResult =
  | { readonly ok: true; readonly certification: Certification }
  | {
      readonly ok: false;
      readonly code: Extract<ErrorCode, 'LC_CERTIFICATION_TRANSITION'>;
      readonly message: string;
    };

const ALLOWED: Readonly<
  Record<CertificationAction['type'], { from: readonly CertificationState[]; roles: readonly string[] }>
> = {
  'start-review': { from: ['applied'], roles: ['department'] },
  decide: { from: ['under-review'], roles: ['department'] },
  revoke: { from: ['certified'], roles: ['department', 'system'] },
  withdraw: { from: ['applied', 'under-review', 'certified'], roles: ['provider'] },
};

function addYears(date: string, years: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCFullYear(d.getUTCFullYear() + years);
  d.setUTCDate(d.getUTCDate() - 1); // valid through the day before the anniversary
  return d.toISOString().slice(0, 10);
}

export function applyForCertification(input: {
  id: string;
  outletId: string;
  providerUscc: string;
  serviceType: string;
  commitment: CreditCommitment;
  on: string;
}): CertificationResult {
  if (input.commitment.text.trim() === '')
    return {
      ok: false,
      code: 'LC_CERTIFICATION_TRANSITION',
      message: `certification ${input.id}: the application needs the provider's signed credit commitment (信用承诺)`,
    };
  return {
    ok: true,
    certification: {
      id: input.id,
      outletId: input.outletId,
      providerUscc: input.providerUscc,
      serviceType: input.serviceType,
      state: 'applied',
      commitment: input.commitment,
      history: [
        { on: input.on, actor: { role: 'provider', id: input.providerUscc }, action: 'apply', to: 'applied' },
      ],
    },
  };
}

export function applyCertificationAction(
  c: Certification,
  action: CertificationAction,
  actor: CertificationEvent['actor'],
  on: string,
  config: CertificationConfig = DEFAULT_CERTIFICATION_CONFIG,
): CertificationResult {
  const refuse = (why: string): CertificationResult => ({
    ok: false,
    code: 'LC_CERTIFICATION_TRANSITION',
    message: `certification ${c.id}: ${why}`,
  });
  const rule = ALLOWED[action.type];
  if (!rule.from.includes(c.state))
    return refuse(`cannot ${action.type} when ${c.state} (allowed from: ${rule.from.join(', ')})`);
  if (!rule.roles.includes(actor.role)) return refuse(`a ${actor.role} cannot ${action.type}`);
  const last = c.history[c.history.length - 1];
  if (on < last.on) return refuse(`${action.type} on ${on} is earlier than the last event on ${last.on}`);
  const step = (
    to: CertificationState,
    patch: Partial<Certification>,
    note?: string,
  ): CertificationResult => ({
    ok: true,
    certification: {
      ...c,
      ...patch,
      state: to,
      history: [
        ...c.history,
        { on, actor, action: action.type, to, ...(note === undefined ? {} : { note }) },
      ],
    },
  });
  switch (action.type) {
    case 'start-review':
      return step('under-review', {});
    case 'decide': {
      if (!action.approve) return step('rejected', {}, action.note);
      const credit = action.credit;
      if (credit.uscc !== c.providerUscc)
        return refuse(
          `the credit classification is of ${credit.uscc}, not of the applicant ${c.providerUscc}`,
        );
      if (!config.eligibleClasses.includes(credit.riskClass))
        return refuse(
          `provider ${c.providerUscc} is risk class ${credit.riskClass} on ${credit.asOf}; certification needs ${config.eligibleClasses.join(' or ')}`,
        );
      return step(
        'certified',
        { certifiedOn: on, expiresOn: addYears(on, config.validityYears) },
        action.note,
      );
    }
    case 'revoke':
      return step('revoked', {}, action.reason);
    case 'withdraw':
      return step('withdrawn', {}, action.note);
  }
}

export type CertificationStatus = CertificationState | 'expired';

/** The status on a date: a certification past its expiry reads as expired. */
export function certificationStatus(c: Certification, asOf: string): CertificationStatus {
  if (c.state === 'certified' && c.expiresOn !== undefined && asOf > c.expiresOn) return 'expired';
  return c.state;
}

/**
 * Certifications to revoke on `asOf`: a serious penalty or a broken credit commitment recorded on or after the
 * certification date and still in force. The platform applies `revoke` with the reason given.
 */
export function revocationsDue(
  certifications: readonly Certification[],
  records: readonly CreditRecord[],
  asOf: string,
): { certificationId: string; reason: string; recordIds: string[] }[] {
  const out: { certificationId: string; reason: string; recordIds: string[] }[] = [];
  for (const c of certifications) {
    if (certificationStatus(c, asOf) !== 'certified' || c.certifiedOn === undefined) continue;
    const certifiedOn = c.certifiedOn;
    const causes = records.filter(
      (r) =>
        r.uscc === c.providerUscc &&
        r.date >= certifiedOn &&
        exclusionOf(r, asOf) === null &&
        ((r.kind === 'penalty' && r.severity === 'serious') ||
          (r.kind === 'commitment' && r.breached === true)),
    );
    if (causes.length > 0)
      out.push({
        certificationId: c.id,
        reason: causes
          .map((r) => `${r.kind === 'penalty' ? '严重行政处罚' : '违背信用承诺'}: ${r.title} (${r.date})`)
          .join('; '),
        recordIds: causes.map((r) => r.id),
      });
  }
  return out;
}

export interface CertificationBadge {
  readonly outletId: string;
  readonly label: string;
  readonly labelEn: string;
  readonly certifiedOn: string;
  readonly validUntil: string;
  readonly commitment: string;
}

/** The public badge (普惠网点), or null when the outlet holds no certification valid on `asOf`. */
export function presentBadge(c: Certification, asOf: string): CertificationBadge | null {
  if (certificationStatus(c, asOf) !== 'certified' || !c.certifiedOn || !c.expiresOn) return null;
  return {
    outletId: c.outletId,
    label: '普惠网点',
    labelEn: 'Certified affordable outlet',
    certifiedOn: c.certifiedOn,
    validUntil: c.expiresOn,
    commitment: c.commitment.text,
  };
}
