import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { isLifeCircleError, LifeCircleError } from '../errors.js';
import { NodeTable } from '../network/index.js';
import { readOsm } from '../osm/index.js';
import { assembleRings, ringCentroid } from '../places/index.js';
import {
  BASEMAP_LAYERS,
  classifyPoint,
  classifyWay,
  flagOf,
  nameOf,
  type BasemapLayer,
  type WayFeature,
} from './rules.js';
import type { BasemapFeature, ExtractedBasemap, Position } from './types.js';

export interface ExtractOptions {
  /** The name the user knows the file by: messages name it instead of `path` (a temporary copy). */
  fileName?: string;
  /** The extract's SHA-256 when the caller has it already (the network import): saves hashing the file again. */
  sourceSha256?: string;
  /** Called now and then with the bytes read so far; throwing from it stops the read (a cancelled job). */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
}

/** A way kept for the basemap until the coordinates of its nodes are looked up at the end of the read. */
interface PendingWay {
  feature: WayFeature;
  name: string | undefined;
  bridge: boolean;
  tunnel: boolean;
  refs: readonly number[];
}

/** A multipolygon relation of an area class, with its member ways by role. */
interface PendingRelation {
  feature: WayFeature;
  name: string | undefined;
  outers: number[];
  inners: number[];
}

/** A named area (school, hospital, 小区 square …) whose point of interest stands at its centroid. */
interface PendingPoi {
  cls: string;
  name: string;
  refs: readonly number[];
}

/** Keys that do not make a way a feature of its own: an outline that only a relation gives meaning. */
const META_KEY = /^(source|created_by|note|fixme|FIXME|description)(:|$)/;

const round = (v: number): number => Math.round(v * 1e6) / 1e6;
const closed = (refs: readonly number[]): boolean => refs.length >= 4 && refs[0] === refs[refs.length - 1];

/**
 * Reads an OSM XML or PBF extract in one streaming pass and collects what a basemap draws (rules.ts): water areas
 * and lines, green areas, buildings, roads and named places. Node coordinates are held in typed arrays (24 bytes a
 * node), ways only when kept (or when a multipolygon may need them: untagged outlines); geometry is resolved at
 * the end, so the file's order does not matter. Malformed input is LC_OSM_FORMAT naming the file.
 */
export async function extractBasemap(path: string, options: ExtractOptions = {}): Promise<ExtractedBasemap> {
  const fileName = options.fileName ?? basename(path);
  const nodes = new NodeTable();
  const points: { layer: BasemapLayer; feature: BasemapFeature }[] = [];
  const ways: PendingWay[] = [];
  const pois: PendingPoi[] = [];
  const relations: PendingRelation[] = [];
  /** Ways a multipolygon relation may name as members: untagged outlines and kept area ways. */
  const outlines = new Map<number, readonly number[]>();
  let openAreas = 0;

  const summary = await readOsm(
    path,
    {
      nodeCoordinates(id, lon, lat) {
        nodes.add(id, lon, lat);
      },
      node(node) {
        const tags = node.tags;
        if (!tags) return;
        const point = classifyPoint(tags);
        const name = point && nameOf(tags);
        if (point && name)
          points.push({
            layer: 'places',
            feature: {
              class: point.cls,
              name,
              geometry: { type: 'Point', coordinates: [round(node.lon), round(node.lat)] },
            },
          });
      },
      way(way) {
        const tags = way.tags;
        const feature = classifyWay(tags);
        const isClosed = closed(way.refs);
        if (feature) {
          if (feature.area && !isClosed) openAreas++;
          else if (way.refs.length >= 2) {
            ways.push({
              feature,
              name: nameOf(tags),
              bridge: feature.layer === 'roads' && flagOf(tags.bridge),
              tunnel: feature.layer === 'roads' && flagOf(tags.tunnel),
              refs: way.refs,
            });
            if (feature.area && feature.layer !== 'buildings') outlines.set(way.id, way.refs);
          }
        } else if (Object.keys(tags).every((k) => META_KEY.test(k))) outlines.set(way.id, way.refs);
        // A named area that is a place or point of interest (not a park or lake: those carry their own name).
        if (isClosed && feature?.layer !== 'green' && feature?.layer !== 'water') {
          const point = classifyPoint(tags);
          const name = point && nameOf(tags);
          if (point && name) pois.push({ cls: point.cls, name, refs: way.refs });
        }
      },
      relation(relation) {
        if (relation.tags.type !== 'multipolygon') return;
        const feature = classifyWay(relation.tags);
        if (!feature?.area) return;
        const outers: number[] = [];
        const inners: number[] = [];
        for (const m of relation.members)
          if (m.type === 'way') (m.role === 'inner' ? inners : outers).push(m.ref);
        if (outers.length > 0) relations.push({ feature, name: nameOf(relation.tags), outers, inners });
      },
    },
    { nodeTags: true, onProgress: options.onProgress },
  ).catch((error: unknown) => {
    throw options.fileName ? renamed(error, path, options.fileName) : error;
  });

  const resolver = new Resolver(nodes);
  const layers = Object.fromEntries(BASEMAP_LAYERS.map((l) => [l, [] as BasemapFeature[]])) as Record<
    BasemapLayer,
    BasemapFeature[]
  >;
  for (const { layer, feature } of points) layers[layer].push(feature);
  for (const way of ways) {
    const { feature } = way;
    let geometry: BasemapFeature['geometry'] | null = null;
    if (feature.area) {
      const ring = resolver.ring(way.refs);
      if (ring) geometry = { type: 'MultiPolygon', coordinates: [[ring]] };
    } else {
      const lines = resolver.lines(way.refs);
      if (lines.length > 0) geometry = { type: 'MultiLineString', coordinates: lines };
    }
    if (!geometry) continue;
    layers[feature.layer].push(withProperties(feature.cls, way.name, way.bridge, way.tunnel, geometry));
  }
  let openRelations = 0;
  for (const relation of relations) {
    const polygons = resolver.multipolygon(relation, outlines);
    if (polygons.length === 0) {
      openRelations++;
      continue;
    }
    layers[relation.feature.layer].push(
      withProperties(relation.feature.cls, relation.name, false, false, {
        type: 'MultiPolygon',
        coordinates: polygons,
      }),
    );
  }
  for (const poi of pois) {
    const ring = resolver.ring(poi.refs);
    if (!ring) continue;
    const [lon, lat] = ringCentroid(ring);
    layers.places.push({
      class: poi.cls,
      name: poi.name,
      geometry: { type: 'Point', coordinates: [round(lon), round(lat)] },
    });
  }

  const counts = {
    water: layers.water.length,
    green: layers.green.length,
    buildings: layers.buildings.length,
    roads: layers.roads.length,
    places: layers.places.length,
  };
  return {
    layers,
    counts,
    bbox: boxOf(layers),
    source: {
      fileName,
      format: summary.format,
      bytes: summary.bytes,
      sha256: options.sourceSha256 ?? (await sha256File(path)),
    },
    skipped: { openAreas, openRelations, missingNodeRefs: resolver.missing },
  };
}

function withProperties(
  cls: string,
  name: string | undefined,
  bridge: boolean,
  tunnel: boolean,
  geometry: BasemapFeature['geometry'],
): BasemapFeature {
  const feature: BasemapFeature = { class: cls, geometry };
  if (name) feature.name = name;
  if (bridge) feature.bridge = true;
  if (tunnel) feature.tunnel = true;
  return feature;
}

/** Node references → coordinates; references to nodes the extract lacks (cut at its edge) are counted. */
class Resolver {
  missing = 0;
  constructor(private readonly nodes: NodeTable) {}

  private at(ref: number): Position | null {
    const i = this.nodes.indexOf(ref);
    if (i < 0) {
      this.missing++;
      return null;
    }
    return [round(this.nodes.lon.get(i)), round(this.nodes.lat.get(i))];
  }

  /** A closed ring, or null when a node is missing (an area cut by the extract's edge is not drawn). */
  ring(refs: readonly number[]): Position[] | null {
    const ring: Position[] = [];
    for (const ref of refs) {
      const p = this.at(ref);
      if (!p) return null;
      ring.push(p);
    }
    return ring.length >= 4 ? ring : null;
  }

  /** A way as lines: split where nodes are missing, pieces of fewer than two points dropped. */
  lines(refs: readonly number[]): Position[][] {
    const out: Position[][] = [];
    let line: Position[] = [];
    for (const ref of refs) {
      const p = this.at(ref);
      if (p) line.push(p);
      else {
        if (line.length >= 2) out.push(line);
        line = [];
      }
    }
    if (line.length >= 2) out.push(line);
    return out;
  }

  /**
   * A multipolygon from its member ways: outer and inner rings joined end to end (places' `assembleRings`), each
   * inner ring put in the outer ring that holds its first point. Rings that never close are dropped.
   */
  multipolygon(relation: PendingRelation, outlines: ReadonlyMap<number, readonly number[]>): Position[][][] {
    const rings = (ids: number[]) =>
      assembleRings(ids.map((id) => outlines.get(id) ?? []))
        .map((refs) => this.ring(refs))
        .filter((ring): ring is Position[] => ring !== null);
    const polygons: Position[][][] = rings(relation.outers).map((outer) => [outer]);
    if (polygons.length === 0) return [];
    for (const inner of rings(relation.inners)) {
      const holder = polygons.find((polygon) => inRing(inner[0], polygon[0]));
      if (holder) holder.push(inner);
    }
    return polygons;
  }
}

/** Ray casting: whether a point lies inside a closed ring (planar, fine at city scale). */
function inRing([x, y]: Position, ring: readonly Position[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function boxOf(layers: Record<BasemapLayer, BasemapFeature[]>): [number, number, number, number] | null {
  let w = Infinity;
  let s = Infinity;
  let e = -Infinity;
  let n = -Infinity;
  const visit = (c: unknown): void => {
    if (typeof (c as number[])[0] === 'number') {
      const [x, y] = c as Position;
      if (x < w) w = x;
      if (x > e) e = x;
      if (y < s) s = y;
      if (y > n) n = y;
    } else for (const child of c as unknown[]) visit(child);
  };
  for (const layer of BASEMAP_LAYERS) for (const f of layers[layer]) visit(f.geometry.coordinates);
  return w === Infinity ? null : [w, s, e, n];
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The readers' messages name the path they read: the user's name for the file instead. */
function renamed(error: unknown, path: string, fileName: string): unknown {
  if (!isLifeCircleError(error) || path === fileName || !error.message.includes(path)) return error;
  return new LifeCircleError(error.code, error.message.split(path).join(fileName), {
    details: error.details,
    cause: error,
  });
}
