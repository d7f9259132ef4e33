/**
 * Supervision rules as data, each with the document it comes from and how sure we are of it (STYLE habit 6).
 * Statuses follow `reference/standards.md`: `confirmed` (checked against the cited source), `local` (a local rule,
 * not national), `secondary` (only seen in a secondary source), `project-default` (our own choice, no public rule
 * found; a city must be able to override it).
 */
export type RuleStatus = 'confirmed' | 'local' | 'secondary' | 'project-default';

export interface RuleSource {
  /** The document's title in its own language (a proper name: shown as written). */
  readonly document: string;
  /**
   * The title in English, for English readers; absent for a city's own rule entered without one (its title is then
   * shown as written). Repository paths and remarks go to `note`, never into a title.
   */
  readonly documentEn?: string;
  readonly clause?: string;
  readonly url?: string;
  readonly status: RuleStatus;
  readonly note?: string;
}

export interface Sourced<T> {
  readonly value: T;
  readonly source: RuleSource;
}

export type RatingLevel =
  'very_satisfied' | 'satisfied' | 'basically_satisfied' | 'dissatisfied' | 'very_dissatisfied';

export interface RatingLevelRule {
  readonly level: RatingLevel;
  readonly zh: string;
  readonly en: string;
  /** 5 (非常满意) … 1 (非常不满意); used for averages. */
  readonly score: number;
  /** Counts towards the satisfaction rate (满意率 = share of the three positive levels). */
  readonly positive: boolean;
  /** 差评: opens a case. */
  readonly bad: boolean;
}

const HAOCHAPING_SOURCE: RuleSource = {
  document: '国办发〔2019〕51号《关于建立政务服务“好差评”制度提高政务服务水平的意见》（地方实施）',
  documentEn:
    'General Office of the State Council, Guo Ban Fa (2019) No. 51: opinions on a good-and-bad rating system for government services, as implemented locally',
  url: 'http://credit.zaozhuang.gov.cn/24/20318.html',
  status: 'secondary',
  note: 'Five levels and 差评 = 不满意/非常不满意 confirmed in local implementations (山东); wording in 51号 itself not seen.',
};

/** The five 好差评 levels, best first. */
export const RATING_LEVELS: Sourced<readonly RatingLevelRule[]> = {
  value: [
    { level: 'very_satisfied', zh: '非常满意', en: 'Very satisfied', score: 5, positive: true, bad: false },
    { level: 'satisfied', zh: '满意', en: 'Satisfied', score: 4, positive: true, bad: false },
    {
      level: 'basically_satisfied',
      zh: '基本满意',
      en: 'Basically satisfied',
      score: 3,
      positive: true,
      bad: false,
    },
    { level: 'dissatisfied', zh: '不满意', en: 'Dissatisfied', score: 2, positive: false, bad: true },
    {
      level: 'very_dissatisfied',
      zh: '非常不满意',
      en: 'Very dissatisfied',
      score: 1,
      positive: false,
      bad: true,
    },
  ],
  source: HAOCHAPING_SOURCE,
};

export function ratingLevelRule(level: RatingLevel): RatingLevelRule {
  const rule = RATING_LEVELS.value.find((r) => r.level === level);
  if (!rule) throw new Error(`unknown rating level ${String(level)}`);
  return rule;
}

export function isRatingLevel(value: unknown): value is RatingLevel {
  return RATING_LEVELS.value.some((r) => r.level === value);
}

/** Rectification deadline for a 差评 in working days: Sichuan's local rule, configurable per city. */
export const RECTIFICATION_WORKING_DAYS: Sourced<number> = {
  value: 15,
  source: {
    document: '四川省政务服务“好差评”（不满意、非常不满意评价 15 个工作日内整改）',
    documentEn:
      'Sichuan government services ratings: a dissatisfied or very dissatisfied rating is rectified within 15 working days',
    url: 'https://www.spprec.com/sczwweb/zwfwnew/027001/027001004/20200519/c84a7724-ff57-4a78-8be0-4a467d045b9e.html',
    status: 'local',
    note: 'No national time limit found; 德州 uses 5 working days (https://ceirp.cn/zhzw/hyyw/2020-10-16/6667.html).',
  },
};

/** How the first day of a period is counted: the day of the event does not count, counting starts the next day. */
export const PERIOD_COUNTING: Sourced<'start-next-day'> = {
  value: 'start-next-day',
  source: {
    document: '《中华人民共和国民法典》',
    documentEn: 'Civil Code of the People’s Republic of China',
    clause: '第二百零一条 (按照年、月、日计算期间的，开始的当日不计入，自下一日开始计算)',
    status: 'secondary',
    note: 'Statute wording quoted by the author, not yet checked against the official gazette text.',
  },
};

/** Every named 差评 is followed up (回访) before its case closes. */
export const FOLLOW_UP_REQUIRED: Sourced<boolean> = {
  value: true,
  source: {
    document: '国办发〔2019〕51号（地方转述：实名差评回访率 100%）',
    documentEn:
      'General Office of the State Council, Guo Ban Fa (2019) No. 51, as echoed locally: every named bad rating followed up',
    url: 'https://ceirp.cn/zhzw/hyyw/2020-10-16/6667.html',
    status: 'secondary',
  },
};

export type RiskClass = 'A' | 'B' | 'C' | 'D';
export const RISK_CLASSES: readonly RiskClass[] = ['A', 'B', 'C', 'D'];

export const RISK_CLASS_NAMES: Sourced<Readonly<Record<RiskClass, { zh: string; en: string }>>> = {
  value: {
    A: { zh: '信用风险低', en: 'low risk' },
    B: { zh: '信用风险一般', en: 'ordinary risk' },
    C: { zh: '信用风险较高', en: 'higher risk' },
    D: { zh: '信用风险高', en: 'high risk' },
  },
  source: {
    document: '市场监管总局《关于推进企业信用风险分类管理进一步提升监管效能的意见》(2022)',
    documentEn: 'SAMR: Opinions on classified management of enterprise credit risk (2022)',
    url: 'https://www.jingji.com.cn/html/industry/scjg/318144.html',
    status: 'secondary',
    note: 'The class is an internal reference for allocating supervision, not a public credit rating of the enterprise.',
  },
};

export interface SamplingRange {
  readonly min: number;
  readonly max: number;
}

/**
 * 双随机 sampling ratios per risk class when the city has adopted no rule of its own. The national opinion gives
 * the principle only (A lower, B ordinary, C higher, D much higher; no figures): these values are LifeCircle's,
 * chosen to follow it, and no range is enforced. A city adopts its own rule (`inspections.setSamplingRule`).
 */
export const DEFAULT_SAMPLING_RATIOS: Sourced<Readonly<Record<RiskClass, number>>> = {
  value: { A: 0.03, B: 0.05, C: 0.2, D: 0.5 },
  source: {
    document:
      '市场监管总局《关于推进企业信用风险分类管理进一步提升监管效能的意见》(2022)：A类降低、B类常规、C类提高、D类大幅提高抽查比例',
    documentEn:
      'SAMR: Opinions on classified management of enterprise credit risk (2022): sample class A less, B as usual, C more and D much more',
    url: 'https://www.jingji.com.cn/html/industry/scjg/318144.html',
    status: 'project-default',
    note: 'The national principle has no figures: A 3 %, B 5 %, C 20 %, D 50 % are LifeCircle defaults that follow it, not a published rule. Set the city’s own rule.',
  },
};

/**
 * An example of a local rule a city may adopt, as 大庆市/林甸县 published it: ranges per class and, as ratios, the
 * upper bound of each. Never applied unless a city adopts it as its own.
 */
export const EXAMPLE_LOCAL_SAMPLING_RULE: Sourced<{
  readonly ratios: Readonly<Record<RiskClass, number>>;
  readonly ranges: Readonly<Record<RiskClass, SamplingRange>>;
}> = {
  value: {
    ratios: { A: 0.05, B: 0.2, C: 0.6, D: 1 },
    ranges: {
      A: { min: 0, max: 0.05 },
      B: { min: 0.05, max: 0.2 },
      C: { min: 0.21, max: 0.6 },
      D: { min: 0.61, max: 1 },
    },
  },
  source: {
    document: '大庆市/林甸县 企业信用风险分类 双随机 抽查比例',
    documentEn: 'Daqing, Lindian county: random inspection sampling ratios by enterprise credit risk class',
    url: 'http://credit.daqing.gov.cn/wcm/content/detail/20241106134223_100034.html',
    status: 'local',
    note: 'A ≤5 %, B 5–20 %, C 21–60 %, D 61–100 %; ratios at the upper bound of each range. An example, not a default.',
  },
};

/** Inspectors sent to each target: administrative enforcement needs at least two officers. */
export const INSPECTORS_PER_TARGET: Sourced<number> = {
  value: 2,
  source: {
    document: '《中华人民共和国行政处罚法》(2021)',
    documentEn: 'Administrative Penalty Law of the People’s Republic of China (2021)',
    clause: '第四十二条 (执法人员不得少于两人)',
    status: 'secondary',
    note: 'Statute wording quoted by the author, not yet checked against the official gazette text.',
  },
};
