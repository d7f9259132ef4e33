import { toCsv } from '../tabular/index.js';
import type { ParsedRow } from './parse-row.js';
import type { SourceTable } from './read-file.js';

/** The column the rejected-rows file adds; the importer ignores it when the fixed file comes back. */
export const PROBLEM_COLUMN = '问题 problem';

/**
 * The rows that had problems, as the user wrote them, with one more column naming the problems: fix the cells
 * and import the file again. CSV (UTF-8 with BOM, for Excel) for CSV and XLSX files; GeoJSON for GeoJSON, so
 * geometries survive.
 */
export function rejectedRowsFile(
  table: SourceTable,
  rejected: readonly ParsedRow[],
  fileName: string,
): { fileName: string; bytes: Buffer } {
  const stem = fileName.replace(/\.[^.]+$/, '');
  const byRow = new Map(table.rows.map((r) => [r.row, r]));
  const describe = (p: ParsedRow) =>
    p.problems.map((x) => `${x.column ? `${x.column}: ` : ''}${x.message}`).join('; ');
  if (table.format === 'geojson') {
    const features = rejected.map((p) => {
      const src = byRow.get(p.row)!;
      return {
        type: 'Feature',
        properties: { ...src.values, [PROBLEM_COLUMN]: describe(p) },
        geometry: src.geometry,
      };
    });
    return {
      fileName: `${stem}.rejected.geojson`,
      bytes: Buffer.from(JSON.stringify({ type: 'FeatureCollection', features })),
    };
  }
  const headers = table.headers.filter(Boolean);
  const rows = rejected.map((p) => {
    const src = byRow.get(p.row)!;
    return [...headers.map((h) => src.values[h] ?? ''), describe(p)];
  });
  const text = toCsv([[...headers, PROBLEM_COLUMN], ...rows]);
  return { fileName: `${stem}.rejected.csv`, bytes: Buffer.from(`\ufeff${text}`, 'utf8') };
}
