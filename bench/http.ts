// Helpers shared by the HTTP benchmarks (server.ts, store.ts): `lifecircle start` as a child process, found by the
// dashboard line it prints, and JSON over fetch.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/lifecircle.js', import.meta.url));

export interface StartedServer {
  child: ChildProcess;
  url: string;
  /** Everything it printed on stdout until it was ready. */
  output: string;
  /** Whether it leads its own process group (`group`), so `stopServer` reaches every process of it. */
  group: boolean;
}

export interface StartOptions {
  /** Default: this process's environment without LIFECIRCLE_ADMIN_PASSWORD (the store's own login is used). */
  env?: NodeJS.ProcessEnv;
  /** Ready only once a line matching this is printed too (`processes  N on one port …` for --processes N). */
  until?: RegExp;
  /**
   * Start it in its own process group: `--processes N` forks N serving processes, and killing the group stops
   * them even when the primary is gone. The child then no longer gets the terminal's Ctrl-C, so the caller must
   * stop it on SIGINT itself.
   */
  group?: boolean;
  /** Given up (and killed) when not ready by then; default 10 minutes. */
  timeoutMs?: number;
  /** Told of the child as soon as it exists, so a caller stopping early can stop it while it starts. */
  onSpawn?: (server: StartedServer) => void;
}

/** `lifecircle start <args> --port 0`; resolves with its URL once it listens. */
export function startServer(args: readonly string[], options: StartOptions = {}): Promise<StartedServer> {
  const group = options.group ?? false;
  const child = spawn(process.execPath, [BIN, 'start', ...args, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: options.env ?? { ...process.env, LIFECIRCLE_ADMIN_PASSWORD: undefined },
    detached: group,
  });
  options.onSpawn?.({ child, url: '', output: '', group });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      signal(child, group, 'SIGKILL');
      reject(new Error(`the server did not listen within ${options.timeoutMs ?? 600_000} ms:\n${out}`));
    }, options.timeoutMs ?? 600_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const url = /dashboard\s+(http:\/\/\S+?)\/\s/.exec(out)?.[1];
      if (url && (!options.until || options.until.test(out))) {
        clearTimeout(timer);
        resolve({ child, url, output: out, group });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code}) before listening:\n${out}`));
    });
  });
}

function signal(child: ChildProcess, group: boolean, name: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(group ? -child.pid : child.pid, name);
  } catch {
    // already gone (ESRCH)
  }
}

/** SIGTERM (a clean stop: stores closed), then SIGKILL to whatever of it is left after `graceMs`. */
export async function stopServer(server: StartedServer, graceMs = 10_000): Promise<void> {
  const { child, group } = server;
  let gone = child.exitCode !== null || child.signalCode !== null;
  const exited = gone
    ? Promise.resolve()
    : new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => (gone = true));
  signal(child, group, 'SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
  clearTimeout(timer);
  // A group may outlive its primary by a serving process still closing; a lone child is killed only while alive.
  if (group || !gone) signal(child, group, 'SIGKILL');
  await exited;
}

export async function json<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, init);
  if (!res.ok) throw new Error(`${init?.method ?? 'GET'} ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** A session token for the user. */
export async function login(url: string, username: string, password: string): Promise<string> {
  return (
    await json<{ token: string }>(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    })
  ).token;
}
