import { LifeCircleError } from '../errors.js';
import type { Actor, Store } from '../store/index.js';
import { cityExtent } from './city.js';
import { resolveColumns, type RegisterEntity } from './fields.js';
import { repositoryOf } from './import.js';
import { parseRow, type RegisterRecord } from './parse-row.js';
import type { RowProblem } from './problems.js';
import { recordKey, recordToSourceRow, sameRecord, withDefaults } from './records.js';

export interface WriteContext {
  actor: Actor;
  cityCode: string;
  /** Role scope: a reason when the actor may not write this record, else null. */
  authorize?: (
    entity: RegisterEntity,
    after: RegisterRecord | null,
    before: RegisterRecord | null,
  ) => string | null;
}

export interface SaveResult {
  record: RegisterRecord;
  created: boolean;
  changed: boolean;
}

/**
 * Creates or updates one register record (STYLE habit 13: one command, one transaction, permission check and
 * audit entry inside). The record is validated by the importer's own row rules, so the API and imports agree.
 * `mode` 'create' refuses an existing key, 'update' a missing one; fields left out of an update keep their value.
 */
export async function saveRecord(
  store: Store,
  entity: RegisterEntity,
  input: Partial<RegisterRecord>,
  mode: 'create' | 'update',
  ctx: WriteContext,
): Promise<SaveResult> {
  const { problems, patch } = await validateRecord(store, entity, input, ctx.cityCode, mode === 'update');
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
    const denied = ctx.authorize?.(entity, after, before) ?? null;
    if (denied) throw new LifeCircleError('LC_FORBIDDEN', denied);
    if (before && sameRecord(before, after)) return { record: before, created: false, changed: false };
    await (repo.upsert as (r: RegisterRecord) => Promise<unknown>)(after);
    await tx.audit.record({
      actorId: ctx.actor.userId,
      actorName: ctx.actor.name,
      action: before ? 'update' : 'create',
      entity,
      entityKey: key,
      before,
      after,
    });
    return { record: after, created: !before, changed: true };
  });
}

/** Deletes one record with its audit entry; facilities that still name a provider keep it from being deleted. */
export async function deleteRecord(
  store: Store,
  entity: RegisterEntity,
  key: string,
  ctx: WriteContext,
): Promise<RegisterRecord> {
  return store.transaction(async (tx) => {
    const repo = repositoryOf(tx, entity);
    const before = (await repo.get(key)) as RegisterRecord | null;
    if (!before) throw new LifeCircleError('LC_NOT_FOUND', `${entity} ${key} does not exist`);
    const denied = ctx.authorize?.(entity, null, before) ?? null;
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
    await tx.audit.record({
      actorId: ctx.actor.userId,
      actorName: ctx.actor.name,
      action: 'delete',
      entity,
      entityKey: key,
      before,
      after: null,
    });
    return before;
  });
}

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
  const parsed = parseRow(entity, src, { city: cityExtent(cityCode), crs: 'WGS84', columns, types });
  const problems = parsed.problems;
  if (!partial) {
    const { missing } = resolveColumns(entity, Object.keys(src.values), {}, src.geometry !== null);
    for (const f of missing)
      problems.push({ row: 1, column: f.en, value: '', reason: 'required', message: `${f.en} is required` });
  }
  const known = await store.regions.existing(parsed.regionRefs.map((r) => r.code));
  for (const { column, code } of parsed.regionRefs)
    if (!known.has(code))
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
