import type { FacilityStatus, ServiceDomain } from '../store/index.js';

/** The registers an import or export can target. */
export const REGISTER_ENTITIES = ['communities', 'facilities', 'providers'] as const;
export type RegisterEntity = (typeof REGISTER_ENTITIES)[number];

/**
 * A column of a register. Exports write `zh` (or `en`) as the header; imports accept either, any alias, and
 * the same with spaces, underscores, hyphens and case ignored, so an export re-imports unchanged.
 */
export interface FieldSpec {
  key: string;
  zh: string;
  en: string;
  aliases: string[];
  required: boolean;
  /** Personal data (a person's name or phone): never exported or shown to the public role. */
  personal?: boolean;
  /** Read on import only (a name to match to a code); never exported. */
  importOnly?: boolean;
}

const LON: FieldSpec = {
  key: 'lon',
  zh: '经度',
  en: 'lon',
  aliases: ['lng', 'longitude', 'x', '经度坐标', 'gcj02经度', 'wgs84经度', 'bd09经度'],
  required: true,
};
const LAT: FieldSpec = {
  key: 'lat',
  zh: '纬度',
  en: 'lat',
  aliases: ['latitude', 'y', '纬度坐标', 'gcj02纬度', 'wgs84纬度', 'bd09纬度'],
  required: true,
};
/**
 * 区 and 街道 as registers write them: names (宝山区, 友谊路街道) or codes, matched to the city's division codes
 * on import (`matchPlaceNames`); they fill the record's division code when the file has no code column.
 */
const DISTRICT: FieldSpec = {
  key: 'district',
  zh: '所属区县',
  en: 'district',
  aliases: ['区县', '所属区', '区', '行政区', '所在区', '所在区县', '县区', 'county', 'area'],
  required: false,
  importOnly: true,
};
const STREET: FieldSpec = {
  key: 'street',
  zh: '所属街道',
  en: 'street',
  aliases: [
    '街道',
    '街镇',
    '街道乡镇',
    '乡镇街道',
    '镇街',
    '所在街道',
    '街道办',
    'subdistrict',
    'town',
    'township',
  ],
  required: false,
  importOnly: true,
};

export const FIELDS: Record<RegisterEntity, FieldSpec[]> = {
  communities: [
    {
      key: 'code',
      zh: '编码',
      en: 'code',
      aliases: ['社区编码', '小区编码', '编号', '社区代码', 'id'],
      required: true,
    },
    {
      key: 'name',
      zh: '名称',
      en: 'name',
      aliases: ['社区名称', '小区名称', '社区', '居委会', '社区居委会'],
      required: true,
    },
    {
      key: 'regionCode',
      zh: '区划代码',
      en: 'region_code',
      aliases: ['所属区划代码', '街道代码', '所属街道代码'],
      required: true,
    },
    DISTRICT,
    STREET,
    LON,
    LAT,
    { key: 'population', zh: '常住人口', en: 'population', aliases: ['人口', '人口数'], required: false },
    // 0-3岁 in Chinese statistics is under three full years (0–2), as 托育 counts it; 3-6岁 is 3–5 (幼儿园).
    {
      key: 'age0to3',
      zh: '0-3岁人口',
      en: 'age_0_3',
      aliases: ['0至3岁人口', '0-2岁人口', '0-2岁', 'age_0_2'],
      required: false,
    },
    {
      key: 'age3to6',
      zh: '3-6岁人口',
      en: 'age_3_6',
      aliases: ['3至6岁人口', '3-5岁人口', '3-5岁', 'age_3_5'],
      required: false,
    },
    { key: 'age0to14', zh: '0-14岁人口', en: 'age_0_14', aliases: ['0至14岁人口'], required: false },
    {
      key: 'age6to11',
      zh: '6-11岁人口',
      en: 'age_6_11',
      aliases: ['6至11岁人口', '6-11岁', '小学学龄人口'],
      required: false,
    },
    {
      key: 'age12to14',
      zh: '12-14岁人口',
      en: 'age_12_14',
      aliases: ['12至14岁人口', '12-14岁', '初中学龄人口'],
      required: false,
    },
    {
      key: 'age60plus',
      zh: '60岁及以上人口',
      en: 'age_60_plus',
      aliases: ['60岁以上人口', '老年人口', '60岁及以上', '60+'],
      required: false,
    },
    {
      key: 'age80plus',
      zh: '80岁及以上人口',
      en: 'age_80_plus',
      aliases: ['80岁以上人口', '高龄老人', '80岁及以上', '80+'],
      required: false,
    },
    {
      key: 'populationEstimated',
      zh: '人口为估算',
      en: 'population_estimated',
      aliases: ['估算'],
      required: false,
    },
  ],
  facilities: [
    // Without a code column a code is made from name and position (`generatedCode`); 序号 (a row number that
    // changes between editions of a list) is the last resort.
    {
      key: 'code',
      zh: '编码',
      en: 'code',
      aliases: ['设施编码', '网点编码', '机构编码', '机构编号', '编号', 'id', '序号', 'no'],
      required: false,
    },
    {
      key: 'name',
      zh: '名称',
      en: 'name',
      aliases: ['设施名称', '网点名称', '机构名称', '单位名称', '场所名称', '门店名称'],
      required: true,
    },
    {
      key: 'typeCode',
      zh: '设施类型',
      en: 'type',
      aliases: ['类型', 'type_code', '机构类型', '设施类别', '类别'],
      required: true,
    },
    LON,
    LAT,
    { key: 'address', zh: '地址', en: 'address', aliases: ['详细地址', '机构地址', 'addr'], required: false },
    DISTRICT,
    STREET,
    {
      key: 'regionCode',
      zh: '区划代码',
      en: 'region_code',
      aliases: ['所属区划代码', '社区代码'],
      required: false,
    },
    {
      key: 'capacity',
      zh: '服务容量',
      en: 'capacity',
      aliases: ['容量', '床位数', '核定床位', '核定床位数', '床位', 'beds', '托位数', '学位数'],
      required: false,
    },
    { key: 'affordable', zh: '普惠', en: 'affordable', aliases: ['是否普惠', '普惠性'], required: false },
    { key: 'status', zh: '状态', en: 'status', aliases: ['运营状态', '经营状态'], required: false },
    {
      key: 'providerUscc',
      zh: '运营主体统一社会信用代码',
      en: 'provider_uscc',
      aliases: ['统一社会信用代码', '运营主体信用代码', 'uscc', '社会信用代码', '信用代码'],
      required: false,
    },
    {
      key: 'contactPhone',
      zh: '联系电话',
      en: 'contact_phone',
      aliases: ['电话', 'phone', 'tel'],
      required: false,
      personal: true,
    },
  ],
  providers: [
    {
      key: 'uscc',
      zh: '统一社会信用代码',
      en: 'uscc',
      aliases: ['信用代码', '社会信用代码'],
      required: true,
    },
    { key: 'name', zh: '名称', en: 'name', aliases: ['主体名称', '企业名称', '机构名称'], required: true },
    {
      key: 'regionCode',
      zh: '注册区划代码',
      en: 'region_code',
      aliases: ['区划代码', '登记区划代码'],
      required: false,
    },
    { key: 'domains', zh: '服务领域', en: 'domains', aliases: ['领域'], required: false },
    { key: 'contactName', zh: '联系人', en: 'contact_name', aliases: [], required: false, personal: true },
    {
      key: 'contactPhone',
      zh: '联系电话',
      en: 'contact_phone',
      aliases: ['电话'],
      required: false,
      personal: true,
    },
  ],
};

/** Chinese and English names of the service domains; imports accept either (and a few common synonyms). */
export const DOMAIN_LABELS: Record<ServiceDomain, { zh: string; en: string; synonyms: string[] }> = {
  elderly_care: { zh: '养老', en: 'elderly care', synonyms: ['养老服务', '为老服务'] },
  childcare: { zh: '托育', en: 'childcare', synonyms: ['托育服务', '婴幼儿照护'] },
  health: { zh: '健康', en: 'health', synonyms: ['医疗', '卫生', '健康服务'] },
  education: { zh: '教育', en: 'education', synonyms: ['教育培训'] },
  retail_food: { zh: '零售餐饮', en: 'retail and food', synonyms: ['零售', '餐饮', '商业'] },
  housekeeping: { zh: '家政', en: 'housekeeping', synonyms: ['家政服务', '居民服务'] },
  culture: { zh: '文化', en: 'culture', synonyms: ['文化服务'] },
  sport: { zh: '体育', en: 'sport', synonyms: ['体育服务', '健身'] },
};

export const STATUS_LABELS: Record<FacilityStatus, { zh: string; synonyms: string[] }> = {
  planned: { zh: '规划', synonyms: ['筹建', '在建', '拟建'] },
  open: { zh: '运营', synonyms: ['营业', '在营', '正常', '开业', '运营中'] },
  suspended: { zh: '暂停', synonyms: ['停业', '暂停营业'] },
  closed: { zh: '关闭', synonyms: ['注销', '歇业', '已关闭'] },
};

/** Header comparison ignores case, spaces, underscores, hyphens and full-width brackets. */
export function normalizeHeader(header: string): string {
  return header.toLowerCase().replace(/[\s_\-（）()]/g, '');
}

export interface ColumnResolution {
  /** field key → the header in the file */
  columns: Map<string, string>;
  /** Headers no field claimed (reported, not fatal). */
  ignored: string[];
  /** Required fields with no column. */
  missing: FieldSpec[];
}

/**
 * Matches a file's headers to the register's fields. When several headers could fill one field (序号 and 机构编号
 * both for the code), the one named earlier in the field's list wins, whatever the file's column order.
 * `mapping` (file header → field key or canonical header) overrides the automatic match, for registers with
 * their own column names. A code column is required only where no code can be made (`generatedCode`), and a
 * division code column not when 区 or 街道 names can fill it.
 */
export function resolveColumns(
  entity: RegisterEntity,
  headers: string[],
  mapping: Record<string, string> = {},
  hasGeometry = false,
): ColumnResolution {
  const fields = FIELDS[entity];
  const byName = new Map<string, { field: FieldSpec; rank: number }>();
  for (const f of fields)
    [f.key, f.zh, f.en, ...f.aliases].forEach((name, rank) => {
      const key = normalizeHeader(name);
      if (!byName.has(key)) byName.set(key, { field: f, rank });
    });
  const best = new Map<string, { header: string; rank: number }>();
  const ignored: string[] = [];
  for (const header of headers) {
    if (!header) continue;
    const target = mapping[header];
    // A mapped header outranks every automatic match.
    const match =
      target !== undefined
        ? ((m) => m && { field: m.field, rank: -1 })(byName.get(normalizeHeader(target)))
        : byName.get(normalizeHeader(header));
    const held = match && best.get(match.field.key);
    if (!match) ignored.push(header);
    else if (!held || match.rank < held.rank) {
      if (held) ignored.push(held.header);
      best.set(match.field.key, { header, rank: match.rank });
    } else ignored.push(header);
  }
  const columns = new Map([...best].map(([key, { header }]) => [key, header]));
  const hasPlaceNames = columns.has('district') || columns.has('street');
  const missing = fields.filter(
    (f) =>
      f.required &&
      !columns.has(f.key) &&
      !(hasGeometry && (f.key === 'lon' || f.key === 'lat')) &&
      !(f.key === 'regionCode' && hasPlaceNames),
  );
  return { columns, ignored: headers.filter((h) => h && ignored.includes(h)), missing };
}
