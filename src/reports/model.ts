import { LifeCircleError } from '../errors.js';
import { TIERS, type TierId } from '../standards/index.js';
import type { AnalysisRun, GeoJsonPolygonal, LonLat } from '../store/index.js';

/** The languages a report is written in: one per report, every string from its dictionary (dictionary.ts). */
export const REPORT_LANGS = ['zh', 'en'] as const;
export type ReportLang = (typeof REPORT_LANGS)[number];

/**
 * Defaults a city may change, each labelled as LifeCircle's own (no standard sets them): how many communities the
 * worst-served table lists, how many changed communities the printed report lists (the annex has all), and the
 * share-of-types classes of the map when no single type is chosen.
 */
export const REPORT_DEFAULTS = {
  /** LifeCircle default: the 20 worst-served communities in the printed report (the annex lists every one). */
  worstServed: 20,
  /** LifeCircle default: the first 50 communities whose coverage changed, in the printed report. */
  changedCommunities: 50,
  /** LifeCircle default: share-of-types classes, lower bounds (all types, three quarters, half, fewer). */
  shareClasses: [1, 0.75, 0.5] as const,
  /**
   * The map's middle class for one type: nearest facility within twice the radius — the dashboard map's orange
   * (web/README.md), a LifeCircle display convention, not a standard.
   */
  nearFactor: 2,
} as const;

/** Tiers the report measures, smallest first: the walking tiers of GB 50180-2018 (the 居住街坊 has no distance). */
export const REPORT_TIERS: readonly TierId[] = ['five-minute', 'ten-minute', 'fifteen-minute'];

/** A coverage run's stored results (src/access `evaluationToJson`), the parts a report reads. */
interface Sourced<T> {
  value: T;
  source: string;
  verified: boolean;
  note?: string;
}
export interface RunFacilityType {
  id: string;
  nameZh: string;
  nameEn: string;
  tier: Sourced<TierId>;
  radiusM: Sourced<number>;
  provision: Sourced<'required' | 'recommended'>;
  demandGroup: string;
}
export interface RunCommunity {
  id: string;
  name: string;
  district?: string | null;
  subdistrict?: string | null;
  population: number | null;
  populationEstimated: boolean;
  onNetwork: boolean;
  types: Record<string, { nearestM: number | null; covered: boolean; demand: number | null }>;
  completeness: Record<string, { complete: boolean; missing: string[] }>;
}
interface RunResults {
  caveats?: string[];
  standards?: { walkingSpeedMPerMin?: Sourced<number>; facilityTypes?: RunFacilityType[] };
  communities?: RunCommunity[];
}

/** What the store knows of a community the run names: where it is filed and its outline or point. */
export interface StoredPlace {
  regionCode: string;
  boundary: GeoJsonPolygonal | null;
  location: LonLat;
}

export interface BuildInput {
  city: { code: string; name: string };
  /** The area reported on: the city itself or a division within it. */
  region: { code: string; name: string };
  run: AnalysisRun;
  /** The run the changes are measured from (null: none before). */
  previous: AnalysisRun | null;
  /** Store communities by code: which division each run community is filed under, and its shape. */
  places: ReadonlyMap<string, StoredPlace>;
  /** The type the map is coloured by; null: the share of types covered. */
  mapType: string | null;
  generatedAt: string;
  /** The department (or account) that made the report, as written, and its English name where known. */
  preparedBy: { name: string; nameEn: string | null };
  worstServed?: number;
}

export interface TypeFigures {
  id: string;
  nameZh: string;
  nameEn: string;
  tier: TierId;
  radiusM: number;
  radiusSource: string;
  radiusVerified: boolean;
  required: boolean;
  demandGroup: string;
  communities: number;
  coveredCommunities: number;
  /** coveredCommunities / communities; null for no community. */
  communityShare: number | null;
  /** Residents of the type's demand group, and those with a facility of the type within the radius. */
  demand: number;
  coveredDemand: number;
  /** coveredDemand / demand; null when no population is known. */
  demandShare: number | null;
}

export interface TierFigures {
  tier: TierId;
  minutes: number;
  walkingDistanceM: number;
  source: string;
  verified: boolean;
  /** The facility types of this tier (GB 50180-2018 附录B, as the run's standards have it). */
  types: string[];
  completeCommunities: number;
  communityShare: number | null;
  completePopulation: number;
  populationShare: number | null;
}

export interface WorstServed {
  rank: number;
  code: string;
  name: string;
  district: string | null;
  subdistrict: string | null;
  population: number | null;
  /** Residents of each counted type's demand group without that type within its radius, summed over the types. */
  uncoveredPopulation: number;
  uncoveredTypes: string[];
}

export interface TypeChange {
  id: string;
  before: { coveredCommunities: number; communityShare: number | null; demandShare: number | null } | null;
  after: { coveredCommunities: number; communityShare: number | null; demandShare: number | null } | null;
  /** Communities covered now less those covered before (null when the type is in one run only). */
  coveredDelta: number | null;
}

export interface CommunityChange {
  code: string;
  name: string;
  district: string | null;
  subdistrict: string | null;
  gained: string[];
  lost: string[];
}

export interface Changes {
  previousRun: { id: number; createdAt: string };
  types: TypeChange[];
  /** Communities of the area whose covered types differ between the runs, most losses first. */
  communities: CommunityChange[];
  /** Communities of the area in this run only, and in the previous one only. */
  added: number;
  removed: number;
}

export type CoverageClass =
  'covered' | 'near' | 'uncovered' | 'all' | 'most' | 'half' | 'few' | 'off-network';

export interface MapCommunity {
  code: string;
  name: string;
  class: CoverageClass;
  geometry: GeoJsonPolygonal | { type: 'Point'; coordinates: [number, number] };
}

export interface CommunityRow {
  code: string;
  name: string;
  district: string | null;
  subdistrict: string | null;
  regionCode: string | null;
  population: number | null;
  populationEstimated: boolean;
  onNetwork: boolean;
  class: CoverageClass;
  /** Types covered, by id. */
  covered: string[];
  /** Tiers complete, by id. */
  completeTiers: TierId[];
}

/** Everything a monitoring report says, in numbers and data names; the renderers word it in one language. */
export interface MonitoringReport {
  city: { code: string; name: string };
  region: { code: string; name: string; isCity: boolean };
  run: { id: number; createdAt: string; inputsHash: string; engineVersion: string };
  generatedAt: string;
  preparedBy: { name: string; nameEn: string | null };
  mapType: string | null;
  walkingSpeed: { value: number; source: string };
  communities: number;
  communitiesOnNetwork: number;
  population: number;
  populationEstimated: boolean;
  tiers: TierFigures[];
  types: TypeFigures[];
  worst: WorstServed[];
  /** Every community of the area with an uncovered population, ranked (the printed report shows `worstServed`). */
  allUnderserved: WorstServed[];
  changes: Changes | null;
  map: MapCommunity[];
  rows: CommunityRow[];
  /** Caveats the run carries (data names: worded by whoever ran it). */
  caveats: string[];
  /** Whether the run was computed on OpenStreetMap data (the bundled extract): the thin-POI caveat applies. */
  osmFacilities: boolean;
}

/** The headline figures kept with a report's record (`monitoring_reports.summary`). */
export interface ReportSummary {
  communities: number;
  population: number;
  tiers: { tier: TierId; communityShare: number | null }[];
  worst: { code: string; uncoveredPopulation: number }[];
  previousRunId: number | null;
  /** What the files lack and why (the DOCX without pictures when the server has no CJK font); absent when none. */
  warnings?: string[];
}

const ratio = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

function resultsOf(run: AnalysisRun): Required<Pick<RunResults, 'communities'>> & RunResults {
  const results = run.results as RunResults | null;
  if (run.kind !== 'coverage' || !results?.communities || !results.standards?.facilityTypes)
    throw new LifeCircleError(
      'LC_USAGE',
      `analysis run ${run.id} is a '${run.kind}' run without coverage results; a monitoring report needs a coverage run`,
    );
  return results as Required<Pick<RunResults, 'communities'>> & RunResults;
}

/** The run's communities that lie in the area: filed under it in the store, or (city reports) all of them. */
function membersOf(
  communities: readonly RunCommunity[],
  input: Pick<BuildInput, 'city' | 'region' | 'places'>,
): RunCommunity[] {
  if (input.region.code === input.city.code) return [...communities];
  return communities.filter((c) => {
    const place = input.places.get(c.id);
    // A community no longer in the register counts where the run filed it (its 区 by name).
    return place ? place.regionCode.startsWith(input.region.code) : c.district === input.region.name;
  });
}

function typeFigures(t: RunFacilityType, members: readonly RunCommunity[]): TypeFigures {
  let covered = 0;
  let demand = 0;
  let coveredDemand = 0;
  for (const c of members) {
    const cell = c.types[t.id];
    const d = cell?.demand ?? 0;
    demand += d;
    if (cell?.covered) {
      covered += 1;
      coveredDemand += d;
    }
  }
  return {
    id: t.id,
    nameZh: t.nameZh,
    nameEn: t.nameEn,
    tier: t.tier.value,
    radiusM: t.radiusM.value,
    radiusSource: t.radiusM.source,
    radiusVerified: t.radiusM.verified,
    required: t.provision.value === 'required',
    demandGroup: t.demandGroup,
    communities: members.length,
    coveredCommunities: covered,
    communityShare: ratio(covered, members.length),
    demand,
    coveredDemand,
    demandShare: ratio(coveredDemand, demand),
  };
}

function classOf(c: RunCommunity, types: readonly RunFacilityType[], mapType: string | null): CoverageClass {
  if (!c.onNetwork) return 'off-network';
  if (mapType) {
    const t = types.find((x) => x.id === mapType)!;
    const cell = c.types[mapType];
    if (cell?.covered) return 'covered';
    return cell?.nearestM !== null &&
      cell?.nearestM !== undefined &&
      cell.nearestM <= REPORT_DEFAULTS.nearFactor * t.radiusM.value
      ? 'near'
      : 'uncovered';
  }
  const share = types.length ? types.filter((t) => c.types[t.id]?.covered).length / types.length : 0;
  const [all, most, half] = REPORT_DEFAULTS.shareClasses;
  return share >= all ? 'all' : share >= most ? 'most' : share >= half ? 'half' : 'few';
}

/** Covered types of a community, by id. */
const coveredTypes = (c: RunCommunity): Set<string> =>
  new Set(
    Object.entries(c.types)
      .filter(([, v]) => v.covered)
      .map(([k]) => k),
  );

function changesSince(
  previous: AnalysisRun,
  input: BuildInput,
  members: readonly RunCommunity[],
  types: readonly RunFacilityType[],
): Changes {
  const before = resultsOf(previous);
  const beforeMembers = membersOf(before.communities, input);
  const beforeTypes = before.standards?.facilityTypes ?? [];
  const ids = [...new Set([...types.map((t) => t.id), ...beforeTypes.map((t) => t.id)])];
  const brief = (t: RunFacilityType | undefined, m: readonly RunCommunity[]) => {
    if (!t) return null;
    const f = typeFigures(t, m);
    return {
      coveredCommunities: f.coveredCommunities,
      communityShare: f.communityShare,
      demandShare: f.demandShare,
    };
  };
  const typeChanges = ids.map((id): TypeChange => {
    const a = brief(
      types.find((t) => t.id === id),
      members,
    );
    const b = brief(
      beforeTypes.find((t) => t.id === id),
      beforeMembers,
    );
    return {
      id,
      before: b,
      after: a,
      coveredDelta: a && b ? a.coveredCommunities - b.coveredCommunities : null,
    };
  });
  const previousById = new Map(beforeMembers.map((c) => [c.id, c]));
  const shared = new Set(
    ids.filter((id) => types.some((t) => t.id === id) && beforeTypes.some((t) => t.id === id)),
  );
  const communities: CommunityChange[] = [];
  for (const c of members) {
    const p = previousById.get(c.id);
    if (!p) continue;
    const now = coveredTypes(c);
    const then = coveredTypes(p);
    const gained = [...now].filter((id) => shared.has(id) && !then.has(id)).sort();
    const lost = [...then].filter((id) => shared.has(id) && !now.has(id)).sort();
    if (gained.length || lost.length)
      communities.push({
        code: c.id,
        name: c.name,
        district: c.district ?? null,
        subdistrict: c.subdistrict ?? null,
        gained,
        lost,
      });
  }
  communities.sort(
    (x, y) =>
      y.lost.length - x.lost.length ||
      y.gained.length - x.gained.length ||
      (x.code < y.code ? -1 : x.code > y.code ? 1 : 0),
  );
  const currentIds = new Set(members.map((c) => c.id));
  return {
    previousRun: { id: previous.id, createdAt: previous.createdAt },
    types: typeChanges,
    communities,
    added: members.filter((c) => !previousById.has(c.id)).length,
    removed: beforeMembers.filter((c) => !currentIds.has(c.id)).length,
  };
}

/**
 * The monitoring report's figures for an area from a stored coverage run (and the one before it): pure, so the
 * numbers can be checked by hand. Community and demand shares are summed over the area's communities exactly as
 * src/access `rollUp` sums them for a 区 (off-network communities count, uncovered).
 */
export function buildMonitoringReport(input: BuildInput): MonitoringReport {
  const results = resultsOf(input.run);
  const types = results.standards?.facilityTypes ?? [];
  if (input.mapType !== null && !types.some((t) => t.id === input.mapType))
    throw new LifeCircleError(
      'LC_USAGE',
      `type: analysis run ${input.run.id} has no facility type '${input.mapType}' (it has ${types.map((t) => t.id).join(', ')})`,
    );
  const members = membersOf(results.communities, input);
  const population = members.reduce((s, c) => s + (c.population ?? 0), 0);
  const tiers = REPORT_TIERS.map((tier): TierFigures => {
    const standard = TIERS.find((t) => t.id === tier)!;
    const complete = members.filter((c) => c.completeness[tier]?.complete);
    const completePopulation = complete.reduce((s, c) => s + (c.population ?? 0), 0);
    return {
      tier,
      minutes: standard.walkingMinutes ?? 0,
      walkingDistanceM: standard.walkingDistanceM?.value ?? 0,
      source: standard.walkingDistanceM?.source ?? '',
      verified: standard.walkingDistanceM?.verified ?? false,
      types: types.filter((t) => t.tier.value === tier).map((t) => t.id),
      completeCommunities: complete.length,
      communityShare: ratio(complete.length, members.length),
      completePopulation,
      populationShare: ratio(completePopulation, population),
    };
  });
  const counted = input.mapType ? types.filter((t) => t.id === input.mapType) : types;
  const underserved = members
    .map((c) => {
      const uncovered = counted.filter((t) => !c.types[t.id]?.covered);
      return {
        c,
        uncoveredTypes: uncovered.map((t) => t.id),
        uncoveredPopulation: uncovered.reduce((s, t) => s + (c.types[t.id]?.demand ?? 0), 0),
      };
    })
    .filter((w) => w.uncoveredPopulation > 0)
    .sort(
      (a, b) =>
        b.uncoveredPopulation - a.uncoveredPopulation ||
        b.uncoveredTypes.length - a.uncoveredTypes.length ||
        (a.c.id < b.c.id ? -1 : a.c.id > b.c.id ? 1 : 0),
    )
    .map((w, i): WorstServed => ({
      rank: i + 1,
      code: w.c.id,
      name: w.c.name,
      district: w.c.district ?? null,
      subdistrict: w.c.subdistrict ?? null,
      population: w.c.population,
      uncoveredPopulation: w.uncoveredPopulation,
      uncoveredTypes: w.uncoveredTypes,
    }));
  const map: MapCommunity[] = [];
  const rows = members.map((c): CommunityRow => {
    const place = input.places.get(c.id);
    const klass = classOf(c, types, input.mapType);
    if (place)
      map.push({
        code: c.id,
        name: c.name,
        class: klass,
        geometry: place.boundary ?? { type: 'Point', coordinates: [place.location.lon, place.location.lat] },
      });
    return {
      code: c.id,
      name: c.name,
      district: c.district ?? null,
      subdistrict: c.subdistrict ?? null,
      regionCode: place?.regionCode ?? null,
      population: c.population,
      populationEstimated: c.populationEstimated,
      onNetwork: c.onNetwork,
      class: klass,
      covered: [...coveredTypes(c)].sort(),
      completeTiers: REPORT_TIERS.filter((t) => c.completeness[t]?.complete),
    };
  });
  const speed = results.standards?.walkingSpeedMPerMin;
  return {
    city: input.city,
    region: { ...input.region, isCity: input.region.code === input.city.code },
    run: {
      id: input.run.id,
      createdAt: input.run.createdAt,
      inputsHash: input.run.inputsHash,
      engineVersion: input.run.engineVersion,
    },
    generatedAt: input.generatedAt,
    preparedBy: input.preparedBy,
    mapType: input.mapType,
    walkingSpeed: { value: speed?.value ?? 60, source: speed?.source ?? '' },
    communities: members.length,
    communitiesOnNetwork: members.filter((c) => c.onNetwork).length,
    population,
    populationEstimated: members.some((c) => c.populationEstimated),
    tiers,
    types: types.map((t) => typeFigures(t, members)),
    worst: underserved.slice(0, input.worstServed ?? REPORT_DEFAULTS.worstServed),
    allUnderserved: underserved,
    changes: input.previous ? changesSince(input.previous, input, members, types) : null,
    map,
    rows,
    caveats: results.caveats ?? [],
    osmFacilities: (results.caveats ?? []).some((c) => c.includes('OSM')),
  };
}

/** The figures kept with the report's record. */
export function summariseReport(report: MonitoringReport): ReportSummary {
  return {
    communities: report.communities,
    population: report.population,
    tiers: report.tiers.map((t) => ({ tier: t.tier, communityShare: t.communityShare })),
    worst: report.worst
      .slice(0, 5)
      .map((w) => ({ code: w.code, uncoveredPopulation: w.uncoveredPopulation })),
    previousRunId: report.changes?.previousRun.id ?? null,
  };
}
