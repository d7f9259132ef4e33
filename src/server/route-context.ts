import type { FastifyPluginAsync, FastifyPluginOptions, RawServerDefault } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Store } from '../store/index.js';
import type { Clock } from '../time/index.js';

/** What every route plugin receives from buildApp. */
export interface RouteContext {
  store: Store;
  cityCode: string;
  sessionTtlMinutes: number;
  /** The platform's clock: every "now" and "today" (Beijing) of a request comes from it. */
  clock: Clock;
}

export type RoutePlugin<O extends FastifyPluginOptions = RouteContext> = FastifyPluginAsync<
  O,
  RawServerDefault,
  TypeBoxTypeProvider
>;

/** Standard error responses, referenced by every route so the OpenAPI document shows the one error body. */
export const ERRORS = {
  400: { $ref: 'ErrorBody#' },
  401: { $ref: 'ErrorBody#' },
  403: { $ref: 'ErrorBody#' },
  404: { $ref: 'ErrorBody#' },
} as const;
