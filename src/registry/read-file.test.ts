import { test } from 'node:test';
import assert from 'node:assert/strict';
import iconv from 'iconv-lite';
import { decodeText, detectFormat, readTable } from './read-file.js';

// A real header and row: 总府路社区居委会, 锦江区 (data/divisions/communities.csv).
const TEXT = '社区编码,社区名称\n510104022006,总府路社区居委会\n';

test('GBK bytes (Excel’s default "CSV" in China) are detected and decoded', () => {
  const { text, encoding } = decodeText(iconv.encode(TEXT, 'gbk'));
  assert.equal(encoding, 'gbk');
  assert.equal(text, TEXT);
});

test('UTF-8 with a BOM (Excel’s "CSV UTF-8") loses the BOM so the first header still matches', async () => {
  const table = await readTable(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TEXT)]), 'c.csv');
  assert.equal(table.encoding, 'utf-8');
  assert.deepEqual(table.headers, ['社区编码', '社区名称']);
  assert.equal(table.rows[0].values['社区编码'], '510104022006');
});

test('UTF-16 text with its BOM (Excel’s "Unicode text") is decoded', () => {
  const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(TEXT, 'utf-16le')]);
  assert.equal(decodeText(bytes).text, TEXT);
});

test('an old .xls workbook is refused with advice to save as .xlsx', () => {
  assert.throws(
    () => detectFormat(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), '名单.xls'),
    /save it as \.xlsx/,
  );
});

test('CSV rows are numbered as Excel shows them: a quoted line break stays in its row, a blank line counts', async () => {
  const csv = 'code,name,address\nA,甲,"成都市锦江区\n总府路"\n\nB,乙,春熙路\n';
  const table = await readTable(Buffer.from(csv), 'f.csv');
  assert.deepEqual(
    table.rows.map((r) => r.row),
    [2, 4],
  );
});

test('GBK bytes declared as UTF-8 are refused naming the file, not imported as mojibake', async () => {
  await assert.rejects(readTable(iconv.encode(TEXT, 'gbk'), '社区.csv', { encoding: 'utf-8' }), (e: Error) =>
    /社区\.csv: the file is not valid UTF-8/.test(e.message),
  );
});

test('a file mixing UTF-8 and GBK lines is refused naming a line of each, not decoded into mojibake', async () => {
  const bytes = Buffer.concat([
    Buffer.from('社区编码,社区名称,区划代码\n510104001001,督院街社区,510104001\n', 'utf8'),
    iconv.encode('510104001002,书院街社区,510104001\n', 'gbk'),
  ]);
  await assert.rejects(readTable(bytes, '社区.csv'), (e: Error) => {
    assert.equal(
      e.message,
      '社区.csv: mixed text encodings: line 1 is UTF-8 but line 3 is not (GBK?); save the whole file in one encoding, preferably UTF-8',
    );
    return true;
  });
  // All GBK is still read as GBK, and a file marked UTF-8 names its first bad line.
  assert.equal(decodeText(iconv.encode('社区编码,社区名称\n1,督院街社区\n', 'gbk')).encoding, 'gbk');
  await assert.rejects(
    readTable(bytes, '社区.csv', { encoding: 'utf-8' }),
    /社区\.csv: the file is not valid UTF-8 \(declared or marked by a BOM\): line 3 is not/,
  );
});
