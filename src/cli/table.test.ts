import { test } from 'node:test';
import assert from 'node:assert/strict';
import stringWidth from 'string-width';
import { formatTable } from './table.js';

test('columns line up by display width when cells mix Chinese and Latin', () => {
  const out = formatTable(
    ['type', 'radius', 'share'],
    [
      ['托儿所 nursery', '300m', '12.5%'],
      ['large-sports-ground', '1000m', '3.0%'],
    ],
    ['left', 'right', 'right'],
  );
  const lines = out.trimEnd().split('\n');
  // Every line is as wide as the widest; the right-aligned last column ends at the same column everywhere.
  const widths = lines.map((l) => stringWidth(l));
  assert.equal(new Set(widths).size, 1, out);
  // Nothing is cut: the full type id is there.
  assert.match(out, /large-sports-ground/);
  // The right-aligned second column ends at the same display column on every row.
  const ends = lines.map((l, k) => {
    const cell = ['radius', '300m', '1000m'][k];
    return stringWidth(l.slice(0, l.indexOf(cell) + cell.length));
  });
  assert.equal(new Set(ends).size, 1, out);
});
