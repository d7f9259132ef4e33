import { readFileSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { LifeCircleError } from '../errors.js';
import {
  assertPlanSize,
  flattenMeasures,
  importPlan,
  MAX_PLAN_BYTES,
  measureUnits,
  type Measure,
  type ParsedPlan,
  type Target,
} from '../plans/index.js';

async function readStdin(): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    chunks.push(buffer);
    // Stop reading early; decodePlanSource reports the size.
    if (size > MAX_PLAN_BYTES) break;
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
    t.relative ? `(vs ${t.relative.baselineYear}, ${t.relative.change})` : '',
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

export function registerPlansCommands(program: Command): void {
  const plan = program
    .command('plan')
    .description('policy documents: extract measures, responsible units and targets');
  plan
    .command('import')
    .description(
      'extract the structured plan from a policy document (UTF-8 or GBK text, .docx, or - for pasted text on stdin)',
    )
    .argument('<file>', 'plain text (UTF-8 or GBK), .docx, or - to read stdin')
    .option('--json', 'print the whole structured plan as JSON, every item with its [start, end) span')
    .action(async (file: string, options: { json?: boolean }) => {
      const bytes = file === '-' ? await readStdin() : readInput(file);
      const parsed = await importPlan(bytes, file === '-' ? '(stdin)' : file);
      process.stdout.write(options.json ? `${JSON.stringify(parsed, null, 2)}\n` : `${formatPlan(parsed)}\n`);
    });
}
