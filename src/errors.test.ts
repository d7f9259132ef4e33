import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ERROR_CODES } from './errors.js';

test('docs/errors.md lists exactly the codes of the catalogue, with their HTTP status', () => {
  const doc = readFileSync('docs/errors.md', 'utf8');
  const documented = new Map<string, number>();
  for (const match of doc.matchAll(/^\|\s*`(LC_[A-Z0-9_]+)`\s*\|\s*(\d{3})\s*\|/gm))
    documented.set(match[1], Number(match[2]));
  const catalogue = new Map(Object.entries(ERROR_CODES).map(([code, { status }]) => [code, status]));
  assert.deepEqual([...documented.keys()].sort(), [...catalogue.keys()].sort());
  for (const [code, status] of catalogue) assert.equal(documented.get(code), status, `${code} status`);
});
