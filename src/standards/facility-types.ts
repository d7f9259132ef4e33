import { sourced, type Sourced } from './provenance.js';
import type { TierId } from './tiers.js';

/** 应配建 (required) or 宜配建 (recommended), GB 50180-2018 附录B ▲/△. */
export type Provision = 'required' | 'recommended';

/** The residents a facility type serves; age bands are whole years, both ends included. */
export type DemandGroup =
  'all' | 'age0to2' | 'age3to5' | 'age6to11' | 'age12to14' | 'age60plus' | 'age80plus';

export const DEMAND_GROUPS: readonly DemandGroup[] = [
  'all',
  'age0to2',
  'age3to5',
  'age6to11',
  'age12to14',
  'age60plus',
  'age80plus',
];

export const DEMAND_GROUP_NAMES: Readonly<Record<DemandGroup, { zh: string; en: string }>> = {
  all: { zh: '全体居民', en: 'all residents' },
  age0to2: { zh: '0–3岁婴幼儿', en: 'children under 3' },
  age3to5: { zh: '3–6岁幼儿', en: 'children aged 3–5' },
  age6to11: { zh: '6–12岁儿童', en: 'children aged 6–11' },
  age12to14: { zh: '12–15岁少年', en: 'children aged 12–14' },
  age60plus: { zh: '60岁及以上老年人', en: 'residents aged 60+' },
  age80plus: { zh: '80岁及以上高龄老人', en: 'residents aged 80+' },
};

/**
 * Which OSM features are a facility of a type: every listed key must carry one of the listed values ('*' = any
 * value). `nameIncludes` narrows by name (OSM has no tag telling 小学 from 初中 in this data).
 */
export interface OsmSelector {
  readonly tags: Readonly<Record<string, readonly string[] | '*'>>;
  readonly nameIncludes?: readonly string[];
}

export interface FacilityType {
  readonly id: string;
  readonly nameZh: string;
  readonly nameEn: string;
  /** The tier whose facilities it belongs to (GB 50180-2018 附录B). */
  readonly tier: Sourced<TierId>;
  /** Default service radius, metres (walking distance along the network). */
  readonly radiusM: Sourced<number>;
  readonly provision: Sourced<Provision>;
  readonly capacityUnit: { readonly zh: string; readonly en: string };
  /** Capacity assumed where the data gives none, in capacityUnit. */
  readonly defaultCapacity: Sourced<number>;
  readonly demandGroup: DemandGroup;
  readonly osm: readonly OsmSelector[];
  /** Life-services statistical category (生活性服务业统计分类 2019 大类), name only: the codes are unverified. */
  readonly lifeServiceCategory: Sourced<string>;
}

// Every radius below is the "working default" table of reference/standards.md, not yet checked against 附录C.
const RADIUS = 'GB 50180-2018 附录C (working default commonly used by planners; not checked against 附录C)';
// 附录B (▲/△ matrix) is not transcribed. Required = the types the 完整居住社区建设标准 lists (⚠️ secondary)
// or the 商务部 "一老一小 / 一菜" priorities; the rest recommended.
const PROVISION_REQUIRED =
  '完整居住社区建设标准（试行）2020 required list (secondary summary); 附录B not transcribed';
const PROVISION_DEFAULT = 'LifeCircle default: GB 50180-2018 附录B matrix not transcribed';
const CAPACITY =
  'LifeCircle working default: no published per-facility size found; set it in the city config';
const CATEGORY = '生活性服务业统计分类（2019） — table not checked; category name only, code omitted';

function tier(id: TierId): Sourced<TierId> {
  return sourced(id, 'GB 50180-2018 附录B (working default tier table)', false, '附录B not transcribed');
}
function radius(m: number): Sourced<number> {
  return sourced(m, RADIUS, false);
}
function provision(value: Provision, required = value === 'required'): Sourced<Provision> {
  return sourced(value, required ? PROVISION_REQUIRED : PROVISION_DEFAULT, false);
}
function capacity(value: number): Sourced<number> {
  return sourced(value, CAPACITY, false);
}
function category(name: string): Sourced<string> {
  return sourced(name, CATEGORY, false);
}

export const FACILITY_TYPES: readonly FacilityType[] = [
  // 十五分钟生活圈
  {
    id: 'middle-school',
    nameZh: '初中',
    nameEn: 'Middle school',
    tier: tier('fifteen-minute'),
    radiusM: radius(1000),
    provision: provision('required', false),
    capacityUnit: { zh: '学位', en: 'pupil places' },
    defaultCapacity: capacity(1200),
    demandGroup: 'age12to14',
    osm: [{ tags: { amenity: ['school'] }, nameIncludes: ['中学', '初中', 'Middle School'] }],
    lifeServiceCategory: category('教育培训服务 education and training'),
  },
  {
    id: 'large-sports-ground',
    nameZh: '大型多功能运动场地',
    nameEn: 'Large multi-sport ground',
    tier: tier('fifteen-minute'),
    radiusM: radius(1000),
    provision: provision('recommended'),
    capacityUnit: { zh: '服务人口', en: 'residents served' },
    defaultCapacity: capacity(50000),
    demandGroup: 'all',
    osm: [{ tags: { leisure: ['stadium', 'sports_centre'] } }],
    lifeServiceCategory: category('体育服务 sport'),
  },
  {
    id: 'community-hospital',
    nameZh: '卫生服务中心（社区医院）',
    nameEn: 'Community health centre',
    tier: tier('fifteen-minute'),
    radiusM: radius(1000),
    provision: provision('required', false),
    capacityUnit: { zh: '服务人口', en: 'residents served' },
    defaultCapacity: capacity(50000),
    demandGroup: 'all',
    osm: [{ tags: { amenity: ['hospital'] } }, { tags: { healthcare: ['hospital', 'centre'] } }],
    lifeServiceCategory: category('健康服务 health'),
  },
  {
    id: 'culture-centre',
    nameZh: '文化活动中心',
    nameEn: 'Cultural activity centre',
    tier: tier('fifteen-minute'),
    radiusM: radius(1000),
    provision: provision('recommended'),
    capacityUnit: { zh: '服务人口', en: 'residents served' },
    defaultCapacity: capacity(50000),
    demandGroup: 'all',
    osm: [{ tags: { amenity: ['arts_centre', 'library', 'theatre'] } }],
    lifeServiceCategory: category('文化服务 culture'),
  },
  {
    id: 'subdistrict-service-centre',
    nameZh: '社区服务中心（街道级）',
    nameEn: 'Subdistrict service centre',
    tier: tier('fifteen-minute'),
    radiusM: radius(1000),
    provision: provision('recommended'),
    capacityUnit: { zh: '服务人口', en: 'residents served' },
    defaultCapacity: capacity(50000),
    demandGroup: 'all',
    osm: [{ tags: { amenity: ['townhall'] } }, { tags: { office: ['government'] } }],
    lifeServiceCategory: category('居民和家庭服务 resident and household services'),
  },
  // 十分钟生活圈
  {
    id: 'primary-school',
    nameZh: '小学',
    nameEn: 'Primary school',
    tier: tier('ten-minute'),
    radiusM: radius(500),
    provision: provision('required', false),
    capacityUnit: { zh: '学位', en: 'pupil places' },
    defaultCapacity: capacity(1080),
    demandGroup: 'age6to11',
    osm: [{ tags: { amenity: ['school'] }, nameIncludes: ['小学', 'Primary School'] }],
    lifeServiceCategory: category('教育培训服务 education and training'),
  },
  {
    id: 'medium-sports-ground',
    nameZh: '中型多功能运动场地',
    nameEn: 'Medium multi-sport ground',
    tier: tier('ten-minute'),
    radiusM: radius(500),
    provision: provision('recommended'),
    capacityUnit: { zh: '服务人口', en: 'residents served' },
    defaultCapacity: capacity(20000),
    demandGroup: 'all',
    osm: [{ tags: { leisure: ['sports_centre', 'track'] } }],
    lifeServiceCategory: category('体育服务 sport'),
  },
  {
    id: 'fresh-market',
    nameZh: '菜市场或生鲜超市',
    nameEn: 'Vegetable market or fresh-food supermarket',
    tier: tier('ten-minute'),
    radiusM: radius(500),
    provision: provision('required'),
    capacityUnit: { zh: '服务人口', en: 'residents served' },
    defaultCapacity: capacity(15000),
    demandGroup: 'all',
    osm: [
      { tags: { amenity: ['marketplace'] } },
      { tags: { shop: ['greengrocer', 'supermarket', 'butcher'] } },
    ],
    lifeServiceCategory: category('居民零售和互联网销售服务 retail'),
  },
  // 五分钟生活圈
  {
    id: 'kindergarten',
    nameZh: '幼儿园',
    nameEn: 'Kindergarten',
    tier: tier('five-minute'),
    radiusM: radius(300),
    provision: provision('required'),
    capacityUnit: { zh: '学位', en: 'child places' },
    defaultCapacity: capacity(180),
    demandGroup: 'age3to5',
    osm: [{ tags: { amenity: ['kindergarten'] } }],
    lifeServiceCategory: category('教育培训服务 education and training'),
  },
  {
    id: 'nursery',
    nameZh: '托儿所',
    nameEn: 'Nursery (childcare under 3)',
    tier: tier('five-minute'),
    radiusM: radius(300),
    provision: provision('required'),
    capacityUnit: { zh: '托位', en: 'childcare places' },
    defaultCapacity: capacity(80),
    demandGroup: 'age0to2',
    osm: [{ tags: { amenity: ['childcare'] } }],
    lifeServiceCategory: category('居民和家庭服务 resident and household services'),
  },
  {
    id: 'elderly-daycare',
    nameZh: '老年人日间照料中心（托老所）',
    nameEn: 'Elderly day-care centre',
    tier: tier('five-minute'),
    radiusM: radius(300),
    provision: provision('required'),
    capacityUnit: { zh: '床位/位', en: 'day-care places' },
    defaultCapacity: capacity(30),
    demandGroup: 'age60plus',
    osm: [
      { tags: { amenity: ['social_facility'], 'social_facility:for': ['senior'] } },
      { tags: { social_facility: ['day_care', 'assisted_living'] } },
    ],
    lifeServiceCategory: category('养老服务 elderly care'),
  },
  {
    id: 'health-station',
    nameZh: '社区卫生服务站',
    nameEn: 'Community health station',
    tier: tier('five-minute'),
    radiusM: radius(300),
    provision: provision('required'),
    capacityUnit: { zh: '服务人口', en: 'residents served' },
    defaultCapacity: capacity(10000),
    demandGroup: 'all',
    osm: [{ tags: { amenity: ['clinic', 'doctors'] } }, { tags: { healthcare: ['clinic', 'doctor'] } }],
    lifeServiceCategory: category('健康服务 health'),
  },
  {
    id: 'community-service-station',
    nameZh: '社区服务站',
    nameEn: 'Community service station',
    tier: tier('five-minute'),
    radiusM: radius(300),
    provision: provision('required'),
    capacityUnit: { zh: '服务人口', en: 'residents served' },
    defaultCapacity: capacity(10000),
    demandGroup: 'all',
    osm: [{ tags: { amenity: ['community_centre', 'social_centre'] } }],
    lifeServiceCategory: category('居民和家庭服务 resident and household services'),
  },
  {
    id: 'small-sports-ground',
    nameZh: '小型多功能运动场地 / 室外综合健身场地',
    nameEn: 'Small sports ground / outdoor fitness area',
    tier: tier('five-minute'),
    radiusM: radius(300),
    provision: provision('recommended'),
    capacityUnit: { zh: '服务人口', en: 'residents served' },
    defaultCapacity: capacity(5000),
    demandGroup: 'all',
    osm: [{ tags: { leisure: ['pitch', 'fitness_station', 'playground'] } }],
    lifeServiceCategory: category('体育服务 sport'),
  },
  {
    id: 'culture-station',
    nameZh: '文化活动站',
    nameEn: 'Cultural activity station',
    tier: tier('five-minute'),
    radiusM: radius(500),
    provision: provision('recommended'),
    capacityUnit: { zh: '服务人口', en: 'residents served' },
    defaultCapacity: capacity(10000),
    demandGroup: 'all',
    osm: [{ tags: { amenity: ['community_centre', 'library'] } }],
    lifeServiceCategory: category('文化服务 culture'),
  },
  {
    id: 'community-canteen',
    nameZh: '社区食堂（老年助餐点）',
    nameEn: 'Community canteen',
    tier: tier('five-minute'),
    radiusM: radius(300),
    provision: provision('recommended'),
    capacityUnit: { zh: '餐位', en: 'meals per sitting' },
    defaultCapacity: capacity(50),
    demandGroup: 'age60plus',
    // No established OSM tag for 社区食堂; amenity=canteen is proposed-only, so OSM rarely finds any.
    osm: [{ tags: { amenity: ['canteen'] } }, { tags: { social_facility: ['soup_kitchen'] } }],
    lifeServiceCategory: category('住宿餐饮服务 accommodation and catering'),
  },
  {
    id: 'convenience-outlets',
    nameZh: '社区商业网点（超市、药店、洗衣店、美发店等）',
    nameEn: 'Neighbourhood shops (supermarket, pharmacy, laundry, hairdresser…)',
    tier: tier('five-minute'),
    radiusM: radius(300),
    provision: provision('required'),
    capacityUnit: { zh: '服务人口', en: 'residents served' },
    defaultCapacity: capacity(3000),
    demandGroup: 'all',
    osm: [
      { tags: { shop: ['convenience', 'supermarket', 'hairdresser', 'laundry', 'dry_cleaning', 'chemist'] } },
      { tags: { amenity: ['pharmacy'] } },
    ],
    lifeServiceCategory: category('居民零售和互联网销售服务 retail'),
  },
];
