import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  summariseCoverageRun,
  type AnalysisProvider,
  type ImportCityNetworkResult,
} from '../analysis/index.js';
import { createCity, setCityExtent } from '../cities/index.js';
import { LifeCircleError } from '../errors.js';
import { cityAnalysisJob, networkImportJob } from '../jobs/index.js';
import { loadStandards } from '../standards/index.js';
import type { AnalysisRun } from '../store/index.js';
import { ERRORS, ErrorRef, RATE_LIMITED, type RouteContext, type RoutePlugin } from './route-context.js';
import {
  acceptedJob,
  jobFailure,
  NetworkImportSummary,
  PreferHeader,
  prefersAsync,
  type JobAnswer,
} from './route-jobs.js';
import { City, CityBasemap, CityNetwork, CoverageSummary } from './schemas.js';
import { rateLimitOf } from './security.js';

const CityCode = Type.Object({ code: Type.String({ pattern: '^[0-9]{4}([0-9]{2})?$' }) });

/** Largest OSM extract accepted over the API (a large city's .osm.pbf is 50–300 MB; the CLI takes any size). */
const MAX_NETWORK_BYTES = 512 * 1024 * 1024;

const Bbox = Type.Tuple([Type.Number(), Type.Number(), Type.Number(), Type.Number()], {
  description: 'WGS-84 [west, south, east, north] in degrees',
});

/** Cities set up in the store (src/cities): list, set up from a division code, give a box. */
export const cityRoutes: RoutePlugin<RouteContext & { analysis?: AnalysisProvider }> = async (app, ctx) => {
  const { store, clock, cityCode, jobs, analysis } = ctx;
  const deps = { store, clock, cityCode };
  // The standards this server analyses with (the engine's when it runs one; the national defaults otherwise).
  const setup = analysis?.evaluationSetup?.();
  const standards = setup?.standards ?? loadStandards(undefined);
  app.get(
    '/api/cities',
    {
      config: { permission: 'meta.read' },
      schema: {
        tags: ['cities'],
        summary: 'The cities and 区县 set up in this store, with the one this server plans for',
        response: {
          200: Type.Object({ serving: Type.String(), items: Type.Array(City) }),
        },
      },
    },
    async () => ({ serving: cityCode, items: await store.cities.list() }),
  );

  app.post(
    '/api/cities',
    {
      config: { permission: 'cities.manage' },
      schema: {
        tags: ['cities'],
        summary: 'Set up a city (4 digits) or 区县 (6 digits) from its division code or name; audited',
        body: Type.Object(
          {
            code: Type.String({ minLength: 2, maxLength: 40, description: '5101, 510100, 310113, 成都市…' }),
            bbox: Type.Optional(Bbox),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            city: City,
            created: Type.Boolean(),
            divisions: Type.Integer(),
            communities: Type.Integer(),
          }),
          ...ERRORS,
        },
      },
    },
    async (request) => await createCity(deps, request.viewer, request.body),
  );

  app.put(
    '/api/cities/:code/extent',
    {
      config: { permission: 'cities.manage' },
      schema: {
        tags: ['cities'],
        summary: "Set a city's box by hand; audited",
        params: Type.Object({ code: Type.String({ pattern: '^[0-9]{4}([0-9]{2})?$' }) }),
        body: Type.Object({ bbox: Bbox }, { additionalProperties: false }),
        response: { 200: City, ...ERRORS },
      },
    },
    async (request) =>
      await setCityExtent(deps, request.viewer, {
        code: request.params.code,
        bbox: request.body.bbox as [number, number, number, number],
        source: 'manual',
        note: `given by ${request.viewer.username}`,
      }),
  );

  app.get(
    '/api/cities/:code/network',
    {
      config: { permission: 'cities.manage' },
      schema: {
        tags: ['cities'],
        summary:
          "The city's walking network (what it was built from, its size and extent) and its basemap (features " +
          'per layer), each or null',
        params: CityCode,
        response: {
          200: Type.Object({
            network: Type.Union([CityNetwork, Type.Null()]),
            basemap: Type.Union([CityBasemap, Type.Null()]),
          }),
          ...ERRORS,
        },
      },
    },
    async (request) => ({
      network: await store.cityNetworks.get(request.params.code),
      basemap: await store.cityBasemaps.get(request.params.code),
    }),
  );

  // The upload reads the raw extract: its own context and body parser.
  await app.register(async (plain) => {
    const raw = plain.withTypeProvider<TypeBoxTypeProvider>();
    raw.removeAllContentTypeParsers();
    raw.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_NETWORK_BYTES }, (_req, body, done) =>
      done(null, body),
    );
    raw.put(
      '/api/cities/:code/network',
      {
        config: { permission: 'cities.manage', rateLimit: rateLimitOf(ctx.rateLimits, 'imports') },
        schema: {
          tags: ['cities'],
          summary:
            "Build the city's walking network from an OSM extract (.osm or .osm.pbf as the body); audited",
          description:
            'A job in a worker thread (with `Prefer: respond-async`, 202 and follow /api/jobs/:id for its progress). ' +
            "With places (default true) the extract's residential areas become the city's communities and its " +
            "facilities the city's facilities, each only when the city has none yet.",
          headers: PreferHeader,
          params: CityCode,
          querystring: Type.Object({
            fileName: Type.Optional(Type.String({ maxLength: 200 })),
            places: Type.Optional(Type.Boolean()),
          }),
          response: {
            200: NetworkImportSummary,
            202: Type.Unsafe<JobAnswer>({ $ref: 'Job#' }),
            ...ERRORS,
            409: ErrorRef,
            ...RATE_LIMITED,
            503: ErrorRef,
          },
        },
      },
      async (request, reply) => {
        const body = request.body;
        if (!Buffer.isBuffer(body) || body.length === 0)
          throw new LifeCircleError(
            'LC_USAGE',
            'send the OSM extract (.osm or .osm.pbf) as the request body',
          );
        const job = await jobs.submit(request.viewer, networkImportJob, {
          cityCode: request.params.code,
          bytes: body,
          fileName: request.query.fileName ?? `${request.params.code}.osm`,
          places: request.query.places ?? true,
          standards,
        });
        if (prefersAsync(request.headers)) return acceptedJob(reply, job);
        const ended = await jobs.finished(job.id);
        if (ended.status !== 'succeeded') throw jobFailure(ended);
        return reply.status(200).send(ended.result as ImportCityNetworkResult);
      },
    );
  });

  app.post(
    '/api/cities/:code/analysis',
    {
      config: { permission: 'analysis.run' },
      schema: {
        tags: ['cities'],
        summary: 'Run the coverage analysis of a city on its walking network and keep the run; audited',
        description:
          "A job over the city's communities and the facilities near its network, in a worker thread of this " +
          'server, or of any `lifecircle worker` when the server runs with LIFECIRCLE_JOBS=queue (with ' +
          '`Prefer: respond-async`, 202 and follow /api/jobs/:id). 404 when the city has no network yet.',
        headers: PreferHeader,
        params: CityCode,
        response: {
          201: CoverageSummary,
          202: Type.Unsafe<JobAnswer>({ $ref: 'Job#' }),
          ...ERRORS,
          409: ErrorRef,
          503: ErrorRef,
        },
      },
    },
    async (request, reply) => {
      const code = request.params.code;
      // The record only: the graph itself is loaded by the job, off this thread (or on a worker machine).
      if (!(await store.cityNetworks.get(code)))
        throw new LifeCircleError(
          'LC_NOT_FOUND',
          `city ${code} has no walking network yet; upload an OSM extract of it first (PUT /api/cities/${code}/network)`,
        );
      const job = await jobs.submit(request.viewer, cityAnalysisJob, {
        cityCode: code,
        kind: 'coverage',
        standards,
      });
      if (prefersAsync(request.headers)) return acceptedJob(reply, job);
      const ended = await jobs.finished(job.id);
      if (ended.status !== 'succeeded') throw jobFailure(ended);
      const run = await store.analysisRuns.get((ended.result as { run: AnalysisRun }).run.id);
      return reply.status(201).send(summariseCoverageRun(run!));
    },
  );
};
