/**
 * 好差评 on the platform: the pure domain of src/supervision (acceptRating, openCase, applyCaseAction, detectAbuse,
 * aggregates) wired to the store, with scope checks and audit. route-cases.ts is the HTTP face of these functions.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { LifeCircleError } from '../errors.js';
import type { Facility, Store, StoreRepositories, StoredCase, StoredRating, User } from '../store/index.js';
import {
  acceptRating,
  applyCaseAction,
  beijingDate,
  detectAbuse,
  openCase,
  overdueLevel,
  presentComplaint,
  presentRating,
  ratingKey,
  upheldComplaintRecord,
  validateComplaint,
  workingDaysBetween,
  type AccountInfo,
  type Actor as CaseActor,
  type CaseAction,
  type Complaint,
  type ComplaintCategory,
  type CreditRecord,
  type FieldProblem,
  type RatingChannel,
  type RatingLevel,
  type RatingViewer,
} from '../supervision/index.js';
import { actorOf } from './auth.js';
import { recordCredit } from './credit-service.js';
import { hashPassword } from './passwords.js';
import type { Viewer } from '../policy/index.js';
import { presentUser } from './presenters.js';

import type { Clock } from '../time/index.js';

export type { Clock };

const PHONE = /^1\d{10}$/;
/** How far back the abuse detectors look when a rating arrives (their longest window plus baseline). */
const ABUSE_LOOKBACK_DAYS = 90;
/** A staff-entered complaint may be dated back this far (received by hotline or letter before it was keyed in). */
const MAX_BACKDATE_DAYS = 366;

function invalid(problems: FieldProblem[]): LifeCircleError {
  const text = problems.map((p) => `${p.field}: expected ${p.expected}, got ${p.got}`).join('; ');
  return new LifeCircleError('LC_INVALID_FIELD', text, { details: problems });
}

// --- residents ---

/**
 * Registers a pseudonymous resident account: the user name is random (居民-xxxxxxxx), the phone is kept only in
 * resident_profiles for the case handler's 回访. No SMS code is sent at run time (see docs/api.md).
 */
export async function registerResident(
  store: Store,
  phone: string,
  password: string,
  now: Clock,
): Promise<User> {
  if (!PHONE.test(phone))
    throw new LifeCircleError(
      'LC_INVALID_FIELD',
      `phone: expected an 11-digit mainland mobile number, got ${JSON.stringify(phone)}`,
    );
  if (password.length < 10)
    throw new LifeCircleError('LC_INVALID_FIELD', 'password: expected at least 10 characters');
  const passwordHash = await hashPassword(password);
  return store.transaction(async (tx) => {
    if (await tx.residents.findByPhone(phone))
      throw new LifeCircleError(
        'LC_CONFLICT',
        'phone: an account is registered with this number already; log in',
      );
    const username = `居民-${randomBytes(4).toString('hex')}`;
    const user = await tx.users.create({
      username,
      displayName: username,
      role: 'resident',
      department: null,
      domains: [],
      regionCode: null,
      providerUscc: null,
      disabled: false,
      passwordHash,
    });
    await tx.residents.create({ userId: user.id, phone, createdAt: now().toISOString() });
    await tx.audit.record({
      actorId: user.id,
      actorName: username,
      action: 'create',
      entity: 'users',
      entityKey: username,
      before: null,
      // The phone stays out of the audit log: the log is read by administrators, the phone only by handlers.
      after: { ...presentUser(user), residentProfile: true },
    });
    return user;
  });
}

// --- scope ---

interface Outlet {
  facility: Facility;
  providerUscc: string;
  regionCode: string;
  domain: string;
}

async function outletOf(tx: StoreRepositories, code: string, field = 'outletId'): Promise<Outlet> {
  const facility = await tx.facilities.get(code);
  if (!facility) throw new LifeCircleError('LC_NOT_FOUND', `${field}: outlet ${code} is not in the register`);
  if (!facility.providerUscc)
    throw new LifeCircleError(
      'LC_INVALID_FIELD',
      `${field}: outlet ${code} has no registered provider (统一社会信用代码) yet, so no case could be assigned; it cannot be rated`,
    );
  if (!facility.regionCode)
    throw new LifeCircleError('LC_INVALID_FIELD', `${field}: outlet ${code} has no region code`);
  const type = await tx.facilityTypes.get(facility.typeCode);
  return {
    facility,
    providerUscc: facility.providerUscc,
    regionCode: facility.regionCode,
    domain: type?.domain ?? 'unknown',
  };
}

/** The supervising department of an outlet: the department of its service domain in its 区县. */
export const departmentOf = (domain: string, regionCode: string): string =>
  `${domain}@${regionCode.slice(0, 6)}`;

/** Whether a staff member supervises this region and domain (division codes nest by prefix). */
function staffCovers(viewer: Viewer, regionCode: string, domain: string): boolean {
  if (viewer.regionCode && !regionCode.startsWith(viewer.regionCode)) return false;
  return viewer.domains.length === 0 || (viewer.domains as string[]).includes(domain);
}

export type CaseRelation = 'handler' | 'provider' | 'resident' | null;

/** How a viewer stands to a case: its handler (administrator, supervising staff), its provider, its resident. */
export function relationTo(viewer: Viewer, c: StoredCase): CaseRelation {
  if (viewer.role === 'administrator') return 'handler';
  if (viewer.role === 'staff') return staffCovers(viewer, c.regionCode, c.domain) ? 'handler' : null;
  if (viewer.role === 'provider') return viewer.providerUscc === c.providerUscc ? 'provider' : null;
  if (viewer.role === 'resident') return c.accountId === String(viewer.id) ? 'resident' : null;
  return null;
}

/** The store filter that limits a case queue to what the viewer may see. */
export function caseScope(viewer: Viewer): {
  within?: string;
  domains?: string[];
  providerUscc?: string;
  accountId?: string;
} {
  if (viewer.role === 'staff')
    return {
      within: viewer.regionCode ?? undefined,
      domains: viewer.domains.length ? [...viewer.domains] : undefined,
    };
  if (viewer.role === 'provider') return { providerUscc: viewer.providerUscc ?? '(none)' };
  if (viewer.role === 'resident') return { accountId: String(viewer.id) };
  return {};
}

// --- ratings ---

export interface RateInput {
  outletId: string;
  level: RatingLevel;
  tags?: string[];
  text?: string;
  eventId?: string;
  channel?: RatingChannel;
  /** Staff-entered ratings: the resident's phone (the rating is filed under that resident's account). */
  residentPhone?: string;
}

/**
 * The account a staff-entered rating or complaint is filed under: the resident's own when the phone is registered,
 * else the random pseudonym earlier staff entries for that phone used, else a new one. Random, not a hash of the
 * phone: an 11-digit number space is small enough to reverse any unsalted hash of it.
 */
async function accountForPhone(tx: StoreRepositories, phone: string): Promise<string> {
  const profile = await tx.residents.findByPhone(phone);
  if (profile) return String(profile.userId);
  const earlier = (await tx.ratings.all({})).find(
    (r) => r.contactPhone === phone && r.accountId.startsWith('tel-'),
  );
  return earlier?.accountId ?? `tel-${randomBytes(8).toString('hex')}`;
}

interface Submitter {
  accountId: string;
  channel: RatingChannel;
  contactPhone?: string;
  enteredBy: number | null;
}

async function submitter(
  tx: StoreRepositories,
  viewer: Viewer,
  outlet: Outlet,
  channel: RatingChannel | undefined,
  residentPhone: string | undefined,
): Promise<Submitter> {
  if (viewer.role === 'resident') {
    if (channel === 'staff')
      throw new LifeCircleError(
        'LC_INVALID_FIELD',
        'channel: expected web or mobile (staff is for department staff)',
      );
    const profile = await tx.residents.get(viewer.id);
    return {
      accountId: String(viewer.id),
      channel: channel ?? 'web',
      ...(profile ? { contactPhone: profile.phone } : {}),
      enteredBy: null,
    };
  }
  // Staff enter what a resident said by phone or at the counter, inside their own scope only.
  if (viewer.role === 'staff' && !staffCovers(viewer, outlet.regionCode, outlet.domain))
    throw new LifeCircleError(
      'LC_FORBIDDEN',
      `${viewer.department ?? 'staff'} does not supervise outlet ${outlet.facility.code} (${outlet.domain}, ${outlet.regionCode})`,
    );
  if (!residentPhone || !PHONE.test(residentPhone))
    throw new LifeCircleError(
      'LC_INVALID_FIELD',
      'residentPhone: expected the resident’s 11-digit mobile number (staff-entered)',
    );
  return {
    accountId: await accountForPhone(tx, residentPhone),
    channel: 'staff',
    contactPhone: residentPhone,
    enteredBy: viewer.id,
  };
}

async function accountInfos(
  tx: StoreRepositories,
  ratings: readonly StoredRating[],
): Promise<Map<string, AccountInfo>> {
  const accounts = new Map<string, AccountInfo>();
  for (const id of new Set(ratings.map((r) => r.accountId))) {
    if (!/^\d+$/.test(id)) continue;
    const user = await tx.users.get(Number(id));
    if (user) accounts.set(id, { id, createdAt: user.createdAt });
  }
  return accounts;
}

/**
 * Runs the abuse detectors over the recent window with the new rating in it. Every published rating they flag is
 * held (never deleted): the new one before it is stored, earlier ones updated and audited.
 */
async function holdAbusive(
  tx: StoreRepositories,
  rating: StoredRating,
  at: Date,
  viewer: Viewer,
): Promise<StoredRating> {
  const since = new Date(at.getTime() - ABUSE_LOOKBACK_DAYS * 86400_000).toISOString();
  const recent = await tx.ratings.all({ since });
  const all = [...recent, rating];
  const report = detectAbuse(all, await accountInfos(tx, all));
  for (const r of recent) {
    const flags = report.flags.get(r.id);
    if (!flags || r.status !== 'published') continue;
    const held: StoredRating = { ...r, status: 'held', flags: [...flags] };
    await tx.ratings.update(held);
    await audit(tx, viewer, 'update', 'ratings', r.id, { status: r.status }, { status: 'held', flags });
  }
  const flags = report.flags.get(rating.id);
  return flags ? { ...rating, status: 'held', flags: [...flags] } : rating;
}

async function audit(
  tx: StoreRepositories,
  viewer: Viewer,
  action: 'create' | 'update',
  entity: string,
  key: string,
  before: unknown,
  after: unknown,
): Promise<void> {
  const actor = actorOf(viewer);
  await tx.audit.record({
    actorId: actor.userId,
    actorName: actor.name,
    action,
    entity,
    entityKey: key,
    before,
    after,
  });
}

const SYSTEM: CaseActor = { role: 'system', id: 'lifecircle' };

/** Opens a case and assigns it at once to the outlet's supervising department (the system's first step). */
async function openAndAssign(
  tx: StoreRepositories,
  viewer: Viewer,
  origin: StoredCase['origin'],
  outlet: Outlet,
  accountId: string,
  openedAt: string,
): Promise<StoredCase> {
  const departmentId = departmentOf(outlet.domain, outlet.regionCode);
  const opened = openCase({
    id: `case-${randomUUID()}`,
    origin,
    outletId: outlet.facility.code,
    providerUscc: outlet.providerUscc,
    departmentId,
    openedAt,
    actor: SYSTEM,
  });
  const assigned = applyCaseAction(
    opened,
    { type: 'assign', departmentId, note: `assigned to ${departmentId} and provider ${outlet.providerUscc}` },
    SYSTEM,
    openedAt,
  );
  if (!assigned.ok) throw new LifeCircleError('LC_INTERNAL', assigned.message);
  const stored: StoredCase = {
    ...assigned.case,
    regionCode: outlet.regionCode,
    domain: outlet.domain,
    accountId,
  };
  await tx.cases.insert(stored);
  await audit(tx, viewer, 'create', 'cases', stored.id, null, { ...stored, history: undefined });
  return stored;
}

export interface RateResult {
  rating: StoredRating;
  caseId: string | null;
}

export async function rate(store: Store, viewer: Viewer, input: RateInput, now: Clock): Promise<RateResult> {
  const at = now();
  return store.transaction(async (tx) => {
    const outlet = await outletOf(tx, input.outletId);
    const who = await submitter(tx, viewer, outlet, input.channel, input.residentPhone);
    const candidate = {
      id: `rating-${randomUUID()}`,
      accountId: who.accountId,
      outletId: outlet.facility.code,
      providerUscc: outlet.providerUscc,
      serviceType: outlet.facility.typeCode,
      regionCode: outlet.regionCode,
      ...(input.eventId ? { eventId: input.eventId } : {}),
      level: input.level,
      tags: input.tags ?? [],
      text: input.text ?? '',
      channel: who.channel,
      createdAt: at.toISOString(),
      ...(who.contactPhone ? { contactPhone: who.contactPhone } : {}),
    };
    const existing = await tx.ratings.findByKey(ratingKey(candidate));
    const accepted = acceptRating(candidate, new Map(existing ? [[ratingKey(existing), existing.id]] : []));
    if (!accepted.ok) {
      if (accepted.reason === 'invalid') throw invalid(accepted.problems);
      throw new LifeCircleError(
        'LC_CONFLICT',
        input.eventId
          ? `eventId: this account has rated service event ${input.eventId} already (rating ${accepted.existingId})`
          : `outletId: this account has rated outlet ${input.outletId} already (rating ${accepted.existingId}); one rating per outlet and account`,
      );
    }
    const rating = await holdAbusive(
      tx,
      { ...accepted.rating, flags: [], enteredBy: who.enteredBy, moderation: null },
      at,
      viewer,
    );
    await tx.ratings.insert(rating);
    await audit(tx, viewer, 'create', 'ratings', rating.id, null, presentRating(rating, 'department'));
    // A held 差评 still reaches the handler: holding keeps it out of the figures, not out of the workflow.
    const opened = accepted.opensCase
      ? await openAndAssign(
          tx,
          viewer,
          { kind: 'rating', ratingId: rating.id },
          outlet,
          who.accountId,
          rating.createdAt,
        )
      : null;
    return { rating, caseId: opened?.id ?? null };
  });
}

// --- complaints ---

export interface ComplainInput {
  outletId: string;
  category: ComplaintCategory;
  text: string;
  channel?: RatingChannel;
  residentPhone?: string;
  /** Staff only: when the complaint was received (hotline, letter), if before it was keyed in. */
  receivedAt?: string;
}

export async function complain(
  store: Store,
  viewer: Viewer,
  input: ComplainInput,
  now: Clock,
): Promise<{ complaint: Complaint; caseId: string }> {
  const at = now();
  let createdAt = at.toISOString();
  if (input.receivedAt !== undefined) {
    const t = Date.parse(input.receivedAt);
    if (viewer.role !== 'staff' && viewer.role !== 'administrator')
      throw new LifeCircleError(
        'LC_INVALID_FIELD',
        'receivedAt: only staff enter the date a complaint was received',
      );
    if (Number.isNaN(t) || t > at.getTime() || t < at.getTime() - MAX_BACKDATE_DAYS * 86400_000)
      throw new LifeCircleError(
        'LC_INVALID_FIELD',
        `receivedAt: expected an ISO date-time within the last ${MAX_BACKDATE_DAYS} days, got ${JSON.stringify(input.receivedAt)}`,
      );
    createdAt = new Date(t).toISOString();
  }
  return store.transaction(async (tx) => {
    const outlet = await outletOf(tx, input.outletId);
    const who = await submitter(tx, viewer, outlet, input.channel, input.residentPhone);
    const complaint: Complaint = {
      id: `complaint-${randomUUID()}`,
      accountId: who.accountId,
      providerUscc: outlet.providerUscc,
      outletId: outlet.facility.code,
      serviceType: outlet.facility.typeCode,
      regionCode: outlet.regionCode,
      category: input.category,
      text: input.text,
      channel: who.channel,
      createdAt,
      ...(who.contactPhone ? { contactPhone: who.contactPhone } : {}),
    };
    const problems = validateComplaint(complaint);
    if (problems.length) throw invalid(problems);
    await tx.complaints.insert(complaint);
    await audit(
      tx,
      viewer,
      'create',
      'complaints',
      complaint.id,
      null,
      presentComplaint(complaint, 'department'),
    );
    const opened = await openAndAssign(
      tx,
      viewer,
      { kind: 'complaint', complaintId: complaint.id },
      outlet,
      who.accountId,
      createdAt,
    );
    return { complaint, caseId: opened.id };
  });
}

// --- case actions ---

/** The body of POST /api/cases/:id/actions: one action of the state machine in src/supervision/cases.ts. */
export interface ActionInput {
  type: CaseAction['type'];
  note?: string;
  resolution?: 'immediate' | 'rectify' | 'explain';
  residentReached?: boolean;
  satisfied?: boolean;
  ground?: 'mistaken' | 'malicious';
  decision?: 'upheld' | 'rejected';
  departmentId?: string;
}

function need<T>(value: T | undefined, field: string, expected: string): T {
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === ''))
    throw new LifeCircleError(
      'LC_USAGE',
      `body/${field}: the ${String(value === undefined ? 'field is missing' : 'value is empty')}; expected ${expected}`,
    );
  return value;
}

/** Turns the flat request body into the domain's CaseAction, naming the field a given action lacks. */
export function toCaseAction(b: ActionInput): CaseAction {
  const note = () => need(b.note, 'note', 'a text');
  switch (b.type) {
    case 'assign':
      return {
        type: 'assign',
        ...(b.departmentId ? { departmentId: b.departmentId } : {}),
        ...(b.note ? { note: b.note } : {}),
      };
    case 'reply':
      return {
        type: 'reply',
        resolution: need(b.resolution, 'resolution', 'immediate, rectify or explain'),
        note: note(),
      };
    case 'report-rectified':
      return { type: 'report-rectified', note: note() };
    case 'follow-up':
      return {
        type: 'follow-up',
        residentReached: need(b.residentReached, 'residentReached', 'true or false'),
        note: note(),
      };
    case 'confirm':
      return {
        type: 'confirm',
        satisfied: need(b.satisfied, 'satisfied', 'true or false'),
        ...(b.note ? { note: b.note } : {}),
      };
    case 'close-unconfirmed':
      return { type: 'close-unconfirmed', note: note() };
    case 'appeal':
      return { type: 'appeal', ground: need(b.ground, 'ground', 'mistaken or malicious'), note: note() };
    case 'review':
      return { type: 'review', decision: need(b.decision, 'decision', 'upheld or rejected'), note: note() };
    case 'escalate':
      return { type: 'escalate', ...(b.note ? { note: b.note } : {}) };
  }
}

const ACTOR_ROLE: Record<Exclude<CaseRelation, null>, CaseActor['role']> = {
  handler: 'department',
  provider: 'provider',
  resident: 'resident',
};

export async function actOnCase(
  store: Store,
  viewer: Viewer,
  id: string,
  body: ActionInput,
  now: Clock,
): Promise<StoredCase> {
  const action = toCaseAction(body);
  const at = now().toISOString();
  return store.transaction(async (tx) => {
    const c = await visibleCase(tx, viewer, id);
    const relation = relationTo(viewer, c) as Exclude<CaseRelation, null>;
    const result = applyCaseAction(c, action, { role: ACTOR_ROLE[relation], id: viewer.username }, at);
    if (!result.ok) throw new LifeCircleError('LC_CASE_TRANSITION', result.message);
    const next: StoredCase = {
      ...result.case,
      regionCode: c.regionCode,
      domain: c.domain,
      accountId: c.accountId,
    };
    await tx.cases.update(next);
    await audit(
      tx,
      viewer,
      'update',
      'cases',
      id,
      { state: c.state, escalationLevel: c.escalationLevel },
      {
        state: next.state,
        escalationLevel: next.escalationLevel,
        event: next.history[next.history.length - 1],
      },
    );
    // An appeal upheld on review invalidates the rating: it leaves every figure but stays in the store.
    if (next.outcome === 'rating-invalidated' && c.origin.kind === 'rating') {
      const rating = await tx.ratings.get(c.origin.ratingId);
      if (rating && rating.status !== 'invalidated') {
        await tx.ratings.update({ ...rating, status: 'invalidated' });
        await audit(
          tx,
          viewer,
          'update',
          'ratings',
          rating.id,
          { status: rating.status },
          { status: 'invalidated', case: id },
        );
      }
    }
    // A case closed after the provider had to act is an upheld complaint (投诉属实): a credit record of the
    // provider, so its class is recomputed (and a 普惠 certification revoked if due) in this same transaction.
    if (c.state !== 'closed' && next.state === 'closed') {
      const authority =
        viewer.role === 'staff' && viewer.department
          ? viewer.department
          : departmentOf(c.domain, c.regionCode);
      const record = upheldComplaintRecord(next, authority);
      if (record) await recordCredit(tx, record, actorOf(viewer), beijingDate(at));
    }
    return next;
  });
}

export async function visibleCase(tx: StoreRepositories, viewer: Viewer, id: string): Promise<StoredCase> {
  const c = await tx.cases.get(id);
  // A case outside the viewer's scope answers as if it did not exist: its id says nothing to others.
  if (!c || relationTo(viewer, c) === null)
    throw new LifeCircleError('LC_NOT_FOUND', `case ${id} does not exist`);
  return c;
}

// --- presenting ---

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

/** A case as a viewer sees it: the queue row fields, and with `detail` the history and the rating or complaint. */
export async function presentCase(
  tx: StoreRepositories,
  viewer: Viewer,
  c: StoredCase,
  at: Date,
  detail: boolean,
): Promise<Record<string, unknown>> {
  const relation = relationTo(viewer, c);
  const base = {
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
  };
  const facility = await tx.facilities.get(c.outletId);
  // OSM outlets often have no name: fall back to the type's name and the code, never an empty cell.
  const type = facility && !facility.name ? await tx.facilityTypes.get(facility.typeCode) : null;
  const outletName = facility?.name || `${type?.nameZh ?? ''} ${c.outletId}`.trim();
  const withName = { ...base, outletName };
  if (!detail) return withName;
  // Only the handler (administrator or the supervising department) sees the resident's phone in full.
  const ratingViewer: RatingViewer =
    relation === 'handler' ? 'handler' : relation === 'provider' ? 'provider' : 'department';
  let origin: unknown = null;
  if (c.origin.kind === 'rating') {
    const r = await tx.ratings.get(c.origin.ratingId);
    origin = r
      ? { ...presentRating(r, ratingViewer), flags: relation === 'handler' ? r.flags : undefined }
      : null;
  } else {
    const complaint = await tx.complaints.get(c.origin.complaintId);
    origin = complaint ? presentComplaint(complaint, relation === 'handler' ? 'handler' : 'provider') : null;
  }
  return { ...withName, origin, history: c.history, deadline: c.deadline };
}

// --- credit ---

/**
 * Closed cases in which the provider had to act (立行立改 or 限期整改), as credit records of the provider
 * (`upheldComplaintRecord`). The case history keeps the event; the credit module decides what to do with it.
 */
export async function upheldCaseCreditRecords(store: Store, authority: string): Promise<CreditRecord[]> {
  const records: CreditRecord[] = [];
  for (let offset = 0; ; offset += 1000) {
    const page = await store.cases.list({ state: 'closed', limit: 1000, offset });
    for (const c of page.items) {
      const record = upheldComplaintRecord(c, authority);
      if (record) records.push(record);
    }
    if (offset + page.items.length >= page.total || page.items.length === 0) break;
  }
  return records;
}
