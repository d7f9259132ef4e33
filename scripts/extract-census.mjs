// Extracts the columns LifeCircle reads (src/places/census.ts) for every county, district and city of the 7th
// census workbook of leiii/census (MIT) into data/census/census-2020-counties.csv. Rows without a 6-digit
// division code or without every age band are left out and counted. Usage:
//   node scripts/extract-census.mjs ../shared/data/census/census_county_2020_v1.xlsx
import { writeFileSync } from 'node:fs';
import ExcelJS from 'exceljs';

const BANDS = [
  '0岁',
  '1到4岁',
  '5到9岁',
  '10到14岁',
  '15到19岁',
  '20到24岁',
  '25到29岁',
  '30到34岁',
  '35到39岁',
  '40到44岁',
  '45到49岁',
  '50到54岁',
  '55到59岁',
  '60到64岁',
  '65到69岁',
  '70到74岁',
  '75到79岁',
  '80到84岁',
  '85岁以上',
];
const COLUMNS = [
  '区划代码',
  '省',
  '市',
  '区县',
  '人口数_合计',
  ...BANDS.flatMap((b) => [`男_${b}`, `女_${b}`]),
];

const workbook = new ExcelJS.Workbook();
await workbook.xlsx.readFile(process.argv[2]);
const sheet = workbook.worksheets[0];
const header = sheet.getRow(1).values.slice(1).map(String);
const index = COLUMNS.map((c) => {
  const i = header.indexOf(c);
  if (i < 0) throw new Error(`column ${c} is missing from ${process.argv[2]}`);
  return i + 1;
});
const cell = (row, i) => {
  const v = row.getCell(i).value;
  return v === null || v === undefined
    ? ''
    : String(typeof v === 'object' && 'result' in v ? v.result : v).trim();
};
const lines = [COLUMNS.join(',')];
let skipped = 0;
for (let r = 2; r <= sheet.rowCount; r++) {
  const row = sheet.getRow(r);
  const values = index.map((i) => cell(row, i));
  const numbers = values.slice(4);
  if (!/^\d{6}$/.test(values[0]) || numbers.some((v) => v === '' || !Number.isFinite(Number(v)))) {
    if (values[0] || values[3]) skipped++;
    continue;
  }
  lines.push(values.map((v) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(','));
}
writeFileSync('data/census/census-2020-counties.csv', lines.join('\n') + '\n');
process.stdout.write(
  `${lines.length - 1} rows written, ${skipped} left out (no 6-digit code or an age band missing)\n`,
);
