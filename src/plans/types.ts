/**
 * The structured plan extracted from a policy document (政策文件). Every extracted item carries its span: the
 * half-open range [start, end) of JavaScript string indices (UTF-16 code units) into `ParsedPlan.text`, the
 * decoded source text, so that a user interface can highlight it and a person can correct it.
 */
export type Span = [start: number, end: number];

export type SourceFormat = 'text' | 'docx';
export type TextEncoding = 'utf-8' | 'gb18030' | 'utf-16le' | 'utf-16be';

/** Administrative level of a government or department: 省 province, 市 city, 区/县 district or county. */
export type AdminLevel = '省' | '市' | '区' | '县' | '镇' | '街道';

/** Numbering styles of Chinese policy documents, e.g. 一、 / （一） / 1. / (1) / 第一条 / ①. */
export type NumberStyle =
  | 'chinese-dun' // 一、
  | 'chinese-paren' // （一） or (一)
  | 'article' // 第一条
  | 'arabic-dot' // 1. 1． 1、
  | 'arabic-paren' // （1） or (1)
  | 'circled' // ①
  | 'lost'; // a heading the source lost (numbering restarted with no parent heading)

export interface SourceInfo {
  fileName: string;
  format: SourceFormat;
  /** Encoding of a text file; docx is always Unicode. */
  encoding: TextEncoding | null;
  bytes: number;
  sha256: string;
}

export interface DateMention {
  /** ISO date YYYY-MM-DD. */
  date: string;
  /** 'issued' (成文日期, the date under the signature), 'published' (发布时间) or 'mentioned'. */
  role: 'issued' | 'published' | 'mentioned';
  raw: string;
  span: Span;
}

export interface DocumentReference {
  /** e.g. 国办函〔2021〕103号 */
  number: string;
  span: Span;
}

export interface PlanMetadata {
  /** The notice title (通知) or, without one, the plan's own title. */
  title: string | null;
  titleSpan: Span | null;
  /** The plan's own title (方案/措施/计划/意见) when the notice wraps it. */
  planTitle: string | null;
  planTitleSpan: Span | null;
  issuer: string | null;
  issuerSpan: Span | null;
  /** Administrative level of the issuer, used to resolve unprefixed department names (商务局 → 区商务局). */
  issuerLevel: AdminLevel | null;
  /** 文号 of this document; null when the text does not state it (cited numbers are in `citedDocuments`). */
  documentNumber: string | null;
  documentNumberSpan: Span | null;
  dates: DateMention[];
  /**
   * The plan's horizon year: (2022—2025年) in the title, 到2025年 in the preamble, or 到2022年 in its goals
   * section (建设目标, 行动目标, 主要目标 …).
   */
  horizonYear: number | null;
  horizonSource: 'title' | 'preamble' | 'goals' | null;
  citedDocuments: DocumentReference[];
}

export type UnitStatus = 'known' | 'government' | 'generic' | 'unknown';

/** One responsible unit (责任单位) as written, and what it was normalised to. */
export interface UnitMention {
  raw: string;
  span: Span;
  /** 'lead' (牵头, 会同) / 'co' (配合) when the text marks it; 'unspecified' otherwise. */
  role: 'lead' | 'co' | 'unspecified';
  /** Department id from the department catalogue, or null for governments, generic and unknown units. */
  departmentId: string | null;
  level: AdminLevel | null;
  /** True when the level was not written but taken from the issuer (区 plan: 商务局 → 区商务局). */
  levelInferred: boolean;
  /** Place named inside the unit (天津银保监局 → 天津; 市规划资源局西青分局 → 西青). */
  place: string | null;
  /** Canonical display name, e.g. 市卫生健康委 for both 市卫生健康委 and 市卫健委. */
  normalized: string;
  /** Stable identity for grouping: `${level}:${departmentId}` plus the place when there is one. */
  key: string;
  status: UnitStatus;
  /** Id of the correction that added or changed this unit; absent on raw extraction. */
  correctedBy?: string;
}

/** One statement of responsibility: an inline parenthesis or a row of an attached responsibility table. */
export interface Responsibility {
  /** 'correction': added by a person (src/plans/corrections.ts); its spans are the measure's. */
  source: 'inline' | 'table' | 'correction';
  raw: string;
  span: Span;
  /** The text the parenthesis covers: from the previous responsibility (or the measure start) to here. */
  coversSpan: Span;
  units: UnitMention[];
  /** The list ends with 等 / 等相关行业主管部门: more units are meant than are named. */
  openEnded: boolean;
}

export type Comparator = 'eq' | 'gte' | 'gt' | 'lte' | 'lt';

/**
 * How a relative target's value applies to its baseline (the indicator's level in `baselineYear`):
 * - `absolute`: ± the value in the target's unit (比2020年增加200人 → baseline + 200);
 * - `points`: ± percentage points (提高5个百分点 → 80% + 5 = 85%; unit 个百分点);
 * - `percent`: ± a share of the baseline (增长10% → baseline × 1.1; unit %);
 * - `multiple`: × the value (翻一番 → baseline × 2; unit 倍).
 */
export type RelativeKind = 'absolute' | 'points' | 'percent' | 'multiple';

/** 比2020年增加200人以上 → { baselineYear: 2020, change: 'increase', kind: 'absolute' }. */
export interface RelativeChange {
  /** The year compared with (比2020年, 与2020年相比); null when none is written (提高5个百分点: on today's level). */
  baselineYear: number | null;
  change: 'increase' | 'decrease';
  kind: RelativeKind;
}

/** A quantified target (量化目标), e.g. 到2025年，普惠性幼儿园覆盖率达到85%. */
export interface Target {
  id: string;
  /** The indicator phrase, e.g. 普惠性幼儿园覆盖率 or 新建养老服务设施. */
  phrase: string;
  comparator: Comparator;
  /** The words that set the comparator and qualifiers, as written (达到, 以上, 不低于, 力争, 逐步, …). */
  comparatorWords: string[];
  /** 力争: aspirational rather than binding. */
  aspirational: boolean;
  /** 逐步: to be reached gradually. */
  gradual: boolean;
  value: number;
  /** Upper bound of a range (1-3家); null for a single value. */
  valueMax: number | null;
  unit: string;
  deadlineYear: number | null;
  /**
   * Where the deadline came from: the target's own clause (到2025年，…), an earlier sentence of the paragraph, an
   * earlier paragraph of its section opening with 到2022年, or the plan's horizon (the title's (2022—2025年) or the
   * preamble's 到2025年); null when none is stated.
   */
  deadlineSource: 'clause' | 'paragraph' | 'section' | 'plan' | null;
  /** 全市, 每县, 60%以上的乡镇(街道), 农村 … */
  scope: string | null;
  /** A change on a baseline rather than a level: 比2020年增加200人以上, 提高5个百分点, 翻一番, 下降10%. */
  relative: RelativeChange | null;
  /** The clause the target was read from. */
  span: Span;
  /** The number (and range) itself. */
  valueSpan: Span;
  sentence: string;
  sentenceSpan: Span;
  /** Id of the correction that added or changed this target; absent on raw extraction. */
  correctedBy?: string;
}

export interface Measure {
  /** Stable path id: m2, m2.1, m2.1.3 (1-based positions in the tree). */
  id: string;
  /** The numbering as written (一、, （一）, 1.) or null for an unnumbered paragraph. */
  label: string | null;
  number: number | null;
  numberStyle: NumberStyle | null;
  depth: number;
  /** The heading or lead-in phrase (推广普惠养老服务) or null. */
  title: string | null;
  titleSpan: Span | null;
  /** The whole paragraph, numbering included. */
  text: string;
  span: Span;
  /** A group the parser inserted where the source lost its heading. */
  synthetic: boolean;
  responsibilities: Responsibility[];
  targets: Target[];
  children: Measure[];
  /** Ids of corrections that added or changed this measure; absent on raw extraction. */
  correctedBy?: string[];
}

export interface TableRow {
  number: number;
  task: string;
  taskSpan: Span;
  responsibility: Responsibility;
  /** The measure the row was linked to by title similarity, or null. */
  measureId: string | null;
  /** Dice similarity of the row's task and the linked measure's title, 0..1. */
  linkScore: number;
}

/** An attached task and responsibility table (具体工作任务及责任分工表). */
export interface ResponsibilityTable {
  title: string;
  span: Span;
  rows: TableRow[];
}

export interface ParsedPlan {
  source: SourceInfo;
  /** The decoded text every span points into. */
  text: string;
  metadata: PlanMetadata;
  /** Text before the first measure (the notice, the purpose paragraph). */
  preambleSpan: Span | null;
  measures: Measure[];
  table: ResponsibilityTable | null;
  /** Things a person should look at: unlinked table rows, unknown units, lost headings. */
  warnings: string[];
}
