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
}

const LON: FieldSpec = {
  key: 'lon',
  zh: '经度',
  en: 'lon',
  aliases: ['lng', 'longitude', 'x'],
  required: true,
};
const LAT: FieldSpec = { key: 'lat', zh: '纬度', en: 'lat', aliases: ['latitude', 'y'], required: true };

export const FIELDS: Record<RegisterEntity, FieldSpec[]> = {
  communities: [
    {
      key: 'code',
      zh: '编码',
      en: 'code',
      aliases: ['社区编码', '小区编码', '编号', '社区代码'],
      required: true,
    },
    { key: 'name', zh: '名称', en: 'name', aliases: ['社区名称', '小区名称'], required: true },
    {
      key: 'regionCode',
      zh: '区划代码',
      en: 'region_code',
      aliases: ['所属区划代码', '街道代码', '所属街道代码'],
      required: true,
    },
    LON,
    LAT,
    { key: 'population', zh: '常住人口', en: 'population', aliases: ['人口', '人口数'], required: false },
    { key: 'age0to3', zh: '0-3岁人口', en: 'age_0_3', aliases: ['0至3岁人口'], required: false },
    { key: 'age3to6', zh: '3-6岁人口', en: 'age_3_6', aliases: ['3至6岁人口'], required: false },
    { key: 'age0to14', zh: '0-14岁人口', en: 'age_0_14', aliases: ['0至14岁人口'], required: false },
    {
      key: 'age60plus',
      zh: '60岁及以上人口',
      en: 'age_60_plus',
      aliases: ['60岁以上人口', '老年人口'],
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
    { key: 'code', zh: '编码', en: 'code', aliases: ['设施编码', '网点编码', '编号'], required: true },
    { key: 'name', zh: '名称', en: 'name', aliases: ['设施名称', '网点名称'], required: true },
    { key: 'typeCode', zh: '设施类型', en: 'type', aliases: ['类型', 'type_code'], required: true },
    LON,
    LAT,
    { key: 'address', zh: '地址', en: 'address', aliases: [], required: false },
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
      aliases: ['容量', '床位数', '托位数', '学位数'],
      required: false,
    },
    { key: 'affordable', zh: '普惠', en: 'affordable', aliases: ['是否普惠', '普惠性'], required: false },
    { key: 'status', zh: '状态', en: 'status', aliases: ['运营状态', '经营状态'], required: false },
    {
      key: 'providerUscc',
      zh: '运营主体统一社会信用代码',
      en: 'provider_uscc',
      aliases: ['统一社会信用代码', '运营主体信用代码', 'uscc'],
      required: false,
    },
    {
      key: 'contactPhone',
      zh: '联系电话',
      en: 'contact_phone',
      aliases: ['电话'],
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
 * Matches a file's headers to the register's fields. `mapping` (file header → field key or canonical header)
 * overrides the automatic match, for registers with their own column names.
 */
export function resolveColumns(
  entity: RegisterEntity,
  headers: string[],
  mapping: Record<string, string> = {},
  hasGeometry = false,
): ColumnResolution {
  const fields = FIELDS[entity];
  const byName = new Map<string, FieldSpec>();
  for (const f of fields)
    for (const name of [f.key, f.zh, f.en, ...f.aliases])
      if (!byName.has(normalizeHeader(name))) byName.set(normalizeHeader(name), f);
  const columns = new Map<string, string>();
  const ignored: string[] = [];
  for (const header of headers) {
    if (!header) continue;
    const target = mapping[header];
    const field =
      target !== undefined ? byName.get(normalizeHeader(target)) : byName.get(normalizeHeader(header));
    if (field && !columns.has(field.key)) columns.set(field.key, header);
    else ignored.push(header);
  }
  const missing = fields.filter(
    (f) => f.required && !columns.has(f.key) && !(hasGeometry && (f.key === 'lon' || f.key === 'lat')),
  );
  return { columns, ignored, missing };
}
