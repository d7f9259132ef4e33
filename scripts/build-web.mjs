// Bundles the dashboard (web/src → web/dist) with esbuild: the main JS (with MapLibre), an ECharts chunk loaded on
// demand, and one CSS file,
// plus MapLibre's worker, so the page needs nothing from outside the server.
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

rmSync('web/dist', { recursive: true, force: true });
mkdirSync('web/dist', { recursive: true });
await build({
  entryPoints: { main: 'web/src/main.ts', resident: 'web/src/resident/main.ts' },
  bundle: true,
  format: 'esm',
  // Code splitting lets the page load ECharts on demand (a separate chunk).
  splitting: true,
  target: 'es2022',
  minify: true,
  sourcemap: true,
  outdir: 'web/dist',
  legalComments: 'linked',
  logLevel: 'warning',
});
copyFileSync('web/index.html', 'web/dist/index.html');
// The residents' mobile page (rate, complain, my cases): its own entry and CSS, sharing chunks with the dashboard.
copyFileSync('web/resident.html', 'web/dist/resident.html');
// MapLibre starts its worker from ./maplibre-gl-worker.mjs beside the bundle (import.meta.url of main.js).
copyFileSync('node_modules/maplibre-gl/dist/maplibre-gl-worker.mjs', 'web/dist/maplibre-gl-worker.mjs');
