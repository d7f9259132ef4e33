import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isLifeCircleError } from '../errors.js';
import { COPIED_TABLES, copyStore, type CopyProgress } from './copy.js';
import { openPostgresStore } from './postgres-store.js';
import { openSqliteStore } from './sqlite-store.js';
import { dropSchema, openTemporaryStore, TEST_DATABASE_URL_VARIABLE } from './temporary.js';
import type { Store } from './types.js';
import { seeded, SYNTHETIC_BASEMAP_BYTES, SYNTHETIC_GRAPH_BYTES } from './test-helpers.js';

const postgresUrl = process.env[TEST_DATABASE_URL_VARIABLE];

const checksums = (report: { tables: { table: string; rows: number; checksum: string }[] }) =>
  Object.fromEntries(report.tables.map((t) => [t.table, `${t.rows}:${t.checksum}`]));

test('the copy names every table a new store has (a new table must be added to COPIED_TABLES)', async () => {
  const temp = await openTemporaryStore({ engine: 'sqlite' });
  try {
    const rows = await temp.query(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'facilities_rtree%'",
    );
    const known = new Set([...COPIED_TABLES.map((t) => t.table), 'schema_migrations', 'rating_level_totals']);
    assert.deepEqual(
      rows.map((r) => r.name as string).filter((name) => !known.has(name)),
      [],
    );
  } finally {
    await temp.dispose();
  }
});

test('store copy into a new SQLite file: same rows and checksums, same answers, progress to the end', async () => {
  const source = await seeded();
  const dir = mkdtempSync(join(tmpdir(), 'lifecircle-copy-'));
  try {
    const to = join(dir, 'copy.db');
    const seen: CopyProgress[] = [];
    const report = await copyStore(
      { dialect: 'sqlite', path: source.path },
      { dialect: 'sqlite', path: to },
      {
        onProgress: (p) => seen.push(p),
      },
    );
    assert.equal(seen.at(-1)?.done, report.rows);
    assert.equal(seen.at(-1)?.total, report.rows);
    assert.ok(report.rows > 1203 + 40);
    const copy = await openSqliteStore({ path: to });
    try {
      assert.equal(await copy.facilities.count(), 1203);
      assert.deepEqual(new Uint8Array((await copy.cityNetworks.graph('5101'))!), SYNTHETIC_GRAPH_BYTES);
      assert.deepEqual(new Uint8Array((await copy.cityBasemaps.data('5101'))!), SYNTHETIC_BASEMAP_BYTES);
      assert.deepEqual(await copy.cityBasemaps.get('5101'), await source.store.cityBasemaps.get('5101'));
      assert.deepEqual(await copy.facilities.get('F00004'), await source.store.facilities.get('F00004'));
      assert.deepEqual(
        await copy.plans.assignments({ planId: 'plan-1' }),
        await source.store.plans.assignments({ planId: 'plan-1' }),
      );
      const counts = async (s: Store) => {
        const c = await s.ratings.publishedLevelCounts(['F00001', 'F00002']);
        return { byOutlet: [...c.byOutlet], total: c.total };
      };
      assert.deepEqual(
        await counts(copy),
        await counts(source.store),
        'totals kept by the copy’s own triggers',
      );
      const box = [104.05, 30.65, 104.06, 30.66] as const;
      assert.deepEqual(
        await copy.facilities.pointsInBox(box, 'pharmacy'),
        await source.store.facilities.pointsInBox(box, 'pharmacy'),
        'the copy has its own spatial index, filled by its triggers',
      );
    } finally {
      await copy.close();
    }
    // Into a store that is not empty: refused, and that store is left as it was.
    await assert.rejects(
      copyStore({ dialect: 'sqlite', path: source.path }, { dialect: 'sqlite', path: to }),
      (e: unknown) => isLifeCircleError(e) && e.code === 'LC_USAGE' && /not empty/.test(e.message),
    );
    const again = await openSqliteStore({ path: to });
    assert.equal(await again.facilities.count(), 1203);
    await again.close();
  } finally {
    await source.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});

test(
  'store copy SQLite → PostgreSQL → SQLite round-trips every table with identical checksums',
  { skip: postgresUrl ? false : `set ${TEST_DATABASE_URL_VARIABLE} to run it (.ci/run does)` },
  async () => {
    const source = await seeded();
    const dir = mkdtempSync(join(tmpdir(), 'lifecircle-copy-'));
    const schema = `lc_copy_${process.pid}`;
    const url = postgresUrl!;
    try {
      const there = await copyStore(
        { dialect: 'sqlite', path: source.path },
        { dialect: 'postgres', url, schema },
      );
      const back = await copyStore(
        { dialect: 'postgres', url, schema },
        { dialect: 'sqlite', path: join(dir, 'back.db') },
      );
      assert.deepEqual(checksums(back), checksums(there));
      const pgStore = await openPostgresStore({ url, schema, poolSize: 1 });
      try {
        // The graph bytes survive BLOB → bytea → BLOB unchanged.
        assert.deepEqual(new Uint8Array((await pgStore.cityNetworks.graph('5101'))!), SYNTHETIC_GRAPH_BYTES);
        assert.equal((await pgStore.cityNetworks.get('5101'))?.summary.nodes, 2);
        assert.deepEqual(new Uint8Array((await pgStore.cityBasemaps.data('5101'))!), SYNTHETIC_BASEMAP_BYTES);
        assert.deepEqual(await pgStore.cityBasemaps.get('5101'), await source.store.cityBasemaps.get('5101'));
        assert.deepEqual(
          await pgStore.plans.assignments({ planId: 'plan-1' }),
          await source.store.plans.assignments({ planId: 'plan-1' }),
        );
        // Identity columns go on after the copied ids.
        const next = await pgStore.users.create({
          username: 'synthetic-second',
          displayName: '合成',
          passwordHash: 'h',
          role: 'staff',
          department: null,
          domains: [],
          regionCode: null,
          providerUscc: null,
          disabled: false,
        });
        assert.ok(next.id > 1);
      } finally {
        await pgStore.close();
      }
    } finally {
      await dropSchema(url, schema);
      await source.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
