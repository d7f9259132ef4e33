import { Type } from '@sinclair/typebox';
import { createUser, unlockLogin, updateUser } from '../accounts/index.js';
import { LifeCircleError } from '../errors.js';
import { presentAudit, presentUser } from './presenters.js';
import { AuditEntry, NewUser, Page, PageQuery, User, UserChange } from './schemas.js';
import type { RoutePlugin } from './route-context.js';
import { ERRORS, ErrorRef } from './route-context.js';

export const adminRoutes: RoutePlugin = async (app, { store, clock, cityCode, loginThrottle }) => {
  const deps = { store, clock, cityCode };
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
        response: { 201: User, ...ERRORS, 409: ErrorRef },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const user = await createUser(deps, request.viewer, {
        username: b.username,
        displayName: b.displayName,
        password: b.password,
        role: b.role,
        department: b.department ?? null,
        domains: b.domains ?? [],
        regionCode: b.regionCode ?? null,
        providerUscc: b.providerUscc ?? null,
      });
      return reply.status(201).send(presentUser(user));
    },
  );

  app.patch(
    '/api/users/:id',
    {
      config: { permission: 'users.manage' },
      schema: {
        tags: ['admin'],
        summary: 'Change a user: role, scope, password, or disable the account (ends its sessions); audited',
        params: Type.Object({ id: Type.Integer() }),
        body: UserChange,
        response: { 200: User, ...ERRORS },
      },
    },
    async (request) =>
      presentUser(await updateUser(deps, request.viewer, { id: request.params.id, change: request.body })),
  );

  app.post(
    '/api/users/:id/unlock',
    {
      config: { permission: 'users.manage' },
      schema: {
        tags: ['admin'],
        summary: "Clear the failed-login delays of a user's name (from every address); audited",
        params: Type.Object({ id: Type.Integer() }),
        response: { 200: Type.Object({ username: Type.String(), cleared: Type.Integer() }), ...ERRORS },
      },
    },
    async (request) => {
      const user = await store.users.get(request.params.id);
      if (!user) throw new LifeCircleError('LC_NOT_FOUND', `user ${request.params.id} does not exist`);
      const { cleared } = await unlockLogin(deps, request.viewer, {
        username: user.username,
        throttle: loginThrottle,
      });
      return { username: user.username, cleared };
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
