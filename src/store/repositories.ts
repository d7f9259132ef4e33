import { LifeCircleError } from '../errors.js';
import { creditRepository } from './credit-repository.js';
import { indicatorRepository } from './indicators-repository.js';
import { jobRepository } from './jobs-repository.js';
import { monitoringReportRepository } from './reports-repository.js';
import { loginFailureRepository, requestCounterRepository } from './throttle-repository.js';
import { pageOf } from './paging.js';
import { planRepository } from './plans-repository.js';
import { Where, inList, withinRegion, type Row, type Sql } from './sql.js';
import { supervisionCasesRepositories } from './supervision-cases-repository.js';
import type {
  AnalysisRun,
  AuditEntry,
  AuditFilter,
  City,
  CityBasemap,
  CityNetwork,
  CityRule,
  Community,
  CommunityFilter,
  Facility,
  FacilityFilter,
  FacilityType,
  ImportRecord,
  KeyedRepository,
  NetworkSummary,
  Page,
  PageQuery,
  Provider,
  ProviderFilter,
  Region,
  RegionFilter,
  StoreRepositories,
  User,
} from './types.js';

/**
 * The store's repositories, written once against `Sql` and run by both stores (sqlite-store.ts and
 * postgres-store.ts). Only the spatial box lookup differs: SQLite's R*Tree table, PostgreSQL's GiST over `point`.
 */
const json = (value: unknown): string => JSON.stringify(value ?? null);
const parse = <T>(text: unknown, fallback: T): T =>
  typeof text === 'string' ? (JSON.parse(text) as T) : fallback;
const bool = (value: unknown): boolean => value === 1 || value === true;

async function paged<T>(
  sql: Sql,
  table: string,
  where: Where,
  order: string,
  q: PageQuery | undefined,
  map: (r: Row) => T,
): Promise<Page<T>> {
  const { limit, offset } = pageOf(q);
  const total = (await sql.get<{ n: number }>(
    `SELECT count(*) AS n FROM ${table} ${where.sql}`,
    where.params,
  ))!.n;
  const rows = await sql.all(`SELECT * FROM ${table} ${where.sql} ORDER BY ${order} LIMIT ? OFFSET ?`, [
    ...where.params,
    limit,
    offset,
  ]);
  return { items: rows.map(map), total, limit, offset };
}

const cityFromRow = (r: Row): City => ({
  code: r.code as string,
  name: r.name as string,
  bbox:
    r.west === null || r.west === undefined
      ? null
      : [r.west as number, r.south as number, r.east as number, r.north as number],
  extentSource: (r.extent_source as City['extentSource']) ?? null,
  extentNote: (r.extent_note as string | null) ?? '',
  createdAt: r.created_at as string,
  updatedAt: r.updated_at as string,
});

const cityNetworkFromRow = (r: Row): CityNetwork => ({
  cityCode: r.city_code as string,
  fileName: r.file_name as string,
  sourceSha256: r.source_sha256 as string,
  summary: JSON.parse(r.summary as string) as NetworkSummary,
  createdBy: r.created_by as string,
  createdAt: r.created_at as string,
});

/** The columns of a basemap's record: everything but its bytes. */
const BASEMAP_COLUMNS =
  'city_code, file_name, source_sha256, format, sha256, bytes, counts, bbox, created_by, created_at';

const cityBasemapFromRow = (r: Row): CityBasemap => ({
  cityCode: r.city_code as string,
  fileName: r.file_name as string,
  sourceSha256: r.source_sha256 as string,
  format: r.format as string,
  sha256: r.sha256 as string,
  bytes: Number(r.bytes),
  counts: JSON.parse(r.counts as string) as CityBasemap['counts'],
  bbox: parse(r.bbox, null),
  createdBy: r.created_by as string,
  createdAt: r.created_at as string,
});

const cityRuleFromRow = (r: Row): CityRule => ({
  cityCode: r.city_code as string,
  rule: r.rule as string,
  value: JSON.parse(r.value as string) as unknown,
  source: JSON.parse(r.source as string) as CityRule['source'],
  updatedBy: r.updated_by as string,
  updatedAt: r.updated_at as string,
});

const regionFromRow = (r: Row): Region => ({
  code: r.code as string,
  name: r.name as string,
  level: r.level as Region['level'],
  parentCode: (r.parent_code as string | null) ?? null,
});

const communityFromRow = (r: Row): Community => ({
  code: r.code as string,
  name: r.name as string,
  regionCode: r.region_code as string,
  location: { lon: r.lon as number, lat: r.lat as number },
  boundary: parse(r.boundary, null),
  population: (r.population as number | null) ?? null,
  ageGroups: parse(r.age_groups, {}),
  populationEstimated: bool(r.population_estimated),
});

const facilityFromRow = (r: Row): Facility => ({
  code: r.code as string,
  name: r.name as string,
  typeCode: r.type_code as string,
  location: { lon: r.lon as number, lat: r.lat as number },
  address: (r.address as string | null) ?? null,
  regionCode: (r.region_code as string | null) ?? null,
  capacity: (r.capacity as number | null) ?? null,
  affordable: bool(r.affordable),
  status: r.status as Facility['status'],
  providerUscc: (r.provider_uscc as string | null) ?? null,
  contactPhone: (r.contact_phone as string | null) ?? null,
});

const providerFromRow = (r: Row): Provider => ({
  uscc: r.uscc as string,
  name: r.name as string,
  regionCode: (r.region_code as string | null) ?? null,
  domains: parse(r.domains, []),
  contactName: (r.contact_name as string | null) ?? null,
  contactPhone: (r.contact_phone as string | null) ?? null,
});

const userFromRow = (r: Row): User => ({
  id: r.id as number,
  username: r.username as string,
  displayName: r.display_name as string,
  role: r.role as User['role'],
  department: (r.department as string | null) ?? null,
  domains: parse(r.domains, []),
  regionCode: (r.region_code as string | null) ?? null,
  providerUscc: (r.provider_uscc as string | null) ?? null,
  disabled: bool(r.disabled),
  createdAt: r.created_at as string,
});

const auditFromRow = (r: Row): AuditEntry => ({
  id: r.id as number,
  at: r.at as string,
  actorId: (r.actor_id as number | null) ?? null,
  actorName: r.actor_name as string,
  action: r.action as AuditEntry['action'],
  entity: r.entity as string,
  entityKey: r.entity_key as string,
  before: parse(r.before, null),
  after: parse(r.after, null),
});

const runFromRow = (r: Row): AnalysisRun => ({
  id: r.id as number,
  kind: r.kind as string,
  inputsHash: r.inputs_hash as string,
  parameters: parse(r.parameters, null),
  results: parse(r.results, null),
  engineVersion: r.engine_version as string,
  createdAt: r.created_at as string,
  createdBy: r.created_by as string,
});

const importFromRow = (r: Row): ImportRecord => ({
  id: r.id as number,
  entity: r.entity as string,
  fileName: r.file_name as string,
  fileSha256: r.file_sha256 as string,
  accepted: bool(r.accepted),
  summary: parse(r.summary, null),
  report: parse(r.report, null),
  createdAt: r.created_at as string,
  createdBy: r.created_by as string,
});

/** The same shape for every keyed register: get/list/upsert/delete by the stable key. */
function keyed<T, F extends PageQuery>(
  sql: Sql,
  now: () => string,
  spec: {
    table: string;
    key: string;
    keyOf: (t: T) => string;
    fromRow: (r: Row) => T;
    toRow: (t: T) => Row;
    where: (f: F | undefined) => Where;
    order: string;
  },
): KeyedRepository<T, F> {
  const get = async (key: string): Promise<T | null> => {
    const row = await sql.get(`SELECT * FROM ${spec.table} WHERE ${spec.key} = ?`, [key]);
    return row ? spec.fromRow(row) : null;
  };
  return {
    get,
    list: (filter) => paged(sql, spec.table, spec.where(filter), spec.order, filter, spec.fromRow),
    upsert: async (record) => {
      const before = await get(spec.keyOf(record));
      const row = { ...spec.toRow(record), updated_at: now() };
      const cols = Object.keys(row);
      await sql.run(
        `INSERT INTO ${spec.table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})
         ON CONFLICT (${spec.key}) DO UPDATE SET ${cols
           .filter((c) => c !== spec.key)
           .map((c) => `${c} = excluded.${c}`)
           .join(', ')}`,
        Object.values(row),
      );
      return before;
    },
    delete: async (key) => {
      const before = await get(key);
      if (before) await sql.run(`DELETE FROM ${spec.table} WHERE ${spec.key} = ?`, [key]);
      return before;
    },
    count: async () => (await sql.get<{ n: number }>(`SELECT count(*) AS n FROM ${spec.table}`))!.n,
  };
}

const byId = async <T>(sql: Sql, table: string, id: number, map: (r: Row) => T): Promise<T | null> => {
  const row = await sql.get(`SELECT * FROM ${table} WHERE id = ?`, [id]);
  return row ? map(row) : null;
};

export function repositories(sql: Sql, now: () => string): StoreRepositories {
  return {
    ...supervisionCasesRepositories(sql),
    cities: {
      get: async (code) => {
        const row = await sql.get('SELECT * FROM cities WHERE code = ?', [code]);
        return row ? cityFromRow(row) : null;
      },
      list: async () => (await sql.all('SELECT * FROM cities ORDER BY code')).map(cityFromRow),
      upsert: async (city) => {
        const before = await sql.get('SELECT * FROM cities WHERE code = ?', [city.code]);
        const at = now();
        const [west, south, east, north] = city.bbox ?? [null, null, null, null];
        await sql.run(
          `INSERT INTO cities (code, name, west, south, east, north, extent_source, extent_note, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (code) DO UPDATE SET name = excluded.name, west = excluded.west, south = excluded.south,
             east = excluded.east, north = excluded.north, extent_source = excluded.extent_source,
             extent_note = excluded.extent_note, updated_at = excluded.updated_at`,
          [city.code, city.name, west, south, east, north, city.extentSource, city.extentNote, at, at],
        );
        return before ? cityFromRow(before) : null;
      },
    },

    cityNetworks: {
      get: async (cityCode) => {
        const row = await sql.get(
          'SELECT city_code, file_name, source_sha256, summary, created_by, created_at FROM city_networks WHERE city_code = ?',
          [cityCode],
        );
        return row ? cityNetworkFromRow(row) : null;
      },
      graph: async (cityCode) => {
        const row = await sql.get<{ graph: Uint8Array }>(
          'SELECT graph FROM city_networks WHERE city_code = ?',
          [cityCode],
        );
        return row ? row.graph : null;
      },
      put: async (network) => {
        const before = await sql.get(
          'SELECT city_code, file_name, source_sha256, summary, created_by, created_at FROM city_networks WHERE city_code = ?',
          [network.cityCode],
        );
        await sql.run(
          `INSERT INTO city_networks (city_code, file_name, source_sha256, summary, graph, created_by, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (city_code) DO UPDATE SET file_name = excluded.file_name,
             source_sha256 = excluded.source_sha256, summary = excluded.summary, graph = excluded.graph,
             created_by = excluded.created_by, created_at = excluded.created_at`,
          [
            network.cityCode,
            network.fileName,
            network.sourceSha256,
            JSON.stringify(network.summary),
            Buffer.from(network.graph.buffer, network.graph.byteOffset, network.graph.byteLength),
            network.createdBy,
            now(),
          ],
        );
        return before ? cityNetworkFromRow(before) : null;
      },
    },
    cityBasemaps: {
      get: async (cityCode) => {
        const row = await sql.get(`SELECT ${BASEMAP_COLUMNS} FROM city_basemaps WHERE city_code = ?`, [
          cityCode,
        ]);
        return row ? cityBasemapFromRow(row) : null;
      },
      data: async (cityCode) => {
        const row = await sql.get<{ data: Uint8Array }>(
          'SELECT data FROM city_basemaps WHERE city_code = ?',
          [cityCode],
        );
        return row ? row.data : null;
      },
      put: async (basemap) => {
        const before = await sql.get(`SELECT ${BASEMAP_COLUMNS} FROM city_basemaps WHERE city_code = ?`, [
          basemap.cityCode,
        ]);
        await sql.run(
          `INSERT INTO city_basemaps (${BASEMAP_COLUMNS}, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (city_code) DO UPDATE SET file_name = excluded.file_name,
             source_sha256 = excluded.source_sha256, format = excluded.format, sha256 = excluded.sha256,
             bytes = excluded.bytes, counts = excluded.counts, bbox = excluded.bbox, data = excluded.data,
             created_by = excluded.created_by, created_at = excluded.created_at`,
          [
            basemap.cityCode,
            basemap.fileName,
            basemap.sourceSha256,
            basemap.format,
            basemap.sha256,
            basemap.bytes,
            json(basemap.counts),
            json(basemap.bbox),
            basemap.createdBy,
            now(),
            Buffer.from(basemap.data.buffer, basemap.data.byteOffset, basemap.data.byteLength),
          ],
        );
        return before ? cityBasemapFromRow(before) : null;
      },
    },
    cityRules: {
      get: async (cityCode, rule) => {
        const row = await sql.get('SELECT * FROM city_rules WHERE city_code = ? AND rule = ?', [
          cityCode,
          rule,
        ]);
        return row ? cityRuleFromRow(row) : null;
      },
      put: async (r) => {
        const before = await sql.get('SELECT * FROM city_rules WHERE city_code = ? AND rule = ?', [
          r.cityCode,
          r.rule,
        ]);
        await sql.run(
          `INSERT INTO city_rules (city_code, rule, value, source, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (city_code, rule) DO UPDATE SET value = excluded.value, source = excluded.source,
             updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
          [r.cityCode, r.rule, JSON.stringify(r.value), JSON.stringify(r.source), r.updatedBy, now()],
        );
        return before ? cityRuleFromRow(before) : null;
      },
      remove: async (cityCode, rule) => {
        const before = await sql.get('SELECT * FROM city_rules WHERE city_code = ? AND rule = ?', [
          cityCode,
          rule,
        ]);
        if (before)
          await sql.run('DELETE FROM city_rules WHERE city_code = ? AND rule = ?', [cityCode, rule]);
        return before ? cityRuleFromRow(before) : null;
      },
    },
    regions: {
      get: async (code) => {
        const row = await sql.get('SELECT * FROM regions WHERE code = ?', [code]);
        return row ? regionFromRow(row) : null;
      },
      list: (f?: RegionFilter) =>
        paged(
          sql,
          'regions',
          new Where()
            .when(f?.level, 'level = ?', f?.level)
            .when(f?.parentCode, 'parent_code = ?', f?.parentCode)
            .when(f?.within, withinRegion('code'), f?.within, f?.within)
            .when(f?.q, sql.dialect.contains('name'), f?.q),
          'code',
          f,
          regionFromRow,
        ),
      existing: async (codes) => {
        const found = new Set<string>();
        const unique = [...new Set(codes)];
        for (let i = 0; i < unique.length; i += 500) {
          const chunk = unique.slice(i, i + 500);
          const rows = await sql.all<{ code: string }>(
            `SELECT code FROM regions WHERE code ${inList(chunk)}`,
            chunk,
          );
          for (const r of rows) found.add(r.code);
        }
        return found;
      },
      upsertMany: async (regions) => {
        // 200 rows a statement: one round trip each on PostgreSQL instead of one a row (a country's codes are
        // ~45,000 rows). References are checked at the end of each statement, so parents may share a batch.
        // A code given twice keeps its last values (PostgreSQL refuses to update one row twice in a statement).
        const unique = [...new Map(regions.map((r) => [r.code, r])).values()];
        for (let i = 0; i < unique.length; i += 200) {
          const batch = unique.slice(i, i + 200);
          await sql.run(
            `INSERT INTO regions (code, name, level, parent_code) VALUES ${batch.map(() => '(?, ?, ?, ?)').join(', ')}
             ON CONFLICT (code) DO UPDATE SET name = excluded.name, level = excluded.level, parent_code = excluded.parent_code`,
            batch.flatMap((r) => [r.code, r.name, r.level, r.parentCode]),
          );
        }
        return regions.length;
      },
      count: async () => (await sql.get<{ n: number }>('SELECT count(*) AS n FROM regions'))!.n,
    },

    facilityTypes: {
      get: async (code) => {
        const row = await sql.get('SELECT * FROM facility_types WHERE code = ?', [code]);
        return row ? facilityTypeFromRow(row) : null;
      },
      list: async () =>
        (await sql.all('SELECT * FROM facility_types ORDER BY code')).map(facilityTypeFromRow),
      upsert: async (t) => {
        const row = await sql.get('SELECT * FROM facility_types WHERE code = ?', [t.code]);
        await sql.run(
          `INSERT INTO facility_types (code, name_zh, name_en, domain, source) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (code) DO UPDATE SET name_zh = excluded.name_zh, name_en = excluded.name_en,
             domain = excluded.domain, source = excluded.source`,
          [t.code, t.nameZh, t.nameEn, t.domain, t.source],
        );
        return row ? facilityTypeFromRow(row) : null;
      },
    },

    communities: keyed<Community, CommunityFilter>(sql, now, {
      table: 'communities',
      key: 'code',
      keyOf: (c) => c.code,
      fromRow: communityFromRow,
      toRow: (c) => ({
        code: c.code,
        name: c.name,
        region_code: c.regionCode,
        lon: c.location.lon,
        lat: c.location.lat,
        boundary: c.boundary ? json(c.boundary) : null,
        population: c.population,
        age_groups: json(c.ageGroups),
        population_estimated: c.populationEstimated ? 1 : 0,
      }),
      where: (f) =>
        new Where()
          .when(f?.within, withinRegion('region_code'), f?.within, f?.within)
          .when(f?.q, sql.dialect.contains('name'), f?.q),
      order: 'code',
    }),

    facilities: {
      ...keyed<Facility, FacilityFilter>(sql, now, {
        table: 'facilities',
        key: 'code',
        keyOf: (f) => f.code,
        fromRow: facilityFromRow,
        toRow: (f) => ({
          code: f.code,
          name: f.name,
          type_code: f.typeCode,
          lon: f.location.lon,
          lat: f.location.lat,
          address: f.address,
          region_code: f.regionCode,
          capacity: f.capacity,
          affordable: f.affordable ? 1 : 0,
          status: f.status,
          provider_uscc: f.providerUscc,
          contact_phone: f.contactPhone,
        }),
        where: (f) => {
          const w = new Where()
            .when(f?.within, withinRegion('region_code'), f?.within, f?.within)
            .when(f?.typeCode, 'type_code = ?', f?.typeCode)
            .when(f?.status, 'status = ?', f?.status)
            .when(f?.providerUscc, 'provider_uscc = ?', f?.providerUscc)
            .when(f?.q, sql.dialect.contains('name'), f?.q);
          if (f?.bbox) {
            const [west, south, east, north] = f.bbox;
            const index = sql.dialect.facilitiesInBox(f.bbox);
            w.add(index.clause, ...index.params);
            w.add('lon BETWEEN ? AND ? AND lat BETWEEN ? AND ?', west, east, south, north);
          }
          if (f?.affordable !== undefined) w.add('affordable = ?', f.affordable ? 1 : 0);
          if (f?.domains)
            w.add(
              `type_code IN (SELECT code FROM facility_types WHERE domain ${inList(f.domains)})`,
              ...f.domains,
            );
          return w;
        },
        order: 'code',
      }),
      getMany: async (codes) => {
        const out: Facility[] = [];
        // In chunks: SQLite binds at most 32,766 parameters, PostgreSQL 65,535.
        for (let i = 0; i < codes.length; i += 500) {
          const chunk = codes.slice(i, i + 500);
          const rows = await sql.all(`SELECT * FROM facilities WHERE code ${inList(chunk)}`, chunk);
          out.push(...rows.map(facilityFromRow));
        }
        return out;
      },
      // Only what a nearest-outlet search ranks by, so a dense box costs its points and not its records.
      pointsInBox: async (box, typeCode) => {
        const [west, south, east, north] = box;
        const index = sql.dialect.facilitiesInBox(box);
        const rows = await sql.all<{ code: string; lon: number; lat: number }>(
          `SELECT code, lon, lat FROM facilities
            WHERE ${index.clause}
              AND lon BETWEEN ? AND ? AND lat BETWEEN ? AND ? AND status <> 'closed'
              AND (CAST(? AS TEXT) IS NULL OR type_code = ?)`,
          [...index.params, west, east, south, north, typeCode ?? null, typeCode ?? null],
        );
        return rows.map((r) => ({ code: r.code, location: { lon: r.lon, lat: r.lat } }));
      },
    },

    providers: keyed<Provider, ProviderFilter>(sql, now, {
      table: 'providers',
      key: 'uscc',
      keyOf: (p) => p.uscc,
      fromRow: providerFromRow,
      toRow: (p) => ({
        uscc: p.uscc,
        name: p.name,
        region_code: p.regionCode,
        domains: json(p.domains),
        contact_name: p.contactName,
        contact_phone: p.contactPhone,
      }),
      where: (f) =>
        new Where()
          .when(f?.within, withinRegion('region_code'), f?.within, f?.within)
          .when(f?.domain, sql.dialect.jsonArrayHas('domains'), f?.domain)
          .when(f?.q, sql.dialect.contains('name'), f?.q),
      order: 'uscc',
    }),

    users: {
      get: (id) => byId(sql, 'users', id, userFromRow),
      findByUsername: async (username) => {
        const row = await sql.get('SELECT * FROM users WHERE username = ?', [username]);
        return row ? { ...userFromRow(row), passwordHash: row.password_hash as string } : null;
      },
      list: (q) => paged(sql, 'users', new Where(), 'id', q, userFromRow),
      update: async (id, patch) => {
        const row = await sql.get('SELECT * FROM users WHERE id = ?', [id]);
        if (!row) return null;
        const columns: Record<string, unknown> = {
          display_name: patch.displayName,
          password_hash: patch.passwordHash,
          role: patch.role,
          department: patch.department,
          domains: patch.domains === undefined ? undefined : json(patch.domains),
          region_code: patch.regionCode,
          provider_uscc: patch.providerUscc,
          disabled: patch.disabled === undefined ? undefined : patch.disabled ? 1 : 0,
        };
        const set = Object.entries(columns).filter(([, v]) => v !== undefined);
        if (set.length)
          await sql.run(`UPDATE users SET ${set.map(([c]) => `${c} = ?`).join(', ')} WHERE id = ?`, [
            ...set.map(([, v]) => v),
            id,
          ]);
        if (patch.disabled || patch.passwordHash)
          await sql.run('DELETE FROM sessions WHERE user_id = ?', [id]);
        return userFromRow(row);
      },
      create: async (u) => {
        const existing = await sql.get('SELECT 1 AS found FROM users WHERE username = ?', [u.username]);
        if (existing) throw new LifeCircleError('LC_CONFLICT', `user ${u.username} exists already`);
        const id = await sql.insertId(
          `INSERT INTO users (username, display_name, password_hash, role, department, domains, region_code,
               provider_uscc, disabled, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [
            u.username,
            u.displayName,
            u.passwordHash,
            u.role,
            u.department,
            json(u.domains),
            u.regionCode,
            u.providerUscc,
            u.disabled ? 1 : 0,
            now(),
          ],
        );
        return (await byId(sql, 'users', id, userFromRow))!;
      },
      count: async () => (await sql.get<{ n: number }>('SELECT count(*) AS n FROM users'))!.n,
    },

    sessions: {
      create: async (s) => {
        await sql.run(
          'INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)',
          [s.tokenHash, s.userId, s.createdAt, s.expiresAt],
        );
      },
      findValid: async (tokenHash, at) => {
        const row = await sql.get('SELECT * FROM sessions WHERE token_hash = ? AND expires_at > ?', [
          tokenHash,
          at,
        ]);
        return row
          ? {
              tokenHash: row.token_hash as string,
              userId: row.user_id as number,
              createdAt: row.created_at as string,
              expiresAt: row.expires_at as string,
            }
          : null;
      },
      delete: async (tokenHash) => {
        await sql.run('DELETE FROM sessions WHERE token_hash = ?', [tokenHash]);
      },
      deleteExpired: (at) => sql.run('DELETE FROM sessions WHERE expires_at <= ?', [at]),
    },

    audit: {
      record: async (e) => {
        const id = await sql.insertId(
          `INSERT INTO audit_log (at, actor_id, actor_name, action, entity, entity_key, before, after)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
          [now(), e.actorId, e.actorName, e.action, e.entity, e.entityKey, json(e.before), json(e.after)],
        );
        return (await byId(sql, 'audit_log', id, auditFromRow))!;
      },
      list: (f?: AuditFilter) =>
        paged(
          sql,
          'audit_log',
          new Where()
            .when(f?.entity, 'entity = ?', f?.entity)
            .when(f?.entityKey, 'entity_key = ?', f?.entityKey)
            .when(f?.actorId, 'actor_id = ?', f?.actorId)
            .when(f?.since, 'at >= ?', f?.since),
          'id DESC',
          f,
          auditFromRow,
        ),
    },

    analysisRuns: {
      create: async (r) => {
        const id = await sql.insertId(
          `INSERT INTO analysis_runs (kind, inputs_hash, parameters, results, engine_version, created_at, created_by)
             VALUES (?, ?, ?, ?, ?, ?, ?)`,
          [r.kind, r.inputsHash, json(r.parameters), json(r.results), r.engineVersion, now(), r.createdBy],
        );
        return (await byId(sql, 'analysis_runs', id, runFromRow))!;
      },
      get: (id) => byId(sql, 'analysis_runs', id, runFromRow),
      list: async (f) => {
        const page = await paged(
          sql,
          'analysis_runs',
          new Where().when(f?.kind, 'kind = ?', f?.kind),
          'id DESC',
          f,
          runFromRow,
        );
        return { ...page, items: page.items.map(({ results: _results, ...rest }) => rest) };
      },
      findByInputsHash: async (kind, inputsHash) => {
        const row = await sql.get(
          'SELECT * FROM analysis_runs WHERE kind = ? AND inputs_hash = ? ORDER BY id DESC LIMIT 1',
          [kind, inputsHash],
        );
        return row ? runFromRow(row) : null;
      },
    },

    imports: {
      create: async (r) => {
        const id = await sql.insertId(
          `INSERT INTO imports (entity, file_name, file_sha256, accepted, summary, report, created_at, created_by)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
          [
            r.entity,
            r.fileName,
            r.fileSha256,
            r.accepted ? 1 : 0,
            json(r.summary),
            json(r.report),
            now(),
            r.createdBy,
          ],
        );
        return (await byId(sql, 'imports', id, importFromRow))!;
      },
      get: (id) => byId(sql, 'imports', id, importFromRow),
    },

    indicators: indicatorRepository(sql, now),
    credit: creditRepository(sql, now),
    plans: planRepository(sql, now),
    jobs: jobRepository(sql, now),
    monitoringReports: monitoringReportRepository(sql, now),
    loginFailures: loginFailureRepository(sql),
    requestWindows: requestCounterRepository(sql),
  };
}

const facilityTypeFromRow = (r: Row): FacilityType => ({
  code: r.code as string,
  nameZh: r.name_zh as string,
  nameEn: r.name_en as string,
  domain: r.domain as FacilityType['domain'],
  source: r.source as string,
});
