import helmet from '@fastify/helmet';
import rateLimit, { type FastifyRateLimitStore, type RateLimitOptions } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { LifeCircleError } from '../errors.js';
import type { RequestCounterRepository } from '../store/index.js';

/**
 * The HTTP hardening every response gets (docs/security.md): security headers through @fastify/helmet, with a
 * Content-Security-Policy the dashboard works under, and request-rate limits through @fastify/rate-limit on the
 * routes a stranger can hammer (login, resident registration, imports), counted in the store for all processes.
 */

/**
 * Requests per window and client for the limited routes. No standard fixes these numbers (OWASP ASVS 4.0 §2.2.1
 * asks for anti-automation without a figure): labelled defaults, sized so a clerk never meets them and a script
 * does. `buildApp({ rateLimits })` overrides them.
 */
export const DEFAULT_RATE_LIMITS = {
  /** Logins per client address per minute (failed ones are also throttled per account, src/accounts). */
  login: { max: 30, timeWindow: 60_000 },
  /** New resident accounts per client address per hour. */
  registration: { max: 5, timeWindow: 3_600_000 },
  /** Register and plan imports per account per minute (each may parse a 50 MB file). */
  imports: { max: 10, timeWindow: 60_000 },
} as const satisfies Record<string, { max: number; timeWindow: number }>;

export type RateLimits = { [K in keyof typeof DEFAULT_RATE_LIMITS]: { max: number; timeWindow: number } };

/** Route config for a limited route: `config: { permission, rateLimit: limitFor(ctx, 'imports') }`. */
export function rateLimitOf(
  limits: RateLimits,
  kind: keyof RateLimits,
): RateLimitOptions & { max: number; timeWindow: number } {
  const limit = limits[kind];
  // Imports are keyed by account, so colleagues behind one government NAT address do not share a budget.
  return kind === 'imports'
    ? { ...limit, keyGenerator: (request: FastifyRequest) => request.viewer?.username ?? request.ip }
    : { ...limit };
}

/**
 * The dashboard loads only its own files: scripts and styles from 'self' (inline style attributes are allowed:
 * MapLibre and ECharts set them), map workers from blob: URLs (MapLibre), images from data:/blob: (map sprites,
 * the favicon), no framing by other sites, no plugins.
 */
const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  workerSrc: ["'self'", 'blob:'],
  childSrc: ["'self'", 'blob:'],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

/** Longer than any limit's window (the longest is an hour): windows opened before this are pruned. */
const PRUNE_AFTER_MS = 24 * 3_600_000;

interface RouteInfo {
  routeInfo?: { method?: string | string[]; url?: string };
}

type Counted = (error: Error | null, result?: { current: number; ttl: number }) => void;

/**
 * @fastify/rate-limit's `store` contract over the store's `requestWindows`: every server process of a deployment
 * counts in the same windows (issue 12; the plugin's default counts per process, and its Redis store would add a
 * server to run). One upsert per limited request — login, registration, imports: routes used by people, not by
 * machines in bulk. A route's windows are keyed by method and path, then by client (the plugin's key).
 */
function sharedWindows(windows: RequestCounterRepository) {
  return class SharedWindows implements FastifyRateLimitStore {
    private readonly prefix: string;
    // At run time the plugin hands constructor and `child` its merged options, with the route as `routeInfo`
    // (its type declarations say RouteOptions): read that one field and nothing else.
    constructor(params: object = {}) {
      const { method, url } = (params as RouteInfo).routeInfo ?? {};
      this.prefix = `${[method ?? ''].flat().join(',')} ${url ?? ''}\u001f`;
    }
    incr(key: string, done: Counted, timeWindow: number): void {
      const now = Date.now();
      windows
        .hit(this.prefix + key, timeWindow, now)
        .then(async (w) => {
          // Each new window prunes those long ended: the table holds about a day of clients.
          if (w.hits === 1) await windows.prune(now - PRUNE_AFTER_MS);
          done(null, { current: w.hits, ttl: w.startedMs + timeWindow - now });
        })
        .catch((error: Error) => done(error));
    }
    read(key: string, done: Counted, timeWindow: number): void {
      const now = Date.now();
      windows
        .read(this.prefix + key, timeWindow, now)
        .then((w) =>
          done(null, w ? { current: w.hits, ttl: w.startedMs + timeWindow - now } : { current: 0, ttl: 0 }),
        )
        .catch((error: Error) => done(error));
    }
    child(params: object): SharedWindows {
      return new SharedWindows(params);
    }
  };
}

export async function registerSecurity(
  app: FastifyInstance,
  windows: RequestCounterRepository,
): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    // The API is read by the dashboard of the same origin only; other sites may not embed its answers.
    crossOriginResourcePolicy: { policy: 'same-origin' },
  });
  await app.register(rateLimit, {
    global: false,
    store: sharedWindows(windows),
    errorResponseBuilder: (request, context) =>
      new LifeCircleError(
        'LC_RATE_LIMITED',
        `${request.method} ${request.routeOptions.url}: too many requests (at most ${context.max} per client in this window); try again in ${context.after}`,
        { details: { limit: context.max, retryAfterSeconds: Math.ceil(context.ttl / 1000) } },
      ),
  });
}

/**
 * Which proxies' `X-Forwarded-For` the server believes, from LIFECIRCLE_TRUST_PROXY: unset (the default: the
 * address is the TCP peer, right for `npm start` on one machine), `true` (every hop: only behind a proxy that
 * overwrites the header), or a comma-separated list of proxy addresses or CIDR ranges (`127.0.0.1,10.0.0.0/8`).
 * Throttling and rate limits key on this address, so a wrong setting lets clients choose theirs.
 */
export function trustProxyFromEnv(env: NodeJS.ProcessEnv): boolean | string {
  const value = env.LIFECIRCLE_TRUST_PROXY?.trim();
  if (!value || value === 'false') return false;
  return value === 'true' ? true : value;
}
