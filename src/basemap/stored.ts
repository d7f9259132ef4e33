import { createHash } from 'node:crypto';
import type { CityBasemap, StoreRepositories } from '../store/index.js';
import type { PlaceHit } from './search.js';
import { sharedBasemapThread, type BasemapThread, type ThreadBasemap } from './thread.js';

/** How long the city's basemap record is trusted before the store is asked again (another server may replace it). */
const RECHECK_MS = 10_000;

/** Numbers the instances, so two of the same city in one process (tests, benchmarks) keep apart in the thread. */
let instances = 0;

/**
 * A city's basemap as a server shows it: read from the store on first use and handed to the process's basemap
 * thread (BasemapThread), which decodes it and cuts its tiles and searches its names off the event loop. The
 * record is looked up again at most every ten seconds, and a replaced basemap (a new import of the city's extract,
 * here or on another server) is read anew and sent to the thread in place of the old. A city without one answers
 * null and no hits, so the map says so (`MapSummary.basemap`).
 */
export class StoredBasemap {
  private checked: { at: number; record: Promise<CityBasemap | null> } | undefined;
  /** The stored bytes, kept to send again to a restarted thread. */
  private loaded: { sha256: string; value: Promise<ThreadBasemap> } | undefined;
  private readonly key: string;

  constructor(
    private readonly store: Pick<StoreRepositories, 'cityBasemaps'>,
    readonly cityCode: string,
    private readonly options: { recheckMs?: number; now?: () => number; thread?: BasemapThread } = {},
  ) {
    this.key = `${cityCode}#${++instances}`;
  }

  /** The city's basemap record (without its layers), or null when it has none. */
  record(): Promise<CityBasemap | null> {
    const now = (this.options.now ?? Date.now)();
    if (!this.checked || now - this.checked.at >= (this.options.recheckMs ?? RECHECK_MS)) {
      const record = this.store.cityBasemaps.get(this.cityCode);
      // A failed look-up is not kept: the next call asks again.
      record.catch(() => (this.checked = undefined));
      this.checked = { at: now, record };
    }
    return this.checked.record;
  }

  /** The tile z/x/y (layers water, green, buildings, roads, places); null when empty or the city has no basemap. */
  async tile(z: number, x: number, y: number): Promise<Uint8Array | null> {
    const basemap = await this.current();
    return basemap ? this.thread.tile(basemap, z, x, y) : null;
  }

  /** Named features matching `query` (PlaceIndex.search); none when the city has no basemap. */
  async search(query: string, limit: number): Promise<PlaceHit[]> {
    const basemap = await this.current();
    return basemap ? this.thread.search(basemap, query, limit) : [];
  }

  private get thread(): BasemapThread {
    return this.options.thread ?? sharedBasemapThread();
  }

  private async current(): Promise<ThreadBasemap | null> {
    const record = await this.record();
    if (!record) {
      if (this.loaded) this.thread.drop(this.key);
      this.loaded = undefined;
      return null;
    }
    if (this.loaded?.sha256 !== record.sha256) {
      const value = this.load(record);
      value.catch(() => (this.loaded = undefined));
      this.loaded = { sha256: record.sha256, value };
    }
    return this.loaded.value;
  }

  private async load(record: CityBasemap): Promise<ThreadBasemap> {
    const data = (await this.store.cityBasemaps.data(this.cityCode)) ?? new Uint8Array();
    let current = record;
    if (createHash('sha256').update(data).digest('hex') !== record.sha256) {
      // Replaced between the two reads (another server's import): the newer record describes these bytes.
      const fresh = await this.store.cityBasemaps.get(this.cityCode);
      if (fresh && fresh.sha256 !== record.sha256) {
        current = fresh;
        this.checked = { at: (this.options.now ?? Date.now)(), record: Promise.resolve(fresh) };
      }
    }
    // Decoded by the thread, which checks the SHA-256 and the format (LC_BASEMAP_FORMAT naming `what`).
    const what = `the basemap of city ${this.cityCode} (${current.fileName})`;
    return { key: this.key, sha256: current.sha256, what, data };
  }
}
