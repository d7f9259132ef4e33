import type { OsmSelector } from './facility-types.js';

/** True when the tags satisfy every key of the selector (and its name filter, if any). */
export function matchesSelector(tags: Readonly<Record<string, string>>, selector: OsmSelector): boolean {
  for (const [key, values] of Object.entries(selector.tags)) {
    const value = tags[key];
    if (value === undefined) return false;
    if (values !== '*' && !values.includes(value)) return false;
  }
  if (selector.nameIncludes) {
    const names = [tags.name, tags['name:zh'], tags['name:en']].filter((n): n is string => n !== undefined);
    if (!selector.nameIncludes.some((part) => names.some((n) => n.includes(part)))) return false;
  }
  return true;
}

/** Ids of the types (or formats) any of whose selectors the tags satisfy. */
export function matchingTypes(
  tags: Readonly<Record<string, string>>,
  types: readonly { readonly id: string; readonly osm: readonly OsmSelector[] }[],
): string[] {
  return types.filter((t) => t.osm.some((s) => matchesSelector(tags, s))).map((t) => t.id);
}
