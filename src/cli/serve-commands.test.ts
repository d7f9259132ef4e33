import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openTemporaryStore } from '../store/index.js';
import { verifyPassword } from '../server/index.js';
import { prepareStore } from '../analysis/index.js';

test('the first start loads division codes and facility types and creates an administrator', async () => {
  const { store, dispose } = await openTemporaryStore();
  const first = await prepareStore(store, { LIFECIRCLE_ADMIN_PASSWORD: 'first start secret' });
  assert.equal(first.divisionsLoaded, 4 + 4 + 56 + 770 + 12565);
  assert.ok(first.typesAdded > 10);
  assert.equal(first.administrator?.username, 'admin');
  const admin = await store.users.findByUsername('admin');
  assert.equal(admin?.role, 'administrator');
  assert.ok(await verifyPassword('first start secret', admin!.passwordHash));
  await dispose();
});

test('a second start on the same store reuses it and creates nothing', async () => {
  const { store, reopen, dispose } = await openTemporaryStore();
  await prepareStore(store, { LIFECIRCLE_ADMIN_PASSWORD: 'first start secret' });
  await store.close();
  const again = await reopen();
  const second = await prepareStore(again, {});
  assert.deepEqual(second, { divisionsLoaded: 0, typesAdded: 0, administrator: null });
  assert.equal(await again.users.count(), 1);
  await again.close();
  await dispose();
});
