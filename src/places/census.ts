import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { LifeCircleError } from '../errors.js';
import type { DemandGroup } from '../standards/index.js';

/** A district's (区/县) census totals: population and the share of each demand group. */
export interface DistrictCensus {
  readonly code: string;
  readonly name: string;
  readonly population: number;
  /** Share of the population in each demand group ('all' = 1). */
  readonly shares: Readonly<Record<DemandGroup, number>>;
  readonly source: string;
}

/** The bundled census of every county and district of China (7th census, 2020; see data/census/SOURCE.md). */
export const BUNDLED_CENSUS = fileURLToPath(
  new URL('../../../data/census/census-2020-counties.csv', import.meta.url),
);

const BANDS = [
  '0岁',
  '1到4岁',
  '5到9岁',
  '10到14岁',
  '60到64岁',
  '65到69岁',
  '70到74岁',
  '75到79岁',
  '80到84岁',
  '85岁以上',
];
// The five-year bands of 15–59 are only needed for the total of all bands.
const MIDDLE = [
  '15到19岁',
  '20到24岁',
  '25到29岁',
  '30到34岁',
  '35到39岁',
  '40到44岁',
  '45到49岁',
  '50到54岁',
  '55到59岁',
];

/** The bundled table parsed once per process (about 140 ms for the whole country; it never changes). */
let bundledRows: Record<string, string>[] | undefined;

function censusRows(path: string): Record<string, string>[] {
  if (path === BUNDLED_CENSUS && bundledRows) return bundledRows;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new LifeCircleError('LC_FILE_NOT_FOUND', `census file ${path} cannot be read`);
  }
  const rows = parse(text, { columns: true, skip_empty_lines: true, bom: true }) as Record<string, string>[];
  if (path === BUNDLED_CENSUS) bundledRows = rows;
  return rows;
}

/**
 * Reads a county-level census table (columns of leiii/census: 区划代码, 区县, 人口数_合计, 男_<band>, 女_<band>).
 * Demand-group shares come from the age bands assuming ages spread evenly inside each band: 0–2 = 0岁 + ½·(1–4),
 * 3–5 = ½·(1–4) + ⅕·(5–9), 6–11 = ⅘·(5–9) + ⅖·(10–14), 12–14 = ⅗·(10–14), 60+ = the bands from 60 up,
 * 80+ = 80–84 and 85+.
 * `within`: only the rows whose 区划代码 starts with this code (a city's, e.g. 5101, or a 区县's).
 */
export function readCensus(path: string = BUNDLED_CENSUS, within?: string): DistrictCensus[] {
  const rows = censusRows(path);
  // Names repeat across the country (朝阳区 of 北京 and of 长春): a city's rows are taken by code, then named.
  const kept = rows.flatMap((row, i) =>
    within === undefined || (row['区划代码'] ?? '').startsWith(within) ? [{ row, line: i + 2 }] : [],
  );
  return kept.map(({ row, line }) => {
    const num = (column: string): number => {
      const value = Number(row[column]);
      if (row[column] === undefined || !Number.isFinite(value))
        throw new LifeCircleError(
          'LC_CENSUS',
          `census file ${path} line ${line}: column ${column} should be a number, got ${JSON.stringify(row[column])}`,
        );
      return value;
    };
    const band = (b: string) => num(`男_${b}`) + num(`女_${b}`);
    const [b0, b1, b5, b10, ...old] = BANDS.map(band);
    const total = [b0, b1, b5, b10, ...old, ...MIDDLE.map(band)].reduce((s, v) => s + v, 0);
    const share = (v: number) => (total > 0 ? v / total : 0);
    return {
      code: row['区划代码'],
      name: row['区县'],
      population: num('人口数_合计'),
      shares: {
        all: 1,
        age0to2: share(b0 + b1 / 2),
        age3to5: share(b1 / 2 + b5 / 5),
        age6to11: share((b5 * 4) / 5 + (b10 * 2) / 5),
        age12to14: share((b10 * 3) / 5),
        age60plus: share(old.reduce((s, v) => s + v, 0)),
        // 高龄 (关爱高龄, seed 001): the bands 80–84 and 85+.
        age80plus: share(old.slice(4).reduce((s, v) => s + v, 0)),
      },
      source: `7th census 2020 (${path} line ${line})`,
    };
  });
}
