import type { Command } from 'commander';
import { BUNDLED_CITY, prepareStore } from '../analysis/index.js';
import { jobModeFromEnv } from '../jobs/index.js';
import { cityExtent, findCityDivision } from '../cities/index.js';
import { buildApp, trustProxyFromEnv } from '../server/index.js';
import { openStore } from '../store/index.js';
import { readGraphFile } from '../network/index.js';
import { DEFAULT_PORT, listenOrExplain, resolvePort, untilStopped } from './listen.js';

/** The city a server plans for unless --city says otherwise: the bundled data's, 成都. */
export const DEFAULT_CITY = BUNDLED_CITY;

// `serve` runs the API over a store without the analysis service (runs answer LC_NOT_AVAILABLE); `start`
// (start-command.ts) is the same server with src/analysis wired in and the bundled data loaded. Both prepare
// the store with src/analysis `prepareStore`.

export function registerServeCommands(program: Command): void {
  program
    .command('serve')
    .description(
      'create or reuse the store, then serve the HTTP API (and its docs at /api/docs) on localhost',
    )
    .option('-p, --port <port>', `port to listen on (env PORT, default ${DEFAULT_PORT})`)
    .option('--host <host>', 'interface to listen on (use 0.0.0.0 to serve the network)', '127.0.0.1')
    .option(
      '--db <file>',
      'a SQLite store file (default: the PostgreSQL of DATABASE_URL when set, else LIFECIRCLE_DB or .lifecircle/lifecircle.db)',
    )
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
        const code = findCityDivision(options.city).code;
        const graph = options.graph ? readGraphFile(options.graph) : undefined;
        const store = await openStore({ path: options.db });
        const prepared = await prepareStore(store, process.env, { cityCode: code });
        const city = await cityExtent(store, code).catch(async (error: unknown) => {
          await store.close();
          throw error;
        });
        const app = await buildApp({
          store,
          cityCode: city.code,
          graph,
          logger: options.log ?? false,
          trustProxy: trustProxyFromEnv(process.env),
          jobs: { mode: jobModeFromEnv(process.env) },
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
