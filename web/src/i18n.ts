/** Every string of the dashboard, Chinese first. Keys missing in English fall back to Chinese. */
const zh = {
  title: '生活圈 · 成都中心城区',
  viewMap: '生活圈地图',
  viewPlans: '规划任务',
  viewIndicators: '指标考评',
  viewSupervision: '服务监管',
  viewAdmin: '系统管理',
  facilityType: '设施类型',
  login: '登录',
  logout: '退出',
  cancel: '取消',
  username: '用户名',
  password: '密码',
  loginFailed: '登录失败',
  tabCommunity: '社区',
  tabCoverage: '覆盖率',
  tabRegistry: '登记',
  tabPlanning: '规划',
  clickHint: '点击地图上的居住区，查看其步行范围、到各类设施的距离和生活圈缺项。',
  level: '层级',
  district: '区',
  subdistrict: '街道',
  register: '登记簿',
  communities: '社区',
  facilities: '设施',
  providers: '经营主体',
  export: '导出',
  importFile: '导入文件',
  crs: '坐标系',
  import: '导入',
  importDenied: '当前角色无权导入（需管理员或部门人员登录）。',
  importAccepted: '导入成功：新增 {created} 条，更新 {updated} 条，未变 {unchanged} 条。',
  importRejected: '导入被拒绝：{n} 处问题，所有行均未导入。',
  downloadReport: '下载问题报告（XLSX）',
  row: '行',
  column: '列',
  reason: '原因',
  chooseFile: '请选择文件',
  covered: '步行范围内有',
  near: '两倍半径内有',
  notCovered: '无',
  noData: '无人口数据',
  legendTitle: '{type}（{radius} 米步行）',
  streets: '街道',
  population: '人口',
  estimated: '估算',
  walk15: '15 分钟步行范围',
  type: '类型',
  nearest: '最近步行距离',
  radius: '服务半径',
  count: '半径内数量',
  lacks: '生活圈缺项',
  complete: '齐全',
  none: '—',
  name: '名称',
  communitiesCount: '社区数',
  coverageShare: '覆盖社区占比',
  demandShare: '覆盖人口占比',
  run: '数据来自分析运行 #{id}（输入 {hash}）',
  osmCaveat: 'OSM 设施点在中国覆盖稀疏：覆盖率同时反映地图完整度与服务供给。',
  loading: '加载中…',
  error: '出错了',
  rows: '共 {n} 条，显示前 {shown} 条',
  code: '编码',
  status_planned: '规划',
  status_open: '运营',
  status_suspended: '暂停',
  status_closed: '关闭',
  region: '区划',
  status: '状态',
  required: '应配',
  recommended: '宜配',
  facilitiesOfType: '该类设施 {n} 处',
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
  title: 'LifeCircle · central Chengdu',
  facilityType: 'Facility type',
  login: 'Log in',
  logout: 'Log out',
  cancel: 'Cancel',
  username: 'Username',
  password: 'Password',
  loginFailed: 'Login failed',
  tabCommunity: 'Community',
  tabCoverage: 'Coverage',
  tabPlanning: 'Planning',
  tabRegistry: 'Registry',
  clickHint:
    'Click a residential area on the map to see its walking isochrone, distances to each facility type and what its life circle lacks.',
  level: 'Level',
  district: 'District (区)',
  subdistrict: 'Subdistrict (街道)',
  register: 'Register',
  communities: 'Communities',
  facilities: 'Facilities',
  providers: 'Providers',
  export: 'Export',
  importFile: 'Import file',
  crs: 'Coordinates',
  import: 'Import',
  importDenied: 'Your role may not import (log in as administrator or department staff).',
  importAccepted: 'Imported: {created} new, {updated} updated, {unchanged} unchanged.',
  importRejected: 'Import rejected: {n} problems; no row was imported.',
  downloadReport: 'Download the problem report (XLSX)',
  row: 'Row',
  column: 'Column',
  reason: 'Reason',
  chooseFile: 'Choose a file',
  covered: 'within walking radius',
  near: 'within twice the radius',
  notCovered: 'none',
  noData: 'no population data',
  legendTitle: '{type} ({radius} m walk)',
  streets: 'Streets',
  population: 'Population',
  estimated: 'estimated',
  walk15: '15-minute walk',
  type: 'Type',
  nearest: 'Nearest (walking)',
  radius: 'Radius',
  count: 'Within radius',
  lacks: 'Life circle lacks',
  complete: 'complete',
  name: 'Name',
  communitiesCount: 'Communities',
  coverageShare: 'Communities covered',
  demandShare: 'Residents covered',
  run: 'Numbers from analysis run #{id} (inputs {hash})',
  osmCaveat: 'OSM POI coverage in China is thin: coverage measures mapping completeness as much as supply.',
  loading: 'Loading…',
  error: 'Error',
  rows: '{n} records, showing the first {shown}',
  code: 'Code',
  status_planned: 'planned',
  status_open: 'open',
  status_suspended: 'suspended',
  status_closed: 'closed',
  region: 'Region',
  status: 'Status',
  required: 'required',
  recommended: 'recommended',
  facilitiesOfType: '{n} facilities of this type',
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
