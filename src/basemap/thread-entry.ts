// The basemap thread's entry: src/basemap/thread.ts starts it as a worker thread.
import { parentPort } from 'node:worker_threads';
import { serveBasemaps } from './thread-worker.js';

if (!parentPort)
  throw new Error('src/basemap/thread-entry runs as a worker thread (BasemapThread starts it)');
serveBasemaps(parentPort);
