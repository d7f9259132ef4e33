import type { FacilityType } from '../store/index.js';
import { lookupType, type ParsedRow } from './parse-row.js';

/**
 * Words registers use for each facility type, tried in order: the first whose word a value contains is
 * proposed. Proposals only: the importer never applies them unasked (`typeMap`). Words such as 民建民营 or
 * 公建民营 describe ownership, not a type, and propose nothing.
 */
export const TYPE_WORDS: readonly { code: string; words: readonly string[] }[] = [
  { code: 'elderly_day_care', words: ['日间照料', '日照中心', '日托'] },
  { code: 'elderly_canteen', words: ['助餐', '老年食堂', '长者食堂', '老人家食堂'] },
  { code: 'elderly_service_station', words: ['老年服务站', '养老服务站', '为老服务站'] },
  {
    code: 'elderly_care_institution',
    words: ['养老院', '敬老院', '福利院', '养老机构', '护理院', '养护院', '老年公寓', '颐养', '养老中心'],
  },
  { code: 'nursery', words: ['托儿所', '托育'] },
  { code: 'kindergarten', words: ['幼儿园'] },
  { code: 'community_health_station', words: ['卫生服务站', '卫生服务中心', '卫生室', '诊所'] },
  { code: 'pharmacy', words: ['药店', '药房', '大药房'] },
  { code: 'convenience_store', words: ['便利店'] },
  { code: 'supermarket', words: ['超市'] },
  { code: 'fresh_market', words: ['菜市场', '农贸市场', '菜场'] },
  { code: 'breakfast', words: ['早餐'] },
  { code: 'housekeeping', words: ['家政'] },
  { code: 'repair', words: ['维修', '修理'] },
  { code: 'laundry', words: ['洗衣', '洗染', '干洗'] },
  { code: 'hairdresser', words: ['美发', '理发', '美容'] },
  { code: 'culture_center', words: ['文化活动', '文化中心', '文化站'] },
];

export interface TypeProposal {
  /** The file's type column. */
  column: string;
  /** Each distinct value that names no facility type, most rows first, with the type proposed for it. */
  values: { value: string; rows: number; proposed: string | null; proposedName: string | null }[];
  /** The city's facility types, to map to. */
  types: { code: string; nameZh: string }[];
}

/**
 * What to map the type column's unknown values to: a type whose words (or name) the value contains. Null when
 * every value names a type. The report shows it; the user confirms it (or edits it) as `typeMap`.
 */
export function proposeTypeMapping(
  parsed: readonly ParsedRow[],
  column: string,
  types: ReadonlyMap<string, FacilityType>,
): TypeProposal | null {
  const counts = new Map<string, number>();
  for (const p of parsed) if (p.unknownType) counts.set(p.unknownType, (counts.get(p.unknownType) ?? 0) + 1);
  if (counts.size === 0) return null;
  const values = [...counts]
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))
    .map(([value, rows]) => {
      const code = proposedType(value, types);
      const type = code ? lookupType(types, code) : undefined;
      return { value, rows, proposed: type?.code ?? null, proposedName: type?.nameZh ?? null };
    });
  const known = [...new Map([...types.values()].map((t) => [t.code, t])).values()];
  return { column, values, types: known.map((t) => ({ code: t.code, nameZh: t.nameZh })) };
}

function proposedType(value: string, types: ReadonlyMap<string, FacilityType>): string | null {
  const text = value.replace(/\s+/g, '');
  for (const { code, words } of TYPE_WORDS)
    if (lookupType(types, code) && words.some((w) => text.includes(w))) return code;
  // A city's own types: the value contains the type's Chinese name (e.g. 社区老年日间照料中心（东区）).
  for (const type of new Set(types.values())) if (text.includes(type.nameZh)) return type.code;
  return null;
}
