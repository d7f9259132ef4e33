import { toCsv } from '../tabular/index.js';
import { checkCompleteCommunity } from './checklist.js';
import type { Evaluation } from './evaluate.js';
import type { FormatsResult } from './formats.js';
import { findGaps, rollUp, type RollupLevel } from './rollup.js';

/** Shown with every result computed on the bundled OSM extract (see data/chengdu-central/SOURCE.md). */
export const THIN_POI_CAVEAT =
  'OSM 的中国设施点覆盖很稀疏：覆盖率同时反映地图完整度与服务供给。 OSM POI coverage in China is thin: coverage measures mapping completeness as much as service supply.';

const round = (v: number, digits = 1) =>
  Number.isFinite(v) ? Number(v.toFixed(digits)) : v === Infinity ? null : null;

/** Everything as one JSON-ready object: standards used (with provenance), per-community results, roll-ups, gaps. */
export function evaluationToJson(
  evaluation: Evaluation,
  caveats: readonly string[] = [],
  formats?: FormatsResult,
): unknown {
  const { communities, types, completeness, standards } = evaluation;
  return {
    caveats,
    standards: {
      city: standards.city,
      configFile: standards.configFile,
      walkingSpeedMPerMin: standards.walkingSpeedMPerMin,
      facilityTypes: types.map(({ type }) => ({
        id: type.id,
        nameZh: type.nameZh,
        nameEn: type.nameEn,
        tier: type.tier,
        radiusM: type.radiusM,
        catchmentM: type.catchmentM,
        provision: type.provision,
        demandGroup: type.demandGroup,
        capacityUnit: type.capacityUnit,
        defaultCapacity: type.defaultCapacity,
      })),
      decay: 'E2SFCA Gaussian W(d) = (exp(-0.5 (d/d0)^2) - exp(-0.5)) / (1 - exp(-0.5)), d ≤ d0',
    },
    facilityList: types.flatMap((t) =>
      t.placed.facilities.map((f, j) => ({
        id: f.id,
        typeId: t.type.id,
        name: f.name ?? null,
        lon: f.lon,
        lat: f.lat,
        onNetwork: t.placed.locations[j] !== undefined,
        capacity: t.capacity[j],
        capacitySource: t.capacityFromData[j] ? 'data' : 'type default (unverified unless set by the city)',
        source: f.source,
      })),
    ),
    facilities: types.map((t) => ({
      typeId: t.type.id,
      count: t.placed.facilities.length,
      onNetwork: t.placed.locations.filter((l) => l).length,
      capacityFromData: t.capacityFromData.reduce((s, v) => s + v, 0),
      capacityDefault: t.capacityFromData.length - t.capacityFromData.reduce((s, v) => s + v, 0),
    })),
    communities: communities.map((c, i) => ({
      id: c.id,
      name: c.name,
      district: c.district,
      subdistrict: c.subdistrict,
      population: c.demand ? round(c.demand.all, 0) : null,
      populationEstimated: c.populationEstimated,
      ageGroupsEstimated: c.ageGroupsEstimated,
      onNetwork: !evaluation.placedCommunities.offNetwork.includes(i),
      types: Object.fromEntries(
        types.map((t) => [
          t.type.id,
          {
            nearestM: round(t.nearestM[i]),
            nearestMinutes: round(t.nearestM[i] / standards.walkingSpeedMPerMin.value),
            countWithinRadius: t.countWithinRadius[i],
            covered: t.covered[i] === 1,
            demand: round(t.demand[i], 0),
            fcaPer1000: round(1000 * t.fca.accessibility[i], 3),
            e2sfcaPer1000: round(1000 * t.e2sfca.accessibility[i], 3),
          },
        ]),
      ),
      completeness: Object.fromEntries(
        completeness.map((t) => [t.tier, { complete: t.missing[i].length === 0, missing: t.missing[i] }]),
      ),
    })),
    completeCommunityChecklist: checkCompleteCommunity(types, communities.length).map((r) => ({
      id: r.item.id,
      domainZh: r.item.domainZh,
      itemZh: r.item.itemZh,
      itemEn: r.item.itemEn,
      facilityTypes: r.item.facilityTypes,
      requirement: r.item.requirement,
      checkable: r.checkable,
      communitiesMet: r.checkable ? r.met.reduce((s, v) => s + v, 0) : null,
      shareMet:
        r.checkable && communities.length > 0
          ? round(r.met.reduce((s, v) => s + v, 0) / communities.length, 4)
          : null,
    })),
    businessFormats: formats && {
      basicTotal: formats.basicTotal,
      formats: formats.formats.map((f) => ({
        id: f.format.id,
        nameZh: f.format.nameZh,
        formatClass: f.format.formatClass,
        provenance: f.format.provenance,
        walkingMinutes: f.format.walkingMinutes ?? null,
        radiusM: f.radiusM,
        communitiesWithin: f.present.reduce((s, v) => s + v, 0),
      })),
      perCommunity: communities.map((c, i) => ({
        id: c.id,
        basicPresent: formats.basicPresent[i],
        qualityPresent: formats.qualityPresent[i],
        missingBasic: formats.formats
          .filter((f) => f.format.formatClass === 'basic' && !f.present[i])
          .map((f) => f.format.id),
      })),
    },
    rollups: (['city', 'district', 'subdistrict'] as RollupLevel[]).flatMap((level) =>
      rollUp(evaluation, level),
    ),
    gaps: findGaps(evaluation).map((g) => ({ ...g, gaps: g.gaps.slice(0, 50) })),
  };
}

/** One row per community × type: nearest metres, count in radius, covered, demand, 2SFCA, E2SFCA. */
export function coverageCsv(evaluation: Evaluation): string {
  const rows: unknown[][] = [
    [
      'community_id',
      'community',
      'district',
      'subdistrict',
      'type',
      'radius_m',
      'radius_verified',
      'nearest_m',
      'nearest_min',
      'count_within_radius',
      'covered',
      'demand_group',
      'demand',
      'demand_estimated',
      'fca_per_1000',
      'e2sfca_per_1000',
    ],
  ];
  evaluation.communities.forEach((c, i) => {
    for (const t of evaluation.types)
      rows.push([
        c.id,
        c.name,
        c.district,
        c.subdistrict,
        t.type.id,
        t.type.radiusM.value,
        t.type.radiusM.verified ? 1 : 0,
        round(t.nearestM[i]),
        round(t.nearestM[i] / evaluation.standards.walkingSpeedMPerMin.value),
        t.countWithinRadius[i],
        t.covered[i],
        t.type.demandGroup,
        round(t.demand[i], 0),
        c.populationEstimated || c.ageGroupsEstimated ? 1 : 0,
        round(1000 * t.fca.accessibility[i], 3),
        round(1000 * t.e2sfca.accessibility[i], 3),
      ]);
  });
  return toCsv(rows);
}

/** One row per group × type at the city, district and subdistrict levels. */
export function rollupCsv(evaluation: Evaluation): string {
  const rows: unknown[][] = [
    [
      'level',
      'key',
      'name',
      'type',
      'communities',
      'covered_communities',
      'community_share',
      'demand',
      'covered_demand',
      'demand_share',
      'fca_per_1000',
      'e2sfca_per_1000',
      'population_estimated',
    ],
  ];
  for (const level of ['city', 'district', 'subdistrict'] as RollupLevel[])
    for (const g of rollUp(evaluation, level))
      for (const t of g.types)
        rows.push([
          level,
          g.key,
          g.name,
          t.typeId,
          t.communities,
          t.coveredCommunities,
          round(t.communityShare, 4),
          round(t.demand, 0),
          round(t.coveredDemand, 0),
          round(t.demandShare, 4),
          round(t.fcaPer1000, 3),
          round(t.e2sfcaPer1000, 3),
          g.populationEstimated ? 1 : 0,
        ]);
  return toCsv(rows);
}

/** Communities as GeoJSON (polygon where known, else point) with coverage and completeness properties. */
export function communitiesGeoJson(evaluation: Evaluation, caveats: readonly string[] = []): unknown {
  return {
    type: 'FeatureCollection',
    caveats,
    features: evaluation.communities.map((c, i) => ({
      type: 'Feature',
      id: c.id,
      geometry: c.ring
        ? { type: 'Polygon', coordinates: [c.ring.map((p) => [p[0], p[1]])] }
        : { type: 'Point', coordinates: [c.lon, c.lat] },
      properties: {
        name: c.name,
        district: c.district ?? null,
        subdistrict: c.subdistrict ?? null,
        population: c.demand ? round(c.demand.all, 0) : null,
        populationEstimated: c.populationEstimated,
        ...Object.fromEntries(evaluation.types.map((t) => [`covered_${t.type.id}`, t.covered[i] === 1])),
        ...Object.fromEntries(evaluation.types.map((t) => [`nearest_m_${t.type.id}`, round(t.nearestM[i])])),
        ...Object.fromEntries(
          evaluation.completeness.map((t) => [`missing_${t.tier}`, t.missing[i].join(' ')]),
        ),
      },
    })),
  };
}

/**
 * District roll-ups as GeoJSON: each district outline with its coverage shares per type and completeness rates as
 * properties. Districts without an outline are left out (they stay in rollups.csv).
 */
export function districtsGeoJson(
  evaluation: Evaluation,
  outlines: ReadonlyMap<string, unknown>,
  caveats: readonly string[] = [],
): unknown {
  return {
    type: 'FeatureCollection',
    caveats,
    features: rollUp(evaluation, 'district')
      .filter((g) => outlines.has(g.key))
      .map((g) => ({
        type: 'Feature',
        id: g.key,
        geometry: outlines.get(g.key),
        properties: {
          name: g.name,
          communities: g.communities,
          population: round(g.population, 0),
          populationEstimated: g.populationEstimated,
          ...Object.fromEntries(
            g.types.map((t) => [`community_share_${t.typeId}`, round(t.communityShare, 4)]),
          ),
          ...Object.fromEntries(g.types.map((t) => [`demand_share_${t.typeId}`, round(t.demandShare, 4)])),
          ...Object.fromEntries(g.tiers.map((t) => [`complete_share_${t.tier}`, round(t.communityShare, 4)])),
        },
      })),
  };
}
