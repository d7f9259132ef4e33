import { openCityTemporaryStore } from '../cities/index.js';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { type AuditEntry, type Store } from '../store/index.js';
import { addDefaultFacilityTypes } from '../registry/index.js';
import { cliViewer } from '../policy/index.js';
import { importOsmNetwork } from '../network/index.js';
import { LifeCircleEngine } from '../analysis/index.js';
import { manualClock } from '../time/index.js';
import { buildApp, type App } from './app.js';
import { hashPassword } from './passwords.js';
import { createTestUsers, loginToken } from './test-support.js';

/**
 * The audit trail of every kind of write the API offers (docs/api.md): each write is made once through the API by
 * a user whose role may make it, and exactly the audit records listed by hand below must appear, naming that user
 * (id and name), the clock's instant, the action, entity and key, and what the record held before and after.
 *
 * Everything here is synthetic: names are made up, phones are 1380000000x test numbers, and the 统一社会信用代码 are
 * valid check-digit vectors of src/registry/fixtures/uscc_vectors.json with made-up names.
 */

const PASSWORD = 'correct horse battery';
/** The platform's clock: Monday 2026-03-16 10:00 in Beijing; each write below happens one minute after the last. */
const CLOCK = manualClock('2026-03-16T10:00:00+08:00');
const FIRST_WRITE_UTC = Date.parse('2026-03-16T02:01:00.000Z');
const TODAY = '2026-03-16';

const P1 = '914403001922038216'; // the provider of outlet OUT-1 (synthetic name below)
const P_NEW = '91440300192181490G'; // created, changed and deleted through the API
const P_IMP = '9144030071526726XG'; // imported
const RESIDENT_PHONE = '13800000001'; // synthetic test number

/** Account ids in the order the setup creates them; newstaff is created through the API, the resident registers. */
const USER_IDS: Record<string, number> = {
  admin: 1,
  coord: 2,
  jinjiang: 3,
  minzheng: 4,
  wlj: 5,
  insp: 6,
  prov1: 7,
  newstaff: 8,
  resident: 9,
};
const RATE_LIMIT_REASON = 'account 9 gave 6 ratings within 24 h (limit 5)';
const SCORE_MODEL = { rule: 'score', thresholds: { A: 110, B: 90, C: 70 } };
/** OUT-1 as the setup stores it. */
const OUT_1 = {
  code: 'OUT-1',
  name: '合成测试日间照料中心',
  typeCode: 'elderly_day_care',
  location: { lon: 104.0874, lat: 30.6843 },
  address: null,
  regionCode: '510104022006',
  capacity: 20,
  affordable: false,
  status: 'open' as const,
  providerUscc: P1,
  contactPhone: null,
};
/** A pasted policy document: heading m1 and its measure m1.1, led by 区民政局. */
const PLAN_TEXT =
  '锦江区合成测试行动方案\n一、推进社区养老服务\n到2027年，社区养老服务设施覆盖率达到90%。（区民政局牵头）\n';
/** `plan-` + the first 12 hex digits of the SHA-256 of PLAN_TEXT in UTF-8 (computed with sha256sum). */
const PLAN_ID = 'plan-d49ee19eec6a';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are read field by field
type Body = any;

/** What one audit record must hold. `actor` is a user name; the step's user by default. */
interface Expected {
  actor?: string;
  action: AuditEntry['action'];
  entity: string;
  entityKey: string;
  before: Check;
  after: Check;
}
/** null: the field is null; exact(v): deep-equal to v; has({...}): these fields deep-equal (or match a RegExp). */
type Check = null | { exact: unknown } | { has: Record<string, unknown> };
const exact = (v: unknown): Check => ({ exact: v });
const has = (v: Record<string, unknown>): Check => ({ has: v });

interface Request {
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  payload?: unknown;
  /** A raw body (imports), sent with this content type. */
  raw?: { body: string | Buffer; contentType: string };
  /** A token other than the step user's (logout of a given session). */
  token?: string;
}

interface Step {
  name: string;
  /** Who makes the write: a user name, or null for a request without a token. */
  as: string | null;
  /** Writes this one needs first, made in the 50 seconds before it (their records are not this write's). */
  prepare?: () => Promise<void>;
  request: () => Request | Promise<Request>;
  status: number;
  /** Keeps what the answer says that later steps and expectations need (ids the server made up). */
  keep?: (body: Body) => void;
  /** The records, oldest first; `at` is the instant of this write. */
  expect: (at: string) => Expected[];
}

/** Values the server makes up (ids, a random resident name), kept from its answers. */
const kept: Record<string, string> = {};
const k = (name: string): string => {
  const v = kept[name];
  if (v === undefined) throw new Error(`no value kept under '${name}' (did an earlier step fail?)`);
  return v;
};

let store: Store;
let app: App;
let dispose: () => Promise<void>;
const tokens = new Map<string, string>();

before(async () => {
  const tmp = await openCityTemporaryStore({ clock: CLOCK });
  store = tmp.store;
  await addDefaultFacilityTypes({ store, clock: CLOCK, cityCode: '5101' }, cliViewer('test'), {});
  await store.providers.upsert({
    uscc: P1,
    name: '合成测试养老服务有限公司',
    regionCode: '510104',
    domains: ['elderly_care'],
    contactName: null,
    contactPhone: null,
  });
  await store.facilities.upsert(OUT_1);
  // A rating the abuse detectors held yesterday, for moderation (a write made outside the API, so not audited).
  await store.ratings.insert({
    id: 'rating-held-1',
    accountId: 'tel-00000000000000a1',
    outletId: 'OUT-1',
    providerUscc: P1,
    serviceType: 'elderly_day_care',
    regionCode: '510104022006',
    level: 'satisfied',
    tags: [],
    text: '合成测试评价',
    channel: 'web',
    createdAt: '2026-03-15T02:00:00.000Z',
    status: 'held',
    flags: [{ detector: 'rate-limit', reason: 'synthetic test flag', related: [] }],
    enteredBy: null,
    moderation: null,
  });
  // Ids 1–7 in this order (USER_IDS).
  await createTestUsers(
    store,
    [
      { username: 'admin', role: 'administrator' },
      { username: 'coord', role: 'coordinator', department: '区发展改革委' },
      {
        username: 'jinjiang',
        role: 'staff',
        department: '锦江区民政局',
        domains: ['elderly_care'],
        regionCode: '510104',
      },
      { username: 'minzheng', role: 'staff', department: '区民政局' },
      { username: 'wlj', role: 'staff', department: '锦江区文化和旅游局', regionCode: '510104' },
      { username: 'insp', role: 'inspector', regionCode: '5101' },
      { username: 'prov1', role: 'provider', providerUscc: P1 },
    ],
    await hashPassword(PASSWORD, { N: 2 ** 10 }),
  );
  app = await buildApp({ store, cityCode: '5101', clock: CLOCK });
  for (const u of ['admin', 'coord', 'jinjiang', 'minzheng', 'wlj', 'insp', 'prov1'])
    tokens.set(u, await loginToken(app, u, PASSWORD));
  dispose = async () => {
    await app.close();
    await tmp.dispose();
  };
});

after(async () => dispose());

const enc = encodeURIComponent;
const certification = (id: string, commitment: string) => ({
  id,
  outletId: 'OUT-1',
  providerUscc: P1,
  serviceType: 'elderly_day_care',
  state: 'applied',
  commitment: { text: commitment, signatoryRole: '法定代表人', signedOn: TODAY },
  history: [{ on: TODAY, actor: { role: 'provider', id: P1 }, action: 'apply', to: 'applied' }],
});
const byDepartment = (action: string, to: string, note?: string) => ({
  on: TODAY,
  actor: { role: 'department', id: 'jinjiang' },
  action,
  to,
  ...(note === undefined ? {} : { note }),
});
const caseEvent = (
  at: string,
  role: string,
  id: string,
  action: string,
  from: string,
  to: string,
  note?: string,
  detail?: Record<string, unknown>,
) => ({
  at,
  actor: { role, id },
  action,
  from,
  to,
  ...(note === undefined ? {} : { note }),
  ...(detail === undefined ? {} : { detail }),
});
const credit = (riskClass: string, score: number, decidedBy: unknown = SCORE_MODEL) => ({
  riskClass,
  score,
  decidedBy,
});

/**
 * Every write of the API, in an order that lets each one find what it needs. Provider P1's credit score is
 * followed by hand: base 100; upheld complaint −3 → 97 (B); minor penalty −5 → 92; its repair → 97; compliant
 * inspection +5 → 102 (still B, A needs 110); serious penalty −40 → 62, class D by the serious-penalty rule.
 */
const STEPS: Step[] = [
  // --- sessions ---
  {
    name: 'POST /api/auth/login',
    as: null,
    request: () => ({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'coord', password: PASSWORD },
    }),
    status: 200,
    keep: (b) => void (kept.coordSession = b.token),
    expect: () => [
      {
        actor: 'coord',
        action: 'login',
        entity: 'session',
        entityKey: 'coord',
        before: null,
        // Eight hours after 10:01 Beijing time.
        after: exact({ expiresAt: '2026-03-16T10:01:00.000Z' }),
      },
    ],
  },
  {
    name: 'POST /api/auth/logout',
    as: 'coord',
    request: () => ({ method: 'POST', url: '/api/auth/logout', token: k('coordSession') }),
    status: 204,
    expect: () => [{ action: 'logout', entity: 'session', entityKey: 'coord', before: null, after: null }],
  },
  // --- facility types and users (administrators) ---
  {
    name: 'PUT /api/facility-types/:code (a new type)',
    as: 'admin',
    request: () => ({
      method: 'PUT',
      url: '/api/facility-types/community_laundry',
      payload: {
        nameZh: '社区洗衣点',
        nameEn: 'Community laundry',
        domain: 'housekeeping',
        source: '合成测试文件 第1条',
      },
    }),
    status: 200,
    expect: () => [
      {
        action: 'create',
        entity: 'facility_types',
        entityKey: 'community_laundry',
        before: null,
        after: exact({
          code: 'community_laundry',
          nameZh: '社区洗衣点',
          nameEn: 'Community laundry',
          domain: 'housekeeping',
          source: '合成测试文件 第1条',
        }),
      },
    ],
  },
  {
    name: 'PUT /api/facility-types/:code (a changed type)',
    as: 'admin',
    request: () => ({
      method: 'PUT',
      url: '/api/facility-types/community_laundry',
      payload: {
        nameZh: '社区洗染点',
        nameEn: 'Community laundry',
        domain: 'housekeeping',
        source: '合成测试文件 第2条',
      },
    }),
    status: 200,
    expect: () => [
      {
        action: 'update',
        entity: 'facility_types',
        entityKey: 'community_laundry',
        before: has({ nameZh: '社区洗衣点', source: '合成测试文件 第1条' }),
        after: exact({
          code: 'community_laundry',
          nameZh: '社区洗染点',
          nameEn: 'Community laundry',
          domain: 'housekeeping',
          source: '合成测试文件 第2条',
        }),
      },
    ],
  },
  {
    name: 'POST /api/users',
    as: 'admin',
    request: () => ({
      method: 'POST',
      url: '/api/users',
      payload: {
        username: 'newstaff',
        displayName: '合成测试新同事',
        password: 'a long synthetic password',
        role: 'staff',
        department: '锦江区商务局',
        domains: ['retail_food'],
        regionCode: '510104',
      },
    }),
    status: 201,
    expect: (at) => [
      {
        action: 'create',
        entity: 'users',
        entityKey: 'newstaff',
        before: null,
        // No password and no hash in the log.
        after: exact({
          id: 8,
          username: 'newstaff',
          displayName: '合成测试新同事',
          role: 'staff',
          department: '锦江区商务局',
          domains: ['retail_food'],
          regionCode: '510104',
          providerUscc: null,
          disabled: false,
          createdAt: at,
        }),
      },
    ],
  },
  {
    name: 'PATCH /api/users/:id',
    as: 'admin',
    request: () => ({ method: 'PATCH', url: '/api/users/8', payload: { displayName: '合成测试老同事' } }),
    status: 200,
    expect: () => [
      {
        action: 'update',
        entity: 'users',
        entityKey: 'newstaff',
        before: has({ id: 8, displayName: '合成测试新同事', role: 'staff' }),
        after: has({ id: 8, displayName: '合成测试老同事', role: 'staff', disabled: false }),
      },
    ],
  },
  // --- residents ---
  {
    name: 'POST /api/residents/register (an account, then its first session)',
    as: null,
    request: () => ({
      method: 'POST',
      url: '/api/residents/register',
      payload: { phone: RESIDENT_PHONE, password: 'resident-pass-1' },
    }),
    status: 201,
    keep: (b) => {
      kept.resident = b.user.username;
      tokens.set('resident', b.token);
    },
    expect: (at) => [
      {
        actor: 'resident',
        action: 'create',
        entity: 'users',
        entityKey: k('resident'),
        before: null,
        // The phone stays out of the log.
        after: exact({
          id: 9,
          username: k('resident'),
          displayName: k('resident'),
          role: 'resident',
          department: null,
          domains: [],
          regionCode: null,
          providerUscc: null,
          disabled: false,
          createdAt: at,
          residentProfile: true,
        }),
      },
      {
        actor: 'resident',
        action: 'login',
        entity: 'session',
        entityKey: k('resident'),
        before: null,
        after: exact({ expiresAt: '2026-03-16T10:07:00.000Z' }),
      },
    ],
  },
  // --- the registers: communities ---
  {
    name: 'POST /api/communities',
    as: 'jinjiang',
    request: () => ({
      method: 'POST',
      url: '/api/communities',
      payload: {
        code: 'C-TEST-1',
        name: '合成测试社区',
        regionCode: '510104022006',
        location: { lon: 104.08, lat: 30.66 },
      },
    }),
    status: 201,
    expect: () => [
      {
        action: 'create',
        entity: 'communities',
        entityKey: 'C-TEST-1',
        before: null,
        after: exact({
          code: 'C-TEST-1',
          name: '合成测试社区',
          regionCode: '510104022006',
          location: { lon: 104.08, lat: 30.66 },
          boundary: null,
          population: null,
          ageGroups: {},
          populationEstimated: false,
        }),
      },
    ],
  },
  {
    name: 'PATCH /api/communities/:key',
    as: 'jinjiang',
    request: () => ({ method: 'PATCH', url: '/api/communities/C-TEST-1', payload: { population: 3200 } }),
    status: 200,
    expect: () => [
      {
        action: 'update',
        entity: 'communities',
        entityKey: 'C-TEST-1',
        before: has({ code: 'C-TEST-1', name: '合成测试社区', population: null }),
        after: has({ code: 'C-TEST-1', name: '合成测试社区', population: 3200 }),
      },
    ],
  },
  {
    name: 'DELETE /api/communities/:key',
    as: 'jinjiang',
    request: () => ({ method: 'DELETE', url: '/api/communities/C-TEST-1' }),
    status: 200,
    expect: () => [
      {
        action: 'delete',
        entity: 'communities',
        entityKey: 'C-TEST-1',
        before: exact({
          code: 'C-TEST-1',
          name: '合成测试社区',
          regionCode: '510104022006',
          location: { lon: 104.08, lat: 30.66 },
          boundary: null,
          population: 3200,
          ageGroups: {},
          populationEstimated: false,
        }),
        after: null,
      },
    ],
  },
  {
    name: 'POST /api/communities/import (one record per imported row)',
    as: 'jinjiang',
    request: () => ({
      method: 'POST',
      url: `/api/communities/import?fileName=${enc('社区.csv')}`,
      raw: {
        contentType: 'text/csv',
        body: [
          '编码,名称,区划代码,经度,纬度,常住人口',
          'C-IMP-1,合成测试小区甲,510104022006,104.0801,30.6601,1500',
          'C-IMP-2,合成测试小区乙,510104022006,104.0802,30.6602,2500',
        ].join('\n'),
      },
    }),
    status: 200,
    expect: () =>
      (
        [
          ['C-IMP-1', '合成测试小区甲', 104.0801, 30.6601, 1500],
          ['C-IMP-2', '合成测试小区乙', 104.0802, 30.6602, 2500],
        ] as const
      ).map(([code, name, lon, lat, population]) => ({
        action: 'import' as const,
        entity: 'communities',
        entityKey: code,
        before: null,
        after: exact({
          code,
          name,
          regionCode: '510104022006',
          location: { lon, lat },
          boundary: null,
          population,
          ageGroups: {},
          populationEstimated: false,
        }),
      })),
  },
  // --- facilities ---
  {
    name: 'POST /api/facilities',
    as: 'jinjiang',
    request: () => ({
      method: 'POST',
      url: '/api/facilities',
      payload: {
        code: 'F-NEW-1',
        name: '合成测试助餐点',
        typeCode: 'elderly_canteen',
        location: { lon: 104.081, lat: 30.661 },
        regionCode: '510104022006',
        capacity: 30,
        providerUscc: P1,
        contactPhone: '13800000002',
      },
    }),
    status: 201,
    expect: () => [
      {
        action: 'create',
        entity: 'facilities',
        entityKey: 'F-NEW-1',
        before: null,
        after: exact({
          code: 'F-NEW-1',
          name: '合成测试助餐点',
          typeCode: 'elderly_canteen',
          location: { lon: 104.081, lat: 30.661 },
          address: null,
          regionCode: '510104022006',
          capacity: 30,
          affordable: false,
          status: 'open',
          providerUscc: P1,
          contactPhone: '13800000002',
        }),
      },
    ],
  },
  {
    name: 'PATCH /api/facilities/:key (by the provider, its own outlet)',
    as: 'prov1',
    request: () => ({ method: 'PATCH', url: '/api/facilities/F-NEW-1', payload: { capacity: 40 } }),
    status: 200,
    expect: () => [
      {
        action: 'update',
        entity: 'facilities',
        entityKey: 'F-NEW-1',
        before: has({ code: 'F-NEW-1', capacity: 30, providerUscc: P1 }),
        after: has({ code: 'F-NEW-1', capacity: 40, providerUscc: P1 }),
      },
    ],
  },
  {
    name: 'DELETE /api/facilities/:key',
    as: 'jinjiang',
    request: () => ({ method: 'DELETE', url: '/api/facilities/F-NEW-1' }),
    status: 200,
    expect: () => [
      {
        action: 'delete',
        entity: 'facilities',
        entityKey: 'F-NEW-1',
        before: exact({
          code: 'F-NEW-1',
          name: '合成测试助餐点',
          typeCode: 'elderly_canteen',
          location: { lon: 104.081, lat: 30.661 },
          address: null,
          regionCode: '510104022006',
          capacity: 40,
          affordable: false,
          status: 'open',
          providerUscc: P1,
          contactPhone: '13800000002',
        }),
        after: null,
      },
    ],
  },
  {
    name: 'POST /api/facilities/import',
    as: 'jinjiang',
    request: () => ({
      method: 'POST',
      url: `/api/facilities/import?fileName=${enc('网点.csv')}`,
      raw: {
        contentType: 'text/csv',
        body: [
          '编码,名称,设施类型,经度,纬度,区划代码,运营主体统一社会信用代码',
          `F-IMP-1,合成测试服务站,elderly_service_station,104.0811,30.6611,510104022006,${P1}`,
        ].join('\n'),
      },
    }),
    status: 200,
    expect: () => [
      {
        action: 'import',
        entity: 'facilities',
        entityKey: 'F-IMP-1',
        before: null,
        after: exact({
          code: 'F-IMP-1',
          name: '合成测试服务站',
          typeCode: 'elderly_service_station',
          location: { lon: 104.0811, lat: 30.6611 },
          address: null,
          regionCode: '510104022006',
          capacity: null,
          affordable: false,
          status: 'open',
          providerUscc: P1,
          contactPhone: null,
        }),
      },
    ],
  },
  // --- providers ---
  {
    name: 'POST /api/providers',
    as: 'jinjiang',
    request: () => ({
      method: 'POST',
      url: '/api/providers',
      payload: {
        uscc: P_NEW,
        name: '合成测试托老服务有限公司',
        regionCode: '510104',
        domains: ['elderly_care'],
        contactName: '合成联系人',
        contactPhone: '13800000003',
      },
    }),
    status: 201,
    expect: () => [
      {
        action: 'create',
        entity: 'providers',
        entityKey: P_NEW,
        before: null,
        after: exact({
          uscc: P_NEW,
          name: '合成测试托老服务有限公司',
          regionCode: '510104',
          domains: ['elderly_care'],
          contactName: '合成联系人',
          contactPhone: '13800000003',
        }),
      },
    ],
  },
  {
    name: 'PATCH /api/providers/:key',
    as: 'jinjiang',
    request: () => ({
      method: 'PATCH',
      url: `/api/providers/${P_NEW}`,
      payload: { contactPhone: '13800000004' },
    }),
    status: 200,
    expect: () => [
      {
        action: 'update',
        entity: 'providers',
        entityKey: P_NEW,
        before: has({ uscc: P_NEW, contactPhone: '13800000003' }),
        after: has({ uscc: P_NEW, contactPhone: '13800000004' }),
      },
    ],
  },
  {
    name: 'DELETE /api/providers/:key',
    as: 'jinjiang',
    request: () => ({ method: 'DELETE', url: `/api/providers/${P_NEW}` }),
    status: 200,
    expect: () => [
      {
        action: 'delete',
        entity: 'providers',
        entityKey: P_NEW,
        before: exact({
          uscc: P_NEW,
          name: '合成测试托老服务有限公司',
          regionCode: '510104',
          domains: ['elderly_care'],
          contactName: '合成联系人',
          contactPhone: '13800000004',
        }),
        after: null,
      },
    ],
  },
  {
    name: 'POST /api/providers/import',
    as: 'jinjiang',
    request: () => ({
      method: 'POST',
      url: `/api/providers/import?fileName=${enc('主体.csv')}`,
      raw: {
        contentType: 'text/csv',
        body: [
          '统一社会信用代码,名称,注册区划代码,服务领域',
          `${P_IMP},合成测试家政服务有限公司,510104,养老`,
        ].join('\n'),
      },
    }),
    status: 200,
    expect: () => [
      {
        action: 'import',
        entity: 'providers',
        entityKey: P_IMP,
        before: null,
        after: exact({
          uscc: P_IMP,
          name: '合成测试家政服务有限公司',
          regionCode: '510104',
          domains: ['elderly_care'],
          contactName: null,
          contactPhone: null,
        }),
      },
    ],
  },
  // --- 好差评: ratings, moderation, complaints, case actions ---
  {
    name: 'POST /api/ratings (满意: no case)',
    as: 'resident',
    request: () => ({
      method: 'POST',
      url: '/api/ratings',
      payload: { outletId: 'OUT-1', level: 'very_satisfied', eventId: 'visit-1', text: '服务周到' },
    }),
    status: 201,
    keep: (b) => void (kept.goodRating = b.rating.id),
    expect: (at) => [
      {
        action: 'create',
        entity: 'ratings',
        entityKey: k('goodRating'),
        before: null,
        // The phone is masked in the log.
        after: exact(
          rating(k('goodRating'), ['very_satisfied', '非常满意', 'Very satisfied'], '服务周到', at),
        ),
      },
    ],
  },
  {
    name: 'POST /api/ratings (差评: the rating and the case it opens)',
    as: 'resident',
    request: () => ({
      method: 'POST',
      url: '/api/ratings',
      payload: { outletId: 'OUT-1', level: 'very_dissatisfied', eventId: 'visit-2', text: '饭菜是凉的' },
    }),
    status: 201,
    keep: (b) => {
      kept.badRating = b.rating.id;
      kept.ratingCase = b.caseId;
    },
    expect: (at) => [
      {
        action: 'create',
        entity: 'ratings',
        entityKey: k('badRating'),
        before: null,
        after: exact(
          rating(k('badRating'), ['very_dissatisfied', '非常不满意', 'Very dissatisfied'], '饭菜是凉的', at),
        ),
      },
      {
        action: 'create',
        entity: 'cases',
        entityKey: k('ratingCase'),
        before: null,
        after: has({
          id: k('ratingCase'),
          origin: { kind: 'rating', ratingId: k('badRating') },
          outletId: 'OUT-1',
          providerUscc: P1,
          departmentId: 'elderly_care@510104',
          state: 'assigned',
          openedAt: at,
          regionCode: '510104022006',
          domain: 'elderly_care',
          accountId: '9',
          escalationLevel: 0,
        }),
      },
    ],
  },
  {
    name: 'POST /api/ratings/:id/moderation',
    as: 'jinjiang',
    request: () => ({
      method: 'POST',
      url: '/api/ratings/rating-held-1/moderation',
      payload: { decision: 'release', note: '核实为真实评价' },
    }),
    status: 200,
    expect: (at) => [
      {
        action: 'update',
        entity: 'ratings',
        entityKey: 'rating-held-1',
        before: exact({ status: 'held' }),
        after: exact({
          status: 'published',
          moderation: { decision: 'release', note: '核实为真实评价', by: 'jinjiang', at },
        }),
      },
    ],
  },
  {
    name: 'POST /api/complaints (the complaint and its case)',
    as: 'resident',
    request: () => ({
      method: 'POST',
      url: '/api/complaints',
      payload: { outletId: 'OUT-1', category: 'price', text: '收费高于公示价格' },
    }),
    status: 201,
    keep: (b) => {
      kept.complaint = b.complaintId;
      kept.complaintCase = b.caseId;
    },
    expect: (at) => [
      {
        action: 'create',
        entity: 'complaints',
        entityKey: k('complaint'),
        before: null,
        after: exact({
          id: k('complaint'),
          accountId: '9',
          providerUscc: P1,
          outletId: 'OUT-1',
          serviceType: 'elderly_day_care',
          regionCode: '510104022006',
          category: 'price',
          text: '收费高于公示价格',
          channel: 'web',
          createdAt: at,
          contactPhone: '138****0001',
        }),
      },
      {
        action: 'create',
        entity: 'cases',
        entityKey: k('complaintCase'),
        before: null,
        after: has({
          id: k('complaintCase'),
          origin: { kind: 'complaint', complaintId: k('complaint') },
          state: 'assigned',
          openedAt: at,
          departmentId: 'elderly_care@510104',
        }),
      },
    ],
  },
  {
    name: 'POST /api/cases/:id/actions (appeal by the provider)',
    as: 'prov1',
    request: () => ({
      method: 'POST',
      url: `/api/cases/${k('ratingCase')}/actions`,
      payload: { type: 'appeal', ground: 'malicious', note: '当日未营业' },
    }),
    status: 200,
    expect: (at) => [
      {
        action: 'update',
        entity: 'cases',
        entityKey: k('ratingCase'),
        before: exact({ state: 'assigned', escalationLevel: 0 }),
        after: exact({
          state: 'under-review',
          escalationLevel: 0,
          event: caseEvent(at, 'provider', 'prov1', 'appeal', 'assigned', 'under-review', '当日未营业', {
            ground: 'malicious',
          }),
        }),
      },
    ],
  },
  {
    name: 'POST /api/cases/:id/actions (appeal upheld: the case closes and the rating is invalidated)',
    as: 'jinjiang',
    request: () => ({
      method: 'POST',
      url: `/api/cases/${k('ratingCase')}/actions`,
      payload: { type: 'review', decision: 'upheld', note: '监控核实' },
    }),
    status: 200,
    expect: (at) => [
      {
        action: 'update',
        entity: 'cases',
        entityKey: k('ratingCase'),
        before: exact({ state: 'under-review', escalationLevel: 0 }),
        after: exact({
          state: 'closed',
          escalationLevel: 0,
          event: caseEvent(at, 'department', 'jinjiang', 'review', 'under-review', 'closed', '监控核实', {
            decision: 'upheld',
          }),
        }),
      },
      // An invalidated rating is no upheld complaint: no credit record.
      {
        action: 'update',
        entity: 'ratings',
        entityKey: k('badRating'),
        before: exact({ status: 'published' }),
        after: exact({ status: 'invalidated', case: k('ratingCase') }),
      },
    ],
  },
  {
    name: 'POST /api/ratings (a sixth counted rating in 24 hours: the rate limit holds it and the published ones before it)',
    as: 'resident',
    // visit-3 … visit-6 at 10:25:20, :30, :40 and :50. With visit-1 that makes five; the invalidated visit-2 does not
    // count (nor is it held), so visit-7 is the sixth.
    prepare: async () => {
      for (const visit of ['visit-3', 'visit-4', 'visit-5', 'visit-6']) {
        CLOCK.advance(10_000);
        const res = await app.inject({
          method: 'POST',
          url: '/api/ratings',
          headers: auth('resident'),
          payload: { outletId: 'OUT-1', level: 'satisfied', eventId: visit },
        });
        assert.equal(res.statusCode, 201, res.body);
        assert.equal(
          res.json().rating.status,
          'published',
          'five counted ratings in a day are within the limit',
        );
        kept[visit] = res.json().rating.id;
      }
    },
    request: () => ({
      method: 'POST',
      url: '/api/ratings',
      payload: { outletId: 'OUT-1', level: 'satisfied', eventId: 'visit-7' },
    }),
    status: 201,
    keep: (b) => void (kept['visit-7'] = b.rating.id),
    // The earlier published ones, oldest first, then the new one, stored held.
    expect: (at) => [
      ...[k('goodRating'), k('visit-3'), k('visit-4'), k('visit-5'), k('visit-6')].map((id) => ({
        action: 'update' as const,
        entity: 'ratings',
        entityKey: id,
        before: exact({ status: 'published' }),
        after: exact({ status: 'held', flags: rateLimited(id) }),
      })),
      {
        action: 'create',
        entity: 'ratings',
        entityKey: k('visit-7'),
        before: null,
        after: exact(rating(k('visit-7'), ['satisfied', '满意', 'Satisfied'], '', at, 'held')),
      },
    ],
  },
  {
    name: 'POST /api/cases/:id/actions (reply by the provider)',
    as: 'prov1',
    request: () => ({
      method: 'POST',
      url: `/api/cases/${k('complaintCase')}/actions`,
      payload: { type: 'reply', resolution: 'immediate', note: '已按公示价退还差价' },
    }),
    status: 200,
    expect: (at) => [
      {
        action: 'update',
        entity: 'cases',
        entityKey: k('complaintCase'),
        before: exact({ state: 'assigned', escalationLevel: 0 }),
        after: exact({
          state: 'replied',
          escalationLevel: 0,
          event: caseEvent(at, 'provider', 'prov1', 'reply', 'assigned', 'replied', '已按公示价退还差价', {
            resolution: 'immediate',
          }),
        }),
      },
    ],
  },
  {
    name: 'POST /api/cases/:id/actions (rectification reported)',
    as: 'prov1',
    request: () => ({
      method: 'POST',
      url: `/api/cases/${k('complaintCase')}/actions`,
      payload: { type: 'report-rectified', note: '价格牌已更新' },
    }),
    status: 200,
    expect: (at) => [
      {
        action: 'update',
        entity: 'cases',
        entityKey: k('complaintCase'),
        before: exact({ state: 'replied', escalationLevel: 0 }),
        after: exact({
          state: 'rectified',
          escalationLevel: 0,
          event: caseEvent(
            at,
            'provider',
            'prov1',
            'report-rectified',
            'replied',
            'rectified',
            '价格牌已更新',
          ),
        }),
      },
    ],
  },
  {
    name: 'POST /api/cases/:id/actions (回访 by the department)',
    as: 'jinjiang',
    request: () => ({
      method: 'POST',
      url: `/api/cases/${k('complaintCase')}/actions`,
      payload: { type: 'follow-up', residentReached: true, note: '电话回访' },
    }),
    status: 200,
    expect: (at) => [
      {
        action: 'update',
        entity: 'cases',
        entityKey: k('complaintCase'),
        before: exact({ state: 'rectified', escalationLevel: 0 }),
        after: exact({
          state: 'followed-up',
          escalationLevel: 0,
          event: caseEvent(
            at,
            'department',
            'jinjiang',
            'follow-up',
            'rectified',
            'followed-up',
            '电话回访',
            { residentReached: true },
          ),
        }),
      },
    ],
  },
  {
    name: 'POST /api/cases/:id/actions (confirmed: closed, an upheld complaint on the credit record, class stored)',
    as: 'resident',
    request: () => ({
      method: 'POST',
      url: `/api/cases/${k('complaintCase')}/actions`,
      payload: { type: 'confirm', satisfied: true },
    }),
    status: 200,
    expect: (at) => [
      {
        action: 'update',
        entity: 'cases',
        entityKey: k('complaintCase'),
        before: exact({ state: 'followed-up', escalationLevel: 0 }),
        after: exact({
          state: 'closed',
          escalationLevel: 0,
          event: caseEvent(at, 'resident', k('resident'), 'confirm', 'followed-up', 'closed', undefined, {
            satisfied: true,
          }),
        }),
      },
      {
        action: 'create',
        entity: 'credit_records',
        entityKey: `case:${k('complaintCase')}`,
        before: null,
        // The resident is no department: the authority is the outlet's supervising department.
        after: exact({
          id: `case:${k('complaintCase')}`,
          uscc: P1,
          kind: 'complaint-upheld',
          title: '投诉经核实整改',
          source: { authority: 'elderly_care@510104' },
          date: TODAY,
          internalNote: `case ${k('complaintCase')}, outlet OUT-1`,
        }),
      },
      {
        action: 'create',
        entity: 'credit_classes',
        entityKey: P1,
        before: null,
        after: exact(credit('B', 97)),
      },
    ],
  },
  // --- credit records and 信用修复 ---
  {
    name: 'POST /api/providers/:uscc/credit-records (the record and the recomputed class)',
    as: 'jinjiang',
    request: () => ({
      method: 'POST',
      url: `/api/providers/${P1}/credit-records`,
      payload: {
        kind: 'penalty',
        title: '未公示收费标准',
        authority: '锦江区市场监督管理局',
        document: '锦市监罚〔2026〕1号',
        date: TODAY,
        severity: 'minor',
      },
    }),
    status: 201,
    keep: (b) => void (kept.penalty = b.record.id),
    expect: () => [
      {
        action: 'create',
        entity: 'credit_records',
        entityKey: k('penalty'),
        before: null,
        after: exact({
          id: k('penalty'),
          uscc: P1,
          kind: 'penalty',
          title: '未公示收费标准',
          source: { authority: '锦江区市场监督管理局', document: '锦市监罚〔2026〕1号' },
          date: TODAY,
          severity: 'minor',
        }),
      },
      {
        action: 'update',
        entity: 'credit_classes',
        entityKey: P1,
        before: exact(credit('B', 97)),
        after: exact(credit('B', 92)),
      },
    ],
  },
  {
    name: 'POST /api/providers/:uscc/credit-records/:id/repair',
    as: 'jinjiang',
    request: () => ({
      method: 'POST',
      url: `/api/providers/${P1}/credit-records/${k('penalty')}/repair`,
      payload: { repairedOn: TODAY },
    }),
    status: 200,
    expect: () => [
      {
        action: 'update',
        entity: 'credit_records',
        entityKey: k('penalty'),
        before: has({ id: k('penalty'), severity: 'minor', repairedOn: undefined }),
        after: has({ id: k('penalty'), severity: 'minor', repairedOn: TODAY }),
      },
      {
        action: 'update',
        entity: 'credit_classes',
        entityKey: P1,
        before: exact(credit('B', 92)),
        after: exact(credit('B', 97)),
      },
    ],
  },
  // --- 双随机 draws and results ---
  {
    name: 'POST /api/inspections/draws',
    as: 'admin',
    request: () => ({
      method: 'POST',
      url: '/api/inspections/draws',
      payload: {
        seed: '合成测试种子 2026-03-16',
        regionCode: '510104',
        ratios: { A: 1, B: 1, C: 1, D: 1 },
        localRange: false,
        teamSize: 1,
      },
    }),
    status: 201,
    expect: () => [
      {
        action: 'create',
        entity: 'inspection_draws',
        entityKey: '1',
        before: null,
        // Candidates in 锦江区: P1 and the imported P_IMP, both drawn at ratio 1.
        after: has({
          seed: '合成测试种子 2026-03-16',
          scope: { regionCode: '510104', domain: null },
          candidateListSha256: /^[0-9a-f]{64}$/,
          targets: 2,
        }),
      },
    ],
  },
  {
    name: 'POST /api/inspections/draws/:id/publish',
    as: 'admin',
    request: () => ({ method: 'POST', url: '/api/inspections/draws/1/publish' }),
    status: 200,
    expect: (at) => [
      {
        action: 'update',
        entity: 'inspection_draws',
        entityKey: '1',
        before: exact({ published: false }),
        after: exact({ published: true, publishedAt: at }),
      },
    ],
  },
  {
    name: 'POST /api/inspections/results (the result, its credit record and the class)',
    as: 'insp',
    request: () => ({
      method: 'POST',
      url: '/api/inspections/results',
      payload: {
        drawId: '1',
        uscc: P1,
        inspectedOn: TODAY,
        outcome: 'compliant',
        findings: '未发现问题',
        authority: '锦江区市场监督管理局',
      },
    }),
    status: 201,
    expect: () => [
      {
        action: 'create',
        entity: 'inspection_results',
        entityKey: `1:${P1}`,
        before: null,
        after: exact({
          drawId: '1',
          uscc: P1,
          inspectedOn: TODAY,
          inspectorIds: ['insp'],
          outcome: 'compliant',
          findings: '未发现问题',
          authority: '锦江区市场监督管理局',
        }),
      },
      {
        action: 'create',
        entity: 'credit_records',
        entityKey: `inspection:1:${P1}`,
        before: null,
        after: exact({
          id: `inspection:1:${P1}`,
          uscc: P1,
          kind: 'inspection',
          title: '双随机抽查 1: 未发现问题',
          source: { authority: '锦江区市场监督管理局' },
          date: TODAY,
          outcome: 'compliant',
          internalNote: 'inspectors: insp',
        }),
      },
      {
        action: 'update',
        entity: 'credit_classes',
        entityKey: P1,
        before: exact(credit('B', 97)),
        after: exact(credit('B', 102)),
      },
    ],
  },
  // --- 普惠 certification ---
  {
    name: 'POST /api/certifications (apply)',
    as: 'prov1',
    request: () => ({
      method: 'POST',
      url: '/api/certifications',
      payload: {
        outletId: 'OUT-1',
        commitment: { text: '普惠价格不高于市场价80%', signatoryRole: '法定代表人' },
      },
    }),
    status: 201,
    expect: () => [
      {
        action: 'create',
        entity: 'certifications',
        entityKey: '1',
        before: null,
        after: exact(certification('1', '普惠价格不高于市场价80%')),
      },
    ],
  },
  {
    name: 'POST /api/certifications/:id/review (approve: certified, the outlet becomes 普惠)',
    as: 'jinjiang',
    request: () => ({
      method: 'POST',
      url: '/api/certifications/1/review',
      payload: { decision: 'approve', note: '材料齐全', expiresOn: '2027-12-31' },
    }),
    status: 200,
    expect: () => [
      {
        action: 'update',
        entity: 'certifications',
        entityKey: '1',
        before: exact(certification('1', '普惠价格不高于市场价80%')),
        after: exact({
          ...certification('1', '普惠价格不高于市场价80%'),
          state: 'certified',
          certifiedOn: TODAY,
          expiresOn: '2027-12-31',
          history: [
            ...certification('1', '').history,
            byDepartment('start-review', 'under-review'),
            byDepartment('decide', 'certified', '材料齐全'),
          ],
        }),
      },
      {
        action: 'update',
        entity: 'facilities',
        entityKey: 'OUT-1',
        before: exact(OUT_1),
        after: exact({ ...OUT_1, affordable: true }),
      },
    ],
  },
  {
    name: 'POST /api/certifications/:id/review (revoke: the outlet loses 普惠)',
    as: 'jinjiang',
    request: () => ({
      method: 'POST',
      url: '/api/certifications/1/review',
      payload: { decision: 'revoke', note: '价格超出承诺' },
    }),
    status: 200,
    expect: () => [
      {
        action: 'update',
        entity: 'certifications',
        entityKey: '1',
        before: has({ id: '1', state: 'certified' }),
        after: has({
          id: '1',
          state: 'revoked',
          certifiedOn: TODAY,
          expiresOn: '2027-12-31',
          history: [
            ...certification('1', '').history,
            byDepartment('start-review', 'under-review'),
            byDepartment('decide', 'certified', '材料齐全'),
            byDepartment('revoke', 'revoked', '价格超出承诺'),
          ],
        }),
      },
      {
        action: 'update',
        entity: 'facilities',
        entityKey: 'OUT-1',
        before: exact({ ...OUT_1, affordable: true }),
        after: exact(OUT_1),
      },
    ],
  },
  {
    name: 'POST /api/certifications (apply again)',
    as: 'prov1',
    request: () => ({
      method: 'POST',
      url: '/api/certifications',
      payload: { outletId: 'OUT-1', commitment: { text: '依法诚信经营', signatoryRole: '法定代表人' } },
    }),
    status: 201,
    expect: () => [
      {
        action: 'create',
        entity: 'certifications',
        entityKey: '2',
        before: null,
        after: exact(certification('2', '依法诚信经营')),
      },
    ],
  },
  {
    name: 'POST /api/certifications/:id/withdraw',
    as: 'prov1',
    request: () => ({ method: 'POST', url: '/api/certifications/2/withdraw', payload: { note: '暂缓申请' } }),
    status: 200,
    expect: () => [
      {
        action: 'update',
        entity: 'certifications',
        entityKey: '2',
        before: exact(certification('2', '依法诚信经营')),
        after: exact({
          ...certification('2', '依法诚信经营'),
          state: 'withdrawn',
          history: [
            ...certification('2', '').history,
            {
              on: TODAY,
              actor: { role: 'provider', id: P1 },
              action: 'withdraw',
              to: 'withdrawn',
              note: '暂缓申请',
            },
          ],
        }),
      },
    ],
  },
  {
    name: 'POST /api/certifications (a third application)',
    as: 'prov1',
    request: () => ({
      method: 'POST',
      url: '/api/certifications',
      payload: { outletId: 'OUT-1', commitment: { text: '预付费资金存管', signatoryRole: '法定代表人' } },
    }),
    status: 201,
    expect: () => [
      {
        action: 'create',
        entity: 'certifications',
        entityKey: '3',
        before: null,
        after: exact(certification('3', '预付费资金存管')),
      },
    ],
  },
  {
    name: 'POST /api/certifications/:id/review (approve the third)',
    as: 'jinjiang',
    request: () => ({
      method: 'POST',
      url: '/api/certifications/3/review',
      payload: { decision: 'approve', note: '复核通过', expiresOn: '2027-12-31' },
    }),
    status: 200,
    expect: () => [
      {
        action: 'update',
        entity: 'certifications',
        entityKey: '3',
        before: has({ id: '3', state: 'applied' }),
        after: has({ id: '3', state: 'certified', certifiedOn: TODAY, expiresOn: '2027-12-31' }),
      },
      {
        action: 'update',
        entity: 'facilities',
        entityKey: 'OUT-1',
        before: exact(OUT_1),
        after: exact({ ...OUT_1, affordable: true }),
      },
    ],
  },
  {
    name: 'POST /api/providers/:uscc/credit-records (a serious penalty: class D, the certification revoked, 普惠 cleared)',
    as: 'insp',
    request: () => ({
      method: 'POST',
      url: `/api/providers/${P1}/credit-records`,
      payload: {
        kind: 'penalty',
        title: '虚假宣传',
        authority: '锦江区市场监督管理局',
        date: TODAY,
        severity: 'serious',
        internalNote: '合成测试备注',
      },
    }),
    status: 201,
    keep: (b) => void (kept.serious = b.record.id),
    expect: () => [
      {
        action: 'create',
        entity: 'credit_records',
        entityKey: k('serious'),
        before: null,
        after: exact({
          id: k('serious'),
          uscc: P1,
          kind: 'penalty',
          title: '虚假宣传',
          source: { authority: '锦江区市场监督管理局' },
          date: TODAY,
          severity: 'serious',
          internalNote: '合成测试备注',
        }),
      },
      {
        action: 'update',
        entity: 'credit_classes',
        entityKey: P1,
        before: exact(credit('B', 102)),
        after: exact(credit('D', 62, { rule: 'serious-penalty', recordIds: [k('serious')] })),
      },
      {
        action: 'update',
        entity: 'certifications',
        entityKey: '3',
        before: has({ id: '3', state: 'certified' }),
        after: has({
          id: '3',
          state: 'revoked',
          history: [
            ...certification('3', '').history,
            byDepartment('start-review', 'under-review'),
            byDepartment('decide', 'certified', '复核通过'),
            {
              on: TODAY,
              actor: { role: 'system', id: 'credit-records' },
              action: 'revoke',
              to: 'revoked',
              note: '严重行政处罚: 虚假宣传 (2026-03-16)',
            },
          ],
        }),
      },
      {
        action: 'update',
        entity: 'facilities',
        entityKey: 'OUT-1',
        before: exact({ ...OUT_1, affordable: true }),
        after: exact(OUT_1),
      },
    ],
  },
  // --- plans and tracking ---
  {
    name: 'POST /api/plans (a pasted document)',
    as: 'coord',
    request: () => ({
      method: 'POST',
      url: '/api/plans',
      payload: { title: '合成测试方案', text: PLAN_TEXT },
    }),
    status: 201,
    expect: () => [
      {
        action: 'import',
        entity: 'plans',
        entityKey: PLAN_ID,
        before: null,
        after: exact({
          title: '锦江区合成测试行动方案',
          fileName: '合成测试方案.txt',
          sha256: 'd49ee19eec6af547d660362133ae05715a79e6e8c278e790ee773b44272dc8f5',
          // m1 推进社区养老服务 and its sentence m1.1 (区民政局牵头).
          measures: 2,
        }),
      },
    ],
  },
  {
    name: 'POST /api/plans/:id/corrections',
    as: 'coord',
    request: () => ({
      method: 'POST',
      url: `/api/plans/${PLAN_ID}/corrections`,
      payload: { op: 'add-unit', measureId: 'm1', name: '区商务局', role: 'co' },
    }),
    status: 201,
    expect: (at) => [
      {
        action: 'create',
        entity: 'plan_corrections',
        entityKey: `${PLAN_ID}:c1`,
        before: null,
        after: has({
          id: `${PLAN_ID}:c1`,
          op: 'add-unit',
          measureId: 'm1',
          name: '区商务局',
          role: 'co',
          author: 'coord',
          at,
        }),
      },
    ],
  },
  {
    name: 'POST /api/plans/:id/assignments',
    as: 'coord',
    request: () => ({
      method: 'POST',
      url: `/api/plans/${PLAN_ID}/assignments`,
      payload: { startDate: TODAY },
    }),
    status: 201,
    // One measure × 区民政局 and the corrected-in 区商务局.
    expect: () => [
      {
        action: 'create',
        entity: 'plan_assignments',
        entityKey: PLAN_ID,
        before: null,
        after: exact({ created: 2, total: 2, unassignable: [] }),
      },
    ],
  },
  {
    name: 'POST /api/assignments/:id/reports',
    as: 'minzheng',
    request: async () => {
      const mine = await app.inject({ url: '/api/assignments', headers: auth('minzheng') });
      const [own, ...others] = mine.json().items;
      assert.equal(others.length, 0, mine.body);
      assert.equal(own.departmentName, '区民政局');
      kept.assignment = own.id;
      kept.department = own.departmentKey;
      return {
        method: 'POST',
        url: `/api/assignments/${enc(k('assignment'))}/reports`,
        payload: { status: 'completed', value: 12, narrative: '新建助餐点12个' },
      };
    },
    status: 201,
    keep: (b) => void (kept.report = b.id),
    expect: () => [
      {
        action: 'create',
        entity: 'progress_reports',
        entityKey: k('report'),
        before: null,
        after: exact(report(null)),
      },
    ],
  },
  {
    name: 'POST /api/reports/:id/review',
    as: 'coord',
    request: () => ({
      method: 'POST',
      url: `/api/reports/${k('report')}/review`,
      payload: { decision: 'accepted', comment: '同意' },
    }),
    status: 200,
    expect: () => [
      {
        action: 'update',
        entity: 'progress_reports',
        entityKey: k('report'),
        before: exact(report(null)),
        after: exact(report({ decision: 'accepted', reviewer: 'coord', reviewedAt: TODAY, comment: '同意' })),
      },
    ],
  },
  // --- indicators and the scorecard ---
  {
    name: 'POST /api/indicators/:code/values',
    as: 'wlj',
    request: () => ({
      method: 'POST',
      url: '/api/indicators/public-culture-visits-per-10000/values',
      payload: { regionCode: '510104', date: TODAY, value: 3.1, note: '合成测试统计' },
    }),
    status: 201,
    expect: () => [
      {
        action: 'create',
        entity: 'indicator_values',
        entityKey: 'public-culture-visits-per-10000/510104/2026-03-16',
        before: null,
        after: exact({ value: 3.1, note: '合成测试统计', by: '锦江区文化和旅游局' }),
      },
    ],
  },
  {
    name: 'POST /api/indicator-targets (a new target)',
    as: 'coord',
    request: () => ({
      method: 'POST',
      url: '/api/indicator-targets',
      payload: {
        indicatorCode: 'community-childcare-coverage',
        regionCode: '5101',
        targetValue: 60,
        comparator: 'gte',
        deadlineYear: 2028,
      },
    }),
    status: 201,
    keep: () => void (kept.targetSetAt = CLOCK().toISOString()),
    expect: (at) => [
      {
        action: 'create',
        entity: 'indicator_targets',
        entityKey: '1',
        before: null,
        after: exact(target(60, at)),
      },
    ],
  },
  {
    name: 'POST /api/indicator-targets (the same target replaced)',
    as: 'coord',
    request: () => ({
      method: 'POST',
      url: '/api/indicator-targets',
      payload: {
        indicatorCode: 'community-childcare-coverage',
        regionCode: '5101',
        targetValue: 65,
        comparator: 'gte',
        deadlineYear: 2028,
      },
    }),
    status: 201,
    expect: (at) => [
      {
        action: 'update',
        entity: 'indicator_targets',
        entityKey: '1',
        before: exact(target(60, k('targetSetAt'))),
        after: exact(target(65, at)),
      },
    ],
  },
  {
    name: 'PUT /api/scorecard/config (first weights)',
    as: 'coord',
    request: () => ({
      method: 'PUT',
      url: '/api/scorecard/config',
      payload: { indicatorWeights: { 'community-childcare-coverage': 2 }, measureWeight: 1 },
    }),
    status: 200,
    keep: () => void (kept.weightsSetAt = CLOCK().toISOString()),
    expect: (at) => [
      {
        action: 'create',
        entity: 'scorecard_config',
        entityKey: 'district',
        before: null,
        after: exact({
          indicatorWeights: { 'community-childcare-coverage': 2 },
          measureWeight: 1,
          updatedBy: 'coord',
          updatedAt: at,
        }),
      },
    ],
  },
  {
    name: 'PUT /api/scorecard/config (changed weights)',
    as: 'coord',
    request: () => ({
      method: 'PUT',
      url: '/api/scorecard/config',
      payload: { indicatorWeights: { 'community-childcare-coverage': 3 }, measureWeight: 1 },
    }),
    status: 200,
    expect: (at) => [
      {
        action: 'update',
        entity: 'scorecard_config',
        entityKey: 'district',
        before: exact({
          indicatorWeights: { 'community-childcare-coverage': 2 },
          measureWeight: 1,
          updatedBy: 'coord',
          updatedAt: k('weightsSetAt'),
        }),
        after: exact({
          indicatorWeights: { 'community-childcare-coverage': 3 },
          measureWeight: 1,
          updatedBy: 'coord',
          updatedAt: at,
        }),
      },
    ],
  },
];

/** A rating by the resident as the log keeps it (the department's view: the phone masked). */
function rating(
  id: string,
  [level, levelZh, levelEn]: string[],
  text: string,
  at: string,
  status = 'published',
) {
  return {
    id,
    outletId: 'OUT-1',
    level,
    levelZh,
    levelEn,
    tags: [],
    text,
    channel: 'web',
    createdAt: at,
    status,
    accountId: '9',
    contactPhone: '138****0001',
  };
}

/** The rate limit's flag on one of the resident's six ratings of the day (the other five are related). */
function rateLimited(id: string) {
  const six = ['goodRating', 'visit-3', 'visit-4', 'visit-5', 'visit-6', 'visit-7'].map(k);
  return [
    {
      detector: 'rate-limit',
      reason: RATE_LIMIT_REASON,
      related: six.filter((x) => x !== id),
    },
  ];
}

/** The progress report of 区民政局 on m1.1, with its review. */
function report(review: unknown) {
  return {
    id: k('report'),
    assignmentId: k('assignment'),
    departmentKey: k('department'),
    submittedAt: TODAY,
    status: 'completed',
    value: 12,
    narrative: '新建助餐点12个',
    evidence: [],
    review,
  };
}

function target(targetValue: number, confirmedAt: string) {
  return {
    id: 1,
    indicatorCode: 'community-childcare-coverage',
    regionCode: '5101',
    baselineValue: null,
    baselineDate: null,
    targetValue,
    comparator: 'gte',
    deadlineYear: 2028,
    source: null,
    confirmedBy: 'coord',
    confirmedAt,
  };
}

function tokenOf(username: string): string {
  const token = tokens.get(username);
  if (!token) throw new Error(`no session for ${username}`);
  return token;
}

function auth(username: string): Record<string, string> {
  return { authorization: `Bearer ${tokenOf(username)}` };
}

/** Compares one stored before/after value with its hand-written check. */
function check(actual: unknown, expected: Check, what: string): void {
  if (expected === null) return assert.equal(actual, null, `${what}: expected null`);
  if ('exact' in expected) return assert.deepEqual(actual, expected.exact, what);
  assert.ok(
    actual !== null && typeof actual === 'object',
    `${what}: expected an object, got ${String(actual)}`,
  );
  const record = actual as Record<string, unknown>;
  for (const [key, want] of Object.entries(expected.has)) {
    if (want instanceof RegExp) assert.match(String(record[key]), want, `${what}.${key}`);
    else assert.deepEqual(record[key], want, `${what}.${key}`);
  }
}

for (const [i, step] of STEPS.entries())
  test(`audit of ${step.name}`, async () => {
    // One minute after the previous write: 10:01, 10:02, … Beijing time.
    const at = new Date(FIRST_WRITE_UTC + i * 60_000).toISOString();
    CLOCK.set(at);
    if (step.prepare) {
      CLOCK.set(new Date(Date.parse(at) - 50_000).toISOString());
      await step.prepare();
      CLOCK.set(at);
    }
    const { total: countBefore } = await store.audit.list({ limit: 1 });
    const req = await step.request();
    const token = req.token ?? (step.as ? tokenOf(step.as) : undefined);
    const res = await app.inject({
      method: req.method,
      url: req.url,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(req.raw ? { 'content-type': req.raw.contentType } : {}),
      },
      ...(req.raw
        ? { payload: req.raw.body }
        : req.payload === undefined
          ? {}
          : { payload: req.payload as object }),
    });
    assert.equal(res.statusCode, step.status, res.body);
    step.keep?.(res.body ? res.json() : null);

    const expected = step.expect(at);
    const { items } = await store.audit.list({ since: at, limit: 1000 });
    const fresh = [...items].reverse(); // oldest first
    assert.equal(
      (await store.audit.list({ limit: 1 })).total,
      countBefore + expected.length,
      `exactly ${expected.length} new audit record(s); got ${JSON.stringify(fresh, null, 1)}`,
    );
    assert.equal(fresh.length, expected.length, JSON.stringify(fresh, null, 1));
    for (const [j, e] of expected.entries()) {
      const a = fresh[j];
      // The resident's user name is random (居民-xxxxxxxx): the one the registration answered with.
      const actor = e.actor ?? step.as;
      assert.ok(actor, 'a write needs an actor');
      const actorName = actor === 'resident' ? k('resident') : actor;
      assert.notEqual(a.actorId, null, `record ${j + 1}: the actor's id is missing`);
      assert.deepEqual(
        {
          actorId: a.actorId,
          actorName: a.actorName,
          at: a.at,
          action: a.action,
          entity: a.entity,
          entityKey: a.entityKey,
        },
        {
          actorId: USER_IDS[actor],
          actorName,
          at,
          action: e.action,
          entity: e.entity,
          entityKey: e.entityKey,
        },
        `record ${j + 1} of ${step.name}`,
      );
      check(a.before, e.before, `record ${j + 1} (${e.entity}) before`);
      check(a.after, e.after, `record ${j + 1} (${e.entity}) after`);
    }
  });

test('audit of POST /api/analysis/runs (the real engine over a hand-written walking network)', async () => {
  const clock = manualClock('2026-03-16T11:00:00+08:00');
  const tmp = await openCityTemporaryStore({ clock });
  try {
    await createTestUsers(
      tmp.store,
      [{ username: 'jinjiang', role: 'staff', department: '锦江区民政局', regionCode: '510104' }],
      await hashPassword(PASSWORD, { N: 2 ** 10 }),
    );
    // A few footways near 104.00 E, 30.00 N (src/network/fixtures/README.md); the store holds no communities, so
    // the run computes no indicator value.
    const graph = await importOsmNetwork('src/network/fixtures/rules.osm');
    const engine = new LifeCircleEngine({ store: tmp.store, cityCode: '5101', graph, clock });
    const api = await buildApp({ store: tmp.store, cityCode: '5101', clock, analysis: engine });
    try {
      const token = await loginToken(api, 'jinjiang', PASSWORD);
      clock.set('2026-03-16T11:01:00+08:00');
      const at = '2026-03-16T03:01:00.000Z';
      const res = await api.inject({
        method: 'POST',
        url: '/api/analysis/runs',
        headers: { authorization: `Bearer ${token}` },
        payload: { kind: 'coverage' },
      });
      assert.equal(res.statusCode, 201, res.body);
      assert.match(res.json().inputsHash, /^[0-9a-f]{64}$/);
      const fresh = [...(await tmp.store.audit.list({ since: at })).items].reverse();
      assert.equal((await tmp.store.audit.list()).total, 1 + 2, 'the login, then two records of the run');
      assert.equal(fresh.length, 2, JSON.stringify(fresh, null, 1));
      const [run, values] = fresh;
      const jinjiang = 1; // the store's only account
      assert.deepEqual(
        { ...run, id: undefined },
        {
          id: undefined,
          at,
          actorId: jinjiang,
          actorName: 'jinjiang',
          action: 'create',
          entity: 'analysis_runs',
          entityKey: '1',
          before: null,
          after: { kind: 'coverage', parameters: {}, inputsHash: res.json().inputsHash },
        },
      );
      // The indicator values the engine stores in the run's transaction: none, as no region has a community.
      assert.deepEqual(
        [values.at, values.action, values.entity, values.entityKey, values.before, values.after],
        [at, 'create', 'indicator_values', 'run:1', null, { runId: 1, values: 0, computed: 0 }],
      );
      // The indicator values of a run asked for through the API name the user who asked.
      assert.deepEqual([values.actorId, values.actorName], [jinjiang, 'jinjiang']);
    } finally {
      await api.close();
    }
  } finally {
    await tmp.dispose();
  }
});
