import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse } from 'csv-parse/sync';
import { LifeCircleError } from '../errors.js';
import type { DemandGroup } from '../standards/index.js';
import { ringAreaM2, ringCentroid } from './geometry.js';
import type { Facility, LonLat } from './types.js';

/** A community row as a file gives it, before census estimation fills what is missing. */
export interface CommunityRecord {
  readonly id: string;
  readonly name: string;
  readonly code: string | undefined;
  readonly district: string | undefined;
  readonly subdistrict: string | undefined;
  readonly lon: number;
  readonly lat: number;
  readonly ring: readonly LonLat[] | undefined;
  readonly areaM2: number | undefined;
  readonly population: number | undefined;
  /** Age groups the file gives (all of them or none). */
  readonly ageGroups: Readonly<Partial<Record<DemandGroup, number>>> | undefined;
  readonly source: string;
}

/** Columns (CSV) or properties (GeoJSON) of a community file. */
export const COMMUNITY_FIELDS = {
  required: ['name'],
  optional: [
    'code',
    'district',
    'subdistrict',
    'lon',
    'lat',
    'population',
    'age_0_2',
    'age_3_5',
    'age_6_11',
    'age_12_14',
    'age_60_plus',
    'age_80_plus',
  ],
} as const;

const AGE_FIELDS: readonly [string, DemandGroup][] = [
  ['age_0_2', 'age0to2'],
  ['age_3_5', 'age3to5'],
  ['age_6_11', 'age6to11'],
  ['age_12_14', 'age12to14'],
  ['age_60_plus', 'age60plus'],
];
/** 高龄 (80+, 关爱高龄): optional beside the groups above, which files give all or none of; estimated when left out. */
const AGE_80_FIELD: readonly [string, DemandGroup] = ['age_80_plus', 'age80plus'];

type Row = Readonly<Record<string, unknown>>;

class RowReader {
  constructor(
    private readonly where: string,
    private readonly row: Row,
  ) {}
  fail(field: string, expected: string): never {
    throw new LifeCircleError(
      'LC_POINTS_FORMAT',
      `${this.where}: ${field} should be ${expected}, got ${JSON.stringify(this.row[field] ?? null)}`,
    );
  }
  text(field: string): string | undefined {
    const v = this.row[field];
    if (v === undefined || v === null || v === '') return undefined;
    return String(v).trim();
  }
  requiredText(field: string): string {
    return this.text(field) ?? this.fail(field, 'a non-empty text');
  }
  number(field: string, expected: string, ok: (n: number) => boolean): number | undefined {
    const raw = this.text(field);
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (!Number.isFinite(n) || !ok(n)) this.fail(field, expected);
    return n;
  }
  lonLat(): LonLat | undefined {
    const lon = this.number('lon', 'a longitude in degrees (−180…180, WGS-84)', (n) => n >= -180 && n <= 180);
    const lat = this.number('lat', 'a latitude in degrees (−90…90, WGS-84)', (n) => n >= -90 && n <= 90);
    if ((lon === undefined) !== (lat === undefined))
      this.fail(lon === undefined ? 'lon' : 'lat', 'given with the other coordinate');
    return lon === undefined || lat === undefined ? undefined : [lon, lat];
  }
}

interface RawRow {
  readonly where: string;
  readonly row: Row;
  readonly geometry: unknown;
}

/** Rows of a CSV (header line; errors name the line) or the features of a GeoJSON FeatureCollection. */
function readRows(path: string, kind: string): RawRow[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new LifeCircleError('LC_FILE_NOT_FOUND', `${kind} file ${path} cannot be read`);
  }
  const ext = extname(path).toLowerCase();
  if (ext === '.geojson' || ext === '.json') {
    let parsed: { type?: string; features?: { properties?: Row; geometry?: unknown }[] };
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new LifeCircleError(
        'LC_POINTS_FORMAT',
        `${kind} file ${path}: not valid JSON (${(error as Error).message})`,
      );
    }
    if (parsed?.type !== 'FeatureCollection' || !Array.isArray(parsed.features))
      throw new LifeCircleError(
        'LC_POINTS_FORMAT',
        `${kind} file ${path}: expected a GeoJSON FeatureCollection`,
      );
    return parsed.features.map((f, i) => ({
      where: `${path} feature ${i}`,
      row: f?.properties ?? {},
      geometry: f?.geometry,
    }));
  }
  if (ext !== '.csv')
    throw new LifeCircleError(
      'LC_POINTS_FORMAT',
      `${kind} file ${path}: expected a .csv, .geojson or .json file`,
    );
  let records: { record: Row; info: { lines: number } }[];
  try {
    records = parse(text, { columns: true, skip_empty_lines: true, bom: true, trim: true, info: true });
  } catch (error) {
    throw new LifeCircleError('LC_POINTS_FORMAT', `${kind} file ${path}: ${(error as Error).message}`);
  }
  return records.map(({ record, info }) => ({
    where: `${path} line ${info.lines}`,
    row: record,
    geometry: undefined,
  }));
}

/** The outer ring of a Polygon, or of a MultiPolygon's largest part. */
function outerRing(geometry: unknown, reader: RowReader): LonLat[] | undefined {
  const g = geometry as { type?: string; coordinates?: unknown } | undefined;
  if (!g || g.type === 'Point') return undefined;
  const valid = (ring: unknown): ring is LonLat[] =>
    Array.isArray(ring) &&
    ring.length >= 4 &&
    ring.every((p) => Array.isArray(p) && Number.isFinite(p[0]) && Number.isFinite(p[1]));
  if (g.type === 'Polygon' && Array.isArray(g.coordinates) && valid(g.coordinates[0]))
    return g.coordinates[0];
  if (g.type === 'MultiPolygon' && Array.isArray(g.coordinates)) {
    const rings = g.coordinates.map((p: unknown) => (Array.isArray(p) ? p[0] : undefined)).filter(valid);
    if (rings.length > 0) return rings.sort((a, b) => ringAreaM2(b) - ringAreaM2(a))[0];
  }
  return reader.fail('geometry', 'a Point, Polygon or MultiPolygon with closed rings of [lon, lat]');
}

function pointOf(geometry: unknown): LonLat | undefined {
  const g = geometry as { type?: string; coordinates?: unknown } | undefined;
  if (g?.type === 'Point' && Array.isArray(g.coordinates)) {
    const [lon, lat] = g.coordinates as number[];
    if (Number.isFinite(lon) && Number.isFinite(lat)) return [lon, lat];
  }
  return undefined;
}

/**
 * Communities from CSV (name, code, district, subdistrict, lon, lat, population, age_0_2 … age_60_plus) or
 * GeoJSON (the same properties; Point, Polygon or MultiPolygon geometry). Bad rows fail with the line or
 * feature and the field: none is skipped silently.
 */
export function readCommunityFile(path: string): CommunityRecord[] {
  const ids = new Set<string>();
  return readRows(path, 'communities').map(({ where, row, geometry }, i) => {
    const r = new RowReader(where, row);
    const name = r.requiredText('name');
    const ring = outerRing(geometry, r);
    const point =
      r.lonLat() ??
      pointOf(geometry) ??
      (ring ? ringCentroid(ring) : r.fail('lon', 'a longitude (with lat), or a Point/Polygon geometry'));
    const population = r.number('population', 'a number of residents ≥ 0', (n) => n >= 0);
    const ages = AGE_FIELDS.map(
      ([field, group]) => [group, r.number(field, 'a number of residents ≥ 0', (n) => n >= 0)] as const,
    );
    const given: (readonly [DemandGroup, number | undefined])[] = ages.filter(([, v]) => v !== undefined);
    if (given.length > 0 && given.length < ages.length)
      r.fail(
        AGE_FIELDS[ages.findIndex(([, v]) => v === undefined)][0],
        'given, as all age groups must be given or none',
      );
    const aged = r.number(AGE_80_FIELD[0], 'a number of residents ≥ 0', (n) => n >= 0);
    if (aged !== undefined) given.push([AGE_80_FIELD[1], aged]);
    if (given.length > 0 && population === undefined) r.fail('population', 'given when age groups are given');
    const code = r.text('code');
    const id = code ?? `community-${i + 1}`;
    if (ids.has(id)) r.fail('code', 'unique within the file');
    ids.add(id);
    return {
      id,
      name,
      code,
      district: r.text('district'),
      subdistrict: r.text('subdistrict'),
      lon: point[0],
      lat: point[1],
      ring,
      areaM2: ring ? ringAreaM2(ring) : undefined,
      population,
      ageGroups: given.length > 0 ? Object.fromEntries(given) : undefined,
      source: where,
    };
  });
}

/**
 * Facilities from CSV (type, lon, lat, name, capacity, id) or GeoJSON (Point features; the same properties).
 * `knownTypes` are the facility type ids; an unknown type fails naming them.
 */
export function readFacilityFile(path: string, knownTypes: readonly string[]): Facility[] {
  return readRows(path, 'facilities').map(({ where, row, geometry }, i) => {
    const r = new RowReader(where, row);
    const typeId = r.requiredText('type');
    if (!knownTypes.includes(typeId)) r.fail('type', `one of ${knownTypes.join(', ')}`);
    const point =
      r.lonLat() ?? pointOf(geometry) ?? r.fail('lon', 'a longitude (with lat), or a Point geometry');
    return {
      id: r.text('id') ?? `facility-${i + 1}`,
      typeId,
      name: r.text('name'),
      lon: point[0],
      lat: point[1],
      capacity: r.number('capacity', 'a positive capacity', (n) => n > 0),
      source: where,
    };
  });
}

/** Points (e.g. candidate sites) from CSV (lon, lat, optional name) or GeoJSON Point features. */
export function readPointFile(path: string): { lon: number; lat: number; name: string | undefined }[] {
  return readRows(path, 'points').map(({ where, row, geometry }) => {
    const r = new RowReader(where, row);
    const point =
      r.lonLat() ?? pointOf(geometry) ?? r.fail('lon', 'a longitude (with lat), or a Point geometry');
    return { lon: point[0], lat: point[1], name: r.text('name') };
  });
}
