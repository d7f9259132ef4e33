import { sourced, type Sourced } from './provenance.js';
import type { OsmSelector } from './facility-types.js';

/**
 * Business formats (业态) of the 城市一刻钟便民生活圈 (商务部等11部门《城市一刻钟便民生活圈建设指南》, 2021-07-20):
 * 基本保障类 (basic) and 品质提升类 (quality). The basic list is the part of the guide we have seen (its tail was
 * cut off); the quality list is not published in what we found, so those rows come from secondary sources.
 */
export type FormatClass = 'basic' | 'quality';

export interface BusinessFormat {
  readonly id: string;
  readonly nameZh: string;
  readonly nameEn: string;
  readonly formatClass: FormatClass;
  /** Walking minutes of the 商务部 press explanation's ladder (5/8/15), where it names the format. */
  readonly walkingMinutes: Sourced<number> | undefined;
  readonly osm: readonly OsmSelector[];
  readonly provenance: Sourced<FormatClass>;
}

const GUIDE = '《城市一刻钟便民生活圈建设指南》2021 基本保障类业态 (fxcwl.com excerpt; list tail cut off)';
const QUALITY = '品质提升类业态: official list not found; examples from 中国消费者报 (sdenews.com 2024-07)';
const LADDER = '商务部 press explanation of the walking-time ladder (sd.china.com 2021-09-04), not the guide';

function basic(id: string, zh: string, en: string, osm: OsmSelector[], minutes?: number): BusinessFormat {
  return {
    id,
    nameZh: zh,
    nameEn: en,
    formatClass: 'basic',
    walkingMinutes: minutes === undefined ? undefined : sourced(minutes, LADDER, false),
    osm,
    provenance: sourced('basic', GUIDE, true),
  };
}
function quality(id: string, zh: string, en: string, osm: OsmSelector[], minutes?: number): BusinessFormat {
  return {
    id,
    nameZh: zh,
    nameEn: en,
    formatClass: 'quality',
    walkingMinutes: minutes === undefined ? undefined : sourced(minutes, LADDER, false),
    osm,
    provenance: sourced('quality', QUALITY, false),
  };
}

export const MOFCOM_FORMATS: readonly BusinessFormat[] = [
  basic('convenience-store', '便利店', 'Convenience store', [{ tags: { shop: ['convenience'] } }], 5),
  basic('supermarket', '综合超市', 'Supermarket', [{ tags: { shop: ['supermarket'] } }], 15),
  basic('vegetable-market', '菜市场', 'Vegetable market', [{ tags: { amenity: ['marketplace'] } }], 8),
  basic('fresh-food-store', '生鲜超市（菜店）', 'Fresh-food store', [{ tags: { shop: ['greengrocer'] } }]),
  basic('breakfast', '早餐店', 'Breakfast shop', [{ tags: { amenity: ['fast_food'] } }]),
  basic('laundry', '洗染店', 'Laundry', [{ tags: { shop: ['laundry', 'dry_cleaning'] } }], 8),
  basic(
    'hairdresser',
    '美容美发店',
    'Hairdresser / beauty',
    [{ tags: { shop: ['hairdresser', 'beauty'] } }],
    8,
  ),
  basic('photo-print', '照相文印店', 'Photo and print shop', [{ tags: { shop: ['photo', 'copyshop'] } }]),
  basic('housekeeping', '家政服务点', 'Housekeeping service point', [{ tags: { office: ['housekeeping'] } }]),
  basic('repair', '维修点', 'Repair point', [{ tags: { craft: '*' } }, { tags: { shop: ['repair'] } }], 15),
  basic(
    'pharmacy',
    '药店',
    'Pharmacy',
    [{ tags: { amenity: ['pharmacy'] } }, { tags: { shop: ['chemist'] } }],
    8,
  ),
  basic('post-parcel', '邮政快递综合服务点', 'Post and parcel point', [
    { tags: { amenity: ['post_office', 'parcel_locker'] } },
  ]),
  quality('elderly-care', '养老机构', 'Elderly care', [
    { tags: { social_facility: ['nursing_home', 'day_care'] } },
  ]),
  quality('child-minding', '幼儿托管点', 'Child minding', [{ tags: { amenity: ['childcare'] } }]),
  quality('gym', '健身房', 'Gym', [{ tags: { leisure: ['fitness_centre'] } }], 15),
  quality('cafe', '咖啡店', 'Café', [{ tags: { amenity: ['cafe'] } }]),
  quality('pet-service', '宠物服务站', 'Pet services', [{ tags: { shop: ['pet', 'pet_grooming'] } }]),
];

/** 15-minute walk (服务半径为步行15分钟左右) of the guide's definition, in metres at the planning speed. */
export const MOFCOM_CIRCLE_MINUTES: Sourced<number> = sourced(
  15,
  '《城市一刻钟便民生活圈建设指南》2021 定义 (服务半径为步行15分钟左右)',
  true,
);
