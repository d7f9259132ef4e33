import { LifeCircleError } from '../errors.js';
import type { App } from '../server/index.js';

/** The port `serve` and `start` listen on unless --port or PORT says otherwise. */
export const DEFAULT_PORT = 8080;

/** `--port`, else PORT, else the default; a bad value is a usage error naming it. */
export function resolvePort(option: string | undefined, fallback: number): number {
  const text = option ?? process.env.PORT ?? String(fallback);
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new LifeCircleError('LC_USAGE', `--port: expected a port number 0–65535, got '${text}'`);
  return port;
}

/** Listens and returns the URL to print; a port in use becomes one LC_USAGE line, not a stack trace. */
export async function listenOrExplain(app: App, port: number, host: string): Promise<string> {
  try {
    await app.listen({ port, host });
  } catch (error) {
    throw new LifeCircleError('LC_USAGE', `cannot listen on ${host}:${port}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const address = app.server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  return `http://${host === '0.0.0.0' ? 'localhost' : host}:${actualPort}`;
}

/** Resolves on Ctrl-C or SIGTERM, so the caller can close the server and the store cleanly. */
export function untilStopped(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}
