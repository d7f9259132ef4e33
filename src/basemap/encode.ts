import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { LifeCircleError } from '../errors.js';
import { BASEMAP_LAYERS, type BasemapLayer } from './rules.js';
import type { Basemap, BasemapFeature, BasemapGeometry, Position } from './types.js';

/**
 * How a basemap is kept in the store (`city_basemaps.data`): gzip'd JSON
 *
 *     { "format": "lifecircle-basemap/1", "scale": 1000000, "bbox": [w, s, e, n] | null,
 *       "layers": { "water": [feature, …], "green": […], "buildings": […], "roads": […], "places": […] } }
 *
 * where each feature is the array `[geometryType, class, name, flags, coordinates]`: geometry type 1 point,
 * 2 multi-line, 3 multipolygon (as in the vector tile spec); name '' when none; flags 1 bridge, 2 tunnel;
 * coordinates as integers of 1e-6° (`scale`), the first position absolute and every later one (across the lines or
 * rings of the feature, in order) the difference from the one before: a point `[x, y]`, a multi-line `[[x, y, dx,
 * dy, …], …]`, a multipolygon `[[[x, y, dx, dy, …] ring, …] polygon, …]`. Small numbers repeat, so gzip packs them
 * well. A new layout gets a new format name; `decodeBasemap` refuses any other.
 */
export const BASEMAP_FORMAT = 'lifecircle-basemap/1';
const SCALE = 1e6;
const BRIDGE = 1;
const TUNNEL = 2;

type EncodedFeature = [1 | 2 | 3, string, string, number, unknown];
interface EncodedBasemap {
  format: string;
  scale: number;
  bbox: [number, number, number, number] | null;
  layers: Record<BasemapLayer, EncodedFeature[]>;
}

export interface EncodedBasemapBytes {
  data: Uint8Array;
  format: string;
  sha256: string;
}

/** A basemap as the bytes the store keeps, with their format name and SHA-256. */
export function encodeBasemap(basemap: Basemap): EncodedBasemapBytes {
  const layers = {} as Record<BasemapLayer, EncodedFeature[]>;
  for (const layer of BASEMAP_LAYERS) layers[layer] = basemap.layers[layer].map(encodeFeature);
  const document: EncodedBasemap = { format: BASEMAP_FORMAT, scale: SCALE, bbox: basemap.bbox, layers };
  const data = gzipSync(JSON.stringify(document), { level: 9 });
  return {
    data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    format: BASEMAP_FORMAT,
    sha256: createHash('sha256').update(data).digest('hex'),
  };
}

function encodeFeature(f: BasemapFeature): EncodedFeature {
  const flags = (f.bridge ? BRIDGE : 0) | (f.tunnel ? TUNNEL : 0);
  const cursor = { x: 0, y: 0 };
  const flat = (positions: readonly Position[]): number[] => {
    const out: number[] = [];
    for (const [lon, lat] of positions) {
      const x = Math.round(lon * SCALE);
      const y = Math.round(lat * SCALE);
      out.push(x - cursor.x, y - cursor.y);
      cursor.x = x;
      cursor.y = y;
    }
    return out;
  };
  const g = f.geometry;
  const name = f.name ?? '';
  switch (g.type) {
    case 'Point':
      return [1, f.class, name, flags, flat([g.coordinates])];
    case 'MultiLineString':
      return [2, f.class, name, flags, g.coordinates.map(flat)];
    case 'MultiPolygon':
      return [3, f.class, name, flags, g.coordinates.map((polygon) => polygon.map(flat))];
  }
}

/**
 * The stored bytes back as a basemap: their SHA-256 checked against the record's, the format name against this
 * build's. Anything else is LC_BASEMAP_FORMAT naming `what` (e.g. "the basemap of city 5101").
 */
export function decodeBasemap(data: Uint8Array, sha256: string, what: string): Basemap {
  const fail = (reason: string, cause?: unknown): never => {
    throw new LifeCircleError(
      'LC_BASEMAP_FORMAT',
      `${what}: ${reason}; import the city's OSM extract again`,
      {
        cause,
      },
    );
  };
  const actual = createHash('sha256').update(data).digest('hex');
  if (actual !== sha256)
    fail(`the stored bytes are corrupt (sha256 ${actual.slice(0, 12)}…, recorded ${sha256.slice(0, 12)}…)`);
  let document: EncodedBasemap;
  try {
    document = JSON.parse(gunzipSync(data).toString('utf8')) as EncodedBasemap;
  } catch (error) {
    return fail('not gzip’d JSON', error);
  }
  if (document?.format !== BASEMAP_FORMAT)
    fail(`format ${JSON.stringify(document?.format)}, this build reads ${BASEMAP_FORMAT}`);
  const scale = document.scale;
  const layers = {} as Basemap['layers'];
  try {
    for (const layer of BASEMAP_LAYERS)
      layers[layer] = (document.layers[layer] ?? []).map((f) => decodeFeature(f, scale));
  } catch (error) {
    fail(`a feature is malformed (${(error as Error).message})`, error);
  }
  return {
    layers,
    bbox: document.bbox,
    counts: {
      water: layers.water.length,
      green: layers.green.length,
      buildings: layers.buildings.length,
      roads: layers.roads.length,
      places: layers.places.length,
    },
  };
}

function decodeFeature([type, cls, name, flags, coordinates]: EncodedFeature, scale: number): BasemapFeature {
  const cursor = { x: 0, y: 0 };
  const positions = (flat: unknown): Position[] => {
    if (!Array.isArray(flat) || flat.length % 2 !== 0) throw new Error('coordinates are not pairs');
    const out: Position[] = [];
    for (let i = 0; i < flat.length; i += 2) {
      cursor.x += flat[i] as number;
      cursor.y += flat[i + 1] as number;
      out.push([cursor.x / scale, cursor.y / scale]);
    }
    return out;
  };
  let geometry: BasemapGeometry;
  if (type === 1) geometry = { type: 'Point', coordinates: positions(coordinates)[0] };
  else if (type === 2)
    geometry = { type: 'MultiLineString', coordinates: (coordinates as unknown[]).map(positions) };
  else if (type === 3)
    geometry = {
      type: 'MultiPolygon',
      coordinates: (coordinates as unknown[][]).map((polygon) => polygon.map(positions)),
    };
  else throw new Error(`geometry type ${String(type)}`);
  const feature: BasemapFeature = { class: cls, geometry };
  if (name) feature.name = name;
  if (flags & BRIDGE) feature.bridge = true;
  if (flags & TUNNEL) feature.tunnel = true;
  return feature;
}
