import { createApp } from 'vue';
// Element Plus's components are imported where used (web/app/vite.config.ts); its base styles and the
// theme variables the design tokens override come first.
import 'element-plus/theme-chalk/base.css';
import App from './App.vue';
import { i18n } from './i18n';
import { requestMapDataEarly } from './map-data';
import { router } from './router';
import './style.css';

// Before the app is set up: when the address opens the map (itself, or the start page and unknown addresses that
// redirect to it), its data travels while the map's code loads.
const first = router.resolve(location.hash.replace(/^#/, '') || '/').matched[0];
if (first && (first.name === 'map' || first.redirect === '/map')) requestMapDataEarly();

createApp(App).use(i18n).use(router).mount('#app');
