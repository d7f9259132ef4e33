import { postJson } from '../api.js';
import { esc } from '../dom.js';
import { allItems, coordinates, problem, role, roleLabel } from './shared.js';
import { sha256Hex } from './sha256.js';
import type { AssignmentRow, PlanSummary, ReminderGroup, Report, ReportStatus } from '../types.js';
import { t } from './strings.js';

/** A department's task list and report form; the coordinator's review queue; reminders per department. */

function needsLogin(el: HTMLElement): boolean {
  if (role() === 'public' || !['administrator', 'coordinator', 'staff'].includes(role())) {
    el.innerHTML = `<p class="hint">${esc(t('loginNeeded'))}</p>`;
    return true;
  }
  return false;
}

function stateHtml(a: AssignmentRow): string {
  const stage = `<span class="stage stage-${a.stage}">${esc(t(`stage-${a.stage}`))}</span>`;
  if (a.overdue)
    return `${stage} <span class="overdue-flag">${esc(t('overdueDays', { n: Math.ceil(-(a.daysToDue ?? 0)) }))}</span>`;
  return a.atRisk ? `${stage} <span class="risk-flag">${esc(t('atRisk'))}</span>` : stage;
}

function lastReportHtml(r: Report | null): string {
  if (!r) return '—';
  const review =
    r.review?.decision === 'returned'
      ? `<div class="review-returned">${esc(t('returnedWith', { comment: r.review.comment }))}</div>`
      : r.review?.decision === 'accepted'
        ? `<div class="review-accepted">${esc(t('accepted'))}</div>`
        : '';
  return `${esc(r.submittedAt)} ${esc(t(`status-${r.status}`))}: ${esc(r.narrative)}${review}`;
}

const canReport = (a: AssignmentRow): boolean =>
  role() === 'staff' && a.stage !== 'awaiting-review' && a.stage !== 'done';

function reportForm(a: AssignmentRow): string {
  return `<form id="report-form" class="card" data-assignment-id="${esc(a.id)}">
    <h3>${esc(t('reportTitle', { measure: a.measureTitle }))}</h3>
    <label>${esc(t('status'))} <select id="report-status">${(
      ['in-progress', 'completed', 'blocked'] as ReportStatus[]
    )
      .map((s) => `<option value="${s}">${esc(t(`status-${s}`))}</option>`)
      .join('')}</select></label>
    <label>${esc(t('value'))} <input id="report-value" type="number" step="any"></label>
    <label class="wide">${esc(t('narrative'))} <textarea id="report-narrative" rows="3" required></textarea></label>
    <label class="wide">${esc(t('evidence'))} <input id="report-files" type="file" multiple></label>
    <button type="submit" id="report-submit">${esc(t('submit'))}</button> <span id="report-result"></span>
  </form>`;
}

async function evidenceOf(input: HTMLInputElement | null) {
  return Promise.all(
    Array.from(input?.files ?? []).map(async (f) => ({
      fileName: f.name,
      mediaType: f.type || 'application/octet-stream',
      bytes: f.size,
      sha256: await sha256Hex(f),
    })),
  );
}

/** The task list's filters, kept while the view lives: one plan, and only what needs attention. */
const filter = { plan: '', attention: false };

async function filterBar(): Promise<string> {
  const plans = await allItems<PlanSummary>('/api/plans').catch((): PlanSummary[] => []);
  return `<div class="tasks-filter">
    <label>${esc(t('planFilter'))} <select id="tasks-plan"><option value="">${esc(t('all'))}</option>${plans
      .map(
        (p) =>
          `<option value="${esc(p.id)}"${p.id === filter.plan ? ' selected' : ''}>${esc(p.title)}</option>`,
      )
      .join('')}</select></label>
    <label><input type="checkbox" id="tasks-attention"${filter.attention ? ' checked' : ''}> ${esc(t('attention'))}</label>
  </div>`;
}

export async function renderTasks(el: HTMLElement, message = ''): Promise<void> {
  if (needsLogin(el)) return;
  let rows: AssignmentRow[];
  let bar: string;
  try {
    [rows, bar] = await Promise.all([
      allItems<AssignmentRow>(
        `/api/assignments${filter.plan ? `?plan=${encodeURIComponent(filter.plan)}` : ''}`,
      ),
      filterBar(),
    ]);
  } catch (error) {
    el.innerHTML = problem(error);
    return;
  }
  if (filter.attention) rows = rows.filter((a) => a.overdue || a.atRisk);
  el.innerHTML = `${message ? `<p class="accepted" id="tasks-message">${esc(message)}</p>` : ''}${bar}
    <p class="hint">${esc(t('taskCount', { n: rows.length }))}</p>
    ${
      rows.length
        ? `<div class="table-scroll"><table class="tasks" data-attention="${filter.attention}"><thead><tr><th>${esc(t('measure'))}</th><th>${esc(
            t('department'),
          )}</th><th>${esc(t('due'))}</th><th>${esc(t('state'))}</th><th>${esc(t('lastReport'))}</th><th>${esc(
            t('action'),
          )}</th></tr></thead><tbody>${rows
            .map(
              (
                a,
              ) => `<tr data-assignment-id="${esc(a.id)}" class="${a.overdue ? 'overdue' : ''} stage-${a.stage}">
                <td><a href="#/plans/${encodeURIComponent(a.planId)}">${esc(a.measureTitle)}</a></td>
                <td>${esc(a.departmentName)} <small>${esc(roleLabel(a.role))}</small></td>
                <td>${esc(a.dueDate ?? '—')}</td><td>${stateHtml(a)}</td><td class="last-report">${lastReportHtml(a.lastReport)}</td>
                <td>${canReport(a) ? `<button type="button" class="report-open">${esc(t('report'))}</button>` : ''}</td></tr>`,
            )
            .join('')}</tbody></table></div>`
        : `<p class="hint">${esc(t('noTasks'))}</p>`
    }<div id="report-slot"></div>`;
  el.querySelector('#tasks-plan')?.addEventListener('change', (event) => {
    filter.plan = (event.target as HTMLSelectElement).value;
    void renderTasks(el);
  });
  el.querySelector('#tasks-attention')?.addEventListener('change', (event) => {
    filter.attention = (event.target as HTMLInputElement).checked;
    void renderTasks(el);
  });
  el.querySelector('table.tasks')?.addEventListener('click', (event) => {
    const button = (event.target as HTMLElement).closest('.report-open');
    const id = button?.closest<HTMLElement>('tr')?.dataset.assignmentId;
    const a = rows.find((r) => r.id === id);
    const slot = el.querySelector<HTMLElement>('#report-slot');
    if (!a || !slot) return;
    slot.innerHTML = reportForm(a);
    const form = slot.querySelector<HTMLFormElement>('#report-form') as HTMLFormElement;
    form.scrollIntoView({ block: 'nearest' });
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const out = form.querySelector<HTMLElement>('#report-result') as HTMLElement;
      const value = form.querySelector<HTMLInputElement>('#report-value')?.value ?? '';
      try {
        out.textContent = t('hashing');
        const evidence = await evidenceOf(form.querySelector<HTMLInputElement>('#report-files'));
        await postJson(`/api/assignments/${encodeURIComponent(a.id)}/reports`, {
          status: form.querySelector<HTMLSelectElement>('#report-status')?.value,
          value: value === '' ? null : Number(value),
          narrative: form.querySelector<HTMLTextAreaElement>('#report-narrative')?.value ?? '',
          evidence,
        });
        await renderTasks(el, t('submitted'));
      } catch (error) {
        out.innerHTML = problem(error);
      }
    });
  });
}

const size = (bytes: number) => (bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KB`);

export async function renderReview(el: HTMLElement, message = ''): Promise<void> {
  if (needsLogin(el)) return;
  if (!coordinates()) return void (el.innerHTML = `<p class="hint">${esc(t('loginNeeded'))}</p>`);
  let rows: AssignmentRow[];
  try {
    rows = (await allItems<AssignmentRow>('/api/assignments')).filter((a) => a.stage === 'awaiting-review');
  } catch (error) {
    el.innerHTML = problem(error);
    return;
  }
  el.innerHTML = `${message ? `<p class="accepted" id="review-message">${esc(message)}</p>` : ''}${
    rows.length
      ? rows
          .map((a) => {
            const r = a.lastReport as Report;
            return `<div class="card review-item" data-report-id="${esc(r.id)}">
              <h3>${esc(a.measureTitle)} · ${esc(a.departmentName)}</h3>
              <p>${esc(r.submittedAt)} · ${esc(t(`status-${r.status}`))}${r.value === null ? '' : ` · ${esc(t('value'))} ${r.value}`}</p>
              <p class="narrative">${esc(r.narrative)}</p>
              ${
                r.evidence.length
                  ? `<ul class="evidence">${r.evidence
                      .map(
                        (f) =>
                          `<li>${esc(f.fileName)} (${esc(size(f.bytes))}, ${esc(f.mediaType)}) <code title="${esc(f.sha256)}">${esc(f.sha256.slice(0, 12))}…</code></li>`,
                      )
                      .join('')}</ul>`
                  : ''
              }
              <label class="wide">${esc(t('comment'))} <textarea class="review-comment" rows="2"></textarea></label>
              <button type="button" class="review-accept">${esc(t('accept'))}</button>
              <button type="button" class="review-return">${esc(t('return'))}</button>
              <span class="review-result"></span></div>`;
          })
          .join('')
      : `<p class="hint">${esc(t('reviewEmpty'))}</p>`
  }`;
  for (const item of el.querySelectorAll<HTMLElement>('.review-item')) {
    const decide = async (decision: 'accepted' | 'returned') => {
      const comment = item.querySelector<HTMLTextAreaElement>('.review-comment')?.value.trim() ?? '';
      const out = item.querySelector<HTMLElement>('.review-result') as HTMLElement;
      if (decision === 'returned' && !comment) return void (out.innerHTML = problem(t('commentNeeded')));
      try {
        await postJson(`/api/reports/${encodeURIComponent(item.dataset.reportId ?? '')}/review`, {
          decision,
          ...(comment ? { comment } : {}),
        });
        await renderReview(el, t(decision));
      } catch (error) {
        out.innerHTML = problem(error);
      }
    };
    item.querySelector('.review-accept')?.addEventListener('click', () => void decide('accepted'));
    item.querySelector('.review-return')?.addEventListener('click', () => void decide('returned'));
  }
}

export async function renderReminders(el: HTMLElement): Promise<void> {
  if (needsLogin(el)) return;
  try {
    const groups = await allItems<ReminderGroup>('/api/plans/reminders');
    el.innerHTML = groups.length
      ? groups
          .map(
            (g) => `<section class="reminder-group"><h3>${esc(g.departmentName)} (${g.items.length})</h3>
              <div class="table-scroll"><table class="reminders"><tbody>${g.items
                .map(
                  (i) =>
                    `<tr class="${i.kind === 'overdue' ? 'overdue' : ''}"><td>${esc(i.measureTitle)}</td><td>${esc(
                      i.dueDate ?? '—',
                    )}</td><td>${esc(i.message)}</td></tr>`,
                )
                .join('')}</tbody></table></div></section>`,
          )
          .join('')
      : `<p class="hint">${esc(t('noReminders'))}</p>`;
  } catch (error) {
    el.innerHTML = problem(error);
  }
}
