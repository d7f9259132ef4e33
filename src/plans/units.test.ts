import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeUnit, parsePlanText } from './index.js';

test('市卫生健康委 and 市卫健委 normalise to the same unit; 区卫健委 stays a different one', () => {
  const a = normalizeUnit('市卫生健康委', null);
  const b = normalizeUnit('市卫健委', null);
  const c = normalizeUnit('区卫健委', null);
  assert.equal(a.key, b.key);
  assert.equal(a.normalized, '市卫生健康委');
  assert.notEqual(c.key, a.key);
  assert.equal(c.level, '区');
});

test('a name starting with 市 that is not a level prefix (市场监管局) takes the issuer level', () => {
  const u = normalizeUnit('市场监管局', '区');
  assert.deepEqual([u.normalized, u.level, u.levelInferred], ['区市场监管局', '区', true]);
});

test('party organs keep their 委 (市委网信办) and place-bound units keep their name (天津银保监局)', () => {
  assert.equal(normalizeUnit('市委网信办', null).departmentId, 'cyberspace');
  const regulator = normalizeUnit('天津银保监局', '市');
  assert.deepEqual(
    [regulator.departmentId, regulator.place, regulator.level],
    ['banking-insurance-regulator', '天津', null],
  );
});

test('governments and generic units are recognised, not flagged unknown', () => {
  assert.equal(normalizeUnit('各区人民政府', '市').status, 'government');
  assert.equal(normalizeUnit('各街镇', '区').status, 'government');
  assert.equal(normalizeUnit('各有关单位', '市').status, 'generic');
  assert.equal(normalizeUnit('城投公司', '区').status, 'unknown');
});

test('牵头 and 配合 in a responsibility list mark lead and co-responsible units', () => {
  // Written for this test in the form 牵头/配合 lists take in other plans; no seed uses it.
  const plan = parsePlanText(
    '一、加强组织实施\n（一）建立工作机制。定期调度各项任务进展。（市发展改革委牵头，市统计局、市民政局配合）\n',
  );
  const units = plan.measures[0].children[0].responsibilities[0].units;
  assert.deepEqual(
    units.map((u) => [u.normalized, u.role]),
    [
      ['市发展改革委', 'lead'],
      ['市统计局', 'co'],
      ['市民政局', 'co'],
    ],
  );
});

test('a labelled list (牵头单位：…；配合单位：…) marks roles the same way', () => {
  const plan = parsePlanText(
    '1.完善统计监测。建立指标体系。（牵头单位：省统计局；配合单位：省发展改革委）\n',
  );
  const units = plan.measures[0].responsibilities[0].units;
  assert.deepEqual(
    units.map((u) => [u.normalized, u.role]),
    [
      ['省统计局', 'lead'],
      ['省发展改革委', 'co'],
    ],
  );
});

test('责任单位：… and 牵头单位：…；配合单位：… lines belong to the measure above them', () => {
  // Written for this test in the line form many plans use; no seed uses it.
  const plan = parsePlanText(
    [
      '一、重点任务',
      '（一）完善养老服务网络。建设街道综合养老服务中心。',
      '责任单位：市民政局、市卫健委',
      '（二）发展普惠托育。新增普惠托位2000个。',
      '【牵头单位】：市卫生健康委；配合单位：市教委、市财政局；完成时限：2025年底',
    ].join('\n'),
  );
  const [first, second] = plan.measures[0].children;
  assert.equal(plan.measures[0].children.length, 2);
  assert.deepEqual(
    first.responsibilities[0].units.map((u) => [u.normalized, u.role]),
    [
      ['市民政局', 'unspecified'],
      ['市卫生健康委', 'unspecified'],
    ],
  );
  assert.deepEqual(
    second.responsibilities[0].units.map((u) => [u.normalized, u.role]),
    [
      ['市卫生健康委', 'lead'],
      ['市教育局', 'co'],
      ['市财政局', 'co'],
    ],
  );
  assert.equal(plan.text.slice(...second.responsibilities[0].units[2].span), '市财政局');
});
