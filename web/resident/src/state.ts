import { computed, ref } from 'vue';
import { ApiError, api, currentSession, setSession, unwrap, type Session } from './api';
import { i18n } from './i18n';

/** The logged-in session (shared with the dashboard in this tab: same storage key). */
export const session = ref<Session | null>(currentSession());

/** Rating and complaining are for resident accounts; staff enter what residents said on the dashboard. */
export const isResident = computed(() => session.value?.user.role === 'resident');

export function signIn(answer: Session): void {
  setSession(answer);
  session.value = answer;
}

export function signOut(): void {
  const token = session.value?.token;
  setSession(null);
  session.value = null;
  // Ends the session on the server too; the page does not wait for it.
  if (token)
    void fetch('/api/auth/logout', { method: 'POST', headers: { authorization: `Bearer ${token}` } });
}

/**
 * A stored session is shown as the server presents the account now (a resident by the masked phone), and dropped
 * when the server no longer knows its token.
 */
export async function refreshAccount(): Promise<void> {
  const stored = session.value;
  if (!stored) return;
  try {
    const user = unwrap(await api.GET('/api/auth/me'));
    signIn({ ...stored, user: { ...stored.user, ...user } });
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) signOut();
    else throw error;
  }
}

/** What the page last said: a result, or why something was refused. One status line for the whole page. */
export const notice = ref<{ text: string; kind: 'done' | 'error' } | null>(null);

export function say(text: string): void {
  notice.value = { text, kind: 'done' };
}

/**
 * The server's refusal in the page's language where the page knows the case (`error.<code>`, or what the caller
 * says a code means here: LC_CONFLICT is a taken phone at registration, a second rating when rating), else the
 * server's own message.
 */
export function errorText(error: unknown, meaning: Partial<Record<string, string>> = {}): string {
  const { t, te } = i18n.global;
  if (!(error instanceof ApiError)) return error instanceof Error ? error.message : String(error);
  const key = meaning[error.code] ?? `error.${error.code}`;
  return te(key) ? t(key) : error.message;
}

export function sayError(error: unknown, meaning: Partial<Record<string, string>> = {}): void {
  notice.value = { text: errorText(error, meaning), kind: 'error' };
}
