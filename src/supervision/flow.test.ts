// End-to-end flows through the public entry only, as the platform will call them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_DRAW_CONFIG,
  acceptRating,
  aggregate,
  applyCertificationAction,
  applyForCertification,
  classifyProvider,
  detectAbuse,
  drawInspections,
  holdFlagged,
  inspectionResultToCreditRecord,
  openCase,
  priorFrom,
  recomputeClasses,
  revocationsDue,
  runCase,
  type Actor,
  type Candidate,
  type CreditRecord,
  type Rating,
} from './index.js';
import { REAL_USCC, loadCommunities } from './test-helpers.js';

const P = REAL_USCC.tencent;
const dept: Actor = { role: 'department', id: 'qingyang-commerce' };
const provider: Actor = { role: 'provider', id: P };

test('a 差评 opens a case; an upheld appeal invalidates it and the outlet satisfaction recovers', () => {
  const region = loadCommunities().find((c) => c.areaCode === '510105')?.code ?? '';
  const taken = new Map<string, string>();
  const ratings: Rating[] = [];
  const base = {
    outletId: 'o-caotang-care',
    providerUscc: P,
    serviceType: 'elderly-care',
    regionCode: region,
    tags: [],
    channel: 'mobile' as const,
  };
  for (let k = 0; k < 9; k += 1) {
    const r = acceptRating(
      {
        ...base,
        id: `g${k}`,
        accountId: `a${k}`,
        level: 'satisfied',
        text: '',
        createdAt: `2026-10-0${k + 1}T02:00:00Z`,
      },
      taken,
    );
    assert.ok(r.ok);
    ratings.push(r.rating);
  }
  const bad = acceptRating(
    {
      ...base,
      id: 'bad',
      accountId: 'rival',
      level: 'very_dissatisfied',
      text: '很差',
      createdAt: '2026-10-10T02:00:00Z',
    },
    taken,
  );
  assert.ok(bad.ok && bad.opensCase);
  ratings.push(bad.rating);
  assert.equal(aggregate('o', ratings, priorFrom(ratings)).satisfactionRate, 0.9);

  const c = openCase({
    id: 'case-9',
    origin: { kind: 'rating', ratingId: 'bad' },
    outletId: base.outletId,
    providerUscc: P,
    departmentId: dept.id,
    openedAt: '2026-10-10T02:00:00Z',
    actor: { role: 'system', id: 'intake' },
  });
  const result = runCase(c, [
    { action: { type: 'assign' }, actor: dept, at: '2026-10-10T03:00:00Z' },
    {
      action: { type: 'appeal', ground: 'malicious', note: '同行恶意差评' },
      actor: provider,
      at: '2026-10-12T02:00:00Z',
    },
    {
      action: { type: 'review', decision: 'upheld', note: '核实为恶意差评' },
      actor: dept,
      at: '2026-10-14T02:00:00Z',
    },
  ]);
  assert.ok(result.ok && result.case.outcome === 'rating-invalidated');
  const after = ratings.map((r) => (r.id === 'bad' ? { ...r, status: 'invalidated' as const } : r));
  assert.equal(aggregate('o', after, priorFrom(after)).satisfactionRate, 1);
});

test('a campaign is held, not deleted, and leaves the aggregates', () => {
  const ratings: Rating[] = Array.from({ length: 7 }, (_, k) => ({
    id: `spam${k}`,
    accountId: 'spam-account',
    outletId: `o${k}`,
    providerUscc: P,
    serviceType: 'canteen',
    regionCode: '510105002001',
    level: 'very_satisfied',
    tags: [],
    text: '',
    channel: 'web',
    createdAt: `2026-10-01T0${k}:00:00Z`,
    status: 'published',
  }));
  const held = holdFlagged(ratings, detectAbuse(ratings, new Map()));
  assert.equal(held.length, 7);
  assert.equal(aggregate('x', held, priorFrom(held)).count, 0);
});

test('a failed drawn inspection becomes a credit record, lowers the class and makes the 普惠 revocation due', () => {
  const candidates: Candidate[] = [
    { uscc: P, riskClass: 'B', regionCode: '510105002001', lastInspectorIds: [] },
  ];
  const draw = drawInspections({
    seed: '2026-10-01',
    candidates,
    inspectors: [
      { id: 'i1', regionCodes: ['510105'], conflictUscc: [] },
      { id: 'i2', regionCodes: ['510105'], conflictUscc: [] },
    ],
    config: { ...DEFAULT_DRAW_CONFIG, ratios: { A: 1, B: 1, C: 1, D: 1 }, ranges: null },
  });
  // Exactly two inspectors cover the region and the team is two: both go.
  assert.deepEqual([...(draw.targets[0].inspectorIds ?? [])].sort(), ['i1', 'i2']);

  const applied = applyForCertification({
    id: 'cert',
    outletId: 'o',
    providerUscc: P,
    serviceType: 'canteen',
    commitment: { text: '普惠价格承诺', signedOn: '2026-09-01', signatoryRole: '法定代表人' },
    on: '2026-09-01',
  });
  assert.ok(applied.ok);
  const reviewing = applyCertificationAction(
    applied.certification,
    { type: 'start-review' },
    dept,
    '2026-09-02',
  );
  assert.ok(reviewing.ok);
  const certified = applyCertificationAction(
    reviewing.certification,
    { type: 'decide', approve: true, note: '', credit: classifyProvider(P, [], '2026-09-05') },
    dept,
    '2026-09-05',
  );
  assert.ok(certified.ok);

  const records: CreditRecord[] = [
    inspectionResultToCreditRecord({
      drawId: '2026-10',
      uscc: P,
      inspectedOn: '2026-10-20',
      inspectorIds: draw.targets[0].inspectorIds ?? [],
      outcome: 'non-compliant',
      findings: '食品留样缺失',
      authority: '青羊区市场监督管理局',
    }),
    {
      id: 'pen',
      uscc: P,
      kind: 'penalty',
      severity: 'serious',
      title: '食品安全严重违法',
      source: { authority: '青羊区市场监督管理局' },
      date: '2026-10-25',
    },
  ];
  const before = new Map([[P, classifyProvider(P, [], '2026-10-01')]]);
  const { changes } = recomputeClasses(before, records, [P], '2026-11-01');
  assert.deepEqual(
    changes.map((x) => [x.from, x.to]),
    [['B', 'D']],
  );
  assert.deepEqual(
    revocationsDue([certified.certification], records, '2026-11-01').map((d) => d.recordIds),
    [['pen']],
  );
});
