import { Type } from '@sinclair/typebox';
import { createCity, setCityExtent } from '../cities/index.js';
import { ERRORS, type RoutePlugin } from './route-context.js';
import { City } from './schemas.js';

const Bbox = Type.Tuple([Type.Number(), Type.Number(), Type.Number(), Type.Number()], {
  description: 'WGS-84 [west, south, east, north] in degrees',
});

/** Cities set up in the store (src/cities): list, set up from a division code, give a box. */
export const cityRoutes: RoutePlugin = async (app, { store, clock, cityCode }) => {
  const deps = { store, clock, cityCode };
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
};
