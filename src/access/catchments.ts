import {
  LocationsByEdge,
  NetworkSearch,
  TargetHits,
  type NetworkLocation,
  type WalkGraph,
} from '../network/index.js';
import type { PlacedCommunities } from './place.js';

/**
 * For each supply point (facility or candidate site), the communities within `limitM` walking metres of it and
 * their distance (the best of their access points), in compressed rows: supply j's communities are
 * `community[start[j]] … community[start[j + 1] − 1]`, nearest first.
 */
export interface Catchments {
  readonly limitM: number;
  readonly start: Uint32Array;
  readonly community: Uint32Array;
  readonly distanceM: Float64Array;
}

/** Reusable search state for catchment searches over one set of communities. */
export class CatchmentSearch {
  private readonly search: NetworkSearch;
  private readonly targets: LocationsByEdge;
  private readonly hits: TargetHits;
  private readonly best: Float64Array;
  private readonly seen: Uint32Array;
  private readonly seenList: number[] = [];

  constructor(
    graph: WalkGraph,
    private readonly communities: PlacedCommunities,
  ) {
    // Distances walked from the community to the supply: search the reversed graph from the supply.
    this.search = new NetworkSearch(graph, 'to-sources');
    this.targets = new LocationsByEdge(graph, communities.accessPoints);
    this.hits = new TargetHits(communities.accessPoints.length);
    this.best = new Float64Array(communities.count).fill(Infinity);
    this.seen = new Uint32Array(communities.count);
  }

  /** Communities within limitM of one location, nearest first (empty when the location is undefined). */
  around(
    location: NetworkLocation | undefined,
    limitM: number,
  ): { community: number[]; distanceM: number[] } {
    if (!location) return { community: [], distanceM: [] };
    this.search.run([location], limitM);
    const found = this.search.collectTargets(this.targets, this.hits);
    const list = this.seenList;
    list.length = 0;
    for (let k = 0; k < found; k++) {
      const c = this.communities.accessPointCommunity[this.hits.targets[k]];
      const d = this.hits.distances[k];
      if (this.best[c] === Infinity) list.push(c);
      if (d < this.best[c]) this.best[c] = d;
    }
    list.sort((a, b) => this.best[a] - this.best[b] || a - b);
    const distanceM = list.map((c) => this.best[c]);
    const community = [...list];
    for (const c of list) this.best[c] = Infinity;
    return { community, distanceM };
  }
}

export function computeCatchments(
  graph: WalkGraph,
  communities: PlacedCommunities,
  supply: readonly (NetworkLocation | undefined)[],
  limitM: number,
  search: CatchmentSearch = new CatchmentSearch(graph, communities),
): Catchments {
  const start = new Uint32Array(supply.length + 1);
  const community: number[] = [];
  const distanceM: number[] = [];
  supply.forEach((location, j) => {
    const around = search.around(location, limitM);
    for (let k = 0; k < around.community.length; k++) {
      community.push(around.community[k]);
      distanceM.push(around.distanceM[k]);
    }
    start[j + 1] = community.length;
  });
  return { limitM, start, community: Uint32Array.from(community), distanceM: Float64Array.from(distanceM) };
}
