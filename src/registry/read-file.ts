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
    if (encoding === 'utf-8' || hasBom)
      throw new LifeCircleError(
        'LC_IMPORT_FORMAT',
        'the file is not valid UTF-8 (declared or marked by a BOM)',
        {
          cause: error,
        },
      );
    return { text: iconv.decode(body, 'gb18030'), encoding: 'gbk' };
  }
}

/** Reads a CSV, XLSX or GeoJSON file into header-keyed rows; throws LC_IMPORT_FORMAT when it cannot. */
export async function readTable(
  bytes: Buffer,
  fileName: string,
  options: { format?: FileFormat; encoding?: TextEncoding } = {},
): Promise<SourceTable> {
  const format = options.format ?? detectFormat(bytes, fileName);
  if (format === 'xlsx') return readXlsx(bytes, fileName);
  const { text, encoding } = decodeText(bytes, options.encoding);
  return format === 'csv' ? readCsv(text, encoding, fileName) : readGeoJson(text, encoding, fileName);
}

function readCsv(text: string, encoding: SourceTable['encoding'], fileName: string): SourceTable {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parseCsv(text, {
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
    }) as unknown as {
      record: string[];
      info: { lines: number };
    }[];
  } catch (error) {
    throw new LifeCircleError(
      'LC_IMPORT_FORMAT',
      `${fileName}: not a readable CSV file: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  if (records.length === 0) throw new LifeCircleError('LC_IMPORT_FORMAT', `${fileName}: the file is empty`);
  const headers = records[0].record.map((h) => h.trim());
  const rows = records.slice(1).map(({ record, info }) => {
    const values: Record<string, string> = {};
    headers.forEach((h, i) => (values[h] = record[i] ?? ''));
    const damaged =
      record.length > headers.length
        ? [{ column: '', message: `has ${record.length} cells, the header has ${headers.length} columns` }]
        : [];
    return { row: info.lines, values, geometry: null, damaged };
  });
  return { format: 'csv', encoding, headers, rows };
}

/** Excel keeps 15 significant digits, so a longer digit string stored as a number has lost its tail. */
const EXCEL_EXACT_DIGITS = 15;

async function readXlsx(bytes: Buffer, fileName: string): Promise<SourceTable> {
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
  let headers: string[] = [];
  let headerRow = 0;
  const rows: SourceRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    const damaged: SourceRow['damaged'] = [];
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      cells[col - 1] = cell.text.trim();
      if (headerRow && typeof cell.value === 'number' && Math.abs(cell.value) >= 10 ** EXCEL_EXACT_DIGITS)
        damaged.push({
          column: headers[col - 1] ?? `column ${col}`,
          message: `Excel stored this code as a number and kept only ${EXCEL_EXACT_DIGITS} digits; format the column as text and type it again`,
        });
    });
    if (!headerRow) {
      headerRow = rowNumber;
      headers = Array.from(cells, (c) => c ?? '');
      return;
    }
    if (cells.every((c) => !c)) return;
    const values: Record<string, string> = {};
    headers.forEach((h, i) => (values[h] = cells[i] ?? ''));
    rows.push({ row: rowNumber, values, geometry: null, damaged });
  });
  return { format: 'xlsx', encoding: 'utf-8', headers, rows };
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
