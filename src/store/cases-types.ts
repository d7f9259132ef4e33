/**
 * Stored shapes of 好差评 ratings, complaints and cases (migration 5). The domain types come from src/supervision
 * and are persisted as they are; the store adds only what the platform needs around them (who entered a rating,
 * why it was held, the resident's account, the scope columns a queue is filtered by).
 */
import type {
  AbuseFlag,
  AbuseNeighbourhood,
  Case,
  CaseEvent,
  CaseState,
  Complaint,
  Rating,
  RatingStatus,
} from '../supervision/index.js';
import type { Page, PageQuery } from './types.js';

/** A resident's pseudonymous account (users.role = 'resident') and the phone it registered with. */
export interface ResidentProfile {
  userId: number;
  /** Personal data: shown in full only to the case handler. */
  phone: string;
  createdAt: string;
}

/** A review decision on a held rating: it is released (published again) or rejected (invalidated), never deleted. */
export interface RatingModeration {
  decision: 'release' | 'reject';
  by: string;
  at: string;
  note: string;
}

export interface StoredRating extends Rating {
  /** Why the abuse detectors held it; empty when published straight away. */
  flags: AbuseFlag[];
  /** The staff user who entered it on the resident's behalf (channel 'staff'), else null. */
  enteredBy: number | null;
  moderation: RatingModeration | null;
}

export interface RatingFilter extends PageQuery {
  outletId?: string;
  providerUscc?: string;
  /** Region code prefix. */
  within?: string;
  status?: RatingStatus;
  accountId?: string;
  /** Only ratings created at or after this instant. */
  since?: string;
}

export interface ComplaintFilter extends PageQuery {
  accountId?: string;
  providerUscc?: string;
}

/** The columns a case queue is scoped by, kept beside the domain case. */
export interface CaseScope {
  /** Region code of the outlet. */
  regionCode: string;
  /** Service domain of the outlet's type (the supervising department's responsibility). */
  domain: string;
  /** The resident account that rated or complained (user id as text, or a staff-entered pseudonym). */
  accountId: string;
}

export interface StoredCase extends Case, CaseScope {}

export interface CaseFilter extends PageQuery {
  state?: CaseState;
  /** Leave out closed cases. */
  open?: boolean;
  providerUscc?: string;
  within?: string;
  domains?: string[];
  accountId?: string;
}

export interface ResidentRepository {
  create(profile: ResidentProfile): Promise<void>;
  get(userId: number): Promise<ResidentProfile | null>;
  findByPhone(phone: string): Promise<ResidentProfile | null>;
}

export interface RatingRepository {
  insert(rating: StoredRating): Promise<void>;
  get(id: string): Promise<StoredRating | null>;
  /** The rating holding a uniqueness key (`ratingKey`), if any. */
  findByKey(key: string): Promise<StoredRating | null>;
  list(filter?: RatingFilter): Promise<Page<StoredRating>>;
  /** Every rating matching the filter, unpaged (aggregates need them all). */
  all(filter?: Omit<RatingFilter, 'limit' | 'offset'>): Promise<StoredRating[]>;
  /**
   * The ratings a new rating's abuse check reads (src/supervision `abuseNeighbourhood`): since the window start,
   * those of the account or the outlet, long texts when asked, and the window's first and last counted rating.
   */
  abuseNeighbourhood(n: AbuseNeighbourhood): Promise<StoredRating[]>;
  /** The account of the earliest staff-entered rating (`tel-…`) given with this phone number, if any. */
  phoneAccount(phone: string): Promise<string | null>;
  /** Changes status, flags and moderation; returns the rating before, or null when there is none. */
  update(rating: StoredRating): Promise<StoredRating | null>;
  /**
   * Published ratings counted by level, per outlet (only the outlets named) and in total — what the Bayesian
   * aggregates need, counted by the store instead of read row by row.
   */
  publishedLevelCounts(outletIds: readonly string[]): Promise<{
    byOutlet: Map<string, Record<string, number>>;
    total: Record<string, number>;
  }>;
}

export interface ComplaintRepository {
  insert(complaint: Complaint): Promise<void>;
  get(id: string): Promise<Complaint | null>;
  list(filter?: ComplaintFilter): Promise<Page<Complaint>>;
}

export interface CaseRepository {
  insert(c: StoredCase): Promise<void>;
  get(id: string): Promise<StoredCase | null>;
  /** Saves the new state and appends the events the stored case does not have yet; returns the case before. */
  update(c: StoredCase): Promise<StoredCase | null>;
  list(filter?: CaseFilter): Promise<Page<StoredCase>>;
  /** Every event of a case, oldest first. */
  history(id: string): Promise<CaseEvent[]>;
}
