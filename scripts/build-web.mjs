// Bundles the classic dashboard (web/src → web/dist) with esbuild: the shell of the views not yet rebuilt in Vue
// (plans, supervision, administration) and the residents' page, each view a chunk loaded when first opened, and one
// CSS file, so the page needs nothing from outside the server. The Vue dashboard (with the map) is built by Vite.
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

rmSync('web/dist', { recursive: true, force: true });
mkdirSync('web/dist', { recursive: true });
await build({
  entryPoints: { main: 'web/src/main.ts', resident: 'web/src/resident/main.ts' },
  bundle: true,
  format: 'esm',
  // Code splitting: each view is a chunk loaded when first opened.
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
