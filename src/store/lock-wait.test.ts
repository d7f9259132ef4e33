import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { isLifeCircleError } from '../errors.js';
import { openTemporaryStore } from './temporary.js';
import { openSqliteStore } from './sqlite-store.js';

/**
 * A job's worker thread holds the file's write lock for the length of its import. The server's store must not
 * block its thread meanwhile: reads go on, writes wait on timers, and a write that waits too long is LC_BUSY.
 */
test('while another connection holds the write lock, reads go on and a write waits without blocking the thread', async () => {
  const tmp = await openTemporaryStore({ engine: 'sqlite' });
  const other = new Database(tmp.path);
  other.exec('BEGIN IMMEDIATE');
  other.exec(
    `INSERT INTO regions (code, name, level, parent_code) VALUES ('11', '北京市', 'province', NULL)`,
  );

  assert.equal(
    (await tmp.store.regions.list({})).total,
    0,
    'a read is answered and sees nothing uncommitted',
  );
  let ticks = 0;
  const ticker = setInterval(() => ticks++, 5);
  const write = tmp.store.transaction((tx) =>
    tx.regions.upsertMany([{ code: '12', name: '天津市', level: 'province', parentCode: null }]),
  );
  await new Promise((resolve) => setTimeout(resolve, 150));
  const readDuringWait = await tmp.store.regions.list({});
  other.exec('COMMIT');
  await write;
  clearInterval(ticker);
  assert.ok(ticks >= 10, `timers ran while the write waited (${ticks} ticks)`);
  assert.equal(readDuringWait.total, 0, 'reads are not queued behind a write that waits for the lock');
  assert.deepEqual(
    (await tmp.store.regions.list({})).items.map((r) => r.code),
    ['11', '12'],
  );
  other.close();
  await tmp.dispose();
});

test('a write that waits longer than the lock timeout fails with LC_BUSY naming the store, and changes nothing', async () => {
  const tmp = await openTemporaryStore({ engine: 'sqlite' });
  await tmp.store.close();
  const store = await openSqliteStore({ path: tmp.path, lockTimeoutMs: 100 });
  const other = new Database(tmp.path);
  other.exec('BEGIN IMMEDIATE');
  await assert.rejects(
    store.transaction((tx) =>
      tx.regions.upsertMany([{ code: '12', name: '天津市', level: 'province', parentCode: null }]),
    ),
    (error: unknown) =>
      isLifeCircleError(error) && error.code === 'LC_BUSY' && error.message.includes(tmp.path),
  );
  other.exec('ROLLBACK');
  other.close();
  assert.equal((await store.regions.list({})).total, 0);
  // The store works again once the lock is free.
  await store.transaction((tx) =>
    tx.regions.upsertMany([{ code: '12', name: '天津市', level: 'province', parentCode: null }]),
  );
  assert.equal((await store.regions.list({})).total, 1);
  await store.close();
  await tmp.dispose();
});

test('a full disk met while writing rolls the write back and answers one LC_STORE message; the store goes on', async () => {
  // A full disk is simulated by capping the file's pages (SQLite max_page_count): SQLITE_FULL, as on ENOSPC.
  const tmp = await openTemporaryStore({ engine: 'sqlite' });
  await tmp.store.close();
  const capped = await openSqliteStore({ path: tmp.path, maxPages: 400 });
  const region = (i: number) => ({
    code: String(1_000_000 + i),
    name: `合成区划${i}（测试）`.repeat(20),
    level: 'province' as const,
    parentCode: null,
  });
  const many = Array.from({ length: 5000 }, (_, i) => region(i));
  await assert.rejects(
    capped.transaction((tx) => tx.regions.upsertMany(many)),
    (error: unknown) =>
      isLifeCircleError(error) &&
      error.code === 'LC_STORE' &&
      error.message.includes(tmp.path) &&
      /disk is full/.test(error.message),
  );
  assert.equal((await capped.regions.list({})).total, 0, 'nothing of the failed write is kept');
  await capped.transaction((tx) => tx.regions.upsertMany([region(1)]));
  assert.equal((await capped.regions.list({})).total, 1, 'a write that fits goes through afterwards');
  await capped.close();
  await tmp.dispose();
});
