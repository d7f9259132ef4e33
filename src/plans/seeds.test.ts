import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { flattenMeasures, importPlan, measureUnits, type Measure, type ParsedPlan } from './index.js';

/** Expectations below were checked by hand against the seed texts in data/seeds (see SOURCE.md). */
const SEEDS = {
  s000: 'data/seeds/000_35adacbb0c49853b.txt',
  s001: 'data/seeds/001_6d4fe630431b83bc.txt',
  s002: 'data/seeds/002_ce73fb87e0a846d2.txt',
  s003: 'data/seeds/003_3feb47f8dc58927a.txt',
  s004: 'data/seeds/004_8ac6a6207ac107a0.txt',
};

const cache = new Map<string, Promise<ParsedPlan>>();
function load(path: string): Promise<ParsedPlan> {
  if (!cache.has(path)) cache.set(path, importPlan(readFileSync(path), path));
  return cache.get(path) as Promise<ParsedPlan>;
}

function byTitle(plan: ParsedPlan, title: string): Measure {
  const found = flattenMeasures(plan.measures).find((m) => m.title === title);
  assert.ok(found, `a measure titled ${title}`);
  return found;
}

const unitNames = (m: Measure): string[] => measureUnits(m).map((u) => u.normalized);

// ---- seed 002: 秦皇岛, the 行动目标 paragraph and the 26-row 责任分工表 ----

test('seed 002 metadata: 文号 from its label, issuer from the notice title, the issued date whose separators were lost', async () => {
  const { metadata } = await load(SEEDS.s002);
  assert.equal(metadata.documentNumber, '秦政办字〔2022〕13号');
  assert.equal(metadata.issuer, '秦皇岛市人民政府办公室');
  assert.equal(metadata.issuerLevel, '市');
  assert.deepEqual(
    metadata.dates.map((d) => [d.date, d.role]),
    [
      ['2022-02-25', 'published'],
      ['2022-02-24', 'issued'],
    ],
  );
  assert.equal(metadata.horizonYear, 2025);
});

test('seed 002 行动目标: the fourteen quantified targets of the paragraph, in order, with comparator, value and unit', async () => {
  const plan = await load(SEEDS.s002);
  const goals = plan.measures[0];
  assert.equal(goals.title, '行动目标');
  const targets = goals.children[0].targets;
  assert.deepEqual(
    targets.map((t) => [t.phrase, t.comparator, t.value, t.unit, t.scope]),
    [
      ['普惠性幼儿园覆盖率', 'gte', 85, '%', null],
      ['经常性参与教育活动的老年人占比', 'gt', 20, '%', null],
      ['护理、康复、养老、育幼、家政等相关专业在校生规模', 'gte', 200, '人', '全市'],
      ['每千人口拥有职业(助理)医师', 'eq', 3.4, '人', null],
      ['每千人口注册护士', 'eq', 3.69, '人', null],
      ['每千人口3岁以下婴幼儿托位数', 'eq', 4.5, '个', null],
      ['建成以失能、部分失能特困人员专业照护为主的供养服务机构(敬老院)', 'gte', 1, '所', '每县'],
      ['乡镇(街道)建设具备综合功能的区域养老服务中心', 'gte', 60, '%', '60%以上的乡镇(街道)'],
      ['赋码社区日间照料服务设施覆盖率', 'eq', 100, '%', null],
      ['互助性养老服务覆盖行政村', 'gte', 70, '%', '农村'],
      ['老年助餐、居家照护服务覆盖社区', 'gte', 80, '%', '城市'],
      ['建成专业化的残疾人康复或托养设施', 'eq', 1, '所', '全市'],
      ['人均体育场地面积', 'gte', 2.92, '平方米', null],
      ['每万人口接受公共文化设施服务', 'eq', 3.4, '万次', null],
    ],
  );
  assert.ok(targets.every((t) => t.deadlineYear === 2025 && t.deadlineSource !== 'plan'));
  assert.deepEqual(targets[2].relative, { baselineYear: 2020, change: 'increase', kind: 'absolute' });
  assert.deepEqual(targets[10].comparatorWords, ['以上', '逐步']);
  assert.equal(targets[10].gradual, true);
  for (const t of targets) assert.equal(plan.text.slice(...t.valueSpan), String(t.value));
});

test('seed 002 responsibility table: 26 rows, each linked to the measure it names, 22 工程 items then 4 政策保障 items', async () => {
  const plan = await load(SEEDS.s002);
  assert.ok(plan.table);
  assert.equal(plan.table.title, '具体工作任务及责任分工表');
  assert.deepEqual(
    plan.table.rows.map((r) => r.number),
    Array.from({ length: 26 }, (_, i) => i + 1),
  );
  const measures = new Map(flattenMeasures(plan.measures).map((m) => [m.id, m]));
  for (const row of plan.table.rows.slice(0, 22)) {
    const m = measures.get(row.measureId ?? '');
    assert.equal(m?.label, `${row.number}.`, `row ${row.number} links to measure ${row.number}.`);
  }
  assert.deepEqual(
    plan.table.rows.slice(22).map((r) => r.measureId),
    ['m3.1', 'm3.2', 'm3.3', 'm3.4'],
  );
  // 深化产教融合人才培养模式 (table) vs 完善产教融合人才培育模式 (text): reworded, still linked.
  assert.equal(plan.table.rows[8].measureId, 'm2.4.1');
  assert.equal(plan.warnings.length, 0);
});

test('seed 002 table row 1: abbreviations normalised, the 各县、区政府 compound kept whole, shared 管委会 suffix resolved', async () => {
  const plan = await load(SEEDS.s002);
  const units = plan.table?.rows[0].responsibility.units ?? [];
  assert.deepEqual(
    units.map((u) => [u.raw, u.normalized, u.status]),
    [
      ['市发改委', '市发展改革委', 'known'],
      ['市教育局', '市教育局', 'known'],
      ['市民政局', '市民政局', 'known'],
      ['市财政局', '市财政局', 'known'],
      ['市旅游文广局', '市文化和旅游局', 'known'],
      ['市卫健委', '市卫生健康委', 'known'],
      ['市体育局', '市体育局', 'known'],
      ['市残联', '市残联', 'known'],
      ['各县、区政府', '各县、区政府', 'government'],
      ['秦皇岛开发区', '秦皇岛开发区管委会', 'known'],
      ['北戴河新区管委会', '北戴河新区管委会', 'known'],
    ],
  );
  assert.equal(plan.table?.rows[0].responsibility.openEnded, true, '…等部门按职责分工负责');
});

test('seed 002 measure 7: 市市场监管局会同… in the text marks the lead unit', async () => {
  const plan = await load(SEEDS.s002);
  const m = byTitle(plan, '构建行业性标杆化服务标准');
  const lead = measureUnits(m).filter((u) => u.role === 'lead');
  assert.deepEqual(
    lead.map((u) => u.normalized),
    ['市市场监管局'],
  );
});

// ---- seed 003: 山西, （责任单位：…） lines and lost headings ----

test('seed 003: every numbered measure carries its （责任单位：…） list, 46 in all, matching the text', async () => {
  const plan = await load(SEEDS.s003);
  const all = flattenMeasures(plan.measures);
  const inline = all.flatMap((m) => m.responsibilities);
  assert.equal(inline.length, (plan.text.match(/责任单位/g) ?? []).length);
  assert.equal(inline.length, 46);
  assert.deepEqual(unitNames(byTitle(plan, '实施A级旅游景区倍增计划')), ['省文化和旅游局', '省林草局']);
  assert.deepEqual(unitNames(byTitle(plan, '加大金融支持')), [
    '人行太原中心支行',
    '山西银保监局',
    '省金融局',
  ]);
  assert.deepEqual(unitNames(byTitle(plan, '强化投入保障')), ['省财政局', '各市政府']);
});

test('seed 003: numbering restarts 14 times without headings, so 14 synthetic groups hold the measures', async () => {
  const plan = await load(SEEDS.s003);
  assert.equal(plan.measures.length, 14);
  assert.ok(plan.measures.every((m) => m.synthetic && m.numberStyle === 'lost'));
  assert.deepEqual(
    plan.measures[0].children.map((m) => m.title),
    ['实施A级旅游景区倍增计划', '丰富优质文旅产品供给', '完善旅游要素综合配套能力', '做优做深文旅融合发展'],
  );
  assert.equal(plan.metadata.title, '山西省人民政府办公厅关于印发山西省生活性服务业发展行动方案的通知');
  assert.equal(plan.metadata.issuerLevel, '省');
});

test('seed 003: a unit name polluted by the scrape (中欧体育省卫健委) is kept, flagged unknown and reported', async () => {
  const plan = await load(SEEDS.s003);
  const units = measureUnits(byTitle(plan, '扩大普惠性生活服务供给'));
  const odd = units.find((u) => u.raw === '中欧体育省卫健委');
  assert.equal(odd?.status, 'unknown');
  assert.match(plan.warnings.join('\n'), /中欧体育省卫健委/);
});

test('seed 003: ranged targets (1-3家) and the plan horizon as deadline when the measure states none', async () => {
  const plan = await load(SEEDS.s003);
  const [first] = byTitle(plan, '实施A级旅游景区倍增计划').targets;
  assert.deepEqual(
    [first.phrase, first.value, first.valueMax, first.unit],
    ['新创建国家5A级旅游景区', 1, 3, '家'],
  );
  assert.equal(first.deadlineYear, 2025);
  assert.equal(first.deadlineSource, 'plan');
});

// ---- seed 000: 天津, "…按职责分工负责" parentheses ----

test('seed 000: all 83 "…负责）" parentheses are read, each with its units', async () => {
  const plan = await load(SEEDS.s000);
  const inline = flattenMeasures(plan.measures).flatMap((m) =>
    m.responsibilities.filter((r) => r.raw.endsWith('负责)') || r.raw.endsWith('负责）')),
  );
  assert.equal(inline.length, (plan.text.match(/负责[)）]/g) ?? []).length);
  assert.equal(inline.length, 83);
  assert.ok(inline.every((r) => r.units.length > 0));
});

test('seed 000 基本社会服务: three parentheses, each covering the sentences before it', async () => {
  const plan = await load(SEEDS.s000);
  const m = byTitle(plan, '基本社会服务');
  assert.equal(m.responsibilities.length, 3);
  const [first, second, third] = m.responsibilities;
  assert.deepEqual(
    first.units.map((u) => u.normalized),
    ['市民政局', '市卫生健康委', '市发展改革委', '各区人民政府'],
  );
  assert.match(plan.text.slice(...first.coversSpan), /^基本社会服务。加快完善居家为基础.*养老服务体系。$/);
  assert.match(plan.text.slice(...second.coversSpan), /^健全分层分类救助制度体系/);
  assert.deepEqual(
    third.units.map((u) => u.normalized),
    ['市退役军人局', '市人社局', '各区人民政府'],
  );
});

test('seed 000: 市卫生健康委 and 市卫健委-style names share one key; 等相关行业主管部门 marks an open list', async () => {
  const plan = await load(SEEDS.s000);
  const m = byTitle(plan, '加快构建行业性标杆化服务标准');
  const [r] = m.responsibilities;
  assert.equal(r.openEnded, true);
  assert.deepEqual(
    r.units.map((u) => u.raw),
    [
      '市市场监管委',
      '市卫生健康委',
      '市民政局',
      '市住房城乡建设委',
      '市商务局',
      '市教委',
      '市体育局',
      '各区人民政府',
    ],
  );
  assert.equal(r.units[0].key, '市:market-regulation');
  assert.equal(r.units[5].normalized, '市教育局');
});

test('seed 000: 老年助餐服务城乡全覆盖 as 100%, 便民生活圈 targets with 力争, 居民满意度达到90%以上', async () => {
  const plan = await load(SEEDS.s000);
  const [meals, ...targets] = byTitle(plan, '大力发展社区便民服务').targets;
  assert.deepEqual(
    [meals.phrase, meals.scope, meals.value, meals.unit, meals.comparator, meals.deadlineYear],
    ['老年助餐服务', '城乡', 100, '%', 'gte', 2025],
  );
  assert.equal(plan.text.slice(...meals.valueSpan), '全覆盖');
  assert.deepEqual(
    targets.map((t) => [t.phrase, t.value, t.unit, t.comparator, t.deadlineYear]),
    [
      ['建成国家级一刻钟便民生活圈建设示范区', 5, '个', 'eq', 2025],
      ['建成一刻钟便民生活圈', 126, '个', 'eq', 2025],
      ['居民满意度', 90, '%', 'gte', 2025],
    ],
  );
  assert.equal(targets[0].aspirational, true);
  assert.deepEqual(targets[2].comparatorWords, ['达到', '以上']);
});

test('seed 000: 文号 is not in the text, so it stays null while the cited 国办函 is listed', async () => {
  const { metadata } = await load(SEEDS.s000);
  assert.equal(metadata.documentNumber, null);
  assert.deepEqual(
    metadata.citedDocuments.map((d) => d.number),
    ['国办函〔2021〕103号'],
  );
  assert.equal(metadata.issuer, '天津市人民政府办公厅');
  assert.equal(metadata.planTitle, '关于促进生活性服务业发展的若干措施');
});

// ---- seed 001: 西青区, unprefixed names, units broken across lines ----

test('seed 001 metadata: a 区 issuer, the issued date, and the two documents it implements', async () => {
  const { metadata } = await load(SEEDS.s001);
  assert.deepEqual([metadata.issuer, metadata.issuerLevel], ['天津市西青区人民政府办公室', '区']);
  assert.equal(metadata.planTitle, '西青区生活性服务业发展行动方案');
  assert.deepEqual(
    metadata.dates.map((d) => [d.date, d.role]),
    [['2022-08-08', 'issued']],
  );
  assert.deepEqual(
    metadata.citedDocuments.map((d) => d.number),
    ['国办函〔2021〕103号', '津政办发〔2022〕15号'],
  );
});

test('seed 001: a unit list broken across a page (区教育 / 局、各街镇) is joined, its span covering the break', async () => {
  const plan = await load(SEEDS.s001);
  const m = byTitle(plan, '创建学前教育普及普惠区');
  const [unit] = m.responsibilities[0].units;
  assert.equal(unit.raw, '区教育局');
  assert.equal(plan.text.slice(...unit.span).replace(/\s/g, ''), '区教育局');
  assert.ok(plan.text.slice(...unit.span).includes('\n'));
  assert.deepEqual(unitNames(m), ['区教育局', '各街镇']);
});

test('seed 001: names without a level take the issuer’s (商务局 → 区商务局); a 市 branch keeps its level and place', async () => {
  const plan = await load(SEEDS.s001);
  const units = byTitle(plan, '推广普惠养老服务').responsibilities[0].units;
  const commerce = units.find((u) => u.raw === '商务局');
  assert.equal(commerce?.normalized, '区商务局');
  assert.equal(commerce?.levelInferred, true);
  const branch = units.find((u) => u.raw === '市规划资源局西青分局');
  assert.deepEqual(
    [branch?.level, branch?.place, branch?.departmentId],
    ['市', '西青', 'planning-natural-resources'],
  );
});

test('seed 001: 经开集团, 城投公司 and 协同办 are kept and flagged; 区发展改革委会同 marks the lead', async () => {
  const plan = await load(SEEDS.s001);
  assert.match(plan.warnings.join('\n'), /协同办、经开集团、城投公司/);
  const lead = measureUnits(byTitle(plan, '强化工作统筹协调')).find((u) => u.role === 'lead');
  assert.equal(lead?.normalized, '区发展改革委');
});

test('seed 001: count targets with verbs (新建10处养老服务设施) and spaced numbers (学位 1200 个)', async () => {
  const plan = await load(SEEDS.s001);
  const [facilities, home] = byTitle(plan, '推广普惠养老服务').targets;
  assert.deepEqual(
    [facilities.phrase, facilities.value, facilities.unit, facilities.deadlineYear],
    ['新建养老服务设施', 10, '处', 2022],
  );
  assert.deepEqual([home.phrase, home.value, home.unit], ['新建区级养老院', 1, '家']);
  const [seats] = byTitle(plan, '创建学前教育普及普惠区').targets;
  assert.deepEqual([seats.phrase, seats.value, seats.unit], ['新增幼儿园学位', 1200, '个']);
});

// ---- seed 004: 成都, a deep hierarchy and section-level deadlines ----

test('seed 004 metadata: the 意见 is its own title; the page names no issuer or 文号, so none is invented', async () => {
  const { metadata } = await load(SEEDS.s004);
  assert.equal(metadata.title, '关于创新发展生活性服务业建设高品质和谐宜居生活城市的意见');
  assert.deepEqual([metadata.issuer, metadata.documentNumber], [null, null]);
  assert.ok(metadata.dates.some((d) => d.date === '2018-02-13' && d.role === 'published'));
});

test('seed 004: 到2022年 in （三）建设目标 is the horizon, the deadline of targets stated without a year', async () => {
  const plan = await load(SEEDS.s004);
  assert.deepEqual([plan.metadata.horizonYear, plan.metadata.horizonSource], [2022, 'goals']);
  const [brands] = byTitle(plan, '商业零售').targets;
  assert.deepEqual(
    [brands.phrase, brands.value, brands.deadlineYear, brands.deadlineSource],
    ['国际一线品牌入驻率', 90, 2022, 'plan'],
  );
});

test('seed 004: five top-level parts; 提质发展九大领域 holds items 1.–9.', async () => {
  const plan = await load(SEEDS.s004);
  assert.deepEqual(
    plan.measures.map((m) => m.label),
    ['一、', '二、', '三、', '四、', '五、'],
  );
  const nine = byTitle(plan, '提质发展九大领域');
  assert.deepEqual(
    nine.children.map((m) => m.number),
    [1, 2, 3, 4, 5, 6, 7, 8, 9],
  );
});

test('seed 004: 城市…覆盖率达100%，农村达80% gives two targets; 到2022年 opening 建设目标 dates the section', async () => {
  const plan = await load(SEEDS.s004);
  const care = byTitle(plan, '养老服务').targets;
  assert.deepEqual(
    care.map((t) => [t.scope, t.phrase, t.value]),
    [
      ['城市', '社区养老服务设施覆盖率', 100],
      ['农村', '社区养老服务设施覆盖率', 80],
    ],
  );
  const added = byTitle(plan, '产业能级显著提升').targets.find((t) => t.unit === '亿元');
  assert.deepEqual(
    [added?.value, added?.comparator, added?.deadlineYear, added?.deadlineSource],
    [5000, 'gte', 2022, 'section'],
  );
});

// ---- Chinese-numeral counts in the seeds ----

/** The Chinese numerals the seeds write targets with, and their values (by hand). */
const SEED_CHINESE_NUMERALS: Record<string, number> = { 一: 1, 百: 100 };

test('seed 003: 实现每个县有一所综合性养老机构 is a target of 1 所, its span on the numeral 一', async () => {
  const plan = await load(SEEDS.s003);
  const found = flattenMeasures(plan.measures)
    .flatMap((m) => m.targets)
    .filter((t) => t.sentence.includes('每个县有一所'));
  assert.deepEqual(
    found.map((t) => [t.phrase, t.value, t.unit, plan.text.slice(...t.valueSpan)]),
    [['实现每个县有综合性养老机构', 1, '所', '一']],
  );
});

test('seed 001: 组织百场文化送基层演出活动 is a count target of 100 场', async () => {
  const plan = await load(SEEDS.s001);
  const found = flattenMeasures(plan.measures)
    .flatMap((m) => m.targets)
    .filter((t) => t.sentence.includes('百场'));
  assert.deepEqual(
    found.map((t) => [t.phrase, t.comparator, t.value, t.unit, plan.text.slice(...t.valueSpan)]),
    [['组织文化送基层演出活动', 'eq', 100, '场', '百']],
  );
});

// ---- every seed: spans point at what they claim ----

test('in every seed, each unit span holds the unit as written and each target span holds its value', async () => {
  for (const path of Object.values(SEEDS)) {
    const plan = await load(path);
    for (const m of flattenMeasures(plan.measures)) {
      assert.ok(
        m.span[0] >= 0 && m.span[1] <= plan.text.length && m.span[0] < m.span[1],
        `${path} ${m.id} span`,
      );
      for (const r of m.responsibilities)
        for (const u of r.units)
          assert.equal(
            plan.text.slice(...u.span).replace(/[\s、]/g, ''),
            u.raw.replace(/、/g, ''),
            `${path} ${u.raw}`,
          );
      for (const t of m.targets) {
        const written = plan.text.slice(...t.valueSpan).replace(/\s/g, '');
        if (t.comparatorWords.includes('全覆盖')) assert.equal(written, '全覆盖', `${path} ${t.id}`);
        else if (written in SEED_CHINESE_NUMERALS)
          assert.equal(t.value, SEED_CHINESE_NUMERALS[written], `${path} ${t.id} ${written}`);
        else
          assert.ok(
            written.startsWith(`${t.value}`) && written.endsWith(`${t.valueMax ?? t.value}`),
            `${path} ${t.id}`,
          );
      }
    }
  }
});

test('seed 002: a table row whose measure is missing from the text is reported, not linked to a look-alike', async () => {
  const text = readFileSync(SEEDS.s002, 'utf8').replace(/\n8\.创建生活性服务业品牌。[^\n]*\n/, '\n');
  const plan = await importPlan(Buffer.from(text), 'edited.txt');
  assert.equal(plan.table?.rows[7].measureId, null);
  assert.match(plan.warnings.join('\n'), /table row 8 \(创建生活性服务业品牌\) matches no measure title/);
});

test('seed 002 table: the departments named in each of the 26 rows, counted by hand, all recognised', async () => {
  const plan = await load(SEEDS.s002);
  // Departments per row before "等部门按职责分工负责"; every row then adds 各县、区政府 and the two 管委会.
  const handCounted = [8, 4, 4, 7, 8, 5, 5, 6, 6, 6, 8, 6, 6, 3, 6, 2, 5, 4, 7, 5, 2, 2, 7, 3, 3, 3];
  const rows = plan.table?.rows ?? [];
  assert.deepEqual(
    rows.map(
      (r) =>
        r.responsibility.units.filter((u) => u.status === 'known' && u.departmentId !== 'zone-administration')
          .length,
    ),
    handCounted,
  );
  for (const row of rows) {
    assert.deepEqual(
      row.responsibility.units.slice(-3).map((u) => u.normalized),
      ['各县、区政府', '秦皇岛开发区管委会', '北戴河新区管委会'],
      `row ${row.number}`,
    );
    assert.ok(
      row.responsibility.units.every((u) => u.status !== 'unknown'),
      `row ${row.number}`,
    );
  }
});
