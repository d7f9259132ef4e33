import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openCase, applyCaseAction, selectNeighbourhood, type Actor } from '../supervision/index.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MIGRATIONS } from './migrations.js';
import { openSqliteStore } from './sqlite-store.js';
import { openTemporaryStore } from './temporary.js';
import type { StoredCase, StoredRating } from './cases-types.js';

const USCC = '914403001922038216';

const rating = (id: string, extra: Partial<StoredRating> = {}): StoredRating => ({
  id,
  accountId: '7',
  outletId: 'OUT-1',
  providerUscc: USCC,
  serviceType: 'elderly_day_care',
  regionCode: '510104022006',
  level: 'very_dissatisfied',
  tags: ['态度差'],
  text: '等太久',
  channel: 'mobile',
  createdAt: '2026-02-10T02:00:00.000Z',
  status: 'published',
  contactPhone: '13812345678',
  flags: [],
  enteredBy: null,
  moderation: null,
  ...extra,
});

test('migration 5: a rating round-trips as the domain defines it; the key allows one per outlet or event and account', async () => {
  const { store, dispose } = await openTemporaryStore();
  await store.ratings.insert(rating('r1'));
  assert.deepEqual(await store.ratings.get('r1'), rating('r1'));
  // Same account and outlet, no event: the unique rating_key refuses it even if a caller skipped the check.
  await assert.rejects(store.ratings.insert(rating('r2')), { code: 'LC_CONFLICT' });
  await store.ratings.insert(rating('r3', { eventId: 'visit-1' }));
  await assert.rejects(store.ratings.insert(rating('r4', { eventId: 'visit-1' })), { code: 'LC_CONFLICT' });
  // Held, then invalidated: still there, with its flags.
  const flags = [{ detector: 'rate-limit' as const, reason: 'x', related: [] }];
  await store.ratings.update({ ...rating('r1'), status: 'held', flags });
  assert.equal((await store.ratings.list({ status: 'held' })).total, 1);
  assert.deepEqual((await store.ratings.get('r1'))?.flags, flags);
  assert.equal((await store.ratings.all({ within: '510104' })).length, 2);
  assert.equal((await store.ratings.all({ within: '510105' })).length, 0);
  await dispose();
});

test('a case keeps its domain fields and appends its history rows; queues filter by scope', async () => {
  const { store, dispose } = await openTemporaryStore();
  const system: Actor = { role: 'system', id: 'lifecircle' };
  const opened = openCase({
    id: 'case-1',
    origin: { kind: 'rating', ratingId: 'r1' },
    outletId: 'OUT-1',
    providerUscc: USCC,
    departmentId: 'elderly_care@510104',
    openedAt: '2026-02-10T02:00:00.000Z',
    actor: system,
  });
  const scope = { regionCode: '510104022006', domain: 'elderly_care', accountId: '7' };
  await store.cases.insert({ ...opened, ...scope });
  const assigned = applyCaseAction(opened, { type: 'assign' }, system, '2026-02-10T02:00:00.000Z');
  assert.ok(assigned.ok);
  const next: StoredCase = { ...assigned.case, ...scope };
  const before = await store.cases.update(next);
  assert.equal(before?.state, 'opened');
  assert.deepEqual(await store.cases.get('case-1'), next);
  assert.equal((await store.cases.history('case-1')).length, 2);
  assert.equal(next.deadline.date, '2026-03-09');
  assert.equal((await store.cases.list({ within: '510104', domains: ['elderly_care'] })).total, 1);
  assert.equal((await store.cases.list({ domains: ['health'] })).total, 0);
  assert.equal((await store.cases.list({ accountId: '8' })).total, 0);
  assert.equal((await store.cases.list({ providerUscc: USCC, open: true })).total, 1);
  await dispose();
});

test('the abuse neighbourhood read by indexed queries is the one src/supervision selects from the whole window', async () => {
  const { store, dispose } = await openTemporaryStore();
  // SYNTHETIC ratings: 8 accounts × 6 outlets over 100 days, some with long texts, some invalidated.
  const all: StoredRating[] = [];
  for (let i = 0; i < 240; i++) {
    const r = rating(`n${i}`, {
      accountId: `a${i % 8}`,
      outletId: `o${(i * 7) % 6}`,
      eventId: `e${i}`,
      text: i % 5 === 0 ? `长文本评价内容足够长用于比对${i}` : '',
      createdAt: new Date(Date.parse('2026-01-01T00:00:00Z') + i * 10 * 3600_000).toISOString(),
      status: i % 11 === 0 ? 'invalidated' : 'published',
    });
    await store.ratings.insert(r);
    all.push(r);
  }
  for (const [since, accountId, outletId, minTextLength] of [
    ['2026-02-01T00:00:00.000Z', 'a3', 'o2', 10],
    ['2026-02-01T00:00:00.000Z', 'a3', 'o2', null],
    ['2026-03-15T00:00:00.000Z', 'nobody', 'nowhere', null],
    ['2026-01-01T00:00:00.000Z', 'a0', 'o5', 10],
  ] as const) {
    const n = { since, accountId, outletId, minTextLength };
    const ids = (xs: readonly StoredRating[]) => xs.map((r) => r.id).sort();
    const read = await store.ratings.abuseNeighbourhood(n);
    assert.deepEqual(ids(read), ids(selectNeighbourhood(all, n)), JSON.stringify(n));
    assert.ok(read.length < all.filter((r) => r.createdAt >= since).length, 'less than the window');
  }
  await dispose();
});

test('migration 17: ratings, complaints and cases of an outlet without a provider keep a null provider', async () => {
  const { store, dispose } = await openTemporaryStore();
  await store.ratings.insert(rating('r1', { providerUscc: null }));
  assert.equal((await store.ratings.get('r1'))?.providerUscc, null);
  assert.equal((await store.ratings.publishedLevelCounts(['OUT-1'])).total.very_dissatisfied, 1);
  await store.complaints.insert({
    id: 'c1',
    accountId: '7',
    providerUscc: null,
    outletId: 'OUT-1',
    serviceType: 'elderly_day_care',
    regionCode: '510104022006',
    category: 'quality',
    text: '饭菜凉',
    channel: 'web',
    createdAt: '2026-02-10T02:00:00.000Z',
  });
  assert.equal((await store.complaints.get('c1'))?.providerUscc, null);
  const opened = openCase({
    id: 'case-1',
    origin: { kind: 'rating', ratingId: 'r1' },
    outletId: 'OUT-1',
    providerUscc: null,
    departmentId: 'elderly_care@510104',
    openedAt: '2026-02-10T02:00:00.000Z',
    actor: { role: 'system', id: 'lifecircle' },
  });
  await store.cases.insert({ ...opened, regionCode: '510104022006', domain: 'elderly_care', accountId: '7' });
  assert.equal((await store.cases.get('case-1'))?.providerUscc, null);
  // A provider's queue never lists a case without one.
  assert.equal((await store.cases.list({ providerUscc: USCC })).total, 0);
  await dispose();
});

test('migration 17 upgrades a SQLite store in place: rows, indexes and the rating totals triggers survive', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lifecircle-m17-'));
  const path = join(dir, 'lifecircle.db');
  try {
    const old = await openSqliteStore({ path, migrations: MIGRATIONS.filter((m) => m.version <= 16) });
    await old.ratings.insert(rating('r1'));
    await old.close();
    const upgraded = await openSqliteStore({ path });
    assert.equal(await upgraded.schemaVersion(), Math.max(...MIGRATIONS.map((m) => m.version)));
    assert.equal((await upgraded.ratings.get('r1'))?.providerUscc, USCC);
    await upgraded.ratings.insert(rating('r2', { accountId: '8', providerUscc: null, level: 'satisfied' }));
    const counts = await upgraded.ratings.publishedLevelCounts(['OUT-1']);
    assert.deepEqual([counts.total.very_dissatisfied, counts.total.satisfied], [1, 1]);
    await upgraded.ratings.update({ ...(await upgraded.ratings.get('r2'))!, status: 'held' });
    assert.equal((await upgraded.ratings.publishedLevelCounts(['OUT-1'])).total.satisfied ?? 0, 0);
    await upgraded.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
