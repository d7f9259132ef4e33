import { Type } from '@sinclair/typebox';
import { logout } from '../accounts/index.js';
import { login, presentAccount } from './auth.js';
import { Session, User } from './schemas.js';
import type { RoutePlugin } from './route-context.js';
import { ERRORS, RATE_LIMITED } from './route-context.js';
import { rateLimitOf } from './security.js';
import { LifeCircleError } from '../errors.js';

export const authRoutes: RoutePlugin = async (app, ctx) => {
  const { store, clock, cityCode } = ctx;
  const deps = { store, clock, cityCode };
  app.post(
    '/api/auth/login',
    {
      config: { permission: 'session.manage', rateLimit: rateLimitOf(ctx.rateLimits, 'login') },
      schema: {
        tags: ['auth'],
        summary: 'Log in; the token goes in `Authorization: Bearer <token>` until it expires',
        security: [],
        body: Type.Object({
          // Bounded: a failed login is audited under the name tried, and scrypt's cost grows with the input.
          username: Type.String({ minLength: 1, maxLength: 128 }),
          password: Type.String({ minLength: 1, maxLength: 1024 }),
        }),
        response: { 200: Session, ...ERRORS, ...RATE_LIMITED },
      },
    },
    async (request) => login(ctx, { ...request.body, client: request.ip }),
  );

  app.post(
    '/api/auth/logout',
    {
      config: { permission: 'session.manage' },
      schema: { tags: ['auth'], summary: 'End this session', response: { 204: Type.Null(), ...ERRORS } },
    },
    async (request, reply) => {
      await logout(deps, request.viewer, { authorization: request.headers.authorization });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/auth/me',
    {
      config: { permission: 'session.manage' },
      schema: {
        tags: ['auth'],
        summary: 'The logged-in user (a resident shows as their masked phone, 138****5678)',
        response: { 200: User, ...ERRORS },
      },
    },
    async (request) => {
      const user = request.viewer.id ? await store.users.get(request.viewer.id) : null;
      if (!user) throw new LifeCircleError('LC_AUTH_REQUIRED', 'not logged in');
      return presentAccount(store, user);
    },
  );
};
