import type { Command } from 'commander';
import { LifeCircleError } from '../errors.js';
import {
  backupSqliteStore,
  copyStore,
  defaultStorePath,
  describeUrl,
  openStoreAt,
  storeChecksums,
  type StoreAddress,
} from '../store/index.js';
import { createProgress } from './progress.js';

/**
 * A store named on the command line: a postgres:// URL (with `schema`), or a SQLite file. Nothing else is
 * guessed: a URL of another scheme is refused rather than taken for a file name.
 */
export function storeAddress(text: string, schema = 'public'): StoreAddress {
  if (/^postgres(ql)?:\/\//.test(text)) return { dialect: 'postgres', url: text, schema };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text))
    throw new LifeCircleError('LC_USAGE', `${text}: expected a postgres:// URL or a SQLite file`);
  return { dialect: 'sqlite', path: text };
}

/** `--db`, else DATABASE_URL (a postgres:// URL), else LIFECIRCLE_DB or the default file. */
const storeOption = (db: string | undefined, schema: string): StoreAddress =>
  storeAddress(
    db ??
      (/^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? '')
        ? process.env.DATABASE_URL!
        : defaultStorePath()),
    schema,
  );

const shown = (a: StoreAddress): string => (a.dialect === 'sqlite' ? a.path : describeUrl(a.url, a.schema));

export function registerStoreCommands(program: Command): void {
  const store = program
    .command('store')
    .description('the store itself: what it is, and moving it between SQLite and PostgreSQL');

  store
    .command('info')
    .description('the engine, location, schema version and row counts of a store')
    .option(
      '--db <file|url>',
      'a SQLite file or a postgres:// URL (default: DATABASE_URL, else LIFECIRCLE_DB)',
    )
    .option('--schema <name>', 'PostgreSQL schema', 'public')
    .action(async (options: { db?: string; schema: string }) => {
      const address = storeOption(options.db, options.schema);
      const opened = await openStoreAt(address, { poolSize: 1 });
      try {
        const counts = {
          regions: await opened.regions.count(),
          communities: await opened.communities.count(),
          facilities: await opened.facilities.count(),
          providers: await opened.providers.count(),
          users: await opened.users.count(),
        };
        process.stdout.write(
          `${opened.dialect} ${opened.location}\nschema version ${await opened.schemaVersion()}\n` +
            Object.entries(counts)
              .map(([k, v]) => `${k} ${v}`)
              .join('\n') +
            '\n',
        );
      } finally {
        await opened.close();
      }
    });

  store
    .command('backup')
    .description(
      'an online backup of a SQLite store into a new file (PostgreSQL: pg_dump, see docs/deployment.md)',
    )
    .option('--db <file>', 'the SQLite store (default: LIFECIRCLE_DB, else .lifecircle/lifecircle.db)')
    .requiredOption('--to <file>', 'the backup file to write')
    .action(async (options: { db?: string; to: string }) => {
      const address = storeAddress(options.db ?? defaultStorePath());
      if (address.dialect !== 'sqlite')
        throw new LifeCircleError(
          'LC_USAGE',
          'store backup copies SQLite files; back PostgreSQL up with pg_dump --format=custom (docs/deployment.md)',
        );
      await backupSqliteStore(address.path, options.to);
      process.stdout.write(`backed up ${address.path} to ${options.to}\n`);
    });

  store
    .command('checksums')
    .description("every table's row count and SHA-256, to check a backup, restore or copy against its source")
    .option(
      '--db <file|url>',
      'a SQLite file or a postgres:// URL (default: DATABASE_URL, else LIFECIRCLE_DB)',
    )
    .option('--schema <name>', 'PostgreSQL schema', 'public')
    .action(async (options: { db?: string; schema: string }) => {
      const tables = await storeChecksums(storeOption(options.db, options.schema));
      process.stdout.write(tables.map((t) => `${t.table} ${t.rows} ${t.checksum}`).join('\n') + '\n');
    });

  store
    .command('copy')
    .description(
      'copy a whole store into an empty one (SQLite → PostgreSQL or back), in one transaction, then compare every table',
    )
    .requiredOption('--from <file|url>', 'the store to copy: a SQLite file or a postgres:// URL')
    .requiredOption('--to <file|url>', 'the empty store to fill (created when missing)')
    .option('--from-schema <name>', 'PostgreSQL schema of --from', 'public')
    .option('--to-schema <name>', 'PostgreSQL schema of --to', 'public')
    .option('--quiet', 'no progress on stderr')
    .action(
      async (options: {
        from: string;
        to: string;
        fromSchema: string;
        toSchema: string;
        quiet?: boolean;
      }) => {
        const from = storeAddress(options.from, options.fromSchema);
        const to = storeAddress(options.to, options.toSchema);
        const progress = createProgress('store copy', options.quiet);
        const report = await copyStore(from, to, {
          onProgress: (p) => progress.update(p.done, p.total, p.table),
        }).finally(() => progress.stop());
        process.stdout.write(
          `copied ${report.rows} rows from ${shown(from)} to ${shown(to)}; every table's rows and checksum match\n` +
            report.tables.map((t) => `  ${t.table} ${t.rows} ${t.checksum.slice(0, 16)}`).join('\n') +
            '\n',
        );
      },
    );
}
