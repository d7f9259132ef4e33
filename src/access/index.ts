/**
 * Life-circle accessibility and evaluation against the standards: who reaches which services on foot, how far
 * and how many; coverage, completeness, roll-ups, 2SFCA/E2SFCA, gaps, what-if and siting. Pure functions over
 * the network engine's data: no store, no HTTP, no files (the CLI writes them).
 */
export { computeReach } from './reach.js';
export type { FacilityTypeInput, ReachInput, TypeReach } from './reach.js';
export { placeCommunities, placeFacilities } from './place.js';
export type { PlacedCommunities, PlacedFacilities } from './place.js';
export { CatchmentSearch, computeCatchments } from './catchments.js';
export type { Catchments } from './catchments.js';
export { gaussianDecay, uniformDecay, twoStepFca, catchmentDemand } from './fca.js';
export type { DecayFunction, FcaPairs, FcaResult } from './fca.js';
export { evaluateAccess, completenessByTier } from './evaluate.js';
export type { Evaluation, EvaluationInput, TierCompleteness, TypeEvaluation } from './evaluate.js';
export { checkCompleteCommunity } from './checklist.js';
export type { ChecklistResult } from './checklist.js';
export { FORMAT_PREFIX, evaluateFormats, formatSelectors } from './formats.js';
export type { FormatEvaluation, FormatsResult } from './formats.js';
export { findGaps, rollUp, UNKNOWN_DISTRICT, UNKNOWN_SUBDISTRICT } from './rollup.js';
export type { Gap, Rollup, RollupLevel, TierRollup, TypeGaps, TypeRollup } from './rollup.js';
export { WhatIfScenario } from './what-if.js';
export type { CoverageSummary, FacilityChange, WhatIfResult } from './what-if.js';
export {
  candidateCoverage,
  DEFAULT_EXACT_BUDGET_MS,
  generateCandidates,
  siteFacilities,
  siteFacilitiesExact,
  snapCandidates,
} from './siting.js';
export type {
  Candidate,
  ExactAttempt,
  ExactSitingOptions,
  SitingInput,
  SitingMethod,
  SitingPick,
  SitingResult,
} from './siting.js';
export { SitingThread, sharedSitingThread } from './siting-thread.js';
export {
  THIN_POI_CAVEAT,
  districtsGeoJson,
  communitiesGeoJson,
  coverageCsv,
  evaluationToJson,
  rollupCsv,
} from './report.js';
