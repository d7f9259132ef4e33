/**
 * Where people live and where services are: communities (社区/小区) from OSM residential areas or imported files,
 * their population and age groups (from the census where missing, flagged as estimated), and facilities from
 * OSM tags or imported files.
 */
export type { Community, Demand, Facility, LonLat } from './types.js';
export { boundaryPoints, ringAreaM2, ringCentroid } from './geometry.js';
export { assembleRings, readOsmPlaces, unnamedAreaName, unnamedAreaNameEn } from './osm-places.js';
export type { OsmPlaces, ResidentialArea } from './osm-places.js';
export { BUNDLED_CENSUS, readCensus } from './census.js';
export type { DistrictCensus } from './census.js';
export { BUNDLED_DISTRICTS, districtAt, readDistricts, shareInside } from './districts.js';
export type { District } from './districts.js';
export { demandFrom, estimateFromCensus } from './estimate.js';
export type { EstimateOptions, EstimateReport } from './estimate.js';
export { COMMUNITY_FIELDS, readCommunityFile, readFacilityFile, readPointFile } from './import-files.js';
export type { CommunityRecord } from './import-files.js';
export { communitiesFromRecords } from './communities.js';
export { apportionPopulation, linkPlacesToUnits } from './link-communities.js';
export type {
  ApportionedPopulation,
  ApportionPlace,
  ApportionResult,
  CommunityUnit,
  LinkablePlace,
  LinkOptions,
  LinkResult,
  PlaceLink,
  UnlinkedPlace,
} from './link-communities.js';
