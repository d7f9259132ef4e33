/** Policy-document parser and plan domain (生活性服务业 action plans): the only public entry of src/plans. */
export { importPlan, parsePlanText, flattenMeasures, measureUnits } from './parse-plan.js';
export { assertPlanSize, decodePlanSource, decodeText, MAX_PLAN_BYTES } from './decode.js';
export { normalizeUnit } from './units.js';
export { DEPARTMENT_KINDS } from './departments.js';
export type { DepartmentKind } from './departments.js';
export { diceSimilarity } from './table.js';
export type * from './types.js';
