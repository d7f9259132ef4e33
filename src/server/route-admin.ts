import { Type } from '@sinclair/typebox';
import { actorOf, createUser } from './auth.js';
import { presentAudit, presentUser } from './presenters.js';
import { AuditEntry, NewUser, Page, PageQuery, User } from './schemas.js';
import type { RoutePlugin } from './route-context.js';
import { ERRORS } from './route-context.js';

export const adminRoutes: RoutePlugin = async (app, { store }) => {
  app.get(
    '/api/users',
    {
      config: { permission: 'users.manage' },
      schema: {
        tags: ['admin'],
        summary: 'Users and their roles',
        querystring: Type.Object(PageQuery),
        response: { 200: Page(User), ...ERRORS },
      },
    },
    async (request) => {
      const page = await store.users.list(request.query);
      return { ...page, items: page.items.map(presentUser) };
    },
  );

  app.post(
    '/api/users',
    {
      config: { permission: 'users.manage' },
      schema: {
        tags: ['admin'],
        summary: 'Create a user (password hashed with scrypt); audited',
        body: NewUser,
        response: { 201: User, ...ERRORS, 409: { $ref: 'ErrorBody#' } },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const user = await createUser(
        store,
        {
          username: b.username,
          displayName: b.displayName,
          password: b.password,
          role: b.role,
          department: b.department ?? null,
          domains: b.domains ?? [],
          regionCode: b.regionCode ?? null,
          providerUscc: b.providerUscc ?? null,
        },
        actorOf(request.viewer),
      );
      return reply.status(201).send(presentUser(user));
    },
  );

  app.get(
    '/api/audit',
    {
      config: { permission: 'audit.read' },
      schema: {
        tags: ['admin'],
        summary: 'The audit log of every write, newest first: who, when, what, before and after',
        querystring: Type.Object({
          ...PageQuery,
          entity: Type.Optional(Type.String()),
          entityKey: Type.Optional(Type.String()),
          actorId: Type.Optional(Type.Integer()),
          since: Type.Optional(Type.String({ format: 'date-time' })),
        }),
        response: { 200: Page(AuditEntry), ...ERRORS },
      },
    },
    async (request) => {
      const page = await store.audit.list(request.query);
      return { ...page, items: page.items.map(presentAudit) };
    },
  );
};
