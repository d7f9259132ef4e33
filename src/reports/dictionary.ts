import { DEMAND_GROUP_NAMES, type DemandGroup, type TierId } from '../standards/index.js';
import type { CoverageClass, ReportLang } from './model.js';

/**
 * Every word a monitoring report prints, in Chinese and English: one language per report, never mixed. Names from
 * the data (communities, 区/街道, facility types' Chinese names, document citations) are printed as written.
 */
const ZH = {
  title: (area: string) => `${area}一刻钟便民生活圈监测评价报告`,
  subtitle: '第三方监测评价（M3）',
  city: '城市',
  area: '评价范围',
  wholeCity: '全市',
  run: '分析批次',
  runLine: (id: number, date: string) => `第 ${id} 次分析（${date}）`,
  previousRun: '对比批次',
  noPreviousRun: '无（这是本城市的第一次分析）',
  generatedAt: '报告生成时间',
  preparedBy: '编制单位',
  beijingTime: '北京时间',
  contents: '目录',
  // sections
  summary: '一、总体情况',
  tiers: '二、分层级覆盖（5、10、15分钟生活圈）',
  types: '三、分设施类型覆盖',
  map: '四、覆盖地图',
  worst: '五、服务最薄弱的社区',
  changes: '六、与上次分析相比的变化',
  method: '七、方法、数据来源与标准依据',
  // summary
  communities: '社区（小区）数',
  communitiesOnNetwork: '位于步行网络上的社区',
  population: '常住人口',
  populationEstimated: '含按 2020 年人口普查区县结构估算的人口',
  completeShare: (minutes: number) => `${minutes}分钟生活圈配套齐全的社区占比`,
  // tier table
  tier: '生活圈层级',
  walkingDistance: '步行距离',
  minutes: (m: number) => `${m} 分钟`,
  metres: (m: number) => `${m.toLocaleString('en-US')} 米`,
  tierTypes: '本层级设施类型',
  completeCommunities: '配套齐全的社区',
  communityShare: '社区覆盖率',
  populationShare: '人口覆盖率',
  tierNote:
    '配套齐全：本层级及以下各层级的应配建设施类型均在服务半径内可步行到达（GB 50180-2018 条文说明 5.0.2：各层级配套要求逐级叠加）。',
  tierNames: {
    'neighbourhood-block': '居住街坊',
    'five-minute': '5分钟生活圈',
    'ten-minute': '10分钟生活圈',
    'fifteen-minute': '15分钟生活圈',
  } satisfies Record<TierId, string>,
  // type table
  type: '设施类型',
  radius: '服务半径',
  provision: '配建要求',
  required: '应配建',
  recommended: '宜配建',
  coveredCommunities: '覆盖社区',
  demandGroup: '服务人群',
  demandShare: '服务人群覆盖率',
  unverified: '（默认值，未核实）',
  typeNote:
    '覆盖：沿步行网络在服务半径内至少有一处该类型的开放设施。社区覆盖率 = 覆盖社区 ÷ 社区数；服务人群覆盖率 = 覆盖社区的服务人群 ÷ 服务人群总数。',
  // map
  mapTitleType: (type: string) => `各社区${type}覆盖情况`,
  mapTitleShare: '各社区已覆盖设施类型的比例',
  classes: {
    covered: '服务半径内有设施',
    near: '两倍服务半径内有设施',
    uncovered: '两倍服务半径内无设施',
    all: '全部类型已覆盖',
    most: '已覆盖 75% 及以上类型',
    half: '已覆盖 50%–75% 类型',
    few: '已覆盖不足 50% 类型',
    'off-network': '不在步行网络上（无法评价）',
  } satisfies Record<CoverageClass, string>,
  legend: '图例',
  scale: '比例尺',
  north: '北',
  noGeometry: '本范围内的社区没有可绘制的位置。',
  mapNote:
    '“两倍服务半径”与面积比例分级为 LifeCircle 的展示约定（可配置），非标准规定。社区以其登记的边界绘制，无边界的以点表示。',
  // worst
  rank: '排名',
  community: '社区（小区）',
  district: '区',
  subdistrict: '街道',
  notLinked: '未关联',
  uncoveredPopulation: '未覆盖人口',
  uncoveredTypes: '未覆盖的设施类型',
  worstNoteAll:
    '未覆盖人口：各设施类型服务人群中在服务半径内没有该类设施的人数，对所有类型求和（同一居民可能计入多个类型）。按未覆盖人口降序，其次按未覆盖类型数、社区编码排序。',
  worstNoteType: (type: string) =>
    `未覆盖人口：${type}服务人群中在服务半径内没有该类设施的人数。按未覆盖人口降序，其次按社区编码排序。`,
  worstShown: (shown: number, all: number) =>
    `列出前 ${shown} 个（共 ${all} 个社区存在未覆盖人口，全部见 XLSX 附件）。`,
  noWorst: '本范围内所有社区的服务人群均已覆盖。',
  // changes
  before: '上次',
  after: '本次',
  change: '变化',
  coveredDelta: '覆盖社区增减',
  gained: '新增覆盖的类型',
  lost: '失去覆盖的类型',
  changesNone: '两次分析之间本范围内各社区的覆盖情况没有变化。',
  changesAddedRemoved: (added: number, removed: number) =>
    `本次新增社区 ${added} 个，上次有、本次没有的社区 ${removed} 个（不计入逐社区对比）。`,
  changesShown: (shown: number, all: number) =>
    `列出前 ${shown} 个（共 ${all} 个社区覆盖发生变化，全部见 XLSX 附件）。`,
  changeChartTitle: '各设施类型社区覆盖率：上次与本次',
  notInRun: '—',
  // charts
  typeChartTitle: '各设施类型覆盖率',
  tierChartTitle: '各层级生活圈配套齐全率',
  figuresNotDrawn:
    '图表说明：生成本文件的服务器未找到中文字体，无法将地图和图表绘制为图片，故本文件以表格呈现图表数据；图表与地图见同一报告的 HTML 版本。管理员可安装 Noto CJK 字体（Debian/Ubuntu：apt-get install fonts-noto-cjk）或以环境变量 LIFECIRCLE_REPORT_FONT 指定字体文件，再重新生成本报告。',
  // method
  methodText:
    '各社区到每类设施的距离沿步行网络计算（从社区出入口到设施所在路段），不用直线距离。分析批次记录其输入数据的 SHA-256，同样的输入得到同样的结果。',
  walkingSpeed: (v: number) => `规划步行速度：每分钟 ${v} 米`,
  dataSources: '数据来源',
  sourceOsm:
    '步行网络、设施点与社区边界：OpenStreetMap（© OpenStreetMap contributors，开放数据库许可协议 ODbL 1.0），由 LifeCircle 导入。',
  sourceRegister: '社区、设施登记数据：本平台登记库（各部门导入与维护）。',
  sourceCensus: '人口：登记人口；缺少时按第七次全国人口普查（2020）区县年龄结构估算。',
  sourceDivisions: '行政区划代码与名称：民政部公布的行政区划代码。',
  osmCaveat: 'OpenStreetMap 在中国的设施点收录较少：覆盖率同时反映地图完整度与服务供给。',
  runCaveats: '分析批次附带的说明',
  standardsSources: '标准依据',
  item: '项目',
  value: '取值',
  source: '出处',
  runHash: '输入数据 SHA-256',
  engine: '分析引擎版本',
  attribution: '© OpenStreetMap contributors（ODbL 1.0）',
  page: '页',
  // xlsx
  sheets: {
    fields: '字段说明',
    about: '报告信息',
    tiers: '分层级覆盖',
    types: '分类型覆盖',
    worst: '服务薄弱社区',
    typeChanges: '类型变化',
    communityChanges: '社区变化',
    communities: '社区明细',
  },
  sheet: '工作表',
  field: '字段',
  meaning: '含义',
  yes: '是',
  no: '否',
  code: '编码',
  regionCode: '区划代码',
  onNetwork: '在步行网络上',
  coverageClass: '地图分级',
  coveredTypes: '已覆盖的类型',
  completeTiers: '配套齐全的层级',
  estimated: '人口为估算',
  share: '比例（0–1）',
  count: '个数',
  people: '人数',
  fieldNotes: {
    tier: '生活圈层级（GB 50180-2018 表 3.0.4）',
    walkingDistance: '层级对应的步行距离（米）',
    completeCommunities: '本层级配套齐全的社区数',
    communityShare: '配套齐全（或覆盖）的社区 ÷ 社区数，0–1',
    populationShare: '配套齐全社区的人口 ÷ 人口，0–1',
    type: '设施类型（编码与名称）',
    radius: '服务半径（米，沿步行网络）',
    coveredCommunities: '服务半径内有该类设施的社区数',
    demandShare: '覆盖社区的服务人群 ÷ 服务人群，0–1',
    uncoveredPopulation: '服务人群中未覆盖的人数',
    coveredDelta: '本次覆盖社区数 − 上次覆盖社区数',
    gainedLost: '设施类型编码，以“、”分隔',
  },
  formatOf: (f: string) => `${f} 格式`,
  demandGroups: Object.fromEntries(Object.entries(DEMAND_GROUP_NAMES).map(([k, v]) => [k, v.zh])) as Record<
    DemandGroup,
    string
  >,
  listSeparator: '、',
};

type Dictionary = typeof ZH;

const EN: Dictionary = {
  title: (area) => `15-minute Life Circle Monitoring Report: ${area}`,
  subtitle: 'Third-party monitoring and evaluation (M3)',
  city: 'City',
  area: 'Area evaluated',
  wholeCity: 'whole city',
  run: 'Analysis run',
  runLine: (id, date) => `run ${id} (${date})`,
  previousRun: 'Compared with',
  noPreviousRun: 'none (this is the first analysis of the city)',
  generatedAt: 'Report generated',
  preparedBy: 'Prepared by',
  beijingTime: 'Beijing time',
  contents: 'Contents',
  summary: '1. Overview',
  tiers: '2. Coverage by tier (5-, 10- and 15-minute life circles)',
  types: '3. Coverage by facility type',
  map: '4. Coverage map',
  worst: '5. Worst-served communities',
  changes: '6. Changes since the previous analysis',
  method: '7. Method, data sources and standards',
  communities: 'Communities (residential areas)',
  communitiesOnNetwork: 'Communities on the walking network',
  population: 'Residents',
  populationEstimated: 'includes residents estimated from the 2020 census age structure of the district',
  completeShare: (minutes) => `Communities complete at the ${minutes}-minute tier`,
  tier: 'Life-circle tier',
  walkingDistance: 'Walking distance',
  minutes: (m) => `${m} min`,
  metres: (m) => `${m.toLocaleString('en-US')} m`,
  tierTypes: 'Facility types of the tier',
  completeCommunities: 'Complete communities',
  communityShare: 'Share of communities',
  populationShare: 'Share of residents',
  tierNote:
    'Complete: every required facility type of the tier and of every lower tier is within its walking radius (GB 50180-2018, explanation of clause 5.0.2: requirements add up across tiers).',
  tierNames: {
    'neighbourhood-block': 'Residential block',
    'five-minute': '5-minute life circle',
    'ten-minute': '10-minute life circle',
    'fifteen-minute': '15-minute life circle',
  },
  type: 'Facility type',
  radius: 'Service radius',
  provision: 'Provision',
  required: 'required',
  recommended: 'recommended',
  coveredCommunities: 'Communities covered',
  demandGroup: 'Residents served',
  demandShare: 'Share of residents served',
  unverified: ' (default, unverified)',
  typeNote:
    'Covered: at least one open facility of the type within its service radius along the walking network. Share of communities = communities covered ÷ communities; share of residents served = residents of the type’s group in covered communities ÷ all residents of the group.',
  mapTitleType: (type) => `Coverage of each community: ${type}`,
  mapTitleShare: 'Share of facility types covered in each community',
  classes: {
    covered: 'a facility within the radius',
    near: 'a facility within twice the radius',
    uncovered: 'none within twice the radius',
    all: 'all types covered',
    most: '75% of types or more',
    half: '50%–75% of types',
    few: 'under 50% of types',
    'off-network': 'not on the walking network (not evaluated)',
  },
  legend: 'Legend',
  scale: 'Scale',
  north: 'N',
  noGeometry: 'No community of this area has a location to draw.',
  mapNote:
    '“Twice the radius” and the share classes are LifeCircle display conventions (configurable), not rules of a standard. Communities are drawn with their registered outline, or as a point where none is known.',
  rank: 'Rank',
  community: 'Community',
  district: 'District',
  subdistrict: 'Subdistrict',
  notLinked: 'not linked',
  uncoveredPopulation: 'Residents not covered',
  uncoveredTypes: 'Facility types not covered',
  worstNoteAll:
    'Residents not covered: the residents of each facility type’s group with no facility of the type within its radius, summed over the types (one resident may count for several types). Ordered by that number, then by types not covered, then by community code.',
  worstNoteType: (type) =>
    `Residents not covered: residents of the group served by ${type} with none within its radius. Ordered by that number, then by community code.`,
  worstShown: (shown, all) =>
    `The first ${shown} are listed (${all} communities have residents not covered; the XLSX annex lists them all).`,
  noWorst: 'Every community of the area has its residents covered.',
  before: 'Previous',
  after: 'This run',
  change: 'Change',
  coveredDelta: 'Change in communities covered',
  gained: 'Types gained',
  lost: 'Types lost',
  changesNone: 'No community of the area changed its coverage between the two analyses.',
  changesAddedRemoved: (added, removed) =>
    `${added} communities are new in this run and ${removed} were in the previous run only (left out of the community comparison).`,
  changesShown: (shown, all) =>
    `The first ${shown} are listed (${all} communities changed; the XLSX annex lists them all).`,
  changeChartTitle: 'Share of communities covered by type: previous and this run',
  notInRun: '—',
  typeChartTitle: 'Coverage by facility type',
  tierChartTitle: 'Complete communities by tier',
  figuresNotDrawn:
    'About the figures: the server that made this file found no Chinese (CJK) font, so the map and charts could not be drawn as pictures; their data are given as tables, and the map and charts are in the HTML version of the same report. An administrator can install the Noto CJK fonts (Debian/Ubuntu: apt-get install fonts-noto-cjk) or point LIFECIRCLE_REPORT_FONT at a font file, then make the report again.',
  methodText:
    'Distances from each community to each facility type are walked along the street network (from the community’s gates to the facility’s street), not measured in straight lines. A run records the SHA-256 of its inputs: the same inputs give the same results.',
  walkingSpeed: (v) => `Planning walking speed: ${v} m per minute`,
  dataSources: 'Data sources',
  sourceOsm:
    'Walking network, facilities and community outlines: OpenStreetMap (© OpenStreetMap contributors, Open Database License ODbL 1.0), imported by LifeCircle.',
  sourceRegister:
    'Community and facility registers: this platform’s registers (imported and kept by the departments).',
  sourceCensus:
    'Residents: the registered population; where none is given, estimated from the age structure of the district in the 7th national census (2020).',
  sourceDivisions:
    'Division codes and names: the administrative division codes published by the Ministry of Civil Affairs.',
  osmCaveat:
    'OpenStreetMap holds few facilities in China: coverage measures mapping completeness as much as service supply.',
  runCaveats: 'Notes carried by the analysis run',
  standardsSources: 'Standards',
  item: 'Item',
  value: 'Value',
  source: 'Source',
  runHash: 'SHA-256 of the inputs',
  engine: 'Analysis engine version',
  attribution: '© OpenStreetMap contributors (ODbL 1.0)',
  page: 'page',
  sheets: {
    fields: 'Fields',
    about: 'About',
    tiers: 'Tiers',
    types: 'Types',
    worst: 'Worst served',
    typeChanges: 'Type changes',
    communityChanges: 'Community changes',
    communities: 'Communities',
  },
  sheet: 'Sheet',
  field: 'Field',
  meaning: 'Meaning',
  yes: 'yes',
  no: 'no',
  code: 'Code',
  regionCode: 'Division code',
  onNetwork: 'On the walking network',
  coverageClass: 'Map class',
  coveredTypes: 'Types covered',
  completeTiers: 'Tiers complete',
  estimated: 'Population estimated',
  share: 'share (0–1)',
  count: 'count',
  people: 'residents',
  fieldNotes: {
    tier: 'life-circle tier (GB 50180-2018 table 3.0.4)',
    walkingDistance: 'walking distance of the tier (metres)',
    completeCommunities: 'communities complete at the tier',
    communityShare: 'complete (or covered) communities ÷ communities, 0–1',
    populationShare: 'residents of complete communities ÷ residents, 0–1',
    type: 'facility type (code and name)',
    radius: 'service radius (metres, along the walking network)',
    coveredCommunities: 'communities with a facility of the type within the radius',
    demandShare: 'residents of the group in covered communities ÷ residents of the group, 0–1',
    uncoveredPopulation: 'residents of the group not covered',
    coveredDelta: 'communities covered in this run − in the previous run',
    gainedLost: 'facility type codes, separated by commas',
  },
  formatOf: (f) => `${f} format`,
  demandGroups: Object.fromEntries(Object.entries(DEMAND_GROUP_NAMES).map(([k, v]) => [k, v.en])) as Record<
    DemandGroup,
    string
  >,
  listSeparator: ', ',
};

export type { Dictionary };

export const DICTIONARIES: Readonly<Record<ReportLang, Dictionary>> = { zh: ZH, en: EN };

/** Percent with one decimal, or a dash for no figure. */
export const percent = (share: number | null): string =>
  share === null ? '—' : `${(share * 100).toFixed(1)}%`;

/** Whole numbers with thousands separators (the same in both languages). */
export const whole = (n: number | null): string => (n === null ? '—' : Math.round(n).toLocaleString('en-US'));

/** An instant as Beijing date and time, `YYYY-MM-DD HH:mm`. */
export function beijingTime(iso: string): string {
  const t = new Date(new Date(iso).getTime() + 8 * 3600 * 1000);
  return t.toISOString().slice(0, 16).replace('T', ' ');
}
