import type { FeatureCollection } from 'geojson';
import { api, unwrap, type Answer } from './api';

type Summary = Answer<'/api/map/summary', 'get'>;
export type MapData = [Summary, FeatureCollection];

let early: Promise<MapData> | null = null;

function request(): Promise<MapData> {
  return Promise.all([
    api.GET('/api/map/summary').then(unwrap),
    api.GET('/api/map/communities').then(unwrap) as Promise<FeatureCollection>,
  ]);
}

/**
 * Asks for the map's first data before the map's code has arrived: called by main.ts when the first page is the
 * map, so the answers travel while MapLibre (1 MB) downloads and compiles (the first map's time, bench/start.ts).
 */
export function requestMapDataEarly(): void {
  early ??= request();
  // Not an unhandled rejection if the reader leaves before the map asks for it: the map reports its own failure.
  early.catch(() => undefined);
}

/** The map's first data: the early request once, then a fresh one each time the map page is opened again. */
export function mapData(): Promise<MapData> {
  const answer = early ?? request();
  early = null;
  return answer;
}
