import type { Command } from 'commander';
import { LifeCircleError } from '../errors.js';
import { cityExtent, seedFacilityTypes } from '../registry/index.js';
import { buildApp, createUser, generatePassword, type AnalysisProvider } from '../server/index.js';
import { defaultStorePath, loadBundledDivisions, openStore, type Store } from '../store/index.js';

export const DEFAULT_PORT = 8080;
export const DEFAULT_CITY = '5101'; // 成都: the bundled demo network is central Chengdu

export interface PrepareResult {
  divisionsLoaded: number;
  typesAdded: number;
  /** Set only when this start created the first administrator. */
  administrator: { username: string; password: string } | null;
}

/**
 * Brings a store to a usable state: bundled division codes, default facility types and a first administrator.
 * Idempotent, so a second start reuses everything and creates nothing.
 */
export async function prepareStore(
  store: Store,
  env: NodeJS.ProcessEnv = process.env,
): Promise<PrepareResult> {
  const divisionsLoaded = (await store.regions.count()) === 0 ? await loadBundledDivisions(store) : 0;
  const typesAdded = await seedFacilityTypes(store);
  let administrator: PrepareResult['administrator'] = null;
  if ((await store.users.count()) === 0) {
    const username = 'admin';
    const password = env.LIFECIRCLE_ADMIN_PASSWORD || generatePassword();
    await createUser(
      store,
      {
        username,
        displayName: '系统管理员',
        password,
        role: 'administrator',
        department: null,
        domains: [],
        regionCode: null,
        providerUscc: null,
      },
      { userId: null, name: 'lifecircle serve' },
    );
    administrator = { username, password };
  }
  return { divisionsLoaded, typesAdded, administrator };
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new LifeCircleError('LC_USAGE', `--port: expected a port number 0–65535, got '${text}'`);
  return port;
}

/** The analysis engine is wired in here once issue 3 lands; until then runs answer LC_NOT_AVAILABLE. */
const ANALYSIS: AnalysisProvider | undefined = undefined;

export function registerServeCommands(program: Command): void {
  program
    .command('serve')
    .description(
      'create or reuse the store, then serve the HTTP API (and its docs at /api/docs) on localhost',
    )
    .option('-p, --port <port>', `port to listen on (env PORT, default ${DEFAULT_PORT})`)
    .option('--host <host>', 'interface to listen on (use 0.0.0.0 to serve the network)', '127.0.0.1')
    .option('--db <file>', 'the SQLite store file (env LIFECIRCLE_DB, default .lifecircle/lifecircle.db)')
    .option('--city <code>', 'division code of the city this server plans for', DEFAULT_CITY)
    .option('--log', 'log every request (JSON lines on stdout)')
    .addHelpText(
      'after',
      '\nThe first start creates the store and prints a login for the administrator "admin" (set\n' +
        'LIFECIRCLE_ADMIN_PASSWORD to choose it); later starts reuse the store and its users.',
    )
    .action(async (options: { port?: string; host: string; db?: string; city: string; log?: boolean }) => {
      const port = parsePort(options.port ?? process.env.PORT ?? String(DEFAULT_PORT));
      const city = cityExtent(options.city);
      const path = options.db ?? defaultStorePath();
      const store = await openStore({ path });
      const prepared = await prepareStore(store);
      const app = await buildApp({
        store,
        cityCode: city.code,
        analysis: ANALYSIS,
        logger: options.log ?? false,
      });
      try {
        await app.listen({ port, host: options.host });
      } catch (error) {
        await store.close();
        throw new LifeCircleError(
          'LC_USAGE',
          `cannot listen on ${options.host}:${port}: ${(error as Error).message}`,
          { cause: error },
        );
      }
      const address = app.server.address();
      const actualPort = typeof address === 'object' && address ? address.port : port;
      const url = `http://${options.host === '0.0.0.0' ? 'localhost' : options.host}:${actualPort}`;
      const lines = [
        `LifeCircle 生活圈 — ${city.name} (${city.code})`,
        `store     ${store.location}${prepared.divisionsLoaded ? ` (new: ${prepared.divisionsLoaded} division codes loaded)` : ''}`,
        `API       ${url}/api/`,
        `API docs  ${url}/api/docs`,
      ];
      if (prepared.administrator)
        lines.push(
          `login     ${prepared.administrator.username} / ${prepared.administrator.password}   (shown once; keep it safe)`,
        );
      else lines.push('login     existing users of this store');
      process.stdout.write(lines.join('\n') + '\n');
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await app.close();
      await store.close();
    });
}
