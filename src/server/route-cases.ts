import { Type } from '@sinclair/typebox';
import { LifeCircleError } from '../errors.js';
import { haversineM } from '../geo/index.js';
import type { Facility, StoredRating } from '../store/index.js';
import {
  COMPLAINT_CATEGORIES,
  RATING_CHANNELS,
  RATING_LEVELS,
  actOnCase,
  aggregate,
  aggregateBy,
  beijingDate,
  caseQueue,
  caseView,
  complain,
  heldRatings,
  moderateRating,
  monthlyTrend,
  presentRating,
  priorFrom,
  rate,
  registerResident,
  residentSatisfaction,
  visibleCase,
  type AggregateDimension,
  type RatingViewer,
} from '../supervision/index.js';
import { login, LoginThrottle } from './auth.js';
import { hashPassword } from './passwords.js';
import type { Viewer } from '../policy/index.js';
import { literals, Session } from './schemas.js';
import { ERRORS, type RouteContext, type RoutePlugin } from './route-context.js';

/** Responses carry nested domain objects (deadline rules, history); the schema names the main fields. */
const Open = (props: Parameters<typeof Type.Object>[0], description?: string) =>
  Type.Object(props, { additionalProperties: true, ...(description ? { description } : {}) });

const LEVELS = RATING_LEVELS.value.map((l) => l.level);
const CASE_STATES = [
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
const Phone = Type.String({ pattern: '^1[0-9]{10}$', description: '11-digit mainland mobile number' });
const Region = Type.String({ pattern: '^[0-9]{2,12}$', description: 'division code prefix' });

const CaseSummary = Open({
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

/** How a viewer sees a rating outside a case: the department sees accounts, everyone else the public view. */
function ratingViewerOf(viewer: Viewer, r: StoredRating): RatingViewer {
  if (viewer.role === 'administrator' || viewer.role === 'staff' || viewer.role === 'inspector')
    return 'department';
  if (viewer.role === 'provider' && viewer.providerUscc === r.providerUscc) return 'provider';
  return 'public';
}

async function allFacilities(ctx: RouteContext): Promise<Facility[]> {
  const out: Facility[] = [];
  for (let offset = 0; ; offset += 1000) {
    const page = await ctx.store.facilities.list({ limit: 1000, offset });
    out.push(...page.items);
    if (out.length >= page.total || page.items.length === 0) return out;
  }
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
        body: Type.Object({ phone: Phone, password: Type.String({ minLength: 10, maxLength: 200 }) }),
        response: { 201: Session, ...ERRORS, 409: { $ref: 'ErrorBody#' } },
      },
    },
    async (request, reply) => {
      const { phone, password } = request.body;
      const user = await registerResident(ctx, request.viewer, { phone, password, hashPassword });
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
      const { community: code, limit = 20, type } = request.query;
      const community = await store.communities.get(code);
      if (!community) throw new LifeCircleError('LC_NOT_FOUND', `community: ${code} is not in the register`);
      const { lon, lat } = community.location;
      const near = (await allFacilities(ctx))
        .filter((f) => f.status !== 'closed' && (!type || f.typeCode === type))
        .map((f) => ({ f, d: haversineM(lon, lat, f.location.lon, f.location.lat) }))
        .sort((a, b) => a.d - b.d)
        .slice(0, limit);
      const ratings = await store.ratings.all();
      const prior = priorFrom(ratings);
      const types = new Map((await store.facilityTypes.list()).map((t) => [t.code, t]));
      return {
        community: { code: community.code, name: community.name, regionCode: community.regionCode },
        distance: 'straight-line',
        items: near.map(({ f, d }) => ({
          code: f.code,
          name: f.name,
          typeCode: f.typeCode,
          typeNameZh: types.get(f.typeCode)?.nameZh ?? f.typeCode,
          typeNameEn: types.get(f.typeCode)?.nameEn ?? f.typeCode,
          address: f.address,
          affordable: f.affordable,
          rateable: f.providerUscc !== null && f.regionCode !== null,
          distanceM: Math.round(d),
          aggregate: aggregate(
            f.code,
            ratings.filter((r) => r.outletId === f.code),
            prior,
          ),
        })),
      };
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
        body: Type.Object({
          outletId: Type.String({ minLength: 1, maxLength: 64 }),
          level: literals(LEVELS),
          tags: Type.Optional(Type.Array(Type.String({ maxLength: 40 }), { maxItems: 10 })),
          text: Type.Optional(Type.String({ maxLength: 1000 })),
          eventId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
          channel: Type.Optional(literals(RATING_CHANNELS)),
          residentPhone: Type.Optional(Phone),
        }),
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
      const { key } = request.params;
      const facility = await store.facilities.get(key);
      if (!facility) throw new LifeCircleError('LC_NOT_FOUND', `facilities ${key} does not exist`);
      const all = await store.ratings.all();
      const own = all.filter((r) => r.outletId === key);
      const page = await store.ratings.list({ outletId: key, status: 'published', ...request.query });
      return {
        outlet: { code: facility.code, name: facility.name, affordable: facility.affordable },
        aggregate: aggregate(key, own, priorFrom(all)),
        trend: monthlyTrend(own),
        total: page.total,
        items: page.items.map((r) => presentRating(r, ratingViewerOf(request.viewer, r))),
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
        items: aggregateBy(ratings, by as AggregateDimension, {
          regionDigits: regionDigits as 6 | 9 | 12 | undefined,
        }),
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
        body: Type.Object({
          decision: literals(['release', 'reject'] as const),
          note: Type.String({ minLength: 1, maxLength: 1000 }),
        }),
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
        body: Type.Object({
          outletId: Type.String({ minLength: 1, maxLength: 64 }),
          category: literals(COMPLAINT_CATEGORIES),
          text: Type.String({ minLength: 1, maxLength: 2000 }),
          channel: Type.Optional(literals(RATING_CHANNELS)),
          residentPhone: Type.Optional(Phone),
          receivedAt: Type.Optional(
            Type.String({ description: 'staff only: when it was received (ISO date-time)' }),
          ),
        }),
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
        body: Type.Object({
          type: literals(ACTIONS),
          note: Type.Optional(Type.String({ maxLength: 2000 })),
          resolution: Type.Optional(literals(['immediate', 'rectify', 'explain'] as const)),
          residentReached: Type.Optional(Type.Boolean()),
          satisfied: Type.Optional(Type.Boolean()),
          ground: Type.Optional(literals(['mistaken', 'malicious'] as const)),
          decision: Type.Optional(literals(['upheld', 'rejected'] as const)),
          departmentId: Type.Optional(Type.String({ maxLength: 80 })),
        }),
        response: { 200: CaseSummary, ...ERRORS, 409: { $ref: 'ErrorBody#' } },
      },
    },
    async (request) => {
      const c = await actOnCase(ctx, request.viewer, { id: request.params.id, ...request.body });
      return caseView(store, request.viewer, c, now(), true);
    },
  );
};

function pageQuery() {
  return {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 50 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
  };
}
