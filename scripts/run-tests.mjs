// Runs every compiled test file (dist/**/*.test.js) with Node's built-in test runner.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function findTests(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) findTests(path, out);
    else if (name.endsWith('.test.js')) out.push(path);
  }
  return out;
}

const filter = process.argv.slice(2);
// Benchmark helpers (dist/bench) have tests too: they check that every peer is given the same problem as ours.
const files = [...findTests('dist/src'), ...findTests('dist/bench')]
  .filter((f) => filter.length === 0 || filter.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error('run-tests: no test files found under dist/src (did the build run?)');
  process.exit(1);
}
// LIFECIRCLE_TEST_DATABASE_URL set: every temporary store is a schema on that PostgreSQL server (src/store).
const url = process.env.LIFECIRCLE_TEST_DATABASE_URL;
console.log(
  `run-tests: ${files.length} files on ${url ? `PostgreSQL (${url.replace(/:[^:@/]*@/, ':…@')})` : 'SQLite files'}`,
);
const result = spawnSync(process.execPath, ['--test', '--test-reporter=spec', ...files], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
