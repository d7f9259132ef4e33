/**
 * `npm run bench:basemap` — a server's first basemap tiles of a big city: the first at zoom 10 (decoding, and the
 * index of water, green and major roads), then the first at zoom 14 (the index of minor roads and paths), cut
 * - before: on the request thread, as the server did until issue 14's follow-up (decoding, place index, geojson-vt);
 * - after: in src/basemap's BasemapThread, started by that first tile (its start-up counts), or
 * - after, thread running: the thread already started and warmed on another basemap (its code compiled).
 * Each measurement is a fresh server process (the real app, the real route over HTTP on 127.0.0.1), so every
 * variant starts as cold as a server does; while a tile is cut, /api/health is probed every 10 ms and its latencies
 * kept. The variants take turns within each repeat; medians are printed with the load average. Basemap: the real
 * Porto 2015 extract (../shared/data, as `npm run bench`), 1.7 MB stored. `-- --repeats N` (default 5).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { MapDataProvider } from '../src/analysis/index.js';
import {
  BasemapThread,
  BasemapTiles,
  decodeBasemap,
  encodeBasemap,
  extractBasemap,
  PlaceIndex,
  StoredBasemap,
} from '../src/basemap/index.js';
import { buildApp } from '../src/server/index.js';
import { openTemporaryStore, type CityBasemap } from '../src/store/index.js';

const HERE = fileURLToPath(import.meta.url);
const ROOT = resolve(dirname(HERE), '../..');
const PORTO_PBF = resolve(ROOT, '../shared/data/porto-2015/porto_portugal.osm.pbf');
const CITY = '9999';

const VARIANTS = {
  before: 'before: request thread',
  fresh: 'after: basemap thread, started by the tile',
  running: 'after: basemap thread already running',
} as const;
type Variant = keyof typeof VARIANTS;
type Tile = [number, number, number];

interface Timed {
  tileMs: number;
  healthMaxMs: number;
  healthMedianMs: number;
  probes: number;
}

/** What one server process measured. */
interface Run {
  z10: Timed;
  z14: Timed;
}

/** What the route asks of the map provider for basemap tiles: the one method this bench provides. */
interface TileSource {
  tile(z: number, x: number, y: number): Promise<Uint8Array | null>;
}

/** Before: the request thread decodes the stored bytes, builds the place index and cuts with geojson-vt. */
class InThreadBasemap implements TileSource {
  private loaded: { tiles: BasemapTiles; places: PlaceIndex } | undefined;
  constructor(private readonly stored: { data: Uint8Array; sha256: string }) {}
  async tile(z: number, x: number, y: number): Promise<Uint8Array | null> {
    // As StoredBasemap's load did: tiles and search made together on the first use.
    if (!this.loaded) {
      const basemap = decodeBasemap(this.stored.data, this.stored.sha256, 'Porto');
      this.loaded = { tiles: new BasemapTiles(basemap), places: new PlaceIndex(basemap) };
    }
    return this.loaded.tiles.tile(z, x, y);
  }
}

/** The slippy-map tile (Web Mercator) holding a point at zoom z. */
function tileOf(lon: number, lat: number, z: number): Tile {
  const r = (lat * Math.PI) / 180;
  return [
    z,
    Math.floor(((lon + 180) / 360) * 2 ** z),
    Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * 2 ** z),
  ];
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ms = (x: number) => `${x.toFixed(0)} ms`;
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

/** A tile over HTTP, with /api/health probed every 10 ms (after the last probe answered) until it answers. */
async function firstTile(base: string, [z, x, y]: Tile): Promise<Timed> {
  const t0 = performance.now();
  let done = false;
  const tile = fetch(`${base}/api/map/tiles/basemap/${z}/${x}/${y}.pbf`)
    .then(async (r) => {
      if (r.status !== 200) throw new Error(`tile ${z}/${x}/${y}: ${r.status}`);
      await r.arrayBuffer();
      return performance.now() - t0;
    })
    .finally(() => (done = true));
  const latencies: number[] = [];
  const probing = (async () => {
    while (!done) {
      const p0 = performance.now();
      const r = await fetch(`${base}/api/health`);
      await r.arrayBuffer();
      if (r.status !== 200) throw new Error(`/api/health: ${r.status}`);
      latencies.push(performance.now() - p0);
      // Paced, so the probes do not take a core from the work they watch.
      await new Promise((done) => setTimeout(done, 10));
    }
  })();
  const tileMs = await tile;
  await probing;
  return {
    tileMs,
    healthMaxMs: Math.max(...latencies),
    healthMedianMs: median(latencies),
    probes: latencies.length,
  };
}

/** One server process: the app on a temporary store, its basemap tiles from `variant`; prints its Run as JSON. */
async function child(variant: Variant, file: string, z10: Tile, z14: Tile): Promise<void> {
  const data = new Uint8Array(readFileSync(file));
  const sha256 = createHash('sha256').update(data).digest('hex');
  const record: CityBasemap = {
    cityCode: CITY,
    fileName: 'porto_portugal.osm.pbf',
    sourceSha256: sha256,
    format: 'lifecircle-basemap/1',
    sha256,
    bytes: data.byteLength,
    counts: { water: 0, green: 0, buildings: 0, roads: 0, places: 0 },
    bbox: null,
    createdBy: 'bench',
    createdAt: new Date().toISOString(),
  };
  const repository = {
    cityBasemaps: { get: async () => record, data: async () => data, put: async () => null },
  };
  const thread = new BasemapThread();
  if (variant === 'running')
    await thread
      .tile({ key: 'warm-up', sha256, what: 'Porto', data }, ...z10)
      .then(() => thread.drop('warm-up'));
  const source: TileSource =
    variant === 'before'
      ? new InThreadBasemap({ data, sha256 })
      : new StoredBasemap(repository, CITY, { thread });
  const tmp = await openTemporaryStore();
  // Only the basemap route reaches the provider in this bench.
  const map = { basemapTile: (z: number, x: number, y: number) => source.tile(z, x, y) };
  const app = await buildApp({ store: tmp.store, cityCode: CITY, map: map as unknown as MapDataProvider });
  try {
    await app.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    // A server has answered something before its first basemap tile.
    await (await fetch(`${base}/api/health`)).arrayBuffer();
    const run: Run = { z10: await firstTile(base, z10), z14: await firstTile(base, z14) };
    process.stdout.write(`${JSON.stringify(run)}\n`);
  } finally {
    await thread.close();
    await app.close();
    await tmp.dispose();
  }
}

async function main(): Promise<void> {
  const repeatsAt = process.argv.indexOf('--repeats');
  const repeats = repeatsAt > 0 ? Number(process.argv[repeatsAt + 1]) : 5;
  if (!existsSync(PORTO_PBF)) throw new Error(`${PORTO_PBF} is missing (the shared data of the benchmarks)`);
  console.log(`load average at start: ${load()}; node ${process.version}`);
  const extracted = await extractBasemap(PORTO_PBF);
  const encoded = encodeBasemap(extracted);
  const [w, s, e, n] = extracted.bbox ?? [0, 0, 0, 0];
  const z10 = tileOf((w + e) / 2, (s + n) / 2, 10);
  const z14 = tileOf((w + e) / 2, (s + n) / 2, 14);
  console.log(
    `Porto 2015 basemap: ${extracted.counts.roads} roads, ${extracted.counts.places} places, ` +
      `${extracted.counts.buildings} buildings; stored ${(encoded.data.byteLength / 1e6).toFixed(2)} MB`,
  );
  const tiles = new BasemapTiles(extracted);
  for (const tile of [z10, z14]) {
    const bytes = tiles.tile(...tile) ?? new Uint8Array();
    console.log(
      `tile ${tile.join('/')}: ${(bytes.byteLength / 1e3).toFixed(1)} KB, gzip'd ` +
        `${(gzipSync(bytes).byteLength / 1e3).toFixed(1)} KB`,
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'lifecircle-bench-basemap-'));
  const file = join(dir, 'porto.basemap');
  writeFileSync(file, encoded.data);
  const runs = Object.fromEntries(Object.keys(VARIANTS).map((v) => [v, [] as Run[]])) as Record<
    Variant,
    Run[]
  >;
  try {
    for (let i = 0; i < repeats; i++) {
      for (const variant of Object.keys(VARIANTS) as Variant[]) {
        const args = [HERE, '--child', variant, file, z10.join('/'), z14.join('/')];
        const out = spawnSync(process.execPath, args, {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        if (out.status !== 0)
          throw new Error(`${VARIANTS[variant]}: the server process exited ${out.status}`);
        const run = JSON.parse(out.stdout.trim().split('\n').at(-1) ?? '') as Run;
        runs[variant].push(run);
        console.log(
          `  ${VARIANTS[variant].padEnd(44)} first z10 ${ms(run.z10.tileMs)} (health ≤ ${ms(run.z10.healthMaxMs)}), ` +
            `first z14 ${ms(run.z14.tileMs)} (health ≤ ${ms(run.z14.healthMaxMs)}); load ${load()}`,
        );
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  console.log(`\nmedians of ${repeats} repeats, each a fresh server process, the variants in turn:`);
  console.log(
    '| variant | first z10 tile | /api/health during it: max / median | first z14 tile | /api/health during it: max / median |',
  );
  console.log('| --- | --- | --- | --- | --- |');
  for (const variant of Object.keys(VARIANTS) as Variant[]) {
    const m = (which: 'z10' | 'z14', k: keyof Timed) => ms(median(runs[variant].map((r) => r[which][k])));
    console.log(
      `| ${VARIANTS[variant]} | ${m('z10', 'tileMs')} | ${m('z10', 'healthMaxMs')} / ${m('z10', 'healthMedianMs')} | ` +
        `${m('z14', 'tileMs')} | ${m('z14', 'healthMaxMs')} / ${m('z14', 'healthMedianMs')} |`,
    );
  }
  console.log(`load average at end: ${load()}`);
}

const childAt = process.argv.indexOf('--child');
if (childAt > 0) {
  const [variant, file, z10, z14] = process.argv.slice(childAt + 1);
  const tile = (text: string) => text.split('/').map(Number) as Tile;
  await child(variant as Variant, file, tile(z10), tile(z14));
} else {
  await main();
}
