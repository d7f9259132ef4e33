import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';
import { LifeCircleError } from '../errors.js';

/**
 * Serves the built web apps (web/dist): the dashboard at `/app/`, the residents' page at `/resident/`; the API
 * stays under /api/.
 */
export const webRoutes: FastifyPluginAsync<{ root: string }> = async (app, { root }) => {
  const dashboard = join(root, 'app', 'index.html');
  if (!existsSync(dashboard))
    throw new LifeCircleError(
      'LC_FILE_NOT_FOUND',
      `the dashboard is not built: ${dashboard} is missing (run npm run build)`,
    );
  await app.register(fastifyStatic, { root, prefix: '/', index: ['index.html'] });
  // The classic dashboard's address (`/#/plans…`, bookmarks, printed notices) opens the Vue dashboard: a redirect
  // keeps the fragment (RFC 9110 §10.2.2), which the dashboard's router reads.
  app.get('/', (_request, reply) => reply.redirect('/app/', 302));
  // The residents' page moved from the classic /resident.html to its own Vue app (web/resident → /resident/); the
  // address people saved or printed on posters keeps working.
  for (const url of ['/resident.html', '/resident'])
    app.get(url, (_request, reply) => reply.redirect('/resident/', 301));
};
