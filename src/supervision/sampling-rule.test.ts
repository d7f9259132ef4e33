import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openCityTemporaryStore } from '../cities/index.js';
import { LifeCircleError } from '../errors.js';
import { cliViewer, type Viewer } from '../policy/index.js';
import { manualClock } from '../time/index.js';
import { EXAMPLE_LOCAL_SAMPLING_RULE, drawConfigOf, samplingRuleOf, setSamplingRule } from './index.js';

const clock = manualClock('2026-12-06T10:00:00+08:00');
const ADMIN = cliViewer('test');
/** Staff of a 区 market regulator: may draw there, may not set the city's rule. */
const DISTRICT_STAFF: Viewer = { ...ADMIN, username: 'jinjiang', role: 'staff', regionCode: '510104' };
const CITY_STAFF: Viewer = { ...ADMIN, username: 'city-amr', role: 'staff', regionCode: '5101' };
const INSPECTOR: Viewer = { ...ADMIN, username: 'inspector', role: 'inspector' };

const DOCUMENT = '成都市市场监管局 双随机抽查比例（合成测试文件，非真实文件）';
const config = (code: string, message: RegExp) => (e: unknown) =>
  e instanceof LifeCircleError && e.code === code && message.test(e.message);

test("a city draws by LifeCircle's national default until it adopts its own rule, which names its document", async () => {
  const tmp = await openCityTemporaryStore({ clock });
  try {
    const deps = { store: tmp.store, clock, cityCode: '5101' };
    const before = await samplingRuleOf(tmp.store, '5101');
    assert.equal(before.adopted, false);
    assert.equal(before.source.status, 'project-default');
    assert.equal(drawConfigOf(before).ranges, null);

    await assert.rejects(setSamplingRule(deps, INSPECTOR, { reset: true }), config('LC_FORBIDDEN', /./));
    const { ratios, ranges } = EXAMPLE_LOCAL_SAMPLING_RULE.value;
    await assert.rejects(
      setSamplingRule(deps, DISTRICT_STAFF, { ratios, ranges, document: DOCUMENT }),
      config('LC_FORBIDDEN', /acts in region 510104; the sampling rule of city 5101/),
    );
    const adopted = await setSamplingRule(deps, CITY_STAFF, { ratios, ranges, document: DOCUMENT });
    assert.equal(adopted.adopted, true);
    assert.deepEqual([adopted.ratios, adopted.ranges], [ratios, ranges]);
    assert.deepEqual([adopted.source.document, adopted.source.status], [DOCUMENT, 'local']);
    assert.equal(adopted.updatedBy, 'city-amr');
    assert.deepEqual(drawConfigOf(adopted).sources.ratios, adopted.source);
    const audit = await tmp.store.audit.list({ entity: 'city_rules' });
    assert.deepEqual(
      audit.items.map((e) => [e.action, e.entityKey, e.actorName]),
      [['create', '5101/inspections.sampling', 'city-amr']],
    );
    // Another city of the store keeps the national default.
    assert.equal((await samplingRuleOf(tmp.store, '1201')).adopted, false);

    const reset = await setSamplingRule(deps, ADMIN, { reset: true });
    assert.equal(reset.adopted, false);
    assert.equal((await tmp.store.audit.list({ entity: 'city_rules' })).items[0]?.action, 'delete');
  } finally {
    await tmp.dispose();
  }
});

test('a rule is refused, naming the field, when a riskier class is drawn less, a ratio leaves its own range, or no document is named', async () => {
  const tmp = await openCityTemporaryStore({ clock });
  try {
    const deps = { store: tmp.store, clock, cityCode: '5101' };
    const ratios = { A: 0.05, B: 0.1, C: 0.3, D: 0.6 };
    await assert.rejects(
      setSamplingRule(deps, ADMIN, { ratios: { ...ratios, C: 0.08 }, document: DOCUMENT }),
      config('LC_SUPERVISION_CONFIG', /^ratios\.C: 0\.08 is below class B's 0\.1; .*A ≤ B ≤ C ≤ D/),
    );
    await assert.rejects(
      setSamplingRule(deps, ADMIN, {
        ratios,
        ranges: { ...EXAMPLE_LOCAL_SAMPLING_RULE.value.ranges },
        document: DOCUMENT,
      }),
      // 30 % for C lies inside 21–60 %, but 60 % for D lies outside 61–100 %.
      config('LC_SUPERVISION_CONFIG', /^ratios\.D: 0\.6 lies outside the rule's own range 0\.61–1/),
    );
    await assert.rejects(
      setSamplingRule(deps, ADMIN, { ratios, document: '  ' }),
      config('LC_SUPERVISION_CONFIG', /^document: name the document the rule comes from/),
    );
    await assert.rejects(
      setSamplingRule(deps, ADMIN, { ratios: { ...ratios, A: 1.5 }, document: DOCUMENT }),
      config('LC_SUPERVISION_CONFIG', /^ratios\.A: expected a ratio from 0 to 1, got 1\.5/),
    );
    assert.equal((await tmp.store.audit.list({ entity: 'city_rules' })).total, 0, 'nothing written');
  } finally {
    await tmp.dispose();
  }
});
