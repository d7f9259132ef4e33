import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import Components from 'unplugin-vue-components/vite';
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers';
import { defineConfig } from 'vite';

// The Vue dashboard (web/app → web/dist/app), served by the server at /app/. Everything is bundled: the page
// loads nothing from outside the server (offline 政务 networks).
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/app/',
  // Element Plus on demand: each page's chunk imports the components (and their CSS) it uses, so the first page
  // does not parse the whole library before drawing (bench/start.ts measures it).
  plugins: [vue(), Components({ resolvers: [ElementPlusResolver({ importStyle: 'css' })], dts: false })],
  // The API types generated from the server's OpenAPI document, shared with the classic dashboard.
  resolve: { alias: { '@lc/api': fileURLToPath(new URL('../api/index.ts', import.meta.url)) } },
  build: {
    outDir: fileURLToPath(new URL('../dist/app', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 2000,
  },
  logLevel: 'warn',
});
