import { geoMercator, geoPath, type GeoPermissibleObjects } from 'd3-geo';
import type { Dictionary } from './dictionary.js';
import type { CoverageClass, MapCommunity } from './model.js';
import { escapeXml } from './escape.js';

/** Class colours: the dashboard map's (web/app/src/components/map/layers.ts), so a printed map reads the same. */
export const CLASS_COLOURS: Readonly<Record<CoverageClass, string>> = {
  covered: '#1a9850',
  near: '#fdae61',
  uncovered: '#d73027',
  all: '#1a9850',
  most: '#a6d96a',
  half: '#fdae61',
  few: '#d73027',
  'off-network': '#bdbdbd',
};

export const TYPE_CLASSES: readonly CoverageClass[] = ['covered', 'near', 'uncovered', 'off-network'];
export const SHARE_CLASSES: readonly CoverageClass[] = ['all', 'most', 'half', 'few', 'off-network'];

/** Mean earth radius (IUGG), the sphere d3-geo projects. */
const EARTH_RADIUS_M = 6_371_008.8;
/** Scale bar lengths to choose from, metres. */
const NICE_LENGTHS = [50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10_000, 20_000, 50_000];

type Ring = number[][];

/** Signed area of a ring in the lon/lat plane: positive when counter-clockwise (RFC 7946's outer rings). */
function signedArea(ring: Ring): number {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++)
    sum += (ring[j]![0]! - ring[i]![0]!) * (ring[j]![1]! + ring[i]![1]!);
  return sum / 2;
}

/**
 * d3-geo works on the sphere and takes a polygon's outer ring clockwise (the opposite of RFC 7946); a ring the
 * other way round would be read as the whole globe but the community. Outer rings clockwise, holes anticlockwise.
 */
function d3Polygon(rings: Ring[]): Ring[] {
  return rings.map((ring, i) => {
    const ccw = signedArea(ring) > 0;
    return (i === 0 ? ccw : !ccw) ? [...ring].reverse() : ring;
  });
}

function d3Geometry(g: MapCommunity['geometry']): GeoPermissibleObjects {
  if (g.type === 'Point') return g;
  if (g.type === 'Polygon') return { type: 'Polygon', coordinates: d3Polygon(g.coordinates) };
  return { type: 'MultiPolygon', coordinates: g.coordinates.map(d3Polygon) };
}

export interface MapOptions {
  title: string;
  classes: readonly CoverageClass[];
  width?: number;
  height?: number;
}

/**
 * A static SVG map of the area's communities coloured by coverage class: Web Mercator fitted to the communities,
 * a legend with each class's count, a scale bar measured at the map's middle latitude, a north arrow and the ODbL
 * attribution. Drawn on the server: no tiles, no script.
 */
export function communityMapSvg(
  communities: readonly MapCommunity[],
  t: Dictionary,
  options: MapOptions,
): string {
  const width = options.width ?? 760;
  const height = options.height ?? 620;
  const legendH = 22 * options.classes.length + 28;
  const frame = { top: 36, left: 12, right: width - 12, bottom: height - legendH - 30 };
  const features = communities.map((c) => ({
    type: 'Feature' as const,
    properties: {},
    geometry: d3Geometry(c.geometry),
  }));
  const collection = { type: 'FeatureCollection' as const, features } as GeoPermissibleObjects;
  const projection = geoMercator();
  if (features.length)
    projection.fitExtent(
      [
        [frame.left + 8, frame.top + 8],
        [frame.right - 8, frame.bottom - 8],
      ],
      collection,
    );
  const path = geoPath(projection).pointRadius(3.5);
  const shapes = communities
    .map((c, i) => {
      const d = path(features[i]!.geometry) ?? '';
      return `<path d="${d}" fill="${CLASS_COLOURS[c.class]}" stroke="#555" stroke-width="0.4"><title>${escapeXml(c.name)}</title></path>`;
    })
    .join('');
  const counts = new Map<CoverageClass, number>();
  for (const c of communities) counts.set(c.class, (counts.get(c.class) ?? 0) + 1);
  const legendTop = frame.bottom + 14;
  const legend = options.classes
    .map(
      (k, i) =>
        `<g transform="translate(16,${legendTop + 24 + i * 22})"><rect width="16" height="12" fill="${CLASS_COLOURS[k]}" stroke="#555" stroke-width="0.5"/>` +
        `<text x="24" y="10" font-size="12">${escapeXml(t.classes[k])} (${counts.get(k) ?? 0})</text></g>`,
    )
    .join('');
  const scaleBar = features.length ? scaleBarSvg(projection, frame, t) : '';
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" ` +
    `font-family="'Noto Sans CJK SC','Noto Sans SC','Source Han Sans SC','Microsoft YaHei',sans-serif" role="img" aria-label="${escapeXml(options.title)}">` +
    `<rect width="${width}" height="${height}" fill="#fff"/>` +
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(options.title)}</text>` +
    `<rect x="${frame.left}" y="${frame.top}" width="${frame.right - frame.left}" height="${frame.bottom - frame.top}" fill="#f4f1ea" stroke="#999" stroke-width="0.5"/>` +
    (features.length
      ? `<g class="communities">${shapes}</g>`
      : `<text x="${width / 2}" y="${(frame.top + frame.bottom) / 2}" text-anchor="middle" font-size="13">${escapeXml(t.noGeometry)}</text>`) +
    northArrow(frame.right - 26, frame.top + 12, t) +
    scaleBar +
    `<g class="legend"><text x="16" y="${legendTop + 10}" font-size="12" font-weight="bold">${escapeXml(t.legend)}</text>${legend}</g>` +
    `<text class="attribution" x="${width - 12}" y="${height - 8}" text-anchor="end" font-size="10" fill="#444">${escapeXml(t.attribution)}</text>` +
    `</svg>`
  );
}

function northArrow(x: number, y: number, t: Dictionary): string {
  return (
    `<g class="north"><path d="M${x},${y} l6,18 l-6,-5 l-6,5 z" fill="#333"/>` +
    `<text x="${x}" y="${y + 32}" text-anchor="middle" font-size="11">${escapeXml(t.north)}</text></g>`
  );
}

/**
 * A scale bar at the map's middle latitude: Mercator stretches 1/cos φ, so a metre there is
 * k / (R · cos φ) pixels for the projection's scale k. The longest round length under a quarter of the width.
 */
function scaleBarSvg(
  projection: ReturnType<typeof geoMercator>,
  frame: { top: number; left: number; right: number; bottom: number },
  t: Dictionary,
): string {
  const middle = projection.invert?.([(frame.left + frame.right) / 2, (frame.top + frame.bottom) / 2]);
  const lat = ((middle?.[1] ?? 0) * Math.PI) / 180;
  const pxPerM = projection.scale() / (EARTH_RADIUS_M * Math.cos(lat));
  const maxM = (frame.right - frame.left) / 4 / pxPerM;
  const length = [...NICE_LENGTHS].reverse().find((m) => m <= maxM) ?? NICE_LENGTHS[0]!;
  const px = length * pxPerM;
  const x = frame.left + 12;
  const y = frame.bottom - 14;
  const label = length >= 1000 ? `${length / 1000} km` : `${length} m`;
  return (
    `<g class="scale-bar" data-metres="${length}" data-pixels="${px.toFixed(2)}">` +
    `<rect x="${x - 4}" y="${y - 18}" width="${px + 8 + 60}" height="26" fill="#fff" fill-opacity="0.8"/>` +
    `<path d="M${x},${y - 6} v6 h${px.toFixed(2)} v-6" fill="none" stroke="#000" stroke-width="1.5"/>` +
    `<text x="${(x + px + 6).toFixed(2)}" y="${y}" font-size="11">${escapeXml(label)}</text>` +
    `<text x="${x}" y="${y - 9}" font-size="10">${escapeXml(t.scale)}</text></g>`
  );
}
