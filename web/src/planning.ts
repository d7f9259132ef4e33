import type { FeatureCollection } from 'geojson';
import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import { ApiError, currentSession, getJson, postJson } from './api.js';
import { esc, fmtDistance, fmtPct } from './dom.js';
import { currentLang, makeT } from './i18n.js';
import type { Gaps, Siting, WhatIf } from './types.js';

/**
 * The map's 规划 tab: for the chosen facility type, the communities without one within its radius (gaps),
 * where k new ones would cover the most residents (siting), and what a facility placed by clicking the map
 * would change (what-if). Answers come from /api/planning/* over the evaluation the map shows.
 */
const t = makeT(
  {
    loginNeeded: '选址与假设分析需以管理员、统筹协调或部门人员身份登录。',
    gapsTitle: '缺口：步行 {radius} m 内没有该类设施的社区',
    gapsSummary: '{n} 个社区未覆盖，涉及{group} {demand} 人。',
    noGaps: '所有社区都已覆盖。',
    demand: '需求人数',
    nearest: '最近',
    estimated: '估算',
    sitingTitle: '推荐选址',
    count: '新增数量',
    site: '计算选址',
    sitingSummary: '在 {candidates} 个候选点中选出 {k} 处：未覆盖需求 {before} → {after}（减少 {share}）。',
    rank: '序',
    gain: '新增覆盖',
    serves: '覆盖社区',
    whatIfTitle: '假设新增一处设施',
    place: '在地图上点选位置',
    placing: '请在地图上点击新设施的位置…',
    clear: '清除',
    whatIfSummary: '覆盖社区 {before} → {after}；需求覆盖率 {shareBefore} → {shareAfter}；新覆盖：{names}',
    none: '无',
  },
  {
    loginNeeded: 'Siting and what-if need a login as administrator, coordinator or department staff.',
    gapsTitle: 'Gaps: communities with none within {radius} m walking',
    gapsSummary: '{n} communities uncovered: {demand} {group}.',
    noGaps: 'Every community is covered.',
    demand: 'demand',
    nearest: 'nearest',
    estimated: 'estimated',
    sitingTitle: 'Suggested sites',
    count: 'How many',
    site: 'Find sites',
    sitingSummary: '{k} picked of {candidates} candidates: uncovered demand {before} → {after} (−{share}).',
    rank: '#',
    gain: 'newly covered',
    serves: 'communities',
    whatIfTitle: 'What if a facility were added here?',
    place: 'Pick a place on the map',
    placing: 'Click the map where the new facility would be…',
    clear: 'Clear',
    whatIfSummary:
      'covered communities {before} → {after}; demand covered {shareBefore} → {shareAfter}; newly covered: {names}',
    none: 'none',
  },
);

export interface PlanningTab {
  /** Redraws for the current type, login and language. */
  render(): Promise<void>;
  /** True while the next map click places a hypothetical facility (the map then skips its own click). */
  placing(): boolean;
  place(lon: number, lat: number): Promise<void>;
}

const PLANNER_ROLES = ['administrator', 'coordinator', 'staff'];
const empty: FeatureCollection = { type: 'FeatureCollection', features: [] };

function points(list: { lon: number; lat: number; kind: string; rank?: number }[]): FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: list.map((p) => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [p.lon, p.lat] },
      properties: { kind: p.kind, rank: p.rank ?? 0 },
    })),
  };
}

export function createPlanningTab(
  root: HTMLElement,
  map: () => MapLibreMap | undefined,
  typeId: () => string,
  flyTo: (lon: number, lat: number) => void,
): PlanningTab {
  let placing = false;
  let marks: { lon: number; lat: number; kind: string; rank?: number }[] = [];
  // The last results, kept across re-renders (a language switch, a new login) while the type stays the same.
  let kept: { type: string; siting: Siting | null; whatIf: WhatIf | null } = {
    type: '',
    siting: null,
    whatIf: null,
  };

  const draw = () => {
    const m = map();
    // Before the map's own layers exist there is nothing to draw on yet.
    if (!m || !m.getSource('streets')) return;
    if (!m.getSource('planning')) {
      m.addSource('planning', { type: 'geojson', data: empty });
      m.addLayer({
        id: 'planning-points',
        type: 'circle',
        source: 'planning',
        paint: {
          'circle-radius': 9,
          'circle-color': ['match', ['get', 'kind'], 'pick', '#0b7285', '#e67700'],
          'circle-stroke-color': '#fff',
          'circle-stroke-width': 2,
        },
      });
    }
    (m.getSource('planning') as GeoJSONSource).setData(points(marks));
  };

  const showError = (box: HTMLElement, error: unknown) => {
    box.innerHTML = `<p class="error">${esc(error instanceof ApiError ? error.message : String(error))}</p>`;
  };

  async function renderGaps(box: HTMLElement): Promise<void> {
    const gaps = await getJson<Gaps>(`/api/planning/gaps?type=${encodeURIComponent(typeId())}&top=10`);
    const group = currentLang() === 'en' ? gaps.demandGroupEn : gaps.demandGroupZh;
    box.innerHTML =
      `<h3>${esc(t('gapsTitle', { radius: gaps.radiusM }))}</h3>` +
      (gaps.gaps.length === 0
        ? `<p>${esc(t('noGaps'))}</p>`
        : `<p>${esc(t('gapsSummary', { n: gaps.uncoveredCommunities, demand: Math.round(gaps.uncoveredDemand), group }))}</p>` +
          `<table class="gaps"><thead><tr><th></th><th>${esc(t('demand'))}</th><th>${esc(t('nearest'))}</th></tr></thead><tbody>` +
          gaps.gaps
            .map(
              (g, i) =>
                `<tr data-gap="${i}"><td><a href="#" data-gap-link="${i}">${esc(g.name)}</a></td><td>${g.demand}${
                  g.demandEstimated ? ` <small>(${esc(t('estimated'))})</small>` : ''
                }</td><td>${esc(fmtDistance(g.nearestM, currentLang()))}</td></tr>`,
            )
            .join('') +
          '</tbody></table>');
    for (const a of box.querySelectorAll<HTMLElement>('[data-gap-link]'))
      a.addEventListener('click', (e) => {
        e.preventDefault();
        const g = gaps.gaps[Number(a.dataset.gapLink)];
        flyTo(g.lon, g.lat);
      });
  }

  function showSiting(box: HTMLElement, result: Siting): void {
    const reduced = result.uncoveredBefore > 0 ? 1 - result.uncoveredAfter / result.uncoveredBefore : 0;
    box.innerHTML =
      `<p id="siting-summary">${esc(
        t('sitingSummary', {
          k: result.picks.length,
          candidates: result.candidates,
          before: result.uncoveredBefore,
          after: result.uncoveredAfter,
          share: fmtPct(reduced),
        }),
      )}</p>` +
      `<table class="siting"><thead><tr><th>${esc(t('rank'))}</th><th>${esc(t('gain'))}</th><th>${esc(
        t('serves'),
      )}</th></tr></thead><tbody>` +
      result.picks
        .map(
          (p) =>
            `<tr><td><a href="#" data-pick="${p.rank}">${p.rank}</a></td><td>${p.gain}</td><td>${esc(
              p.communities.map((c) => c.name).join('、'),
            )}</td></tr>`,
        )
        .join('') +
      '</tbody></table>';
    for (const a of box.querySelectorAll<HTMLElement>('[data-pick]'))
      a.addEventListener('click', (e) => {
        e.preventDefault();
        const p = result.picks[Number(a.dataset.pick) - 1];
        flyTo(p.lon, p.lat);
      });
  }

  function showWhatIf(box: HTMLElement, r: WhatIf): void {
    const names = r.steps.flatMap((step) => step.newlyCovered.map((c) => c.name));
    box.innerHTML = `<p id="whatif-summary">${esc(
      t('whatIfSummary', {
        before: r.before.coveredCommunities,
        after: r.after.coveredCommunities,
        shareBefore: fmtPct(r.before.demandShare),
        shareAfter: fmtPct(r.after.demandShare),
        names: names.length ? names.join('、') : t('none'),
      }),
    )}</p>`;
  }

  async function site(form: HTMLFormElement, box: HTMLElement): Promise<void> {
    const count = Number(new FormData(form).get('count'));
    box.textContent = '…';
    try {
      const result = await postJson<Siting>('/api/planning/siting', { type: typeId(), count });
      marks = [
        ...marks.filter((m) => m.kind !== 'pick'),
        ...result.picks.map((p) => ({ lon: p.lon, lat: p.lat, kind: 'pick', rank: p.rank })),
      ];
      kept = { ...kept, type: typeId(), siting: result };
      draw();
      showSiting(box, result);
      // Bring the suggested sites into view (a planner should not have to look for them).
      const m = map();
      if (m && result.picks.length > 0) {
        const lons = result.picks.map((p) => p.lon);
        const lats = result.picks.map((p) => p.lat);
        m.fitBounds(
          [
            [Math.min(...lons), Math.min(...lats)],
            [Math.max(...lons), Math.max(...lats)],
          ],
          { padding: 80, maxZoom: 15, duration: 0 },
        );
      }
    } catch (error) {
      showError(box, error);
    }
  }

  const tab: PlanningTab = {
    placing: () => placing,
    async place(lon, lat) {
      placing = false;
      const box = root.querySelector<HTMLElement>('#whatif-result');
      if (!box) return;
      marks = [...marks.filter((m) => m.kind !== 'what-if'), { lon, lat, kind: 'what-if' }];
      draw();
      box.textContent = '…';
      try {
        const r = await postJson<WhatIf>('/api/planning/what-if', { type: typeId(), add: [{ lon, lat }] });
        kept = { ...kept, type: typeId(), whatIf: r };
        showWhatIf(box, r);
      } catch (error) {
        showError(box, error);
      }
    },
    async render() {
      const role = currentSession()?.user.role ?? 'public';
      if (!PLANNER_ROLES.includes(role)) {
        root.innerHTML = `<p class="hint">${esc(t('loginNeeded'))}</p>`;
        marks = [];
        kept = { type: '', siting: null, whatIf: null };
        draw();
        return;
      }
      root.innerHTML =
        '<div id="gaps"></div>' +
        `<h3>${esc(t('sitingTitle'))}</h3>` +
        `<form id="siting-form" class="inline"><label>${esc(t('count'))} <input name="count" type="number" min="1" max="20" value="3"></label> <button type="submit">${esc(
          t('site'),
        )}</button></form><div id="siting-result"></div>` +
        `<h3>${esc(t('whatIfTitle'))}</h3>` +
        `<p><button type="button" id="whatif-place">${esc(t('place'))}</button> <button type="button" id="planning-clear">${esc(
          t('clear'),
        )}</button></p><div id="whatif-result"></div>`;
      const form = root.querySelector<HTMLFormElement>('#siting-form');
      const sitingBox = root.querySelector<HTMLElement>('#siting-result');
      form?.addEventListener('submit', (e) => {
        e.preventDefault();
        if (sitingBox) void site(form, sitingBox);
      });
      root.querySelector('#whatif-place')?.addEventListener('click', () => {
        placing = true;
        const box = root.querySelector<HTMLElement>('#whatif-result');
        if (box) box.textContent = t('placing');
      });
      root.querySelector('#planning-clear')?.addEventListener('click', () => {
        marks = [];
        kept = { type: '', siting: null, whatIf: null };
        placing = false;
        draw();
        for (const id of ['#siting-result', '#whatif-result'])
          root.querySelector<HTMLElement>(id)?.replaceChildren();
      });
      // Results of another type no longer apply; the same type's are shown again in the current language.
      if (kept.type !== typeId()) {
        marks = [];
        kept = { type: typeId(), siting: null, whatIf: null };
      }
      if (kept.siting && sitingBox) showSiting(sitingBox, kept.siting);
      const whatIfBox = root.querySelector<HTMLElement>('#whatif-result');
      if (kept.whatIf && whatIfBox) showWhatIf(whatIfBox, kept.whatIf);
      draw();
      const gapsBox = root.querySelector<HTMLElement>('#gaps');
      if (gapsBox) await renderGaps(gapsBox).catch((error: unknown) => showError(gapsBox, error));
    },
  };
  return tab;
}
