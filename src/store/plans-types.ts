/**
 * Plans and their tracking as the store keeps them. The shapes are the plan domain's own (src/plans): a
 * `ParsedPlan` is stored as the parser produced it, corrections beside it, assignments and progress reports
 * as they are, so the domain's pure functions run on what the store returns.
 */
import type { Assignment, Correction, ParsedPlan, ProgressReport, Review } from '../plans/index.js';
import type { Page, PageQuery } from './types.js';

/** An imported plan: where it came from and its raw extraction (corrections are kept apart). */
export interface StoredPlan {
  id: string;
  title: string;
  fileName: string;
  format: ParsedPlan['source']['format'];
  sha256: string;
  importedAt: string;
  importedBy: string;
  /** The raw extraction; `raw.text` is the decoded source text every span points into. */
  raw: ParsedPlan;
}

/** A plan in a listing: no extraction, but how much it holds. */
export type PlanSummary = Omit<StoredPlan, 'raw'> & {
  corrections: number;
  assignments: number;
};

export interface TrackingFilter {
  planId?: string;
  /** Only these department keys (a department's own assignments). */
  departmentKeys?: string[];
  /** A department's own: the unit's name is `departmentName`, or its key one of `departmentKeys` (src/plans/viewers.ts). */
  ownedBy?: { departmentName: string; departmentKeys: string[] };
  assignmentId?: string;
  /** Only these assignments (e.g. the reports of one page of assignments). */
  assignmentIds?: string[];
  /** Only department keys starting so (`district:`: the district governments' assignments). */
  departmentKeyPrefix?: string;
  /** Only assignments not done on this day (YYYY-MM-DD): no completed report accepted, submitted by then. */
  openOn?: string;
}

export interface PlanRepository {
  createPlan(plan: StoredPlan): Promise<void>;
  getPlan(id: string): Promise<StoredPlan | null>;
  findPlanBySha256(sha256: string): Promise<PlanSummary | null>;
  listPlans(): Promise<PlanSummary[]>;
  /** One page of the plans, newest first. */
  planPage(page?: PageQuery): Promise<Page<PlanSummary>>;
  /** Corrections of a plan, oldest first (the order `applyCorrections` applies them in). */
  corrections(planId: string): Promise<Correction[]>;
  addCorrection(planId: string, correction: Correction): Promise<void>;
  /** Inserts the assignments not stored yet (same id); returns how many were new. */
  addAssignments(assignments: Assignment[], createdBy: string): Promise<number>;
  getAssignment(id: string): Promise<Assignment | null>;
  assignments(filter?: TrackingFilter): Promise<Assignment[]>;
  /** One page of the assignments, in the order of `assignments`. */
  assignmentPage(filter?: TrackingFilter & PageQuery): Promise<Page<Assignment>>;
  /** The next report id: increasing, so reports of one day keep their order (the domain sorts by id). */
  nextReportId(): Promise<string>;
  addReport(report: ProgressReport, submittedBy: string): Promise<void>;
  getReport(id: string): Promise<ProgressReport | null>;
  /** Reports with their evidence and review; filtered like assignments (by the assignment's plan). */
  reports(filter?: TrackingFilter): Promise<ProgressReport[]>;
  /** Records the review of a report that has none; returns false when it already had one. */
  addReview(reportId: string, review: Review): Promise<boolean>;
}
