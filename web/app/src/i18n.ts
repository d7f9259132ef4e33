import { createI18n } from 'vue-i18n';
import zhCN from './locales/zh-CN';
import en from './locales/en';

export type Lang = 'zh-CN' | 'en';

/** The classic dashboard keeps the language under this key too ('zh' or 'en'): one choice for both. */
const KEY = 'lifecircle.lang';

export const i18n = createI18n({
  legacy: false,
  locale: localStorage.getItem(KEY) === 'en' ? 'en' : 'zh-CN',
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN, en },
});

export function setLang(lang: Lang): void {
  i18n.global.locale.value = lang;
  localStorage.setItem(KEY, lang === 'en' ? 'en' : 'zh');
  document.documentElement.lang = lang;
}
