import { createHash } from 'node:crypto';
import iconv from 'iconv-lite';
import mammoth from 'mammoth';
import { LifeCircleError } from '../errors.js';
import type { SourceFormat, SourceInfo, TextEncoding } from './types.js';

/**
 * Largest document we import. The five seed plans are 20–40 kB; the longest Chinese action plans with their
 * tables stay well under 1 MB of text. 4 MiB leaves room for a .docx with embedded images while refusing logs,
 * data dumps and wrong files before we spend time on them.
 */
export const MAX_PLAN_BYTES = 4 * 1024 * 1024;

/** Refuse a document over MAX_PLAN_BYTES before reading it. */
export function assertPlanSize(bytes: number, fileName: string): void {
  if (bytes > MAX_PLAN_BYTES)
    throw new LifeCircleError(
      'LC_PLAN_TOO_LARGE',
      `${fileName} is ${(bytes / 1048576).toFixed(1)} MB; policy documents are imported up to ${MAX_PLAN_BYTES / 1048576} MB`,
    );
}

export interface DecodedSource {
  text: string;
  info: SourceInfo;
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

function isZip(bytes: Uint8Array): boolean {
  return ZIP_MAGIC.every((b, i) => bytes[i] === b);
}

/**
 * Binary content: NUL bytes, or many C0 control characters other than tab, CR, LF and form feed. Text in
 * UTF-8 and GBK never contains NUL.
 */
function firstBinaryByte(bytes: Uint8Array): number {
  let controls = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 0) return i;
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) {
      controls++;
      if (controls > 8 && controls * 100 > Math.min(bytes.length, i + 1)) return i;
    }
  }
  return -1;
}

/** Whether a byte range is well-formed UTF-8. */
function isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * Classify each line that has non-ASCII bytes as UTF-8 or not. GBK text is almost never valid UTF-8 over a whole
 * line of Chinese, so a file with both kinds of line was assembled from pieces in different encodings.
 */
function classifyLines(bytes: Uint8Array): { utf8Lines: number; firstOtherLine: number } {
  let utf8Lines = 0;
  let firstOtherLine = -1;
  let line = 1;
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i < bytes.length && bytes[i] !== 0x0a) continue;
    const slice = bytes.subarray(start, i);
    if (slice.some((b) => b >= 0x80)) {
      if (isUtf8(slice)) utf8Lines++;
      else if (firstOtherLine < 0) firstOtherLine = line;
    }
    line++;
    start = i + 1;
  }
  return { utf8Lines, firstOtherLine };
}

/**
 * Decode a plain-text policy document: UTF-8 (with or without BOM), UTF-16 with BOM, or GBK/GB18030 — the
 * encodings Chinese government sites and Word's "save as text" produce. A file that is UTF-8 in some lines and not in others was
 * assembled from pieces in different encodings; guessing would corrupt one part silently, so it is refused.
 */
export function decodeText(bytes: Uint8Array, fileName: string): { text: string; encoding: TextEncoding } {
  // Word's and Notepad's "Unicode text" is UTF-16 with a byte-order mark.
  const utf16 = utf16Encoding(bytes);
  if (utf16) {
    try {
      return { text: new TextDecoder(utf16, { fatal: true }).decode(bytes.subarray(2)), encoding: utf16 };
    } catch (error) {
      throw new LifeCircleError('LC_PLAN_ENCODING', `${fileName} starts as UTF-16 but is not valid UTF-16`, {
        cause: error,
      });
    }
  }
  if (isUtf8(bytes)) {
    const text = new TextDecoder('utf-8').decode(bytes);
    return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, encoding: 'utf-8' };
  }
  const { utf8Lines, firstOtherLine } = classifyLines(bytes);
  if (utf8Lines > 0)
    throw new LifeCircleError(
      'LC_PLAN_ENCODING',
      `${fileName} mixes encodings: ${utf8Lines} line(s) are UTF-8 but line ${firstOtherLine} is not; re-save the whole file in one encoding (UTF-8)`,
    );
  const text = iconv.decode(Buffer.from(bytes), 'gb18030');
  const bad = text.indexOf('\ufffd');
  if (bad >= 0)
    throw new LifeCircleError(
      'LC_PLAN_ENCODING',
      `${fileName} is neither UTF-8 nor GBK/GB18030 (undecodable bytes near character ${bad}); re-save it as UTF-8`,
    );
  return { text, encoding: 'gb18030' };
}

function utf16Encoding(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return null;
}

function detectFormat(bytes: Uint8Array, fileName: string): SourceFormat {
  if (isZip(bytes)) return 'docx';
  if (/\.docx$/i.test(fileName))
    throw new LifeCircleError('LC_PLAN_FORMAT', `${fileName} is named .docx but is not a Word (.docx) file`);
  if (/\.(doc|pdf|wps)$/i.test(fileName))
    throw new LifeCircleError(
      'LC_PLAN_FORMAT',
      `${fileName}: .doc, .wps and .pdf are not read; save the document as .docx or plain text (UTF-8)`,
    );
  // The same files under another name (通知.txt, or no extension at all) are known by their first bytes.
  const kind = startsWith(bytes, OLE_SIGNATURE)
    ? 'an old Word (.doc) or WPS (.wps) file'
    : startsWith(bytes, PDF_SIGNATURE)
      ? 'a PDF'
      : null;
  if (kind)
    throw new LifeCircleError(
      'LC_PLAN_FORMAT',
      `${fileName} is ${kind}, which is not read; save the document as .docx or plain text (UTF-8)`,
    );
  return 'text';
}

/** Compound File Binary header ([MS-CFB] 2.2), the container of .doc, .wps and .xls. */
const OLE_SIGNATURE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
/** '%PDF-' (ISO 32000-1 7.5.2). */
const PDF_SIGNATURE = [0x25, 0x50, 0x44, 0x46, 0x2d];

function startsWith(bytes: Uint8Array, signature: number[]): boolean {
  return signature.every((b, i) => bytes[i] === b);
}

/**
 * Turn the bytes of an uploaded or pasted policy document into text. Refuses empty, binary, oversized and
 * mixed-encoding input with a LifeCircleError naming the file and what was expected.
 */
export async function decodePlanSource(bytes: Uint8Array, fileName: string): Promise<DecodedSource> {
  assertPlanSize(bytes.length, fileName);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const format = detectFormat(bytes, fileName);
  let text: string;
  let encoding: TextEncoding | null = null;
  if (format === 'docx') {
    try {
      text = (await mammoth.extractRawText({ buffer: Buffer.from(bytes) })).value;
    } catch (error) {
      throw new LifeCircleError(
        'LC_PLAN_FORMAT',
        `${fileName} is a zip archive but not a readable Word (.docx) document: ${(error as Error).message}`,
        { cause: error },
      );
    }
  } else {
    const binaryAt = utf16Encoding(bytes) ? -1 : firstBinaryByte(bytes);
    if (binaryAt >= 0)
      throw new LifeCircleError(
        'LC_PLAN_FORMAT',
        `${fileName} is binary (control byte 0x${bytes[binaryAt].toString(16).padStart(2, '0')} at offset ${binaryAt}); expected plain text (UTF-8 or GBK) or .docx`,
      );
    ({ text, encoding } = decodeText(bytes, fileName));
  }
  if (!/[\u4e00-\u9fffA-Za-z]/.test(text))
    throw new LifeCircleError(
      'LC_PLAN_FORMAT',
      `${fileName} is empty: it holds no text to extract a plan from`,
    );
  return { text, info: { fileName, format, encoding, bytes: bytes.length, sha256 } };
}
