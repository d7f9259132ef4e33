import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitParagraphs } from './paragraphs.js';
import { chineseNumeral, findTargets } from './targets.js';
import type { Target } from './types.js';

// The edges of the target grammar in src/plans/targets.ts: deadlines, comparator words, conditions, 全覆盖, the
// object of a count. Sentences marked "seed NNN" are copied verbatim from data/seeds/NNN_*.txt; the others are
// written for these tests. Every expected value is read off the sentence by hand, with the reading in a comment.

type Row = [phrase: string, comparator: string, value: number, valueMax: number | null, unit: string];

/** The targets of the first paragraph of `text`. */
function read(text: string): Target[] {
  const [paragraph] = splitParagraphs(text);
  return findTargets(paragraph, 'm1');
}

function rows(text: string): Row[] {
  return read(text).map((t) => [t.phrase, t.comparator, t.value, t.valueMax, t.unit]);
}

/** What each target's value span covers in the text. */
function spans(text: string): string[] {
  return read(text).map((t) => text.slice(...t.valueSpan));
}

// ---- Chinese numerals ----

test('Chinese numerals: two 点 are no number, fraction digits are digits only, 万万 multiplies twice', () => {
  // 三点五点六 has two decimal points; 三点五十 has a 十 among the decimals: neither is a number.
  assert.equal(chineseNumeral('三点五点六'), null);
  assert.equal(chineseNumeral('三点五十'), null);
  // 三点一四 = 3 + 0.14, two decimals read in order.
  assert.equal(chineseNumeral('三点一四'), 3.14);
  // 一万二千万 = (1 × 10000 + 2 × 1000) × 10000 = 120 000 000 (一亿二千万 written with 万万).
  assert.equal(chineseNumeral('一万二千万'), 120_000_000);
});

test('a range before 万 and a counter keeps both ends as written, 万 in the unit (1-2万个 = 1 to 2 万个)', () => {
  assert.deepEqual(rows('新增托位1-2万个。'), [['新增托位', 'eq', 1, 2, '万个']]);
});

test('a Chinese numeral worth nothing (万 alone) after 达到 is no target', () => {
  // 万人以上的社区 describes the communities; 万 alone reads as 0, and a count of 0 is no target.
  assert.deepEqual(rows('服务人口达到万人以上的社区。'), []);
});

test('a Chinese-numeral count before a digit count: both read, in the order written, the verb carried', () => {
  // 两所 (2 所) comes first in the text, then 10处; 新建 governs both objects.
  const text = '新建两所普惠性幼儿园、10处养老服务设施。';
  assert.deepEqual(rows(text), [
    ['新建普惠性幼儿园', 'eq', 2, null, '所'],
    ['新建养老服务设施', 'eq', 10, null, '处'],
  ]);
  assert.deepEqual(spans(text), ['两', '10']);
});

test('a value that starts exactly where the previous one ends is a second value (10处20处)', () => {
  // Only a value inside another (the 万 of 1.5万个) is dropped; 20处 starts at the character after 10处. The
  // second value has no words of its own, so it takes the phrase before it.
  const text = '新建养老服务设施10处20处。';
  assert.deepEqual(rows(text), [
    ['新建养老服务设施', 'eq', 10, null, '处'],
    ['新建养老服务设施', 'eq', 20, null, '处'],
  ]);
  assert.deepEqual(spans(text), ['10', '20']);
});

// ---- conditions: 以下的, 按 ----

test('seed 002: 300平方米以下或…30万元以下的社区服务设施 is a condition, no target', () => {
  // seed 002 (and 003) 完善价格和用地政策: both values describe which facilities the rule applies to.
  assert.deepEqual(
    rows(
      '对建筑面积300平方米以下或总投资30万元以下的社区服务设施,县级以上地方政府可因地制宜优化办理消防验收备案手续。',
    ),
    [],
  );
});

test('以下的 further along the object (3岁以下的) does not make the count a condition', () => {
  // The count is 10所 of 招收3岁以下的婴幼儿托育机构; 3岁以下的 qualifies the children, not the value.
  assert.deepEqual(rows('新建10所招收3岁以下的婴幼儿托育机构。'), [
    ['新建招收3岁以下的婴幼儿托育机构', 'eq', 10, null, '所'],
  ]);
});

test('seed 003: 分别按10%和15%加计抵减 is a rate, and so is the value joined to it by 和', () => {
  // seed 003 落实税收政策: the rates of a tax deduction, not targets.
  assert.deepEqual(
    rows(
      '2022年,对生活性服务业纳税人当期可抵扣进项税额继续分别按10%和15%加计抵减应纳税额,扩大“六税两费”适用范围,鼓励各地对缴纳房产税、城镇土地使用税确有困难的纳税人给予减免。',
    ),
    [],
  );
});

test('after a rate (按10%), a value introduced by 和 and words of its own is a target again', () => {
  // 和新增托位2000个: the 和 is followed by an indicator, so 2000个 is not part of the rate.
  assert.deepEqual(rows('托育补贴按10%和新增托位2000个。'), [['新增托位', 'eq', 2000, null, '个']]);
});

// ---- deadlines and where they come from ----

/** [deadlineYear, deadlineSource] of each target. */
function deadlines(text: string): [number | null, string | null][] {
  return read(text).map((t) => [t.deadlineYear, t.deadlineSource]);
}

test('seed 001: 2022年对…7个小区进行提升改造 takes its deadline from its own clause', () => {
  assert.deepEqual(
    deadlines(
      '对老旧小区进行改造提升，完善水、电等市政配套基础设施，2022年对中北镇溪华苑、杨柳青镇英伦名苑等7个小区进行提升改造，继续推动既有老旧住宅加装电梯工程。',
    ),
    [[2022, 'clause']],
  );
});

test('seed 002: after 到2025年, every target of the sentence takes 2025 from the paragraph', () => {
  const text =
    '到2025年,普惠性幼儿园覆盖率达到85%,经常性参与教育活动的老年人占比大于20%,全市护理、康复、养老、育幼、家政等相关专业在校生规模比2020年增加200人以上;每千人口拥有职业(助理)医师3.4人、注册护士3.69人、3岁以下婴幼儿托位数4.5个;每县至少建成1所以失能、部分失能特困人员专业照护为主的供养服务机构(敬老院),60%以上的乡镇(街道)建设具备综合功能的区域养老服务中心,赋码社区日间照料服务设施覆盖率100%,农村互助性养老服务覆盖70%以上行政村,城市老年助餐、居家照护服务逐步覆盖80%以上社区;全市建成1所专业化的残疾人康复或托养设施;人均体育场地面积达到2.92平方米;每万人口接受公共文化设施服务3.4万次。';
  // Fourteen targets (seeds.test.ts lists them), none with a year of its own.
  assert.deepEqual(
    deadlines(text),
    Array.from({ length: 14 }, () => [2025, 'paragraph']),
  );
});

test('seed 001: a paragraph without a year gives no deadline and no source', () => {
  assert.deepEqual(deadlines('推进杨柳青镇东咀幼儿园等一批幼儿园建设，新增幼儿园学位 1200 个。'), [
    [null, null],
  ]);
});

test('seed 003: 纳入2022年专升本招生专业 names an intake year, not a deadline', () => {
  // The first sentence is seed 003 完善产教融合人才培养模式; the target sentence after it is written for the test.
  assert.deepEqual(
    deadlines(
      '将护理学、康复治疗学、家政学、学前教育等专业纳入2022年专升本招生专业,支持相关专业高职毕业生提升学历。新增幼儿园学位1200个。',
    ),
    [[null, null]],
  );
});

test('至2025年, 力争2025年 and 2025年底前 after other words are deadlines (the 负责）到2025年 pattern of seed 000)', () => {
  // Seed 000 writes (市商务局…按职责分工负责)到2025年,力争建成…: the year follows the responsibility note.
  for (const year of ['至2025年', '力争2025年', '2025年底前'])
    assert.deepEqual(deadlines(`(市民政局负责)${year},新增养老床位500张。`), [[2025, 'paragraph']], year);
});

// ---- 全覆盖 ----

/** [phrase, scope, value, unit] of each target. */
function coverage(text: string): [string, string | null, number, string][] {
  return read(text).map((t) => [t.phrase, t.scope, t.value, t.unit]);
}

test('seed 002: 实现全市社区教育老年教育工作的全覆盖 is 100% of 社区教育老年教育工作 in 全市', () => {
  assert.deepEqual(
    coverage('逐步建立起城乡一体的社区教育老年教育四级办学网络体系,实现全市社区教育老年教育工作的全覆盖。'),
    [['社区教育老年教育工作', '全市', 100, '%']],
  );
});

test('seed 003: 确保项目全覆盖 names too little (项目, two characters) to be a target', () => {
  assert.deepEqual(coverage('认真落实国家基本公共服务标准,确保项目全覆盖、质量全达标。'), []);
});

test('全覆盖: a phrase of four characters is a target, of three it is not', () => {
  assert.deepEqual(coverage('实现养老服务全覆盖。'), [['养老服务', null, 100, '%']]);
  assert.deepEqual(coverage('实现助餐点全覆盖。'), []);
});

test('全覆盖: a deadline opening the clause (到2025年, 2025年底前) is not part of the phrase', () => {
  assert.deepEqual(coverage('到2025年实现社区养老服务全覆盖。'), [['社区养老服务', null, 100, '%']]);
  assert.deepEqual(coverage('2025年底前实现社区养老服务全覆盖。'), [['社区养老服务', null, 100, '%']]);
  assert.deepEqual(deadlines('到2025年实现社区养老服务全覆盖。'), [[2025, 'clause']]);
});

test('全覆盖: a year inside the phrase (2000年底前建成的) stays, with its 的', () => {
  // Seed 000 has 基本完成2000年底前建成的需改造城镇老旧小区改造任务: the year names which estates, not a deadline.
  assert.deepEqual(coverage('实现2000年底前建成的老旧小区改造全覆盖。'), [
    ['2000年底前建成的老旧小区改造', null, 100, '%'],
  ]);
});

test('全覆盖: 力争实现 is stripped as a whole, 城乡 at the end is the scope', () => {
  assert.deepEqual(coverage('力争实现老年助餐服务城乡全覆盖。'), [['老年助餐服务', '城乡', 100, '%']]);
  assert.equal(read('力争实现老年助餐服务城乡全覆盖。')[0].aspirational, true);
});

test('全覆盖: 农村 or 城市 opening the clause is the scope; 基本 inside the phrase is kept', () => {
  assert.deepEqual(coverage('农村基本公共服务全覆盖。'), [['基本公共服务', '农村', 100, '%']]);
  assert.deepEqual(coverage('城市社区养老服务全覆盖。'), [['社区养老服务', '城市', 100, '%']]);
});

// ---- comparator words ----

/** [comparator, comparatorWords] of each target. */
function comparators(text: string): [string, string[]][] {
  return read(text).map((t) => [t.comparator, t.comparatorWords]);
}

test('及以上 is at least, like 以上', () => {
  assert.deepEqual(rows('居民满意度达到90%及以上。'), [['居民满意度', 'gte', 90, null, '%']]);
  assert.deepEqual(comparators('居民满意度达到90%及以上。'), [['gte', ['达到', '及以上']]]);
});

test('保持在4%以内 is at most: 以内 decides over the 保持在 before the value', () => {
  assert.deepEqual(rows('城镇登记失业率保持在4%以内。'), [['城镇登记失业率', 'lte', 4, null, '%']]);
  assert.deepEqual(comparators('城镇登记失业率保持在4%以内。'), [['lte', ['保持在', '以内']]]);
});

test('超过90%以上 is more than: the strict 超过 decides over 以上', () => {
  // Seed 004 writes 固定宽带家庭普及率超过90%; with a redundant 以上 it is still more than 90%.
  assert.deepEqual(rows('家庭宽带普及率超过90%以上。'), [['家庭宽带普及率', 'gt', 90, null, '%']]);
  assert.deepEqual(comparators('家庭宽带普及率超过90%以上。'), [['gt', ['超过', '以上']]]);
});

test('seed 000: 力争建成5个… is aspirational and lists 力争 among its words', () => {
  const text =
    '(市商务局、市市场监管委等相关行业主管部门、各区人民政府按职责分工负责)到2025年,力争建成5个国家级一刻钟便民生活圈建设示范区,126个一刻钟便民生活圈,居民满意度达到90%以上。';
  assert.deepEqual(comparators(text)[0], ['eq', ['力争']]);
});

test('至少 opening the clause (至少新建10所) is at least, and leaves the phrase', () => {
  assert.deepEqual(rows('至少新建10所普惠性幼儿园。'), [['新建普惠性幼儿园', 'gte', 10, null, '所']]);
  assert.deepEqual(comparators('至少新建10所普惠性幼儿园。'), [['gte', ['至少']]]);
});

test('不超过 with words between it and the value is still at most', () => {
  // 个人负担比例不超过医疗费用的30%: at most 30%.
  const [t] = read('个人负担比例不超过医疗费用的30%。');
  assert.deepEqual([t.comparator, t.comparatorWords, t.value, t.unit], ['lte', ['不超过'], 30, '%']);
});

// ---- what follows a value: 以上、, 以上的, the object ----

test('the indicator after 55%以上、 starts after the 以上', () => {
  assert.deepEqual(rows('养老机构护理型床位占比达到55%以上、普惠性幼儿园覆盖率达到85%。'), [
    ['养老机构护理型床位占比', 'gte', 55, null, '%'],
    ['普惠性幼儿园覆盖率', 'gte', 85, null, '%'],
  ]);
});

test('达到55%以上的要求: 以上的 after an indicator is no share of places', () => {
  assert.deepEqual(rows('养老机构护理型床位占比达到55%以上的要求。'), [
    ['养老机构护理型床位占比', 'gte', 55, null, '%'],
  ]);
  assert.equal(read('养老机构护理型床位占比达到55%以上的要求。')[0].scope, null);
});

test('60%以上乡镇(街道)建设… without 的: the places and what they build are the phrase', () => {
  // Seed 002 writes 60%以上的乡镇(街道)建设具备综合功能的区域养老服务中心; the same without 的, no verb before it.
  assert.deepEqual(rows('60%以上乡镇(街道)建设具备综合功能的区域养老服务中心。'), [
    ['乡镇(街道)建设具备综合功能的区域养老服务中心', 'gte', 60, null, '%'],
  ]);
});

test('spaces and 及 around the object of a count are not part of the phrase', () => {
  // Scraped texts carry stray spaces (seed 001: 学位 1200 个).
  assert.deepEqual(rows('新建10处  养老服务设施。'), [['新建养老服务设施', 'eq', 10, null, '处']]);
  assert.deepEqual(rows('新建10处养老服务设施及 20个日间照料中心。'), [
    ['新建养老服务设施', 'eq', 10, null, '处'],
    ['新建日间照料中心', 'eq', 20, null, '个'],
  ]);
});
