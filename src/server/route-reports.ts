import { Type, type Static } from '@sinclair/typebox';
import { reportJob } from '../jobs/index.js';
import {
  checkReportRequest,
  getMonitoringReport,
  listMonitoringReports,
  monitoringReportFile,
  REPORT_LANGS,
  REPORT_TIERS,
} from '../reports/index.js';
import { REPORT_FORMATS, type MonitoringReportRecord, type ReportFormat } from '../store/index.js';
import type { RouteContext, RoutePlugin } from './route-context.js';
import { ERRORS, ErrorRef } from './route-context.js';
import { acceptedJob, jobFailure, PreferHeader, prefersAsync, type JobAnswer } from './route-jobs.js';
import { literals, Nullable, Page, PageQuery } from './schemas.js';

/** Where a report's files are downloaded (with the session's token). */
export const reportFileUrl = (id: number, format: ReportFormat) =>
  `/api/monitoring-reports/${id}/report.${format}`;

const MonitoringReportBody = Type.Object({
  id: Type.Integer(),
  regionCode: Type.String({ description: 'the area: the city or a division within it' }),
  typeCode: Nullable(
    Type.String({ description: 'the type the map is coloured by; null: the share of types' }),
  ),
  lang: literals(REPORT_LANGS),
  title: Type.String(),
  runId: Type.Integer({ description: 'the coverage run reported on' }),
  previousRunId: Nullable(Type.Integer({ description: 'the run the changes are measured from' })),
  summary: Type.Object({
    communities: Type.Integer(),
    population: Type.Number(),
    tiers: Type.Array(Type.Object({ tier: literals(REPORT_TIERS), communityShare: Nullable(Type.Number()) })),
    worst: Type.Array(Type.Object({ code: Type.String(), uncoveredPopulation: Type.Number() })),
    previousRunId: Nullable(Type.Integer()),
    warnings: Type.Optional(
      Type.Array(Type.String(), {
        description: 'what the files lack and why (e.g. no CJK font for the DOCX figures)',
      }),
    ),
  }),
  files: Type.Object({ html: Type.String(), docx: Type.String(), xlsx: Type.String() }),
  sizes: Type.Object({ html: Type.Integer(), docx: Type.Integer(), xlsx: Type.Integer() }),
  createdBy: Type.String(),
  createdAt: Type.String(),
});
type MonitoringReportAnswer = Static<typeof MonitoringReportBody>;

/** A report as the API shows it: its record with the addresses of its files. */
export function presentMonitoringReport(r: MonitoringReportRecord): MonitoringReportAnswer {
  return {
    id: r.id,
    regionCode: r.regionCode,
    typeCode: r.typeCode,
    lang: r.lang,
    title: r.title,
    runId: r.runId,
    previousRunId: r.previousRunId,
    summary: r.summary as MonitoringReportAnswer['summary'],
    files: {
      html: reportFileUrl(r.id, 'html'),
      docx: reportFileUrl(r.id, 'docx'),
      xlsx: reportFileUrl(r.id, 'xlsx'),
    },
    sizes: r.sizes,
    createdBy: r.createdBy,
    createdAt: r.createdAt,
  };
}

/** Monitoring reports (src/reports): made as a job, kept with their files, downloaded with the session's token. */
export const reportRoutes: RoutePlugin<RouteContext> = async (app, { store, jobs, cityCode }) => {
  app.post(
    '/api/monitoring-reports',
    {
      config: { permission: 'reports.generate' },
      schema: {
        tags: ['reports'],
        summary:
          'Make the monitoring report of an area (HTML for print, DOCX, XLSX annex) from the newest coverage run: a ' +
          'job in a worker thread; the answer waits for it (201), or with `Prefer: respond-async` is 202 with the job',
        headers: PreferHeader,
        body: Type.Object({
          region: Type.String({
            pattern: '^[0-9]{2,12}$',
            description: "the city's division code or one within it",
          }),
          type: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 64 }))),
          lang: literals(REPORT_LANGS),
          runId: Type.Optional(Type.Integer({ minimum: 1 })),
        }),
        response: {
          201: MonitoringReportBody,
          202: Type.Unsafe<JobAnswer>({ $ref: 'Job#' }),
          ...ERRORS,
          409: ErrorRef,
          503: ErrorRef,
        },
      },
    },
    async (request, reply) => {
      const { region, type = null, lang, runId } = request.body;
      // Refused before queuing: a malformed request or an area the viewer does not cover.
      checkReportRequest(request.viewer, cityCode, { region, lang });
      const job = await jobs.submit(request.viewer, reportJob, { region, type, lang, runId });
      if (prefersAsync(request.headers)) return acceptedJob(reply, job);
      const end = await jobs.finished(job.id);
      if (end.status !== 'succeeded') throw jobFailure(end);
      return reply.status(201).send(presentMonitoringReport(end.result as MonitoringReportRecord));
    },
  );

  app.get(
    '/api/monitoring-reports',
    {
      config: { permission: 'reports.read' },
      schema: {
        tags: ['reports'],
        summary: 'The monitoring reports of the areas you cover, newest first (staff: inside their region)',
        querystring: Type.Object({
          ...PageQuery,
          within: Type.Optional(Type.String({ pattern: '^[0-9]{2,12}$' })),
        }),
        response: { 200: Page(MonitoringReportBody), ...ERRORS },
      },
    },
    async (request) => {
      const page = await listMonitoringReports(store, request.viewer, request.query);
      return { ...page, items: page.items.map(presentMonitoringReport) };
    },
  );

  app.get(
    '/api/monitoring-reports/:id',
    {
      config: { permission: 'reports.read' },
      schema: {
        tags: ['reports'],
        summary: 'One monitoring report: its area, runs, headline figures and the addresses of its files',
        params: Type.Object({ id: Type.Integer() }),
        response: { 200: MonitoringReportBody, ...ERRORS },
      },
    },
    async (request) =>
      presentMonitoringReport(await getMonitoringReport(store, request.viewer, request.params.id)),
  );

  for (const format of REPORT_FORMATS)
    app.get(
      `/api/monitoring-reports/:id/report.${format}`,
      {
        config: { permission: 'reports.read' },
        schema: {
          tags: ['reports'],
          summary: {
            html: 'The report as HTML for print (A4; print to PDF from a browser)',
            docx: 'The report as a Word document',
            xlsx: 'The report’s annex: one sheet per table and a sheet describing the fields',
          }[format],
          params: Type.Object({ id: Type.Integer() }),
        },
      },
      async (request, reply) => {
        const file = await monitoringReportFile(store, request.viewer, request.params.id, format);
        return reply
          .header('content-type', file.mediaType)
          .header('content-disposition', `attachment; filename="${file.fileName}"`)
          .send(Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength));
      },
    );
};
