import ExcelJS from 'exceljs';
import { spreadsheetSafe } from '../tabular/index.js';
import { beijingTime } from './dictionary.js';
import type { MonitoringReport, ReportLang } from './model.js';
import { aboutLines } from './tables.js';
import { wordsFor } from './words.js';

type Value = string | number | null;

/** One sheet: its columns (header and what the field means) and its rows of plain values. */
interface SheetSpec {
  name: string;
  columns: { header: string; meaning: string; width?: number }[];
  rows: Value[][];
}

const safe = (v: Value): Value => (typeof v === 'string' ? spreadsheetSafe(v) : v);
/** Shares as fractions rounded to 4 places (the cell shows them as percent). */
const share = (v: number | null): number | null => (v === null ? null : Math.round(v * 10_000) / 10_000);

/**
 * The report's annex as an .xlsx workbook: one sheet per table (every row, where the printed report shows the first
 * ones), plain numbers (shares as fractions formatted as percent), and a first sheet describing every field.
 */
export async function renderXlsx(report: MonitoringReport, lang: ReportLang): Promise<Uint8Array> {
  const w = wordsFor(report, lang);
  const { t } = w;
  const n = t.fieldNotes;
  const typeLabel = (id: string) => `${id} ${w.typeName(id)}`;
  const yesNo = (b: boolean) => (b ? t.yes : t.no);
  const sheets: SheetSpec[] = [
    {
      name: t.sheets.about,
      columns: [
        { header: t.item, meaning: t.item, width: 24 },
        { header: t.value, meaning: t.value, width: 60 },
      ],
      rows: [
        [t.title(w.area), null],
        ...aboutLines(report, w).map(([k, v]): Value[] => [k, v.text]),
        [t.runHash, report.run.inputsHash],
        [t.engine, report.run.engineVersion],
        [t.generatedAt, beijingTime(report.generatedAt)],
        [t.attribution, null],
      ],
    },
    {
      name: t.sheets.tiers,
      columns: [
        { header: t.tier, meaning: n.tier, width: 22 },
        { header: t.walkingDistance, meaning: n.walkingDistance },
        { header: t.completeCommunities, meaning: n.completeCommunities },
        { header: t.communities, meaning: t.communities },
        { header: t.communityShare, meaning: n.communityShare },
        { header: t.populationShare, meaning: n.populationShare },
        { header: t.tierTypes, meaning: n.gainedLost, width: 40 },
      ],
      rows: report.tiers.map((x) => [
        t.tierNames[x.tier],
        x.walkingDistanceM,
        x.completeCommunities,
        report.communities,
        share(x.communityShare),
        share(x.populationShare),
        x.types.join(t.listSeparator),
      ]),
    },
    {
      name: t.sheets.types,
      columns: [
        { header: t.code, meaning: n.type, width: 22 },
        { header: t.type, meaning: n.type, width: 24 },
        { header: t.tier, meaning: n.tier, width: 18 },
        { header: t.radius, meaning: n.radius },
        { header: t.coveredCommunities, meaning: n.coveredCommunities },
        { header: t.communities, meaning: t.communities },
        { header: t.communityShare, meaning: n.communityShare },
        { header: t.demandGroup, meaning: t.demandGroup, width: 20 },
        { header: t.demandShare, meaning: n.demandShare },
      ],
      rows: report.types.map((x) => [
        x.id,
        w.typeName(x.id),
        t.tierNames[x.tier],
        x.radiusM,
        x.coveredCommunities,
        x.communities,
        share(x.communityShare),
        t.demandGroups[x.demandGroup as keyof typeof t.demandGroups] ?? x.demandGroup,
        share(x.demandShare),
      ]),
    },
    {
      name: t.sheets.worst,
      columns: [
        { header: t.rank, meaning: t.rank },
        { header: t.code, meaning: t.code, width: 18 },
        { header: t.community, meaning: t.community, width: 24 },
        { header: t.district, meaning: t.district, width: 14 },
        { header: t.subdistrict, meaning: t.subdistrict, width: 14 },
        { header: t.population, meaning: t.people },
        { header: t.uncoveredPopulation, meaning: n.uncoveredPopulation },
        { header: t.uncoveredTypes, meaning: n.gainedLost, width: 40 },
      ],
      rows: report.allUnderserved.map((x) => [
        x.rank,
        x.code,
        x.name,
        w.place(x.district),
        w.place(x.subdistrict),
        x.population,
        x.uncoveredPopulation,
        x.uncoveredTypes.join(t.listSeparator),
      ]),
    },
  ];
  if (report.changes) {
    const c = report.changes;
    sheets.push(
      {
        name: t.sheets.typeChanges,
        columns: [
          { header: t.type, meaning: n.type, width: 30 },
          { header: `${t.coveredCommunities} (${t.before})`, meaning: n.coveredCommunities },
          { header: `${t.coveredCommunities} (${t.after})`, meaning: n.coveredCommunities },
          { header: t.coveredDelta, meaning: n.coveredDelta },
          { header: `${t.communityShare} (${t.before})`, meaning: n.communityShare },
          { header: `${t.communityShare} (${t.after})`, meaning: n.communityShare },
          { header: `${t.demandShare} (${t.before})`, meaning: n.demandShare },
          { header: `${t.demandShare} (${t.after})`, meaning: n.demandShare },
        ],
        rows: c.types.map((x) => [
          typeLabel(x.id),
          x.before?.coveredCommunities ?? null,
          x.after?.coveredCommunities ?? null,
          x.coveredDelta,
          share(x.before?.communityShare ?? null),
          share(x.after?.communityShare ?? null),
          share(x.before?.demandShare ?? null),
          share(x.after?.demandShare ?? null),
        ]),
      },
      {
        name: t.sheets.communityChanges,
        columns: [
          { header: t.code, meaning: t.code, width: 18 },
          { header: t.community, meaning: t.community, width: 24 },
          { header: t.district, meaning: t.district, width: 14 },
          { header: t.subdistrict, meaning: t.subdistrict, width: 14 },
          { header: t.gained, meaning: n.gainedLost, width: 30 },
          { header: t.lost, meaning: n.gainedLost, width: 30 },
        ],
        rows: c.communities.map((x) => [
          x.code,
          x.name,
          w.place(x.district),
          w.place(x.subdistrict),
          x.gained.join(t.listSeparator),
          x.lost.join(t.listSeparator),
        ]),
      },
    );
  }
  sheets.push({
    name: t.sheets.communities,
    columns: [
      { header: t.code, meaning: t.code, width: 18 },
      { header: t.community, meaning: t.community, width: 24 },
      { header: t.district, meaning: t.district, width: 14 },
      { header: t.subdistrict, meaning: t.subdistrict, width: 14 },
      { header: t.regionCode, meaning: t.regionCode, width: 14 },
      { header: t.population, meaning: t.people },
      { header: t.estimated, meaning: t.populationEstimated },
      { header: t.onNetwork, meaning: t.onNetwork },
      { header: t.coverageClass, meaning: w.mapTitle, width: 24 },
      { header: t.coveredTypes, meaning: n.gainedLost, width: 40 },
      { header: t.completeTiers, meaning: n.tier, width: 30 },
    ],
    rows: report.rows.map((x) => [
      x.code,
      x.name,
      w.place(x.district),
      w.place(x.subdistrict),
      x.regionCode,
      x.population,
      yesNo(x.populationEstimated),
      yesNo(x.onNetwork),
      t.classes[x.class],
      x.covered.join(t.listSeparator),
      x.completeTiers.map((k) => t.tierNames[k]).join(t.listSeparator),
    ]),
  });

  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'LifeCircle';
  workbook.created = new Date(report.generatedAt);
  const fields = workbook.addWorksheet(t.sheets.fields);
  fields.addRow([t.sheet, t.field, t.meaning]).font = { bold: true };
  for (const s of sheets) for (const c of s.columns) fields.addRow([s.name, c.header, c.meaning]);
  fields.columns.forEach((col, i) => (col.width = [18, 30, 60][i]));
  for (const s of sheets) {
    const sheet = workbook.addWorksheet(s.name);
    sheet.addRow(s.columns.map((c) => c.header)).font = { bold: true };
    for (const r of s.rows) sheet.addRow(r.map(safe));
    s.columns.forEach((c, i) => {
      sheet.getColumn(i + 1).width = c.width ?? 14;
      // Shares are fractions 0–1: shown as percent, kept exact for formulas.
      if (c.meaning === n.communityShare || c.meaning === n.populationShare || c.meaning === n.demandShare)
        sheet.getColumn(i + 1).numFmt = '0.0%';
    });
    sheet.views = [{ state: 'frozen', ySplit: 1 }];
  }
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}
