import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
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
  assert.equal(draw.targets.length, 66);
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

test('a ratio outside the local rule is refused unless --no-local-range is given', () => {
  const args = [
    'inspections',
    'draw',
    '--seed',
    's',
    '--candidates',
    join(fixtures, 'draw-candidates.synthetic.csv'),
  ];
  const refused = run([...args, '--ratios', 'B=50%']);
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /class B: 0\.5 is outside the local rule's range 0\.05–0\.2/);
  const allowed = run([...args, '--ratios', 'B=50%', '--no-local-range']);
  const draw = JSON.parse(allowed.stdout) as { strata: { riskClass: string; drawn: number }[] };
  assert.equal(draw.strata.find((s) => s.riskClass === 'B')?.drawn, 50);
});
