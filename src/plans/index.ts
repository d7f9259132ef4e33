/** Policy-document parser and plan domain (生活性服务业 action plans): the only public entry of src/plans. */
export {
  importPlan,
  parsePlanText,
  requirePlanStructure,
  flattenMeasures,
  measureUnits,
} from './parse-plan.js';
export { assertPlanSize, decodePlanSource, decodeText, MAX_PLAN_BYTES } from './decode.js';
export { normalizeUnit } from './units.js';
export { DEPARTMENT_KINDS, unitNameEn } from './departments.js';
export { relativeGoal, unitScale } from './targets.js';
export type { DepartmentKind } from './departments.js';
export { diceSimilarity } from './table.js';
export type * from './types.js';
export {
  createAssignments,
  expandLowerGovernments,
  visibleAssignments,
  submitReport,
  reviewReport,
  assignmentState,
  completionShare,
  remindersByDepartment,
  measureStates,
  DEFAULT_TRACKING_RULES,
} from './tracking.js';
export type {
  Assignment,
  ProgressReport,
  Review,
  ReportStatus,
  EvidenceFile,
  Actor,
  Unassignable,
  Stage,
  RiskReason,
  AssignmentState,
  Reminder,
  TrackingRules,
} from './tracking.js';
export {
  applyCorrections,
  validateCorrection,
  measureFingerprint,
  unitFingerprint,
  targetFingerprint,
} from './corrections.js';
export type { Correction, CorrectionOp, CorrectedPlan, Conflict, TargetFields } from './corrections.js';
export { ownsAssignment, trackingActor, seesAllTracking, isInternal } from './viewers.js';
export { presentPlan, presentAssignment, presentCorrections } from './presenters.js';
export {
  loadPlan,
  listPlans,
  planDetail,
  planCorrections,
  assignmentsWithState,
  remindersFor,
  completionByDistrict,
  measureCompletionByRegion,
} from './queries.js';
export type { DistrictCompletion } from './queries.js';
export {
  importPlanDocument,
  correctPlan,
  assignPlan,
  submitProgressReport,
  reviewProgressReport,
} from './commands.js';
export type {
  PlanImportInput,
  CorrectPlanInput,
  AssignPlanInput,
  SubmitReportInput,
  ReviewReportInput,
} from './commands.js';
