import { createHash } from 'node:crypto';
import {
  SERVICE_DOMAINS,
  type AgeGroups,
  type Community,
  type Facility,
  type FacilityStatus,
  type FacilityType,
  type GeoJsonPolygonal,
  type Provider,
  type ServiceDomain,
} from '../store/index.js';
import { restoreSpreadsheetCell } from '../tabular/index.js';
import { insideExtent, type CityExtent } from '../cities/index.js';
import { toWgs84, type CoordinateSystem } from './coordinates.js';
import { DOMAIN_LABELS, STATUS_LABELS, type RegisterEntity } from './fields.js';
import { problem, type RowProblem } from './problems.js';
import type { SourceRow } from './read-file.js';
import { validateUscc } from './uscc.js';

export type RegisterRecord = Community | Facility | Provider;

export interface ParseContext {
  city: CityExtent;
  crs: CoordinateSystem;
  /** field key → header in the file */
  columns: Map<string, string>;
  /** Facility types by code and by Chinese name. */
  types: Map<string, FacilityType>;
  /** One type for every row (`--type`): the file's type column, if any, is not read. */
  fixedType?: FacilityType;
  /** The file's own type values → facility type codes, as the user confirmed them (`typeProposal`). */
  typeMap?: ReadonlyMap<string, string>;
}

/** A 区 or 街道 as the file names it, to be matched to a division code of the city (`matchPlaceNames`). */
export interface PlaceNameRef {
  column: string;
  text: string;
}

/** A parsed row: its stable key and the fields the file supplies (absent columns leave stored values alone). */
export interface ParsedRow {
  row: number;
  key: string | null;
  patch: Partial<Community> | Partial<Facility> | Partial<Provider>;
  /** Codes to look up in the store before accepting: division codes and providers referenced by the row. */
  regionRefs: { column: string; code: string }[];
  providerRefs: { column: string; uscc: string }[];
  /** 区 and 街道 cells, when the file has those columns and no division code for the row. */
  places: { district: PlaceNameRef | null; street: PlaceNameRef | null };
  /** The type cell when it names no facility type (for the mapping proposal). */
  unknownType: string | null;
  /** True when the file had no code and `key` was made from name and position. */
  generatedKey: boolean;
  problems: RowProblem[];
}

/**
 * The code of a row from a file without one: stable for the same name at the same place (to ~1 m), so a
 * re-import of the same list updates rather than duplicates. `G` + 12 hex digits of SHA-256.
 */
export function generatedCode(name: string, lon: number, lat: number): string {
  const digest = createHash('sha256')
    .update(`${name.replace(/\s+/g, '')}|${lon.toFixed(5)}|${lat.toFixed(5)}`)
    .digest('hex');
  return `G${digest.slice(0, 12)}`;
}

/** Reads one row's cells into a partial record, collecting every problem instead of stopping at the first. */
class RowReader {
  readonly problems: RowProblem[] = [];
  constructor(
    private readonly src: SourceRow,
    private readonly ctx: ParseContext,
  ) {
    for (const d of src.damaged)
      this.problems.push(
        problem(
          src.row,
          d.column,
          src.values[d.column] ?? '',
          d.column ? 'damaged_cell' : 'malformed_row',
          d.message,
        ),
      );
  }

  has(key: string): boolean {
    return this.ctx.columns.has(key);
  }
  column(key: string): string {
    return this.ctx.columns.get(key) ?? key;
  }
  raw(key: string): string {
    const header = this.ctx.columns.get(key);
    return header === undefined ? '' : restoreSpreadsheetCell((this.src.values[header] ?? '').trim());
  }
  fail(key: string, reason: RowProblem['reason'], message?: string): null {
    this.problems.push(problem(this.src.row, this.column(key), this.raw(key), reason, message));
    return null;
  }

  /** An empty required cell is a problem; a missing column is not (imports check columns first, updates omit fields). */
  text(key: string, required = false): string | null {
    const v = this.raw(key);
    if (!v) return required && this.has(key) ? this.fail(key, 'required') : null;
    return v;
  }

  integer(key: string): number | null {
    const v = this.raw(key).replace(/[,，]/g, '');
    if (!v) return null;
    if (!/^\d+(\.0+)?$/.test(v))
      return this.fail(key, 'not_an_integer', `expected a non-negative whole number, got '${this.raw(key)}'`);
    return Number.parseInt(v, 10);
  }

  boolean(key: string): boolean | null {
    const v = this.raw(key).toLowerCase();
    if (!v) return null;
    if (['是', 'y', 'yes', 'true', '1', '√', '普惠'].includes(v)) return true;
    if (['否', 'n', 'no', 'false', '0', '×', '非普惠'].includes(v)) return false;
    return this.fail(key, 'not_a_boolean', `expected 是 or 否, got '${this.raw(key)}'`);
  }

  phone(key: string): string | null {
    const v = this.raw(key);
    if (!v) return null;
    if (!/^[0-9+\-()（） ]{5,20}$/.test(v))
      return this.fail(key, 'bad_phone', `expected a phone number, got '${v}'`);
    return v;
  }

  /** The row's position: from the GeoJSON geometry when there is one, else from the lon/lat columns. */
  location(required: boolean): { lon: number; lat: number; boundary: GeoJsonPolygonal | null } | null {
    const g = this.src.geometry;
    if (g) return this.fromGeometry(g);
    if (!this.has('lon') && !this.has('lat')) return null;
    if (!this.raw('lon') && !this.raw('lat')) return required ? this.fail('lon', 'required') : null;
    const lon = Number(this.raw('lon'));
    const lat = Number(this.raw('lat'));
    if (!this.raw('lon') || !Number.isFinite(lon))
      return this.fail('lon', 'not_a_number', `expected a longitude in degrees, got '${this.raw('lon')}'`);
    if (!this.raw('lat') || !Number.isFinite(lat))
      return this.fail('lat', 'not_a_number', `expected a latitude in degrees, got '${this.raw('lat')}'`);
    return this.place(lon, lat, 'lon');
  }

  private place(lon: number, lat: number, key: string): { lon: number; lat: number; boundary: null } | null {
    if (Math.abs(lon) > 180 || Math.abs(lat) > 90) {
      // China lies east of 73° E, so swapped columns usually put the longitude where a latitude cannot be.
      const swapped =
        Math.abs(lat) <= 180 &&
        Math.abs(lon) <= 90 &&
        insideExtent(this.ctx.city, ...toWgs84([lat, lon], this.ctx.crs));
      return this.fail(
        key,
        'bad_coordinates',
        `longitude ${lon}, latitude ${lat} are not degrees on Earth` +
          (swapped ? '; longitude and latitude look swapped' : ''),
      );
    }
    const [wlon, wlat] = toWgs84([lon, lat], this.ctx.crs);
    if (!insideExtent(this.ctx.city, wlon, wlat)) {
      const swapped = insideExtent(this.ctx.city, ...toWgs84([lat, lon], this.ctx.crs));
      const [w, s, e, n] = this.ctx.city.bbox;
      return this.fail(
        key,
        'outside_city',
        `(${lon}, ${lat})${this.ctx.crs === 'WGS84' ? '' : ` (${wlon.toFixed(6)}, ${wlat.toFixed(6)} in WGS-84)`} is outside ${this.ctx.city.known ? this.ctx.city.name : `China (${this.ctx.city.name} has no box yet)`} (lon ${w}…${e}, lat ${s}…${n})` +
          (swapped ? '; longitude and latitude look swapped' : ''),
      );
    }
    return { lon: round7(wlon), lat: round7(wlat), boundary: null };
  }

  private fromGeometry(g: {
    type: string;
    coordinates: unknown;
  }): { lon: number; lat: number; boundary: GeoJsonPolygonal | null } | null {
    const key = 'geometry';
    const bad = (msg: string) => (
      this.problems.push(problem(this.src.row, key, g.type, 'bad_geometry', msg)),
      null
    );
    if (g.type === 'Point') {
      const c = g.coordinates as number[];
      if (!Array.isArray(c) || c.length < 2 || !c.every(Number.isFinite))
        return bad('a Point needs [longitude, latitude]');
      return this.place(c[0], c[1], key);
    }
    if (g.type === 'Polygon' || g.type === 'MultiPolygon') {
      const polygons = (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as number[][][][];
      try {
        const converted = polygons.map((rings) =>
          rings.map((ring) =>
            ring.map(([lon, lat]) => toWgs84([lon, lat], this.ctx.crs).map(round7) as [number, number]),
          ),
        );
        const [lon, lat] = ringCentroid(converted[0][0]);
        if (!insideExtent(this.ctx.city, lon, lat))
          return this.fail(
            key,
            'outside_city',
            `the area's centre (${lon}, ${lat}) is outside ${this.ctx.city.name}`,
          );
        const boundary: GeoJsonPolygonal =
          g.type === 'Polygon'
            ? { type: 'Polygon', coordinates: converted[0] }
            : { type: 'MultiPolygon', coordinates: converted };
        return { lon: round7(lon), lat: round7(lat), boundary };
      } catch (error) {
        if (error instanceof DegenerateRing)
          return bad('the polygon has no area (its points lie on one line, or are one point)');
        return bad('polygon rings must be arrays of [longitude, latitude]');
      }
    }
    return bad(`expected a Point, Polygon or MultiPolygon, got ${g.type}`);
  }
}

/** 7 decimals ≈ 1 cm: keeps re-imports byte-stable without losing anything a map can show. */
const round7 = (x: number): number => Math.round(x * 1e7) / 1e7;

class DegenerateRing extends Error {}

/** Area-weighted centroid of a closed ring (planar in degrees, fine at the scale of a 小区). */
function ringCentroid(ring: [number, number][]): [number, number] {
  let a = 0;
  let cx = 0;
  let cy = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const f = ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
    a += f;
    cx += (ring[j][0] + ring[i][0]) * f;
    cy += (ring[j][1] + ring[i][1]) * f;
  }
  if (Math.abs(a) < 1e-18) throw new DegenerateRing();
  return [cx / (3 * a), cy / (3 * a)];
}

function parseDomains(r: RowReader): ServiceDomain[] | null {
  const v = r.raw('domains');
  if (!v) return r.has('domains') ? [] : null;
  const out: ServiceDomain[] = [];
  // English names of several words ('elderly care', 'retail and food') become their codes before the cell is
  // split at separators, spaces among them.
  let cell = v;
  for (const d of SERVICE_DOMAINS)
    if (DOMAIN_LABELS[d].en.includes(' '))
      cell = cell.replace(new RegExp(DOMAIN_LABELS[d].en.replace(/ /g, '\\s+'), 'gi'), d);
  for (const part of cell.split(/[;；,，、|/\s]+/).filter(Boolean)) {
    const found = SERVICE_DOMAINS.find(
      (d) =>
        d === part ||
        DOMAIN_LABELS[d].zh === part ||
        DOMAIN_LABELS[d].en === part.toLowerCase() ||
        DOMAIN_LABELS[d].synonyms.includes(part),
    );
    if (!found)
      return r.fail(
        'domains',
        'unknown_domain',
        `'${part}' is not a service domain; use ${SERVICE_DOMAINS.map((d) => DOMAIN_LABELS[d].zh).join('、')}`,
      );
    if (!out.includes(found)) out.push(found);
  }
  return out;
}

function parseStatus(r: RowReader): FacilityStatus | null {
  const v = r.raw('status');
  if (!v) return null;
  for (const [status, label] of Object.entries(STATUS_LABELS) as [
    FacilityStatus,
    { zh: string; synonyms: string[] },
  ][])
    if (v.toLowerCase() === status || v === label.zh || label.synonyms.includes(v)) return status;
  return r.fail(
    'status',
    'unknown_status',
    `expected one of ${Object.values(STATUS_LABELS)
      .map((l) => l.zh)
      .join('、')}, got '${v}'`,
  );
}

/** Drops undefined entries so only fields whose column is present end up in the patch. */
function defined<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function parseRow(entity: RegisterEntity, src: SourceRow, ctx: ParseContext): ParsedRow {
  const r = new RowReader(src, ctx);
  const regionRefs: ParsedRow['regionRefs'] = [];
  const providerRefs: ParsedRow['providerRefs'] = [];
  const opt = <T>(key: string, read: () => T): T | undefined => (r.has(key) ? read() : undefined);
  const region = (key: string, required: boolean): string | null | undefined => {
    if (!r.has(key)) return undefined;
    const code = r.text(key, required);
    if (code && !/^\d{2,12}$/.test(code))
      return r.fail(key, 'unknown_region', `expected a division code of 2 to 12 digits, got '${code}'`);
    if (code) regionRefs.push({ column: r.column(key), code });
    return code;
  };
  let key: string | null = null;
  let patch: ParsedRow['patch'];
  let unknownType: string | null = null;
  let generatedKey = false;
  const hasPlaceNames = r.has('district') || r.has('street');
  // 区/街道 names fill the division code only where the file gives none.
  const placeRef = (k: 'district' | 'street'): PlaceNameRef | null => {
    const text = r.has(k) && !r.raw('regionCode') ? r.raw(k) : '';
    return text ? { column: r.column(k), text } : null;
  };

  if (entity === 'providers') {
    const raw = r.text('uscc', true);
    if (raw) {
      const verdict = validateUscc(raw);
      if (verdict.valid) key = verdict.code;
      else r.fail('uscc', 'uscc_invalid', `统一社会信用代码 '${raw}': ${verdict.message}`);
    }
    patch = defined<Provider>({
      uscc: key ?? undefined,
      name: r.text('name', true) ?? undefined,
      regionCode: region('regionCode', false),
      domains: opt('domains', () => parseDomains(r) ?? []),
      contactName: opt('contactName', () => r.text('contactName')),
      contactPhone: opt('contactPhone', () => r.phone('contactPhone')),
    } as Provider);
  } else if (entity === 'facilities') {
    key = r.has('code') ? r.text('code', true) : null;
    let typeCode: string | undefined;
    if (ctx.fixedType) typeCode = ctx.fixedType.code;
    else {
      const typeText = r.text('typeCode', true);
      if (typeText) {
        const mapped = ctx.typeMap?.get(typeText);
        const type = mapped ? ctx.types.get(mapped) : lookupType(ctx.types, typeText);
        if (type) typeCode = type.code;
        else {
          unknownType = typeText;
          r.fail(
            'typeCode',
            'unknown_type',
            mapped
              ? `'${typeText}' is mapped to '${mapped}', which is not a facility type`
              : `'${typeText}' is not a facility type; map the file's values to types (the report proposes a mapping and lists the types), or give the whole file one type`,
          );
        }
      }
    }
    const place = r.location(true);
    const name = r.raw('name');
    if (!r.has('code') && place && name) {
      key = generatedCode(name, place.lon, place.lat);
      generatedKey = true;
    }
    let providerUscc: string | null | undefined;
    if (r.has('providerUscc')) {
      const raw = r.text('providerUscc');
      providerUscc = null;
      if (raw) {
        const verdict = validateUscc(raw);
        if (!verdict.valid)
          r.fail('providerUscc', 'uscc_invalid', `统一社会信用代码 '${raw}': ${verdict.message}`);
        else {
          providerUscc = verdict.code;
          providerRefs.push({ column: r.column('providerUscc'), uscc: verdict.code });
        }
      }
    }
    patch = defined<Facility>({
      code: key ?? undefined,
      name: r.text('name', true) ?? undefined,
      typeCode,
      location: place ? { lon: place.lon, lat: place.lat } : undefined,
      address: opt('address', () => r.text('address')),
      regionCode: region('regionCode', false),
      capacity: opt('capacity', () => r.integer('capacity')),
      affordable: opt('affordable', () => r.boolean('affordable') ?? false),
      status: opt('status', () => parseStatus(r) ?? undefined),
      providerUscc,
      contactPhone: opt('contactPhone', () => r.phone('contactPhone')),
    } as Facility);
  } else {
    key = r.text('code', true);
    const place = r.location(true);
    const ages: AgeGroups = {};
    for (const k of AGE_KEYS) {
      const n = opt(k, () => r.integer(k));
      if (n !== undefined && n !== null) ages[k] = n;
    }
    const hasAges = AGE_KEYS.some((k) => r.has(k));
    patch = defined<Community>({
      code: key ?? undefined,
      name: r.text('name', true) ?? undefined,
      regionCode: region('regionCode', !hasPlaceNames) ?? undefined,
      location: place ? { lon: place.lon, lat: place.lat } : undefined,
      boundary: place?.boundary ?? undefined,
      population: opt('population', () => r.integer('population')),
      ageGroups: hasAges ? ages : undefined,
      populationEstimated: opt('populationEstimated', () => r.boolean('populationEstimated') ?? false),
    } as Community);
  }
  return {
    row: src.row,
    key,
    patch,
    regionRefs,
    providerRefs,
    places:
      entity === 'providers'
        ? { district: null, street: null }
        : { district: placeRef('district'), street: placeRef('street') },
    unknownType,
    generatedKey,
    problems: r.problems,
  };
}

const AGE_KEYS = [
  'age0to3',
  'age3to6',
  'age0to14',
  'age6to11',
  'age12to14',
  'age60plus',
  'age80plus',
] as const;

/** A type by code (hyphens or underscores: elderly-care-institution), Chinese name or English name. */
export function lookupType(types: ReadonlyMap<string, FacilityType>, text: string): FacilityType | undefined {
  return types.get(text) ?? types.get(text.toLowerCase()) ?? types.get(text.toLowerCase().replace(/-/g, '_'));
}
