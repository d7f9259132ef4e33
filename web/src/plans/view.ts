import { esc } from '../dom.js';
import { viewPath, type View } from '../views.js';
import { renderPlanDetail, renderPlanList } from './plan-page.js';
import { coordinates, role } from './shared.js';
import { t } from './strings.js';
import { renderReminders, renderReview, renderTasks } from './tracking-page.js';

/**
 * 规划任务: `#/plans` the plan list and import, `#/plans/<plan id>` a plan's tree beside its source text with
 * corrections and assignment, `#/plans/tasks` a department's (or everyone's) tasks and the report form,
 * `#/plans/review` the coordinator's review queue, `#/plans/reminders` reminders per department.
 */
type Page = 'list' | 'tasks' | 'review' | 'reminders';
const PAGES: Page[] = ['list', 'tasks', 'review', 'reminders'];

let root: HTMLElement;

function pagesFor(): Page[] {
  if (coordinates()) return PAGES;
  if (role() === 'staff') return ['list', 'tasks', 'reminders'];
  return ['list'];
}

async function show(): Promise<void> {
  const [first] = viewPath();
  const page: Page | 'plan' = !first
    ? 'list'
    : (PAGES as string[]).includes(first)
      ? (first as Page)
      : 'plan';
  root.innerHTML = `<nav class="subnav">${pagesFor()
    .map(
      (p) =>
        `<a href="#/plans${p === 'list' ? '' : `/${p}`}" data-page-link="${p}" class="${
          p === page || (p === 'list' && page === 'plan') ? 'active' : ''
        }">${esc(t(p))}</a>`,
    )
    .join('')}</nav><section class="plans-page" id="plans-page"></section>`;
  const el = root.querySelector<HTMLElement>('#plans-page') as HTMLElement;
  if (page === 'plan') await renderPlanDetail(el, first as string);
  else if (page === 'tasks') await renderTasks(el);
  else if (page === 'review') await renderReview(el);
  else if (page === 'reminders') await renderReminders(el);
  else await renderPlanList(el);
}

export const view: View = {
  async mount(el) {
    root = el;
    root.classList.add('plans-view');
    await show();
  },
  refresh: show,
};
