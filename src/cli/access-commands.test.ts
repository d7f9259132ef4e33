import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function lifecircle(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/lifecircle.js', ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('analyze runs end to end on the bundled Chengdu data and writes JSON, CSV and GeoJSON', () => {
  const out = mkdtempSync(join(tmpdir(), 'lifecircle-analyze-'));
  const r = lifecircle('analyze', '--quiet', '--out', out);
  assert.equal(r.status, 0, r.stderr);
  const analysis = JSON.parse(readFileSync(join(out, 'analysis.json'), 'utf8'));
  assert.equal(analysis.communities.length, 186);
  assert.ok(analysis.caveats.some((c: string) => c.includes('POI coverage in China is thin')));
  assert.ok(analysis.caveats.some((c: string) => c.includes('Population estimated')));
  const csvLines = readFileSync(join(out, 'coverage.csv'), 'utf8').trim().split('\n');
  assert.equal(csvLines.length, 1 + 186 * 17);
  const geo = JSON.parse(readFileSync(join(out, 'communities.geojson'), 'utf8'));
  assert.equal(geo.features.length, 186);
  assert.equal(geo.features[0].geometry.type, 'Polygon');
  assert.match(readFileSync(join(out, 'rollups.csv'), 'utf8'), /^level,key,name,type,/);
});

test('a bad city config fails in one line naming the key', () => {
  const r = lifecircle('analyze', '--quiet', '--config', 'src/standards/fixtures/bad-radius.yaml');
  assert.equal(r.status, 1);
  assert.equal(r.stderr.trim().split('\n').length, 1);
  assert.match(
    r.stderr,
    /facilityTypes\.kindergarten\.radiusM: expected a service radius as a number of metres \[LC_CONFIG\]/,
  );
});

test('a bad community file fails naming the line and field', () => {
  const r = lifecircle('gaps', '--quiet', '--communities', 'src/places/fixtures/communities-bad-lat.csv');
  assert.equal(r.status, 1);
  assert.match(r.stderr, /communities-bad-lat\.csv line 3: lat should be a latitude .* \[LC_POINTS_FORMAT\]/);
});

test('site refuses k = 0 and an unknown facility type', () => {
  assert.match(
    lifecircle('site', '--type', 'kindergarten', '--k', '0').stderr,
    /--k should be a whole number ≥ 1, got 0 \[LC_USAGE\]/,
  );
  assert.match(
    lifecircle('site', '--type', 'kindergarden', '--k', '3').stderr,
    /unknown facility type "kindergarden"/,
  );
});
