import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { LifeCircleError } from '../errors.js';
import {
  EXPORT_FORMATS,
  exportRegister,
  importRecords,
  importReportToXlsx,
  parseCoordinateSystem,
  REGISTER_ENTITIES,
  TEXT_ENCODINGS,
  type ExportFormat,
  type ImportReport,
  type RegisterEntity,
  type RegisterRecord,
  type TextEncoding,
} from '../registry/index.js';
import { MAX_PAGE_LIMIT, openStore, type FacilityType, type Store } from '../store/index.js';
import { cliViewer } from '../policy/index.js';
import { systemClock } from '../time/index.js';
import { BUNDLED_CITY as DEFAULT_CITY, prepareStore } from '../analysis/index.js';
import { createProgress } from './progress.js';

function entityOf(text: string): RegisterEntity {
  if (!(REGISTER_ENTITIES as readonly string[]).includes(text))
    throw new LifeCircleError(
      'LC_USAGE',
      `--entity: expected one of ${REGISTER_ENTITIES.join(', ')}, got '${text}'`,
    );
  return text as RegisterEntity;
}

function readInput(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new LifeCircleError('LC_FILE_NOT_FOUND', `${file}: cannot read it (${(error as Error).message})`, {
      cause: error,
    });
  }
}

/** The report as a clerk reads it in a terminal: a summary, then one line per problem. */
export function formatImportReport(report: ImportReport): string {
  const head = report.accepted
    ? `${report.fileName}: imported ${report.rows} rows (${report.created} new, ${report.updated} changed, ${report.unchanged} unchanged)`
    : `${report.fileName}: rejected, nothing imported — ${report.problemCount} problem(s) in ${report.rows} rows`;
  const lines = [head, `  read as ${report.format}, ${report.encoding}, coordinates ${report.crs}`];
  if (report.ignoredColumns.length) lines.push(`  ignored columns: ${report.ignoredColumns.join(', ')}`);
  for (const p of report.problems)
    lines.push(
      `  row ${p.row}${p.column ? `, ${p.column}` : ''}: ${p.message}${p.value && !p.message.includes(p.value) ? ` (got '${p.value}')` : ''}`,
    );
  if (report.problemCount > report.problems.length)
    lines.push(
      `  … and ${report.problemCount - report.problems.length} more: ` +
        Object.entries(report.problemsByReason)
          .map(([reason, n]) => `${reason} ${n}`)
          .join(', '),
    );
  return lines.join('\n');
}

async function withStore<T>(db: string | undefined, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore({ path: db });
  try {
    await prepareStore(store);
    return await fn(store);
  } finally {
    await store.close();
  }
}

export function registerRegistryCommands(program: Command): void {
  const registry = program
    .command('registry')
    .description('import and export communities, facilities and providers');

  registry
    .command('import')
    .description('import a CSV, XLSX or GeoJSON register into the store — every row or none')
    .argument('<file>', 'the file to import')
    .requiredOption('-e, --entity <entity>', `what the file holds: ${REGISTER_ENTITIES.join(', ')}`)
    .option(
      '--crs <system>',
      'coordinate system of the file: WGS84, GCJ02 (AMap/高德), BD09 (Baidu/百度)',
      'WGS84',
    )
    .option('--encoding <encoding>', `text encoding: ${TEXT_ENCODINGS.join(', ')}`, 'auto')
    .option('--mapping <json>', 'file header → field, e.g. {"床位":"capacity"}')
    .option('--city <code>', 'division code of the city the rows must lie in', DEFAULT_CITY)
    .option(
      '--db <file>',
      'a SQLite store file (default: the PostgreSQL of DATABASE_URL when set, else LIFECIRCLE_DB)',
    )
    .option('--report <file.xlsx>', 'also write the row report as XLSX')
    .option('-q, --quiet', 'no progress on stderr')
    .action(
      async (
        file: string,
        o: {
          entity: string;
          crs: string;
          encoding: string;
          mapping?: string;
          city: string;
          db?: string;
          report?: string;
          quiet?: boolean;
        },
      ) => {
        const entity = entityOf(o.entity);
        const crs = parseCoordinateSystem(o.crs);
        if (!crs)
          throw new LifeCircleError(
            'LC_USAGE',
            `--crs: unknown coordinate system '${o.crs}'; use WGS84, GCJ02 or BD09`,
          );
        if (!(TEXT_ENCODINGS as readonly string[]).includes(o.encoding))
          throw new LifeCircleError(
            'LC_USAGE',
            `--encoding: expected ${TEXT_ENCODINGS.join(', ')}, got '${o.encoding}'`,
          );
        let mapping: Record<string, string> | undefined;
        try {
          mapping = o.mapping ? (JSON.parse(o.mapping) as Record<string, string>) : undefined;
        } catch {
          throw new LifeCircleError('LC_USAGE', '--mapping: expected a JSON object of file header → field');
        }
        const bytes = readInput(file);
        const progress = createProgress(`import ${basename(file)}`, o.quiet);
        // Ctrl-C stops the import at its next step; its one transaction rolls back, so nothing is written.
        const stop = new AbortController();
        const interrupt = () => stop.abort();
        process.once('SIGINT', interrupt);
        const { report } = await withStore(o.db, (store) =>
          // The same command as POST /api/<entity>/import, as the command line's administrator (cli:<os user>).
          importRecords({ store, clock: systemClock, cityCode: o.city }, cliViewer(userInfo().username), {
            entity,
            bytes,
            fileName: basename(file),
            crs,
            encoding: o.encoding as TextEncoding,
            mapping,
            onProgress: (p) => progress.update(p.done, p.total, p.phase),
            signal: stop.signal,
          }),
        ).finally(() => {
          process.off('SIGINT', interrupt);
          progress.stop();
        });
        if (o.report) writeFileSync(o.report, await importReportToXlsx(report));
        process.stdout.write(formatImportReport(report) + '\n');
        if (!report.accepted)
          throw new LifeCircleError(
            'LC_IMPORT_REJECTED',
            `${basename(file)}: rejected; fix the rows listed above and import again`,
          );
      },
    );

  registry
    .command('export')
    .description('export a register as XLSX, CSV or GeoJSON (columns the importer reads back)')
    .requiredOption('-e, --entity <entity>', `what to export: ${REGISTER_ENTITIES.join(', ')}`)
    .requiredOption(
      '-o, --output <file>',
      'the file to write; the format follows its extension unless --format is given',
    )
    .option('--format <format>', EXPORT_FORMATS.join(', '))
    .option('--headers <lang>', 'header language: zh or en', 'zh')
    .option('--personal', 'include personal data (contact names and phones)')
    .option(
      '--db <file>',
      'a SQLite store file (default: the PostgreSQL of DATABASE_URL when set, else LIFECIRCLE_DB)',
    )
    .action(
      async (o: {
        entity: string;
        output: string;
        format?: string;
        headers: string;
        personal?: boolean;
        db?: string;
      }) => {
        const entity = entityOf(o.entity);
        const format = (o.format ?? o.output.split('.').pop() ?? '').toLowerCase() as ExportFormat;
        if (!EXPORT_FORMATS.includes(format))
          throw new LifeCircleError(
            'LC_USAGE',
            `--format: expected ${EXPORT_FORMATS.join(', ')}, got '${format}'`,
          );
        let facilityTypes: FacilityType[] = [];
        const records = await withStore(o.db, async (store) => {
          facilityTypes = await store.facilityTypes.list();
          const repo =
            entity === 'communities'
              ? store.communities
              : entity === 'facilities'
                ? store.facilities
                : store.providers;
          const all: RegisterRecord[] = [];
          for (let offset = 0; ; offset += MAX_PAGE_LIMIT) {
            const page = await repo.list({ limit: MAX_PAGE_LIMIT, offset });
            all.push(...page.items);
            if (page.items.length === 0 || all.length >= page.total) return all;
          }
        });
        const file = await exportRegister(entity, records, format, {
          headers: o.headers === 'en' ? 'en' : 'zh',
          includePersonal: o.personal,
          facilityTypes,
        });
        try {
          writeFileSync(o.output, file);
        } catch (error) {
          throw new LifeCircleError(
            'LC_OUTPUT',
            `${o.output}: cannot write it (${(error as Error).message})`,
            { cause: error },
          );
        }
        process.stdout.write(`${o.output}: ${records.length} ${entity}\n`);
      },
    );
}
