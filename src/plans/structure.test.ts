import { test } from 'node:test';
import assert from 'node:assert/strict';
import { flattenMeasures, parsePlanText } from './index.js';

// Short texts written for these tests; each exercises one numbering convention of 党政机关公文.

test('第一条 articles are top-level measures and （1） items their children', () => {
  const plan = parsePlanText(
    [
      '第一条 为规范社区养老服务设施建设，制定本办法。',
      '第二条 新建住宅小区应当按照下列要求配建设施：',
      '（1）每百户不少于20平方米；',
      '（2）与住宅同步规划、同步建设。',
      '第三条 本办法自发布之日起施行。',
    ].join('\n'),
  );
  assert.deepEqual(
    plan.measures.map((m) => [m.label, m.numberStyle, m.number]),
    [
      ['第一条', 'article', 1],
      ['第二条', 'article', 2],
      ['第三条', 'article', 3],
    ],
  );
  assert.deepEqual(
    plan.measures[1].children.map((m) => [m.label, m.numberStyle]),
    [
      ['（1）', 'arabic-paren'],
      ['（2）', 'arabic-paren'],
    ],
  );
});

test('half-width (一) and full-width （一） are the same style; ①② nest under them', () => {
  const plan = parsePlanText(
    ['一、总体要求', '(一)基本原则', '①坚持普惠。', '②坚持便利。', '（二）主要目标', '二、重点任务'].join(
      '\n',
    ),
  );
  const [first, second] = plan.measures;
  assert.deepEqual(
    first.children.map((m) => m.title),
    ['基本原则', '主要目标'],
  );
  assert.deepEqual(
    first.children[0].children.map((m) => [m.number, m.numberStyle]),
    [
      [1, 'circled'],
      [2, 'circled'],
    ],
  );
  assert.equal(second.title, '重点任务');
});

test('Chinese numerals past ten (十一、二十九) are read as numbers', () => {
  const plan = parsePlanText(['十一、加强相关保障措施', '（二十九）加大宣传引导。组织宣传。'].join('\n'));
  assert.equal(plan.measures[0].number, 11);
  assert.equal(plan.measures[0].children[0].number, 29);
});

test('pasted text without any heading still yields its sentences as measures with targets', () => {
  const plan = parsePlanText('到2025年，普惠性幼儿园覆盖率达到85%，居民满意度达到90%以上。');
  const all = flattenMeasures(plan.measures);
  assert.equal(all.length, 1);
  assert.deepEqual(
    all[0].targets.map((t) => [t.phrase, t.value]),
    [
      ['普惠性幼儿园覆盖率', 85],
      ['居民满意度', 90],
    ],
  );
});
