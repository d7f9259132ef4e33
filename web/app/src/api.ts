import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from '@lc/api';

/** The logged-in session, shared with the classic dashboard (same sessionStorage key). */
export interface Session {
  token: string;
  expiresAt: string;
  user: { username: string; displayName: string; role: string };
}

const KEY = 'lifecircle.session';

export function currentSession(): Session | null {
  const session = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as Session | null;
  return session && new Date(session.expiresAt) > new Date() ? session : null;
}

export function setSession(session: Session | null): void {
  if (session) sessionStorage.setItem(KEY, JSON.stringify(session));
  else sessionStorage.removeItem(KEY);
}

/** The server's one error body, as thrown by `unwrap`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown,
  ) {
    super(message);
  }
}

const bearer: Middleware = {
  onRequest({ request }) {
    const session = currentSession();
    if (session) request.headers.set('authorization', `Bearer ${session.token}`);
    return request;
  },
};

/** The API client, typed from the server's OpenAPI document (web/api/schema.gen.ts, `npm run api-types`). */
export const api = createClient<paths>({ baseUrl: '/' });
api.use(bearer);

/** The data of an answer, or an ApiError carrying the server's code, message and details. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error !== undefined || result.data === undefined) {
    const body = result.error as
      { error?: { code?: string; message?: string; details?: unknown } } | undefined;
    throw new ApiError(
      result.response.status,
      body?.error?.code ?? 'LC_HTTP',
      body?.error?.message ?? result.response.statusText,
      body?.error?.details,
    );
  }
  return result.data;
}

export type { Answer, Body } from '@lc/api';
