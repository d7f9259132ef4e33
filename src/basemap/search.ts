import { ringCentroid } from '../places/index.js';
import type { Basemap, BasemapFeature, Position } from './types.js';

/** What a search hit is: a road (its ways merged by name), a place or point of interest, a green area, water. */
export type PlaceKind = 'road' | 'place' | 'green' | 'water';

export interface PlaceHit {
  kind: PlaceKind;
  /** The feature's class as in the tiles (rules.ts): `major` … `path` for roads; `park`, `river`, `suburb`, `school` … */
  class: string;
  name: string;
  /** A representative point: the middle of a road's longest way, an area's centroid, the point itself. */
  lon: number;
  lat: number;
  /** [west, south, east, north] of everything under this name (all the ways of a road). */
  bbox: [number, number, number, number];
}

/** When a road has ways of several classes, the hit takes the highest. */
const ROAD_RANK = ['major', 'secondary', 'tertiary', 'minor', 'path'];
/** Between equally good matches: places first, then roads, parks, water. */
const KIND_ORDER: readonly PlaceKind[] = ['place', 'road', 'green', 'water'];

interface Entry extends PlaceHit {
  /** The name in lower case, and its length in characters (code points), for matching and ranking. */
  key: string;
  length: number;
}

/**
 * The basemap's named features, searchable by name: roads, green areas and water merged by name (one hit per
 * name, with the box of all its parts and the class of its largest or highest part), places and points of
 * interest one by one. Built once per basemap.
 */
export class PlaceIndex {
  private readonly entries: Entry[] = [];

  constructor(basemap: Basemap) {
    for (const f of basemap.layers.places)
      if (f.name && f.geometry.type === 'Point') {
        const [lon, lat] = f.geometry.coordinates;
        this.entries.push({
          kind: 'place',
          class: f.class,
          name: f.name,
          lon,
          lat,
          bbox: [lon, lat, lon, lat],
          ...keyOf(f.name),
        });
      }
    this.merge(
      'road',
      basemap.layers.roads,
      (a, b) => ROAD_RANK.indexOf(a.class) - ROAD_RANK.indexOf(b.class),
    );
    this.merge('green', basemap.layers.green, largestFirst);
    this.merge('water', basemap.layers.water, largestFirst);
  }

  get size(): number {
    return this.entries.length;
  }

  /**
   * Hits whose name contains `query` (case-insensitive): names that start with it first, then shorter names,
   * then places before roads, parks and water, then by name. At most `limit`.
   */
  search(query: string, limit: number): PlaceHit[] {
    const q = query.trim().toLowerCase();
    if (!q) return [];
    const hits: { entry: Entry; prefix: boolean }[] = [];
    for (const entry of this.entries) {
      const at = entry.key.indexOf(q);
      if (at >= 0) hits.push({ entry, prefix: at === 0 });
    }
    hits.sort(
      (a, b) =>
        Number(b.prefix) - Number(a.prefix) ||
        a.entry.length - b.entry.length ||
        KIND_ORDER.indexOf(a.entry.kind) - KIND_ORDER.indexOf(b.entry.kind) ||
        (a.entry.name < b.entry.name ? -1 : a.entry.name > b.entry.name ? 1 : 0) ||
        a.entry.lon - b.entry.lon ||
        a.entry.lat - b.entry.lat,
    );
    return hits.slice(0, limit).map(({ entry }) => ({
      kind: entry.kind,
      class: entry.class,
      name: entry.name,
      lon: entry.lon,
      lat: entry.lat,
      bbox: entry.bbox,
    }));
  }

  /** Named features of a layer, one entry per name; `better` orders the parts, the first gives class and point. */
  private merge(
    kind: PlaceKind,
    features: readonly BasemapFeature[],
    better: (a: BasemapFeature, b: BasemapFeature) => number,
  ): void {
    const byName = new Map<string, BasemapFeature[]>();
    for (const f of features) {
      if (!f.name) continue;
      const parts = byName.get(f.name);
      if (parts) parts.push(f);
      else byName.set(f.name, [f]);
    }
    for (const [name, parts] of byName) {
      const box: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
      for (const part of parts) extend(box, part.geometry.coordinates);
      // Among parts of the same rank, the longest line or largest area gives the point.
      const best = [...parts].sort((a, b) => better(a, b) || size(b) - size(a))[0];
      const [lon, lat] = pointOf(best);
      this.entries.push({ kind, class: best.class, name, lon, lat, bbox: box, ...keyOf(name) });
    }
  }
}

const keyOf = (name: string): Pick<Entry, 'key' | 'length'> => ({
  key: name.toLowerCase(),
  length: [...name].length,
});

/** Parts with areas before lines, larger before smaller. */
const largestFirst = (a: BasemapFeature, b: BasemapFeature): number =>
  Number(b.geometry.type === 'MultiPolygon') - Number(a.geometry.type === 'MultiPolygon');

function extend(box: [number, number, number, number], c: unknown): void {
  if (typeof (c as number[])[0] === 'number') {
    const [x, y] = c as Position;
    box[0] = Math.min(box[0], x);
    box[1] = Math.min(box[1], y);
    box[2] = Math.max(box[2], x);
    box[3] = Math.max(box[3], y);
  } else for (const child of c as unknown[]) extend(box, child);
}

/** Planar length of a line in degrees (longitude shrunk by the latitude's cosine): for comparing only. */
function lineLength(line: readonly Position[]): number {
  let length = 0;
  for (let i = 1; i < line.length; i++) {
    const k = Math.cos((line[i][1] * Math.PI) / 180);
    length += Math.hypot((line[i][0] - line[i - 1][0]) * k, line[i][1] - line[i - 1][1]);
  }
  return length;
}

/** Planar area of a ring in square degrees (shoelace), for comparing only. */
function ringArea(ring: readonly Position[]): number {
  let twice = 0;
  for (let i = 1; i < ring.length; i++) twice += ring[i - 1][0] * ring[i][1] - ring[i][0] * ring[i - 1][1];
  return Math.abs(twice) / 2;
}

function size(f: BasemapFeature): number {
  const g = f.geometry;
  if (g.type === 'MultiLineString') return Math.max(...g.coordinates.map(lineLength));
  if (g.type === 'MultiPolygon') return Math.max(...g.coordinates.map((polygon) => ringArea(polygon[0])));
  return 0;
}

/** The middle (by length) of the longest line; the centroid of the largest outer ring; the point itself. */
function pointOf(f: BasemapFeature): Position {
  const g = f.geometry;
  if (g.type === 'Point') return g.coordinates;
  if (g.type === 'MultiPolygon') {
    const outer = [...g.coordinates].sort((a, b) => ringArea(b[0]) - ringArea(a[0]))[0][0];
    const [lon, lat] = ringCentroid(outer);
    return [Math.round(lon * 1e6) / 1e6, Math.round(lat * 1e6) / 1e6];
  }
  const line = [...g.coordinates].sort((a, b) => lineLength(b) - lineLength(a))[0];
  const half = lineLength(line) / 2;
  let walked = 0;
  for (let i = 1; i < line.length; i++) {
    const step = lineLength([line[i - 1], line[i]]);
    if (walked + step >= half && step > 0) {
      const t = (half - walked) / step;
      const lon = line[i - 1][0] + t * (line[i][0] - line[i - 1][0]);
      const lat = line[i - 1][1] + t * (line[i][1] - line[i - 1][1]);
      return [Math.round(lon * 1e6) / 1e6, Math.round(lat * 1e6) / 1e6];
    }
    walked += step;
  }
  return line[0];
}
