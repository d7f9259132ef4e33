/**
 * The registry: communities, facilities and providers as the city keeps them — import from CSV, XLSX and GeoJSON
 * (column mapping, GBK detection, GCJ-02/BD-09 conversion, all-or-nothing validation with a row report), single
 * record writes with audit, exports, and the 统一社会信用代码 validator.
 */
export { validateUscc, usccCheckChar, orgCodeCheckChar, USCC_CHARSET } from './uscc.js';
export type { UsccVerdict, UsccProblem } from './uscc.js';
export { toWgs84, fromWgs84, parseCoordinateSystem, COORDINATE_SYSTEMS } from './coordinates.js';
export type { CoordinateSystem } from './coordinates.js';
export { readTable, decodeText, detectFormat, FILE_FORMATS, TEXT_ENCODINGS } from './read-file.js';
export type { FileFormat, TextEncoding, SourceTable, SourceRow } from './read-file.js';
export { FIELDS, REGISTER_ENTITIES, DOMAIN_LABELS, STATUS_LABELS, resolveColumns } from './fields.js';
export type { RegisterEntity, FieldSpec } from './fields.js';
export { PROBLEM_REASONS } from './problems.js';
export type { RowProblem, ProblemReason } from './problems.js';
export type { RegisterRecord } from './parse-row.js';
export { importRegister, boundedReport, rejectionMessage, REPORT_LIMITS } from './import.js';
export type { ImportOptions, ImportReport, ImportOutcome, ImportProgress } from './import.js';
export {
  saveRecord,
  deleteRecord,
  importRecords,
  saveFacilityType,
  addDefaultFacilityTypes,
  validateRecord,
  SAVE_RECORD,
  DELETE_RECORD,
} from './commands.js';
export type { SaveResult, SaveRecordInput, ImportInput } from './commands.js';
export { exportRegister, importReportToXlsx, EXPORT_FORMATS, CONTENT_TYPES } from './export.js';
export type { ExportFormat, ExportOptions } from './export.js';
export { DEFAULT_FACILITY_TYPES } from './facility-types.js';
export { recordKey } from './records.js';
export {
  listRecords,
  allRecords,
  getRecord,
  importRecordFor,
  importRequestOptions,
  parseStringMap,
} from './queries.js';
export type { RegisterFilters } from './queries.js';
export { linkCommunities } from './link.js';
export type { LinkCommunitiesInput, LinkCommunitiesReport } from './link.js';
