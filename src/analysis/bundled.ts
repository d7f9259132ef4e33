import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importPlanDocument } from '../plans/index.js';
import { systemViewer } from '../policy/index.js';
import type { Clock } from '../time/index.js';
import {
  districtAt,
  estimateFromCensus,
  readCensus,
  readDistricts,
  readOsmPlaces,
  type Community as PlaceCommunity,
  type Facility as PlaceFacility,
} from '../places/index.js';
import { recordAudit, systemActor } from '../audit/index.js';
import type { Standards } from '../standards/index.js';
import type { Actor, CityBasemap, Community, Facility, Store } from '../store/index.js';
import { importCityBasemap } from '../basemap/index.js';
import { STANDARD_TYPE_DOMAINS, STANDARD_TYPE_SOURCE } from './domains.js';

/** The division code of the bundled data's city: 成都. */
export const BUNDLED_CITY = '5101';

/** The bundled OSM extract of central Chengdu (see data/chengdu-central/SOURCE.md). */
export const BUNDLED_OSM = fileURLToPath(
  new URL('../../../data/chengdu-central/chengdu-central-2018.osm', import.meta.url),
);

/**
 * 成都's own life-services policy, the plan a first start shows (seed 004: 成都 关于创新发展生活性服务业建设高品质和谐宜居
 * 生活城市的意见, 2018; data/seeds/SOURCE.md), under the name people know it by.
 */
export const BUNDLED_PLAN = {
  path: fileURLToPath(new URL('../../../data/seeds/004_8ac6a6207ac107a0.txt', import.meta.url)),
  fileName: '成都市关于创新发展生活性服务业建设高品质和谐宜居生活城市的意见.txt',
};

/** The platform loading its bundled data (audited as `system:bundled-data`). */
const BUNDLED_DATA = systemViewer('bundled-data', '系统 (内置数据)');

/**
 * Imports the bundled city's own plan through `plans.import` when the store holds no plan at all (a first start),
 * so the plans and indicators views start from 成都's policy, never another city's. Its targets are offered as
 * suggestions on the indicators they name; a coordinator confirms them. Null when nothing was imported.
 */
export async function loadBundledPlan(
  store: Store,
  clock: Clock,
  cityCode: string,
): Promise<{ id: string; title: string } | null> {
  if ((await store.plans.planPage({ limit: 1 })).total > 0) return null;
  const { stored } = await importPlanDocument({ store, clock, cityCode }, BUNDLED_DATA, {
    bytes: readFileSync(BUNDLED_PLAN.path),
    fileName: BUNDLED_PLAN.fileName,
  });
  return { id: stored.id, title: stored.title };
}

/**
 * Gives the bundled city the basemap of the bundled extract through `cities.importBasemap`, once: when the store
 * has one for the city already (a later start, or another server starting at the same time), nothing is read or
 * written. Audited as `system:bundled-data`. About a third of a second on the bundled 3.4 MB extract.
 */
export async function loadBundledBasemap(
  store: Store,
  clock: Clock,
  cityCode: string,
  osm: string = BUNDLED_OSM,
): Promise<{ basemap: CityBasemap; written: boolean }> {
  const { basemap, written } = await importCityBasemap({ store, clock, cityCode }, BUNDLED_DATA, {
    cityCode,
    path: osm,
    fileName: basename(osm),
    onlyIfMissing: true,
  });
  return { basemap, written };
}

export interface BundledLoad {
  /** Facility types of the standards added to the store (0 when all were there). */
  typesAdded: number;
  communities: number;
  facilities: number;
  /** False when the store already held the bundled data (a second start adds nothing). */
  loaded: boolean;
}

/** Adds the life-circle facility types of the standards that the store does not know yet (audited). */
export async function ensureStandardTypes(
  store: Store,
  standards: Standards,
  actor: Actor = systemActor('standard-types'),
): Promise<number> {
  const missing: Standards['facilityTypes'][number][] = [];
  for (const t of standards.facilityTypes) if (!(await store.facilityTypes.get(t.id))) missing.push(t);
  if (missing.length === 0) return 0;
  await store.transaction(async (tx) => {
    for (const t of missing) {
      const type = {
        code: t.id,
        nameZh: t.nameZh,
        nameEn: t.nameEn,
        domain: STANDARD_TYPE_DOMAINS[t.id] ?? 'housekeeping',
        source: STANDARD_TYPE_SOURCE,
      };
      await tx.facilityTypes.upsert(type);
      await recordAudit(tx, actor, { action: 'create', entity: 'facility_types', key: t.id, after: type });
    }
  });
  return missing.length;
}

/** Store key of an OSM residential area or facility: its place id ('osm-way-123', 'osm-node-5-kindergarten'). */
const keyOf = (id: string) => id;

/** The 区 division code of a district name inside the city (the outlines carry names, the store codes). */
async function districtCodes(store: Store, cityCode: string): Promise<Map<string, string>> {
  const page = await store.regions.list({ level: 'district', within: cityCode, limit: 1000 });
  return new Map(page.items.map((r) => [r.name, r.code]));
}

export function toStoreCommunity(c: PlaceCommunity, regionCode: string): Community {
  const ring = c.ring?.map(([lon, lat]) => [lon, lat]);
  return {
    code: keyOf(c.id),
    name: c.name,
    regionCode,
    location: { lon: c.lon, lat: c.lat },
    boundary: ring && ring.length >= 4 ? { type: 'Polygon', coordinates: [ring] } : null,
    population: c.demand ? Math.round(c.demand.all) : null,
    // The census age bands (0–2, 3–5, …) do not match the register's (0–3, 3–6, …): age groups stay empty and
    // the analysis derives them from the district's census shares.
    ageGroups: {},
    populationEstimated: c.populationEstimated,
  };
}

export function toStoreFacility(f: PlaceFacility, regionCode: string | null): Facility {
  return {
    code: keyOf(f.id),
    name: f.name ?? '',
    typeCode: f.typeId,
    location: { lon: f.lon, lat: f.lat },
    address: null,
    regionCode,
    capacity: f.capacity ?? null,
    affordable: false,
    status: 'open',
    providerUscc: null,
    contactPhone: null,
  };
}

/**
 * Loads the bundled OSM residential areas (as communities, population estimated from the 2020 district census)
 * and OSM facilities into the store, in one transaction with one audit entry per register. Idempotent: when the
 * store already holds them (or anything in the community register), nothing is read or written.
 */
export async function loadBundledPlaces(
  store: Store,
  standards: Standards,
  options: { cityCode: string; osm?: string; actor?: Actor },
): Promise<BundledLoad> {
  const typesAdded = await ensureStandardTypes(store, standards, options.actor);
  if ((await store.communities.count()) > 0 || (await store.facilities.count()) > 0)
    return { typesAdded, communities: 0, facilities: 0, loaded: false };
  const osm = options.osm ?? BUNDLED_OSM;
  const actor = options.actor ?? systemActor('bundled-data');
  const places = await readOsmPlaces(osm, standards.facilityTypes);
  const districts = readDistricts();
  const estimate = estimateFromCensus(places.residentialAreas, {
    census: readCensus(undefined, options.cityCode),
    districts,
    region: places.bounds,
  });
  const codes = await districtCodes(store, options.cityCode);
  const communities = estimate.communities.map((c) =>
    toStoreCommunity(c, (c.district && codes.get(c.district)) || options.cityCode),
  );
  const facilities = places.facilities.map((f) => {
    const d = districtAt(districts, f.lon, f.lat);
    return toStoreFacility(f, d ? (codes.get(d.name) ?? null) : null);
  });
  await store.transaction(async (tx) => {
    for (const c of communities) await tx.communities.upsert(c);
    for (const f of facilities) await tx.facilities.upsert(f);
    for (const [entity, count] of [
      ['communities', communities.length],
      ['facilities', facilities.length],
    ] as const)
      await recordAudit(tx, actor, {
        action: 'import',
        entity,
        key: 'bundled:chengdu-central-2018.osm',
        after: { source: 'OpenStreetMap 2018 extract, © OpenStreetMap contributors, ODbL', count },
      });
  });
  return { typesAdded, communities: communities.length, facilities: facilities.length, loaded: true };
}
