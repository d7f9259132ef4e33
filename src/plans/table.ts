import { paragraphSpan, toSourceSpan, type Paragraph } from './paragraphs.js';
import type { AdminLevel, Measure, ResponsibilityTable, TableRow } from './types.js';
import { parseUnitList } from './units.js';
import { tableRowWarning } from './warnings.js';

const TABLE_TITLE = /(责任分工表|任务分工表|任务清单|分工方案|责任清单)$/;
const HEADER_CELL = /^(序号|具体工作任务|工作任务|重点任务|主要任务|责任单位|牵头单位|配合单位|完成时限)$/;

/**
 * Read an attached task and responsibility table (seed 002's 具体工作任务及责任分工表) flattened to one cell per
 * line: 序号, task, units, repeated. Returns null when the attachment holds no such table.
 */
export function readTable(
  attachment: Paragraph[],
  issuerLevel: AdminLevel | null,
): ResponsibilityTable | null {
  const titleAt = attachment.findIndex((p) => TABLE_TITLE.test(p.text) && !/^附件[:：]/.test(p.text));
  if (titleAt < 0) return null;
  const rows: TableRow[] = [];
  let i = titleAt + 1;
  while (i < attachment.length && HEADER_CELL.test(attachment[i].text)) i++;
  while (i < attachment.length) {
    const numberCell = attachment[i];
    if (!/^\d{1,3}$/.test(numberCell.text) || i + 2 >= attachment.length) {
      i++;
      continue;
    }
    const taskCell = attachment[i + 1];
    const unitCells: Paragraph[] = [];
    let j = i + 2;
    while (j < attachment.length && !/^\d{1,3}$/.test(attachment[j].text)) unitCells.push(attachment[j++]);
    const units = unitCells.flatMap((cell) => parseUnitList(cell, 0, cell.text.length, issuerLevel).units);
    const openEnded = unitCells.some(
      (cell) => parseUnitList(cell, 0, cell.text.length, issuerLevel).openEnded,
    );
    const first = unitCells[0] ?? taskCell;
    const lastCell = unitCells[unitCells.length - 1] ?? taskCell;
    rows.push({
      number: Number(numberCell.text),
      task: taskCell.text,
      taskSpan: paragraphSpan(taskCell),
      responsibility: {
        source: 'table',
        raw: unitCells.map((c) => c.text).join(''),
        span: [paragraphSpan(first)[0], paragraphSpan(lastCell)[1]],
        coversSpan: paragraphSpan(taskCell),
        units,
        openEnded,
      },
      measureId: null,
      linkScore: 0,
    });
    i = j;
  }
  if (rows.length === 0) return null;
  const title = attachment[titleAt];
  return {
    title: title.text,
    span: [toSourceSpan(title, 0, title.text.length)[0], rows[rows.length - 1].responsibility.span[1]],
    rows,
  };
}

function bigrams(text: string): string[] {
  const clean = text.replace(/[“”"《》、，,。\s]/g, '');
  const grams: string[] = [];
  for (let i = 0; i + 1 < clean.length; i++) grams.push(clean.slice(i, i + 2));
  return grams;
}

/** Sørensen–Dice similarity of character bigrams, the usual measure for short Chinese titles. */
export function diceSimilarity(a: string, b: string): number {
  const x = bigrams(a);
  const y = bigrams(b);
  if (x.length === 0 || y.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const g of x) counts.set(g, (counts.get(g) ?? 0) + 1);
  let shared = 0;
  for (const g of y) {
    const n = counts.get(g) ?? 0;
    if (n > 0) {
      shared++;
      counts.set(g, n - 1);
    }
  }
  return (2 * shared) / (x.length + y.length);
}

/**
 * Below this, a row's task and a measure title are different things. On seed 002's 26 rows the right title
 * scores 0.64–1 and the best wrong one at most 0.5 (titles sharing 生活性服务业).
 */
export const MIN_LINK_SCORE = 0.6;
/** The right title must beat the runner-up by this much, or the link is reported as ambiguous. */
export const MIN_LINK_MARGIN = 0.1;

/**
 * Link each row to the measure whose title it repeats. Tables reword titles (完善普惠性生活服务供给体系 for
 * 完善普惠性生活服务供给), so the best title by bigram similarity wins; among equals, the measure with the row's
 * number. Linked rows add a 'table' responsibility to their measure.
 */
export function linkTable(table: ResponsibilityTable, measures: Measure[]): string[] {
  const warnings: string[] = [];
  const all: Measure[] = [];
  const walk = (list: Measure[]): void => {
    for (const m of list) {
      if (m.title) all.push(m);
      walk(m.children);
    }
  };
  walk(measures);
  for (const row of table.rows) {
    let best: Measure | null = null;
    let bestScore = 0;
    let runnerUp = 0;
    for (const m of all) {
      const score = diceSimilarity(row.task, m.title ?? '');
      if (score > bestScore || (score === bestScore && best !== null && m.number === row.number)) {
        runnerUp = Math.max(runnerUp, bestScore);
        best = m;
        bestScore = score;
      } else runnerUp = Math.max(runnerUp, score);
    }
    if (best && bestScore >= MIN_LINK_SCORE && bestScore - runnerUp >= MIN_LINK_MARGIN) {
      row.measureId = best.id;
      row.linkScore = Math.round(bestScore * 1000) / 1000;
      best.responsibilities.push(row.responsibility);
    } else if (best && bestScore >= MIN_LINK_SCORE)
      warnings.push(tableRowWarning(row.number, row.task, true));
    else warnings.push(tableRowWarning(row.number, row.task, false));
  }
  return warnings;
}
