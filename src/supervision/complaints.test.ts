import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prepaidCardAlerts, presentComplaint, validateComplaint, type Complaint } from './complaints.js';
import { REAL_USCC } from './test-helpers.js';

function complaint(overrides: Partial<Complaint> = {}): Complaint {
  return {
    id: 'c1',
    accountId: 'acct-1',
    providerUscc: REAL_USCC.tencent,
    serviceType: 'fitness',
    regionCode: '510105009001',
    category: 'prepaid-card',
    text: '健身房突然关门，年卡余额3000元无法退还，联系13812345678无人接听',
    channel: 'mobile',
    createdAt: '2026-11-10T02:00:00Z',
    contactPhone: '13912345678',
    ...overrides,
  };
}

test('a complaint without a category or text is refused, naming both fields', () => {
  const problems = validateComplaint({ ...complaint(), category: 'rude' as never, text: '' });
  assert.deepEqual(problems.map((p) => p.field).sort(), ['category', 'text']);
});

test('the provider sees the complaint with every phone number masked', () => {
  const view = presentComplaint(complaint(), 'provider');
  assert.equal(view.contactPhone, '139****5678');
  assert.equal(view.text.includes('13812345678'), false);
});

test('three residents complaining about one prepaid-card operator within 30 days raise an alert', () => {
  const list = ['a', 'b', 'c'].map((acct, k) =>
    complaint({ id: `c${k}`, accountId: acct, createdAt: `2026-11-${10 + k}T02:00:00Z` }),
  );
  const alerts = prepaidCardAlerts(list, '2026-11-22T00:00:00Z');
  assert.deepEqual(
    alerts.map((a) => [a.providerUscc, a.residents]),
    [[REAL_USCC.tencent, 3]],
  );
});

test('three complaints by one resident, or older than 30 days, raise no alert', () => {
  const same = ['x', 'y', 'z'].map((id) => complaint({ id }));
  const old = ['a', 'b', 'c'].map((acct, k) =>
    complaint({ id: `o${k}`, accountId: acct, createdAt: '2026-09-01T02:00:00Z' }),
  );
  assert.deepEqual(prepaidCardAlerts([...same, ...old], '2026-11-22T00:00:00Z'), []);
});

test('prepaid-card complaints about outlets without a registered provider are warned about per outlet', () => {
  const list = ['a', 'b', 'c'].flatMap((acct, k) => [
    complaint({
      id: `n${k}`,
      accountId: acct,
      providerUscc: null,
      outletId: 'OUT-1',
      createdAt: `2026-11-1${k}T02:00:00Z`,
    }),
    complaint({ id: `m${k}`, accountId: acct, providerUscc: null, outletId: `OUT-${k + 2}` }),
  ]);
  const alerts = prepaidCardAlerts(list, '2026-11-22T00:00:00Z');
  assert.deepEqual(
    alerts.map((a) => [a.providerUscc, a.outletId, a.residents]),
    [[null, 'OUT-1', 3]],
  );
});
