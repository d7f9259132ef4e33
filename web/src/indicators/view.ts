import { ApiError, currentSession, download, getJson, postJson } from '../api.js';
import { esc } from '../dom.js';
import { currentLang, pick } from '../i18n.js';
import type {
  Board,
  Indicator,
  IndicatorHistory,
  IndicatorValue as Value,
  Progress,
  Scorecard,
} from '../types.js';
import { go, viewPath, type View } from '../views.js';
import { allItems } from '../plans/shared.js';
import { drawRanking, drawTrajectory, type Series } from './charts.js';
import { tr, type Key } from './strings.js';

/**
 * The indicators view: the board (`#/indicators`), one indicator (`#/indicators/i/<code>`), targets and
 * progress (`#/indicators/targets`) and the district scorecard (`#/indicators/scorecard`).
 */

let root: HTMLElement;
let board: Board | null = null;

const role = (): string => currentSession()?.user.role ?? 'public';
const setsTargets = (): boolean => ['administrator', 'coordinator'].includes(role());
const fmt = (v: number | null | undefined, unit = ''): string =>
  v === null || v === undefined
    ? '—'
    : `${Math.round(v * 100) / 100}${unit === '%' ? '%' : unit ? ` ${unit}` : ''}`;
const statusBadge = (s: string): string =>
  `<span class="ind-status ind-${esc(s)}">${esc(tr(`status_${s}` as Key))}</span>`;

function provenance(v: Value): string {
  if (v.provenance.kind === 'analysis')
    return `<a class="ind-run" href="/api/analysis/runs/${v.provenance.runId}" target="_blank" rel="noopener">${esc(tr('run', { id: v.provenance.runId }))}</a>`;
  return esc(tr('report', { by: v.provenance.by }));
}

/** A formula input in words: `childcarePlaces` → 托位数. */
function inputName(input: string): string {
  const key = `input_${input}` as Key;
  const text = tr(key);
  return text === key ? input : text;
}

function valueCell(v: Value | undefined, unit: string): string {
  if (!v) return `<span class="hint">${esc(tr('noData'))}</span>`;
  if (v.value === null)
    return `<span class="hint" title="${esc(tr('missing', { inputs: v.missing.map(inputName).join(', ') }))}">${esc(tr('noData'))}</span> <small class="hint">${esc(tr('missing', { inputs: v.missing.map(inputName).join(', ') }))}</small>`;
  return `<b>${esc(fmt(v.value, unit))}</b> <small>${esc(v.date)} · ${provenance(v)}</small>`;
}

function subnav(active: string): string {
  const link = (path: string, key: Key) =>
    `<a href="#/indicators${path ? `/${path}` : ''}" class="${active === path ? 'active' : ''}">${esc(tr(key))}</a>`;
  return `<nav class="subnav">${link('', 'board')}${link('targets', 'targets')}${link('scorecard', 'scorecard')}</nav>`;
}

function fail(where: HTMLElement, error: unknown): void {
  const message =
    error instanceof ApiError && error.status === 401 ? tr('loginForScorecard') : (error as Error).message;
  where.innerHTML = `<p class="error">${esc(message)}</p>`;
}

async function renderBoard(): Promise<void> {
  board = await getJson<Board>('/api/indicators');
  // Only districts with some value: the division list names every district of the city, most outside the data.
  const valued = new Set(board.items.flatMap((i) => i.values.map((v) => v.regionCode)));
  const all = board.regions.filter((r) => r.level === 'district');
  const districts = valued.size > 0 ? all.filter((d) => valued.has(d.code)) : all;
  const city = board.regions[0];
  const domains = [...new Set(board.items.map((i) => i.domain))];
  const head = `<tr><th>${esc(tr('indicator'))}</th><th>${esc(tr('unit'))}</th><th>${esc(tr('kind'))}</th><th>${esc(tr('city'))}</th>${districts
    .map((d) => `<th>${esc(d.name)}</th>`)
    .join('')}<th>${esc(tr('source'))}</th></tr>`;
  const row = (i: Indicator) => {
    const at = (code: string) => i.values.find((v) => v.regionCode === code);
    const short = (v: Value | undefined) =>
      v && v.value !== null ? esc(fmt(v.value)) : `<span class="hint">${esc(tr('noData'))}</span>`;
    return `<tr data-indicator="${esc(i.code)}"><td><a href="#/indicators/i/${esc(i.code)}">${esc(pick(i))}</a><br><small class="hint">${esc(tr(i.direction as Key))} · ${esc(i.owner)}</small></td><td>${esc(i.unit)}</td><td>${esc(tr(i.kind as Key))}</td><td class="ind-city">${valueCell(at(city.code), i.unit)}</td>${districts
      .map((d) => `<td>${short(at(d.code))}</td>`)
      .join('')}<td><small>${esc(i.source.document)}</small></td></tr>`;
  };
  root.innerHTML = `${subnav('')}<div id="ind-board">${domains
    .map(
      (d) =>
        `<h3>${esc(tr(`domain_${d}` as Key))}</h3><div class="ind-scroll"><table class="ind-table"><thead>${head}</thead><tbody>${board!.items
          .filter((i) => i.domain === d)
          .map(row)
          .join('')}</tbody></table></div>`,
    )
    .join('')}</div>`;
}

function targetForm(indicatorCode: string | null, regions: Board['regions']): string {
  if (!setsTargets()) return `<p class="hint">${esc(tr('coordinatorOnly'))}</p>`;
  const items = board?.items ?? [];
  const year = new Date().getFullYear();
  return `<form id="ind-target-form" class="ind-form">
    <h3>${esc(tr('setTarget'))}</h3>
    <label>${esc(tr('indicator'))} <select name="indicatorCode">${items
      .map(
        (i) =>
          `<option value="${esc(i.code)}" ${i.code === indicatorCode ? 'selected' : ''}>${esc(pick(i))}</option>`,
      )
      .join('')}</select></label>
    <label>${esc(tr('region'))} <select name="regionCode">${regions
      .map((r) => `<option value="${esc(r.code)}">${esc(r.name)}</option>`)
      .join('')}</select></label>
    <label>${esc(tr('comparator'))} <select name="comparator"><option value="gte">≥</option><option value="lte">≤</option><option value="eq">=</option></select></label>
    <label>${esc(tr('targetValue'))} <input name="targetValue" type="number" step="any" required></label>
    <label>${esc(tr('deadlineYear'))} <input name="deadlineYear" type="number" min="2000" max="2100" value="${year + 2}" required></label>
    <label>${esc(tr('baselineValue'))} <input name="baselineValue" type="number" step="any"></label>
    <label>${esc(tr('baselineDate'))} <input name="baselineDate" type="date"></label>
    <button type="submit" id="ind-target-save">${esc(tr('save'))}</button>
    <span id="ind-target-result"></span>
  </form>`;
}

function wireTargetForm(after: () => Promise<void>): void {
  const form = root.querySelector<HTMLFormElement>('#ind-target-form');
  form?.addEventListener('submit', (e) => {
    e.preventDefault();
    const data = new FormData(form);
    const num = (k: string) => (String(data.get(k) ?? '') === '' ? undefined : Number(data.get(k)));
    const body = {
      indicatorCode: String(data.get('indicatorCode')),
      regionCode: String(data.get('regionCode')),
      comparator: String(data.get('comparator')),
      targetValue: num('targetValue'),
      deadlineYear: num('deadlineYear'),
      baselineValue: num('baselineValue'),
      baselineDate: String(data.get('baselineDate') ?? '') || undefined,
    };
    const result = root.querySelector<HTMLElement>('#ind-target-result') as HTMLElement;
    postJson('/api/indicator-targets', body)
      .then(async () => {
        result.textContent = tr('saved');
        await after();
      })
      .catch((error: Error) => {
        result.innerHTML = `<span class="error">${esc(error.message)}</span>`;
      });
  });
}

function progressTable(items: Progress[]): string {
  if (items.length === 0) return `<p class="hint">${esc(tr('noTargets'))}</p>`;
  return `<div class="ind-scroll"><table class="ind-table ind-progress"><thead><tr><th>${esc(tr('indicator'))}</th><th>${esc(tr('region'))}</th><th>${esc(tr('baseline'))}</th><th>${esc(tr('target'))}</th><th>${esc(tr('latest'))}</th><th>${esc(tr('trajectoryToday'))}</th><th>${esc(tr('status'))}</th><th>${esc(tr('warnings'))}</th></tr></thead><tbody>${items
    .map(
      (p) =>
        `<tr data-target="${p.target.id}"><td><a href="#/indicators/i/${esc(p.indicator.code)}/${esc(p.target.regionCode)}">${esc(pick(p.indicator))}</a></td><td>${esc(p.target.regionName)}</td><td>${p.baseline ? `${esc(fmt(p.baseline.value))} <small>${esc(p.baseline.date)}</small>` : '—'}</td><td>${esc(
          { gte: '≥', gt: '>', lte: '≤', lt: '<', eq: '=' }[p.target.comparator] ?? '',
        )}${esc(fmt(p.target.targetValue, p.indicator.unit))} <small>${p.target.deadlineYear}</small></td><td>${p.latest ? valueCell(p.latest, p.indicator.unit) : '—'}</td><td>${esc(fmt(p.trajectoryToday))}</td><td>${statusBadge(p.status)}</td><td>${p.warnings
          .map((w) => `<div class="note">${esc(currentLang() === 'zh' ? w.messageZh : w.message)}</div>`)
          .join('')}${p.note ? `<div class="hint">${esc(p.note)}</div>` : ''}</td></tr>`,
    )
    .join('')}</tbody></table></div>`;
}

async function renderIndicator(code: string, regionArg?: string): Promise<void> {
  board ??= await getJson<Board>('/api/indicators');
  const indicator = board.items.find((i) => i.code === code);
  if (!indicator) throw new Error(`${code}?`);
  const region = regionArg ?? board.regions[0].code;
  const [history, progress] = await Promise.all([
    getJson<IndicatorHistory>(`/api/indicators/${encodeURIComponent(code)}/values?region=${region}`),
    allItems<Progress>(`/api/indicators/progress?indicator=${encodeURIComponent(code)}&region=${region}`),
  ]);
  root.innerHTML = `${subnav('')}<p><a href="#/indicators">${esc(tr('back'))}</a></p>
    <h2 id="ind-title">${esc(pick(indicator))} <small>${esc(indicator.unit)}</small></h2>
    <p class="hint">${esc(tr('formula'))}: ${esc(indicator.formulaText)} · ${esc(tr('owner'))}: ${esc(indicator.owner)} · ${esc(tr('source'))}: ${esc(indicator.source.document)} “${esc(indicator.source.clause)}”</p>
    <label>${esc(tr('region'))} <select id="ind-region">${board.regions
      .map(
        (r) =>
          `<option value="${esc(r.code)}" ${r.code === region ? 'selected' : ''}>${esc(r.name)}</option>`,
      )
      .join('')}</select></label>
    <div id="ind-progress">${progressTable(progress)}</div>
    <div id="ind-chart" class="chart"></div>
    <h3>${esc(tr('history'))}</h3>
    <div class="ind-scroll"><table class="ind-table"><thead><tr><th>${esc(tr('date'))}</th><th>${esc(tr('value'))}</th><th>${esc(tr('provenance'))}</th></tr></thead><tbody>${history.items
      .map(
        (v) =>
          `<tr><td>${esc(v.date)}</td><td>${valueCell(v, indicator.unit)}</td><td>${provenance(v)}</td></tr>`,
      )
      .join('')}</tbody></table></div>
    ${targetForm(code, board.regions)}`;
  root
    .querySelector('#ind-region')
    ?.addEventListener('change', (e) => go('indicators', 'i', code, (e.target as HTMLSelectElement).value));
  wireTargetForm(() => renderIndicator(code, region));
  const p = progress[0];
  const actual = history.items
    .filter((v) => v.value !== null)
    .map((v) => ({ date: v.date, value: v.value }))
    .reverse();
  const series: Series[] = [{ name: tr('actual'), points: actual }];
  if (p)
    series.push({
      name: tr('trajectory'),
      points: p.chart.map((c) => ({ date: c.date, value: c.expected })),
      dashed: true,
    });
  drawTrajectory(root.querySelector('#ind-chart') as HTMLElement, series, indicator.unit);
}

async function renderTargets(): Promise<void> {
  board ??= await getJson<Board>('/api/indicators');
  const progress = await allItems<Progress>('/api/indicators/progress');
  root.innerHTML = `${subnav('targets')}${progressTable(progress)}${targetForm(null, board.regions)}`;
  wireTargetForm(renderTargets);
}

async function putJson<T>(path: string, body: unknown): Promise<T> {
  const s = currentSession();
  const res = await fetch(path, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', ...(s ? { authorization: `Bearer ${s.token}` } : {}) },
    body: JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok)
    throw new ApiError(
      res.status,
      json.error?.code ?? 'LC_HTTP',
      json.error?.message ?? res.statusText,
      json.error?.details,
    );
  return json as T;
}

/** Opens the printable report in a new tab: fetched with the login, shown from a blob. */
async function openPrintable(): Promise<void> {
  const s = currentSession();
  const res = await fetch('/api/scorecard/export.html', {
    headers: s ? { authorization: `Bearer ${s.token}` } : {},
  });
  const blob = await res.blob();
  window.open(URL.createObjectURL(blob), '_blank');
}

async function renderScorecard(): Promise<void> {
  root.innerHTML = `${subnav('scorecard')}<div id="ind-scorecard"></div>`;
  const box = root.querySelector<HTMLElement>('#ind-scorecard') as HTMLElement;
  let card: Scorecard;
  try {
    card = await getJson<Scorecard>('/api/scorecard?level=district');
  } catch (error) {
    fail(box, error);
    return;
  }
  const catalogue = board?.items ?? (board = await getJson<Board>('/api/indicators')).items;
  type Row = Scorecard['rows'][number];
  // A score, or why there is none: the same words as the printable report (缺报 / 无目标).
  const cell = (r: Row, code: string): string =>
    r.indicatorScores[code] != null
      ? ((r.indicatorScores[code] ?? 0) * 100).toFixed(1)
      : r.missing.includes(code)
        ? tr('notReported')
        : tr('noTarget');
  const completion = (r: Row): string =>
    r.measureScore === null ? tr('notReported') : (r.measureScore * 100).toFixed(1);
  const rank = (r: Row): string =>
    r.rank === null
      ? `<span class="unranked" title="${esc(tr('unrankedWhy'))}">${esc(tr('unranked'))}</span>`
      : String(r.rank);
  const indicatorName = (code: string): string => {
    const i = card.indicators.find((x) => x.code === code);
    return i ? pick(i) : code;
  };
  const noteText = (n: Scorecard['notes'][number]): string => {
    switch (n.code) {
      case 'districts-left-out':
        return tr('note_districtsLeftOut', { n: n.count });
      case 'measure-not-assigned':
        return tr('note_measureNotAssigned');
      case 'measure-not-connected':
        return tr('note_measureNotConnected');
      case 'indicator-without-target':
        return tr('note_indicatorWithoutTarget', { indicator: indicatorName(n.indicator) });
      case 'nothing-scored':
        return tr('note_nothingScored');
    }
  };
  const ranked = card.rows.filter((r) => r.rank !== null);
  box.innerHTML = `<p class="hint">${esc(tr('asOf', { date: card.asOf }))}</p>
    <div class="exports"><button id="ind-xlsx">${esc(tr('downloadXlsx'))}</button><button id="ind-print">${esc(tr('printable'))}</button></div>
    ${card.notes.length ? `<div class="ind-notes">${card.notes.map((n) => `<p class="note" data-note="${esc(n.code)}">${esc(noteText(n))}</p>`).join('')}</div>` : ''}
    <div class="ind-scroll"><table class="ind-table" id="ind-ranking"><thead><tr><th>${esc(tr('rank'))}</th><th>${esc(tr('region'))}</th><th>${esc(tr('total'))}</th>${card.indicators
      .map((i) => `<th>${esc(pick(i))}<br><small>${esc(tr('weight'))} ${i.weight}</small></th>`)
      .join(
        '',
      )}<th>${esc(tr('measures'))}<br><small>${esc(tr('weight'))} ${card.config.measureWeight}</small></th></tr></thead><tbody>${card.rows
      .map(
        (r) =>
          `<tr data-region="${esc(r.region)}"><td>${rank(r)}</td><td>${esc(r.name)}</td><td class="ind-total">${r.total.toFixed(1)}</td>${card.indicators
            .map(
              (i) =>
                `<td>${esc(cell(r, i.code))}<br><small class="hint">${esc(fmt(r.values[i.code]))}</small></td>`,
            )
            .join('')}<td>${esc(completion(r))}</td></tr>`,
      )
      .join('')}</tbody></table></div>
    ${ranked.length ? '<div id="ind-ranking-chart" class="chart"></div>' : `<p class="hint" id="ind-none-ranked">${esc(tr('noneRanked'))}</p>`}
    ${setsTargets() ? weightsEditor(card, catalogue) : ''}`;
  const chartBox = box.querySelector<HTMLElement>('#ind-ranking-chart');
  // Only ranked districts are charted: a bar of 0 for "nothing scored" would read as a result.
  if (chartBox) drawRanking(chartBox, ranked, tr('total'));
  box
    .querySelector('#ind-xlsx')
    ?.addEventListener(
      'click',
      () =>
        void download('/api/scorecard/export.xlsx', `scorecard-${card.asOf}.xlsx`).catch((e) => fail(box, e)),
    );
  box.querySelector('#ind-print')?.addEventListener('click', () => void openPrintable());
  const form = box.querySelector<HTMLFormElement>('#ind-weights');
  form?.addEventListener('submit', (e) => {
    e.preventDefault();
    const indicatorWeights: Record<string, number> = {};
    for (const input of form.querySelectorAll<HTMLInputElement>('input[data-code]')) {
      const w = Number(input.value);
      if (input.value !== '' && w > 0) indicatorWeights[input.dataset.code as string] = w;
    }
    const measureWeight = Number(
      (form.querySelector('input[name="measureWeight"]') as HTMLInputElement).value || 0,
    );
    putJson('/api/scorecard/config', { indicatorWeights, measureWeight })
      .then(() => renderScorecard())
      .catch((error: Error) => {
        (box.querySelector('#ind-weights-result') as HTMLElement).innerHTML =
          `<span class="error">${esc(error.message)}</span>`;
      });
  });
}

function weightsEditor(card: Scorecard, catalogue: Indicator[]): string {
  return `<form id="ind-weights" class="ind-form"><h3>${esc(tr('weights'))}</h3><p class="hint">${esc(tr('weightsHint'))}</p>
    ${catalogue
      .map(
        (i) =>
          `<label>${esc(pick(i))} <input type="number" min="0" step="any" data-code="${esc(i.code)}" value="${card.config.indicatorWeights[i.code] ?? 0}"></label>`,
      )
      .join('')}
    <label>${esc(tr('measures'))} <input type="number" min="0" step="any" name="measureWeight" value="${card.config.measureWeight}"></label>
    <button type="submit" id="ind-weights-save">${esc(tr('save'))}</button><span id="ind-weights-result"></span></form>`;
}

async function render(): Promise<void> {
  const [page, code, region] = viewPath();
  root.lang = currentLang() === 'zh' ? 'zh-CN' : 'en';
  try {
    if (page === 'i' && code) await renderIndicator(code, region);
    else if (page === 'targets') await renderTargets();
    else if (page === 'scorecard') await renderScorecard();
    else await renderBoard();
  } catch (error) {
    fail(root, error);
  }
}

export const view: View = {
  async mount(el) {
    root = el;
    await render();
  },
  async refresh() {
    board = null;
    await render();
  },
};
