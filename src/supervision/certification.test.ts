import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  applyCertificationAction,
  applyForCertification,
  certificationStatus,
  presentBadge,
  revocationsDue,
  type Certification,
} from './certification.js';
import { classifyProvider, type CreditRecord } from './credit.js';
import { REAL_USCC } from './test-helpers.js';

const P = REAL_USCC.huawei;
const dept = { role: 'department' as const, id: 'jinjiang-commerce' };
const provider = { role: 'provider' as const, id: P };

function applied(): Certification {
  const r = applyForCertification({
    id: 'cert-1',
    outletId: 'outlet-shuijingfang-canteen',
    providerUscc: P,
    serviceType: 'canteen',
    commitment: {
      text: '老年助餐价格不高于同类市场价80%；预收费用存管；依法诚信经营',
      signedOn: '2026-03-01',
      signatoryRole: '法定代表人',
    },
    on: '2026-03-01',
  });
  if (!r.ok) assert.fail(r.message);
  return r.certification;
}

function step(
  c: Certification,
  ...args: Parameters<typeof applyCertificationAction> extends [unknown, ...infer R] ? R : never
): Certification {
  const r = applyCertificationAction(c, ...args);
  if (!r.ok) assert.fail(r.message);
  return r.certification;
}

function certified(records: CreditRecord[] = []): Certification {
  const reviewing = step(applied(), { type: 'start-review' }, dept, '2026-03-05');
  return step(
    reviewing,
    { type: 'decide', approve: true, note: '材料齐全', credit: classifyProvider(P, records, '2026-03-20') },
    dept,
    '2026-03-20',
  );
}

test('an application without a credit commitment is refused', () => {
  const r = applyForCertification({
    id: 'c',
    outletId: 'o',
    providerUscc: P,
    serviceType: 'canteen',
    commitment: { text: ' ', signedOn: '2026-03-01', signatoryRole: '法定代表人' },
    on: '2026-03-01',
  });
  assert.equal(r.ok, false);
});

test('an approved outlet is certified for two years and shows the public badge', () => {
  const c = certified();
  assert.equal(c.state, 'certified');
  assert.equal(c.expiresOn, '2028-03-19');
  assert.equal(presentBadge(c, '2026-11-22')?.label, '普惠网点');
});

test('a certification past its expiry reads as expired and loses its badge', () => {
  const c = certified();
  assert.equal(certificationStatus(c, '2028-03-20'), 'expired');
  assert.equal(presentBadge(c, '2028-03-20'), null);
});

test('a provider of risk class D cannot be certified; the refusal names the class', () => {
  const serious: CreditRecord = {
    id: 'pen',
    uscc: P,
    kind: 'penalty',
    severity: 'serious',
    title: '预付卡经营者停业卷款',
    source: { authority: '锦江区市场监督管理局' },
    date: '2026-01-10',
  };
  const reviewing = step(applied(), { type: 'start-review' }, dept, '2026-03-05');
  const r = applyCertificationAction(
    reviewing,
    { type: 'decide', approve: true, note: '', credit: classifyProvider(P, [serious], '2026-03-20') },
    dept,
    '2026-03-20',
  );
  assert.equal(r.ok, false);
  assert.match(r.ok ? '' : r.message, /risk class D/);
});

test('a provider cannot certify itself', () => {
  const r = applyCertificationAction(applied(), { type: 'start-review' }, provider, '2026-03-05');
  assert.equal(r.ok, false);
});

test('a serious penalty after certification makes revocation due, naming the record', () => {
  const c = certified();
  const penalty: CreditRecord = {
    id: 'pen-2',
    uscc: P,
    kind: 'penalty',
    severity: 'serious',
    title: '食品安全严重违法',
    source: { authority: '锦江区市场监督管理局' },
    date: '2026-09-01',
  };
  const due = revocationsDue([c], [penalty], '2026-11-22');
  assert.deepEqual(
    due.map((d) => [d.certificationId, d.recordIds]),
    [['cert-1', ['pen-2']]],
  );
  const revoked = step(
    c,
    { type: 'revoke', reason: due[0].reason },
    { role: 'system', id: 'credit' },
    '2026-11-22',
  );
  assert.equal(presentBadge(revoked, '2026-11-22'), null);
});

test('a minor penalty does not make revocation due', () => {
  const minor: CreditRecord = {
    id: 'pen-3',
    uscc: P,
    kind: 'penalty',
    severity: 'minor',
    title: '未明码标价',
    source: { authority: '锦江区市场监督管理局' },
    date: '2026-09-01',
  };
  assert.deepEqual(revocationsDue([certified()], [minor], '2026-11-22'), []);
});
