import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { BUNDLED_CITY } from '../analysis/index.js';
import { findCityDivision } from '../cities/index.js';
import { LifeCircleError } from '../errors.js';
import { cliViewer } from '../policy/index.js';
import { systemClock } from '../time/index.js';
import { DB_OPTION, withPreparedStore } from './prepared-store.js';
import {
  DEFAULT_DRAW_CONFIG,
  RISK_CLASSES,
  samplingRuleOf,
  setSamplingRule,
  drawInspections,
  type SamplingRule,
  parseCandidates,
  parseInspectors,
  type DrawConfig,
  type RiskClass,
  type Rounding,
} from '../supervision/index.js';

function readInput(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new LifeCircleError(
      'LC_FILE_NOT_FOUND',
      `${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
}

/** `A=0.05,B=0.1` → ratios over the defaults. */
export function parseRatios(spec: string, base: DrawConfig['ratios']): DrawConfig['ratios'] {
  const ratios: Record<RiskClass, number> = { ...base };
  for (const part of spec.split(',').filter((p) => p.trim() !== '')) {
    const m = /^\s*([ABCD])\s*=\s*([0-9.]+%?)\s*$/.exec(part);
    if (!m) throw new LifeCircleError('LC_USAGE', `--ratios: expected e.g. A=0.05,B=10%, got '${part}'`);
    const value = m[2].endsWith('%') ? Number(m[2].slice(0, -1)) / 100 : Number(m[2]);
    if (!(value >= 0 && value <= 1))
      throw new LifeCircleError(
        'LC_USAGE',
        `--ratios: class ${m[1]} expected a ratio 0–1 (or 0–100 %), got '${m[2]}'`,
      );
    ratios[m[1] as RiskClass] = value;
  }
  return ratios;
}

/** `A=0-0.05,B=5%-20%` → a range per class (all four needed: a rule's ranges cover every class). */
export function parseRanges(spec: string): NonNullable<DrawConfig['ranges']> {
  const ranges: Partial<Record<RiskClass, { min: number; max: number }>> = {};
  const ratio = (text: string) => (text.endsWith('%') ? Number(text.slice(0, -1)) / 100 : Number(text));
  for (const part of spec.split(',').filter((p) => p.trim() !== '')) {
    const m = /^\s*([ABCD])\s*=\s*([0-9.]+%?)\s*-\s*([0-9.]+%?)\s*$/.exec(part);
    const [min, max] = m ? [ratio(m[2]), ratio(m[3])] : [NaN, NaN];
    if (!m || !(min >= 0 && min <= max && max <= 1))
      throw new LifeCircleError(
        'LC_USAGE',
        `--ranges: expected e.g. A=0-0.05,B=5%-20% with min ≤ max ≤ 1, got '${part}'`,
      );
    ranges[m[1] as RiskClass] = { min, max };
  }
  const missing = RISK_CLASSES.filter((k) => !ranges[k]);
  if (missing.length)
    throw new LifeCircleError(
      'LC_USAGE',
      `--ranges: give a range for every class; missing ${missing.join(', ')}`,
    );
  return ranges as NonNullable<DrawConfig['ranges']>;
}

export function registerInspectionsCommands(program: Command): void {
  const inspections = program
    .command('inspections')
    .description('双随机、一公开: reproducible random inspection draws');

  inspections
    .command('draw')
    .description(
      'draw inspection targets stratified by risk class and assign inspectors; prints the draw as JSON. ' +
        'The draw is a pure function of the seed and the files: anyone re-running it gets the same result.',
    )
    .requiredOption('--seed <seed>', 'the published seed (e.g. the date and the lottery number of the day)')
    .requiredOption(
      '--candidates <file>',
      'CSV or JSON: uscc, name?, riskClass (A–D), regionCode, lastInspectorIds? (;-separated)',
    )
    .option('--inspectors <file>', 'CSV or JSON: id, regionCodes (;-separated), conflictUscc? (;-separated)')
    .option(
      '--ratios <spec>',
      `sampling ratio per class, e.g. A=0.03,B=10% (default ${RISK_CLASSES.map((k) => `${k}=${DEFAULT_DRAW_CONFIG.ratios[k]}`).join(',')}: LifeCircle's defaults after the national principle, not a published rule)`,
    )
    .option(
      '--ranges <spec>',
      "the ranges of the city's rule per class, e.g. A=0-5%,B=5%-20%,C=21%-60%,D=61%-100%: ratios must lie inside, counts are kept inside",
    )
    .option(
      '--rule-document <text>',
      "the document of the city's rule the ratios come from (recorded in the draw)",
    )
    .option('--rule-url <url>', 'where that document is published')
    .option(
      '--rounding <mode>',
      'nearest, up or down (counts stay inside the ranges when possible)',
      'nearest',
    )
    .option(
      '--team-size <n>',
      'inspectors per target (行政处罚法 第四十二条: at least 2)',
      String(DEFAULT_DRAW_CONFIG.inspectorsPerTarget),
    )
    .action(
      (options: {
        seed: string;
        candidates: string;
        inspectors?: string;
        ratios?: string;
        ranges?: string;
        ruleDocument?: string;
        ruleUrl?: string;
        rounding: string;
        teamSize: string;
      }) => {
        if (!['nearest', 'up', 'down'].includes(options.rounding))
          throw new LifeCircleError(
            'LC_USAGE',
            `--rounding: expected nearest, up or down, got '${options.rounding}'`,
          );
        const teamSize = Number(options.teamSize);
        if (!Number.isInteger(teamSize) || teamSize < 1 || teamSize > 8)
          throw new LifeCircleError(
            'LC_USAGE',
            `--team-size: expected an integer 1–8, got '${options.teamSize}'`,
          );
        const config: DrawConfig = {
          ...DEFAULT_DRAW_CONFIG,
          ratios: options.ratios
            ? parseRatios(options.ratios, DEFAULT_DRAW_CONFIG.ratios)
            : DEFAULT_DRAW_CONFIG.ratios,
          ranges: options.ranges ? parseRanges(options.ranges) : null,
          sources: options.ruleDocument
            ? {
                ...DEFAULT_DRAW_CONFIG.sources,
                ratios: {
                  document: options.ruleDocument,
                  ...(options.ruleUrl ? { url: options.ruleUrl } : {}),
                  status: 'local',
                },
              }
            : DEFAULT_DRAW_CONFIG.sources,
          rounding: options.rounding as Rounding,
          inspectorsPerTarget: teamSize,
        };
        const candidates = parseCandidates(readInput(options.candidates), options.candidates);
        const inspectors = options.inspectors
          ? parseInspectors(readInput(options.inspectors), options.inspectors)
          : undefined;
        const result = drawInspections({
          seed: options.seed,
          candidates,
          config,
          ...(inspectors ? { inspectors } : {}),
        });
        process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      },
    );

  inspections
    .command('rule')
    .description(
      "show the city's 双随机 sampling rule, or adopt its own (--ratios, --ranges, --document) or go back to " +
        "LifeCircle's default after the national principle (--reset); audited",
    )
    .option('--city <code>', 'division code of the city', BUNDLED_CITY)
    .option('--ratios <spec>', 'ratio per class, all four: A=3%,B=5%,C=20%,D=50% (A ≤ B ≤ C ≤ D)')
    .option(
      '--ranges <spec>',
      "the ranges the city's rule allows, all four: A=0-5%,B=5%-20%,C=21%-60%,D=61%-100%",
    )
    .option('--document <text>', 'the document the rule comes from (its title and 文号)')
    .option('--url <url>', 'where the document is published')
    .option('--reset', "drop the city's rule: LifeCircle's default applies again")
    .option(...DB_OPTION)
    .action(
      async (o: {
        city: string;
        ratios?: string;
        ranges?: string;
        document?: string;
        url?: string;
        reset?: boolean;
        db?: string;
      }) => {
        const cityCode = findCityDivision(o.city).code;
        const changing = o.reset || o.ratios || o.ranges || o.document;
        const rule = await withPreparedStore(o.db, (store) =>
          changing
            ? setSamplingRule({ store, clock: systemClock, cityCode }, cliViewer(userInfo().username), {
                cityCode,
                reset: o.reset,
                ratios: o.ratios ? parseRatios(o.ratios, {} as DrawConfig['ratios']) : undefined,
                ranges: o.ranges ? parseRanges(o.ranges) : null,
                document: o.document,
                url: o.url,
              })
            : samplingRuleOf(store, cityCode),
        );
        process.stdout.write(formatSamplingRule(cityCode, rule) + '\n');
      },
    );
}

export function formatSamplingRule(cityCode: string, rule: SamplingRule): string {
  const pct = (v: number) => `${Math.round(v * 1000) / 10} %`;
  const { ranges } = rule;
  return [
    `city      ${cityCode}: ${rule.adopted ? "the city's own rule" : "LifeCircle's default after the national principle (not a published rule)"}`,
    `ratios    ${RISK_CLASSES.map((k) => `${k} ${pct(rule.ratios[k])}`).join(', ')}`,
    `ranges    ${ranges ? RISK_CLASSES.map((k) => `${k} ${pct(ranges[k].min)}–${pct(ranges[k].max)}`).join(', ') : 'none'}`,
    `source    ${rule.source.document}${rule.source.url ? ` (${rule.source.url})` : ''}`,
    ...(rule.updatedBy ? [`adopted   by ${rule.updatedBy} at ${rule.updatedAt}`] : []),
  ].join('\n');
}
