import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VectorTile } from '@mapbox/vector-tile';
// @mapbox/vector-tile reads with pbf 5 (installed as pbf-reader for tests); the product writes with pbf 3.
import { PbfReader } from 'pbf-reader';
import { createCity } from '../cities/index.js';
import { LifeCircleError } from '../errors.js';
import { cliViewer } from '../policy/index.js';
import { openTemporaryStore } from '../store/index.js';
import { manualClock } from '../time/index.js';
import {
  BasemapThread,
  BasemapTiles,
  encodeBasemap,
  extractBasemap,
  PlaceIndex,
  StoredBasemap,
  type Basemap,
  type ThreadBasemap,
} from './index.js';

const FIXTURE = 'src/basemap/fixtures/synthetic-basemap.osm';
// The fixture lies in tile 14/13717/6685 and its parents; 14/0/0 is empty.
const TILES: [number, number, number][] = [
  [12, 3429, 1671],
  [13, 6858, 3342],
  [14, 13717, 6685],
  [14, 0, 0],
];

function asThreadBasemap(basemap: Basemap, key = 'test#1'): ThreadBasemap {
  const { data, sha256 } = encodeBasemap(basemap);
  return { key, sha256, what: 'the test basemap', data };
}

/** The tile's layers and their features' properties and geometry, in order, for a readable diff. */
function decoded(bytes: Uint8Array | null): Record<string, unknown[]> {
  if (!bytes) return {};
  const tile = new VectorTile(new PbfReader(bytes));
  return Object.fromEntries(
    Object.entries(tile.layers).map(([name, layer]) => [
      name,
      Array.from({ length: layer.length }, (_, i) => {
        const f = layer.feature(i);
        return { properties: f.properties, geometry: f.loadGeometry() };
      }),
    ]),
  );
}

/** The fixture with 合成大道 renamed: a replaced basemap whose tiles and names differ. */
function renamed(basemap: Basemap): Basemap {
  const roads = basemap.layers.roads.map((f) => (f.name === '合成大道' ? { ...f, name: '替换大道' } : f));
  return { ...basemap, layers: { ...basemap.layers, roads } };
}

test('the thread cuts the same tiles as BasemapTiles and finds the same places as PlaceIndex', async () => {
  const basemap = await extractBasemap(FIXTURE);
  const inThread = new BasemapTiles(basemap);
  const thread = new BasemapThread();
  try {
    const sent = asThreadBasemap(basemap);
    for (const [z, x, y] of TILES) {
      const expected = inThread.tile(z, x, y);
      const tile = await thread.tile(sent, z, x, y);
      assert.deepEqual(decoded(tile), decoded(expected), `${z}/${x}/${y}`);
      assert.deepEqual(tile, expected, `${z}/${x}/${y}: the same bytes`);
    }
    assert.equal(await thread.tile(sent, 14, 0, 0), null);
    assert.deepEqual(await thread.search(sent, '合成', 20), new PlaceIndex(basemap).search('合成', 20));
  } finally {
    await thread.close();
  }
});

test('corrupt bytes are LC_BASEMAP_FORMAT from the thread, which goes on serving the other basemaps', async () => {
  const basemap = await extractBasemap(FIXTURE);
  const thread = new BasemapThread();
  try {
    const good = asThreadBasemap(basemap, 'good#1');
    const corrupt = { ...asThreadBasemap(basemap, 'corrupt#1'), sha256: '0'.repeat(64) };
    await assert.rejects(
      thread.tile(corrupt, 14, 13717, 6685),
      (error: unknown) =>
        error instanceof LifeCircleError &&
        error.code === 'LC_BASEMAP_FORMAT' &&
        /^the test basemap: the stored bytes are corrupt/.test(error.message),
    );
    await assert.rejects(thread.search(corrupt, '合成', 5), { code: 'LC_BASEMAP_FORMAT' });
    assert.ok(await thread.tile(good, 14, 13717, 6685));
  } finally {
    await thread.close();
  }
});

test('a crashed thread: the waiting request is LC_BUSY (503), the next one starts a new thread with the basemap sent again', async () => {
  const basemap = await extractBasemap(FIXTURE);
  const thread = new BasemapThread({
    entry: new URL('./fixtures/crashing-thread-entry.js', import.meta.url),
  });
  try {
    const sent = asThreadBasemap(basemap);
    const before = await thread.tile(sent, 14, 13717, 6685);
    await assert.rejects(
      thread.tile(sent, 0, 0, 0),
      (error: unknown) =>
        error instanceof LifeCircleError &&
        error.code === 'LC_BUSY' &&
        error.status === 503 &&
        /^the basemap thread stopped \(a simulated crash\) before answering; the next request starts it again — retry$/.test(
          error.message,
        ),
    );
    assert.deepEqual(await thread.tile(sent, 14, 13717, 6685), before);
    assert.deepEqual(
      (await thread.search(sent, '合成大', 5)).map((h) => h.name),
      ['合成大道'],
    );
  } finally {
    await thread.close();
  }
});

test('closing the thread fails what waits with LC_BUSY; a later request starts it again', async () => {
  const sent = asThreadBasemap(await extractBasemap(FIXTURE));
  const thread = new BasemapThread();
  const waiting = thread.tile(sent, 14, 13717, 6685);
  await thread.close();
  await assert.rejects(waiting, {
    code: 'LC_BUSY',
    message: 'the basemap thread was stopped with the server; retry',
  });
  try {
    assert.ok(await thread.tile(sent, 14, 13717, 6685));
  } finally {
    await thread.close();
  }
});

test('a basemap replaced in the store reaches the thread: its tiles and names, then none once it is gone', async () => {
  const clock = manualClock('2026-12-06T10:00:00+08:00');
  const tmp = await openTemporaryStore({ clock });
  const thread = new BasemapThread();
  try {
    await createCity({ store: tmp.store, clock, cityCode: '310113' }, cliViewer('test'), { code: '310113' });
    const first = await extractBasemap(FIXTURE);
    const second = renamed(first);
    const put = async (basemap: Basemap, fileName: string) => {
      const { data, sha256, format } = encodeBasemap(basemap);
      await tmp.store.cityBasemaps.put({
        cityCode: '310113',
        fileName,
        sourceSha256: 'a'.repeat(64),
        format,
        sha256,
        bytes: data.byteLength,
        counts: basemap.counts,
        bbox: basemap.bbox,
        createdBy: 'test',
        data,
      });
    };
    let now = 0;
    const stored = new StoredBasemap(tmp.store, '310113', { recheckMs: 1000, now: () => now, thread });
    const [z, x, y] = [14, 13717, 6685];

    await put(first, 'first.osm');
    assert.deepEqual(await stored.tile(z, x, y), new BasemapTiles(first).tile(z, x, y));
    assert.deepEqual(
      (await stored.search('大道', 5)).map((h) => h.name),
      ['合成大道'],
    );

    await put(second, 'second.osm');
    now = 1000;
    const replaced = await stored.tile(z, x, y);
    assert.deepEqual(replaced, new BasemapTiles(second).tile(z, x, y));
    assert.notDeepEqual(replaced, new BasemapTiles(first).tile(z, x, y));
    assert.deepEqual(
      (await stored.search('大道', 5)).map((h) => h.name),
      ['替换大道'],
    );

    await tmp.query('DELETE FROM city_basemaps');
    now = 2000;
    assert.equal(await stored.tile(z, x, y), null);
    assert.deepEqual(await stored.search('大道', 5), []);
  } finally {
    await thread.close();
    await tmp.dispose();
  }
});
