import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { createCity, findCityDivision, setCityExtent, checkBbox } from '../cities/index.js';
import { LifeCircleError } from '../errors.js';
import { describeGraph, importOsmNetwork } from '../network/index.js';
import { cliViewer } from '../policy/index.js';
import type { City } from '../store/index.js';
import { systemClock } from '../time/index.js';
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
          bbox = summary.bbox.map((v, i) => round(v, i < 2 ? 'down' : 'up')) as typeof bbox;
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

/** Rounds a network's extent outwards to 1e-4° (≈ 10 m), so the box still holds every node. */
function round(value: number, direction: 'up' | 'down'): number {
  return (direction === 'up' ? Math.ceil(value * 1e4) : Math.floor(value * 1e4)) / 1e4;
}
