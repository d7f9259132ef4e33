import { createRouter, createWebHashHistory } from 'vue-router';

// One component for the plans routes, as for the four indicator routes below.
const PlansPage = () => import('./pages/PlansPage.vue');
// One component for the four indicator routes: kept (with its board) while the reader moves between them.
const IndicatorsPage = () => import('./pages/IndicatorsPage.vue');

/** Pages of the Vue dashboard; each is its own chunk, loaded when first opened. */
export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/', redirect: '/map' },
    { path: '/map', name: 'map', component: () => import('./pages/MapPage.vue') },
    { path: '/onboarding', name: 'onboarding', component: () => import('./pages/OnboardingPage.vue') },
    { path: '/cases', name: 'cases', component: () => import('./pages/CasesPage.vue') },
    {
      path: '/inspections/:id?',
      component: () => import('./pages/InspectionsPage.vue'),
      props: (route) => ({ id: route.params.id || undefined }),
    },
    { path: '/plans', component: PlansPage, props: { section: 'list' } },
    { path: '/plans/tasks', component: PlansPage, props: { section: 'tasks' } },
    { path: '/plans/review', component: PlansPage, props: { section: 'review' } },
    { path: '/plans/reminders', component: PlansPage, props: { section: 'reminders' } },
    {
      path: '/plans/:id',
      component: PlansPage,
      props: (route) => ({ section: 'plan', id: route.params.id }),
    },
    { path: '/admin', component: () => import('./pages/AdminPage.vue') },
    { path: '/reports', component: () => import('./pages/ReportsPage.vue') },
    { path: '/certification', component: () => import('./pages/CertificationPage.vue') },
    { path: '/credit/:uscc?', component: () => import('./pages/CreditPage.vue'), props: true },
    { path: '/indicators', component: IndicatorsPage, props: { section: 'board' } },
    { path: '/indicators/targets', component: IndicatorsPage, props: { section: 'targets' } },
    { path: '/indicators/scorecard', component: IndicatorsPage, props: { section: 'scorecard' } },
    {
      path: '/indicators/i/:code/:region?',
      component: IndicatorsPage,
      props: (route) => ({
        section: 'indicator',
        code: route.params.code,
        region: route.params.region || undefined,
      }),
    },
    // Addresses of the classic dashboard (saved, printed, in old notices) open the page they named there.
    {
      path: '/supervision/:page(cases|credit|certification|inspections)',
      redirect: (to) => `/${String(to.params.page)}`,
    },
    { path: '/:unknown(.*)*', redirect: '/map' },
  ],
});
