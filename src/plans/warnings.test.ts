import assert from 'node:assert/strict';
import { test } from 'node:test';
import { unitNameEn } from './departments.js';
import { lostHeadingsWarning, planNote, tableRowWarning, unknownUnitsWarning } from './warnings.js';

test('every warning the parser writes reads back as the note it stands for', () => {
  assert.deepEqual(planNote(lostHeadingsWarning(3)), { kind: 'lost-headings', count: 3 });
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
