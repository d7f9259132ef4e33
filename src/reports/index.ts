/**
 * Monitoring reports (第三方监测评价, issue 14 item 5): an area's 15-minute life circle from a stored coverage run,
 * compared with the run before it, as HTML for print, DOCX and an XLSX annex. See README.md.
 */
export { checkReportRequest, generateMonitoringReport, REPORT_PHASES } from './commands.js';
export type { GenerateReportInput } from './commands.js';
export {
  getMonitoringReport,
  listMonitoringReports,
  monitoringReportFile,
  REPORT_MEDIA_TYPES,
} from './queries.js';
export {
  buildMonitoringReport,
  summariseReport,
  REPORT_DEFAULTS,
  REPORT_LANGS,
  REPORT_TIERS,
} from './model.js';
export type {
  BuildInput,
  MonitoringReport,
  ReportLang,
  ReportSummary,
  RunCommunity,
  RunFacilityType,
  StoredPlace,
} from './model.js';
// The renderers (render-html.ts, render-docx.ts, render-xlsx.ts) are not re-exported: they load ECharts, docx (and
// resvg's WebAssembly) and exceljs, which `reports.generate` imports only when it makes a report.
export { DICTIONARIES } from './dictionary.js';
/** For tests of other modules (API, CLI): the SYNTHETIC city with two hand-written coverage runs. */
export { seedTestCity } from './test-city.js';
