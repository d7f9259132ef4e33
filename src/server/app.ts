import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ERROR_CODES, isLifeCircleError, LifeCircleError, type ErrorCode } from '../errors.js';
import { LoginThrottle, type LoginThrottleConfig } from '../accounts/index.js';
import type { Store } from '../store/index.js';
import { beijingToday, systemClock, type Clock } from '../time/index.js';
import { authenticate, DEFAULT_SESSION_TTL_MINUTES } from './auth.js';
import { allowed, type Permission, type Viewer } from '../policy/index.js';
import { closeObjects, ErrorBody } from './schemas.js';
import { DEFAULT_RATE_LIMITS, registerSecurity, type RateLimits } from './security.js';
import { authRoutes } from './route-auth.js';
import { registryRoutes } from './route-registry.js';
import { adminRoutes } from './route-admin.js';
import { analysisRoutes, type AnalysisProvider } from './route-analysis.js';
import { metaRoutes } from './route-meta.js';
import { cityRoutes } from './route-cities.js';
import { networkRoutes } from './route-network.js';
import type { WalkGraph } from '../network/index.js';
import { mapRoutes, type MapDataProvider } from './route-map.js';
import { webRoutes } from './route-web.js';
import { planningRoutes, type PlanningProvider } from './route-planning.js';
import { caseRoutes } from './route-cases.js';
import { indicatorRoutes } from './route-indicators.js';
import { creditRoutes, type LeaderRatingsProvider } from './route-credit.js';
import { JobBody, jobRoutes } from './route-jobs.js';
import { JobRunner, type JobRunnerOptions } from '../jobs/index.js';
import { planRoutes } from './route-plans.js';
import { reportRoutes } from './route-reports.js';
import { measureCompletionByRegion } from '../plans/index.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The action this route performs, checked against PERMISSIONS before the handler runs. */
    permission?: Permission;
  }
  interface FastifyRequest {
    viewer: Viewer;
  }
  interface FastifyInstance {
    /** Every /api/ route with the permission it requires (docs/api.md is checked against it). */
    routePermissions: RoutePermission[];
  }
}

export interface RoutePermission {
  method: string;
  url: string;
  permission: Permission;
}

export interface AppOptions {
  store: Store;
  /** The city this server plans for (division code, e.g. '5101' 成都): imports must fall inside it. */
  cityCode: string;
  /** How long a login lasts (default 8 hours, one working day). */
  sessionTtlMinutes?: number;
  /** The analysis engine, when wired in (issue 3); without it analysis runs answer LC_NOT_AVAILABLE. */
  analysis?: AnalysisProvider;
  /** The walking graph for isochrones; without it /api/isochrone answers LC_NOT_AVAILABLE. */
  graph?: WalkGraph;
  /** Fastify's logger (off in tests). */
  logger?: boolean;
  version?: string;
  /** Map data for the dashboard (src/engine); without it the map routes answer LC_NOT_AVAILABLE. */
  map?: MapDataProvider;
  /** Gaps, siting and what-if over the newest evaluation (src/engine); without it those routes answer LC_NOT_AVAILABLE. */
  planning?: PlanningProvider;
  /**
   * Share of each district's measures completed and accepted (district code → 0..1) for the scorecard. Default:
   * the plan tracking of this store (`measureCompletionByRegion`).
   */
  measureCompletion?: () => Promise<Map<string, number>>;
  /** The built dashboard (web/dist) to serve at `/`; without it only the API is served. */
  webRoot?: string;
  /** Every "now" and "today" of the API (deadlines, sessions, progress, credit); tests inject one. Default: real time. */
  clock?: Clock;
  /** Ratings for the 领跑者 ranking. Default: the 好差评 ratings of this store. */
  leaderRatings?: LeaderRatingsProvider;
  /** Request-rate limits of login, registration and imports (default `DEFAULT_RATE_LIMITS`, src/server/security.ts). */
  rateLimits?: Partial<RateLimits>;
  /** The proxies whose X-Forwarded-For is believed (`trustProxyFromEnv`, src/server/security.ts); default none. */
  trustProxy?: boolean | string;
  /** Delays after failed logins (default `DEFAULT_LOGIN_THROTTLE`, src/accounts/sessions.ts). */
  loginThrottle?: LoginThrottleConfig;
  /** Worker threads and queue of jobs (imports); see src/jobs. */
  jobs?: JobRunnerOptions;
}

export type App = FastifyInstance;

/** Routes under /api/ that belong to the API documentation itself and need no permission. */
const DOC_PREFIXES = ['/api/docs', '/api/openapi.json'];

/**
 * Builds the HTTP API without listening (STYLE habit 10): tests call `app.inject()`, `lifecircle serve`
 * calls `listen`. Every route under /api/ must declare a permission; the app refuses to build otherwise.
 */
export async function buildApp(options: AppOptions): Promise<App> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 1024 * 1024,
    trustProxy: options.trustProxy ?? false,
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();
  const ttl = options.sessionTtlMinutes ?? DEFAULT_SESSION_TTL_MINUTES;
  const clock = options.clock ?? systemClock;

  closeObjects(ErrorBody);
  app.addSchema(ErrorBody);
  // Shared by the jobs routes and the import routes' 202 answer, so declared where both see it.
  closeObjects(JobBody);
  app.addSchema(JobBody);
  const routePermissions: RoutePermission[] = [];
  app.decorate('routePermissions', routePermissions);
  app.addHook('onRoute', (route) => {
    for (const response of Object.values(route.schema?.response ?? {})) closeObjects(response);
    if (!route.url.startsWith('/api/') || DOC_PREFIXES.some((p) => route.url.startsWith(p))) return;
    const permission = route.config?.permission;
    if (!permission)
      throw new Error(
        `route ${String(route.method)} ${route.url} declares no permission (see src/server/permissions.ts)`,
      );
    for (const method of [route.method].flat())
      if (method !== 'HEAD') routePermissions.push({ method, url: route.url, permission });
  });

  await app.register(swagger, {
    // Shared schemas appear under their own $id (ErrorBody), not def-0.
    refResolver: {
      buildLocalReference: (json, _base, _fragment, i) =>
        typeof json.$id === 'string' ? json.$id : `def-${i}`,
    },
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'LifeCircle API (生活圈)',
        version: options.version ?? '0.1.0',
        description:
          'Registry of communities, facilities and providers, analysis runs and the audit log. Authenticate with ' +
          '`POST /api/auth/login` and send `Authorization: Bearer <token>`. Errors: `{ "error": { "code", "message", "details"? } }`.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  // Its own CSP with hashes for its inline scripts replaces the dashboard's on the documentation pages; swagger-ui
  // also sets inline styles, allowed as on the dashboard. Its online spec validator is off: the page loads nothing
  // from the Internet.
  await app.register(swaggerUi, {
    routePrefix: '/api/docs',
    staticCSP: true,
    uiConfig: { validatorUrl: null },
    transformStaticCSP: (header) =>
      header
        .replace(/style-src ([^;]*)/, "style-src $1 'unsafe-inline'")
        .replace(' validator.swagger.io', '')
        .replace("frame-ancestors 'self'", "frame-ancestors 'none'"),
  });
  await registerSecurity(app, options.store.requestWindows);

  app.decorateRequest('viewer');
  app.addHook('onRequest', async (request) => {
    request.viewer = await authenticate(options.store, request.headers.authorization, clock);
  });
  // The role check runs before the body and query are validated: a caller who may not act learns nothing of the
  // request's schema. `details.permission` names the action refused (record-scope refusals inside a route do not
  // carry it), which the role × route table test reads.
  app.addHook('preValidation', async (request) => {
    const permission = request.routeOptions.config?.permission;
    if (!permission) return;
    if (!allowed(request.viewer, permission)) {
      if (request.viewer.role === 'public')
        throw new LifeCircleError(
          'LC_AUTH_REQUIRED',
          `${request.method} ${request.url} needs a login (${permission})`,
          { details: { permission } },
        );
      throw new LifeCircleError('LC_FORBIDDEN', `the ${request.viewer.role} role may not ${permission}`, {
        details: { permission },
      });
    }
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const { status, body } = errorBody(error);
    if (status >= 500) request.log.error(error);
    return reply.status(status).send(body);
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .status(404)
      .send({ error: { code: 'LC_NOT_FOUND', message: `no route ${request.method} ${request.url}` } }),
  );

  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  const rateLimits: RateLimits = { ...DEFAULT_RATE_LIMITS, ...options.rateLimits };
  const loginThrottle = new LoginThrottle(options.loginThrottle);
  const jobs = await JobRunner.start(
    { store: options.store, clock, cityCode: options.cityCode },
    options.jobs,
  );
  // Before the store closes (its owner closes it after the app): running jobs are cancelled and awaited.
  app.addHook('onClose', () => jobs.close());
  const ctx = {
    store: options.store,
    cityCode: options.cityCode,
    sessionTtlMinutes: ttl,
    clock,
    rateLimits,
    loginThrottle,
    jobs,
  };
  await app.register(metaRoutes, ctx);
  await app.register(cityRoutes, { ...ctx, analysis: options.analysis });
  await app.register(jobRoutes, ctx);
  await app.register(authRoutes, ctx);
  await app.register(registryRoutes, ctx);
  await app.register(adminRoutes, ctx);
  await app.register(analysisRoutes, { ...ctx, analysis: options.analysis });
  await app.register(networkRoutes, { ...ctx, graph: options.graph });
  await app.register(mapRoutes, { ...ctx, map: options.map });
  await app.register(planningRoutes, { ...ctx, planning: options.planning });
  await app.register(caseRoutes, { ...ctx, map: options.map });
  // By default the scorecard's measure completion comes from plan tracking and 领跑者 rank on the 好差评 ratings
  // of the same store; tests may pass their own.
  const { store } = options;
  await app.register(indicatorRoutes, {
    ...ctx,
    measureCompletion:
      options.measureCompletion ?? (() => measureCompletionByRegion(store, beijingToday(clock))),
  });
  await app.register(creditRoutes, { ...ctx, ratings: options.leaderRatings ?? (() => store.ratings.all()) });
  await app.register(planRoutes, ctx);
  await app.register(reportRoutes, ctx);
  if (options.webRoot) await app.register(webRoutes, { root: options.webRoot });
  await app.ready();
  return app as unknown as App;
}

/** Maps any error to the one error body; Fastify's own validation errors name the field that failed. */
export function errorBody(error: FastifyError | Error): {
  status: number;
  body: { error: { code: ErrorCode; message: string; details?: unknown } };
} {
  if (isLifeCircleError(error)) {
    const body = {
      code: error.code,
      message: error.message,
      ...(error.details !== undefined ? { details: error.details } : {}),
    };
    return { status: error.status, body: { error: body } };
  }
  const fe = error as FastifyError;
  if (fe.validation) {
    const first = fe.validation[0];
    const where = `${fe.validationContext ?? 'request'}${first?.instancePath ?? ''}`;
    const params = first?.params as { allowedValues?: unknown[]; missingProperty?: string } | undefined;
    const extra = params?.missingProperty ? ` '${params.missingProperty}'` : '';
    return {
      status: 400,
      body: {
        error: {
          code: 'LC_USAGE',
          message: `${where}: ${first?.message ?? 'invalid'}${extra}`,
          details: fe.validation,
        },
      },
    };
  }
  if (fe.statusCode && fe.statusCode < 500)
    return { status: fe.statusCode, body: { error: { code: 'LC_USAGE', message: fe.message } } };
  return { status: 500, body: { error: { code: 'LC_INTERNAL', message: ERROR_CODES.LC_INTERNAL.summary } } };
}
