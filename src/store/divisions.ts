import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { LifeCircleError } from '../errors.js';
import type { Region, RegionLevel, Store } from './types.js';

/** The project's bundled data folder, found by walking up from this file (works from src/ and dist/src/). */
export function bundledDataDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'data', 'divisions', 'SOURCE.md'))) return join(dir, 'data');
    const parent = dirname(dir);
    if (parent === dir)
      throw new LifeCircleError('LC_FILE_NOT_FOUND', 'data/divisions/ is missing from the project');
    dir = parent;
  }
}

/** The division files of `data/divisions/`, in parent-before-child order, with the column holding each parent. */
const DIVISION_FILES: { file: string; level: RegionLevel; parentColumn: string | null }[] = [
  { file: 'provinces.csv', level: 'province', parentColumn: null },
  { file: 'cities.csv', level: 'city', parentColumn: 'provinceCode' },
  { file: 'areas.csv', level: 'district', parentColumn: 'cityCode' },
  { file: 'streets.csv', level: 'subdistrict', parentColumn: 'areaCode' },
  { file: 'communities.csv', level: 'community', parentColumn: 'streetCode' },
];

/** Reads the bundled 行政区划 codes (province → 区 → 街道 → 社区) of the four seed cities. */
export function readBundledDivisions(dir = join(bundledDataDir(), 'divisions')): Region[] {
  const regions: Region[] = [];
  for (const { file, level, parentColumn } of DIVISION_FILES) {
    const path = join(dir, file);
    const rows = parse(readFileSync(path), { columns: true, skip_empty_lines: true }) as Record<
      string,
      string
    >[];
    for (const [i, row] of rows.entries()) {
      if (!row.code || !row.name)
        throw new LifeCircleError('LC_POINTS_FORMAT', `${path} line ${i + 2}: expected a code and a name`);
      regions.push({
        code: row.code,
        name: row.name,
        level,
        parentCode: parentColumn ? row[parentColumn] : null,
      });
    }
  }
  return regions;
}

/** Loads the bundled division codes into the store (idempotent: an upsert by code). Returns how many. */
export async function loadBundledDivisions(store: Store): Promise<number> {
  const regions = readBundledDivisions();
  return store.transaction((tx) => tx.regions.upsertMany(regions));
}
