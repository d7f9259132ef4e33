import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../server/index.js';
import { hashPassword } from '../accounts/index.js';
import { openStore } from '../store/index.js';

function lifecircle(
  args: string[],
  input?: Buffer,
): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['bin/lifecircle.js', ...args], { input, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('plan import prints title, 文号, counts and the measure tree of seed 002', () => {
  const { status, stdout } = lifecircle(['plan', 'import', 'data/seeds/002_ce73fb87e0a846d2.txt']);
  assert.equal(status, 0);
  assert.match(stdout, /^文号 {8}秦政办字〔2022〕13号$/m);
  assert.match(stdout, /^table {7}具体工作任务及责任分工表: 26 rows$/m);
  assert.match(stdout, /target: 普惠性幼儿园覆盖率 ≥ 85% by 2025/);
});

test('plan import - reads pasted text from stdin and --json gives spans into it', () => {
  const text = '到2025年，社区托育服务覆盖率达到60%。（市卫生健康委负责）';
  const { status, stdout } = lifecircle(['plan', 'import', '-', '--json'], Buffer.from(text));
  assert.equal(status, 0);
  const plan = JSON.parse(stdout);
  const [target] = plan.measures[0].targets;
  assert.equal(plan.text.slice(...target.valueSpan), '60');
  assert.equal(plan.measures[0].responsibilities[0].units[0].normalized, '市卫生健康委');
});

test('a binary file fails with one line naming the file and the code, exit 1', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lc-plan-'));
  const path = join(dir, 'scan.txt');
  writeFileSync(path, Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0x01]));
  const { status, stderr } = lifecircle(['plan', 'import', path]);
  assert.equal(status, 1);
  assert.equal(stderr.trim().split('\n').length, 1);
  assert.match(stderr, /scan\.txt is binary .*\[LC_PLAN_FORMAT\]$/m);
});

test('plan scorecard ranks districts and writes the XLSX and HTML report', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lc-score-'));
  const input = join(dir, 'input.json');
  writeFileSync(
    input,
    JSON.stringify({
      meta: { title: '考评', issuer: '市发展改革委', asOf: '2026-06-30' },
      config: { indicatorWeights: { 'childcare-places-per-1000': 1 }, measureWeight: 1 },
      districts: [
        {
          region: '1',
          name: '甲区',
          indicators: { 'childcare-places-per-1000': { value: 2, target: 4 } },
          measureCompletion: 1,
        },
        {
          region: '2',
          name: '乙区',
          indicators: { 'childcare-places-per-1000': { value: 4, target: 4 } },
          measureCompletion: 1,
        },
      ],
    }),
  );
  const xlsx = join(dir, 'card.xlsx');
  const html = join(dir, 'card.html');
  const { status, stdout } = lifecircle(['plan', 'scorecard', input, '--xlsx', xlsx, '--html', html]);
  assert.equal(status, 0);
  assert.deepEqual(
    stdout
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.trim().split(/\s+/)),
    [
      ['1', '乙区', '100.0'],
      ['2', '甲区', '75.0'],
    ],
  );
  // A table under its header, columns aligned however wide the names.
  assert.match(stdout, /^rank {2}district {2}total {2}not reported {2}no target\n/);
  assert.deepEqual([...readFileSync(xlsx).subarray(0, 2)], [0x50, 0x4b]);
  assert.match(readFileSync(html, 'utf8'), /<h1>考评<\/h1>/);
  const again = lifecircle(['plan', 'scorecard', input, '--xlsx', xlsx]);
  assert.equal(again.status, 1);
  assert.match(again.stderr, /card\.xlsx exists already; pass --force/);
});

test('a scorecard input with a malformed district names the field', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lc-score-'));
  const input = join(dir, 'bad.json');
  writeFileSync(
    input,
    JSON.stringify({
      meta: { title: 't', issuer: 'i', asOf: '2026-06-30' },
      config: { indicatorWeights: {}, measureWeight: 1 },
      districts: [
        { region: '1', name: '甲区', indicators: { x: { value: '2', target: 4 } }, measureCompletion: 1 },
      ],
    }),
  );
  const { status, stderr } = lifecircle(['plan', 'scorecard', input]);
  assert.equal(status, 1);
  assert.match(stderr, /bad\.json, field districts\[0\]\.indicators\.x: expected \{ value: number \| null/);
});

test('plan import --save stores the plan through the API’s command, audited as cli:<user>; again, the API’s conflict', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lc-plan-save-'));
  const db = join(dir, 'store.db');
  const seed = 'data/seeds/001_6d4fe630431b83bc.txt';
  const env = { ...process.env, LIFECIRCLE_ADMIN_PASSWORD: 'correct horse battery' };
  const run = () =>
    spawnSync(process.execPath, ['bin/lifecircle.js', 'plan', 'import', seed, '--save', '--db', db], {
      encoding: 'utf8',
      env,
    });
  const first = run();
  assert.equal(first.status, 0, first.stderr);
  const id = /^saved as plan (plan-[0-9a-f]{12}) \(西青区生活性服务业发展行动方案\)$/m.exec(
    first.stdout,
  )?.[1];
  assert.ok(id, first.stdout);

  const cli = `cli:${userInfo().username}`;
  const store = await openStore({ path: db });
  try {
    const plans = await store.plans.listPlans();
    assert.deepEqual(
      plans.map((p) => [p.id, p.fileName, p.importedBy]),
      [[id, '001_6d4fe630431b83bc.txt', cli]],
    );
    const records = (await store.audit.list({ limit: 1000 })).items.filter((r) => r.actorName === cli);
    assert.equal(records.length, 1);
    assert.deepEqual(
      [records[0].action, records[0].entity, records[0].entityKey, records[0].actorId],
      ['import', 'plans', id, null],
    );

    // The API on the same store, as a coordinator: the same document is the same conflict, word for word.
    await store.users.create({
      username: 'fgw',
      displayName: '发展改革委',
      role: 'coordinator',
      department: '市发展改革委',
      domains: [],
      regionCode: null,
      providerUscc: null,
      disabled: false,
      passwordHash: await hashPassword('correct horse battery', { N: 2 ** 10 }),
    });
    const app = await buildApp({ store, cityCode: '5101' });
    try {
      const login = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'fgw', password: 'correct horse battery' },
      });
      const token = login.json<{ token: string }>().token;
      const api = await app.inject({
        method: 'POST',
        url: '/api/plans?fileName=001_6d4fe630431b83bc.txt',
        headers: { 'content-type': 'application/octet-stream', authorization: `Bearer ${token}` },
        payload: readFileSync(seed),
      });
      assert.equal(api.statusCode, 409);
      const error = api.json<{ error: { code: string; message: string } }>().error;
      assert.equal(error.code, 'LC_CONFLICT');
      assert.match(error.message, new RegExp(`imported already as plan ${id}`));

      const again = run();
      assert.equal(again.status, 1);
      assert.equal(again.stderr, `lifecircle: ${error.message} [LC_CONFLICT]\n`);
    } finally {
      await app.close();
    }
    assert.equal((await store.plans.listPlans()).length, 1);
    assert.equal(
      (await store.audit.list({ limit: 1000 })).items.filter((r) => r.actorName === cli).length,
      1,
    );
  } finally {
    await store.close();
  }
});
