import { ApiError, getJson, postFile, postJson } from '../api.js';
import { esc } from '../dom.js';
import { currentLang } from '../i18n.js';
import { go } from '../views.js';
import { allItems, coordinates, problem, role, roleLabel } from './shared.js';
import type {
  AssignAnswer,
  Health,
  ImportedPlan,
  Measure,
  MeasureState,
  PlanDetail,
  PlanSummary,
  Span,
  Suggestion,
  Target,
  Unit,
} from '../types.js';
import { t } from './strings.js';

/** The plan list with import, and one plan: its tree beside the source text, corrections, assignment. */

/** The same document imported twice: say so in the user's language and link to the plan it already is. */
function alreadyImported(error: unknown): string | null {
  if (!(error instanceof ApiError) || error.code !== 'LC_CONFLICT') return null;
  const plan = (error.details as { existingPlan?: { id: string; title: string } } | undefined)?.existingPlan;
  if (!plan) return null;
  return (
    `<p class="hint already-imported">${esc(t('alreadyImported', { title: plan.title }))} ` +
    `<a class="existing-plan" href="#/plans/${encodeURIComponent(plan.id)}">${esc(t('openExisting'))}</a></p>`
  );
}

export async function renderPlanList(el: HTMLElement): Promise<void> {
  const importCard = coordinates()
    ? `<div class="card plans-import">
        <h3>${esc(t('importTitle'))}</h3><p class="hint">${esc(t('importHint'))}</p>
        <label>${esc(t('importFile'))} <input type="file" id="plans-import-file" accept=".txt,.docx,text/plain"></label>
        <button id="plans-import-submit">${esc(t('importSubmit'))}</button>
        <details><summary>${esc(t('paste'))}</summary>
          <input id="plans-paste-title" placeholder="${esc(t('pasteTitle'))}">
          <textarea id="plans-paste" rows="6"></textarea>
          <button id="plans-paste-submit">${esc(t('pasteSubmit'))}</button>
        </details>
        <div id="plans-import-result"></div>
      </div>`
    : '';
  el.innerHTML = `${importCard}<div id="plans-list"><p class="hint">…</p></div>`;
  const result = el.querySelector<HTMLElement>('#plans-import-result');
  const done = (plan: ImportedPlan) => go('plans', plan.id);
  el.querySelector('#plans-import-submit')?.addEventListener('click', async () => {
    const file = el.querySelector<HTMLInputElement>('#plans-import-file')?.files?.[0];
    if (!result) return;
    if (!file) return void (result.innerHTML = problem(t('chooseFile')));
    try {
      done(await postFile<ImportedPlan>(`/api/plans?fileName=${encodeURIComponent(file.name)}`, file));
    } catch (error) {
      result.innerHTML = alreadyImported(error) ?? problem(error);
    }
  });
  el.querySelector('#plans-paste-submit')?.addEventListener('click', async () => {
    const text = el.querySelector<HTMLTextAreaElement>('#plans-paste')?.value ?? '';
    const title = el.querySelector<HTMLInputElement>('#plans-paste-title')?.value.trim();
    try {
      done(await postJson<ImportedPlan>('/api/plans', title ? { text, title } : { text }));
    } catch (error) {
      if (result) result.innerHTML = alreadyImported(error) ?? problem(error);
    }
  });
  const list = el.querySelector<HTMLElement>('#plans-list') as HTMLElement;
  try {
    const plans = await allItems<PlanSummary>('/api/plans');
    list.innerHTML = plans.length
      ? `<div class="table-scroll"><table class="plans-list"><thead><tr><th>${esc(t('title'))}</th><th>${esc(
          t('file'),
        )}</th><th>${esc(t('importedAt'))}</th><th>${esc(t('corrections'))}</th><th>${esc(
          t('assignments'),
        )}</th></tr></thead><tbody>${plans
          .map(
            (p) =>
              `<tr><td><a class="plan-link" href="#/plans/${encodeURIComponent(p.id)}">${esc(p.title)}</a></td><td>${esc(
                p.fileName,
              )}</td><td>${esc(p.importedAt.slice(0, 10))}</td><td>${p.corrections}</td><td>${p.assignments}</td></tr>`,
          )
          .join('')}</tbody></table></div>`
      : `<p class="hint">${esc(t('noPlans'))}</p>`;
  } catch (error) {
    list.innerHTML = problem(error);
  }
}

const COMPARATOR: Record<string, string> = { eq: '=', gte: '≥', gt: '>', lte: '≤', lt: '<' };
const spanAttr = (s: Span) => `data-span="${s[0]},${s[1]}"`;
const unitsOf = (m: Measure): Unit[] => {
  const seen = new Set<string>();
  return m.responsibilities
    .flatMap((r) => r.units)
    .filter((u) => !seen.has(u.key) && seen.add(u.key) !== undefined);
};
const flat = (ms: Measure[]): Measure[] => ms.flatMap((m) => [m, ...flat(m.children)]);
const mark = (corrected: unknown) =>
  corrected ? ` <span class="corrected-badge">${esc(t('corrected'))}</span>` : '';

function targetHtml(x: Target): string {
  const value = x.valueMax === null ? `${x.value}` : `${x.value}–${x.valueMax}`;
  return `<li class="target${x.correctedBy ? ' corrected' : ''}" data-target-id="${esc(x.id)}" ${spanAttr(x.span)}>
    <span class="target-text">${esc(x.phrase)} ${esc(COMPARATOR[x.comparator] ?? x.comparator)} ${esc(value)}${esc(
      x.unit,
    )}${x.deadlineYear ? ` (${x.deadlineYear})` : ''}</span>${mark(x.correctedBy)}
    <button type="button" class="link-indicator" data-target-id="${esc(x.id)}">${esc(t('linkIndicator'))}</button>
    <div class="link-panel" hidden></div></li>`;
}

/** Assignment progress of a measure, for the coordinator: done of all, overdue in red. */
function stateBadge(s: MeasureState | undefined): string {
  if (!s) return '';
  const overdue = s.overdue
    ? ` <span class="overdue-flag">${esc(t('overdueN', { n: s.overdue }))}</span>`
    : '';
  return ` <span class="measure-progress">${esc(t('progress', { done: s.done, n: s.assignments }))}</span>${overdue}`;
}

let states = new Map<string, MeasureState>();

function measureHtml(m: Measure): string {
  const units = unitsOf(m)
    .map(
      (u) =>
        `<button type="button" class="unit role-${u.role}${u.correctedBy ? ' corrected' : ''}" data-unit-key="${esc(
          u.key,
        )}" ${spanAttr(u.span)} title="${esc(u.raw)}">${esc(u.normalized)} <small>${esc(roleLabel(u.role))}</small>${
          u.correctedBy ? ' ✎' : ''
        }</button>`,
    )
    .join('');
  const head = `${m.label ? `${esc(m.label)} ` : ''}${esc(m.title ?? m.text.slice(0, 40))}`;
  return `<li class="measure${m.correctedBy ? ' corrected' : ''}" data-measure-id="${esc(m.id)}">
    <div class="measure-head" data-measure-id="${esc(m.id)}" ${spanAttr(m.span)}>${head}${mark(m.correctedBy)}${stateBadge(states.get(m.id))}</div>
    ${units ? `<div class="units">${units}</div>` : ''}
    ${m.targets.length ? `<ul class="targets">${m.targets.map(targetHtml).join('')}</ul>` : ''}
    ${m.children.length ? `<ul class="measures">${m.children.map(measureHtml).join('')}</ul>` : ''}
  </li>`;
}

/** Shows the source text with one span marked and scrolled into view. */
function highlight(source: HTMLElement, text: string, span: Span): void {
  const [s, e] = span;
  source.innerHTML = `${esc(text.slice(0, s))}<mark>${esc(text.slice(s, e))}</mark>${esc(text.slice(e))}`;
  source.dataset.highlight = `${s},${e}`;
  source.querySelector('mark')?.scrollIntoView({ block: 'center' });
}

const OPS = ['set-unit', 'add-unit', 'set-target', 'add-measure'] as const;
type Op = (typeof OPS)[number];
const ROLES: Unit['role'][] = ['lead', 'co', 'unspecified'];
const roleOptions = (selected?: string) =>
  ROLES.map(
    (r) => `<option value="${r}"${r === selected ? ' selected' : ''}>${esc(roleLabel(r))}</option>`,
  ).join('');

function correctionForm(m: Measure | undefined): string {
  if (!m) return `<p class="hint">${esc(t('noMeasure'))}</p>`;
  const units = unitsOf(m);
  return `<form id="correction-form" data-measure-id="${esc(m.id)}">
    <p><strong>${esc(m.label ?? '')} ${esc(m.title ?? m.text.slice(0, 40))}</strong></p>
    <label>${esc(t('op'))} <select id="corr-op">${OPS.map((o) => `<option value="${o}">${esc(t(`op-${o}`))}</option>`).join('')}</select></label>
    <div data-op="set-unit">
      <label>${esc(t('unit'))} <select id="corr-unit">${units
        .map((u) => `<option value="${esc(u.key)}">${esc(u.normalized)}</option>`)
        .join('')}</select></label>
      <label>${esc(t('newName'))} <input id="corr-unit-name"></label>
      <label>${esc(t('role'))} <select id="corr-unit-role"><option value=""></option>${roleOptions()}</select></label>
    </div>
    <div data-op="add-unit" hidden>
      <label>${esc(t('unit'))} <input id="corr-new-unit"></label>
      <label>${esc(t('role'))} <select id="corr-new-role">${roleOptions('co')}</select></label>
    </div>
    <div data-op="set-target" hidden>
      <label>${esc(t('target'))} <select id="corr-target">${m.targets
        .map((x) => `<option value="${esc(x.id)}">${esc(x.phrase)} ${x.value}${esc(x.unit)}</option>`)
        .join('')}</select></label>
      <label>${esc(t('value'))} <input id="corr-target-value" type="number" step="any"></label>
      <label>${esc(t('deadline'))} <input id="corr-target-year" type="number" min="2000" max="2100"></label>
    </div>
    <div data-op="add-measure" hidden>
      <label>${esc(t('measureTitle'))} <input id="corr-measure-title"></label>
      <label>${esc(t('measureText'))} <textarea id="corr-measure-text" rows="3"></textarea></label>
    </div>
    <button type="submit" id="corr-submit">${esc(t('save'))}</button> <span id="corr-result"></span>
  </form>`;
}

const val = (root: HTMLElement, id: string): string =>
  (root.querySelector<HTMLInputElement>(`#${id}`)?.value ?? '').trim();

/** The correction the form describes, as the API takes it (fingerprints and new ids are the server's). */
function correctionOf(form: HTMLElement, m: Measure): Record<string, unknown> {
  const op = val(form, 'corr-op') as Op;
  if (op === 'set-unit') {
    const name = val(form, 'corr-unit-name');
    const unitRole = val(form, 'corr-unit-role');
    return {
      op,
      measureId: m.id,
      unitKey: val(form, 'corr-unit'),
      ...(name ? { name } : {}),
      ...(unitRole ? { role: unitRole } : {}),
    };
  }
  if (op === 'add-unit')
    return { op, measureId: m.id, name: val(form, 'corr-new-unit'), role: val(form, 'corr-new-role') };
  if (op === 'set-target') {
    const changes: Record<string, number> = {};
    if (val(form, 'corr-target-value')) changes.value = Number(val(form, 'corr-target-value'));
    if (val(form, 'corr-target-year')) changes.deadlineYear = Number(val(form, 'corr-target-year'));
    return { op, targetId: val(form, 'corr-target'), changes };
  }
  return {
    op,
    parentId: m.id,
    title: val(form, 'corr-measure-title') || null,
    text: val(form, 'corr-measure-text'),
  };
}

async function linkIndicator(panel: HTMLElement, planId: string, target: Target): Promise<void> {
  panel.hidden = false;
  let suggestions: Suggestion[];
  try {
    suggestions = await getJson<Suggestion[]>(
      `/api/indicators/suggest?phrase=${encodeURIComponent(target.phrase)}`,
    );
  } catch (error) {
    panel.innerHTML =
      error instanceof ApiError && (error.status === 404 || error.status === 501)
        ? `<p class="error">${esc(t('linkNone', { status: error.status }))}</p>`
        : problem(error);
    return;
  }
  if (!suggestions.length) return void (panel.innerHTML = `<p class="hint">${esc(t('noSuggestions'))}</p>`);
  const health = await getJson<Health>('/api/health').catch(() => ({ cityCode: '' }));
  const nameOf = (s: Suggestion) => (currentLang() === 'en' ? s.nameEn : s.nameZh);
  panel.innerHTML = `<label>${esc(t('linkPick'))} <select class="link-code">${suggestions
    .map((s) => `<option value="${esc(s.code)}">${esc(s.code)} ${esc(nameOf(s))}</option>`)
    .join('')}</select></label>
    <label>${esc(t('regionCode'))} <input class="link-region" value="${esc(health.cityCode)}"></label>
    <button type="button" class="link-confirm">${esc(t('linkConfirm'))}</button><span class="link-result"></span>`;
  panel.querySelector('.link-confirm')?.addEventListener('click', async () => {
    const out = panel.querySelector<HTMLElement>('.link-result') as HTMLElement;
    const indicatorCode = panel.querySelector<HTMLSelectElement>('.link-code')?.value ?? '';
    try {
      await postJson('/api/indicator-targets', {
        indicatorCode,
        regionCode: panel.querySelector<HTMLInputElement>('.link-region')?.value.trim() ?? '',
        targetValue: target.value,
        comparator: target.comparator,
        deadlineYear: target.deadlineYear,
        source: { planId, targetId: target.id, phrase: target.phrase, sentence: target.sentence },
      });
      out.textContent = t('linked', { code: indicatorCode });
    } catch (error) {
      out.innerHTML =
        error instanceof ApiError && error.status === 404
          ? `<span class="error">${esc(t('linkNone', { status: 404 }))}</span>`
          : problem(error);
    }
  });
}

export async function renderPlanDetail(el: HTMLElement, id: string, selected?: string): Promise<void> {
  let detail: PlanDetail;
  try {
    detail = await getJson<PlanDetail>(`/api/plans/${encodeURIComponent(id)}`);
  } catch (error) {
    el.innerHTML = problem(error);
    return;
  }
  const { plan } = detail;
  states = new Map(detail.measureStates.map((x) => [x.measureId, x]));
  const measures = flat(plan.measures);
  const canCorrect = ['administrator', 'coordinator', 'staff'].includes(role());
  el.innerHTML = `<h2 class="plan-title">${esc(detail.title)}</h2>
    <p class="hint">${esc(detail.fileName)} · ${measures.length} ${esc(t('measures'))} · ${esc(t('clickHint'))}</p>
    ${plan.warnings.length ? `<details class="plan-warnings"><summary>${esc(t('warnings'))} (${plan.warnings.length})</summary><ul>${plan.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul></details>` : ''}
    ${detail.conflicts.length ? `<ul class="error">${detail.conflicts.map((c) => `<li>${esc(c.message)}</li>`).join('')}</ul>` : ''}
    <div class="plan-grid">
      <div class="plan-side">
        <ul class="plan-tree measures">${plan.measures.map(measureHtml).join('')}</ul>
      </div>
      <div class="plan-source-wrap"><h3>${esc(t('source'))}</h3><pre id="plan-source" class="plan-source">${esc(plan.text)}</pre></div>
    </div>
    ${canCorrect ? `<div class="card" id="correction-panel"><h3>${esc(t('correctionTitle'))}</h3><div id="correction-body"></div></div>` : ''}
    ${
      coordinates()
        ? `<div class="card" id="assign-panel"><h3>${esc(t('assignTitle'))}</h3><p class="hint">${esc(t('assignHint'))}</p>
            <label>${esc(t('defaultDue'))} <input type="date" id="assign-due"></label>
            <button id="assign-submit">${esc(t('assign'))}</button><div id="assign-result"></div></div>`
        : ''
    }`;
  const source = el.querySelector<HTMLElement>('#plan-source') as HTMLElement;
  const body = el.querySelector<HTMLElement>('#correction-body');
  const select = (measureId: string) => {
    for (const head of el.querySelectorAll<HTMLElement>('.measure-head'))
      head.classList.toggle('selected', head.dataset.measureId === measureId);
    if (!body) return;
    const m = measures.find((x) => x.id === measureId);
    body.innerHTML = correctionForm(m);
    const form = body.querySelector<HTMLFormElement>('#correction-form');
    if (!form || !m) return;
    const showOp = () => {
      for (const part of form.querySelectorAll<HTMLElement>('[data-op]'))
        part.hidden = part.dataset.op !== val(form, 'corr-op');
    };
    form.querySelector('#corr-op')?.addEventListener('change', showOp);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const out = form.querySelector<HTMLElement>('#corr-result') as HTMLElement;
      try {
        await postJson(`/api/plans/${encodeURIComponent(id)}/corrections`, correctionOf(form, m));
        await renderPlanDetail(el, id, m.id);
        const again = el.querySelector<HTMLElement>('#corr-result');
        if (again) again.textContent = t('saved');
      } catch (error) {
        out.innerHTML = problem(error);
      }
    });
  };
  if (body) body.innerHTML = correctionForm(undefined);
  el.querySelector('.plan-tree')?.addEventListener('click', (event) => {
    const target = event.target as HTMLElement;
    const link = target.closest<HTMLElement>('.link-indicator');
    if (link) {
      const x = measures.flatMap((m) => m.targets).find((y) => y.id === link.dataset.targetId);
      const panel = link.parentElement?.querySelector<HTMLElement>('.link-panel');
      if (x && panel) void linkIndicator(panel, id, x);
      return;
    }
    const spanned = target.closest<HTMLElement>('[data-span]');
    if (!spanned) return;
    const [s, e] = (spanned.dataset.span ?? '0,0').split(',').map(Number) as [number, number];
    highlight(source, plan.text, [s, e]);
    const measureId = spanned.closest<HTMLElement>('li.measure')?.dataset.measureId;
    if (measureId) select(measureId);
  });
  if (selected) select(selected);
  el.querySelector('#assign-submit')?.addEventListener('click', async () => {
    const out = el.querySelector<HTMLElement>('#assign-result') as HTMLElement;
    const due = val(el, 'assign-due');
    try {
      const r = await postJson<AssignAnswer>(
        `/api/plans/${encodeURIComponent(id)}/assignments`,
        due ? { defaultDueDate: due } : {},
      );
      out.innerHTML = `<p class="accepted">${esc(
        t('assigned', { created: r.created, existing: r.existing, unassignable: r.unassignable.length }),
      )}</p>`;
    } catch (error) {
      out.innerHTML = problem(error);
    }
  });
}
