/**
 * Credit writes: record a credit record and 信用修复 (repair). Inside one transaction a record is stored, the
 * provider's class recomputed from all its records, and the 普惠 certifications that a serious penalty or a broken
 * commitment makes due are revoked — all audited, so a class change or a revocation is never separated from the
 * record that caused it. `recordCreditIn` is the same step for other commands' transactions (a case closed, an
 * inspection result).
 */
import { randomUUID } from 'node:crypto';
import { actorOf, recordAudit } from '../audit/index.js';
import { LifeCircleError } from '../errors.js';
import { defineCommand, requireCovers } from '../policy/index.js';
import type { Actor, StoreRepositories } from '../store/index.js';
import { beijingToday } from '../time/index.js';
import { applyCertificationAction, revocationsDue } from './certification.js';
import { DEFAULT_SCORING, classifyProvider, type CreditClassification, type CreditRecord } from './credit.js';
import { currentClass, providerOr404 } from './queries.js';
import { providerRecord } from './scope.js';

export interface CreditChange {
  classification: CreditClassification;
  previousClass: CreditClassification['riskClass'] | null;
  revoked: string[];
}

/** Stores (or replaces) a credit record in the caller's transaction, then recomputes the class and revokes. */
export async function recordCreditIn(
  tx: StoreRepositories,
  record: CreditRecord,
  actor: Actor,
  asOf: string,
): Promise<CreditChange> {
  // The class before the change, also for a provider whose base class was never stored.
  const prior = (await currentClass(tx, record.uscc, asOf)).classification.riskClass;
  const before = await tx.credit.putRecord(record, actor.name);
  await recordAudit(tx, actor, {
    action: before ? 'update' : 'create',
    entity: 'credit_records',
    key: record.id,
    before,
    after: record,
  });
  return { ...(await recomputeCredit(tx, record.uscc, actor, asOf)), previousClass: prior };
}

async function recomputeCredit(
  tx: StoreRepositories,
  uscc: string,
  actor: Actor,
  asOf: string,
): Promise<CreditChange> {
  const records = await tx.credit.listRecords(uscc);
  const next = classifyProvider(uscc, records, asOf, DEFAULT_SCORING);
  const previous = await tx.credit.putClass(next);
  if (!previous || previous.riskClass !== next.riskClass || previous.score !== next.score)
    await recordAudit(tx, actor, {
      action: previous ? 'update' : 'create',
      entity: 'credit_classes',
      key: uscc,
      before: previous && {
        riskClass: previous.riskClass,
        score: previous.score,
        decidedBy: previous.decidedBy,
      },
      after: { riskClass: next.riskClass, score: next.score, decidedBy: next.decidedBy },
    });
  const certified = await tx.credit.listCertifications({ providerUscc: uscc, state: 'certified' });
  const revoked: string[] = [];
  for (const due of revocationsDue(certified, records, asOf)) {
    const c = certified.find((x) => x.id === due.certificationId);
    if (!c) continue;
    const result = applyCertificationAction(
      c,
      { type: 'revoke', reason: due.reason },
      { role: 'system', id: 'credit-records' },
      asOf,
    );
    if (!result.ok) continue;
    const before = await tx.credit.saveCertification(result.certification);
    await recordAudit(tx, actor, {
      action: 'update',
      entity: 'certifications',
      key: c.id,
      before,
      after: result.certification,
    });
    await setAffordable(tx, c.outletId, false, actor);
    revoked.push(c.id);
  }
  return { classification: next, previousClass: previous?.riskClass ?? null, revoked };
}

/** The 普惠 flag of the outlet follows its certification, so the map and the residents' page show it. */
export async function setAffordable(
  tx: StoreRepositories,
  outletId: string,
  affordable: boolean,
  actor: Actor,
): Promise<void> {
  const facility = await tx.facilities.get(outletId);
  if (!facility || facility.affordable === affordable) return;
  const after = { ...facility, affordable };
  await tx.facilities.upsert(after);
  await recordAudit(tx, actor, {
    action: 'update',
    entity: 'facilities',
    key: outletId,
    before: facility,
    after,
  });
}

export interface CreditRecordInput {
  uscc: string;
  kind: CreditRecord['kind'];
  title: string;
  authority: string;
  document?: string;
  date: string;
  validUntil?: string;
  repairedOn?: string;
  severity?: CreditRecord['severity'];
  outcome?: CreditRecord['outcome'];
  breached?: boolean;
  internalNote?: string;
}

function recordFromInput(b: CreditRecordInput): CreditRecord {
  const problem =
    b.severity !== undefined && b.kind !== 'penalty'
      ? 'severity: only penalties have a severity'
      : b.kind === 'penalty' && b.severity === undefined
        ? 'severity: a penalty needs minor, ordinary or serious'
        : b.outcome !== undefined && b.kind !== 'inspection'
          ? 'outcome: only inspections have an outcome'
          : b.kind === 'inspection' && b.outcome === undefined
            ? 'outcome: an inspection needs compliant, rectified or non-compliant'
            : b.breached !== undefined && b.kind !== 'commitment'
              ? 'breached: only credit commitments can be breached'
              : b.validUntil !== undefined && b.validUntil < b.date
                ? `validUntil: ${b.validUntil} is before the date ${b.date}`
                : b.repairedOn !== undefined && b.repairedOn < b.date
                  ? `repairedOn: ${b.repairedOn} is before the date ${b.date}`
                  : null;
  if (problem) throw new LifeCircleError('LC_INVALID_FIELD', `credit record ${problem}`);
  return {
    id: `cr-${randomUUID()}`,
    uscc: b.uscc,
    kind: b.kind,
    title: b.title.trim(),
    source: { authority: b.authority.trim(), ...(b.document ? { document: b.document.trim() } : {}) },
    date: b.date,
    ...(b.validUntil ? { validUntil: b.validUntil } : {}),
    ...(b.repairedOn ? { repairedOn: b.repairedOn } : {}),
    ...(b.severity ? { severity: b.severity } : {}),
    ...(b.outcome ? { outcome: b.outcome } : {}),
    ...(b.breached !== undefined ? { breached: b.breached } : {}),
    ...(b.internalNote ? { internalNote: b.internalNote } : {}),
  };
}

export interface CreditRecorded extends CreditChange {
  record: CreditRecord;
  /** The Beijing date the class was computed for. */
  asOf: string;
}

/** Adds a credit record of a provider in the viewer's scope; class recomputed, due revocations applied. */
export const recordCredit = defineCommand<CreditRecordInput, CreditRecorded>({
  name: 'credit.record',
  permission: 'credit.write',
  async run(deps, viewer, input) {
    requireCovers(viewer, providerRecord(await providerOr404(deps.store, input.uscc)));
    const record = recordFromInput(input);
    const asOf = beijingToday(deps.clock);
    const change = await deps.store.transaction((tx) => recordCreditIn(tx, record, actorOf(viewer), asOf));
    return { record, asOf, ...change };
  },
});

/** 信用修复: from `repairedOn` the record no longer counts nor is disclosed; class recomputed, audited. */
export const repairCredit = defineCommand<{ uscc: string; id: string; repairedOn: string }, CreditRecorded>({
  name: 'credit.repair',
  permission: 'credit.write',
  async run(deps, viewer, { uscc, id, repairedOn }) {
    requireCovers(viewer, providerRecord(await providerOr404(deps.store, uscc)));
    const asOf = beijingToday(deps.clock);
    const out = await deps.store.transaction(async (tx) => {
      const record = await tx.credit.getRecord(id);
      if (!record || record.uscc !== uscc)
        throw new LifeCircleError('LC_NOT_FOUND', `provider ${uscc} has no credit record ${id}`);
      if (repairedOn < record.date)
        throw new LifeCircleError(
          'LC_INVALID_FIELD',
          `repairedOn: ${repairedOn} is before the record's date ${record.date}`,
        );
      const repaired: CreditRecord = { ...record, repairedOn };
      return { record: repaired, ...(await recordCreditIn(tx, repaired, actorOf(viewer), asOf)) };
    });
    return { ...out, asOf };
  },
});
