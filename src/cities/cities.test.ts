import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LifeCircleError } from '../errors.js';
import { cliViewer, type Viewer } from '../policy/index.js';
import { bundledDataDir, openTemporaryStore, readBundledDivisions } from '../store/index.js';
import { manualClock } from '../time/index.js';
import {
  CHINA_BBOX,
  cityExtent,
  createCity,
  findCityDivision,
  normalizeDivisionCode,
  setCityExtent,
  setUpSeedCities,
} from './index.js';

const clock = manualClock('2026-12-03T10:00:00+08:00');
const ADMIN = cliViewer('test');
const STAFF: Viewer = { ...ADMIN, username: 'staff', role: 'staff' };

const isError = (code: string, pattern: RegExp) => (error: unknown) =>
  error instanceof LifeCircleError && error.code === code && pattern.test(error.message);

test('codes are read as people write them: GB/T 2260 six digits and NBS twelve name the same unit', () => {
  assert.equal(normalizeDivisionCode('510100'), '5101');
  assert.equal(normalizeDivisionCode('510104000000'), '510104');
  assert.equal(normalizeDivisionCode('510000'), '51');
  assert.equal(normalizeDivisionCode('310113'), '310113');
  assert.equal(normalizeDivisionCode(' 5101 '), '5101');
});

test('a city or 区县 is found by code or name; provinces, 街道, groupings and ambiguous names are refused with what to do', () => {
  assert.deepEqual(findCityDivision('5101'), { code: '5101', name: '成都市', level: 'city' });
  assert.deepEqual(findCityDivision('成都'), { code: '5101', name: '成都市', level: 'city' });
  // Municipalities: the NBS city row is 市辖区; the city is the province.
  assert.deepEqual(findCityDivision('3101'), { code: '3101', name: '上海市', level: 'city' });
  assert.deepEqual(findCityDivision('310113'), { code: '310113', name: '上海市宝山区', level: 'district' });
  assert.throws(
    () => findCityDivision('朝阳区'),
    isError('LC_USAGE', /names \d+ places: .*110105 北京市朝阳区/),
  );
  assert.throws(
    () => findCityDivision('51'),
    isError('LC_USAGE', /province 四川省: set up its cities one by one/),
  );
  assert.throws(
    () => findCityDivision('310113003'),
    isError('LC_USAGE', /街道\/乡镇; set up its city \(3101\) or 区县 \(310113\)/),
  );
  assert.throws(() => findCityDivision('4190'), isError('LC_USAGE', /groups counties, it is not a city/));
  assert.throws(() => findCityDivision('9999'), isError('LC_NOT_FOUND', /not in the national division list/));
  assert.throws(() => findCityDivision('无此市'), isError('LC_NOT_FOUND', /no city or 区县 is named/));
});

test('cities.create sets up any city from its code: name, box from the bundled outline, its division codes, one audit record; again changes nothing', async () => {
  const tmp = await openTemporaryStore({ clock });
  try {
    const deps = { store: tmp.store, clock, cityCode: '3101' };
    await assert.rejects(
      createCity(deps, STAFF, { code: '3101' }),
      isError('LC_FORBIDDEN', /cities.manage|cities.create/),
    );
    const first = await createCity(deps, ADMIN, { code: '310100' });
    assert.equal(first.created, true);
    assert.equal(first.city.code, '3101');
    assert.equal(first.city.name, '上海市');
    assert.equal(first.city.extentSource, 'outline');
    // The bundled box of 3101, read independently from the data file.
    const row = readFileSync(join(bundledDataDir(), 'divisions', 'extents.csv'), 'utf8')
      .split('\n')
      .find((l) => l.startsWith('3101,'))!
      .split(',');
    assert.deepEqual(first.city.bbox, row.slice(3, 7).map(Number));
    const expected = readBundledDivisions().filter((r) => r.code.startsWith('3101') || r.code === '31');
    assert.equal(first.divisions, expected.length);
    assert.equal((await tmp.store.regions.get('310113'))?.name, '宝山区');
    assert.equal((await tmp.store.regions.get('310113003'))?.name, '友谊路街道');
    assert.equal(await tmp.store.regions.get('5101'), null, 'only the city asked for');
    const audit = await tmp.store.audit.list({ entity: 'cities' });
    assert.equal(audit.total, 1);
    assert.equal(audit.items[0].action, 'create');
    const again = await createCity(deps, ADMIN, { code: '上海市' });
    assert.equal(again.created, false);
    assert.deepEqual(again.city.bbox, first.city.bbox);
    assert.deepEqual((await cityExtent(tmp.store, '3101')).bbox, first.city.bbox);
  } finally {
    await tmp.dispose();
  }
});

test('a 区县 with no bundled outline is set up without a box: imports check against China until one is given', async () => {
  const tmp = await openTemporaryStore({ clock });
  try {
    const deps = { store: tmp.store, clock, cityCode: '' };
    // 蓟州区 has an empty outline in the bundled source (data/divisions/SOURCE.md).
    const { city } = await createCity(deps, ADMIN, { code: '120119' });
    assert.equal(city.bbox, null);
    assert.equal(city.extentSource, null);
    const extent = await cityExtent(tmp.store, '120119');
    assert.equal(extent.known, false);
    assert.deepEqual(extent.bbox, CHINA_BBOX);
    await assert.rejects(
      setCityExtent(deps, ADMIN, { code: '120119', bbox: [118, 40, 117, 41], source: 'manual', note: 'x' }),
      isError('LC_USAGE', /west < east/),
    );
    await assert.rejects(
      setCityExtent(deps, ADMIN, { code: '120119', bbox: [-10, 40, 117, 41], source: 'manual', note: 'x' }),
      isError('LC_USAGE', /outside China/),
    );
    await assert.rejects(
      setCityExtent(deps, ADMIN, { code: '3101', bbox: [117, 40, 118, 41], source: 'manual', note: 'x' }),
      isError('LC_NOT_FOUND', /city 3101 is not set up/),
    );
    const set = await setCityExtent(deps, ADMIN, {
      code: '120119',
      bbox: [117.2, 39.8, 117.8, 40.3],
      source: 'network',
      note: 'walkable extent of a test extract',
    });
    assert.deepEqual(set.bbox, [117.2, 39.8, 117.8, 40.3]);
    assert.equal((await cityExtent(tmp.store, '120119')).known, true);
    await assert.rejects(
      cityExtent(tmp.store, '4403'),
      isError('LC_USAGE', /city 4403 is not set up.*120119 天津市蓟州区/),
    );
  } finally {
    await tmp.dispose();
  }
});

test('the first start sets up the four seed cities once', async () => {
  const tmp = await openTemporaryStore({ clock });
  try {
    const deps = { store: tmp.store, clock, cityCode: '5101' };
    const loaded = await setUpSeedCities(deps, ADMIN);
    assert.equal(loaded, 4 + 4 + 56 + 770 + 12565);
    assert.deepEqual(
      (await tmp.store.cities.list()).map((c) => `${c.code} ${c.name}`),
      ['1201 天津市', '1303 秦皇岛市', '1401 太原市', '5101 成都市'],
    );
    assert.equal(await setUpSeedCities(deps, ADMIN), 0);
  } finally {
    await tmp.dispose();
  }
});
