import { createApp } from 'vue';
// Element Plus's components are imported where used (web/app/vite.config.ts); its base styles and the
// theme variables the design tokens override come first.
import 'element-plus/theme-chalk/base.css';
import App from './App.vue';
import { i18n } from './i18n';
import { router } from './router';
import './style.css';

createApp(App).use(i18n).use(router).mount('#app');
