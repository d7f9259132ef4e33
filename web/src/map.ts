import { Map as MapLibreMap, type ExpressionSpecification, type GeoJSONSource } from 'maplibre-gl';
import type { FeatureCollection } from 'geojson';

/** Coverage colours: covered, within twice the radius, beyond; colour-blind-safe enough with the legend text. */
export const COLOURS = { covered: '#1a9850', near: '#fdae61', none: '#d73027', noData: '#bdbdbd' };

/**
 * The map, drawn only from our own data: vector tiles of streets and facilities from this server, the
 * communities as GeoJSON (they carry the coverage the map colours by); no remote style, no glyphs (names go in
 * HTML panels).
 */
export function createMap(container: HTMLElement, bbox: [number, number, number, number]): MapLibreMap {
  return new MapLibreMap({
    container,
    style: {
      version: 8,
      sources: {},
      layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#f3f1ec' } }],
    },
    bounds: bbox,
    fitBoundsOptions: { padding: 10 },
    attributionControl: false,
    fadeDuration: 0,
    maxZoom: 18,
  });
}

const empty: FeatureCollection = { type: 'FeatureCollection', features: [] };

/** The server cuts tiles to this zoom (src/analysis/tiles.ts TILE_MAX_ZOOM); the map over-zooms beyond. */
const TILE_MAX_ZOOM = 16;

const tiles = (layer: string): string[] => [`${location.origin}/api/map/tiles/${layer}/{z}/{x}/{y}.pbf`];

export function addLayers(map: MapLibreMap, data: { communities: FeatureCollection }): void {
  // Streets and facilities grow with the city: the browser fetches only the tiles in view.
  map.addSource('streets', { type: 'vector', tiles: tiles('streets'), maxzoom: TILE_MAX_ZOOM });
  map.addSource('communities', { type: 'geojson', data: data.communities });
  map.addSource('facilities', { type: 'vector', tiles: tiles('facilities'), maxzoom: TILE_MAX_ZOOM });
  map.addSource('isochrone', { type: 'geojson', data: empty });
  map.addSource('isochrone-outline', { type: 'geojson', data: empty });
  map.addLayer({
    id: 'communities-fill',
    type: 'fill',
    source: 'communities',
    filter: ['==', ['geometry-type'], 'Polygon'],
    paint: { 'fill-color': COLOURS.noData, 'fill-opacity': 0.55 },
  });
  map.addLayer({
    id: 'communities-outline',
    type: 'line',
    source: 'communities',
    filter: ['==', ['geometry-type'], 'Polygon'],
    paint: {
      'line-color': '#555',
      'line-width': ['case', ['boolean', ['feature-state', 'selected'], false], 3, 0.5],
    },
  });
  map.addLayer({
    id: 'communities-point',
    type: 'circle',
    source: 'communities',
    filter: ['==', ['geometry-type'], 'Point'],
    paint: {
      'circle-radius': 6,
      'circle-color': COLOURS.noData,
      'circle-stroke-width': 1,
      'circle-stroke-color': '#333',
    },
  });
  map.addLayer({
    id: 'streets',
    type: 'line',
    source: 'streets',
    'source-layer': 'streets',
    paint: {
      'line-color': '#8c8c8c',
      'line-width': ['interpolate', ['linear'], ['zoom'], 12, 0.4, 16, 1.6],
    },
  });
  map.addLayer({
    id: 'isochrone-fill',
    type: 'fill',
    source: 'isochrone-outline',
    paint: { 'fill-color': '#2b6cb0', 'fill-opacity': 0.12 },
  });
  map.addLayer({
    id: 'isochrone-lines',
    type: 'line',
    source: 'isochrone',
    paint: { 'line-color': '#2b6cb0', 'line-width': 2.5 },
  });
  map.addLayer({
    id: 'facilities-other',
    type: 'circle',
    source: 'facilities',
    'source-layer': 'facilities',
    paint: { 'circle-radius': 2.5, 'circle-color': '#666', 'circle-opacity': 0.6 },
  });
  map.addLayer({
    id: 'facilities-selected',
    type: 'circle',
    source: 'facilities',
    'source-layer': 'facilities',
    filter: ['==', ['get', 'type'], ''],
    paint: {
      'circle-radius': 6,
      'circle-color': '#5e3c99',
      'circle-stroke-color': '#fff',
      'circle-stroke-width': 1.5,
    },
  });
}

/** Colours communities by the chosen type: covered, within twice the radius, beyond, or not reachable. */
export function showType(map: MapLibreMap, typeId: string, radiusM: number): void {
  const d: ExpressionSpecification = ['get', `d:${typeId}`];
  const colour: ExpressionSpecification = [
    'case',
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

export function showIsochrone(map: MapLibreMap, lines: FeatureCollection, outline: unknown): void {
  (map.getSource('isochrone') as GeoJSONSource).setData(lines);
  (map.getSource('isochrone-outline') as GeoJSONSource).setData(
    outline
      ? { type: 'FeatureCollection', features: [outline as FeatureCollection['features'][number]] }
      : empty,
  );
}
