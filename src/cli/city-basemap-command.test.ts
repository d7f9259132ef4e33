import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The synthetic fixture of src/basemap/fixtures (made-up names, not a real place). */
const FIXTURE = 'src/basemap/fixtures/synthetic-basemap.osm';

function lifecircle(...args: string[]) {
  const result = spawnSync(process.execPath, ['bin/lifecircle.js', ...args], { encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('lifecircle city basemap keeps a city’s basemap from an extract, replaces it when run again, names a bad file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lifecircle-basemap-cli-'));
  try {
    const db = join(dir, 'store.db');
    assert.equal(lifecircle('city', 'create', '310113', '--db', db).code, 0);
    const first = lifecircle('city', 'basemap', '310113', FIXTURE, '--db', db, '--quiet');
    assert.equal(first.code, 0, first.stderr);
    assert.match(
      first.stdout,
      /^basemap {3}synthetic-basemap\.osm → city 310113: 8 roads, 3 buildings, 3 water, 3 green, 4 places \(\d+ KB stored\)\n$/,
    );
    const again = lifecircle('city', 'basemap', '上海市宝山区', FIXTURE, '--db', db, '--quiet');
    assert.match(again.stdout, /\(replaces the earlier basemap\)\n$/);
    const bad = join(dir, 'broken.osm');
    writeFileSync(bad, '<osm><way id="1"><nd ref="x"/></way></osm>');
    const refused = lifecircle('city', 'basemap', '310113', bad, '--db', db, '--quiet');
    assert.equal(refused.code, 1);
    assert.match(
      refused.stderr,
      /broken\.osm:1:\d+: <nd> attribute ref="x" is not a number.*\[LC_OSM_FORMAT\]/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
