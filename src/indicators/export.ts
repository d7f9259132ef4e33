import ExcelJS from 'exceljs';
import type { Indicator } from './catalogue.js';
import type { Scorecard } from './scorecard.js';
import { spreadsheetSafe } from '../tabular/index.js';

export interface ReportMeta {
  /** e.g. 2026年度生活性服务业发展绩效考评 */
  title: string;
  /** Who issues the report (e.g. 市发展改革委). */
  issuer: string;
  /** Date the data describe, YYYY-MM-DD. */
  asOf: string;
}

function indicatorName(code: string, catalogue: Indicator[]): string {
  return catalogue.find((i) => i.code === code)?.zh ?? code;
}

/**
 * The scorecard as an .xlsx workbook: 考评结果 (rank, district, total, one column per indicator, measure
 * completion, missing data), 权重 (weights with indicator names and units) and 说明 (the formula).
 */
export async function scorecardToXlsx(
  card: Scorecard,
  catalogue: Indicator[],
  meta: ReportMeta,
): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'LifeCircle';
  workbook.created = new Date(`${meta.asOf}T00:00:00Z`);
  const codes = Object.keys(card.config.indicatorWeights);

  const results = workbook.addWorksheet('考评结果');
  results.addRow([meta.title]);
  results.addRow([`${meta.issuer}\u3000数据截至 ${meta.asOf}`]);
  const header = [
    '排名',
    '区划代码',
    '地区',
    '总分',
    ...codes.map((c) => indicatorName(c, catalogue)),
    '任务完成率',
    '缺报',
    '无目标',
  ];
  results.addRow(header).font = { bold: true };
  for (const row of card.rows)
    results.addRow([
      row.rank ?? '未排名',
      row.region,
      spreadsheetSafe(row.name),
      row.total,
      ...codes.map((c) =>
        row.indicatorScores[c] === null ? null : Math.round((row.indicatorScores[c] ?? 0) * 1000) / 10,
      ),
      row.measureScore === null ? null : Math.round(row.measureScore * 1000) / 10,
      row.missing
        .map((c) => (c === 'measureCompletion' ? '任务完成率' : indicatorName(c, catalogue)))
        .join('、'),
      row.noTarget.map((c) => indicatorName(c, catalogue)).join('、'),
    ]);
  results.mergeCells(1, 1, 1, header.length);
  results.getRow(1).font = { bold: true, size: 14 };
  results.columns.forEach((column, i) => {
    column.width = i === 2 ? 14 : i >= 4 && i < 4 + codes.length ? 16 : 10;
  });
  results.views = [{ state: 'frozen', ySplit: 3, xSplit: 3 }];

  const weights = workbook.addWorksheet('权重');
  weights.addRow(['指标代码', '指标', '单位', '权重']).font = { bold: true };
  for (const code of codes) {
    const indicator = catalogue.find((i) => i.code === code);
    weights.addRow([code, indicator?.zh ?? code, indicator?.unit ?? '', card.config.indicatorWeights[code]]);
  }
  weights.addRow([
    'measureCompletion',
    '任务完成率（已验收任务 ÷ 分配任务）',
    '%',
    card.config.measureWeight,
  ]);

  const method = workbook.addWorksheet('说明');
  for (const line of [
    '指标得分 = (现值 − 基期值) ÷ (目标值 − 基期值)，限定在 0–1；无基期值时为 现值 ÷ 目标值（越低越好的指标取倒数）。',
    '缺报指标得 0 分并列入“缺报”；未设定目标的指标无法评分，计 0 分并列入“无目标”。',
    '没有任何可评分项（既无有目标的指标值，也无任务完成率）的地区不排名，标为“未排名”。',
    '任务完成率 = 经统筹部门验收的已完成任务 ÷ 分配给该地区的任务。',
    '总分 = 100 × Σ(权重 × 得分) ÷ Σ权重；同分同名次。',
  ])
    method.addRow([line]);
  method.getColumn(1).width = 100;

  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const escapeHtml = (s: string): string =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/**
 * A printable HTML report of the scorecard, A4 landscape, the kind circulated to leaders; print it to PDF from
 * any browser. Everything is escaped; no script, no external resources.
 */
export function scorecardToHtml(card: Scorecard, catalogue: Indicator[], meta: ReportMeta): string {
  const codes = Object.keys(card.config.indicatorWeights);
  const head = ['排名', '地区', '总分', ...codes.map((c) => indicatorName(c, catalogue)), '任务完成率']
    .map((h) => `<th>${escapeHtml(h)}</th>`)
    .join('');
  // The same words as the dashboard: a score, or why there is none (缺报: not reported; 无目标: no target set).
  const cell = (r: Scorecard['rows'][number], code: string): string =>
    r.indicatorScores[code] !== null
      ? ((r.indicatorScores[code] ?? 0) * 100).toFixed(1)
      : r.missing.includes(code)
        ? '缺报'
        : '无目标';
  const completion = (r: Scorecard['rows'][number]): string =>
    r.measureScore === null ? '缺报' : (r.measureScore * 100).toFixed(1);
  const body = card.rows
    .map(
      (r) =>
        `<tr><td>${r.rank ?? '未排名'}</td><td>${escapeHtml(r.name)}</td><td class="total">${r.total.toFixed(1)}</td>${codes
          .map((c) => `<td>${cell(r, c)}</td>`)
          .join('')}<td>${completion(r)}</td></tr>`,
    )
    .join('\n');
  const weights = codes
    .map((c) => `${escapeHtml(indicatorName(c, catalogue))} ${card.config.indicatorWeights[c]}`)
    .concat(`任务完成率 ${card.config.measureWeight}`)
    .join('；');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(meta.title)}</title>
<style>
@page { size: A4 landscape; margin: 15mm; }
body { font-family: "Noto Serif CJK SC", "Songti SC", SimSun, serif; color: #000; }
h1 { font-size: 20pt; text-align: center; margin: 0 0 4mm; }
p.meta { text-align: center; margin: 0 0 6mm; }
table { border-collapse: collapse; width: 100%; font-size: 10.5pt; }
th, td { border: 0.5pt solid #000; padding: 1.5mm 2mm; text-align: center; }
th { background: #eee; }
td.total { font-weight: bold; }
p.note { font-size: 9pt; margin-top: 4mm; }
</style></head><body>
<h1>${escapeHtml(meta.title)}</h1>
<p class="meta">${escapeHtml(meta.issuer)}\u3000数据截至 ${escapeHtml(meta.asOf)}</p>
<table><thead><tr>${head}</tr></thead><tbody>
${body}
</tbody></table>
<p class="note">权重：${weights}。指标得分为完成目标的程度（0–100），缺报、无目标计 0 分；总分 = 100 × Σ(权重 × 得分) ÷ Σ权重，同分同名次；没有任何可评分项的地区不排名。</p>
</body></html>
`;
}
