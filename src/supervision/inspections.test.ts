import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { isLifeCircleError } from '../errors.js';
import { parseCandidates, parseInspectors } from './inspection-input.js';
import { DEFAULT_SAMPLING_RATIOS, EXAMPLE_LOCAL_SAMPLING_RULE } from './rules.js';
import {
  DEFAULT_DRAW_CONFIG,
  drawInspections,
  inspectionResultToCreditRecord,
  lastInspectorsByProvider,
  orderByKey,
  stratumCount,
  type Candidate,
  type Inspector,
} from './inspections.js';
import { classifyProvider } from './credit.js';

const SEED = '2026-11-22 双色球 2026135';
const dir = new URL('../../../src/supervision/fixtures/', import.meta.url);
const candidatesFile = 'draw-candidates.synthetic.csv';
function candidates(): Candidate[] {
  return parseCandidates(readFileSync(new URL(candidatesFile, dir), 'utf8'), candidatesFile);
}
function inspectors(): Inspector[] {
  const f = 'draw-inspectors.synthetic.csv';
  return parseInspectors(readFileSync(new URL(f, dir), 'utf8'), f);
}

test('the draw key is SHA-256 of the documented string, so anyone can check it with sha256sum', () => {
  // printf 'lifecircle-draw-v1\n%s\n%s' '2026-11-22 双色球 2026135' SYN510104000000001 | sha256sum
  const draw = drawInspections({
    seed: SEED,
    candidates: candidates(),
    config: { ...DEFAULT_DRAW_CONFIG, ratios: { A: 1, B: 0, C: 0, D: 0 }, ranges: null },
  });
  const t = draw.targets.find((x) => x.uscc === 'SYN510104000000001');
  assert.equal(t?.drawKey, 'e0d1f6ab78f281c0df25a50ea94779206780bd70fb51430ee20e003125be3740');
});

test('the same seed and list give the same draw, whatever the order of the list', () => {
  const list = candidates();
  const a = drawInspections({ seed: SEED, candidates: list, inspectors: inspectors() });
  const b = drawInspections({
    seed: SEED,
    candidates: [...list].reverse(),
    inspectors: [...inspectors()].reverse(),
  });
  assert.deepEqual(b, a);
});

test('another seed draws other targets', () => {
  const a = drawInspections({ seed: SEED, candidates: candidates() }).targets.map((t) => t.uscc);
  const b = drawInspections({ seed: `${SEED}x`, candidates: candidates() }).targets.map((t) => t.uscc);
  assert.notDeepEqual(b, a);
});

test('the national default draws 3, 5, 20 and 50 % of the classes, with no range to be within', () => {
  const draw = drawInspections({ seed: SEED, candidates: candidates() });
  assert.deepEqual(
    draw.strata.map((s) => [s.riskClass, s.candidates, s.drawn, s.withinLocalRule]),
    [
      ['A', 40, 1, null], // 40 × 3 % = 1.2 → 1
      ['B', 100, 5, null],
      ['C', 40, 8, null],
      ['D', 20, 10, null],
    ],
  );
});

test('a city adopting the 大庆/林甸 example draws each class at the upper bound of its range, within it', () => {
  const { ratios, ranges } = EXAMPLE_LOCAL_SAMPLING_RULE.value;
  const draw = drawInspections({
    seed: SEED,
    candidates: candidates(),
    config: { ...DEFAULT_DRAW_CONFIG, ratios, ranges },
  });
  assert.deepEqual(
    draw.strata.map((s) => [s.riskClass, s.candidates, s.drawn, s.withinLocalRule]),
    [
      ['A', 40, 2, true],
      ['B', 100, 20, true],
      ['C', 40, 24, true],
      ['D', 20, 20, true],
    ],
  );
});

test('rounding never takes a small A stratum above its 5 % ceiling', () => {
  assert.equal(stratumCount(10, 0.05, 'nearest', { min: 0, max: 0.05 }), 0);
  assert.equal(stratumCount(10, 0.05, 'nearest', null), 1);
});

test('a ratio below a class range is raised to the range minimum when the range applies', () => {
  assert.equal(stratumCount(100, 0.1, 'nearest', { min: 0.21, max: 0.6 }), 21);
});

test('every drawn target gets two inspectors who cover its region', () => {
  const draw = drawInspections({ seed: SEED, candidates: candidates(), inspectors: inspectors() });
  const regions = new Map(inspectors().map((i) => [i.id, i.regionCodes]));
  assert.equal(draw.unassigned.length, 0);
  for (const t of draw.targets) {
    assert.equal(t.inspectorIds?.length, 2);
    for (const id of t.inspectorIds ?? [])
      assert.ok(
        regions.get(id)?.some((r) => t.regionCode.startsWith(r)),
        `${id} does not cover ${t.regionCode}`,
      );
  }
});

test('an inspector never inspects a provider of declared conflict of interest', () => {
  const draw = drawInspections({
    seed: SEED,
    candidates: candidates(),
    inspectors: inspectors(),
    config: { ...DEFAULT_DRAW_CONFIG, ratios: { A: 1, B: 1, C: 1, D: 1 }, ranges: null },
  });
  const t = draw.targets.find((x) => x.uscc === 'SYN510104000000001');
  assert.equal(t?.inspectorIds?.includes('insp-01'), false);
});

test('no inspector inspects the same provider twice in a row', () => {
  const list = candidates();
  const draw = drawInspections({
    seed: SEED,
    candidates: list,
    inspectors: inspectors(),
    config: { ...DEFAULT_DRAW_CONFIG, ratios: { A: 1, B: 1, C: 1, D: 1 }, ranges: null },
  });
  const last = new Map(list.map((c) => [c.uscc, c.lastInspectorIds]));
  for (const t of draw.targets)
    for (const id of t.inspectorIds ?? []) assert.equal(last.get(t.uscc)?.includes(id), false);
});

test('a target without enough eligible inspectors is reported with the reason, not dropped', () => {
  const only: Inspector[] = [{ id: 'solo', regionCodes: ['510104'], conflictUscc: [] }];
  const draw = drawInspections({ seed: SEED, candidates: candidates(), inspectors: only });
  assert.equal(draw.unassigned.length, draw.targets.length);
  assert.match(draw.unassigned[0].reason, /needs 2 inspectors, [01] eligible/);
});

test('assignments are spread evenly over the eligible inspectors', () => {
  const team: Inspector[] = ['a', 'b', 'c', 'd', 'e'].map((id) => ({
    id,
    regionCodes: ['5101'],
    conflictUscc: [],
  }));
  const list = candidates()
    .slice(0, 10)
    .map((c) => ({ ...c, riskClass: 'D' as const, lastInspectorIds: [] }));
  // Every D provider drawn: 10 targets × 2 inspectors over 5 inspectors.
  const draw = drawInspections({
    seed: SEED,
    candidates: list,
    inspectors: team,
    config: { ...DEFAULT_DRAW_CONFIG, ratios: { A: 1, B: 1, C: 1, D: 1 } },
  });
  const load = new Map<string, number>();
  for (const t of draw.targets) for (const id of t.inspectorIds ?? []) load.set(id, (load.get(id) ?? 0) + 1);
  assert.deepEqual([...load.values()], [4, 4, 4, 4, 4]);
});

test('a provider listed twice is refused', () => {
  const list = candidates();
  assert.throws(
    () => drawInspections({ seed: SEED, candidates: [...list, list[0]] }),
    (e: unknown) => isLifeCircleError(e) && e.code === 'LC_INSPECTION_INPUT',
  );
});

test('a bad CSV row names the file, the line and the field', () => {
  const csv =
    'uscc,riskClass,regionCode\nSYN510104000000001,A,510104017001\nSYN510104000000002,E,510104017002\n';
  assert.throws(
    () => parseCandidates(csv, 'candidates.csv'),
    (e: unknown) =>
      isLifeCircleError(e) &&
      e.message === "candidates.csv line 3, field riskClass: expected A, B, C or D, got 'E'",
  );
});

test('a bad JSON item names the item and the field', () => {
  const json = JSON.stringify([{ uscc: 'SYN510104000000001', riskClass: 'B', regionCode: '5101' }]);
  assert.throws(
    () => parseCandidates(json, 'candidates.json'),
    (e: unknown) => isLifeCircleError(e) && /candidates\.json item 1, field regionCode/.test(e.message),
  );
});

test('a CSV without a required column says which', () => {
  assert.throws(
    () => parseInspectors('id,conflictUscc\ninsp-1,\n', 'inspectors.csv'),
    (e: unknown) => isLifeCircleError(e) && /line 1: missing column regionCodes/.test(e.message),
  );
});

test('an inspection result becomes a credit record that counts in the provider class', () => {
  const record = inspectionResultToCreditRecord({
    drawId: '2026-第3批',
    uscc: 'SYN510104000000001',
    inspectedOn: '2026-11-20',
    inspectorIds: ['insp-02', 'insp-03'],
    outcome: 'non-compliant',
    findings: '预付卡未备案',
    authority: '锦江区市场监督管理局',
  });
  const c = classifyProvider('SYN510104000000001', [record], '2026-11-22');
  assert.equal(c.drivers[0].recordId, record.id);
  assert.ok(c.score < 100);
});

test('the latest inspection of each provider gives the inspectors to exclude next time', () => {
  const base = { drawId: 'd', outcome: 'compliant' as const, findings: '', authority: 'x' };
  const last = lastInspectorsByProvider([
    { ...base, uscc: 'P', inspectedOn: '2025-05-01', inspectorIds: ['old'] },
    { ...base, uscc: 'P', inspectedOn: '2026-05-01', inspectorIds: ['new'] },
  ]);
  assert.deepEqual(last.get('P'), ['new']);
});

test('the fast key order equals a plain string sort, also for keys sharing their leading digits', () => {
  const keys = ['ffff000001', 'ffff000000', '0000000009', 'abcdef0123', '0000000008', 'abcdef0122'].map((k) =>
    k.padEnd(64, '0'),
  );
  // By hand: 0…08 (#4), 0…09 (#2), abcdef0122 (#5), abcdef0123 (#3), ffff000000 (#1), ffff000001 (#0).
  assert.deepEqual(orderByKey(keys), [4, 2, 5, 3, 1, 0]);
});

test('a CSV with a BOM, quoted names and ;-separated lists reads like its JSON twin', () => {
  const csv =
    '\uFEFFuscc,name,riskClass,regionCode,lastInspectorIds\n' +
    'SYN510104000000001,"锦江区某某养老服务中心, 水井坊店",C,510104017001,insp-01;insp-02\n';
  const json = JSON.stringify([
    {
      uscc: 'SYN510104000000001',
      name: '锦江区某某养老服务中心, 水井坊店',
      riskClass: 'C',
      regionCode: '510104017001',
      lastInspectorIds: ['insp-01', 'insp-02'],
    },
  ]);
  assert.deepEqual(parseCandidates(csv, 'c.csv'), parseCandidates(json, 'c.json'));
});

test('an inspector without any region is refused, naming the line', () => {
  assert.throws(
    () => parseInspectors('id,regionCodes\ninsp-1,510104\ninsp-2,\n', 'inspectors.csv'),
    (e: unknown) =>
      isLifeCircleError(e) &&
      /inspectors\.csv line 3, field regionCodes: expected at least one/.test(e.message),
  );
});

test('the 大庆/林甸 rule of reference/standards.md §7 is an example, labelled local; the default is our own, labelled so', () => {
  // "A: ratio ≤5 %… B: 5–20 %… C: 21–60 %… D: 61–100 %" (credit.daqing.gov.cn, ⚠️ local rule); ratios = upper bounds.
  assert.deepEqual(EXAMPLE_LOCAL_SAMPLING_RULE.value.ranges, {
    A: { min: 0, max: 0.05 },
    B: { min: 0.05, max: 0.2 },
    C: { min: 0.21, max: 0.6 },
    D: { min: 0.61, max: 1 },
  });
  assert.deepEqual(EXAMPLE_LOCAL_SAMPLING_RULE.value.ratios, { A: 0.05, B: 0.2, C: 0.6, D: 1 });
  assert.equal(EXAMPLE_LOCAL_SAMPLING_RULE.source.status, 'local');
  // No national figures exist: LifeCircle's defaults follow the principle (A < B < C < D) and say they are ours.
  assert.deepEqual(DEFAULT_SAMPLING_RATIOS.value, { A: 0.03, B: 0.05, C: 0.2, D: 0.5 });
  assert.equal(DEFAULT_SAMPLING_RATIOS.source.status, 'project-default');
  assert.equal(DEFAULT_DRAW_CONFIG.ranges, null, 'no other city’s range is applied by default');
});
