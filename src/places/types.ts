import type { DemandGroup } from '../standards/index.js';

/** WGS-84 [lon, lat]. */
export type LonLat = readonly [number, number];

/** Residents per demand group (all, 0–2, 3–5, 6–11, 12–14, 60+). */
export type Demand = Readonly<Record<DemandGroup, number>>;

/** A 社区 or 小区 whose residents the evaluation serves. */
export interface Community {
  readonly id: string;
  readonly name: string;
  /** Community (社区) code, where the source gives one. */
  readonly code: string | undefined;
  /** 区 and 街道 it belongs to, where known. */
  readonly district: string | undefined;
  readonly subdistrict: string | undefined;
  /** A point inside or on it: its label point, or the point given by the file. */
  readonly lon: number;
  readonly lat: number;
  /** Outer boundary (closed ring) where known. */
  readonly ring: readonly LonLat[] | undefined;
  readonly areaM2: number | undefined;
  /** Residents per demand group; undefined where neither the source nor the census could say. */
  readonly demand: Demand | undefined;
  /** True when the total population was estimated from the census (not given by the source). */
  readonly populationEstimated: boolean;
  /** True when the age groups were estimated from district age shares. */
  readonly ageGroupsEstimated: boolean;
  /** Where it came from: 'osm:way/123' or 'file.csv line 5'. */
  readonly source: string;
}

/** A facility of one type. A place serving several types appears once per type. */
export interface Facility {
  readonly id: string;
  readonly typeId: string;
  readonly name: string | undefined;
  readonly lon: number;
  readonly lat: number;
  /** Capacity from the data (OSM `capacity`, imported field); undefined = use the type's default. */
  readonly capacity: number | undefined;
  readonly source: string;
}
