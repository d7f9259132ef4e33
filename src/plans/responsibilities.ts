import { toSourceSpan, type Paragraph } from './paragraphs.js';
import type { AdminLevel, Responsibility } from './types.js';
import { normalizeUnit, parseUnitList } from './units.js';

/** A parenthesis, full- or half-width; responsibility lists never nest parentheses. */
const PARENTHESIS = /[（(]([^（()）]{2,800})[）)]/g;

/**
 * The forms the seed plans use: （责任单位：省文旅厅、省林草局）, （市民政局、…按职责分工负责）, （区商务局负责）,
 * and 牵头/配合 variants (（市民政局牵头，市卫生健康委配合）).
 */
function isResponsibilityList(inner: string): boolean {
  return /^(责任单位|牵头单位)[:：]/.test(inner) || /(负责|牵头|配合|参与)[。.]?$/.test(inner);
}

/**
 * 责任单位：A、B or 牵头单位：A；配合单位：B outside parentheses, up to the end of the sentence or a 完成时限 /
 * 时间节点 label.
 */
const LABELLED =
  /[【[]?(?:责任|牵头|配合)(?:单位|部门)[】\]]?[:：](?:(?!完成时限|时间节点|完成时间)[^。\n（()）])+/g;

/** X会同Y…: X leads. Only a name that normalises to a known department counts. */
const LEADS_WITH = /(?:^|[。；;，,])([^。；;，,、（()）]{2,20}?)会同/g;

/**
 * Responsibility statements inside one paragraph, in reading order. Each covers the text from the previous
 * statement (or the paragraph start) up to itself: in 基本社会服务。A（units1）B（units2）, units1 are responsible
 * for A and units2 for B.
 */
export function findResponsibilities(paragraph: Paragraph, issuerLevel: AdminLevel | null): Responsibility[] {
  const found: Responsibility[] = [];
  let coveredFrom = 0;
  for (const m of paragraph.text.matchAll(PARENTHESIS)) {
    const inner = m[1];
    if (!isResponsibilityList(inner)) continue;
    const innerStart = m.index + 1;
    const { units, openEnded } = parseUnitList(paragraph, innerStart, innerStart + inner.length, issuerLevel);
    if (units.length === 0) continue;
    found.push({
      source: 'inline',
      raw: m[0],
      span: toSourceSpan(paragraph, m.index, m.index + m[0].length),
      coversSpan: toSourceSpan(paragraph, coveredFrom, m.index),
      units,
      openEnded,
    });
    coveredFrom = m.index + m[0].length;
  }
  for (const m of paragraph.text.matchAll(LABELLED)) {
    if (found.some((r) => r.raw.includes(m[0]))) continue; // inside a parenthesis already read
    // Read from the label on, so that parseUnitList sees 牵头单位：/配合单位： and sets the roles.
    const { units, openEnded } = parseUnitList(paragraph, m.index, m.index + m[0].length, issuerLevel);
    if (units.length === 0) continue;
    found.push({
      source: 'inline',
      raw: m[0],
      span: toSourceSpan(paragraph, m.index, m.index + m[0].length),
      coversSpan: toSourceSpan(paragraph, coveredFrom, m.index),
      units,
      openEnded,
    });
    coveredFrom = m.index + m[0].length;
  }
  for (const m of paragraph.text.matchAll(LEADS_WITH)) {
    let name = m[1];
    let normalized = normalizeUnit(name, issuerLevel);
    // 市发展和改革委员会同各区: the 会 of 委员会 doubles as the 会 of 会同.
    if (normalized.status !== 'known' && normalizeUnit(`${name}会`, issuerLevel).status === 'known') {
      name = `${name}会`;
      normalized = normalizeUnit(name, issuerLevel);
    }
    if (normalized.status !== 'known') continue;
    const at = m.index + m[0].length - m[1].length - 2;
    const span = toSourceSpan(paragraph, at, at + name.length);
    found.push({
      source: 'inline',
      raw: paragraph.text.slice(at, at + m[1].length + 2),
      span: toSourceSpan(paragraph, at, at + m[1].length + 2),
      coversSpan: toSourceSpan(paragraph, 0, paragraph.text.length),
      units: [{ raw: name, span, role: 'lead', ...normalized }],
      openEnded: false,
    });
  }
  return found;
}
