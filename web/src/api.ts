import type { Session } from './types.js';

export type { Session };

/** The API client: JSON in and out, the bearer token from the login, the one error body turned into ApiError. */
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

let session: Session | null = JSON.parse(sessionStorage.getItem('lifecircle.session') ?? 'null');

export const currentSession = (): Session | null =>
  session && new Date(session.expiresAt) > new Date() ? session : null;

export function setSession(next: Session | null): void {
  session = next;
  if (next) sessionStorage.setItem('lifecircle.session', JSON.stringify(next));
  else sessionStorage.removeItem('lifecircle.session');
}

function headers(extra: Record<string, string> = {}): Record<string, string> {
  const s = currentSession();
  return s ? { ...extra, authorization: `Bearer ${s.token}` } : extra;
}

async function check(response: Response): Promise<Response> {
  if (response.ok) return response;
  let body: { error?: { code?: string; message?: string; details?: unknown } } = {};
  try {
    body = await response.json();
  } catch {
    // not JSON: keep the status text
  }
  throw new ApiError(
    response.status,
    body.error?.code ?? 'LC_HTTP',
    body.error?.message ?? response.statusText,
    body.error?.details,
  );
}

export async function getJson<T>(path: string): Promise<T> {
  return (await check(await fetch(path, { headers: headers() }))).json() as Promise<T>;
}

export async function postJson<T>(path: string, body: unknown): Promise<T> {
  const response = await fetch(path, {
    method: 'POST',
    headers: headers({ 'content-type': 'application/json' }),
    body: JSON.stringify(body),
  });
  return (await check(response)).json() as Promise<T>;
}

export async function postFile<T>(path: string, file: File, extra: Record<string, string> = {}): Promise<T> {
  const response = await fetch(path, {
    method: 'POST',
    headers: headers({ ...extra, 'content-type': 'application/octet-stream' }),
    body: file,
  });
  return (await check(response)).json() as Promise<T>;
}
