import { getJson, postJson } from '../api.js';
import { esc } from '../dom.js';
import { currentLang } from '../i18n.js';
import type { CertificationPage, CertificationView, FacilityPage, Me } from '../types.js';
import type { View } from '../views.js';
import { errorText, role, t, table, tv } from './credit-shared.js';

/**
 * 普惠认定: a provider applies for one of its outlets with its credit commitment; department staff approve (with an
 * expiry date) or reject; certified ones show the badge and expiry, revoked ones are marked with the reason.
 */
const REVIEWERS = ['administrator', 'staff'];
const STATES = ['applied', 'under-review', 'certified', 'rejected', 'revoked'];
let root: HTMLElement;
let stateFilter = '';

async function applyForm(): Promise<string> {
  const me = await getJson<Me>('/api/auth/me');
  if (!me.providerUscc) return '';
  const outlets = await getJson<FacilityPage>(
    `/api/facilities?limit=200&provider=${encodeURIComponent(me.providerUscc)}`,
  );
  if (!outlets.items.length) return `<p class="hint">${esc(t('noOutlets'))}</p>`;
  return (
    `<form id="cert-form" class="grid-form"><h4>${esc(t('apply'))}</h4>` +
    `<label>${esc(t('outlet'))} <select id="cert-outlet">${outlets.items
      .map((o) => `<option value="${esc(o.code)}">${esc(o.name)} (${esc(o.code)})</option>`)
      .join('')}</select></label>` +
    `<label>${esc(t('commitment'))} <textarea id="cert-commitment" required maxlength="2000" rows="3"></textarea></label>` +
    `<label>${esc(t('signatory'))} <input id="cert-signatory" required value="法定代表人" maxlength="50"></label>` +
    `<button id="cert-apply" type="submit">${esc(t('submit'))}</button><p id="cert-message" class="hint"></p></form>`
  );
}

function actionsCell(c: CertificationView): string {
  if (role() === 'provider' && ['applied', 'under-review', 'certified'].includes(c.state))
    return `<button class="cert-withdraw">${esc(t('withdraw'))}</button>`;
  if (!REVIEWERS.includes(role())) return '';
  const note = `<input class="cert-note" placeholder="${esc(t('note'))}" maxlength="1000">`;
  if (c.state === 'applied' || c.state === 'under-review')
    return (
      `${note} <input class="cert-expires" type="date" title="${esc(t('expiresOn'))}"> ` +
      `<button class="cert-approve">${esc(t('approve'))}</button> <button class="cert-reject">${esc(t('reject'))}</button>`
    );
  if (c.state === 'certified') return `${note} <button class="cert-revoke">${esc(t('revoke'))}</button>`;
  return '';
}

function row(c: CertificationView): string {
  const last = c.history[c.history.length - 1];
  const badge = c.badge
    ? `<span class="affordable-badge">${esc(currentLang() === 'en' ? c.badge.labelEn : c.badge.label)}</span>`
    : '';
  return (
    `<tr data-cert-id="${esc(c.id)}" data-state="${esc(c.status)}" class="${c.state === 'revoked' ? 'revoked' : ''}">` +
    `<td>${esc(c.id)}</td><td>${esc(c.outletName ?? c.outletId)}</td><td><code>${esc(c.providerUscc)}</code></td>` +
    `<td class="cert-status">${esc(tv('state', c.status))} ${badge}${last?.note ? `<br><small>${esc(last.note)}</small>` : ''}</td>` +
    `<td>${esc(c.certifiedOn ?? '—')}</td><td>${esc(c.expiresOn ?? '—')}</td>` +
    `<td title="${esc(c.commitment.signatoryRole)}">${esc(c.commitment.text)}</td><td>${actionsCell(c)}</td></tr>`
  );
}

async function withdraw(tr: HTMLElement): Promise<void> {
  try {
    await postJson(`/api/certifications/${tr.dataset.certId}/withdraw`, {});
    await render();
  } catch (e) {
    const m = root.querySelector<HTMLElement>('#cert-queue-message');
    if (m) m.textContent = errorText(e);
  }
}

async function review(tr: HTMLElement, decision: string): Promise<void> {
  const note = tr.querySelector<HTMLInputElement>('.cert-note')?.value.trim() || t(decision as 'approve');
  const expires = tr.querySelector<HTMLInputElement>('.cert-expires')?.value;
  try {
    await postJson(`/api/certifications/${tr.dataset.certId}/review`, {
      decision,
      note,
      ...(decision === 'approve' && expires ? { expiresOn: expires } : {}),
    });
    await render();
  } catch (e) {
    const m = root.querySelector<HTMLElement>('#cert-queue-message');
    if (m) m.textContent = errorText(e);
  }
}

async function render(): Promise<void> {
  root.dataset.loaded = '';
  if (role() === 'public' || role() === 'resident') {
    root.innerHTML = `<p class="hint">${esc(t('loginForQueue'))}</p>`;
    root.dataset.loaded = 'public';
    return;
  }
  const form = role() === 'provider' ? await applyForm() : '';
  // The queue shows the first 1000 (the API's page limit); the pager comes with the dashboard rebuild (issue 14).
  const list = await getJson<CertificationPage>(
    `/api/certifications?limit=1000${stateFilter ? `&state=${stateFilter}` : ''}`,
  );
  const filter =
    `<label>${esc(t('state'))} <select id="cert-state"><option value="">${esc(t('all'))}</option>` +
    STATES.map(
      (s) => `<option value="${s}"${s === stateFilter ? ' selected' : ''}>${esc(tv('state', s))}</option>`,
    ).join('') +
    '</select></label>';
  root.innerHTML =
    form +
    `<h4>${esc(t('queue'))}</h4>${filter}<p id="cert-queue-message" class="error"></p>` +
    table(
      'cert-table',
      ['#', t('outlet'), t('provider'), t('state'), t('certifiedOn'), t('expiresOn'), t('commitment'), ''],
      list.items.map(row),
    );
  root.querySelector('#cert-state')?.addEventListener('change', (e) => {
    stateFilter = (e.target as HTMLSelectElement).value;
    void render();
  });
  root.querySelector<HTMLFormElement>('#cert-form')?.addEventListener('submit', (e) => {
    e.preventDefault();
    const val = (id: string) => root.querySelector<HTMLInputElement>(`#${id}`)?.value.trim() ?? '';
    postJson('/api/certifications', {
      outletId: val('cert-outlet'),
      commitment: { text: val('cert-commitment'), signatoryRole: val('cert-signatory') },
    }).then(render, (err) => {
      const m = root.querySelector<HTMLElement>('#cert-message');
      if (m) m.textContent = errorText(err);
    });
  });
  for (const [cls, decision] of [
    ['cert-approve', 'approve'],
    ['cert-reject', 'reject'],
    ['cert-revoke', 'revoke'],
  ])
    for (const b of root.querySelectorAll<HTMLElement>(`.${cls}`))
      b.addEventListener('click', () => void review(b.closest('tr') as HTMLElement, decision));
  for (const b of root.querySelectorAll<HTMLElement>('.cert-withdraw'))
    b.addEventListener('click', () => void withdraw(b.closest('tr') as HTMLElement));
  root.dataset.loaded = 'queue';
}

export const page: View = {
  async mount(container) {
    root = container;
    await render();
  },
  refresh: render,
};
