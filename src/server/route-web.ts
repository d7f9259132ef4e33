import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';
import { LifeCircleError } from '../errors.js';

/** Serves the built dashboard (web/dist) at `/`; the API stays under /api/. */
export const webRoutes: FastifyPluginAsync<{ root: string }> = async (app, { root }) => {
  if (!existsSync(join(root, 'index.html')))
    throw new LifeCircleError(
      'LC_FILE_NOT_FOUND',
      `the dashboard is not built: ${join(root, 'index.html')} is missing (run npm run build)`,
    );
  await app.register(fastifyStatic, { root, prefix: '/', index: ['index.html'] });
};
