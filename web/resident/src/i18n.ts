import { createI18n } from 'vue-i18n';
import { Locale } from 'vant';
import vantEn from 'vant/es/locale/lang/en-US';
import vantZh from 'vant/es/locale/lang/zh-CN';
import zhCN from './locales/zh-CN';
import en from './locales/en';

export type Lang = 'zh-CN' | 'en';

/** The dashboard keeps the language under this key too ('zh' or 'en'): one choice for every page. */
const KEY = 'lifecircle.lang';

const initial: Lang = localStorage.getItem(KEY) === 'en' ? 'en' : 'zh-CN';

export const i18n = createI18n({
  legacy: false,
  locale: initial,
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN, en },
});

/** Switches the page, Vant's own strings (empty states, loading, word counts) and the document's language. */
export function setLang(lang: Lang): void {
  i18n.global.locale.value = lang;
  if (lang === 'en') Locale.use('en-US', vantEn);
  else Locale.use('zh-CN', vantZh);
  localStorage.setItem(KEY, lang === 'en' ? 'en' : 'zh');
  document.documentElement.lang = lang;
  document.title = i18n.global.t('app.title');
}

setLang(initial);
