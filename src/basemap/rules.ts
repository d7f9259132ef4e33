import type { OsmTags } from '../osm/index.js';

/**
 * Which OSM features the basemap draws and under which class: the tag rules as data (STYLE habit 6), read by
 * `extract.ts`. A feature's `class` is the one value a map style filters on; these tables are its vocabulary.
 */

/** The layers of the basemap, in drawing order (bottom to top). */
export const BASEMAP_LAYERS = ['water', 'green', 'buildings', 'roads', 'places'] as const;
export type BasemapLayer = (typeof BASEMAP_LAYERS)[number];

/** Road classes by `highway` value; values not listed (construction, proposed, platform, …) are left out. */
export const ROAD_CLASSES: Readonly<Record<string, RoadClass>> = {
  motorway: 'major',
  motorway_link: 'major',
  trunk: 'major',
  trunk_link: 'major',
  primary: 'major',
  primary_link: 'major',
  secondary: 'secondary',
  secondary_link: 'secondary',
  tertiary: 'tertiary',
  tertiary_link: 'tertiary',
  residential: 'minor',
  unclassified: 'minor',
  living_street: 'minor',
  service: 'minor',
  road: 'minor',
  footway: 'path',
  path: 'path',
  pedestrian: 'path',
  steps: 'path',
  cycleway: 'path',
  track: 'path',
  bridleway: 'path',
};
export type RoadClass = 'major' | 'secondary' | 'tertiary' | 'minor' | 'path';

/** Road classes cut into tiles only from zoom 13 (so low-zoom tiles stay small). */
export const DETAIL_ROAD_CLASSES: ReadonlySet<string> = new Set(['minor', 'path']);

/** Water areas: the tag and value, and the class it gets (closed ways and multipolygon relations). */
const WATER_AREAS: readonly [key: string, value: string, cls: string][] = [
  ['natural', 'water', 'water'],
  ['landuse', 'reservoir', 'reservoir'],
  ['landuse', 'basin', 'basin'],
  ['waterway', 'riverbank', 'riverbank'],
];

/** Water lines by `waterway` value (the class is the value). */
const WATER_LINES: ReadonlySet<string> = new Set(['river', 'canal', 'stream', 'drain']);

/** Green areas: key → values (the class is the value). */
const GREEN_AREAS: Readonly<Record<string, ReadonlySet<string>>> = {
  leisure: new Set(['park', 'garden', 'pitch', 'playground']),
  landuse: new Set(['grass', 'forest', 'recreation_ground', 'meadow', 'village_green']),
  natural: new Set(['wood', 'scrub']),
};

/** Settlements and parts of them (`place=*` nodes); the class is the value. */
export const PLACE_CLASSES: ReadonlySet<string> = new Set([
  'city',
  'district',
  'suburb',
  'town',
  'quarter',
  'neighbourhood',
  'village',
  'hamlet',
]);

/** Keys whose value is a named point of interest's class, in this order of preference. */
const POI_KEYS = ['amenity', 'tourism', 'leisure'] as const;

/** The name a map shows: `name:zh`, else `name`; undefined when neither is set. */
export function nameOf(tags: OsmTags): string | undefined {
  const name = (tags['name:zh'] ?? tags.name)?.trim();
  return name ? name : undefined;
}

/** What a way (or multipolygon relation) is on the basemap: its layer, class and whether it is an area. */
export type WayFeature =
  | { layer: 'water'; cls: string; area: boolean }
  | { layer: 'green'; cls: string; area: true }
  | { layer: 'buildings'; cls: 'building'; area: true }
  | { layer: 'roads'; cls: RoadClass; area: false };

/**
 * The basemap feature of a way's (or an area relation's) tags, or null: roads first (a highway outline is a road,
 * whatever else it carries), then water, green, buildings. Areas still need a closed way or assembled rings.
 */
export function classifyWay(tags: OsmTags): WayFeature | null {
  const highway = tags.highway;
  if (highway !== undefined) {
    const cls = ROAD_CLASSES[highway];
    if (cls && tags.area !== 'yes') return { layer: 'roads', cls, area: false };
  }
  for (const [key, value, cls] of WATER_AREAS)
    if (tags[key] === value) return { layer: 'water', cls, area: true };
  if (tags.waterway !== undefined && WATER_LINES.has(tags.waterway))
    return { layer: 'water', cls: tags.waterway, area: false };
  for (const [key, values] of Object.entries(GREEN_AREAS))
    if (tags[key] !== undefined && values.has(tags[key]))
      return { layer: 'green', cls: tags[key], area: true };
  if (tags.building !== undefined && tags.building !== 'no')
    return { layer: 'buildings', cls: 'building', area: true };
  return null;
}

/**
 * The class of a place or point of interest of a node, or null: `place=*` of PLACE_CLASSES (named or not: the
 * caller requires a name), else the value of amenity, tourism or leisure. A point of interest never takes a
 * settlement's class, so a style can tell the two apart by class alone.
 */
export function classifyPoint(tags: OsmTags): { cls: string; poi: boolean } | null {
  if (tags.place !== undefined && PLACE_CLASSES.has(tags.place)) return { cls: tags.place, poi: false };
  for (const key of POI_KEYS) {
    const value = tags[key];
    if (value !== undefined && value !== '' && value !== 'no' && !PLACE_CLASSES.has(value))
      return { cls: value, poi: true };
  }
  return null;
}

/** A bridge or tunnel flag: any value but `no` (bridge=viaduct, tunnel=building_passage, …). */
export function flagOf(value: string | undefined): boolean {
  return value !== undefined && value !== 'no';
}
