#!/usr/bin/env node
// The compiled CLI lives in dist/ (built by `npm install` through the `prepare` script, or `npm run build`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write(
    'lifecircle: the build is missing (dist/). Run `npm install` or `npm run build` first.\n',
  );
  process.exit(1);
}
await import(entry.href);
