import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
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
 * Share of a district's area that lies inside a lon/lat box, estimated on a regular grid of `steps`² points over
 * the district's bounding box (equal-angle cells; their area varies by < 0.1 % across a district).
 */
export function shareInside(
  district: District,
  box: readonly [number, number, number, number],
  steps = 200,
): number {
  const [x0, y0, x1, y1] = district.bbox;
  let inDistrict = 0;
  let inBoth = 0;
  for (let i = 0; i < steps; i++) {
    const lon = x0 + ((i + 0.5) / steps) * (x1 - x0);
    for (let j = 0; j < steps; j++) {
      const lat = y0 + ((j + 0.5) / steps) * (y1 - y0);
      if (!booleanPointInPolygon([lon, lat], district.geometry)) continue;
      inDistrict++;
      if (lon >= box[0] && lon <= box[2] && lat >= box[1] && lat <= box[3]) inBoth++;
    }
  }
  return inDistrict > 0 ? inBoth / inDistrict : 0;
}
