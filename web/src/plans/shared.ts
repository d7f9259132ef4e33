import { ApiError, currentSession, getJson } from '../api.js';
import { esc } from '../dom.js';
import { t } from './strings.js';

export const role = (): string => currentSession()?.user.role ?? 'public';
/** Administrator and coordinator track every plan, assign and review. */
export const coordinates = (): boolean => role() === 'administrator' || role() === 'coordinator';

/** An error as one line of text for the page; the API names the field and what was expected. */
export function problem(error: unknown): string {
  const message = error instanceof ApiError ? `${error.code}: ${error.message}` : String(error);
  return `<p class="error">${esc(message)}</p>`;
}

export const roleLabel = (r: string): string => t(r === 'lead' ? 'lead' : r === 'co' ? 'co' : 'unspecified');

/**
 * Every item of a paged list (`{ items, total }`), 1,000 (the API's most) a request: for the views that filter or
 * group the whole list in the browser (a select box, the review queue).
 */
export async function allItems<T>(path: string): Promise<T[]> {
  const items: T[] = [];
  const join = path.includes('?') ? '&' : '?';
  for (;;) {
    const page = await getJson<{ items: T[]; total: number }>(
      `${path}${join}limit=1000&offset=${items.length}`,
    );
    items.push(...page.items);
    if (page.items.length === 0 || items.length >= page.total) return items;
  }
}
