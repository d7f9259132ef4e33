/**
 * Supervision reads that need the viewer's scope or assembling from several records: the case queue and a case,
 * held ratings for moderation, a provider's class, draws and certifications. Scope comes from src/policy
 * (`scopeOf` for lists, `covers` for one record) through the records of scope.ts.
 */
import { LifeCircleError } from '../errors.js';
import { covers, requireCovers, scopeOf, type Viewer } from '../policy/index.js';
import { haversineM } from '../geo/index.js';
import type {
  CaseFilter,
  Facility,
  Page,
  Provider,
  Store,
  StoreRepositories,
  StoredCase,
  StoredDraw,
  StoredRating,
} from '../store/index.js';
import { beijingDate } from '../time/index.js';
import { aggregate, aggregateFromCounts, monthlyTrend, priorFromCounts } from './aggregates.js';
import { actionsOpenTo, overdueLevel, upheldComplaintRecord } from './cases.js';
import type { Certification } from './certification.js';
import { presentComplaint } from './complaints.js';
import { DEFAULT_SCORING, classifyProvider, type CreditClassification, type CreditRecord } from './credit.js';
import { rankByCredit, rankLeaders } from './leaders.js';
import { presentRating, type AccountRatingView, type Rating } from './ratings.js';
import { providerRecord, ratingRecord, relationTo } from './scope.js';
import { workingDaysBetween } from './working-days.js';

// --- cases ---

/** The store filter that limits a case queue to what the viewer covers (`scopeOf`). */
export function caseFilterOf(
  viewer: Viewer,
): Pick<CaseFilter, 'within' | 'domains' | 'providerUscc' | 'accountId'> {
  const scope = scopeOf(viewer);
  if (scope.kind === 'all') return {};
  if (scope.kind === 'none') return { providerUscc: '(none)' };
  return {
    ...(scope.regionPrefix ? { within: scope.regionPrefix } : {}),
    ...(scope.domains ? { domains: [...scope.domains] } : {}),
    ...(scope.providerUscc ? { providerUscc: scope.providerUscc } : {}),
    ...(scope.ownerId !== null ? { accountId: String(scope.ownerId) } : {}),
  };
}

/** A page of the case queue in the viewer's scope. */
export function caseQueue(
  store: Store,
  viewer: Viewer,
  query: Omit<CaseFilter, 'within' | 'domains' | 'providerUscc' | 'accountId'>,
): Promise<Page<StoredCase>> {
  return store.cases.list({ ...query, ...caseFilterOf(viewer) });
}

/** One case the viewer covers; a case outside the viewer's scope answers as if it did not exist. */
export async function visibleCase(repos: StoreRepositories, viewer: Viewer, id: string): Promise<StoredCase> {
  const c = await repos.cases.get(id);
  if (!c || relationTo(viewer, c) === null)
    throw new LifeCircleError('LC_NOT_FOUND', `case ${id} does not exist`);
  return c;
}

export interface Timing {
  deadlineDate: string;
  dueAt: string;
  /** Working days after today up to the deadline; negative: working days overdue. */
  workingDaysLeft: number;
  overdue: boolean;
  overdueLevel: number;
  provisional: boolean;
}

export function timing(c: StoredCase, at: Date): Timing {
  const today = beijingDate(at);
  const overdue = c.state !== 'closed' && at.getTime() > Date.parse(c.deadline.dueAt);
  return {
    deadlineDate: c.deadline.date,
    dueAt: c.deadline.dueAt,
    workingDaysLeft: overdue
      ? -workingDaysBetween(c.deadline.date, today)
      : workingDaysBetween(today, c.deadline.date),
    overdue,
    overdueLevel: overdueLevel(c, at.toISOString()),
    provisional: c.deadline.provisional,
  };
}

/**
 * How an answer names an outlet: its own name — null when it has none (OSM outlets often have none) or is not in the
 * register — and its type's code and names, null when unknown. The server makes no label of its own: the client
 * words a nameless outlet as its type, in the reader's language, and its id.
 */
export interface OutletNaming {
  outletName: string | null;
  outletTypeCode: string | null;
  outletTypeName: string | null;
  outletTypeNameEn: string | null;
}

/** The naming of one outlet (`facility`: the record when the caller has read it already). */
export async function outletNaming(
  repos: Pick<StoreRepositories, 'facilities' | 'facilityTypes'>,
  outletId: string,
  facility?: Facility | null,
): Promise<OutletNaming> {
  const f = facility === undefined ? await repos.facilities.get(outletId) : facility;
  const type = f ? await repos.facilityTypes.get(f.typeCode) : null;
  return {
    outletName: f?.name || null,
    outletTypeCode: f?.typeCode ?? null,
    outletTypeName: type?.nameZh || null,
    outletTypeNameEn: type?.nameEn || null,
  };
}

/** A case as the queue shows it to a viewer: state, deadline and timing, the outlet's name and type. */
export async function caseRow(repos: StoreRepositories, c: StoredCase, at: Date) {
  return {
    id: c.id,
    originKind: c.origin.kind,
    outletId: c.outletId,
    providerUscc: c.providerUscc,
    departmentId: c.departmentId,
    regionCode: c.regionCode,
    state: c.state,
    openedAt: c.openedAt,
    resolution: c.resolution ?? null,
    outcome: c.outcome ?? null,
    reopenCount: c.reopenCount,
    escalationLevel: c.escalationLevel,
    deadlineRule: c.deadlineRule,
    ...timing(c, at),
    ...(await outletNaming(repos, c.outletId)),
  };
}
export type CaseRowView = Awaited<ReturnType<typeof caseRow>>;

/** One case with its history, deadline and the rating or complaint it came from, as the viewer may see them. */
export async function caseDetail(repos: StoreRepositories, viewer: Viewer, c: StoredCase, at: Date) {
  const relation = relationTo(viewer, c);
  // Only the handler (administrator or the supervising department) sees the resident's phone in full.
  const ratingViewer =
    relation === 'handler' ? 'handler' : relation === 'provider' ? 'provider' : 'department';
  let origin:
    (AccountRatingView & { flags?: StoredRating['flags'] }) | ReturnType<typeof presentComplaint> | null =
    null;
  if (c.origin.kind === 'rating') {
    const r = await repos.ratings.get(c.origin.ratingId);
    origin = r
      ? { ...presentRating(r, ratingViewer), ...(relation === 'handler' ? { flags: r.flags } : {}) }
      : null;
  } else {
    const complaint = await repos.complaints.get(c.origin.complaintId);
    origin = complaint ? presentComplaint(complaint, relation === 'handler' ? 'handler' : 'provider') : null;
  }
  const role = relation === 'handler' ? 'department' : relation;
  return {
    ...(await caseRow(repos, c, at)),
    origin,
    history: c.history,
    deadline: c.deadline,
    actions: role ? actionsOpenTo(c, role, at.toISOString()) : [],
  };
}
export type CaseDetailView = Awaited<ReturnType<typeof caseDetail>>;

/**
 * Closed cases in which the provider had to act (立行立改 or 限期整改), as credit records of the provider
 * (`upheldComplaintRecord`). The case history keeps the event; the credit module decides what to do with it.
 */
export async function upheldCaseCreditRecords(store: Store, authority: string): Promise<CreditRecord[]> {
  const records: CreditRecord[] = [];
  for (let offset = 0; ; offset += 1000) {
    const page = await store.cases.list({ state: 'closed', limit: 1000, offset });
    // A provider registered since the case closed answers for it (credit attaches when one is): one read per page.
    const unregistered = page.items.filter((c) => c.providerUscc === null).map((c) => c.outletId);
    const providers = new Map(
      (unregistered.length ? await store.facilities.getMany([...new Set(unregistered)]) : []).map((f) => [
        f.code,
        f.providerUscc,
      ]),
    );
    for (const c of page.items) {
      const uscc = c.providerUscc ?? providers.get(c.outletId) ?? null;
      const record = upheldComplaintRecord(c, authority, uscc);
      if (record) records.push(record);
    }
    if (offset + page.items.length >= page.total || page.items.length === 0) break;
  }
  return records;
}

// --- ratings ---

/** Ratings the abuse detectors held, in the moderator's scope (administrators: all; staff: region and domains). */
export async function heldRatings(store: Store, viewer: Viewer): Promise<StoredRating[]> {
  const scope = scopeOf(viewer);
  const domains = new Map((await store.facilityTypes.list()).map((t) => [t.code, t.domain as string]));
  const held = await store.ratings.all({
    status: 'held',
    ...(scope.kind === 'limited' && scope.regionPrefix ? { within: scope.regionPrefix } : {}),
  });
  return held.filter((r) => covers(viewer, ratingRecord(r, domains.get(r.serviceType))));
}

// --- credit ---

export async function providerOr404(
  store: Pick<StoreRepositories, 'providers'>,
  uscc: string,
): Promise<Provider> {
  const provider = await store.providers.get(uscc);
  if (!provider) throw new LifeCircleError('LC_NOT_FOUND', `provider ${uscc} is not in the register`);
  return provider;
}

/** A provider whose credit the viewer covers (its own for a provider account; region and domains for staff). */
export async function providerInScope(store: Store, viewer: Viewer, uscc: string): Promise<Provider> {
  const provider = await providerOr404(store, uscc);
  requireCovers(viewer, providerRecord(provider));
  return provider;
}

/** The stored class, or the class of a provider with no records yet (the base score). */
export async function currentClass(
  repos: Pick<StoreRepositories, 'credit'>,
  uscc: string,
  asOf: string,
): Promise<{ classification: CreditClassification; stored: boolean }> {
  const stored = await repos.credit.getClass(uscc);
  if (stored) return { classification: stored, stored: true };
  return {
    classification: classifyProvider(uscc, await repos.credit.listRecords(uscc), asOf, DEFAULT_SCORING),
    stored: false,
  };
}

// --- draws and certifications ---

/** Roles that see draws before they are published and who made them. */
export const SEES_UNPUBLISHED: readonly Viewer['role'][] = [
  'administrator',
  'coordinator',
  'staff',
  'inspector',
];

export async function visibleDraw(store: Store, id: string, viewer: Viewer): Promise<StoredDraw> {
  const d = await store.credit.getDraw(id);
  // An unpublished draw does not exist for those who may not see it yet.
  if (!d || (!d.published && !SEES_UNPUBLISHED.includes(viewer.role)))
    throw new LifeCircleError('LC_NOT_FOUND', `inspection draw ${id} does not exist or is not published yet`);
  return d;
}

/** 普惠 certifications the viewer may list: a provider its own, the supervising roles all. */
export async function certificationsFor(
  store: Store,
  viewer: Viewer,
  state: Certification['state'] | undefined,
  page: { limit?: number; offset?: number } = {},
) {
  // A provider lists its own (an account without a provider lists nothing); the supervising roles all.
  const scope = scopeOf(viewer);
  const providerUscc = scope.kind === 'limited' ? scope.providerUscc : null;
  return store.credit.certificationPage({ state, ...(providerUscc ? { providerUscc } : {}) }, page);
}

// --- ratings of outlets ---

/**
 * Walking metres from a community to each point on the city's walking network, measured as the map's community
 * panel measures them (from the community's access points to the point snapped on the network); null for a point
 * off the network or farther than `limitM`. Null altogether when no network is loaded or the community is off it.
 * Implemented by src/analysis's engine; supervision only asks.
 */
export type WalkingDistances = (
  community: { code: string; lon: number; lat: number },
  points: readonly { lon: number; lat: number }[],
  limitM: number,
) => (number | null)[] | null;

/**
 * How far a resident's outlet list walks: three times the 15-minute life circle's 1 km. An outlet farther on foot
 * (or off the network) keeps its straight-line distance, labelled so, after those reached on foot.
 */
export const RESIDENT_WALK_LIMIT_M = 3000;

/**
 * Records this close under the same name are one place: a register lists an outlet once per service type, and
 * rows keyed in or geocoded apart land a few metres from each other (the register's own generated codes treat
 * ~1 m as the same point). Two shops of one chain stand farther apart than this.
 */
export const SAME_PLACE_M = 30;

/** A name as people read it: case and spaces (full-width ones too) do not make another place. */
const placeName = (name: string): string => name.replace(/\s+/g, '').toLowerCase();

/**
 * Whether a record is the same place as a group's first record: same name (as read), within SAME_PLACE_M, and
 * not registered to two different operators. Nameless records (OSM nodes without a name) only at the same point.
 */
function samePlace(a: Facility, b: Facility): boolean {
  const name = placeName(a.name);
  if (name !== placeName(b.name)) return false;
  if (a.providerUscc && b.providerUscc && a.providerUscc !== b.providerUscc) return false;
  const d = haversineM(a.location.lon, a.location.lat, b.location.lon, b.location.lat);
  return d <= (name ? SAME_PLACE_M : 1);
}

/**
 * Outlets near a community with their ratings aggregate, nearest first: by walking distance when a walking network
 * is loaded and the community is on it (`distance: 'walking'`), else by straight line (`'straight-line'`). Each
 * item says which distance it carries (`distanceKind`): in a walking answer an outlet off the network or beyond
 * RESIDENT_WALK_LIMIT_M keeps its straight-line distance and comes after those reached on foot. Candidates are the
 * nearest by straight line (three times the limit), the spatial index's question.
 *
 * One place is one outlet (`samePlace`): a register's records of one outlet, one per service type, are listed once
 * with all their types; its aggregate counts the ratings of all of them, and a new rating goes to the first
 * (`code`, the nearest record).
 */
export async function ratedOutletsNear(
  store: Store,
  code: string,
  limit: number,
  type: string | undefined,
  walking?: WalkingDistances,
) {
  const community = await store.communities.get(code);
  if (!community) throw new LifeCircleError('LC_NOT_FOUND', `community: ${code} is not in the register`);
  const { lon, lat } = community.location;
  // Read more than asked: records of one place collapse into one item, and walking may reorder them.
  const near = await nearestOpenFacilities(store, lon, lat, Math.min(limit * 3, limit + 200), type);
  const places: { f: Facility; d: number }[][] = [];
  for (const n of near) {
    const group = places.find((g) => samePlace(g[0].f, n.f));
    if (group) group.push(n);
    else places.push([n]);
  }
  const walked = walking?.(
    { code, lon, lat },
    near.map(({ f }) => f.location),
    RESIDENT_WALK_LIMIT_M,
  );
  const walkOf = new Map(near.map(({ f }, i) => [f.code, walked?.[i] ?? null]));
  const measured = places.map((group) => {
    const metres = group.map(({ f }) => walkOf.get(f.code)).filter((m): m is number => m != null);
    return metres.length
      ? { group, kind: 'walking' as const, m: Math.min(...metres) }
      : { group, kind: 'straight-line' as const, m: group[0].d };
  });
  // Reached on foot first, by walking distance; then the rest by straight line (already in that order).
  if (walked)
    measured.sort((a, b) => Number(a.kind !== 'walking') - Number(b.kind !== 'walking') || a.m - b.m);
  const chosen = measured.slice(0, limit);
  const counts = await store.ratings.publishedLevelCounts(
    chosen.flatMap(({ group }) => group.map(({ f }) => f.code)),
  );
  const prior = priorFromCounts(counts.total);
  const types = new Map((await store.facilityTypes.list()).map((t) => [t.code, t]));
  const typeOf = (f: Facility) => ({
    typeCode: f.typeCode,
    typeNameZh: types.get(f.typeCode)?.nameZh ?? f.typeCode,
    typeNameEn: types.get(f.typeCode)?.nameEn ?? f.typeCode,
  });
  return {
    community: { code: community.code, name: community.name, regionCode: community.regionCode },
    distance: walked ? ('walking' as const) : ('straight-line' as const),
    items: chosen.map(({ group, kind, m }) => {
      const [{ f }] = group;
      const levels: Record<string, number> = {};
      for (const { f: g } of group)
        for (const [level, n] of Object.entries(counts.byOutlet.get(g.code) ?? {}))
          levels[level] = (levels[level] ?? 0) + n;
      return {
        code: f.code,
        name: f.name,
        ...typeOf(f),
        otherTypes: group.slice(1).map(({ f: g }) => ({ code: g.code, ...typeOf(g) })),
        address: f.address,
        affordable: group.some(({ f: g }) => g.affordable),
        rateable: f.regionCode !== null,
        distanceM: Math.round(m),
        distanceKind: kind,
        aggregate: aggregateFromCounts(f.code, levels, prior),
      };
    }),
  };
}

/** Metres in a degree of latitude (R·π/180 with the IUGG mean radius, as haversineM). */
const METRES_PER_DEGREE = 111_195.08;

/**
 * The `limit` open facilities nearest a point (straight line), read through the store's spatial index: a box
 * around the point grows (500 m, doubling) until the circle it holds has `limit` of them — then no facility
 * outside the box can be nearer — or until it spans the whole country. Reads the neighbourhood, not the register.
 */
async function nearestOpenFacilities(
  store: Store,
  lon: number,
  lat: number,
  limit: number,
  type: string | undefined,
): Promise<{ f: Facility; d: number }[]> {
  for (let radius = 500; ; radius *= 2) {
    const dLat = radius / METRES_PER_DEGREE;
    const dLon = dLat / Math.max(0.01, Math.cos((lat * Math.PI) / 180));
    const points = await store.facilities.pointsInBox([lon - dLon, lat - dLat, lon + dLon, lat + dLat], type);
    const found = points.map((p) => ({
      code: p.code,
      d: haversineM(lon, lat, p.location.lon, p.location.lat),
    }));
    const inCircle = found.filter((x) => x.d <= radius);
    // 5 000 km: the whole of China from any point in it.
    if (inCircle.length >= limit || radius >= 5_000_000) {
      const nearest = (radius >= 5_000_000 ? found : inCircle)
        .sort((a, b) => a.d - b.d || (a.code < b.code ? -1 : 1))
        .slice(0, limit);
      // Whole records for the answer only, in one read.
      const records = new Map(
        (await store.facilities.getMany(nearest.map((n) => n.code))).map((f) => [f.code, f]),
      );
      return nearest.flatMap(({ code, d }) => {
        const f = records.get(code);
        return f ? [{ f, d }] : [];
      });
    }
  }
}

/** One outlet's published ratings (a page), its Bayesian aggregate over all its ratings and the monthly trend. */
export async function outletRatings(store: Store, key: string, page: { limit?: number; offset?: number }) {
  const facility = await store.facilities.get(key);
  if (!facility) throw new LifeCircleError('LC_NOT_FOUND', `facilities ${key} does not exist`);
  // The outlet's own ratings and the city's counts by level (kept by the store): not every rating of the city.
  const own = await store.ratings.all({ outletId: key });
  const { total: cityLevels } = await store.ratings.publishedLevelCounts([]);
  const published = await store.ratings.list({ outletId: key, status: 'published', ...page });
  return {
    outlet: { code: facility.code, name: facility.name, affordable: facility.affordable },
    aggregate: aggregate(key, own, priorFromCounts(cityLevels)),
    trend: monthlyTrend(own),
    total: published.total,
    items: published.items,
  };
}

// --- 领跑者 ---

/**
 * The 领跑者 ranking of the open outlets of classified providers: ratings and credit blended, or — without any
 * rating yet (a new platform) — credit alone (`withRatings` false), with the outlets' names.
 */
export async function leaderBoard(store: Store, ratings: readonly Rating[]) {
  const classes = await store.credit.classes();
  const outlets = [];
  for (const uscc of classes.keys())
    for (const f of (await store.facilities.list({ providerUscc: uscc, status: 'open', limit: 1000 })).items)
      outlets.push({ outletId: f.code, providerUscc: uscc, serviceType: f.typeCode, name: f.name });
  const names = new Map(outlets.map((o) => [o.outletId, o.name]));
  const withRatings = ratings.length > 0;
  const ranked = withRatings ? rankLeaders(outlets, [...ratings], classes) : rankByCredit(outlets, classes);
  return { withRatings, ranked, names };
}
