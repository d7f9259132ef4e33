import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { LifeCircleError } from '../errors.js';
import {
  DEFAULT_DRAW_CONFIG,
  RISK_CLASSES,
  drawInspections,
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
      `sampling ratio per class, e.g. A=0.03,B=10% (default ${RISK_CLASSES.map((k) => `${k}=${DEFAULT_DRAW_CONFIG.ratios[k]}`).join(',')}: local rule of 大庆/林甸, upper bounds)`,
    )
    .option(
      '--no-local-range',
      'allow ratios outside the local rule of 大庆/林甸 (the draw then records no range)',
    )
    .option(
      '--rounding <mode>',
      'nearest, up or down (counts stay inside the local range when possible)',
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
        localRange: boolean;
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
          ranges: options.localRange ? DEFAULT_DRAW_CONFIG.ranges : null,
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
}
