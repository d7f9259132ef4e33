import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  applyCorrections,
  createAssignments,
  importPlan,
  measureFingerprint,
  type Correction,
} from '../plans/index.js';
import { openTemporaryStore } from './temporary.js';
import type { StoredPlan } from './plans-types.js';

const SEED = 'data/seeds/001_6d4fe630431b83bc.txt';

async function withPlan() {
  const tmp = await openTemporaryStore();
  const raw = await importPlan(readFileSync(SEED), '001.txt');
  const stored: StoredPlan = {
    id: 'plan-1',
    title: raw.metadata.planTitle ?? '西青',
    fileName: '001.txt',
    format: raw.source.format,
    sha256: raw.source.sha256,
    importedAt: '2026-11-22T08:00:00.000Z',
    importedBy: 'fgw',
    raw,
  };
  await tmp.store.plans.createPlan(stored);
  return { ...tmp, raw, stored };
}

test('a plan round-trips with its raw extraction and source text; the sha256 is unique', async () => {
  const { store, raw, stored, dispose } = await withPlan();
  const back = await store.plans.getPlan('plan-1');
  assert.deepEqual(back?.raw, raw);
  assert.equal(back?.raw.text.slice(raw.measures[0].span[0], raw.measures[0].span[1]), raw.measures[0].text);
  assert.equal((await store.plans.findPlanBySha256(raw.source.sha256))?.id, 'plan-1');
  assert.equal((await store.plans.listPlans())[0].title, stored.title);
  await assert.rejects(store.plans.createPlan({ ...stored, id: 'plan-2' }), { code: 'LC_CONFLICT' });
  assert.equal(await store.plans.getPlan('nope'), null);
  await dispose();
});

test('corrections are stored apart and come back oldest first; the raw extraction is untouched', async () => {
  const { store, raw, dispose } = await withPlan();
  const m = raw.measures[0];
  const later: Correction = {
    id: 'c2',
    author: 'fgw',
    at: '2026-11-22T10:00:00.000Z',
    op: 'set-measure',
    measureId: m.id,
    expect: measureFingerprint(m),
    title: '改后的标题',
  };
  const earlier: Correction = {
    id: 'c1',
    author: 'minzheng',
    at: '2026-11-22T09:00:00.000Z',
    op: 'add-unit',
    measureId: m.id,
    measureExpect: measureFingerprint(m),
    name: '区体育局',
    role: 'co',
  };
  await store.plans.addCorrection('plan-1', later);
  await store.plans.addCorrection('plan-1', earlier);
  const list = await store.plans.corrections('plan-1');
  assert.deepEqual(
    list.map((c) => c.id),
    ['c1', 'c2'],
  );
  const applied = applyCorrections((await store.plans.getPlan('plan-1'))!.raw, list);
  assert.equal(applied.conflicts.length, 0);
  assert.equal(applied.plan.measures[0].title, '改后的标题');
  assert.equal((await store.plans.getPlan('plan-1'))?.raw.measures[0].title, m.title);
  assert.equal((await store.plans.listPlans())[0].corrections, 2);
  await dispose();
});

test('assignments, reports with evidence metadata and reviews persist as the tracking domain shapes them', async () => {
  const { store, raw, dispose } = await withPlan();
  const { assignments } = createAssignments(raw, 'plan-1', { startDate: '2022-03-01' });
  assert.equal(await store.plans.addAssignments(assignments, 'fgw'), assignments.length);
  assert.equal(
    await store.plans.addAssignments(assignments, 'fgw'),
    0,
    'the same assignments are not doubled',
  );
  assert.deepEqual(await store.plans.assignments({ planId: 'plan-1' }), assignments);
  const a = assignments[0];
  assert.deepEqual(await store.plans.getAssignment(a.id), a);
  const own = await store.plans.assignments({ departmentKeys: [a.departmentKey] });
  assert.ok(own.length > 0 && own.every((x) => x.departmentKey === a.departmentKey));

  const id1 = await store.plans.nextReportId();
  const report = {
    id: id1,
    assignmentId: a.id,
    departmentKey: a.departmentKey,
    submittedAt: '2022-06-30',
    status: 'completed' as const,
    value: 6,
    narrative: '新建养老服务设施6处',
    evidence: [
      { fileName: '验收.pdf', mediaType: 'application/pdf', bytes: 20480, sha256: 'b'.repeat(64) },
      { fileName: '照片.jpg', mediaType: 'image/jpeg', bytes: 1024, sha256: 'c'.repeat(64) },
    ],
    review: null,
  };
  await store.plans.addReport(report, 'minzheng');
  const id2 = await store.plans.nextReportId();
  assert.ok(id2 > id1, 'report ids increase, so reports of one day keep their order');
  assert.deepEqual(await store.plans.getReport(id1), report);
  const review = {
    decision: 'returned' as const,
    reviewer: 'fgw',
    reviewedAt: '2022-07-02',
    comment: '请补充',
  };
  assert.equal(await store.plans.addReview(id1, review), true);
  assert.equal(await store.plans.addReview(id1, { ...review, decision: 'accepted' }), false);
  assert.deepEqual((await store.plans.reports({ assignmentId: a.id }))[0].review, review);
  assert.equal((await store.plans.reports({ planId: 'other' })).length, 0);
  await dispose();
});

test('a plan, its tracking and a failing write roll back together inside a transaction', async () => {
  const { store, raw, dispose } = await withPlan();
  const { assignments } = createAssignments(raw, 'plan-1', { startDate: '2022-03-01' });
  await assert.rejects(
    store.transaction(async (tx) => {
      await tx.plans.addAssignments(assignments, 'fgw');
      throw new Error('boom');
    }),
    /boom/,
  );
  assert.equal((await store.plans.assignments()).length, 0);
  await dispose();
});
