import { MAINLAND_MOBILE, maskPhone } from '../accounts/index.js';
import { covers, type Viewer } from '../policy/index.js';
import type { StoredRating } from '../store/index.js';
import { isRatingLevel, ratingLevelRule, type RatingLevel } from './rules.js';
import { ratingRecord } from './scope.js';

/** Where a rating was given: the resident's web or mobile page, or entered by staff on the resident's behalf. */
export type RatingChannel = 'web' | 'mobile' | 'staff';
export const RATING_CHANNELS: readonly RatingChannel[] = ['web', 'mobile', 'staff'];

/** Review state of a rating: flagged ratings are held for review (never deleted) and leave the aggregates. */
export type RatingStatus = 'published' | 'held' | 'invalidated';

export interface Rating {
  readonly id: string;
  /** Pseudonymous account of the resident (never a name or phone number). */
  readonly accountId: string;
  readonly outletId: string;
  /** The provider's 统一社会信用代码, an opaque 18-character key here. */
  readonly providerUscc: string | null;
  /** Service type of the outlet (e.g. elderly-care, childcare, housekeeping). */
  readonly serviceType: string;
  /** Region code of the outlet: 区县 6, 街道 9 or 社区 12 digits. */
  readonly regionCode: string;
  /** The service event rated; absent for a rating of the outlet as a whole. */
  readonly eventId?: string;
  readonly level: RatingLevel;
  readonly tags: readonly string[];
  readonly text: string;
  readonly channel: RatingChannel;
  /** ISO instant. */
  readonly createdAt: string;
  readonly status: RatingStatus;
  /** The resident's phone for the 回访 follow-up; shown in full to the case handler only. */
  readonly contactPhone?: string;
}

export type RatingInput = Omit<Rating, 'status'>;

/**
 * The tags a resident picks from (what the rating is about), stored as codes so that every page words them in its
 * own language and aggregates count one spelling. A resident may still write a tag of their own: it is kept as
 * written, like the rating's text. A Chinese label (what the residents' page stored before codes, or an import
 * gives) is read as its code.
 */
export const RATING_TAGS = [
  { code: 'attitude', zh: '服务态度', en: 'Attitude' },
  { code: 'quality', zh: '服务质量', en: 'Quality' },
  { code: 'price', zh: '价格', en: 'Price' },
  { code: 'hygiene', zh: '环境卫生', en: 'Hygiene' },
  { code: 'waiting', zh: '等待时间', en: 'Waiting time' },
] as const;
export type RatingTagCode = (typeof RATING_TAGS)[number]['code'];

/** A tag as stored: the vocabulary's code for a code or a Chinese label of it, else the resident's own words. */
export function normaliseRatingTag(tag: string): string {
  const text = tag.trim();
  return RATING_TAGS.find((t) => t.code === text || t.zh === text)?.code ?? text;
}

export interface FieldProblem {
  readonly field: string;
  readonly expected: string;
  readonly got: string;
}

const MAX_TEXT = 1000;

type Need = (field: string, ok: boolean, expected: string) => void;

/** Collects field problems of an input; `need(field, ok, expected)` records one when `ok` is false. */
export function fieldProblems<T extends object>(input: Partial<T>): { problems: FieldProblem[]; need: Need } {
  const problems: FieldProblem[] = [];
  const need: Need = (field, ok, expected) => {
    if (!ok) problems.push({ field, expected, got: JSON.stringify(input[field as keyof T] ?? null) });
  };
  return { problems, need };
}

export const isNonEmpty = (v: unknown): boolean => typeof v === 'string' && v.trim() !== '';

/** The checks a rating and a complaint share: who is concerned (provider, service, region). */
export function checkConcerned(
  input: { providerUscc?: string | null; serviceType?: string; regionCode?: string },
  need: Need,
): void {
  // null: the outlet has no registered provider yet; it is rated all the same.
  need(
    'providerUscc',
    input.providerUscc === null ||
      (typeof input.providerUscc === 'string' && input.providerUscc.length === 18),
    'an 18-character 统一社会信用代码, or null when the outlet has no registered provider',
  );
  need('serviceType', isNonEmpty(input.serviceType), 'a service type');
  need(
    'regionCode',
    typeof input.regionCode === 'string' && /^\d{6}(\d{3}(\d{3})?)?$/.test(input.regionCode),
    'a 6, 9 or 12-digit region code',
  );
}

/** The checks a rating and a complaint share: how and when it was submitted, and the optional phone. */
export function checkSubmission(
  input: { channel?: RatingChannel; createdAt?: string; contactPhone?: string },
  need: Need,
): void {
  need('channel', RATING_CHANNELS.includes(input.channel as RatingChannel), 'web, mobile or staff');
  need(
    'createdAt',
    typeof input.createdAt === 'string' && !Number.isNaN(Date.parse(input.createdAt)),
    'an ISO date-time',
  );
  if (input.contactPhone !== undefined)
    need('contactPhone', MAINLAND_MOBILE.test(input.contactPhone), 'an 11-digit mainland mobile number');
}

/** Field-level problems of a rating input; empty when it is valid. */
export function validateRating(input: Partial<RatingInput>): FieldProblem[] {
  const { problems, need } = fieldProblems(input);
  need('id', isNonEmpty(input.id), 'a non-empty id');
  need('accountId', isNonEmpty(input.accountId), 'a pseudonymous account id');
  need('outletId', isNonEmpty(input.outletId), 'an outlet id');
  checkConcerned(input, need);
  need(
    'level',
    isRatingLevel(input.level),
    'one of very_satisfied, satisfied, basically_satisfied, dissatisfied, very_dissatisfied',
  );
  need('tags', Array.isArray(input.tags) && input.tags.every((t) => typeof t === 'string'), 'a list of tags');
  need(
    'text',
    typeof input.text === 'string' && input.text.length <= MAX_TEXT,
    `text of at most ${MAX_TEXT} characters`,
  );
  checkSubmission(input, need);
  return problems;
}

/**
 * The uniqueness key: one rating per service event and account, or per outlet and account without an event.
 * Parts are joined by U+001F (unit separator), which no id contains; not NUL, which PostgreSQL's text refuses.
 */
export function ratingKey(r: Pick<Rating, 'accountId' | 'outletId' | 'eventId'>): string {
  return r.eventId !== undefined
    ? `event\u001f${r.eventId}\u001f${r.accountId}`
    : `outlet\u001f${r.outletId}\u001f${r.accountId}`;
}

export type AcceptRatingResult =
  | { readonly ok: true; readonly rating: Rating; readonly opensCase: boolean }
  | { readonly ok: false; readonly reason: 'invalid'; readonly problems: FieldProblem[] }
  | { readonly ok: false; readonly reason: 'duplicate'; readonly existingId: string };

/**
 * Accept a new rating against the keys already taken (ratingKey → rating id). A bad rating (不满意, 非常不满意)
 * opens a case. The caller stores the rating and adds its key.
 */
export function acceptRating(
  input: Partial<RatingInput>,
  taken: ReadonlyMap<string, string>,
): AcceptRatingResult {
  const problems = validateRating(input);
  if (problems.length > 0) return { ok: false, reason: 'invalid', problems };
  const valid = input as RatingInput;
  const existingId = taken.get(ratingKey(valid));
  if (existingId !== undefined) return { ok: false, reason: 'duplicate', existingId };
  const tags = [...new Set(valid.tags.map(normaliseRatingTag))].filter((t) => t !== '');
  const rating: Rating = { ...valid, tags, status: 'published' };
  return { ok: true, rating, opensCase: ratingLevelRule(valid.level).bad };
}

/** 138****5678 (src/accounts, the one mask of a phone number). */
export { maskPhone };

const PHONE_IN_TEXT = /(?<!\d)1\d{2}[\s-]?\d{4}[\s-]?\d{4}(?!\d)/g;

/** Masks mainland mobile numbers a resident typed into free text. */
export function maskPhonesInText(text: string): string {
  return text.replace(PHONE_IN_TEXT, (m) => maskPhone(m));
}

/** Who looks at a rating: only the case handler sees the resident's phone in full. */
export type RatingViewer = 'handler' | 'department' | 'provider' | 'public';

/** A rating as the public sees it: no account, no phone, phone numbers in the text masked. */
export interface PublicRatingView {
  readonly id: string;
  readonly outletId: string;
  readonly level: RatingLevel;
  readonly levelZh: string;
  readonly levelEn: string;
  readonly tags: readonly string[];
  readonly text: string;
  readonly channel: RatingChannel;
  readonly createdAt: string;
  readonly status: RatingStatus;
}

/** A rating as the handler, the department or the provider sees it: with the account and the phone, if any. */
export interface AccountRatingView extends PublicRatingView {
  /** Pseudonymous account. */
  readonly accountId: string;
  /** In full for the handler only, masked for everyone else. */
  readonly contactPhone?: string;
}

export type RatingView = PublicRatingView | AccountRatingView;

/** The one presenter for ratings (STYLE habit 14): phone numbers are masked in every view but the handler's. */
export function presentRating(rating: Rating, viewer: 'public'): PublicRatingView;
export function presentRating(rating: Rating, viewer: Exclude<RatingViewer, 'public'>): AccountRatingView;
export function presentRating(rating: Rating, viewer: RatingViewer): RatingView;
export function presentRating(rating: Rating, viewer: RatingViewer): RatingView {
  const handler = viewer === 'handler';
  return {
    id: rating.id,
    outletId: rating.outletId,
    level: rating.level,
    levelZh: ratingLevelRule(rating.level).zh,
    levelEn: ratingLevelRule(rating.level).en,
    tags: rating.tags.map(normaliseRatingTag),
    text: handler ? rating.text : maskPhonesInText(rating.text),
    channel: rating.channel,
    createdAt: rating.createdAt,
    status: rating.status,
    ...(viewer === 'public' ? {} : { accountId: rating.accountId }),
    ...(rating.contactPhone === undefined || viewer === 'public'
      ? {}
      : { contactPhone: handler ? rating.contactPhone : maskPhone(rating.contactPhone) }),
  };
}

/**
 * How a viewer sees a rating outside a case: the supervising roles see the account, the provider of the rating (in
 * its scope) its own view, everyone else the public view.
 */
export function ratingViewerOf(viewer: Viewer, r: StoredRating): RatingViewer {
  if (viewer.role === 'administrator' || viewer.role === 'staff' || viewer.role === 'inspector')
    return 'department';
  if (viewer.role === 'provider' && covers(viewer, ratingRecord(r, undefined))) return 'provider';
  return 'public';
}
