import { actorOf, recordAudit } from '../audit/index.js';
import { LifeCircleError } from '../errors.js';
import { defineCommand } from '../policy/index.js';
import type { City, CityExtentSource, StoreRepositories } from '../store/index.js';
import { divisionsOf, findCityDivision } from './divisions.js';
import { CHINA_BBOX, OUTLINE_NOTE, bundledExtent } from './extent.js';

export interface CreateCityInput {
  /** A division code (5101, 510100, 310113) or a name (成都市, 宝山区). */
  code: string;
  /** The box to use instead of the bundled outline's (WGS-84 [west, south, east, north]). */
  bbox?: [number, number, number, number];
}

export interface CreateCityResult {
  city: City;
  /** False when the city was already set up (its division codes are loaded again, which changes nothing). */
  created: boolean;
  /** Division codes loaded into the store: the city's 区县 and 街道, its 社区 where bundled, and its ancestors. */
  divisions: number;
  communities: number;
}

/**
 * `cities.create`: sets up a city or 区县 from its division code. Its name and the codes of its 区县, 街道 and (for
 * the seed cities) 社区 come from the bundled national lists; its box from the bundled outlines, else from the
 * input, else none yet (imports then check only that points lie in China). Idempotent; an existing city keeps
 * its box unless a new one is given.
 */
export const createCity = defineCommand<CreateCityInput, CreateCityResult>({
  name: 'cities.create',
  permission: 'cities.manage',
  async run({ store }, viewer, input) {
    if (input.bbox) checkBbox(input.bbox);
    return store.transaction(async (tx) => {
      const { before, ...result } = await writeCity(tx, input, viewer.username);
      await recordAudit(tx, actorOf(viewer), {
        action: before ? 'update' : 'create',
        entity: 'cities',
        key: result.city.code,
        before,
        after: { ...result.city, divisions: result.divisions, source: 'data/divisions/SOURCE.md' },
      });
      return result;
    });
  },
});

/**
 * The writes of `cities.create`, without its permission check and audit record: for the command, and for test
 * stores set up before any user exists (`openCityTemporaryStore`).
 */
export async function writeCity(
  tx: Pick<StoreRepositories, 'cities' | 'regions'>,
  input: CreateCityInput,
  by: string,
): Promise<CreateCityResult & { before: City | null }> {
  const division = findCityDivision(input.code);
  const regions = divisionsOf(division.code);
  const before = await tx.cities.get(division.code);
  const outline = bundledExtent(division.code);
  const extent: Pick<City, 'bbox' | 'extentSource' | 'extentNote'> = input.bbox
    ? { bbox: input.bbox, extentSource: 'manual', extentNote: `given by ${by}` }
    : before?.bbox
      ? before
      : outline
        ? { bbox: outline.bbox, extentSource: 'outline', extentNote: OUTLINE_NOTE }
        : {
            bbox: null,
            extentSource: null,
            extentNote:
              'no bundled outline for this code: import its walking network, or give a box (lifecircle city extent)',
          };
  await tx.cities.upsert({ code: division.code, name: division.name, ...extent });
  const divisions = await tx.regions.upsertMany(regions);
  const city = (await tx.cities.get(division.code))!;
  return {
    before,
    city,
    created: !before,
    divisions,
    communities: regions.filter((r) => r.level === 'community').length,
  };
}

export interface SetCityExtentInput {
  code: string;
  bbox: [number, number, number, number];
  source: Exclude<CityExtentSource, 'outline'>;
  note: string;
}

/** `cities.setExtent`: the box of a city already set up, from its walking network or typed in. */
export const setCityExtent = defineCommand<SetCityExtentInput, City>({
  name: 'cities.setExtent',
  permission: 'cities.manage',
  async run({ store }, viewer, input) {
    checkBbox(input.bbox);
    return store.transaction(async (tx) => {
      const before = await tx.cities.get(input.code);
      if (!before)
        throw new LifeCircleError(
          'LC_NOT_FOUND',
          `city ${input.code} is not set up; run lifecircle city create ${input.code} first`,
        );
      await tx.cities.upsert({
        code: before.code,
        name: before.name,
        bbox: input.bbox,
        extentSource: input.source,
        extentNote: input.note,
      });
      const city = (await tx.cities.get(input.code))!;
      await recordAudit(tx, actorOf(viewer), {
        action: 'update',
        entity: 'cities',
        key: city.code,
        before,
        after: city,
      });
      return city;
    });
  },
});

/** A box must be four finite degrees, west < east and south < north, and lie in China's box. */
export function checkBbox(bbox: readonly number[]): asserts bbox is [number, number, number, number] {
  const [w, s, e, n] = bbox;
  const [cw, cs, ce, cn] = CHINA_BBOX;
  if (bbox.length !== 4 || !bbox.every(Number.isFinite))
    throw new LifeCircleError(
      'LC_USAGE',
      `a box is four numbers west,south,east,north; got ${bbox.join(',')}`,
    );
  if (!(w < e && s < n))
    throw new LifeCircleError(
      'LC_USAGE',
      `box ${bbox.join(',')}: expected west < east and south < north (longitudes first)`,
    );
  if (w < cw || e > ce || s < cs || n > cn)
    throw new LifeCircleError(
      'LC_USAGE',
      `box ${bbox.join(',')} reaches outside China (lon ${cw}…${ce}, lat ${cs}…${cn}); WGS-84 degrees expected`,
    );
}
