import { parse as parseCsv } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { LifeCircleError } from '../errors.js';

export const FILE_FORMATS = ['csv', 'xlsx', 'geojson'] as const;
export type FileFormat = (typeof FILE_FORMATS)[number];

export const TEXT_ENCODINGS = ['auto', 'utf-8', 'gbk'] as const;
export type TextEncoding = (typeof TEXT_ENCODINGS)[number];

/** One data row of an import file: where it is (for the report), its cells by header, and its geometry if any. */
export interface SourceRow {
  /** CSV: the line number (header = 1); XLSX: the sheet row number; GeoJSON: the feature number (from 1). */
  row: number;
  values: Record<string, string>;
  geometry: GeoJsonGeometry | null;
  /** Cells the reader already knows are damaged (e.g. long digit strings Excel stored as numbers). */
  damaged: { column: string; message: string }[];
}

export interface GeoJsonGeometry {
  type: string;
  coordinates: unknown;
}

export interface SourceTable {
  format: FileFormat;
  /** The encoding a text file was read in (XLSX is always UTF-8 inside). */
  encoding: 'utf-8' | 'gbk' | 'utf-16le';
  headers: string[];
  rows: SourceRow[];
}

/** Guesses the format from the bytes first (a ZIP is XLSX), then from the file name. */
export function detectFormat(bytes: Buffer, fileName: string): FileFormat {
  if (bytes.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) return 'xlsx';
  if (bytes.subarray(0, 4).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0])))
    throw new LifeCircleError(
      'LC_IMPORT_FORMAT',
      `${fileName}: this is an old Excel 97–2003 .xls file; save it as .xlsx (Excel 工作簿) or CSV and import again`,
    );
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.geojson') || lower.endsWith('.json')) return 'geojson';
  if (lower.endsWith('.xlsx')) return 'xlsx';
  const head = bytes.subarray(0, 200).toString('utf8').trimStart();
  if (head.startsWith('{') && head.includes('"type"')) return 'geojson';
  return 'csv';
}

/**
 * Decodes a text file. Excel in China saves "CSV" in GBK (code page 936) unless told otherwise, so `auto` reads
 * UTF-8 when the bytes are valid UTF-8 (GBK text almost never is) and GB18030 (a superset of GBK) otherwise.
 */
export function decodeText(
  bytes: Buffer,
  encoding: TextEncoding = 'auto',
): { text: string; encoding: SourceTable['encoding'] } {
  if (bytes[0] === 0xff && bytes[1] === 0xfe)
    return { text: iconv.decode(bytes.subarray(2), 'utf-16le'), encoding: 'utf-16le' };
  const hasBom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const body = hasBom ? bytes.subarray(3) : bytes;
  if (encoding === 'gbk') return { text: iconv.decode(body, 'gb18030'), encoding: 'gbk' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(body), encoding: 'utf-8' };
  } catch (error) {
    const lines = classifyLines(body);
    if (encoding === 'utf-8' || hasBom)
      throw new LifeCircleError(
        'LC_IMPORT_FORMAT',
        `the file is not valid UTF-8 (declared or marked by a BOM): line ${lines.firstNotUtf8} is not`,
        { cause: error },
      );
    // Some lines UTF-8 Chinese, others not: two files pasted together, or a UTF-8 file edited in a GBK program.
    // Decoding it all as GBK would turn the UTF-8 lines into mojibake, so it is refused naming both kinds.
    if (lines.firstUtf8Text !== null)
      throw new LifeCircleError(
        'LC_IMPORT_FORMAT',
        `mixed text encodings: line ${lines.firstUtf8Text} is UTF-8 but line ${lines.firstNotUtf8} is not ` +
          '(GBK?); save the whole file in one encoding, preferably UTF-8',
      );
    return { text: iconv.decode(body, 'gb18030'), encoding: 'gbk' };
  }
}

/**
 * Line numbers (1-based) of the first line that is not valid UTF-8 and of the first that is valid UTF-8 with
 * non-ASCII text (so could not be plain GBK by accident of being ASCII).
 */
function classifyLines(body: Buffer): { firstNotUtf8: number; firstUtf8Text: number | null } {
  const strict = new TextDecoder('utf-8', { fatal: true });
  let firstNotUtf8 = 0;
  let firstUtf8Text: number | null = null;
  let start = 0;
  for (let line = 1; start <= body.length; line++) {
    let end = body.indexOf(0x0a, start);
    if (end < 0) end = body.length;
    const bytes = body.subarray(start, end);
    if (bytes.some((b) => b >= 0x80)) {
      let valid = true;
      try {
        strict.decode(bytes);
      } catch {
        valid = false;
      }
      if (!valid && firstNotUtf8 === 0) firstNotUtf8 = line;
      // Two or more CJK characters in UTF-8 are 6+ bytes of strict lead/continuation patterns: GBK text almost
      // never forms them, so such a line is taken as genuinely UTF-8.
      if (valid && firstUtf8Text === null && bytes.filter((b) => b >= 0x80).length >= 6) firstUtf8Text = line;
    }
    if (firstNotUtf8 && firstUtf8Text !== null) break;
    start = end + 1;
  }
  return { firstNotUtf8, firstUtf8Text };
}

/** Reads a CSV, XLSX or GeoJSON file into header-keyed rows; throws LC_IMPORT_FORMAT when it cannot. */
export async function readTable(
  bytes: Buffer,
  fileName: string,
  options: { format?: FileFormat; encoding?: TextEncoding; headerScore?: HeaderScore } = {},
): Promise<SourceTable> {
  const format = options.format ?? detectFormat(bytes, fileName);
  if (format === 'xlsx') return readXlsx(bytes, fileName, options.headerScore);
  let decoded: ReturnType<typeof decodeText>;
  try {
    decoded = decodeText(bytes, options.encoding);
  } catch (error) {
    if (error instanceof LifeCircleError)
      throw new LifeCircleError(error.code, `${fileName}: ${error.message}`, { cause: error });
    throw error;
  }
  const { text, encoding } = decoded;
  return format === 'csv'
    ? readCsv(text, encoding, fileName, options.headerScore)
    : readGeoJson(text, encoding, fileName);
}

/** A row as read, before the header is known: its number in the file and its cells. */
interface RawRow {
  row: number;
  cells: string[];
  /** Columns (0-based) whose cell Excel stored as a number too long to be exact. */
  lossy: number[];
}

/** How many of the register's fields a row names, used to find the header row. */
export type HeaderScore = (cells: string[]) => number;

/** Government spreadsheets often carry a title row or two above the header; look this far for it. */
const HEADER_SEARCH_ROWS = 10;

/**
 * Turns raw rows into header-keyed rows. The header is the row among the first few that names the most of
 * the register's fields (the first non-empty row when no score is given); rows above it are titles.
 */
function tabulate(
  raw: RawRow[],
  format: FileFormat,
  encoding: SourceTable['encoding'],
  score?: HeaderScore,
): SourceTable {
  let at = Math.max(
    0,
    raw.findIndex((r) => r.cells.some(Boolean)),
  );
  if (score) {
    let best = -1;
    raw.slice(0, HEADER_SEARCH_ROWS).forEach((r, i) => {
      const s = score(r.cells);
      if (r.cells.some(Boolean) && s > best) [best, at] = [s, i];
    });
  }
  const headers = Array.from(raw[at].cells, (c) => (c ?? '').trim());
  const rows = raw.slice(at + 1).flatMap(({ row, cells, lossy }) => {
    if (cells.every((c) => !c)) return [];
    const values: Record<string, string> = {};
    headers.forEach((h, i) => (values[h] = cells[i] ?? ''));
    const damaged: SourceRow['damaged'] = lossy.map((col) => ({
      column: headers[col] ?? `column ${col + 1}`,
      message: `Excel stored this code as a number and kept only ${EXCEL_EXACT_DIGITS} digits; format the column as text and type it again`,
    }));
    if (cells.length > headers.length && cells.slice(headers.length).some(Boolean))
      damaged.push({
        column: '',
        message: `has ${cells.length} cells, the header has ${headers.length} columns`,
      });
    return [{ row, values, geometry: null, damaged }];
  });
  return { format, encoding, headers, rows };
}

function readCsv(
  text: string,
  encoding: SourceTable['encoding'],
  fileName: string,
  score?: HeaderScore,
): SourceTable {
  let records: string[][];
  try {
    // Blank lines are kept as (empty) records so that record i is row i + 1, as Excel numbers the rows the
    // clerk will look at; a quoted line break stays inside its row, as in Excel.
    records = parseCsv(text, { relax_column_count: true, skip_empty_lines: false, trim: true }) as string[][];
  } catch (error) {
    throw new LifeCircleError(
      'LC_IMPORT_FORMAT',
      `${fileName}: not a readable CSV file: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  if (records.every((r) => r.every((c) => !c)))
    throw new LifeCircleError('LC_IMPORT_FORMAT', `${fileName}: the file is empty`);
  return tabulate(
    records.map((cells, i) => ({ row: i + 1, cells, lossy: [] })),
    'csv',
    encoding,
    score,
  );
}

/** Excel keeps 15 significant digits, so a longer digit string stored as a number has lost its tail. */
const EXCEL_EXACT_DIGITS = 15;

async function readXlsx(bytes: Buffer, fileName: string, score?: HeaderScore): Promise<SourceTable> {
  const workbook = new (await loadExcel()).Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (error) {
    throw new LifeCircleError(
      'LC_IMPORT_FORMAT',
      `${fileName}: not a readable .xlsx workbook: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  const sheet = workbook.worksheets[0];
  if (!sheet || sheet.actualRowCount === 0)
    throw new LifeCircleError('LC_IMPORT_FORMAT', `${fileName}: the first worksheet is empty`);
  const raw: RawRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    const lossy: number[] = [];
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      cells[col - 1] = cell.text.trim();
      if (typeof cell.value === 'number' && Math.abs(cell.value) >= 10 ** EXCEL_EXACT_DIGITS)
        lossy.push(col - 1);
    });
    raw.push({ row: rowNumber, cells: Array.from(cells, (c) => c ?? ''), lossy });
  });
  return tabulate(raw, 'xlsx', 'utf-8', score);
}

function readGeoJson(text: string, encoding: SourceTable['encoding'], fileName: string): SourceTable {
  let doc: {
    type?: string;
    features?: { properties?: Record<string, unknown>; geometry?: GeoJsonGeometry }[];
  };
  try {
    doc = JSON.parse(text) as typeof doc;
  } catch (error) {
    throw new LifeCircleError(
      'LC_IMPORT_FORMAT',
      `${fileName}: not valid JSON: ${(error as Error).message}`,
      { cause: error },
    );
  }
  if (doc.type !== 'FeatureCollection' || !Array.isArray(doc.features))
    throw new LifeCircleError(
      'LC_IMPORT_FORMAT',
      `${fileName}: expected a GeoJSON FeatureCollection, got type ${String(doc.type)}`,
    );
  const headers = new Set<string>();
  const rows = doc.features.map((feature, i) => {
    const values: Record<string, string> = {};
    for (const [key, value] of Object.entries(feature.properties ?? {})) {
      headers.add(key);
      values[key] = value === null || value === undefined ? '' : String(value).trim();
    }
    return { row: i + 1, values, geometry: feature.geometry ?? null, damaged: [] };
  });
  return { format: 'geojson', encoding, headers: [...headers], rows };
}

/** exceljs is large (~1 s to load on a busy machine); load it only when a workbook is read or written. */
async function loadExcel(): Promise<typeof import('exceljs')> {
  return (await import('exceljs')).default;
}
