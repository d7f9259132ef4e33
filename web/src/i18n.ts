/** Every string of the dashboard, Chinese first. Keys missing in English fall back to Chinese. */
const zh = {
  title: '生活圈 · 成都中心城区',
  viewMap: '生活圈地图',
  viewPlans: '规划任务',
  viewIndicators: '指标考评',
  viewSupervision: '服务监管',
  viewAdmin: '系统管理',
  viewOnboarding: '城市接入',
  login: '登录',
  logout: '退出',
  cancel: '取消',
  username: '用户名',
  password: '密码',
  loginFailed: '登录失败',
  chooseFile: '请选择文件',
  error: '出错了',
  role_administrator: '管理员',
  role_staff: '部门人员',
  role_inspector: '监督检查人员',
  role_provider: '经营主体',
  role_coordinator: '统筹协调',
  role_resident: '居民',
  role_public: '公众',
};
export type Key = keyof typeof zh;
const en: Partial<Record<Key, string>> = {
  viewMap: 'Life-circle map',
  viewPlans: 'Plans & tasks',
  viewIndicators: 'Indicators & scores',
  viewSupervision: 'Supervision',
  viewAdmin: 'Administration',
  viewOnboarding: 'City set-up',
  title: 'LifeCircle · central Chengdu',
  login: 'Log in',
  logout: 'Log out',
  cancel: 'Cancel',
  username: 'Username',
  password: 'Password',
  loginFailed: 'Login failed',
  chooseFile: 'Choose a file',
  error: 'Error',
  role_administrator: 'administrator',
  role_staff: 'department staff',
  role_inspector: 'inspector',
  role_provider: 'provider',
  role_coordinator: 'coordinator',
  role_resident: 'resident',
  role_public: 'public',
};

export type Lang = 'zh' | 'en';
let lang: Lang = localStorage.getItem('lifecircle.lang') === 'en' ? 'en' : 'zh';

export const currentLang = (): Lang => lang;

export function setLang(next: Lang): void {
  lang = next;
  localStorage.setItem('lifecircle.lang', next);
  document.documentElement.lang = next === 'zh' ? 'zh-CN' : 'en';
  for (const el of document.querySelectorAll<HTMLElement>('[data-i18n]'))
    el.textContent = t(el.dataset.i18n as Key);
}

/** The string for a key in the current language, with {placeholders} filled in. */
export function t(key: Key, values: Record<string, string | number> = {}): string {
  const text = (lang === 'en' ? en[key] : undefined) ?? zh[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, k: string) => String(values[k] ?? `{${k}}`));
}

/** A name pair in the current language. */
export const pick = (names: { nameZh: string; nameEn: string }): string =>
  lang === 'en' ? names.nameEn : names.nameZh;

/**
 * A translator over a view's own strings (each view keeps its dictionary in its folder): Chinese first,
 * English falling back to Chinese.
 */
export function makeT<K extends string>(
  zhStrings: Record<K, string>,
  enStrings: Partial<Record<K, string>>,
): (key: K, values?: Record<string, string | number>) => string {
  return (key, values = {}) => {
    const text = (lang === 'en' ? enStrings[key] : undefined) ?? zhStrings[key] ?? key;
    return text.replace(/\{(\w+)\}/g, (_, k: string) => String(values[k] ?? `{${k}}`));
  };
}
