/** Why a row was rejected: a stable code for the web UI to translate, and the Chinese and English wording. */
export const PROBLEM_REASONS = {
  missing_column: { zh: '缺少必需的列', en: 'a required column is missing' },
  required: { zh: '必填字段为空', en: 'a required field is empty' },
  not_a_number: { zh: '不是有效数字', en: 'not a valid number' },
  not_an_integer: { zh: '应为非负整数', en: 'expected a non-negative whole number' },
  not_a_boolean: { zh: '应为“是”或“否”', en: 'expected 是/否 (yes/no)' },
  bad_coordinates: { zh: '坐标超出范围', en: 'coordinates out of range' },
  outside_city: { zh: '坐标不在本市范围内', en: 'coordinates are outside the city' },
  unknown_region: { zh: '区划代码不存在', en: 'unknown division code' },
  region_outside_city: { zh: '区划代码不属于本市', en: 'division code belongs to another city' },
  unknown_type: { zh: '设施类型不存在', en: 'unknown facility type' },
  unknown_status: { zh: '状态无效', en: 'unknown status' },
  unknown_domain: { zh: '服务领域无效', en: 'unknown service domain' },
  uscc_invalid: { zh: '统一社会信用代码无效', en: 'invalid 统一社会信用代码' },
  unknown_provider: { zh: '运营主体未登记', en: 'provider is not in the register' },
  duplicate: { zh: '与前面的行重复', en: 'duplicates an earlier row' },
  near_duplicate: { zh: '与前面同名同类网点相距不足50米', en: 'same name and type as an outlet within 50 m' },
  damaged_cell: { zh: '单元格内容已损坏', en: 'the cell value is damaged' },
  bad_geometry: { zh: '几何图形无效', en: 'invalid geometry' },
  bad_phone: { zh: '电话号码格式无效', en: 'not a phone number' },
  forbidden: { zh: '无权修改此记录', en: 'not allowed to change this record' },
  malformed_row: { zh: '行格式错误', en: 'malformed row' },
  unknown_district: { zh: '区县名称不属于本市', en: 'not a district of the city' },
  // Warnings: reported, not refused.
  unknown_street: { zh: '街道名称未找到（保留区县代码）', en: 'subdistrict not found (district code kept)' },
  ambiguous_street: { zh: '街道名称在多个区县重名', en: 'subdistrict name is in several districts' },
  shared_point: {
    zh: '多行坐标完全相同（疑似地理编码兜底点）',
    en: 'several rows on one point (a geocoder fallback?)',
  },
  same_provider_address: {
    zh: '同一运营主体同一地址出现多行',
    en: 'same provider and address in several rows',
  },
  no_rows: { zh: '文件没有数据行，未导入任何内容', en: 'the file has no data rows: nothing to import' },
} as const;

export type ProblemReason = keyof typeof PROBLEM_REASONS;

/** One thing wrong with one cell (or row) of an import file. */
export interface RowProblem {
  /** CSV line, XLSX row or GeoJSON feature number; 1 is the header row of a CSV or XLSX file. */
  row: number;
  /** The column header as written in the file ('' when the problem is the whole row). */
  column: string;
  /** The cell as read. */
  value: string;
  reason: ProblemReason;
  /** What was expected, in English, naming the value (e.g. "check character is '0', expected '6'"). */
  message: string;
}

export function problem(
  row: number,
  column: string,
  value: string,
  reason: ProblemReason,
  message?: string,
): RowProblem {
  return { row, column, value, reason, message: message ?? PROBLEM_REASONS[reason].en };
}
