import { LifeCircleError } from '../errors.js';
import {
  actOnCase,
  aggregateBy,
  beijingDate,
  caseQueue,
  caseRow,
  caseDetail,
  complain,
  heldRatings,
  moderateRating,
  outletRatings,
  presentRating,
  rate,
  ratedOutletsNear,
  ratingViewerOf,
  registerResident,
  residentSatisfaction,
  visibleCase,
  type RatingViewer,
  type WalkingDistances,
} from '../supervision/index.js';
import { login } from './auth.js';
import { Session } from './schemas.js';
import * as S from './cases-schemas.js';
import { ERRORS, type RouteContext, type RoutePlugin, ErrorRef, RATE_LIMITED } from './route-context.js';
import type { MapDataProvider } from './route-map.js';
import { rateLimitOf } from './security.js';

export const caseRoutes: RoutePlugin<RouteContext & { map?: MapDataProvider }> = async (app, ctx) => {
  const { store, map } = ctx;
  // Walking distances for the residents' outlets come from the map's engine when one is loaded.
  const walking: WalkingDistances | undefined =
    map && ((c, points, limitM) => map.walkingDistances(c, points, limitM));
  const now = ctx.clock;
  const tags = ['ratings and cases'];

  app.post(
    '/api/residents/register',
    {
      config: { permission: 'residents.register', rateLimit: rateLimitOf(ctx.rateLimits, 'registration') },
      schema: {
        tags,
        summary:
          'Register a pseudonymous resident account (phone + password) and log in; no SMS code is sent',
        security: [],
        body: S.RegisterBody,
        response: { 201: Session, ...ERRORS, 409: ErrorRef, ...RATE_LIMITED },
      },
    },
    async (request, reply) => {
      const { phone, password } = request.body;
      const user = await registerResident(ctx, request.viewer, { phone, password });
      const session = await login(ctx, { username: user.username, password, client: request.ip });
      return reply.status(201).send(session);
    },
  );

  app.get(
    '/api/ratings/outlets',
    {
      config: { permission: 'ratings.read' },
      schema: {
        tags,
        summary:
          'Outlets near a community, one per place, nearest first by walking distance (straight line without a walking network), with their ratings aggregate',
        querystring: S.OutletsNearQuery,
        response: { 200: S.OutletsNear, ...ERRORS },
      },
    },
    async (request) => {
      const { community, limit = 20, type } = request.query;
      return await ratedOutletsNear(store, community, limit, type, walking);
    },
  );

  app.post(
    '/api/ratings',
    {
      config: { permission: 'ratings.create' },
      schema: {
        tags,
        summary:
          'Rate an outlet or a service event (好差评); a 差评 opens a case; one rating per event/outlet and account',
        body: S.RateBody,
        response: { 201: S.RateResult, ...ERRORS, 409: ErrorRef },
      },
    },
    async (request, reply) => {
      const result = await rate(ctx, request.viewer, request.body);
      const viewer: RatingViewer = request.viewer.role === 'resident' ? 'department' : 'handler';
      return reply.status(201).send({ rating: presentRating(result.rating, viewer), caseId: result.caseId });
    },
  );

  app.get(
    '/api/facilities/:key/ratings',
    {
      config: { permission: 'ratings.read' },
      schema: {
        tags,
        summary:
          'Published ratings of one outlet (phones masked), its aggregate (Bayesian) and monthly trend',
        params: S.KeyParams,
        querystring: S.OutletRatingsQuery,
        response: { 200: S.OutletRatings, ...ERRORS },
      },
    },
    async (request) => {
      const { outlet, aggregate, trend, total, items } = await outletRatings(
        store,
        request.params.key,
        request.query,
      );
      return {
        outlet,
        aggregate,
        trend,
        total,
        items: items.map((r) => presentRating(r, ratingViewerOf(request.viewer, r))),
      };
    },
  );

  app.get(
    '/api/ratings/aggregates',
    {
      config: { permission: 'ratings.read' },
      schema: {
        tags,
        summary: 'Satisfaction rate and Bayesian average per outlet, provider, service type or region',
        querystring: S.AggregatesQuery,
        response: { 200: S.Aggregates, ...ERRORS },
      },
    },
    async (request) => {
      const { by, within, regionDigits } = request.query;
      const ratings = await store.ratings.all({ within });
      return {
        by,
        within: within ?? null,
        items: aggregateBy(ratings, by, { regionDigits }),
      };
    },
  );

  app.get(
    '/api/ratings/satisfaction',
    {
      config: { permission: 'ratings.read' },
      schema: {
        tags,
        summary: '居民满意度 of a region over a period, with its 95 % interval (for the indicators)',
        querystring: S.SatisfactionQuery,
        response: { 200: S.Satisfaction, ...ERRORS },
      },
    },
    async (request) => {
      const to = request.query.to ?? beijingDate(now());
      const from = request.query.from ?? `${Number(to.slice(0, 4)) - 1}${to.slice(4)}`;
      if (from > to) throw new LifeCircleError('LC_USAGE', `querystring/from: ${from} is after to (${to})`);
      const region = request.query.region ?? '';
      const ratings = await store.ratings.all({ within: region });
      return residentSatisfaction(ratings, region, from, to);
    },
  );

  app.get(
    '/api/ratings/held',
    {
      config: { permission: 'ratings.moderate' },
      schema: {
        tags,
        summary: 'Ratings held by the abuse detectors, with the reasons, for review (in the viewer’s region)',
        querystring: S.PageOnly,
        response: { 200: S.HeldPage, ...ERRORS },
      },
    },
    async (request) => {
      const { limit = 50, offset = 0 } = request.query;
      const held = await heldRatings(store, request.viewer);
      return {
        total: held.length,
        limit,
        offset,
        items: held
          .slice(offset, offset + limit)
          .map((r) => ({ ...presentRating(r, 'department'), flags: r.flags })),
      };
    },
  );

  app.post(
    '/api/ratings/:id/moderation',
    {
      config: { permission: 'ratings.moderate' },
      schema: {
        tags,
        summary:
          'Release a held rating (published again) or reject it (invalidated); nothing is deleted; audited',
        params: S.IdParams,
        body: S.ModerationBody,
        response: { 200: S.ModeratedRating, ...ERRORS },
      },
    },
    async (request) => {
      const updated = await moderateRating(ctx, request.viewer, { id: request.params.id, ...request.body });
      const view = { ...presentRating(updated, 'department'), moderation: updated.moderation };
      return view;
    },
  );

  app.post(
    '/api/complaints',
    {
      config: { permission: 'complaints.create' },
      schema: {
        tags,
        summary: 'Complain about an outlet (投诉); opens a case assigned to the provider and its department',
        body: S.ComplaintBody,
        response: { 201: S.ComplaintFiled, ...ERRORS },
      },
    },
    async (request, reply) => {
      const result = await complain(ctx, request.viewer, request.body);
      return reply.status(201).send({ complaintId: result.complaint.id, caseId: result.caseId });
    },
  );

  app.get(
    '/api/cases',
    {
      config: { permission: 'cases.read' },
      schema: {
        tags,
        summary:
          'The case queue in the viewer’s scope: overdue first, then by deadline, with working days left',
        querystring: S.CaseQueueQuery,
        response: { 200: S.CasePage, ...ERRORS },
      },
    },
    async (request) => {
      const at = now();
      const page = await caseQueue(store, request.viewer, request.query);
      const items = [];
      for (const c of page.items) items.push(await caseRow(store, c, at));
      return { ...page, items };
    },
  );

  app.get(
    '/api/cases/:id',
    {
      config: { permission: 'cases.read' },
      schema: {
        tags,
        summary:
          'One case with its full history and the rating or complaint (phone in full for the handler only)',
        params: S.IdParams,
        response: { 200: S.CaseDetail, ...ERRORS },
      },
    },
    async (request) => {
      const c = await visibleCase(store, request.viewer, request.params.id);
      return caseDetail(store, request.viewer, c, now());
    },
  );

  app.post(
    '/api/cases/:id/actions',
    {
      config: { permission: 'cases.act' },
      schema: {
        tags,
        summary:
          'One step of the case workflow (reply, report-rectified, follow-up, confirm, appeal, review, escalate…)',
        params: S.IdParams,
        body: S.ActionBody,
        response: { 200: S.CaseDetail, ...ERRORS, 409: ErrorRef },
      },
    },
    async (request) => {
      const c = await actOnCase(ctx, request.viewer, { id: request.params.id, ...request.body });
      return caseDetail(store, request.viewer, c, now());
    },
  );
};
