import { openCityTemporaryStore } from '../cities/index.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LifeCircleError } from '../errors.js';
import { cliViewer, type Viewer } from '../policy/index.js';
import { manualClock } from '../time/index.js';
import { drawInspectionTargets, publishDraw, recordCredit } from './index.js';

/**
 * The supervision commands without the API: the command line (or a job) calls the same command the route does, so
 * the scope rule, the transaction and the audit record are the same whoever calls.
 */
const HUAWEI = '914403001922038216'; // real vector from reference/uscc_vectors.json
const clock = manualClock('2026-06-15T09:30:00+08:00');

/** A department account of the health domain in a region (created in the store by `withStore`). */
const staff = (regionCode: string): Viewer => ({
  id: regionCode === '510104' ? 1 : 2,
  username: regionCode === '510104' ? 'jinjiang' : 'qingyang',
  displayName: regionCode,
  role: 'staff',
  department: `${regionCode} 卫健局`,
  domains: ['health'],
  regionCode,
  providerUscc: null,
});

async function withStore(run: (deps: Parameters<typeof recordCredit>[0]) => Promise<void>): Promise<void> {
  const { store, dispose } = await openCityTemporaryStore({ clock });
  try {
    await store.providers.upsert({
      uscc: HUAWEI,
      name: '华为技术有限公司',
      regionCode: '510104',
      domains: ['health'],
      contactName: null,
      contactPhone: null,
    });
    for (const regionCode of ['510104', '510105']) {
      const { id, ...account } = staff(regionCode);
      const created = await store.users.create({ ...account, disabled: false, passwordHash: 'x' });
      assert.equal(created.id, id);
    }
    await run({ store, clock, cityCode: '5101' });
  } finally {
    await dispose();
  }
}

test('a credit record entered from the command line is audited as cli:<user> and recomputes the class', () =>
  withStore(async (deps) => {
    const out = await recordCredit(deps, cliViewer('tester'), {
      uscc: HUAWEI,
      kind: 'penalty',
      title: '超范围经营',
      authority: '锦江区市场监督管理局',
      date: '2026-06-01',
      severity: 'serious',
    });
    assert.equal(out.asOf, '2026-06-15');
    assert.equal(out.previousClass, 'B');
    assert.equal(out.classification.riskClass, 'D');
    const audit = (await deps.store.audit.list({})).items;
    assert.deepEqual(audit.map((e) => [e.actorId, e.actorName, e.entity, e.entityKey]).sort(), [
      [null, 'cli:tester', 'credit_classes', HUAWEI],
      [null, 'cli:tester', 'credit_records', out.record.id],
    ]);
  }));

test('staff outside the provider’s region are refused by the one scope rule, naming both regions; nothing is written', () =>
  withStore(async (deps) => {
    await assert.rejects(
      recordCredit(deps, staff('510105'), {
        uscc: HUAWEI,
        kind: 'penalty',
        title: '超范围经营',
        authority: '青羊区市场监督管理局',
        date: '2026-06-01',
        severity: 'minor',
      }),
      (e: unknown) =>
        e instanceof LifeCircleError &&
        e.code === 'LC_FORBIDDEN' &&
        /region 510105/.test(e.message) &&
        /provider 914403001922038216 is in 510104/.test(e.message),
    );
    assert.equal((await deps.store.credit.listRecords(HUAWEI)).length, 0);
    assert.equal((await deps.store.audit.list({})).total, 0);
  }));

test('a department draws and publishes only inside its own region', () =>
  withStore(async (deps) => {
    await assert.rejects(
      drawInspectionTargets(deps, staff('510105'), { regionCode: '510104', seed: 's' }),
      (e: unknown) => e instanceof LifeCircleError && e.code === 'LC_FORBIDDEN' && /510105/.test(e.message),
    );
    const { draw } = await drawInspectionTargets(deps, staff('510104'), {
      seed: 's',
      assignInspectors: false,
    });
    assert.equal(draw.scope.regionCode, '510104');
    await assert.rejects(
      publishDraw(deps, staff('510105'), { id: draw.id }),
      (e: unknown) => e instanceof LifeCircleError && e.code === 'LC_FORBIDDEN',
    );
    const published = await publishDraw(deps, staff('510104'), { id: draw.id });
    assert.equal(published.published, true);
    // Publishing twice changes nothing and records nothing more.
    await publishDraw(deps, staff('510104'), { id: draw.id });
    const audit = (await deps.store.audit.list({})).items.filter((e) => e.entity === 'inspection_draws');
    assert.deepEqual(audit.map((e) => [e.action, e.actorName]).sort(), [
      ['create', 'jinjiang'],
      ['update', 'jinjiang'],
    ]);
  }));
