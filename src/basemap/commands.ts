import { actorOf, recordAudit } from '../audit/index.js';
import { LifeCircleError } from '../errors.js';
import { defineCommand } from '../policy/index.js';
import type { Actor, CityBasemap, StoreRepositories } from '../store/index.js';
import { encodeBasemap, type EncodedBasemapBytes } from './encode.js';
import { extractBasemap } from './extract.js';
import type { ExtractedBasemap } from './types.js';

export interface ImportCityBasemapInput {
  cityCode: string;
  /** The OSM extract on disk (.osm XML or .osm.pbf). */
  path: string;
  /** The name the user knows the file by: messages and the record name it, never `path`. */
  fileName: string;
  /**
   * Keep a basemap the city has already: nothing is read or written then (a first start giving the bundled city
   * its basemap once, however many servers start together).
   */
  onlyIfMissing?: boolean;
  onProgress?: (bytesRead: number, totalBytes: number) => void;
}

export interface ImportCityBasemapResult {
  basemap: CityBasemap;
  /** False when `onlyIfMissing` found one and kept it. */
  written: boolean;
  /** True when it replaced an earlier basemap. */
  replaced: boolean;
}

/**
 * `cities.importBasemap`: reads the basemap of an OSM extract (water, green, buildings, roads, places) and keeps
 * it as the city's, replacing any earlier one: the city must be set up → permission `cities.manage` → one
 * transaction → one audit record. A city's network import (`cities.importNetwork`) keeps the basemap of the same
 * extract in its own transaction through `keepCityBasemap`; this command serves the bundled city's first start
 * and a city whose network was imported before basemaps existed (`lifecircle city basemap`).
 */
export const importCityBasemap = defineCommand<ImportCityBasemapInput, ImportCityBasemapResult>({
  name: 'cities.importBasemap',
  permission: 'cities.manage',
  async run({ store }, viewer, input) {
    if (!(await store.cities.get(input.cityCode)))
      throw new LifeCircleError(
        'LC_NOT_FOUND',
        `city ${input.cityCode} is not set up; run lifecircle city create ${input.cityCode} (or set it up in the dashboard) first`,
      );
    if (input.onlyIfMissing) {
      const kept = await store.cityBasemaps.get(input.cityCode);
      if (kept) return { basemap: kept, written: false, replaced: false };
    }
    const extracted = await extractBasemap(input.path, {
      fileName: input.fileName,
      onProgress: input.onProgress,
    });
    const encoded = encodeBasemap(extracted);
    return store.transaction(async (tx) => {
      // Another server starting at the same time may have kept one meanwhile (transactions run one at a time).
      const kept = input.onlyIfMissing ? await tx.cityBasemaps.get(input.cityCode) : null;
      if (kept) return { basemap: kept, written: false, replaced: false };
      const { basemap, before } = await keepCityBasemap(tx, actorOf(viewer), {
        cityCode: input.cityCode,
        extracted,
        encoded,
      });
      return { basemap, written: true, replaced: before !== null };
    });
  },
});

/**
 * Keeps an extracted basemap as the city's, inside the caller's transaction, with its audit record (entity
 * `city_basemaps`, the record before and after; never the layers). For the commands that write a city's basemap.
 */
export async function keepCityBasemap(
  tx: Pick<StoreRepositories, 'cityBasemaps' | 'audit'>,
  actor: Actor,
  input: { cityCode: string; extracted: ExtractedBasemap; encoded?: EncodedBasemapBytes },
): Promise<{ basemap: CityBasemap; before: CityBasemap | null }> {
  const { cityCode, extracted } = input;
  const encoded = input.encoded ?? encodeBasemap(extracted);
  const before = await tx.cityBasemaps.put({
    cityCode,
    fileName: extracted.source.fileName,
    sourceSha256: extracted.source.sha256,
    format: encoded.format,
    sha256: encoded.sha256,
    bytes: encoded.data.byteLength,
    counts: extracted.counts,
    bbox: extracted.bbox,
    createdBy: actor.name,
    data: encoded.data,
  });
  const basemap = (await tx.cityBasemaps.get(cityCode)) as CityBasemap;
  await recordAudit(tx, actor, {
    action: before ? 'update' : 'create',
    entity: 'city_basemaps',
    key: cityCode,
    before,
    after: basemap,
  });
  return { basemap, before };
}
