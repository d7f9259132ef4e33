import { readOsm, type OsmTags } from '../osm/index.js';
import { matchingTypes, type OsmSelector } from '../standards/index.js';
import { ringAreaM2, ringCentroid } from './geometry.js';
import type { Facility, LonLat } from './types.js';

/** A residential area (landuse=residential) read from OSM, before any population is attached. */
export interface ResidentialArea {
  readonly id: string;
  readonly name: string;
  readonly named: boolean;
  readonly ring: readonly LonLat[];
  readonly areaM2: number;
  readonly lon: number;
  readonly lat: number;
  readonly source: string;
}

export interface OsmPlaces {
  readonly residentialAreas: ResidentialArea[];
  readonly facilities: Facility[];
  /** The extract's declared bounds (<bounds>), if it has them: where its data are complete. */
  readonly bounds: readonly [number, number, number, number] | undefined;
}

interface PendingWay {
  readonly id: number;
  readonly refs: readonly number[];
  readonly tags: OsmTags;
  readonly types: string[];
  readonly residential: boolean;
}

/**
 * Residential areas (closed ways tagged landuse=residential) and facilities (nodes and ways whose tags match a
 * type's selectors; a way stands at the centroid of its outline) of an OSM extract, and residential
 * multipolygon relations (their largest outer ring, assembled from the outer ways). Streaming passes: ways,
 * relations and tagged nodes first; the outer ways of relations if any; then the coordinates of the ways' nodes.
 */
export async function readOsmPlaces(
  path: string,
  types: readonly { readonly id: string; readonly osm: readonly OsmSelector[] }[],
): Promise<OsmPlaces> {
  const facilities: Facility[] = [];
  const ways: PendingWay[] = [];
  const needed = new Set<number>();
  const relations: { id: number; tags: OsmTags; outers: number[] }[] = [];
  await readOsm(
    path,
    {
      node(node) {
        if (!node.tags) return;
        for (const typeId of matchingTypes(node.tags, types))
          facilities.push(osmFacility(`node/${node.id}`, typeId, node.tags, node.lon, node.lat));
      },
      way(way) {
        const residential = way.tags.landuse === 'residential' && way.refs.length >= 4 && closed(way.refs);
        const matched = matchingTypes(way.tags, types);
        if (!residential && matched.length === 0) return;
        ways.push({ id: way.id, refs: way.refs, tags: way.tags, types: matched, residential });
        for (const ref of way.refs) needed.add(ref);
      },
      relation(relation) {
        if (relation.tags.type !== 'multipolygon' || relation.tags.landuse !== 'residential') return;
        const outers = relation.members
          .filter((m) => m.type === 'way' && (m.role === 'outer' || m.role === ''))
          .map((m) => m.ref);
        if (outers.length > 0) relations.push({ id: relation.id, tags: relation.tags, outers });
      },
    },
    { nodeTags: true },
  );
  const outerRefs = new Map<number, readonly number[]>();
  if (relations.length > 0) {
    const wanted = new Set(relations.flatMap((r) => r.outers));
    await readOsm(path, {
      way(way) {
        if (!wanted.has(way.id)) return;
        outerRefs.set(way.id, way.refs);
        for (const ref of way.refs) needed.add(ref);
      },
    });
  }
  const coords = new Map<number, LonLat>();
  await readOsm(path, {
    node(node) {
      if (needed.has(node.id)) coords.set(node.id, [node.lon, node.lat]);
    },
  });
  const residentialAreas: ResidentialArea[] = [];
  for (const way of ways) {
    const ring = way.refs.map((r) => coords.get(r)).filter((c): c is LonLat => c !== undefined);
    if (ring.length === 0) continue;
    const [lon, lat] = ringCentroid(ring.length >= 4 ? ring : [...ring, ring[0]]);
    if (way.residential && ring.length === way.refs.length) {
      const name = way.tags.name ?? way.tags['name:zh'];
      residentialAreas.push({
        id: `osm-way-${way.id}`,
        name: name ?? unnamedAreaName('way', way.id),
        named: name !== undefined,
        ring,
        areaM2: ringAreaM2(ring),
        lon,
        lat,
        source: `osm:way/${way.id}`,
      });
    }
    for (const typeId of way.types) facilities.push(osmFacility(`way/${way.id}`, typeId, way.tags, lon, lat));
  }
  for (const relation of relations) {
    const rings = assembleRings(relation.outers.map((id) => outerRefs.get(id) ?? []))
      .map((refs) => refs.map((r) => coords.get(r)))
      .filter((ring): ring is LonLat[] => ring.length >= 4 && ring.every((c) => c !== undefined));
    if (rings.length === 0) continue;
    const ring = rings.sort((a, b) => ringAreaM2(b) - ringAreaM2(a))[0];
    const name = relation.tags.name ?? relation.tags['name:zh'];
    const [lon, lat] = ringCentroid(ring);
    residentialAreas.push({
      id: `osm-relation-${relation.id}`,
      name: name ?? unnamedAreaName('relation', relation.id),
      named: name !== undefined,
      ring,
      areaM2: ringAreaM2(ring),
      lon,
      lat,
      source: `osm:relation/${relation.id}`,
    });
  }
  return { residentialAreas, facilities, bounds: await readBounds(path) };
}

/**
 * The name of a residential area OSM leaves unnamed: the OSM id lets a surveyor find it (OSM's Chinese wiki calls a
 * way 路径, a relation 关系). The dashboard and residents' page recognise this exact form (`placeName` in
 * web/app/src/format.ts) to word it in English: change both together.
 */
export function unnamedAreaName(kind: 'way' | 'relation', id: number): string {
  return `未命名居住区（OSM ${kind === 'way' ? '路径' : '关系'} ${id}）`;
}

const UNNAMED_AREA = /^未命名居住区（OSM (路径|关系) (\d+)）$/;

/** The English of a name `unnamedAreaName` made (for reports in English); null for a real name. */
export function unnamedAreaNameEn(name: string): string | null {
  const m = UNNAMED_AREA.exec(name);
  return m ? `Unnamed residential area (OSM ${m[1] === '路径' ? 'way' : 'relation'} ${m[2]})` : null;
}

/**
 * Closed rings from a multipolygon's outer ways: ways are joined end to end (reversed where needed) until each
 * ring closes; pieces that never close are dropped (an incomplete extract cuts them).
 */
export function assembleRings(ways: readonly (readonly number[])[]): number[][] {
  const open = ways.filter((w) => w.length >= 2).map((w) => [...w]);
  const rings: number[][] = [];
  while (open.length > 0) {
    const ring = open.shift() as number[];
    let grown = true;
    while (!closed(ring) && grown) {
      grown = false;
      const end = ring[ring.length - 1];
      const k = open.findIndex((w) => w[0] === end || w[w.length - 1] === end);
      if (k >= 0) {
        const [next] = open.splice(k, 1);
        const piece = next[0] === end ? next : [...next].reverse();
        ring.push(...piece.slice(1));
        grown = true;
      }
    }
    if (closed(ring) && ring.length >= 4) rings.push(ring);
  }
  return rings;
}

function closed(refs: readonly number[]): boolean {
  return refs[0] === refs[refs.length - 1];
}

function osmFacility(ref: string, typeId: string, tags: OsmTags, lon: number, lat: number): Facility {
  const capacity = Number.parseInt(tags.capacity ?? '', 10);
  return {
    id: `osm-${ref.replace('/', '-')}-${typeId}`,
    typeId,
    name: tags.name ?? tags['name:zh'],
    lon,
    lat,
    capacity: Number.isFinite(capacity) && capacity > 0 ? capacity : undefined,
    source: `osm:${ref}`,
  };
}

/** The <bounds> element of an OSM XML file (the readers do not report it); undefined for PBF or when absent. */
async function readBounds(path: string): Promise<readonly [number, number, number, number] | undefined> {
  const { open } = await import('node:fs/promises');
  const file = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(4096);
    const { bytesRead } = await file.read(buffer, 0, buffer.length, 0);
    const head = buffer.subarray(0, bytesRead).toString('utf8');
    const m = /<bounds\s+([^>]*)\/?>/.exec(head);
    if (!m) return undefined;
    const attr = (k: string) => Number(new RegExp(`${k}="([-0-9.]+)"`).exec(m[1])?.[1]);
    const b = [attr('minlon'), attr('minlat'), attr('maxlon'), attr('maxlat')] as const;
    return b.every(Number.isFinite) ? b : undefined;
  } finally {
    await file.close();
  }
}
