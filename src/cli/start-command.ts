import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import {
  BUNDLED_CITY,
  ensureStandardTypes,
  LifeCircleEngine,
  loadBundledBasemap,
  loadBundledGraph,
  loadBundledPlaces,
  loadBundledPlan,
  loadCityGraph,
  prepareStore,
} from '../analysis/index.js';
import { LifeCircleError } from '../errors.js';
import { findCityDivision } from '../cities/index.js';
import type { WalkGraph } from '../network/index.js';
import { readCensus } from '../places/index.js';
import { jobModeFromEnv } from '../jobs/index.js';
import { cityExtent } from '../cities/index.js';
import { buildApp, trustProxyFromEnv, type App } from '../server/index.js';
import { openStore, type CityBasemap, type Store } from '../store/index.js';
import { DEFAULT_PORT, listenOrExplain, resolvePort, untilStopped } from './listen.js';
import { resolveProcesses, serveInProcesses } from './processes.js';
import { systemClock, type Clock } from '../time/index.js';

/** The built web apps (web/dist: the dashboard in app/, the residents' page in resident/; Vite writes them). */
export const WEB_ROOT = fileURLToPath(new URL('../../../web/dist', import.meta.url));

export interface StartOptions {
  port: number;
  host?: string;
  /** The store file (default LIFECIRCLE_DB or .lifecircle/lifecircle.db). */
  db?: string;
  logger?: boolean;
  env?: NodeJS.ProcessEnv;
  /** The platform's clock (store timestamps, analysis runs, the API's now and today); tests pin it. */
  clock?: Clock;
  /**
   * The city to analyse and serve (division code or name; default LIFECIRCLE_CITY, else the bundled 成都): one
   * set up with a walking network (`lifecircle city network`), or the bundled city on its bundled data.
   */
  city?: string;
}

/** What a start analyses: the city, its graph, and what to say of its data. */
interface CityData {
  graph: WalkGraph;
  /** The bundled extract (its places are loaded into an empty store) or a network the store keeps. */
  bundled: boolean;
  attribution: string;
}

async function cityData(store: Store, code: string): Promise<CityData> {
  const kept = await loadCityGraph(store, code);
  const network = kept ? await store.cityNetworks.get(code) : null;
  if (kept && network)
    return {
      graph: kept,
      bundled: false,
      attribution: `network ${network.fileName} (© OpenStreetMap contributors, ODbL)`,
    };
  if (code === BUNDLED_CITY)
    return {
      graph: await loadBundledGraph(),
      bundled: true,
      attribution: 'central Chengdu OpenStreetMap 2018 (© OpenStreetMap contributors, ODbL)',
    };
  throw new LifeCircleError(
    'LC_USAGE',
    `city ${code} has no walking network yet; build it from an OSM extract: lifecircle city network ${code} <file.osm.pbf>`,
  );
}

/** A basemap's features per layer, for the start lines. */
function describeCounts(c: CityBasemap['counts']): string {
  return `${c.roads} roads, ${c.buildings} buildings, ${c.water} water, ${c.green} green, ${c.places} places`;
}

export interface Started {
  app: App;
  store: Store;
  engine: LifeCircleEngine;
  url: string;
  /** What to print: URL, store, data loaded, analysis run and (on the first start) the administrator login. */
  lines: string[];
  administrator: { username: string; password: string } | null;
  close(): Promise<void>;
}

/**
 * Everything `npm start` does: create or reuse the store, load the bundled division codes, network, places and
 * census, evaluate and record the analysis run, and serve the API and the dashboard. Idempotent over a store.
 */
export async function startPlatform(options: StartOptions): Promise<Started> {
  const t0 = performance.now();
  const store = await openStore({ path: options.db, env: options.env, clock: options.clock });
  let unfollow = (): void => undefined;
  try {
    const env = options.env ?? process.env;
    const code = findCityDivision(options.city ?? (env.LIFECIRCLE_CITY || BUNDLED_CITY)).code;
    const prepared = await prepareStore(store, options.env, { cityCode: code, clock: options.clock });
    const city = await cityExtent(store, code);
    const data = await cityData(store, city.code);
    const { graph } = data;
    // Age shares of the city's 区县 (2020 census) fill the age groups a register does not give.
    const census = readCensus(undefined, city.code);
    const engine = new LifeCircleEngine({ store, cityCode: city.code, graph, census, clock: options.clock });
    const bundled = data.bundled
      ? await loadBundledPlaces(store, engine.standards, { cityCode: city.code })
      : {
          typesAdded: await ensureStandardTypes(store, engine.standards),
          communities: 0,
          facilities: 0,
          loaded: false,
        };
    // The bundled city starts from its own policy document, so its plans and targets are 成都's.
    const plan = data.bundled ? await loadBundledPlan(store, options.clock ?? systemClock, city.code) : null;
    // Its basemap comes from the bundled extract, once (a city with its own network got one with it).
    const basemap = data.bundled
      ? await loadBundledBasemap(store, options.clock ?? systemClock, city.code)
      : { basemap: await store.cityBasemaps.get(city.code), written: false };
    const { run, reused } = await engine.refresh();
    // Other servers on the same store (start --processes, or other machines) may store newer runs.
    unfollow = engine.followStore();
    const app = await buildApp({
      store,
      cityCode: city.code,
      analysis: engine,
      map: engine,
      planning: engine,
      graph,
      webRoot: WEB_ROOT,
      logger: options.logger ?? false,
      clock: options.clock,
      trustProxy: trustProxyFromEnv(options.env ?? process.env),
      jobs: { mode: jobModeFromEnv(options.env ?? process.env) },
    });
    const host = options.host ?? '127.0.0.1';
    let url: string;
    try {
      url = await listenOrExplain(app, options.port, host);
    } catch (error) {
      await app.close();
      throw error;
    }
    const lines = [
      `LifeCircle 生活圈 — ${city.name} (${city.code}), ${data.attribution}`,
      `store      ${store.location}${prepared.divisionsLoaded ? ` (new: ${prepared.divisionsLoaded} division codes)` : ' (reused)'}`,
      bundled.loaded
        ? `data       loaded ${bundled.communities} communities (population estimated from the 2020 census) and ${bundled.facilities} OSM facilities`
        : data.bundled
          ? 'data       the store already holds its communities and facilities; nothing loaded'
          : 'data       the communities and facilities the store holds for this city',
      ...(plan ? [`plans      imported ${plan.title} (${plan.id}); its targets await confirmation`] : []),
      basemap.basemap
        ? `basemap    ${basemap.written ? 'read' : 'kept'} from ${basemap.basemap.fileName}: ${describeCounts(basemap.basemap.counts)}`
        : `basemap    none: the map draws no streets, water or parks under the data; lifecircle city basemap ${city.code} <file.osm.pbf>`,
      `analysis   run #${run.id}${reused ? ' (unchanged inputs, reused)' : ''}, inputs ${run.inputsHash.slice(0, 12)}…, ${Math.round(performance.now() - t0)} ms to start`,
      `dashboard  ${url}/`,
      `API docs   ${url}/api/docs`,
      prepared.administrator
        ? `login      ${prepared.administrator.username} / ${prepared.administrator.password}   (shown once; keep it safe)`
        : 'login      existing users of this store',
    ];
    return {
      app,
      store,
      engine,
      url,
      lines,
      administrator: prepared.administrator,
      close: async () => {
        unfollow();
        await app.close();
        await store.close();
      },
    };
  } catch (error) {
    unfollow();
    await store.close();
    throw error;
  }
}

export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description(
      'what `npm start` runs: load the bundled central-Chengdu data into the store, run the analysis, serve the API and the map dashboard',
    )
    .option('-p, --port <port>', `port to listen on (env PORT, default ${DEFAULT_PORT})`)
    .option('--host <host>', 'interface to listen on (use 0.0.0.0 to serve the network)', '127.0.0.1')
    .option(
      '--db <file>',
      'a SQLite store file (default: the PostgreSQL of DATABASE_URL when set, else LIFECIRCLE_DB or .lifecircle/lifecircle.db)',
    )
    .option(
      '--city <code>',
      'the city to analyse and serve (env LIFECIRCLE_CITY; default 5101 成都 on the bundled data); another city needs its network first: lifecircle city network <code> <file>',
    )
    .option('--log', 'log every request (JSON lines on stdout)')
    .option(
      '--processes <n>',
      'serve with n processes on one port (env LIFECIRCLE_PROCESSES, default 1); see docs/deployment.md',
    )
    .addHelpText(
      'after',
      '\nThe first start creates the store and prints a login for the administrator "admin" (set\n' +
        'LIFECIRCLE_ADMIN_PASSWORD to choose it); later starts reuse the store, its data and its users.',
    )
    .action(
      async (options: {
        port?: string;
        host: string;
        db?: string;
        log?: boolean;
        processes?: string;
        city?: string;
      }) => {
        const port = resolvePort(options.port, DEFAULT_PORT);
        const processes = resolveProcesses(options.processes);
        const serveOne = () =>
          startPlatform({
            port,
            host: options.host,
            db: options.db,
            logger: options.log,
            city: options.city,
          });
        if (processes === 1) {
          const started = await serveOne();
          process.stdout.write(started.lines.join('\n') + '\n');
          await untilStopped();
          await started.close();
          return;
        }
        await serveInProcesses(processes, serveOne, untilStopped, (text) => process.stdout.write(text));
      },
    );
}
