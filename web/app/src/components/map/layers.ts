import type {
  ExpressionSpecification,
  GeoJSONSource,
  LayerSpecification,
  Map as MapLibreMap,
  StyleSpecification,
} from 'maplibre-gl';
import type { FeatureCollection } from 'geojson';

/**
 * The map's style, drawn only from this server: the basemap (roads with names, water, green, buildings, places)
 * as vector tiles cut from the city's own OSM extract, the walking network and facilities as vector tiles, the
 * communities as GeoJSON (they carry the coverage the map colours by). No remote style, tiles or glyph files:
 * labels are drawn with the browser's own fonts (MapLibre renders text locally when the style has no `glyphs`).
 */

/** Coverage colours: covered, within twice the radius, beyond; newly covered by a planning result. */
export const COLOURS = {
  covered: '#1a9850',
  near: '#fdae61',
  none: '#d73027',
  noData: '#bdbdbd',
  newly: '#2c7bb6',
  pick: '#0b7285',
  whatIf: '#e67700',
  facility: '#5e3c99',
};

/** The server cuts tiles to this zoom (src/analysis/tiles.ts TILE_MAX_ZOOM); the map over-zooms beyond. */
const TILE_MAX_ZOOM = 16;
const tiles = (layer: string): string[] => [`${location.origin}/api/map/tiles/${layer}/{z}/{x}/{y}.pbf`];
const empty: FeatureCollection = { type: 'FeatureCollection', features: [] };

const BASE = {
  land: '#f4f1ea',
  green: '#d5e8c4',
  water: '#a9cfe0',
  building: '#e3ddd3',
  buildingLine: '#d2cbbf',
  casing: '#cfc8bc',
  road: '#ffffff',
  major: '#f7d59c',
  label: '#4a4a4a',
};

const waterWidth: ExpressionSpecification = [
  'interpolate',
  ['exponential', 1.6],
  ['zoom'],
  12,
  1,
  16,
  4,
  18,
  10,
];
const roadClassWidth: ExpressionSpecification = [
  'match',
  ['get', 'class'],
  'major',
  2.2,
  'secondary',
  1.8,
  'tertiary',
  1.4,
  'minor',
  1,
  0.5,
];
const byClass = (scale: number): ExpressionSpecification => [
  'interpolate',
  ['exponential', 1.6],
  ['zoom'],
  12,
  ['*', roadClassWidth, 0.5 * scale],
  16,
  ['*', roadClassWidth, 3 * scale],
  18,
  ['*', roadClassWidth, 8 * scale],
];

/** Basemap layers below the data (land, green, water, buildings, roads). */
function basemapLayers(): LayerSpecification[] {
  const source = 'basemap';
  return [
    { id: 'background', type: 'background', paint: { 'background-color': BASE.land } },
    {
      id: 'green',
      type: 'fill',
      source,
      'source-layer': 'green',
      paint: { 'fill-color': BASE.green },
    },
    {
      id: 'water-area',
      type: 'fill',
      source,
      'source-layer': 'water',
      filter: ['in', ['geometry-type'], ['literal', ['Polygon', 'MultiPolygon']]],
      paint: { 'fill-color': BASE.water },
    },
    {
      id: 'water-line',
      type: 'line',
      source,
      'source-layer': 'water',
      filter: ['in', ['geometry-type'], ['literal', ['LineString', 'MultiLineString']]],
      paint: { 'line-color': BASE.water, 'line-width': waterWidth },
    },
    {
      id: 'buildings',
      type: 'fill',
      source,
      'source-layer': 'buildings',
      minzoom: 14,
      paint: { 'fill-color': BASE.building, 'fill-outline-color': BASE.buildingLine },
    },
    {
      id: 'roads-casing',
      type: 'line',
      source,
      'source-layer': 'roads',
      filter: ['!=', ['get', 'class'], 'path'],
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: { 'line-color': BASE.casing, 'line-width': byClass(1.35) },
    },
    {
      id: 'paths',
      type: 'line',
      source,
      'source-layer': 'roads',
      minzoom: 14,
      filter: ['==', ['get', 'class'], 'path'],
      paint: { 'line-color': '#b9b1a4', 'line-width': 1, 'line-dasharray': [2, 1.5] },
    },
    {
      id: 'roads',
      type: 'line',
      source,
      'source-layer': 'roads',
      filter: ['!=', ['get', 'class'], 'path'],
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: {
        'line-color': ['match', ['get', 'class'], 'major', BASE.major, 'secondary', '#fbe8b5', BASE.road],
        'line-width': byClass(1),
      },
    },
  ];
}

/** Labels above everything: road names along the line, then places, water and parks. */
function labelLayers(): LayerSpecification[] {
  const halo = { 'text-color': BASE.label, 'text-halo-color': '#ffffff', 'text-halo-width': 1.4 };
  return [
    {
      id: 'road-labels',
      type: 'symbol',
      source: 'basemap',
      'source-layer': 'roads',
      minzoom: 13,
      filter: ['all', ['has', 'name'], ['!=', ['get', 'class'], 'path']],
      layout: {
        'symbol-placement': 'line',
        'text-field': ['get', 'name'],
        'text-size': ['interpolate', ['linear'], ['zoom'], 13, 10, 17, 13],
        'text-max-angle': 30,
        'symbol-spacing': 320,
      },
      paint: halo,
    },
    {
      id: 'place-labels',
      type: 'symbol',
      source: 'basemap',
      'source-layer': 'places',
      filter: ['has', 'name'],
      layout: {
        'text-field': ['get', 'name'],
        'text-size': [
          'match',
          ['get', 'class'],
          ['city', 'district', 'town'],
          15,
          ['suburb', 'quarter'],
          13,
          11,
        ],
        'text-max-width': 8,
        'text-padding': 4,
      },
      paint: halo,
    },
  ];
}

/**
 * The style the map starts with: the basemap. Our data layers join it when it is parsed (`addDataLayers`), the
 * labels once the first map is drawn (`addLabelLayers`), above everything.
 */
export function mapStyle(): StyleSpecification {
  return {
    version: 8,
    sources: {
      basemap: { type: 'vector', tiles: tiles('basemap'), maxzoom: TILE_MAX_ZOOM },
    },
    layers: basemapLayers(),
  };
}

/** The basemap's labels, on top: roads, places, water and parks. */
export function addLabelLayers(map: MapLibreMap): void {
  // Under the suggested sites' ranks, which stay on top of everything.
  const ranks = map.getLayer('planning-ranks') ? 'planning-ranks' : undefined;
  for (const layer of labelLayers()) if (!map.getLayer(layer.id)) map.addLayer(layer, ranks);
}

/** Our data between the basemap and its labels: communities, the walking network, isochrone, facilities, plans. */
export function addDataLayers(map: MapLibreMap, communities: FeatureCollection): void {
  const below = 'road-labels';
  map.addSource('streets', { type: 'vector', tiles: tiles('streets'), maxzoom: TILE_MAX_ZOOM });
  // Feature state (selected, newly covered) is keyed by the community's code.
  map.addSource('communities', { type: 'geojson', data: communities, promoteId: 'code' });
  map.addSource('facilities', { type: 'vector', tiles: tiles('facilities'), maxzoom: TILE_MAX_ZOOM });
  map.addSource('isochrone', { type: 'geojson', data: empty });
  map.addSource('isochrone-outline', { type: 'geojson', data: empty });
  map.addSource('planning', { type: 'geojson', data: empty });
  const layers: LayerSpecification[] = [
    {
      id: 'communities-fill',
      type: 'fill',
      source: 'communities',
      filter: ['in', ['geometry-type'], ['literal', ['Polygon', 'MultiPolygon']]],
      paint: { 'fill-color': COLOURS.noData, 'fill-opacity': 0.5 },
    },
    {
      id: 'communities-outline',
      type: 'line',
      source: 'communities',
      filter: ['in', ['geometry-type'], ['literal', ['Polygon', 'MultiPolygon']]],
      paint: {
        'line-color': '#444',
        'line-width': ['case', ['boolean', ['feature-state', 'selected'], false], 3, 0.5],
      },
    },
    {
      id: 'communities-point',
      type: 'circle',
      source: 'communities',
      filter: ['==', ['geometry-type'], 'Point'],
      paint: {
        'circle-radius': 6,
        'circle-color': COLOURS.noData,
        'circle-stroke-width': ['case', ['boolean', ['feature-state', 'selected'], false], 3, 1],
        'circle-stroke-color': '#333',
      },
    },
    {
      id: 'streets',
      type: 'line',
      source: 'streets',
      'source-layer': 'streets',
      minzoom: 14,
      paint: { 'line-color': '#9a9a9a', 'line-width': 0.6, 'line-opacity': 0.6 },
    },
    {
      id: 'isochrone-fill',
      type: 'fill',
      source: 'isochrone-outline',
      paint: { 'fill-color': '#2b6cb0', 'fill-opacity': 0.12 },
    },
    {
      id: 'isochrone-lines',
      type: 'line',
      source: 'isochrone',
      paint: { 'line-color': '#2b6cb0', 'line-width': 2.5 },
    },
    {
      id: 'facilities-other',
      type: 'circle',
      source: 'facilities',
      'source-layer': 'facilities',
      minzoom: 13,
      paint: { 'circle-radius': 2.5, 'circle-color': '#666', 'circle-opacity': 0.6 },
    },
    {
      id: 'facilities-selected',
      type: 'circle',
      source: 'facilities',
      'source-layer': 'facilities',
      filter: ['==', ['get', 'type'], ''],
      paint: {
        'circle-radius': 6,
        'circle-color': COLOURS.facility,
        'circle-stroke-color': '#fff',
        'circle-stroke-width': 1.5,
      },
    },
    {
      id: 'planning-points',
      type: 'circle',
      source: 'planning',
      paint: {
        'circle-radius': 9,
        'circle-color': ['match', ['get', 'kind'], 'pick', COLOURS.pick, COLOURS.whatIf],
        'circle-stroke-color': '#fff',
        'circle-stroke-width': 2,
      },
    },
  ];
  // Below the labels when they are already there (they come after the first map is drawn).
  for (const layer of layers) map.addLayer(layer, map.getLayer(below) ? below : undefined);
  // The suggested sites' ranks, on top of everything.
  map.addLayer({
    id: 'planning-ranks',
    type: 'symbol',
    source: 'planning',
    filter: ['==', ['get', 'kind'], 'pick'],
    layout: { 'text-field': ['to-string', ['get', 'rank']], 'text-size': 11, 'text-allow-overlap': true },
    paint: { 'text-color': '#ffffff' },
  });
}

/**
 * Colours communities by the chosen type: newly covered by a planning result, covered, within twice the radius,
 * beyond or not reachable.
 */
export function showType(map: MapLibreMap, typeId: string, radiusM: number): void {
  const d: ExpressionSpecification = ['get', `d:${typeId}`];
  const colour: ExpressionSpecification = [
    'case',
    ['boolean', ['feature-state', 'newly'], false],
    COLOURS.newly,
    ['==', ['get', `c:${typeId}`], 1],
    COLOURS.covered,
    ['all', ['!=', d, null], ['<=', d, 2 * radiusM]],
    COLOURS.near,
    COLOURS.none,
  ];
  map.setPaintProperty('communities-fill', 'fill-color', colour);
  map.setPaintProperty('communities-point', 'circle-color', colour);
  map.setFilter('facilities-selected', ['==', ['get', 'type'], typeId]);
  map.setFilter('facilities-other', ['!=', ['get', 'type'], typeId]);
}

export function showIsochrone(map: MapLibreMap, lines: FeatureCollection | null, outline: unknown): void {
  (map.getSource('isochrone') as GeoJSONSource).setData(lines ?? empty);
  (map.getSource('isochrone-outline') as GeoJSONSource).setData(
    outline
      ? { type: 'FeatureCollection', features: [outline as FeatureCollection['features'][number]] }
      : empty,
  );
}

export interface PlanningMark {
  lon: number;
  lat: number;
  kind: 'pick' | 'what-if';
  rank?: number;
}

export function showPlanningMarks(map: MapLibreMap, marks: readonly PlanningMark[]): void {
  (map.getSource('planning') as GeoJSONSource).setData({
    type: 'FeatureCollection',
    features: marks.map((p) => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [p.lon, p.lat] },
      properties: { kind: p.kind, rank: p.rank ?? 0 },
    })),
  });
}

/** Marks the communities a planning result newly covers (and clears the others'). */
export function showNewlyCovered(map: MapLibreMap, before: readonly string[], now: readonly string[]): void {
  for (const code of before) map.setFeatureState({ source: 'communities', id: code }, { newly: false });
  for (const code of now) map.setFeatureState({ source: 'communities', id: code }, { newly: true });
}

/** [west, south, east, north] of a set of positions, or null when there are none. */
export function boundsOf(
  points: Iterable<readonly [number, number]>,
): [number, number, number, number] | null {
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [lon, lat] of points) {
    w = Math.min(w, lon);
    e = Math.max(e, lon);
    s = Math.min(s, lat);
    n = Math.max(n, lat);
  }
  return Number.isFinite(w) ? [w, s, e, n] : null;
}

/** Every position of a geometry (for fitting the view to it). */
export function* positionsOf(geometry: GeoJSON.Geometry): Generator<[number, number]> {
  switch (geometry.type) {
    case 'Point':
      yield geometry.coordinates as [number, number];
      break;
    case 'LineString':
    case 'MultiPoint':
      for (const p of geometry.coordinates) yield p as [number, number];
      break;
    case 'Polygon':
    case 'MultiLineString':
      for (const ring of geometry.coordinates) for (const p of ring) yield p as [number, number];
      break;
    case 'MultiPolygon':
      for (const poly of geometry.coordinates)
        for (const ring of poly) for (const p of ring) yield p as [number, number];
      break;
    case 'GeometryCollection':
      for (const g of geometry.geometries) yield* positionsOf(g);
  }
}
