import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { ADMIN_PASSWORD, logIn, logOut, openHarness, type BrowserHarness } from './browser-support.js';
import { manualClock } from '../time/index.js';

/** The administration view in a real browser: accounts with their scope, disabling, and the audit log. */
let harness: BrowserHarness;
let page: Page;

before(async () => {
  // The platform's clock: 2026-03-16 10:00 in Beijing.
  harness = await openHarness('admin-ui', { clock: manualClock('2026-03-16T10:00:00+08:00') });
  page = await harness.newPage({ viewport: { width: 1366, height: 800 }, locale: 'zh-CN' });
  await page.goto(`${harness.started.url}/#/admin`);
});

after(async () => {
  await harness?.close();
});

test('the administration view is hidden from the public and says who may use it', async () => {
  await page.waitForSelector('[data-view-root="admin"] .hint');
  assert.ok(await page.locator('[data-view-link="admin"]').isHidden());
  assert.match((await page.textContent('[data-view-root="admin"]')) ?? '', /仅系统管理员可用/);
});

test('an administrator creates a department account with its scope, and the audit log shows it', async () => {
  await logIn(page, 'admin', ADMIN_PASSWORD);
  assert.ok(await page.locator('[data-view-link="admin"]').isVisible());
  await page.waitForSelector('#user-form');
  await page.fill('#user-form [name="username"]', 'jj-mzj');
  await page.fill('#user-form [name="displayName"]', '锦江区民政局 王科长');
  await page.fill('#user-form [name="password"]', 'jinjiang-password-1');
  await page.selectOption('#user-form [name="role"]', 'staff');
  await page.fill('#user-form [name="department"]', '锦江区民政局');
  await page.fill('#user-form [name="regionCode"]', '510104');
  await page.check('#user-form [name="domains"][value="elderly_care"]');
  await page.click('#user-form button[type="submit"]');
  await page.waitForSelector('#user-form-note:has-text("已创建用户 jj-mzj")');
  const row = page.locator('table.users tr', { hasText: 'jj-mzj' });
  assert.match((await row.textContent()) ?? '', /部门人员.*锦江区民政局.*养老.*510104/);

  const users = await harness.api<{ items: { username: string; domains: string[]; regionCode: string }[] }>(
    'GET',
    '/api/users',
    undefined,
    await harness.adminToken(),
  );
  const created = users.items.find((u) => u.username === 'jj-mzj');
  assert.deepEqual(created?.domains, ['elderly_care']);
  assert.equal(created?.regionCode, '510104');

  await page.fill('#audit-filter [name="entity"]', 'users');
  await page.click('#audit-filter button[type="submit"]');
  const auditRow = page.locator('table.audit tbody tr', { hasText: 'jj-mzj' }).first();
  await auditRow.waitFor();
  assert.match((await auditRow.textContent()) ?? '', /admin.*create.*users/);
  await page.screenshot({ path: join(harness.shots, '01-users-and-audit.png') });
});

test('a disabled account can no longer log in', async () => {
  await page.click('table.users tr:has-text("jj-mzj") [data-toggle]');
  await page.waitForSelector('table.users tr.muted:has-text("jj-mzj")');
  const res = await fetch(`${harness.started.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'jj-mzj', password: 'jinjiang-password-1' }),
  });
  assert.equal(res.status, 401);
  await logOut(page);
  assert.ok(await page.locator('[data-view-link="admin"]').isHidden());
});
