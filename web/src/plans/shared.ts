import { ApiError, currentSession } from '../api.js';
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
