import { LifeCircleError } from '../errors.js';
import type { Store } from '../store/index.js';
import { extentOf, type CityExtent } from './extent.js';

/** The extent imports check against, for a city that is set up; LC_USAGE naming the ones that are when not. */
export async function cityExtent(store: Pick<Store, 'cities'>, code: string): Promise<CityExtent> {
  const city = await store.cities.get(code);
  if (city) return extentOf(city);
  const known = await store.cities.list();
  throw new LifeCircleError(
    'LC_USAGE',
    `city ${code} is not set up (lifecircle city create ${code}); set up: ${known.map((c) => `${c.code} ${c.name}`).join(', ') || 'none'}`,
  );
}
