import { api, ApiError, currentSession, unwrap, type Answer } from './api';

export type Job = Answer<'/api/jobs/{id}', 'get'>;

/**
 * Sends a file as the raw body of a route (imports, networks, 社区 linkage). With `respondAsync` the server
 * answers 202 with the job at once (RFC 7240), to be followed with `followJob`. openapi-fetch serialises JSON
 * bodies only, so the file goes through fetch; the answer is typed by the caller's route.
 */
export async function sendFile<T>(
  method: 'POST' | 'PUT',
  url: string,
  file: File,
  options: { respondAsync?: boolean } = {},
): Promise<T> {
  const session = currentSession();
  const response = await fetch(url, {
    method,
    headers: {
      'content-type': 'application/octet-stream',
      ...(options.respondAsync ? { prefer: 'respond-async' } : {}),
      ...(session ? { authorization: `Bearer ${session.token}` } : {}),
    },
    body: file,
  });
  const body = (await response.json().catch(() => ({}))) as {
    error?: { code?: string; message?: string; details?: unknown };
  };
  if (!response.ok)
    throw new ApiError(
      response.status,
      body.error?.code ?? 'LC_HTTP',
      body.error?.message ?? response.statusText,
      body.error?.details,
    );
  return body as T;
}

/** Polls a job until it ends, handing each state to `onUpdate` (for a progress bar); answers the ended job. */
export async function followJob(job: Job, onUpdate: (job: Job) => void, everyMs = 400): Promise<Job> {
  let current = job;
  onUpdate(current);
  while (!current.finishedAt) {
    await new Promise((resolve) => setTimeout(resolve, everyMs));
    current = unwrap(await api.GET('/api/jobs/{id}', { params: { path: { id: current.id } } }));
    onUpdate(current);
  }
  return current;
}

/** Asks the server to stop a job; it ends as cancelled and keeps nothing. */
export async function cancelJob(id: number): Promise<void> {
  unwrap(await api.POST('/api/jobs/{id}/cancel', { params: { path: { id } } }));
}

/** The job's error as an ApiError (a job that did not succeed). */
export function jobError(job: Job): ApiError {
  return new ApiError(409, job.error?.code ?? job.status, job.error?.message ?? job.status, undefined);
}
