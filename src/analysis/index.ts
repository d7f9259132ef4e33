/**
 * The running analysis service behind `npm start`: prepares the store and loads the bundled Chengdu network and
 * places, evaluates life-circle coverage over what the store holds, records each evaluation as an analysis run
 * and answers the analysis, map and planning questions (`AnalysisProvider`, `MapDataProvider`,
 * `PlanningProvider`, declared here in types.ts). Imports nothing from src/server.
 */
export { LifeCircleEngine, ENGINE_VERSION, ATTRIBUTION } from './engine.js';
export { evaluateStore, evaluatedProvider } from './engine.js';
export type { EngineOptions, Evaluated, EvaluationSetup } from './engine.js';
export {
  BUNDLED_CITY,
  BUNDLED_OSM,
  BUNDLED_PLAN,
  ensureStandardTypes,
  loadBundledBasemap,
  loadBundledPlaces,
  loadBundledPlan,
} from './bundled.js';
export type { BundledLoad } from './bundled.js';
export { STANDARD_TYPE_DOMAINS } from './domains.js';
export { inputsHash, readStoreInputs } from './store-inputs.js';
export type { StoreInputs } from './store-inputs.js';
export type {
  AnalysisOutput,
  AnalysisProvider,
  CommunityDetail,
  CoverageRow,
  FacilitiesPage,
  FacilityFeature,
  FacilityQuery,
  GapsAnswer,
  IsochroneReach,
  IsochroneResult,
  MapDataProvider,
  MapSummary,
  PlaceSearchAnswer,
  PlanningProvider,
  SitingAnswer,
  TargetNeedAnswer,
  WhatIfAnswer,
  WhatIfRequest,
} from './types.js';
export { prepareStore, loadBundledGraph } from './startup.js';
export type { PrepareResult } from './startup.js';
export { runAnalysis } from './commands.js';
export {
  describeNetworkNote,
  importCityNetwork,
  loadCityGraph,
  networkExtent,
  NETWORK_IMPORT_PHASES,
} from './city-network.js';
export type { ImportCityNetworkInput, ImportCityNetworkResult, NetworkNote } from './city-network.js';
export { summariseCoverageRun } from './coverage-summary.js';
export type { CoverageSummary, TypeCoverage } from './coverage-summary.js';
export { TILE_LAYERS, TILE_MAX_ZOOM } from './tiles.js';
export type { TileLayer } from './tiles.js';
export type { RunAnalysisInput } from './commands.js';

/** Test support: synthetic OSM grids (labelled, never real places) for tests of any module. */
export { syntheticGridOsm } from './test-grid.js';
export type { SyntheticGrid } from './test-grid.js';
