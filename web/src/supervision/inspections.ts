import { download, getJson, postJson } from '../api.js';
import { esc, fmtPct } from '../dom.js';
import type { Draw, DrawDefaults, DrawPage, DrawSummary, NewDraw } from '../types.js';
import { go, viewPath, type View } from '../views.js';
import { classBadge, errorText, role, t, table, todayBeijing, tv, username } from './credit-shared.js';

/**
 * 双随机抽查: create a draw (ratios shown with the rule they come from: the city's own, or the national default), see the result by class and inspector,
 * publish it, download the published lists and read the exact CLI command that re-runs it; inspectors record
 * results. The address is `#/supervision/inspections/<draw id>`.
 */
type Cls = Draw['result']['strata'][number]['riskClass'];
const CLASSES: Cls[] = ['A', 'B', 'C', 'D'];
let root: HTMLElement;
let defaults: DrawDefaults | null = null;

function drawForm(d: DrawDefaults): string {
  const ranges = d.config.ranges;
  const ratios = CLASSES.map((k) => {
    const range = ranges?.[k];
    const bounds = range ? ` min="${range.min}" max="${range.max}"` : ' min="0" max="1"';
    const hint = range
      ? ` <small class="hint">${esc(t('cityRange'))} ${fmtPct(range.min, 0)}–${fmtPct(range.max, 0)}</small>`
      : '';
    return `<label>${classBadge(k)} <input id="draw-ratio-${k}" type="number" step="0.01"${bounds} value="${d.config.ratios[k]}">${hint}</label>`;
  }).join('');
  // Whose rule the ratios come from: the city's own, or LifeCircle's default after the national principle.
  const rule = d.rule.adopted
    ? `${esc(t('cityRule'))}: ${esc(d.rule.source.document)}`
    : `${esc(t('nationalDefault'))}: ${esc(t('nationalDefaultHint'))}`;
  return (
    `<form id="draw-form" class="grid-form"><h4>${esc(t('newDraw'))}</h4>` +
    `<label>${esc(t('seed'))} <input id="draw-seed" maxlength="200" placeholder="${esc(t('seedHint'))}"></label>` +
    `<label>${esc(t('region'))} <input id="draw-region" pattern="[0-9]{2,12}" placeholder="510104"></label>` +
    `<fieldset><legend>${esc(t('ratios'))}</legend>${ratios}` +
    `<p class="hint local-rule">${rule}</p></fieldset>` +
    `<label>${esc(t('teamSize'))} <input id="draw-team" type="number" min="1" max="8" value="${d.config.inspectorsPerTarget}"></label>` +
    `<button id="draw-submit" type="submit">${esc(t('draw'))}</button><p id="draw-message" class="hint"></p></form>`
  );
}

async function createDraw(form: HTMLElement): Promise<void> {
  const val = (id: string) => form.querySelector<HTMLInputElement>(`#${id}`)?.value.trim() ?? '';
  const body: Record<string, unknown> = {
    ratios: Object.fromEntries(CLASSES.map((k) => [k, Number(val(`draw-ratio-${k}`))])),
    teamSize: Number(val('draw-team')),
  };
  if (val('draw-seed')) body.seed = val('draw-seed');
  if (val('draw-region')) body.regionCode = val('draw-region');
  try {
    const d = await postJson<NewDraw>('/api/inspections/draws', body);
    go('supervision', 'inspections', d.id);
  } catch (e) {
    const m = form.querySelector<HTMLElement>('#draw-message');
    if (m) m.textContent = errorText(e);
  }
}

function drawList(items: DrawSummary[]): string {
  if (!items.length) return `<p class="hint">${esc(t('noDraws'))}</p>`;
  return `<ul id="draw-list">${items
    .map(
      (d) =>
        `<li><a href="#/supervision/inspections/${esc(d.id)}" data-draw-id="${esc(d.id)}">${esc(t('drawNo', { id: d.id }))}</a> ` +
        `${esc(d.scope.regionCode)} · ${d.targetCount}/${d.candidateCount} · ${esc(d.published ? t('published') : t('unpublished'))} · ${esc(d.createdAt.slice(0, 16).replace('T', ' '))}</li>`,
    )
    .join('')}</ul>`;
}

function resultForm(d: Draw, me: string): string {
  const done = new Set(d.results.map((r) => r.uscc));
  const mine = d.result.targets.filter(
    (x) => !done.has(x.uscc) && (!x.inspectorIds || x.inspectorIds.includes(me)),
  );
  if (!mine.length) return '';
  const names = new Map(d.candidates.map((c) => [c.uscc, c.name ?? c.uscc]));
  return (
    `<form id="result-form" class="grid-form"><h4>${esc(t('recordResult'))}</h4>` +
    `<label>${esc(t('target'))} <select id="result-uscc">${mine
      .map((x) => `<option value="${esc(x.uscc)}">${esc(names.get(x.uscc))} (${esc(x.uscc)})</option>`)
      .join('')}</select></label>` +
    `<label>${esc(t('date'))} <input id="result-date" type="date" value="${todayBeijing()}"></label>` +
    `<label>${esc(t('outcome'))} <select id="result-outcome">${['compliant', 'rectified', 'non-compliant']
      .map((o) => `<option value="${o}">${esc(tv('outcome', o))}</option>`)
      .join('')}</select></label>` +
    `<label>${esc(t('findings'))} <input id="result-findings" required maxlength="500"></label>` +
    `<label>${esc(t('authority'))} <input id="result-authority" required maxlength="100"></label>` +
    `<button id="result-submit" type="submit">${esc(t('save'))}</button><p id="result-message" class="hint"></p></form>`
  );
}

function drawHtml(d: Draw): string {
  const names = new Map(d.candidates.map((c) => [c.uscc, c.name ?? '']));
  const strata = d.result.strata.map(
    (s) =>
      `<tr data-class="${s.riskClass}"><td>${classBadge(s.riskClass)}</td><td>${s.candidates}</td><td>${fmtPct(s.ratio, 0)}</td>` +
      `<td>${s.drawn}</td><td>${fmtPct(s.achievedRatio)}</td><td>${s.withinLocalRule === null ? '—' : s.withinLocalRule ? '✓' : '✗'}</td></tr>`,
  );
  const targets = d.result.targets.map(
    (x) =>
      `<tr data-uscc="${esc(x.uscc)}"><td>${classBadge(x.riskClass)}</td><td>${x.rank}</td><td>${esc(names.get(x.uscc))}</td>` +
      `<td><code>${esc(x.uscc)}</code></td><td class="inspectors">${esc((x.inspectorIds ?? []).join(', '))}</td></tr>`,
  );
  const results = d.results.map(
    (r) =>
      `<tr data-uscc="${esc(r.uscc)}"><td>${esc(names.get(r.uscc))}</td><td>${esc(r.inspectedOn)}</td>` +
      `<td>${esc(tv('outcome', r.outcome))}</td><td>${esc(r.findings)}</td><td>${esc(r.authority)}</td></tr>`,
  );
  return (
    `<h3 id="draw-title">${esc(t('drawNo', { id: d.id }))} · <span id="draw-state">${esc(d.published ? t('published') : t('unpublished'))}</span></h3>` +
    `<p>${esc(t('seed'))}: <code id="draw-seed-value">${esc(d.seed)}</code> · ${esc(t('region'))} ${esc(d.scope.regionCode)} · ` +
    `${esc(t('candidates'))} ${d.candidates.length} · SHA-256 <code>${esc(d.result.candidateListSha256.slice(0, 16))}…</code></p>` +
    `<p class="actions">${d.canPublish ? `<button id="draw-publish">${esc(t('publish'))}</button> ` : ''}` +
    `<button id="draw-csv">${esc(t('downloadCandidates'))}</button> ` +
    (d.inspectors ? `<button id="draw-inspectors-csv">${esc(t('downloadInspectors'))}</button>` : '') +
    `</p><p>${esc(t('rerun'))}</p><pre id="draw-cli" class="cli">${esc(d.cli)}</pre>` +
    `<h4>${esc(t('strata'))}</h4>${table('draw-strata', [t('riskClass'), t('candidates'), t('ratio'), t('drawn'), t('achieved'), t('withinRule')], strata)}` +
    `<h4>${esc(t('targets'))}</h4>${table('draw-targets', [t('riskClass'), t('rank'), t('provider'), 'USCC', t('inspectors')], targets)}` +
    (d.result.unassigned.length
      ? `<p class="error">${esc(t('unassigned'))}: ${d.result.unassigned.map((u) => esc(`${u.uscc} (${u.reason})`)).join('; ')}</p>`
      : '') +
    `<h4>${esc(t('results'))}</h4>${table('draw-results', [t('target'), t('date'), t('outcome'), t('findings'), t('authority')], results)}` +
    (role() === 'inspector' ? resultForm(d, username() ?? '') : '')
  );
}

function wireDraw(el: HTMLElement, d: Draw): void {
  el.querySelector('#draw-publish')?.addEventListener('click', () => {
    void postJson(`/api/inspections/draws/${d.id}/publish`, {}).then(render, (e) => {
      el.querySelector('#draw-title')?.insertAdjacentHTML(
        'afterend',
        `<p class="error">${esc(errorText(e))}</p>`,
      );
    });
  });
  el.querySelector('#draw-csv')?.addEventListener('click', () => {
    void download(`/api/inspections/draws/${d.id}/candidates.csv`, `draw-${d.id}-candidates.csv`);
  });
  el.querySelector('#draw-inspectors-csv')?.addEventListener('click', () => {
    void download(`/api/inspections/draws/${d.id}/inspectors.csv`, `draw-${d.id}-inspectors.csv`);
  });
  const form = el.querySelector<HTMLFormElement>('#result-form');
  form?.addEventListener('submit', (e) => {
    e.preventDefault();
    const val = (id: string) => form.querySelector<HTMLInputElement>(`#${id}`)?.value.trim() ?? '';
    postJson('/api/inspections/results', {
      drawId: d.id,
      uscc: val('result-uscc'),
      inspectedOn: val('result-date'),
      outcome: val('result-outcome'),
      findings: val('result-findings'),
      authority: val('result-authority'),
    }).then(render, (err) => {
      const m = form.querySelector<HTMLElement>('#result-message');
      if (m) m.textContent = errorText(err);
    });
  });
}

async function render(): Promise<void> {
  root.dataset.loaded = '';
  const list = await getJson<DrawPage>('/api/inspections/draws?limit=50');
  defaults = list.defaults;
  const canDraw = ['administrator', 'staff'].includes(role());
  root.innerHTML =
    '<div class="inspections-layout"><div id="draw-side">' +
    (canDraw && defaults ? drawForm(defaults) : '') +
    `<h4>${esc(t('draws'))}</h4>${drawList(list.items)}</div><div id="draw-detail"></div></div>`;
  root.querySelector('#draw-form')?.addEventListener('submit', (e) => {
    e.preventDefault();
    void createDraw(e.currentTarget as HTMLElement);
  });
  const id = viewPath()[1];
  const detail = root.querySelector<HTMLElement>('#draw-detail');
  if (id && detail) {
    try {
      const d = await getJson<Draw>(`/api/inspections/draws/${encodeURIComponent(id)}`);
      detail.innerHTML = drawHtml(d);
      wireDraw(detail, d);
    } catch (e) {
      detail.innerHTML = `<p class="error">${esc(errorText(e))}</p>`;
    }
  }
  root.dataset.loaded = id ?? 'list';
}

export const page: View = {
  async mount(container) {
    root = container;
    await render();
  },
  refresh: render,
};
