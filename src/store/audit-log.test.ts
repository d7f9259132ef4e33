import { test } from 'node:test';
import assert from 'node:assert/strict';
import { manualClock } from '../time/index.js';
import { openSqliteStore, type NewAuditEntry, type Store } from './index.js';

/** A store on a pinned clock with one staff account, whose id the entries below name as their actor. */
async function withAuditStore(fn: (store: Store, staffId: number) => Promise<void>): Promise<void> {
  const clock = manualClock('2026-03-01T09:00:00+08:00');
  const store = await openSqliteStore({ path: ':memory:', clock });
  try {
    const staff = await store.users.create({
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
    // Entries 1–4, one hour apart from 2026-03-01 01:00 UTC.
    const entries: NewAuditEntry[] = [
      {
        actorId: staff.id,
        actorName: 'jj-mzj',
        action: 'create',
        entity: 'facilities',
        entityKey: 'F-001',
        before: null,
        after: { code: 'F-001', capacity: 40 },
      },
      {
        actorId: staff.id,
        actorName: 'jj-mzj',
        action: 'update',
        entity: 'facilities',
        entityKey: 'F-001',
        before: { code: 'F-001', capacity: 40 },
        after: { code: 'F-001', capacity: 60 },
      },
      {
        actorId: null,
        actorName: 'import',
        action: 'import',
        entity: 'communities',
        entityKey: 'C-007',
        before: undefined,
        after: ['C-007'],
      },
      {
        actorId: staff.id,
        actorName: 'jj-mzj',
        action: 'delete',
        entity: 'facilities',
        entityKey: 'F-002',
        before: { code: 'F-002' },
        after: null,
      },
    ];
    for (const e of entries) {
      await store.audit.record(e);
      clock.advance(3600 * 1000);
    }
    await fn(store, staff.id);
  } finally {
    await store.close();
  }
}

test('an audit entry is stored with the time of the store clock, its actor and both states', async () => {
  const clock = manualClock('2026-02-10T23:59:00+08:00');
  const store = await openSqliteStore({ path: ':memory:', clock });
  try {
    const entry = await store.audit.record({
      actorId: null,
      actorName: 'system',
      action: 'update',
      entity: 'providers',
      entityKey: '91510100MA61R0XX7G',
      before: { name: '旧名', domains: ['elderly_care'] },
      after: { name: '新名', domains: [] },
    });
    assert.deepEqual(entry, {
      id: 1,
      at: '2026-02-10T15:59:00.000Z',
      actorId: null,
      actorName: 'system',
      action: 'update',
      entity: 'providers',
      entityKey: '91510100MA61R0XX7G',
      before: { name: '旧名', domains: ['elderly_care'] },
      after: { name: '新名', domains: [] },
    });
    assert.deepEqual((await store.audit.list()).items, [entry]);
  } finally {
    await store.close();
  }
});

test('the audit log lists newest first; a missing state is kept as null', async () => {
  await withAuditStore(async (store, staffId) => {
    const page = await store.audit.list();
    assert.equal(page.total, 4);
    assert.deepEqual(
      page.items.map((e) => [e.id, e.at, e.action, e.actorId]),
      [
        [4, '2026-03-01T04:00:00.000Z', 'delete', staffId],
        [3, '2026-03-01T03:00:00.000Z', 'import', null],
        [2, '2026-03-01T02:00:00.000Z', 'update', staffId],
        [1, '2026-03-01T01:00:00.000Z', 'create', staffId],
      ],
    );
    const imported = page.items[1];
    assert.equal(imported.before, null);
    assert.deepEqual(imported.after, ['C-007']);
    assert.equal(imported.actorName, 'import');
    assert.equal(imported.entity, 'communities');
    assert.equal(imported.entityKey, 'C-007');
  });
});

test('the audit log filters by entity, record key, actor and time, each on its own and together', async () => {
  await withAuditStore(async (store, staffId) => {
    const ids = async (filter: Parameters<Store['audit']['list']>[0]): Promise<number[]> =>
      (await store.audit.list(filter)).items.map((e) => e.id);
    assert.deepEqual(await ids({ entity: 'facilities' }), [4, 2, 1]);
    assert.deepEqual(await ids({ entity: 'communities' }), [3]);
    assert.deepEqual(await ids({ entityKey: 'F-001' }), [2, 1]);
    assert.deepEqual(await ids({ actorId: staffId }), [4, 2, 1]);
    assert.deepEqual(await ids({ since: '2026-03-01T02:00:00.000Z' }), [4, 3, 2]);
    assert.deepEqual(await ids({ entity: 'facilities', since: '2026-03-01T02:00:00.000Z' }), [4, 2]);
    assert.deepEqual(await ids({ entity: 'facilities', entityKey: 'F-002' }), [4]);
    assert.deepEqual(await ids({ entity: 'facilities', actorId: staffId, entityKey: 'F-001' }), [2, 1]);
    assert.deepEqual(await ids({ entity: 'users' }), []);
  });
});

test('the audit log pages: total counts every match, limit and offset pick the page', async () => {
  await withAuditStore(async (store) => {
    const page = await store.audit.list({ limit: 2, offset: 1 });
    assert.deepEqual([page.total, page.limit, page.offset, page.items.map((e) => e.id)], [4, 2, 1, [3, 2]]);
    const filtered = await store.audit.list({ entity: 'facilities', limit: 1, offset: 1 });
    assert.deepEqual([filtered.total, filtered.items.map((e) => e.id)], [3, [2]]);
  });
});
