import { createRouter, createWebHashHistory } from 'vue-router';

/** Pages of the Vue dashboard; each is its own chunk, loaded when first opened. */
export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/', redirect: '/onboarding' },
    { path: '/onboarding', name: 'onboarding', component: () => import('./pages/OnboardingPage.vue') },
    { path: '/cases', name: 'cases', component: () => import('./pages/CasesPage.vue') },
  ],
});
