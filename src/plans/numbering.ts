import type { NumberStyle } from './types.js';

/** Numbering of Chinese policy documents: 一、 / （一） / 第一条 / 1. / （1） / ①, full- or half-width. */

const CN_DIGITS: Record<string, number> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};

/** 一 → 1, 十二 → 12, 二十 → 20, 二十九 → 29, 一百零五 → 105. */
export function chineseNumeral(text: string): number | null {
  if (/^\d+$/.test(text)) return Number(text);
  let total = 0;
  let digit = 0;
  for (const ch of text) {
    if (ch in CN_DIGITS) digit = CN_DIGITS[ch];
    else if (ch === '十') {
      total += (digit || 1) * 10;
      digit = 0;
    } else if (ch === '百') {
      total += (digit || 1) * 100;
      digit = 0;
    } else return null;
  }
  return total + digit;
}

const CN = '[一二三四五六七八九十百零〇]+';
const HEADINGS: { style: NumberStyle; re: RegExp }[] = [
  { style: 'chinese-dun', re: new RegExp(`^(${CN})[、，,．.]`) },
  { style: 'chinese-paren', re: new RegExp(`^[（(](${CN})[）)]`) },
  { style: 'article', re: /^第([一二三四五六七八九十百零〇\d]+)条/ },
  { style: 'arabic-dot', re: /^(\d{1,3})[.．、](?!\d)/ },
  { style: 'arabic-paren', re: /^[（(](\d{1,3})[）)]/ },
  { style: 'circled', re: /^([①-⑳])/ },
];

export interface Heading {
  style: NumberStyle;
  label: string;
  number: number;
}

export function parseHeading(text: string): Heading | null {
  for (const { style, re } of HEADINGS) {
    const m = re.exec(text);
    if (!m) continue;
    const number = style === 'circled' ? m[1].charCodeAt(0) - 0x2460 + 1 : chineseNumeral(m[1]);
    if (number === null) continue;
    return { style, label: m[0], number };
  }
  return null;
}
