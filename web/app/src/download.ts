import { ApiError, currentSession } from './api';

/**
 * Downloads a file the API serves (exports, published lists) with the session's token, saved under `name`. The
 * browser's own download cannot send the bearer token, so the file is fetched and handed over as a blob.
 */
export async function downloadFile(url: string, name: string): Promise<void> {
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
  const href = URL.createObjectURL(await response.blob());
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  a.click();
  // Revoked a moment later: a browser may still be reading the blob when click() returns.
  setTimeout(() => URL.revokeObjectURL(href), 1000);
}
