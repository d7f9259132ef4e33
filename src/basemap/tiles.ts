import GeoJSONVT, { type LegacyTile } from 'geojson-vt';
import vtpbf from 'vt-pbf';
import type { Feature, FeatureCollection } from 'geojson';
import { BASEMAP_LAYERS, DETAIL_ROAD_CLASSES, PLACE_CLASSES, type BasemapLayer } from './rules.js';
import type { Basemap, BasemapFeature } from './types.js';

/** Deepest zoom with its own tiles, as the map's other layers; clients over-zoom beyond (source maxzoom 16). */
export const BASEMAP_MAX_ZOOM = 16;

/**
 * From which zoom each part of a layer is in the tiles: buildings from 14, minor roads and paths from 13, points of
 * interest from 14; everything else (water, green, major to tertiary roads, settlements) at every zoom. Small
 * areas and short lines vanish at low zooms anyway (geojson-vt drops what is below its tolerance).
 */
export const BASEMAP_MIN_ZOOMS = { buildings: 14, detailRoads: 13, pointsOfInterest: 14 } as const;

/** One geojson-vt index: a part of a layer with the zoom it starts at. */
interface Part {
  layer: BasemapLayer;
  minZoom: number;
  source: FeatureCollection;
  index?: GeoJSONVT;
}

/** Encoded tiles kept (the most recently used), so a tile in demand is cut and encoded once. */
const ENCODED_TILES = 4096;

/**
 * The basemap as Mapbox Vector Tiles (spec 2.1): one tile holds the layers water, green, buildings, roads and
 * places, each cut by geojson-vt from its features (the index of a part is built on the first tile that needs it,
 * so the buildings' only when a tile of zoom 14 is asked for) and encoded together by vt-pbf.
 */
export class BasemapTiles {
  private readonly parts: Part[];
  private readonly encoded = new Map<string, Uint8Array | null>();

  constructor(basemap: Basemap) {
    const part = (layer: BasemapLayer, minZoom: number, features: readonly BasemapFeature[]): Part => ({
      layer,
      minZoom,
      source: { type: 'FeatureCollection', features: features.map(toGeoJson) },
    });
    const { roads, places } = basemap.layers;
    this.parts = [
      part('water', 0, basemap.layers.water),
      part('green', 0, basemap.layers.green),
      part('buildings', BASEMAP_MIN_ZOOMS.buildings, basemap.layers.buildings),
      part(
        'roads',
        0,
        roads.filter((f) => !DETAIL_ROAD_CLASSES.has(f.class)),
      ),
      part(
        'roads',
        BASEMAP_MIN_ZOOMS.detailRoads,
        roads.filter((f) => DETAIL_ROAD_CLASSES.has(f.class)),
      ),
      part(
        'places',
        0,
        places.filter((f) => PLACE_CLASSES.has(f.class)),
      ),
      part(
        'places',
        BASEMAP_MIN_ZOOMS.pointsOfInterest,
        places.filter((f) => !PLACE_CLASSES.has(f.class)),
      ),
    ].filter((p) => p.source.features.length > 0);
  }

  /** The tile z/x/y with every layer that has something in it; null when none has. */
  tile(z: number, x: number, y: number): Uint8Array | null {
    const key = `${z}/${x}/${y}`;
    const cached = this.encoded.get(key);
    if (cached !== undefined) {
      // Map keeps insertion order: re-inserting marks the tile as recently used.
      this.encoded.delete(key);
      this.encoded.set(key, cached);
      return cached;
    }
    const layers: Partial<Record<BasemapLayer, LegacyTile>> = {};
    for (const part of this.parts) {
      if (z < part.minZoom) continue;
      part.index ??= new GeoJSONVT(part.source, {
        maxZoom: BASEMAP_MAX_ZOOM,
        tolerance: 3,
        extent: 4096,
        buffer: 64,
      });
      const tile = part.index.getTile(z, x, y);
      if (!tile || tile.features.length === 0) continue;
      const held = layers[part.layer];
      layers[part.layer] = held ? { features: [...held.features, ...tile.features] } : tile;
    }
    // In drawing order, so a client that draws layers as they come gets water under roads.
    const ordered = Object.fromEntries(
      BASEMAP_LAYERS.filter((l) => layers[l]).map((l) => [l, layers[l] as LegacyTile]),
    );
    const encoded =
      Object.keys(ordered).length > 0 ? vtpbf.fromGeojsonVt(ordered, { version: 2, extent: 4096 }) : null;
    this.encoded.set(key, encoded);
    if (this.encoded.size > ENCODED_TILES) this.encoded.delete(this.encoded.keys().next().value as string);
    return encoded;
  }
}

/** A feature as the tile carries it: `class`, `name` when known, `bridge`/`tunnel` only when true. */
function toGeoJson(f: BasemapFeature): Feature {
  const properties: Record<string, string | boolean> = { class: f.class };
  if (f.name) properties.name = f.name;
  if (f.bridge) properties.bridge = true;
  if (f.tunnel) properties.tunnel = true;
  return { type: 'Feature', properties, geometry: f.geometry };
}
