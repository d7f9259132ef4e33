import { Type, type Static } from '@sinclair/typebox';
import type { FastifyPluginAsync, FastifyPluginOptions, RawServerDefault } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { LoginThrottle } from '../accounts/index.js';
import type { JobRunner } from '../jobs/index.js';
import type { Store } from '../store/index.js';
import type { Clock } from '../time/index.js';
import type { RateLimits } from './security.js';
import type { ErrorBody } from './schemas.js';

/** What every route plugin receives from buildApp. */
export interface RouteContext {
  store: Store;
  cityCode: string;
  sessionTtlMinutes: number;
  /** The platform's clock: every "now" and "today" (Beijing) of a request comes from it. */
  clock: Clock;
  /** Request-rate limits of the routes a stranger can hammer (src/server/security.ts). */
  rateLimits: RateLimits;
  /** Failed-login delays, one per server process, shared by log-in, registration and the administrators' unlock. */
  loginThrottle: LoginThrottle;
  /** Long work (imports) off the request thread, with progress and cancel (src/jobs). */
  jobs: JobRunner;
}

export type RoutePlugin<O extends FastifyPluginOptions = RouteContext> = FastifyPluginAsync<
  O,
  RawServerDefault,
  TypeBoxTypeProvider
>;

/**
 * The one error body, by reference (the OpenAPI document shows it once) but typed: a bare `{ $ref }` has the
 * static type `unknown`, which made every route's reply type `unknown` and switched off the type provider's check
 * of what handlers return against their response schemas.
 */
export const ErrorRef = Type.Unsafe<Static<typeof ErrorBody>>({ $ref: 'ErrorBody#' });

/** Standard error responses, referenced by every route so the OpenAPI document shows the one error body. */
export const ERRORS = { 400: ErrorRef, 401: ErrorRef, 403: ErrorRef, 404: ErrorRef } as const;

/** The extra error response of a rate-limited route. */
export const RATE_LIMITED = { 429: ErrorRef } as const;
