import { readFileSync } from 'node:fs';
import { EdgeIndex, isSnapped, type NetworkLocation, type WalkGraph } from '../src/network/index.js';
import { readOsm, type OsmTags } from '../src/osm/index.js';
import { seededRandom } from './rng.js';

/** Workload W1 of issue 2 on one network: community access points and facilities of several types. */
export interface W1Workload {
  readonly network: string;
  /** What is synthetic in this workload; printed with every result. */
  readonly syntheticParts: readonly string[];
  readonly description: string;
  readonly maxDistanceM: number;
  readonly communities: readonly NetworkLocation[];
  readonly types: readonly W1Type[];
}

export interface W1Type {
  readonly id: string;
  readonly name: string;
  readonly radiusM: number;
  readonly facilities: readonly NetworkLocation[];
}

interface TypeDefinition {
  readonly id: string;
  readonly name: string;
  readonly radiusM: number;
  readonly match?: Readonly<Record<string, readonly string[]>>;
}

interface FacilityTypeFile {
  readonly source: string;
  readonly maxDistanceM: number;
  readonly chengdu: readonly TypeDefinition[];
  readonly synthetic: readonly TypeDefinition[];
}

export function loadFacilityTypes(path: string): FacilityTypeFile {
  return JSON.parse(readFileSync(path, 'utf8')) as FacilityTypeFile;
}

export const SYNTHETIC_SEED = 20261122;
export const SYNTHETIC_COMMUNITY_SHARE = 0.01;
export const SYNTHETIC_FACILITY_COUNT = 20_000;

/**
 * Synthetic points: communities on `communityShare` of the graph's node count, facilities spread evenly over the
 * types; every point lies at a uniformly random place along the network (edges drawn by length), fixed seed.
 */
export function syntheticWorkload(
  network: string,
  graph: WalkGraph,
  types: readonly TypeDefinition[],
  maxDistanceM: number,
  seed = SYNTHETIC_SEED,
): W1Workload {
  const random = seededRandom(seed);
  const cumulative = new Float64Array(graph.edgeCount);
  let total = 0;
  for (let e = 0; e < graph.edgeCount; e++) {
    total += graph.edgeLength[e];
    cumulative[e] = total;
  }
  const place = (): NetworkLocation => {
    const at = random() * total;
    let lo = 0;
    let hi = graph.edgeCount - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid] < at) lo = mid + 1;
      else hi = mid;
    }
    return { edge: lo, offsetM: random() * graph.edgeLength[lo] };
  };
  const communityCount = Math.max(1, Math.round(graph.nodeCount * SYNTHETIC_COMMUNITY_SHARE));
  const communities = Array.from({ length: communityCount }, place);
  const perType = Math.floor(SYNTHETIC_FACILITY_COUNT / types.length);
  return {
    network,
    syntheticParts: ['communities', 'facilities'],
    description:
      `SYNTHETIC points (seed ${seed}): ${communityCount} communities (1 % of graph nodes) and ` +
      `${perType * types.length} facilities over ${types.length} types, at random places along the network`,
    maxDistanceM,
    communities,
    types: types.map((t) => ({
      id: t.id,
      name: t.name,
      radiusM: t.radiusM,
      facilities: Array.from({ length: perType }, place),
    })),
  };
}

function matches(tags: OsmTags | undefined, match: TypeDefinition['match']): boolean {
  if (!tags || !match) return false;
  return Object.entries(match).some(([key, values]) => tags[key] !== undefined && values.includes(tags[key]));
}

/**
 * The real Chengdu points: every landuse=residential way (小区) becomes one community at its vertex centroid,
 * every node or way tagged as a facility type becomes one facility; all are snapped to the nearest walkable edge
 * (default 300 m). Points that do not snap are counted and left out, never silently.
 */
export async function chengduWorkload(
  osmPath: string,
  graph: WalkGraph,
  types: readonly TypeDefinition[],
  maxDistanceM: number,
): Promise<{ workload: W1Workload; unsnapped: { communities: number; facilities: number } }> {
  const coords = new Map<number, [number, number]>();
  const residential: [number, number][] = [];
  const facilityPoints: [number, number][][] = types.map(() => []);
  const centroid = (refs: readonly number[]): [number, number] | undefined => {
    let lon = 0;
    let lat = 0;
    let n = 0;
    // A closed way repeats its first node; count it once.
    const last = refs.length > 1 && refs[0] === refs[refs.length - 1] ? refs.length - 1 : refs.length;
    for (let i = 0; i < last; i++) {
      const c = coords.get(refs[i]);
      if (!c) continue;
      lon += c[0];
      lat += c[1];
      n++;
    }
    return n > 0 ? [lon / n, lat / n] : undefined;
  };
  await readOsm(
    osmPath,
    {
      node(node) {
        coords.set(node.id, [node.lon, node.lat]);
        types.forEach((t, i) => {
          if (matches(node.tags, t.match)) facilityPoints[i].push([node.lon, node.lat]);
        });
      },
      way(way) {
        if (way.tags.landuse === 'residential') {
          const c = centroid(way.refs);
          if (c) residential.push(c);
        }
        types.forEach((t, i) => {
          if (matches(way.tags, t.match)) {
            const c = centroid(way.refs);
            if (c) facilityPoints[i].push(c);
          }
        });
      },
    },
    { nodeTags: true },
  );
  const index = new EdgeIndex(graph);
  let unsnappedCommunities = 0;
  let unsnappedFacilities = 0;
  const snapAll = (points: [number, number][], onMiss: () => void): NetworkLocation[] => {
    const out: NetworkLocation[] = [];
    for (const [lon, lat] of points) {
      const s = index.snap(lon, lat);
      if (isSnapped(s)) out.push({ edge: s.edge, offsetM: s.offsetM });
      else onMiss();
    }
    return out;
  };
  const communities = snapAll(residential, () => unsnappedCommunities++);
  const typed = types.map((t, i) => ({
    id: t.id,
    name: t.name,
    radiusM: t.radiusM,
    facilities: snapAll(facilityPoints[i], () => unsnappedFacilities++),
  }));
  const facilityCount = typed.reduce((n, t) => n + t.facilities.length, 0);
  return {
    workload: {
      network: 'chengdu',
      syntheticParts: [],
      description:
        `REAL points from the OSM extract: ${communities.length} residential areas (landuse=residential, centroid ` +
        `snapped; ${unsnappedCommunities} beyond 300 m left out) and ${facilityCount} facilities over ` +
        `${types.length} types (${unsnappedFacilities} left out)`,
      maxDistanceM,
      communities,
      types: typed,
    },
    unsnapped: { communities: unsnappedCommunities, facilities: unsnappedFacilities },
  };
}
