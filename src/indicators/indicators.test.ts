import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { importPlan } from '../plans/index.js';
import { loadStandards } from '../standards/index.js';
import {
  INDICATORS,
  computeAll,
  computeIndicator,
  decideLink,
  indicatorByCode,
  ownerInEnglish,
  latestValues,
  suggestIndicators,
  suggestLinks,
  type Indicator,
} from './index.js';

const get = (code: string): Indicator => {
  const i = indicatorByCode(code);
  assert.ok(i, code);
  return i;
};

test('the catalogue holds the computed and reported indicators the issue names, each code once, each with a source', () => {
  const codes = INDICATORS.map((i) => i.code);
  assert.equal(new Set(codes).size, codes.length);
  for (const code of [
    'childcare-places-per-1000',
    'community-childcare-coverage',
    'community-elderly-care-coverage',
    'elderly-meal-coverage',
    'sports-area-per-capita',
  ])
    assert.equal(get(code).kind, 'computed', code);
  assert.equal(get('public-culture-visits-per-10000').kind, 'reported');
  for (const i of INDICATORS) assert.ok(i.source.document.length > 0 && i.source.clause.length > 0, i.code);
});

test('each walking-coverage indicator names the facility type of the standards whose radius counts', () => {
  const types = Object.fromEntries(
    INDICATORS.flatMap((i) =>
      i.formula.type === 'share' && i.formula.facilityType ? [[i.code, i.formula.facilityType]] : [],
    ),
  );
  assert.deepEqual(types, {
    'community-childcare-coverage': 'nursery',
    'community-elderly-care-coverage': 'elderly-daycare',
    'elderly-meal-coverage': 'community-canteen',
    'community-day-care-coverage': 'elderly-daycare',
  });
  const known = new Set(loadStandards(undefined).facilityTypes.map((t) => t.id));
  for (const type of Object.values(types)) assert.ok(known.has(type), type);
});

test('every indicator reads in English too: its owner is a department of the list, its unit and formula have English', () => {
  const owners = new Map(INDICATORS.map((i) => [i.code, ownerInEnglish(i.owner)]));
  assert.equal(owners.get('community-elderly-care-coverage'), 'Civil Affairs Bureau');
  assert.equal(owners.get('childcare-places-per-1000'), 'Health Commission');
  assert.equal(owners.get('convenience-circles-built'), 'Commerce Bureau');
  for (const i of INDICATORS) {
    assert.doesNotMatch(
      owners.get(i.code)!,
      /[\u4e00-\u9fff]/,
      `${i.code}: owner ${i.owner} is not in the department list`,
    );
    assert.doesNotMatch(`${i.unitEn} ${i.formulaEn} ${i.en}`, /[\u4e00-\u9fff]/, i.code);
  }
  assert.equal(get('sports-area-per-capita').unitEn, 'm²');
});

test('每千人口托位数 = places ÷ population × 1000; coverage = covered ÷ communities × 100', () => {
  assert.deepEqual(
    computeIndicator(get('childcare-places-per-1000'), { childcarePlaces: 5400, population: 1_200_000 }),
    {
      ok: true,
      value: 4.5,
    },
  );
  assert.deepEqual(
    computeIndicator(get('community-elderly-care-coverage'), {
      communitiesWithElderlyCare: 45,
      communities: 60,
    }),
    { ok: true, value: 75 },
  );
});

test('a computed indicator with a missing or zero denominator reports which input is missing', () => {
  assert.deepEqual(computeIndicator(get('sports-area-per-capita'), { sportsAreaM2: 1000, population: 0 }), {
    ok: false,
    missing: ['population'],
  });
});

test('rerunning the analysis gives values that supersede the previous run for the same date', () => {
  const inputs = { '120111': { childcarePlaces: 3000, population: 1_000_000 } };
  const first = computeAll([get('childcare-places-per-1000')], inputs, {
    runId: 'run-1',
    date: '2026-06-30',
    computedAt: '2026-07-01T08:00:00Z',
  });
  const rerun = computeAll(
    [get('childcare-places-per-1000')],
    { '120111': { childcarePlaces: 3600, population: 1_000_000 } },
    { runId: 'run-2', date: '2026-06-30', computedAt: '2026-07-02T08:00:00Z' },
  );
  const [current] = latestValues([...rerun.values, ...first.values]);
  assert.equal(current.value, 3.6);
  assert.deepEqual(current.provenance, {
    kind: 'analysis',
    runId: 'run-2',
    computedAt: '2026-07-02T08:00:00Z',
  });
});

test('seed 002 行动目标 targets are linked to the matching catalogue indicators; unknown phrases get no suggestion', async () => {
  const plan = await importPlan(readFileSync('data/seeds/002_ce73fb87e0a846d2.txt'), '002.txt');
  const targets = plan.measures[0].children[0].targets;
  const best = targets.map((t) => suggestIndicators(t, INDICATORS, 1)[0]?.code ?? null);
  assert.deepEqual(best, [
    'inclusive-kindergarten-coverage',
    'older-people-in-education',
    null, // 相关专业在校生规模: not in the catalogue
    'doctors-per-1000',
    'nurses-per-1000',
    'childcare-places-per-1000',
    null, // 供养服务机构(敬老院)
    null, // 区域养老服务中心 share of 乡镇
    'community-day-care-coverage',
    null, // 农村互助性养老服务
    'elderly-meal-coverage',
    null, // 残疾人康复或托养设施
    'sports-area-per-capita',
    'public-culture-visits-per-10000',
  ]);
});

test('suggested links wait for a person; confirming records who and when, and may pick another indicator', () => {
  const [link] = suggestLinks(
    [{ id: 'm1.1.t6', phrase: '每千人口3岁以下婴幼儿托位数', unit: '个' }],
    INDICATORS,
  );
  assert.deepEqual(
    [link.status, link.code, link.decidedBy],
    ['suggested', 'childcare-places-per-1000', null],
  );
  const confirmed = decideLink(link, 'confirmed', 'planner-1', '2026-11-22T10:00:00Z');
  assert.deepEqual(
    [confirmed.status, confirmed.decidedBy, link.status],
    ['confirmed', 'planner-1', 'suggested'],
  );
});
