/**
 * The running analysis engine behind `npm start`: loads the bundled Chengdu places into the store, evaluates
 * life-circle coverage over what the store holds, records each evaluation as an analysis run and answers the
 * server's analysis and map routes (it implements the server's AnalysisProvider and MapDataProvider).
 */
export { LifeCircleEngine, ENGINE_VERSION, ATTRIBUTION } from './engine.js';
export type { EngineOptions } from './engine.js';
export { BUNDLED_OSM, ensureStandardTypes, loadBundledPlaces } from './bundled.js';
export type { BundledLoad } from './bundled.js';
export { STANDARD_TYPE_DOMAINS } from './domains.js';
export { inputsHash, readStoreInputs } from './store-inputs.js';
export type { StoreInputs } from './store-inputs.js';
