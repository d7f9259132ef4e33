import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { BUNDLED_CITY, prepareStore } from '../analysis/index.js';
import { LifeCircleError } from '../errors.js';
import { cliViewer } from '../policy/index.js';
import { openStore, type StoredPlan } from '../store/index.js';
import { systemClock } from '../time/index.js';
import {
  assertPlanSize,
  flattenMeasures,
  importPlan,
  importPlanDocument,
  MAX_PLAN_BYTES,
  measureUnits,
  type Measure,
  type ParsedPlan,
  type Target,
} from '../plans/index.js';
import {
  buildScorecard,
  INDICATORS,
  scorecardToHtml,
  scorecardToXlsx,
  type DistrictInput,
  type ReportMeta,
  type ScorecardConfig,
} from '../indicators/index.js';
import { formatTable } from './table.js';

async function readStdin(): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    chunks.push(buffer);
    if (size > MAX_PLAN_BYTES)
      throw new LifeCircleError(
        'LC_PLAN_TOO_LARGE',
        `(stdin) is larger than ${MAX_PLAN_BYTES / 1048576} MB, the import limit for policy documents`,
      );
  }
  return Buffer.concat(chunks);
}

function readInput(file: string): Uint8Array {
  let size: number;
  try {
    size = statSync(file).size;
  } catch (error) {
    throw new LifeCircleError('LC_FILE_NOT_FOUND', `${file} cannot be read: ${(error as Error).message}`, {
      cause: error,
    });
  }
  assertPlanSize(size, file);
  try {
    return readFileSync(file);
  } catch (error) {
    throw new LifeCircleError('LC_FILE_NOT_FOUND', `${file} cannot be read: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

const COMPARATOR_TEXT: Record<Target['comparator'], string> = {
  eq: '=',
  gte: '≥',
  gt: '>',
  lte: '≤',
  lt: '<',
};

export function formatTarget(t: Target): string {
  const value = t.valueMax !== null ? `${t.value}–${t.valueMax}` : `${t.value}`;
  const parts = [
    t.scope ? `[${t.scope}]` : '',
    t.phrase,
    `${COMPARATOR_TEXT[t.comparator]} ${value}${t.unit}`,
    t.relative
      ? `(${t.relative.change} ${t.relative.kind ?? 'absolute'} vs ${t.relative.baselineYear ?? 'baseline'})`
      : '',
    t.deadlineYear ? `by ${t.deadlineYear}` : '',
    t.aspirational ? '力争' : '',
    t.gradual ? '逐步' : '',
  ];
  return parts.filter((p) => p !== '').join(' ');
}

function formatMeasure(m: Measure): string[] {
  const indent = '  '.repeat(m.depth + 1);
  const head = m.synthetic
    ? '(heading lost in source)'
    : `${m.label ?? '·'} ${m.title ?? `${m.text.slice(0, 24)}…`}`;
  const lines = [`${indent}${m.id.padEnd(8)} ${head}`];
  const units = measureUnits(m);
  if (units.length > 0)
    lines.push(
      `${indent}         units: ${units
        .map(
          (u) => `${u.normalized}${u.role === 'lead' ? '(牵头)' : ''}${u.status === 'unknown' ? '(?)' : ''}`,
        )
        .join('、')}`,
    );
  for (const t of m.targets) lines.push(`${indent}         target: ${formatTarget(t)}`);
  return lines;
}

/** The human-readable summary `lifecircle plan import` prints without --json. */
export function formatPlan(plan: ParsedPlan): string {
  const md = plan.metadata;
  const all = flattenMeasures(plan.measures);
  const lines = [
    `file        ${plan.source.fileName} (${plan.source.format}${plan.source.encoding ? `, ${plan.source.encoding}` : ''}, ${plan.source.bytes} bytes)`,
    `title       ${md.title ?? '(not found)'}`,
    ...(md.planTitle && md.planTitle !== md.title ? [`plan        ${md.planTitle}`] : []),
    `issuer      ${md.issuer ?? '(not found)'}${md.issuerLevel ? ` (${md.issuerLevel} level)` : ''}`,
    `文号        ${md.documentNumber ?? '(not stated)'}`,
    `dates       ${md.dates.map((d) => `${d.date} ${d.role}`).join(', ') || '(none)'}`,
    `measures    ${all.length} (${all.filter((m) => m.responsibilities.length > 0).length} with responsible units, ${all.reduce((n, m) => n + m.targets.length, 0)} targets)`,
    ...(plan.table ? [`table       ${plan.table.title}: ${plan.table.rows.length} rows`] : []),
    '',
    ...all.flatMap(formatMeasure),
  ];
  if (plan.warnings.length > 0) lines.push('', ...plan.warnings.map((w) => `warning     ${w}`));
  return lines.join('\n');
}

interface ScorecardFile {
  meta: ReportMeta;
  config: ScorecardConfig;
  districts: DistrictInput[];
}

/** Read and check a scorecard input file; errors name the file and the field. */
export function readScorecardFile(path: string): ScorecardFile {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'LC_FILE_NOT_FOUND' : 'LC_USAGE';
    throw new LifeCircleError(code, `${path}: ${(error as Error).message}`, { cause: error });
  }
  const file = data as Partial<ScorecardFile>;
  const need = (ok: boolean, field: string, expected: string): void => {
    if (!ok) throw new LifeCircleError('LC_USAGE', `${path}, field ${field}: expected ${expected}`);
  };
  need(
    typeof file.meta?.title === 'string' && typeof file.meta?.issuer === 'string',
    'meta',
    '{ title, issuer, asOf }',
  );
  need(/^\d{4}-\d{2}-\d{2}$/.test(String(file.meta?.asOf)), 'meta.asOf', 'YYYY-MM-DD');
  need(typeof file.config?.indicatorWeights === 'object', 'config.indicatorWeights', 'an object of weights');
  need(Array.isArray(file.districts) && file.districts.length > 0, 'districts', 'a non-empty array');
  (file.districts ?? []).forEach((d, i) => {
    need(
      typeof d.region === 'string' && typeof d.name === 'string',
      `districts[${i}]`,
      '{ region, name, … }',
    );
    need(
      typeof d.indicators === 'object' && d.indicators !== null,
      `districts[${i}].indicators`,
      'an object',
    );
    for (const [code, entry] of Object.entries(d.indicators))
      need(
        (entry.value === null || Number.isFinite(entry.value)) && Number.isFinite(entry.target),
        `districts[${i}].indicators.${code}`,
        '{ value: number | null, target: number, baseline?: number }',
      );
    need(
      d.measureCompletion === null || (Number.isFinite(d.measureCompletion) && d.measureCompletion >= 0),
      `districts[${i}].measureCompletion`,
      'a share 0..1 or null',
    );
  });
  return file as ScorecardFile;
}

function writeOutput(path: string, data: string | Buffer, force: boolean | undefined): void {
  if (existsSync(path) && !force)
    throw new LifeCircleError('LC_USAGE', `${path} exists already; pass --force to overwrite it`);
  try {
    writeFileSync(path, data);
  } catch (error) {
    throw new LifeCircleError('LC_OUTPUT', `${path} cannot be written: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/**
 * Stores a plan through the same command as POST /api/plans (`plans.import`): the command line's administrator,
 * audited as `cli:<os user>`; a document imported before is the same LC_CONFLICT as the API answers.
 */
async function savePlan(
  bytes: Uint8Array,
  fileName: string,
  options: { db?: string; city: string },
): Promise<StoredPlan> {
  const store = await openStore({ path: options.db });
  try {
    const prepared = await prepareStore(store, process.env, { cityCode: options.city });
    // A new store's first administrator: its password is shown here once, as `serve` and `start` do.
    if (prepared.administrator)
      process.stderr.write(
        `login     ${prepared.administrator.username} / ${prepared.administrator.password}   (shown once; keep it safe)\n`,
      );
    const deps = { store, clock: systemClock, cityCode: options.city };
    return (await importPlanDocument(deps, cliViewer(userInfo().username), { bytes, fileName })).stored;
  } finally {
    await store.close();
  }
}

export function registerPlansCommands(program: Command): void {
  const plan = program
    .command('plan')
    .description(
      'policy documents (measures, responsible units, targets), indicators and the district scorecard',
    );
  plan
    .command('import')
    .description(
      'extract the structured plan from a policy document (UTF-8 or GBK text, .docx, or - for pasted text on stdin)',
    )
    .argument('<file>', 'plain text (UTF-8 or GBK), .docx, or - to read stdin')
    .option('--json', 'print the whole structured plan as JSON, every item with its [start, end) span')
    .option('--save', 'store the plan (as POST /api/plans does: audited, as cli:<os user>)')
    .option('--db <file>', 'with --save: the SQLite store file (env LIFECIRCLE_DB)')
    .option('--city <code>', 'with --save: division code of the city the platform plans for', BUNDLED_CITY)
    .action(async (file: string, options: { json?: boolean; save?: boolean; db?: string; city: string }) => {
      const bytes = file === '-' ? await readStdin() : readInput(file);
      let parsed: ParsedPlan;
      let saved: StoredPlan | null = null;
      if (options.save) {
        saved = await savePlan(bytes, file === '-' ? '(stdin)' : basename(file), options);
        parsed = saved.raw;
      } else parsed = await importPlan(bytes, file === '-' ? '(stdin)' : file);
      process.stdout.write(options.json ? `${JSON.stringify(parsed, null, 2)}\n` : `${formatPlan(parsed)}\n`);
      if (saved)
        (options.json ? process.stderr : process.stdout).write(
          `saved as plan ${saved.id} (${saved.title})\n`,
        );
    });

  plan
    .command('indicators')
    .description('list the indicator catalogue: code, name, unit, kind and source')
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }) => {
      if (options.json) {
        process.stdout.write(`${JSON.stringify(INDICATORS, null, 2)}\n`);
        return;
      }
      process.stdout.write(
        formatTable(
          ['code', 'kind', 'unit', 'indicator'],
          INDICATORS.map((i) => [i.code, i.kind, i.unit, i.zh]),
        ),
      );
    });

  plan
    .command('scorecard')
    .description('score and rank districts from a JSON input; export XLSX and a printable HTML report')
    .argument(
      '<input>',
      'JSON: { meta: { title, issuer, asOf }, config: { indicatorWeights, measureWeight }, districts }',
    )
    .option('--xlsx <file>', 'write the scorecard workbook (.xlsx)')
    .option('--html <file>', 'write a printable HTML report (print to PDF from a browser)')
    .option('--force', 'overwrite existing output files')
    .action(async (input: string, options: { xlsx?: string; html?: string; force?: boolean }) => {
      const file = readScorecardFile(input);
      const card = buildScorecard(file.districts, file.config, INDICATORS);
      process.stdout.write(
        formatTable(
          ['rank', 'district', 'total', 'not reported', 'no target'],
          card.rows.map((row) => [
            // Not ranked: nothing scored for the district (no value with a target, no completion).
            row.rank === null ? 'not ranked' : String(row.rank),
            row.name,
            row.total.toFixed(1),
            row.missing.join(', '),
            row.noTarget.join(', '),
          ]),
          ['right', 'left', 'right', 'left', 'left'],
        ),
      );
      if (options.xlsx)
        writeOutput(options.xlsx, await scorecardToXlsx(card, INDICATORS, file.meta), options.force);
      if (options.html)
        writeOutput(options.html, scorecardToHtml(card, INDICATORS, file.meta), options.force);
    });
}
