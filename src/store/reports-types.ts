import type { Page, PageQuery } from './types.js';

/** The files a monitoring report is kept as (src/reports). */
export const REPORT_FORMATS = ['html', 'docx', 'xlsx'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** A monitoring report (监测评价报告) as kept: what it covers, which runs it compares, who made it; the files apart. */
export interface MonitoringReportRecord {
  id: number;
  /** The division code reported on: the city's, or one 区's. */
  regionCode: string;
  /** The facility type the map is coloured by; null: the share of types covered. */
  typeCode: string | null;
  lang: 'zh' | 'en';
  title: string;
  runId: number;
  /** The run the changes are measured from; null when there was none before. */
  previousRunId: number | null;
  /** Headline figures (src/reports `ReportSummary`), JSON. */
  summary: unknown;
  /** Bytes of each file. */
  sizes: Record<ReportFormat, number>;
  createdById: number | null;
  createdBy: string;
  createdAt: string;
}

export type NewMonitoringReport = Omit<MonitoringReportRecord, 'id' | 'createdAt' | 'sizes'> & {
  files: Record<ReportFormat, Uint8Array>;
};

export interface MonitoringReportFilter extends PageQuery {
  /** Reports whose region lies within this division code (a prefix). */
  within?: string;
}

export interface MonitoringReportRepository {
  create(report: NewMonitoringReport): Promise<MonitoringReportRecord>;
  get(id: number): Promise<MonitoringReportRecord | null>;
  /** One file's bytes; null when the report does not exist. */
  file(id: number, format: ReportFormat): Promise<Uint8Array | null>;
  /** Newest first, without the files. */
  list(filter?: MonitoringReportFilter): Promise<Page<MonitoringReportRecord>>;
}
