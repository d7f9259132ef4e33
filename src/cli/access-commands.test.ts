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
  // Defaults not yet checked against the standard are shown as such.
  const kindergarten = analysis.standards.facilityTypes.find((t: { id: string }) => t.id === 'kindergarten');
  assert.equal(kindergarten.radiusM.verified, false);
  assert.match(kindergarten.radiusM.source, /附录C/);
  assert.ok(analysis.caveats.some((c: string) => c.includes('POI coverage in China is thin')));
  assert.ok(analysis.caveats.some((c: string) => c.includes('Population estimated')));
  // 商务部 formats read from the same extract: 17 supermarkets are tagged, so some communities reach one.
  assert.equal(analysis.businessFormats.basicTotal, 12);
  const supermarket = analysis.businessFormats.formats.find((f: { id: string }) => f.id === 'supermarket');
  assert.ok(supermarket.communitiesWithin > 0);
  const csvLines = readFileSync(join(out, 'coverage.csv'), 'utf8').trim().split('\n');
  assert.equal(csvLines.length, 1 + 186 * 17);
  const geo = JSON.parse(readFileSync(join(out, 'communities.geojson'), 'utf8'));
  assert.equal(geo.features.length, 186);
  assert.equal(geo.features[0].geometry.type, 'Polygon');
  assert.match(readFileSync(join(out, 'rollups.csv'), 'utf8'), /^level,key,name,type,/);
  const districts = JSON.parse(readFileSync(join(out, 'districts.geojson'), 'utf8'));
  const communitiesInDistricts = districts.features.reduce(
    (s: number, f: { properties: { communities: number } }) => s + f.properties.communities,
    0,
  );
  assert.equal(communitiesInDistricts, 186);
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

test('site ranks supplied candidates by marginal gain and writes them as GeoJSON', () => {
  const out = join(mkdtempSync(join(tmpdir(), 'lifecircle-site-')), 'picks.geojson');
  const r = lifecircle(
    'site',
    '-q',
    '--type',
    'kindergarten',
    '--k',
    '2',
    '--candidates',
    'src/cli/fixtures/candidates.csv',
    '--json',
    '-o',
    out,
  );
  assert.equal(r.status, 0, r.stderr);
  const result = JSON.parse(r.stdout);
  assert.equal(result.picks.length, 2);
  assert.ok(result.picks[0].marginalGain >= result.picks[1].marginalGain);
  // Rounded to whole residents, so the sum may differ by one.
  assert.ok(
    Math.abs(result.picks[1].cumulative - result.picks[0].marginalGain - result.picks[1].marginalGain) <= 1,
  );
  const geo = JSON.parse(readFileSync(out, 'utf8'));
  assert.equal(geo.features.length, 2);
  assert.equal(geo.features[0].properties.origin, 'supplied');
});

test('analyze with imported communities and facilities keeps their figures and drops the OSM POI caveat', () => {
  const out = mkdtempSync(join(tmpdir(), 'lifecircle-import-'));
  const r = lifecircle(
    'analyze',
    '-q',
    '--out',
    out,
    '--communities',
    'src/places/fixtures/communities-ok.csv',
    '--facilities',
    'src/cli/fixtures/facilities.csv',
  );
  assert.equal(r.status, 0, r.stderr);
  const analysis = JSON.parse(readFileSync(join(out, 'analysis.json'), 'utf8'));
  assert.deepEqual(analysis.caveats, []);
  const [dongfeng, wangping] = analysis.communities;
  assert.equal(dongfeng.population, 8000);
  assert.equal(dongfeng.ageGroupsEstimated, false);
  assert.equal(wangping.ageGroupsEstimated, true);
  assert.equal(dongfeng.types.kindergarten.demand, 210);
  const nursery = analysis.facilityList.find((f: { typeId: string }) => f.typeId === 'nursery');
  assert.match(nursery.capacitySource, /type default/);
  assert.equal(
    analysis.facilityList.find((f: { typeId: string }) => f.typeId === 'kindergarten').capacitySource,
    'data',
  );
});

test('what-if adds then removes an elderly day-care centre and reports the coverage change each time', () => {
  const r = lifecircle(
    'what-if',
    '-q',
    '--type',
    'elderly-daycare',
    '--add',
    '104.0955,30.6702,40',
    '--remove',
    'what-if-1',
    '--json',
  );
  assert.equal(r.status, 0, r.stderr);
  const [added, removed] = JSON.parse(r.stdout).results;
  assert.equal(added.before.coveredCommunities, 0, 'the extract tags no elderly care');
  assert.ok(added.after.coveredCommunities > 0);
  assert.deepEqual(removed.newlyUncovered, added.newlyCovered);
  assert.deepEqual(removed.after, added.before);
});

test('an OSM extract without residential areas asks for a communities file', () => {
  const r = lifecircle('gaps', '-q', '--osm', 'src/access/fixtures/line-street.osm');
  assert.equal(r.status, 1);
  assert.match(r.stderr, /line-street\.osm has no residential areas .*give --communities \[LC_USAGE\]/);
});
