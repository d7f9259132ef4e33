import { readFileSync } from 'node:fs';
import { createAssignments, importPlan } from '../plans/index.js';
import type { StoredRating } from './cases-types.js';
import { openTemporaryStore, type TemporaryStore } from './temporary.js';

const USCC = '914403001922038216';

/** Stands for a graph file in the seeded store: 1,000 bytes cycling through every byte value. */
export const SYNTHETIC_GRAPH_BYTES = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) % 256);
/** Stands for a basemap in the seeded store: the graph's bytes backwards. */
export const SYNTHETIC_BASEMAP_BYTES = SYNTHETIC_GRAPH_BYTES.slice().reverse();

/**
 * For the store's tests (copy, backup): a SQLite store with synthetic rows (no real people) in the tables that
 * matter most: registers, users, audit, ratings, plans, jobs.
 */
export async function seeded(): Promise<TemporaryStore> {
  const temp = await openTemporaryStore({ engine: 'sqlite', divisions: true });
  const { store } = temp;
  await store.facilityTypes.upsert({
    code: 'pharmacy',
    nameZh: '药店',
    nameEn: 'Pharmacy',
    domain: 'health',
    source: 'test',
  });
  await store.providers.upsert({
    uscc: USCC,
    name: '合成养老服务有限公司',
    regionCode: '510104',
    domains: ['elderly_care', 'health'],
    contactName: '合成联系人',
    contactPhone: '13800000001',
  });
  // A city with a walking network: the graph is opaque bytes to the store (every byte value, to check the BLOB
  // and bytea round trip).
  await store.cities.upsert({
    code: '5101',
    name: '成都市',
    bbox: [104.0, 30.6, 104.1, 30.7],
    extentSource: 'manual',
    extentNote: 'test',
  });
  await store.cityNetworks.put({
    cityCode: '5101',
    fileName: 'synthetic.osm',
    sourceSha256: 'a'.repeat(64),
    summary: {
      format: 'xml',
      bytes: 1,
      nodes: 2,
      edges: 1,
      totalLengthKm: 0.1,
      components: 1,
      largestComponentShare: 1,
      bbox: [104.0, 30.6, 104.1, 30.7],
      missingNodeRefs: 0,
      profileVersion: 1,
    },
    createdBy: 'test',
    graph: SYNTHETIC_GRAPH_BYTES,
  });
  // Its basemap: opaque bytes to the store as well (src/basemap encodes them), reversed so they differ from the graph's.
  await store.cityBasemaps.put({
    cityCode: '5101',
    fileName: 'synthetic.osm',
    sourceSha256: 'a'.repeat(64),
    format: 'lifecircle-basemap/1',
    sha256: 'b'.repeat(64),
    bytes: SYNTHETIC_BASEMAP_BYTES.length,
    counts: { water: 1, green: 2, buildings: 3, roads: 4, places: 5 },
    bbox: [104.0, 30.6, 104.1, 30.7],
    createdBy: 'test',
    data: SYNTHETIC_BASEMAP_BYTES,
  });
  for (let i = 0; i < 1203; i++)
    await store.facilities.upsert({
      code: `F${String(i).padStart(5, '0')}`,
      name: `合成药店${i}`,
      typeCode: 'pharmacy',
      location: { lon: 104.05 + i * 1.234567e-5, lat: 30.65 + i * 7.654321e-6 },
      address: i % 3 ? null : `合成路${i}号`,
      regionCode: '510104',
      capacity: i % 5 ? i : null,
      affordable: i % 2 === 0,
      status: i % 7 ? 'open' : 'closed',
      providerUscc: i % 4 ? null : USCC,
      contactPhone: null,
    });
  const user = await store.users.create({
    username: 'synthetic-staff',
    displayName: '合成工作人员',
    passwordHash: 'h',
    role: 'staff',
    department: '区民政局',
    domains: ['elderly_care'],
    regionCode: '510104',
    providerUscc: null,
    disabled: false,
  });
  await store.sessions.create({
    tokenHash: 'tok',
    userId: user.id,
    createdAt: '2026-01-01',
    expiresAt: '2099-01-01',
  });
  await store.audit.record({
    actorId: user.id,
    actorName: user.username,
    action: 'create',
    entity: 'facilities',
    entityKey: 'F00001',
    before: null,
    after: { note: '合成' },
  });
  const levels = [
    'very_satisfied',
    'satisfied',
    'basically_satisfied',
    'dissatisfied',
    'very_dissatisfied',
  ] as const;
  for (let i = 0; i < 40; i++) {
    const rating: StoredRating = {
      id: `r${i}`,
      accountId: `a${i % 9}`,
      outletId: `F${String(i).padStart(5, '0')}`,
      providerUscc: USCC,
      serviceType: 'pharmacy',
      regionCode: '510104',
      level: levels[i % levels.length]!,
      tags: [],
      text: `合成评价 ${i}`,
      channel: 'web',
      createdAt: `2026-02-${String(1 + (i % 28)).padStart(2, '0')}T02:00:00.000Z`,
      status: i % 6 ? 'published' : 'held',
      flags: [],
      enteredBy: null,
      moderation: null,
    };
    await store.ratings.insert(rating);
  }
  const raw = await importPlan(readFileSync('data/seeds/001_6d4fe630431b83bc.txt'), '001.txt');
  await store.plans.createPlan({
    id: 'plan-1',
    title: raw.metadata.planTitle ?? '西青',
    fileName: '001.txt',
    format: raw.source.format,
    sha256: raw.source.sha256,
    importedAt: '2026-11-22T08:00:00.000Z',
    importedBy: 'fgw',
    raw,
  });
  await store.plans.addAssignments(
    createAssignments(raw, 'plan-1', { startDate: '2022-03-01' }).assignments,
    'fgw',
  );
  await store.jobs.create({
    kind: 'registry.import',
    title: '合成导入',
    createdById: user.id,
    createdBy: user.username,
  });
  return temp;
}
