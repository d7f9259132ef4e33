import { LifeCircleError } from '../errors.js';
import { requireCovers, requirePermission, scopeOf, type Viewer } from '../policy/index.js';
import type { MonitoringReportRecord, Page, PageQuery, ReportFormat, Store } from '../store/index.js';

/** Media type and file name ending of each format. */
export const REPORT_MEDIA_TYPES: Readonly<Record<ReportFormat, string>> = {
  html: 'text/html; charset=utf-8',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

const scopeLabel = (r: MonitoringReportRecord) => ({
  label: `monitoring report ${r.id}`,
  regionCode: r.regionCode,
});

/** One report's record, when the viewer may read reports and covers its area. */
export async function getMonitoringReport(
  store: Store,
  viewer: Viewer,
  id: number,
): Promise<MonitoringReportRecord> {
  requirePermission(viewer, 'reports.read');
  const record = await store.monitoringReports.get(id);
  if (!record) throw new LifeCircleError('LC_NOT_FOUND', `monitoring report ${id} does not exist`);
  requireCovers(viewer, scopeLabel(record));
  return record;
}

/** One file of a report, for the viewer who may read it. */
export async function monitoringReportFile(
  store: Store,
  viewer: Viewer,
  id: number,
  format: ReportFormat,
): Promise<{ record: MonitoringReportRecord; bytes: Uint8Array; mediaType: string; fileName: string }> {
  const record = await getMonitoringReport(store, viewer, id);
  const bytes = await store.monitoringReports.file(id, format);
  if (!bytes) throw new LifeCircleError('LC_NOT_FOUND', `monitoring report ${id} does not exist`);
  return {
    record,
    bytes,
    mediaType: REPORT_MEDIA_TYPES[format],
    fileName: `monitoring-report-${record.regionCode}-run${record.runId}-${record.lang}.${format}`,
  };
}

/** The reports of the areas the viewer covers (staff: inside their region), newest first. */
export async function listMonitoringReports(
  store: Store,
  viewer: Viewer,
  query: PageQuery & { within?: string },
): Promise<Page<MonitoringReportRecord>> {
  requirePermission(viewer, 'reports.read');
  const scope = scopeOf(viewer);
  if (scope.kind === 'none')
    return { items: [], total: 0, limit: query.limit ?? 50, offset: query.offset ?? 0 };
  const own = scope.kind === 'limited' ? (scope.regionPrefix ?? '') : '';
  const asked = query.within ?? '';
  // The narrower of the two prefixes; two that do not nest select nothing.
  const within = asked.startsWith(own) ? asked : own.startsWith(asked) ? own : null;
  if (within === null) return { items: [], total: 0, limit: query.limit ?? 50, offset: query.offset ?? 0 };
  return store.monitoringReports.list({ ...query, within: within || undefined });
}
