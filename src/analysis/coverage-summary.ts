import { UNKNOWN_DISTRICT } from '../access/index.js';
import { LifeCircleError } from '../errors.js';
import type { AnalysisRun } from '../store/index.js';

/** One facility type's coverage over a group of communities (the city, or one 区). */
export interface TypeCoverage {
  typeId: string;
  communities: number;
  coveredCommunities: number;
  /** Covered communities over all (null for none). */
  communityShare: number | null;
  /** Residents of the type's demand group covered, over all (null when no community has a population). */
  demandShare: number | null;
}

/** What a coverage run found, small enough for a page: the city and each 区, by facility type. */
export interface CoverageSummary {
  runId: number;
  cityCode: string | null;
  createdAt: string;
  communities: number;
  /** Communities on the walking network (the rest are too far from any walkable way to be placed). */
  communitiesOnNetwork: number;
  /** Communities with a population (the others count in community shares only). */
  communitiesWithPopulation: number;
  types: (TypeCoverage & {
    nameZh: string;
    nameEn: string;
    radiusM: number;
    facilities: number;
    facilitiesOnNetwork: number;
  })[];
  /** Each 区; `name` null for the communities not linked to one (the UI says so in its language). */
  districts: { name: string | null; communities: number; types: TypeCoverage[] }[];
  caveats: string[];
}

interface StoredTypeRollup {
  typeId: string;
  communities: number;
  coveredCommunities: number;
  communityShare: number | null;
  demand: number;
  demandShare: number | null;
}

interface StoredResults {
  caveats?: string[];
  standards?: {
    facilityTypes?: { id: string; nameZh: string; nameEn: string; radiusM: { value: number } }[];
  };
  facilities?: { typeId: string; count: number; onNetwork: number }[];
  communities?: { onNetwork: boolean; population: number | null }[];
  rollups?: { level: string; name: string; communities: number; types: StoredTypeRollup[] }[];
}

const share = (v: number | null | undefined): number | null =>
  v === null || v === undefined || !Number.isFinite(v) ? null : v;

const typeCoverage = (t: StoredTypeRollup): TypeCoverage => ({
  typeId: t.typeId,
  communities: t.communities,
  coveredCommunities: t.coveredCommunities,
  communityShare: share(t.communityShare),
  demandShare: t.demand > 0 ? share(t.demandShare) : null,
});

/** The summary of a stored coverage run (src/access's `evaluationToJson` results). */
export function summariseCoverageRun(run: AnalysisRun): CoverageSummary {
  const results = run.results as StoredResults | null;
  const city = results?.rollups?.find((r) => r.level === 'city');
  if (run.kind !== 'coverage' || !results || !city)
    throw new LifeCircleError(
      'LC_USAGE',
      `analysis run ${run.id} is a '${run.kind}' run without coverage results; a summary needs a coverage run`,
    );
  const parameters = (run.parameters ?? {}) as { cityCode?: unknown };
  const facilities = new Map((results.facilities ?? []).map((f) => [f.typeId, f]));
  const names = new Map((results.standards?.facilityTypes ?? []).map((t) => [t.id, t]));
  const communities = results.communities ?? [];
  return {
    runId: run.id,
    cityCode: typeof parameters.cityCode === 'string' ? parameters.cityCode : null,
    createdAt: run.createdAt,
    communities: city.communities,
    communitiesOnNetwork: communities.filter((c) => c.onNetwork).length,
    communitiesWithPopulation: communities.filter((c) => c.population !== null).length,
    types: city.types.map((t) => ({
      ...typeCoverage(t),
      nameZh: names.get(t.typeId)?.nameZh ?? t.typeId,
      nameEn: names.get(t.typeId)?.nameEn ?? t.typeId,
      radiusM: names.get(t.typeId)?.radiusM.value ?? 0,
      facilities: facilities.get(t.typeId)?.count ?? 0,
      facilitiesOnNetwork: facilities.get(t.typeId)?.onNetwork ?? 0,
    })),
    districts: (results.rollups ?? [])
      .filter((r) => r.level === 'district')
      .map((r) => ({
        name: r.name === UNKNOWN_DISTRICT ? null : r.name,
        communities: r.communities,
        types: r.types.map(typeCoverage),
      })),
    caveats: results.caveats ?? [],
  };
}
