/**
 * The basemap: water, green, buildings, roads and places read from a city's OSM extract (XML or PBF) in one
 * streaming pass, kept in the store per city, and served by this server as Mapbox Vector Tiles with a place-name
 * search — no remote tiles, no tokens. Nothing outside this folder reaches past this file.
 */
export {
  BASEMAP_LAYERS,
  DETAIL_ROAD_CLASSES,
  PLACE_CLASSES,
  ROAD_CLASSES,
  classifyPoint,
  classifyWay,
} from './rules.js';
export type { BasemapLayer, RoadClass, WayFeature } from './rules.js';
export type { Basemap, BasemapFeature, BasemapGeometry, ExtractedBasemap, Position } from './types.js';
export { extractBasemap } from './extract.js';
export type { ExtractOptions } from './extract.js';
export { BASEMAP_FORMAT, decodeBasemap, encodeBasemap } from './encode.js';
export type { EncodedBasemapBytes } from './encode.js';
export { BASEMAP_MAX_ZOOM, BASEMAP_MIN_ZOOMS, BasemapTiles } from './tiles.js';
export { PlaceIndex } from './search.js';
export type { PlaceHit, PlaceKind } from './search.js';
export { StoredBasemap } from './stored.js';
export { BasemapThread, holdBasemapThread } from './thread.js';
export type { ThreadBasemap } from './thread.js';
export { importCityBasemap, keepCityBasemap } from './commands.js';
export type { ImportCityBasemapInput, ImportCityBasemapResult } from './commands.js';
