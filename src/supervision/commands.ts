/**
 * 好差评 writes: rate, complain, act on a case, moderate a held rating, register a resident. Each command is
 * validate → policy (the role check of its permission, then the one scope rule `requireCovers`) → one
 * `store.transaction` → `recordAudit` of every record it changes (docs/architecture.md, "The write path").
 * The API (src/server/route-cases.ts) and any other caller go through these.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { MAINLAND_MOBILE as PHONE, hashPassword, userRecord } from '../accounts/index.js';
import { actorOf, recordAudit } from '../audit/index.js';
import { LifeCircleError } from '../errors.js';
import { covers, defineCommand, requireCovers, type Viewer } from '../policy/index.js';
import type { StoreRepositories, StoredCase, StoredRating, User } from '../store/index.js';
import { beijingDate } from '../time/index.js';
import { abuseNeighbourhood, detectAbuse, type AccountInfo } from './abuse.js';
import {
  applyCaseAction,
  openCase,
  upheldComplaintRecord,
  type Actor as CaseActor,
  type CaseAction,
} from './cases.js';
import { presentComplaint, validateComplaint, type Complaint, type ComplaintCategory } from './complaints.js';
import { recordCreditIn } from './credit-commands.js';
import { acceptRating, presentRating, ratingKey, type FieldProblem, type RatingChannel } from './ratings.js';
import type { RatingLevel } from './rules.js';
import { departmentOf, outletRecord, ratingRecord, relationTo, type CaseRelation } from './scope.js';
import { visibleCase } from './queries.js';

/** How far back the abuse detectors look when a rating arrives (their longest window plus baseline). */
const ABUSE_LOOKBACK_DAYS = 90;
/** A staff-entered complaint may be dated back this far (received by hotline or letter before it was keyed in). */
const MAX_BACKDATE_DAYS = 366;

function invalid(problems: FieldProblem[]): LifeCircleError {
  const text = problems.map((p) => `${p.field}: expected ${p.expected}, got ${p.got}`).join('; ');
  return new LifeCircleError('LC_INVALID_FIELD', text, { details: problems });
}

// --- residents ---

export interface RegisterResidentInput {
  phone: string;
  password: string;
}

/**
 * Registers a pseudonymous resident account: the user name is random (居民-xxxxxxxx), the phone is kept only in
 * resident_profiles for the case handler's 回访. No SMS code is sent at run time (see docs/api.md). Audited as the
 * new account itself; the phone stays out of the audit log (read by administrators, the phone only by handlers).
 */
export const registerResident = defineCommand<RegisterResidentInput, User>({
  name: 'residents.register',
  permission: 'residents.register',
  async run(deps, _viewer, { phone, password }) {
    if (!PHONE.test(phone))
      throw new LifeCircleError(
        'LC_INVALID_FIELD',
        `phone: expected an 11-digit mainland mobile number, got ${JSON.stringify(phone)}`,
      );
    if (password.length < 10)
      throw new LifeCircleError('LC_INVALID_FIELD', 'password: expected at least 10 characters');
    const passwordHash = await hashPassword(password);
    return deps.store.transaction(async (tx) => {
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
      await tx.residents.create({ userId: user.id, phone, createdAt: deps.clock().toISOString() });
      await recordAudit(tx, actorOf(user), {
        action: 'create',
        entity: 'users',
        key: username,
        after: { ...userRecord(user), residentProfile: true },
      });
      return user;
    });
  },
});

// --- outlets and who submits ---

interface Outlet {
  code: string;
  typeCode: string;
  /** null: no operator registered yet; residents rate the outlet all the same (issue 14). */
  providerUscc: string | null;
  regionCode: string;
  domain: string;
  /** Whether the outlet's type (and so its domain) is known. */
  typeKnown: boolean;
}

async function outletOf(tx: StoreRepositories, code: string, field = 'outletId'): Promise<Outlet> {
  const facility = await tx.facilities.get(code);
  if (!facility) throw new LifeCircleError('LC_NOT_FOUND', `${field}: outlet ${code} is not in the register`);
  if (!facility.regionCode)
    throw new LifeCircleError('LC_INVALID_FIELD', `${field}: outlet ${code} has no region code`);
  const type = await tx.facilityTypes.get(facility.typeCode);
  return {
    code: facility.code,
    typeCode: facility.typeCode,
    providerUscc: facility.providerUscc,
    regionCode: facility.regionCode,
    domain: type?.domain ?? 'unknown',
    typeKnown: type !== null && type !== undefined,
  };
}

/**
 * The account a staff-entered rating or complaint is filed under: the resident's own when the phone is registered,
 * else the random pseudonym earlier staff entries for that phone used, else a new one. Random, not a hash of the
 * phone: an 11-digit number space is small enough to reverse any unsalted hash of it.
 */
async function accountForPhone(tx: StoreRepositories, phone: string): Promise<string> {
  const profile = await tx.residents.findByPhone(phone);
  if (profile) return String(profile.userId);
  return (await tx.ratings.phoneAccount(phone)) ?? `tel-${randomBytes(8).toString('hex')}`;
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
  requireCovers(
    viewer,
    outletRecord(
      outlet.code,
      outlet.regionCode,
      outlet.typeKnown ? outlet.domain : null,
      outlet.providerUscc,
    ),
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
  // Only what the new rating can share a pattern with (and the window's ends): same verdict, bounded reads.
  const recent = await tx.ratings.abuseNeighbourhood(abuseNeighbourhood(rating, since));
  const all = [...recent, rating];
  const report = detectAbuse(all, await accountInfos(tx, all));
  for (const r of recent) {
    const flags = report.flags.get(r.id);
    if (!flags || r.status !== 'published') continue;
    const held: StoredRating = { ...r, status: 'held', flags: [...flags] };
    await tx.ratings.update(held);
    await recordAudit(tx, actorOf(viewer), {
      action: 'update',
      entity: 'ratings',
      key: r.id,
      before: { status: r.status },
      after: { status: 'held', flags },
    });
  }
  const flags = report.flags.get(rating.id);
  return flags ? { ...rating, status: 'held', flags: [...flags] } : rating;
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
    outletId: outlet.code,
    providerUscc: outlet.providerUscc,
    departmentId,
    openedAt,
    actor: SYSTEM,
  });
  const assigned = applyCaseAction(
    opened,
    // No note: the event, the case's department and provider say it all, and the dashboard words them in the
    // reader's language (a system sentence stored here would show in one language only).
    { type: 'assign', departmentId },
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
  await recordAudit(tx, actorOf(viewer), {
    action: 'create',
    entity: 'cases',
    key: stored.id,
    after: { ...stored, history: undefined },
  });
  return stored;
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

export interface RateResult {
  rating: StoredRating;
  caseId: string | null;
}

/** 好差评: one rating per service event (or outlet) and account; a 差评 opens a case; abuse is held, not dropped. */
export const rate = defineCommand<RateInput, RateResult>({
  name: 'ratings.rate',
  permission: 'ratings.create',
  async run(deps, viewer, input) {
    const at = deps.clock();
    return deps.store.transaction(async (tx) => {
      const outlet = await outletOf(tx, input.outletId);
      const who = await submitter(tx, viewer, outlet, input.channel, input.residentPhone);
      const candidate = {
        id: `rating-${randomUUID()}`,
        accountId: who.accountId,
        outletId: outlet.code,
        providerUscc: outlet.providerUscc,
        serviceType: outlet.typeCode,
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
      await recordAudit(tx, actorOf(viewer), {
        action: 'create',
        entity: 'ratings',
        key: rating.id,
        after: presentRating(rating, 'department'),
      });
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
  },
});

export interface ModerateInput {
  id: string;
  decision: 'release' | 'reject';
  note: string;
}

/** Releases a held rating (published again) or rejects it (invalidated); nothing is deleted. */
export const moderateRating = defineCommand<ModerateInput, StoredRating>({
  name: 'ratings.moderate',
  permission: 'ratings.moderate',
  async run(deps, viewer, { id, decision, note }) {
    return deps.store.transaction(async (tx) => {
      const r = await tx.ratings.get(id);
      const type = r ? await tx.facilityTypes.get(r.serviceType) : null;
      // A rating outside the viewer's scope answers as if it did not exist.
      if (!r || !covers(viewer, ratingRecord(r, type?.domain)))
        throw new LifeCircleError('LC_NOT_FOUND', `rating ${id} does not exist`);
      if (r.status !== 'held')
        throw new LifeCircleError(
          'LC_RATING_STATE',
          `rating ${id} is ${r.status}; only held ratings are released or rejected`,
        );
      const next: StoredRating = {
        ...r,
        status: decision === 'release' ? 'published' : 'invalidated',
        moderation: { decision, note, by: viewer.username, at: deps.clock().toISOString() },
      };
      await tx.ratings.update(next);
      await recordAudit(tx, actorOf(viewer), {
        action: 'update',
        entity: 'ratings',
        key: id,
        before: { status: r.status },
        after: { status: next.status, moderation: next.moderation },
      });
      return next;
    });
  },
});

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

/** 投诉: stores the complaint and opens a case assigned to the provider and its supervising department. */
export const complain = defineCommand<ComplainInput, { complaint: Complaint; caseId: string }>({
  name: 'complaints.file',
  permission: 'complaints.create',
  async run(deps, viewer, input) {
    const at = deps.clock();
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
    return deps.store.transaction(async (tx) => {
      const outlet = await outletOf(tx, input.outletId);
      const who = await submitter(tx, viewer, outlet, input.channel, input.residentPhone);
      const complaint: Complaint = {
        id: `complaint-${randomUUID()}`,
        accountId: who.accountId,
        providerUscc: outlet.providerUscc,
        outletId: outlet.code,
        serviceType: outlet.typeCode,
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
      await recordAudit(tx, actorOf(viewer), {
        action: 'create',
        entity: 'complaints',
        key: complaint.id,
        after: presentComplaint(complaint, 'department'),
      });
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
  },
});

// --- case actions ---

/** The body of POST /api/cases/:id/actions: one action of the state machine in cases.ts. */
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

/**
 * One step of the case workflow, by whoever stands to the case (handler, provider, resident). A case closed after
 * the provider had to act becomes an upheld-complaint credit record of the provider in the same transaction.
 */
export const actOnCase = defineCommand<{ id: string } & ActionInput, StoredCase>({
  name: 'cases.act',
  permission: 'cases.act',
  async run(deps, viewer, { id, ...body }) {
    const action = toCaseAction(body);
    const at = deps.clock().toISOString();
    const actor = actorOf(viewer);
    return deps.store.transaction(async (tx) => {
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
      await recordAudit(tx, actor, {
        action: 'update',
        entity: 'cases',
        key: id,
        before: { state: c.state, escalationLevel: c.escalationLevel },
        after: {
          state: next.state,
          escalationLevel: next.escalationLevel,
          event: next.history[next.history.length - 1],
        },
      });
      // An appeal upheld on review invalidates the rating: it leaves every figure but stays in the store.
      if (next.outcome === 'rating-invalidated' && c.origin.kind === 'rating') {
        const rating = await tx.ratings.get(c.origin.ratingId);
        if (rating && rating.status !== 'invalidated') {
          await tx.ratings.update({ ...rating, status: 'invalidated' });
          await recordAudit(tx, actor, {
            action: 'update',
            entity: 'ratings',
            key: rating.id,
            before: { status: rating.status },
            after: { status: 'invalidated', case: id },
          });
        }
      }
      // A case closed after the provider had to act is an upheld complaint (投诉属实): a credit record of the
      // provider, so its class is recomputed (and a 普惠 certification revoked if due) in this same transaction.
      if (c.state !== 'closed' && next.state === 'closed') {
        const authority =
          viewer.role === 'staff' && viewer.department
            ? viewer.department
            : departmentOf(c.domain, c.regionCode);
        // A provider registered since the case opened answers for it now (credit attaches when one is).
        const uscc = next.providerUscc ?? (await tx.facilities.get(next.outletId))?.providerUscc ?? null;
        const record = upheldComplaintRecord(next, authority, uscc);
        if (record) await recordCreditIn(tx, record, actor, beijingDate(at));
      }
      return next;
    });
  },
});
