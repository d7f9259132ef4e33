import assert from 'node:assert/strict';
import { test } from 'node:test';
import { restoreSpreadsheetCell, spreadsheetSafe, toCsv } from './index.js';

test('cells a spreadsheet would run as formulas get a leading apostrophe; plain text and numbers do not', () => {
  for (const [given, written] of [
    ['=HYPERLINK("http://evil.example","点击")', `'=HYPERLINK("http://evil.example","点击")`],
    ['+86 138', "'+86 138"],
    ['-cmd|calc', "'-cmd|calc"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tx', "'\tx"],
    ['\rx', "'\rx"],
    ['锦江区养老服务中心', '锦江区养老服务中心'],
    ['a=b', 'a=b'],
    ['-12.5', '-12.5'],
    ['+3', '+3'],
    ['-1e3', '-1e3'],
    ['', ''],
  ])
    assert.equal(spreadsheetSafe(given), written, JSON.stringify(given));
});

test('reading a cell back removes the apostrophe only where writing added it', () => {
  assert.equal(restoreSpreadsheetCell("'=1+1"), '=1+1');
  assert.equal(restoreSpreadsheetCell("'-cmd"), '-cmd');
  assert.equal(restoreSpreadsheetCell("'s Hertogenbosch"), "'s Hertogenbosch");
  assert.equal(restoreSpreadsheetCell('=1+1'), '=1+1');
});

test('CSV rows: RFC 4180 quoting, empty cells for null and non-finite numbers, formulas neutralised', () => {
  assert.equal(
    toCsv([
      ['code', 'name', 'n'],
      ['F1', '=HYPERLINK("x")', 3],
      ['F2', 'a, "b"', null],
      ['F3', 'line\nbreak', Number.NaN],
    ]),
    'code,name,n\nF1,"\'=HYPERLINK(""x"")",3\nF2,"a, ""b""",\nF3,"line\nbreak",\n',
  );
});
