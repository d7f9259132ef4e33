import type {
  Candidate,
  Certification,
  CertificationState,
  CreditClassification,
  CreditRecord,
  DrawConfig,
  DrawResult,
  InspectionResult,
  Inspector,
} from '../supervision/index.js';
import type { Page, PageQuery, ServiceDomain } from './types.js';

/**
 * Persistence of the credit, 双随机 and 普惠 domain (src/supervision). The domain values are stored as they are,
 * so the store adds only what the platform needs around them: who and when, the published flag, ids.
 */

/** Which providers a draw took its candidates from. */
export interface DrawScope {
  /** Division code prefix (e.g. 510104 锦江区). */
  regionCode: string;
  domain: ServiceDomain | null;
}

/** A 双随机 draw as published: the seed, both lists and the configuration are enough to re-run it. */
export interface StoredDraw {
  id: string;
  seed: string;
  scope: DrawScope;
  candidates: Candidate[];
  inspectors: Inspector[] | null;
  config: DrawConfig;
  result: DrawResult;
  published: boolean;
  publishedAt: string | null;
  createdAt: string;
  createdBy: string;
}

export type NewDraw = Omit<StoredDraw, 'id' | 'published' | 'publishedAt' | 'createdAt'>;

/** A listing row: the lists and the result are left out (they can be large). */
export type DrawSummary = Omit<StoredDraw, 'candidates' | 'inspectors' | 'result'> & {
  candidateCount: number;
  targetCount: number;
};

export interface DrawFilter extends PageQuery {
  published?: boolean;
}

export interface StoredInspectionResult extends InspectionResult {
  createdAt: string;
  createdBy: string;
}

export interface CertificationFilter {
  state?: CertificationState;
  providerUscc?: string;
  outletId?: string;
}

export interface CreditRepository {
  /** The provider's credit records, oldest first. */
  listRecords(uscc: string): Promise<CreditRecord[]>;
  /** One page of the provider's credit records, oldest first. */
  recordPage(uscc: string, page?: PageQuery): Promise<Page<CreditRecord>>;
  getRecord(id: string): Promise<CreditRecord | null>;
  /** Inserts or replaces a record by id; returns the previous one, or null when new. */
  putRecord(record: CreditRecord, by: string): Promise<CreditRecord | null>;
  getClass(uscc: string): Promise<CreditClassification | null>;
  /** Stores the provider's current class; returns the previous one. */
  putClass(classification: CreditClassification): Promise<CreditClassification | null>;
  /** Current classes of these providers (all when omitted). */
  classes(usccs?: readonly string[]): Promise<Map<string, CreditClassification>>;

  createDraw(draw: NewDraw): Promise<StoredDraw>;
  getDraw(id: string): Promise<StoredDraw | null>;
  /** Newest first. */
  listDraws(filter?: DrawFilter): Promise<Page<DrawSummary>>;
  /** Marks the draw published (idempotent); returns it, or null when there is none. */
  publishDraw(id: string, at: string): Promise<StoredDraw | null>;

  /** Fails with LC_CONFLICT when the target already has a result. */
  addResult(result: InspectionResult, by: string): Promise<StoredInspectionResult>;
  listResults(filter?: { drawId?: string; uscc?: string }): Promise<StoredInspectionResult[]>;

  /** Stores a new certification; its id is assigned here (the given one is ignored). */
  createCertification(certification: Certification): Promise<Certification>;
  getCertification(id: string): Promise<Certification | null>;
  saveCertification(certification: Certification): Promise<Certification | null>;
  listCertifications(filter?: CertificationFilter): Promise<Certification[]>;
  /** The same, a page at a time (by id). */
  certificationPage(filter: CertificationFilter, page?: PageQuery): Promise<Page<Certification>>;
}
