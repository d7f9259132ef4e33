import { Type } from '@sinclair/typebox';
import { FacilityType, literals, Page, PageQuery, Region } from './schemas.js';
import type { RoutePlugin } from './route-context.js';
import { saveFacilityType } from '../registry/index.js';
import { ERRORS } from './route-context.js';

export const metaRoutes: RoutePlugin = async (app, { store, cityCode, clock }) => {
  const deps = { store, clock, cityCode };
  app.get(
    '/api/health',
    {
      config: { permission: 'meta.read' },
      schema: {
        tags: ['meta'],
        summary: 'Liveness and the schema version of the store',
        response: {
          200: Type.Object({ ok: Type.Boolean(), schemaVersion: Type.Integer(), cityCode: Type.String() }),
        },
      },
    },
    async () => ({ ok: true, schemaVersion: await store.schemaVersion(), cityCode }),
  );

  app.get(
    '/api/regions',
    {
      config: { permission: 'registry.read' },
      schema: {
        tags: ['registry'],
        summary: '行政区划 codes: province → 区 → 街道 → 社区',
        querystring: Type.Object({
          ...PageQuery,
          level: Type.Optional(
            literals(['province', 'city', 'district', 'subdistrict', 'community'] as const),
          ),
          parentCode: Type.Optional(Type.String({ pattern: '^[0-9]{2,12}$' })),
          within: Type.Optional(Type.String({ pattern: '^[0-9]{2,12}$' })),
          q: Type.Optional(Type.String({ maxLength: 50 })),
        }),
        response: { 200: Page(Region), ...ERRORS },
      },
    },
    async (request) => store.regions.list(request.query),
  );

  app.get(
    '/api/facility-types',
    {
      config: { permission: 'registry.read' },
      schema: {
        tags: ['registry'],
        summary: 'Facility types with their source document',
        response: { 200: Type.Array(FacilityType) },
      },
    },
    async () => store.facilityTypes.list(),
  );

  app.put(
    '/api/facility-types/:code',
    {
      config: { permission: 'registry.write.types' },
      schema: {
        tags: ['registry'],
        summary: "Add or change one of the city's facility types (with its source document); audited",
        params: Type.Object({ code: Type.String() }),
        body: Type.Omit(FacilityType, ['code']),
        response: { 200: FacilityType, ...ERRORS },
      },
    },
    async (request) => saveFacilityType(deps, request.viewer, { ...request.body, code: request.params.code }),
  );
};
