import { sourced, type Sourced } from './provenance.js';

/**
 * Life-circle tiers of GB 50180-2018《城市居住区规划设计标准》 (术语 2.0.2–2.0.5, 表 3.0.4), smallest first.
 * Facility requirements add up across tiers (条文说明 5.0.2): a 15-minute area also needs every 10-minute,
 * 5-minute and 居住街坊 item, so `rank` orders them.
 */
export type TierId = 'neighbourhood-block' | 'five-minute' | 'ten-minute' | 'fifteen-minute';

export interface LifeCircleTier {
  readonly id: TierId;
  readonly nameZh: string;
  readonly nameEn: string;
  /** 0 = 居住街坊 … 3 = 十五分钟生活圈. */
  readonly rank: number;
  /** Walking distance that defines the tier, metres; undefined where the standard sets none (居住街坊). */
  readonly walkingDistanceM: Sourced<number> | undefined;
  /** Walking minutes at the planning walking speed, for display. */
  readonly walkingMinutes: number | undefined;
  readonly residents: Sourced<readonly [number, number]> | undefined;
  readonly dwellings: Sourced<readonly [number, number]> | undefined;
}

const CCPR = 'GB 50180-2018 术语 2.0.2 / 表 3.0.4 (CCPR glossary http://ccprjournal.com.cn/news/9923.htm)';

export const TIERS: readonly LifeCircleTier[] = [
  {
    id: 'neighbourhood-block',
    nameZh: '居住街坊',
    nameEn: 'Residential block',
    rank: 0,
    walkingDistanceM: undefined,
    walkingMinutes: undefined,
    residents: sourced(
      [1000, 3000] as const,
      'GB 50180-2018 术语 2.0.5 (secondary source quoting the clause)',
      true,
    ),
    dwellings: undefined,
  },
  {
    id: 'five-minute',
    nameZh: '五分钟生活圈居住区',
    nameEn: '5-minute life circle',
    rank: 1,
    walkingDistanceM: sourced(
      300,
      'GB 50180-2018 表 3.0.4 (secondary sources)',
      false,
      'official cell not seen',
    ),
    walkingMinutes: 5,
    residents: sourced(
      [5000, 12000] as const,
      'GB 50180-2018 术语 2.0.3 (secondary quotation of the clause)',
      false,
    ),
    dwellings: sourced([1500, 4000] as const, 'GB 50180-2018 术语 2.0.3 (secondary quotation)', false),
  },
  {
    id: 'ten-minute',
    nameZh: '十分钟生活圈居住区',
    nameEn: '10-minute life circle',
    rank: 2,
    walkingDistanceM: sourced(
      500,
      'GB 50180-2018 表 3.0.4 via 中国大百科全书 (https://zgbk.com/ecph/words?ID=491601)',
      true,
    ),
    walkingMinutes: 10,
    residents: sourced([15000, 25000] as const, 'GB 50180-2018 via 中国大百科全书', true),
    dwellings: sourced([5000, 8000] as const, 'GB 50180-2018 via 中国大百科全书', true),
  },
  {
    id: 'fifteen-minute',
    nameZh: '十五分钟生活圈居住区',
    nameEn: '15-minute life circle',
    rank: 3,
    walkingDistanceM: sourced(
      1000,
      'GB 50180-2018 表 3.0.4 (secondary sources; consistent with TD/T 1062-2021)',
      false,
      'range 800–1000 m; the upper bound is used',
    ),
    walkingMinutes: 15,
    residents: sourced([50000, 100000] as const, CCPR, true),
    dwellings: sourced([17000, 32000] as const, CCPR, true),
  },
];

/** Planning walking speed: 60 m/min, common practice (secondary sources), not from the standard. */
export const WALKING_SPEED_M_PER_MIN: Sourced<number> = sourced(
  60,
  'common planning practice (secondary sources)',
  false,
  'not a value of GB 50180-2018',
);

export const TIER_IDS: readonly TierId[] = TIERS.map((t) => t.id);

export function tierById(id: TierId): LifeCircleTier {
  const tier = TIERS.find((t) => t.id === id);
  if (!tier) throw new Error(`unknown tier ${id}`);
  return tier;
}
