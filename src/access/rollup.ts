import type { Community } from '../places/index.js';
import type { TierId } from '../standards/index.js';
import type { Evaluation } from './evaluate.js';

/** 社区 (each community), 街道, 区 and the whole city. */
export type RollupLevel = 'community' | 'subdistrict' | 'district' | 'city';

/**
 * Group names are data in the city's language, like the district names beside them (锦江区): one language per
 * string, never "中文 English" pairs the UI cannot translate (issue 14).
 */
export const UNKNOWN_DISTRICT = '（未知区）';
/** Communities not linked to a 街道 (no 街道 or 社区 code): said so, not called unknown. */
export const UNKNOWN_SUBDISTRICT = '（未关联街道）';

export interface TypeRollup {
  readonly typeId: string;
  readonly communities: number;
  readonly coveredCommunities: number;
  /** coveredCommunities / communities (NaN for an empty group). */
  readonly communityShare: number;
  /** Residents of the type's demand group, and those with a facility within the radius. */
  readonly demand: number;
  readonly coveredDemand: number;
  readonly demandShare: number;
  /** Demand-weighted mean of the 2SFCA and E2SFCA accessibility, per 1000 residents of the demand group. */
  readonly fcaPer1000: number;
  readonly e2sfcaPer1000: number;
}

export interface TierRollup {
  readonly tier: TierId;
  readonly completeCommunities: number;
  readonly communityShare: number;
  /** Residents (all ages) of complete communities, and their share. */
  readonly completePopulation: number;
  readonly populationShare: number;
}

export interface Rollup {
  readonly level: RollupLevel;
  /** Group key: community id, 'district/subdistrict', district, or 'city'. */
  readonly key: string;
  readonly name: string;
  readonly communities: number;
  readonly population: number;
  /** True when any population in the group is a census estimate. */
  readonly populationEstimated: boolean;
  readonly types: readonly TypeRollup[];
  readonly tiers: readonly TierRollup[];
}

function groupOf(level: RollupLevel, c: Community): { key: string; name: string } {
  const district = c.district ?? UNKNOWN_DISTRICT;
  switch (level) {
    case 'community':
      return { key: c.id, name: c.name };
    case 'subdistrict': {
      const sub = c.subdistrict ?? UNKNOWN_SUBDISTRICT;
      return { key: `${district}/${sub}`, name: `${district} ${sub}` };
    }
    case 'district':
      return { key: district, name: district };
    case 'city':
      return { key: 'city', name: '全市' };
  }
}

/** Coverage and completeness summed over the communities of each group at a level, in first-seen order. */
export function rollUp(evaluation: Evaluation, level: RollupLevel): Rollup[] {
  const groups = new Map<string, { name: string; members: number[] }>();
  evaluation.communities.forEach((c, i) => {
    const { key, name } = groupOf(level, c);
    const g = groups.get(key);
    if (g) g.members.push(i);
    else groups.set(key, { name, members: [i] });
  });
  return [...groups].map(([key, { name, members }]) => {
    const population = members.reduce((s, i) => s + (evaluation.communities[i].demand?.all ?? 0), 0);
    const types = evaluation.types.map((t): TypeRollup => {
      let covered = 0;
      let demand = 0;
      let coveredDemand = 0;
      let fca = 0;
      let e2 = 0;
      for (const i of members) {
        covered += t.covered[i];
        demand += t.demand[i];
        coveredDemand += t.covered[i] * t.demand[i];
        fca += t.fca.accessibility[i] * t.demand[i];
        e2 += t.e2sfca.accessibility[i] * t.demand[i];
      }
      return {
        typeId: t.type.id,
        communities: members.length,
        coveredCommunities: covered,
        communityShare: covered / members.length,
        demand,
        coveredDemand,
        demandShare: demand > 0 ? coveredDemand / demand : NaN,
        fcaPer1000: demand > 0 ? (1000 * fca) / demand : NaN,
        e2sfcaPer1000: demand > 0 ? (1000 * e2) / demand : NaN,
      };
    });
    const tiers = evaluation.completeness.map((t): TierRollup => {
      const complete = members.filter((i) => t.missing[i].length === 0);
      const completePopulation = complete.reduce(
        (s, i) => s + (evaluation.communities[i].demand?.all ?? 0),
        0,
      );
      return {
        tier: t.tier,
        completeCommunities: complete.length,
        communityShare: complete.length / members.length,
        completePopulation,
        populationShare: population > 0 ? completePopulation / population : NaN,
      };
    });
    return {
      level,
      key,
      name,
      communities: members.length,
      population,
      populationEstimated: members.some((i) => evaluation.communities[i].populationEstimated),
      types,
      tiers,
    };
  });
}

export interface Gap {
  readonly communityIndex: number;
  readonly communityId: string;
  readonly name: string;
  readonly district: string | undefined;
  readonly subdistrict: string | undefined;
  /** Residents of the type's demand group left without a facility within the radius. */
  readonly demand: number;
  readonly demandEstimated: boolean;
  /** Walking metres to the nearest facility (Infinity = none within the search limit). */
  readonly nearestM: number;
}

export interface TypeGaps {
  readonly typeId: string;
  readonly uncoveredCommunities: number;
  readonly uncoveredDemand: number;
  /** Uncovered communities, most demand first (then farthest first). */
  readonly gaps: readonly Gap[];
}

/** Uncovered communities and their demand per type, ranked. */
export function findGaps(evaluation: Evaluation): TypeGaps[] {
  return evaluation.types.map((t) => {
    const gaps: Gap[] = [];
    evaluation.communities.forEach((c, i) => {
      if (t.covered[i]) return;
      gaps.push({
        communityIndex: i,
        communityId: c.id,
        name: c.name,
        district: c.district,
        subdistrict: c.subdistrict,
        demand: t.demand[i],
        demandEstimated: c.populationEstimated || (t.type.demandGroup !== 'all' && c.ageGroupsEstimated),
        nearestM: t.nearestM[i],
      });
    });
    gaps.sort(
      (a, b) => b.demand - a.demand || b.nearestM - a.nearestM || a.communityIndex - b.communityIndex,
    );
    return {
      typeId: t.type.id,
      uncoveredCommunities: gaps.length,
      uncoveredDemand: gaps.reduce((s, g) => s + g.demand, 0),
      gaps,
    };
  });
}
