import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitParagraphs } from './paragraphs.js';
import { chineseNumeral, findTargets } from './targets.js';

// One-sentence texts written for these tests; every expected figure is read off the sentence by hand.

type Row = [phrase: string, comparator: string, value: number, valueMax: number | null, unit: string];

function targets(text: string): Row[] {
  const [paragraph] = splitParagraphs(text);
  return findTargets(paragraph, 'm1').map((t) => [t.phrase, t.comparator, t.value, t.valueMax, t.unit]);
}

/** What the value span of each target covers in the text. */
function spans(text: string): string[] {
  const [paragraph] = splitParagraphs(text);
  return findTargets(paragraph, 'm1').map((t) => text.slice(...t.valueSpan));
}

test('a full-width ％ is the same unit as %', () => {
  assert.deepEqual(targets('社区托育服务覆盖率达到60％。'), [['社区托育服务覆盖率', 'gte', 60, null, '%']]);
  assert.deepEqual(targets('居民满意度达到90％以上。'), [['居民满意度', 'gte', 90, null, '%']]);
});

test('full-width digits and decimal point (８０％, ２．９２平方米) are read as numbers', () => {
  assert.deepEqual(targets('普惠性幼儿园覆盖率达到８５％。'), [['普惠性幼儿园覆盖率', 'gte', 85, null, '%']]);
  assert.deepEqual(targets('人均体育场地面积达到２．９２平方米。'), [
    ['人均体育场地面积', 'gte', 2.92, null, '平方米'],
  ]);
  assert.deepEqual(spans('普惠性幼儿园覆盖率达到８５％。'), ['８５']);
});

test('百分之八十 and 三成 are percentages', () => {
  assert.deepEqual(targets('老年助餐服务覆盖率达到百分之八十。'), [
    ['老年助餐服务覆盖率', 'gte', 80, null, '%'],
  ]);
  assert.deepEqual(targets('社区养老服务设施覆盖率不低于百分之九十五。'), [
    ['社区养老服务设施覆盖率', 'gte', 95, null, '%'],
  ]);
  assert.deepEqual(targets('连锁化率达到三成以上。'), [['连锁化率', 'gte', 30, null, '%']]);
  assert.deepEqual(spans('老年助餐服务覆盖率达到百分之八十。'), ['百分之八十']);
});

test('成 in 成为 or 一成不变 is not a percentage', () => {
  assert.deepEqual(targets('推动社区商业空间成为邻里中心。'), []);
  assert.deepEqual(targets('服务标准不是一成不变的。'), []);
});

test('Chinese-numeral counts after a count verb or comparator: 新建两所, 不少于两千个', () => {
  assert.deepEqual(targets('新建两所普惠性幼儿园。'), [['新建普惠性幼儿园', 'eq', 2, null, '所']]);
  assert.deepEqual(targets('新增托位不少于两千个。'), [['新增托位', 'gte', 2000, null, '个']]);
  assert.deepEqual(targets('培育十五家品牌连锁企业。'), [['培育品牌连锁企业', 'eq', 15, null, '家']]);
});

test('a Chinese numeral that is a name or an ordinal is not a target (第二人民医院, 三个标志性街区品质)', () => {
  assert.deepEqual(targets('提高第二人民医院服务能力。'), []);
  assert.deepEqual(targets('提升意式风情区、五大道、文化中心三个标志性街区品质。'), []);
});

test('万 and 千 between a number and a counter stay in the unit, as 万人 and 万元 do (1.5万个 is 1.5 of 万个)', () => {
  assert.deepEqual(targets('新增托位1.5万个。'), [['新增托位', 'eq', 1.5, null, '万个']]);
  assert.deepEqual(targets('培训家政服务人员2千人。'), [['培训家政服务人员', 'eq', 2, null, '千人']]);
  assert.deepEqual(targets('每万人口接受公共文化设施服务3.4万次。'), [
    ['每万人口接受公共文化设施服务', 'eq', 3.4, null, '万次'],
  ]);
  assert.deepEqual(targets('带动就业1.2万人。'), [['带动就业', 'eq', 1.2, null, '万人']]);
  assert.deepEqual(spans('新增托位1.5万个。'), ['1.5']);
});

test('Chinese numerals read to their values', () => {
  const cases: [string, number | null][] = [
    ['一', 1],
    ['两', 2],
    ['十', 10],
    ['十五', 15],
    ['八十', 80],
    ['九十五', 95],
    ['百', 100],
    ['一百零五', 105],
    ['两千', 2000],
    ['一万二千', 12000],
    ['三点五', 3.5],
    ['点', null],
    ['三点', null],
  ];
  assert.deepEqual(
    cases.map(([text]) => [text, chineseNumeral(text)]),
    cases,
  );
});
