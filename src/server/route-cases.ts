import { Type } from '@sinclair/typebox';
import { LifeCircleError } from '../errors.js';
import type { StoredRating } from '../store/index.js';
import {
  actOnCase,
  aggregateBy,
  beijingDate,
  caseQueue,
  caseView,
  complain,
  heldRatings,
  moderateRating,
  outletRatings,
  presentRating,
  rate,
  ratingRecord,
  ratedOutletsNear,
  registerResident,
  residentSatisfaction,
  visibleCase,
  type RatingViewer,
} from '../supervision/index.js';
import { login, LoginThrottle } from './auth.js';
import { covers, type Viewer } from '../policy/index.js';
import { literals, Session } from './schemas.js';
import {
  ActionBody,
  CASE_STATES,
  CaseSummary,
  ComplaintBody,
  ModerationBody,
  Open,
  RateBody,
  Region,
  RegisterBody,
  pageQuery,
} from './cases-schemas.js';
import { ERRORS, type RoutePlugin } from './route-context.js';

/** How a viewer sees a rating outside a case: the department sees accounts, everyone else the public view. */
function ratingViewerOf(viewer: Viewer, r: StoredRating): RatingViewer {
  if (viewer.role === 'administrator' || viewer.role === 'staff' || viewer.role === 'inspector')
    return 'department';
  if (viewer.role === 'provider' && covers(viewer, ratingRecord(r, undefined))) return 'provider';
  return 'public';
}

export const caseRoutes: RoutePlugin = async (app, ctx) => {
  const { store } = ctx;
  const now = ctx.clock;
  const throttle = new LoginThrottle();
  const tags = ['ratings and cases'];

  app.post(
    '/api/residents/register',
    {
      config: { permission: 'residents.register' },
      schema: {
        tags,
        summary:
          'Register a pseudonymous resident account (phone + password) and log in; no SMS code is sent',
        security: [],
        body: RegisterBody,
        response: { 201: Session, ...ERRORS, 409: { $ref: 'ErrorBody#' } },
      },
    },
    async (request, reply) => {
      const { phone, password } = request.body;
      const user = await registerResident(ctx, request.viewer, { phone, password });
      const session = await login(
        store,
        user.username,
        request.body.password,
        ctx.sessionTtlMinutes,
        throttle,
        now,
      );
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
          'Outlets near a community, nearest first (straight-line distance), with their ratings aggregate',
        querystring: Type.Object({
          community: Type.String({ minLength: 1, maxLength: 64 }),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
          type: Type.Optional(Type.String({ maxLength: 64 })),
        }),
        response: { 200: Open({ items: Type.Array(Open({})) }), ...ERRORS },
      },
    },
    async (request) => {
      const { community, limit = 20, type } = request.query;
      return ratedOutletsNear(store, community, limit, type);
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
        body: RateBody,
        response: {
          201: Open({ rating: Open({}), caseId: Type.Union([Type.String(), Type.Null()]) }),
          ...ERRORS,
          409: { $ref: 'ErrorBody#' },
        },
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
        params: Type.Object({ key: Type.String({ minLength: 1, maxLength: 64 }) }),
        querystring: Type.Object({
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20 })),
          offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
        }),
        response: { 200: Open({ aggregate: Open({}), items: Type.Array(Open({})) }), ...ERRORS },
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
        querystring: Type.Object({
          by: literals(['outlet', 'provider', 'type', 'region'] as const),
          within: Type.Optional(Region),
          regionDigits: Type.Optional(Type.Union([Type.Literal(6), Type.Literal(9), Type.Literal(12)])),
        }),
        response: { 200: Open({ items: Type.Array(Open({})) }), ...ERRORS },
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
        querystring: Type.Object({
          region: Type.Optional(Type.String({ pattern: '^[0-9]{0,12}$' })),
          from: Type.Optional(Type.String({ format: 'date' })),
          to: Type.Optional(Type.String({ format: 'date' })),
        }),
        response: { 200: Open({ ratings: Type.Integer() }), ...ERRORS },
      },
    },
    async (request) => {
      const to = request.query.to ?? beijingDate(now());
      const from = request.query.from ?? `${Number(to.slice(0, 4)) - 1}${to.slice(4)}`;
      if (from > to) throw new LifeCircleError('LC_USAGE', `querystring/from: ${from} is after to (${to})`);
      const region = request.query.region ?? '';
      return residentSatisfaction(await store.ratings.all({ within: region }), region, from, to);
    },
  );

  app.get(
    '/api/ratings/held',
    {
      config: { permission: 'ratings.moderate' },
      schema: {
        tags,
        summary: 'Ratings held by the abuse detectors, with the reasons, for review (in the viewer’s region)',
        querystring: Type.Object({ ...pageQuery() }),
        response: { 200: Open({ items: Type.Array(Open({})), total: Type.Integer() }), ...ERRORS },
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
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 80 }) }),
        body: ModerationBody,
        response: { 200: Open({ id: Type.String(), status: Type.String() }), ...ERRORS },
      },
    },
    async (request) => {
      const updated = await moderateRating(ctx, request.viewer, { id: request.params.id, ...request.body });
      return { ...presentRating(updated, 'department'), moderation: updated.moderation };
    },
  );

  app.post(
    '/api/complaints',
    {
      config: { permission: 'complaints.create' },
      schema: {
        tags,
        summary: 'Complain about an outlet (投诉); opens a case assigned to the provider and its department',
        body: ComplaintBody,
        response: { 201: Open({ caseId: Type.String() }), ...ERRORS },
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
        querystring: Type.Object({
          state: Type.Optional(literals(CASE_STATES)),
          open: Type.Optional(Type.Boolean({ description: 'leave out closed cases' })),
          ...pageQuery(),
        }),
        response: { 200: Open({ items: Type.Array(CaseSummary), total: Type.Integer() }), ...ERRORS },
      },
    },
    async (request) => {
      const at = now();
      const page = await caseQueue(store, request.viewer, request.query);
      const items = [];
      for (const c of page.items) items.push(await caseView(store, request.viewer, c, at, false));
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
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 80 }) }),
        response: { 200: CaseSummary, ...ERRORS },
      },
    },
    async (request) => {
      const c = await visibleCase(store, request.viewer, request.params.id);
      return caseView(store, request.viewer, c, now(), true);
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
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 80 }) }),
        body: ActionBody,
        response: { 200: CaseSummary, ...ERRORS, 409: { $ref: 'ErrorBody#' } },
      },
    },
    async (request) => {
      const c = await actOnCase(ctx, request.viewer, { id: request.params.id, ...request.body });
      return caseView(store, request.viewer, c, now(), true);
    },
  );
};
