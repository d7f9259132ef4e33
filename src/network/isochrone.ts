import concaveman from 'concaveman';
import { haversineM } from '../geo/index.js';
import { EDGE_BACKWARD, EDGE_FORWARD, type WalkGraph } from './graph.js';
import { NetworkSearch, type NetworkLocation } from './search.js';

export type Position = [number, number];

export interface IsochroneLineProperties {
  readonly edge: number;
  readonly wayId: number;
  /** The reached stretch of the edge, in metres from edgeFrom. */
  readonly fromM: number;
  readonly toM: number;
  /** True when only part of the edge is reached. */
  readonly partial: boolean;
}

export interface Isochrone {
  readonly limitM: number;
  /** The reached network: whole edges and the reached parts of edges, as GeoJSON lines. */
  readonly lines: {
    type: 'FeatureCollection';
    features: {
      type: 'Feature';
      properties: IsochroneLineProperties;
      geometry: { type: 'LineString'; coordinates: Position[] };
    }[];
  };
  /** A concave outline of the reached network, for display only (areas are not walkable). */
  readonly outline: {
    type: 'Feature';
    properties: { limitM: number };
    geometry: { type: 'Polygon'; coordinates: Position[][] };
  } | null;
  readonly reachedLengthM: number;
}

/** The part of an edge's geometry between two offsets (metres from edgeFrom), cut inside segments. */
export function sliceEdgeGeometry(graph: WalkGraph, edge: number, fromM: number, toM: number): Position[] {
  const first = graph.edgeGeometryStart[edge];
  const last = graph.edgeGeometryStart[edge + 1] - 1;
  const out: Position[] = [];
  let walked = 0;
  for (let p = first; p < last; p++) {
    const lon0 = graph.geometryLon[p];
    const lat0 = graph.geometryLat[p];
    const lon1 = graph.geometryLon[p + 1];
    const lat1 = graph.geometryLat[p + 1];
    const segment = haversineM(lon0, lat0, lon1, lat1);
    const segmentEnd = walked + segment;
    if (segmentEnd >= fromM && walked <= toM) {
      const at = (m: number): Position => {
        const t = segment > 0 ? Math.min(1, Math.max(0, (m - walked) / segment)) : 0;
        return [lon0 + t * (lon1 - lon0), lat0 + t * (lat1 - lat0)];
      };
      if (out.length === 0) out.push(at(Math.max(fromM, walked)));
      out.push(at(Math.min(toM, segmentEnd)));
    }
    walked = segmentEnd;
    if (walked > toM) break;
  }
  return out;
}

/** Merges overlapping [from, to] intervals (sorted in place). */
function mergeIntervals(intervals: [number, number][]): [number, number][] {
  intervals.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const interval of intervals) {
    const top = merged[merged.length - 1];
    if (top && interval[0] <= top[1]) top[1] = Math.max(top[1], interval[1]);
    else merged.push([interval[0], interval[1]]);
  }
  return merged;
}

/**
 * Everything walkable within `limitM` of an origin: whole edges plus the reached stretches of edges at the
 * frontier, and an outline polygon for display. Pass a search to reuse its buffers across calls.
 */
export function isochrone(
  graph: WalkGraph,
  origin: NetworkLocation,
  limitM: number,
  search: NetworkSearch = new NetworkSearch(graph, 'from-sources'),
): Isochrone {
  search.run([origin], limitM);
  const perEdge = new Map<number, [number, number][]>();
  const add = (edge: number, from: number, to: number) => {
    if (to < from) return;
    const list = perEdge.get(edge);
    if (list) list.push([from, to]);
    else perEdge.set(edge, [[from, to]]);
  };
  const consider = (edge: number) => {
    if (perEdge.has(edge)) return;
    const length = graph.edgeLength[edge];
    const flags = graph.edgeFlags[edge];
    perEdge.set(edge, []);
    const dFrom = search.distanceToNode(graph.edgeFrom[edge]);
    const dTo = search.distanceToNode(graph.edgeTo[edge]);
    if (flags & EDGE_FORWARD && dFrom <= limitM) add(edge, 0, Math.min(length, limitM - dFrom));
    if (flags & EDGE_BACKWARD && dTo <= limitM) add(edge, Math.max(0, length - (limitM - dTo)), length);
    if (edge === origin.edge) {
      const t = origin.offsetM;
      add(
        edge,
        flags & EDGE_BACKWARD ? Math.max(0, t - limitM) : t,
        flags & EDGE_FORWARD ? Math.min(length, t + limitM) : t,
      );
    }
  };
  consider(origin.edge);
  for (const node of search.reached()) {
    for (let a = graph.arcStart[node]; a < graph.arcStart[node + 1]; a++) consider(graph.arcEdge[a] >>> 1);
  }
  const features: Isochrone['lines']['features'] = [];
  const points: Position[] = [];
  let reachedLengthM = 0;
  const edges = [...perEdge.keys()].sort((a, b) => a - b);
  for (const edge of edges) {
    const length = graph.edgeLength[edge];
    for (const [fromM, toM] of mergeIntervals(perEdge.get(edge) ?? [])) {
      const coordinates = sliceEdgeGeometry(graph, edge, fromM, toM);
      if (coordinates.length < 2) continue;
      reachedLengthM += toM - fromM;
      points.push(...coordinates);
      features.push({
        type: 'Feature',
        properties: { edge, wayId: graph.edgeWayId[edge], fromM, toM, partial: fromM > 0 || toM < length },
        geometry: { type: 'LineString', coordinates },
      });
    }
  }
  let outline: Isochrone['outline'] = null;
  if (points.length >= 3) {
    const ring = concaveman(points, 2, 0) as Position[];
    if (ring.length >= 4)
      outline = {
        type: 'Feature',
        properties: { limitM },
        geometry: { type: 'Polygon', coordinates: [ring] },
      };
  }
  return { limitM, lines: { type: 'FeatureCollection', features }, outline, reachedLengthM };
}
