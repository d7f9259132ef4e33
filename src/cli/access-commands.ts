import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import {
  THIN_POI_CAVEAT,
  communitiesGeoJson,
  coverageCsv,
  districtsGeoJson,
  evaluateAccess,
  evaluateFormats,
  evaluationToJson,
  findGaps,
  formatSelectors,
  generateCandidates,
  rollUp,
  rollupCsv,
  siteFacilities,
  snapCandidates,
  WhatIfScenario,
  type Evaluation,
  type WhatIfResult,
  type FormatsResult,
} from '../access/index.js';
import { LifeCircleError } from '../errors.js';
import { EdgeIndex, importOsmNetwork, readGraphFile, type WalkGraph } from '../network/index.js';
import {
  communitiesFromRecords,
  estimateFromCensus,
  readCensus,
  readCommunityFile,
  readDistricts,
  readFacilityFile,
  readOsmPlaces,
  readPointFile,
  type Community,
  type Facility,
} from '../places/index.js';
import { DEMAND_GROUP_NAMES, facilityTypeById, loadStandards, type Standards } from '../standards/index.js';
import { BUNDLED_OSM } from '../analysis/index.js';
import { createProgress } from './progress.js';
import { formatTable } from './table.js';

interface InputOptions {
  graph?: string;
  osm?: string;
  communities?: string;
  facilities?: string;
  config?: string;
  census?: string;
  districts?: string;
  quiet?: boolean;
}

interface Loaded {
  readonly graph: WalkGraph;
  readonly index: EdgeIndex;
  readonly standards: Standards;
  readonly communities: Community[];
  readonly facilities: Facility[];
  readonly evaluation: Evaluation;
  readonly formats: FormatsResult;
  readonly caveats: string[];
}

function withInputOptions(command: Command): Command {
  return command
    .option('--graph <file>', 'walking graph from `lifecircle network import` (default: built from --osm)')
    .option(
      '--osm <file>',
      'OSM extract for the graph, residential areas and facilities (default: the bundled Chengdu 2018 extract)',
    )
    .option('--communities <file>', 'communities CSV/GeoJSON (default: residential areas of --osm)')
    .option('--facilities <file>', 'facilities CSV/GeoJSON (default: facilities tagged in --osm)')
    .option('--config <file>', 'city configuration (YAML or JSON) overriding the national defaults')
    .option(
      '--census <file>',
      'district census table for population estimates (default: bundled Chengdu 2020)',
    )
    .option('--districts <file>', 'district outlines GeoJSON (default: bundled Chengdu)')
    .option('-q, --quiet', 'no progress output');
}

async function load(options: InputOptions): Promise<Loaded> {
  const progress = createProgress('analyze', options.quiet);
  const note = (s: string) => {
    if (!options.quiet) process.stderr.write(`${s}\n`);
  };
  try {
    // Files the user gave are checked first, so a bad row fails before any slow work.
    const standards = loadStandards(options.config);
    const communityRecords = options.communities ? readCommunityFile(options.communities) : undefined;
    const fileFacilities = options.facilities
      ? readFacilityFile(options.facilities, [
          ...standards.facilityTypes.map((t) => t.id),
          ...formatSelectors().map((f) => f.id),
        ])
      : undefined;
    const osm = options.osm ?? BUNDLED_OSM;
    const needOsm = !options.graph || !options.communities || !options.facilities;
    if (needOsm && !existsSync(osm))
      throw new LifeCircleError('LC_FILE_NOT_FOUND', `OSM file ${osm} does not exist`);
    const graph = options.graph
      ? readGraphFile(options.graph)
      : await importOsmNetwork(osm, {
          onProgress: ({ bytesRead, totalBytes }) =>
            progress.update(bytesRead, totalBytes, 'building walking graph'),
        });
    const places =
      !options.communities || !options.facilities
        ? await readOsmPlaces(osm, [...standards.facilityTypes, ...formatSelectors()])
        : undefined;
    const census = () => readCensus(options.census);
    const districts = () => readDistricts(options.districts);
    const caveats: string[] = [];
    let communities: Community[];
    if (communityRecords) {
      communities = communitiesFromRecords(communityRecords, census(), districts());
    } else {
      const report = estimateFromCensus(places?.residentialAreas ?? [], {
        census: census(),
        districts: districts(),
        region: places?.bounds,
      });
      communities = report.communities;
      caveats.push(
        `人口为估算值：按面积分配 2020 年普查区县人口。 Population estimated: district census totals (2020) spread over ${communities.length} OSM residential areas by area; see docs/life-circle-evaluation.md.`,
      );
      if (report.unassigned > 0)
        caveats.push(
          `${report.unassigned} residential areas lie outside every district outline and have no population.`,
        );
    }
    if (communities.length === 0)
      throw new LifeCircleError(
        'LC_USAGE',
        communityRecords
          ? `${options.communities} holds no communities; expected at least one row`
          : `${osm} has no residential areas (closed ways tagged landuse=residential); give --communities`,
      );
    const facilities = fileFacilities ?? places?.facilities ?? [];
    if (!fileFacilities) caveats.push(THIN_POI_CAVEAT);
    const index = new EdgeIndex(graph);
    const evaluation = evaluateAccess({
      graph,
      standards,
      communities,
      facilities,
      index,
      onProgress: (phase, done, total) => progress.update(done, Math.max(total, 1), phase),
    });
    const formats = evaluateFormats(graph, index, evaluation.placedCommunities, facilities, standards);
    progress.stop();
    for (const c of caveats) note(`note: ${c}`);
    return { graph, index, standards, communities, facilities, evaluation, formats, caveats };
  } finally {
    progress.stop();
  }
}

/** Writes through a temporary file and a rename, so a failed write leaves no half-written output. */
function writeOutput(path: string, text: string): void {
  try {
    writeFileSync(`${path}.partial`, text);
    renameSync(`${path}.partial`, path);
  } catch (error) {
    throw new LifeCircleError('LC_OUTPUT', `cannot write ${path}: ${(error as Error).message}`);
  }
}

const pct = (v: number) => (Number.isFinite(v) ? `${(v * 100).toFixed(1)}%` : '–');

function cityTable(evaluation: Evaluation, formats: FormatsResult): string {
  const [city] = rollUp(evaluation, 'city');
  const rows: string[][] = [];
  for (const t of city.types) {
    const type = evaluation.types.find((e) => e.type.id === t.typeId)?.type;
    if (!type) continue;
    rows.push([
      `${type.nameZh} ${type.id}`,
      `${type.radiusM.value} m${type.radiusM.verified ? '' : ' *'}`,
      pct(t.communityShare),
      pct(t.demandShare),
      Number.isFinite(t.fcaPer1000)
        ? `${t.fcaPer1000.toFixed(1)} ${type.capacityUnit.en} per 1,000 ${DEMAND_GROUP_NAMES[type.demandGroup].en}`
        : '–',
    ]);
  }
  const lines = [
    formatTable(
      ['type', 'radius', 'communities', 'residents', '2SFCA (capacity per 1,000 of the demand group)'],
      rows,
      ['left', 'right', 'right', 'right', 'left'],
    ).trimEnd(),
  ];
  for (const tier of city.tiers)
    lines.push(
      `completeness ${tier.tier}: ${pct(tier.communityShare)} of communities, ${pct(tier.populationShare)} of residents`,
    );
  const n = formats.basicPresent.length;
  const mean = n > 0 ? formats.basicPresent.reduce((s, v) => s + v, 0) / n : NaN;
  const all = formats.basicPresent.filter((v) => v === formats.basicTotal).length;
  lines.push(
    `一刻钟便民生活圈 basic formats within walking reach: ${Number.isFinite(mean) ? mean.toFixed(1) : '–'} of ${formats.basicTotal} on average; all of them: ${pct(n > 0 ? all / n : NaN)} of communities`,
  );
  lines.push('* radius is a default not yet checked against GB 50180-2018 附录C');
  return lines.join('\n');
}

export function registerAccessCommands(program: Command): void {
  withInputOptions(
    program
      .command('analyze')
      .description(
        'evaluate life-circle coverage, completeness and 2SFCA against the standards; write JSON, CSV and GeoJSON',
      ),
  )
    .option('-o, --out <dir>', 'output directory', 'lifecircle-analysis')
    .action(async (options: InputOptions & { out: string }) => {
      const { evaluation, formats, caveats } = await load(options);
      try {
        mkdirSync(options.out, { recursive: true });
      } catch (error) {
        throw new LifeCircleError('LC_OUTPUT', `cannot create ${options.out}: ${(error as Error).message}`);
      }
      const files = {
        'analysis.json': `${JSON.stringify(evaluationToJson(evaluation, caveats, formats), null, 1)}\n`,
        'coverage.csv': coverageCsv(evaluation),
        'rollups.csv': rollupCsv(evaluation),
        'communities.geojson': `${JSON.stringify(communitiesGeoJson(evaluation, caveats))}\n`,
        'districts.geojson': `${JSON.stringify(districtsGeoJson(evaluation, new Map(readDistricts(options.districts).map((d) => [d.name, d.geometry])), caveats))}\n`,
      };
      for (const [name, text] of Object.entries(files)) writeOutput(join(options.out, name), text);
      if (!options.quiet) {
        process.stdout.write(`${cityTable(evaluation, formats)}\n`);
        process.stdout.write(
          `wrote ${Object.keys(files)
            .map((f) => join(options.out, f))
            .join(', ')}\n`,
        );
      }
    });

  withInputOptions(
    program
      .command('gaps')
      .description('list the communities left without a facility type within its radius, most demand first'),
  )
    .option('--type <id>', 'only this facility type')
    .option('--top <n>', 'communities listed per type', '10')
    .option('--json', 'print JSON')
    .action(async (options: InputOptions & { type?: string; top: string; json?: boolean }) => {
      const top = Number(options.top);
      if (!Number.isInteger(top) || top < 1)
        throw new LifeCircleError('LC_USAGE', `--top should be a whole number ≥ 1, got ${options.top}`);
      const { evaluation, standards, caveats } = await load(options);
      if (options.type) facilityTypeById(standards, options.type);
      const gaps = findGaps(evaluation).filter((g) => !options.type || g.typeId === options.type);
      if (options.json) {
        process.stdout.write(
          `${JSON.stringify({ caveats, gaps: gaps.map((g) => ({ ...g, gaps: g.gaps.slice(0, top) })) }, null, 1)}\n`,
        );
        return;
      }
      for (const g of gaps) {
        const type = facilityTypeById(standards, g.typeId);
        process.stdout.write(
          `\n${type.nameZh} ${type.id} (radius ${type.radiusM.value} m): ${g.uncoveredCommunities} communities uncovered, ${Math.round(g.uncoveredDemand)} ${DEMAND_GROUP_NAMES[type.demandGroup].zh}\n`,
        );
        process.stdout.write(
          formatTable(
            ['community', 'district', 'demand', 'nearest'],
            g.gaps
              .slice(0, top)
              .map((gap) => [
                gap.name,
                gap.district ?? '',
                `${Math.round(gap.demand)}${gap.demandEstimated ? ' (estimated)' : ''}`,
                Number.isFinite(gap.nearestM)
                  ? `${Math.round(gap.nearestM)} m`
                  : `> ${evaluation.maxDistanceM} m`,
              ]),
            ['left', 'left', 'right', 'right'],
          ).replace(/^/gm, '  '),
        );
      }
    });

  withInputOptions(
    program
      .command('site')
      .description(
        'recommend k new sites for a facility type that cover the most unserved demand (lazy greedy)',
      ),
  )
    .requiredOption('--type <id>', 'facility type id, e.g. kindergarten')
    .requiredOption('--k <n>', 'number of new sites')
    .option('--capacity <n>', 'demand one new facility can serve (default: coverage only)')
    .option(
      '--candidates <file>',
      'candidate sites CSV/GeoJSON with lon,lat (default: network places in/at residential areas)',
    )
    .option('-o, --out <file>', 'write the picks as GeoJSON')
    .option('--json', 'print JSON')
    .action(
      async (
        options: InputOptions & {
          type: string;
          k: string;
          capacity?: string;
          candidates?: string;
          out?: string;
          json?: boolean;
        },
      ) => {
        const k = Number(options.k);
        if (!Number.isInteger(k) || k < 1)
          throw new LifeCircleError('LC_USAGE', `--k should be a whole number ≥ 1, got ${options.k}`);
        const capacity = options.capacity === undefined ? undefined : Number(options.capacity);
        if (capacity !== undefined && !(capacity > 0))
          throw new LifeCircleError(
            'LC_USAGE',
            `--capacity should be a positive number, got ${options.capacity}`,
          );
        const standards = loadStandards(options.config);
        const type = facilityTypeById(standards, options.type);
        if (!type.enabled)
          throw new LifeCircleError(
            'LC_USAGE',
            `facility type ${type.id} is switched off in the city config`,
          );
        const { graph, index, evaluation, communities, caveats } = await load(options);
        const t = evaluation.types.find((e) => e.type.id === type.id);
        if (!t) throw new LifeCircleError('LC_USAGE', `facility type ${type.id} was not evaluated`);
        let candidates;
        if (options.candidates) {
          const points = readPointFile(options.candidates);
          const snapped = snapCandidates(index, points);
          if (snapped.offNetwork.length > 0)
            process.stderr.write(
              `note: ${snapped.offNetwork.length} candidate(s) are off the walking network and were not considered\n`,
            );
          candidates = snapped.candidates;
        } else candidates = generateCandidates(graph, communities, evaluation.placedCommunities);
        const result = siteFacilities({
          graph,
          placed: evaluation.placedCommunities,
          candidates,
          uncoveredDemand: Float64Array.from(t.demand, (d, i) => (t.covered[i] ? 0 : d)),
          radiusM: type.radiusM.value,
          k,
          capacity,
        });
        const picks = result.picks.map((p, rank) => ({
          rank: rank + 1,
          lon: Number(p.lon.toFixed(6)),
          lat: Number(p.lat.toFixed(6)),
          origin: p.origin,
          marginalGain: Math.round(p.gain),
          cumulative: Math.round(p.cumulative),
          communities: p.communities.map((c) => communities[c].name),
        }));
        if (options.out)
          writeOutput(
            options.out,
            `${JSON.stringify({
              type: 'FeatureCollection',
              caveats,
              features: picks.map((p) => ({
                type: 'Feature',
                geometry: { type: 'Point', coordinates: [p.lon, p.lat] },
                properties: { ...p, facilityType: type.id },
              })),
            })}\n`,
          );
        if (options.json) {
          process.stdout.write(`${JSON.stringify({ caveats, type: type.id, ...result, picks }, null, 1)}\n`);
          return;
        }
        const group = DEMAND_GROUP_NAMES[type.demandGroup].zh;
        process.stdout.write(
          `${type.nameZh} ${type.id}: ${Math.round(result.uncoveredBefore)} ${group} unserved within ${type.radiusM.value} m; ${result.candidates} candidates, ${result.evaluations} gain evaluations\n`,
        );
        for (const p of picks)
          process.stdout.write(
            `  #${p.rank} ${p.lon},${p.lat}  +${p.marginalGain} (total ${p.cumulative})  ${p.origin}  → ${p.communities.slice(0, 4).join('、')}${p.communities.length > 4 ? '…' : ''}\n`,
          );
        process.stdout.write(`unserved after ${picks.length} sites: ${Math.round(result.uncoveredAfter)}\n`);
      },
    );

  withInputOptions(
    program
      .command('what-if')
      .description(
        'add, move or remove facilities of a type and see coverage and 2SFCA change (incremental)',
      ),
  )
    .requiredOption('--type <id>', 'facility type id, e.g. elderly-daycare')
    .option('--add <lon,lat[,capacity]>', 'add a facility (repeatable)', collect, [])
    .option(
      '--remove <facility-id>',
      'remove a facility by id, as in analysis.json facilityList (repeatable)',
      collect,
      [],
    )
    .option('--move <facility-id=lon,lat>', 'move a facility (repeatable)', collect, [])
    .option('--json', 'print JSON')
    .action(
      async (
        options: InputOptions & {
          type: string;
          add: string[];
          remove: string[];
          move: string[];
          json?: boolean;
        },
      ) => {
        const adds = options.add.map((a) => parseLonLat(a, '--add', true));
        const moves = options.move.map((m) => {
          const at = m.indexOf('=');
          if (at < 1)
            throw new LifeCircleError('LC_USAGE', `--move should be <facility-id>=<lon>,<lat>, got ${m}`);
          return { id: m.slice(0, at), to: parseLonLat(m.slice(at + 1), '--move', false) };
        });
        if (adds.length + moves.length + options.remove.length === 0)
          throw new LifeCircleError('LC_USAGE', 'give at least one --add, --move or --remove');
        const { graph, index, evaluation, standards, caveats } = await load(options);
        facilityTypeById(standards, options.type);
        const scenario = new WhatIfScenario(graph, evaluation, index);
        const results: WhatIfResult[] = [
          ...adds.map((a) => scenario.add(options.type, a)),
          ...moves.map((m) => scenario.move(options.type, m.id, m.to)),
          ...options.remove.map((id) => scenario.remove(options.type, id)),
        ];
        if (options.json) {
          process.stdout.write(`${JSON.stringify({ caveats, results }, null, 1)}\n`);
          return;
        }
        for (const r of results)
          process.stdout.write(
            `${r.operation} ${r.facilityId}: covered communities ${r.before.coveredCommunities} → ${r.after.coveredCommunities}, demand covered ${pct(r.before.demandShare)} → ${pct(r.after.demandShare)}, 2SFCA/1000 ${r.before.fcaPer1000.toFixed(2)} → ${r.after.fcaPer1000.toFixed(2)}; +${r.newlyCovered.length} / −${r.newlyUncovered.length} communities (${r.elapsedMs.toFixed(1)} ms)\n`,
          );
      },
    );
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function parseLonLat(
  text: string,
  option: string,
  withCapacity: boolean,
): { lon: number; lat: number; capacity?: number } {
  const parts = text.split(',').map(Number);
  const [lon, lat, capacity] = parts;
  const ok =
    parts.length >= 2 &&
    parts.length <= (withCapacity ? 3 : 2) &&
    parts.every(Number.isFinite) &&
    Math.abs(lon) <= 180 &&
    Math.abs(lat) <= 90 &&
    (capacity === undefined || capacity > 0);
  if (!ok)
    throw new LifeCircleError(
      'LC_USAGE',
      `${option} should be <lon>,<lat>${withCapacity ? '[,<capacity>]' : ''} in WGS-84 degrees, got ${text}`,
    );
  return capacity === undefined ? { lon, lat } : { lon, lat, capacity };
}
