import GeoJSONVT from 'geojson-vt';
import vtpbf from 'vt-pbf';
import type { FeatureCollection } from 'geojson';

/** The map layers served as Mapbox Vector Tiles (spec 2.1), each tile holding one layer of that name. */
export const TILE_LAYERS = ['streets', 'communities', 'facilities'] as const;
export type TileLayer = (typeof TILE_LAYERS)[number];

/** Deepest zoom with its own tiles; MapLibre over-zooms beyond it. Street detail needs no more than 16. */
export const TILE_MAX_ZOOM = 16;

/**
 * Vector tiles cut from the layers' GeoJSON (geojson-vt) and encoded as protobuf (vt-pbf): the browser fetches
 * only the tiles in view, so a city of a million street segments or 150,000 outlets draws without sending it
 * all. One tile index per layer, rebuilt when its collection changes (a new evaluation, a register edit); the
 * index cuts tiles on demand below zoom 5 and keeps them.
 */
/** Encoded tiles kept per layer (the most recently used), so a tile in demand is cut and encoded once. */
const ENCODED_PER_LAYER = 4096;

export class VectorTiles {
  private readonly indexes = new Map<
    TileLayer,
    { source: FeatureCollection; index: GeoJSONVT; encoded: Map<string, Uint8Array | null> }
  >();

  /** The tile z/x/y of `layer` drawn from `source`; null when the tile holds nothing. */
  tile(layer: TileLayer, source: FeatureCollection, z: number, x: number, y: number): Uint8Array | null {
    let entry = this.indexes.get(layer);
    if (!entry || entry.source !== source) {
      entry = {
        source,
        encoded: new Map(),
        index: new GeoJSONVT(source, {
          maxZoom: TILE_MAX_ZOOM,
          // Streets are drawn, never queried: a coarser simplification keeps their tiles small.
          tolerance: layer === 'streets' ? 3 : 1,
          extent: 4096,
          buffer: 64,
        }),
      };
      this.indexes.set(layer, entry);
    }
    const key = `${z}/${x}/${y}`;
    const cached = entry.encoded.get(key);
    if (cached !== undefined) {
      // Map keeps insertion order: re-inserting marks the tile as recently used.
      entry.encoded.delete(key);
      entry.encoded.set(key, cached);
      return cached;
    }
    const tile = entry.index.getTile(z, x, y);
    const encoded =
      tile && tile.features.length > 0
        ? vtpbf.fromGeojsonVt({ [layer]: tile }, { version: 2, extent: 4096 })
        : null;
    entry.encoded.set(key, encoded);
    if (entry.encoded.size > ENCODED_PER_LAYER)
      entry.encoded.delete(entry.encoded.keys().next().value as string);
    return encoded;
  }
}
