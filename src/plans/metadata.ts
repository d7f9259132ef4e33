import { paragraphSpan, toSourceSpan, type Paragraph } from './paragraphs.js';
import type { AdminLevel, DateMention, DocumentReference, PlanMetadata, Span } from './types.js';

const TITLE_SUFFIX = /(通知|方案|意见|措施|计划|办法|规划|决定)(?:[（(][^（()）]*[）)])?$/;
const ISSUER_IN_TITLE =
  /^(.+?(?:人民政府办公厅|人民政府办公室|人民政府|政府办公厅|政府办公室|办公厅|办公室|委员会))(?:关于)?(?:印发|转发|关于)/;
const SIGNATURE = /^(.{2,30}?(?:人民政府办公厅|人民政府办公室|人民政府|办公厅|办公室))$/;
/** 文号: 津政办发〔2022〕15号, also with [ ] or 【 】 brackets. */
const DOC_NUMBER = /[\u4e00-\u9fa5]{1,10}[〔[［【(（]\d{4}[〕\]］】)）]\d{1,4}号/g;
const DATE_CN = /(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日/g;
const DATE_ISO = /(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)/g;

function iso(y: number, m: number, d: number): string | null {
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** 2022224: a date whose 年/月/日 were lost in the scrape; accepted only when exactly one reading is a valid date. */
function lostSeparatorDate(text: string): string | null {
  const m = /^(20\d{2})(\d{2,4})$/.exec(text);
  if (!m) return null;
  const rest = m[2];
  const readings = new Set<string>();
  for (let cut = 1; cut < rest.length; cut++) {
    if (rest[cut] === '0' && rest.length - cut > 1) continue;
    const date = iso(Number(m[1]), Number(rest.slice(0, cut)), Number(rest.slice(cut)));
    if (date) readings.add(date);
  }
  return readings.size === 1 ? [...readings][0] : null;
}

function findDates(paragraphs: Paragraph[]): DateMention[] {
  const dates: DateMention[] = [];
  for (const p of paragraphs) {
    for (const re of [DATE_CN, DATE_ISO])
      for (const m of p.text.matchAll(re)) {
        const date = iso(Number(m[1]), Number(m[2]), Number(m[3]));
        if (!date) continue;
        const before = p.text.slice(0, m.index);
        const role: DateMention['role'] = /(发布时间|发布日期|时间)\s*[:：]?\s*$/.test(before)
          ? 'published'
          : m[0].length === p.text.length
            ? 'issued'
            : 'mentioned';
        dates.push({ date, role, raw: m[0], span: toSourceSpan(p, m.index, m.index + m[0].length) });
      }
    const lost = lostSeparatorDate(p.text);
    if (lost) dates.push({ date: lost, role: 'issued', raw: p.text, span: paragraphSpan(p) });
  }
  return dates;
}

/** (2022—2025年) in a title — also (20222025年) when the dash was lost — or 到2025年 in the preamble. */
function horizon(title: string, front: Paragraph[]): Pick<PlanMetadata, 'horizonYear' | 'horizonSource'> {
  const range = /[（(]20\d{2}\s*[—–-]*\s*(20\d{2})年?[）)]/.exec(title);
  if (range) return { horizonYear: Number(range[1]), horizonSource: 'title' };
  for (const p of front) {
    const m = /到(20\d{2})年/.exec(p.text);
    if (m) return { horizonYear: Number(m[1]), horizonSource: 'preamble' };
  }
  return { horizonYear: null, horizonSource: null };
}

function levelOf(issuer: string): AdminLevel | null {
  const matches = [...issuer.matchAll(/(省|市|区|县)(?=人民政府|政府)/g)];
  return matches.length > 0 ? (matches[matches.length - 1][1] as AdminLevel) : null;
}

/**
 * Title, issuer, 文号 and dates. `front` are the paragraphs before the first measure, `all` every paragraph (the
 * notice title sometimes survives only as a trailing file name, as in seed 003).
 */
export function readMetadata(front: Paragraph[], all: Paragraph[]): PlanMetadata {
  let title: string | null = null;
  let titleSpan: Span | null = null;
  let planTitle: string | null = null;
  let planTitleSpan: Span | null = null;
  for (let i = 0; i < front.length; i++) {
    const p = front[i];
    const text = p.text.replace(/^[^:：]{1,6}[:：]/, '');
    const offset = p.text.length - text.length;
    if (text.length > 80 || /[。，,]/.test(text) || !TITLE_SUFFIX.test(text)) continue;
    if (/通知$/.test(text)) {
      if (!title) [title, titleSpan] = [text, toSourceSpan(p, offset, p.text.length)];
      continue;
    }
    if (planTitle) continue;
    const prev = front[i - 1];
    if (
      prev &&
      /^关于/.test(prev.text) &&
      prev.text.length < 40 &&
      !/[。，,]/.test(prev.text) &&
      !/^关于/.test(text)
    ) {
      planTitle = prev.text + text;
      planTitleSpan = [paragraphSpan(prev)[0], paragraphSpan(p)[1]];
    } else [planTitle, planTitleSpan] = [text, toSourceSpan(p, offset, p.text.length)];
  }
  if (!title)
    for (const p of all) {
      const m = /^(.{6,80}?通知)\.(pdf|docx?|wps)$/i.exec(p.text);
      if (m) [title, titleSpan] = [m[1], toSourceSpan(p, 0, m[1].length)];
    }
  if (!title && planTitle) [title, titleSpan] = [planTitle, planTitleSpan];

  let issuer: string | null = null;
  let issuerSpan: Span | null = null;
  if (title && titleSpan) {
    const m = ISSUER_IN_TITLE.exec(title);
    if (m) [issuer, issuerSpan] = [m[1], [titleSpan[0], titleSpan[0] + m[1].length]];
  }
  if (!issuer)
    for (const p of front) {
      const m = SIGNATURE.exec(p.text);
      if (m) [issuer, issuerSpan] = [m[1], paragraphSpan(p)];
    }

  let documentNumber: string | null = null;
  let documentNumberSpan: Span | null = null;
  const cited: DocumentReference[] = [];
  for (const p of all)
    for (const m of p.text.matchAll(DOC_NUMBER)) {
      const span = toSourceSpan(p, m.index, m.index + m[0].length);
      const labelled = /文号\s*[:：]\s*$/.test(p.text.slice(0, m.index));
      const standalone = m[0].length === p.text.replace(/^[（(]|[）)]$/g, '').length;
      if (!documentNumber && (labelled || (standalone && front.includes(p))))
        [documentNumber, documentNumberSpan] = [m[0], span];
      else cited.push({ number: m[0], span });
    }

  const issuerLevel =
    levelOf(issuer ?? '') ??
    (/^[\u4e00-\u9fa5]{1,8}?(省|市|区|县)/.exec(planTitle ?? '')?.[1] as AdminLevel | undefined) ??
    null;
  return {
    title,
    titleSpan,
    planTitle,
    planTitleSpan,
    issuer,
    issuerSpan,
    issuerLevel,
    documentNumber,
    documentNumberSpan,
    dates: findDates(all),
    ...horizon(planTitle ?? title ?? '', front),
    citedDocuments: cited,
  };
}
