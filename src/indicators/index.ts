/** Indicators, targets and the district scorecard: the only public entry of src/indicators. */
export { INDICATORS, indicatorByCode } from './catalogue.js';
export type { Indicator, IndicatorKind, Direction, Formula, SourceNote } from './catalogue.js';
export { computeIndicator, computeAll, latestValues } from './compute.js';
export type { IndicatorValue, Provenance, AnalysisInputs, ComputeResult } from './compute.js';
export { assessProgress, chartPoints, trajectoryValue, DEFAULT_PROGRESS_THRESHOLDS } from './progress.js';
export type {
  ProgressThresholds,
  ProgressInput,
  ProgressAssessment,
  ProgressStatus,
  Observation,
  ChartPoint,
  EarlyWarning,
  WarningKind,
} from './progress.js';
export { suggestIndicators, suggestLinks, decideLink, MIN_SUGGESTION_SCORE } from './suggest.js';
export type { Suggestion, IndicatorLink, TargetLike } from './suggest.js';
export { buildScorecard, indicatorScore, validateConfig } from './scorecard.js';
export type { Scorecard, ScorecardConfig, DistrictInput, DistrictScore } from './scorecard.js';
export { scorecardToXlsx, scorecardToHtml } from './export.js';
export type { ReportMeta } from './export.js';
export { targetGoal, progressInputFor, valueFromReport } from './link-plans.js';
export {
  proposeLinks,
  proposeOne,
  targetMeasure,
  indicatorMeasure,
  PROPOSAL_LEVELS,
  PROPOSAL_MIN,
} from './propose.js';
export type { LinkProposal, LinkEvidence, MeasureKind, ProposalTarget } from './propose.js';
export { planTargetLinks } from './plan-links.js';
export type { PlanTargetLink } from './plan-links.js';
export {
  DEFAULT_SCORECARD_CONFIG,
  DEFAULT_SCORECARD_WEIGHTS,
  districtScorecard,
  districtsToScore,
  targetInForce,
} from './district-scorecard.js';
export type {
  DistrictScorecard,
  DistrictScorecardInput,
  ScorecardNote,
  ScorecardTarget,
  ScorecardValue,
} from './district-scorecard.js';
export {
  indicatorDomain,
  ownerInEnglish,
  presentIndicator,
  presentTarget,
  presentValue,
} from './presenters.js';
export type { RegionNames } from './presenters.js';
export {
  indicatorOr404,
  regionsOf,
  regionNames,
  indicatorCatalogue,
  suggestFor,
  indicatorHistory,
  targetList,
  targetProgress,
  scorecardView,
  scorecardReportMeta,
} from './queries.js';
export { reportIndicatorValue, setIndicatorTarget, configureScorecard, reportProblem } from './commands.js';
export type { ReportValueInput, SetTargetInput } from './commands.js';
