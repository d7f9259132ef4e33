import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { LifeCircleError } from '../errors.js';
import {
  EXPORT_FORMATS,
  exportRegister,
  importRecords,
  linkCommunities,
  importReportToXlsx,
  parseCoordinateSystem,
  parseStringMap,
  REGISTER_ENTITIES,
  TEXT_ENCODINGS,
  type ExportFormat,
  type ImportReport,
  type RegisterEntity,
  type RegisterRecord,
  type TextEncoding,
} from '../registry/index.js';
import { MAX_PAGE_LIMIT, type FacilityType } from '../store/index.js';
import { cliViewer } from '../policy/index.js';
import { systemClock } from '../time/index.js';
import { BUNDLED_CITY as DEFAULT_CITY } from '../analysis/index.js';
import { findCityDivision } from '../cities/index.js';
import { createProgress } from './progress.js';
import { DB_OPTION, withPreparedStore } from './prepared-store.js';

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

const TERMINAL_PROBLEMS = 30;

/** The report as a clerk reads it in a terminal: a summary, then one line per problem. */
export function formatImportReport(report: ImportReport): string {
  const counts = `${report.created} new, ${report.updated} changed, ${report.unchanged} unchanged`;
  const imported = report.rows - report.skippedRows;
  const head = report.dryRun
    ? report.accepted
      ? `${report.fileName}: dry run, nothing written — would import ${imported} of ${report.rows} rows (${counts})`
      : `${report.fileName}: dry run, nothing written — would be rejected: ${report.problemCount} problem(s) in ${report.rows} rows`
    : report.accepted
      ? `${report.fileName}: imported ${imported} of ${report.rows} rows (${counts})`
      : `${report.fileName}: rejected, nothing imported — ${report.problemCount} problem(s) in ${report.rows} rows`;
  const lines = [head, `  read as ${report.format}, ${report.encoding}, coordinates ${report.crs}`];
  if (report.skippedRows)
    lines.push(`  skipped ${report.skippedRows} row(s) with problems (--skip-bad-rows); listed below`);
  if (report.generatedCodes)
    lines.push(
      `  codes made from name and position for ${report.generatedCodes} row(s) (the file has no code column)`,
    );
  if (report.regionsFromNames)
    lines.push(`  division codes filled from 区/街道 names for ${report.regionsFromNames} row(s)`);
  if (report.ignoredColumns.length) lines.push(`  ignored columns: ${report.ignoredColumns.join(', ')}`);
  if (report.typeProposal) {
    const { column, values } = report.typeProposal;
    lines.push(`  column '${column}' holds values that are not facility types:`);
    for (const v of values)
      lines.push(
        `    ${v.value} (${v.rows} rows) → ${v.proposed ? `${v.proposed} ${v.proposedName}?` : 'no type proposed'}`,
      );
    const proposed = values.filter((v) => v.proposed);
    if (proposed.length)
      lines.push(
        `  to use the proposal, check it and add: --type-map '${JSON.stringify(Object.fromEntries(proposed.map((v) => [v.value, v.proposed])))}'`,
      );
    if (proposed.length < values.length)
      lines.push(
        `  if the file holds one kind of facility, give it with --type <type> (the column is then not read)`,
      );
    lines.push(`  types: ${report.typeProposal.types.map((t) => `${t.code} ${t.nameZh}`).join(', ')}`);
  }
  if (report.warningCount) {
    lines.push(`  ${report.warningCount} warning(s) (imported all the same):`);
    // One line per message: nine rows on one geocoder point are one finding.
    const byMessage = new Map<string, number[]>();
    for (const w of report.warnings) {
      const key = `${w.column ? `${w.column}: ` : ''}${w.message}`;
      byMessage.set(key, [...(byMessage.get(key) ?? []), w.row]);
    }
    for (const [message, rows] of [...byMessage].slice(0, TERMINAL_PROBLEMS))
      lines.push(`    row${rows.length > 1 ? 's' : ''} ${rows.join(', ')}, ${message}`);
  }
  // A terminal shows the first problems; all of them are in --report's workbook.
  for (const p of report.problems.slice(0, TERMINAL_PROBLEMS))
    lines.push(
      `  row ${p.row}${p.column ? `, ${p.column}` : ''}: ${p.message}${p.value && !p.message.includes(p.value) ? ` (got '${p.value}')` : ''}`,
    );
  if (report.problemCount > TERMINAL_PROBLEMS)
    lines.push(
      `  … and ${report.problemCount - TERMINAL_PROBLEMS} more (all in --report <file.xlsx>); all problems by reason: ` +
        Object.entries(report.problemsByReason)
          .map(([reason, n]) => `${reason} ${n}`)
          .join(', '),
    );
  return lines.join('\n');
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
    .option(
      '--type <type>',
      'facilities: one facility type for every row (code or name, e.g. elderly_care_institution)',
    )
    .option(
      '--type-map <json>',
      'facilities: the file\'s type values → types, e.g. {"敬老院":"elderly_care_institution"}',
    )
    .option('--dry-run', 'check everything and report what would change; write nothing')
    .option(
      '--skip-bad-rows',
      'import the good rows and leave out those with problems (default: all rows or none)',
    )
    .option(
      '--rejected <file>',
      'write the rows with problems here, to fix and import again (default with --skip-bad-rows: <file>.rejected.csv)',
    )
    .option('--city <code>', 'division code of the city the rows must lie in', DEFAULT_CITY)
    .option(...DB_OPTION)
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
          type?: string;
          typeMap?: string;
          dryRun?: boolean;
          skipBadRows?: boolean;
          rejected?: string;
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
        const mapping = parseStringMap('--mapping', o.mapping, 'file header → field');
        const typeMap = parseStringMap('--type-map', o.typeMap, "the file's type value → facility type");
        const cityCode = findCityDivision(o.city).code;
        const bytes = readInput(file);
        const progress = createProgress(`import ${basename(file)}`, o.quiet);
        // Ctrl-C stops the import at its next step; its one transaction rolls back, so nothing is written.
        const stop = new AbortController();
        const interrupt = () => stop.abort();
        process.once('SIGINT', interrupt);
        const { report, rejectedRows } = await withPreparedStore(o.db, (store) =>
          // The same command as POST /api/<entity>/import, as the command line's administrator (cli:<os user>).
          importRecords({ store, clock: systemClock, cityCode }, cliViewer(userInfo().username), {
            entity,
            bytes,
            fileName: basename(file),
            crs,
            encoding: o.encoding as TextEncoding,
            mapping,
            type: o.type,
            typeMap,
            dryRun: o.dryRun,
            skipBadRows: o.skipBadRows,
            onProgress: (p) => progress.update(p.done, p.total, p.phase),
            signal: stop.signal,
          }),
        ).finally(() => {
          process.off('SIGINT', interrupt);
          progress.stop();
        });
        if (o.report) writeFileSync(o.report, await importReportToXlsx(report));
        process.stdout.write(formatImportReport(report) + '\n');
        const rejectedPath =
          o.rejected ?? (o.skipBadRows && rejectedRows ? rejectedRows.fileName : undefined);
        if (rejectedPath && rejectedRows) {
          writeFileSync(rejectedPath, rejectedRows.bytes);
          process.stdout.write(
            `  rows with problems written to ${rejectedPath}: fix them and import that file again\n`,
          );
        }
        if (!report.accepted)
          throw new LifeCircleError(
            'LC_IMPORT_REJECTED',
            `${basename(file)}: rejected; fix the rows listed above and import again`,
          );
      },
    );

  registry
    .command('link')
    .description(
      "link the store's communities (e.g. OSM residential areas) to the 社区 of a file: the polygon that holds them, else the nearest 社区 point",
    )
    .argument(
      '<file>',
      'the 社区 as CSV, XLSX or GeoJSON (编码, 名称, polygon or 经度/纬度, optional 人口 and age bands)',
    )
    .requiredOption(
      '--max-distance <m>',
      'link places outside every polygon to the nearest 社区 point within this many metres',
    )
    .option('--apportion', "split each 社区's population over its places by area (flagged as estimates)")
    .option('--crs <system>', 'coordinate system of the file: WGS84, GCJ02, BD09', 'WGS84')
    .option('--city <code>', 'division code of the city', DEFAULT_CITY)
    .option('--dry-run', 'report what would be linked; write nothing')
    .option(...DB_OPTION)
    .action(
      async (
        file: string,
        o: {
          maxDistance: string;
          apportion?: boolean;
          crs: string;
          city: string;
          dryRun?: boolean;
          db?: string;
        },
      ) => {
        const crs = parseCoordinateSystem(o.crs);
        if (!crs) throw new LifeCircleError('LC_USAGE', `--crs: unknown coordinate system '${o.crs}'`);
        const maxDistanceM = Number(o.maxDistance);
        const cityCode = findCityDivision(o.city).code;
        const report = await withPreparedStore(o.db, (store) =>
          linkCommunities({ store, clock: systemClock, cityCode }, cliViewer(userInfo().username), {
            bytes: readInput(file),
            fileName: basename(file),
            crs,
            maxDistanceM,
            apportion: o.apportion,
            dryRun: o.dryRun,
          }),
        );
        const lines = [
          `${basename(file)}: ${report.units} 社区; ${report.places} places in the store${report.dryRun ? ' (dry run, nothing written)' : ''}`,
          `  linked   ${report.linkedInside} inside a 社区 polygon, ${report.linkedNearest} to the nearest 社区 point within ${maxDistanceM} m; ${report.changed} record(s) ${report.dryRun ? 'would change' : 'changed'}`,
          `  unlinked ${report.unlinked} (roll-ups show them as not linked to a 街道)`,
          ...report.unlinkedExamples.map(
            (u) =>
              `           ${u.placeCode}${u.nearestUnitCode ? `: nearest 社区 ${u.nearestUnitCode} at ${Math.round(u.distanceM ?? 0)} m` : ''}`,
          ),
        ];
        if (report.unitsWithoutPlaces.length)
          lines.push(
            `  社区 with no place: ${report.unitsWithoutPlaces.slice(0, 20).join(', ')}${report.unitsWithoutPlaces.length > 20 ? ' …' : ''}`,
          );
        process.stdout.write(lines.join('\n') + '\n');
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
    .option(...DB_OPTION)
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
        const records = await withPreparedStore(o.db, async (store) => {
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
