// Bundles the dashboard (web/src → web/dist) with esbuild: one JS and one CSS file, MapLibre and ECharts included,
// plus MapLibre's worker, so the page needs nothing from outside the server.
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

rmSync('web/dist', { recursive: true, force: true });
mkdirSync('web/dist', { recursive: true });
await build({
  entryPoints: { main: 'web/src/main.ts' },
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify: true,
  sourcemap: true,
  outdir: 'web/dist',
  legalComments: 'linked',
  logLevel: 'warning',
});
copyFileSync('web/index.html', 'web/dist/index.html');
// MapLibre starts its worker from ./maplibre-gl-worker.mjs beside the bundle (import.meta.url of main.js).
copyFileSync('node_modules/maplibre-gl/dist/maplibre-gl-worker.mjs', 'web/dist/maplibre-gl-worker.mjs');
