import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';

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

/**
 * Starts `lifecircle registry import` and kills it with SIGKILL once its transaction is writing — the store's
 * write-ahead log has grown past `walBytes` (SQLite spills a large transaction's pages there before it commits) —
 * or after `ms` at the latest. Resolves with how it ended and whether the kill landed mid-write.
 */
function importKilled(
  dir: string,
  file: string,
  walBytes: number,
  ms: number,
): Promise<{ how: string; midWrite: boolean }> {
  const wal = join(dir, 'store.db-wal');
  const walSize = () => (existsSync(wal) ? statSync(wal).size : 0);
  const before = walSize();
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['bin/lifecircle.js', 'registry', 'import', file, '-e', 'facilities', '--db', join(dir, 'store.db')],
      { env: { ...process.env, LIFECIRCLE_ADMIN_PASSWORD: 'fault test password' }, stdio: 'ignore' },
    );
    let midWrite = false;
    const poll = setInterval(() => {
      if (walSize() - before > walBytes) {
        midWrite = true;
        child.kill('SIGKILL');
      }
    }, 5);
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('exit', (code, signal) => {
      clearInterval(poll);
      clearTimeout(timer);
      resolve({ how: signal ?? `exit ${code}`, midWrite });
    });
  });
}

/**
 * A process killed (kill -9) in the middle of an import leaves the store as it was: never part of the file.
 * SQLite's write-ahead log gives this; the test makes sure the import keeps to one transaction. The kills land
 * while the import's transaction is writing (its pages reaching the log), at growing depths.
 */
test('kill -9 during an import leaves the store as before, never with part of the file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lifecircle-fault-'));
  const file = join(dir, 'big.csv');
  bigFile(file);
  // Prepare the store first (division codes, facility types, first administrator: its own writes), so the log
  // grows below only because of the import.
  const prepared = spawnSync(
    process.execPath,
    [
      'bin/lifecircle.js',
      'registry',
      'export',
      '-e',
      'facilities',
      '-o',
      join(dir, 'empty.csv'),
      '--db',
      join(dir, 'store.db'),
    ],
    { env: { ...process.env, LIFECIRCLE_ADMIN_PASSWORD: 'fault test password' }, encoding: 'utf8' },
  );
  assert.equal(prepared.status, 0, prepared.stderr);
  const outcomes: string[] = [];
  let midWrites = 0;
  for (const walBytes of [256 * 1024, 1024 * 1024, 4 * 1024 * 1024]) {
    const { how, midWrite } = await importKilled(dir, file, walBytes, 120_000);
    if (midWrite) midWrites++;
    const db = new Database(join(dir, 'store.db'));
    assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
    const n = (db.prepare('SELECT count(*) AS n FROM facilities').get() as { n: number }).n;
    const audited = (
      db.prepare("SELECT count(*) AS n FROM audit_log WHERE entity = 'facilities'").get() as { n: number }
    ).n;
    db.close();
    outcomes.push(`killed after ${walBytes} bytes of log: ${how}, mid-write ${midWrite}, ${n} rows`);
    if (midWrite)
      assert.deepEqual([n, audited], [0, 0], `a kill mid-write left ${n} rows and ${audited} audit records`);
    else assert.ok(n === 0 || n === ROWS, `the store holds ${n} of ${ROWS} rows`);
  }
  console.log(outcomes.join('\n'));
  assert.ok(midWrites > 0, 'no kill landed while the import was writing: the test proved nothing');
  rmSync(dir, { recursive: true, force: true });
});
