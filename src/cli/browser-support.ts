import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Page,
} from 'playwright-core';
import { startPlatform, type Started } from './start-command.js';
import type { Clock } from '../time/index.js';

/**
 * Shared by the browser tests (`*-ui.test.ts`, `map-ui.test.ts`): the real platform (`lifecircle start`) on a
 * free port with a temporary store, and Debian's chromium driven by playwright-core. Never skips: without
 * chromium the tests fail with the install command.
 */
export const CHROMIUM = process.env.LIFECIRCLE_CHROMIUM ?? '/usr/bin/chromium';
export const ADMIN_PASSWORD = 'browser-test-password-1';

export interface BrowserHarness {
  started: Started;
  browser: Browser;
  /** Where screenshots go (test-results/<name>/, git-ignored). */
  shots: string;
  /** A page (in a context of its own) whose clock stands at the platform's clock: pages never read the wall clock. */
  newPage(options?: BrowserContextOptions): Promise<Page>;
  /** A browser context whose clock stands at the platform's clock. */
  newContext(options?: BrowserContextOptions): Promise<BrowserContext>;
  /** A bearer token for the administrator, to set up users and data through the API. */
  adminToken(): Promise<string>;
  /** Calls the API as the given token (or the public); throws with the error body when not 2xx. */
  api<T>(method: string, path: string, body?: unknown, token?: string): Promise<T>;
  close(): Promise<void>;
}

/**
 * `clock`: the platform's clock for this harness (the browser's own clock is the page's business: tests that show
 * dates pin it with playwright's `page.clock`).
 */
export async function openHarness(name: string, options: { clock: Clock }): Promise<BrowserHarness> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `the browser tests need Debian's chromium at ${CHROMIUM}: run \`apt-get update && apt-get install -y chromium\` ` +
        '(CI does this in .ci/run), or set LIFECIRCLE_CHROMIUM to another Chromium binary',
    );
  const shots = join('test-results', name);
  mkdirSync(shots, { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), `lifecircle-${name}-`));
  const started = await startPlatform({
    port: 0,
    db: join(dir, 'lifecircle.db'),
    env: { LIFECIRCLE_ADMIN_PASSWORD: ADMIN_PASSWORD },
    clock: options.clock,
  });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
  const api = async <T>(method: string, path: string, body?: unknown, token?: string): Promise<T> => {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;
    const res = await fetch(`${started.url}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
  let token: string | undefined;
  // The page's clock stands at the platform's (sessions expire, deadlines and "today" agree on both sides); timers
  // keep running.
  // Whatever the Content-Security-Policy blocks (a script, a style, a worker) is a defect of the dashboard: every
  // page's console is watched and `close` fails the suite naming each violation.
  const cspViolations: string[] = [];
  const newContext = async (contextOptions?: BrowserContextOptions): Promise<BrowserContext> => {
    const context = await browser.newContext(contextOptions);
    await context.clock.setFixedTime(options.clock());
    context.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text()))
        cspViolations.push(`${message.location().url}: ${message.text()}`);
    });
    return context;
  };
  return {
    started,
    browser,
    shots,
    api,
    newContext,
    newPage: async (contextOptions?: BrowserContextOptions) => (await newContext(contextOptions)).newPage(),
    adminToken: async () =>
      (token ??= (
        await api<{ token: string }>('POST', '/api/auth/login', {
          username: 'admin',
          password: ADMIN_PASSWORD,
        })
      ).token),
    close: async () => {
      await browser.close();
      await started.close();
      rmSync(dir, { recursive: true, force: true });
      if (cspViolations.length)
        throw new Error(`the dashboard broke its Content-Security-Policy:\n${cspViolations.join('\n')}`);
    },
  };
}

/** Logs in through the dashboard's own dialog. */
/** Logs in through the Vue dashboard's dialog (web/app). */
export async function vueLogIn(page: Page, username: string, password: string): Promise<void> {
  await page.click('[data-test="login-open"]');
  await page.fill('[data-test="username"]', username);
  await page.fill('[data-test="password"]', password);
  await page.click('[data-test="login-submit"]');
  await page.waitForSelector('[data-test="logout"]');
}

export async function vueLogOut(page: Page): Promise<void> {
  await page.click('[data-test="logout"]');
  await page.waitForSelector('[data-test="login-open"]');
}

/**
 * Picks an option of an Element Plus select (the Vue dashboard's): open it, click the visible option, wait until the
 * select shows it. The dropdown animates in, so a click may land before it is ready: tried up to three times.
 */
export async function chooseOption(page: Page, select: string, option: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    await page.click(select);
    await page.click(`.el-select-dropdown__item:visible:has-text("${option}")`);
    try {
      await page.locator(select, { hasText: option }).waitFor({ timeout: 2000 });
      return;
    } catch (error) {
      if (attempt === 2) throw error;
    }
  }
}
