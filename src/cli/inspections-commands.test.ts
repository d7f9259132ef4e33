import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../../bin/lifecircle.js', import.meta.url));
const fixtures = fileURLToPath(new URL('../../../src/supervision/fixtures/', import.meta.url));

function run(args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
}

test('inspections draw prints the same JSON draw on every run with the same seed and files', () => {
  const args = [
    'inspections',
    'draw',
    '--seed',
    '2026-11-22 双色球 2026135',
    '--candidates',
    join(fixtures, 'draw-candidates.synthetic.csv'),
    '--inspectors',
    join(fixtures, 'draw-inspectors.synthetic.csv'),
  ];
  const first = run(args);
  assert.equal(first.status, 0, first.stderr);
  const draw = JSON.parse(first.stdout) as { targets: { inspectorIds: string[] }[]; seed: string };
  // The default ratios (3, 5, 20, 50 %) of 40 A, 100 B, 40 C and 20 D: 1 + 5 + 8 + 10.
  assert.equal(draw.targets.length, 24);
  assert.equal(draw.targets[0].inspectorIds.length, 2);
  assert.equal(run(args).stdout, first.stdout);
});

test('inspections draw --ratios overrides the sampling ratio of one class', () => {
  const out = run([
    'inspections',
    'draw',
    '--seed',
    's',
    '--candidates',
    join(fixtures, 'draw-candidates.synthetic.csv'),
    '--ratios',
    'B=10%',
  ]);
  const draw = JSON.parse(out.stdout) as { strata: { riskClass: string; drawn: number }[] };
  assert.equal(draw.strata.find((s) => s.riskClass === 'B')?.drawn, 10);
});

test('a bad candidates row exits 1 with one line naming the line and field', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lc-draw-'));
  const file = join(dir, 'candidates.csv');
  writeFileSync(file, 'uscc,riskClass,regionCode\nSYN510104000000001,A,510104017001\nSHORT,B,510104017002\n');
  const out = run(['inspections', 'draw', '--seed', 's', '--candidates', file]);
  assert.equal(out.status, 1);
  assert.equal(
    out.stderr,
    `lifecircle: ${file} line 3, field uscc: expected an 18-character 统一社会信用代码, got 'SHORT' [LC_INSPECTION_INPUT]\n`,
  );
});

test('a missing candidates file exits 1 naming the file', () => {
  const out = run(['inspections', 'draw', '--seed', 's', '--candidates', '/nonexistent/candidates.csv']);
  assert.equal(out.status, 1);
  assert.match(out.stderr, /\/nonexistent\/candidates\.csv: cannot read .*\[LC_FILE_NOT_FOUND\]/);
});

test("with the ranges of a city's rule a ratio outside them is refused, naming the class; without, it is drawn", () => {
  const args = [
    'inspections',
    'draw',
    '--seed',
    's',
    '--candidates',
    join(fixtures, 'draw-candidates.synthetic.csv'),
  ];
  const ranges = ['--ranges', 'A=0-5%,B=5%-20%,C=21%-60%,D=61%-100%'];
  const refused = run([...args, '--ratios', 'B=50%', ...ranges]);
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /class B: 0\.5 is outside the range of the rule in force, 0\.05–0\.2/);
  const allowed = run([...args, '--ratios', 'B=50%']);
  const draw = JSON.parse(allowed.stdout) as { strata: { riskClass: string; drawn: number }[] };
  assert.equal(draw.strata.find((s) => s.riskClass === 'B')?.drawn, 50);
  const incomplete = run([...args, '--ranges', 'A=0-5%']);
  assert.equal(incomplete.status, 1);
  assert.match(incomplete.stderr, /--ranges: give a range for every class; missing B, C, D/);
});

test("inspections rule shows the city's rule, adopts its own with the document named, and resets it", () => {
  const dir = mkdtempSync(join(tmpdir(), 'lc-rule-'));
  const db = ['--db', join(dir, 'store.db')];
  try {
    const shown = run(['inspections', 'rule', ...db]);
    assert.equal(shown.status, 0, shown.stderr);
    assert.match(shown.stdout, /5101: LifeCircle's default after the national principle/);
    assert.match(shown.stdout, /ratios {4}A 3 %, B 5 %, C 20 %, D 50 %/);
    const bad = run([
      'inspections',
      'rule',
      ...db,
      '--ratios',
      'A=10%,B=5%,C=20%,D=50%',
      '--document',
      '合成',
    ]);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /ratios\.B: 0\.05 is below class A's 0\.1/);
    const adopted = run([
      'inspections',
      'rule',
      ...db,
      '--ratios',
      'A=5%,B=20%,C=60%,D=100%',
      '--ranges',
      'A=0-5%,B=5%-20%,C=21%-60%,D=61%-100%',
      '--document',
      '合成测试规则（虚构）',
    ]);
    assert.equal(adopted.status, 0, adopted.stderr);
    assert.match(adopted.stdout, /5101: the city's own rule/);
    assert.match(adopted.stdout, /ranges {4}A 0 %–5 %, B 5 %–20 %, C 21 %–60 %, D 61 %–100 %/);
    assert.match(adopted.stdout, /source {4}合成测试规则（虚构）/);
    const reset = run(['inspections', 'rule', ...db, '--reset']);
    assert.match(reset.stdout, /LifeCircle's default/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
