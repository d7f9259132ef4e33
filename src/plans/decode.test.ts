import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { isLifeCircleError } from '../errors.js';
import { importPlan, MAX_PLAN_BYTES } from './index.js';

const SEED_001 = readFileSync('data/seeds/001_6d4fe630431b83bc.txt');

async function rejectsWith(bytes: Uint8Array, name: string, code: string, pattern: RegExp): Promise<void> {
  await assert.rejects(importPlan(bytes, name), (error: unknown) => {
    assert.ok(isLifeCircleError(error), 'a LifeCircleError');
    assert.equal(error.code, code);
    assert.match(error.message, pattern);
    return true;
  });
}

test('a GBK copy of seed 001 decodes to the same text and plan as the UTF-8 original', async () => {
  const utf8 = await importPlan(SEED_001, '001.txt');
  const gbk = await importPlan(iconv.encode(SEED_001.toString('utf8'), 'gbk'), '001-gbk.txt');
  assert.equal(gbk.source.encoding, 'gb18030');
  assert.equal(gbk.text, utf8.text);
  assert.deepEqual(gbk.measures, utf8.measures);
});

test('UTF-16LE text with a byte-order mark (Word “Unicode text”) decodes to the same text', async () => {
  const text = SEED_001.toString('utf8');
  const plan = await importPlan(
    Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
    '001-u16.txt',
  );
  assert.equal(plan.source.encoding, 'utf-16le');
  assert.equal(plan.text, text);
});

test('a UTF-8 byte-order mark is dropped so spans start at the first character', async () => {
  const plan = await importPlan(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), SEED_001]), '001-bom.txt');
  assert.equal(plan.text, SEED_001.toString('utf8'));
});

test('a file that is UTF-8 in its first part and GBK in the rest is refused, naming the first GBK line', async () => {
  const text = SEED_001.toString('utf8');
  const cut = text.indexOf('二、推进各层次教育均衡发展');
  const mixed = Buffer.concat([Buffer.from(text.slice(0, cut)), iconv.encode(text.slice(cut), 'gbk')]);
  const line = text.slice(0, cut).split('\n').length;
  await rejectsWith(
    mixed,
    'mixed.txt',
    'LC_PLAN_ENCODING',
    new RegExp(`mixed\\.txt mixes encodings.*line ${line} `),
  );
});

test('binary input is refused with the offending byte and offset', async () => {
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]);
  await rejectsWith(
    png,
    'scan.txt',
    'LC_PLAN_FORMAT',
    /scan\.txt is binary \(control byte 0x00 at offset 8\)/,
  );
});

test('an empty or whitespace-only document is refused as empty', async () => {
  await rejectsWith(Buffer.alloc(0), 'empty.txt', 'LC_PLAN_FORMAT', /empty\.txt is empty/);
  await rejectsWith(Buffer.from(' \n\u3000\n'), 'blank.txt', 'LC_PLAN_FORMAT', /blank\.txt is empty/);
});

test('a 5 MB document is refused before decoding, with its size and the limit', async () => {
  const big = Buffer.alloc(5 * 1024 * 1024, SEED_001);
  assert.ok(big.length > MAX_PLAN_BYTES);
  await rejectsWith(big, 'big.txt', 'LC_PLAN_TOO_LARGE', /big\.txt is 5\.0 MB; .* up to 4 MB/);
});

test('a .docx that is not a zip, and a zip that is not a Word document, are refused', async () => {
  await rejectsWith(SEED_001, 'plan.docx', 'LC_PLAN_FORMAT', /plan\.docx is named \.docx but is not/);
  const zipNotDocx = Buffer.from('504b0304140000000000', 'hex');
  await rejectsWith(
    zipNotDocx,
    'x.docx',
    'LC_PLAN_FORMAT',
    /x\.docx is a zip archive but not a readable Word/,
  );
});

/** The first bytes of a real .doc: the Compound File Binary signature ([MS-CFB] 2.2) and its zeroed CLSID. */
const DOC_BYTES = Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(504)]);
/** The first bytes of a PDF (ISO 32000-1 7.5.2: '%PDF-1.7' and a binary comment line). */
const PDF_BYTES = Buffer.from(
  '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n',
  'latin1',
);

test('.doc and .pdf are refused with what to do instead', async () => {
  const advice = /save the document as \.docx or plain text \(UTF-8\)/;
  await rejectsWith(
    DOC_BYTES,
    '通知.doc',
    'LC_PLAN_FORMAT',
    /^通知\.doc: \.doc, \.wps and \.pdf are not read/,
  );
  await rejectsWith(DOC_BYTES, '通知.doc', 'LC_PLAN_FORMAT', advice);
  await rejectsWith(
    PDF_BYTES,
    '通知.pdf',
    'LC_PLAN_FORMAT',
    /^通知\.pdf: \.doc, \.wps and \.pdf are not read/,
  );
  // The name decides even when the bytes are text: a .pdf name is never read as a plan.
  await rejectsWith(SEED_001, 'plan.pdf', 'LC_PLAN_FORMAT', advice);
});

test('a .doc or PDF under another name is recognised by its first bytes and named', async () => {
  await rejectsWith(DOC_BYTES, '通知.txt', 'LC_PLAN_FORMAT', /^通知\.txt is an old Word \(\.doc\) or WPS/);
  await rejectsWith(DOC_BYTES, '通知', 'LC_PLAN_FORMAT', /^通知 is an old Word \(\.doc\)/);
  // An all-ASCII PDF head would otherwise pass the binary check and be imported as a text plan.
  await rejectsWith(
    PDF_BYTES,
    '通知',
    'LC_PLAN_FORMAT',
    /^通知 is a PDF, which is not read; save the document as \.docx/,
  );
});

test('a .docx is read through mammoth: title, full-width numbering, units and ranged targets', async () => {
  const plan = await importPlan(readFileSync('src/plans/fixtures/seed-003-excerpt.docx'), 'excerpt.docx');
  assert.equal(plan.source.format, 'docx');
  assert.equal(plan.metadata.issuer, '山西省人民政府办公厅');
  const [group] = plan.measures;
  assert.equal(group.label, '一、');
  assert.equal(group.children[0].label, '（一）');
  const first = group.children[0].children[0];
  assert.equal(first.title, '实施A级旅游景区倍增计划');
  assert.deepEqual(
    first.responsibilities[0].units.map((u) => u.normalized),
    ['省文化和旅游局', '省林草局'],
  );
  assert.deepEqual(
    first.targets.map((t) => [t.value, t.valueMax, t.unit]),
    [
      [1, 3, '家'],
      [25, null, '家'],
      [1, 2, '个'],
      [1, 3, '个'],
      [50, null, '个'],
    ],
  );
});
