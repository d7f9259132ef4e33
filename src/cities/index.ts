/** Cities and 区县 the platform is set up for, from their division code (README.md). */
export { createCity, setCityExtent, checkBbox } from './commands.js';
export type { CreateCityInput, CreateCityResult, SetCityExtentInput } from './commands.js';
export { cityExtent } from './queries.js';
export { findCityDivision, divisionsOf, normalizeDivisionCode } from './divisions.js';
export type { CityDivision } from './divisions.js';
export { CHINA_BBOX, bundledExtent, extentOf, insideExtent } from './extent.js';
export type { BundledExtent, CityExtent } from './extent.js';
export { openCityTemporaryStore, setUpSeedCities } from './seed.js';
