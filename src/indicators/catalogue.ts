/**
 * The indicator catalogue (指标目录): what LifeCircle monitors, how each value is obtained and where the indicator
 * comes from. Two kinds: `computed` from LifeCircle's own data (facility capacities, census population, the
 * life-circle walking analysis) and `reported` by a department.
 *
 * Every row names the policy text that uses the indicator. Formulas for the computed kinds are LifeCircle's
 * working definitions: the official definitions of the 城市体检 community indicators were not available
 * (reference/standards.md §8, "Gaps" 7), so `definitionVerified` is false until someone checks them.
 */

export type IndicatorKind = 'computed' | 'reported';
/** Whether more is better (覆盖率) or less is better (e.g. a waiting time). */
export type Direction = 'higher-is-better' | 'lower-is-better';

export interface SourceNote {
  /** The document's title in Chinese (a proper name); repository paths stay in comments, never in a title. */
  document: string;
  documentEn: string;
  /** The words quoted from it, in the document's language. */
  clause: string;
  verified: boolean;
}

/** How a computed indicator is calculated from plain inputs. */
export type Formula =
  | { type: 'per-population'; numerator: string; per: number; denominator: 'population' }
  | {
      type: 'share';
      numerator: string;
      denominator: string;
      percent: true;
      /** For a walking-coverage numerator: the facility type (src/standards) whose radius counts a community. */
      facilityType?: string;
    }
  | { type: 'reported' };

export interface Indicator {
  code: string;
  zh: string;
  en: string;
  unit: string;
  /** The unit in English (a count's noun, m² for 平方米). */
  unitEn: string;
  direction: Direction;
  kind: IndicatorKind;
  formula: Formula;
  /** Plain-language formula shown in the indicator board. */
  formulaText: string;
  formulaEn: string;
  /** Department that reports it or owns its data: a kind's canonical name in src/plans/departments.ts. */
  owner: string;
  /** Phrases that name this indicator in policy texts; used to suggest links from extracted targets. */
  aliases: string[];
  source: SourceNote;
  definitionVerified: boolean;
}

/** 秦皇岛's action plan, part 1 (data/seeds/002). */
const SEED_002 = {
  document: '秦皇岛市 秦政办字〔2022〕13号 一、行动目标',
  documentEn: 'Qinhuangdao, Qin Zheng Ban Zi (2022) No. 13, part 1: action targets',
};
/** Tianjin's measures, items (二) and (三) (data/seeds/000). */
const SEED_000 = {
  document: '天津市 津政办发〔2022〕15号 （二）（三）',
  documentEn: 'Tianjin, Jin Zheng Ban Fa (2022) No. 15, items 2 and 3',
};

export const INDICATORS: Indicator[] = [
  {
    code: 'childcare-places-per-1000',
    zh: '每千人口拥有3岁以下婴幼儿托位数',
    en: 'Childcare places for children under 3 per 1,000 residents',
    unit: '个',
    unitEn: 'places',
    direction: 'higher-is-better',
    kind: 'computed',
    formula: { type: 'per-population', numerator: 'childcarePlaces', per: 1000, denominator: 'population' },
    formulaText: '托育机构核定托位数之和 ÷ 常住人口 × 1000',
    formulaEn: 'sum of approved childcare places ÷ resident population × 1,000',
    owner: '卫生健康委',
    aliases: ['每千人口拥有3岁以下婴幼儿托位数', '每千人口3岁以下婴幼儿托位数', '每千人口托位数', '托位数'],
    source: { ...SEED_002, clause: '每千人口拥有…3岁以下婴幼儿托位数4.5个', verified: true },
    definitionVerified: false,
  },
  {
    code: 'community-childcare-coverage',
    zh: '社区托育服务覆盖率',
    en: 'Share of communities served by a childcare facility',
    unit: '%',
    unitEn: '%',
    direction: 'higher-is-better',
    kind: 'computed',
    formula: {
      type: 'share',
      numerator: 'communitiesWithChildcare',
      denominator: 'communities',
      percent: true,
      facilityType: 'nursery',
    },
    formulaText: '步行生活圈内有托育服务设施的社区数 ÷ 社区总数 × 100%',
    formulaEn:
      'communities with a childcare facility within their walking life circle ÷ all communities × 100 %',
    owner: '卫生健康委',
    aliases: ['社区托育服务覆盖率', '托育服务覆盖率'],
    source: { ...SEED_000, clause: '到2025年…社区托育服务覆盖率达到60%', verified: true },
    definitionVerified: false,
  },
  {
    code: 'community-elderly-care-coverage',
    zh: '社区养老服务设施覆盖率',
    en: 'Share of communities served by an elderly-care facility',
    unit: '%',
    unitEn: '%',
    direction: 'higher-is-better',
    kind: 'computed',
    formula: {
      type: 'share',
      numerator: 'communitiesWithElderlyCare',
      denominator: 'communities',
      percent: true,
      facilityType: 'elderly-daycare',
    },
    formulaText: '步行生活圈内有社区养老服务设施的社区数 ÷ 社区总数 × 100%',
    formulaEn:
      'communities with a community elderly-care facility within their walking life circle ÷ all communities × 100 %',
    owner: '民政局',
    aliases: ['社区养老服务设施覆盖率', '养老服务设施覆盖率'],
    source: {
      // data/seeds/004; the 城市体检 indicator: reference/standards.md §8.
      document:
        '成都市 关于创新发展生活性服务业建设高品质和谐宜居生活城市的意见 二（二）6；住建部 城市体检指标',
      documentEn:
        'Chengdu, Opinions on innovating life services to build a high-quality, harmonious and liveable city, part 2 (2) 6; MOHURD urban health check indicators',
      clause: '城市社区养老服务设施覆盖率达100%，农村达80%',
      verified: true,
    },
    definitionVerified: false,
  },
  {
    code: 'elderly-meal-coverage',
    zh: '老年助餐服务覆盖社区比例',
    en: 'Share of communities with a meal service for older people',
    unit: '%',
    unitEn: '%',
    direction: 'higher-is-better',
    kind: 'computed',
    formula: {
      type: 'share',
      numerator: 'communitiesWithMealService',
      denominator: 'communities',
      percent: true,
      facilityType: 'community-canteen',
    },
    formulaText: '步行生活圈内有老年助餐点（老人家食堂、社区食堂）的社区数 ÷ 社区总数 × 100%',
    formulaEn:
      'communities with a meal point for older people (elderly canteen, community canteen) within their walking life circle ÷ all communities × 100 %',
    owner: '民政局',
    aliases: ['老年助餐服务覆盖社区比例', '老年助餐', '助餐服务覆盖'],
    source: {
      // 国办函〔2021〕103号: reference/standards.md §9.
      document: `国办函〔2021〕103号；${SEED_002.document}`,
      documentEn: `General Office of the State Council, Guo Ban Han (2021) No. 103; ${SEED_002.documentEn}`,
      clause: '城市老年助餐、居家照护服务逐步覆盖80%以上社区',
      verified: true,
    },
    definitionVerified: false,
  },
  {
    code: 'sports-area-per-capita',
    zh: '人均体育场地面积',
    en: 'Sports ground area per resident',
    unit: '平方米',
    unitEn: 'm²',
    direction: 'higher-is-better',
    kind: 'computed',
    formula: { type: 'per-population', numerator: 'sportsAreaM2', per: 1, denominator: 'population' },
    formulaText: '体育场地面积之和（平方米） ÷ 常住人口',
    formulaEn: 'sum of sports ground areas (m²) ÷ resident population',
    owner: '体育局',
    aliases: ['人均体育场地面积', '体育场地面积'],
    source: { ...SEED_002, clause: '人均体育场地面积达到2.92平方米', verified: true },
    definitionVerified: false,
  },
  {
    code: 'public-culture-visits-per-10000',
    zh: '每万人口接受公共文化设施服务次数',
    en: 'Public cultural facility visits per 10,000 residents',
    unit: '万次',
    unitEn: '10,000 visits',
    direction: 'higher-is-better',
    kind: 'reported',
    formula: { type: 'reported' },
    formulaText: '文化和旅游部门统计报送',
    formulaEn: 'reported by the culture and tourism department',
    owner: '文化和旅游局',
    aliases: ['每万人口接受公共文化设施服务', '公共文化设施服务次数'],
    source: { ...SEED_002, clause: '每万人口接受公共文化设施服务3.4万次', verified: true },
    definitionVerified: false,
  },
  {
    code: 'inclusive-kindergarten-coverage',
    zh: '普惠性幼儿园覆盖率',
    en: 'Share of kindergarten places that are public or inclusive private',
    unit: '%',
    unitEn: '%',
    direction: 'higher-is-better',
    kind: 'reported',
    formula: { type: 'reported' },
    formulaText: '教育部门统计报送',
    formulaEn: 'reported by the education department',
    owner: '教育局',
    aliases: ['普惠性幼儿园覆盖率'],
    source: { ...SEED_002, clause: '普惠性幼儿园覆盖率达到85%', verified: true },
    definitionVerified: false,
  },
  {
    code: 'doctors-per-1000',
    zh: '每千人口执业（助理）医师数',
    en: 'Licensed (assistant) doctors per 1,000 residents',
    unit: '人',
    unitEn: 'doctors',
    direction: 'higher-is-better',
    kind: 'reported',
    formula: { type: 'reported' },
    formulaText: '卫生健康部门统计报送',
    formulaEn: 'reported by the health department',
    owner: '卫生健康委',
    aliases: ['每千人口拥有职业(助理)医师', '每千人口执业（助理）医师数', '执业(助理)医师', '职业(助理)医师'],
    source: { ...SEED_002, clause: '每千人口拥有职业(助理)医师3.4人', verified: true },
    definitionVerified: false,
  },
  {
    code: 'nurses-per-1000',
    zh: '每千人口注册护士数',
    en: 'Registered nurses per 1,000 residents',
    unit: '人',
    unitEn: 'nurses',
    direction: 'higher-is-better',
    kind: 'reported',
    formula: { type: 'reported' },
    formulaText: '卫生健康部门统计报送',
    formulaEn: 'reported by the health department',
    owner: '卫生健康委',
    aliases: ['每千人口注册护士', '注册护士'],
    source: { ...SEED_002, clause: '注册护士3.69人', verified: true },
    definitionVerified: false,
  },
  {
    code: 'community-day-care-coverage',
    zh: '社区日间照料服务设施覆盖率',
    en: 'Share of communities with a day-care centre for older people',
    unit: '%',
    unitEn: '%',
    direction: 'higher-is-better',
    kind: 'computed',
    formula: {
      type: 'share',
      numerator: 'communitiesWithDayCare',
      denominator: 'communities',
      percent: true,
      facilityType: 'elderly-daycare',
    },
    formulaText: '步行生活圈内有老年人日间照料中心的社区数 ÷ 社区总数 × 100%',
    formulaEn:
      'communities with a day-care centre for older people within their walking life circle ÷ all communities × 100 %',
    owner: '民政局',
    aliases: ['赋码社区日间照料服务设施覆盖率', '社区日间照料服务设施覆盖率', '日间照料'],
    source: { ...SEED_002, clause: '赋码社区日间照料服务设施覆盖率100%', verified: true },
    definitionVerified: false,
  },
  {
    code: 'older-people-in-education',
    zh: '经常性参与教育活动的老年人占比',
    en: 'Share of older people regularly taking part in education',
    unit: '%',
    unitEn: '%',
    direction: 'higher-is-better',
    kind: 'reported',
    formula: { type: 'reported' },
    formulaText: '教育部门统计报送',
    formulaEn: 'reported by the education department',
    owner: '教育局',
    aliases: ['经常性参与教育活动的老年人占比'],
    source: { ...SEED_002, clause: '经常性参与教育活动的老年人占比大于20%', verified: true },
    definitionVerified: false,
  },
  {
    code: 'resident-satisfaction',
    zh: '居民满意度',
    en: 'Resident satisfaction with life services',
    unit: '%',
    unitEn: '%',
    direction: 'higher-is-better',
    kind: 'reported',
    formula: { type: 'reported' },
    formulaText: '满意度测评（问卷）报送',
    formulaEn: 'reported from a satisfaction survey (questionnaire)',
    owner: '商务局',
    aliases: ['居民满意度', '满意度'],
    source: { ...SEED_000, clause: '居民满意度达到90%以上', verified: true },
    definitionVerified: false,
  },
  {
    code: 'convenience-circles-built',
    zh: '一刻钟便民生活圈建成数量',
    en: '15-minute convenience circles built',
    unit: '个',
    unitEn: 'circles',
    direction: 'higher-is-better',
    kind: 'reported',
    formula: { type: 'reported' },
    formulaText: '商务部门报送（按商务部建设指南验收）',
    formulaEn: "reported by the commerce department (accepted under MOFCOM's construction guide)",
    owner: '商务局',
    aliases: ['一刻钟便民生活圈', '便民生活圈'],
    source: { ...SEED_000, clause: '力争建成…126个一刻钟便民生活圈', verified: true },
    definitionVerified: false,
  },
];

export function indicatorByCode(code: string): Indicator | undefined {
  return INDICATORS.find((i) => i.code === code);
}
