import { actorOf, recordAudit } from '../audit/index.js';
import { LifeCircleError } from '../errors.js';
import {
  defineCommand,
  registryScopeProblem,
  type CommandDeps,
  type Permission,
  type Viewer,
} from '../policy/index.js';
import { type FacilityType, type Store, type StoreRepositories } from '../store/index.js';
import { DEFAULT_FACILITY_TYPES } from './facility-types.js';
import { cityExtent } from '../cities/index.js';
import { resolveColumns, type RegisterEntity } from './fields.js';
import { importRegister, repositoryOf, type ImportOptions, type ImportOutcome } from './import.js';
import { parseRow, type RegisterRecord } from './parse-row.js';
import type { RowProblem } from './problems.js';
import { recordKey, recordToSourceRow, sameRecord, withDefaults } from './records.js';

/** Who may write which register (checked before the command reads its input). */
const WRITE_PERMISSION = {
  communities: 'registry.write.communities',
  facilities: 'registry.write.facilities',
  providers: 'registry.write.providers',
} as const satisfies Record<RegisterEntity, Permission>;

const NOUN: Record<RegisterEntity, string> = {
  communities: 'Community',
  facilities: 'Facility',
  providers: 'Provider',
};

/** Facility types by code: a facility's domain, for the scope rule. */
async function typeMap(store: Pick<StoreRepositories, 'facilityTypes'>): Promise<Map<string, FacilityType>> {
  return new Map((await store.facilityTypes.list()).map((t) => [t.code, t]));
}

/** The registry's scope rule as the importer and the record commands ask it (src/policy). */
function scopeCheck(viewer: Viewer, types: Map<string, FacilityType>) {
  return (entity: RegisterEntity, after: RegisterRecord | null, before: RegisterRecord | null) =>
    registryScopeProblem(viewer, entity, [before, after], types);
}

export interface SaveResult {
  record: RegisterRecord;
  created: boolean;
  changed: boolean;
}

export interface SaveRecordInput {
  entity: RegisterEntity;
  record: Partial<RegisterRecord>;
  /** 'create' refuses an existing key, 'update' a missing one; fields left out of an update keep their value. */
  mode: 'create' | 'update';
}

/**
 * The one-record write of one register (`registry.saveCommunity`, `registry.saveFacility`,
 * `registry.saveProvider`): validated by the importer's own row rules, so the API and imports agree → the
 * registry scope rule on the record before and after → one transaction → one audit entry.
 */
function saveCommand(entity: RegisterEntity) {
  return defineCommand<Omit<SaveRecordInput, 'entity'>, SaveResult>({
    name: `registry.save${NOUN[entity]}`,
    permission: WRITE_PERMISSION[entity],
    async run(deps, viewer, { record, mode }) {
      const { store, cityCode } = deps;
      const { problems, patch } = await validateRecord(store, entity, record, cityCode, mode === 'update');
      if (problems.length)
        throw new LifeCircleError(
          'LC_INVALID_FIELD',
          problems.map((p) => `${p.column}: ${p.message}${p.value ? ` (got '${p.value}')` : ''}`).join('; '),
          { details: { problems } },
        );
      return store.transaction(async (tx) => {
        const repo = repositoryOf(tx, entity);
        const key = recordKey(entity, patch as RegisterRecord);
        const before = (await repo.get(key)) as RegisterRecord | null;
        if (mode === 'create' && before)
          throw new LifeCircleError('LC_CONFLICT', `${entity} ${key} exists already`);
        if (mode === 'update' && !before)
          throw new LifeCircleError('LC_NOT_FOUND', `${entity} ${key} does not exist`);
        const after = withDefaults(entity, { ...(before ?? {}), ...patch });
        const denied = scopeCheck(viewer, await typeMap(tx))(entity, after, before);
        if (denied) throw new LifeCircleError('LC_FORBIDDEN', denied);
        if (before && sameRecord(before, after)) return { record: before, created: false, changed: false };
        await (repo.upsert as (r: RegisterRecord) => Promise<unknown>)(after);
        await recordAudit(tx, actorOf(viewer), {
          action: before ? 'update' : 'create',
          entity,
          key,
          before,
          after,
        });
        return { record: after, created: !before, changed: true };
      });
    },
  });
}

/**
 * Deletes one record with its audit entry (`registry.deleteCommunity`, …); facilities that still name a
 * provider keep it from being deleted.
 */
function deleteCommand(entity: RegisterEntity) {
  return defineCommand<{ key: string }, RegisterRecord>({
    name: `registry.delete${NOUN[entity]}`,
    permission: WRITE_PERMISSION[entity],
    async run(deps, viewer, { key }) {
      return deps.store.transaction(async (tx) => {
        const repo = repositoryOf(tx, entity);
        const before = (await repo.get(key)) as RegisterRecord | null;
        if (!before) throw new LifeCircleError('LC_NOT_FOUND', `${entity} ${key} does not exist`);
        const denied = scopeCheck(viewer, await typeMap(tx))(entity, null, before);
        if (denied) throw new LifeCircleError('LC_FORBIDDEN', denied);
        if (entity === 'providers') {
          const outlets = await tx.facilities.list({ providerUscc: key, limit: 1 });
          if (outlets.total > 0)
            throw new LifeCircleError(
              'LC_CONFLICT',
              `provider ${key} still operates ${outlets.total} facilities; reassign them first`,
            );
        }
        await repo.delete(key);
        await recordAudit(tx, actorOf(viewer), { action: 'delete', entity, key, before, after: null });
        return before;
      });
    },
  });
}

/** The record commands, by register. */
export const SAVE_RECORD = {
  communities: saveCommand('communities'),
  facilities: saveCommand('facilities'),
  providers: saveCommand('providers'),
} as const;
export const DELETE_RECORD = {
  communities: deleteCommand('communities'),
  facilities: deleteCommand('facilities'),
  providers: deleteCommand('providers'),
} as const;

/** Creates or updates one record of any register: the command of its register (`SAVE_RECORD[entity]`). */
export function saveRecord(deps: CommandDeps, viewer: Viewer, input: SaveRecordInput): Promise<SaveResult> {
  return SAVE_RECORD[input.entity](deps, viewer, { record: input.record, mode: input.mode });
}

/** Deletes one record of any register: the command of its register (`DELETE_RECORD[entity]`). */
export function deleteRecord(
  deps: CommandDeps,
  viewer: Viewer,
  input: { entity: RegisterEntity; key: string },
): Promise<RegisterRecord> {
  return DELETE_RECORD[input.entity](deps, viewer, { key: input.key });
}

export type ImportInput = Omit<ImportOptions, 'actor' | 'authorize' | 'cityCode'> & {
  /** A city set up in the store other than the one the platform plans for (a province's store holds several). */
  city?: string;
};

/**
 * `registry.import`: a register file, all rows or none (src/registry/import.ts), into the city of `deps`; each
 * row passes the registry scope rule for the viewer and each changed record is audited under the viewer.
 */
export const importRecords = defineCommand<ImportInput, ImportOutcome>({
  name: 'registry.import',
  permission: 'registry.import',
  async run(deps, viewer, input) {
    const { city, ...options } = input;
    return importRegister(deps.store, {
      ...options,
      cityCode: city ?? deps.cityCode,
      actor: actorOf(viewer),
      authorize: scopeCheck(viewer, await typeMap(deps.store)),
    });
  },
});

/**
 * `registry.saveFacilityType`: adds or changes one of the city's facility types, with an audit entry; the
 * source must say where the type comes from.
 */
export const saveFacilityType = defineCommand<FacilityType, FacilityType>({
  name: 'registry.saveFacilityType',
  permission: 'registry.write.types',
  async run(deps, viewer, type) {
    if (!/^[a-z][a-z0-9_]{1,40}$/.test(type.code))
      throw new LifeCircleError(
        'LC_INVALID_FIELD',
        `code: expected lower-case letters, digits and _, got '${type.code}'`,
      );
    if (!type.source.trim())
      throw new LifeCircleError(
        'LC_INVALID_FIELD',
        'source: name the document (and clause) this type comes from',
      );
    return deps.store.transaction(async (tx) => {
      const before = await tx.facilityTypes.upsert(type);
      await recordAudit(tx, actorOf(viewer), {
        action: before ? 'update' : 'create',
        entity: 'facility_types',
        key: type.code,
        before,
        after: type,
      });
      return type;
    });
  },
});

/**
 * `registry.addDefaultFacilityTypes`: adds the default types (facility-types.ts, each with its source) that the
 * city does not have yet, each audited; never overwrites a type the city has edited. Run at every start, so a
 * release that adds a default type brings it to existing stores. Answers the codes it added.
 */
export const addDefaultFacilityTypes = defineCommand<Record<string, never>, string[]>({
  name: 'registry.addDefaultFacilityTypes',
  permission: 'registry.write.types',
  async run(deps, viewer) {
    return deps.store.transaction(async (tx) => {
      const added: string[] = [];
      for (const type of DEFAULT_FACILITY_TYPES) {
        if (await tx.facilityTypes.get(type.code)) continue;
        await tx.facilityTypes.upsert(type);
        await recordAudit(tx, actorOf(viewer), {
          action: 'create',
          entity: 'facility_types',
          key: type.code,
          before: null,
          after: type,
        });
        added.push(type.code);
      }
      return added;
    });
  },
});

/** Every problem of one record, by the importer's rules (reported with the English header as column). */
export async function validateRecord(
  store: Store,
  entity: RegisterEntity,
  input: Partial<RegisterRecord>,
  cityCode: string,
  partial: boolean,
): Promise<{ problems: RowProblem[]; patch: Partial<RegisterRecord> }> {
  const src = recordToSourceRow(entity, input);
  const { columns } = resolveColumns(entity, Object.keys(src.values));
  const types = new Map(
    (await store.facilityTypes.list()).flatMap((t) => [[t.code, t] as const, [t.nameZh, t] as const]),
  );
  const parsed = parseRow(entity, src, {
    city: await cityExtent(store, cityCode),
    crs: 'WGS84',
    columns,
    types,
  });
  const problems = parsed.problems;
  if (!partial) {
    const { missing } = resolveColumns(entity, Object.keys(src.values), {}, src.geometry !== null);
    for (const f of missing)
      problems.push({ row: 1, column: f.en, value: '', reason: 'required', message: `${f.en} is required` });
  }
  const known = await store.regions.existing(parsed.regionRefs.map((r) => r.code));
  for (const { column, code } of parsed.regionRefs)
    if (known.has(code) && !code.startsWith(cityCode) && !cityCode.startsWith(code))
      problems.push({
        row: 1,
        column,
        value: code,
        reason: 'region_outside_city',
        message: `division code ${code} is not in city ${cityCode}`,
      });
    else if (!known.has(code))
      problems.push({
        row: 1,
        column,
        value: code,
        reason: 'unknown_region',
        message: `division code ${code} is not in the store`,
      });
  for (const { column, uscc } of parsed.providerRefs)
    if (!(await store.providers.get(uscc)))
      problems.push({
        row: 1,
        column,
        value: uscc,
        reason: 'unknown_provider',
        message: `provider ${uscc} is not in the register`,
      });
  return { problems, patch: parsed.patch as Partial<RegisterRecord> };
}
