import { barChartSvg, type BarChartSpec } from './charts.js';
import { escapeXml as esc } from './escape.js';
import { communityMapSvg } from './map-svg.js';
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
import { wordsFor, type Words } from './words.js';

/** Series colours of the charts (ColorBrewer Set2-like, legible in print and to most colour-blind readers). */
export const SERIES_COLOURS = { first: '#1b9e77', second: '#7570b3', previous: '#bdbdbd' } as const;

/** The figures of a report as bar charts (SVG), each with its legend: shared by the HTML and the page preview. */
export function reportCharts(
  report: MonitoringReport,
  w: Words,
): { id: string; svg: string; series: string[] }[] {
  const { t } = w;
  const ids = ['tier-chart', 'type-chart', 'change-chart'];
  const charts: BarChartSpec[] = [
    {
      title: t.tierChartTitle,
      categories: report.tiers.map((x) => t.tierNames[x.tier]),
      series: [
        {
          name: t.communityShare,
          values: report.tiers.map((x) => x.communityShare),
          colour: SERIES_COLOURS.first,
        },
        {
          name: t.populationShare,
          values: report.tiers.map((x) => x.populationShare),
          colour: SERIES_COLOURS.second,
        },
      ],
    },
    {
      title: t.typeChartTitle,
      categories: report.types.map((x) => w.typeName(x.id)),
      series: [
        {
          name: t.communityShare,
          values: report.types.map((x) => x.communityShare),
          colour: SERIES_COLOURS.first,
        },
        {
          name: t.demandShare,
          values: report.types.map((x) => x.demandShare),
          colour: SERIES_COLOURS.second,
        },
      ],
    },
  ];
  if (report.changes)
    charts.push({
      title: t.changeChartTitle,
      categories: report.changes.types.map((x) => w.typeName(x.id)),
      series: [
        {
          name: t.before,
          values: report.changes.types.map((x) => x.before?.communityShare ?? null),
          colour: SERIES_COLOURS.previous,
        },
        {
          name: t.after,
          values: report.changes.types.map((x) => x.after?.communityShare ?? null),
          colour: SERIES_COLOURS.first,
        },
      ],
    });
  return charts.map((c, i) => ({ id: ids[i]!, svg: barChartSvg(c), series: c.series.map((s) => s.name) }));
}

const cell = (c: Cell, tag: 'td' | 'th' = 'td'): string => {
  const classes = [c.numeric ? 'num' : '', c.data ? 'data' : ''].filter(Boolean).join(' ');
  return `<${tag}${classes ? ` class="${classes}"` : ''}>${esc(c.text)}</${tag}>`;
};

function table(tb: ReportTable | null): string {
  if (!tb) return '';
  return (
    `<table id="${tb.id}"><thead><tr>${tb.head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead>` +
    `<tbody>${tb.rows.map((r) => `<tr>${r.map((c) => cell(c)).join('')}</tr>`).join('\n')}</tbody></table>`
  );
}

/** A map or chart of the report: its SVG (with its legend drawn in) and its caption. */
export interface ReportFigure {
  id: 'tier-chart' | 'type-chart' | 'coverage-map' | 'change-chart';
  kind: 'map' | 'chart';
  svg: string;
  caption: string;
}

/**
 * Every map and chart of the report, by id: the HTML draws them inline as SVG, the DOCX as PNG (render-docx.ts),
 * so both carry the same figures with the same captions. The change chart only when there is a previous run.
 */
export function reportFigures(report: MonitoringReport, w: Words): Map<ReportFigure['id'], ReportFigure> {
  const { t } = w;
  const figures = new Map<ReportFigure['id'], ReportFigure>();
  for (const c of reportCharts(report, w)) {
    const id = c.id as ReportFigure['id'];
    figures.set(id, { id, kind: 'chart', svg: c.svg, caption: `${t.legend}: ${c.series.join(' / ')}` });
  }
  const map = communityMapSvg(report.map, t, { title: w.mapTitle, classes: w.classes });
  figures.set('coverage-map', { id: 'coverage-map', kind: 'map', svg: map, caption: w.mapTitle });
  return figures;
}

const figure = (f: ReportFigure | undefined): string =>
  f
    ? `<figure id="${f.id}" class="figure" data-kind="${f.kind}">${f.svg}<figcaption>${esc(f.caption)}</figcaption></figure>`
    : '';

const STYLE = `
@page { size: A4 portrait; margin: 18mm 15mm 20mm; }
@media print { .no-print { display: none; } }
html { background: #fff; }
body { font-family: "Noto Serif CJK SC", "Source Han Serif SC", "Songti SC", SimSun, serif; color: #000; font-size: 10.5pt;
  line-height: 1.5; max-width: 180mm; margin: 0 auto; padding: 8mm 0; }
h1 { font-size: 20pt; text-align: center; margin: 30mm 0 4mm; }
h2 { font-size: 14pt; border-bottom: 1pt solid #000; padding-bottom: 1mm; margin: 8mm 0 3mm; }
p.subtitle { text-align: center; font-size: 12pt; margin: 0 0 14mm; }
table { border-collapse: collapse; width: 100%; font-size: 9pt; margin: 2mm 0 3mm; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
th, td { border: 0.5pt solid #000; padding: 1mm 1.5mm; text-align: left; vertical-align: top; }
th { background: #eee; }
td.num { text-align: right; white-space: nowrap; }
table.about { width: 70%; margin: 0 auto; font-size: 11pt; }
table.about th { width: 30%; }
section { break-before: page; page-break-before: always; }
section.first { break-before: auto; page-break-before: auto; }
figure { margin: 3mm 0; break-inside: avoid; page-break-inside: avoid; text-align: center; }
figure svg { max-width: 100%; height: auto; }
figcaption { font-size: 9pt; color: #333; }
p.note { font-size: 9pt; color: #333; }
ul.sources { font-size: 9.5pt; }
footer { font-size: 8.5pt; color: #444; margin-top: 8mm; border-top: 0.5pt solid #999; padding-top: 2mm; }
`;

/**
 * The monitoring report as one HTML file for print: A4 portrait, a page per chapter, table headers repeated on
 * every page, figures kept whole; every map and chart drawn inline as SVG with its legend. No script and no
 * external resource: it prints the same offline, and previews safely in a sandboxed frame.
 */
export function renderHtml(report: MonitoringReport, lang: ReportLang): string {
  const w = wordsFor(report, lang);
  const { t } = w;
  const figures = reportFigures(report, w);
  const chart = (id: ReportFigure['id']) => figure(figures.get(id));
  const about = aboutLines(report, w)
    .map(([k, v]) => `<tr><th>${esc(k)}</th>${cell(v)}</tr>`)
    .join('');
  const worstNote = report.mapType ? t.worstNoteType(w.typeName(report.mapType)) : t.worstNoteAll;
  const changes = report.changes;
  const changeBody = !changes
    ? `<p>${esc(t.noPreviousRun)}</p>`
    : [
        table(typeChangeTable(report, w)),
        chart('change-chart'),
        changes.communities.length
          ? table(communityChangeTable(report, w)) +
            (changes.communities.length > REPORT_DEFAULTS.changedCommunities
              ? `<p class="note">${esc(t.changesShown(REPORT_DEFAULTS.changedCommunities, changes.communities.length))}</p>`
              : '')
          : `<p>${esc(t.changesNone)}</p>`,
        `<p class="note">${esc(t.changesAddedRemoved(changes.added, changes.removed))}</p>`,
      ].join('\n');
  const caveats = report.caveats.filter((c) => !(report.osmFacilities && c.includes('OSM')));
  return `<!doctype html>
<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8">
<title>${esc(t.title(w.area))}</title>
<style>${STYLE}</style></head><body>
<section class="first" id="cover">
<h1>${esc(t.title(w.area))}</h1>
<p class="subtitle">${esc(t.subtitle)}</p>
<table class="about"><tbody>${about}</tbody></table>
</section>
<section id="summary"><h2>${esc(t.summary)}</h2>
${table(summaryTable(report, w))}
</section>
<section id="tiers-section"><h2>${esc(t.tiers)}</h2>
${table(tierTable(report, w))}
<p class="note">${esc(t.tierNote)}</p>
${chart('tier-chart')}
</section>
<section id="types-section"><h2>${esc(t.types)}</h2>
${table(typeTable(report, w))}
<p class="note">${esc(t.typeNote)}</p>
${chart('type-chart')}
</section>
<section id="map-section"><h2>${esc(t.map)}</h2>
${figure(figures.get('coverage-map'))}
<p class="note">${esc(t.mapNote)}</p>
</section>
<section id="worst-section"><h2>${esc(t.worst)}</h2>
${report.worst.length ? table(worstTable(report, w)) : `<p>${esc(t.noWorst)}</p>`}
<p class="note">${esc(worstNote)}${report.allUnderserved.length > report.worst.length ? ` ${esc(t.worstShown(report.worst.length, report.allUnderserved.length))}` : ''}</p>
</section>
<section id="changes-section"><h2>${esc(t.changes)}</h2>
${changeBody}
</section>
<section id="method-section"><h2>${esc(t.method)}</h2>
<p>${esc(t.methodText)}</p>
<h3>${esc(t.dataSources)}</h3>
<ul class="sources">
<li>${esc(t.sourceOsm)}</li>
<li>${esc(t.sourceRegister)}</li>
<li>${esc(t.sourceCensus)}</li>
<li>${esc(t.sourceDivisions)}</li>
${report.osmFacilities ? `<li>${esc(t.osmCaveat)}</li>` : ''}
</ul>
${caveats.length ? `<h3>${esc(t.runCaveats)}</h3><ul class="sources">${caveats.map((c) => `<li class="data">${esc(c)}</li>`).join('')}</ul>` : ''}
<h3>${esc(t.standardsSources)}</h3>
${table(standardsTable(report, w))}
<p class="note">${esc(t.runHash)}: <code>${esc(report.run.inputsHash)}</code> · ${esc(t.engine)}: ${esc(report.run.engineVersion)}</p>
</section>
<footer>${esc(t.title(w.area))} · ${esc(t.runLine(report.run.id, report.run.createdAt.slice(0, 10)))} · ${esc(t.attribution)}</footer>
</body></html>
`;
}
