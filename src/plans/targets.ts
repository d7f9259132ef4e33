import { parseHeading } from './numbering.js';
import { toSourceSpan, type Paragraph } from './paragraphs.js';
import { matchingText } from './script.js';
import type { Comparator, RelativeChange, Target } from './types.js';

/**
 * Quantified targets (量化目标) in one paragraph. The grammar of these documents is regular: an optional deadline
 * (到2025年), an optional scope (全市, 每县), the indicator phrase, a comparator word (达到, 不低于, 大于) and the
 * value with its unit, possibly followed by 以上; or a verb, the value and the object (新建10处养老服务设施); or a
 * change on a baseline (比2020年提高5个百分点, 翻一番). Several targets share one clause when listed with 、
 * (职业(助理)医师3.4人、注册护士3.69人).
 *
 * The rules read `matchingText` of the paragraph — full-width digits and ％ made ASCII, traditional characters
 * made simplified, one character for one — so 覆蓋率達到８５％ reads as 覆盖率达到85%; phrases, scopes and words are
 * cut from the text as written. The rules and their limits: docs/plans-and-indicators.md §2 (Targets).
 */

/** Counters a number of things is written with (新建10处, 两所). 部 is not the 部 of 部门 or 部委. */
const COUNTERS = '个|人|所|家|处|套|项|部(?![门委署])|条|座|张|床|间|次|名|支|场|台|辆|户|栋|册|件';

/** A multiplier written between the number and its unit: 1.2万张, 5000亿元, 3千人. */
const MULTIPLIER = '万亿|亿|千万|百万|万|千';

/**
 * The unit after a number, as written: units of their own (个百分点, %, 千米 before the 千 of 3千人), a multiplier
 * and a unit (万张, 亿元, 万平方米, 千人; kept together: value 1.2, unit 万张), or a bare 万 or 亿 (带动就业5万以上).
 * Units of time and age (年, 岁, 小时, 分钟) are descriptors (15分钟生活圈, 3岁以下), not targets.
 */
const UNIT = new RegExp(
  '^\\s*(?:(个百分点|百分点|%|‰|倍|千米|平方千米|平方公里|公顷|公里)' +
    `|((?:${MULTIPLIER})?(?:人次|家次|户次|平方米|亩|元|${COUNTERS}))` +
    '|(万|亿)(?=以上|以下|以内|及以上|$|[的、和及与]))',
);

/** A number: 1200, 2.92, 1,200 (ASCII after `matchingText`). */
const NUMBER = '(\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|\\d+(?:\\.\\d+)?)';

/** A number or a range of numbers (1-3, 50～100, 15至20); the unit is read after it. */
const DIGITS = new RegExp(`(?<![\\d.A-Za-z第])${NUMBER}(?:\\s*[-—–~～－至到]\\s*${NUMBER})?`, 'g');

/** A range written with the unit on both ends: 85%-90%, 1万-2万人 is not read (1万人-2万人 is). */
const RANGE_AFTER_UNIT = new RegExp(`^\\s*[-—–~～－至]\\s*${NUMBER}`);

/** Chinese numerals: 一…九 (两, 〇/零), 十百千万 and 点 for decimals. */
const CN_DIGIT: Readonly<Record<string, number>> = {
  〇: 0,
  零: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};
const CN_UNIT: Readonly<Record<string, number>> = { 十: 10, 百: 100, 千: 1000 };
const CN_NUMERAL = '[〇零一二两三四五六七八九十百千万点]+';

/** 百分之八十 (80%) and 三成 (30%); a 成 only before 以上/以下/的 or the end of the clause (not 成为, 一成不变). */
const CN_PERCENT = new RegExp(
  `百分之(${CN_NUMERAL})|([一二两三四五六七八九])成(?=及以上|以上|以下|以内|的|$)`,
  'g',
);

/**
 * A Chinese-numeral count (一所, 两千个, 五个百分点): a number only after a count verb, a comparator or 有, or ending
 * the clause (学位三千个); not inside names and ordinals (第二人民医院, 三个标志性街区品质).
 */
const CN_COUNT = new RegExp(`(${CN_NUMERAL})(个百分点|百分点|${COUNTERS})`, 'g');

/** 翻一番 (×2), 翻番 (×2), 翻两番 (×4): a multiple of the baseline. */
const DOUBLING = /翻(一|两|二|三)?番/g;

/** The value of a Chinese numeral (八十 = 80, 两千 = 2000, 一万二千 = 12000, 三点五 = 3.5), or null. */
export function chineseNumeral(text: string): number | null {
  const [whole, fraction, extra] = text.split('点');
  if (extra !== undefined || whole === '') return null;
  let total = 0;
  let section = 0;
  let digit: number | null = null;
  for (const ch of whole) {
    if (ch in CN_DIGIT) digit = CN_DIGIT[ch];
    else if (ch === '万') {
      total = (total + section + (digit ?? 0)) * 10000;
      [section, digit] = [0, null];
    } else {
      section += (digit ?? 1) * CN_UNIT[ch];
      digit = null;
    }
  }
  const value = total + section + (digit ?? 0);
  if (fraction === undefined) return value;
  if (fraction === '' || [...fraction].some((ch) => !(ch in CN_DIGIT))) return null;
  return value + Number(`0.${[...fraction].map((ch) => CN_DIGIT[ch]).join('')}`);
}

const SCALES: Readonly<Record<string, number>> = {
  万亿: 1e12,
  亿: 1e8,
  千万: 1e7,
  百万: 1e6,
  万: 1e4,
  千: 1e3,
};

/**
 * A target's unit as a multiplier and a base unit: 万张 → 10000 × 张, 亿元 → 100000000 × 元, 千人 → 1000 × 人;
 * units without a multiplier (%, 个, 平方米, 千米, 个百分点) → 1 × themselves. For comparing a target (value 1.2,
 * unit 万张) with a count in the base unit (12000 张).
 */
export function unitScale(unit: string): { factor: number; base: string } {
  const m = new RegExp(`^(${MULTIPLIER})(.*)$`).exec(unit);
  if (!m || /^(米|瓦|克)/.test(m[2])) return { factor: 1, base: unit };
  return { factor: SCALES[m[1]], base: m[2] };
}

/** A value with its unit found in a clause. */
interface Quantity {
  index: number;
  /** Index after the unit (and the second value of a range written with its unit twice). */
  end: number;
  /** Characters from `index` that write the value or range (before the unit). */
  valueLength: number;
  value: number;
  valueMax: number | null;
  unit: string;
  /** 翻一番: the multiple is the value, the baseline is implied. */
  doubling: boolean;
}

/** Comparator words written before the value, tried longest first. */
const BEFORE_COMPARATORS: [string, Comparator][] = (
  [
    ['不低于', 'gte'],
    ['不少于', 'gte'],
    ['不高于', 'lte'],
    ['不超过', 'lte'],
    ['不多于', 'lte'],
    ['提高到', 'gte'],
    ['提高至', 'gte'],
    ['提升到', 'gte'],
    ['提升至', 'gte'],
    ['增加到', 'gte'],
    ['增加至', 'gte'],
    ['增长到', 'gte'],
    ['增长至', 'gte'],
    ['扩大到', 'gte'],
    ['扩大至', 'gte'],
    ['下降到', 'lte'],
    ['下降至', 'lte'],
    ['降低到', 'lte'],
    ['降低至', 'lte'],
    ['减少到', 'lte'],
    ['减少至', 'lte'],
    ['压减到', 'lte'],
    ['压减至', 'lte'],
    ['压缩到', 'lte'],
    ['压缩至', 'lte'],
    ['缩短到', 'lte'],
    ['缩短至', 'lte'],
    ['降至', 'lte'],
    ['达到', 'gte'],
    ['超过', 'gt'],
    ['突破', 'gt'],
    ['大于', 'gt'],
    ['高于', 'gt'],
    ['小于', 'lt'],
    ['低于', 'lt'],
    ['至少', 'gte'],
    ['控制在', 'lte'],
    ['保持在', 'gte'],
    ['稳定在', 'gte'],
    ['维持在', 'gte'],
    ['达', 'gte'],
  ] as [string, Comparator][]
).sort((a, b) => b[0].length - a[0].length);

/** Words after the value: 以上 / 及以上 (at least), 以下 / 以内 / 及以下 (at most). */
const AFTER_COMPARATOR = /^(及以上|以上|及以下|以下|以内)/;

/** A value followed by 以下的 / 以下或 describes a condition (建筑面积300平方米以下的社区服务设施), not a target. */
const CONDITION_AFTER = /^(及以下|以下|以内)(的|或)/;

/** 以上的要求 / 以上的目标: the value is still the target the words name. */
const TARGET_NOUN_AFTER = /^的(要求|目标|水平|标准)/;

/** An attribute that a value after it qualifies (常住人口1万人以上乡镇, 建筑面积1000平方米的): not an indicator. */
const ATTRIBUTE_BEFORE = /(人口|面积|规模|营业额|投资|投资额|总投资|收入|容量|座位|床位|户数|人数)$/;

/** Scopes a target applies to. */
const SCOPE =
  /^(全市|全省|全区|全县|全国|每个县（市、区）|每个县\(市、区\)|每县|每个县|每个区|每个乡镇|每个街道|每个社区|各县（市、区）|城市|农村)/;

/** Verbs that take the value as object count: 新建10处养老服务设施. */
const COUNT_VERB =
  /(新创建|新建|补建|配建|改扩建|建成|建设|新增|培育|打造|创建|推出|引进|建好|完成|设立|举办|组织|开展|发展|实施|规划建设|力争创建|成为)$/;
const COUNT_VERB_INSIDE = new RegExp(COUNT_VERB.source.replace(/\$$/, ''));

/** A per-capita base carried along a list: 每千人口拥有, 每10万人拥有, 每百户, 人均. */
const PER_CAPITA = /^(每(?:\d+(?:\.\d+)?)?[千万百十]?(?:人口|人|户|名)(?:拥有)?|人均)/;

const DEADLINE = /(?:到|至|力争)?(20[1-4]\d)年(?:年底|底|末)?(?:前)?/g;

/** A change on a baseline at the end of the words before a value: (比2020年)增加, 较2020年提高, 下降, 减少. */
const CHANGE =
  /(?:(?:比|较)(?:(20\d{2})年(?:年底|底|末)?|上年|上一年|基期|同期)?)?(?:再|要|进一步|累计)?(增加|增长|提高|提升|上升|扩大|减少|下降|降低|压减|缩减)(?:了)?$/;

/** 年均增长8%: a yearly rate, read as a level of its own rather than a change on a baseline. */
const YEARLY = /(年均|年平均|每年)$/;

/** 比2020年翻一番, 较2020年实现翻番, 达到2020年的2倍: the baseline of a multiple. */
const MULTIPLE_BASE =
  /(?:(比|较|是|为|达到|相当于)?(20\d{2})年(?:年底|底|末)?的?|(?:比|较)(?:上年|基期))?(?:实现|要|再)?$/;

/** 由80%提高到90%: the value the change starts from, read as part of the words before the target value. */
const FROM_VALUE = /(?:由|从)[^由从]{0,8}?\d[\d.,]*\D{0,4}$/;
const FROM_BEFORE = /(?:由|从)(?:20\d{2}年(?:年底|底|末)?的?)?$/;
const CHANGE_AFTER = /^(?:提高|提升|增加|增长|上升|扩大|下降|降低|减少|压减|缩减|缩短)/;

/** 与2020年相比 / 较2020年 as a clause of its own: the baseline of every change later in the sentence. */
const BASELINE_CLAUSE =
  /^(?:与|同|和|较|比|相比)(20\d{2})年(?:年底|底|末)?(?:相比|比较|相较)?$|^(20\d{2})年(?:年底|底|末)?(?:相比|比较|相较)$/;

/** A year of the baseline or of a condition, not a deadline: 比2020年, 截至2021年底, 2000年底前建成的. */
function notADeadline(before: string, after: string): boolean {
  return (
    /(比|较|截|与)$/.test(before) ||
    /^(版|以来|的|相比|比较)/.test(after) ||
    /建成的|以前/.test(after.slice(0, 4))
  );
}

/**
 * Status, not target: a clause opening with a time that has passed (截至目前, 目前, “十三五”期间, 2021年以来), from
 * which every clause of the sentence reports the present until one names a deadline or an aim (到2025年, 力争).
 */
const STATUS_OPENING =
  /截至|截止|目前|当前|近年来|近几年|以来$|[“"]?十三五[”"]?(?:期间|时期|以来|末)|过去[一二三四五两\d]+年/;
const FORWARD = /(?:^|[^截])(?:到|至)20\d{2}年|力争|确保|预计|计划|目标|争取/;

/** Status within a clause: 已达到, 已建成 (not 已建成的, a condition), 现有 / 共有 / 已有 opening the clause. */
const STATUS_WORD =
  /已(?:经|达到|达|建成|实现|完成|累计|形成|覆盖|超过|拥有|建立|开通|有)(?!的)|(?:^|[市省区县镇])(?:现有|现已|共有)/;

/**
 * Money or a rate a policy grants (给予…补贴1万元, 最高10万元, 500元/人): a parameter, not a target; nor is a value
 * before 给予 in the same clause (对门店达到10家以上的企业给予奖励 is a condition of the grant).
 */
const GRANT = /给予|补贴|补助|奖补|资助|贴息|奖励资金|扶持资金|最高/;

/** A count of departments (等10个部门, 10个成员单位): who acts, not what is to be reached. */
const DEPARTMENTS =
  /^(?![^\d、，]*(?:示范|先进|标杆|试点|星级|诚信|达标|文明|模范|优秀|品牌))[^\d、，]{0,4}?(?:部门|部委|委办局|厅局|成员单位|责任单位|牵头单位|单位(?=$|[联共印制按分等和及、参]))/;

/** A count of tasks or parts of the plan (23项重点任务, 8类18项…攻坚行动, 5个方面): the plan's structure. */
const TASKS =
  /^[^\d、，]{0,12}?(?:任务|行动|措施|举措|事项|实事|工程|意见|政策)$|^(?:方面|领域|维度|部分|板块)/;

/** Counters a task count is written with (not 场 or 次: 开展50场专项行动 counts events held). */
const TASK_COUNTERS = /^(项|条|个)$/;

/** Full coverage words (全覆盖) are read separately, as ≥ 100%. */
const FULL_COVERAGE = /全覆盖(?!的)/;

/** What may stand right before a Chinese-numeral count for it to be a target: a count verb, a comparator, 有. */
const CN_COUNT_LEAD = new RegExp(
  `(?:${COUNT_VERB.source.replace(/\$$/, '')}|${BEFORE_COMPARATORS.map(([w]) => w).join('|')}|有|增加|增长|提高|提升|上升|减少|下降|降低)$`,
);

// ---- text kept as positions: read in the matching text, written as in the source ----

/** The paragraph in both forms: `norm` for the rules, `src` for what is shown; same length. */
interface Doc {
  src: string;
  norm: string;
}

/** A piece of the paragraph as the paragraph indices of its characters, in order (not always contiguous). */
type Cut = number[];

const range = (start: number, end: number): Cut => Array.from({ length: end - start }, (_, i) => start + i);
const read = (doc: Doc, cut: Cut): string => cut.map((i) => doc.norm[i]).join('');
const written = (doc: Doc, cut: Cut): string => cut.map((i) => doc.src[i]).join('');

/** Remove the first match of `re` from the cut. */
function removeMatch(doc: Doc, cut: Cut, re: RegExp): Cut {
  const m = re.exec(read(doc, cut));
  return m ? [...cut.slice(0, m.index), ...cut.slice(m.index + m[0].length)] : cut;
}

/** Remove every match of `re` (global) from the cut. */
function removeAll(doc: Doc, cut: Cut, re: RegExp): Cut {
  const drop = new Set<number>();
  for (const m of read(doc, cut).matchAll(re)) for (let i = 0; i < m[0].length; i++) drop.add(m.index + i);
  return cut.filter((_, i) => !drop.has(i));
}

// ---- values in a clause ----

/** Every value with its unit in a clause of the matching text, in order, digits or Chinese. */
function quantitiesIn(text: string): Quantity[] {
  const found: Quantity[] = [];
  for (const m of text.matchAll(DIGITS)) {
    const numberEnd = m.index + m[0].length;
    const u = UNIT.exec(text.slice(numberEnd));
    if (!u) continue;
    const unit = u[1] ?? u[2] ?? u[3];
    const value = Number(m[1].replace(/,/g, ''));
    let valueMax = m[2] !== undefined ? Number(m[2].replace(/,/g, '')) : null;
    let end = numberEnd + u[0].length;
    const twice = RANGE_AFTER_UNIT.exec(text.slice(end));
    if (valueMax === null && twice && text.startsWith(unit, end + twice[0].length)) {
      valueMax = Number(twice[1].replace(/,/g, ''));
      end += twice[0].length + unit.length;
    }
    // A value written twice (85%-90%) keeps its span on the first number; a range 1-3 covers both numbers.
    found.push({
      index: m.index,
      end,
      valueLength: m[0].length,
      value,
      valueMax,
      unit: unit === '百分点' ? '个百分点' : unit,
      doubling: false,
    });
  }
  for (const m of text.matchAll(CN_PERCENT)) {
    const value = m[1] !== undefined ? chineseNumeral(m[1]) : CN_DIGIT[m[2]] * 10;
    if (value !== null)
      found.push({
        index: m.index,
        end: m.index + m[0].length,
        valueLength: m[0].length,
        value,
        valueMax: null,
        unit: '%',
        doubling: false,
      });
  }
  for (const m of text.matchAll(CN_COUNT)) {
    const value = chineseNumeral(m[1]);
    // 学位三千个 ending the clause: a count after its noun.
    const last =
      /^(?:以上|左右)?$/.test(text.slice(m.index + m[0].length)) && /[^第]$/.test(text.slice(0, m.index));
    if (value !== null && value > 0 && (CN_COUNT_LEAD.test(text.slice(0, m.index)) || last))
      found.push({
        index: m.index,
        end: m.index + m[0].length,
        valueLength: m[1].length,
        value,
        valueMax: null,
        unit: m[2] === '百分点' ? '个百分点' : m[2],
        doubling: false,
      });
  }
  for (const m of text.matchAll(DOUBLING)) {
    const times = m[1] === undefined || m[1] === '一' ? 1 : m[1] === '三' ? 3 : 2;
    found.push({
      index: m.index,
      end: m.index + m[0].length,
      valueLength: m[0].length,
      value: 2 ** times,
      valueMax: null,
      unit: '倍',
      doubling: true,
    });
  }
  // A Chinese numeral inside a digit match (the 万 of 1.5万个) is not a second value.
  return found.sort((a, b) => a.index - b.index).filter((q, i, all) => i === 0 || q.index >= all[i - 1].end);
}

interface Piece {
  text: string;
  start: number;
}

/** Split text at any of `separators`, keeping offsets. */
function split(text: string, start: number, separators: RegExp): Piece[] {
  const pieces: Piece[] = [];
  let last = 0;
  for (const m of text.matchAll(separators)) {
    if (m.index > last) pieces.push({ text: text.slice(last, m.index), start: start + last });
    last = m.index + m[0].length;
  }
  if (last < text.length) pieces.push({ text: text.slice(last), start: start + last });
  return pieces;
}

/** Clause separators: ，；： and a comma that is not a thousands separator (1,200). */
const CLAUSE_SEPARATORS = /[，；;：:]|(?<!\d),|,(?!\d{3}(?!\d))/g;

/**
 * The deadline a clause states, if it names a year that is not a baseline (比2020年), a status (截至2021年底) or a
 * condition (2000年底前建成的).
 */
function deadlineIn(clause: string): { year: number; explicit: boolean } | null {
  for (const m of clause.matchAll(DEADLINE)) {
    const before = clause.slice(0, m.index);
    if (notADeadline(before, clause.slice(m.index + m[0].length))) continue;
    const year = Number(m[1]);
    const explicit = m[0].startsWith('到') || m[0].startsWith('至') || m[0].startsWith('力争');
    if (explicit || m.index === 0 || m[0].endsWith('前')) return { year, explicit };
  }
  return null;
}

function stripComparator(doc: Doc, cut: Cut): { cut: Cut; comparator: Comparator | null; word: Cut | null } {
  const text = read(doc, cut);
  for (const [word, comparator] of BEFORE_COMPARATORS)
    if (text.endsWith(word))
      return { cut: cut.slice(0, -word.length), comparator, word: cut.slice(-word.length) };
  return { cut, comparator: null, word: null };
}

/** What the words before a value say: the indicator phrase and its qualifiers. */
interface Lead {
  phrase: Cut;
  comparator: Comparator;
  words: Cut[];
  aspirational: boolean;
  gradual: boolean;
  relative: RelativeChange | null;
  scope: Cut | null;
}

/** The kind of change a unit measures: 个百分点 → points, % → percent, 倍 → multiple, else absolute. */
function changeKind(unit: string): RelativeChange['kind'] {
  if (unit === '个百分点') return 'points';
  if (unit === '%' || unit === '‰') return 'percent';
  if (unit === '倍') return 'multiple';
  return 'absolute';
}

/**
 * Read the text between the previous value (or the clause start) and this value: deadline, 力争/逐步, a relative
 * baseline (比2020年增加, 较2020年提高, 翻一番), comparators (每县至少建成…, …达到), the scope (全市, 每县) and what
 * remains, the phrase. `trailing` is the comparator written after the value (以上), which a word before it may
 * refine; `baseline` the year of a 与2020年相比 clause earlier in the sentence; `status`, the value reports the
 * present (its words 目前, 已, 现有 are no part of the phrase).
 */
function readLead(
  doc: Doc,
  lead: Cut,
  trailing: Cut | null,
  q: Quantity,
  baseline: number | null,
  status: boolean,
): Lead {
  let cut = removeMatch(doc, lead, /^[、和及与\s]+/);
  if (status) cut = removeAll(doc, cut, /截至目前|截至|截止|目前|当前|现有|现已|共有|已有|已经|已/g);
  const words: Cut[] = trailing ? [trailing] : [];
  const trailingText = trailing ? read(doc, trailing) : null;
  let comparator: Comparator = trailingText ? (trailingText.endsWith('以上') ? 'gte' : 'lte') : 'eq';
  const text = read(doc, cut);
  const aspirational = /力争/.test(text);
  const gradual = /逐步/.test(text);
  for (const [flag, re] of [
    [aspirational, /力争/],
    [gradual, /逐步/],
  ] as const)
    if (flag) {
      const at = re.exec(read(doc, cut));
      if (at) words.push(cut.slice(at.index, at.index + 2));
    }
  cut = removeAll(doc, cut, /力争|逐步/g);
  cut = removeMatch(doc, cut, /^(?:到|至)?20\d{2}年(?:年底|底|末)?(?:前)?/);
  let relative: RelativeChange | null = null;
  const kind = changeKind(q.unit);
  if (kind === 'multiple') {
    // 比2020年翻一番, 较2020年实现翻番, 达到2020年的2倍: the value multiplies the baseline.
    const base = MULTIPLE_BASE.exec(read(doc, cut));
    if (base?.[1] === '达到') {
      words.unshift(cut.slice(base.index, base.index + 2));
      comparator = comparator === 'eq' ? 'gte' : comparator;
    }
    relative = {
      baselineYear: base?.[2] !== undefined ? Number(base[2]) : baseline,
      change: q.value >= 1 ? 'increase' : 'decrease',
      kind,
    };
    if (base) cut = cut.slice(0, base.index);
  } else {
    const change = CHANGE.exec(read(doc, cut));
    if (change && !YEARLY.test(read(doc, cut).slice(0, change.index))) {
      relative = {
        baselineYear: change[1] !== undefined ? Number(change[1]) : baseline,
        change: /减少|下降|降低|压减|缩减/.test(change[2]) ? 'decrease' : 'increase',
        kind,
      };
      cut = cut.slice(0, change.index);
    }
  }
  const inner = /(至少|不低于|不少于|不超过)/.exec(read(doc, cut));
  if (inner && !read(doc, cut).endsWith(inner[1])) {
    words.unshift(cut.slice(inner.index, inner.index + inner[1].length));
    comparator = inner[1] === '不超过' ? 'lte' : 'gte';
    cut = [...cut.slice(0, inner.index), ...cut.slice(inner.index + inner[1].length)];
  }
  const stripped = stripComparator(doc, cut);
  cut = stripped.cut;
  if (stripped.word) {
    words.unshift(stripped.word);
    if (comparator === 'eq' || stripped.comparator !== 'gte') comparator = stripped.comparator ?? comparator;
  }
  // 覆盖率由80%提高到90%: the starting value is no part of the phrase.
  cut = removeMatch(doc, cut, FROM_VALUE);
  cut = removeMatch(doc, cut, /(?:基本|将|要|可|争取|均|全部|实现)+$/);
  const scope = SCOPE.exec(read(doc, cut))?.[1] ?? null;
  const scopeCut = scope ? cut.slice(0, scope.length) : null;
  if (scope) cut = cut.slice(scope.length);
  return {
    phrase: removeMatch(doc, cut, /^(?:即|其中|对|使|确保|推动|推进)/),
    comparator,
    words,
    aspirational,
    gradual,
    relative,
    scope: scopeCut,
  };
}

/** Where a target sits in the paragraph, shared by every target of one clause. */
interface Place {
  paragraph: Paragraph;
  doc: Doc;
  clause: Piece;
  sentence: Piece;
  deadline: number | null;
  deadlineSource: Target['deadlineSource'];
}

function placeFields(
  place: Place,
): Pick<Target, 'deadlineYear' | 'deadlineSource' | 'span' | 'sentence' | 'sentenceSpan'> {
  const { paragraph, clause, sentence, doc } = place;
  return {
    deadlineYear: place.deadline,
    deadlineSource: place.deadlineSource,
    span: toSourceSpan(paragraph, clause.start, clause.start + clause.text.length),
    sentence: doc.src.slice(sentence.start, sentence.start + sentence.text.length),
    sentenceSpan: toSourceSpan(paragraph, sentence.start, sentence.start + sentence.text.length),
  };
}

/** What the sentence carries from one clause to the next. */
interface Carry {
  verb: Cut | null;
  previousPhrase: Cut | null;
  previousScope: Cut | null;
  perCapita: Cut | null;
  /** The sentence reports the present (截至目前, “十三五”期间): its values are no targets. */
  status: boolean;
  /** The year of a 与2020年相比 clause. */
  baseline: number | null;
}

/**
 * What a value is, from the words around it:
 * - `target`;
 * - `part-of-phrase`: a qualifier (常住人口1万人以上的乡镇) or a per-capita base (每10万人) — the words stay in the
 *   phrase of the value after it;
 * - `status`: a figure of the present (截至目前…达到88.5%, 已建成, 现有): no target, but its phrase is the phrase of
 *   a target after it with none of its own (…，到2025年达到90%);
 * - `other`: a rate (按10%), a grant (给予1万元补贴), a count of departments or tasks (等10个部门, 23项重点任务), a
 *   numbering label, a multiple with no baseline.
 */
type Role = 'target' | 'part-of-phrase' | 'status' | 'other';

interface Context {
  /** The clause in the matching text. */
  text: string;
  /** Paragraph index of the clause's first character. */
  start: number;
  /** End of the paragraph's numbering label (1., （一）): values before it are the label's. */
  labelEnd: number;
  status: boolean;
}

function roleOf(ctx: Context, q: Quantity, previous: Quantity | undefined, previousRole: Role | null): Role {
  const { text } = ctx;
  if (ctx.start + q.index < ctx.labelEnd) return 'other';
  const before = text.slice(previous?.end ?? 0, q.index);
  const after = text.slice(q.end);
  if (/每$/.test(before)) return 'part-of-phrase';
  if (FROM_BEFORE.test(before) && CHANGE_AFTER.test(after)) return 'part-of-phrase';
  if (/(按|以)$/.test(before) || (previousRole === 'other' && /^[和及与、或]$/.test(before))) return 'other';
  if (GRANT.test(before) || /给予|予以/.test(after) || /^[/／]/.test(after)) return 'other';
  const object = after.replace(/^(及以上|以上)/, '').split('、')[0];
  if (DEPARTMENTS.test(object) || (!q.doubling && TASK_COUNTERS.test(q.unit) && TASKS.test(object)))
    return 'other';
  if (ctx.status) return 'status';
  // 已建成小区补建养老服务设施100处: a count verb after the status word starts a target of its own.
  const statusWord = STATUS_WORD.exec(text);
  if (
    statusWord &&
    statusWord.index < q.index &&
    !COUNT_VERB_INSIDE.test(text.slice(statusWord.index + statusWord[0].length, q.index))
  )
    return 'status';
  if (q.unit === '倍' && !q.doubling && !/(20\d{2})年(?:年底|底|末)?的$/.test(before)) return 'other';
  if (CONDITION_AFTER.test(after)) return 'part-of-phrase';
  const comparatorBefore =
    BEFORE_COMPARATORS.some(([w]) => before.endsWith(w)) || /至少|不低于|不少于|不超过/.test(before);
  const trailing = AFTER_COMPARATOR.exec(after)?.[1];
  const rest = after.slice(trailing?.length ?? 0);
  const counted = COUNT_VERB.test(before);
  if (!comparatorBefore && !counted && q.unit !== '%' && /^的./.test(rest) && !TARGET_NOUN_AFTER.test(rest))
    return 'part-of-phrase';
  if (!comparatorBefore && ATTRIBUTE_BEFORE.test(before) && trailing && rest.length > 0)
    return 'part-of-phrase';
  return 'target';
}

/** The targets stated with numbers in one clause. */
function quantityTargets(place: Place, carry: Carry, labelEnd: number): Omit<Target, 'id'>[] {
  const { doc, clause } = place;
  const text = clause.text;
  const at = (i: number): number => clause.start + i;
  const quantities = quantitiesIn(text);
  const ctx: Context = { text, start: clause.start, labelEnd, status: carry.status };
  const roles: Role[] = [];
  quantities.forEach((q, i) => roles.push(roleOf(ctx, q, quantities[i - 1], roles[i - 1] ?? null)));
  const found: Omit<Target, 'id'>[] = [];
  let boundary = Math.min(text.length, Math.max(0, labelEnd - clause.start));
  carry.perCapita = null;
  quantities.forEach((q, i) => {
    if (roles[i] === 'part-of-phrase') return;
    if (roles[i] === 'other') {
      const object = DEPARTMENTS.exec(text.slice(q.end));
      boundary = q.end + (object?.[0].length ?? 0);
      return;
    }
    // The object of a count runs to the next value that is not part of it; cut at the 、 that starts the next item.
    const nextIndex = quantities.findIndex((n, j) => j > i && roles[j] !== 'part-of-phrase');
    const next = nextIndex >= 0 ? quantities[nextIndex] : undefined;
    let after = text.slice(q.end, next?.index ?? text.length);
    const trailingMatch = AFTER_COMPARATOR.exec(after)?.[1] ?? null;
    const trailing = trailingMatch ? range(at(q.end), at(q.end + trailingMatch.length)) : null;
    if (trailingMatch) after = after.slice(trailingMatch.length);
    const afterStart = q.end + (trailingMatch?.length ?? 0);
    const cutAt = next ? after.lastIndexOf('、') : -1;
    const objectLength = cutAt >= 0 ? cutAt : after.length;
    const status = roles[i] === 'status';
    const lead = readLead(doc, range(at(boundary), at(q.index)), trailing, q, carry.baseline, status);
    let phrase = lead.phrase;
    let scope = lead.scope;
    const verbMatch = COUNT_VERB.exec(read(doc, phrase));
    if (verbMatch) carry.verb = phrase.slice(verbMatch.index);
    let object = removeMatch(
      doc,
      removeMatch(doc, range(at(afterStart), at(afterStart + objectLength)), /^[和及与、\s]+/),
      /[和及与、\s]+$/,
    );
    let objectText = read(doc, object);
    // 建成10个以上的示范社区: the 的 after 以上 joins the count to its object (not 以上的要求).
    if (trailingMatch && /^的/.test(objectText) && !TARGET_NOUN_AFTER.test(objectText) && verbMatch) {
      object = object.slice(1);
      objectText = objectText.slice(1);
    }
    let consumed = 0;
    if (trailingMatch && /^的/.test(after) && q.index === boundary && q.unit === '%') {
      // 60%以上的乡镇(街道)建设…: the share of places is the target; the places are its scope.
      const places = /^的([^建实开达设配完推]{1,12})/.exec(after)?.[1] ?? '';
      scope = range(at(q.index), at(afterStart + 1 + places.length));
      phrase = range(at(afterStart + 1), at(afterStart + after.length));
      consumed = after.length;
    } else if (objectText.length >= 2 && !/^的/.test(objectText)) {
      // 新建10处养老服务设施, 等7个小区进行提升改造, 、25家国家4A级旅游景区: the value counts the object.
      phrase = [...(phrase.length === 0 ? (carry.verb ?? []) : phrase), ...object];
      consumed = objectLength;
    } else if (phrase.length === 0 && carry.previousPhrase) {
      // 城市…覆盖率达100%，农村达80%; 截至目前…达到88.5%，到2025年达到90%: the phrase (and scope) of the value before.
      phrase = carry.previousPhrase;
      scope = scope ?? carry.previousScope;
    }
    // 每千人口拥有…医师3.4人、注册护士3.69人: the per-capita base carries along the list.
    const perCapita = PER_CAPITA.exec(read(doc, phrase))?.[1];
    if (perCapita) carry.perCapita = phrase.slice(0, perCapita.replace(/拥有$/, '').length);
    else if (carry.perCapita && found.length > 0) phrase = [...carry.perCapita, ...phrase];
    phrase = removeMatch(doc, removeMatch(doc, phrase, /^[、，,\s]+/), /[、，,\s]+$/);
    boundary = afterStart + consumed;
    if (phrase.length < 2) return;
    carry.previousPhrase = phrase;
    carry.previousScope = scope;
    if (status) return;
    found.push({
      phrase: written(doc, phrase),
      comparator: lead.comparator,
      comparatorWords: lead.words.map((w) => written(doc, w)),
      aspirational: lead.aspirational,
      gradual: lead.gradual,
      value: q.value,
      valueMax: q.valueMax,
      unit: q.unit,
      scope: scope ? written(doc, scope) : null,
      relative: lead.relative,
      valueSpan: toSourceSpan(place.paragraph, at(q.index), at(q.index + q.valueLength)),
      ...placeFields(place),
    });
  });
  return found;
}

/**
 * 推动老年助餐服务城乡全覆盖: full coverage is a target of 100% without a digit. Not when 全覆盖 qualifies a noun
 * (全覆盖的互联互通) or names too little to be an indicator (确保项目全覆盖).
 */
function fullCoverage(doc: Doc, clause: Piece): { phrase: Cut; scope: Cut | null; index: number } | null {
  const m = FULL_COVERAGE.exec(clause.text);
  if (!m) return null;
  let cut = range(clause.start, clause.start + m.index);
  cut = removeMatch(doc, cut, /^(?:到|至)?20\d{2}年(?:年底|底|末)?(?:前)?/);
  cut = removeMatch(doc, cut, /^(?:力争|逐步|推动|推进|实现|确保|基本实现|基本)+/);
  cut = removeMatch(doc, cut, /的$/);
  let scope: Cut | null = null;
  const tail = /(城乡|城市|农村)$/.exec(read(doc, cut));
  const head = SCOPE.exec(read(doc, cut));
  if (tail) [scope, cut] = [cut.slice(tail.index), cut.slice(0, tail.index)];
  else if (head) [scope, cut] = [cut.slice(0, head[1].length), cut.slice(head[1].length)];
  return cut.length >= 4 ? { phrase: cut, scope, index: m.index } : null;
}

/** Length of the numbering label opening the paragraph (1. （一） 2.1), whose numbers are no values. */
function labelLength(norm: string): number {
  const heading = parseHeading(norm);
  if (heading) return heading.label.length;
  return /^\d{1,2}(?:\.\d{1,2}){1,3}(?=[^\d.%])/.exec(norm)?.[0].length ?? 0;
}

/** Targets in a paragraph; `idPrefix` gives their ids (m2.1 → m2.1.t1). */
export function findTargets(paragraph: Paragraph, idPrefix: string): Target[] {
  const doc: Doc = { src: paragraph.text, norm: matchingText(paragraph.text) };
  const labelEnd = labelLength(doc.norm);
  const found: Omit<Target, 'id'>[] = [];
  let deadline: number | null = null;
  let deadlineSource: Target['deadlineSource'] = null;
  for (const sentence of split(doc.norm, 0, /[。！？!?]/g)) {
    const carry: Carry = {
      verb: null,
      previousPhrase: null,
      previousScope: null,
      perCapita: null,
      status: false,
      baseline: null,
    };
    const before: { deadline: number | null } = { deadline };
    const foundBefore = found.length;
    for (const clause of split(sentence.text, sentence.start, CLAUSE_SEPARATORS)) {
      const own = deadlineIn(clause.text);
      if (STATUS_OPENING.test(clause.text)) carry.status = true;
      else if (own?.explicit || FORWARD.test(clause.text)) carry.status = false;
      const baselineMatch = BASELINE_CLAUSE.exec(clause.text);
      const baselineYear = baselineMatch?.[1] ?? baselineMatch?.[2];
      if (baselineYear) carry.baseline = Number(baselineYear);
      const status = carry.status || STATUS_WORD.test(clause.text);
      if (own && !carry.status && !baselineYear) [deadline, deadlineSource] = [own.year, 'clause'];
      else if (deadline !== null) deadlineSource = 'paragraph';
      if (status && found.length === foundBefore)
        // 2020年，全市…已达到88.5%: the year was the status's, not a deadline.
        [deadline, deadlineSource] = [before.deadline, before.deadline === null ? null : 'paragraph'];
      const place: Place = { paragraph, doc, clause, sentence, deadline, deadlineSource };
      found.push(...quantityTargets(place, carry, labelEnd));
      const full = status ? null : fullCoverage(doc, clause);
      if (full) {
        const start = clause.start + full.index;
        found.push({
          phrase: written(doc, full.phrase),
          comparator: 'gte',
          comparatorWords: [doc.src.slice(start, start + 3)],
          aspirational: /力争/.test(clause.text),
          gradual: /逐步/.test(clause.text),
          value: 100,
          valueMax: null,
          unit: '%',
          scope: full.scope ? written(doc, full.scope) : null,
          relative: null,
          valueSpan: toSourceSpan(paragraph, start, start + 3),
          ...placeFields(place),
        });
      }
    }
  }
  return found.map((t, i) => ({ id: `${idPrefix}.t${i + 1}`, ...t }));
}

/**
 * The level a relative target asks for, from the baseline's value: 比2020年增加200人 → baseline + 200; 提高5个百分点
 * → baseline + 5; 增长10% → baseline × 1.1; 翻一番 → baseline × 2. Plans stored before `kind` existed read as
 * `absolute`.
 */
export function relativeGoal(
  relative: Pick<RelativeChange, 'change'> & { kind?: RelativeChange['kind'] },
  amount: number,
  baseline: number,
): number {
  const sign = relative.change === 'increase' ? 1 : -1;
  switch (relative.kind ?? 'absolute') {
    case 'percent':
      return baseline * (1 + (sign * amount) / 100);
    case 'multiple':
      return baseline * amount;
    default:
      return baseline + sign * amount;
  }
}
