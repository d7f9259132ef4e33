import type { FacilityType } from '../store/index.js';

const GUIDE =
  '《城市一刻钟便民生活圈建设指南》(商务部等11部门, 2021) 基本保障类业态; reference/standards.md §2.1, verified (✅)';
const COMPLETE =
  '《完整居住社区建设标准（试行）》(建科规〔2020〕7号) 基本公共服务设施; reference/standards.md §3, secondary source (⚠️)';
const TIANJIN = '津政办发〔2022〕15号 (seed 000) 普惠性养老服务 / 老人家食堂; verified from the text';
const GB50180 =
  'GB 50180-2018《城市居住区规划设计标准》附录B 十五分钟生活圈居住区配套设施 (养老院, 老年养护院); not verified against the text here (⚠️)';
const HEALTH_CHECK =
  '建科〔2023〕75号 城市体检 community checks (社区养老服务设施, 婴幼儿照护服务设施, 文化活动中心); reference/standards.md §8 (✅)';

/**
 * The facility types a new store starts with, each with the document it comes from. Cities can add their own;
 * service radii and per-tier rules belong to src/standards, not here.
 */
export const DEFAULT_FACILITY_TYPES: readonly FacilityType[] = [
  {
    code: 'elderly_service_station',
    nameZh: '老年服务站',
    nameEn: 'Elderly service station',
    domain: 'elderly_care',
    source: COMPLETE,
  },
  {
    code: 'elderly_day_care',
    nameZh: '社区老年日间照料中心',
    nameEn: 'Elderly day-care centre',
    domain: 'elderly_care',
    source: TIANJIN,
  },
  {
    code: 'elderly_canteen',
    nameZh: '老年助餐点',
    nameEn: 'Meal service for the elderly',
    domain: 'elderly_care',
    source: TIANJIN,
  },
  {
    code: 'elderly_care_institution',
    nameZh: '养老机构',
    nameEn: 'Elderly-care institution (care home)',
    domain: 'elderly_care',
    source: GB50180,
  },
  { code: 'nursery', nameZh: '托儿所', nameEn: 'Nursery (0–3)', domain: 'childcare', source: COMPLETE },
  {
    code: 'infant_care',
    nameZh: '婴幼儿照护服务设施',
    nameEn: 'Infant-care facility',
    domain: 'childcare',
    source: HEALTH_CHECK,
  },
  {
    code: 'kindergarten',
    nameZh: '幼儿园',
    nameEn: 'Kindergarten (3–6)',
    domain: 'education',
    source: COMPLETE,
  },
  {
    code: 'community_health_station',
    nameZh: '社区卫生服务站',
    nameEn: 'Community health station',
    domain: 'health',
    source: COMPLETE,
  },
  { code: 'pharmacy', nameZh: '药店', nameEn: 'Pharmacy', domain: 'health', source: GUIDE },
  {
    code: 'convenience_store',
    nameZh: '便利店',
    nameEn: 'Convenience store',
    domain: 'retail_food',
    source: GUIDE,
  },
  { code: 'supermarket', nameZh: '综合超市', nameEn: 'Supermarket', domain: 'retail_food', source: GUIDE },
  {
    code: 'fresh_market',
    nameZh: '菜市场',
    nameEn: 'Fresh food market',
    domain: 'retail_food',
    source: GUIDE,
  },
  { code: 'breakfast', nameZh: '早餐店', nameEn: 'Breakfast shop', domain: 'retail_food', source: GUIDE },
  {
    code: 'housekeeping',
    nameZh: '家政服务点',
    nameEn: 'Housekeeping service point',
    domain: 'housekeeping',
    source: GUIDE,
  },
  { code: 'repair', nameZh: '维修点', nameEn: 'Repair point', domain: 'housekeeping', source: GUIDE },
  { code: 'laundry', nameZh: '洗染店', nameEn: 'Laundry', domain: 'housekeeping', source: GUIDE },
  { code: 'hairdresser', nameZh: '美容美发店', nameEn: 'Hairdresser', domain: 'housekeeping', source: GUIDE },
  {
    code: 'culture_center',
    nameZh: '文化活动中心',
    nameEn: 'Community culture centre',
    domain: 'culture',
    source: HEALTH_CHECK,
  },
];
