import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCity } from '../cities/index.js';
import { LifeCircleError } from '../errors.js';
import { cliViewer, type Viewer } from '../policy/index.js';
import { openTemporaryStore } from '../store/index.js';
import { manualClock } from '../time/index.js';
import { decodeBasemap, extractBasemap, importCityBasemap, StoredBasemap } from './index.js';

/** The synthetic fixture of fixtures/README.md; SQLite, or PostgreSQL when LIFECIRCLE_TEST_DATABASE_URL is set. */
const FIXTURE = 'src/basemap/fixtures/synthetic-basemap.osm';
const clock = manualClock('2026-12-06T10:00:00+08:00');
const ADMIN = cliViewer('test');
const STAFF: Viewer = { ...ADMIN, username: 'staff', role: 'staff' };

test("cities.importBasemap keeps a city's basemap in the store, audited; it reads back as extracted; once only when asked", async () => {
  const tmp = await openTemporaryStore({ clock });
  try {
    const { store } = tmp;
    const deps = { store, clock, cityCode: '310113' };
    const input = { cityCode: '310113', path: FIXTURE, fileName: '宝山底图.osm' };
    await assert.rejects(
      importCityBasemap(deps, ADMIN, input),
      (error: unknown) =>
        error instanceof LifeCircleError &&
        error.code === 'LC_NOT_FOUND' &&
        /city 310113 is not set up/.test(error.message),
    );
    await createCity(deps, ADMIN, { code: '310113' });
    await assert.rejects(
      importCityBasemap(deps, STAFF, input),
      (error: unknown) => error instanceof LifeCircleError && error.code === 'LC_FORBIDDEN',
    );

    const first = await importCityBasemap(deps, ADMIN, input);
    assert.deepEqual([first.written, first.replaced], [true, false]);
    const record = first.basemap;
    assert.equal(record.cityCode, '310113');
    assert.equal(record.fileName, '宝山底图.osm');
    assert.equal(record.format, 'lifecircle-basemap/1');
    assert.deepEqual(record.counts, { water: 3, green: 3, buildings: 3, roads: 8, places: 4 });
    assert.deepEqual(record.bbox, [121.401, 31.394, 121.413, 31.408]);
    assert.equal(record.createdBy, 'cli:test');
    assert.equal(record.createdAt, '2026-12-06T02:00:00.000Z');
    assert.deepEqual(await store.cityBasemaps.get('310113'), record);

    // The stored bytes: the recorded size and checksum, and the same features as a fresh extraction.
    const data = (await store.cityBasemaps.data('310113'))!;
    assert.equal(data.byteLength, record.bytes);
    const extracted = await extractBasemap(FIXTURE);
    assert.equal(record.sourceSha256, extracted.source.sha256);
    assert.deepEqual(decodeBasemap(data, record.sha256, 'test').layers, extracted.layers);

    const audit = await store.audit.list({ entity: 'city_basemaps', entityKey: '310113' });
    assert.deepEqual(
      audit.items.map((e) => [e.action, e.actorName, (e.after as { sha256: string }).sha256]),
      [['create', 'cli:test', record.sha256]],
    );
    assert.equal(
      JSON.stringify(audit.items[0].after).includes('"data"'),
      false,
      'the layers are not audited',
    );

    // Once only: a basemap is there, nothing is read or written.
    const kept = await importCityBasemap(deps, ADMIN, {
      ...input,
      path: 'no/such/file.osm',
      onlyIfMissing: true,
    });
    assert.deepEqual([kept.written, kept.basemap], [false, record]);
    // Again without: replaced, audited as an update.
    const again = await importCityBasemap(deps, ADMIN, { ...input, fileName: '宝山底图-2.osm' });
    assert.deepEqual([again.written, again.replaced, again.basemap.fileName], [true, true, '宝山底图-2.osm']);
    assert.deepEqual(
      (await store.audit.list({ entity: 'city_basemaps' })).items.map((e) => e.action).sort(),
      ['create', 'update'],
    );
    assert.equal(await store.cityBasemaps.get('5101'), null);
  } finally {
    await tmp.dispose();
  }
});

test('a server reads the basemap once, answers tiles and places from memory, and reads it again when replaced', async () => {
  const tmp = await openTemporaryStore({ clock });
  try {
    const { store } = tmp;
    const deps = { store, clock, cityCode: '310113' };
    await createCity(deps, ADMIN, { code: '310113' });
    let now = 0;
    const stored = new StoredBasemap(store, '310113', { recheckMs: 1000, now: () => now });
    assert.equal(await stored.record(), null);
    assert.equal(await stored.tile(14, 13717, 6685), null);
    assert.deepEqual(await stored.search('合成', 5), []);

    await importCityBasemap(deps, ADMIN, { cityCode: '310113', path: FIXTURE, fileName: 'a.osm' });
    assert.equal(await stored.record(), null, 'the record is trusted for a second');
    now = 1000;
    assert.equal((await stored.record())?.fileName, 'a.osm');
    assert.deepEqual(
      (await stored.search('合成大', 5)).map((h) => h.name),
      ['合成大道'],
    );
    const tile = await stored.tile(14, 13717, 6685);
    assert.ok(tile && tile.byteLength > 100, 'a tile with the fixture in it');

    // Damaged in the store (the record's checksum no longer fits): LC_BASEMAP_FORMAT, not a wrong map.
    await tmp.query('UPDATE city_basemaps SET sha256 = ?', ['0'.repeat(64)]);
    now = 2000;
    await assert.rejects(
      stored.tile(14, 13717, 6685),
      (error: unknown) =>
        error instanceof LifeCircleError &&
        error.code === 'LC_BASEMAP_FORMAT' &&
        /^the basemap of city 310113 \(a\.osm\): the stored bytes are corrupt/.test(error.message),
    );
    // Imported again: read anew.
    await importCityBasemap(deps, ADMIN, { cityCode: '310113', path: FIXTURE, fileName: 'b.osm' });
    now = 3000;
    assert.equal((await stored.record())?.fileName, 'b.osm');
    assert.deepEqual(await stored.tile(14, 13717, 6685), tile);
  } finally {
    await tmp.dispose();
  }
});
