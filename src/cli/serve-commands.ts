import type { Command } from 'commander';
import { cityExtent, seedFacilityTypes } from '../registry/index.js';
import { buildApp, createUser, generatePassword } from '../server/index.js';
import { defaultStorePath, loadBundledDivisions, openStore, type Store } from '../store/index.js';
import { readGraphFile } from '../network/index.js';
import { listenOrExplain, resolvePort, untilStopped } from './listen.js';

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

// `serve` runs the API over a store without the analysis engine (runs answer LC_NOT_AVAILABLE); `start`
// (start-command.ts) is the same server with src/engine wired in and the bundled data loaded.

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
    .option('--graph <file>', 'a walking graph (lifecircle network import) for /api/isochrone')
    .option('--log', 'log every request (JSON lines on stdout)')
    .addHelpText(
      'after',
      '\nThe first start creates the store and prints a login for the administrator "admin" (set\n' +
        'LIFECIRCLE_ADMIN_PASSWORD to choose it); later starts reuse the store and its users.',
    )
    .action(
      async (options: {
        port?: string;
        host: string;
        db?: string;
        city: string;
        graph?: string;
        log?: boolean;
      }) => {
        const port = resolvePort(options.port, DEFAULT_PORT);
        const city = cityExtent(options.city);
        const path = options.db ?? defaultStorePath();
        const graph = options.graph ? readGraphFile(options.graph) : undefined;
        const store = await openStore({ path });
        const prepared = await prepareStore(store);
        const app = await buildApp({
          store,
          cityCode: city.code,
          graph,
          logger: options.log ?? false,
        });
        let url: string;
        try {
          url = await listenOrExplain(app, port, options.host);
        } catch (error) {
          await store.close();
          throw error;
        }
        const lines = [
          `LifeCircle 生活圈 — ${city.name} (${city.code})`,
          `store     ${store.location}${prepared.divisionsLoaded ? ` (new: ${prepared.divisionsLoaded} division codes loaded)` : ''}`,
          `API       ${url}/api/`,
          `API docs  ${url}/api/docs`,
          `network   ${options.graph ? `${options.graph} (${graph?.nodeCount} nodes)` : 'none (isochrones off; --graph <file>)'}`,
        ];
        if (prepared.administrator)
          lines.push(
            `login     ${prepared.administrator.username} / ${prepared.administrator.password}   (shown once; keep it safe)`,
          );
        else lines.push('login     existing users of this store');
        process.stdout.write(lines.join('\n') + '\n');
        await untilStopped();
        await app.close();
        await store.close();
      },
    );
}
