// SYNTHETIC registers for the benchmarks: outlets and 好差评 ratings of no real place, person or company. The
// draws from `rand` come in a fixed order, so a seed gives the same store on every machine.
import type { Facility, StoredRating } from '../src/store/index.js';

export const LEVELS = [
  'very_satisfied',
  'satisfied',
  'basically_satisfied',
  'dissatisfied',
  'very_dissatisfied',
] as const;

export interface Box {
  west: number;
  south: number;
  spanLon: number;
  spanLat: number;
}

/** Outlet `BF<i>` at a uniform position in the box, 5 % of them closed. */
export function syntheticFacility(
  i: number,
  rand: () => number,
  box: Box,
  of: Pick<Facility, 'typeCode' | 'regionCode' | 'providerUscc'>,
): Facility {
  return {
    code: `BF${i}`,
    name: `合成网点${i}`,
    ...of,
    location: { lon: box.west + rand() * box.spanLon, lat: box.south + rand() * box.spanLat },
    address: null,
    capacity: null,
    affordable: false,
    status: rand() < 0.05 ? 'closed' : 'open',
    contactPhone: null,
  };
}

/** Rating `BR<i>` of a random outlet among `BF0…BF<facilities-1>` by its own account, 5 % held. */
export function syntheticRating(
  i: number,
  rand: () => number,
  facilities: number,
  of: Pick<StoredRating, 'serviceType' | 'providerUscc'>,
): StoredRating {
  return {
    id: `BR${i}`,
    accountId: `synthetic-${i}`,
    outletId: `BF${Math.floor(rand() * facilities)}`,
    ...of,
    regionCode: '510104',
    eventId: `e${i}`,
    level: LEVELS[Math.floor(rand() * LEVELS.length)],
    tags: [],
    text: '',
    channel: 'web',
    createdAt: '2026-03-01T00:00:00.000Z',
    status: rand() < 0.95 ? 'published' : 'held',
    flags: [],
    enteredBy: null,
    moderation: null,
  } as StoredRating;
}
