import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import area from '@turf/area';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import type { MultiPolygon, Polygon } from 'geojson';
import { LifeCircleError } from '../errors.js';

export interface District {
  readonly name: string;
  readonly geometry: Polygon | MultiPolygon;
  /** [minLon, minLat, maxLon, maxLat]. */
  readonly bbox: readonly [number, number, number, number];
}

/** Chengdu's district outlines (coarse, ~100 m; see data/boundaries/SOURCE.md). */
export const BUNDLED_DISTRICTS = fileURLToPath(
  new URL('../../../data/boundaries/chengdu-districts.geojson', import.meta.url),
);

export function readDistricts(path: string = BUNDLED_DISTRICTS): District[] {
  let parsed: { features?: { properties?: { name?: string }; geometry?: Polygon | MultiPolygon }[] };
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new LifeCircleError('LC_FILE_NOT_FOUND', `district boundaries ${path} cannot be read as GeoJSON`);
  }
  const districts: District[] = [];
  for (const f of parsed.features ?? []) {
    const g = f.geometry;
    const name = f.properties?.name;
    if (!name || !g || (g.type !== 'Polygon' && g.type !== 'MultiPolygon') || g.coordinates.length === 0)
      continue;
    const points = (g.type === 'Polygon' ? [g.coordinates] : g.coordinates).flat(2);
    const lons = points.map((p) => p[0]);
    const lats = points.map((p) => p[1]);
    districts.push({
      name,
      geometry: g,
      bbox: [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)],
    });
  }
  return districts;
}

/** The district containing a point, or undefined. */
export function districtAt(districts: readonly District[], lon: number, lat: number): District | undefined {
  return districts.find(
    (d) =>
      lon >= d.bbox[0] &&
      lon <= d.bbox[2] &&
      lat >= d.bbox[1] &&
      lat <= d.bbox[3] &&
      booleanPointInPolygon([lon, lat], d.geometry),
  );
}

/**
 * Share of a district's area that lies inside a lon/lat box: the part of the box inside the district is counted
 * on a `steps`² grid over box ∩ district bounding box (equal-angle cells, area varying < 0.1 % over a city) and
 * divided by the district's area (Turf, spherical).
 */
export function shareInside(
  district: District,
  box: readonly [number, number, number, number],
  steps = 80,
): number {
  const x0 = Math.max(box[0], district.bbox[0]);
  const y0 = Math.max(box[1], district.bbox[1]);
  const x1 = Math.min(box[2], district.bbox[2]);
  const y1 = Math.min(box[3], district.bbox[3]);
  if (x0 >= x1 || y0 >= y1) return 0;
  let inside = 0;
  for (let i = 0; i < steps; i++) {
    const lon = x0 + ((i + 0.5) / steps) * (x1 - x0);
    for (let j = 0; j < steps; j++) {
      const lat = y0 + ((j + 0.5) / steps) * (y1 - y0);
      if (booleanPointInPolygon([lon, lat], district.geometry)) inside++;
    }
  }
  const boxArea = area(bboxPolygon([x0, y0, x1, y1]));
  return Math.min(1, ((inside / (steps * steps)) * boxArea) / area(district.geometry));
}

function bboxPolygon([x0, y0, x1, y1]: readonly number[]): Polygon {
  return {
    type: 'Polygon',
    coordinates: [
      [
        [x0, y0],
        [x1, y0],
        [x1, y1],
        [x0, y1],
        [x0, y0],
      ],
    ],
  };
}
