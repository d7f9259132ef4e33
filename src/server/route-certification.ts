import { Type } from '@sinclair/typebox';
import { LifeCircleError } from '../errors.js';
import {
  DEFAULT_CERTIFICATION_CONFIG,
  applyCertificationAction,
  applyForCertification,
  certificationStatus,
  type Certification,
  type CertificationAction,
  type CreditClassification,
} from '../supervision/index.js';
import { actorOf } from './auth.js';
import { currentClass, forbidUnless, setAffordable } from './credit-service.js';
import { registryScopeProblem } from '../policy/index.js';
import { literals } from './schemas.js';
import {
  CONFLICT,
  DATE,
  IdParams,
  Json,
  certificationView,
  type CreditRouteOptions,
} from './credit-common.js';
import { ERRORS, type RoutePlugin } from './route-context.js';
import { beijingToday } from '../time/index.js';

const ApplyInput = Type.Object(
  {
    outletId: Type.String({ minLength: 1, maxLength: 64 }),
    commitment: Type.Object(
      {
        text: Type.String({ minLength: 1, maxLength: 2000 }),
        signatoryRole: Type.String({
          minLength: 1,
          maxLength: 50,
          description: 'e.g. 法定代表人 (a role, not a name)',
        }),
        signedOn: Type.Optional(DATE),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

const ReviewInput = Type.Object(
  {
    decision: literals(['start-review', 'approve', 'reject', 'revoke'] as const),
    note: Type.String({ minLength: 1, maxLength: 1000 }),
    expiresOn: Type.Optional(DATE),
  },
  { additionalProperties: false },
);

/** 普惠 certification: apply, review, withdraw, the queue. */
export const certificationRoutes: RoutePlugin<CreditRouteOptions> = async (app, ctx) => {
  const { store } = ctx;
  const asOf = (): string => beijingToday(ctx.clock);

  app.get(
    '/api/certifications',
    {
      config: { permission: 'certification.read' },
      schema: {
        tags: ['certification'],
        summary: '普惠 certifications (the review queue with ?state=applied); providers see their own',
        querystring: Type.Object({
          state: Type.Optional(
            literals(['applied', 'under-review', 'certified', 'rejected', 'revoked', 'withdrawn'] as const),
          ),
        }),
        response: { 200: Json, ...ERRORS },
      },
    },
    async (request) => {
      const { state } = request.query as { state?: Certification['state'] };
      const viewer = request.viewer;
      if (viewer.role === 'provider' && !viewer.providerUscc) return { items: [] };
      const list = await store.credit.listCertifications({
        state,
        ...(viewer.role === 'provider' ? { providerUscc: viewer.providerUscc ?? '' } : {}),
      });
      const day = asOf();
      const items = [];
      for (const c of list) {
        const outlet = await store.facilities.get(c.outletId);
        items.push(certificationView(c, day, outlet?.name ?? null));
      }
      return { items, config: DEFAULT_CERTIFICATION_CONFIG };
    },
  );

  app.post(
    '/api/certifications',
    {
      config: { permission: 'certification.apply' },
      schema: {
        tags: ['certification'],
        summary: 'A provider applies for 普惠 certification of one of its outlets with its credit commitment',
        body: ApplyInput,
        response: { 201: Json, ...ERRORS, ...CONFLICT },
      },
    },
    async (request, reply) => {
      const b = request.body as {
        outletId: string;
        commitment: { text: string; signatoryRole: string; signedOn?: string };
      };
      const viewer = request.viewer;
      const outlet = await store.facilities.get(b.outletId);
      if (!outlet)
        throw new LifeCircleError('LC_NOT_FOUND', `outletId: facility ${b.outletId} does not exist`);
      if (!viewer.providerUscc || outlet.providerUscc !== viewer.providerUscc)
        throw new LifeCircleError(
          'LC_FORBIDDEN',
          `outlet ${b.outletId} is not operated by provider ${viewer.providerUscc ?? '(none)'}`,
        );
      const day = asOf();
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
        providerUscc: viewer.providerUscc,
        serviceType: outlet.typeCode,
        commitment: {
          text: b.commitment.text.trim(),
          signatoryRole: b.commitment.signatoryRole.trim(),
          signedOn: b.commitment.signedOn ?? day,
        },
        on: day,
      });
      if (!applied.ok) throw new LifeCircleError(applied.code, applied.message);
      const created = await store.transaction(async (tx) => {
        const c = await tx.credit.createCertification(applied.certification);
        await tx.audit.record({
          actorId: viewer.id || null,
          actorName: viewer.username,
          action: 'create',
          entity: 'certifications',
          entityKey: c.id,
          before: null,
          after: c,
        });
        return c;
      });
      return reply.status(201).send(certificationView(created, day, outlet.name));
    },
  );

  app.post(
    '/api/certifications/:id/review',
    {
      config: { permission: 'certification.review' },
      schema: {
        tags: ['certification'],
        summary:
          'Start review, approve (with expiry), reject or revoke; approval sets the outlet 普惠, revocation clears it',
        params: IdParams,
        body: ReviewInput,
        response: { 200: Json, ...ERRORS, ...CONFLICT },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const b = request.body as {
        decision: 'start-review' | 'approve' | 'reject' | 'revoke';
        note: string;
        expiresOn?: string;
      };
      const viewer = request.viewer;
      const day = asOf();
      if (b.expiresOn !== undefined && (b.decision !== 'approve' || b.expiresOn <= day))
        throw new LifeCircleError(
          'LC_INVALID_FIELD',
          b.decision !== 'approve'
            ? 'expiresOn: only an approval has an expiry date'
            : `expiresOn: expected a date after today (${day}), got ${b.expiresOn}`,
        );
      const out = await store.transaction(async (tx) => {
        const c = await tx.credit.getCertification(id);
        if (!c) throw new LifeCircleError('LC_NOT_FOUND', `certification ${id} does not exist`);
        const outlet = await tx.facilities.get(c.outletId);
        const types = new Map((await tx.facilityTypes.list()).map((t) => [t.code, t]));
        if (outlet) forbidUnless(registryScopeProblem(viewer, 'facilities', [outlet], types));
        const actor = { role: 'department' as const, id: viewer.username };
        const steps: CertificationAction[] = [];
        if (b.decision === 'start-review') steps.push({ type: 'start-review' });
        else if (b.decision === 'revoke') steps.push({ type: 'revoke', reason: b.note });
        else {
          if (c.state === 'applied') steps.push({ type: 'start-review' });
          const credit: CreditClassification = (await currentClass(tx, c.providerUscc, day)).classification;
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
        await tx.audit.record({
          actorId: viewer.id || null,
          actorName: viewer.username,
          action: 'update',
          entity: 'certifications',
          entityKey: id,
          before: c,
          after: next,
        });
        if (next.state === 'certified' || next.state === 'revoked')
          await setAffordable(tx, next.outletId, next.state === 'certified', actorOf(viewer));
        return next;
      });
      const outlet = await store.facilities.get(out.outletId);
      return certificationView(out, day, outlet?.name ?? null);
    },
  );

  app.post(
    '/api/certifications/:id/withdraw',
    {
      config: { permission: 'certification.apply' },
      schema: {
        tags: ['certification'],
        summary:
          'The provider withdraws its application or certification; a certified outlet loses its 普惠 flag',
        params: IdParams,
        body: Type.Object(
          { note: Type.Optional(Type.String({ maxLength: 1000 })) },
          { additionalProperties: false },
        ),
        response: { 200: Json, ...ERRORS, ...CONFLICT },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const { note } = request.body as { note?: string };
      const viewer = request.viewer;
      const day = asOf();
      const out = await store.transaction(async (tx) => {
        const c = await tx.credit.getCertification(id);
        if (!c) throw new LifeCircleError('LC_NOT_FOUND', `certification ${id} does not exist`);
        if (c.providerUscc !== viewer.providerUscc)
          throw new LifeCircleError('LC_FORBIDDEN', `certification ${id} belongs to another provider`);
        const r = applyCertificationAction(
          c,
          { type: 'withdraw', ...(note ? { note } : {}) },
          { role: 'provider', id: c.providerUscc },
          day,
        );
        if (!r.ok) throw new LifeCircleError(r.code, r.message);
        await tx.credit.saveCertification(r.certification);
        await tx.audit.record({
          actorId: viewer.id || null,
          actorName: viewer.username,
          action: 'update',
          entity: 'certifications',
          entityKey: id,
          before: c,
          after: r.certification,
        });
        if (c.state === 'certified') await setAffordable(tx, c.outletId, false, actorOf(viewer));
        return r.certification;
      });
      const outlet = await store.facilities.get(out.outletId);
      return certificationView(out, day, outlet?.name ?? null);
    },
  );
};
