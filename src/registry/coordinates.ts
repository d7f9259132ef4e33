import gcoordModule from 'gcoord';

// gcoord is CommonJS whose typings declare an ES default export; under NodeNext the default import is the
// CommonJS module object itself, which at run time is that very object.
const gcoord = gcoordModule as unknown as typeof gcoordModule.default;

/**
 * Coordinate systems an import may declare. Chinese web maps do not use WGS-84: AMap (高德) and Tencent use
 * GCJ-02, Baidu uses BD-09; both are offset by up to several hundred metres. Everything is stored in WGS-84.
 */
export const COORDINATE_SYSTEMS = ['WGS84', 'GCJ02', 'BD09'] as const;
export type CoordinateSystem = (typeof COORDINATE_SYSTEMS)[number];

/** Converts one [lon, lat] to WGS-84 (gcoord implements the published GCJ-02 and BD-09 formulas). */
export function toWgs84(position: [number, number], from: CoordinateSystem): [number, number] {
  if (from === 'WGS84') return position;
  const [lon, lat] = gcoord.transform(position, gcoord[from], gcoord.WGS84) as [number, number];
  return [lon, lat];
}

/** Converts from WGS-84 into a Chinese map's system, e.g. to check a point against AMap. */
export function fromWgs84(position: [number, number], to: CoordinateSystem): [number, number] {
  if (to === 'WGS84') return position;
  const [lon, lat] = gcoord.transform(position, gcoord.WGS84, gcoord[to]) as [number, number];
  return [lon, lat];
}

/** Accepts the names people write: wgs84, WGS-84, EPSG:4326, gcj02, GCJ-02, amap, 高德, bd09, baidu, 百度. */
export function parseCoordinateSystem(text: string): CoordinateSystem | null {
  const t = text
    .trim()
    .toUpperCase()
    .replace(/[-_:\s]/g, '');
  if (['WGS84', 'EPSG4326', 'GPS'].includes(t)) return 'WGS84';
  if (['GCJ02', 'AMAP', '高德', 'TENCENT', '腾讯', '火星'].includes(t)) return 'GCJ02';
  if (['BD09', 'BD09LL', 'BAIDU', '百度'].includes(t)) return 'BD09';
  return null;
}
