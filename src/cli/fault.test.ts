import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { openSqliteStore } from '../store/index.js';

const ROWS = 40_000;

/** Synthetic outlets (no real places) on a grid inside 成都's box, one per row. */
function bigFile(path: string): void {
  const lines = ['设施编码,设施名称,设施类型,经度,纬度'];
  for (let i = 0; i < ROWS; i++)
    lines.push(
      `K${i},合成网点${i},药店,${(104.0 + (i % 200) * 0.0005).toFixed(5)},${(30.6 + Math.floor(i / 200) * 0.0005).toFixed(5)}`,
    );
  writeFileSync(path, lines.join('\n'));
}

/** Starts `lifecircle registry import` and kills it with SIGKILL after `ms`; resolves when it is gone. */
function importKilledAfter(dir: string, file: string, ms: number): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['bin/lifecircle.js', 'registry', 'import', file, '-e', 'facilities', '--db', join(dir, 'store.db')],
      { env: { ...process.env, LIFECIRCLE_ADMIN_PASSWORD: 'fault test password' }, stdio: 'ignore' },
    );
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(signal ?? `exit ${code}`);
    });
  });
}

/**
 * A process killed (kill -9) in the middle of an import leaves the store as it was or, had it committed, with the
 * whole file: never part of it. SQLite's write-ahead log gives this; the test makes sure the import keeps to one
 * transaction. Kills land at several moments, from start-up to the end of the import.
 */
test('kill -9 during an import leaves the store as before (or with every row), never with part of the file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lifecircle-fault-'));
  const file = join(dir, 'big.csv');
  bigFile(file);
  // The store exists first, with its division codes and types, so a kill cannot land in its creation.
  const first = await openSqliteStore({ path: join(dir, 'store.db') });
  await first.close();
  const outcomes: string[] = [];
  for (const ms of [300, 900, 1500, 2500, 4000, 6000]) {
    const how = await importKilledAfter(dir, file, ms);
    const db = new Database(join(dir, 'store.db'));
    assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
    const n = (db.prepare('SELECT count(*) AS n FROM facilities').get() as { n: number }).n;
    db.close();
    outcomes.push(`${ms} ms: ${how}, ${n} rows`);
    assert.ok(n === 0 || n === ROWS, `after a kill at ${ms} ms the store holds ${n} of ${ROWS} rows`);
    if (n === ROWS) break;
  }
  console.log(outcomes.join('\n'));
  rmSync(dir, { recursive: true, force: true });
});
