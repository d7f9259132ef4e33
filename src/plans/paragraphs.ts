import { parseHeading } from './numbering.js';
import type { Span } from './types.js';

/**
 * A logical paragraph: one or more physical lines joined where the source broke a sentence (page breaks in
 * PDF-to-text conversions split 区教育 / 局、各街镇 across lines). `text` has the joins removed; `offsets[i]` is
 * the source index of `text[i]`, so spans found in `text` map back to the source exactly.
 */
export interface Paragraph {
  text: string;
  offsets: number[];
}

/** Whitespace to trim at line ends: ASCII, no-break space, ideographic space, BOM. */
const EDGE_SPACE = /^[\s\u00a0\u3000\ufeff]+|[\s\u00a0\u3000\ufeff]+$/g;

/** A sentence is complete when the line ends with one of these. */
const TERMINAL = /[。；;：:！!？?）)」』”"》]$/;

/** Titles end with the document type and are never continued. */
const TITLE_END = /(通知|方案|意见|措施|计划|办法|规划|责任分工表)$/;

/** A line cut mid-sentence is long; short unterminated lines are titles, dates and signatures. */
const MIN_CUT_LINE = 30;

/** Split the source into logical paragraphs, joining lines the source broke mid-sentence. */
export function splitParagraphs(source: string): Paragraph[] {
  const paragraphs: Paragraph[] = [];
  let pos = 0;
  while (pos <= source.length) {
    let end = source.indexOf('\n', pos);
    if (end < 0) end = source.length;
    const raw = source.slice(pos, end);
    const lead = raw.length - raw.replace(/^[\s\u00a0\u3000\ufeff]+/, '').length;
    const text = raw.replace(EDGE_SPACE, '');
    if (text.length > 0) {
      const offsets = Array.from({ length: text.length }, (_, i) => pos + lead + i);
      const last = paragraphs[paragraphs.length - 1];
      const join =
        last !== undefined &&
        last.text.length >= MIN_CUT_LINE &&
        !TERMINAL.test(last.text) &&
        !TITLE_END.test(last.text) &&
        !TITLE_END.test(text) &&
        parseHeading(text) === null &&
        !isStandaloneLine(text);
      if (join) {
        last.text += text;
        last.offsets.push(...offsets);
      } else paragraphs.push({ text, offsets });
    }
    pos = end + 1;
  }
  return paragraphs;
}

/** Lines that never continue a sentence: dates, 附件 markers, table numbers. */
function isStandaloneLine(text: string): boolean {
  return /^(附件|\d{1,3}$|\d{4}[年-])/.test(text) || /[：:]$/.test(text);
}

/** Map a span within a paragraph's text to a span of the source. */
export function toSourceSpan(paragraph: Paragraph, start: number, end: number): Span {
  if (end <= start) {
    const at = paragraph.offsets[Math.min(start, paragraph.offsets.length - 1)] ?? 0;
    return [at, at];
  }
  return [paragraph.offsets[start], paragraph.offsets[end - 1] + 1];
}

/** The span of a whole paragraph. */
export function paragraphSpan(paragraph: Paragraph): Span {
  return toSourceSpan(paragraph, 0, paragraph.text.length);
}
