// Shared StrykerJS settings for `npm run mutation` (scripts/mutation.mjs), which adds each module's `mutate`
// ranges and its own test files. Run alone (`npx stryker run`) it mutates every module against all their tests.
// See docs/testing.md, "Mutation testing".
import { MODULES } from './scripts/mutation-modules.mjs';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'tap',
  tap: {
    // Test files run from the TypeScript sources through tsx: no tsc build per mutant.
    testFiles: [...new Set(MODULES.flatMap((m) => m.testFiles()))],
    nodeArgs: ['--import', 'tsx', '--test-reporter=tap', '{{testFile}}'],
    forceBail: true,
  },
  mutate: MODULES.flatMap((m) => m.mutate()),
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.json',
  coverageAnalysis: 'perTest',
  // A 2-core machine shared with other people's test runs.
  concurrency: 1,
  timeoutMS: 3000,
  timeoutFactor: 2,
  dryRunTimeoutMinutes: 10,
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  ignorePatterns: [
    'dist',
    'reports',
    'web/dist',
    'test-results',
    '.lifecircle',
    'lifecircle-analysis',
    'bench/results',
    '*.graph.tmp-*',
  ],
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/all.html' },
  jsonReporter: { fileName: 'reports/mutation/all.json' },
  clearTextReporter: { allowColor: false, logTests: false },
  thresholds: { high: 85, low: 70 },
};
