/**
 * 普惠 certification writes: a provider applies for (or withdraws) certification of its own outlet; the supervising
 * department starts the review, approves, rejects or revokes. Approval sets the outlet's 普惠 flag, revocation and
 * the withdrawal of a certified outlet clear it — in the same transaction, audited.
 */
import { actorOf, recordAudit } from '../audit/index.js';
import { LifeCircleError } from '../errors.js';
import { defineCommand, requireCovers } from '../policy/index.js';
import { beijingToday } from '../time/index.js';
import {
  applyCertificationAction,
  applyForCertification,
  certificationStatus,
  type Certification,
  type CertificationAction,
} from './certification.js';
import { setAffordable } from './credit-commands.js';
import { currentClass, outletNaming, type OutletNaming } from './queries.js';
import { outletRecord } from './scope.js';

export interface ApplyInput {
  outletId: string;
  commitment: { text: string; signatoryRole: string; signedOn?: string };
}

/** The provider applies for 普惠 certification of one of its outlets with its credit commitment. */
export const applyCertification = defineCommand<
  ApplyInput,
  { certification: Certification; outlet: OutletNaming; asOf: string }
>({
  name: 'certification.apply',
  permission: 'certification.apply',
  async run(deps, viewer, b) {
    const { store } = deps;
    const outlet = await store.facilities.get(b.outletId);
    if (!outlet) throw new LifeCircleError('LC_NOT_FOUND', `outletId: facility ${b.outletId} does not exist`);
    requireCovers(viewer, outletRecord(outlet.code, outlet.regionCode, null, outlet.providerUscc));
    const providerUscc = outlet.providerUscc as string;
    const day = beijingToday(deps.clock);
    const open = (await store.credit.listCertifications({ outletId: b.outletId })).find((c) =>
      ['applied', 'under-review', 'certified'].includes(certificationStatus(c, day)),
    );
    if (open)
      throw new LifeCircleError(
        'LC_CONFLICT',
        `outlet ${b.outletId} already has certification ${open.id} (${open.state})`,
      );
    const applied = applyForCertification({
      id: 'new',
      outletId: outlet.code,
      providerUscc,
      serviceType: outlet.typeCode,
      commitment: {
        text: b.commitment.text.trim(),
        signatoryRole: b.commitment.signatoryRole.trim(),
        signedOn: b.commitment.signedOn ?? day,
      },
      on: day,
    });
    if (!applied.ok) throw new LifeCircleError(applied.code, applied.message);
    const certification = await store.transaction(async (tx) => {
      const c = await tx.credit.createCertification(applied.certification);
      await recordAudit(tx, actorOf(viewer), {
        action: 'create',
        entity: 'certifications',
        key: c.id,
        after: c,
      });
      return c;
    });
    return { certification, outlet: await outletNaming(store, outlet.code, outlet), asOf: day };
  },
});

export interface ReviewInput {
  id: string;
  decision: 'start-review' | 'approve' | 'reject' | 'revoke';
  note: string;
  expiresOn?: string;
}

/** The supervising department starts the review, approves (with expiry), rejects or revokes a certification. */
export const reviewCertification = defineCommand<ReviewInput, Certification>({
  name: 'certification.review',
  permission: 'certification.review',
  async run(deps, viewer, b) {
    const day = beijingToday(deps.clock);
    if (b.expiresOn !== undefined && (b.decision !== 'approve' || b.expiresOn <= day))
      throw new LifeCircleError(
        'LC_INVALID_FIELD',
        b.decision !== 'approve'
          ? 'expiresOn: only an approval has an expiry date'
          : `expiresOn: expected a date after today (${day}), got ${b.expiresOn}`,
      );
    return deps.store.transaction(async (tx) => {
      const c = await tx.credit.getCertification(b.id);
      if (!c) throw new LifeCircleError('LC_NOT_FOUND', `certification ${b.id} does not exist`);
      const outlet = await tx.facilities.get(c.outletId);
      if (outlet) {
        const type = await tx.facilityTypes.get(outlet.typeCode);
        requireCovers(
          viewer,
          outletRecord(outlet.code, outlet.regionCode, type?.domain ?? null, outlet.providerUscc),
        );
      }
      const actor = { role: 'department' as const, id: viewer.username };
      const steps: CertificationAction[] = [];
      if (b.decision === 'start-review') steps.push({ type: 'start-review' });
      else if (b.decision === 'revoke') steps.push({ type: 'revoke', reason: b.note });
      else {
        if (c.state === 'applied') steps.push({ type: 'start-review' });
        const credit = (await currentClass(tx, c.providerUscc, day)).classification;
        steps.push({ type: 'decide', approve: b.decision === 'approve', note: b.note, credit });
      }
      let next = c;
      for (const step of steps) {
        const r = applyCertificationAction(next, step, actor, day);
        if (!r.ok) throw new LifeCircleError(r.code, r.message);
        next = r.certification;
      }
      if (b.decision === 'approve' && b.expiresOn) next = { ...next, expiresOn: b.expiresOn };
      await tx.credit.saveCertification(next);
      await recordAudit(tx, actorOf(viewer), {
        action: 'update',
        entity: 'certifications',
        key: b.id,
        before: c,
        after: next,
      });
      if (next.state === 'certified' || next.state === 'revoked')
        await setAffordable(tx, next.outletId, next.state === 'certified', actorOf(viewer));
      return next;
    });
  },
});

/** The provider withdraws its application or certification; a certified outlet loses its 普惠 flag. */
export const withdrawCertification = defineCommand<{ id: string; note?: string }, Certification>({
  name: 'certification.withdraw',
  permission: 'certification.apply',
  async run(deps, viewer, { id, note }) {
    const day = beijingToday(deps.clock);
    return deps.store.transaction(async (tx) => {
      const c = await tx.credit.getCertification(id);
      if (!c) throw new LifeCircleError('LC_NOT_FOUND', `certification ${id} does not exist`);
      requireCovers(viewer, { label: `certification ${id}`, regionCode: null, providerUscc: c.providerUscc });
      const r = applyCertificationAction(
        c,
        { type: 'withdraw', ...(note ? { note } : {}) },
        { role: 'provider', id: c.providerUscc },
        day,
      );
      if (!r.ok) throw new LifeCircleError(r.code, r.message);
      await tx.credit.saveCertification(r.certification);
      await recordAudit(tx, actorOf(viewer), {
        action: 'update',
        entity: 'certifications',
        key: id,
        before: c,
        after: r.certification,
      });
      if (c.state === 'certified') await setAffordable(tx, c.outletId, false, actorOf(viewer));
      return r.certification;
    });
  },
});
