import { createHash } from 'node:crypto';
import {
  demandFrom,
  type Community as PlaceCommunity,
  type Demand,
  type DistrictCensus,
} from '../places/index.js';
import type { Facility as PlaceFacility } from '../places/index.js';
import { DEMAND_GROUPS, type DemandGroup, type Standards } from '../standards/index.js';
import type { Community, Facility, Page, PageQuery, Store } from '../store/index.js';

/** Everything the evaluation reads from the store, in key order so the inputs hash is stable. */
export interface StoreInputs {
  communities: Community[];
  facilities: Facility[];
  /** 区 code → name, for roll-ups by district. */
  districtNames: Map<string, string>;
  /** 街道 code → name, for roll-ups by 街道 of communities linked to one (a 9- or 12-digit division code). */
  subdistrictNames?: Map<string, string>;
}

async function all<T>(list: (q: PageQuery) => Promise<Page<T>>): Promise<T[]> {
  const out: T[] = [];
  for (let offset = 0; ;) {
    const page = await list({ limit: 1000, offset });
    out.push(...page.items);
    offset += page.items.length;
    if (page.items.length === 0 || offset >= page.total) return out;
  }
}

/**
 * The city's communities (by division code) and the facilities that can serve them: those inside `facilitiesIn`
 * (the network's box grown by the reach of a walk, `evaluateStore`) whatever their division, since an outlet
 * across the city line serves the city's residents too. Other cities of the store are left out.
 */
export async function readStoreInputs(
  store: Store,
  cityCode: string,
  facilitiesIn?: readonly [number, number, number, number],
): Promise<StoreInputs> {
  const communities = await all((q) => store.communities.list({ ...q, within: cityCode }));
  const facilities = await all((q) => store.facilities.list({ ...q, bbox: facilitiesIn }));
  const districts = await store.regions.list({ level: 'district', within: cityCode, limit: 1000 });
  const subdistricts = await all((q) => store.regions.list({ ...q, level: 'subdistrict', within: cityCode }));
  const byCode = (a: { code: string }, b: { code: string }) =>
    a.code < b.code ? -1 : a.code > b.code ? 1 : 0;
  return {
    communities: communities.sort(byCode),
    facilities: facilities.sort(byCode),
    districtNames: new Map(districts.items.map((r) => [r.code, r.name])),
    subdistrictNames: new Map(subdistricts.map((r) => [r.code, r.name])),
  };
}

/**
 * The register's age counts as the standards' demand groups: 0-3岁 (under three) is 0–2, 3-6岁 is 3–5; 6–11,
 * 12–14, 60+ and 80+ (高龄) as they are. Null for a group the register does not give.
 */
function registerDemand(c: StoreInputs['communities'][number]): Partial<Record<DemandGroup, number>> {
  const a = c.ageGroups ?? {};
  const given: Partial<Record<DemandGroup, number | undefined>> = {
    age0to2: a.age0to3,
    age3to5: a.age3to6,
    age6to11: a.age6to11,
    age12to14: a.age12to14,
    age60plus: a.age60plus,
    age80plus: a.age80plus,
  };
  return Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) as Partial<
    Record<DemandGroup, number>
  >;
}

/**
 * Store communities as the evaluation sees them. Demand groups the register counts (`registerDemand`) are used
 * as counted; the others come from the district census shares, and then the age groups are marked estimated.
 */
export function placeCommunitiesFromStore(
  inputs: StoreInputs,
  census: readonly DistrictCensus[],
): PlaceCommunity[] {
  const censusByName = new Map(census.map((c) => [c.name, c]));
  return inputs.communities.map((c) => {
    const district = inputs.districtNames.get(c.regionCode.slice(0, 6));
    const shares = district ? censusByName.get(district)?.shares : undefined;
    const ring = c.boundary?.type === 'Polygon' ? (c.boundary.coordinates as number[][][])[0] : undefined;
    const given = registerDemand(c);
    const counted =
      c.population !== null && DEMAND_GROUPS.every((g) => g === 'all' || given[g] !== undefined);
    const demand: Demand | undefined =
      c.population === null
        ? undefined
        : counted
          ? ({ ...given, all: c.population } as Demand)
          : shares
            ? { ...demandFrom(c.population, shares), ...given }
            : undefined;
    return {
      id: c.code,
      name: c.name,
      code: c.code,
      district,
      // Linked to a 街道 or 社区 code: rolled up under that 街道; otherwise "not linked" in the roll-ups.
      subdistrict:
        c.regionCode.length >= 9 ? inputs.subdistrictNames?.get(c.regionCode.slice(0, 9)) : undefined,
      lon: c.location.lon,
      lat: c.location.lat,
      ring: ring?.map((p) => [p[0], p[1]] as const),
      areaM2: undefined,
      demand,
      populationEstimated: c.populationEstimated,
      ageGroupsEstimated: !counted,
      source: `store community ${c.code}`,
    };
  });
}

/** Open facilities only: planned, suspended and closed outlets serve nobody today. */
export function placeFacilitiesFromStore(inputs: StoreInputs): PlaceFacility[] {
  return inputs.facilities
    .filter((f) => f.status === 'open')
    .map((f) => ({
      id: f.code,
      typeId: f.typeCode,
      name: f.name || undefined,
      lon: f.location.lon,
      lat: f.location.lat,
      capacity: f.capacity ?? undefined,
      source: `store facility ${f.code}`,
    }));
}

/**
 * sha256 over what determines the result: the network's source hash and walking profile, the standards in use
 * (types, radii, capacities) and every community and facility row. Same inputs → same hash → same stored run.
 */
export function inputsHash(networkSha256: string, standards: Standards, inputs: StoreInputs): string {
  const hash = createHash('sha256');
  hash.update(`network:${networkSha256}\n`);
  hash.update(
    `standards:${JSON.stringify(
      standards.facilityTypes.map((t) => [
        t.id,
        t.enabled,
        t.radiusM.value,
        t.catchmentM.value,
        t.defaultCapacity.value,
        t.provision.value,
        t.tier.value,
      ]),
    )}\n`,
  );
  for (const c of inputs.communities) hash.update(`c:${JSON.stringify(c)}\n`);
  for (const f of inputs.facilities) hash.update(`f:${JSON.stringify(f)}\n`);
  return hash.digest('hex');
}
