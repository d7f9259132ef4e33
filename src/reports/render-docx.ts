import {
  AlignmentType,
  Document,
  Footer,
  HeadingLevel,
  ImageRun,
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
import { findReportFont, REPORT_FONT_VARIABLE, svgToPng, type Picture } from './raster.js';
import { reportFigures, type ReportFigure } from './render-html.js';
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

/** A4's text width with docx's default margins (11,906 less twice 1,440 twentieths of a point): 15.9 cm, in the
 * pixels docx sizes pictures in (96 to the inch). */
const FIGURE_WIDTH_PX = Math.floor(((11906 - 2 * 1440) / 1440) * 96);
/** No figure taller than 22 cm, so it fits a page under its heading (a chart of many types is scaled down). */
const FIGURE_MAX_HEIGHT_PX = Math.floor((22 / 2.54) * 96);
/** The pictures are drawn at twice the SVG's size: the 760-pixel-wide figures become 1,520 pixels across 15.9 cm
 * (about 240 dpi), sharp in print. */
export const FIGURE_ZOOM = 2;

export interface DocxOptions {
  /** The font file the pictures' text is drawn with; default `LIFECIRCLE_REPORT_FONT`, else the known paths. */
  font?: string | null;
}

export interface DocxFile {
  docx: Uint8Array;
  /** What the document lacks and why (no font: no pictures); also kept with the report's summary. */
  warnings: string[];
}

/** Every figure of the report drawn as PNG, or why none is: no CJK font (its text would be missing) or resvg failed. */
async function drawFigures(
  figures: ReadonlyMap<ReportFigure['id'], ReportFigure>,
  options: DocxOptions,
): Promise<{ pictures: Map<ReportFigure['id'], Picture>; warning: string | null }> {
  const font = findReportFont(options.font);
  const without = (why: string) => ({
    pictures: new Map<ReportFigure['id'], Picture>(),
    warning:
      `the DOCX has no maps or charts (their data are given as tables, and the document says so): ${why}; ` +
      `install a CJK font (Debian/Ubuntu: fonts-noto-cjk) or set ${REPORT_FONT_VARIABLE} to a font file`,
  });
  if (!font.found) return without(font.reason);
  const pictures = new Map<ReportFigure['id'], Picture>();
  try {
    for (const [id, f] of figures) pictures.set(id, await svgToPng(f.svg, FIGURE_ZOOM, font.files));
  } catch (error) {
    return without(`drawing them failed (${(error as Error).message})`);
  }
  return { pictures, warning: null };
}

/** A figure as the HTML's: the picture (its legend drawn in), centred, kept on the page of its caption below it. */
function figureOf(f: ReportFigure, p: Picture): Paragraph[] {
  const svgWidth = p.width / FIGURE_ZOOM;
  const svgHeight = p.height / FIGURE_ZOOM;
  const scale = Math.min(FIGURE_WIDTH_PX / svgWidth, FIGURE_MAX_HEIGHT_PX / svgHeight);
  return [
    new Paragraph({
      alignment: AlignmentType.CENTER,
      keepNext: true,
      spacing: { before: 120 },
      children: [
        new ImageRun({
          type: 'png',
          data: p.png,
          transformation: { width: Math.round(svgWidth * scale), height: Math.round(svgHeight * scale) },
          altText: { name: f.id, title: f.caption, description: f.caption },
        }),
      ],
    }),
    para(f.caption, { size: 18, alignment: 'center' }),
  ];
}

/**
 * The monitoring report as a Word document (docx): the same chapters, tables, notes, maps and charts as the HTML,
 * the map and charts as PNG pictures drawn by resvg (raster.ts) with a CJK font. Without a font the pictures would
 * lose their text: then the document has none, gives the map's legend as a table and says where the figures are
 * and how to install a font, and the answer carries a warning.
 */
export async function renderDocx(
  report: MonitoringReport,
  lang: ReportLang,
  options: DocxOptions = {},
): Promise<DocxFile> {
  const w = wordsFor(report, lang);
  const { t } = w;
  const note = (text: string) => para(text, { size: 18 });
  const figures = reportFigures(report, w);
  const { pictures, warning } = await drawFigures(figures, options);
  const figure = (id: ReportFigure['id']): Paragraph[] => {
    const f = figures.get(id);
    const p = pictures.get(id);
    return f && p ? figureOf(f, p) : [];
  };
  const drawn = warning === null;
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
    ...(drawn ? [] : [note(t.figuresNotDrawn)]),
    heading(t.tiers, 1, true),
    ...tableOf(tierTable(report, w)),
    note(t.tierNote),
    ...figure('tier-chart'),
    heading(t.types, 1, true),
    ...tableOf(typeTable(report, w)),
    note(t.typeNote),
    ...figure('type-chart'),
    heading(t.map, 1, true),
    ...(drawn
      ? [...figure('coverage-map'), note(t.mapNote), note(t.attribution)]
      : [
          para(w.mapTitle, { bold: true }),
          ...tableOf({
            id: 'map-legend',
            head: [t.legend, t.count],
            rows: w.classes.map((k) => [
              { text: t.classes[k] },
              { text: String(report.map.filter((m) => m.class === k).length), numeric: true },
            ]),
          }),
          note(`${t.figuresNotDrawn} ${t.mapNote}`),
          note(t.attribution),
        ]),
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
          ...figure('change-chart'),
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
                  run(
                    `${t.title(w.area)} · ${t.runLine(report.run.id, report.run.createdAt.slice(0, 10))} · `,
                    {
                      size: 16,
                    },
                  ),
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
  return { docx: new Uint8Array(await Packer.toBuffer(doc)), warnings: warning === null ? [] : [warning] };
}
