/**
 * The department list responsible units are normalised against. One row per kind of department; the level
 * (省/市/区/县) is read from the prefix of the name, so 省民政厅, 市民政局 and 区民政局 share the row `civil-affairs`
 * and stay distinct units. Aliases are the names and abbreviations the five seed plans use (data/seeds), checked
 * by hand against the text; `patterns` catch names that embed a place (天津银保监局, 人行太原中心支行).
 *
 * SOURCE: compiled for LifeCircle from the five seed documents (data/seeds/SOURCE.md) and the usual names of
 * 地方政府工作部门 under the 2018 institutional reform (深化党和国家机构改革方案). Verified: seed names only;
 * other cities' names (e.g. 卫生计生委 before 2018) are added when a document uses them.
 */
export interface DepartmentKind {
  id: string;
  /** Canonical short name without level prefix; the display name is level + canonical (市 + 卫生健康委). */
  canonical: string;
  en: string;
  /** Names without level prefix, longest first is not required (matching picks the longest). */
  aliases: string[];
  /** Regular expressions (source strings) for names that embed a place; group `place` names it. */
  patterns?: string[];
}

export const DEPARTMENT_KINDS: DepartmentKind[] = [
  {
    id: 'development-reform',
    canonical: '发展改革委',
    en: 'Development and Reform Commission',
    aliases: ['发展和改革委员会', '发展和改革委', '发展改革委', '发改委', '发展改革局', '发改局'],
  },
  {
    id: 'education',
    canonical: '教育局',
    en: 'Education Bureau / Commission',
    aliases: ['教育委员会', '教委', '教育局', '教育厅'],
  },
  {
    id: 'health',
    canonical: '卫生健康委',
    en: 'Health Commission',
    aliases: ['卫生健康委员会', '卫生健康委', '卫健委', '卫生健康局', '卫健局', '卫生健康厅'],
  },
  {
    id: 'culture-tourism',
    canonical: '文化和旅游局',
    en: 'Culture and Tourism Bureau',
    aliases: ['文化和旅游局', '文化旅游局', '文旅局', '文化和旅游厅', '文旅厅', '旅游文广局', '文广旅局'],
  },
  { id: 'sport', canonical: '体育局', en: 'Sports Bureau', aliases: ['体育局'] },
  { id: 'finance', canonical: '财政局', en: 'Finance Bureau', aliases: ['财政局', '财政厅'] },
  { id: 'civil-affairs', canonical: '民政局', en: 'Civil Affairs Bureau', aliases: ['民政局', '民政厅'] },
  {
    id: 'human-resources',
    canonical: '人社局',
    en: 'Human Resources and Social Security Bureau',
    aliases: ['人力资源和社会保障局', '人力资源社会保障局', '人社局', '人力资源和社会保障厅', '人社厅'],
  },
  {
    id: 'medical-products',
    canonical: '药监局',
    en: 'Medical Products Administration',
    aliases: ['药品监督管理局', '药监局'],
  },
  {
    id: 'planning-natural-resources',
    canonical: '规划和自然资源局',
    en: 'Planning and Natural Resources Bureau',
    aliases: ['规划和自然资源局', '规划资源局', '资源规划局', '自然资源和规划局', '自然资源局', '自然资源厅'],
    patterns: ['^规划资源局(?<place>.+?)分局$'],
  },
  { id: 'justice', canonical: '司法局', en: 'Justice Bureau', aliases: ['司法局', '司法厅'] },
  {
    id: 'housing-construction',
    canonical: '住房城乡建设委',
    en: 'Housing and Urban-Rural Development Commission',
    aliases: ['住房和城乡建设委员会', '住房城乡建设委', '住房城乡建设局', '住建委', '住建局', '住建厅'],
  },
  {
    id: 'emergency',
    canonical: '应急局',
    en: 'Emergency Management Bureau',
    aliases: ['应急管理局', '应急局', '应急管理厅', '应急厅'],
  },
  {
    id: 'veterans',
    canonical: '退役军人局',
    en: 'Veterans Affairs Bureau',
    aliases: ['退役军人事务局', '退役军人局', '退役军人事务厅'],
  },
  {
    id: 'taxation',
    canonical: '税务局',
    en: 'Taxation Bureau',
    aliases: ['税务局'],
    patterns: ['^(?<place>.+?)税务局$'],
  },
  {
    id: 'market-regulation',
    canonical: '市场监管局',
    en: 'Market Regulation Administration',
    aliases: ['市场监督管理委员会', '市场监管委', '市场监督管理局', '市场监管局'],
  },
  {
    id: 'disabled-persons',
    canonical: '残联',
    en: "Disabled Persons' Federation",
    aliases: ['残疾人联合会', '残联'],
  },
  {
    id: 'medical-insurance',
    canonical: '医保局',
    en: 'Healthcare Security Bureau',
    aliases: ['医疗保障局', '医保局'],
  },
  {
    id: 'agriculture',
    canonical: '农业农村委',
    en: 'Agriculture and Rural Affairs',
    aliases: ['农业农村委员会', '农业农村委', '农业农村局', '农业农村厅'],
  },
  {
    id: 'commerce',
    canonical: '商务局',
    en: 'Commerce Bureau',
    aliases: ['商务局', '商务厅', '外事商务局', '商务委'],
  },
  {
    id: 'industry-it',
    canonical: '工业和信息化局',
    en: 'Industry and Information Technology Bureau',
    aliases: ['工业和信息化局', '工信局', '工业和信息化厅', '工信厅'],
  },
  {
    id: 'banking-insurance-regulator',
    canonical: '银保监局',
    en: 'Banking and Insurance Regulatory Office',
    aliases: ['银保监局', '银保监分局'],
    patterns: ['^(?<place>.+?)银保监(?:分)?局$'],
  },
  {
    id: 'pboc',
    canonical: '人民银行分支机构',
    en: "People's Bank of China branch",
    aliases: [],
    patterns: ['^(?:人民银行|人行)(?<place>.+?)(?:中心支行|分行|支行)$'],
  },
  {
    id: 'urban-management',
    canonical: '城市管理委',
    en: 'Urban Management Commission',
    aliases: ['城市管理委员会', '城市管理委', '城管委', '城市管理局', '城管局'],
  },
  { id: 'postal', canonical: '邮政管理局', en: 'Postal Administration', aliases: ['邮政管理局'] },
  {
    id: 'fire-rescue',
    canonical: '消防救援总队',
    en: 'Fire and Rescue',
    aliases: ['消防救援总队', '消防救援支队'],
  },
  {
    id: 'transport',
    canonical: '交通运输委',
    en: 'Transport Commission',
    aliases: ['交通运输委员会', '交通运输委', '交通运输局', '交通运输厅', '交通厅', '交通局', '运管局'],
  },
  { id: 'women-federation', canonical: '妇联', en: "Women's Federation", aliases: ['妇女联合会', '妇联'] },
  {
    id: 'intellectual-property',
    canonical: '知识产权局',
    en: 'Intellectual Property Office',
    aliases: ['知识产权局'],
  },
  {
    id: 'cyberspace',
    canonical: '委网信办',
    en: 'Cyberspace Affairs Office (Party committee)',
    aliases: ['委网信办', '委网络安全和信息化委员会办公室'],
  },
  {
    id: 'publicity',
    canonical: '委宣传部',
    en: 'Publicity Department (Party committee)',
    aliases: ['委宣传部'],
  },
  {
    id: 'organisation',
    canonical: '委组织部',
    en: 'Organisation Department (Party committee)',
    aliases: ['委组织部'],
  },
  {
    id: 'government-services',
    canonical: '政务服务办',
    en: 'Government Services Office / Administrative Approval Bureau',
    aliases: ['政务服务办', '政务服务管理办公室', '行政审批局', '审批服务管理局', '行政审批服务局'],
  },
  {
    id: 'big-data',
    canonical: '大数据管理中心',
    en: 'Big Data Centre',
    aliases: ['大数据管理中心', '大数据局'],
  },
  {
    id: 'public-security',
    canonical: '公安局',
    en: 'Public Security Bureau',
    aliases: ['公安局', '公安厅'],
    patterns: ['^公安(?<place>.+?)分局$'],
  },
  { id: 'statistics', canonical: '统计局', en: 'Statistics Bureau', aliases: ['统计局'] },
  { id: 'trade-union', canonical: '总工会', en: 'Federation of Trade Unions', aliases: ['总工会'] },
  {
    id: 'financial-regulation',
    canonical: '金融局',
    en: 'Local Financial Regulatory Bureau',
    aliases: ['金融局', '地方金融监管局', '金融监管局', '地方金融监督管理局', '金融工作局'],
  },
  {
    id: 'science-technology',
    canonical: '科技局',
    en: 'Science and Technology Bureau',
    aliases: ['科技局', '科技厅'],
  },
  { id: 'water', canonical: '水务局', en: 'Water Affairs Bureau', aliases: ['水务局', '水利局', '水利厅'] },
  {
    id: 'forestry-grassland',
    canonical: '林草局',
    en: 'Forestry and Grassland Bureau',
    aliases: ['林业和草原局', '林草局'],
  },
  {
    id: 'rural-revitalisation',
    canonical: '乡村振兴局',
    en: 'Rural Revitalisation Bureau',
    aliases: ['乡村振兴局'],
  },
  { id: 'cultural-heritage', canonical: '文物局', en: 'Cultural Heritage Bureau', aliases: ['文物局'] },
  {
    id: 'small-enterprise',
    canonical: '小企业局',
    en: 'Small Enterprise Bureau',
    aliases: ['小企业局', '中小企业局'],
  },
  {
    id: 'radio-tv',
    canonical: '广电局',
    en: 'Radio and Television Bureau',
    aliases: ['广电局', '广播电视局'],
  },
  { id: 'procuratorate', canonical: '检察院', en: 'Procuratorate', aliases: ['检察院', '人民检察院'] },
  {
    id: 'free-trade-zone',
    canonical: '自贸试验区管委会',
    en: 'Pilot Free Trade Zone Administration',
    aliases: [],
    patterns: ['^(?<place>.+?)自贸试验区管委会$'],
  },
  {
    id: 'zone-administration',
    canonical: '管委会',
    en: 'Development zone administration',
    aliases: [],
    patterns: ['^(?<place>.+?(?:开发区|新区|高新区|经开区))管委会$'],
  },
];

/**
 * Lower-level governments named as responsible (各区人民政府, 各县区政府, 各街镇): not a department, but a unit the
 * coordinator assigns work to. `scope` says which: every district, every county, every town and subdistrict.
 */
export const GOVERNMENT_PATTERNS: { pattern: string; scope: string }[] = [
  {
    pattern: '^(?:各|相关)?(?:区|县|市|县区|区县|县（市、区）|县\\(市、区\\))(?:人民)?政府$',
    scope: 'lower-governments',
  },
  {
    pattern: '^(?:各|相关)(?:街镇|镇街|乡镇|镇|街道|乡镇（街道）)(?:人民政府|政府|办事处)?$',
    scope: 'towns-subdistricts',
  },
  { pattern: '^.+?(?:镇|乡|街道)(?:人民政府|政府|办事处)$', scope: 'named-town' },
];

/** Units that stand for "whoever is concerned": kept, flagged generic, never assigned automatically. */
export const GENERIC_UNIT_PATTERN =
  '^(?:各|其他)?(?:有关|相关)(?:单位|部门|行业主管部门|委办局)$|^各部门$|^市相关行业主管部门$';

/**
 * Compound names that contain the list separator 、 and must not be split (各县、区政府 is one unit). Applied
 * before splitting; the replacement keeps the length, so spans stay exact.
 */
export const COMPOUND_UNIT_NAMES: { written: string; protect: string }[] = [
  { written: '各县、区政府', protect: '各县\ue000区政府' },
  { written: '各区、县政府', protect: '各区\ue000县政府' },
  { written: '县（市、区）', protect: '县（市\ue000区）' },
];

const LEVEL_EN: Record<string, string> = {
  省: 'Provincial',
  市: 'Municipal',
  区: 'District',
  县: 'County',
  镇: 'Town',
  街道: 'Subdistrict',
};
const KIND_EN = new Map(DEPARTMENT_KINDS.map((kind) => [kind.id, kind.en]));

/**
 * The English name of a responsible unit from its key (`区:civil-affairs`, `gov:lower-governments:区`), for the
 * English pages: level + the kind's English name. Null where the unit is only known as written (unknown and
 * generic units, named towns, districts by name): those are names from the data and stay as written.
 */
export function unitNameEn(key: string): string | null {
  const gov = /^gov:(lower-governments|towns-subdistricts):(.+)$/.exec(key);
  if (gov) {
    const level = LEVEL_EN[gov[2] ?? ''];
    const name = gov[1] === 'towns-subdistricts' ? 'Town and subdistrict governments' : 'Governments';
    return gov[1] === 'lower-governments' && level ? `${level} governments` : name;
  }
  const known = /^([^:]+):([a-z-]+)(?:@(.+))?$/.exec(key);
  const kind = known ? KIND_EN.get(known[2] ?? '') : undefined;
  if (!known || !kind) return null;
  const level = known[1] === '-' ? '' : `${LEVEL_EN[known[1] ?? ''] ?? ''} `;
  return `${level}${kind}${known[3] ? ` (${known[3]})` : ''}`;
}
