import { Type, type Static } from '@sinclair/typebox';
import {
  CREDIT_RECORD_KINDS,
  DEFAULT_LEADER_CONFIG,
  DEFAULT_SCORING,
  RISK_CLASS_NAMES,
  currentClass,
  outletNaming,
  presentBadge,
  presentDisclosure,
  providerInScope,
  leaderBoard,
  providerOr404,
  recordCredit,
  repairCredit,
  type CreditRecorded,
} from '../supervision/index.js';
import { literals, PageQuery } from './schemas.js';
import { inspectionRoutes } from './route-inspections.js';
import { certificationRoutes } from './route-certification.js';
import {
  DATE,
  SEES_INTERNAL,
  USCC,
  UsccParams,
  certificationView,
  presentCreditRecord,
  type CreditRouteOptions,
} from './credit-common.js';
import {
  CreditProfile,
  CreditRecordChange,
  CreditRecordList,
  LeaderBoard,
  ProviderDisclosure,
} from './credit-schemas.js';
import { ERRORS, type RoutePlugin } from './route-context.js';
import type { Viewer } from '../policy/index.js';
import { beijingToday } from '../time/index.js';

export type { CreditRouteOptions, LeaderRatingsProvider } from './credit-common.js';

/**
 * Credit records, the provider's class with its explanation, 信用修复, the public disclosure and 领跑者; registers the
 * draws (route-inspections.ts) and certification (route-certification.ts) plugins with the same options.
 */

const CreditRecordInput = Type.Object(
  {
    kind: literals(CREDIT_RECORD_KINDS),
    title: Type.String({ minLength: 1, maxLength: 200 }),
    authority: Type.String({ minLength: 1, maxLength: 100, description: 'the deciding body' }),
    document: Type.Optional(Type.String({ maxLength: 100, description: '文书号' })),
    date: DATE,
    validUntil: Type.Optional(DATE),
    repairedOn: Type.Optional(DATE),
    severity: Type.Optional(literals(['minor', 'ordinary', 'serious'] as const)),
    outcome: Type.Optional(literals(['compliant', 'rectified', 'non-compliant'] as const)),
    breached: Type.Optional(Type.Boolean()),
    internalNote: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);

/** A recorded or repaired credit record, as the viewer sees it, with the class change it caused. */
const recordedView = (r: CreditRecorded, viewer: Viewer): Static<typeof CreditRecordChange> => ({
  record: presentCreditRecord(r.record, viewer, r.asOf),
  classification: r.classification,
  previousClass: r.previousClass,
  revoked: r.revoked,
});

export const creditRoutes: RoutePlugin<CreditRouteOptions> = async (app, ctx) => {
  const { store } = ctx;
  const asOf = (): string => beijingToday(ctx.clock);
  const tags = ['credit'];
  // Draws and results, and certification, are their own plugins with the same options.
  await app.register(inspectionRoutes, ctx);
  await app.register(certificationRoutes, ctx);

  app.get(
    '/api/providers/:uscc/credit-records',
    {
      config: { permission: 'credit.read' },
      schema: {
        tags,
        summary: "A provider's credit records, oldest first; paged",
        params: UsccParams,
        querystring: Type.Object(PageQuery),
        response: { 200: CreditRecordList, ...ERRORS },
      },
    },
    async (request): Promise<Static<typeof CreditRecordList>> => {
      const { uscc } = request.params;
      await providerInScope(store, request.viewer, uscc);
      const day = asOf();
      const page = await store.credit.recordPage(uscc, request.query);
      return { ...page, items: page.items.map((r) => presentCreditRecord(r, request.viewer, day)) };
    },
  );

  app.post(
    '/api/providers/:uscc/credit-records',
    {
      config: { permission: 'credit.write' },
      schema: {
        tags,
        summary:
          'Add a credit record; the class is recomputed and due revocations applied in the same transaction',
        params: UsccParams,
        body: CreditRecordInput,
        response: { 201: CreditRecordChange, ...ERRORS },
      },
    },
    async (request, reply) => {
      const recorded = await recordCredit(ctx, request.viewer, {
        uscc: request.params.uscc,
        ...request.body,
      });
      return reply.status(201).send(recordedView(recorded, request.viewer));
    },
  );

  app.post(
    '/api/providers/:uscc/credit-records/:id/repair',
    {
      config: { permission: 'credit.write' },
      schema: {
        tags,
        summary:
          '信用修复: from this date the record no longer counts nor is disclosed; class recomputed, audited',
        params: Type.Object({ uscc: USCC, id: Type.String({ minLength: 1, maxLength: 100 }) }),
        body: Type.Object({ repairedOn: DATE }, { additionalProperties: false }),
        response: { 200: CreditRecordChange, ...ERRORS },
      },
    },
    async (request): Promise<Static<typeof CreditRecordChange>> => {
      const repaired = await repairCredit(ctx, request.viewer, { ...request.params, ...request.body });
      return recordedView(repaired, request.viewer);
    },
  );

  app.get(
    '/api/providers/:uscc/credit',
    {
      config: { permission: 'credit.read' },
      schema: {
        tags,
        summary: 'Risk class A–D, score, the records that drove it and the scoring model',
        params: UsccParams,
        response: { 200: CreditProfile, ...ERRORS },
      },
    },
    async (request): Promise<Static<typeof CreditProfile>> => {
      const { uscc } = request.params;
      const provider = await providerInScope(store, request.viewer, uscc);
      const day = asOf();
      const { classification, stored } = await currentClass(store, uscc, day);
      const records = (await store.credit.listRecords(uscc)).map((r) =>
        presentCreditRecord(r, request.viewer, day),
      );
      const certifications = [];
      for (const c of await store.credit.listCertifications({ providerUscc: uscc }))
        certifications.push(certificationView(c, day, await outletNaming(store, c.outletId)));
      return {
        provider: { uscc: provider.uscc, name: provider.name, regionCode: provider.regionCode },
        classification,
        stored,
        className: RISK_CLASS_NAMES.value[classification.riskClass],
        classSource: RISK_CLASS_NAMES.source,
        records,
        scoring: DEFAULT_SCORING,
        certifications,
      };
    },
  );

  app.get(
    '/api/public/providers/:uscc',
    {
      config: { permission: 'disclosure.read' },
      schema: {
        tags: ['disclosure'],
        summary:
          'Public disclosure (信息公示): permits, penalties and inspections in force, 普惠 badges; nothing personal',
        params: UsccParams,
        response: { 200: ProviderDisclosure, ...ERRORS },
      },
    },
    async (request): Promise<Static<typeof ProviderDisclosure>> => {
      const { uscc } = request.params;
      const provider = await providerOr404(store, uscc);
      const day = asOf();
      const disclosure = presentDisclosure(provider, await store.credit.listRecords(uscc), day);
      const badges = [];
      for (const c of await store.credit.listCertifications({ providerUscc: uscc })) {
        const badge = presentBadge(c, day);
        if (!badge) continue;
        badges.push({ ...badge, ...(await outletNaming(store, c.outletId)) });
      }
      return { ...disclosure, badges };
    },
  );

  app.get(
    '/api/leaders',
    {
      config: { permission: 'disclosure.read' },
      schema: {
        tags: ['disclosure'],
        summary:
          '领跑者 ranking per service type: ratings and credit, or credit alone while no ratings are wired in',
        response: { 200: LeaderBoard, ...ERRORS },
      },
    },
    async (request): Promise<Static<typeof LeaderBoard>> => {
      const internal = SEES_INTERNAL.includes(request.viewer.role) || request.viewer.role === 'coordinator';
      const { withRatings, ranked, names } = await leaderBoard(store, ctx.ratings ? await ctx.ratings() : []);
      return {
        basis: withRatings ? 'ratings-and-credit' : 'credit-only',
        note: withRatings
          ? 'Bayesian satisfaction and credit score blended (docs/supervision.md)'
          : 'No ratings yet: outlets are ranked by their provider’s credit score alone.',
        config: DEFAULT_LEADER_CONFIG,
        types: [...ranked].map(([serviceType, entries]) => ({
          serviceType,
          entries: entries.map((e) => ({
            rank: e.rank,
            outletId: e.outletId,
            outletName: names.get(e.outletId) ?? e.outletId,
            providerUscc: e.providerUscc,
            // The class and score are an internal supervision reference, not a public rating.
            ...(internal ? { score: e.score, riskClass: e.riskClass } : {}),
          })),
        })),
      };
    },
  );
};
