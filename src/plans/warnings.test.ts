import assert from 'node:assert/strict';
import { test } from 'node:test';
import { unitNameEn } from './departments.js';
import { parsePlanText } from './parse-plan.js';
import {
  lostHeadingsWarning,
  pastYearFiguresWarning,
  planNote,
  tableRowWarning,
  unknownUnitsWarning,
} from './warnings.js';

test('every warning the parser writes reads back as the note it stands for', () => {
  assert.deepEqual(planNote(lostHeadingsWarning(3)), { kind: 'lost-headings', count: 3 });
  assert.deepEqual(planNote(pastYearFiguresWarning(2)), { kind: 'past-year-figures', count: 2 });
  assert.deepEqual(planNote(unknownUnitsWarning(['区城管委', '某某中心'])), {
    kind: 'unknown-units',
    units: ['区城管委', '某某中心'],
  });
  // A task may itself hold parentheses; the row number and the task come back whole.
  assert.deepEqual(planNote(tableRowWarning(12, '建设社区食堂（老年助餐点）', true)), {
    kind: 'table-row-ambiguous',
    row: 12,
    task: '建设社区食堂（老年助餐点）',
  });
  assert.deepEqual(planNote(tableRowWarning(7, 'a (b) c', false)), {
    kind: 'table-row-unmatched',
    row: 7,
    task: 'a (b) c',
  });
});

test('a warning stored as literal text reads back (plans stored before the writers were shared)', () => {
  assert.deepEqual(planNote('2 group heading(s) were lost in the source; the groups are marked synthetic'), {
    kind: 'lost-headings',
    count: 2,
  });
  assert.deepEqual(planNote('something new'), { kind: 'other', text: 'something new' });
});

test('known departments have English names by level; units known only as written have none', () => {
  assert.equal(unitNameEn('区:civil-affairs'), 'District Civil Affairs Bureau');
  assert.equal(unitNameEn('市:development-reform'), 'Municipal Development and Reform Commission');
  assert.equal(unitNameEn('-:finance'), 'Finance Bureau');
  assert.equal(unitNameEn('gov:lower-governments:区'), 'District governments');
  assert.equal(unitNameEn('gov:lower-governments:-'), 'Governments');
  assert.equal(unitNameEn('gov:towns-subdistricts:-'), 'Town and subdistrict governments');
  assert.equal(unitNameEn('gov:张家窝镇人民政府'), null);
  assert.equal(unitNameEn('unknown:区城管委'), null);
  assert.equal(unitNameEn('generic:有关部门'), null);
  assert.equal(unitNameEn('district:120111'), null);
  assert.equal(unitNameEn('区:no-such-kind'), null);
});

// A plan of our own writing, issued on 1 March 2022: a figure its clause dates 2021 reports the past.
test('a figure dated before the plan was issued is not a target, even without 截至 or 已; the parser says so', () => {
  const text = [
    '某市生活性服务业发展行动方案（合成示例）',
    '一、发展目标',
    '2021年，全市建成社区养老服务设施120个。到2025年，社区养老服务设施覆盖率达到100%，在校生规模比2020年增加200人。',
    '某市人民政府办公室',
    '2022年3月1日',
  ].join('\n');
  const plan = parsePlanText(text);
  assert.equal(plan.metadata.dates.find((d) => d.role === 'issued')?.date, '2022-03-01');
  const targets = plan.measures.flatMap(function all(m): typeof m.targets {
    return [...m.targets, ...m.children.flatMap(all)];
  });
  assert.deepEqual(
    targets.map((t) => [t.phrase, t.value, t.deadlineYear]),
    [
      ['社区养老服务设施覆盖率', 100, 2025],
      ['在校生规模', 200, 2025],
    ],
  );
  assert.deepEqual(plan.warnings.map(planNote), [{ kind: 'past-year-figures', count: 1 }]);
  // Without an issue date nothing is dropped: the 2021 figure stays a target to check by hand.
  const undated = parsePlanText(text.replace('2022年3月1日', ''));
  assert.equal(
    undated.measures.flatMap((m) => [...m.targets, ...m.children.flatMap((c) => c.targets)]).length,
    3,
  );
});
