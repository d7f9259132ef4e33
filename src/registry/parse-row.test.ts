import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FacilityType } from '../store/index.js';
import type { CityExtent } from '../cities/index.js';
import { resolveColumns, type RegisterEntity } from './fields.js';
import { parseRow, type ParsedRow } from './parse-row.js';
import type { RowProblem } from './problems.js';
import type { GeoJsonGeometry, SourceRow } from './read-file.js';

/**
 * One row at a time through `parseRow`, as `importRegister` calls it: the file's headers are matched to fields by
 * `resolveColumns`, the city is 成都 with its bundled box (data/divisions/extents.csv), coordinates are
 * WGS-84 unless a test says otherwise, and the facility types are indexed as the importer indexes them (by code,
 * Chinese name and lower-case English name). Every expected value below is written out by hand.
 */
const CHENGDU: CityExtent = {
  code: '5101',
  name: '成都市',
  bbox: [102.94, 30.03, 104.95, 31.49],
  known: true,
};
const CHENGDU_BOX = '(lon 102.94…104.95, lat 30.03…31.49)';

const PHARMACY: FacilityType = {
  code: 'pharmacy',
  nameZh: '药店',
  nameEn: 'Pharmacy',
  domain: 'health',
  source: 'test',
};
const KINDERGARTEN: FacilityType = {
  code: 'kindergarten',
  nameZh: '幼儿园',
  nameEn: 'Kindergarten',
  domain: 'education',
  source: 'test',
};
const TYPES = new Map<string, FacilityType>();
for (const t of [PHARMACY, KINDERGARTEN])
  for (const name of [t.code, t.nameZh, t.nameEn.toLowerCase()]) TYPES.set(name, t);

/** Real providers (src/registry/fixtures/uscc_vectors.json). */
const HUAWEI = '914403001922038216';
const PETROCHINA = '91110000710925462X';

interface RowOptions {
  /** The file's headers when they are not just the keys of `values` (a GeoJSON feature may lack a property). */
  headers?: string[];
  geometry?: GeoJsonGeometry;
  damaged?: SourceRow['damaged'];
  city?: CityExtent;
}

/** A parsed row whose patch is read field by field (its declared type is a union of the three registers). */
type Parsed = Omit<ParsedRow, 'patch'> & { patch: Record<string, unknown> };

function parse(entity: RegisterEntity, values: Record<string, string>, o: RowOptions = {}): Parsed {
  const { columns } = resolveColumns(entity, o.headers ?? Object.keys(values), {}, o.geometry !== undefined);
  return parseRow(
    entity,
    { row: 2, values, geometry: o.geometry ?? null, damaged: o.damaged ?? [] },
    { city: o.city ?? CHENGDU, crs: 'WGS84', columns, types: TYPES },
  );
}

/** A 成都 facility row (瑞华药业三友店, a real OSM pharmacy) with some cells replaced. */
const facility = (cells: Record<string, string> = {}) => ({
  设施编码: 'F1',
  设施名称: '瑞华药业三友店',
  设施类型: '药店',
  经度: '104.0874466',
  纬度: '30.6843382',
  ...cells,
});

/** A 成都 community row (总府路社区, a real 社区 code of 锦江区 placed at a real OSM residential area). */
const community = (cells: Record<string, string> = {}) => ({
  编码: '510104022006',
  名称: '总府路社区居委会',
  区划代码: '510104022006',
  经度: '104.084115',
  纬度: '30.656212',
  ...cells,
});

const provider = (cells: Record<string, string> = {}) => ({
  统一社会信用代码: HUAWEI,
  名称: '华为技术有限公司',
  ...cells,
});

const p = (column: string, value: string, reason: RowProblem['reason'], message: string): RowProblem => ({
  row: 2,
  column,
  value,
  reason,
  message,
});

const REQUIRED = 'a required field is empty';

// ---- Cells the reader already found damaged ----

test('a damaged cell is reported with the value as read; a malformed row has no column and no value', () => {
  const excel = 'Excel stored this code as a number and kept only 15 digits';
  const parsed = parse('providers', provider({ 统一社会信用代码: '9.14403E+17' }), {
    damaged: [{ column: '统一社会信用代码', message: excel }],
  });
  assert.deepEqual(parsed.problems, [
    p('统一社会信用代码', '9.14403E+17', 'damaged_cell', excel),
    p(
      '统一社会信用代码',
      '9.14403E+17',
      'uscc_invalid',
      "统一社会信用代码 '9.14403E+17': expected 18 characters, got 11 " +
        '(it looks like a number in scientific notation: format the column as text)',
    ),
  ]);
  const row = parse('providers', provider(), {
    damaged: [{ column: '', message: 'has 4 cells, the header has 2 columns' }],
  });
  assert.deepEqual(row.problems, [p('', '', 'malformed_row', 'has 4 cells, the header has 2 columns')]);
});

// ---- Reading cells ----

test('cells are read without their surrounding spaces', () => {
  const parsed = parse('facilities', {
    设施编码: '  F1 ',
    设施名称: ' 瑞华药业三友店 ',
    设施类型: ' 药店 ',
    经度: ' 104.0874466 ',
    纬度: '30.6843382  ',
    服务容量: ' 12 ',
  });
  assert.deepEqual(parsed.problems, []);
  assert.equal(parsed.key, 'F1');
  assert.deepEqual(parsed.patch, {
    code: 'F1',
    name: '瑞华药业三友店',
    typeCode: 'pharmacy',
    location: { lon: 104.0874466, lat: 30.6843382 },
    capacity: 12,
  });
});

test('an update file patches only the fields it has columns for', () => {
  // No 名称, 区划代码, 服务领域 or 联系人 column: those stored values must be left alone, not emptied.
  const parsed = parse('providers', { 统一社会信用代码: HUAWEI, 联系电话: '13800000000' });
  assert.deepEqual(parsed.problems, []);
  assert.deepEqual(parsed.patch, { uscc: HUAWEI, contactPhone: '13800000000' });
  assert.deepEqual([parsed.regionRefs, parsed.providerRefs], [[], []]);
  // No location, 区划代码 or provider columns either: a facility's location, region and provider stay as stored.
  const f = parse('facilities', { 设施编码: 'F1', 设施名称: '瑞华药业三友店', 设施类型: '药店' });
  assert.deepEqual(f.problems, []);
  assert.deepEqual(f.patch, { code: 'F1', name: '瑞华药业三友店', typeCode: 'pharmacy' });
});

test('a GeoJSON feature without a property the other features have reads it as empty', () => {
  const parsed = parse('providers', { 统一社会信用代码: HUAWEI }, { headers: ['统一社会信用代码', '名称'] });
  assert.deepEqual(parsed.problems, [p('名称', '', 'required', REQUIRED)]);
  assert.deepEqual(parsed.patch, { uscc: HUAWEI });
});

// ---- Whole numbers ----

test('whole numbers: thousands separators and a zero fraction are accepted, anything else is refused', () => {
  const ok: [string, number][] = [
    ['0', 0],
    ['1,200', 1200],
    ['1，200', 1200], // full-width comma
    ['12,345,678', 12345678],
    ['40.0', 40],
    ['40.00', 40],
  ];
  for (const [cell, value] of ok) {
    const parsed = parse('facilities', facility({ 服务容量: cell }));
    assert.deepEqual([parsed.problems, parsed.patch.capacity], [[], value], cell);
  }
  for (const cell of ['12.5', '40.', '12a', '-5', '约300', '1,2x', '1e3']) {
    const parsed = parse('facilities', facility({ 服务容量: cell }));
    assert.deepEqual(
      parsed.problems,
      [p('服务容量', cell, 'not_an_integer', `expected a non-negative whole number, got '${cell}'`)],
      cell,
    );
  }
  // An empty cell is an unknown capacity, not a problem.
  const empty = parse('facilities', facility({ 服务容量: '' }));
  assert.deepEqual([empty.problems, empty.patch.capacity], [[], null]);
});

// ---- Yes / no ----

test('yes/no cells accept 是/否, y/n, yes/no, true/false, 1/0, √/× and 普惠/非普惠, in any case', () => {
  const yes = ['是', 'y', 'Y', 'yes', 'YES', 'true', 'True', '1', '√', '普惠'];
  const no = ['否', 'n', 'N', 'no', 'No', 'false', 'FALSE', '0', '×', '非普惠'];
  for (const [cells, value] of [
    [yes, true],
    [no, false],
  ] as const)
    for (const cell of cells) {
      const parsed = parse('facilities', facility({ 普惠: cell }));
      assert.deepEqual([parsed.problems, parsed.patch.affordable], [[], value], cell);
    }
  // Empty is "no" without a problem.
  const empty = parse('facilities', facility({ 普惠: '' }));
  assert.deepEqual([empty.problems, empty.patch.affordable], [[], false]);
  const est = parse('communities', community({ 人口为估算: '' }));
  assert.deepEqual([est.problems, est.patch.populationEstimated], [[], false]);
  const maybe = parse('facilities', facility({ 普惠: '也许' }));
  assert.deepEqual(maybe.problems, [p('普惠', '也许', 'not_a_boolean', "expected 是 or 否, got '也许'")]);
});

// ---- Phone numbers ----

test('phone numbers: 5 to 20 digits, spaces, +, - and brackets; nothing before or after', () => {
  for (const cell of [
    '12345', // 5 characters: the shortest accepted
    '12345678901234567890', // 20: the longest
    '028-86001234',
    '+86 138 0000 0000',
    '(028)86001234',
    '（028）86001234',
  ]) {
    const parsed = parse('facilities', facility({ 联系电话: cell }));
    assert.deepEqual([parsed.problems, parsed.patch.contactPhone], [[], cell], cell);
  }
  for (const cell of [
    '1234', // 4 characters
    '123456789012345678901', // 21
    'tel 13800000000',
    '028-86001234转5',
    '138 0000 0000 (张)',
  ]) {
    const parsed = parse('facilities', facility({ 联系电话: cell }));
    assert.deepEqual(
      parsed.problems,
      [p('联系电话', cell, 'bad_phone', `expected a phone number, got '${cell}'`)],
      cell,
    );
  }
});

// ---- Longitude and latitude columns ----

test('a file without longitude and latitude columns leaves the location alone', () => {
  const parsed = parse('facilities', { 设施编码: 'F1', 设施名称: '瑞华药业三友店', 设施类型: '药店' });
  assert.deepEqual(parsed.problems, []);
  assert.equal('location' in parsed.patch, false);
});

test('a file with only one of the longitude and latitude columns reports the other as not a number', () => {
  const lonOnly = parse('facilities', {
    设施编码: 'F1',
    设施名称: '瑞华药业三友店',
    设施类型: '药店',
    经度: '104.08',
  });
  assert.deepEqual(lonOnly.problems, [
    p('lat', '', 'not_a_number', "expected a latitude in degrees, got ''"),
  ]);
  const latOnly = parse('facilities', {
    设施编码: 'F1',
    设施名称: '瑞华药业三友店',
    设施类型: '药店',
    纬度: '30.68',
  });
  assert.deepEqual(latOnly.problems, [
    p('lon', '', 'not_a_number', "expected a longitude in degrees, got ''"),
  ]);
});

test('empty position cells: both empty is a required field, one empty is that coordinate missing', () => {
  for (const entity of ['facilities', 'communities'] as const) {
    const row = entity === 'facilities' ? facility : community;
    const both = parse(entity, row({ 经度: '', 纬度: '' }));
    assert.deepEqual(both.problems, [p('经度', '', 'required', REQUIRED)], entity);
    assert.equal('location' in both.patch, false);
    const noLon = parse(entity, row({ 经度: '' }));
    assert.deepEqual(
      noLon.problems,
      [p('经度', '', 'not_a_number', "expected a longitude in degrees, got ''")],
      entity,
    );
    const noLat = parse(entity, row({ 纬度: '' }));
    assert.deepEqual(
      noLat.problems,
      [p('纬度', '', 'not_a_number', "expected a latitude in degrees, got ''")],
      entity,
    );
  }
});

test('a coordinate that is not a number is named with its column and text', () => {
  const lon = parse('facilities', facility({ 经度: 'east' }));
  assert.deepEqual(lon.problems, [
    p('经度', 'east', 'not_a_number', "expected a longitude in degrees, got 'east'"),
  ]);
  const lat = parse('facilities', facility({ 纬度: 'north' }));
  assert.deepEqual(lat.problems, [
    p('纬度', 'north', 'not_a_number', "expected a latitude in degrees, got 'north'"),
  ]);
  const inf = parse('facilities', facility({ 纬度: 'Infinity' }));
  assert.deepEqual(inf.problems, [
    p('纬度', 'Infinity', 'not_a_number', "expected a latitude in degrees, got 'Infinity'"),
  ]);
});

test('degrees on Earth: |longitude| up to 180 and |latitude| up to 90 inclusive, beyond is out of range', () => {
  const bad = (lon: string, lat: string) =>
    p('经度', lon, 'bad_coordinates', `longitude ${lon}, latitude ${lat} are not degrees on Earth`);
  const outside = (lon: string, lat: string) =>
    p('经度', lon, 'outside_city', `(${lon}, ${lat}) is outside 成都市 ${CHENGDU_BOX}`);
  const cases: [string, string, RowProblem][] = [
    ['181', '30.65', bad('181', '30.65')],
    ['-181', '30.65', bad('-181', '30.65')],
    ['180.5', '30.65', bad('180.5', '30.65')],
    ['104.06', '91', bad('104.06', '91')],
    ['104.06', '-90.5', bad('104.06', '-90.5')],
    ['181', '91', bad('181', '91')],
    // Exactly at the limits: degrees on Earth, only not in 成都.
    ['180', '30.65', outside('180', '30.65')],
    ['-180', '30.65', outside('-180', '30.65')],
    ['104.06', '90', outside('104.06', '90')],
    ['104.06', '-90', outside('104.06', '-90')],
  ];
  for (const [lon, lat, expected] of cases) {
    const parsed = parse('facilities', facility({ 经度: lon, 纬度: lat }));
    assert.deepEqual(parsed.problems, [expected], `${lon}, ${lat}`);
  }
});

test('a position outside the city names the city and its box, and says when longitude and latitude look swapped', () => {
  // 上海 人民广场 in 成都's register.
  const shanghai = parse('facilities', facility({ 经度: '121.4737', 纬度: '31.2304' }));
  assert.deepEqual(shanghai.problems, [
    p('经度', '121.4737', 'outside_city', `(121.4737, 31.2304) is outside 成都市 ${CHENGDU_BOX}`),
  ]);
  // A swap can only be recognised where longitudes are below 90° (elsewhere the swapped latitude is out of range),
  // so this case uses a box defined for the test around 乌鲁木齐 (红山公园 is at about 87.61° E, 43.80° N).
  const urumqi: CityExtent = {
    code: '6501',
    name: '乌鲁木齐市',
    bbox: [86.6, 42.7, 88.9, 44.1],
    known: true,
  };
  const swapped = parse('facilities', facility({ 经度: '43.8', 纬度: '87.61' }), { city: urumqi });
  assert.deepEqual(swapped.problems, [
    p(
      '经度',
      '43.8',
      'outside_city',
      '(43.8, 87.61) is outside 乌鲁木齐市 (lon 86.6…88.9, lat 42.7…44.1); longitude and latitude look swapped',
    ),
  ]);
  // In 成都 (east of 90°) swapped columns put 104° where a latitude belongs: out of range, and still recognised.
  const swappedChengdu = parse('facilities', facility({ 经度: '30.6843382', 纬度: '104.0874466' }));
  assert.deepEqual(swappedChengdu.problems, [
    p(
      '经度',
      '30.6843382',
      'bad_coordinates',
      'longitude 30.6843382, latitude 104.0874466 are not degrees on Earth; longitude and latitude look swapped',
    ),
  ]);
  const inUrumqi = parse('facilities', facility({ 经度: '87.61', 纬度: '43.8' }), { city: urumqi });
  assert.deepEqual([inUrumqi.problems, inUrumqi.patch.location], [[], { lon: 87.61, lat: 43.8 }]);
});

// ---- GeoJSON geometry ----

/** Parses a facility (or community) whose position comes from a GeoJSON geometry. */
const withGeometry = (geometry: GeoJsonGeometry, entity: RegisterEntity = 'facilities') =>
  parse(
    entity,
    entity === 'facilities'
      ? { 设施编码: 'F1', 设施名称: '瑞华药业三友店', 设施类型: '药店' }
      : { 编码: 'DFDL', 名称: '东风电力社区', 区划代码: '510104022009' },
    { geometry },
  );

test('a GeoJSON Point needs two finite numbers', () => {
  const ok = withGeometry({ type: 'Point', coordinates: [104.0874466, 30.6843382] });
  assert.deepEqual([ok.problems, ok.patch.location], [[], { lon: 104.0874466, lat: 30.6843382 }]);
  const needs = p('geometry', 'Point', 'bad_geometry', 'a Point needs [longitude, latitude]');
  for (const coordinates of [[104.0874466], [], [104.0874466, '30.6843382'], [104.0874466, null], 'x', null])
    assert.deepEqual(
      withGeometry({ type: 'Point', coordinates }).problems,
      [needs],
      JSON.stringify(coordinates),
    );
});

test('a GeoJSON Point outside the city is reported on the geometry', () => {
  const parsed = withGeometry({ type: 'Point', coordinates: [121.4737, 31.2304] });
  assert.deepEqual(parsed.problems, [
    p('geometry', '', 'outside_city', `(121.4737, 31.2304) is outside 成都市 ${CHENGDU_BOX}`),
  ]);
});

test('a geometry other than Point, Polygon or MultiPolygon is refused by name', () => {
  const line = withGeometry({
    type: 'LineString',
    coordinates: [
      [104.08, 30.65],
      [104.09, 30.66],
    ],
  });
  assert.deepEqual(line.problems, [
    p('geometry', 'LineString', 'bad_geometry', 'expected a Point, Polygon or MultiPolygon, got LineString'),
  ]);
});

/** An axis-parallel square ring, closed; its centroid is its centre (hand-computed, no formula needed). */
const square = (west: number, south: number, side: number): number[][] => [
  [west, south],
  [west + side, south],
  [west + side, south + side],
  [west, south + side],
  [west, south],
];

test('a Polygon keeps its rings and is placed at its centroid; one outside the city is refused', () => {
  // Coordinates in halves and quarters of a degree are exact in binary, so the centroid is exactly the centre.
  const ring = square(104, 30.5, 0.5);
  const inside = withGeometry({ type: 'Polygon', coordinates: [ring] }, 'communities');
  assert.deepEqual(inside.problems, []);
  assert.deepEqual(inside.patch, {
    code: 'DFDL',
    name: '东风电力社区',
    regionCode: '510104022009',
    location: { lon: 104.25, lat: 30.75 },
    boundary: { type: 'Polygon', coordinates: [ring] },
  });
  const shanghai = withGeometry({ type: 'Polygon', coordinates: [square(121, 31, 1)] }, 'communities');
  assert.deepEqual(shanghai.problems, [
    p('geometry', '', 'outside_city', "the area's centre (121.5, 31.5) is outside 成都市"),
  ]);
});

test('a MultiPolygon keeps all its polygons and is placed at the centroid of the first', () => {
  const first = square(104, 30.5, 0.5);
  const second = square(103.5, 30.5, 0.25);
  const parsed = withGeometry({ type: 'MultiPolygon', coordinates: [[first], [second]] }, 'communities');
  assert.deepEqual(parsed.problems, []);
  assert.deepEqual(parsed.patch.location, { lon: 104.25, lat: 30.75 });
  assert.deepEqual(parsed.patch.boundary, {
    type: 'MultiPolygon',
    coordinates: [[first], [second]],
  });
});

test('polygon rings that are not lists of positions, or enclose no area, are refused', () => {
  const refused = [
    p('geometry', 'Polygon', 'bad_geometry', 'polygon rings must be arrays of [longitude, latitude]'),
  ];
  // One level of nesting left out: the ring is given where the list of rings belongs.
  const flat = withGeometry({ type: 'Polygon', coordinates: square(104, 30.5, 0.5) }, 'communities');
  assert.deepEqual(flat.problems, refused);
  // Every point on the parallel 30.5° N: twice the signed area is exactly 0.
  const line = [
    [104, 30.5],
    [104.5, 30.5],
    [104.25, 30.5],
    [104, 30.5],
  ];
  const degenerate = withGeometry({ type: 'Polygon', coordinates: [line] }, 'communities');
  assert.deepEqual(degenerate.problems, [
    p(
      'geometry',
      'Polygon',
      'bad_geometry',
      'the polygon has no area (its points lie on one line, or are one point)',
    ),
  ]);
  const notNumbers = withGeometry({ type: 'MultiPolygon', coordinates: 7 }, 'communities');
  assert.deepEqual(notNumbers.problems, [
    p('geometry', 'MultiPolygon', 'bad_geometry', 'polygon rings must be arrays of [longitude, latitude]'),
  ]);
});

// ---- Service domains ----

test('English domain names of several words are read whole, in any case and spacing', () => {
  assert.deepEqual(domainsOf('elderly care; Retail  and food'), [[], ['elderly_care', 'retail_food']]);
  assert.deepEqual(domainsOf('health elderly care'), [[], ['health', 'elderly_care']]);
});

const domainsOf = (cell: string) => {
  const parsed = parse('providers', provider({ 服务领域: cell }));
  return [parsed.problems, parsed.patch.domains];
};

test('service domains are read by Chinese name, code, English name or synonym, between any separators', () => {
  assert.deepEqual(domainsOf('养老;托育'), [[], ['elderly_care', 'childcare']]);
  assert.deepEqual(domainsOf('养老；托育，健康、教育|家政/文化 体育,零售餐饮'), [
    [],
    ['elderly_care', 'childcare', 'health', 'education', 'housekeeping', 'culture', 'sport', 'retail_food'],
  ]);
  assert.deepEqual(domainsOf('养老, 托育;'), [[], ['elderly_care', 'childcare']]);
  assert.deepEqual(domainsOf('elderly_care;retail_food'), [[], ['elderly_care', 'retail_food']]);
  assert.deepEqual(domainsOf('Health;CHILDCARE'), [[], ['health', 'childcare']]);
  assert.deepEqual(domainsOf('医疗 婴幼儿照护'), [[], ['health', 'childcare']]);
  assert.deepEqual(domainsOf('托育'), [[], ['childcare']]);
  assert.deepEqual(domainsOf('体育'), [[], ['sport']]);
});

test('a service domain named twice is kept once; an empty cell is no domains', () => {
  assert.deepEqual(domainsOf('养老;养老服务;为老服务'), [[], ['elderly_care']]);
  assert.deepEqual(domainsOf(''), [[], []]);
});

test('an unknown service domain is named, with the list of domains to use', () => {
  assert.deepEqual(domainsOf('养老;美容'), [
    [
      p(
        '服务领域',
        '养老;美容',
        'unknown_domain',
        "'美容' is not a service domain; use 养老、托育、健康、教育、零售餐饮、家政、文化、体育",
      ),
    ],
    [],
  ]);
});

// ---- Facility status ----

test('an empty status leaves the status alone; an unknown one lists the statuses', () => {
  const empty = parse('facilities', facility({ 状态: '' }));
  assert.deepEqual(empty.problems, []);
  assert.equal('status' in empty.patch, false);
  const open = parse('facilities', facility({ 状态: '营业' }));
  assert.deepEqual([open.problems, open.patch.status], [[], 'open']);
  const unknown = parse('facilities', facility({ 状态: '装修中' }));
  assert.deepEqual(unknown.problems, [
    p('状态', '装修中', 'unknown_status', "expected one of 规划、运营、暂停、关闭, got '装修中'"),
  ]);
});

// ---- Division codes ----

test('a division code is 2 to 12 digits and nothing else', () => {
  for (const code of ['51', '510104022006']) {
    const parsed = parse('facilities', facility({ 区划代码: code }));
    assert.deepEqual(parsed.problems, [], code);
    assert.deepEqual(parsed.regionRefs, [{ column: '区划代码', code }], code);
    assert.equal(parsed.patch.regionCode, code);
  }
  for (const code of ['5', '5101040220061', 'CN510104', '510104-022', '5101O4']) {
    const parsed = parse('facilities', facility({ 区划代码: code }));
    assert.deepEqual(
      parsed.problems,
      [p('区划代码', code, 'unknown_region', `expected a division code of 2 to 12 digits, got '${code}'`)],
      code,
    );
    assert.deepEqual(parsed.regionRefs, [], code);
  }
});

// ---- Required key fields ----

test('empty key and required cells are reported as required', () => {
  const noUscc = parse('providers', provider({ 统一社会信用代码: '' }));
  assert.deepEqual([noUscc.key, noUscc.problems], [null, [p('统一社会信用代码', '', 'required', REQUIRED)]]);
  const noCode = parse('facilities', facility({ 设施编码: '' }));
  assert.deepEqual([noCode.key, noCode.problems], [null, [p('设施编码', '', 'required', REQUIRED)]]);
  const noType = parse('facilities', facility({ 设施类型: '' }));
  assert.deepEqual(noType.problems, [p('设施类型', '', 'required', REQUIRED)]);
  const noCommunityCode = parse('communities', community({ 编码: '' }));
  assert.deepEqual(
    [noCommunityCode.key, noCommunityCode.problems],
    [null, [p('编码', '', 'required', REQUIRED)]],
  );
});

// ---- Providers' codes ----

test('a provider is keyed by its code in upper case; an invalid code is quoted with the reason', () => {
  const lower = parse('providers', provider({ 统一社会信用代码: PETROCHINA.toLowerCase() }));
  assert.deepEqual([lower.problems, lower.key, lower.patch.uscc], [[], PETROCHINA, PETROCHINA]);
  // uscc_vectors.json: 914403001922038210 is Huawei's code with a wrong check character, which should be 6.
  const wrong = parse('providers', provider({ 统一社会信用代码: '914403001922038210' }));
  assert.deepEqual(
    [wrong.key, wrong.problems],
    [
      null,
      [
        p(
          '统一社会信用代码',
          '914403001922038210',
          'uscc_invalid',
          "统一社会信用代码 '914403001922038210': check character is '0', expected '6'",
        ),
      ],
    ],
  );
});

test("a facility's provider code is checked, kept in upper case and looked up; an empty cell clears it", () => {
  const header = '运营主体统一社会信用代码';
  const parsed = parse('facilities', facility({ [header]: ` ${PETROCHINA.toLowerCase()} ` }));
  assert.deepEqual(parsed.problems, []);
  assert.equal(parsed.patch.providerUscc, PETROCHINA);
  assert.deepEqual(parsed.providerRefs, [{ column: header, uscc: PETROCHINA }]);
  const empty = parse('facilities', facility({ [header]: '' }));
  assert.deepEqual([empty.problems, empty.providerRefs], [[], []]);
  assert.equal(empty.patch.providerUscc, null);
  const absent = parse('facilities', facility());
  assert.equal('providerUscc' in absent.patch, false);
});

// ---- Facility types ----

test('a facility type is found by code, Chinese name or English name in any case; an unknown one lists the types', () => {
  for (const cell of ['pharmacy', '药店', 'Pharmacy', 'PHARMACY']) {
    const parsed = parse('facilities', facility({ 设施类型: cell }));
    assert.deepEqual([parsed.problems, parsed.patch.typeCode], [[], 'pharmacy'], cell);
  }
  const unknown = parse('facilities', facility({ 设施类型: '健身房' }));
  assert.deepEqual(unknown.problems, [
    p(
      '设施类型',
      '健身房',
      'unknown_type',
      "'健身房' is not a facility type; map the file's values to types (the report proposes a mapping and lists the types), or give the whole file one type",
    ),
  ]);
});

// ---- Communities' age groups ----

test('age groups: each column is read on its own; an empty cell adds nothing; no column leaves them alone', () => {
  const all = parse(
    'communities',
    community({ '0-3岁人口': '120', '3-6岁人口': '150', '0-14岁人口': '900', '60岁及以上人口': '1,500' }),
  );
  assert.deepEqual(all.problems, []);
  assert.deepEqual(all.patch.ageGroups, { age0to3: 120, age3to6: 150, age0to14: 900, age60plus: 1500 });
  for (const [header, key] of [
    ['0-3岁人口', 'age0to3'],
    ['3-6岁人口', 'age3to6'],
    ['0-14岁人口', 'age0to14'],
    ['60岁及以上人口', 'age60plus'],
  ]) {
    const one = parse('communities', community({ [header]: '75' }));
    assert.deepEqual([one.problems, one.patch.ageGroups], [[], { [key]: 75 }], header);
  }
  const empty = parse('communities', community({ '60岁及以上人口': '' }));
  assert.deepEqual([empty.problems, empty.patch.ageGroups], [[], {}]);
  const none = parse('communities', community());
  assert.deepEqual(none.problems, []);
  assert.equal('ageGroups' in none.patch, false);
});
