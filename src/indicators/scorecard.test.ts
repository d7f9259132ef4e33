import { test } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { isLifeCircleError } from '../errors.js';
import {
  INDICATORS,
  buildScorecard,
  scorecardToHtml,
  scorecardToXlsx,
  type DistrictInput,
  type ScorecardConfig,
} from './index.js';

const config: ScorecardConfig = {
  indicatorWeights: { 'childcare-places-per-1000': 2, 'community-elderly-care-coverage': 1 },
  measureWeight: 1,
};

// Illustrative districts (names from 天津, numbers invented for the test).
const districts: DistrictInput[] = [
  {
    region: '120101',
    name: '和平区',
    indicators: {
      'childcare-places-per-1000': { value: 4.5, target: 4.5, baseline: 2 },
      'community-elderly-care-coverage': { value: 80, target: 100, baseline: 60 },
    },
    measureCompletion: 0.8,
  },
  {
    region: '120102',
    name: '河东区',
    indicators: {
      'childcare-places-per-1000': { value: 3.25, target: 4.5, baseline: 2 },
      'community-elderly-care-coverage': { value: null, target: 100, baseline: 60 },
    },
    measureCompletion: 1,
  },
  {
    region: '120111',
    name: '西青区',
    indicators: {
      'childcare-places-per-1000': { value: 4, target: 4.5 },
      'community-elderly-care-coverage': { value: 100, target: 100, baseline: 60 },
    },
    measureCompletion: 0.3,
  },
];

test('totals are 100 × Σ weight × score ÷ Σ weight, ranked high to low, missing values scoring 0', () => {
  const card = buildScorecard(districts, config, INDICATORS);
  assert.deepEqual(
    card.rows.map((r) => [r.rank, r.name, r.total]),
    [
      [1, '和平区', 82.5], // (2×1 + 1×0.5 + 1×0.8) ÷ 4
      [2, '西青区', 76.9], // (2×4/4.5 + 1×1 + 1×0.3) ÷ 4 = 76.94
      [3, '河东区', 50], // (2×0.5 + 0 + 1×1) ÷ 4
    ],
  );
  assert.deepEqual(card.rows[2].missing, ['community-elderly-care-coverage']);
  assert.equal(card.rows[2].indicatorScores['community-elderly-care-coverage'], null);
});

test('equal totals share a rank and the next rank is skipped', () => {
  const same = (region: string, name: string): DistrictInput => ({
    region,
    name,
    indicators: { 'childcare-places-per-1000': { value: 3, target: 4 } },
    measureCompletion: 0.5,
  });
  const card = buildScorecard(
    [same('1', '甲'), same('2', '乙'), { ...same('3', '丙'), measureCompletion: 0 }],
    { indicatorWeights: { 'childcare-places-per-1000': 1 }, measureWeight: 1 },
    INDICATORS,
  );
  assert.deepEqual(
    card.rows.map((r) => r.rank),
    [1, 1, 3],
  );
});

test('a weight for an unknown indicator, a negative weight or all-zero weights are refused', () => {
  const bad: ScorecardConfig[] = [
    { indicatorWeights: { 'no-such-indicator': 1 }, measureWeight: 1 },
    { indicatorWeights: { 'childcare-places-per-1000': -1 }, measureWeight: 1 },
    { indicatorWeights: { 'childcare-places-per-1000': 0 }, measureWeight: 0 },
  ];
  for (const c of bad)
    assert.throws(
      () => buildScorecard(districts, c, INDICATORS),
      (e: unknown) => isLifeCircleError(e) && e.code === 'LC_SCORECARD_CONFIG',
    );
});

test('the XLSX export holds results, weights and method sheets, readable back with the scores', async () => {
  const card = buildScorecard(districts, config, INDICATORS);
  const buffer = await scorecardToXlsx(card, INDICATORS, {
    title: '2026年度生活性服务业发展考评',
    issuer: '市发展改革委',
    asOf: '2026-06-30',
  });
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(buffer as unknown as ArrayBuffer);
  assert.deepEqual(
    book.worksheets.map((w) => w.name),
    ['考评结果', '权重', '说明'],
  );
  const sheet = book.getWorksheet('考评结果');
  assert.ok(sheet);
  const cells = (row: number): unknown[] =>
    Array.from({ length: 9 }, (_, i) => sheet.getRow(row).getCell(i + 1).value);
  assert.deepEqual(cells(3), [
    '排名',
    '区划代码',
    '地区',
    '总分',
    '每千人口拥有3岁以下婴幼儿托位数',
    '社区养老服务设施覆盖率',
    '任务完成率',
    '缺报',
    '无目标',
  ]);
  assert.deepEqual(cells(6), [3, '120102', '河东区', 50, 50, null, 100, '社区养老服务设施覆盖率', '']);
});

test('the printable HTML report lists districts in rank order and escapes names', () => {
  const card = buildScorecard(
    [...districts, { ...districts[0], region: '9', name: '<b>测试</b>', measureCompletion: 0 }],
    config,
    INDICATORS,
  );
  const html = scorecardToHtml(card, INDICATORS, {
    title: '考评',
    issuer: '市发展改革委',
    asOf: '2026-06-30',
  });
  assert.ok(
    html.indexOf('和平区') < html.indexOf('西青区') && html.indexOf('西青区') < html.indexOf('河东区'),
  );
  assert.ok(html.includes('&lt;b&gt;测试&lt;/b&gt;') && !html.includes('<b>测试'));
  assert.match(html, /@page \{ size: A4 landscape/);
});

test('the printable report says why a cell has no score (缺报 or 无目标) and does not rank a district with none', () => {
  const card = buildScorecard(
    [
      districts[0],
      {
        region: '120199',
        name: '无目标区',
        indicators: { 'childcare-places-per-1000': { value: 3, target: null } },
        measureCompletion: null,
      },
    ],
    config,
    INDICATORS,
  );
  assert.deepEqual(
    card.rows.map((r) => [r.name, r.rank]),
    [
      ['和平区', 1],
      ['无目标区', null],
    ],
  );
  const html = scorecardToHtml(card, INDICATORS, {
    title: '考评',
    issuer: '市发展改革委',
    asOf: '2026-06-30',
  });
  const row = html.slice(html.indexOf('无目标区') - 20, html.indexOf('</tr>', html.indexOf('无目标区')));
  assert.match(row, /<td>未排名<\/td>/);
  // Childcare has a value but no target; elderly care was not reported; completion neither.
  assert.deepEqual(
    [...row.matchAll(/<td>(缺报|无目标)<\/td>/g)].map((m) => m[1]),
    ['无目标', '缺报', '缺报'],
  );
});
