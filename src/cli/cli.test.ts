import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'lifecircle-cli-'));

function lifecircle(...args: string[]) {
  const result = spawnSync(process.execPath, ['bin/lifecircle.js', ...args], { encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('every verb answers --help', () => {
  for (const verb of [[], ['network'], ['network', 'import'], ['network', 'info'], ['isochrone']]) {
    const { code, stdout } = lifecircle(...verb, '--help');
    assert.equal(code, 0, `${verb.join(' ')} --help`);
    assert.match(stdout, /Usage: lifecircle/);
  }
});

test('network import writes a graph that network info describes', () => {
  const output = join(dir, 'chengdu.graph');
  const imported = lifecircle(
    'network',
    'import',
    'data/chengdu-central/chengdu-central-2018.osm',
    '-o',
    output,
  );
  assert.equal(imported.code, 0, imported.stderr);
  assert.match(imported.stdout, /nodes\s+\d+/);
  const info = lifecircle('network', 'info', output, '--json');
  assert.equal(info.code, 0);
  const summary = JSON.parse(info.stdout) as {
    nodes: number;
    components: number;
    totalLengthKm: number;
    bbox: number[];
  };
  assert.ok(summary.nodes > 3000 && summary.components >= 1 && summary.totalLengthKm > 100);
  assert.equal(summary.bbox.length, 4);
  const again = lifecircle(
    'network',
    'import',
    'data/chengdu-central/chengdu-central-2018.osm',
    '-o',
    output,
  );
  assert.equal(again.code, 1, 'refuses to overwrite without --force');
  assert.match(again.stderr, /--force/);
});

test('a bad input fails with one line naming the file, exit 1, and leaves no output file behind', () => {
  const bad = join(dir, 'broken.osm');
  writeFileSync(bad, readFileSync('src/network/fixtures/rules.osm', 'utf8').slice(0, 900));
  const output = join(dir, 'broken.graph');
  const { code, stderr } = lifecircle('network', 'import', bad, '-o', output, '--quiet');
  assert.equal(code, 1);
  const lines = stderr.trim().split('\n');
  assert.equal(lines.length, 1, stderr);
  assert.match(lines[0], /^lifecircle: .*broken\.osm.*\[LC_OSM_FORMAT\]$/);
  assert.doesNotMatch(stderr, /at .*\.js:\d+/, 'no stack trace');
  assert.ok(!existsSync(output));
  assert.deepEqual(
    readdirSync(dir).filter((f) => f.startsWith('broken.graph')),
    [],
    'no temporary file either',
  );
});

test('isochrone prints GeoJSON lines, an outline and the origin', () => {
  const graph = join(dir, 'iso.graph');
  assert.equal(
    lifecircle('network', 'import', 'data/chengdu-central/chengdu-central-2018.osm', '-o', graph, '-q').code,
    0,
  );
  const { code, stdout } = lifecircle(
    'isochrone',
    '-g',
    graph,
    '--at',
    '104.0665,30.6598',
    '--metres',
    '500',
  );
  assert.equal(code, 0);
  const collection = JSON.parse(stdout) as {
    features: { geometry: { type: string } }[];
    properties: { limitM: number };
  };
  const types = new Set(collection.features.map((f) => f.geometry.type));
  assert.deepEqual([...types].sort(), ['LineString', 'Point', 'Polygon']);
  assert.equal(collection.properties.limitM, 500);
  const bad = lifecircle('isochrone', '-g', graph, '--at', '104.0665,30.6598');
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /exactly one of --minutes or --metres/);
});

test('network import names the ways and nodes of missing references, also with --quiet (on stderr)', () => {
  const output = join(dir, 'rules.graph');
  const loud = lifecircle('network', 'import', 'src/network/fixtures/rules.osm', '-o', output, '--force');
  assert.equal(loud.code, 0, loud.stderr);
  assert.match(
    loud.stdout,
    /^warning {5}1 node reference\(s\) missing from the extract \(ways split there\): way 109 → node 999$/m,
  );
  const quiet = lifecircle(
    'network',
    'import',
    'src/network/fixtures/rules.osm',
    '-o',
    output,
    '--force',
    '-q',
  );
  assert.equal(quiet.code, 0, quiet.stderr);
  assert.equal(quiet.stdout, '');
  assert.match(quiet.stderr, /way 109 → node 999/);
});
