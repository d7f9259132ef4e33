// `npm run mutation [-- module ...]`: StrykerJS mutation testing of the modules where a silent bug costs most
// (scripts/mutation-modules.mjs), one module at a time, each against its own test files only. Not part of
// `npm test`: it is slow. Reports go to reports/mutation/ (HTML, JSON, survivors, a summary per module).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MODULES } from './mutation-modules.mjs';

const OUT = 'reports/mutation';

/** Mutation score as Stryker computes it: detected (killed + timeout) over all valid mutants. */
function summarise(name, results, seconds) {
  const count = (status) => results.filter((r) => r.status === status).length;
  const s = {
    module: name,
    killed: count('Killed'),
    timeout: count('Timeout'),
    survived: count('Survived'),
    noCoverage: count('NoCoverage'),
    compileError: count('CompileError'),
    runtimeError: count('RuntimeError'),
    ignored: count('Ignored'),
    seconds: Math.round(seconds),
  };
  const valid = s.killed + s.timeout + s.survived + s.noCoverage;
  s.score = valid === 0 ? null : Math.round((10000 * (s.killed + s.timeout)) / valid) / 100;
  return s;
}

/** Runs Stryker for one module in this process (the parent starts one process per module). */
async function runOne(module, dryRunOnly) {
  const { Stryker } = await import('@stryker-mutator/core');
  const { default: base } = await import('../stryker.config.mjs');
  const started = Date.now();
  const options = {
    ...base,
    mutate: module.mutate(),
    tap: { ...base.tap, testFiles: module.testFiles() },
    htmlReporter: { fileName: `${OUT}/${module.name}.html` },
    jsonReporter: { fileName: `${OUT}/${module.name}.json` },
    dryRunOnly,
  };
  console.log(
    `mutation: ${module.title}\n  mutate: ${options.mutate.join(' ')}\n  tests: ${options.tap.testFiles.join(' ')}`,
  );
  const results = await new Stryker(options).runMutationTest();
  if (dryRunOnly) return;
  const summary = summarise(module.name, results, (Date.now() - started) / 1000);
  const survivors = results
    .filter((r) => r.status === 'Survived' || r.status === 'NoCoverage')
    .map((r) => {
      const at = `${r.fileName}:${r.location.start.line}:${r.location.start.column + 1}`;
      return `${r.status}\t${at}\t${r.mutatorName}\t${JSON.stringify(r.replacement ?? '')}`;
    });
  mkdirSync(OUT, { recursive: true });
  writeFileSync(`${OUT}/${module.name}.summary.json`, `${JSON.stringify(summary, null, 2)}\n`);
  writeFileSync(`${OUT}/${module.name}.survivors.tsv`, survivors.length ? `${survivors.join('\n')}\n` : '');
}

// `--dry-run`: only instrument, type-check and run each module's tests once (checks the setup in a minute or two).
const dryRun = process.argv.includes('--dry-run');
const args = process.argv.slice(2).filter((a) => a !== '--dry-run');
if (args[0] === '--only') {
  const module = MODULES.find((m) => m.name === args[1]);
  await runOne(module, dryRun);
} else {
  const unknown = args.filter((a) => !MODULES.some((m) => m.name === a));
  if (unknown.length) {
    console.error(
      `mutation: unknown module ${unknown.join(', ')}; known: ${MODULES.map((m) => m.name).join(', ')}`,
    );
    process.exit(2);
  }
  const chosen = args.length ? MODULES.filter((m) => args.includes(m.name)) : MODULES;
  const rows = [];
  let failed = false;
  for (const module of chosen) {
    const run = spawnSync(
      process.execPath,
      [fileURLToPath(import.meta.url), '--only', module.name, ...(dryRun ? ['--dry-run'] : [])],
      { stdio: 'inherit' },
    );
    if (run.status !== 0) {
      failed = true;
      console.error(`mutation: ${module.name} did not complete (exit ${run.status})`);
      continue;
    }
    if (dryRun) continue;
    rows.push(JSON.parse(readFileSync(`${OUT}/${module.name}.summary.json`, 'utf8')));
  }
  console.log(
    '\n| module | killed | timeout | survived | no coverage | compile errors | score % | time (s) |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows)
    console.log(
      `| ${r.module} | ${r.killed} | ${r.timeout} | ${r.survived} | ${r.noCoverage} | ${r.compileError} | ${r.score ?? '–'} | ${r.seconds} |`,
    );
  process.exit(failed ? 1 : 0);
}
