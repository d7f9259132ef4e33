import { toSourceSpan, type Paragraph } from './paragraphs.js';
import type { Comparator, Target } from './types.js';

/**
 * Quantified targets (量化目标) in one paragraph. The grammar of these documents is regular: an optional deadline
 * (到2025年), an optional scope (全市, 每县), the indicator phrase, a comparator word (达到, 不低于, 大于) and the
 * value with its unit, possibly followed by 以上; or a verb, the value and the object (新建10处养老服务设施).
 * Several targets share one clause when listed with 、 (职业(助理)医师3.4人、注册护士3.69人).
 */

/** Counters a number of things is written with (新建10处, 两所). */
const COUNTERS = '个|人|所|家|处|套|项|部|条|座|张|床|间|次|名|支|场|台|辆|户';

/**
 * Value and unit. Units of time and age (年, 岁, 小时, 分钟) are descriptors (15分钟生活圈, 3岁以下), not targets.
 * A 万 or 千 between a number and a counter multiplies it (1.5万个 = 15000个, 2千人 = 2000人); units that carry
 * their own 万 (万人, 万元, 万次) keep the value as written (3.4万次 is 3.4 of 万次).
 */
const QUANTITY = new RegExp(
  '(?<![\\d.A-Za-z第])(\\d+(?:\\.\\d+)?)(?:\\s*[-—–~～至到]\\s*(\\d+(?:\\.\\d+)?))?\\s*' +
    `(千(?=${COUNTERS})|万(?=${COUNTERS.replace('人|', '').replace('次|', '')}))?` +
    `(%|％|万亿元|亿元|万元|万人次|万次|人次|万人|万平方米|平方米|公顷|公里|${COUNTERS})`,
  'g',
);

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

/** A Chinese-numeral count (一所, 两千个): a number only after a count verb, a comparator or 有 (每个县有一所). */
const CN_COUNT = new RegExp(`(${CN_NUMERAL})(${COUNTERS})`, 'g');

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

/** Full-width digits and decimal point (８０．５) as ASCII, one character for one, so offsets stay the same. */
function halfWidthDigits(text: string): string {
  return text.replace(/[０-９．]/g, (ch) =>
    ch === '．' ? '.' : String.fromCharCode(ch.charCodeAt(0) - 0xfee0),
  );
}

/** A value with its unit found in a clause. */
interface Quantity {
  index: number;
  /** The value and unit as written. */
  text: string;
  value: number;
  valueMax: number | null;
  unit: string;
  /** Characters of `text` that write the value (before the unit). */
  valueLength: number;
}

/** Comparator words written before the value, longest first. */
const BEFORE_COMPARATORS: [string, Comparator][] = [
  ['不低于', 'gte'],
  ['不少于', 'gte'],
  ['不高于', 'lte'],
  ['不超过', 'lte'],
  ['提高到', 'gte'],
  ['提升到', 'gte'],
  ['增加到', 'gte'],
  ['达到', 'gte'],
  ['超过', 'gt'],
  ['大于', 'gt'],
  ['高于', 'gt'],
  ['小于', 'lt'],
  ['低于', 'lt'],
  ['至少', 'gte'],
  ['控制在', 'lte'],
  ['保持在', 'gte'],
  ['达', 'gte'],
];

/** Words after the value: 以上 / 及以上 (at least), 以下 / 以内 (at most). */
const AFTER_COMPARATOR = /^(及以上|以上|以下|以内)/;

/** A value followed by 以下的 / 以下或 describes a condition (建筑面积300平方米以下的社区服务设施), not a target. */
const CONDITION_AFTER = /^(以下|以内)(的|或)/;

/** Scopes a target applies to. */
const SCOPE =
  /^(全市|全省|全区|全县|全国|每个县（市、区）|每个县\(市、区\)|每县|每个县|每个区|每个乡镇|每个街道|每个社区|各县（市、区）|城市|农村)/;

/** Verbs that take the value as object count: 新建10处养老服务设施. */
const COUNT_VERB =
  /(新创建|新建|建成|建设|新增|培育|打造|创建|推出|引进|建好|完成|设立|举办|组织|开展|发展|实施|规划建设|力争创建|成为)$/;

const PER_CAPITA = /^(每[千万百十]?人口?(?:拥有)?|人均)/;

const DEADLINE = /(?:到|至|力争)?(20[1-4]\d)年(?:年底|底|末)?(?:前)?/g;

const RELATIVE = /比(20\d{2})年(增加|提高|增长|减少|下降|降低)$/;

/** What may stand right before a Chinese-numeral count for it to be a target: a count verb, a comparator, 有. */
const CN_COUNT_LEAD = new RegExp(
  `(?:${COUNT_VERB.source.replace(/\$$/, '')}|${BEFORE_COMPARATORS.map(([w]) => w).join('|')}|有)$`,
);

/** Every value with its unit in a clause (full-width digits already made ASCII), in order, digits or Chinese. */
function quantitiesIn(text: string): Quantity[] {
  const found: Quantity[] = [];
  for (const m of text.matchAll(QUANTITY)) {
    const multiplier = m[3] === '万' ? 10000 : m[3] === '千' ? 1000 : 1;
    const unit = m[4] === '％' ? '%' : m[4];
    found.push({
      index: m.index,
      text: m[0],
      value: Number(m[1]) * multiplier,
      valueMax: m[2] !== undefined ? Number(m[2]) * multiplier : null,
      unit,
      valueLength: m[0].length - m[4].length,
    });
  }
  for (const m of text.matchAll(CN_PERCENT)) {
    const value = m[1] !== undefined ? chineseNumeral(m[1]) : CN_DIGIT[m[2]] * 10;
    if (value !== null)
      found.push({ index: m.index, text: m[0], value, valueMax: null, unit: '%', valueLength: m[0].length });
  }
  for (const m of text.matchAll(CN_COUNT)) {
    const value = chineseNumeral(m[1]);
    if (value !== null && value > 0 && CN_COUNT_LEAD.test(text.slice(0, m.index)))
      found.push({ index: m.index, text: m[0], value, valueMax: null, unit: m[2], valueLength: m[1].length });
  }
  // A Chinese numeral inside a digit match (the 万 of 1.5万个) is not a second value.
  return found
    .sort((a, b) => a.index - b.index)
    .filter((q, i, all) => i === 0 || q.index >= all[i - 1].index + all[i - 1].text.length);
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

/** The deadline a clause states, if it names a year that is not a baseline (比2020年) or a condition (2000年底前建成的). */
function deadlineIn(clause: string): number | null {
  for (const m of clause.matchAll(DEADLINE)) {
    const before = clause.slice(0, m.index);
    const after = clause.slice(m.index + m[0].length);
    if (before.endsWith('比') || /^(版|以来|的)/.test(after) || /建成的|以前/.test(after.slice(0, 4)))
      continue;
    const year = Number(m[1]);
    const explicit = m[0].startsWith('到') || m[0].startsWith('至') || m[0].startsWith('力争');
    if (explicit || m.index === 0 || m[0].endsWith('前')) return year;
  }
  return null;
}

function stripComparator(before: string): {
  rest: string;
  comparator: Comparator | null;
  word: string | null;
} {
  for (const [word, comparator] of BEFORE_COMPARATORS)
    if (before.endsWith(word)) return { rest: before.slice(0, -word.length), comparator, word };
  return { rest: before, comparator: null, word: null };
}

/**
 * 推动老年助餐服务城乡全覆盖: full coverage is a target of 100% without a digit. Not when 全覆盖 qualifies a noun
 * (全覆盖的互联互通) or names too little to be an indicator (确保项目全覆盖).
 */
function fullCoverage(clause: string): { phrase: string; scope: string | null; index: number } | null {
  const m = /全覆盖(?!的)/.exec(clause);
  if (!m) return null;
  let before = clause
    .slice(0, m.index)
    .replace(/^(?:到|至)?20\d{2}年(?:年底|底|末)?(?:前)?/, '')
    .replace(/^(?:力争|逐步|推动|推进|实现|确保|基本实现|基本)+/, '')
    .replace(/的$/, '');
  let scope: string | null = null;
  const tail = /(城乡|城市|农村)$/.exec(before);
  const head = SCOPE.exec(before);
  if (tail) [scope, before] = [tail[1], before.slice(0, -tail[1].length)];
  else if (head) [scope, before] = [head[1], before.slice(head[1].length)];
  return before.length >= 4 ? { phrase: before, scope, index: m.index } : null;
}

/** What the words before a value say: the indicator phrase and its qualifiers. */
interface Lead {
  phrase: string;
  comparator: Comparator;
  words: string[];
  aspirational: boolean;
  gradual: boolean;
  relative: Target['relative'];
  scope: string | null;
}

/**
 * Read the text between the previous value (or the clause start) and this value: deadline, 力争/逐步, a relative
 * baseline (比2020年增加), comparators (每县至少建成…, …达到), the scope (全市, 每县) and what remains, the phrase.
 * `trailing` is the comparator written after the value (以上), which a word before it may refine.
 */
function readLead(text: string, trailing: string | null): Lead {
  let before = text.replace(/^[、和及与]/, '');
  const words = trailing ? [trailing] : [];
  let comparator: Comparator = trailing ? (trailing.endsWith('以上') ? 'gte' : 'lte') : 'eq';
  const aspirational = /力争/.test(before);
  const gradual = /逐步/.test(before);
  if (aspirational) words.push('力争');
  if (gradual) words.push('逐步');
  before = before.replace(/^(?:到|至)?20\d{2}年(?:年底|底|末)?(?:前)?/, '').replace(/力争|逐步/g, '');
  let relative: Target['relative'] = null;
  const rel = RELATIVE.exec(before);
  if (rel) {
    relative = {
      baselineYear: Number(rel[1]),
      change: /减少|下降|降低/.test(rel[2]) ? 'decrease' : 'increase',
    };
    before = before.slice(0, rel.index);
  }
  const inner = /(至少|不低于|不少于|不超过)/.exec(before);
  if (inner && !before.endsWith(inner[1])) {
    words.unshift(inner[1]);
    comparator = inner[1] === '不超过' ? 'lte' : 'gte';
    before = before.replace(inner[1], '');
  }
  const stripped = stripComparator(before);
  before = stripped.rest;
  if (stripped.word) {
    words.unshift(stripped.word);
    if (comparator === 'eq' || stripped.comparator !== 'gte') comparator = stripped.comparator ?? comparator;
  }
  const scope = SCOPE.exec(before)?.[1] ?? null;
  if (scope) before = before.slice(scope.length);
  return {
    phrase: before.replace(/^(?:即|其中|对)/, ''),
    comparator,
    words,
    aspirational,
    gradual,
    relative,
    scope,
  };
}

/** Where a target sits in the paragraph, shared by every target of one clause. */
interface Place {
  paragraph: Paragraph;
  clause: Piece;
  sentence: Piece;
  deadline: number | null;
  deadlineSource: Target['deadlineSource'];
}

function placeFields(
  place: Place,
): Pick<Target, 'deadlineYear' | 'deadlineSource' | 'span' | 'sentence' | 'sentenceSpan'> {
  const { paragraph, clause, sentence } = place;
  return {
    deadlineYear: place.deadline,
    deadlineSource: place.deadlineSource,
    span: toSourceSpan(paragraph, clause.start, clause.start + clause.text.length),
    sentence: sentence.text,
    sentenceSpan: toSourceSpan(paragraph, sentence.start, sentence.start + sentence.text.length),
  };
}

/** Phrases carried from one value to the next within a sentence or clause. */
interface Carry {
  verb: string | null;
  previousPhrase: string | null;
  perCapita: string | null;
}

/** The targets stated with digits in one clause. */
function quantityTargets(place: Place, carry: Carry): Omit<Target, 'id'>[] {
  const text = halfWidthDigits(place.clause.text);
  const quantities = quantitiesIn(text);
  const found: Omit<Target, 'id'>[] = [];
  let boundary = 0;
  let excluded = false;
  carry.perCapita = null;
  quantities.forEach((q, i) => {
    const qStart = q.index;
    const qEnd = q.index + q.text.length;
    let after = text.slice(qEnd, quantities[i + 1]?.index ?? text.length);
    // 按10%加计抵减, 以500公里天府绿道网络为骨架, 300平方米以下的设施: conditions and descriptions, not targets.
    if (
      CONDITION_AFTER.test(after) ||
      /(按|以)$/.test(text.slice(0, qStart)) ||
      (excluded && /^[和及与、或]$/.test(text.slice(boundary, qStart)))
    ) {
      excluded = true;
      boundary = qEnd;
      return;
    }
    excluded = false;
    const trailing = AFTER_COMPARATOR.exec(after)?.[1] ?? null;
    if (trailing) after = after.slice(trailing.length);
    // The object of a count runs to the next listed value; cut at the 、 that starts the next item.
    const cut = i + 1 < quantities.length ? after.lastIndexOf('、') : -1;
    const object = cut >= 0 ? after.slice(0, cut) : after;
    const lead = readLead(text.slice(boundary, qStart), trailing);
    let { phrase, scope } = lead;
    const verbMatch = COUNT_VERB.exec(phrase);
    if (verbMatch) carry.verb = verbMatch[1];
    const objectText = object.replace(/^[和及与、\s]+|[和及与、\s]+$/g, '');
    let consumed = 0;
    if (trailing && /^的/.test(after) && qStart === boundary) {
      // 60%以上的乡镇(街道)建设…: the share of places is the target; the places are its scope.
      const places = /^的([^建实开达设配完推]{1,12})/.exec(after)?.[1] ?? '';
      scope = `${q.text}${trailing}的${places}`;
      phrase = after.slice(1);
      consumed = after.length;
    } else if (objectText.length >= 2 && !/^的/.test(objectText)) {
      // 新建10处养老服务设施, 等7个小区进行提升改造, 、25家国家4A级旅游景区: the value counts the object.
      phrase = (phrase === '' ? (carry.verb ?? '') : phrase) + objectText;
      consumed = object.length;
    } else if (phrase === '' && carry.previousPhrase) phrase = carry.previousPhrase;
    // 每千人口拥有…医师3.4人、注册护士3.69人: the per-capita base carries along the list.
    const perCapita = PER_CAPITA.exec(phrase)?.[1];
    if (perCapita) carry.perCapita = perCapita.replace(/拥有$/, '');
    else if (carry.perCapita && i > 0) phrase = carry.perCapita + phrase;
    phrase = phrase.replace(/^[、，,\s]+|[、，,\s]+$/g, '');
    boundary = qEnd + (trailing?.length ?? 0) + consumed;
    if (phrase.length < 2) return;
    carry.previousPhrase = phrase;
    const valueStart = place.clause.start + qStart;
    found.push({
      phrase,
      comparator: lead.comparator,
      comparatorWords: lead.words,
      aspirational: lead.aspirational,
      gradual: lead.gradual,
      value: q.value,
      valueMax: q.valueMax,
      unit: q.unit,
      scope,
      relative: lead.relative,
      valueSpan: toSourceSpan(place.paragraph, valueStart, valueStart + q.valueLength),
      ...placeFields(place),
    });
  });
  return found;
}

/** Targets in a paragraph; `idPrefix` gives their ids (m2.1 → m2.1.t1). */
export function findTargets(paragraph: Paragraph, idPrefix: string): Target[] {
  const found: Omit<Target, 'id'>[] = [];
  let deadline: number | null = null;
  for (const sentence of split(paragraph.text, 0, /[。！？!?]/g)) {
    const carry: Carry = { verb: null, previousPhrase: null, perCapita: null };
    for (const clause of split(sentence.text, sentence.start, /[，,；;：:]/g)) {
      const own = deadlineIn(clause.text);
      const deadlineSource = own !== null ? 'clause' : deadline !== null ? 'paragraph' : null;
      deadline = own ?? deadline;
      const place: Place = { paragraph, clause, sentence, deadline, deadlineSource };
      found.push(...quantityTargets(place, carry));
      const full = fullCoverage(clause.text);
      if (full) {
        const at = clause.start + full.index;
        found.push({
          phrase: full.phrase,
          comparator: 'gte',
          comparatorWords: ['全覆盖'],
          aspirational: /力争/.test(clause.text),
          gradual: /逐步/.test(clause.text),
          value: 100,
          valueMax: null,
          unit: '%',
          scope: full.scope,
          relative: null,
          valueSpan: toSourceSpan(paragraph, at, at + 3),
          ...placeFields(place),
        });
      }
    }
  }
  return found.map((t, i) => ({ id: `${idPrefix}.t${i + 1}`, ...t }));
}
