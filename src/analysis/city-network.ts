import { actorOf, recordAudit } from '../audit/index.js';
import { encodeBasemap, extractBasemap, keepCityBasemap, type ExtractedBasemap } from '../basemap/index.js';
import { isLifeCircleError, LifeCircleError } from '../errors.js';
import {
  decodeGraph,
  describeGraph,
  encodeGraph,
  importOsmNetwork,
  type WalkGraph,
} from '../network/index.js';
import { readOsmPlaces, type OsmPlaces } from '../places/index.js';
import { defineCommand } from '../policy/index.js';
import type { Standards } from '../standards/index.js';
import type {
  City,
  CityBasemap,
  CityNetwork,
  Community,
  Facility,
  JobProgress,
  NetworkSummary,
  Store,
} from '../store/index.js';
import { ensureStandardTypes, toStoreFacility } from './bundled.js';

export interface ImportCityNetworkInput {
  cityCode: string;
  /** The OSM extract on disk (.osm XML or .osm.pbf). */
  path: string;
  /** The name the user knows the file by: every message names it, never `path` (a temporary copy). */
  fileName: string;
  /**
   * Also take the extract's residential areas as the city's communities and its mapped facilities as its
   * facilities — each only when the city has none yet, so a register imported first is never doubled.
   */
  places: boolean;
  standards: Standards;
  onProgress?: (progress: JobProgress) => void;
  signal?: AbortSignal;
}

export interface ImportCityNetworkResult {
  network: CityNetwork;
  /** The basemap read from the same extract (water, green, buildings, roads, places), kept with the network. */
  basemap: CityBasemap;
  /** True when the city had a network before (replaced). */
  replaced: boolean;
  /** True when the city's box was taken from the network (it had none, or one from an earlier network). */
  extentFromNetwork: boolean;
  communitiesLoaded: number;
  facilitiesLoaded: number;
  /** What the user should know, as codes the dashboard words in its language (the CLI in English). */
  notes: NetworkNote[];
}

/**
 * - `communities-exist`, `facilities-exist`: the city had that register already; the extract's were not loaded.
 * - `population-unknown` (count): residential areas loaded without population; link the 社区 register.
 * - `no-residential-areas`: the extract maps none (landuse=residential); import the 社区 register instead.
 * - `partly-outside` (percent): that share of the network's extent lies outside the city's box.
 * - `fragmented` (percent): the largest connected part holds only that share of the walkable length.
 */
export interface NetworkNote {
  code:
    | 'communities-exist'
    | 'facilities-exist'
    | 'population-unknown'
    | 'no-residential-areas'
    | 'partly-outside'
    | 'fragmented';
  count?: number;
  percent?: number;
}

/** A note in English, for the command line and logs. */
export function describeNetworkNote(note: NetworkNote): string {
  switch (note.code) {
    case 'communities-exist':
      return "the city has communities already: the extract's residential areas were not loaded";
    case 'facilities-exist':
      return "the city has facilities already: the extract's facilities were not loaded";
    case 'population-unknown':
      return (
        `${note.count} residential areas loaded as communities with population unknown: import the 社区 ` +
        'register with its population and link it (lifecircle registry link) to weigh coverage by residents'
      );
    case 'no-residential-areas':
      return 'the extract maps no residential areas (landuse=residential): import the 社区 register instead';
    case 'partly-outside':
      return `${note.percent} % of the network's extent lies outside the city's box; imports there are refused`;
    case 'fragmented':
      return (
        `the largest connected part holds ${note.percent} % of the walkable length; places on the small ` +
        'parts may not be reached (an extract cut too tightly, or islands)'
      );
  }
}

/**
 * Phases and their share of the job. First measured on a 13 MB XML (2-core machine) as building the graph about
 * 70 %, reading places in a second pass about 25 %, writing about 5 %. The basemap's pass (src/basemap) came later:
 * on the bundled 3.4 MB extract it takes 170 ms, against 140–240 ms for the graph and 325–470 ms for the places,
 * so it takes a share of its own, mostly from the graph's (the bar is a guide, not a promise).
 */
export const NETWORK_IMPORT_PHASES: readonly [string, number][] = [
  ['reading', 45],
  ['places', 30],
  ['basemap', 20],
  ['writing', 5],
];

/** Share of the network's box that may lie outside the city's outline box before the upload is refused. */
const MAX_OUTSIDE_SHARE = 0.5;

/**
 * `cities.importNetwork`: builds the walking graph of an OSM extract and keeps it as the city's network, so any
 * server or worker on this store can analyse the city. With `places`, the extract's residential areas become the
 * city's communities (population unknown until a 社区 register is linked) and its facilities the city's
 * facilities, each only when the city has none. One transaction, audited: the network, the box, the places.
 */
export const importCityNetwork = defineCommand<ImportCityNetworkInput, ImportCityNetworkResult>({
  name: 'cities.importNetwork',
  permission: 'cities.manage',
  async run({ store }, viewer, input) {
    const city = await requireCity(store, input.cityCode);
    const graph = await buildNetwork(input);
    const summary = summarise(graph);
    const notes = checkAgainstCity(city, summary, input.fileName);
    const places = input.places ? await readPlaces(store, city, graph, input) : null;
    if (places) notes.push(...places.notes);
    const extracted = await readBasemap(input, graph.meta.source.sha256);
    const encodedBasemap = encodeBasemap(extracted);
    stopIfCancelled(input);
    input.onProgress?.({ phase: 'writing', done: 0, total: 1 });
    if (places) await ensureStandardTypes(store, input.standards, actorOf(viewer));
    const actor = actorOf(viewer);
    const bytes = encodeGraph(graph);
    return store.transaction(async (tx) => {
      const before = await tx.cityNetworks.put({
        cityCode: city.code,
        fileName: input.fileName,
        sourceSha256: graph.meta.source.sha256,
        summary,
        createdBy: viewer.username,
        graph: bytes,
      });
      const network = (await tx.cityNetworks.get(city.code)) as CityNetwork;
      await recordAudit(tx, actor, {
        action: before ? 'update' : 'create',
        entity: 'city_networks',
        key: city.code,
        before,
        after: network,
      });
      const { basemap } = await keepCityBasemap(tx, actor, {
        cityCode: city.code,
        extracted,
        encoded: encodedBasemap,
      });
      // A box from an outline or typed in by an administrator is kept; otherwise the network's extent is the box.
      const extentFromNetwork = city.extentSource === null || city.extentSource === 'network';
      if (extentFromNetwork) {
        await tx.cities.upsert({
          code: city.code,
          name: city.name,
          bbox: networkExtent(summary.bbox),
          extentSource: 'network',
          extentNote: `the extent of the walking network ${input.fileName}`,
        });
        await recordAudit(tx, actor, {
          action: 'update',
          entity: 'cities',
          key: city.code,
          before: city,
          after: await tx.cities.get(city.code),
        });
      }
      for (const c of places?.communities ?? []) await tx.communities.upsert(c);
      for (const f of places?.facilities ?? []) await tx.facilities.upsert(f);
      for (const [entity, count] of [
        ['communities', places?.communities.length ?? 0],
        ['facilities', places?.facilities.length ?? 0],
      ] as const)
        if (count > 0)
          await recordAudit(tx, actor, {
            action: 'import',
            entity,
            key: `osm:${input.fileName}`,
            after: {
              source: `OpenStreetMap extract ${input.fileName} (© OpenStreetMap contributors, ODbL)`,
              count,
            },
          });
      return {
        network,
        basemap,
        replaced: before !== null,
        extentFromNetwork,
        communitiesLoaded: places?.communities.length ?? 0,
        facilitiesLoaded: places?.facilities.length ?? 0,
        notes,
      };
    });
  },
});

/** The city's network from the store, decoded (the file format's checksum checked); null when it has none. */
export async function loadCityGraph(store: Store, cityCode: string): Promise<WalkGraph | null> {
  const bytes = await store.cityNetworks.graph(cityCode);
  return bytes ? decodeGraph(bytes, `the walking network of city ${cityCode}`) : null;
}

async function requireCity(store: Store, code: string): Promise<City> {
  const city = await store.cities.get(code);
  if (!city)
    throw new LifeCircleError(
      'LC_NOT_FOUND',
      `city ${code} is not set up; run lifecircle city create ${code} (or set it up in the dashboard) first`,
    );
  return city;
}

function stopIfCancelled(input: ImportCityNetworkInput): void {
  if (input.signal?.aborted)
    throw new LifeCircleError(
      'LC_CANCELLED',
      `the network import of ${input.fileName} was cancelled; nothing was kept`,
    );
}

/** Messages of the OSM readers name the file they read: the user's name for it, not the temporary copy's. */
function renamed(error: unknown, input: ImportCityNetworkInput): unknown {
  if (!isLifeCircleError(error) || !error.message.includes(input.path)) return error;
  return new LifeCircleError(error.code, error.message.split(input.path).join(input.fileName), {
    details: error.details,
  });
}

async function buildNetwork(input: ImportCityNetworkInput): Promise<WalkGraph> {
  try {
    return await importOsmNetwork(input.path, {
      onProgress: ({ phase, bytesRead, totalBytes }) => {
        stopIfCancelled(input);
        input.onProgress?.({
          phase: 'reading',
          // Building the graph follows the read: the last few percent of the phase.
          done: phase === 'build' ? totalBytes : Math.round(bytesRead * 0.9),
          total: totalBytes,
        });
      },
    });
  } catch (error) {
    throw renamed(error, input);
  }
}

/** The extract's basemap (src/basemap), in its own streaming pass; cancelling stops it. */
async function readBasemap(input: ImportCityNetworkInput, sourceSha256: string): Promise<ExtractedBasemap> {
  stopIfCancelled(input);
  input.onProgress?.({ phase: 'basemap', done: 0, total: 1 });
  return extractBasemap(input.path, {
    fileName: input.fileName,
    sourceSha256,
    onProgress: (bytesRead, totalBytes) => {
      stopIfCancelled(input);
      input.onProgress?.({ phase: 'basemap', done: bytesRead, total: totalBytes });
    },
  });
}

/** A network's extent rounded outwards to 1e-4° (≈ 10 m), so the box still holds every node. */
export function networkExtent(
  bbox: readonly [number, number, number, number],
): [number, number, number, number] {
  const [w, s, e, n] = bbox.map((v, i) => (i < 2 ? Math.floor(v * 1e4) : Math.ceil(v * 1e4)) / 1e4);
  return [w, s, e, n];
}

function summarise(graph: WalkGraph): NetworkSummary {
  const d = describeGraph(graph);
  return {
    format: d.source.format,
    bytes: d.source.bytes,
    nodes: d.nodes,
    edges: d.edges,
    totalLengthKm: Math.round(d.totalLengthKm * 1000) / 1000,
    components: d.components,
    largestComponentShare: Math.round(d.largestComponent.shareOfLength * 10000) / 10000,
    bbox: [...d.bbox] as [number, number, number, number],
    missingNodeRefs: d.missingNodeRefs,
    profileVersion: d.profileVersion,
  };
}

/** Share of box `a` that lies outside box `b` (by area in degrees: fine for a city-sized box). */
export function shareOutside(a: readonly number[], b: readonly number[]): number {
  const area = (a[2] - a[0]) * (a[3] - a[1]);
  if (area <= 0) return 0;
  const w = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
  const h = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
  return 1 - (w * h) / area;
}

/**
 * A network for another place is refused when the city's box is known from its outline or an administrator:
 * more than half of it outside the box is a wrong file, not a generous extract. Otherwise notes only.
 */
function checkAgainstCity(city: City, summary: NetworkSummary, fileName: string): NetworkNote[] {
  const notes: NetworkNote[] = [];
  const box = (b: readonly number[]) => b.map((v) => v.toFixed(4)).join(',');
  if (city.bbox && (city.extentSource === 'outline' || city.extentSource === 'manual')) {
    const outside = shareOutside(summary.bbox, city.bbox);
    if (outside > MAX_OUTSIDE_SHARE)
      throw new LifeCircleError(
        'LC_NETWORK_OUTSIDE_CITY',
        `${fileName}: ${Math.round(outside * 100)} % of the network's extent (${box(summary.bbox)}) lies outside ` +
          `${city.name} ${city.code} (${box(city.bbox)}, ${city.extentSource}); expected an extract of that city`,
      );
    if (outside > 0.05) notes.push({ code: 'partly-outside', percent: Math.round(outside * 100) });
  }
  if (summary.largestComponentShare < 0.8)
    notes.push({ code: 'fragmented', percent: Math.round(summary.largestComponentShare * 100) });
  return notes;
}

interface LoadedPlaces {
  communities: Community[];
  facilities: Facility[];
  notes: NetworkNote[];
}

/**
 * The extract's residential areas and facilities as store records, each register only when the city has none
 * (a register imported first is never doubled by OSM's).
 */
async function readPlaces(
  store: Store,
  city: City,
  graph: WalkGraph,
  input: ImportCityNetworkInput,
): Promise<LoadedPlaces> {
  const notes: NetworkNote[] = [];
  const hasCommunities = (await store.communities.list({ within: city.code, limit: 1 })).total > 0;
  const hasFacilities =
    (await store.facilities.list({ within: city.code, limit: 1 })).total > 0 ||
    (await store.facilities.list({ bbox: graph.meta.bbox, limit: 1 })).total > 0;
  if (hasCommunities) notes.push({ code: 'communities-exist' });
  if (hasFacilities) notes.push({ code: 'facilities-exist' });
  if (hasCommunities && hasFacilities) return { communities: [], facilities: [], notes };
  stopIfCancelled(input);
  input.onProgress?.({ phase: 'places', done: 0, total: 1 });
  let places: OsmPlaces;
  try {
    places = await readOsmPlaces(input.path, input.standards.facilityTypes);
  } catch (error) {
    throw renamed(error, input);
  }
  const communities = hasCommunities ? [] : places.residentialAreas.map((a) => osmCommunity(a, city.code));
  const facilities = hasFacilities ? [] : places.facilities.map((f) => toStoreFacility(f, city.code));
  if (communities.length > 0) notes.push({ code: 'population-unknown', count: communities.length });
  else if (!hasCommunities) notes.push({ code: 'no-residential-areas' });
  return { communities, facilities, notes };
}

/**
 * A residential area as a community of the city. Its district is not guessed: the 社区 linkage gives it one
 * (boxes of neighbouring districts overlap, so a box test would put many in the wrong one).
 */
function osmCommunity(a: OsmPlaces['residentialAreas'][number], cityCode: string): Community {
  const ring = a.ring.map(([lon, lat]) => [lon, lat]);
  return {
    code: a.id,
    name: a.name,
    regionCode: cityCode,
    location: { lon: a.lon, lat: a.lat },
    boundary: ring.length >= 4 ? { type: 'Polygon', coordinates: [ring] } : null,
    population: null,
    ageGroups: {},
    populationEstimated: false,
  };
}
