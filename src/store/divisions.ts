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

/** The four cities whose plans are bundled (data/seeds): 天津, 秦皇岛, 太原, 成都. */
export const SEED_CITY_CODES = ['1201', '1303', '1401', '5101'] as const;

const cache = new Map<string, Region[]>();

/**
 * Reads the bundled 行政区划 codes (national lists of provinces, cities, 区县 and 街道/乡镇; 社区 of the seed cities
 * only, see data/divisions/SOURCE.md), parents before children. `within` keeps the divisions inside these codes
 * and their ancestors (a city's province); without it, every division.
 */
export function readBundledDivisions(options: { within?: readonly string[]; dir?: string } = {}): Region[] {
  const dir = options.dir ?? join(bundledDataDir(), 'divisions');
  let all = cache.get(dir);
  if (!all) {
    all = readDivisionFiles(dir);
    cache.set(dir, all);
  }
  const within = options.within;
  if (!within) return all;
  return all.filter((r) => within.some((code) => r.code.startsWith(code) || code.startsWith(r.code)));
}

function readDivisionFiles(dir: string): Region[] {
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

/** Loads the seed cities' division codes into the store (idempotent: an upsert by code). Returns how many. */
export async function loadBundledDivisions(store: Store): Promise<number> {
  const regions = readBundledDivisions({ within: SEED_CITY_CODES });
  return store.transaction((tx) => tx.regions.upsertMany(regions));
}
