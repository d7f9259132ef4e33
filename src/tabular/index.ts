import { stringify } from 'csv-stringify/sync';

/**
 * Tables the platform writes for spreadsheets (CSV, XLSX): one writer, so every export is safe to open in Excel or
 * WPS. A cell whose text starts with `=`, `+`, `-`, `@`, a tab or a carriage return is read by spreadsheet
 * programs as a formula (`=HYPERLINK(…)` in a facility name runs when a clerk opens the export), so it is written
 * with a leading apostrophe — OWASP, "CSV Injection" (owasp.org/www-community/attacks/CSV_Injection). Plain
 * numbers such as `-12.5` are not formulas and stay as they are. The registry importer removes the apostrophe
 * again (`restoreSpreadsheetCell`), so an exported file imports back unchanged.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** The text of one cell as it is safe to write to CSV or XLSX. */
export function spreadsheetSafe(text: string): string {
  return FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
}

/** Undoes `spreadsheetSafe` on a cell read back from a file the platform (or a careful clerk) wrote. */
export function restoreSpreadsheetCell(text: string): string {
  return text.startsWith("'") && FORMULA_START.test(text.slice(1)) ? text.slice(1) : text;
}

/** A cell's text: null, undefined and non-finite numbers are empty. */
function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' && !Number.isFinite(value)) return '';
  return String(value);
}

/** Rows as CSV text (RFC 4180 quoting by csv-stringify), every cell made spreadsheet-safe. */
export function toCsv(rows: readonly (readonly unknown[])[]): string {
  return stringify(rows.map((row) => row.map((v) => spreadsheetSafe(cellText(v)))));
}
