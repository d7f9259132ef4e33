import area from '@turf/area';
import { haversineM, localProjection, projectX, projectY } from '../geo/index.js';
import type { LonLat } from './types.js';

/** Area of a closed WGS-84 ring in m² (spherical, Turf). */
export function ringAreaM2(ring: readonly LonLat[]): number {
  return area({ type: 'Polygon', coordinates: [ring.map(([x, y]) => [x, y])] });
}

/** Area-weighted centroid of a ring (planar, local projection); the vertex mean for degenerate rings. */
export function ringCentroid(ring: readonly LonLat[]): LonLat {
  const p = localProjection(ring[0][0], ring[0][1]);
  let a = 0;
  let cx = 0;
  let cy = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    const x0 = projectX(p, ring[i][0]);
    const y0 = projectY(p, ring[i][1]);
    const x1 = projectX(p, ring[i + 1][0]);
    const y1 = projectY(p, ring[i + 1][1]);
    const cross = x0 * y1 - x1 * y0;
    a += cross;
    cx += (x0 + x1) * cross;
    cy += (y0 + y1) * cross;
  }
  if (Math.abs(a) < 1e-9) {
    const n = ring.length;
    return [ring.reduce((s, q) => s + q[0], 0) / n, ring.reduce((s, q) => s + q[1], 0) / n];
  }
  cx /= 3 * a;
  cy /= 3 * a;
  return [p.lon0 + cx / p.metresPerDegreeLon, p.lat0 + cy / p.metresPerDegreeLat];
}

/**
 * Points along a ring's boundary every `spacingM` metres (at least `min`, at most `max`, spread evenly),
 * starting at its first vertex: the gates through which residents leave a 小区 for the street.
 */
export function boundaryPoints(ring: readonly LonLat[], spacingM = 100, min = 4, max = 24): LonLat[] {
  const lengths: number[] = [];
  let perimeter = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    const d = haversineM(ring[i][0], ring[i][1], ring[i + 1][0], ring[i + 1][1]);
    lengths.push(d);
    perimeter += d;
  }
  if (perimeter === 0) return [ring[0]];
  const count = Math.max(min, Math.min(max, Math.round(perimeter / spacingM)));
  const step = perimeter / count;
  const points: LonLat[] = [];
  let segment = 0;
  let walked = 0;
  for (let k = 0; k < count; k++) {
    const target = k * step;
    while (segment < lengths.length - 1 && walked + lengths[segment] < target) walked += lengths[segment++];
    const t = lengths[segment] > 0 ? Math.min(1, (target - walked) / lengths[segment]) : 0;
    const [x0, y0] = ring[segment];
    const [x1, y1] = ring[segment + 1];
    points.push([x0 + t * (x1 - x0), y0 + t * (y1 - y0)]);
  }
  return points;
}
