import { Type, type Static } from '@sinclair/typebox';
import {
  DEFAULT_CERTIFICATION_CONFIG,
  applyCertification,
  certificationsFor,
  outletNaming,
  reviewCertification,
  withdrawCertification,
  type Certification,
} from '../supervision/index.js';
import type { Store } from '../store/index.js';
import { literals, PageQuery } from './schemas.js';
import { CONFLICT, DATE, IdParams, certificationView, type CreditRouteOptions } from './credit-common.js';
import { CertificationList, CertificationView } from './credit-schemas.js';
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

/** A certification with its outlet's name and type, as the routes answer. */
async function withOutletName(
  store: Store,
  c: Certification,
  day: string,
): Promise<Static<typeof CertificationView>> {
  return certificationView(c, day, await outletNaming(store, c.outletId));
}

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
          ...PageQuery,
          state: Type.Optional(
            literals(['applied', 'under-review', 'certified', 'rejected', 'revoked', 'withdrawn'] as const),
          ),
        }),
        response: { 200: CertificationList, ...ERRORS },
      },
    },
    async (request): Promise<Static<typeof CertificationList>> => {
      const { state, ...page } = request.query;
      const list = await certificationsFor(store, request.viewer, state, page);
      const day = asOf();
      const items = [];
      for (const c of list.items) items.push(await withOutletName(store, c, day));
      return {
        items,
        total: list.total,
        limit: list.limit,
        offset: list.offset,
        config: DEFAULT_CERTIFICATION_CONFIG,
      };
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
        response: { 201: CertificationView, ...ERRORS, ...CONFLICT },
      },
    },
    async (request, reply) => {
      const {
        certification,
        outlet,
        asOf: day,
      } = await applyCertification(ctx, request.viewer, request.body);
      return reply.status(201).send(certificationView(certification, day, outlet));
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
        response: { 200: CertificationView, ...ERRORS, ...CONFLICT },
      },
    },
    async (request) => {
      const out = await reviewCertification(ctx, request.viewer, { ...request.params, ...request.body });
      return withOutletName(store, out, asOf());
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
        response: { 200: CertificationView, ...ERRORS, ...CONFLICT },
      },
    },
    async (request) => {
      const out = await withdrawCertification(ctx, request.viewer, { ...request.params, ...request.body });
      return withOutletName(store, out, asOf());
    },
  );
};
