import { LifeCircleError } from '../errors.js';
import type { DistrictCensus } from './census.js';
import { districtAt, type District } from './districts.js';
import { demandFrom, estimateFromCensus } from './estimate.js';
import type { CommunityRecord } from './import-files.js';
import type { Community, Demand } from './types.js';

/**
 * Communities from a file's records, filling what the file leaves out from the census: a missing population is
 * estimated by area among the file's polygons of the same district (estimateFromCensus, with the file's extent
 * as the region); missing age groups come from the district's age shares. Each estimate is flagged.
 */
export function communitiesFromRecords(
  records: readonly CommunityRecord[],
  census: readonly DistrictCensus[],
  districts: readonly District[],
): Community[] {
  const byName = new Map(census.map((c) => [c.name, c]));
  const districtName = (r: CommunityRecord) => r.district ?? districtAt(districts, r.lon, r.lat)?.name;
  const missing = records.filter((r) => r.population === undefined);
  const estimated = new Map<string, Demand | undefined>();
  if (missing.length > 0) {
    const unplaced = missing.find((r) => r.ring === undefined);
    if (unplaced)
      throw new LifeCircleError(
        'LC_POINTS_FORMAT',
        `${unplaced.source}: population should be given for a community without a polygon (it cannot be estimated by area)`,
      );
    const lons = records.flatMap((r) => (r.ring ?? [[r.lon, r.lat]]).map((p) => p[0]));
    const lats = records.flatMap((r) => (r.ring ?? [[r.lon, r.lat]]).map((p) => p[1]));
    const report = estimateFromCensus(
      missing.map((r) => ({
        id: r.id,
        name: r.name,
        named: true,
        ring: r.ring ?? [],
        areaM2: r.areaM2 ?? 0,
        lon: r.lon,
        lat: r.lat,
        source: r.source,
      })),
      {
        census,
        districts,
        region: [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)],
      },
    );
    report.communities.forEach((c) => estimated.set(c.id, c.demand));
  }
  return records.map((r): Community => {
    const district = districtName(r);
    let demand: Demand | undefined;
    let ageGroupsEstimated = false;
    if (r.population === undefined) {
      demand = estimated.get(r.id);
      ageGroupsEstimated = true;
    } else if (r.ageGroups?.age0to2 !== undefined) {
      // The file counts the standards' groups. 高龄 (80+), optional in files, is its count, else the district's
      // census share, else the census-wide share of 80+ among the 60+ applied to the file's own 60+ count.
      const c = district ? byName.get(district) : undefined;
      const counted = r.ageGroups.age80plus;
      const aged =
        counted ??
        (c ? r.population * c.shares.age80plus : (r.ageGroups.age60plus ?? 0) * agedAmongOlder(census));
      demand = { ...(r.ageGroups as Demand), all: r.population, age80plus: aged };
      ageGroupsEstimated = counted === undefined;
    } else {
      const c = district ? byName.get(district) : undefined;
      if (!c)
        throw new LifeCircleError(
          'LC_CENSUS',
          `${r.source}: age groups are missing and no census district matches ${district ?? 'its location'}; give age_0_2 … age_60_plus or a district with census data`,
        );
      demand = { ...demandFrom(r.population, c.shares), ...r.ageGroups };
      ageGroupsEstimated = true;
    }
    return {
      id: r.id,
      name: r.name,
      code: r.code,
      district,
      subdistrict: r.subdistrict,
      lon: r.lon,
      lat: r.lat,
      ring: r.ring,
      areaM2: r.areaM2,
      demand,
      populationEstimated: r.population === undefined,
      ageGroupsEstimated,
      source: r.source,
    };
  });
}

/** Residents aged 80+ per resident aged 60+ over the census rows given (0 without any). */
function agedAmongOlder(census: readonly DistrictCensus[]): number {
  const older = census.reduce((sum, c) => sum + c.population * c.shares.age60plus, 0);
  const aged = census.reduce((sum, c) => sum + c.population * c.shares.age80plus, 0);
  return older > 0 ? aged / older : 0;
}
