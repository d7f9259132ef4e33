import { esc } from '../dom.js';
import { makeT } from '../i18n.js';
import { go, viewPath, type View } from '../views.js';

/**
 * 服务监管: one view with a page per task, each in its own file and loaded when first opened: inspections
 * (双随机 draws and results). The 好差评 case queue, credit profiles and 普惠 certification have moved to the Vue
 * dashboard (web/app, `/app/#/cases`, `/app/#/credit`, `/app/#/certification`): their tabs link there.
 */
const t = makeT(
  {
    cases: '好差评工单',
    credit: '信用档案',
    inspections: '双随机抽查',
    certification: '普惠认定',
  },
  {
    cases: 'Rating cases',
    credit: 'Credit profiles',
    inspections: 'Random inspections',
    certification: 'Affordable certification',
  },
);

type PageName = 'inspections';
const PAGES: Record<PageName, () => Promise<{ page: View }>> = {
  inspections: () => import('./inspections.js'),
};
const NAMES = Object.keys(PAGES) as PageName[];

let root: HTMLElement;
const mounted = new Map<PageName, Promise<View>>();

function currentPage(): PageName {
  const name = viewPath()[0] as PageName | undefined;
  return name && NAMES.includes(name) ? name : 'inspections';
}

function renderNav(): void {
  const nav = root.querySelector<HTMLElement>('nav.subnav');
  if (!nav) return;
  nav.innerHTML =
    `<a href="/app/#/cases" data-page-link="cases">${esc(t('cases'))}</a>` +
    `<a href="/app/#/credit" data-page-link="credit">${esc(t('credit'))}</a>` +
    `<a href="/app/#/certification" data-page-link="certification">${esc(t('certification'))}</a>` +
    NAMES.map((n) => `<a href="#/supervision/${n}" data-page-link="${n}">${esc(t(n))}</a>`).join('');
}

async function show(): Promise<void> {
  const name = currentPage();
  renderNav();
  for (const a of root.querySelectorAll<HTMLElement>('[data-page-link]'))
    a.classList.toggle('active', a.dataset.pageLink === name);
  for (const el of root.querySelectorAll<HTMLElement>('[data-page-root]'))
    el.hidden = el.dataset.pageRoot !== name;
  const pageRoot = root.querySelector<HTMLElement>(`[data-page-root="${name}"]`);
  if (!pageRoot) return;
  const existing = mounted.get(name);
  if (existing) {
    await (await existing).refresh?.();
    return;
  }
  const loading = PAGES[name]().then(async (m) => {
    await m.page.mount(pageRoot);
    return m.page;
  });
  mounted.set(name, loading);
  await loading;
}

export const view: View = {
  async mount(container) {
    root = container;
    root.innerHTML =
      '<nav class="subnav"></nav>' +
      NAMES.map((n) => `<section data-page-root="${n}" hidden></section>`).join('');
    if (!viewPath()[0]) go('supervision', 'inspections');
    await show();
  },
  refresh: show,
};
