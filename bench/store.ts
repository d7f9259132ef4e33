// Benchmark: the store engines under HTTP load (issue 12, item 6): SQLite against PostgreSQL, and PostgreSQL
// behind 1, 2 and 4 API processes (`lifecircle start --processes N`). ONE store of 50,000 SYNTHETIC facilities and
// 100,000 SYNTHETIC ratings on the bundled central-Chengdu data is built on SQLite, then copied (copyStore, checked
// by checksums) into a PostgreSQL schema, so both engines serve the same rows. Scenarios: the resident outlet
// search and facilities by ~1 km bounding box (reads), staff rating writes (every acknowledged write must be a
// stored row afterwards) and two concurrent 10,000-row imports of a SYNTHETIC register (every row must be stored).
// Each round runs every scenario on every configuration back to back (measured pairs), in alternating order; the
// table gives medians over the rounds. The whole run is bounded in time; every server is stopped, the bench schema
// dropped and the temporary files removed at the end, also on errors.
// `LIFECIRCLE_BENCH_DATABASE_URL=postgres://… npm run bench:store` (`-- --quick` for a small store that only checks
// the bench works).
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import pg from 'pg';
import { hashPassword } from '../src/accounts/index.js';
import {
  BUNDLED_CITY,
  LifeCircleEngine,
  loadBundledGraph,
  loadBundledPlaces,
  prepareStore,
} from '../src/analysis/index.js';
import { bundledExtent } from '../src/cities/index.js';
import { loadStandards } from '../src/standards/index.js';
import { copyStore, openStore } from '../src/store/index.js';
import { json, login, startServer, stopServer, type StartedServer } from './http.js';
import { describeMachine } from './machine.js';
import { seededRandom } from './rng.js';
import { fillSyntheticStore, syntheticImportFile, type Box } from './synthetic.js';

const QUICK = process.argv.includes('--quick');
const FACILITIES = QUICK ? 2_000 : 50_000;
const RATINGS = QUICK ? 5_000 : 100_000;
const IMPORT_ROWS = QUICK ? 1_000 : 10_000;
const ROUNDS = QUICK ? 1 : 3;
const SECONDS = QUICK ? 2 : 8;
const WARM_SECONDS = QUICK ? 0 : 2;
const CONNECTIONS = 50;
const STAFF_PASSWORD = 'bench-staff-password-1';
/** Bounds: the whole run, one server's start, one pair of imports. */
const RUN_LIMIT_MS = (QUICK ? 15 : 75) * 60_000;
const START_LIMIT_MS = (QUICK ? 5 : 10) * 60_000;
const IMPORT_LIMIT_MS = (QUICK ? 3 : 10) * 60_000;

interface Config {
  key: string;
  label: string;
  engine: 'sqlite' | 'postgres';
  processes: number;
}
const CONFIGS: readonly Config[] = [
  { key: 's1', label: 'sqlite ×1', engine: 'sqlite', processes: 1 },
  { key: 'p1', label: 'postgres ×1', engine: 'postgres', processes: 1 },
  { key: 'p2', label: 'postgres ×2', engine: 'postgres', processes: 2 },
  { key: 'p4', label: 'postgres ×4', engine: 'postgres', processes: 4 },
];

const SCENARIOS = [
  { key: 'outlets', label: 'resident outlet search (GET /api/ratings/outlets?community=…&limit=20)' },
  { key: 'bbox', label: 'facilities by ~1 km bbox (GET /api/map/facilities?bbox=…)' },
  { key: 'writes', label: 'rating writes (POST /api/ratings, staff entry)' },
  {
    key: 'imports',
    label: `two concurrent ${IMPORT_ROWS.toLocaleString('en')}-row imports (POST /api/facilities/import, async)`,
  },
] as const;
type ScenarioKey = (typeof SCENARIOS)[number]['key'];

/** One scenario on one configuration in one round: req/s and p99 (reads, writes) or rows/s (imports). */
interface Measurement {
  perSecond: number;
  p99: number | null;
  errors: number;
  note?: string;
}

/**
 * READ: 30 × 30 km around the bundled communities (about 55 facilities per km² at full size), as bench/server.ts.
 * FAR: where the imported rows go. The PostgreSQL configurations share one schema, so each one's imports are in
 * the store of the next; 2 × 10,000 rows per configuration and round in the read extent would leave the later
 * reads on PostgreSQL more than twice as dense as on SQLite. Far from it, every configuration and round reads the
 * same neighbourhoods, and an import costs the same wherever its outlets stand.
 */
let READ: Box = { west: 0, south: 0, spanLon: 0, spanLat: 0 };
let FAR: Box = { west: 0, south: 0, spanLon: 0, spanLat: 0 };

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(1);

interface Running {
  config: Config;
  server: StartedServer;
  admin: string;
  staff: string;
  /** Ids of the ratings the server answered 201 for. */
  acknowledged: string[];
}

async function main(): Promise<void> {
  const databaseUrl = process.env.LIFECIRCLE_BENCH_DATABASE_URL;
  if (!databaseUrl || !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    console.error(
      'bench:store compares SQLite with PostgreSQL and needs a PostgreSQL server it may create a schema in:\n' +
        '  LIFECIRCLE_BENCH_DATABASE_URL=postgres://user@host:port/database npm run bench:store\n' +
        'A throwaway local server (Debian postgresql-15, run as root): `scripts/throwaway-postgres.sh start` prints\n' +
        'its URL; `scripts/throwaway-postgres.sh stop` removes it.',
    );
    process.exit(1);
  }
  const machine = describeMachine();
  console.log(
    `machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB} GiB, load average ${machine.loadAverage}, node ${machine.versions.node}`,
  );
  console.log(
    `note: ${machine.cores} cores serve every process of a configuration, PostgreSQL's backends and autocannon alike; ` +
      'the ×2 and ×4 columns show what more processes bring on this machine, not on a larger one.',
  );

  const dir = mkdtempSync(join(tmpdir(), 'lifecircle-bench-store-'));
  const sqlitePath = join(dir, 'sqlite.db');
  // Schema names: lower-case letters, digits and _ (src/store); unique, so a leftover never collides.
  const schema = `bench_store_${process.pid}_${Date.now().toString(36)}`;
  const running: Running[] = [];
  // Every server child, also one still starting: the cleanup stops them all.
  const spawned: StartedServer[] = [];
  let client: pg.Client | undefined;
  // Failures make the exit code 1 (a lost write, an import short of rows); warnings are printed only.
  const failures: string[] = [];
  const warnings: string[] = [];

  let cleaning: Promise<void> | undefined;
  const cleanup = () =>
    (cleaning ??= (async () => {
      const alive = spawned.filter((s) => s.child.exitCode === null && s.child.signalCode === null);
      await Promise.all(alive.map((s) => stopServer(s).catch(() => undefined)));
      await client?.end().catch(() => undefined);
      const dropper = new pg.Client({ connectionString: databaseUrl });
      try {
        await dropper.connect();
        await dropper.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } catch (error) {
        console.error(`could not drop schema ${schema}: ${(error as Error).message}`);
      } finally {
        await dropper.end().catch(() => undefined);
      }
      rmSync(dir, { recursive: true, force: true });
    })());
  const abort = (why: string) => {
    console.error(`\nbench:store: ${why}; stopping the servers and dropping the bench schema`);
    void cleanup().finally(() => process.exit(1));
  };
  const deadline = setTimeout(() => abort(`not done after ${RUN_LIMIT_MS / 60_000} minutes`), RUN_LIMIT_MS);
  process.once('SIGINT', () => abort('interrupted'));
  process.once('SIGTERM', () => abort('terminated'));

  try {
    client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    const setting = async (name: string) =>
      ((await client!.query(`SHOW ${name}`)).rows[0] as Record<string, string>)[name];
    console.log(
      `postgresql: ${await setting('server_version')}, fsync ${await setting('fsync')}, synchronous_commit ${await setting('synchronous_commit')}, shared_buffers ${await setting('shared_buffers')}, max_connections ${await setting('max_connections')}; schema ${schema}`,
    );

    // 1. One store on SQLite, as bench/server.ts builds it, plus the bench staff user and the analysis run (so
    // every server reuses the same run instead of each storing its own).
    const t0 = performance.now();
    const rand = seededRandom(20261212);
    const store = await openStore({ path: sqlitePath });
    const prepared = await prepareStore(store, {}, { cityCode: BUNDLED_CITY });
    await loadBundledPlaces(store, loadStandards(undefined), { cityCode: BUNDLED_CITY });
    const placed = (await store.communities.list({ limit: 1000 })).items.map((c) => c.location);
    const midLon = (Math.min(...placed.map((p) => p.lon)) + Math.max(...placed.map((p) => p.lon))) / 2;
    const midLat = (Math.min(...placed.map((p) => p.lat)) + Math.max(...placed.map((p) => p.lat))) / 2;
    const spanLat = 30_000 / 111_195;
    const spanLon = spanLat / Math.cos((midLat * Math.PI) / 180);
    READ = { west: midLon - spanLon / 2, south: midLat - spanLat / 2, spanLon, spanLat };
    // 0.2° × 0.2° in the south-west corner of the city's import box (imports reject rows outside it).
    const [cityWest, citySouth] = bundledExtent(BUNDLED_CITY)!.bbox;
    FAR = { west: cityWest + 0.06, south: citySouth + 0.06, spanLon: 0.2, spanLat: 0.2 };
    if (FAR.west + FAR.spanLon >= READ.west && FAR.south + FAR.spanLat >= READ.south)
      throw new Error('the far box overlaps the read extent');
    console.log(
      `extent: 30 × 30 km around the bundled communities (${READ.west.toFixed(3)},${READ.south.toFixed(3)} + ${spanLon.toFixed(3)}° × ${spanLat.toFixed(3)}°); imported rows in ${FAR.west.toFixed(2)},${FAR.south.toFixed(2)} + 0.2° × 0.2°`,
    );
    await fillSyntheticStore(store, rand, READ, { facilities: FACILITIES, ratings: RATINGS });
    await store.users.create({
      username: 'bench-staff',
      displayName: '合成测试科员',
      role: 'staff',
      department: null,
      domains: [],
      regionCode: null,
      providerUscc: null,
      disabled: false,
      passwordHash: await hashPassword(STAFF_PASSWORD),
    });
    const graph = await loadBundledGraph();
    const { run } = await new LifeCircleEngine({ store, cityCode: BUNDLED_CITY, graph }).refresh();
    const communities = (await store.communities.list({ limit: 1000 })).items.map((c) => c.code);
    await store.close();
    console.log(
      `store: ${FACILITIES} facilities and ${RATINGS} ratings (synthetic) + the bundled ${communities.length} communities, analysis run #${run.id}, built on SQLite in ${seconds(t0)} s`,
    );
    const sqliteCheck = new Database(sqlitePath, { readonly: true });
    console.log(
      `sqlite: journal ${sqliteCheck.pragma('journal_mode', { simple: true })}, synchronous ${sqliteCheck.pragma('synchronous', { simple: true })} (0 off, 1 normal, 2 full) on a new connection`,
    );
    sqliteCheck.close();

    // 2. The same rows into PostgreSQL (the copy compares every table's checksum before it commits).
    const t1 = performance.now();
    const copied = await copyStore(
      { dialect: 'sqlite', path: sqlitePath },
      { dialect: 'postgres', url: databaseUrl, schema },
    );
    console.log(
      `copied: ${copied.rows} rows in ${copied.tables.length} tables to ${copied.to} in ${seconds(t1)} s`,
    );
    await client.query(`SET search_path = ${schema}`);
    // PostgreSQL plans from statistics; a fresh copy has none until autovacuum gets to it.
    await client.query('ANALYZE');

    // 3. Every server up before the first measurement; one after the other, so their starts do not compete.
    // The PostgreSQL configurations share the schema; the SQLite one has its file.
    for (const config of CONFIGS) {
      const t = performance.now();
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        LIFECIRCLE_ADMIN_PASSWORD: undefined,
        LIFECIRCLE_PROCESSES: undefined,
        DATABASE_URL: config.engine === 'postgres' ? databaseUrl : undefined,
        LIFECIRCLE_DB_SCHEMA: config.engine === 'postgres' ? schema : undefined,
        LIFECIRCLE_DB: undefined,
      };
      const server = await startServer(
        [
          ...(config.engine === 'sqlite' ? ['--db', sqlitePath] : []),
          '--processes',
          String(config.processes),
        ],
        {
          env,
          group: true,
          timeoutMs: START_LIMIT_MS,
          onSpawn: (s) => spawned.push(s),
          until: config.processes > 1 ? /processes\s+\d+ on one port \(pids [^)]*\)/ : undefined,
        },
      );
      const entry: Running = { config, server, admin: '', staff: '', acknowledged: [] };
      running.push(entry);
      entry.admin = await login(
        server.url,
        prepared.administrator?.username ?? 'admin',
        prepared.administrator?.password ?? '',
      );
      entry.staff = await login(server.url, 'bench-staff', STAFF_PASSWORD);
      const pids = /processes\s+(.*)/.exec(server.output)?.[1] ?? `1 (pid ${server.child.pid})`;
      const storeLine = /store\s+(.*)/.exec(server.output)?.[1] ?? '?';
      console.log(
        `server ${config.label}: ${server.url}, ${pids}, store ${storeLine}, up in ${seconds(t)} s`,
      );
    }

    /** Facilities whose code starts with `prefix` in the configuration's store (the SQLite file, read beside its
     * server, or the schema). */
    const countCodes = async (config: Config, prefix: string): Promise<number> => {
      if (config.engine === 'postgres')
        return Number(
          (await client!.query('SELECT count(*) AS n FROM facilities WHERE code LIKE $1', [`${prefix}%`]))
            .rows[0].n,
        );
      const db = new Database(sqlitePath, { readonly: true });
      try {
        const row = db.prepare('SELECT count(*) AS n FROM facilities WHERE code LIKE ?').get(`${prefix}%`);
        return (row as { n: number }).n;
      } finally {
        db.close();
      }
    };
    let importFailures = 0;

    const cannon = async (opts: autocannon.Options, warm: boolean): Promise<autocannon.Result> => {
      if (warm && WARM_SECONDS)
        await autocannon({ connections: CONNECTIONS, ...opts, duration: WARM_SECONDS });
      return autocannon({ connections: CONNECTIONS, duration: SECONDS, ...opts });
    };
    // Errors named by status (and, for writes, the error code the server gave), so a busy store shows as such.
    const fromCannon = (r: autocannon.Result, codes = new Map<string, number>()): Measurement => {
      const statuses = Object.entries(r.statusCodeStats ?? {})
        .filter(([status]) => !status.startsWith('2'))
        .map(([status, { count }]) => `${status} ×${count ?? 0}`);
      const named = [...codes].map(([code, n]) => `${code} ×${n}`);
      const other = [
        ...(r.timeouts ? [`timeouts ×${r.timeouts}`] : []),
        ...(r.errors - r.timeouts > 0 ? [`connection errors ×${r.errors - r.timeouts}`] : []),
      ];
      const note = [...statuses, ...named, ...other].join(', ');
      return {
        perSecond: r.requests.average,
        p99: r.latency.p99,
        errors: r.errors + r.non2xx,
        ...(note ? { note } : {}),
      };
    };

    // One scenario on one configuration. `r` is seeded per round and scenario: every configuration of a round
    // gets the same requests.
    const measure = async (
      scenario: ScenarioKey,
      entry: Running,
      round: number,
      r: () => number,
    ): Promise<Measurement> => {
      const { url } = entry.server;
      const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
      if (scenario === 'outlets')
        return fromCannon(
          await cannon(
            {
              url,
              requests: [
                {
                  setupRequest: (req) => ({
                    ...req,
                    path: `/api/ratings/outlets?community=${pick(communities)}&limit=20`,
                  }),
                },
              ],
            },
            true,
          ),
        );
      if (scenario === 'bbox')
        return fromCannon(
          await cannon(
            {
              url,
              requests: [
                {
                  setupRequest: (req) => {
                    const w = READ.west + r() * (READ.spanLon - 0.01);
                    const s = READ.south + r() * (READ.spanLat - 0.01);
                    return {
                      ...req,
                      path: `/api/map/facilities?bbox=${w},${s},${w + 0.01},${s + 0.01}&limit=1000`,
                    };
                  },
                },
              ],
            },
            true,
          ),
        );
      if (scenario === 'writes') {
        let sent = 0;
        const before = entry.acknowledged.length;
        const codes = new Map<string, number>();
        const result = await cannon(
          {
            url: `${url}/api/ratings`,
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${entry.staff}` },
            requests: [
              {
                // As bench/server.ts, but each resident's phone is new to the store: with one schema for the
                // PostgreSQL configurations, reused phones would give later ones longer rating histories to
                // check for abuse.
                setupRequest: (req) => {
                  const n = sent++;
                  return {
                    ...req,
                    body: JSON.stringify({
                      outletId: `BF${Math.floor(r() * FACILITIES)}`,
                      level: pick(['very_satisfied', 'satisfied', 'basically_satisfied']),
                      eventId: `bench-${entry.config.key}-r${round}-${n}`,
                      channel: 'staff',
                      residentPhone: `199${CONFIGS.indexOf(entry.config)}${round}${String(n).padStart(6, '0')}`,
                    }),
                  };
                },
                // The server's own word for each stored row: checked against the store at the end.
                onResponse: (status, body) => {
                  if (status === 201)
                    entry.acknowledged.push((JSON.parse(body) as { rating: { id: string } }).rating.id);
                  else {
                    let code = `HTTP ${status}`;
                    try {
                      code = (JSON.parse(body) as { error?: { code?: string } }).error?.code ?? code;
                    } catch {
                      // not JSON: keep the status
                    }
                    codes.set(code, (codes.get(code) ?? 0) + 1);
                  }
                },
              },
            ],
          },
          false, // not warmed: every acknowledged write must be counted
        );
        // Every 2xx must have given an id, or the lost-write check would miss some.
        if (entry.acknowledged.length - before !== result['2xx'])
          failures.push(
            `${entry.config.label}, round ${round}: autocannon counted ${result['2xx']} 2xx, ${entry.acknowledged.length - before} ids were read`,
          );
        return fromCannon(result, codes);
      }

      // Imports: two jobs at once, timed from sending both files until both have ended.
      const prefixes = ['A', 'B'].map((ab) => `I${entry.config.key.toUpperCase()}R${round}${ab}`);
      const files = prefixes.map((p) => syntheticImportFile(p, r, FAR, IMPORT_ROWS));
      const auth = { authorization: `Bearer ${entry.admin}` };
      const [t, sentAt] = [performance.now(), Date.now()];
      const jobs = await Promise.all(
        files.map((file, i) =>
          json<{ id: number }>(`${url}/api/facilities/import?fileName=${prefixes[i]}.csv`, {
            method: 'POST',
            headers: { 'content-type': 'text/csv', prefer: 'respond-async', ...auth },
            body: file,
          }),
        ),
      );
      type JobView = {
        status: string;
        startedAt: string | null;
        finishedAt: string | null;
        import: { created: number } | null;
      };
      let ended: JobView[];
      for (;;) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        ended = await Promise.all(
          jobs.map((j) => json<JobView>(`${url}/api/jobs/${j.id}`, { headers: auth })),
        );
        if (ended.every((j) => j.finishedAt)) break;
        if (performance.now() - t > IMPORT_LIMIT_MS)
          throw new Error(
            `${entry.config.label}: the imports did not end within ${IMPORT_LIMIT_MS / 60_000} min`,
          );
      }
      const took = (performance.now() - t) / 1000;
      let errors = 0;
      for (const [i, job] of ended.entries()) {
        const stored = await countCodes(entry.config, `${prefixes[i]}-`);
        if (job.status !== 'succeeded' || stored !== IMPORT_ROWS) {
          errors++;
          importFailures++;
          failures.push(
            `${entry.config.label}, round ${round}: import ${prefixes[i]} ${job.status}, ${stored} of ${IMPORT_ROWS} rows stored`,
          );
        } else if (job.import?.created !== IMPORT_ROWS)
          warnings.push(
            `${entry.config.label}, round ${round}: import ${prefixes[i]} stored all ${stored} rows, but its job reports ${job.import?.created} created`,
          );
      }
      // When each job ran, in seconds after the files were sent: one after the other, side by side, or re-run.
      const at = (iso: string | null) => (iso ? ((Date.parse(iso) - sentAt) / 1000).toFixed(1) : '?');
      const note = `jobs ran ${ended.map((j) => `${at(j.startedAt)}–${at(j.finishedAt)} s`).join(' and ')}`;
      return { perSecond: (2 * IMPORT_ROWS) / took, p99: null, errors, note };
    };

    // 4. Rounds of measured pairs.
    const results = new Map<ScenarioKey, Map<string, Measurement[]>>(
      SCENARIOS.map((s) => [s.key, new Map(CONFIGS.map((c) => [c.key, []]))]),
    );
    for (let round = 1; round <= ROUNDS; round++) {
      const order = round % 2 ? running : [...running].reverse();
      console.log(
        `\nround ${round} of ${ROUNDS} (${order.map((e) => e.config.label).join(', ')}): load average before ${load()}`,
      );
      for (const [s, scenario] of SCENARIOS.entries()) {
        for (const entry of order) {
          const m = await measure(scenario.key, entry, round, seededRandom(20261212 + round * 100 + s));
          results.get(scenario.key)!.get(entry.config.key)!.push(m);
          console.log(
            `  ${scenario.key.padEnd(7)} ${entry.config.label.padEnd(11)} ${
              m.p99 === null
                ? `${Math.round(m.perSecond)} rows/s`
                : `${Math.round(m.perSecond)} req/s, p99 ${m.p99} ms`
            }${m.errors ? `, ${m.errors} errors` : ''}${m.note ? ` (${m.note})` : ''}`,
          );
        }
      }
      console.log(`round ${round}: load average after ${load()}`);
    }

    // 5. Every server stopped (cleanly: stores closed), then every acknowledged write looked up in its store.
    await Promise.all(running.map((e) => stopServer(e.server)));
    const sqliteDb = new Database(sqlitePath, { readonly: true });
    const storedIds = {
      sqlite: new Set(
        (sqliteDb.prepare(`SELECT id FROM ratings WHERE channel = 'staff'`).all() as { id: string }[]).map(
          (x) => x.id,
        ),
      ),
      postgres: new Set(
        ((await client.query(`SELECT id FROM ratings WHERE channel = 'staff'`)).rows as { id: string }[]).map(
          (x) => x.id,
        ),
      ),
    };
    sqliteDb.close();
    const writeLines: string[] = [];
    for (const engine of ['sqlite', 'postgres'] as const) {
      const entries = running.filter((e) => e.config.engine === engine);
      const acked = entries.flatMap((e) => e.acknowledged);
      const stored = storedIds[engine];
      const lost = acked.filter((id) => !stored.has(id)).length;
      // Rows answered after autocannon stopped: at most one in flight per connection and run.
      const unanswered = stored.size - (acked.length - lost);
      const inFlightBound = CONNECTIONS * ROUNDS * entries.length;
      writeLines.push(
        `rating writes, ${engine}: ${acked.length} acknowledged, ${stored.size} stored (${unanswered} answered after a run stopped, at most ${inFlightBound}): ${lost} lost`,
      );
      if (lost > 0) failures.push(`${engine}: ${lost} acknowledged rating writes are not in the store`);
      // More would be writes answered with an error (or a client timeout) and stored all the same.
      if (unanswered > inFlightBound)
        warnings.push(`${engine}: ${unanswered} stored ratings were never acknowledged (> ${inFlightBound})`);
    }

    // 6. The table: medians over the rounds; ratios only of numbers from this run, per round, then their median.
    const cell = (ms: readonly Measurement[]) => {
      const errors = ms.reduce((a, m) => a + m.errors, 0);
      const value =
        ms[0].p99 === null
          ? `${Math.round(median(ms.map((m) => m.perSecond)))} rows/s`
          : `${Math.round(median(ms.map((m) => m.perSecond)))} · ${median(ms.map((m) => m.p99!))} ms`;
      return errors ? `${value} (${errors} errors)` : value;
    };
    console.log(
      `\nmedians over ${ROUNDS} round${ROUNDS > 1 ? 's' : ''}, ${SECONDS} s each${WARM_SECONDS ? ` after ${WARM_SECONDS} s warm-up (reads)` : ''}, ${CONNECTIONS} connections; cells: req/s · p99 (imports: rows/s from sending both files until both jobs ended)\n`,
    );
    console.log(`| scenario | ${CONFIGS.map((c) => c.label).join(' | ')} |`);
    console.log(`| --- | ${CONFIGS.map(() => '---:').join(' | ')} |`);
    for (const s of SCENARIOS)
      console.log(
        `| ${s.label} | ${CONFIGS.map((c) => cell(results.get(s.key)!.get(c.key)!)).join(' | ')} |`,
      );

    const pairs = [
      ['p1', 's1'],
      ['p2', 'p1'],
      ['p4', 'p1'],
    ] as const;
    const label = (key: string) => CONFIGS.find((c) => c.key === key)!.label;
    console.log(
      `\nthroughput ratios, each of two numbers measured in the same round of this run (median, range):\n`,
    );
    console.log(`| scenario | ${pairs.map(([a, b]) => `${label(a)} / ${label(b)}`).join(' | ')} |`);
    console.log(`| --- | ${pairs.map(() => '---:').join(' | ')} |`);
    for (const s of SCENARIOS) {
      const byConfig = results.get(s.key)!;
      const ratios = pairs.map(([a, b]) => {
        const rs = byConfig.get(a)!.map((m, i) => m.perSecond / byConfig.get(b)![i].perSecond);
        if (!rs.every(Number.isFinite)) return '–';
        return rs.length > 1
          ? `${median(rs).toFixed(2)} (${Math.min(...rs).toFixed(2)}–${Math.max(...rs).toFixed(2)})`
          : median(rs).toFixed(2);
      });
      console.log(`| ${s.label} | ${ratios.join(' | ')} |`);
    }

    console.log('');
    for (const line of writeLines) console.log(line);
    console.log(
      importFailures
        ? `imports: ${importFailures} did not store all their rows`
        : `imports: each of ${2 * ROUNDS * CONFIGS.length} stored all its ${IMPORT_ROWS} rows (job succeeded, rows counted in the store)`,
    );
    console.log(
      "notes: facilities by bbox is answered from each process's in-memory map (the analysis engine's index), not " +
        'from the store, so it shows process scaling rather than the engines. The PostgreSQL configurations share ' +
        'one schema: imports land outside the read extent, so reads see the same facilities throughout; rating ' +
        "writes go to the read extent's outlets, as in bench/server.ts, so later rounds on PostgreSQL count a " +
        'few more ratings per outlet.',
    );
    console.log(`load average at the end: ${load()}`);
    for (const w of warnings) console.log(`WARNING: ${w}`);
    for (const f of failures) console.log(`FAILED: ${f}`);
    if (failures.length) process.exitCode = 1;
  } finally {
    clearTimeout(deadline);
    await cleanup();
  }
}

await main();
