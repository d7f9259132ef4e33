/**
 * `npm run bench:start` — how long `npm start` takes on a fresh and on a reused store, and how long and how large
 * the dashboard's map routes are on the bundled central-Chengdu data. Runs the real CLI in a child process with a
 * temporary store; the browser-side time to the first map is printed by the dashboard test instead.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface Running {
  url: string;
  startMs: number;
  stop: () => Promise<void>;
}

function start(db: string): Promise<Running> {
  const t0 = performance.now();
  const child = spawn(process.execPath, ['bin/lifecircle.js', 'start', '--port', '0', '--db', db], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /dashboard\s+(http:\/\/\S+?)\/\s/.exec(out);
      if (match)
        resolve({
          url: match[1],
          startMs: performance.now() - t0,
          stop: () =>
            new Promise((done) => {
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
    });
    child.once('exit', (code) => reject(new Error(`lifecircle start exited ${code}: ${out}`)));
  });
}

async function timeRoute(url: string, runs = 5): Promise<{ medianMs: number; bytes: number }> {
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const body = await (await fetch(url)).arrayBuffer();
    times.push(performance.now() - t0);
    bytes = body.byteLength;
  }
  times.sort((a, b) => a - b);
  return { medianMs: times[Math.floor(runs / 2)], bytes };
}

const dir = mkdtempSync(join(tmpdir(), 'lifecircle-bench-start-'));
const db = join(dir, 'lifecircle.db');
try {
  const first = await start(db);
  process.stdout.write(`npm start, new store:    ${first.startMs.toFixed(0)} ms to serving\n`);
  const layer = (await (await fetch(`${first.url}/api/map/communities`)).json()) as {
    features: { properties: { code: string } }[];
  };
  const code = encodeURIComponent(layer.features[0].properties.code);
  for (const route of [
    '/api/map/summary',
    '/api/map/streets',
    '/api/map/communities',
    '/api/map/facilities',
    `/api/map/communities/${code}`,
    `/api/map/isochrone?community=${code}`,
    '/api/map/coverage',
    '/main.js',
  ]) {
    const { medianMs, bytes } = await timeRoute(first.url + route);
    process.stdout.write(
      `${route.slice(0, 40).padEnd(40)} ${medianMs.toFixed(1).padStart(7)} ms ${(bytes / 1024).toFixed(0).padStart(6)} KiB\n`,
    );
  }
  await first.stop();
  const second = await start(db);
  process.stdout.write(`npm start, reused store: ${second.startMs.toFixed(0)} ms to serving\n`);
  await second.stop();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
