import { LifeCircleError } from '../errors.js';
import { createHash } from 'node:crypto';
import { haversineM } from '../geo/index.js';
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
import { problem, type ProblemReason, type RowProblem } from './problems.js';
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
  /** Told how far the import has come: after reading, then every PROGRESS_EVERY rows checked and written. */
  onProgress?: (progress: ImportProgress) => void;
  /** Aborting stops the import at the next step; nothing is written (the write transaction rolls back). */
  signal?: AbortSignal;
}

/** Phases of an import, in order; `done` and `total` count rows (reading counts the file as one). */
export interface ImportProgress {
  phase: 'reading' | 'checking' | 'writing';
  done: number;
  total: number;
}

const PROGRESS_EVERY = 500;

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
  /** Every problem found, also those beyond the first `REPORT_LIMITS.problems` listed in `problems`. */
  problemCount: number;
  /** How many problems of each reason (all of them). */
  problemsByReason: Partial<Record<ProblemReason, number>>;
  /** The first problems in file order, each cell and message clipped (`boundedReport`). */
  problems: RowProblem[];
}

/**
 * A report stays small whatever the file: a 10 MB file of junk must not answer with a 73 MB report (every row
 * repeating its header). The first `problems` problems are listed in full, the rest counted by reason; a cell
 * value is echoed up to `cellChars` characters, a message up to `messageChars`. Labelled defaults.
 */
export const REPORT_LIMITS = {
  problems: 1000,
  cellChars: 100,
  messageChars: 400,
  ignoredColumns: 100,
} as const;

const clip = (text: string, max: number): string =>
  text.length <= max ? text : `${text.slice(0, max)}…（共 ${text.length} 字符 / ${text.length} chars）`;

/** The report as kept and answered: counts of every problem, the first ones listed, long text clipped. */
export function boundedReport(
  report: Omit<ImportReport, 'problemCount' | 'problemsByReason'> &
    Partial<Pick<ImportReport, 'problemCount' | 'problemsByReason'>>,
): ImportReport {
  const byReason: Partial<Record<ProblemReason, number>> = {};
  for (const p of report.problems) byReason[p.reason] = (byReason[p.reason] ?? 0) + 1;
  return {
    ...report,
    ignoredColumns: report.ignoredColumns
      .slice(0, REPORT_LIMITS.ignoredColumns)
      .map((c) => clip(c, REPORT_LIMITS.cellChars)),
    problemCount: report.problemCount ?? report.problems.length,
    problemsByReason: report.problemsByReason ?? byReason,
    problems: report.problems.slice(0, REPORT_LIMITS.problems).map((p) => ({
      ...p,
      column: clip(p.column, REPORT_LIMITS.cellChars),
      value: clip(p.value, REPORT_LIMITS.cellChars),
      message: clip(p.message, REPORT_LIMITS.messageChars),
    })),
  };
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
  const { onProgress = () => {}, signal } = options;
  const step = (progress: ImportProgress) => {
    cancelledCheck(signal, fileName);
    onProgress(progress);
  };
  step({ phase: 'reading', done: 0, total: 1 });
  const table = await readTable(bytes, fileName, {
    format: options.format,
    encoding: options.encoding,
    headerScore: (cells) => resolveColumns(entity, cells, options.mapping).columns.size,
  });
  const hasGeometry = table.rows.some((r) => r.geometry);
  const { columns, ignored, missing } = resolveColumns(entity, table.headers, options.mapping, hasGeometry);
  const found: Omit<ImportReport, 'problemCount' | 'problemsByReason'> = {
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
    const total = table.rows.length;
    step({ phase: 'checking', done: 0, total });
    const parsed = table.rows.map((row, i) => {
      if (i % PROGRESS_EVERY === 0 && i > 0) step({ phase: 'checking', done: i, total });
      return parseRow(entity, row, { city, crs, columns, types });
    });
    step({ phase: 'checking', done: total, total });
    await checkReferences(store, parsed, options.cityCode);
    checkDuplicates(
      entity,
      parsed,
      columns.get(keyField(entity)) ?? keyField(entity),
      columns.get('name') ?? 'name',
    );
    found.problems.push(...parsed.flatMap((p) => p.problems));
    // A header with no rows is refused like any bad file: an "accepted" import of nothing hides a wrong export.
    if (table.rows.length === 0)
      found.problems.push(
        problem(1, '', '', 'no_rows', `${fileName}: a header row and no data rows; nothing to import`),
      );
    if (found.problems.length === 0) {
      const rejected = await store
        .transaction(async (tx) => {
          const forbidden = await upsertAll(tx, entity, parsed, found, options, step);
          // A scope failure found while writing rolls the whole transaction back.
          if (forbidden.length) throw new ScopeRejection(forbidden);
          return null;
        })
        .catch((error: unknown) => {
          if (error instanceof ScopeRejection) return error.problems;
          throw error;
        });
      if (rejected) {
        found.problems.push(...rejected);
        found.created = found.updated = found.unchanged = 0;
      } else found.accepted = true;
    }
  }
  // File order: by row, then by column as the file lays them out.
  const columnOrder = new Map<string, number>();
  table.headers.forEach((h, i) => columnOrder.has(h) || columnOrder.set(h, i));
  const position = (column: string) => columnOrder.get(column) ?? -1;
  const report = boundedReport({
    ...found,
    problems: found.problems.sort((a, b) => a.row - b.row || position(a.column) - position(b.column)),
  });
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

/** One line for a rejected import: how many problems and the first, for the API message and the command line. */
export function rejectionMessage(report: ImportReport): string {
  const first = report.problems[0];
  const listed =
    report.problemCount > report.problems.length ? ` (the first ${report.problems.length} listed)` : '';
  return (
    `${report.fileName}: ${report.problemCount} problem(s)${listed}, nothing was imported; ` +
    `first: row ${first.row}, ${first.column || 'row'}: ${first.message}`
  );
}

/** Stops a cancelled import with LC_CANCELLED (inside the write transaction, which then rolls back). */
function cancelledCheck(signal: AbortSignal | undefined, fileName: string): void {
  if (signal?.aborted)
    throw new LifeCircleError('LC_CANCELLED', `${fileName}: the import was cancelled; nothing was imported`);
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

function checkDuplicates(
  entity: RegisterEntity,
  parsed: ParsedRow[],
  column: string,
  nameColumn: string,
): void {
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
  if (entity === 'facilities') checkNearDuplicates(parsed, nameColumn);
}

/**
 * Two outlets of the same type and the same name within this distance are most likely one outlet entered twice
 * under two codes (a registry merged from two sources). Labelled default: no standard fixes it; 50 m is about one
 * building frontage, the accuracy of a geocoded address.
 */
export const NEAR_DUPLICATE_M = 50;

function checkNearDuplicates(parsed: ParsedRow[], nameColumn: string): void {
  // Cells of about 0.001° (≈ 110 m north–south, ≈ 95 m east–west in China): a pair within 50 m lies in the
  // same or a neighbouring cell, so each row is compared with a handful of others, not with every row.
  const CELL = 0.001;
  const cells = new Map<string, { row: number; name: string; type: string; lon: number; lat: number }[]>();
  for (const p of parsed) {
    const f = p.patch as Partial<Facility>;
    if (!f.location || !f.name || !f.typeCode) continue;
    const { lon, lat } = f.location;
    const name = f.name.replace(/\s+/g, '');
    const cx = Math.floor(lon / CELL);
    const cy = Math.floor(lat / CELL);
    let twin: { row: number; distance: number } | null = null;
    for (let dx = -1; dx <= 1 && !twin; dx++)
      for (let dy = -1; dy <= 1 && !twin; dy++)
        for (const other of cells.get(`${cx + dx},${cy + dy}`) ?? []) {
          if (other.name !== name || other.type !== f.typeCode) continue;
          const distance = haversineM(lon, lat, other.lon, other.lat);
          if (distance <= NEAR_DUPLICATE_M) {
            twin = { row: other.row, distance };
            break;
          }
        }
    if (twin)
      p.problems.push(
        problem(
          p.row,
          nameColumn,
          f.name,
          'near_duplicate',
          `${f.name} (${f.typeCode}) is ${Math.round(twin.distance)} m from the outlet of the same name and type in row ${twin.row}: the same outlet entered twice? Keep one row, or tell them apart by name`,
        ),
      );
    const key = `${cx},${cy}`;
    const here = cells.get(key) ?? [];
    here.push({ row: p.row, name, type: f.typeCode, lon, lat });
    cells.set(key, here);
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
  report: Pick<ImportReport, 'created' | 'updated' | 'unchanged'>,
  options: ImportOptions,
  step: (progress: ImportProgress) => void,
): Promise<RowProblem[]> {
  const repo = repositoryOf(tx, entity);
  const forbidden: RowProblem[] = [];
  const total = parsed.length;
  for (const [i, p] of parsed.entries()) {
    // Throwing here rolls the transaction back: a cancelled import leaves the store as it was.
    if (i % PROGRESS_EVERY === 0) step({ phase: 'writing', done: i, total });
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
