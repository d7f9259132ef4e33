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
import { cityExtent } from '../cities/index.js';
import type { CoordinateSystem } from './coordinates.js';
import { FIELDS, resolveColumns, type RegisterEntity } from './fields.js';
import { lookupType, parseRow, type ParsedRow, type RegisterRecord } from './parse-row.js';
import { loadCityPlaces, matchPlaceNames } from './place-names.js';
import { rejectedRowsFile } from './rejected-rows.js';
import { proposeTypeMapping, type TypeProposal } from './type-proposal.js';
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
  /** Facilities: one type for every row (a code, Chinese or English name); the file's type column is not read. */
  type?: string;
  /** Facilities: the file's type values → facility types, as confirmed from the report's `typeProposal`. */
  typeMap?: Record<string, string>;
  /** Check everything and count what would change, then write nothing. */
  dryRun?: boolean;
  /**
   * Import the rows without problems and leave out the others (listed in the report and in `rejectedRows`).
   * Off by default: an import is all rows or none unless the user asks for this.
   */
  skipBadRows?: boolean;
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
  /** Nothing was written: `accepted` says whether the import would have been. */
  dryRun: boolean;
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
  /** Rows left out because they had problems (`skipBadRows`); 0 otherwise. */
  skippedRows: number;
  /** Things worth a look that do not stop the import: shared points, unknown 街道, one provider twice at one address. */
  warningCount: number;
  warnings: RowProblem[];
  /** Rows whose code was made from name and position (the file has no code column). */
  generatedCodes: number;
  /** Rows whose division code came from their 区/街道 names. */
  regionsFromNames: number;
  /** The type column's values that name no facility type, with the type proposed for each. */
  typeProposal: TypeProposal | null;
}

/**
 * A report stays small whatever the file: a 10 MB file of junk must not answer with a 73 MB report (every row
 * repeating its header). The first `problems` problems are listed in full, the rest counted by reason; a cell
 * value is echoed up to `cellChars` characters, a message up to `messageChars`. Labelled defaults.
 */
export const REPORT_LIMITS = {
  problems: 1000,
  warnings: 1000,
  typeValues: 200,
  cellChars: 100,
  messageChars: 400,
  ignoredColumns: 100,
} as const;

const clip = (text: string, max: number): string =>
  text.length <= max ? text : `${text.slice(0, max)}…（共 ${text.length} 字符 / ${text.length} chars）`;

/** The report as kept and answered: counts of every problem, the first ones listed, long text clipped. */
export function boundedReport(
  report: Omit<ImportReport, 'problemCount' | 'problemsByReason' | 'warningCount' | NewerFields> &
    Partial<Pick<ImportReport, 'problemCount' | 'problemsByReason' | 'warningCount' | NewerFields>>,
): ImportReport {
  const byReason: Partial<Record<ProblemReason, number>> = {};
  for (const p of report.problems) byReason[p.reason] = (byReason[p.reason] ?? 0) + 1;
  const clipped = (p: RowProblem): RowProblem => ({
    ...p,
    column: clip(p.column, REPORT_LIMITS.cellChars),
    value: clip(p.value, REPORT_LIMITS.cellChars),
    message: clip(p.message, REPORT_LIMITS.messageChars),
  });
  const warnings = report.warnings ?? [];
  const proposal = report.typeProposal ?? null;
  return {
    // Reports kept before these fields existed read as an ordinary import.
    dryRun: false,
    skippedRows: 0,
    generatedCodes: 0,
    regionsFromNames: 0,
    ...report,
    warningCount: report.warningCount ?? warnings.length,
    warnings: warnings.slice(0, REPORT_LIMITS.warnings).map(clipped),
    typeProposal: proposal && {
      ...proposal,
      column: clip(proposal.column, REPORT_LIMITS.cellChars),
      values: proposal.values
        .slice(0, REPORT_LIMITS.typeValues)
        .map((v) => ({ ...v, value: clip(v.value, REPORT_LIMITS.cellChars) })),
    },
    ignoredColumns: report.ignoredColumns
      .slice(0, REPORT_LIMITS.ignoredColumns)
      .map((c) => clip(c, REPORT_LIMITS.cellChars)),
    problemCount: report.problemCount ?? report.problems.length,
    problemsByReason: report.problemsByReason ?? byReason,
    problems: report.problems.slice(0, REPORT_LIMITS.problems).map(clipped),
  };
}

/** Report fields added after reports were first kept (migration-free: old reports lack them). */
type NewerFields =
  'dryRun' | 'skippedRows' | 'warnings' | 'generatedCodes' | 'regionsFromNames' | 'typeProposal';

export interface ImportOutcome {
  /** The id under which the report is kept (GET it again, or as XLSX). */
  importId: number;
  report: ImportReport;
  /**
   * The rows with problems, in the file's own columns plus one naming the problems (CSV; GeoJSON for a GeoJSON
   * file): fix them and import this file again. Null when every row passed.
   */
  rejectedRows: { fileName: string; bytes: Buffer } | null;
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
  const city = await cityExtent(store, options.cityCode);
  const { onProgress = () => {}, signal } = options;
  const step = (progress: ImportProgress) => {
    cancelledCheck(signal, fileName);
    onProgress(progress);
  };
  const types = typeIndex(await store.facilityTypes.list());
  const { fixedType, typeMap } = typeOptions(entity, options, types);
  step({ phase: 'reading', done: 0, total: 1 });
  const table = await readTable(bytes, fileName, {
    format: options.format,
    encoding: options.encoding,
    headerScore: (cells) => resolveColumns(entity, cells, options.mapping).columns.size,
  });
  const hasGeometry = table.rows.some((r) => r.geometry);
  const { columns, ignored, missing } = resolveColumns(entity, table.headers, options.mapping, hasGeometry);
  // With one type for the whole file, a type column (often ownership: 民建民营, 公建民营) is left unread.
  if (fixedType && columns.has('typeCode')) {
    ignored.push(columns.get('typeCode')!);
    ignored.sort((x, y) => table.headers.indexOf(x) - table.headers.indexOf(y));
    columns.delete('typeCode');
  }
  const found: Omit<ImportReport, 'problemCount' | 'problemsByReason' | 'warningCount'> = {
    entity,
    dryRun: options.dryRun ?? false,
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
    problems: missing
      .filter((f) => !(f.key === 'typeCode' && fixedType))
      .map((f) =>
        problem(
          1,
          f.zh,
          '',
          'missing_column',
          `no column for ${f.zh} (${f.en}); the header row has: ${table.headers.join(', ')}` +
            (f.key === 'typeCode'
              ? '. Give the whole file one type (--type) if it holds one kind of facility'
              : ''),
        ),
      ),
    skippedRows: 0,
    warnings: [],
    generatedCodes: 0,
    regionsFromNames: 0,
    typeProposal: null,
  };
  let rejected: ParsedRow[] = [];
  if (found.problems.length === 0) {
    const total = table.rows.length;
    step({ phase: 'checking', done: 0, total });
    const parsed = table.rows.map((row, i) => {
      if (i % PROGRESS_EVERY === 0 && i > 0) step({ phase: 'checking', done: i, total });
      return parseRow(entity, row, { city, crs, columns, types, fixedType, typeMap });
    });
    step({ phase: 'checking', done: total, total });
    if (columns.has('district') || columns.has('street')) {
      const matched = matchPlaceNames(parsed, await loadCityPlaces(store, city));
      found.regionsFromNames = matched.filled;
      found.warnings.push(...matched.warnings);
    }
    await checkReferences(store, parsed, options.cityCode);
    checkDuplicates(
      entity,
      parsed,
      columns.get(keyField(entity)) ?? columns.get('name') ?? keyField(entity),
      columns.get('name') ?? 'name',
    );
    found.warnings.push(...sharedPoints(parsed, columns.get('lon') ?? 'geometry'));
    if (entity === 'facilities') found.warnings.push(...sameProviderAndAddress(parsed, columns));
    found.generatedCodes = parsed.filter((p) => p.generatedKey).length;
    found.typeProposal = proposeTypeMapping(parsed, columns.get('typeCode') ?? '', types);
    found.problems.push(...parsed.flatMap((p) => p.problems));
    // A header with no rows is refused like any bad file: an "accepted" import of nothing hides a wrong export.
    if (table.rows.length === 0)
      found.problems.push(
        problem(1, '', '', 'no_rows', `${fileName}: a header row and no data rows; nothing to import`),
      );
    const skipping = options.skipBadRows === true && table.rows.length > 0;
    rejected = parsed.filter((p) => p.problems.length > 0);
    const good = skipping ? parsed.filter((p) => p.problems.length === 0) : parsed;
    if (skipping) found.skippedRows = rejected.length;
    if ((skipping && good.length > 0) || found.problems.length === 0) {
      const outcome = await store
        .transaction(async (tx) => {
          const forbidden = await upsertAll(tx, entity, good, found, options, step);
          // A scope failure found while writing rolls the whole transaction back.
          if (forbidden.length) throw new ScopeRejection(forbidden);
          // A dry run counts what would change, then rolls back.
          if (options.dryRun) throw new DryRunRollback();
          return 'written' as const;
        })
        .catch((error: unknown) => {
          if (error instanceof ScopeRejection) return error.problems;
          if (error instanceof DryRunRollback) return 'dry run' as const;
          throw error;
        });
      if (Array.isArray(outcome)) {
        found.problems.push(...outcome);
        found.created = found.updated = found.unchanged = 0;
      } else found.accepted = true;
    }
  }
  // File order: by row, then by column as the file lays them out.
  const columnOrder = new Map<string, number>();
  table.headers.forEach((h, i) => columnOrder.has(h) || columnOrder.set(h, i));
  const position = (column: string) => columnOrder.get(column) ?? -1;
  const inFileOrder = (list: RowProblem[]) =>
    list.sort((a, b) => a.row - b.row || position(a.column) - position(b.column));
  const report = boundedReport({
    ...found,
    problems: inFileOrder(found.problems),
    warnings: inFileOrder(found.warnings),
  });
  const rejectedRows = rejected.length ? rejectedRowsFile(table, rejected, fileName) : null;
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
      dryRun: report.dryRun,
      skippedRows: report.skippedRows,
      // Kept with the import for GET /api/imports/:id/rejected-rows (same access as the report).
      rejectedRows: rejectedRows && {
        fileName: rejectedRows.fileName,
        base64: rejectedRows.bytes.toString('base64'),
      },
    },
    report,
    createdBy: actor.name,
  });
  return { importId: record.id, report, rejectedRows };
}

/** The `type` and `typeMap` options checked against the city's types: a wrong name stops before any row is read. */
function typeOptions(
  entity: RegisterEntity,
  options: Pick<ImportOptions, 'type' | 'typeMap'>,
  types: Map<string, FacilityType>,
): { fixedType?: FacilityType; typeMap?: Map<string, string> } {
  if (entity !== 'facilities' && (options.type || options.typeMap))
    throw new LifeCircleError('LC_USAGE', `type and typeMap apply to facilities, not ${entity}`);
  const known = () => [...new Set([...types.values()].map((t) => `${t.code} ${t.nameZh}`))].join(', ');
  const resolve = (text: string, what: string): FacilityType => {
    const type = lookupType(types, text.trim());
    if (!type)
      throw new LifeCircleError('LC_USAGE', `${what}: '${text}' is not a facility type; known: ${known()}`);
    return type;
  };
  return {
    fixedType: options.type ? resolve(options.type, 'type') : undefined,
    typeMap: options.typeMap
      ? new Map(
          Object.entries(options.typeMap).map(([value, type]) => [
            value,
            resolve(type, `typeMap '${value}'`).code,
          ]),
        )
      : undefined,
  };
}

class DryRunRollback extends Error {
  constructor() {
    super('dry run: rolled back');
  }
}

/**
 * Points shared by this many rows or more are flagged: a geocoder that cannot place an address returns the
 * city's or the district's centre, and a register built that way stacks its failures on one point. Labelled
 * default (no standard; 2 rows on one point are often two outlets in one building).
 */
export const SHARED_POINT_MIN_ROWS = 3;

function sharedPoints(parsed: readonly ParsedRow[], column: string): RowProblem[] {
  const byPoint = new Map<string, number[]>();
  for (const p of parsed) {
    const at = (p.patch as Partial<Facility>).location;
    if (!at || (p.patch as Partial<Community>).boundary) continue;
    // 6 decimals ≈ 0.1 m: "the same point", not "close".
    const key = `${at.lon.toFixed(6)},${at.lat.toFixed(6)}`;
    byPoint.set(key, [...(byPoint.get(key) ?? []), p.row]);
  }
  const warnings: RowProblem[] = [];
  for (const [point, rows] of byPoint)
    if (rows.length >= SHARED_POINT_MIN_ROWS)
      for (const row of rows)
        warnings.push(
          problem(
            row,
            column,
            point,
            'shared_point',
            `${rows.length} rows sit on exactly (${point}) (WGS-84): a geocoder's fallback point? Check their addresses`,
          ),
        );
  return warnings;
}

function sameProviderAndAddress(parsed: readonly ParsedRow[], columns: Map<string, string>): RowProblem[] {
  const first = new Map<string, number>();
  const warnings: RowProblem[] = [];
  for (const p of parsed) {
    const f = p.patch as Partial<Facility>;
    if (!f.providerUscc || !f.address) continue;
    const key = `${f.providerUscc}|${f.address.replace(/\s+/g, '')}`;
    const seen = first.get(key);
    if (seen === undefined) first.set(key, p.row);
    else
      warnings.push(
        problem(
          p.row,
          columns.get('address') ?? 'address',
          f.address,
          'same_provider_address',
          `provider ${f.providerUscc} at '${f.address}' as in row ${seen}: one outlet entered twice?`,
        ),
      );
  }
  return warnings;
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
