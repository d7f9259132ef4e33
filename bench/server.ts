// Benchmark: the HTTP server under load (issue 11). A store of 150,000 SYNTHETIC facilities and 500,000
// SYNTHETIC ratings on the bundled central-Chengdu data; the server runs as its own process (`lifecircle start`),
// autocannon drives it from this one. Reports req/s and p50/p99 latency for the resident outlet search, map
// coverage, facilities by bounding box, facility vector tiles, a rating write (acknowledged writes counted in the
// store afterwards), and GET /api/health without and then during two concurrent 50,000-row imports.
// Every scenario is bounded in time; the whole run stops by itself. `npm run bench:server` (`-- --quick` for a
// small store that only checks the bench works).
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { hashPassword } from '../src/accounts/index.js';
import { BUNDLED_CITY, loadBundledPlaces, prepareStore } from '../src/analysis/index.js';
import { loadStandards } from '../src/standards/index.js';
import { openStore } from '../src/store/index.js';
import { json, login as loginAt, startServer } from './http.js';
import { describeMachine } from './machine.js';
import { seededRandom } from './rng.js';
import { fillSyntheticStore, syntheticImportFile, type Box } from './synthetic.js';

const QUICK = process.argv.includes('--quick');
const FACILITIES = QUICK ? 5_000 : 150_000;
const RATINGS = QUICK ? 10_000 : 500_000;
const IMPORT_ROWS = QUICK ? 5_000 : 50_000;
const SECONDS = QUICK ? 3 : 10;
const CONNECTIONS = 50;
const STAFF_PASSWORD = 'bench-staff-password-1';
// Synthetic facilities fill 30 × 30 km around the bundled communities (central Chengdu), as a city-wide register
// would (about 170 per km²); set once the communities are loaded.
let [WEST, SOUTH, SPAN_LON, SPAN_LAT] = [0, 0, 0, 0];

interface Row {
  scenario: string;
  requests: number;
  reqPerSec: number;
  p50: number;
  p99: number;
  errors: number;
  note: string;
}

function row(scenario: string, r: autocannon.Result, note = ''): Row {
  return {
    scenario,
    requests: r.requests.total,
    reqPerSec: Math.round(r.requests.average),
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.timeouts + r.non2xx,
    note,
  };
}

async function main(): Promise<void> {
  const machine = describeMachine();
  console.log(
    `machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB} GiB, load average ${machine.loadAverage}, node ${machine.versions.node}`,
  );
  const dir = mkdtempSync(join(tmpdir(), 'lifecircle-bench-server-'));
  const db = join(dir, 'bench.db');
  const rand = seededRandom(20261203);
  let server: ChildProcess | undefined;
  try {
    const t0 = performance.now();
    const store = await openStore({ path: db });
    const prepared = await prepareStore(store, {}, { cityCode: BUNDLED_CITY });
    await loadBundledPlaces(store, loadStandards(undefined), { cityCode: BUNDLED_CITY });
    const placed = (await store.communities.list({ limit: 1000 })).items.map((c) => c.location);
    const midLon = (Math.min(...placed.map((p) => p.lon)) + Math.max(...placed.map((p) => p.lon))) / 2;
    const midLat = (Math.min(...placed.map((p) => p.lat)) + Math.max(...placed.map((p) => p.lat))) / 2;
    SPAN_LAT = 30_000 / 111_195;
    SPAN_LON = SPAN_LAT / Math.cos((midLat * Math.PI) / 180);
    WEST = midLon - SPAN_LON / 2;
    SOUTH = midLat - SPAN_LAT / 2;
    console.log(
      `extent: 30 × 30 km around the bundled communities, ${WEST.toFixed(3)},${SOUTH.toFixed(3)} + ${SPAN_LON.toFixed(3)}° × ${SPAN_LAT.toFixed(3)}°`,
    );
    const extent: Box = { west: WEST, south: SOUTH, spanLon: SPAN_LON, spanLat: SPAN_LAT };
    await fillSyntheticStore(store, rand, extent, { facilities: FACILITIES, ratings: RATINGS });
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
    const communities = (await store.communities.list({ limit: 1000 })).items.map((c) => c.code);
    await store.close();
    console.log(
      `store: ${FACILITIES} facilities and ${RATINGS} ratings (synthetic) + the bundled ${communities.length} communities, built in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );

    const t1 = performance.now();
    const started = await startServer(['--db', db]);
    server = started.child;
    const { url } = started;
    console.log(`server: ${url}, started in ${((performance.now() - t1) / 1000).toFixed(1)} s`);
    const login = (username: string, password: string) => loginAt(url, username, password);
    const admin = await login(
      prepared.administrator?.username ?? 'admin',
      prepared.administrator?.password ?? '',
    );
    const staff = await login('bench-staff', STAFF_PASSWORD);

    // Each scenario runs 2 s unmeasured first (JIT, SQLite page cache), then SECONDS measured.
    const cannon = async (opts: autocannon.Options, warm = true) => {
      if (warm) await autocannon({ connections: CONNECTIONS, ...opts, duration: 2 });
      return autocannon({ connections: CONNECTIONS, duration: SECONDS, ...opts });
    };
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
    const rows: Row[] = [];

    rows.push(
      row(
        'resident outlet search (GET /api/ratings/outlets?community=…)',
        await cannon({
          url,
          requests: [
            {
              setupRequest: (r) => ({
                ...r,
                path: `/api/ratings/outlets?community=${pick(communities)}&limit=20`,
              }),
            },
          ],
        }),
      ),
    );
    rows.push(
      row(
        'map coverage (GET /api/map/coverage)',
        await cannon({ url: `${url}/api/map/coverage?level=district` }),
      ),
    );
    rows.push(
      row(
        'facilities by bbox, ~1 km box (GET /api/map/facilities?bbox=…)',
        await cannon({
          url,
          requests: [
            {
              setupRequest: (r) => {
                const w = WEST + rand() * (SPAN_LON - 0.01);
                const s = SOUTH + rand() * (SPAN_LAT - 0.01);
                return {
                  ...r,
                  path: `/api/map/facilities?bbox=${w},${s},${w + 0.01},${s + 0.01}&limit=1000`,
                };
              },
            },
          ],
        }),
      ),
    );
    // Zoom-14 tiles over the extent: x and y of the tile grid at that zoom.
    const tileX = (lon: number) => Math.floor(((lon + 180) / 360) * 2 ** 14);
    const tileY = (lat: number) => {
      const r = (lat * Math.PI) / 180;
      return Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * 2 ** 14);
    };
    rows.push(
      row(
        'facility vector tiles, zoom 14 (GET /api/map/tiles/facilities/…)',
        await cannon({
          url,
          requests: [
            {
              setupRequest: (r) => ({
                ...r,
                path: `/api/map/tiles/facilities/14/${tileX(WEST + rand() * SPAN_LON)}/${tileY(SOUTH + rand() * SPAN_LAT)}.pbf`,
              }),
            },
          ],
        }),
      ),
    );

    // Writes: staff enter ratings; every 201 must be a stored row afterwards.
    const probe = await fetch(`${url}/api/ratings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${staff}` },
      body: JSON.stringify({
        outletId: 'BF1',
        level: 'satisfied',
        eventId: 'probe',
        channel: 'staff',
        residentPhone: '19900009999',
      }),
    });
    if (probe.status !== 201)
      throw new Error(`a rating write is refused: ${probe.status} ${await probe.text()}`);
    let sent = 0;
    const writes = await cannon(
      {
        url: `${url}/api/ratings`,
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${staff}` },
        requests: [
          {
            setupRequest: (r) => {
              const n = sent++;
              return {
                ...r,
                body: JSON.stringify({
                  outletId: `BF${Math.floor(rand() * FACILITIES)}`,
                  level: pick(['very_satisfied', 'satisfied', 'basically_satisfied']),
                  eventId: `bench-${n}`,
                  channel: 'staff',
                  residentPhone: `1990000${String(n % 10000).padStart(4, '0')}`,
                }),
              };
            },
          },
        ],
      },
      false,
    ); // not warmed: every acknowledged write must be counted
    const acknowledged = writes['2xx'];
    rows.push(row('rating write (POST /api/ratings, staff entry)', writes, `${acknowledged} acknowledged`));

    const health = () => cannon({ url: `${url}/api/health`, connections: 10 });
    rows.push(row('GET /api/health, idle', await health()));

    // Two 50,000-row imports at once, each as a job; /api/health is driven until both have ended.
    const files = ['IMPA', 'IMPB'].map((p) => syntheticImportFile(p, rand, extent, IMPORT_ROWS));
    const t2 = performance.now();
    const jobs = await Promise.all(
      files.map((file, i) =>
        json<{ id: number }>(`${url}/api/facilities/import?fileName=bench-${i}.csv`, {
          method: 'POST',
          headers: { 'content-type': 'text/csv', prefer: 'respond-async', authorization: `Bearer ${admin}` },
          body: file,
        }),
      ),
    );
    let duringResult: Promise<autocannon.Result>;
    const during = await new Promise<autocannon.Instance>((resolveInstance) => {
      duringResult = new Promise((resolve, reject) => {
        resolveInstance(
          autocannon({ url: `${url}/api/health`, connections: 10, duration: 600 }, (error, result) =>
            error ? reject(error) : resolve(result),
          ),
        );
      });
    });
    const ended: { status: string; finishedAt: string | null; import: { created: number } | null }[] = [];
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      const now = await Promise.all(
        jobs.map((j) =>
          json<(typeof ended)[number]>(`${url}/api/jobs/${j.id}`, {
            headers: { authorization: `Bearer ${admin}` },
          }),
        ),
      );
      if (now.every((j) => j.finishedAt)) {
        ended.push(...now);
        break;
      }
    }
    const importSeconds = (performance.now() - t2) / 1000;
    during.stop();
    rows.push(
      row(
        'GET /api/health during two 50,000-row imports',
        await duringResult!,
        `imports ${ended.map((j) => `${j.status} (${j.import?.created ?? 0} rows)`).join(', ')} in ${importSeconds.toFixed(1)} s`,
      ),
    );

    server.kill('SIGTERM');
    await new Promise((resolve) => server?.once('exit', resolve));
    server = undefined;
    const check = new Database(db, { readonly: true });
    const stored = (
      check.prepare(`SELECT count(*) AS n FROM ratings WHERE channel = 'staff'`).get() as { n: number }
    ).n;
    const imported = (
      check.prepare(`SELECT count(*) AS n FROM facilities WHERE code LIKE 'IMP%'`).get() as { n: number }
    ).n;
    check.close();

    console.log(`\n| scenario | requests | req/s | p50 ms | p99 ms | errors | note |`);
    console.log(`| --- | ---: | ---: | ---: | ---: | ---: | --- |`);
    for (const r of rows)
      console.log(
        `| ${r.scenario} | ${r.requests} | ${r.reqPerSec} | ${r.p50} | ${r.p99} | ${r.errors} | ${r.note} |`,
      );
    // Stored = the probe + every acknowledged write + those still in flight when the run stopped (≤ connections).
    const lost = Math.max(0, acknowledged + 1 - stored);
    console.log(
      `\nrating writes: ${acknowledged} acknowledged, ${stored} stored (1 probe, ${stored - 1 - acknowledged} answered after the run stopped): ${lost} lost`,
    );
    console.log(`imported facilities stored: ${imported} of ${2 * IMPORT_ROWS}`);
    console.log(`load average at the end: ${describeMachine().loadAverage}`);
    if (lost > 0 || stored > acknowledged + 1 + CONNECTIONS || imported !== 2 * IMPORT_ROWS)
      process.exitCode = 1;
  } finally {
    server?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
