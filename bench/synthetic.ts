// SYNTHETIC registers for the benchmarks: outlets and 好差评 ratings of no real place, person or company. The
// draws from `rand` come in a fixed order, so a seed gives the same store on every machine.
import { orgCodeCheckChar, usccCheckChar } from '../src/registry/index.js';
import type { Facility, Store, StoredRating } from '../src/store/index.js';

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

/** The benches' synthetic operator: a 统一社会信用代码 with valid check characters, of no real company. */
const body8 = '9BENCH00';
const first17 = `91510104${body8}${orgCodeCheckChar(body8)}`;
export const BENCH_USCC = first17 + usccCheckChar(first17);

/**
 * Fills a store in one transaction: the bench operator, `facilities` synthetic pharmacies in `box` and `ratings`
 * synthetic ratings of them (draws in that order, so a seed gives the same store).
 */
export async function fillSyntheticStore(
  store: Store,
  rand: () => number,
  box: Box,
  counts: { facilities: number; ratings: number },
): Promise<void> {
  await store.transaction(async (tx) => {
    await tx.providers.upsert({
      uscc: BENCH_USCC,
      name: '合成测试运营主体（基准测试）',
      regionCode: null,
      domains: ['health'],
      contactName: null,
      contactPhone: null,
    });
    const of = { typeCode: 'pharmacy', regionCode: '510104', providerUscc: BENCH_USCC };
    for (let i = 0; i < counts.facilities; i++)
      await tx.facilities.upsert(syntheticFacility(i, rand, box, of));
    for (let i = 0; i < counts.ratings; i++)
      await tx.ratings.insert(
        syntheticRating(i, rand, counts.facilities, { serviceType: 'pharmacy', providerUscc: BENCH_USCC }),
      );
  });
}

/** A synthetic pharmacy register of `rows` rows (codes and names made up) at uniform positions in `box`. */
export function syntheticImportFile(prefix: string, rand: () => number, box: Box, rows: number): string {
  const lines = ['设施编码,设施名称,设施类型,经度,纬度'];
  for (let i = 0; i < rows; i++)
    lines.push(
      `${prefix}-${i},合成导入药店${prefix}${i},药店,${(box.west + rand() * box.spanLon).toFixed(6)},${(box.south + rand() * box.spanLat).toFixed(6)}`,
    );
  return lines.join('\n');
}
