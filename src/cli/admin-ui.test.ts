import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import {
  ADMIN_PASSWORD,
  chooseOption,
  openHarness,
  vueLogIn,
  vueLogOut,
  type BrowserHarness,
} from './browser-support.js';
import { manualClock } from '../time/index.js';

/**
 * The administration page (/app/#/admin) in a real browser: accounts with their scope, disabling, a new password,
 * and the audit log in the reader's language. The accounts are SYNTHETIC (no real people).
 */
let harness: BrowserHarness;
let page: Page;

before(async () => {
  // The platform's clock: 2026-03-16 10:00 in Beijing.
  harness = await openHarness('admin-ui', { clock: manualClock('2026-03-16T10:00:00+08:00') });
  page = await harness.newPage({ viewport: { width: 1366, height: 860 }, locale: 'zh-CN' });
  await page.goto(`${harness.started.url}/app/#/admin`);
});

after(async () => {
  await harness?.close();
});

test('the administration page is hidden from the public and says who may use it', async () => {
  await page.locator('[data-test="admin-only"]', { hasText: '仅系统管理员可用' }).waitFor();
  assert.equal(await page.locator('[data-test="nav-admin"]').count(), 0);
  // The classic address of the page leads to it.
  await page.goto(`${harness.started.url}/#/admin`);
  await page.waitForURL(/\/app\/#\/admin$/);
  await page.locator('[data-test="admin-only"]', { hasText: '仅系统管理员可用' }).waitFor();
});

test('an administrator creates a department account with its scope, and the audit log shows it in Chinese', async () => {
  await vueLogIn(page, 'admin', ADMIN_PASSWORD);
  assert.ok(await page.locator('[data-test="nav-admin"]').isVisible());
  await page.fill('[data-test="user-username"]', 'jj-mzj');
  await page.fill('[data-test="user-display-name"]', '锦江区民政局 合成账户');
  await page.fill('[data-test="user-password"]', 'jinjiang-password-1');
  await chooseOption(page, '[data-test="user-role"]', '部门人员');
  await page.fill('[data-test="user-department"]', '锦江区民政局');
  await page.fill('[data-test="user-region"]', '510104');
  await page.locator('[data-test="user-domains"] label', { hasText: /^养老$/ }).click();
  await page.click('[data-test="user-create"]');
  await page.locator('[data-test="user-notice"]', { hasText: '已创建用户 jj-mzj' }).waitFor();
  const row = page.locator('[data-test="users-table"] tbody tr', { hasText: 'jj-mzj' });
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

  await page.locator('.el-tabs__item', { hasText: '审计日志' }).click();
  await chooseOption(page, '[data-test="audit-entity"]', '用户');
  const auditRow = page.locator('[data-test="audit-table"] tbody tr', { hasText: 'jj-mzj' }).first();
  await auditRow.waitFor();
  // Actions and entities are worded, never the log's own English words (issue 14).
  assert.match((await auditRow.textContent()) ?? '', /admin新建用户jj-mzj/);
  const log = (await page.textContent('[data-test="audit-table"] tbody')) ?? '';
  assert.doesNotMatch(log, /\b(create|update|login|users|session)\b/);
  await auditRow.locator('.el-table__expand-icon').click();
  await page.locator('[data-test="audit-table"] pre', { hasText: '"username": "jj-mzj"' }).waitFor();
  await page.screenshot({ path: join(harness.shots, '01-users-and-audit.png') });
});

test('a disabled account can no longer log in; a new password ends nobody else’s work', async () => {
  await page.locator('.el-tabs__item', { hasText: '用户与权限' }).click();
  const row = page.locator('[data-test="users-table"] tbody tr', { hasText: 'jj-mzj' });
  await row.locator('[data-test="user-toggle"]').click();
  await row.locator('.el-tag', { hasText: '已停用' }).waitFor();
  const res = await fetch(`${harness.started.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'jj-mzj', password: 'jinjiang-password-1' }),
  });
  assert.equal(res.status, 401);
  // Enabled again with a new password: the old one no longer works, the new one does.
  await row.locator('[data-test="user-toggle"]').click();
  await row.locator('.el-tag', { hasText: '正常' }).waitFor();
  await row.locator('[data-test="user-password-set"]').click();
  await page.fill('.el-message-box input', 'jinjiang-password-2');
  await page.click('.el-message-box .el-button--primary');
  await page.locator('[data-test="user-notice"]', { hasText: '已为 jj-mzj 重设密码' }).waitFor();
  const login = (password: string) =>
    fetch(`${harness.started.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'jj-mzj', password }),
    }).then((r) => r.status);
  assert.equal(await login('jinjiang-password-1'), 401);
  assert.equal(await login('jinjiang-password-2'), 200);
  await vueLogOut(page);
  assert.equal(await page.locator('[data-test="nav-admin"]').count(), 0);
});

test('in English the audit log words its actions and entities in English', async () => {
  await vueLogIn(page, 'admin', ADMIN_PASSWORD);
  await page.click('[data-test="lang"]');
  await page.locator('.el-tabs__item', { hasText: 'Audit log' }).click();
  const table = page.locator('[data-test="audit-table"] tbody');
  await table.locator('tr', { hasText: 'jj-mzj' }).first().waitFor();
  const text = (await table.textContent()) ?? '';
  assert.match(text, /created/);
  assert.doesNotMatch(text.replace(/锦江区民政局|系统管理员/g, ''), /新建|修改|用户|登录/);
  await page.screenshot({ path: join(harness.shots, '02-audit-en.png') });
  await page.click('[data-test="lang"]');
});
