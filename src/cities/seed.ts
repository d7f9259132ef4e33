import type { Viewer } from '../policy/index.js';
import { SEED_CITY_CODES, openTemporaryStore, type Store, type TemporaryStore } from '../store/index.js';
import type { Clock } from '../time/index.js';
import { createCity, writeCity } from './commands.js';

/**
 * The cities whose plans are bundled (data/seeds: 天津, 秦皇岛, 太原, 成都), set up on a store's first start with
 * `cities.create`; returns the division codes loaded (0 when all four were set up already).
 */
export async function setUpSeedCities(
  deps: { store: Store; clock: Clock; cityCode: string },
  viewer: Viewer,
): Promise<number> {
  let loaded = 0;
  for (const code of SEED_CITY_CODES)
    if (!(await deps.store.cities.get(code))) loaded += (await createCity(deps, viewer, { code })).divisions;
  return loaded;
}

/**
 * A throw-away store (src/store `openTemporaryStore`) with the seed cities set up, for tests and dry runs. Set
 * up as reference data (`writeCity`), without audit records, so tests count only the records they cause.
 */
export async function openCityTemporaryStore(
  options: Omit<Parameters<typeof openTemporaryStore>[0] & object, 'divisions'> = {},
): Promise<TemporaryStore> {
  const temporary = await openTemporaryStore(options);
  await temporary.store.transaction(async (tx) => {
    for (const code of SEED_CITY_CODES) await writeCity(tx, { code }, 'system:test-setup');
  });
  return temporary;
}
