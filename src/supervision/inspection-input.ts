import { parse } from 'csv-parse/sync';
import { LifeCircleError } from '../errors.js';
import type { Candidate, Inspector } from './inspections.js';
import { restoreSpreadsheetCell } from '../tabular/index.js';
import { RISK_CLASSES, type RiskClass } from './rules.js';

/**
 * Reads the published candidate and inspector lists of a 双随机 draw from CSV (header row, comma-separated,
 * UTF-8 with or without BOM) or JSON (an array of objects with the same field names). List fields (lastInspectorIds,
 * regionCodes, conflictUscc) are `;`-separated in CSV and arrays in JSON. Every bad row stops the read with an
 * error naming the file, the line (CSV) or item (JSON), the field and what was expected.
 *
 * candidates: uscc, name (optional), riskClass (A–D), regionCode (6/9/12 digits), lastInspectorIds (optional)
 * inspectors: id, regionCodes (one or more of 2/4/6/9/12 digits), conflictUscc (optional)
 */
type Row = { readonly where: string; readonly get: (field: string) => unknown };

function fail(file: string, where: string, field: string, expected: string, got: unknown): never {
  const shown = typeof got === 'string' ? `'${got}'` : JSON.stringify(got ?? null);
  throw new LifeCircleError(
    'LC_INSPECTION_INPUT',
    `${file} ${where}, field ${field}: expected ${expected}, got ${shown}`,
  );
}

function rowsOf(text: string, file: string, required: readonly string[]): Row[] {
  const trimmed = text.replace(/^\uFEFF/, '').trimStart();
  if (trimmed.startsWith('[')) {
    let data: unknown;
    try {
      data = JSON.parse(trimmed);
    } catch (e) {
      throw new LifeCircleError('LC_INSPECTION_INPUT', `${file}: not valid JSON (${(e as Error).message})`);
    }
    if (!Array.isArray(data))
      throw new LifeCircleError('LC_INSPECTION_INPUT', `${file}: expected a JSON array of objects`);
    return data.map((item: unknown, i) => {
      const where = `item ${i + 1}`;
      if (typeof item !== 'object' || item === null || Array.isArray(item))
        fail(file, where, '(row)', 'an object', item);
      const obj = item as Record<string, unknown>;
      return { where, get: (f) => obj[f] };
    });
  }
  let parsed: { info: { lines: number }; record: string[] }[];
  try {
    parsed = parse(trimmed, {
      bom: true,
      skip_empty_lines: true,
      trim: true,
      info: true,
    }) as unknown as typeof parsed;
  } catch (e) {
    throw new LifeCircleError(
      'LC_INSPECTION_INPUT',
      `${file}: not readable as CSV (${(e as Error).message})`,
    );
  }
  if (parsed.length === 0)
    throw new LifeCircleError('LC_INSPECTION_INPUT', `${file}: empty, expected a header row`);
  const header = parsed[0].record;
  for (const f of required)
    if (!header.includes(f))
      throw new LifeCircleError(
        'LC_INSPECTION_INPUT',
        `${file} line 1: missing column ${f} (header: ${header.join(',')})`,
      );
  return parsed.slice(1).map(({ info, record }) => ({
    where: `line ${info.lines}`,
    get: (f) => {
      const i = header.indexOf(f);
      // The platform publishes these lists spreadsheet-safe (src/tabular): undo that on the way back in.
      return i < 0 ? undefined : restoreSpreadsheetCell(record[i]);
    },
  }));
}

function text(row: Row, file: string, field: string, expected: string, test: (s: string) => boolean): string {
  const v = row.get(field);
  if (typeof v !== 'string' || !test(v.trim())) fail(file, row.where, field, expected, v);
  return v.trim();
}

function list(
  row: Row,
  file: string,
  field: string,
  expected: string,
  test: (s: string) => boolean,
): string[] {
  const v = row.get(field);
  if (v === undefined || v === null || v === '') return [];
  const items = Array.isArray(v) ? v : typeof v === 'string' ? v.split(';') : null;
  if (items === null) fail(file, row.where, field, expected, v);
  const out = items
    .map((x: unknown) => (typeof x === 'string' ? x.trim() : x))
    .filter((x: unknown) => x !== '');
  for (const x of out) if (typeof x !== 'string' || !test(x)) fail(file, row.where, field, expected, x);
  return out as string[];
}

const USCC = (s: string): boolean => s.length === 18;
const REGION = (s: string): boolean => /^\d{6}(\d{3}(\d{3})?)?$/.test(s);
const REGION_ANY = (s: string): boolean => /^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$/.test(s);
const ID = (s: string): boolean => s !== '' && !s.includes(';');

export function parseCandidates(content: string, file: string): Candidate[] {
  const seen = new Map<string, string>();
  return rowsOf(content, file, ['uscc', 'riskClass', 'regionCode']).map((row) => {
    const uscc = text(row, file, 'uscc', 'an 18-character 统一社会信用代码', USCC);
    const previous = seen.get(uscc);
    if (previous) fail(file, row.where, 'uscc', `each provider once (also on ${previous})`, uscc);
    seen.set(uscc, row.where);
    const riskClass = text(row, file, 'riskClass', 'A, B, C or D', (s) =>
      RISK_CLASSES.includes(s as RiskClass),
    ) as RiskClass;
    const regionCode = text(row, file, 'regionCode', 'a 6, 9 or 12-digit region code', REGION);
    const name = row.get('name');
    return {
      uscc,
      ...(typeof name === 'string' && name.trim() !== '' ? { name: name.trim() } : {}),
      riskClass,
      regionCode,
      lastInspectorIds: list(row, file, 'lastInspectorIds', 'inspector ids separated by ;', ID),
    };
  });
}

export function parseInspectors(content: string, file: string): Inspector[] {
  const seen = new Map<string, string>();
  return rowsOf(content, file, ['id', 'regionCodes']).map((row) => {
    const id = text(row, file, 'id', 'a non-empty inspector id without ;', ID);
    const previous = seen.get(id);
    if (previous) fail(file, row.where, 'id', `each inspector once (also on ${previous})`, id);
    seen.set(id, row.where);
    const regionCodes = list(
      row,
      file,
      'regionCodes',
      'region codes of 2, 4, 6, 9 or 12 digits separated by ;',
      REGION_ANY,
    );
    if (regionCodes.length === 0)
      fail(file, row.where, 'regionCodes', 'at least one region code', row.get('regionCodes'));
    return {
      id,
      regionCodes,
      conflictUscc: list(row, file, 'conflictUscc', '18-character codes separated by ;', USCC),
    };
  });
}
