import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { basename } from 'node:path';
import {
  describeNetworkNote,
  importCityNetwork,
  networkExtent,
  NETWORK_IMPORT_PHASES,
  type ImportCityNetworkResult,
} from '../analysis/index.js';
import { phasePercent } from '../jobs/index.js';
import { createCity, findCityDivision, setCityExtent, checkBbox } from '../cities/index.js';
import { LifeCircleError } from '../errors.js';
import { describeGraph, importOsmNetwork } from '../network/index.js';
import { cliViewer } from '../policy/index.js';
import { loadStandards } from '../standards/index.js';
import type { City, CityBasemap } from '../store/index.js';
import { importCityBasemap } from '../basemap/index.js';
import { systemClock } from '../time/index.js';
import { registerCityAnalysisCommand } from './city-analysis-command.js';
import { createProgress } from './progress.js';
import { DB_OPTION, withPreparedStore } from './prepared-store.js';

/** `--bbox 121.1,31.2,121.6,31.5` → a checked box. */
export function parseBbox(text: string): [number, number, number, number] {
  const parts = text
    .split(/[,，\s]+/)
    .filter(Boolean)
    .map(Number);
  checkBbox(parts);
  return parts;
}

export function formatCity(city: City): string {
  const box = city.bbox
    ? `${city.bbox.join(', ')} (${city.extentSource}: ${city.extentNote})`
    : `none yet — ${city.extentNote}`;
  return `${city.code} ${city.name}\n  box     ${box}`;
}

export function registerCityCommands(program: Command): void {
  const city = program
    .command('city')
    .description('set up a city or 区县 from its division code, and list the ones set up');

  city
    .command('create')
    .description(
      'set up a city (4 digits, e.g. 5101 or 510100) or a 区县 (6 digits, e.g. 310113), or name it (成都市)',
    )
    .argument('<code>', 'division code or name')
    .option('--bbox <w,s,e,n>', 'its box in WGS-84 degrees, when the bundled outlines have none')
    .option(...DB_OPTION)
    .action(async (code: string, o: { bbox?: string; db?: string }) => {
      const bbox = o.bbox ? parseBbox(o.bbox) : undefined;
      const division = findCityDivision(code);
      const result = await withPreparedStore(o.db, (store) =>
        createCity({ store, clock: systemClock, cityCode: division.code }, cliViewer(userInfo().username), {
          code: division.code,
          bbox,
        }),
      );
      process.stdout.write(
        [
          `${result.created ? 'set up' : 'already set up (division codes refreshed)'}: ${formatCity(result.city)}`,
          `  codes   ${result.divisions} division codes in the store (${result.communities} 社区/村 codes${result.communities ? '' : ': none bundled for this city; import them with the communities file'})`,
          `  next    lifecircle registry import <file> --entity facilities --city ${result.city.code} --dry-run`,
        ].join('\n') + '\n',
      );
    });

  city
    .command('list')
    .description('the cities and 区县 set up in the store')
    .option(...DB_OPTION)
    .action(async (o: { db?: string }) => {
      const cities = await withPreparedStore(o.db, (store) => store.cities.list());
      process.stdout.write(cities.map(formatCity).join('\n') + '\n');
    });

  city
    .command('network')
    .description(
      "build a city's walking network from an OSM extract and keep it in the store (with its residential areas " +
        'and facilities when the city has none); then `lifecircle start --city <code>` analyses and maps it',
    )
    .argument('<code>', 'division code or name of a city set up')
    .argument(
      '<file>',
      'OSM extract of the city (.osm XML or .osm.pbf, e.g. from download.geofabrik.de or BBBike)',
    )
    .option('--no-places', 'the network only: no residential areas or facilities from the extract')
    .option('-q, --quiet', 'no progress on stderr')
    .option(...DB_OPTION)
    .action(async (code: string, file: string, o: { places: boolean; quiet?: boolean; db?: string }) => {
      const division = findCityDivision(code);
      const progress = createProgress('network', o.quiet);
      const result = await withPreparedStore(o.db, (store) =>
        importCityNetwork(
          { store, clock: systemClock, cityCode: division.code },
          cliViewer(userInfo().username),
          {
            cityCode: division.code,
            path: file,
            fileName: basename(file),
            places: o.places,
            standards: loadStandards(undefined),
            onProgress: (p) => progress.update(phasePercent(NETWORK_IMPORT_PHASES, p), 100, p.phase ?? ''),
          },
        ),
      ).finally(() => progress.stop());
      process.stdout.write(formatNetworkImport(result, division.code) + '\n');
    });

  city
    .command('basemap')
    .description(
      "read a city's basemap (water, green, buildings, roads and places) from an OSM extract and keep it in the " +
        'store, replacing any earlier one; `city network` does this too, so it is needed only for a city whose ' +
        'network was imported before basemaps existed',
    )
    .argument('<code>', 'division code or name of a city set up')
    .argument('<file>', 'OSM extract of the city (.osm XML or .osm.pbf), best the one its network came from')
    .option('-q, --quiet', 'no progress on stderr')
    .option(...DB_OPTION)
    .action(async (code: string, file: string, o: { quiet?: boolean; db?: string }) => {
      const division = findCityDivision(code);
      const progress = createProgress('basemap', o.quiet);
      const result = await withPreparedStore(o.db, (store) =>
        importCityBasemap(
          { store, clock: systemClock, cityCode: division.code },
          cliViewer(userInfo().username),
          {
            cityCode: division.code,
            path: file,
            fileName: basename(file),
            onProgress: (done, total) => progress.update(done, total, 'reading'),
          },
        ),
      ).finally(() => progress.stop());
      process.stdout.write(
        `${formatBasemap(result.basemap)}${result.replaced ? ' (replaces the earlier basemap)' : ''}\n`,
      );
    });

  registerCityAnalysisCommand(city);

  city
    .command('extent')
    .description("set a city's box: typed in, or the extent of its walking network (an OSM extract)")
    .argument('<code>', 'division code or name of a city set up')
    .option('--bbox <w,s,e,n>', 'the box in WGS-84 degrees')
    .option('--from-network <file>', 'an OSM extract (.osm or .osm.pbf) of the city: its walkable extent')
    .option('-q, --quiet', 'no progress on stderr')
    .option(...DB_OPTION)
    .action(
      async (code: string, o: { bbox?: string; fromNetwork?: string; quiet?: boolean; db?: string }) => {
        if (!o.bbox === !o.fromNetwork)
          throw new LifeCircleError('LC_USAGE', 'give either --bbox w,s,e,n or --from-network <file>');
        const division = findCityDivision(code);
        let bbox: [number, number, number, number];
        let note: string;
        if (o.bbox) {
          bbox = parseBbox(o.bbox);
          note = `given by cli:${userInfo().username}`;
        } else {
          const progress = createProgress('read network', o.quiet);
          const graph = await importOsmNetwork(o.fromNetwork!, {
            onProgress: ({ bytesRead, totalBytes }) => progress.update(bytesRead, totalBytes, 'reading'),
          }).finally(() => progress.stop());
          const summary = describeGraph(graph);
          bbox = networkExtent(summary.bbox);
          note = `walkable extent of ${summary.source.file} (sha256 ${summary.source.sha256.slice(0, 12)}…)`;
        }
        const updated = await withPreparedStore(o.db, (store) =>
          setCityExtent(
            { store, clock: systemClock, cityCode: division.code },
            cliViewer(userInfo().username),
            {
              code: division.code,
              bbox,
              source: o.bbox ? 'manual' : 'network',
              note,
            },
          ),
        );
        process.stdout.write(formatCity(updated) + '\n');
      },
    );
}

export function formatNetworkImport(result: ImportCityNetworkResult, code: string): string {
  const { network, communitiesLoaded, facilitiesLoaded } = result;
  const n = network.summary;
  return [
    `network   ${network.fileName} → city ${code}${result.replaced ? ' (replaces the earlier network)' : ''}`,
    `          ${n.nodes} nodes, ${n.edges} edges, ${n.totalLengthKm.toFixed(1)} km walkable, ${n.components} connected parts (largest ${(n.largestComponentShare * 100).toFixed(1)} % of length)`,
    `extent    ${n.bbox.map((v) => v.toFixed(5)).join(', ')}${result.extentFromNetwork ? ' (now the city’s box)' : ''}`,
    `places    ${communitiesLoaded} communities and ${facilitiesLoaded} facilities loaded from the extract`,
    formatBasemap(result.basemap),
    ...result.notes.map((note) => `note      ${describeNetworkNote(note)}`),
    `next      lifecircle start --city ${code}`,
  ].join('\n');
}

/** A city's basemap in one line: what each layer holds and its stored size. */
export function formatBasemap(basemap: CityBasemap): string {
  const c = basemap.counts;
  return (
    `basemap   ${basemap.fileName} → city ${basemap.cityCode}: ${c.roads} roads, ${c.buildings} buildings, ` +
    `${c.water} water, ${c.green} green, ${c.places} places (${Math.round(basemap.bytes / 1024)} KB stored)`
  );
}
