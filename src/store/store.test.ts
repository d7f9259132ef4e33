import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { isLifeCircleError } from '../errors.js';
import { MIGRATIONS } from './migrations.js';
import { POSTGRES_MIGRATIONS } from './postgres-migrations.js';
import { migrate, openSqliteStore } from './sqlite-store.js';
import { openTemporaryStore } from './temporary.js';
import type { Facility } from './types.js';

/** The newest schema version this build knows (versions may have gaps while branches merge). */
const NEWEST = Math.max(...MIGRATIONS.map((m) => m.version));

const facility = (code: string, overrides: Partial<Facility> = {}): Facility => ({
  code,
  name: '瑞华药业三友店',
  typeCode: 'pharmacy',
  location: { lon: 104.0874466, lat: 30.6843382 },
  address: null,
  regionCode: '510108',
  capacity: null,
  affordable: false,
  status: 'open',
  providerUscc: null,
  contactPhone: null,
  ...overrides,
});

async function withPharmacyType<T>(
  fn: (ctx: Awaited<ReturnType<typeof openTemporaryStore>>) => Promise<T>,
): Promise<T> {
  const ctx = await openTemporaryStore({ divisions: true });
  await ctx.store.facilityTypes.upsert({
    code: 'pharmacy',
    nameZh: '药店',
    nameEn: 'Pharmacy',
    domain: 'health',
    source: 'test',
  });
  try {
    return await fn(ctx);
  } finally {
    await ctx.dispose();
  }
}

test('a new store is created and migrated to the newest schema version', async () => {
  const { store, path, dispose } = await openTemporaryStore();
  if (store.dialect === 'sqlite') assert.ok(existsSync(path));
  assert.equal(await store.schemaVersion(), NEWEST);
  await dispose();
});

test('both stores end their migrations at the same schema version', () => {
  assert.equal(Math.max(...POSTGRES_MIGRATIONS.map((m) => m.version)), NEWEST);
});

test('reopening a store keeps its data and applies no migration twice', async () => {
  const temp = await openTemporaryStore({ divisions: true });
  const regions = await temp.store.regions.count();
  await temp.store.close();
  const again = await temp.reopen();
  assert.equal(await again.regions.count(), regions);
  const [row] = await temp.query('SELECT count(*) AS n FROM schema_migrations');
  assert.equal(Number(row!.n), temp.migrations.length);
  await again.close();
  await temp.dispose();
});

test('a store written by a newer version is refused with LC_STORE naming it', async () => {
  const temp = await openTemporaryStore();
  await temp.store.close();
  await temp.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [
    999,
    'future',
    '2030-01-01',
  ]);
  await assert.rejects(
    temp.reopen(),
    (e: unknown) => isLifeCircleError(e) && e.code === 'LC_STORE' && e.message.includes(temp.store.location),
  );
  await temp.dispose();
});

test('the bundled division codes load with every level of the four seed cities', async () => {
  const { store, dispose } = await openTemporaryStore({ divisions: true });
  const count = async (level: 'province' | 'city' | 'district' | 'subdistrict' | 'community') =>
    (await store.regions.list({ level, limit: 1 })).total;
  assert.deepEqual(
    [
      await count('province'),
      await count('city'),
      await count('district'),
      await count('subdistrict'),
      await count('community'),
    ],
    [4, 4, 56, 770, 12565],
  );
  // 西青区 (Tianjin) has 10+ 街道/镇 and 289 社区/村 (data/divisions/SOURCE.md).
  assert.ok((await store.regions.list({ level: 'subdistrict', parentCode: '120111' })).total >= 10);
  assert.equal((await store.regions.list({ level: 'community', within: '120111' })).total, 289);
  const zongfu = await store.regions.get('510104022006');
  assert.deepEqual(zongfu, {
    code: '510104022006',
    name: '总府路社区居委会',
    level: 'community',
    parentCode: '510104022',
  });
  await dispose();
});

test('a transaction that throws writes nothing', async () => {
  await withPharmacyType(async ({ store }) => {
    await assert.rejects(
      store.transaction(async (tx) => {
        await tx.facilities.upsert(facility('F1'));
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.equal(await store.facilities.get('F1'), null);
  });
});

test('a write outside a transaction waits for it and is not rolled back with it', async () => {
  await withPharmacyType(async ({ store }) => {
    const failing = store.transaction(async (tx) => {
      await tx.facilities.upsert(facility('IN_TX'));
      await new Promise((resolve) => setTimeout(resolve, 20));
      throw new Error('rollback');
    });
    const outside = store.facilities.upsert(facility('OUTSIDE'));
    await assert.rejects(failing, /rollback/);
    await outside;
    assert.equal(await store.facilities.get('IN_TX'), null);
    assert.equal((await store.facilities.get('OUTSIDE'))?.code, 'OUTSIDE');
  });
});

test('upsert by stable key returns the previous record and replaces it', async () => {
  await withPharmacyType(async ({ store }) => {
    assert.equal(await store.facilities.upsert(facility('F1')), null);
    const before = await store.facilities.upsert(facility('F1', { capacity: 12 }));
    assert.equal(before?.capacity, null);
    assert.equal((await store.facilities.get('F1'))?.capacity, 12);
    assert.equal(await store.facilities.count(), 1);
  });
});

test('facility listings page and filter by region prefix, type and affordability', async () => {
  await withPharmacyType(async ({ store }) => {
    for (let i = 0; i < 7; i++)
      await store.facilities.upsert(
        facility(`F${i}`, { regionCode: i < 5 ? '510108' : '510104', affordable: i % 2 === 0 }),
      );
    const page = await store.facilities.list({ within: '510108', limit: 2, offset: 2 });
    assert.equal(page.total, 5);
    assert.deepEqual(
      page.items.map((f) => f.code),
      ['F2', 'F3'],
    );
    assert.equal((await store.facilities.list({ within: '5101', affordable: true })).total, 4);
    assert.equal((await store.facilities.list({ domains: ['elderly_care'] })).total, 0);
    assert.equal((await store.facilities.list({ domains: ['health'] })).total, 7);
  });
});

test('an analysis run keeps its inputs hash, parameters and results for tracing', async () => {
  const { store, dispose } = await openTemporaryStore();
  const run = await store.analysisRuns.create({
    kind: 'coverage',
    inputsHash: 'a'.repeat(64),
    parameters: { facilityType: 'pharmacy', maxWalkM: 1000 },
    results: { covered: 0.83 },
    engineVersion: '0.1.0',
    createdBy: 'test',
  });
  assert.deepEqual((await store.analysisRuns.get(run.id))?.results, { covered: 0.83 });
  assert.equal((await store.analysisRuns.findByInputsHash('coverage', 'a'.repeat(64)))?.id, run.id);
  assert.equal('results' in (await store.analysisRuns.list()).items[0], false);
  await dispose();
});

test('expired sessions are not found', async () => {
  const { store, dispose } = await openTemporaryStore();
  const user = await store.users.create({
    username: 'admin',
    displayName: 'Admin',
    passwordHash: 'x',
    role: 'administrator',
    department: null,
    domains: [],
    regionCode: null,
    providerUscc: null,
    disabled: false,
  });
  await store.sessions.create({
    tokenHash: 'h',
    userId: user.id,
    createdAt: '2026-01-01T00:00:00Z',
    expiresAt: '2026-01-01T08:00:00Z',
  });
  assert.ok(await store.sessions.findValid('h', '2026-01-01T07:59:59Z'));
  assert.equal(await store.sessions.findValid('h', '2026-01-01T08:00:01Z'), null);
  await dispose();
});

test('a later migration is applied on open, once, keeping the data', async () => {
  const temp = await openTemporaryStore({ divisions: true });
  await temp.store.close();
  const next = {
    version: NEWEST + 1,
    name: 'test: region note',
    sql: 'ALTER TABLE regions ADD COLUMN note TEXT;',
  };
  const upgraded = await temp.reopen({ migrations: [...temp.migrations, next] });
  assert.equal(await upgraded.schemaVersion(), next.version);
  assert.equal((await upgraded.regions.get('510104'))?.name, '锦江区');
  await upgraded.close();
  const again = await temp.reopen({ migrations: [...temp.migrations, next] });
  assert.equal(await again.schemaVersion(), next.version);
  await again.close();
  await temp.dispose();
});

test('a failing migration leaves the store at its previous version, in either store', async () => {
  const temp = await openTemporaryStore();
  await temp.store.close();
  const broken = {
    version: NEWEST + 1,
    name: 'test: broken',
    sql: 'CREATE TABLE t (x INTEGER); SELECT no_such_function();',
  };
  await assert.rejects(temp.reopen({ migrations: [...temp.migrations, broken] }));
  const reopened = await temp.reopen();
  assert.equal(await reopened.schemaVersion(), NEWEST);
  await reopened.close();
  const tables =
    reopened.dialect === 'sqlite'
      ? await temp.query("SELECT name FROM sqlite_master WHERE name = 't'")
      : await temp.query("SELECT table_name FROM information_schema.tables WHERE table_name = 't'");
  assert.equal(tables.length, 0);
  await temp.dispose();
});

test('migrate() on a SQLite file rolls back a failing migration', async () => {
  const { store, path, dispose } = await openTemporaryStore({ engine: 'sqlite' });
  await store.close();
  const broken = {
    version: NEWEST + 1,
    name: 'test: broken',
    sql: 'CREATE TABLE t (x); SELECT no_such_function();',
  };
  assert.throws(() => {
    const db = new Database(path);
    try {
      migrate(db, path, [...MIGRATIONS, broken]);
    } finally {
      db.close();
    }
  });
  const reopened = await openSqliteStore({ path });
  assert.equal(await reopened.schemaVersion(), NEWEST);
  await reopened.close();
  const db = new Database(path, { readonly: true });
  const row = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 't'").get() as { n: number };
  assert.equal(row.n, 0);
  db.close();
  await dispose();
});

test('calling the store itself inside a transaction joins it instead of deadlocking', async () => {
  await withPharmacyType(async ({ store }) => {
    await assert.rejects(
      store.transaction(async () => {
        await store.facilities.upsert(facility('VIA_ROOT'));
        await store.transaction(async (inner) => inner.facilities.upsert(facility('NESTED')));
        assert.equal((await store.facilities.get('NESTED'))?.code, 'NESTED');
        throw new Error('roll back both');
      }),
      /roll back both/,
    );
    assert.equal(await store.facilities.count(), 0);
  });
});

test('migration 2 rebuilds users for the coordinator and resident roles, keeping users, sessions and audit', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lifecircle-store-'));
  const path = join(dir, 'lifecircle.db');
  const v1 = await openSqliteStore({ path, migrations: MIGRATIONS.filter((m) => m.version === 1) });
  const user = await v1.users.create({
    username: 'jj-mzj',
    displayName: '锦江区民政局',
    role: 'staff',
    department: '锦江区民政局',
    domains: ['elderly_care'],
    regionCode: null,
    providerUscc: null,
    disabled: false,
    passwordHash: 'x',
  });
  await v1.sessions.create({
    tokenHash: 'h',
    userId: user.id,
    createdAt: '2026-01-01T00:00:00Z',
    expiresAt: '2099-01-01T00:00:00Z',
  });
  await v1.audit.record({
    actorId: user.id,
    actorName: user.username,
    action: 'login',
    entity: 'session',
    entityKey: 'jj-mzj',
    before: null,
    after: null,
  });
  await assert.rejects(() =>
    v1.users.create({ ...user, username: 'fgw', role: 'coordinator', passwordHash: 'x' }),
  );
  await v1.close();

  const v2 = await openSqliteStore({ path });
  assert.equal(await v2.schemaVersion(), NEWEST);
  assert.deepEqual((await v2.users.get(user.id))?.domains, ['elderly_care']);
  assert.equal((await v2.sessions.findValid('h', '2026-06-01T00:00:00Z'))?.userId, user.id);
  assert.equal((await v2.audit.list()).items.length, 1);
  const coordinator = await v2.users.create({
    ...user,
    username: 'fgw',
    role: 'coordinator',
    passwordHash: 'x',
  });
  assert.equal(coordinator.role, 'coordinator');
  const resident = await v2.users.create({ ...user, username: 'r1', role: 'resident', passwordHash: 'x' });
  assert.equal(resident.role, 'resident');
  await v2.close();
  rmSync(dir, { recursive: true, force: true });
});

test('migration 7 renames the kebab-case audit entities of earlier versions and leaves the others', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lc-migrate-'));
  const path = join(dir, 'store.db');
  const old = await openSqliteStore({ path, migrations: MIGRATIONS.filter((m) => m.version < 7) });
  await old.close();
  const db = new Database(path);
  const insert = db.prepare(
    "INSERT INTO audit_log (at, actor_id, actor_name, action, entity, entity_key) VALUES ('2026-03-16T02:00:00.000Z', NULL, 'cli:tester', 'create', ?, ?)",
  );
  for (const [entity, key] of [
    ['credit-records', 'r1'],
    ['credit-classes', '914403001922038216'],
    ['inspection-draws', 'd1'],
    ['inspection-results', 'x1'],
    ['facilities', 'f1'],
    ['plan_corrections', 'c1'],
  ])
    insert.run(entity, key);
  db.close();
  const store = await openSqliteStore({ path });
  const entities = (await store.audit.list({})).items.map((e) => `${e.entity}/${e.entityKey}`).sort();
  assert.deepEqual(entities, [
    'credit_classes/914403001922038216',
    'credit_records/r1',
    'facilities/f1',
    'inspection_draws/d1',
    'inspection_results/x1',
    'plan_corrections/c1',
  ]);
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

test('a file that is not a store, or a truncated store, is refused with one LC_STORE message naming it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lc-damaged-'));
  const junk = join(dir, 'junk.db');
  writeFileSync(
    junk,
    Buffer.from('这不是数据库 — not a database, just text that someone named .db\n'.repeat(200)),
  );
  await assert.rejects(openSqliteStore({ path: junk }), (error: Error) => {
    assert.ok(isLifeCircleError(error) && error.code === 'LC_STORE', String(error));
    assert.equal(
      error.message,
      `${junk} is not a LifeCircle store (not an SQLite database): restore it from a backup, or point --db or LIFECIRCLE_DB at another file`,
    );
    return true;
  });
  // A real store with data, cut to its first pages (a copy interrupted half-way).
  const whole = join(dir, 'whole.db');
  const store = await openSqliteStore({ path: whole });
  await store.transaction((tx) =>
    tx.regions.upsertMany(
      Array.from({ length: 3000 }, (_, i) => ({
        code: String(510000000000 + i),
        name: `第${i}社区`,
        level: 'community' as const,
        parentCode: null,
      })),
    ),
  );
  await store.close();
  const bytes = readFileSync(whole);
  const cut = join(dir, 'cut.db');
  writeFileSync(cut, bytes.subarray(0, 4096 * 3));
  await assert.rejects(
    async () => {
      const s = await openSqliteStore({ path: cut });
      try {
        await s.regions.count();
      } finally {
        await s.close();
      }
    },
    (error: Error) => {
      assert.ok(isLifeCircleError(error) && error.code === 'LC_STORE', String(error));
      assert.match(error.message, /cut\.db is damaged or truncated/);
      return true;
    },
  );
  rmSync(dir, { recursive: true, force: true });
});

test('concurrent read-then-write transactions on two connections lose no update, in either store', async () => {
  await withPharmacyType(async (temp) => {
    await temp.store.facilities.upsert(facility('COUNTER', { capacity: 0 }));
    const other = await temp.reopen();
    try {
      // Each transaction reads the capacity and writes it plus one: without isolation (or retries) two of them
      // read the same value and one increment is lost.
      const increment = (store: typeof other) =>
        store.transaction(async (tx) => {
          const current = (await tx.facilities.get('COUNTER'))!;
          await tx.facilities.upsert({ ...current, capacity: (current.capacity ?? 0) + 1 });
        });
      const rounds = 12;
      await Promise.all(
        Array.from({ length: rounds }, (_, i) => increment(i % 2 === 0 ? temp.store : other)),
      );
      assert.equal((await temp.store.facilities.get('COUNTER'))?.capacity, rounds);
    } finally {
      await other.close();
    }
  });
});

test('a duplicate key is one LC_CONFLICT naming the table, never the value, in either store', async () => {
  const { store, dispose } = await openTemporaryStore();
  try {
    const created = await store.users.create({
      username: 'synthetic-resident',
      displayName: '合成居民',
      passwordHash: 'h',
      role: 'resident',
      department: null,
      domains: [],
      regionCode: null,
      providerUscc: null,
      disabled: false,
    });
    // A key that is personal data (a synthetic phone number): the message must not repeat it.
    const session = { tokenHash: '13800138000', userId: created.id, createdAt: 'a', expiresAt: 'b' };
    await assert.rejects(
      store.transaction(async (tx) => {
        await tx.sessions.create(session);
        await tx.sessions.create(session);
      }),
      (e: unknown) =>
        isLifeCircleError(e) &&
        e.code === 'LC_CONFLICT' &&
        e.message.includes('sessions') &&
        !e.message.includes('13800138000'),
    );
    assert.equal(await store.sessions.findValid('13800138000', '0'), null);
  } finally {
    await dispose();
  }
});

test('a transaction kept waiting past the lock timeout answers LC_BUSY and writes nothing; reads go on, in either store', async () => {
  await withPharmacyType(async (temp) => {
    const other = await temp.reopen({ lockTimeoutMs: 300 });
    let release: () => void = () => undefined;
    let holding: Promise<void> | undefined;
    try {
      const held = new Promise<void>((resolve) => {
        holding = temp.store.transaction(async (tx) => {
          await tx.facilities.upsert(facility('HELD'));
          resolve();
          await new Promise<void>((r) => (release = r));
        });
      });
      await held;
      await assert.rejects(
        other.transaction(async (tx) => {
          await tx.facilities.upsert(facility('WAITED'));
        }),
        (e: unknown) => isLifeCircleError(e) && e.code === 'LC_BUSY' && e.message.includes(other.location),
      );
      assert.equal(await other.facilities.get('HELD'), null, 'reads go on and see only what is committed');
    } finally {
      release();
      await holding;
      await other.close();
    }
    assert.ok(await temp.store.facilities.get('HELD'));
    assert.equal(await temp.store.facilities.get('WAITED'), null);
  });
});
