import { actorOf, recordAudit } from '../audit/index.js';
import { LifeCircleError } from '../errors.js';
import { normalizeUnit, unitNameEn } from '../plans/index.js';
import { defineCommand, requireCovers, type CommandDeps, type Viewer } from '../policy/index.js';
import type { AnalysisRun, JobProgress, MonitoringReportRecord, Store } from '../store/index.js';
import { isoNow } from '../time/index.js';
import {
  buildMonitoringReport,
  REPORT_LANGS,
  summariseReport,
  type ReportLang,
  type StoredPlace,
} from './model.js';
import { wordsFor } from './words.js';

export interface GenerateReportInput {
  /** The area: the city's division code or one within it (a 区, a 街道). */
  region: string;
  /** The facility type the map is coloured by; null or absent: the share of types covered. */
  type?: string | null;
  lang: ReportLang;
  /** The coverage run to report on; default the city's newest. */
  runId?: number;
  onProgress?: (progress: JobProgress) => void;
  /** Aborted: the command stops at its next step and writes nothing (LC_CANCELLED). */
  signal?: AbortSignal;
}

/** The steps of a report, in order, as its job shows them (the percent each takes is in src/jobs/kinds.ts). */
export const REPORT_PHASES = ['reading', 'figures', 'html', 'docx', 'xlsx', 'writing'] as const;

const runCity = (run: Pick<AnalysisRun, 'parameters'>): string | null => {
  const code = (run.parameters as { cityCode?: unknown } | null)?.cityCode;
  return typeof code === 'string' && code ? code : null;
};

/** The city's newest coverage run (or the one asked for), and the one before it for the changes. */
async function runsFor(
  store: Store,
  cityCode: string,
  runId: number | undefined,
): Promise<{ run: AnalysisRun; previous: AnalysisRun | null }> {
  const ofCity = (r: Pick<AnalysisRun, 'parameters'>) => {
    const c = runCity(r);
    return c === null || c === cityCode;
  };
  let run: AnalysisRun | null = null;
  if (runId !== undefined) {
    run = await store.analysisRuns.get(runId);
    if (!run) throw new LifeCircleError('LC_NOT_FOUND', `analysis run ${runId} does not exist`);
  }
  let previous: AnalysisRun | null = null;
  for (let offset = 0; ; offset += 100) {
    const page = await store.analysisRuns.list({ kind: 'coverage', limit: 100, offset });
    for (const r of page.items) {
      if (!ofCity(r)) continue;
      if (!run) run = await store.analysisRuns.get(r.id);
      else if (r.id < run.id) {
        previous = await store.analysisRuns.get(r.id);
        return { run, previous };
      }
    }
    if (page.items.length < 100) break;
  }
  if (!run)
    throw new LifeCircleError(
      'LC_NOT_FOUND',
      `city ${cityCode} has no coverage analysis run yet; run its analysis first (lifecircle city analyse ${cityCode})`,
    );
  return { run, previous };
}

async function placesWithin(store: Store, region: string): Promise<Map<string, StoredPlace>> {
  const places = new Map<string, StoredPlace>();
  for (let offset = 0; ;) {
    const page = await store.communities.list({ within: region, limit: 1000, offset });
    for (const c of page.items)
      places.set(c.code, { regionCode: c.regionCode, boundary: c.boundary, location: c.location });
    offset += page.items.length;
    if (!page.items.length || offset >= page.total) return places;
  }
}

/** Who made the report, as written (a department, else the account's name) and in English where the list knows it. */
function preparedBy(viewer: Viewer): { name: string; nameEn: string | null } {
  const name = viewer.department ?? viewer.displayName ?? viewer.username;
  return { name, nameEn: viewer.department ? unitNameEn(normalizeUnit(viewer.department, null).key) : null };
}

/**
 * What can be refused before any work: a malformed region or language, an area outside the city, or one the viewer
 * does not cover (staff: outside their region). The route checks it before queuing the job; the command again.
 * Answers the city's code (the server's, else the first four digits of the region: the command line).
 */
export function checkReportRequest(
  viewer: Viewer,
  serverCity: string,
  input: Pick<GenerateReportInput, 'region' | 'lang'>,
): string {
  if (!/^\d{2,12}$/.test(input.region))
    throw new LifeCircleError(
      'LC_USAGE',
      `region: expected a division code of 2–12 digits, got '${input.region}'`,
    );
  if (!REPORT_LANGS.includes(input.lang))
    throw new LifeCircleError(
      'LC_USAGE',
      `lang: expected one of ${REPORT_LANGS.join(', ')}, got '${input.lang}'`,
    );
  requireCovers(viewer, { label: `region ${input.region}`, regionCode: input.region });
  const cityCode = serverCity || input.region.slice(0, 4);
  if (!input.region.startsWith(cityCode))
    throw new LifeCircleError('LC_USAGE', `region: ${input.region} does not lie in city ${cityCode}`);
  return cityCode;
}

/**
 * `reports.generate`: the monitoring report (监测评价报告) of an area — the city or a division of it — from the
 * city's newest coverage run, compared with the run before it; rendered as HTML for print, DOCX and an XLSX annex,
 * and kept with its audit record in one transaction. Staff may report only on areas inside their own region.
 */
export const generateMonitoringReport = defineCommand<GenerateReportInput, MonitoringReportRecord>({
  name: 'reports.generate',
  permission: 'reports.generate',
  async run(deps: CommandDeps, viewer, input) {
    const { store } = deps;
    const step = (phase: (typeof REPORT_PHASES)[number]) => {
      if (input.signal?.aborted)
        throw new LifeCircleError('LC_CANCELLED', 'the monitoring report was cancelled; nothing was kept');
      input.onProgress?.({ phase, done: 0, total: 1 });
    };
    const cityCode = checkReportRequest(viewer, deps.cityCode, input);
    step('reading');
    const region = await store.regions.get(input.region);
    if (!region && input.region !== cityCode)
      throw new LifeCircleError('LC_NOT_FOUND', `region ${input.region} is not in the division list`);
    const cityName =
      (await store.regions.get(cityCode))?.name ?? (await store.cities.get(cityCode))?.name ?? cityCode;
    const { run, previous } = await runsFor(store, cityCode, input.runId);
    const places = await placesWithin(store, input.region);
    step('figures');
    const report = buildMonitoringReport({
      city: { code: cityCode, name: cityName },
      region: { code: input.region, name: region?.name ?? cityName },
      run,
      previous,
      places,
      mapType: input.type ?? null,
      generatedAt: isoNow(deps.clock),
      preparedBy: preparedBy(viewer),
    });
    // The renderers (ECharts, docx, exceljs) load when a report is made, not with every server, CLI verb and worker.
    const [{ renderHtml }, { renderDocx }, { renderXlsx }] = await Promise.all([
      import('./render-html.js'),
      import('./render-docx.js'),
      import('./render-xlsx.js'),
    ]);
    step('html');
    const html = new TextEncoder().encode(renderHtml(report, input.lang));
    step('docx');
    // The map and charts drawn as PNG (resvg); without a CJK font the DOCX goes without them and says so.
    const { docx, warnings } = await renderDocx(report, input.lang);
    for (const warning of warnings) process.emitWarning(`monitoring report ${input.region}: ${warning}`);
    step('xlsx');
    const xlsx = await renderXlsx(report, input.lang);
    step('writing');
    const words = wordsFor(report, input.lang);
    return store.transaction(async (tx) => {
      const record = await tx.monitoringReports.create({
        regionCode: input.region,
        typeCode: report.mapType,
        lang: input.lang,
        title: words.t.title(words.area),
        runId: run.id,
        previousRunId: previous?.id ?? null,
        summary: warnings.length ? { ...summariseReport(report), warnings } : summariseReport(report),
        files: { html, docx, xlsx },
        createdById: viewer.id > 0 ? viewer.id : null,
        createdBy: viewer.username,
      });
      await recordAudit(tx, actorOf(viewer), {
        action: 'create',
        entity: 'monitoring_reports',
        key: String(record.id),
        after: {
          regionCode: record.regionCode,
          typeCode: record.typeCode,
          lang: record.lang,
          runId: record.runId,
          previousRunId: record.previousRunId,
          sizes: record.sizes,
        },
      });
      // A cancel that came while writing: the transaction rolls back, nothing is kept.
      if (input.signal?.aborted)
        throw new LifeCircleError('LC_CANCELLED', 'the monitoring report was cancelled; nothing was kept');
      return record;
    });
  },
});
