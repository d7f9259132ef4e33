import type { Region, Store } from '../store/index.js';
import type { CityExtent } from '../cities/index.js';
import type { ParsedRow, PlaceNameRef } from './parse-row.js';
import { problem } from './problems.js';

/** The 区 and 街道 of a city, to match the names a register writes. */
export interface CityPlaces {
  city: Pick<CityExtent, 'code' | 'name'>;
  districts: Region[];
  streets: Region[];
}

export async function loadCityPlaces(
  store: Pick<Store, 'regions'>,
  city: Pick<CityExtent, 'code' | 'name'>,
): Promise<CityPlaces> {
  const all = async (level: 'district' | 'subdistrict'): Promise<Region[]> => {
    const out: Region[] = [];
    for (let offset = 0; ;) {
      const page = await store.regions.list({ level, within: city.code, limit: 1000, offset });
      out.push(...page.items);
      offset += page.items.length;
      if (page.items.length === 0 || offset >= page.total) return out;
    }
  };
  // A 区县 set up on its own is its only district.
  const districts =
    city.code.length === 6
      ? ([await store.regions.get(city.code)].filter(Boolean) as Region[])
      : await all('district');
  return { city, districts, streets: await all('subdistrict') };
}

/**
 * Suffixes a register may leave off or add: 宝山 for 宝山区, 友谊路 for 友谊路街道, 友谊路街道办事处. Longest
 * first; a name is never shortened to one character (城区 and 郊区 must not match everything).
 */
const SUFFIXES = [
  '街道办事处',
  '地区办事处',
  '办事处',
  '自治县',
  '自治旗',
  '新区',
  '街道',
  '地区',
  '区',
  '县',
  '市',
  '旗',
  '镇',
  '乡',
  '街',
];

export function nameCore(name: string): string {
  const text = name.replace(/[\s\u3000]+/g, '');
  for (const suffix of SUFFIXES)
    if (text.endsWith(suffix) && text.length - suffix.length >= 2) return text.slice(0, -suffix.length);
  return text;
}

/**
 * The ways a division's name may be written: whole, and with its suffixes taken off one by one (江湾镇街道 →
 * 江湾镇 → 江湾; 浦东新区 → 浦东新 and 浦东), never down to one character.
 */
export function nameVariants(name: string): string[] {
  const variants = [name.replace(/[\s\u3000]+/g, '')];
  for (let i = 0; i < variants.length; i++)
    for (const suffix of SUFFIXES) {
      const v = variants[i];
      if (
        v.endsWith(suffix) &&
        v.length - suffix.length >= 2 &&
        !variants.includes(v.slice(0, -suffix.length))
      )
        variants.push(v.slice(0, -suffix.length));
    }
  return variants;
}

function findByName(regions: readonly Region[], text: string, cityNames: readonly string[]): Region[] {
  let name = text.replace(/[\s\u3000]+/g, '');
  // 上海市宝山区, 成都市锦江区: the city's own name in front adds nothing.
  for (const prefix of cityNames)
    if (prefix && name.startsWith(prefix) && name.length > prefix.length) name = name.slice(prefix.length);
  if (/^\d{6,12}$/.test(name)) return regions.filter((r) => r.code === name);
  const exact = regions.filter((r) => r.name === name);
  if (exact.length) return exact;
  const core = nameCore(name);
  const byCore = regions.filter((r) => nameCore(r.name) === core);
  if (byCore.length) return byCore;
  // Any way of writing the one against any way of writing the other: 江湾 for 江湾镇街道, 浦东新 for 浦东新区.
  const written = new Set(nameVariants(name));
  return regions.filter((r) => nameVariants(r.name).some((v) => written.has(v)));
}

const listed = (regions: readonly Region[], max = 30): string =>
  regions
    .slice(0, max)
    .map((r) => r.name)
    .join('、') + (regions.length > max ? ` … (${regions.length})` : '');

/**
 * Fills each row's division code from its 区 and 街道 names: the 街道's code when it is found (within the 区, when
 * the row names one), else the 区's. A 区 that is not one of the city's is a problem (the row would land in no
 * district); a 街道 that cannot be found is a warning (lists lag renamed 街道), and the row keeps its 区's code.
 */
export function matchPlaceNames(
  parsed: ParsedRow[],
  places: CityPlaces,
): { filled: number; warnings: ReturnType<typeof problem>[] } {
  const warnings: ReturnType<typeof problem>[] = [];
  const cityNames = [places.city.name, places.city.name.replace(/市$/, '')];
  let filled = 0;
  for (const p of parsed) {
    const { district: districtRef, street: streetRef } = p.places;
    if (!districtRef && !streetRef) continue;
    let district: Region | null = null;
    if (districtRef) {
      const found = findByName(places.districts, districtRef.text, cityNames);
      if (found.length === 1) district = found[0];
      else {
        p.problems.push(
          problem(
            p.row,
            districtRef.column,
            districtRef.text,
            'unknown_district',
            `district '${districtRef.text}' is not a district of ${places.city.name}; its districts: ${listed(places.districts)}`,
          ),
        );
        continue;
      }
    }
    let street: Region | null = null;
    if (streetRef) street = matchStreet(p.row, streetRef, district, places, cityNames, warnings);
    const code = street?.code ?? district?.code;
    if (code) {
      (p.patch as { regionCode?: string }).regionCode = code;
      filled++;
    }
  }
  return { filled, warnings };
}

function matchStreet(
  row: number,
  ref: PlaceNameRef,
  district: Region | null,
  places: CityPlaces,
  cityNames: readonly string[],
  warnings: ReturnType<typeof problem>[],
): Region | null {
  const candidates = district ? places.streets.filter((s) => s.parentCode === district.code) : places.streets;
  const found = findByName(candidates, ref.text, [...cityNames, ...(district ? [district.name] : [])]);
  if (found.length === 1) return found[0];
  warnings.push(
    problem(
      row,
      ref.column,
      ref.text,
      found.length > 1 ? 'ambiguous_street' : 'unknown_street',
      found.length > 1
        ? `街道 '${ref.text}' is in ${found.length} districts (${found.map((s) => s.code).join(', ')}); add a district column to tell them apart`
        : `街道 '${ref.text}' is not a 街道/镇 of ${district ? district.name : places.city.name} in the 2023 division list${district ? `; the row keeps ${district.name}'s code` : ''}`,
    ),
  );
  return null;
}
