import { openCityTemporaryStore } from '../cities/index.js';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BUNDLED_CITY, loadBundledPlaces } from './bundled.js';
import { loadBundledGraph } from './startup.js';
import { LifeCircleEngine } from './engine.js';

test('two servers on one store: after one stores a run on new data, the other’s map follows it', async () => {
  const { store, dispose } = await openCityTemporaryStore();
  try {
    const graph = await loadBundledGraph();
    const here = new LifeCircleEngine({ store, cityCode: BUNDLED_CITY, graph });
    await loadBundledPlaces(store, here.standards, { cityCode: BUNDLED_CITY });
    await here.refresh();
    const there = new LifeCircleEngine({ store, cityCode: BUNDLED_CITY, graph });
    await there.refresh();
    assert.equal(await there.syncWithStore(), false, 'same run, same map: nothing to do');

    // A kindergarten registered through the first server, which stores a new run.
    await store.facilities.upsert({
      code: 'SYNC-K',
      name: '合成幼儿园',
      typeCode: 'kindergarten',
      location: { lon: 104.0712, lat: 30.6545 },
      address: null,
      regionCode: null,
      capacity: 120,
      affordable: true,
      status: 'open',
      providerUscc: null,
      contactPhone: null,
    });
    const { run } = await here.refresh();
    const stale = await there.summary();
    assert.notEqual(stale.inputsHash, run.inputsHash, 'the other server still shows the old data');

    assert.equal(await there.syncWithStore(), true);
    const synced = await there.summary();
    assert.equal(synced.inputsHash, run.inputsHash);
    assert.equal(synced.facilities, (await here.summary()).facilities);
    assert.equal(await there.syncWithStore(), false, 'once is enough');
  } finally {
    await dispose();
  }
});
