import { spreadsheetSafe, toCsv } from '../tabular/index.js';
import type { Community, FacilityStatus, FacilityType, ServiceDomain } from '../store/index.js';
import { DOMAIN_LABELS, FIELDS, STATUS_LABELS, type RegisterEntity } from './fields.js';
import type { RegisterRecord } from './parse-row.js';
import { PROBLEM_REASONS } from './problems.js';
import type { ImportReport } from './import.js';
import { recordToCells } from './records.js';

export const EXPORT_FORMATS = ['csv', 'xlsx', 'geojson'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportOptions {
  /**
   * Language of headers and of coded values (status, domains, facility type); both re-import unchanged.
   * Default zh, the first UI language: 状态 运营 rather than status open.
   */
  headers?: 'zh' | 'en';
  /** Facility types by code, to write their Chinese names under zh headers. */
  facilityTypes?: readonly FacilityType[];
  /** Keep personal fields (contact names and phones) — only for roles allowed to see them. Default false. */
  includePersonal?: boolean;
}

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  geojson: 'application/geo+json',
};

function exportFields(entity: RegisterEntity, options: ExportOptions) {
  return FIELDS[entity].filter((f) => !f.importOnly && (options.includePersonal || !f.personal));
}

/** The header row and the cell rows of an export, shared by CSV and XLSX; cells are spreadsheet-safe. */
function tabulate(
  entity: RegisterEntity,
  records: RegisterRecord[],
  options: ExportOptions,
): { header: string[]; rows: string[][] } {
  const fields = exportFields(entity, options);
  const header = fields.map((f) => (options.headers === 'en' ? f.en : f.zh));
  const rows = records.map((r) => {
    const cells = labelledCells(entity, r, options);
    return fields.map((f) => spreadsheetSafe(cells[f.en] ?? ''));
  });
  return { header, rows };
}

/**
 * Writes records as CSV (UTF-8 with BOM, so Excel opens Chinese text correctly), XLSX (codes as text cells, so
 * Excel never turns an 18-character 统一社会信用代码 into a rounded number) or GeoJSON (WGS-84 points, or the
 * community's polygon when it has one).
 */
export async function exportRegister(
  entity: RegisterEntity,
  records: RegisterRecord[],
  format: ExportFormat,
  options: ExportOptions = {},
): Promise<Buffer> {
  if (format === 'geojson') return Buffer.from(JSON.stringify(toFeatureCollection(entity, records, options)));
  const { header, rows } = tabulate(entity, records, options);
  if (format === 'csv')
    return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(toCsv([header, ...rows]))]);
  const workbook = new (await loadExcel()).Workbook();
  const sheet = workbook.addWorksheet(entity);
  sheet.addRow(header).font = { bold: true };
  for (const row of rows) sheet.addRow(row);
  sheet.columns.forEach((c) => (c.numFmt = '@'));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function toFeatureCollection(entity: RegisterEntity, records: RegisterRecord[], options: ExportOptions) {
  const fields = exportFields(entity, options).filter((f) => f.key !== 'lon' && f.key !== 'lat');
  return {
    type: 'FeatureCollection',
    features: records
      .filter((r) => 'location' in r)
      .map((r) => {
        const cells = labelledCells(entity, r, options);
        const boundary = (r as Community).boundary;
        const { lon, lat } = (r as Community).location;
        return {
          type: 'Feature',
          geometry: boundary ?? { type: 'Point', coordinates: [lon, lat] },
          properties: Object.fromEntries(
            fields.map((f) => [options.headers === 'en' ? f.en : f.zh, typed(r, f.key, cells[f.en])]),
          ),
        };
      }),
  };
}

/** GeoJSON keeps numbers, booleans and nulls as such (the importer reads them back the same). */
function typed(
  record: RegisterRecord,
  key: string,
  cell: string | undefined,
): string | number | boolean | null {
  const r = record as unknown as Record<string, unknown>;
  const value = key in r ? r[key] : (r.ageGroups as Record<string, unknown> | undefined)?.[key];
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  return cell ?? '';
}

/** The row report of an import as a workbook a clerk can open next to the file and fix row by row. */
export async function importReportToXlsx(report: ImportReport): Promise<Buffer> {
  const workbook = new (await loadExcel()).Workbook();
  const problemSheet = (name: string, problems: ImportReport['problems']) => {
    const sheet = workbook.addWorksheet(name);
    sheet.columns = [
      { header: '行号 Row', key: 'row', width: 10 },
      { header: '列 Column', key: 'column', width: 22 },
      { header: '值 Value', key: 'value', width: 26, style: { numFmt: '@' } },
      { header: '原因 Reason', key: 'reasonZh', width: 24 },
      { header: '说明 Details', key: 'message', width: 80 },
      { header: '代码 Code', key: 'reason', width: 18 },
    ];
    sheet.getRow(1).font = { bold: true };
    for (const p of problems)
      sheet.addRow({
        row: p.row,
        column: p.column,
        value: spreadsheetSafe(p.value),
        reasonZh: PROBLEM_REASONS[p.reason].zh,
        message: p.message,
        reason: p.reason,
      });
  };
  problemSheet('导入报告 Import report', report.problems);
  if (report.warnings?.length) problemSheet('提醒 Warnings', report.warnings);
  if (report.typeProposal) {
    const sheet = workbook.addWorksheet('类型对应 Type mapping');
    sheet.columns = [
      {
        header: `文件中的值 Value in '${report.typeProposal.column}'`,
        key: 'value',
        width: 28,
        style: { numFmt: '@' },
      },
      { header: '行数 Rows', key: 'rows', width: 10 },
      { header: '建议类型 Proposed type', key: 'proposed', width: 28 },
      { header: '类型名称 Type name', key: 'proposedName', width: 24 },
    ];
    sheet.getRow(1).font = { bold: true };
    for (const v of report.typeProposal.values)
      sheet.addRow({
        ...v,
        value: spreadsheetSafe(v.value),
        proposed: v.proposed ?? '',
        proposedName: v.proposedName ?? '',
      });
  }
  const summary = workbook.addWorksheet('摘要 Summary');
  const verdict = report.dryRun
    ? report.accepted
      ? '试导入：可以导入，未写入 dry run: would be imported, nothing written'
      : '试导入：将被拒绝，未写入 dry run: would be rejected, nothing written'
    : report.accepted
      ? report.skippedRows
        ? `已导入，跳过 ${report.skippedRows} 行问题行 imported, ${report.skippedRows} rows with problems skipped`
        : '已导入 imported'
      : '已拒绝，未写入任何行 rejected, nothing written';
  for (const [k, v] of [
    ['文件 File', report.fileName],
    ['SHA-256', report.fileSha256],
    ['结果 Result', verdict],
    ['数据行 Rows', report.rows],
    ['问题 Problems', report.problemCount],
    [
      '问题分类 By reason',
      Object.entries(report.problemsByReason)
        .map(([reason, n]) => `${PROBLEM_REASONS[reason as keyof typeof PROBLEM_REASONS].zh} ${n}`)
        .join('；'),
    ],
    ['提醒 Warnings', report.warningCount ?? 0],
    ['生成编码的行 Codes made from name and position', report.generatedCodes ?? 0],
    ['由区/街道名称补全区划代码的行 Division codes from names', report.regionsFromNames ?? 0],
    ['编码 Encoding', report.encoding],
    ['坐标系 Coordinates', report.crs],
    ['未使用的列 Ignored columns', report.ignoredColumns.join(', ')],
  ] as const)
    summary.addRow([k, v]);
  summary.getColumn(1).width = 28;
  summary.getColumn(2).width = 70;
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** exceljs is large (~1 s to load on a busy machine); load it only when a workbook is read or written. */
async function loadExcel(): Promise<typeof import('exceljs')> {
  return (await import('exceljs')).default;
}

/** The record's cells, with coded values in Chinese when the headers are Chinese. */
function labelledCells(
  entity: RegisterEntity,
  record: RegisterRecord,
  options: ExportOptions,
): Record<string, string> {
  const cells = recordToCells(entity, record);
  if (options.headers === 'en') return cells;
  if (cells.status) cells.status = STATUS_LABELS[cells.status as FacilityStatus]?.zh ?? cells.status;
  if (cells.domains)
    cells.domains = cells.domains
      .split(';')
      .map((d) => DOMAIN_LABELS[d as ServiceDomain]?.zh ?? d)
      .join('、');
  if (cells.type)
    cells.type = options.facilityTypes?.find((t) => t.code === cells.type)?.nameZh ?? cells.type;
  return cells;
}
