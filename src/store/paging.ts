import type { PageQuery } from './types.js';

export const DEFAULT_PAGE_LIMIT = 50;
export const MAX_PAGE_LIMIT = 1000;

/** The page a query asks for, within the API's bounds (1–1000, default 50): every repository pages alike. */
export function pageOf(q: PageQuery | undefined): { limit: number; offset: number } {
  const limit = Math.min(Math.max(1, Math.trunc(q?.limit ?? DEFAULT_PAGE_LIMIT)), MAX_PAGE_LIMIT);
  return { limit, offset: Math.max(0, Math.trunc(q?.offset ?? 0)) };
}
