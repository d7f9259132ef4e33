import { writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { LifeCircleError } from '../errors.js';
import { cliViewer } from '../policy/index.js';
import { REPORT_FORMATS, type ReportFormat } from '../store/index.js';
import { systemClock } from '../time/index.js';
import { createProgress } from './progress.js';
import { DB_OPTION, withPreparedStore } from './prepared-store.js';

interface MonitoringOptions {
  region: string;
  format: string;
  out: string;
  lang: string;
  type?: string;
  run?: string;
  city?: string;
  quiet?: boolean;
  db?: string;
}

/**
 * `lifecircle report monitoring`: the same `reports.generate` command as `POST /api/monitoring-reports`, as the
 * command line's administrator (audited as cli:<os user>); the report is kept in the store and one of its files is
 * written out. The report code (ECharts, docx, d3-geo) is imported only when the verb runs.
 */
export function registerReportCommands(program: Command): void {
  const report = program.command('report').description('reports made from the analysis runs');
  report
    .command('monitoring')
    .description(
      'the monitoring report (第三方监测评价) of the city or a 区: coverage by tier and type, worst-served communities, ' +
        'changes since the previous run, map and charts',
    )
    .requiredOption('--region <code>', "the city's division code, or a 区/街道 within it")
    .option('--format <format>', `file to write: ${REPORT_FORMATS.join(', ')}`, 'html')
    .requiredOption('--out <file>', 'where to write it')
    .option('--lang <lang>', 'zh or en', 'zh')
    .option('--type <type>', 'colour the map by this facility type (default: the share of types covered)')
    .option('--run <id>', 'the coverage run to report on (default: the newest of the city)')
    .option('--city <code>', "the city's division code (default: the region's first four digits)")
    .option('-q, --quiet', 'no progress on stderr')
    .option(...DB_OPTION)
    .action(async (o: MonitoringOptions) => {
      if (!(REPORT_FORMATS as readonly string[]).includes(o.format))
        throw new LifeCircleError(
          'LC_USAGE',
          `--format: expected ${REPORT_FORMATS.join(', ')}, got '${o.format}'`,
        );
      if (o.lang !== 'zh' && o.lang !== 'en')
        throw new LifeCircleError('LC_USAGE', `--lang: expected zh or en, got '${o.lang}'`);
      const runId = o.run === undefined ? undefined : Number(o.run);
      if (runId !== undefined && (!Number.isInteger(runId) || runId < 1))
        throw new LifeCircleError('LC_USAGE', `--run: expected a run id, got '${o.run}'`);
      const { generateMonitoringReport, REPORT_PHASES } = await import('../reports/index.js');
      const progress = createProgress(`report ${o.region}`, o.quiet);
      const stop = new AbortController();
      const interrupt = () => stop.abort();
      process.once('SIGINT', interrupt);
      const bytes = await withPreparedStore(o.db, async (store) => {
        const record = await generateMonitoringReport(
          { store, clock: systemClock, cityCode: o.city ?? '' },
          cliViewer(userInfo().username),
          {
            region: o.region,
            type: o.type ?? null,
            lang: o.lang as 'zh' | 'en',
            runId,
            signal: stop.signal,
            onProgress: (p) =>
              progress.update(
                REPORT_PHASES.indexOf(p.phase as never) + 1,
                REPORT_PHASES.length,
                p.phase ?? '',
              ),
          },
        );
        return (await store.monitoringReports.file(record.id, o.format as ReportFormat))!;
      }).finally(() => {
        process.off('SIGINT', interrupt);
        progress.stop();
      });
      try {
        writeFileSync(o.out, bytes);
      } catch (error) {
        throw new LifeCircleError(
          'LC_OUTPUT',
          `${o.out}: cannot write the report (${(error as Error).message})`,
        );
      }
      process.stdout.write(`wrote ${o.out} (${bytes.byteLength} bytes)\n`);
    });
}
