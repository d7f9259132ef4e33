import {
  AlignmentType,
  Document,
  Footer,
  HeadingLevel,
  Packer,
  PageNumber,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import { REPORT_DEFAULTS, type MonitoringReport, type ReportLang } from './model.js';
import {
  aboutLines,
  communityChangeTable,
  standardsTable,
  summaryTable,
  tierTable,
  typeChangeTable,
  typeTable,
  worstTable,
  type Cell,
  type ReportTable,
} from './tables.js';
import { wordsFor } from './words.js';

const FONT = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: 'SimSun' };

const run = (text: string, options: { bold?: boolean; size?: number } = {}) =>
  new TextRun({ text, font: FONT, bold: options.bold, size: options.size });

const para = (text: string, options: { size?: number; bold?: boolean; alignment?: 'center' } = {}) =>
  new Paragraph({
    children: [run(text, options)],
    alignment: options.alignment === 'center' ? AlignmentType.CENTER : undefined,
    spacing: { after: 120 },
  });

const heading = (text: string, level: 1 | 2, pageBreakBefore = false) =>
  new Paragraph({
    heading: level === 1 ? HeadingLevel.HEADING_1 : HeadingLevel.HEADING_2,
    pageBreakBefore,
    children: [run(text, { bold: true, size: level === 1 ? 30 : 26 })],
    spacing: { before: 240, after: 120 },
  });

function cellOf(c: Cell, header = false): TableCell {
  return new TableCell({
    children: [
      new Paragraph({
        alignment: c.numeric ? AlignmentType.RIGHT : AlignmentType.LEFT,
        children: [run(c.text, { bold: header, size: 18 })],
      }),
    ],
    shading: header ? { fill: 'EEEEEE' } : undefined,
  });
}

function tableOf(tb: ReportTable | null): Table[] {
  if (!tb) return [];
  return [
    new Table({
      width: { size: 100, type: WidthType.PERCENTAGE },
      rows: [
        // Repeated at the top of every page the table runs over.
        new TableRow({ tableHeader: true, children: tb.head.map((h) => cellOf({ text: h }, true)) }),
        ...tb.rows.map((r) => new TableRow({ cantSplit: true, children: r.map((c) => cellOf(c)) })),
      ],
    }),
  ];
}

/**
 * The monitoring report as a Word document (docx): the same chapters, tables and notes as the HTML. Charts and
 * the map go in as their data tables with a note saying so: DOCX takes PNG, and rasterising SVG on the server needs
 * a native graphics library (resvg, cairo), which LifeCircle does not install.
 */
export async function renderDocx(report: MonitoringReport, lang: ReportLang): Promise<Uint8Array> {
  const w = wordsFor(report, lang);
  const { t } = w;
  const note = (text: string) => para(text, { size: 18 });
  const changes = report.changes;
  const caveats = report.caveats.filter((c) => !(report.osmFacilities && c.includes('OSM')));
  const children = [
    new Paragraph({ spacing: { before: 2400 } }),
    para(t.title(w.area), { size: 40, bold: true, alignment: 'center' }),
    para(t.subtitle, { size: 24, alignment: 'center' }),
    ...tableOf({
      id: 'about',
      head: [t.item, t.value],
      rows: aboutLines(report, w).map(([k, v]) => [{ text: k }, v]),
    }),
    heading(t.summary, 1, true),
    ...tableOf(summaryTable(report, w)),
    note(t.chartsInDocx),
    heading(t.tiers, 1, true),
    ...tableOf(tierTable(report, w)),
    note(t.tierNote),
    heading(t.types, 1, true),
    ...tableOf(typeTable(report, w)),
    note(t.typeNote),
    heading(t.map, 1, true),
    para(w.mapTitle, { bold: true }),
    ...tableOf({
      id: 'map-legend',
      head: [t.legend, t.count],
      rows: w.classes.map((k) => [
        { text: t.classes[k] },
        { text: String(report.map.filter((m) => m.class === k).length), numeric: true },
      ]),
    }),
    note(`${t.chartsInDocx} ${t.mapNote}`),
    note(t.attribution),
    heading(t.worst, 1, true),
    ...(report.worst.length ? tableOf(worstTable(report, w)) : [para(t.noWorst)]),
    note(
      (report.mapType ? t.worstNoteType(w.typeName(report.mapType)) : t.worstNoteAll) +
        (report.allUnderserved.length > report.worst.length
          ? ` ${t.worstShown(report.worst.length, report.allUnderserved.length)}`
          : ''),
    ),
    heading(t.changes, 1, true),
    ...(!changes
      ? [para(t.noPreviousRun)]
      : [
          ...tableOf(typeChangeTable(report, w)),
          ...(changes.communities.length ? tableOf(communityChangeTable(report, w)) : [para(t.changesNone)]),
          ...(changes.communities.length > REPORT_DEFAULTS.changedCommunities
            ? [note(t.changesShown(REPORT_DEFAULTS.changedCommunities, changes.communities.length))]
            : []),
          note(t.changesAddedRemoved(changes.added, changes.removed)),
        ]),
    heading(t.method, 1, true),
    para(t.methodText),
    heading(t.dataSources, 2),
    ...[t.sourceOsm, t.sourceRegister, t.sourceCensus, t.sourceDivisions]
      .concat(report.osmFacilities ? [t.osmCaveat] : [])
      .map((s) => new Paragraph({ bullet: { level: 0 }, children: [run(s, { size: 20 })] })),
    ...(caveats.length
      ? [
          heading(t.runCaveats, 2),
          ...caveats.map((c) => new Paragraph({ bullet: { level: 0 }, children: [run(c, { size: 20 })] })),
        ]
      : []),
    heading(t.standardsSources, 2),
    ...tableOf(standardsTable(report, w)),
    note(`${t.runHash}: ${report.run.inputsHash} · ${t.engine}: ${report.run.engineVersion}`),
  ];
  const doc = new Document({
    creator: 'LifeCircle',
    title: t.title(w.area),
    description: t.subtitle,
    sections: [
      {
        properties: { page: { size: { width: 11906, height: 16838 } } }, // A4 in twentieths of a point
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: [
                  run(`${t.title(w.area)} · ${t.runLine(report.run.id, report.run.createdAt.slice(0, 10))} · `, {
                    size: 16,
                  }),
                  new TextRun({ children: [PageNumber.CURRENT], size: 16, font: FONT }),
                ],
              }),
            ],
          }),
        },
        children,
      },
    ],
  });
  return new Uint8Array(await Packer.toBuffer(doc));
}
