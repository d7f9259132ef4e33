import './style.css';
import { currentSession, postJson, setSession, type Session } from './api.js';
import { currentLang, setLang, t, type Key } from './i18n.js';
import { $, esc } from './dom.js';
import { currentView, refreshViews, showCurrentView } from './views.js';

/**
 * The classic dashboard: the shell (language, login) of the one view not yet rebuilt in the Vue dashboard, plans.
 * The map and everything else live at /app/; an address without this view goes there.
 */

function renderUser(): void {
  const s = currentSession();
  $('user-label').textContent = s ? `${s.user.displayName} · ${t(`role_${s.user.role}` as Key)}` : '';
  $('login-open').hidden = !!s;
  $('logout').hidden = !s;
  for (const a of document.querySelectorAll<HTMLElement>('[data-view-link="admin"]'))
    a.hidden = s?.user.role !== 'administrator';
  // City set-up (the Vue dashboard): for those who set up cities or import registers.
  $('onboarding-link').hidden = s?.user.role !== 'administrator' && s?.user.role !== 'staff';
}

async function submitLogin(event: Event): Promise<void> {
  event.preventDefault();
  try {
    const s = await postJson<Session>('/api/auth/login', {
      username: $<HTMLInputElement>('login-username').value,
      password: $<HTMLInputElement>('login-password').value,
    });
    setSession(s);
    $<HTMLDialogElement>('login-dialog').close();
    $('login-error').textContent = '';
    renderUser();
    void refreshViews();
  } catch (error) {
    $('login-error').textContent = `${t('loginFailed')}: ${(error as Error).message}`;
  }
}

function applyLanguage(): void {
  setLang(currentLang());
  $('lang-switch').textContent = currentLang() === 'zh' ? 'English' : '中文';
  document.title = t('title');
  renderUser();
}

/** Shows the view the address names; any other address opens the map in the Vue dashboard. */
async function openView(): Promise<void> {
  if (!currentView()) {
    location.replace('/app/#/map');
    return;
  }
  try {
    await showCurrentView();
  } catch (error) {
    const root = document.querySelector<HTMLElement>(`[data-view-root="${currentView()}"]`);
    if (root) root.innerHTML = `<p class="error">${esc(t('error'))}: ${esc((error as Error).message)}</p>`;
  }
}

$('lang-switch').addEventListener('click', () => {
  setLang(currentLang() === 'zh' ? 'en' : 'zh');
  applyLanguage();
  void refreshViews();
});
$('login-open').addEventListener('click', () => $<HTMLDialogElement>('login-dialog').showModal());
$('login-cancel').addEventListener('click', () => $<HTMLDialogElement>('login-dialog').close());
$('login-form').addEventListener('submit', (e) => void submitLogin(e));
$('logout').addEventListener('click', () => {
  void postJson('/api/auth/logout', {}).catch(() => undefined);
  setSession(null);
  renderUser();
  void refreshViews();
});
window.addEventListener('hashchange', () => void openView());

applyLanguage();
void openView();
