/**
 * The dashboard's views besides the map, each in its own folder and its own chunk (loaded when first opened).
 * The address is `#/<view>/<rest>`: a view reads the rest with `viewPath()` and may change it with `go()`.
 */
export interface View {
  /** Called once, when the view is first opened, with its (empty) container. */
  mount(root: HTMLElement): Promise<void> | void;
  /** Called when the language or the login changed, or the view is opened again. */
  refresh?(): Promise<void> | void;
}

// The map, indicators, supervision and the rest have moved to the Vue dashboard (web/app, `/app/`): the bar links there.
export const VIEW_NAMES = ['plans'] as const;
export type ViewName = (typeof VIEW_NAMES)[number];

const LOADERS: Record<ViewName, () => Promise<{ view: View }>> = {
  plans: () => import('./plans/view.js'),
};

/** The view named by the address (`#/plans/...`); null when it names none of this dashboard's views. */
export function currentView(): ViewName | null {
  const name = location.hash.replace(/^#\/?/, '').split('/')[0] ?? '';
  return (VIEW_NAMES as readonly string[]).includes(name) ? (name as ViewName) : null;
}

/** The address after the view's name: `#/plans/3/measures` → ['3', 'measures']. */
export function viewPath(): string[] {
  return location.hash.replace(/^#\/?/, '').split('/').slice(1).filter(Boolean).map(decodeURIComponent);
}

/** Opens a view (and a path inside it). */
export function go(view: ViewName, ...path: (string | number)[]): void {
  location.hash = `#/${[view, ...path.map((p) => encodeURIComponent(String(p)))].join('/')}`;
}

const mounted = new Map<ViewName, Promise<View>>();

/** Shows the view of the current address, mounting it on first use; returns it (undefined when none). */
export async function showCurrentView(): Promise<View | undefined> {
  const name = currentView();
  if (!name) return undefined;
  for (const el of document.querySelectorAll<HTMLElement>('[data-view-root]'))
    el.hidden = el.dataset.viewRoot !== name;
  for (const el of document.querySelectorAll<HTMLElement>('[data-view-link]'))
    el.classList.toggle('active', el.dataset.viewLink === name);
  document.body.dataset.view = name;
  const root = document.querySelector<HTMLElement>(`[data-view-root="${name}"]`);
  if (!root) return undefined;
  let view = mounted.get(name);
  if (!view) {
    view = LOADERS[name]().then(async (m) => {
      await m.view.mount(root);
      return m.view;
    });
    mounted.set(name, view);
    return view;
  }
  const ready = await view;
  await ready.refresh?.();
  return ready;
}

/** Tells every mounted view that the language or the login changed. */
export async function refreshViews(): Promise<void> {
  const name = currentView();
  const view = name ? mounted.get(name) : undefined;
  if (view) await (await view).refresh?.();
}
