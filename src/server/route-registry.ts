import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { LifeCircleError } from '../errors.js';
import { importJob, linkJob } from '../jobs/index.js';
import {
  CONTENT_TYPES,
  COORDINATE_SYSTEMS,
  deleteRecord,
  EXPORT_FORMATS,
  exportRegister,
  FILE_FORMATS,
  allRecords,
  boundedReport,
  getRecord,
  importRecordFor,
  importReportToXlsx,
  importRequestOptions,
  listRecords,
  type RegisterFilters,
  saveRecord,
  TEXT_ENCODINGS,
  type ExportFormat,
  type ImportOutcome,
  type ImportReport as ImportReportValue,
  type LinkCommunitiesReport,
  type RegisterRecord,
} from '../registry/index.js';
import { seesPersonalData } from '../policy/index.js';
import { presentRecord } from './presenters.js';
import * as S from './schemas.js';
import { literals } from './schemas.js';
import type { RoutePlugin } from './route-context.js';
import { ERRORS, RATE_LIMITED, ErrorRef } from './route-context.js';
import { rateLimitOf } from './security.js';
import {
  acceptedJob,
  importReportUrl,
  jobFailure,
  PreferHeader,
  prefersAsync,
  type JobAnswer,
} from './route-jobs.js';
import { REGISTERS } from './registry-schemas.js';

const reportUrl = importReportUrl;

export const registryRoutes: RoutePlugin = async (app, ctx) => {
  const { store, cityCode, clock, jobs } = ctx;
  const deps = { store, clock, cityCode };

  const RegionNamed = Type.Object({
    regionName: Type.Union([Type.String(), Type.Null()], {
      description: 'name of the 区划 code, when known',
    }),
  });
  for (const spec of REGISTERS) {
    const base = `/api/${spec.entity}`;
    const tags = [spec.entity];
    const KeyParams = Type.Object({ key: Type.String({ minLength: 1, maxLength: 64 }) });

    app.get(
      base,
      {
        config: { permission: 'registry.read' },
        schema: {
          tags,
          summary: `List ${spec.title}, paged and filtered`,
          querystring: Type.Object({ ...S.PageQuery, ...spec.filters }),
          response: { 200: S.Page(Type.Composite([spec.record, RegionNamed])), ...ERRORS },
        },
      },
      async (request) => {
        const page = await listRecords(store, spec.entity, request.query as RegisterFilters);
        // Readers see 区划 by name (the code stays beside it): one lookup per distinct code of the page.
        const codes = [...new Set(page.items.map((r) => r.regionCode).filter((c): c is string => !!c))];
        const names = new Map(
          await Promise.all(codes.map(async (c) => [c, (await store.regions.get(c))?.name ?? null] as const)),
        );
        return {
          ...page,
          items: page.items.map((r) => ({
            ...presentRecord(spec.entity, r, request.viewer),
            regionName: r.regionCode ? (names.get(r.regionCode) ?? null) : null,
          })),
        };
      },
    );

    app.get(
      `${base}/export`,
      {
        config: { permission: 'registry.read' },
        schema: {
          tags,
          summary: `Export ${spec.title} as XLSX, CSV or GeoJSON (same columns the importer reads)`,
          querystring: Type.Object({
            format: literals(EXPORT_FORMATS),
            headers: Type.Optional(literals(['zh', 'en'])),
            ...spec.filters,
          }),
          response: { 200: S.FileDownload('the file, in the columns the importer reads'), ...ERRORS },
        },
      },
      async (request, reply) => {
        const q = request.query as RegisterFilters;
        const records = await allRecords(store, spec.entity, q);
        // Personal columns only when the viewer may see them for every exported record.
        const includePersonal = records.every((r) => seesPersonalData(request.viewer, spec.entity, r));
        const format = q.format as ExportFormat;
        const file = await exportRegister(spec.entity, records, format, {
          headers: q.headers as 'zh' | 'en' | undefined,
          includePersonal,
          facilityTypes: await store.facilityTypes.list(),
        });
        return reply
          .header('content-type', CONTENT_TYPES[format])
          .header('content-disposition', `attachment; filename="${spec.entity}.${format}"`)
          .send(file);
      },
    );

    app.get(
      `${base}/:key`,
      {
        config: { permission: 'registry.read' },
        schema: {
          tags,
          summary: `One record of ${spec.title} by its key (${spec.keyName})`,
          params: KeyParams,
          response: { 200: spec.record, ...ERRORS },
        },
      },
      async (request) => {
        const { key } = request.params;
        return presentRecord(spec.entity, await getRecord(store, spec.entity, key), request.viewer);
      },
    );

    app.post(
      base,
      {
        config: { permission: spec.write },
        schema: {
          tags,
          summary: `Create one record of ${spec.title}; validated by the importer's rules, audited`,
          body: spec.input,
          response: { 201: spec.record, ...ERRORS, 409: ErrorRef },
        },
      },
      async (request, reply) => {
        // The body was validated against spec.input; the three registers share these routes, so its static type
        // is the loop's TSchema and TypeScript cannot carry it through Fastify's type provider (tried: generic
        // specs exceed its instantiation depth). The command validates every field again by the importer's rules.
        const result = await saveRecord(deps, request.viewer, {
          entity: spec.entity,
          record: request.body as Partial<RegisterRecord>,
          mode: 'create',
        });
        return reply.status(201).send(presentRecord(spec.entity, result.record, request.viewer));
      },
    );

    app.patch(
      `${base}/:key`,
      {
        config: { permission: spec.write },
        schema: {
          tags,
          summary: `Change fields of one record of ${spec.title}; fields left out keep their value; audited`,
          params: KeyParams,
          body: Type.Omit(spec.input, [spec.keyName]),
          response: { 200: spec.record, ...ERRORS },
        },
      },
      async (request) => {
        const { key } = request.params;
        const input = { ...(request.body as object), [spec.keyName]: key } as Partial<RegisterRecord>;
        const result = await saveRecord(deps, request.viewer, {
          entity: spec.entity,
          record: input,
          mode: 'update',
        });
        return presentRecord(spec.entity, result.record, request.viewer);
      },
    );

    app.delete(
      `${base}/:key`,
      {
        config: { permission: spec.write },
        schema: {
          tags,
          summary: `Delete one record of ${spec.title}; audited`,
          params: KeyParams,
          response: { 200: spec.record, ...ERRORS },
        },
      },
      async (request) => {
        const { key } = request.params;
        const before = await deleteRecord(deps, request.viewer, { entity: spec.entity, key });
        return presentRecord(spec.entity, before, request.viewer);
      },
    );

    // The import route reads the raw file, so it lives in its own context with its own body parser.
    await app.register(async (plain) => {
      const raw = plain.withTypeProvider<TypeBoxTypeProvider>();
      raw.removeAllContentTypeParsers();
      raw.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 50 * 1024 * 1024 }, (_req, body, done) =>
        done(null, body),
      );
      raw.post(
        `${base}/import`,
        {
          config: { permission: 'registry.import', rateLimit: rateLimitOf(ctx.rateLimits, 'imports') },
          schema: {
            tags,
            summary: `Import ${spec.title} from CSV, XLSX or GeoJSON — all rows or none`,
            description:
              'Send the file as the raw body (any content type). The import runs as a job; by default the answer ' +
              'waits for it. Rejected imports answer 422 LC_IMPORT_REJECTED with `details` = the report: every bad ' +
              'row, column and reason; `details.reportXlsx` downloads it as XLSX. With `Prefer: respond-async` the ' +
              'answer is 202 with the job (Location: /api/jobs/:id) to follow and cancel.',
            querystring: Type.Object({
              fileName: Type.Optional(
                Type.String({
                  maxLength: 200,
                  description: 'original file name, for the report and format detection',
                }),
              ),
              format: Type.Optional(literals(FILE_FORMATS)),
              encoding: Type.Optional(literals(TEXT_ENCODINGS)),
              crs: Type.Optional(
                Type.String({
                  description: `coordinate system of the file: ${COORDINATE_SYSTEMS.join(', ')} (also gcj-02, 高德, baidu, 百度)`,
                }),
              ),
              mapping: Type.Optional(
                Type.String({ description: 'JSON object: file header → field, e.g. {"床位":"capacity"}' }),
              ),
              type: Type.Optional(
                Type.String({
                  maxLength: 100,
                  description: 'facilities: one facility type for every row; the type column is not read',
                }),
              ),
              typeMap: Type.Optional(
                Type.String({
                  description:
                    "JSON object: the file's type values → facility types, as confirmed from the report's typeProposal",
                }),
              ),
              city: Type.Optional(
                Type.String({
                  pattern: '^[0-9]{4}([0-9]{2})?$',
                  description:
                    'a city set up in the store (GET /api/cities); default: the one this server plans for',
                }),
              ),
              dryRun: Type.Optional(
                Type.Boolean({ description: 'check and count what would change, write nothing' }),
              ),
              skipBadRows: Type.Optional(
                Type.Boolean({
                  description:
                    'import the rows without problems, leave the others out (GET /api/imports/:id/rejected-rows)',
                }),
              ),
            }),
            headers: PreferHeader,
            response: {
              200: S.ImportReport,
              202: Type.Unsafe<JobAnswer>({ $ref: 'Job#' }),
              ...ERRORS,
              409: ErrorRef,
              422: ErrorRef,
              ...RATE_LIMITED,
              503: ErrorRef,
            },
          },
        },
        async (request, reply) => {
          const q = request.query;
          const body = request.body;
          if (!Buffer.isBuffer(body) || body.length === 0)
            throw new LifeCircleError('LC_USAGE', 'send the import file as the request body');
          const { crs, mapping, typeMap } = importRequestOptions(q);
          // Parsing, checking and writing run in a job's worker thread: other requests are served meanwhile.
          const job = await jobs.submit(request.viewer, importJob, {
            entity: spec.entity,
            bytes: body,
            fileName: q.fileName ?? `${spec.entity}.${q.format ?? 'csv'}`,
            format: q.format,
            encoding: q.encoding,
            crs,
            mapping,
            type: q.type,
            typeMap,
            city: q.city,
            dryRun: q.dryRun,
            skipBadRows: q.skipBadRows,
          });
          if (prefersAsync(request.headers)) return acceptedJob(reply, job);
          const ended = await jobs.finished(job.id);
          const outcome = (ended.result ?? ended.error?.details) as ImportOutcome | undefined;
          const answer = outcome && {
            importId: outcome.importId,
            reportXlsx: reportUrl(outcome.importId),
            report: outcome.report,
          };
          if (ended.status === 'succeeded' && answer) return answer;
          throw jobFailure(ended, answer);
        },
      );
    });
  }

  // Linking places to the city's 社区 reads a raw file too: its own context and body parser.
  await app.register(async (plain) => {
    const raw = plain.withTypeProvider<TypeBoxTypeProvider>();
    raw.removeAllContentTypeParsers();
    raw.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 50 * 1024 * 1024 }, (_req, body, done) =>
      done(null, body),
    );
    raw.post(
      '/api/communities/link',
      {
        config: {
          permission: 'registry.write.communities',
          rateLimit: rateLimitOf(ctx.rateLimits, 'imports'),
        },
        schema: {
          tags: ['communities'],
          summary:
            "Link the store's communities to the 社区 of a file (polygon holding them, else nearest point); audited",
          description:
            'Send the 社区 file (CSV, XLSX or GeoJSON with the communities register columns) as the raw body. Each ' +
            'place takes the division code of the 社区 whose polygon holds its point, else of the nearest 社区 point ' +
            'within maxDistanceM; apportion splits the 社区 population over its places by area (flagged estimated).',
          querystring: Type.Object({
            fileName: Type.Optional(Type.String({ maxLength: 200 })),
            crs: Type.Optional(Type.String()),
            maxDistanceM: Type.Number({ minimum: 0, maximum: 100000 }),
            apportion: Type.Optional(Type.Boolean()),
            dryRun: Type.Optional(Type.Boolean()),
            city: Type.Optional(
              Type.String({
                pattern: '^[0-9]{4}([0-9]{2})?$',
                description: 'default: the city this server plans for',
              }),
            ),
          }),
          response: {
            200: Type.Object({
              units: Type.Integer(),
              places: Type.Integer(),
              linkedInside: Type.Integer(),
              linkedNearest: Type.Integer(),
              changed: Type.Integer(),
              unlinked: Type.Integer(),
              unlinkedExamples: Type.Array(
                Type.Object({
                  placeCode: Type.String(),
                  nearestUnitCode: Type.Union([Type.String(), Type.Null()]),
                  distanceM: Type.Union([Type.Number(), Type.Null()]),
                }),
              ),
              unitsWithoutPlaces: Type.Array(Type.String()),
              dryRun: Type.Boolean(),
            }),
            ...ERRORS,
            ...RATE_LIMITED,
            503: ErrorRef,
          },
        },
      },
      async (request) => {
        const q = request.query;
        const body = request.body;
        if (!Buffer.isBuffer(body) || body.length === 0)
          throw new LifeCircleError('LC_USAGE', 'send the 社区 file as the request body');
        const { crs } = importRequestOptions(q);
        // Reading the file and linking a city's places are CPU work: a job in a worker thread.
        const job = await jobs.submit(request.viewer, linkJob, {
          bytes: body,
          fileName: q.fileName ?? 'communities.csv',
          crs,
          maxDistanceM: q.maxDistanceM,
          apportion: q.apportion,
          dryRun: q.dryRun,
          city: q.city,
        });
        const ended = await jobs.finished(job.id);
        if (ended.status === 'succeeded' && ended.result) return ended.result as LinkCommunitiesReport;
        throw jobFailure(ended, undefined);
      },
    );
  });

  app.get(
    '/api/imports/:id',
    {
      config: { permission: 'registry.import' },
      schema: {
        tags: ['imports'],
        summary: 'The report of an earlier import',
        params: Type.Object({ id: Type.Integer() }),
        response: { 200: S.ImportReport, ...ERRORS },
      },
    },
    async (request) => {
      const record = await importRecordFor(store, request.params.id, request.viewer);
      return {
        importId: record.id,
        reportXlsx: reportUrl(record.id),
        report: boundedReport(record.report as ImportReportValue),
      };
    },
  );

  app.get(
    '/api/imports/:id/report.xlsx',
    {
      config: { permission: 'registry.import' },
      schema: {
        tags: ['imports'],
        summary: 'The row report of an import as XLSX',
        params: Type.Object({ id: Type.Integer() }),
        response: { 200: S.FileDownload('the import report workbook (XLSX)'), ...ERRORS },
      },
    },
    async (request, reply) => {
      const record = await importRecordFor(store, request.params.id, request.viewer);
      const file = await importReportToXlsx(boundedReport(record.report as ImportReportValue));
      return reply
        .header('content-type', CONTENT_TYPES.xlsx)
        .header('content-disposition', `attachment; filename="import-${record.id}-report.xlsx"`)
        .send(file);
    },
  );

  app.get(
    '/api/imports/:id/rejected-rows',
    {
      config: { permission: 'registry.import' },
      schema: {
        tags: ['imports'],
        summary: "The rows an import refused, in the file's own columns plus one naming the problems",
        description: 'Fix the cells and import this file again. CSV (GeoJSON for a GeoJSON import).',
        params: Type.Object({ id: Type.Integer() }),
        response: { 200: S.FileDownload('the rejected rows (CSV or GeoJSON)'), ...ERRORS },
      },
    },
    async (request, reply) => {
      const record = await importRecordFor(store, request.params.id, request.viewer);
      const kept = (record.summary as { rejectedRows?: { fileName: string; base64: string } | null })
        .rejectedRows;
      if (!kept) throw new LifeCircleError('LC_NOT_FOUND', `import ${record.id} refused no rows`);
      const geojson = kept.fileName.endsWith('.geojson');
      return reply
        .header('content-type', geojson ? CONTENT_TYPES.geojson : CONTENT_TYPES.csv)
        .header(
          'content-disposition',
          `attachment; filename="import-${record.id}-rejected.${geojson ? 'geojson' : 'csv'}"`,
        )
        .send(Buffer.from(kept.base64, 'base64'));
    },
  );
};
