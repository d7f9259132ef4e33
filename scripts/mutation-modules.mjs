// The modules under mutation testing (docs/testing.md, "Mutation testing"): what each mutates and which test files
// run against it. Parts of a file are found by the text that opens them, not by fixed line numbers, so the ranges
// follow the file as it changes.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `file:start-end` for the block opened by the first line matching `opening` and closed by the next line, at the
 * same indentation, that starts with `}` (or, given `closing`, by the first line after it matching `closing`).
 */
function block(file, opening, closing) {
  const lines = readFileSync(file, 'utf8').split('\n');
  const start = lines.findIndex((line) => opening.test(line));
  if (start < 0) throw new Error(`mutation: ${file} has no line matching ${opening}`);
  const indent = /^\s*/.exec(lines[start])[0];
  let end = -1;
  for (let i = start + 1; i < lines.length && end < 0; i++) {
    if (closing ? closing.test(lines[i]) : lines[i].startsWith(`${indent}}`)) end = i;
  }
  if (end < 0) throw new Error(`mutation: ${file}: the block opened by ${opening} does not close`);
  return `${file}:${start + 1}-${end + 1}`;
}

/** `file:n-n` for the single line matching `pattern`. */
function line(file, pattern) {
  const n =
    readFileSync(file, 'utf8')
      .split('\n')
      .findIndex((l) => pattern.test(l)) + 1;
  if (n === 0) throw new Error(`mutation: ${file} has no line matching ${pattern}`);
  return `${file}:${n}-${n}`;
}

/** Test files (*.test.ts) in a folder, minus those whose name contains one of `except`. */
function testsIn(dir, except = []) {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.test.ts') && !except.some((x) => name.includes(x)))
    .sort()
    .map((name) => join(dir, name).replaceAll('\\', '/'));
}

/** Test files named explicitly, plus the folder's test files whose name starts with one of `prefixes`. */
function testsNamed(dir, prefixes) {
  return testsIn(dir).filter((f) => prefixes.some((p) => f.slice(dir.length + 1).startsWith(p)));
}

export const MODULES = [
  {
    name: 'network',
    title: 'network search (src/network/search.ts)',
    mutate: () => ['src/network/search.ts'],
    testFiles: () => testsNamed('src/network', ['search']),
  },
  {
    name: 'access',
    title: 'access: reach, 2SFCA, coverage (reach.ts, fca.ts, coverage part of evaluate.ts)',
    mutate: () => [
      'src/access/reach.ts',
      'src/access/fca.ts',
      // Coverage: the distance limit, covered = nearest within the radius, completeness per tier.
      block('src/access/evaluate.ts', /^ {2}const maxRadius = /, /covered\[c\] = r\.nearestM\[c\]/),
      block('src/access/evaluate.ts', /^export function completenessByTier\(/),
    ],
    // chengdu.test.ts needs the census under data/ and reads it relative to dist/: it runs in `npm test` only.
    testFiles: () => testsIn('src/access', ['chengdu']),
  },
  {
    name: 'geo',
    title: 'geo coordinates and distance (src/geo/distance.ts)',
    mutate: () => ['src/geo/distance.ts'],
    // No suite of its own before mutation testing: the suites that check distances against it.
    testFiles: () => [...testsIn('src/geo'), 'src/network/snap.test.ts', 'src/registry/coordinates.test.ts'],
  },
  {
    name: 'registry',
    title: 'registry validation (coordinates.ts, uscc.ts, parse-row.ts)',
    mutate: () => ['src/registry/coordinates.ts', 'src/registry/uscc.ts', 'src/registry/parse-row.ts'],
    testFiles: () => testsIn('src/registry'),
  },
  {
    name: 'permissions',
    title: 'policy (src/policy/permissions.ts: the permission table and the one scope rule)',
    mutate: () => ['src/policy/permissions.ts'],
    // The suites aimed at the policy: the hand-written route and command tables, the registry's scope
    // (server.test), credit and case scope through the API and through commands. Every API suite calls the
    // permission check, so running them all for each mutant costs hours for little more.
    testFiles: () => [
      ...testsIn('src/policy'),
      'src/server/role-table.test.ts',
      'src/server/commands-policy.test.ts',
      'src/server/server.test.ts',
      'src/server/route-credit.test.ts',
      'src/supervision/commands.test.ts',
      'src/indicators/commands.test.ts',
    ],
  },
  {
    name: 'audit',
    title: 'audit repository (audit part of src/store/sqlite-store.ts)',
    mutate: () => [
      block('src/store/sqlite-store.ts', /^const auditFromRow = /),
      block('src/store/sqlite-store.ts', /^ {4}audit: \{$/),
    ],
    // audit-trail.test.ts checks the audit record of every kind of write through the API.
    testFiles: () => [...testsNamed('src/store', ['store', 'audit']), ...testsNamed('src/server', ['audit'])],
  },
  {
    name: 'supervision',
    title: 'supervision deadlines (working-days.ts, deadline logic of cases.ts)',
    mutate: () => [
      'src/supervision/working-days.ts',
      block('src/supervision/cases.ts', /^export function validateCaseConfig\(/),
      line('src/supervision/cases.ts', /^ {4}deadline: addWorkingDays\(/),
      block('src/supervision/cases.ts', /^export function overdueLevel\(/),
      block('src/supervision/cases.ts', /^ {4}case 'escalate': \{$/),
      block('src/supervision/cases.ts', /^export function casesToEscalate\(/),
    ],
    // flow.test.ts reads its fixture relative to dist/: it runs in `npm test` only.
    testFiles: () => testsNamed('src/supervision', ['working-days', 'cases', 'deadline', 'escalat']),
  },
  {
    name: 'plans',
    title: 'plan targets (src/plans/targets.ts)',
    mutate: () => ['src/plans/targets.ts'],
    testFiles: () => testsIn('src/plans'),
  },
];
