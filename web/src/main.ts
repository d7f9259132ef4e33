import 'maplibre-gl/dist/maplibre-gl.css';
import './style.css';
import type { FeatureCollection } from 'geojson';
import type { Map as MapLibreMap, MapGeoJSONFeature } from 'maplibre-gl';
import { currentSession, download, getJson, postFile, postJson, setSession, type Session } from './api.js';
import { currentLang, pick, setLang, t, type Key } from './i18n.js';
import { COLOURS, addLayers, createMap, showIsochrone, showType } from './map.js';
import type { CommunityDetail, CoverageRow, ImportAnswer, Isochrone, JobAnswer, Summary } from './types.js';
import { $, esc, fmtDistance, fmtPct } from './dom.js';
import { currentView, refreshViews, showCurrentView } from './views.js';
import { createPlanningTab } from './planning.js';

// ECharts (~1 MB) is loaded only when the coverage tab is first shown, so the first map does not wait for it.
let chartModule: Promise<typeof import('./chart.js')> | undefined;
const loadChart = () => (chartModule ??= import('./chart.js'));
const resizeChart = () => void chartModule?.then((m) => m.resizeChart());

declare global {
  interface Window {
    /** Milliseconds from navigation start until the first map with data was drawn (read by the browser test). */
    lifecircleFirstMapMs?: number;
    /** The map, for the browser tests (projecting a place to a pixel to click) and the console. */
    lifecircleMap?: MapLibreMap;
  }
}

const fmtM = (m: number | null) => fmtDistance(m, currentLang());

let summary: Summary;
let map: MapLibreMap;
let typeId = '';
let selected: { code: string; featureId: string | number | undefined } | null = null;
let coverageRows: CoverageRow[] = [];
const planning = createPlanningTab(
  $('tab-planning'),
  () => map,
  () => typeId,
  (lon, lat) => map.flyTo({ center: [lon, lat], zoom: Math.max(map.getZoom(), 15), duration: 0 }),
);
/** Map clicks that placed a what-if facility, so the community under them is not selected as well. */
const placingClicks = new WeakSet<Event>();
const planningActive = () => $('tab-planning').classList.contains('active');

const tierName = (id: string) => {
  const tier = summary.tiers.find((x) => x.id === id);
  return tier ? pick(tier) : id;
};
/** The widest tier with a walking distance (十五分钟生活圈): the coverage table reports its completeness. */
const topTier = () => summary.tiers.at(-1)?.id ?? '';

const typeName = (id: string) => {
  const type = summary.types.find((x) => x.id === id);
  return type ? pick(type) : id;
};

function fillTypeSelect(): void {
  const select = $<HTMLSelectElement>('type-select');
  select.innerHTML = summary.types
    .map((x) => `<option value="${esc(x.id)}">${esc(pick(x))} · ${x.radiusM} m</option>`)
    .join('');
  select.value = typeId;
}

function renderLegend(): void {
  const type = summary.types.find((x) => x.id === typeId);
  if (!type) return;
  $('legend').innerHTML =
    `<strong>${esc(t('legendTitle', { type: pick(type), radius: type.radiusM }))}</strong>` +
    [
      [COLOURS.covered, t('covered')],
      [COLOURS.near, t('near')],
      [COLOURS.none, t('notCovered')],
    ]
      .map(([c, label]) => `<div><i style="background:${c}"></i>${esc(label)}</div>`)
      .join('') +
    `<div><i class="dot"></i>${esc(t('facilitiesOfType', { n: type.facilities }))}</div>` +
    `<p class="run">${esc(t('run', { id: summary.runId ?? '—', hash: summary.inputsHash.slice(0, 10) }))}</p>`;
}

function renderAttribution(): void {
  $('attribution').innerHTML =
    `${esc(summary.attribution)}<br><span class="caveat">${esc(t('osmCaveat'))}</span>`;
}

function selectType(next: string): void {
  typeId = next;
  showType(map, typeId, summary.types.find((x) => x.id === typeId)?.radiusM ?? 0);
  renderLegend();
  renderCoverage();
  if (planningActive()) void planning.render();
}

/** Shows a community's detail; `activate` false re-words it in place (a language switch keeps the reader's tab). */
async function showCommunity(code: string, activate = true): Promise<void> {
  if (activate) activateTab('community');
  $('click-hint').hidden = true;
  const box = $('community-detail');
  box.innerHTML = `<p>${esc(t('loading'))}</p>`;
  try {
    const [detail, iso] = await Promise.all([
      getJson<CommunityDetail>(`/api/map/communities/${encodeURIComponent(code)}`),
      getJson<Isochrone>(`/api/map/isochrone?community=${encodeURIComponent(code)}&minutes=15`).catch(
        () => null,
      ),
    ]);
    if (iso) {
      showIsochrone(map, iso.lines, iso.outline);
      focusOn(iso.lines);
    }
    const lacks = detail.lacks
      .map(
        (l) =>
          `<li><strong>${esc(tierName(l.tier))}</strong>: ${
            l.missing.length ? l.missing.map((m) => esc(typeName(m))).join('、') : esc(t('complete'))
          }</li>`,
      )
      .join('');
    const rows = detail.types
      .map(
        (x) =>
          `<tr class="${x.covered ? 'ok' : 'gap'}${x.typeId === typeId ? ' current' : ''}"><td>${esc(typeName(x.typeId))}</td>` +
          `<td>${fmtM(x.nearestM)}</td><td>${fmtM(x.radiusM)}</td><td>${x.countWithinRadius}</td></tr>`,
      )
      .join('');
    box.innerHTML =
      `<h2 class="community-name">${esc(detail.name)}</h2>` +
      `<p>${esc(detail.district ?? '')} · ${esc(t('population'))} ${detail.population ?? '—'}${
        detail.populationEstimated ? `（${esc(t('estimated'))}）` : ''
      }${iso ? ` · ${esc(t('walk15'))} ${esc(fmtDistance(iso.reachedLengthM, currentLang()))}` : ''}</p>` +
      `<h3>${esc(t('lacks'))}</h3><ul class="lacks">${lacks}</ul>` +
      `<table class="distances"><thead><tr><th>${esc(t('type'))}</th><th>${esc(t('nearest'))}</th><th>${esc(
        t('radius'),
      )}</th><th>${esc(t('count'))}</th></tr></thead><tbody>${rows}</tbody></table>` +
      `<p class="run">${esc(t('run', { id: detail.runId ?? '—', hash: summary.inputsHash.slice(0, 10) }))}</p>`;
  } catch (error) {
    box.innerHTML = `<p class="error">${esc((error as Error).message)}</p>`;
  }
}

/** Brings the reached streets into view without zooming in further than street level. */
function focusOn(lines: FeatureCollection): void {
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const f of lines.features)
    if (f.geometry.type === 'LineString')
      for (const [lon, lat] of f.geometry.coordinates) {
        w = Math.min(w, lon);
        e = Math.max(e, lon);
        s = Math.min(s, lat);
        n = Math.max(n, lat);
      }
  if (Number.isFinite(w))
    map.fitBounds(
      [
        [w, s],
        [e, n],
      ],
      { padding: 40, maxZoom: 15, duration: 0 },
    );
}

function onCommunityClick(feature: MapGeoJSONFeature): void {
  const code = String(feature.properties.code);
  if (selected?.featureId !== undefined)
    map.setFeatureState({ source: 'communities', id: selected.featureId }, { selected: false });
  selected = { code, featureId: feature.id };
  if (feature.id !== undefined)
    map.setFeatureState({ source: 'communities', id: feature.id }, { selected: true });
  void showCommunity(code);
}

async function loadCoverage(): Promise<void> {
  const level = $<HTMLSelectElement>('level-select').value;
  coverageRows = await getJson<CoverageRow[]>(`/api/map/coverage?level=${level}`);
  renderCoverage();
}

function renderCoverage(): void {
  const rows = coverageRows.map((r) => {
    const x = r.types.find((y) => y.typeId === typeId);
    return { row: r, communityShare: x?.communityShare ?? null, demandShare: x?.demandShare ?? null, x };
  });
  const complete = (r: CoverageRow) => r.tiers.find((x) => x.tier === topTier())?.communityShare ?? null;
  $('coverage-table').innerHTML =
    `<table class="coverage"><thead><tr><th>${esc(t('name'))}</th><th>${esc(t('communitiesCount'))}</th><th>${esc(
      t('coverageShare'),
    )}</th><th>${esc(t('demandShare'))}</th><th>${esc(tierName(topTier()))}</th></tr></thead><tbody>` +
    rows
      .map(
        ({ row, communityShare, demandShare }) =>
          `<tr><td>${esc(row.name)}</td><td>${row.communities}</td><td>${fmtPct(communityShare)}</td><td>${fmtPct(
            demandShare,
          )}</td><td>${fmtPct(complete(row))}</td></tr>`,
      )
      .join('') +
    '</tbody></table>';
  if ($('tab-coverage').classList.contains('active'))
    void loadChart().then((m) =>
      m.drawCoverageChart(
        $('coverage-chart'),
        rows.map((r) => ({ name: r.row.name, communityShare: r.communityShare, demandShare: r.demandShare })),
        { communities: t('coverageShare'), residents: t('demandShare') },
      ),
    );
}

function activateTab(name: string): void {
  for (const b of document.querySelectorAll<HTMLElement>('[data-tab]'))
    b.classList.toggle('active', b.dataset.tab === name);
  for (const s of document.querySelectorAll<HTMLElement>('.tab'))
    s.classList.toggle('active', s.id === `tab-${name}`);
  if (name === 'coverage') renderCoverage();
  if (name === 'registry') void loadRegistry();
  if (name === 'planning') void planning.render();
  resizeChart();
}

// ---- registry ----

const COLUMNS: Record<string, [string, Key][]> = {
  communities: [
    ['code', 'code'],
    ['name', 'name'],
    ['regionCode', 'region'],
    ['population', 'population'],
  ],
  facilities: [
    ['code', 'code'],
    ['name', 'name'],
    ['typeCode', 'type'],
    ['status', 'status'],
  ],
  providers: [
    ['uscc', 'code'],
    ['name', 'name'],
    ['regionCode', 'region'],
  ],
};

/** A register cell as people read it: type names instead of codes, statuses in the current language. */
const cell = (field: string, value: unknown): unknown =>
  field === 'typeCode'
    ? typeName(String(value))
    : field === 'status'
      ? t(`status_${String(value)}` as Key)
      : value;

const entity = () => $<HTMLSelectElement>('entity-select').value;

async function loadRegistry(): Promise<void> {
  const box = $('registry-table');
  try {
    const page = await getJson<{ items: Record<string, unknown>[]; total: number }>(
      `/api/${entity()}?limit=50`,
    );
    const cols = COLUMNS[entity()];
    box.innerHTML =
      `<p>${esc(t('rows', { n: page.total, shown: page.items.length }))}</p>` +
      `<table class="registry"><thead><tr>${cols.map(([, k]) => `<th>${esc(t(k))}</th>`).join('')}</tr></thead><tbody>` +
      page.items
        .map((r) => `<tr>${cols.map(([f]) => `<td>${esc(cell(f, r[f]))}</td>`).join('')}</tr>`)
        .join('') +
      '</tbody></table>';
  } catch (error) {
    box.innerHTML = `<p class="error">${esc((error as Error).message)}</p>`;
  }
}

function renderImportPermission(): void {
  const role = currentSession()?.user.role ?? 'public';
  const may = role === 'administrator' || role === 'staff';
  $<HTMLButtonElement>('import-submit').disabled = !may;
  $('import-note').textContent = may ? '' : t('importDenied');
}

async function submitImport(event: Event): Promise<void> {
  event.preventDefault();
  const file = $<HTMLInputElement>('import-file').files?.[0];
  const out = $('import-result');
  if (!file) {
    out.innerHTML = `<p class="error">${esc(t('chooseFile'))}</p>`;
    return;
  }
  const crs = $<HTMLSelectElement>('import-crs').value;
  const url = `/api/${entity()}/import?fileName=${encodeURIComponent(file.name)}&crs=${crs}`;
  out.innerHTML = `<p>${esc(t('loading'))}</p>`;
  try {
    // The import runs as a job on the server: follow its progress, and let the user stop it.
    let job = await postFile<JobAnswer>(url, file, { prefer: 'respond-async' });
    while (!job.finishedAt) {
      renderImportProgress(out, job);
      await new Promise((resolve) => setTimeout(resolve, 400));
      job = await getJson<JobAnswer>(`/api/jobs/${job.id}`);
    }
    await renderImportOutcome(out, job);
  } catch (error) {
    out.innerHTML = `<p class="error">${esc((error as Error).message)}</p>`;
  }
}

function renderImportProgress(out: HTMLElement, job: JobAnswer): void {
  const { phase, done, total, percent } = job.progress;
  const label = phase
    ? t('importProgress', { phase: t(`importPhase_${phase}` as Key), done, total, percent })
    : t('importQueued');
  let bar = out.querySelector<HTMLProgressElement>('progress');
  if (!bar) {
    out.innerHTML =
      `<p class="progress-line"><progress max="100" value="0"></progress> <span class="progress-label"></span></p>` +
      `<button type="button" id="import-cancel">${esc(t('cancelImport'))}</button>`;
    bar = out.querySelector<HTMLProgressElement>('progress') as HTMLProgressElement;
    $('import-cancel').addEventListener('click', (e) => {
      (e.currentTarget as HTMLButtonElement).disabled = true;
      void postJson(`/api/jobs/${job.id}/cancel`, {}).catch(() => undefined);
    });
  }
  bar.value = percent;
  (out.querySelector('.progress-label') as HTMLElement).textContent = label;
}

async function renderImportOutcome(out: HTMLElement, job: JobAnswer): Promise<void> {
  const summary = job.import;
  if (job.status === 'succeeded' && summary) {
    out.innerHTML = `<p class="accepted">${esc(t('importAccepted', { created: summary.created, updated: summary.updated, unchanged: summary.unchanged }))}</p>`;
    await loadRegistry();
    return;
  }
  if (job.status === 'cancelled') {
    out.innerHTML = `<p class="rejected">${esc(t('importCancelled'))}</p>`;
    return;
  }
  if (!summary) {
    out.innerHTML = `<p class="error">${esc(job.error?.message ?? job.status)}</p>`;
    return;
  }
  const answer = await getJson<ImportAnswer>(`/api/imports/${summary.importId}`);
  const problems = answer.report.problems;
  out.innerHTML =
    `<p class="rejected">${esc(t('importRejected', { n: answer.report.problemCount }))}</p>` +
    `<button type="button" id="report-download">${esc(t('downloadReport'))}</button>` +
    `<table class="problems"><thead><tr><th>${esc(t('row'))}</th><th>${esc(t('column'))}</th><th>${esc(
      t('reason'),
    )}</th></tr></thead><tbody>` +
    problems
      .map((p) => `<tr><td>${p.row}</td><td>${esc(p.column)}</td><td>${esc(p.message)}</td></tr>`)
      .join('') +
    '</tbody></table>';
  $('report-download').addEventListener(
    'click',
    () => void download(answer.reportXlsx, `import-${answer.importId}-report.xlsx`),
  );
}

// ---- login ----

function renderUser(): void {
  const s = currentSession();
  $('user-label').textContent = s ? `${s.user.displayName} · ${t(`role_${s.user.role}` as Key)}` : '';
  $('login-open').hidden = !!s;
  $('logout').hidden = !s;
  for (const a of document.querySelectorAll<HTMLElement>('[data-view-link="admin"]'))
    a.hidden = s?.user.role !== 'administrator';
  // City set-up (the Vue dashboard): for those who set up cities or import registers.
  $('onboarding-link').hidden = s?.user.role !== 'administrator' && s?.user.role !== 'staff';
  renderImportPermission();
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
    if ($('tab-registry').classList.contains('active')) void loadRegistry();
    if (planningActive()) void planning.render();
    void refreshViews();
  } catch (error) {
    $('login-error').textContent = `${t('loginFailed')}: ${(error as Error).message}`;
  }
}

function applyLanguage(): void {
  setLang(currentLang());
  $('lang-switch').textContent = currentLang() === 'zh' ? 'English' : '中文';
  document.title = t('title');
  if (!summary) return;
  fillTypeSelect();
  renderLegend();
  renderAttribution();
  renderCoverage();
  renderUser();
  if (planningActive()) void planning.render();
  if (selected) void showCommunity(selected.code, false);
}

async function main(): Promise<void> {
  applyLanguage();
  renderUser();
  performance.mark('lc:start');
  // The communities layer is fetched while the map starts (style, worker); streets and facilities come as tiles.
  const data = getJson<FeatureCollection>('/api/map/communities');
  summary = await getJson<Summary>('/api/map/summary');
  performance.mark('lc:summary');
  typeId = summary.types.find((x) => x.required && x.facilities > 0)?.id ?? summary.types[0]?.id ?? '';
  map = createMap($('map'), asBBox(summary.bbox));
  window.lifecircleMap = map;
  const loaded = new Promise((resolve) => map.once('load', resolve));
  const communities = await data;
  await loaded;
  performance.mark('lc:data');
  addLayers(map, { communities });
  selectType(typeId);
  map.once('idle', () => {
    window.lifecircleFirstMapMs = Math.round(performance.now());
    document.body.dataset.mapReady = 'true';
  });
  map.on('click', (e) => {
    if (!planning.placing()) return;
    placingClicks.add(e.originalEvent);
    void planning.place(e.lngLat.lng, e.lngLat.lat);
  });
  for (const layer of ['communities-fill', 'communities-point']) {
    map.on('click', layer, (e) => {
      if (planning.placing() || placingClicks.has(e.originalEvent)) return;
      if (e.features?.[0]) onCommunityClick(e.features[0]);
    });
    map.on('mouseenter', layer, () => (map.getCanvas().style.cursor = 'pointer'));
    map.on('mouseleave', layer, () => (map.getCanvas().style.cursor = ''));
  }
  applyLanguage();
  await loadCoverage();
}

$<HTMLSelectElement>('type-select').addEventListener('change', (e) =>
  selectType((e.target as HTMLSelectElement).value),
);
$('lang-switch').addEventListener('click', () => {
  setLang(currentLang() === 'zh' ? 'en' : 'zh');
  applyLanguage();
  void refreshViews();
});
for (const b of document.querySelectorAll<HTMLElement>('[data-tab]'))
  b.addEventListener('click', () => activateTab(b.dataset.tab as string));
$('level-select').addEventListener('change', () => void loadCoverage());
$('entity-select').addEventListener('change', () => void loadRegistry());
for (const b of document.querySelectorAll<HTMLElement>('[data-export]'))
  b.addEventListener('click', () => {
    const format = b.dataset.export as string;
    void download(`/api/${entity()}/export?format=${format}`, `${entity()}.${format}`).catch(
      (error: Error) => {
        $('import-result').innerHTML = `<p class="error">${esc(error.message)}</p>`;
      },
    );
  });
$('import-form').addEventListener('submit', (e) => void submitImport(e));
$('login-open').addEventListener('click', () => $<HTMLDialogElement>('login-dialog').showModal());
$('login-cancel').addEventListener('click', () => $<HTMLDialogElement>('login-dialog').close());
$('login-form').addEventListener('submit', (e) => void submitLogin(e));
$('logout').addEventListener('click', () => {
  void postJson('/api/auth/logout', {}).catch(() => undefined);
  setSession(null);
  renderUser();
  if (planningActive()) void planning.render();
  void refreshViews();
});
window.addEventListener('resize', () => resizeChart());
window.addEventListener('hashchange', () => void openView());

/** Shows the view the address names; the map is created once and only resized when it comes back. */
async function openView(): Promise<void> {
  try {
    await showCurrentView();
    if (currentView() === 'map') map?.resize();
  } catch (error) {
    const root = document.querySelector<HTMLElement>(`[data-view-root="${currentView()}"]`);
    if (root) root.innerHTML = `<p class="error">${esc(t('error'))}: ${esc((error as Error).message)}</p>`;
  }
}
void openView();

main().catch((error: Error) => {
  document.body.insertAdjacentHTML(
    'afterbegin',
    `<p class="error fatal">${esc(t('error'))}: ${esc(error.message)}</p>`,
  );
});

/** The summary's extent as MapLibre wants it; the API declares exactly four numbers (west, south, east, north). */
function asBBox(b: number[]): [number, number, number, number] {
  if (b.length !== 4) throw new Error(`bbox: expected 4 numbers, got ${b.length}`);
  return [b[0], b[1], b[2], b[3]];
}
