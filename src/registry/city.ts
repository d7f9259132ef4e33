import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LifeCircleError } from '../errors.js';
import { bundledDataDir } from '../store/index.js';

/** A city the platform is set up for, with the box imported coordinates must fall in (WGS-84). */
export interface CityExtent {
  code: string;
  name: string;
  /** [west, south, east, north] */
  bbox: [number, number, number, number];
}

/** The bundled extents of the four seed cities (data/divisions/city-bboxes.json, sources in its SOURCE.md). */
export function bundledCityExtents(): CityExtent[] {
  const doc = JSON.parse(readFileSync(join(bundledDataDir(), 'divisions', 'city-bboxes.json'), 'utf8')) as {
    cities: Record<string, { name: string; bbox: [number, number, number, number] }>;
  };
  return Object.entries(doc.cities).map(([code, { name, bbox }]) => ({ code, name, bbox }));
}

export function cityExtent(code: string): CityExtent {
  const all = bundledCityExtents();
  const city = all.find((c) => c.code === code);
  if (!city)
    throw new LifeCircleError(
      'LC_USAGE',
      `city ${code} is not set up; known cities: ${all.map((c) => `${c.code} ${c.name}`).join(', ')}`,
    );
  return city;
}

export function insideExtent(city: CityExtent, lon: number, lat: number): boolean {
  const [w, s, e, n] = city.bbox;
  return lon >= w && lon <= e && lat >= s && lat <= n;
}
