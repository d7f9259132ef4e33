import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { isLifeCircleError } from '../errors.js';
import {
  applyCorrections,
  flattenMeasures,
  measureFingerprint,
  measureUnits,
  parsePlanText,
  targetFingerprint,
  unitFingerprint,
  validateCorrection,
  type Correction,
  type Measure,
  type ParsedPlan,
} from './index.js';

const SEED_002 = readFileSync('data/seeds/002_ce73fb87e0a846d2.txt', 'utf8');
const raw = parsePlanText(SEED_002, { fileName: '002.txt' });
const meta = { author: 'planner-1', at: '2026-11-22T09:00:00Z' };
const measure = (plan: ParsedPlan, id: string): Measure => {
  const m = flattenMeasures(plan.measures).find((x) => x.id === id);
  assert.ok(m, id);
  return m;
};
const goals = measure(raw, 'm1.1');

test('a fixed target phrase applies to a copy; the raw extraction is left as it was', () => {
  const t = goals.targets[3];
  assert.equal(t.phrase, '每千人口拥有职业(助理)医师');
  const fix: Correction = {
    ...meta,
    id: 'c1',
    op: 'set-target',
    targetId: t.id,
    expect: targetFingerprint(t),
    changes: { phrase: '每千人口执业（助理）医师数' },
  };
  const { plan, applied, conflicts } = applyCorrections(raw, [fix]);
  assert.deepEqual(conflicts, []);
  assert.deepEqual(applied, [{ correctionId: 'c1', itemId: t.id, relocated: false }]);
  const corrected = measure(plan, 'm1.1').targets[3];
  assert.deepEqual(
    [corrected.phrase, corrected.value, corrected.correctedBy],
    ['每千人口执业（助理）医师数', 3.4, 'c1'],
  );
  assert.equal(goals.targets[3].phrase, '每千人口拥有职业(助理)医师');
});

test('units: add a lead unit, rename a polluted one, remove another', () => {
  const m = measure(raw, 'm2.1.1');
  const district = measureUnits(m).find((u) => u.raw === '北戴河新区管委会');
  assert.ok(district);
  const corrections: Correction[] = [
    {
      ...meta,
      id: 'c1',
      op: 'add-unit',
      measureId: m.id,
      measureExpect: measureFingerprint(m),
      name: '市统计局',
      role: 'co',
    },
    {
      ...meta,
      id: 'c2',
      op: 'set-unit',
      measureId: m.id,
      measureExpect: measureFingerprint(m),
      unitKey: '市:development-reform',
      expect: unitFingerprint(measureUnits(m).find((u) => u.key === '市:development-reform') ?? district),
      role: 'lead',
    },
    {
      ...meta,
      id: 'c3',
      op: 'remove-unit',
      measureId: m.id,
      measureExpect: measureFingerprint(m),
      unitKey: district.key,
      expect: unitFingerprint(district),
    },
  ];
  const { plan, conflicts } = applyCorrections(raw, corrections);
  assert.deepEqual(conflicts, []);
  const units = measureUnits(measure(plan, m.id));
  assert.equal(units[0].normalized, '市发展改革委');
  assert.equal(units[0].role, 'lead');
  assert.ok(units.some((u) => u.normalized === '市统计局' && u.role === 'co' && u.correctedBy === 'c1'));
  assert.ok(!units.some((u) => u.raw === '北戴河新区管委会'));
});

test('a measure and its target added by hand sit in the tree like extracted ones', () => {
  const parent = measure(raw, 'm4');
  const { plan, conflicts } = applyCorrections(raw, [
    {
      ...meta,
      id: 'c1',
      op: 'add-measure',
      parentId: 'm4',
      parentExpect: measureFingerprint(parent),
      newId: 'm4.c1',
      title: '建立季度调度机制',
      text: '市发展改革委每季度调度各部门任务进展。',
    },
    {
      ...meta,
      at: '2026-11-22T09:05:00Z',
      id: 'c2',
      op: 'add-target',
      measureId: 'm4.c1',
      measureExpect: measureFingerprint({
        ...parent,
        title: '建立季度调度机制',
        text: '市发展改革委每季度调度各部门任务进展。',
      }),
      newId: 'm4.c1.t1',
      target: { phrase: '季度调度次数', comparator: 'gte', value: 4, unit: '次', deadlineYear: 2025 },
    },
  ]);
  assert.deepEqual(conflicts, []);
  const added = measure(plan, 'm4.c1');
  assert.equal(added.depth, 1);
  assert.deepEqual(
    added.targets.map((t) => [t.id, t.value, t.valueMax, t.correctedBy]),
    [['m4.c1.t1', 4, null, 'c2']],
  );
});

test('when a re-import shifts ids, corrections follow their item by fingerprint and say so', () => {
  const t = goals.targets[0];
  const fix: Correction = {
    ...meta,
    id: 'c1',
    op: 'set-target',
    targetId: t.id,
    expect: targetFingerprint(t),
    changes: { value: 86 },
  };
  // A paragraph inserted under 一、行动目标 moves the goals paragraph from m1.1 to m1.2.
  const shifted = parsePlanText(
    SEED_002.replace('一、行动目标\n', '一、行动目标\n\n（本段为测试插入的说明）\n'),
  );
  assert.equal(measure(shifted, 'm1.2').targets[0].phrase, '普惠性幼儿园覆盖率');
  const { plan, applied, conflicts } = applyCorrections(shifted, [fix]);
  assert.deepEqual(conflicts, []);
  assert.deepEqual(applied, [{ correctionId: 'c1', itemId: 'm1.2.t1', relocated: true }]);
  assert.equal(measure(plan, 'm1.2').targets[0].value, 86);
});

test('when the source itself changed the corrected item, the correction is reported as a conflict, not applied', () => {
  const t = goals.targets[0];
  const fix: Correction = {
    ...meta,
    id: 'c1',
    op: 'set-target',
    targetId: t.id,
    expect: targetFingerprint(t),
    changes: { value: 86 },
  };
  const edited = parsePlanText(SEED_002.replace('普惠性幼儿园覆盖率达到85%', '普惠性幼儿园覆盖率达到88%'));
  const { plan, applied, conflicts } = applyCorrections(edited, [fix]);
  assert.deepEqual(applied, []);
  assert.deepEqual(
    conflicts.map((c) => [c.correctionId, c.kind]),
    [['c1', 'changed']],
  );
  assert.equal(measure(plan, 'm1.1').targets[0].value, 88);
  const gone = parsePlanText(SEED_002.replace('普惠性幼儿园覆盖率达到85%，', ''));
  const other = goals.targets[13];
  const { conflicts: missing } = applyCorrections(gone, [
    { ...fix, targetId: 'm9.9.t9', expect: targetFingerprint({ ...other, value: 999 }) },
  ]);
  assert.deepEqual(
    missing.map((c) => c.kind),
    ['missing'],
  );
});

test('malformed corrections are refused with the field named', () => {
  const bad: [unknown, RegExp][] = [
    [null, /field \(root\): expected an object/],
    [{ ...meta, id: 'c1', op: 'rename-everything' }, /field op: expected one of/],
    [
      { ...meta, id: 'c1', op: 'set-target', targetId: 'm1.1.t1', expect: 'x', changes: { value: '85%' } },
      /field changes\.value: expected a number, got "85%"/,
    ],
    [
      {
        ...meta,
        id: 'c1',
        op: 'add-unit',
        measureId: 'm1',
        measureExpect: 'x',
        name: '市民政局',
        role: 'boss',
      },
      /field role: expected lead \| co \| unspecified/,
    ],
    [
      { ...meta, id: '', op: 'remove-target', targetId: 'm1.1.t1', expect: 'x' },
      /field id: expected a non-empty string/,
    ],
  ];
  for (const [input, message] of bad)
    assert.throws(
      () => validateCorrection(input, 3),
      (e: unknown) =>
        isLifeCircleError(e) &&
        e.code === 'LC_PLAN_CORRECTION' &&
        /^correction 3, /.test(e.message) &&
        message.test(e.message),
    );
  const ok = { ...meta, id: 'c1', op: 'remove-target', targetId: 'm1.1.t1', expect: 'abc' };
  assert.equal(validateCorrection(ok), ok);
});
