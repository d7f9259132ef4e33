import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { backupSqliteStore, copyStore, storeChecksums } from './copy.js';
import { openSqliteStore } from './sqlite-store.js';
import { TEST_DATABASE_URL_VARIABLE } from './temporary.js';
import { seeded } from './test-helpers.js';

const postgresUrl = process.env[TEST_DATABASE_URL_VARIABLE];
/** Debian's wrappers pick the client matching the server; the versioned folder is the fallback. */
const pgDump = ['/usr/bin/pg_dump', '/usr/lib/postgresql/15/bin/pg_dump'].find((p) => existsSync(p));
const pgRestore = ['/usr/bin/pg_restore', '/usr/lib/postgresql/15/bin/pg_restore'].find((p) => existsSync(p));

test('a SQLite backup taken while the store is open restores to the same rows and checksums', async () => {
  const source = await seeded();
  const dir = mkdtempSync(join(tmpdir(), 'lifecircle-backup-'));
  try {
    const backup = join(dir, 'backup.db');
    // A write after opening and before the backup: the backup has it (it reads the committed state).
    await source.store.facilityTypes.upsert({
      code: 'clinic',
      nameZh: '诊所',
      nameEn: 'Clinic',
      domain: 'health',
      source: 'test',
    });
    await backupSqliteStore(source.path, backup);
    assert.deepEqual(
      await storeChecksums({ dialect: 'sqlite', path: backup }),
      await storeChecksums({ dialect: 'sqlite', path: source.path }),
    );
    const restored = await openSqliteStore({ path: backup });
    assert.equal((await restored.facilityTypes.get('clinic'))?.nameZh, '诊所');
    await restored.close();
    await assert.rejects(backupSqliteStore(join(dir, 'missing.db'), join(dir, 'x.db')), { code: 'LC_STORE' });
  } finally {
    await source.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});

test(
  'a PostgreSQL store dumped with pg_dump and restored with pg_restore into a new database has the same checksums',
  {
    skip:
      postgresUrl && pgDump && pgRestore
        ? false
        : `needs ${TEST_DATABASE_URL_VARIABLE} and pg_dump/pg_restore (.ci/run has both)`,
  },
  async () => {
    const source = await seeded();
    const dir = mkdtempSync(join(tmpdir(), 'lifecircle-dump-'));
    const schema = `lc_dump_${process.pid}`;
    const database = `lifecircle_restore_${process.pid}`;
    const admin = new pg.Client({ connectionString: postgresUrl });
    await admin.connect();
    const restoredUrl = (() => {
      const u = new URL(postgresUrl!);
      u.pathname = `/${database}`;
      return u.toString();
    })();
    try {
      await copyStore(
        { dialect: 'sqlite', path: source.path },
        { dialect: 'postgres', url: postgresUrl!, schema },
      );
      const dump = join(dir, 'store.dump');
      const dumped = spawnSync(
        pgDump!,
        ['--format=custom', `--schema=${schema}`, `--file=${dump}`, postgresUrl!],
        {
          encoding: 'utf8',
        },
      );
      assert.equal(dumped.status, 0, dumped.stderr);
      await admin.query(`CREATE DATABASE ${database}`);
      const restored = spawnSync(pgRestore!, ['--no-owner', `--dbname=${restoredUrl}`, dump], {
        encoding: 'utf8',
      });
      assert.equal(restored.status, 0, restored.stderr);
      assert.deepEqual(
        await storeChecksums({ dialect: 'postgres', url: restoredUrl, schema }),
        await storeChecksums({ dialect: 'sqlite', path: source.path }),
      );
    } finally {
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.query(`DROP DATABASE IF EXISTS ${database}`);
      await admin.end();
      await source.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
