import {
  EdgeIndex,
  NetworkSearch,
  isSnapped,
  type NetworkLocation,
  type WalkGraph,
} from '../network/index.js';
import { LifeCircleError } from '../errors.js';
import { CatchmentSearch } from './catchments.js';
import type { Evaluation, TypeEvaluation } from './evaluate.js';
import { catchmentDemand, gaussianDecay, uniformDecay, type DecayFunction, type FcaPairs } from './fca.js';

/** A facility to add (or the new place of a moved one). */
export interface FacilityChange {
  readonly lon: number;
  readonly lat: number;
  /** Capacity in the type's unit; the type's default when absent. */
  readonly capacity?: number;
  readonly name?: string;
}

export interface CoverageSummary {
  readonly coveredCommunities: number;
  readonly coveredDemand: number;
  readonly demandShare: number;
  /** Demand-weighted mean 2SFCA / E2SFCA, per 1000 residents of the demand group. */
  readonly fcaPer1000: number;
  readonly e2sfcaPer1000: number;
}

export interface WhatIfResult {
  readonly typeId: string;
  readonly operation: 'add' | 'remove' | 'move';
  /** Id of the facility added, removed or moved. */
  readonly facilityId: string;
  readonly before: CoverageSummary;
  readonly after: CoverageSummary;
  readonly newlyCovered: readonly string[];
  readonly newlyUncovered: readonly string[];
  /** Communities whose 2SFCA or E2SFCA changed. */
  readonly accessibilityChanged: number;
  readonly elapsedMs: number;
}

interface ScenarioFacility {
  readonly id: string;
  readonly location: NetworkLocation | undefined;
  readonly capacity: number;
  readonly community: readonly number[];
  readonly distanceM: readonly number[];
  readonly ratio: number;
  readonly ratioEnhanced: number;
  active: boolean;
}

interface TypeState {
  readonly evaluation: TypeEvaluation;
  readonly facilities: ScenarioFacility[];
  readonly coverCount: Int32Array;
  readonly nearestM: Float64Array;
  readonly nearestFacility: Int32Array;
  readonly fca: Float64Array;
  readonly e2sfca: Float64Array;
}

/**
 * Add, move or remove a facility and see coverage and 2SFCA change, without recomputing the city: a change
 * costs one bounded search around the facility. Adding or removing facility j leaves every other R_k alone
 * (demand is unchanged), so A_i moves by ±R_j·W(d_ij) in j's catchment only. After a removal only the
 * communities whose nearest it was are repaired (issue 15, item 1): one search from each such community's access
 * points, bounded by the nearest-distance limit, reads the type's remaining facilities — work that grows with the
 * communities it served, not with the city (a whole-graph multi-source search took 0.4–0.6 s at a million nodes).
 */
export class WhatIfScenario {
  private readonly states = new Map<string, TypeState>();
  private readonly catchmentSearch: CatchmentSearch;
  /** Walks out of one community's access points: the distance from the community to each facility. */
  private readonly communitySearch: NetworkSearch;
  /** Each community's access points (indices into `placedCommunities.accessPoints`). */
  private readonly accessPointsOf: number[][];
  private readonly index: EdgeIndex;
  private added = 0;

  constructor(
    private readonly graph: WalkGraph,
    private readonly evaluation: Evaluation,
    index?: EdgeIndex,
  ) {
    this.index = index ?? new EdgeIndex(graph);
    this.catchmentSearch = new CatchmentSearch(graph, evaluation.placedCommunities);
    this.communitySearch = new NetworkSearch(graph, 'from-sources');
    this.accessPointsOf = evaluation.communities.map(() => []);
    evaluation.placedCommunities.accessPointCommunity.forEach((c, a) => this.accessPointsOf[c].push(a));
    for (const t of evaluation.types) {
      const c = t.catchments;
      const facilities = t.placed.facilities.map((f, j): ScenarioFacility => {
        const from = c.start[j];
        const to = c.start[j + 1];
        return {
          id: f.id,
          location: t.placed.locations[j],
          capacity: t.capacity[j],
          community: Array.from(c.community.subarray(from, to)),
          distanceM: Array.from(c.distanceM.subarray(from, to)),
          ratio: t.fca.ratio[j],
          ratioEnhanced: t.e2sfca.ratio[j],
          active: true,
        };
      });
      const coverCount = new Int32Array(evaluation.communities.length);
      for (const f of facilities)
        f.community.forEach((ci, k) => {
          if (f.distanceM[k] <= t.type.radiusM.value) coverCount[ci]++;
        });
      this.states.set(t.type.id, {
        evaluation: t,
        facilities,
        coverCount,
        nearestM: Float64Array.from(t.nearestM),
        nearestFacility: Int32Array.from(t.nearestFacility),
        fca: Float64Array.from(t.fca.accessibility),
        e2sfca: Float64Array.from(t.e2sfca.accessibility),
      });
    }
  }

  /** Current coverage of a type (1 = a facility within the radius) and its accessibility, per community (copies). */
  current(typeId: string): {
    covered: Uint8Array;
    nearestM: Float64Array;
    fca: Float64Array;
    e2sfca: Float64Array;
  } {
    const s = this.state(typeId);
    return {
      covered: Uint8Array.from(s.coverCount, (n) => (n > 0 ? 1 : 0)),
      nearestM: Float64Array.from(s.nearestM),
      fca: Float64Array.from(s.fca),
      e2sfca: Float64Array.from(s.e2sfca),
    };
  }

  add(typeId: string, change: FacilityChange): WhatIfResult {
    const started = performance.now();
    const s = this.state(typeId);
    const before = this.snapshot(s);
    const id = `what-if-${++this.added}`;
    this.insert(s, id, change);
    return this.report(s, 'add', id, before, started);
  }

  remove(typeId: string, facilityId: string): WhatIfResult {
    const started = performance.now();
    const s = this.state(typeId);
    const before = this.snapshot(s);
    this.delete(s, facilityId);
    return this.report(s, 'remove', facilityId, before, started);
  }

  move(typeId: string, facilityId: string, to: { lon: number; lat: number }): WhatIfResult {
    const started = performance.now();
    const s = this.state(typeId);
    const before = this.snapshot(s);
    const capacity = this.delete(s, facilityId).capacity;
    this.insert(s, facilityId, { ...to, capacity });
    return this.report(s, 'move', facilityId, before, started);
  }

  private state(typeId: string): TypeState {
    const s = this.states.get(typeId);
    if (!s)
      throw new LifeCircleError(
        'LC_USAGE',
        `facility type "${typeId}" is not in this evaluation; expected one of ${[...this.states.keys()].join(', ')}`,
      );
    return s;
  }

  private insert(s: TypeState, id: string, change: FacilityChange): void {
    const t = s.evaluation.type;
    const snapped = this.index.snap(change.lon, change.lat, this.evaluation.snap);
    if (!isSnapped(snapped))
      throw new LifeCircleError(
        'LC_USAGE',
        `the new ${t.id} at ${change.lon},${change.lat} is ${Math.round(snapped.distanceM)} m from any walkable way; expected a place on the network`,
      );
    const location = { edge: snapped.edge, offsetM: snapped.offsetM };
    // Out to the nearest-distance limit, so nearest distances stay exact; catchment and radius are inside it.
    const around = this.catchmentSearch.around(location, this.evaluation.maxDistanceM);
    const capacity = change.capacity ?? t.defaultCapacity.value;
    const pairs: FcaPairs = {
      start: [0, around.community.length],
      community: around.community,
      distanceM: around.distanceM,
    };
    const f: ScenarioFacility = {
      id,
      location,
      capacity,
      community: around.community,
      distanceM: around.distanceM,
      ratio: ratioOf(pairs, capacity, s.evaluation.demand, t.catchmentM.value, uniformDecay),
      ratioEnhanced: ratioOf(pairs, capacity, s.evaluation.demand, t.catchmentM.value, gaussianDecay),
      active: true,
    };
    const j = s.facilities.length;
    s.facilities.push(f);
    this.apply(s, f, 1);
    around.community.forEach((c, k) => {
      if (around.distanceM[k] < s.nearestM[c]) {
        s.nearestM[c] = around.distanceM[k];
        s.nearestFacility[c] = j;
      }
    });
  }

  private delete(s: TypeState, facilityId: string): ScenarioFacility {
    const j = s.facilities.findIndex((f) => f.id === facilityId && f.active);
    if (j < 0)
      throw new LifeCircleError(
        'LC_USAGE',
        `no active ${s.evaluation.type.id} facility with id "${facilityId}"`,
      );
    const f = s.facilities[j];
    f.active = false;
    this.apply(s, f, -1);
    const orphaned: number[] = [];
    s.nearestFacility.forEach((n, c) => {
      if (n === j) orphaned.push(c);
    });
    if (orphaned.length > 0) this.refreshNearest(s, orphaned);
    return f;
  }

  /** ± one facility's share of coverage and accessibility. */
  private apply(s: TypeState, f: ScenarioFacility, sign: 1 | -1): void {
    const t = s.evaluation.type;
    const d0 = t.catchmentM.value;
    f.community.forEach((c, k) => {
      const d = f.distanceM[k];
      if (d <= t.radiusM.value) s.coverCount[c] += sign;
      s.fca[c] += sign * f.ratio * uniformDecay(d, d0);
      s.e2sfca[c] += sign * f.ratioEnhanced * gaussianDecay(d, d0);
      // Removing the last share must give exactly 0, not a rounding residue.
      if (sign < 0 && Math.abs(s.fca[c]) < 1e-12) s.fca[c] = 0;
      if (sign < 0 && Math.abs(s.e2sfca[c]) < 1e-12) s.e2sfca[c] = 0;
    });
  }

  /**
   * The nearest remaining facility of each community given, within the nearest-distance limit: a bounded search out
   * of the community's access points, then each active facility's distance read off it. Ties go to the facility
   * listed first, as in the full evaluation's search.
   */
  private refreshNearest(s: TypeState, communities: readonly number[]): void {
    const placed = this.evaluation.placedCommunities;
    const search = this.communitySearch;
    for (const c of communities) {
      s.nearestM[c] = Infinity;
      s.nearestFacility[c] = -1;
      const sources: NetworkLocation[] = [];
      for (const a of this.accessPointsOf[c]) {
        const p = placed.accessPoints[a];
        if (p) sources.push(p);
      }
      if (sources.length === 0) continue;
      search.run(sources, this.evaluation.maxDistanceM);
      s.facilities.forEach((f, j) => {
        if (!f.active || !f.location) return;
        const d = search.distanceToLocation(f.location.edge, f.location.offsetM);
        if (d < s.nearestM[c]) {
          s.nearestM[c] = d;
          s.nearestFacility[c] = j;
        }
      });
    }
  }

  private snapshot(s: TypeState): {
    summary: CoverageSummary;
    covered: Uint8Array;
    fca: Float64Array;
    e2: Float64Array;
  } {
    return {
      summary: summarise(s),
      covered: Uint8Array.from(s.coverCount, (n) => (n > 0 ? 1 : 0)),
      fca: Float64Array.from(s.fca),
      e2: Float64Array.from(s.e2sfca),
    };
  }

  private report(
    s: TypeState,
    operation: WhatIfResult['operation'],
    facilityId: string,
    before: ReturnType<WhatIfScenario['snapshot']>,
    started: number,
  ): WhatIfResult {
    const ids = this.evaluation.communities;
    const newlyCovered: string[] = [];
    const newlyUncovered: string[] = [];
    let changed = 0;
    for (let c = 0; c < ids.length; c++) {
      const now = s.coverCount[c] > 0 ? 1 : 0;
      if (now && !before.covered[c]) newlyCovered.push(ids[c].id);
      if (!now && before.covered[c]) newlyUncovered.push(ids[c].id);
      if (Math.abs(s.fca[c] - before.fca[c]) > 1e-12 || Math.abs(s.e2sfca[c] - before.e2[c]) > 1e-12)
        changed++;
    }
    return {
      typeId: s.evaluation.type.id,
      operation,
      facilityId,
      before: before.summary,
      after: summarise(s),
      newlyCovered,
      newlyUncovered,
      accessibilityChanged: changed,
      elapsedMs: performance.now() - started,
    };
  }
}

function ratioOf(
  pairs: FcaPairs,
  capacity: number,
  demand: ArrayLike<number>,
  d0: number,
  decay: DecayFunction,
): number {
  const weighted = catchmentDemand(pairs, 0, demand, d0, decay);
  return weighted > 0 ? capacity / weighted : 0;
}

function summarise(s: TypeState): CoverageSummary {
  const demand = s.evaluation.demand;
  let covered = 0;
  let coveredDemand = 0;
  let total = 0;
  let fca = 0;
  let e2 = 0;
  for (let c = 0; c < demand.length; c++) {
    const on = s.coverCount[c] > 0 ? 1 : 0;
    covered += on;
    coveredDemand += on * demand[c];
    total += demand[c];
    fca += s.fca[c] * demand[c];
    e2 += s.e2sfca[c] * demand[c];
  }
  return {
    coveredCommunities: covered,
    coveredDemand,
    demandShare: total > 0 ? coveredDemand / total : NaN,
    fcaPer1000: total > 0 ? (1000 * fca) / total : NaN,
    e2sfcaPer1000: total > 0 ? (1000 * e2) / total : NaN,
  };
}
