import { LifeCircleError } from '../errors.js';
import { DEMAND_GROUPS, type DemandGroup } from '../standards/index.js';
import type { DistrictCensus } from './census.js';
import { districtAt, shareInside, type District } from './districts.js';
import type { ResidentialArea } from './osm-places.js';
import type { Community, Demand } from './types.js';

export interface EstimateOptions {
  readonly census: readonly DistrictCensus[];
  readonly districts: readonly District[];
  /**
   * Box where the residential mapping is taken as complete (the extract's bounds). Only this part of each
   * district's population is spread over its residential areas. Undefined = the whole district.
   */
  readonly region: readonly [number, number, number, number] | undefined;
}

export interface EstimateReport {
  readonly communities: Community[];
  /** Per district: residents placed, the share of its area inside the region, residential m² mapped. */
  readonly districts: readonly {
    readonly name: string;
    readonly censusPopulation: number;
    readonly shareOfAreaInRegion: number;
    readonly residentialAreaM2: number;
    readonly residentsPlaced: number;
  }[];
  /** Residential areas outside every district outline (left without population). */
  readonly unassigned: number;
}

/**
 * Population of OSM residential areas from district census totals, in proportion to area:
 *
 *   P_c = P_d · s_d · A_c / Σ_{c' ∈ d} A_c'
 *
 * with P_d the district's census population, s_d the share of the district's area inside the region the data
 * cover, A_c the residential area's area. Age groups: P_c times the district's demand-group shares. Every value
 * is marked estimated. Where OSM maps only part of the residential land, each area gets too many people: the
 * totals are right, the distribution is as good as the mapping.
 */
export function estimateFromCensus(
  areas: readonly ResidentialArea[],
  options: EstimateOptions,
): EstimateReport {
  const byName = new Map(options.census.map((c) => [c.name, c]));
  const districtOf = areas.map((a) => districtAt(options.districts, a.lon, a.lat));
  const areaSum = new Map<string, number>();
  districtOf.forEach((d, i) => {
    if (d) areaSum.set(d.name, (areaSum.get(d.name) ?? 0) + areas[i].areaM2);
  });
  const placed = new Map<string, { census: DistrictCensus; share: number }>();
  for (const name of areaSum.keys()) {
    const census = byName.get(name);
    if (!census)
      throw new LifeCircleError(
        'LC_CENSUS',
        `no census row for district ${name}; expected a row whose 区县 is ${name} in the census file`,
      );
    const district = options.districts.find((d) => d.name === name) as District;
    placed.set(name, { census, share: options.region ? shareInside(district, options.region) : 1 });
  }
  const communities = areas.map((a, i): Community => {
    const d = districtOf[i];
    const info = d ? placed.get(d.name) : undefined;
    const population =
      info && d
        ? (info.census.population * info.share * a.areaM2) / (areaSum.get(d.name) as number)
        : undefined;
    return {
      id: a.id,
      name: a.name,
      code: undefined,
      district: d?.name,
      subdistrict: undefined,
      lon: a.lon,
      lat: a.lat,
      ring: a.ring,
      areaM2: a.areaM2,
      demand: population === undefined || !info ? undefined : demandFrom(population, info.census.shares),
      populationEstimated: true,
      ageGroupsEstimated: true,
      source: a.source,
    };
  });
  return {
    communities,
    districts: [...placed].map(([name, { census, share }]) => ({
      name,
      censusPopulation: census.population,
      shareOfAreaInRegion: share,
      residentialAreaM2: areaSum.get(name) as number,
      residentsPlaced: census.population * share,
    })),
    unassigned: districtOf.filter((d) => !d).length,
  };
}

export function demandFrom(population: number, shares: Readonly<Record<DemandGroup, number>>): Demand {
  return Object.fromEntries(DEMAND_GROUPS.map((g) => [g, population * shares[g]])) as Record<
    DemandGroup,
    number
  >;
}
