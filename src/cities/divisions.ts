import { LifeCircleError } from '../errors.js';
import { readBundledDivisions, type Region } from '../store/index.js';

/** A division a city can be set up from: a prefecture-level city (4 digits) or a county-level unit (6 digits). */
export interface CityDivision {
  code: string;
  /** The full name people write: 成都市, 上海市 (not the list's 市辖区), 上海市宝山区. */
  name: string;
  level: 'city' | 'district';
}

/**
 * NBS lists group the counties a province governs directly under a pseudo-city (省直辖县级行政区划, code xx90) and
 * a municipality's counties under 县 (5002): not cities one can plan for, so their 区县 are set up one by one.
 */
const GROUPING_NAMES = new Set(['省直辖县级行政区划', '自治区直辖县级行政区划', '县']);

let byCode: Map<string, Region> | null = null;
function divisions(): Map<string, Region> {
  byCode ??= new Map(readBundledDivisions().map((r) => [r.code, r]));
  return byCode;
}

/**
 * The code as the national lists write it. People also write GB/T 2260's six digits (510100 for 成都市, 510000
 * for 四川省) and NBS's twelve (510104000000): trailing zero groups are dropped down to the unit they name.
 */
export function normalizeDivisionCode(text: string): string {
  const code = text.trim();
  if (!/^\d+$/.test(code)) return code;
  if (code.length === 12 && code.endsWith('000')) return normalizeDivisionCode(code.slice(0, 9));
  if (code.length === 9 && code.endsWith('000')) return normalizeDivisionCode(code.slice(0, 6));
  if (code.length === 6 && code.endsWith('00') && !divisions().has(code))
    return normalizeDivisionCode(code.slice(0, 4));
  if (code.length === 4 && code.endsWith('00')) return code.slice(0, 2);
  return code;
}

function fullName(region: Region): string {
  const all = divisions();
  const province = region.code.length >= 2 ? all.get(region.code.slice(0, 2)) : undefined;
  const cityName = (code: string): string => {
    const city = all.get(code);
    // 市辖区 is the municipalities' city row (北京, 天津, 上海, 重庆): the province is the city.
    return !city || city.name === '市辖区' || GROUPING_NAMES.has(city.name)
      ? (province?.name ?? '')
      : city.name;
  };
  return region.level === 'city'
    ? cityName(region.code)
    : `${cityName(region.code.slice(0, 4))}${region.name}`;
}

/**
 * The city or 区县 a code (or a name: 成都市, 成都, 宝山区) names, from the bundled national lists; LC_USAGE
 * naming what was found instead (a province, a 街道, several places of that name), LC_NOT_FOUND when nothing.
 */
export function findCityDivision(query: string): CityDivision {
  const all = divisions();
  const text = query.trim();
  let region: Region | undefined;
  if (/^\d+$/.test(text)) {
    const code = normalizeDivisionCode(text);
    region = all.get(code);
    if (!region)
      throw new LifeCircleError(
        'LC_NOT_FOUND',
        `division code ${text} is not in the national division list (NBS 2023, data/divisions); a city has 4 digits (5101 成都市), a 区县 6 (310113 宝山区)`,
      );
  } else {
    const candidates = [...all.values()].filter(
      (r) =>
        (r.level === 'city' || r.level === 'district') &&
        (r.name === text || r.name === `${text}市` || fullName(r) === text || fullName(r) === `${text}市`),
    );
    if (candidates.length === 0)
      throw new LifeCircleError(
        'LC_NOT_FOUND',
        `no city or 区县 is named '${text}' in the national division list (NBS 2023); give its division code`,
      );
    if (candidates.length > 1)
      throw new LifeCircleError(
        'LC_USAGE',
        `'${text}' names ${candidates.length} places: ${candidates.map((r) => `${r.code} ${fullName(r)}`).join(', ')}; give the code`,
      );
    region = candidates[0];
  }
  if (region.level === 'province')
    throw new LifeCircleError(
      'LC_USAGE',
      `${region.code} is the province ${region.name}: set up its cities one by one (e.g. ${[...all.values()]
        .filter((r) => r.level === 'city' && r.parentCode === region.code && !GROUPING_NAMES.has(r.name))
        .slice(0, 3)
        .map((r) => `${r.code} ${fullName(r)}`)
        .join(', ')})`,
    );
  if (region.level === 'subdistrict' || region.level === 'community')
    throw new LifeCircleError(
      'LC_USAGE',
      `${region.code} ${region.name} is a ${region.level === 'subdistrict' ? '街道/乡镇' : '社区/村'}; set up its city (${region.code.slice(0, 4)}) or 区县 (${region.code.slice(0, 6)})`,
    );
  if (region.level === 'city' && GROUPING_NAMES.has(region.name))
    throw new LifeCircleError(
      'LC_USAGE',
      `${region.code} ${region.name} groups counties, it is not a city; set up one of them: ${[
        ...all.values(),
      ]
        .filter((r) => r.parentCode === region.code)
        .slice(0, 5)
        .map((r) => `${r.code} ${r.name}`)
        .join(', ')}`,
    );
  return { code: region.code, name: fullName(region), level: region.level as 'city' | 'district' };
}

/** The division codes inside a city or 区县 and its ancestors, parents first, as the store keeps them. */
export function divisionsOf(code: string): Region[] {
  return readBundledDivisions({ within: [code] });
}
