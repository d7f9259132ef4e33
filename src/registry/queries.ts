import { LifeCircleError } from '../errors.js';
import type { Viewer } from '../policy/index.js';
import {
  FACILITY_STATUSES,
  MAX_PAGE_LIMIT,
  SERVICE_DOMAINS,
  type ImportRecord,
  type Page,
  type Store,
} from '../store/index.js';
import { COORDINATE_SYSTEMS, parseCoordinateSystem, type CoordinateSystem } from './coordinates.js';
import type { RegisterEntity } from './fields.js';
import type { RegisterRecord } from './parse-row.js';

/** The list filters of the registers' API and exports, as the query string gives them. */
export type RegisterFilters = Record<string, string | boolean | number | undefined>;

function storeFilter(entity: RegisterEntity, q: RegisterFilters) {
  const base = {
    limit: q.limit as number | undefined,
    offset: q.offset as number | undefined,
    within: q.within as string | undefined,
    q: q.q as string | undefined,
  };
  if (entity === 'facilities')
    return {
      ...base,
      typeCode: q.type as string | undefined,
      domains: q.domain ? [q.domain as (typeof SERVICE_DOMAINS)[number]] : undefined,
      status: q.status as (typeof FACILITY_STATUSES)[number] | undefined,
      affordable: q.affordable as boolean | undefined,
      providerUscc: q.provider as string | undefined,
    };
  if (entity === 'providers')
    return { ...base, domain: q.domain as (typeof SERVICE_DOMAINS)[number] | undefined };
  return base;
}

function repo(store: Store, entity: RegisterEntity) {
  return (
    entity === 'communities'
      ? store.communities
      : entity === 'facilities'
        ? store.facilities
        : store.providers
  ) as {
    get(key: string): Promise<RegisterRecord | null>;
    list(filter: object): Promise<Page<RegisterRecord>>;
  };
}

/** One page of a register (registers are public: `registry.read`; presenters hide personal fields). */
export function listRecords(
  store: Store,
  entity: RegisterEntity,
  filters: RegisterFilters,
): Promise<Page<RegisterRecord>> {
  return repo(store, entity).list(storeFilter(entity, filters));
}

/** Every record of a register that the filters select, page by page (for exports). */
export async function allRecords(
  store: Store,
  entity: RegisterEntity,
  filters: RegisterFilters,
): Promise<RegisterRecord[]> {
  const records: RegisterRecord[] = [];
  for (let offset = 0; ; offset += MAX_PAGE_LIMIT) {
    const page = await repo(store, entity).list({
      ...storeFilter(entity, filters),
      limit: MAX_PAGE_LIMIT,
      offset,
    });
    records.push(...page.items);
    if (records.length >= page.total || page.items.length === 0) return records;
  }
}

/** One record by its key; LC_NOT_FOUND when there is none. */
export async function getRecord(store: Store, entity: RegisterEntity, key: string): Promise<RegisterRecord> {
  const record = await repo(store, entity).get(key);
  if (!record) throw new LifeCircleError('LC_NOT_FOUND', `${entity} ${key} does not exist`);
  return record;
}

/**
 * An earlier import, for its report. Import reports name rows of other people's files, so they are the
 * importer's own: staff see only the reports of their own imports; administrators see all.
 */
export async function importRecordFor(store: Store, id: number, viewer: Viewer): Promise<ImportRecord> {
  const record = await store.imports.get(id);
  if (!record) throw new LifeCircleError('LC_NOT_FOUND', `import ${id} does not exist`);
  if (viewer.role !== 'administrator' && record.createdBy !== viewer.username)
    throw new LifeCircleError('LC_FORBIDDEN', `import ${id} was made by another user`);
  return record;
}

/**
 * The import request's text options: the coordinate system's name, and the JSON maps of columns and of type
 * values (LC_USAGE naming the option when one is not a JSON object of strings).
 */
export function importRequestOptions(q: { crs?: string; mapping?: string; typeMap?: string }): {
  crs: CoordinateSystem;
  mapping: Record<string, string> | undefined;
  typeMap: Record<string, string> | undefined;
} {
  let crs: CoordinateSystem = 'WGS84';
  if (q.crs) {
    const parsed = parseCoordinateSystem(q.crs);
    if (!parsed)
      throw new LifeCircleError(
        'LC_USAGE',
        `crs: unknown coordinate system '${q.crs}'; use ${COORDINATE_SYSTEMS.join(', ')}`,
      );
    crs = parsed;
  }
  return {
    crs,
    mapping: parseStringMap('mapping', q.mapping, 'file header → field'),
    typeMap: parseStringMap('typeMap', q.typeMap, "the file's type value → facility type"),
  };
}

/** A JSON object of strings given as text (`--mapping`, `typeMap`), or undefined when not given. */
export function parseStringMap(
  name: string,
  text: string | undefined,
  what: string,
): Record<string, string> | undefined {
  if (text === undefined || text === '') return undefined;
  let value: unknown = null;
  try {
    value = JSON.parse(text);
  } catch {
    // reported below
  }
  if (
    !value ||
    typeof value !== 'object' ||
    Array.isArray(value) ||
    !Object.values(value).every((v) => typeof v === 'string')
  )
    throw new LifeCircleError('LC_USAGE', `${name}: expected a JSON object of ${what}, e.g. {"a":"b"}`);
  return value as Record<string, string>;
}
