import { getJson, postJson } from '../api.js';
import { esc } from '../dom.js';
import { currentLang } from '../i18n.js';
import type {
  CreditChange,
  CreditProfile,
  CreditRecordView,
  CreditRepair,
  DisclosedItem,
  Disclosure,
  ProviderPage,
} from '../types.js';
import { go, viewPath, type View } from '../views.js';
import { classBadge, errorText, role, t, table, todayBeijing, tv } from './credit-shared.js';

/**
 * 信用档案: provider search → credit profile (class A–D, score, the records that drove it, all records with source,
 * date, validity and repair date; a form for staff and inspectors) and the public disclosure, usable without login.
 * The address is `#/supervision/credit/<uscc>`.
 */
const WRITERS = ['administrator', 'staff', 'inspector'];
const READERS = ['administrator', 'coordinator', 'staff', 'inspector', 'provider'];
let root: HTMLElement;
let flash: { uscc: string; text: string } | null = null;

const sourceText = (s: { authority: string; document?: string }) =>
  esc(s.document ? `${s.authority} · ${s.document}` : s.authority);

function searchForm(): string {
  return (
    `<form id="credit-search-form" class="inline-form"><label>${esc(t('search'))} ` +
    `<input id="credit-q" placeholder="${esc(t('searchPlaceholder'))}"></label>` +
    `<button id="credit-search" type="submit">${esc(t('searchButton'))}</button></form><div id="credit-hits"></div>` +
    '<div id="credit-profile"></div><div id="credit-disclosure"></div>'
  );
}

async function search(q: string): Promise<void> {
  const hits = root.querySelector<HTMLElement>('#credit-hits');
  if (!hits) return;
  const isCode = /^[0-9A-Z]{18}$/.test(q.trim());
  if (isCode) return go('supervision', 'credit', q.trim());
  const page = await getJson<ProviderPage>(`/api/providers?limit=20&q=${encodeURIComponent(q.trim())}`);
  hits.innerHTML = page.items.length
    ? `<ul class="hits">${page.items
        .map(
          (p) =>
            `<li><a href="#/supervision/credit/${esc(p.uscc)}" data-uscc="${esc(p.uscc)}">${esc(p.name)}</a> <code>${esc(p.uscc)}</code></li>`,
        )
        .join('')}</ul>`
    : `<p class="hint">${esc(t('noResults'))}</p>`;
}

function recordRow(r: CreditRecordView, extra: string): string {
  const detail = r.severity ? tv('severity', r.severity) : r.outcome ? tv('outcome', r.outcome) : '';
  return (
    `<tr data-record-id="${esc(r.id)}"><td>${esc(tv('kind', r.kind))}${detail ? ` (${esc(detail)})` : ''}</td>` +
    `<td>${esc(r.title)}${r.internalNote ? `<br><small class="hint">${esc(r.internalNote)}</small>` : ''}</td>` +
    `<td>${sourceText(r.source)}</td><td>${esc(r.date)}</td><td>${esc(r.validUntil ?? '—')}</td>` +
    `<td>${esc(r.repairedOn ?? '—')}</td>${extra}</tr>`
  );
}

function profileHtml(p: CreditProfile): string {
  const c = p.classification;
  const byId = new Map(p.records.map((r) => [r.id, r]));
  const why =
    c.decidedBy.rule === 'score'
      ? t('decidedByScore', c.decidedBy.thresholds)
      : t('decidedBySerious', { cls: c.riskClass });
  const lang = currentLang();
  const drivers = c.drivers.map((d) => {
    const r = byId.get(d.recordId);
    return r
      ? recordRow(r, `<td>${d.weight}</td><td>${d.decay.toFixed(2)}</td><td>${d.points.toFixed(1)}</td>`)
      : '';
  });
  const canRepair = WRITERS.includes(role());
  const repairCell = (r: CreditRecordView) =>
    canRepair && r.inForce && !r.repairedOn && r.kind !== 'permit' && r.kind !== 'award'
      ? `<td><input type="date" class="repair-date" value="${todayBeijing()}"> <button class="repair-submit">${esc(t('repair'))}</button></td>`
      : '<td></td>';
  const all = p.records.map((r) =>
    recordRow(
      r,
      `<td>${r.inForce ? esc(t('yes')) : esc(tv('excluded', r.excludedBecause))}</td>${canRepair ? repairCell(r) : ''}`,
    ),
  );
  const cols = [t('kind'), t('title'), t('source'), t('date'), t('validUntil'), t('repairedOn')];
  return (
    `<h3>${esc(t('profile'))}: ${esc(p.provider.name)} <code>${esc(p.provider.uscc)}</code></h3>` +
    `<p class="credit-summary">${esc(t('riskClass'))} ${classBadge(c.riskClass)} ${esc(p.className[lang])} · ` +
    `${esc(t('score'))} <strong id="credit-score">${c.score}</strong> · ${esc(c.asOf)}</p>` +
    `<p id="credit-why">${esc(why)}</p>` +
    `<h4>${esc(t('drivers'))}</h4>${table('credit-drivers', [...cols, t('weight'), t('decay'), t('points')], drivers)}` +
    `<h4>${esc(t('allRecords'))}</h4>${table('credit-records', [...cols, t('inForce'), ...(canRepair ? [t('repairedOn')] : [])], all)}` +
    `<p class="hint">${esc(t('model'))}: ${esc(p.scoring.source.document)}</p>`
  );
}

function recordForm(): string {
  const opt = (prefix: string, values: string[]) =>
    values.map((v) => `<option value="${v}">${esc(tv(prefix, v))}</option>`).join('');
  return (
    `<form id="cr-form" class="grid-form"><h4>${esc(t('addRecord'))}</h4>` +
    `<label>${esc(t('kind'))} <select id="cr-kind">${opt('kind', ['penalty', 'permit', 'inspection', 'complaint-upheld', 'commitment', 'award'])}</select></label>` +
    `<label>${esc(t('title'))} <input id="cr-title" required maxlength="200"></label>` +
    `<label>${esc(t('recordAuthority'))} <input id="cr-authority" required maxlength="100"></label>` +
    `<label>${esc(t('document'))} <input id="cr-document" maxlength="100"></label>` +
    `<label>${esc(t('date'))} <input id="cr-date" type="date" required value="${todayBeijing()}"></label>` +
    `<label>${esc(t('validUntil'))} <input id="cr-valid" type="date"></label>` +
    `<label>${esc(t('repairedOn'))} <input id="cr-repaired" type="date"></label>` +
    `<label>${esc(t('severity'))} <select id="cr-severity">${opt('severity', ['ordinary', 'minor', 'serious'])}</select></label>` +
    `<label>${esc(t('outcome'))} <select id="cr-outcome">${opt('outcome', ['compliant', 'rectified', 'non-compliant'])}</select></label>` +
    `<label><input id="cr-breached" type="checkbox"> ${esc(t('breached'))}</label>` +
    `<label>${esc(t('internalNote'))} <input id="cr-note" maxlength="1000"></label>` +
    `<button id="cr-submit" type="submit">${esc(t('save'))}</button><p id="cr-message" class="hint"></p></form>`
  );
}

/** Shows only the fields that belong to the chosen kind. */
function syncKind(form: HTMLElement): void {
  const kind = form.querySelector<HTMLSelectElement>('#cr-kind')?.value;
  const show = (id: string, on: boolean) => {
    const label = form.querySelector(`#${id}`)?.closest('label');
    if (label) (label as HTMLElement).hidden = !on;
  };
  show('cr-severity', kind === 'penalty');
  show('cr-outcome', kind === 'inspection');
  show('cr-breached', kind === 'commitment');
}

async function submitRecord(uscc: string, form: HTMLElement): Promise<void> {
  const val = (id: string) => form.querySelector<HTMLInputElement>(`#${id}`)?.value.trim() ?? '';
  const kind = val('cr-kind');
  const body: Record<string, unknown> = {
    kind,
    title: val('cr-title'),
    authority: val('cr-authority'),
    date: val('cr-date'),
  };
  if (val('cr-document')) body.document = val('cr-document');
  if (val('cr-valid')) body.validUntil = val('cr-valid');
  if (val('cr-repaired')) body.repairedOn = val('cr-repaired');
  if (kind === 'penalty') body.severity = val('cr-severity');
  if (kind === 'inspection') body.outcome = val('cr-outcome');
  if (kind === 'commitment')
    body.breached = form.querySelector<HTMLInputElement>('#cr-breached')?.checked ?? false;
  if (val('cr-note')) body.internalNote = val('cr-note');
  const message = form.querySelector<HTMLElement>('#cr-message');
  try {
    const out = await postJson<CreditChange>(
      `/api/providers/${encodeURIComponent(uscc)}/credit-records`,
      body,
    );
    flash = {
      uscc,
      text:
        t('saved', { from: out.previousClass ?? '—', to: out.classification.riskClass }) +
        (out.revoked.length ? t('revokedNote', { ids: out.revoked.join(', ') }) : ''),
    };
    await load(uscc);
  } catch (e) {
    if (message) message.textContent = errorText(e);
  }
}

/** 信用修复 of one record from the chosen date; the class is recomputed on the server. */
async function repair(uscc: string, tr: HTMLElement): Promise<void> {
  const repairedOn = tr.querySelector<HTMLInputElement>('.repair-date')?.value ?? '';
  try {
    const out = await postJson<CreditRepair>(
      `/api/providers/${encodeURIComponent(uscc)}/credit-records/${encodeURIComponent(tr.dataset.recordId ?? '')}/repair`,
      { repairedOn },
    );
    flash = { uscc, text: t('saved', { from: out.previousClass ?? '—', to: out.classification.riskClass }) };
  } catch (e) {
    flash = { uscc, text: errorText(e) };
  }
  await load(uscc);
}

function items(list: DisclosedItem[], withExpiry: boolean): string {
  if (!list.length) return `<p class="hint">${esc(t('none'))}</p>`;
  return `<ul>${list
    .map(
      (i) =>
        `<li>${esc(i.date)} ${esc(i.title)} — ${sourceText(i)}` +
        (i.severity ? ` (${esc(tv('severity', i.severity))})` : '') +
        (i.outcome ? ` (${esc(tv('outcome', i.outcome))})` : '') +
        (withExpiry && i.validUntil ? ` · ${esc(t('validUntil'))} ${esc(i.validUntil)}` : '') +
        ('expired' in i && i.expired ? ` <strong>${esc(t('expired'))}</strong>` : '') +
        '</li>',
    )
    .join('')}</ul>`;
}

function disclosureHtml(d: Disclosure): string {
  const lang = currentLang();
  const badges = d.badges
    .map(
      (b) =>
        `<span class="affordable-badge" title="${esc(b.commitment)}">${esc(lang === 'en' ? b.labelEn : b.label)} · ${esc(b.outletName)} · ${esc(t('badgeUntil', { date: b.validUntil }))}</span>`,
    )
    .join(' ');
  return (
    `<h3>${esc(t('disclosure'))}: ${esc(d.name)} <code>${esc(d.uscc)}</code></h3>${badges ? `<p id="credit-badges">${badges}</p>` : ''}` +
    `<h4>${esc(t('permits'))}</h4><div id="disclosure-permits">${items(d.permits, true)}</div>` +
    `<h4>${esc(t('penalties'))}</h4><div id="disclosure-penalties">${items(d.penalties, false)}</div>` +
    `<h4>${esc(t('inspections'))}</h4><div id="disclosure-inspections">${items(d.inspections, false)}</div>`
  );
}

async function load(uscc: string): Promise<void> {
  const profileEl = root.querySelector<HTMLElement>('#credit-profile');
  const disclosureEl = root.querySelector<HTMLElement>('#credit-disclosure');
  if (!profileEl || !disclosureEl) return;
  root.dataset.loaded = '';
  try {
    if (READERS.includes(role())) {
      const p = await getJson<CreditProfile>(`/api/providers/${encodeURIComponent(uscc)}/credit`);
      profileEl.innerHTML = profileHtml(p) + (WRITERS.includes(role()) ? recordForm() : '');
      for (const b of profileEl.querySelectorAll<HTMLElement>('.repair-submit'))
        b.addEventListener('click', () => void repair(uscc, b.closest('tr') as HTMLElement));
      const form = profileEl.querySelector<HTMLFormElement>('#cr-form');
      if (form) {
        // The outcome of the last save survives the re-render (and any refresh) of the profile.
        const msg = form.querySelector<HTMLElement>('#cr-message');
        if (msg && flash?.uscc === uscc) msg.textContent = flash.text;
        syncKind(form);
        form.querySelector('#cr-kind')?.addEventListener('change', () => syncKind(form));
        form.addEventListener('submit', (e) => {
          e.preventDefault();
          void submitRecord(uscc, form);
        });
      }
    } else profileEl.innerHTML = `<p class="hint">${esc(t('loginForProfile'))}</p>`;
  } catch (e) {
    profileEl.innerHTML = `<p class="error">${esc(errorText(e))}</p>`;
  }
  try {
    disclosureEl.innerHTML = disclosureHtml(
      await getJson<Disclosure>(`/api/public/providers/${encodeURIComponent(uscc)}`),
    );
  } catch (e) {
    disclosureEl.innerHTML = `<p class="error">${esc(errorText(e))}</p>`;
  }
  root.dataset.loaded = uscc;
}

async function render(): Promise<void> {
  root.innerHTML = searchForm();
  root.querySelector('#credit-search-form')?.addEventListener('submit', (e) => {
    e.preventDefault();
    void search(root.querySelector<HTMLInputElement>('#credit-q')?.value ?? '');
  });
  const uscc = viewPath()[1];
  if (uscc) await load(uscc);
  else root.dataset.loaded = 'search';
}

export const page: View = {
  async mount(container) {
    root = container;
    await render();
  },
  refresh: render,
};
