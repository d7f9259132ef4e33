import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analysisJob, importJob, phasePercent } from './index.js';

const PHASES: readonly [string, number][] = [
  ['reading', 5],
  ['checking', 35],
  ['writing', 60],
];

test('percent done adds the phases before to the reported share of the current one', () => {
  assert.equal(phasePercent(PHASES, { phase: 'reading', done: 0, total: 1 }), 0);
  assert.equal(phasePercent(PHASES, { phase: 'checking', done: 500, total: 1000 }), 23);
  assert.equal(phasePercent(PHASES, { phase: 'writing', done: 1000, total: 1000 }), 100);
  // A count past its total, or a phase with no total yet, never overshoots its share.
  assert.equal(phasePercent(PHASES, { phase: 'checking', done: 2000, total: 1000 }), 40);
  assert.equal(phasePercent(PHASES, { phase: 'writing', done: 0, total: 0 }), 40);
  assert.equal(phasePercent(PHASES, { phase: 'unknown', done: 1, total: 2 }), 0);
});

test('each kind’s phase table adds up to the whole job', () => {
  for (const kind of [importJob, analysisJob]) {
    const last = kind.name === 'registry.import' ? 'writing' : '2SFCA catchments';
    assert.equal(kind.percent({ phase: last, done: 1, total: 1 }), 100, kind.name);
  }
});
