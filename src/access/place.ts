import { EdgeIndex, isSnapped, type NetworkLocation, type SnapOptions } from '../network/index.js';
import { boundaryPoints, type Community, type Facility } from '../places/index.js';

/** Communities put on the network: each has one or more access points (its label point and boundary gates). */
export interface PlacedCommunities {
  readonly count: number;
  /** Snapped access points; undefined = did not snap (too far from any walkable way). */
  readonly accessPoints: readonly (NetworkLocation | undefined)[];
  readonly accessPointCommunity: Uint32Array;
  /** WGS-84 position of each access point (as given, before snapping). */
  readonly accessPointLonLat: readonly (readonly [number, number])[];
  /** Communities none of whose access points snapped: every service counts as out of reach for them. */
  readonly offNetwork: readonly number[];
}

/** Access points every `spacingM` along a polygon's boundary (plus its label point); a point community has one. */
export function placeCommunities(
  index: EdgeIndex,
  communities: readonly Community[],
  options: SnapOptions & { readonly spacingM?: number } = {},
): PlacedCommunities {
  const accessPoints: (NetworkLocation | undefined)[] = [];
  const owner: number[] = [];
  const lonLat: (readonly [number, number])[] = [];
  const offNetwork: number[] = [];
  communities.forEach((c, i) => {
    const points: (readonly [number, number])[] = [[c.lon, c.lat]];
    if (c.ring && c.ring.length >= 4) points.push(...boundaryPoints(c.ring, options.spacingM ?? 100));
    let snapped = 0;
    for (const p of points) {
      const s = index.snap(p[0], p[1], options);
      const location = isSnapped(s) ? { edge: s.edge, offsetM: s.offsetM } : undefined;
      if (location) snapped++;
      accessPoints.push(location);
      owner.push(i);
      lonLat.push(p);
    }
    if (snapped === 0) offNetwork.push(i);
  });
  return {
    count: communities.length,
    accessPoints,
    accessPointCommunity: Uint32Array.from(owner),
    accessPointLonLat: lonLat,
    offNetwork,
  };
}

/** Facilities of one type on the network. */
export interface PlacedFacilities {
  readonly typeId: string;
  readonly facilities: readonly Facility[];
  /** undefined = did not snap; the facility is listed but serves no one. */
  readonly locations: readonly (NetworkLocation | undefined)[];
}

export function placeFacilities(
  index: EdgeIndex,
  typeIds: readonly string[],
  facilities: readonly Facility[],
  options: SnapOptions = {},
): PlacedFacilities[] {
  return typeIds.map((typeId) => {
    const ofType = facilities.filter((f) => f.typeId === typeId);
    return {
      typeId,
      facilities: ofType,
      locations: ofType.map((f) => {
        const s = index.snap(f.lon, f.lat, options);
        return isSnapped(s) ? { edge: s.edge, offsetM: s.offsetM } : undefined;
      }),
    };
  });
}
