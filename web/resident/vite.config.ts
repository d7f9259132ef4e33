import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig, type Plugin } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** A URL to another host in CSS (`url(//…)`, `url(https://…)`). */
const REMOTE_URL = /url\(\s*["']?(?:https?:)?\/\//;

/**
 * Nothing from outside the server (offline 政务 networks): Vant's icon font names a CDN copy after its inline woff2,
 * which no browser that reads woff2 fetches; it is dropped, and the build fails if any other remote URL is left.
 */
function localOnly(): Plugin {
  return {
    name: 'lifecircle-local-only',
    generateBundle(_options, bundle) {
      for (const file of Object.values(bundle)) {
        if (file.type !== 'asset' || !file.fileName.endsWith('.css')) continue;
        const css = String(file.source).replace(
          /,\s*url\(\s*["']?(?:https?:)?\/\/[^)]*\)\s*format\(\s*["']?woff["']?\s*\)/g,
          '',
        );
        const remote = css.search(REMOTE_URL);
        if (remote >= 0)
          this.error(`${file.fileName} loads from another host: ${css.slice(remote, remote + 120)}`);
        file.source = css;
      }
    },
  };
}

// The residents' phone page (web/resident → web/dist/resident), served at /resident/ (/resident.html redirects).
export default defineConfig({
  root: here('.'),
  base: '/resident/',
  plugins: [vue(), localOnly()],
  resolve: {
    alias: {
      // The API types generated from the server's OpenAPI document, and the dashboard's client and formats.
      '@lc/api': here('../api/index.ts'),
      '@lc/app': here('../app/src'),
    },
  },
  build: {
    outDir: here('../dist/resident'),
    emptyOutDir: true,
    sourcemap: true,
  },
  logLevel: 'warn',
});
