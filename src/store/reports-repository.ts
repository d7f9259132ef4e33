import { pageOf } from './paging.js';
import { Where, withinRegion, type Row, type Sql } from './sql.js';
import type { MonitoringReportRecord, MonitoringReportRepository, ReportFormat } from './reports-types.js';

const COLUMNS =
  'id, region_code, type_code, lang, title, run_id, previous_run_id, summary, html_bytes, docx_bytes, ' +
  'xlsx_bytes, created_by_id, created_by, created_at';

function reportFromRow(r: Row): MonitoringReportRecord {
  return {
    id: Number(r.id),
    regionCode: r.region_code as string,
    typeCode: (r.type_code as string | null) ?? null,
    lang: r.lang as 'zh' | 'en',
    title: r.title as string,
    runId: Number(r.run_id),
    previousRunId: r.previous_run_id === null ? null : Number(r.previous_run_id),
    summary: JSON.parse(String(r.summary)) as unknown,
    sizes: { html: Number(r.html_bytes), docx: Number(r.docx_bytes), xlsx: Number(r.xlsx_bytes) },
    createdById: r.created_by_id === null ? null : Number(r.created_by_id),
    createdBy: r.created_by as string,
    createdAt: r.created_at as string,
  };
}

const FILE_COLUMN: Record<ReportFormat, string> = { html: 'html', docx: 'docx', xlsx: 'xlsx' };
const asBuffer = (b: Uint8Array): Buffer => Buffer.from(b.buffer, b.byteOffset, b.byteLength);

/** Monitoring reports (migration 21): one row per report, its three files as blobs beside the figures. */
export function monitoringReportRepository(sql: Sql, now: () => string): MonitoringReportRepository {
  const get = async (id: number) => {
    const row = await sql.get(`SELECT ${COLUMNS} FROM monitoring_reports WHERE id = ?`, [id]);
    return row ? reportFromRow(row) : null;
  };
  return {
    get,
    create: async (r) => {
      const id = await sql.insertId(
        `INSERT INTO monitoring_reports (region_code, type_code, lang, title, run_id, previous_run_id, summary,
           html, docx, xlsx, html_bytes, docx_bytes, xlsx_bytes, created_by_id, created_by, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          r.regionCode,
          r.typeCode,
          r.lang,
          r.title,
          r.runId,
          r.previousRunId,
          JSON.stringify(r.summary ?? null),
          asBuffer(r.files.html),
          asBuffer(r.files.docx),
          asBuffer(r.files.xlsx),
          r.files.html.byteLength,
          r.files.docx.byteLength,
          r.files.xlsx.byteLength,
          r.createdById,
          r.createdBy,
          now(),
        ],
      );
      return (await get(id))!;
    },
    file: async (id, format) => {
      const row = await sql.get<Row>(
        `SELECT ${FILE_COLUMN[format]} AS data FROM monitoring_reports WHERE id = ?`,
        [id],
      );
      return row ? new Uint8Array(row.data as Uint8Array) : null;
    },
    list: async (f) => {
      const { limit, offset } = pageOf(f);
      const where = new Where().when(f?.within, withinRegion('region_code'), f?.within, f?.within);
      const total = (await sql.get<{ n: number }>(
        `SELECT count(*) AS n FROM monitoring_reports ${where.sql}`,
        where.params,
      ))!.n;
      const rows = await sql.all(
        `SELECT ${COLUMNS} FROM monitoring_reports ${where.sql} ORDER BY id DESC LIMIT ? OFFSET ?`,
        [...where.params, limit, offset],
      );
      return { items: rows.map(reportFromRow), total: Number(total), limit, offset };
    },
  };
}
