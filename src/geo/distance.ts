/** Mean Earth radius in metres (IUGG), the one used by Turf and most web-mapping code. */
export const EARTH_RADIUS_M = 6371008.8;

const RAD = Math.PI / 180;

/** Great-circle (haversine) distance in metres between two WGS-84 points. */
export function haversineM(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const dLat = (lat2 - lat1) * RAD;
  const dLon = (lon2 - lon1) * RAD;
  const s = Math.sin(dLat / 2);
  const t = Math.sin(dLon / 2);
  const a = s * s + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * t * t;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}

/**
 * A local equirectangular projection to metres around a reference latitude.
 *
 * Used for nearest-segment geometry (snapping) where only relative distances inside a city matter; over
 * 50 km its distortion stays below 0.1 %. Reported distances are always recomputed with haversine.
 */
export interface LocalProjection {
  readonly lon0: number;
  readonly lat0: number;
  readonly metresPerDegreeLon: number;
  readonly metresPerDegreeLat: number;
}

export function localProjection(lon0: number, lat0: number): LocalProjection {
  const metresPerDegreeLat = EARTH_RADIUS_M * RAD;
  return { lon0, lat0, metresPerDegreeLat, metresPerDegreeLon: metresPerDegreeLat * Math.cos(lat0 * RAD) };
}

export function projectX(p: LocalProjection, lon: number): number {
  return (lon - p.lon0) * p.metresPerDegreeLon;
}

export function projectY(p: LocalProjection, lat: number): number {
  return (lat - p.lat0) * p.metresPerDegreeLat;
}

export function unprojectLon(p: LocalProjection, x: number): number {
  return p.lon0 + x / p.metresPerDegreeLon;
}

export function unprojectLat(p: LocalProjection, y: number): number {
  return p.lat0 + y / p.metresPerDegreeLat;
}
