import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

// The Vue dashboard (web/app → web/dist/app), served by the server at /app/. Everything is bundled: the page
// loads nothing from outside the server (offline 政务 networks).
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/app/',
  plugins: [vue()],
  // The API types generated from the server's OpenAPI document, shared with the classic dashboard.
  resolve: { alias: { '@lc/api': fileURLToPath(new URL('../src/api/index.ts', import.meta.url)) } },
  build: {
    outDir: fileURLToPath(new URL('../dist/app', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 2000,
  },
  logLevel: 'warn',
});
