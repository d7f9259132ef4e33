import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../store/index.js';

/** Runs the real CLI on a store file in a temp dir (slow-ish: one process per call). */
function cli(dir: string, ...args: string[]) {
  return spawnSync(process.execPath, ['bin/lifecircle.js', ...args, '--db', join(dir, 'store.db')], {
    encoding: 'utf8',
    env: { ...process.env, LIFECIRCLE_ADMIN_PASSWORD: 'cli test password' },
  });
}

test('registry import prints every bad row, writes the XLSX report and exits 1 having imported nothing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lifecircle-cli-'));
  const file = join(dir, '网点.csv');
  // Real OSM places in 成都; the second row is in 上海.
  writeFileSync(
    file,
    '设施编码,设施名称,设施类型,经度,纬度\nF1,瑞华药业三友店,药店,104.0874466,30.6843382\nF2,喔喔超市,综合超市,121.4737,31.2304\n',
  );
  const bad = cli(dir, 'registry', 'import', file, '-e', 'facilities', '--report', join(dir, 'report.xlsx'));
  assert.equal(bad.status, 1);
  assert.match(bad.stdout, /row 3, 经度: \(121\.4737, 31\.2304\) is outside 成都市/);
  assert.match(bad.stderr, /\[LC_IMPORT_REJECTED\]/);
  assert.ok(existsSync(join(dir, 'report.xlsx')));
  const out = cli(dir, 'registry', 'export', '-e', 'facilities', '-o', join(dir, 'out.csv'));
  assert.match(out.stdout, /0 facilities/);
  rmSync(dir, { recursive: true, force: true });
});

test('registry import stores through the registry.import command, audited as cli:<os user> like the API', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lifecircle-cli-'));
  const file = join(dir, '网点.csv');
  writeFileSync(
    file,
    '设施编码,设施名称,设施类型,经度,纬度\nF1,瑞华药业三友店,药店,104.0874466,30.6843382\n',
  );
  const ok = cli(dir, 'registry', 'import', file, '-e', 'facilities');
  assert.equal(ok.status, 0, ok.stderr);
  const store = await openSqliteStore({ path: join(dir, 'store.db') });
  try {
    const osUser = `cli:${userInfo().username}`;
    const entries = (await store.audit.list({ entity: 'facilities' })).items;
    assert.deepEqual(
      entries.map((e) => [e.actorId, e.actorName, e.action, e.entityKey]),
      [[null, osUser, 'import', 'F1']],
    );
    const users = (await store.audit.list({ entity: 'users' })).items;
    assert.deepEqual(
      users.map((e) => [e.actorId, e.actorName, e.action, e.entityKey]),
      [[null, 'system:first-start', 'create', 'admin']],
      'the first administrator is created by the accounts command at the first start',
    );
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
