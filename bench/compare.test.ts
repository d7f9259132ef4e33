import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareResults, NOT_COMPUTED } from './compare.js';

const ours = { nearest: Float64Array.of(10, 1999.5, Infinity, 300), counts: Uint32Array.of(1, 0, 3, 2) };

test('results within 0.01 m and both beyond the cap agree', () => {
  const peer = {
    nearest: Float64Array.of(10.004, 1999.5, Infinity, 299.991),
    counts: Uint32Array.of(1, 0, 3, 2),
  };
  const a = compareResults(ours, peer);
  assert.equal(a.distanceMismatches, 0);
  assert.equal(a.countMismatches, 0);
  assert.ok(a.maxAbsDiffM > 0.008 && a.maxAbsDiffM < 0.01);
});

test('a distance off by 0.02 m, or reached by one side only, is a mismatch', () => {
  const peer = {
    nearest: Float64Array.of(10.02, Infinity, Infinity, 300),
    counts: Uint32Array.of(1, 0, 3, 2),
  };
  const a = compareResults(ours, peer);
  assert.equal(a.distanceMismatches, 2);
  assert.equal(a.maxAbsDiffM, Infinity);
});

test('counts the peer did not compute are skipped; the others must be equal', () => {
  const peer = { nearest: ours.nearest, counts: Uint32Array.of(NOT_COMPUTED, NOT_COMPUTED, 4, 2) };
  const a = compareResults(ours, peer);
  assert.equal(a.countsCompared, 2);
  assert.equal(a.countMismatches, 1);
});
