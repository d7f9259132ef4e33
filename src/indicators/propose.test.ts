import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { flattenMeasures, importPlan } from '../plans/index.js';
import { INDICATORS, indicatorMeasure, proposeLinks, targetMeasure } from './index.js';

const best = (phrase: string, unit: string, sentence?: string) =>
  proposeLinks({ phrase, unit, ...(sentence ? { sentence } : {}) }, INDICATORS)[0] ?? null;

test('what a target measures: a share, a figure per head of population, a count — or unclear', () => {
  assert.equal(targetMeasure({ phrase: '普惠性幼儿园覆盖率', unit: '%' }), 'share');
  assert.equal(targetMeasure({ phrase: '社区托育服务覆盖率', unit: '个百分点' }), 'share');
  assert.equal(targetMeasure({ phrase: '每千人口托位数', unit: '个' }), 'per-population');
  assert.equal(targetMeasure({ phrase: '人均体育场地面积', unit: '平方米' }), 'per-population');
  assert.equal(targetMeasure({ phrase: '新建养老服务设施', unit: '个' }), 'count');
  assert.equal(
    targetMeasure({ phrase: '养老机构护理型床位占比', unit: '张' }),
    null,
    'a rate in a count unit',
  );
  const kinds = Object.fromEntries(INDICATORS.map((i) => [i.code, indicatorMeasure(i)]));
  assert.equal(kinds['community-childcare-coverage'], 'share');
  assert.equal(kinds['childcare-places-per-1000'], 'per-population');
  assert.equal(kinds['doctors-per-1000'], 'per-population', 'reported: from its name 每千人口');
  assert.equal(kinds['convenience-circles-built'], 'count');
});

// Sentences of our own writing, not from the seed plans; the expected link worked out by hand.
test('a target is proposed the indicator its definition names, with the evidence', () => {
  const places = best('每千人口拥有托位数', '个');
  assert.equal(places?.code, 'childcare-places-per-1000');
  assert.equal(places?.level, 'high');
  assert.deepEqual(
    places?.evidence.find((e) => e.kind === 'measure'),
    { kind: 'measure', agrees: true, target: 'per-population', indicator: 'per-population' },
  );
  // The facility type the indicator counts, named in the phrase in its own words (托老所 for 日间照料中心).
  const dayCare = best('托老所覆盖社区比例', '%');
  assert.equal(dayCare?.code, 'community-day-care-coverage');
  assert.ok(dayCare?.evidence.some((e) => e.kind === 'facility' && e.facilityType === 'elderly-daycare'));
});

test('the definition lowers or refuses what the name alone would propose', () => {
  // A count of facilities is not the share of communities they cover: same words, other measure → no proposal.
  assert.equal(best('新建社区养老服务设施', '个'), null);
  // The right measure, a unit that differs: proposed, but not with high confidence.
  const otherUnit = best('社区养老服务设施覆盖率', '个');
  assert.equal(otherUnit?.code, 'community-elderly-care-coverage');
  assert.notEqual(otherUnit?.level, 'high');
  // Nothing in the catalogue counts football pitches.
  assert.equal(best('新建社区足球场', '个'), null);
  // The name of the circles indicator, but the phrase counts demonstration districts (its head noun): low.
  const districts = best('建成国家级一刻钟便民生活圈建设示范区', '个');
  assert.equal(districts?.code, 'convenience-circles-built');
  assert.equal(districts?.level, 'low');
  assert.equal(districts?.evidence.find((e) => e.kind === 'name' && !e.headAgrees)?.kind, 'name');
  // A narrower life circle than the facility's own (a 15-minute facility in a 5-minute circle) lowers it.
  const wide = best('社区食堂（老年助餐点）覆盖率', '%');
  const narrow = best(
    '社区食堂（老年助餐点）覆盖率',
    '%',
    '建设15分钟生活圈，社区食堂（老年助餐点）覆盖率达到80%',
  );
  assert.ok(wide && narrow);
  assert.equal(narrow.evidence.find((e) => e.kind === 'tier')?.kind, 'tier');
});

test('on the seed plans: every target the catalogue measures gets its indicator first, with high confidence', async () => {
  // Read by hand from data/seeds: the targets whose indicator is in the catalogue, and that indicator.
  const expected: Record<string, string> = {
    社区托育服务覆盖率: 'community-childcare-coverage',
    老年助餐服务: 'elderly-meal-coverage',
    建成一刻钟便民生活圈: 'convenience-circles-built',
    居民满意度: 'resident-satisfaction',
    普惠性幼儿园覆盖率: 'inclusive-kindergarten-coverage',
    经常性参与教育活动的老年人占比: 'older-people-in-education',
    '每千人口拥有职业(助理)医师': 'doctors-per-1000',
    每千人口注册护士: 'nurses-per-1000',
    每千人口3岁以下婴幼儿托位数: 'childcare-places-per-1000',
    赋码社区日间照料服务设施覆盖率: 'community-day-care-coverage',
    '老年助餐、居家照护服务覆盖社区': 'elderly-meal-coverage',
    人均体育场地面积: 'sports-area-per-capita',
    每万人口接受公共文化设施服务: 'public-culture-visits-per-10000',
    社区养老服务设施覆盖率: 'community-elderly-care-coverage',
  };
  const seen = new Set<string>();
  const proposedElsewhere: string[] = [];
  for (const file of [
    '000_35adacbb0c49853b.txt',
    '001_6d4fe630431b83bc.txt',
    '002_ce73fb87e0a846d2.txt',
    '003_3feb47f8dc58927a.txt',
    '004_8ac6a6207ac107a0.txt',
  ]) {
    const plan = await importPlan(readFileSync(`data/seeds/${file}`), file);
    for (const t of flattenMeasures(plan.measures).flatMap((m) => m.targets)) {
      const [first] = proposeLinks(t, INDICATORS);
      const want = expected[t.phrase];
      if (want) {
        seen.add(t.phrase);
        assert.equal(first?.code, want, t.phrase);
        assert.equal(first?.level, 'high', t.phrase);
      } else if (first && first.level !== 'low') proposedElsewhere.push(`${t.phrase} → ${first.code}`);
    }
  }
  assert.deepEqual([...seen].sort(), Object.keys(expected).sort(), 'every expected target was read');
  // Targets the catalogue does not measure (区域养老服务中心 in 60 % of towns, 互助性养老 over villages, counts of
  // demonstration districts) get no medium or high proposal.
  assert.deepEqual(proposedElsewhere, []);
});
