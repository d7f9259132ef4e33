import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import ExcelJS from 'exceljs';
import { seedTestCity } from '../reports/index.js';
import { loadBundledDivisions, openSqliteStore } from '../store/index.js';

/** `lifecircle report monitoring` on the SYNTHETIC city of src/reports/test-city.ts, through the real CLI. */
test('report monitoring writes the chosen file of a 区 report, kept and audited as cli:<os user>', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lifecircle-report-'));
  const db = join(dir, 'store.db');
  const store = await openSqliteStore({ path: db });
  await loadBundledDivisions(store);
  await seedTestCity(store);
  await store.close();
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, ['bin/lifecircle.js', 'report', 'monitoring', ...args, '--db', db, '-q'], {
      encoding: 'utf8',
      env: { ...process.env, LIFECIRCLE_ADMIN_PASSWORD: 'cli test password' },
    });
  try {
    const out = join(dir, 'jinjiang.xlsx');
    const ok = cli('--region', '510104', '--format', 'xlsx', '--out', out, '--lang', 'en');
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /wrote .*jinjiang\.xlsx/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(readFileSync(out) as never);
    const types = workbook.getWorksheet('Types')!;
    // 锦江区 (A1, A2): kindergarten covers both, 160 of 160 residents of its group (test-city.ts).
    assert.deepEqual((types.getRow(3).values as unknown[]).slice(1, 8), [
      'kindergarten',
      'Kindergarten',
      '10-minute life circle',
      500,
      2,
      2,
      1,
    ]);
    const bad = cli('--region', '510104', '--format', 'pdf', '--out', join(dir, 'x.pdf'));
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /--format: expected html, docx, xlsx, got 'pdf' \[LC_USAGE\]/);
    const reopened = await openSqliteStore({ path: db });
    const audit = await reopened.audit.list({ entity: 'monitoring_reports' });
    assert.equal(audit.total, 1);
    assert.equal(audit.items[0]!.actorName, `cli:${userInfo().username}`);
    await reopened.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
