import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CreditRecord } from './credit.js';
import { presentDisclosure } from './disclosure.js';
import { REAL_USCC } from './test-helpers.js';

const provider = { uscc: REAL_USCC.tencent, name: '深圳市腾讯计算机系统有限公司' };
const records: CreditRecord[] = [
  {
    id: 'p1',
    uscc: provider.uscc,
    kind: 'permit',
    title: '食品经营许可证',
    source: { authority: '锦江区市场监督管理局', document: 'JY25101040012345' },
    date: '2025-03-01',
    validUntil: '2030-02-28',
  },
  {
    id: 'x1',
    uscc: provider.uscc,
    kind: 'penalty',
    severity: 'ordinary',
    title: '未公示预付卡余额',
    source: { authority: '锦江区市场监督管理局', document: '锦市监处罚〔2026〕17号' },
    date: '2026-05-10',
    internalNote: '举报人 王某 13812345678',
  },
  {
    id: 'x2',
    uscc: provider.uscc,
    kind: 'penalty',
    severity: 'minor',
    title: '已修复的处罚',
    source: { authority: '锦江区市场监督管理局' },
    date: '2024-01-10',
    repairedOn: '2025-01-10',
  },
  {
    id: 'c1',
    uscc: provider.uscc,
    kind: 'complaint-upheld',
    title: '居民投诉：课时费不退',
    source: { authority: '锦江区教育局' },
    date: '2026-06-01',
  },
];

test('the disclosure lists the permit and the penalty in force', () => {
  const d = presentDisclosure(provider, records, '2026-11-22');
  assert.deepEqual(
    d.permits.map((p) => p.title),
    ['食品经营许可证'],
  );
  assert.deepEqual(
    d.penalties.map((p) => p.document),
    ['锦市监处罚〔2026〕17号'],
  );
});

test('a repaired penalty is no longer disclosed', () => {
  const d = presentDisclosure(provider, records, '2026-11-22');
  assert.equal(
    d.penalties.some((p) => p.title === '已修复的处罚'),
    false,
  );
});

test('nothing personal leaves: no internal note, no phone, no complaint', () => {
  const json = JSON.stringify(presentDisclosure(provider, records, '2026-11-22'));
  assert.equal(json.includes('13812345678'), false);
  assert.equal(json.includes('王某'), false);
  assert.equal(json.includes('投诉'), false);
});

test('the disclosure does not show the risk class, an internal reference', () => {
  const json = JSON.stringify(presentDisclosure(provider, records, '2026-11-22'));
  assert.equal(/riskClass|score/.test(json), false);
});
