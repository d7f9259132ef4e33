import { isDeepStrictEqual } from 'node:util';
import type { Community, Facility, Provider } from '../store/index.js';
import { FIELDS, type RegisterEntity } from './fields.js';
import type { RegisterRecord } from './parse-row.js';
import type { SourceRow } from './read-file.js';

/** The stable key of a register record: code for communities and facilities, 统一社会信用代码 for providers. */
export function recordKey(entity: RegisterEntity, record: RegisterRecord): string {
  return entity === 'providers' ? (record as Provider).uscc : (record as Community | Facility).code;
}

/** Completes a record with the defaults of fields no column or body supplied. */
export function withDefaults(entity: RegisterEntity, partial: Partial<RegisterRecord>): RegisterRecord {
  if (entity === 'providers')
    return {
      regionCode: null,
      domains: [],
      contactName: null,
      contactPhone: null,
      ...(partial as Partial<Provider>),
    } as Provider;
  if (entity === 'facilities')
    return {
      address: null,
      regionCode: null,
      capacity: null,
      affordable: false,
      status: 'open',
      providerUscc: null,
      contactPhone: null,
      ...(partial as Partial<Facility>),
    } as Facility;
  return {
    boundary: null,
    population: null,
    ageGroups: {},
    populationEstimated: false,
    ...(partial as Partial<Community>),
  } as Community;
}

/** Field-by-field equality after normalising key order (what "re-importing changes nothing" compares). */
export function sameRecord(a: RegisterRecord, b: RegisterRecord): boolean {
  return isDeepStrictEqual(
    JSON.parse(JSON.stringify(a, sortedKeys)),
    JSON.parse(JSON.stringify(b, sortedKeys)),
  );
}

function sortedKeys(_key: string, value: unknown): unknown {
  if (value && typeof value === 'object' && !Array.isArray(value))
    return Object.fromEntries(Object.entries(value).sort(([x], [y]) => (x < y ? -1 : 1)));
  return value;
}

/**
 * Flattens a record into the cells of one row, keyed by the English header. Exports write these cells, and
 * the API validates a JSON body by reading it as such a row, so both share every check of the importer.
 */
export function recordToCells(
  entity: RegisterEntity,
  record: Partial<RegisterRecord>,
): Record<string, string> {
  const r = record as Record<string, unknown> & Partial<Facility & Community & Provider>;
  const flat: Record<string, unknown> = { ...r, ...(r.ageGroups ?? {}) };
  if (r.location) {
    flat.lon = r.location.lon;
    flat.lat = r.location.lat;
  }
  const cells: Record<string, string> = {};
  for (const f of FIELDS[entity]) {
    const v = flat[f.key];
    if (v === undefined) continue;
    cells[f.en] =
      v === null
        ? ''
        : typeof v === 'boolean'
          ? v
            ? '是'
            : '否'
          : Array.isArray(v)
            ? v.join(';')
            : String(v);
  }
  return cells;
}

export function recordToSourceRow(entity: RegisterEntity, record: Partial<RegisterRecord>): SourceRow {
  const boundary = (record as Partial<Community>).boundary;
  return { row: 1, values: recordToCells(entity, record), geometry: boundary ?? null, damaged: [] };
}
