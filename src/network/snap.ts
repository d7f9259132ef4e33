import Flatbush from 'flatbush';
import { haversineM, localProjection, projectX, projectY, type LocalProjection } from '../geo/index.js';
import type { WalkGraph } from './graph.js';
import type { NetworkLocation } from './search.js';

export interface SnapOptions {
  /** Points farther than this from every walkable edge are unreachable (metres; default 300). */
  readonly maxSnapDistanceM?: number;
  /**
   * Components with fewer nodes than this count as tiny disconnected fragments (default 50): a point whose
   * nearest edge lies on one snaps to the nearest edge of a larger component within reach, or is unreachable.
   */
  readonly minComponentNodes?: number;
}

export const DEFAULT_MAX_SNAP_DISTANCE_M = 300;
export const DEFAULT_MIN_COMPONENT_NODES = 50;

export interface SnappedPoint extends NetworkLocation {
  readonly status: 'snapped';
  /** Straight-line metres from the point to its place on the edge. */
  readonly distanceM: number;
  readonly lon: number;
  readonly lat: number;
  readonly component: number;
  /** True when a nearer edge on a tiny component was passed over for this one. */
  readonly passedTinyComponent: boolean;
}

export interface UnsnappedPoint {
  readonly status: 'too-far' | 'tiny-component';
  /** Straight-line metres to the nearest walkable edge (Infinity when none lies within the search radius). */
  readonly distanceM: number;
}

export type SnapResult = SnappedPoint | UnsnappedPoint;

export function isSnapped(result: SnapResult): result is SnappedPoint {
  return result.status === 'snapped';
}

interface Candidate {
  segment: number;
  distanceM: number;
  t: number;
}

/**
 * A packed Hilbert R-tree (Flatbush) over every segment of every edge's geometry, in a local metric projection,
 * so that points snap to the nearest place on an edge rather than to the nearest node.
 */
export class EdgeIndex {
  private readonly index: Flatbush;
  private readonly projection: LocalProjection;
  private readonly segmentEdge: Uint32Array;
  private readonly segmentPoint: Uint32Array;
  /** Metres from the edge's start to each geometry point (the same sums as edgeLength). */
  private readonly pointOffset: Float64Array;
  private readonly x: Float64Array;
  private readonly y: Float64Array;

  constructor(private readonly graph: WalkGraph) {
    const [minLon, minLat, maxLon, maxLat] = graph.meta.bbox;
    this.projection = localProjection((minLon + maxLon) / 2, (minLat + maxLat) / 2);
    const g = graph;
    const segmentCount = g.geometryPointCount - g.edgeCount;
    this.segmentEdge = new Uint32Array(segmentCount);
    this.segmentPoint = new Uint32Array(segmentCount);
    this.pointOffset = new Float64Array(g.geometryPointCount);
    this.x = new Float64Array(g.geometryPointCount);
    this.y = new Float64Array(g.geometryPointCount);
    for (let p = 0; p < g.geometryPointCount; p++) {
      this.x[p] = projectX(this.projection, g.geometryLon[p]);
      this.y[p] = projectY(this.projection, g.geometryLat[p]);
    }
    this.index = new Flatbush(Math.max(1, segmentCount));
    let s = 0;
    for (let e = 0; e < g.edgeCount; e++) {
      const first = g.edgeGeometryStart[e];
      const last = g.edgeGeometryStart[e + 1] - 1;
      let offset = 0;
      this.pointOffset[first] = 0;
      for (let p = first; p < last; p++) {
        offset += haversineM(g.geometryLon[p], g.geometryLat[p], g.geometryLon[p + 1], g.geometryLat[p + 1]);
        this.pointOffset[p + 1] = offset;
        this.segmentEdge[s] = e;
        this.segmentPoint[s] = p;
        const x0 = this.x[p];
        const y0 = this.y[p];
        const x1 = this.x[p + 1];
        const y1 = this.y[p + 1];
        this.index.add(Math.min(x0, x1), Math.min(y0, y1), Math.max(x0, x1), Math.max(y0, y1));
        s++;
      }
    }
    if (segmentCount === 0) this.index.add(0, 0, 0, 0);
    this.index.finish();
  }

  /** Snaps one WGS-84 point to the nearest walkable edge. */
  snap(lon: number, lat: number, options: SnapOptions = {}): SnapResult {
    const maxDistance = options.maxSnapDistanceM ?? DEFAULT_MAX_SNAP_DISTANCE_M;
    const minNodes = options.minComponentNodes ?? DEFAULT_MIN_COMPONENT_NODES;
    const px = projectX(this.projection, lon);
    const py = projectY(this.projection, lat);
    // Search a small box first: most points lie near a street, and a hit there settles it.
    let candidates = this.candidatesWithin(px, py, lon, lat, Math.min(50, maxDistance));
    let nearest = pickNearest(candidates, () => true);
    if (!nearest || nearest.distanceM > Math.min(50, maxDistance) || this.isTiny(nearest.segment, minNodes)) {
      candidates = this.candidatesWithin(px, py, lon, lat, maxDistance);
      nearest = pickNearest(candidates, () => true);
    }
    if (!nearest || nearest.distanceM > maxDistance) {
      return {
        status: 'too-far',
        distanceM: nearest?.distanceM ?? this.distanceToNearestEdge(px, py, lon, lat),
      };
    }
    let passedTinyComponent = false;
    if (this.isTiny(nearest.segment, minNodes)) {
      const onLarger = pickNearest(candidates, (c) => !this.isTiny(c.segment, minNodes));
      if (!onLarger || onLarger.distanceM > maxDistance)
        return { status: 'tiny-component', distanceM: nearest.distanceM };
      nearest = onLarger;
      passedTinyComponent = true;
    }
    return this.toSnapped(nearest, passedTinyComponent);
  }

  /** Snaps many points; results keep the input order (unreachable ones are reported, never dropped). */
  snapAll(points: ArrayLike<readonly [number, number]>, options: SnapOptions = {}): SnapResult[] {
    const results: SnapResult[] = new Array(points.length);
    for (let i = 0; i < points.length; i++) results[i] = this.snap(points[i][0], points[i][1], options);
    return results;
  }

  /** Beyond the snap radius: the exact distance to the nearest of the segments whose boxes are nearest. */
  private distanceToNearestEdge(px: number, py: number, lon: number, lat: number): number {
    let best = Infinity;
    for (const segment of this.index.neighbors(px, py, 16)) {
      best = Math.min(best, this.segmentCandidate(segment, px, py, lon, lat).distanceM);
    }
    return best;
  }

  private isTiny(segment: number, minNodes: number): boolean {
    const g = this.graph;
    const component = g.nodeComponent[g.edgeFrom[this.segmentEdge[segment]]];
    return g.componentNodeCount[component] < minNodes;
  }

  private candidatesWithin(px: number, py: number, lon: number, lat: number, radius: number): Candidate[] {
    const ids = this.index.search(px - radius, py - radius, px + radius, py + radius);
    return ids.map((segment) => this.segmentCandidate(segment, px, py, lon, lat));
  }

  private segmentCandidate(segment: number, px: number, py: number, lon: number, lat: number): Candidate {
    const g = this.graph;
    const p = this.segmentPoint[segment];
    const x0 = this.x[p];
    const y0 = this.y[p];
    const dx = this.x[p + 1] - x0;
    const dy = this.y[p + 1] - y0;
    const lengthSquared = dx * dx + dy * dy;
    let t = lengthSquared > 0 ? ((px - x0) * dx + (py - y0) * dy) / lengthSquared : 0;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    const lonOnEdge = g.geometryLon[p] + t * (g.geometryLon[p + 1] - g.geometryLon[p]);
    const latOnEdge = g.geometryLat[p] + t * (g.geometryLat[p + 1] - g.geometryLat[p]);
    return { segment, t, distanceM: haversineM(lon, lat, lonOnEdge, latOnEdge) };
  }

  private toSnapped(candidate: Candidate, passedTinyComponent: boolean): SnappedPoint {
    const g = this.graph;
    const p = this.segmentPoint[candidate.segment];
    const edge = this.segmentEdge[candidate.segment];
    const t = candidate.t;
    const segmentLength = this.pointOffset[p + 1] - this.pointOffset[p];
    const lastPoint = g.edgeGeometryStart[edge + 1] - 1;
    // Snapping onto an end point gives exactly 0 or the edge length, so a point at a node is at that node.
    const offsetM =
      t === 1 && p + 1 === lastPoint ? g.edgeLength[edge] : this.pointOffset[p] + t * segmentLength;
    return {
      status: 'snapped',
      edge,
      offsetM: Math.min(offsetM, g.edgeLength[edge]),
      distanceM: candidate.distanceM,
      lon: g.geometryLon[p] + t * (g.geometryLon[p + 1] - g.geometryLon[p]),
      lat: g.geometryLat[p] + t * (g.geometryLat[p + 1] - g.geometryLat[p]),
      component: g.nodeComponent[g.edgeFrom[edge]],
      passedTinyComponent,
    };
  }
}

/** Nearest candidate; ties go to the lowest segment number so results never depend on index order. */
function pickNearest(
  candidates: readonly Candidate[],
  accept: (c: Candidate) => boolean,
): Candidate | undefined {
  let best: Candidate | undefined;
  for (const c of candidates) {
    if (!accept(c)) continue;
    if (!best || c.distanceM < best.distanceM || (c.distanceM === best.distanceM && c.segment < best.segment))
      best = c;
  }
  return best;
}
