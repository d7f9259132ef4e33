/**
 * The API's types for the dashboard, generated from the server's OpenAPI document (schema.gen.ts, by
 * `npm run api-types`; `npm test` fails when it is stale). Nothing here is written by hand but these helpers.
 */
import type { paths } from './schema.gen.js';

export type { paths };
export { ROLES, SERVICE_DOMAINS } from './schema.gen.js';

type JsonOf<R> = R extends { content: { 'application/json': infer B } } ? B : never;

/** The JSON body of a route's success answer (200, else 201). */
export type Answer<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  responses: infer R;
}
  ? R extends { 200: infer A }
    ? JsonOf<A>
    : R extends { 201: infer C }
      ? JsonOf<C>
      : never
  : never;

/** The JSON body a route takes. */
export type Body<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  requestBody?: infer B;
}
  ? JsonOf<NonNullable<B>>
  : never;
