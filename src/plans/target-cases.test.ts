import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { flattenMeasures, importPlan } from './parse-plan.js';
import { splitParagraphs } from './paragraphs.js';
import { TRADITIONAL } from './script.js';
import { findTargets, unitScale } from './targets.js';
import type { Target } from './types.js';

// Target extraction on sentences of the kind other cities' plans write: units with multipliers, traditional and
// full-width script, relative targets, and figures that are not targets (counts of departments and tasks,
// present status, qualifiers, document numbers, clause numbers). Every sentence is written for this test except
// the one marked "seed 004" (data/seeds); every expected reading was worked out by hand from the sentence.

/**
 * One expected target: phrase, comparator, value (or [min, max]), unit, and for a relative target
 * `baselineYear change kind` ('2020 increase points'; '-' for no baseline year).
 */
type Want = [
  phrase: string,
  comparator: string,
  value: number | [number, number],
  unit: string,
  rel?: string,
];

type Case = [text: string, want: Want[]];

function read(text: string): Target[] {
  const [paragraph] = splitParagraphs(text);
  return findTargets(paragraph, 'm1');
}

function got(t: Target): Want {
  const value: Want[2] = t.valueMax === null ? t.value : [t.value, t.valueMax];
  const row: Want = [t.phrase, t.comparator, value, t.unit];
  if (t.relative) row.push(`${t.relative.baselineYear ?? '-'} ${t.relative.change} ${t.relative.kind}`);
  return row;
}

/** Units with a multiplier: value and unit as written (1.2 and 万张), never multiplied out. */
const UNITS: Case[] = [
  ['到2025年，全市养老床位达到1.2万张。', [['养老床位', 'gte', 1.2, '万张']]],
  ['年接待游客达到1.5亿人次以上。', [['年接待游客', 'gte', 1.5, '亿人次']]],
  ['新建社区综合服务设施5万平方米。', [['新建社区综合服务设施', 'eq', 5, '万平方米']]],
  ['生活性服务业增加值突破3000亿元。', [['生活性服务业增加值', 'gt', 3000, '亿元']]],
  ['社区商业年销售额达到800万元以上。', [['社区商业年销售额', 'gte', 800, '万元']]],
  ['培训家政服务人员3千人。', [['培训家政服务人员', 'eq', 3, '千人']]],
  ['新增托位1.5万个。', [['新增托位', 'eq', 1.5, '万个']]],
  ['新增托位1-2万个。', [['新增托位', 'eq', [1, 2], '万个']]],
  ['城镇新增就业5万人。', [['城镇新增就业', 'eq', 5, '万人']]],
  ['公共图书馆藏书达到200万册。', [['公共图书馆藏书', 'gte', 200, '万册']]],
  ['新增就业岗位2万以上。', [['新增就业岗位', 'gte', 2, '万']]],
  ['全市新增托位1,200个。', [['新增托位', 'eq', 1200, '个']]],
  ['新建绿道1000公里。', [['新建绿道', 'eq', 1000, '公里']]],
  [
    '家庭服务业营业收入达到1000亿元，带动就业10万人以上。',
    [
      ['家庭服务业营业收入', 'gte', 1000, '亿元'],
      ['带动就业', 'gte', 10, '万人'],
    ],
  ],
  ['护理型床位占比达到55%-60%。', [['护理型床位占比', 'gte', [55, 60], '%']]],
];

/** Relative targets: a change on a baseline, in the unit's kind. */
const RELATIVE: Case[] = [
  [
    '普惠性幼儿园覆盖率比2020年提高5个百分点。',
    [['普惠性幼儿园覆盖率', 'eq', 5, '个百分点', '2020 increase points']],
  ],
  [
    '到2025年，养老机构护理型床位占比较2020年提高10个百分点以上。',
    [['养老机构护理型床位占比', 'gte', 10, '个百分点', '2020 increase points']],
  ],
  ['社区托育服务覆盖率提高五个百分点。', [['社区托育服务覆盖率', 'eq', 5, '个百分点', '- increase points']]],
  ['社区商业网点空置率下降3个百分点。', [['社区商业网点空置率', 'eq', 3, '个百分点', '- decrease points']]],
  [
    '与2020年相比，全市养老机构空置率下降5个百分点。',
    [['养老机构空置率', 'eq', 5, '个百分点', '2020 decrease points']],
  ],
  ['生活性服务业增加值比2020年翻一番。', [['生活性服务业增加值', 'eq', 2, '倍', '2020 increase multiple']]],
  ['居民服务消费实现翻番。', [['居民服务消费', 'eq', 2, '倍', '- increase multiple']]],
  ['旅游总收入比2020年翻两番。', [['旅游总收入', 'eq', 4, '倍', '2020 increase multiple']]],
  ['文旅消费总额达到2020年的2倍。', [['文旅消费总额', 'gte', 2, '倍', '2020 increase multiple']]],
  ['家政服务业营业收入较2020年增长10%。', [['家政服务业营业收入', 'eq', 10, '%', '2020 increase percent']]],
  ['养老服务投诉量比2020年减少20%。', [['养老服务投诉量', 'eq', 20, '%', '2020 decrease percent']]],
  ['家政服务营业收入增长百分之十以上。', [['家政服务营业收入', 'gte', 10, '%', '- increase percent']]],
  [
    '全市护理专业在校生规模比2020年增加200人以上。',
    [['护理专业在校生规模', 'gte', 200, '人', '2020 increase absolute']],
  ],
  [
    '每千人口拥有3岁以下婴幼儿托位数达到4.5个，比2020年增加2.5个。',
    [
      ['每千人口拥有3岁以下婴幼儿托位数', 'gte', 4.5, '个'],
      ['每千人口拥有3岁以下婴幼儿托位数', 'eq', 2.5, '个', '2020 increase absolute'],
    ],
  ],
  // Levels, not changes: 提高到 names the level, 由80% the start; 年均增长 is a yearly rate.
  ['社区养老服务设施覆盖率由80%提高到95%。', [['社区养老服务设施覆盖率', 'gte', 95, '%']]],
  ['生活性服务业增加值年均增长8%以上。', [['生活性服务业增加值年均增长', 'gte', 8, '%']]],
  ['养老机构床位空置率降至10%以下。', [['养老机构床位空置率', 'lte', 10, '%']]],
  ['城镇登记失业率控制在5%以内。', [['城镇登记失业率', 'lte', 5, '%']]],
];

/** Traditional and mixed script, full-width digits and ％, Chinese numerals: phrases stay as written. */
const SCRIPT: Case[] = [
  ['到2025年，普惠性幼兒園覆蓋率達到85%以上。', [['普惠性幼兒園覆蓋率', 'gte', 85, '%']]],
  ['養老機構護理型床位佔比達到５５％。', [['養老機構護理型床位佔比', 'gte', 55, '%']]],
  ['社區托育服務覆蓋率不低於百分之八十。', [['社區托育服務覆蓋率', 'gte', 80, '%']]],
  ['全市連鎖化率達到三成以上。', [['連鎖化率', 'gte', 30, '%']]],
  ['新增養老床位1.2萬張。', [['新增養老床位', 'eq', 1.2, '万张']]],
  [
    '家庭醫生簽約服務覆蓋率達到８５％，重點人群簽約率達到１２％以上。',
    [
      ['家庭醫生簽約服務覆蓋率', 'gte', 85, '%'],
      ['重點人群簽約率', 'gte', 12, '%'],
    ],
  ],
  [
    '普惠性幼兒園覆蓋率比2020年提高5個百分點。',
    [['普惠性幼兒園覆蓋率', 'eq', 5, '个百分点', '2020 increase points']],
  ],
  ['每個縣（市、區）至少建成1所綜合性養老機構。', [['建成綜合性養老機構', 'gte', 1, '所']]],
  ['新建兩所普惠性幼兒園。', [['新建普惠性幼兒園', 'eq', 2, '所']]],
  ['城市社区养老服务设施覆盖率达到１００％。', [['社区养老服务设施覆盖率', 'gte', 100, '%']]],
  ['人均体育场地面积达到２．５平方米。', [['人均体育场地面积', 'gte', 2.5, '平方米']]],
  ['实现老年助餐服务城乡全覆蓋。', [['老年助餐服务', 'gte', 100, '%']]],
];

/** Figures that are no targets: who acts, the plan's parts, the present, conditions, numbers of documents. */
const NOT_TARGETS: Case[] = [
  ['市商务局会同市发展改革委等10部门联合印发实施方案。', []],
  ['由市民政局牵头，市财政局等12个部门参与。', []],
  ['方案提出23项重点任务。', []],
  ['实施十大行动。', []],
  ['围绕5个方面提出18条措施。', []],
  ['实施“十四五”规划确定的8个重大工程。', []],
  // seed 004 (成都): 8类18项…攻坚行动 counts actions.
  ['在中心城区实施8类18项基本公共服务设施攻坚行动。', []],
  ['截至目前，全市普惠性幼儿园覆盖率达到88.5%。', []],
  ['2020年，全市养老机构床位已达到3.2万张。', []],
  ['全市现有养老机构120家。', []],
  ['全市已建成社区食堂200个。', []],
  ['“十三五”期间，全市新建社区食堂300个。', []],
  ['截至目前，全市普惠性幼兒園覆蓋率已達到88.5%。', []],
  ['目前已实现社区养老服务全覆盖。', []],
  ['对常住人口1万人以上的乡镇，配建综合文化站。', []],
  ['建筑面积1000平方米以上的社区服务综合体应配建托育室。', []],
  ['对年营业额500万元以上的企业给予奖励。', []],
  ['根据国办函〔2021〕103号文件精神。', []],
  ['落实国办发〔2021〕10号和津政办发〔2022〕15号文件要求。', []],
  ['2022年2月24日印发。', []],
  ['依据第十二条第3款执行。', []],
  ['2.1家庭服务业提质扩容。', []],
  ['对新建养老机构按每张床位给予1万元一次性建设补贴。', []],
  ['床位运营补贴标准为每床每月200元。', []],
  ['托育机构收费不超过3000元/月。', []],
];

/** The targets beside such figures are still read, with the figures' words where they belong. */
const BESIDE: Case[] = [
  ['依托现有设施，新建10处养老服务设施。', [['新建养老服务设施', 'eq', 10, '处']]],
  [
    '截至2021年底，全市普惠性幼儿园覆盖率达到88.5%，到2025年达到90%以上。',
    [['普惠性幼儿园覆盖率', 'gte', 90, '%']],
  ],
  ['目前全市共有社区食堂200个，力争到2025年达到500个。', [['社区食堂', 'gte', 500, '个']]],
  ['1.新建10个社区食堂。', [['新建社区食堂', 'eq', 10, '个']]],
  [
    '常住人口1万人以上乡镇综合文化站覆盖率达到100%。',
    [['常住人口1万人以上乡镇综合文化站覆盖率', 'gte', 100, '%']],
  ],
  [
    '建设1个建筑面积5000平方米的区级养老服务指导中心。',
    [['建设建筑面积5000平方米的区级养老服务指导中心', 'eq', 1, '个']],
  ],
  ['建成10个以上的示范社区。', [['建成示范社区', 'gte', 10, '个']]],
  ['培育50个全国示范单位。', [['培育全国示范单位', 'eq', 50, '个']]],
  [
    '每10万人拥有社会工作者5名、志愿者2000名。',
    [
      ['每10万人拥有社会工作者', 'eq', 5, '名'],
      ['每10万人志愿者', 'eq', 2000, '名'],
    ],
  ],
  ['市卫生健康委等3个部门负责，新增托位2000个。', [['新增托位', 'eq', 2000, '个']]],
  ['为已建成小区补建养老服务设施100处。', [['为已建成小区补建养老服务设施', 'eq', 100, '处']]],
];

/**
 * Sentences written after the rules above, as a check on sentences the rules were not written for: on the first
 * run 33 of the 35 values read were right and 1 of 34 targets was missed (学位三千个; 12项民生实事 and 对门店达到
 * 10家以上的企业给予奖励 were read as targets); the rules were then extended for those three.
 */
const SECOND_PASS: Case[] = [
  ['到2025年，全区每千人口拥有养老床位数达到40张。', [['每千人口拥有养老床位数', 'gte', 40, '张']]],
  ['新建改建社区嵌入式养老服务机构20家。', [['新建改建社区嵌入式养老服务机构', 'eq', 20, '家']]],
  ['养老护理员持证上岗率达到90%以上。', [['养老护理员持证上岗率', 'gte', 90, '%']]],
  ['每个街道至少建成1个综合为老服务中心。', [['建成综合为老服务中心', 'gte', 1, '个']]],
  ['全市托育机构备案率不低于95%。', [['托育机构备案率', 'gte', 95, '%']]],
  ['力争社区嵌入式托育服务点覆盖率提高到50%。', [['社区嵌入式托育服务点覆盖率', 'gte', 50, '%']]],
  [
    '社区卫生服务中心标准化建设达标率较2020年提升8个百分点。',
    [['社区卫生服务中心标准化建设达标率', 'eq', 8, '个百分点', '2020 increase points']],
  ],
  ['年服务老年人次增长20%以上。', [['年服务老年人次', 'gte', 20, '%', '- increase percent']]],
  ['全市城市社区综合服务设施面积达标率实现100%。', [['城市社区综合服务设施面积达标率', 'eq', 100, '%']]],
  ['建成区级智慧养老服务平台1个。', [['建成区级智慧养老服务平台', 'eq', 1, '个']]],
  ['截至2022年底，全市已建成社区食堂356个。', []],
  ['全省共有各类养老服务机构和设施1.8万个。', []],
  ['“十四五”时期，全市新增普惠托位2万个。', [['新增普惠托位', 'eq', 2, '万个']]],
  ['对建筑面积2000平方米以下的社区综合服务设施实行告知承诺制。', []],
  ['由市民政局等8个部门组成工作专班。', []],
  ['本方案共分为6个部分。', []],
  ['重点推进12项民生实事。', []],
  ['确定首批30个试点社区。', [['确定首批试点社区', 'eq', 30, '个']]],
  ['居家社区养老服务覆盖率达到百分之九十以上。', [['居家社区养老服务覆盖率', 'gte', 90, '%']]],
  ['新增公办幼儿园学位三千个。', [['新增公办幼儿园学位', 'eq', 3000, '个']]],
  ['城乡居民人均可支配收入年均增长6%。', [['城乡居民人均可支配收入年均增长', 'eq', 6, '%']]],
  [
    '养老服务从业人员培训覆盖率达到100％，每年培训5000人次以上。',
    [
      ['养老服务从业人员培训覆盖率', 'gte', 100, '%'],
      ['每年培训', 'gte', 5000, '人次'],
    ],
  ],
  ['新增3A级以上旅游景区10家。', [['新增3A级以上旅游景区', 'eq', 10, '家']]],
  [
    '全市儿童福利机构床位使用率提高到60%，较2020年增长15个百分点。',
    [
      ['儿童福利机构床位使用率', 'gte', 60, '%'],
      ['儿童福利机构床位使用率', 'eq', 15, '个百分点', '2020 increase points'],
    ],
  ],
  ['每个社区配备1名以上专职社工。', [['配备专职社工', 'gte', 1, '名']]],
  ['服务网点数量较上年增长10%。', [['服务网点数量', 'eq', 10, '%', '- increase percent']]],
  ['农村养老服务设施覆盖率达到六成。', [['养老服务设施覆盖率', 'gte', 60, '%']]],
  ['（3）新建社区食堂15个。', [['新建社区食堂', 'eq', 15, '个']]],
  ['第五条 新增托位不少于500个。', [['新增托位', 'gte', 500, '个']]],
  ['依照《条例》第二十条，对符合条件的给予500元奖励。', []],
  ['推动15分钟生活圈覆盖率达到80%。', [['15分钟生活圈覆盖率', 'gte', 80, '%']]],
  [
    '到2025年，全市養老機構床位總數達到3.5萬張，其中護理型床位佔比不低於60%。',
    [
      ['養老機構床位總數', 'gte', 3.5, '万张'],
      ['護理型床位佔比', 'gte', 60, '%'],
    ],
  ],
  ['目前，全市家政服务企业达到1200家，从业人员8万人。', []],
  ['2021年以来，累计新增托位5000个。', []],
  ['对连锁经营门店达到10家以上的企业给予一次性奖励。', []],
  [
    '社区便民商业网点数量增加500个，品牌连锁化率提高到30%。',
    [
      ['社区便民商业网点数量', 'eq', 500, '个', '- increase absolute'],
      ['品牌连锁化率', 'gte', 30, '%'],
    ],
  ],
  [
    '全市老旧小区改造完成2000个以上，惠及居民30万户。',
    [
      ['老旧小区改造完成', 'gte', 2000, '个'],
      ['惠及居民', 'eq', 30, '万户'],
    ],
  ],
  [
    '人均体育场地面积不低于2.6平方米，经常参加体育锻炼人数比例达到40%。',
    [
      ['人均体育场地面积', 'gte', 2.6, '平方米'],
      ['经常参加体育锻炼人数比例', 'gte', 40, '%'],
    ],
  ],
  ['市发展改革委牵头，会同市民政局等7个单位制定实施细则。', []],
  ['根据《关于印发〈…〉的通知》（冀政办字〔2021〕154号）要求。', []],
];

const TABLE: [string, Case[]][] = [
  ['units with multipliers', UNITS],
  ['relative targets', RELATIVE],
  ['traditional, full-width and Chinese-numeral script', SCRIPT],
  ['figures that are no targets', NOT_TARGETS],
  ['targets beside such figures', BESIDE],
  ['sentences written after the rules', SECOND_PASS],
];

for (const [name, cases] of TABLE)
  test(`target table: ${name}`, () => {
    for (const [text, want] of cases) assert.deepEqual(read(text).map(got), want, text);
  });

test('the table has at least 60 sentences, positive and negative', () => {
  const all = TABLE.flatMap(([, cases]) => cases);
  assert.ok(all.length >= 60, `${all.length} sentences`);
  assert.ok(all.filter(([, want]) => want.length === 0).length >= 20);
});

/** Simplified → traditional, the first traditional form of each character in the table (rare variants left out). */
const TO_TRADITIONAL: ReadonlyMap<string, string> = (() => {
  const rare = new Set([...'韆齣麪麫颱檯傢剋衕髮噹嵗鈡鍾鎭卽侷箇陞昇纍註爲裏']);
  const map = new Map<string, string>();
  for (let i = 0; i < TRADITIONAL.length; i += 2)
    if (!rare.has(TRADITIONAL[i]) && !map.has(TRADITIONAL[i + 1]))
      map.set(TRADITIONAL[i + 1], TRADITIONAL[i]);
  return map;
})();
const toTraditional = (text: string): string => [...text].map((ch) => TO_TRADITIONAL.get(ch) ?? ch).join('');

test('every sentence of the table reads the same in traditional script, phrases as written', () => {
  // Every character of the grammar with a traditional form is turned, so a rule written with a character the
  // matching table lacks fails here.
  for (const [, cases] of TABLE)
    for (const [text, want] of cases) {
      const traditional = toTraditional(text);
      const expected = want.map(([phrase, ...rest]): Want => [toTraditional(phrase), ...rest]);
      assert.deepEqual(read(traditional).map(got), expected, traditional);
    }
});

test('value spans hold the number as written; units are given in simplified script with ％ as %', () => {
  const text = '新增養老床位1.2萬張，護理型床位佔比達到５５％，增長百分之十，比2020年翻一番。';
  assert.deepEqual(
    read(text).map((t) => [text.slice(...t.valueSpan), t.unit]),
    [
      ['1.2', '万张'],
      ['５５', '%'],
      ['百分之十', '%'],
      ['翻一番', '倍'],
    ],
  );
});

test('scopes and comparator words are cut from the text as written', () => {
  const [t] = read('全縣普惠性幼兒園覆蓋率達到85%以上。');
  assert.deepEqual([t.scope, t.comparatorWords], ['全縣', ['達到', '以上']]);
});

test('a status figure takes no deadline: 2020年，…已达到 leaves the next sentence dated by the plan', () => {
  const targets = read('2020年，全市养老机构床位已达到3.2万张。新建10处养老服务设施。');
  assert.deepEqual(
    targets.map((t) => [t.value, t.deadlineYear, t.deadlineSource]),
    [[10, null, null]],
  );
});

test('unitScale: the multiplier and base unit of a unit as written', () => {
  assert.deepEqual(
    ['万张', '亿元', '万亿元', '千人', '万平方米', '%', '个百分点', '千米', '个', '万'].map((u) => [
      u,
      unitScale(u),
    ]),
    [
      ['万张', { factor: 10_000, base: '张' }],
      ['亿元', { factor: 100_000_000, base: '元' }],
      ['万亿元', { factor: 1e12, base: '元' }],
      ['千人', { factor: 1000, base: '人' }],
      ['万平方米', { factor: 10_000, base: '平方米' }],
      ['%', { factor: 1, base: '%' }],
      ['个百分点', { factor: 1, base: '个百分点' }],
      ['千米', { factor: 1, base: '千米' }],
      ['个', { factor: 1, base: '个' }],
      ['万', { factor: 10_000, base: '' }],
    ],
  );
});

// ---- recall and precision on the five seed plans ----

const SEEDS = [
  'data/seeds/000_35adacbb0c49853b.txt',
  'data/seeds/001_6d4fe630431b83bc.txt',
  'data/seeds/002_ce73fb87e0a846d2.txt',
  'data/seeds/003_3feb47f8dc58927a.txt',
  'data/seeds/004_8ac6a6207ac107a0.txt',
];

/**
 * The quantified targets of each seed, by hand: `measure id: value unit` per target, in document order. Not
 * targets: 8类18项…攻坚行动 (004, a count of actions), 按10%和15%加计抵减 (003, a tax rate), 300平方米以下或…30万元
 * 以下的 (002, 003, a condition), 5年内, 24小时, 15分钟 (durations).
 */
const GOLD: string[][] = [
  ['m1.2.3: 100%', 'm1.2.3: 60%', 'm1.3: 100%', 'm1.3: 5个', 'm1.3: 126个', 'm1.3: 90%'],
  ['m1.1: 10处', 'm1.1: 1家', 'm1.4: 1个', 'm2.3: 1200个', 'm4.1: 7个', 'm4.1: 1500套', 'm5.1: 100场'],
  [
    ...['85%', '20%', '200人', '3.4人', '3.69人', '4.5个', '1所', '60%', '100%', '70%', '80%', '1所'].map(
      (v) => `m1.1: ${v}`,
    ),
    'm1.1: 2.92平方米',
    'm1.1: 3.4万次',
    'm2.2.2: 100%',
  ],
  [
    ...['1-3家', '25家', '1-2个', '1-3个', '50个'].map((v) => `m1.1: ${v}`),
    'm1.2: 3-5部',
    'm1.3: 50-100家',
    'm1.3: 1000家',
    'm1.3: 5-10家',
    'm3.2: 15项',
    'm5.1: 2个',
    'm5.2: 10个',
    'm5.2: 15-20个',
    'm5.3: 50个',
    'm5.3: 100个',
    ...['4个', '30个', '100个', '10个', '200个', '50个', '100个', '1所'].map((v) => `m6.1: ${v}`),
    'm7.3: 10%',
  ],
  [
    'm1.3.4: 5个',
    'm1.3.4: 5000亿元',
    'm2.3.1: 90%',
    'm2.3.6: 100%',
    'm2.3.6: 80%',
    'm3.3: 37个',
    'm3.3: 39个',
    'm3.3: 100条',
    'm4.10: 8个',
    'm5.2.1: 90%',
    'm5.2.1: 90%',
    'm5.3.2: 10%',
  ],
];

test('seeds: recall and precision against the hand-made list (64 targets; the rules before read 65, 64 right)', async () => {
  let [found, right, expected] = [0, 0, 0];
  for (const [i, path] of SEEDS.entries()) {
    const plan = await importPlan(readFileSync(path), path);
    const extracted = flattenMeasures(plan.measures).flatMap((m) =>
      m.targets.map((t) => `${m.id}: ${t.value}${t.valueMax === null ? '' : `-${t.valueMax}`}${t.unit}`),
    );
    const gold = [...GOLD[i]];
    found += extracted.length;
    expected += gold.length;
    for (const t of extracted) {
      const at = gold.indexOf(t);
      if (at >= 0) {
        right += 1;
        gold.splice(at, 1);
      }
    }
    assert.deepEqual(gold, [], `${path}: targets not found`);
  }
  assert.deepEqual({ found, right, expected }, { found: 64, right: 64, expected: 64 });
});
