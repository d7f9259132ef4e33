import area from '@turf/area';
import { actorOf, recordAudit } from '../audit/index.js';
import { cityExtent } from '../cities/index.js';
import { LifeCircleError } from '../errors.js';
import { apportionPopulation, linkPlacesToUnits, type CommunityUnit } from '../places/index.js';
import { defineCommand } from '../policy/index.js';
import type { Community } from '../store/index.js';
import type { CoordinateSystem } from './coordinates.js';
import { resolveColumns } from './fields.js';
import { parseRow } from './parse-row.js';
import { loadCityPlaces, matchPlaceNames } from './place-names.js';
import { readTable } from './read-file.js';

export interface LinkCommunitiesInput {
  /** The city's 社区 (CSV, XLSX or GeoJSON; polygons or points), read with the communities register's columns. */
  bytes: Buffer;
  fileName: string;
  crs?: CoordinateSystem;
  /** Places outside every 社区 polygon link to the nearest 社区 point within this distance (metres). */
  maxDistanceM: number;
  /** Split each 社区's population (and age bands) over its places by area, flagged as estimates. */
  apportion?: boolean;
  dryRun?: boolean;
  /** The city whose places are linked (division code; default the city the caller plans for). */
  city?: string;
}

export interface LinkCommunitiesReport {
  units: number;
  places: number;
  linkedInside: number;
  linkedNearest: number;
  /** Changed records (their division code, and population when apportioned). */
  changed: number;
  unlinked: number;
  /** The first places left unlinked, with their nearest 社区 and how far it is. */
  unlinkedExamples: { placeCode: string; nearestUnitCode: string | null; distanceM: number | null }[];
  /** 社区 with no place linked to them (their residents are in no place of the store). */
  unitsWithoutPlaces: string[];
  dryRun: boolean;
}

/**
 * `registry.linkCommunities`: the store's places (OSM residential areas, or any community records) are linked to
 * the 社区 of a file — the one whose polygon holds them, else the nearest 社区 point within `maxDistanceM` — and
 * take that 社区's division code, so roll-ups by 街道 carry real names. Rows of the file are checked like a
 * communities import (a row with a problem stops the link, naming it). One transaction, one audit entry per
 * changed place.
 */
export const linkCommunities = defineCommand<LinkCommunitiesInput, LinkCommunitiesReport>({
  name: 'registry.linkCommunities',
  permission: 'registry.write.communities',
  async run({ store, cityCode }, viewer, input) {
    if (!Number.isFinite(input.maxDistanceM) || input.maxDistanceM < 0)
      throw new LifeCircleError('LC_USAGE', `maxDistanceM: expected metres ≥ 0, got ${input.maxDistanceM}`);
    const city = await cityExtent(store, input.city ?? cityCode);
    const table = await readTable(input.bytes, input.fileName, {
      headerScore: (cells) => resolveColumns('communities', cells).columns.size,
    });
    const { columns, missing } = resolveColumns(
      'communities',
      table.headers,
      {},
      table.rows.some((r) => r.geometry),
    );
    if (missing.length)
      throw new LifeCircleError(
        'LC_IMPORT_FORMAT',
        `${input.fileName}: no column for ${missing.map((f) => `${f.zh} (${f.en})`).join(', ')}; the header row has: ${table.headers.join(', ')}`,
      );
    const parsed = table.rows.map((row) =>
      parseRow('communities', row, { city, crs: input.crs ?? 'WGS84', columns, types: new Map() }),
    );
    if (columns.has('district') || columns.has('street'))
      matchPlaceNames(parsed, await loadCityPlaces(store, city));
    const bad = parsed.find((p) => p.problems.length);
    if (bad) {
      const p = bad.problems[0];
      throw new LifeCircleError(
        'LC_IMPORT_FORMAT',
        `${input.fileName} row ${p.row}${p.column ? `, ${p.column}` : ''}: ${p.message}`,
      );
    }
    const known = await store.regions.existing(parsed.map((p) => p.key ?? ''));
    const units: (CommunityUnit & { regionCode: string })[] = parsed.map((p) => {
      const c = p.patch as Partial<Community>;
      return {
        code: p.key!,
        name: c.name!,
        location: c.location!,
        boundary: c.boundary ?? null,
        population: c.population ?? null,
        ageGroups: c.ageGroups,
        // A 社区 code of the national list is the most precise division code; else the 社区's own 街道/区.
        regionCode: known.has(p.key!) ? p.key! : (c.regionCode ?? ''),
      };
    });
    const places: Community[] = [];
    for (let offset = 0; ;) {
      // This city's places only: another city's in the same store lie in none of these 社区.
      const page = await store.communities.list({ within: city.code, limit: 1000, offset });
      places.push(...page.items);
      offset += page.items.length;
      if (page.items.length === 0 || offset >= page.total) break;
    }
    const result = linkPlacesToUnits(places, units, { maxDistanceM: input.maxDistanceM });
    const unitByCode = new Map(units.map((u) => [u.code, u]));
    const apportioned = input.apportion
      ? new Map(
          apportionPopulation(
            result.links,
            places.map((p) => ({
              code: p.code,
              areaM2: p.boundary ? area({ type: 'Feature', geometry: p.boundary, properties: {} }) : null,
            })),
            units,
          ).places.map((a) => [a.placeCode, a]),
        )
      : new Map();
    const report: LinkCommunitiesReport = {
      units: units.length,
      places: places.length,
      linkedInside: result.links.filter((l) => l.how === 'inside').length,
      linkedNearest: result.links.filter((l) => l.how === 'nearest').length,
      changed: 0,
      unlinked: result.unlinked.length,
      unlinkedExamples: result.unlinked.slice(0, 20),
      unitsWithoutPlaces: units
        .filter((u) => !result.links.some((l) => l.unitCode === u.code))
        .map((u) => u.code),
      dryRun: input.dryRun ?? false,
    };
    const byCode = new Map(places.map((p) => [p.code, p]));
    const changes: { before: Community; after: Community }[] = [];
    for (const link of result.links) {
      const before = byCode.get(link.placeCode)!;
      const unit = unitByCode.get(link.unitCode)!;
      const share = apportioned.get(link.placeCode);
      const after: Community = {
        ...before,
        regionCode: unit.regionCode || before.regionCode,
        ...(share
          ? { population: share.population, ageGroups: share.ageGroups, populationEstimated: true }
          : {}),
      };
      if (JSON.stringify(after) !== JSON.stringify(before)) changes.push({ before, after });
    }
    report.changed = changes.length;
    if (report.dryRun || changes.length === 0) return report;
    await store.transaction(async (tx) => {
      for (const { before, after } of changes) {
        await tx.communities.upsert(after);
        await recordAudit(tx, actorOf(viewer), {
          action: 'update',
          entity: 'communities',
          key: after.code,
          before,
          after,
        });
      }
    });
    return report;
  },
});
