import type { BasemapCounts } from '../store/index.js';
import type { BasemapLayer } from './rules.js';

/** WGS-84 [lon, lat] in degrees (rounded to 1e-6°, about 0.1 m). */
export type Position = [number, number];

/** Lines are multi-lines (a way cut where the extract lacks its nodes); areas are multipolygons with holes. */
export type BasemapGeometry =
  | { type: 'Point'; coordinates: Position }
  | { type: 'MultiLineString'; coordinates: Position[][] }
  | { type: 'MultiPolygon'; coordinates: Position[][][] };

/** One feature of a basemap layer: its class (rules.ts), name, road flags and geometry. */
export interface BasemapFeature {
  class: string;
  /** `name:zh`, else `name`; absent when the feature has neither. */
  name?: string;
  /** Roads only, and only when true. */
  bridge?: true;
  tunnel?: true;
  geometry: BasemapGeometry;
}

/** The basemap of an extract: its features by layer, counted, with their box and where they came from. */
export interface Basemap {
  layers: Record<BasemapLayer, BasemapFeature[]>;
  counts: BasemapCounts;
  /** [west, south, east, north]; null when the basemap holds nothing. */
  bbox: [number, number, number, number] | null;
}

export interface ExtractedBasemap extends Basemap {
  source: { fileName: string; format: 'xml' | 'pbf'; bytes: number; sha256: string };
  /** What was left out: areas that are not closed, relations whose rings never close, nodes the extract lacks. */
  skipped: { openAreas: number; openRelations: number; missingNodeRefs: number };
}
