/**
 * The national life-circle standards as data: tiers, facility types, 商务部 business formats, the
 * complete-community checklist and the city configuration that overrides them. Every value carries its source
 * and whether it is verified.
 */
export type { Provenance, Sourced } from './provenance.js';
export { sourced, verificationLabel } from './provenance.js';
export type { LifeCircleTier, TierId } from './tiers.js';
export { TIERS, TIER_IDS, WALKING_SPEED_M_PER_MIN, tierById } from './tiers.js';
export type { DemandGroup, FacilityType, OsmSelector, Provision } from './facility-types.js';
export { DEMAND_GROUPS, DEMAND_GROUP_NAMES, FACILITY_TYPES } from './facility-types.js';
export type { BusinessFormat, FormatClass } from './mofcom-formats.js';
export { MOFCOM_FORMATS, MOFCOM_CIRCLE_MINUTES } from './mofcom-formats.js';
export type { ChecklistItem } from './complete-community.js';
export { COMPLETE_COMMUNITY_CHECKLIST } from './complete-community.js';
export type { CityConfig, ResolvedFacilityType, Standards } from './city-config.js';
export {
  applyCityConfig,
  defaultStandards,
  facilityTypeById,
  loadStandards,
  parseCityConfig,
} from './city-config.js';
export { matchesSelector, matchingTypes } from './osm-match.js';
