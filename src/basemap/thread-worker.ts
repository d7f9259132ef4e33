import type { MessagePort } from 'node:worker_threads';
import { isLifeCircleError } from '../errors.js';
import { decodeBasemap } from './encode.js';
import type { PlaceHit, PlaceIndex } from './search.js';
import { BasemapTiles } from './tiles.js';
import type { Basemap } from './types.js';

/**
 * What the server's thread asks the basemap thread. `key` names one StoredBasemap of the process; a tile or search
 * carries the SHA-256 of the basemap it expects, which the `load` before it (messages keep their order) delivered.
 */
export type ThreadRequest =
  | { type: 'load'; key: string; sha256: string; what: string; data: Uint8Array }
  | { type: 'drop'; key: string }
  | { type: 'tile'; id: number; key: string; sha256: string; z: number; x: number; y: number }
  | { type: 'search'; id: number; key: string; sha256: string; query: string; limit: number };

/** The answer to a tile or search request, or its error as code and message (a LifeCircleError's). */
export type ThreadReply =
  | { id: number; type: 'tile'; tile: Uint8Array | null }
  | { id: number; type: 'search'; hits: PlaceHit[] }
  | { id: number; type: 'error'; code: string; message: string };

/** One key's basemap: decoded with its tiles, the place index made on the first search; or why it could not be. */
type Shown =
  | { sha256: string; basemap: Basemap; tiles: BasemapTiles; places?: PlaceIndex }
  | { sha256: string; failed: { code: string; message: string } };

/**
 * The basemap thread's state: the decoded basemaps and their geojson-vt indexes, so neither decoding (~0.4 s for
 * Porto's 1.7 MB) nor indexing (~0.3 s a layer) runs on the server's event loop.
 */
export class ThreadBasemaps {
  private readonly shown = new Map<string, Shown>();

  /** The reply to a request and the buffers to transfer with it; null for `load` and `drop`, which need none. */
  async answer(request: ThreadRequest): Promise<{ reply: ThreadReply; transfer: ArrayBuffer[] } | null> {
    switch (request.type) {
      case 'load':
        this.shown.set(request.key, load(request.data, request.sha256, request.what));
        return null;
      case 'drop':
        this.shown.delete(request.key);
        return null;
      case 'tile':
      case 'search':
        try {
          const shown = this.shown.get(request.key);
          if (!shown || shown.sha256 !== request.sha256)
            throw new Error(`basemap ${request.key} ${request.sha256.slice(0, 12)}… was never loaded`);
          if ('failed' in shown)
            return { reply: { id: request.id, type: 'error', ...shown.failed }, transfer: [] };
          if (request.type === 'search') {
            // Loaded on the first search: src/places, which it needs, takes a third of a second to load, which
            // the thread's first tile need not wait for.
            shown.places ??= new (await import('./search.js')).PlaceIndex(shown.basemap);
            return {
              reply: {
                id: request.id,
                type: 'search',
                hits: shown.places.search(request.query, request.limit),
              },
              transfer: [],
            };
          }
          const kept = shown.tiles.tile(request.z, request.x, request.y);
          // BasemapTiles keeps the tile: send a copy of it, whose buffer moves to the server's thread uncopied.
          const tile = kept && kept.slice();
          return { reply: { id: request.id, type: 'tile', tile }, transfer: tile ? [tile.buffer] : [] };
        } catch (error) {
          return { reply: { id: request.id, type: 'error', ...codeOf(error) }, transfer: [] };
        }
    }
  }
}

function load(data: Uint8Array, sha256: string, what: string): Shown {
  try {
    const basemap = decodeBasemap(data, sha256, what);
    return { sha256, basemap, tiles: new BasemapTiles(basemap) };
  } catch (error) {
    // Kept: every request for these bytes gets the same answer (LC_BASEMAP_FORMAT) until others are loaded.
    return { sha256, failed: codeOf(error) };
  }
}

function codeOf(error: unknown): { code: string; message: string } {
  if (isLifeCircleError(error)) return { code: error.code, message: error.message };
  return {
    code: 'LC_INTERNAL',
    message: `the basemap thread failed: ${error instanceof Error ? error.message : String(error)}`,
  };
}

/** Answers the requests arriving on `port` (the worker's parentPort) from `basemaps`, one after another. */
export function serveBasemaps(port: MessagePort, basemaps = new ThreadBasemaps()): void {
  let previous = Promise.resolve();
  port.on('message', (request: ThreadRequest) => {
    // In order: a search waiting for its module must not let a later `load` replace the basemap under it.
    previous = previous.then(async () => {
      const answer = await basemaps.answer(request);
      if (answer) port.postMessage(answer.reply, answer.transfer);
    });
  });
}
