import { createHash } from 'node:crypto';
import { recordAudit } from '../audit/index.js';
import type {
  Actor,
  Community,
  Facility,
  FacilityType,
  Provider,
  Store,
  StoreRepositories,
} from '../store/index.js';
import { cityExtent } from './city.js';
import type { CoordinateSystem } from './coordinates.js';
import { FIELDS, resolveColumns, type RegisterEntity } from './fields.js';
import { parseRow, type ParsedRow, type RegisterRecord } from './parse-row.js';
import { problem, type RowProblem } from './problems.js';
import { readTable, type FileFormat, type TextEncoding } from './read-file.js';
import { recordKey, sameRecord, withDefaults } from './records.js';

export interface ImportOptions {
  entity: RegisterEntity;
  bytes: Buffer;
  fileName: string;
  /** Detected from the bytes and name when absent. */
  format?: FileFormat;
  encoding?: TextEncoding;
  /** The coordinate system of the file's positions (default WGS-84). */
  crs?: CoordinateSystem;
  /** The city whose extent and division codes the rows must fall in (e.g. '5101' 成都). */
  cityCode: string;
  /** File header → field key or canonical header, for registers with their own column names. */
  mapping?: Record<string, string>;
  actor: Actor;
  /** Role scope: a reason when the actor may not write this record, else null. Checked for every row. */
  authorize?: (entity: RegisterEntity, after: RegisterRecord, before: RegisterRecord | null) => string | null;
}

export interface ImportReport {
  entity: RegisterEntity;
  fileName: string;
  fileSha256: string;
  format: FileFormat;
  encoding: string;
  crs: CoordinateSystem;
  /** Data rows in the file. */
  rows: number;
  accepted: boolean;
  created: number;
  updated: number;
  unchanged: number;
  /** Headers that matched no field (their cells were not imported). */
  ignoredColumns: string[];
  problems: RowProblem[];
}

export interface ImportOutcome {
  /** The id under which the report is kept (GET it again, or as XLSX). */
  importId: number;
  report: ImportReport;
}

/**
 * Imports a register file all-or-nothing: every row is read and validated (fields, coordinates inside the
 * city, known division codes, 统一社会信用代码 check characters, duplicates, role scope); if any row has a problem
 * nothing is written and the report lists them all. Otherwise every row is upserted by its stable key in one
 * transaction, with an audit entry per changed record; unchanged rows are not written, so re-importing the
 * same file changes nothing. Unreadable files throw LC_IMPORT_FORMAT.
 */
export async function importRegister(store: Store, options: ImportOptions): Promise<ImportOutcome> {
  const { entity, bytes, fileName, actor } = options;
  const crs = options.crs ?? 'WGS84';
  const city = cityExtent(options.cityCode);
  const table = await readTable(bytes, fileName, {
    format: options.format,
    encoding: options.encoding,
    headerScore: (cells) => resolveColumns(entity, cells, options.mapping).columns.size,
  });
  const hasGeometry = table.rows.some((r) => r.geometry);
  const { columns, ignored, missing } = resolveColumns(entity, table.headers, options.mapping, hasGeometry);
  const report: ImportReport = {
    entity,
    fileName,
    fileSha256: createHash('sha256').update(bytes).digest('hex'),
    format: table.format,
    encoding: table.encoding,
    crs,
    rows: table.rows.length,
    accepted: false,
    created: 0,
    updated: 0,
    unchanged: 0,
    ignoredColumns: ignored,
    problems: missing.map((f) =>
      problem(
        1,
        f.zh,
        '',
        'missing_column',
        `no column for ${f.zh} (${f.en}); the header row has: ${table.headers.join(', ')}`,
      ),
    ),
  };
  if (missing.length === 0) {
    const types = typeIndex(await store.facilityTypes.list());
    const parsed = table.rows.map((row) => parseRow(entity, row, { city, crs, columns, types }));
    await checkReferences(store, parsed, options.cityCode);
    checkDuplicates(entity, parsed, columns.get(keyField(entity)) ?? keyField(entity));
    report.problems.push(...parsed.flatMap((p) => p.problems));
    if (report.problems.length === 0 && table.rows.length > 0) {
      const rejected = await store
        .transaction(async (tx) => {
          const forbidden = await upsertAll(tx, entity, parsed, report, options);
          // A scope failure found while writing rolls the whole transaction back.
          if (forbidden.length) throw new ScopeRejection(forbidden);
          return null;
        })
        .catch((error: unknown) => {
          if (error instanceof ScopeRejection) return error.problems;
          throw error;
        });
      if (rejected) {
        report.problems.push(...rejected);
        report.created = report.updated = report.unchanged = 0;
      } else report.accepted = true;
    }
  }
  // File order: by row, then by column as the file lays them out.
  const position = (column: string) => table.headers.indexOf(column);
  report.problems.sort((a, b) => a.row - b.row || position(a.column) - position(b.column));
  const record = await store.imports.create({
    entity,
    fileName,
    fileSha256: report.fileSha256,
    accepted: report.accepted,
    summary: {
      rows: report.rows,
      created: report.created,
      updated: report.updated,
      unchanged: report.unchanged,
    },
    report,
    createdBy: actor.name,
  });
  return { importId: record.id, report };
}

class ScopeRejection extends Error {
  constructor(readonly problems: RowProblem[]) {
    super('rows outside the actor scope');
  }
}

const keyField = (entity: RegisterEntity): string => (entity === 'providers' ? 'uscc' : 'code');

function typeIndex(types: FacilityType[]): Map<string, FacilityType> {
  const index = new Map<string, FacilityType>();
  for (const t of types) {
    index.set(t.code, t);
    index.set(t.nameZh, t);
    index.set(t.nameEn.toLowerCase(), t);
  }
  return index;
}

/** Division codes must exist and lie in the city; providers referenced by facilities must be registered. */
async function checkReferences(store: Store, parsed: ParsedRow[], cityCode: string): Promise<void> {
  const known = await store.regions.existing(parsed.flatMap((p) => p.regionRefs.map((r) => r.code)));
  const providers = new Set<string>();
  for (const uscc of new Set(parsed.flatMap((p) => p.providerRefs.map((r) => r.uscc))))
    if (await store.providers.get(uscc)) providers.add(uscc);
  for (const p of parsed) {
    for (const { column, code } of p.regionRefs) {
      if (!known.has(code))
        p.problems.push(
          problem(p.row, column, code, 'unknown_region', `division code ${code} is not in the store`),
        );
      else if (!code.startsWith(cityCode) && !cityCode.startsWith(code))
        p.problems.push(
          problem(
            p.row,
            column,
            code,
            'region_outside_city',
            `division code ${code} is not in city ${cityCode}`,
          ),
        );
    }
    for (const { column, uscc } of p.providerRefs)
      if (!providers.has(uscc))
        p.problems.push(
          problem(
            p.row,
            column,
            uscc,
            'unknown_provider',
            `provider ${uscc} is not in the register; import providers first`,
          ),
        );
  }
}

function checkDuplicates(entity: RegisterEntity, parsed: ParsedRow[], column: string): void {
  const first = new Map<string, number>();
  for (const p of parsed) {
    if (!p.key) continue;
    const seen = first.get(p.key);
    if (seen !== undefined)
      p.problems.push(
        problem(
          p.row,
          column,
          p.key,
          'duplicate',
          `${FIELDS[entity][0].zh} ${p.key} already appears in row ${seen}`,
        ),
      );
    else first.set(p.key, p.row);
  }
}

type Repo =
  StoreRepositories['communities'] | StoreRepositories['facilities'] | StoreRepositories['providers'];

export function repositoryOf(tx: StoreRepositories, entity: RegisterEntity): Repo {
  return entity === 'communities' ? tx.communities : entity === 'facilities' ? tx.facilities : tx.providers;
}

async function upsertAll(
  tx: StoreRepositories,
  entity: RegisterEntity,
  parsed: ParsedRow[],
  report: ImportReport,
  options: ImportOptions,
): Promise<RowProblem[]> {
  const repo = repositoryOf(tx, entity);
  const forbidden: RowProblem[] = [];
  for (const p of parsed) {
    const before = (await repo.get(p.key as string)) as RegisterRecord | null;
    const after = withDefaults(entity, { ...(before ?? {}), ...p.patch });
    const denied = options.authorize?.(entity, after, before) ?? null;
    if (denied) {
      forbidden.push(problem(p.row, '', recordKey(entity, after), 'forbidden', denied));
      continue;
    }
    if (before && sameRecord(before, after)) {
      report.unchanged++;
      continue;
    }
    await (repo.upsert as (r: Community | Facility | Provider) => Promise<unknown>)(after);
    await recordAudit(tx, options.actor, {
      action: 'import',
      entity,
      key: recordKey(entity, after),
      before,
      after,
    });
    if (before) report.updated++;
    else report.created++;
  }
  return forbidden;
}
