import { ApiError, currentSession } from './api';

/**
 * A file the API serves (exports, reports, published lists), fetched with the session's token: the browser's own
 * download or a plain link cannot send the bearer token. A refusal is the server's error, never saved as the file.
 */
export async function fetchFile(url: string): Promise<Blob> {
  const session = currentSession();
  const response = await fetch(url, { headers: session ? { authorization: `Bearer ${session.token}` } : {} });
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as {
      error?: { code?: string; message?: string; details?: unknown };
    };
    throw new ApiError(
      response.status,
      body.error?.code ?? 'LC_HTTP',
      body.error?.message ?? response.statusText,
      body.error?.details,
    );
  }
  return response.blob();
}

/** Downloads such a file and saves it under `name`. */
export async function downloadFile(url: string, name: string): Promise<void> {
  const href = URL.createObjectURL(await fetchFile(url));
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  a.click();
  // Revoked a moment later: a browser may still be reading the blob when click() returns.
  setTimeout(() => URL.revokeObjectURL(href), 1000);
}
