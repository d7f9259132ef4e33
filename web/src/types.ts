/**
 * Shapes of the API as the dashboard reads them: aliases of the generated API types (web/src/api), never copied
 * by hand. UI-only types (view state, chart series) stay beside the code that uses them.
 */
import type { Answer } from './api/index.js';

// ---- accounts ----

/** A login: the token, its expiry and the user (also what registering a resident answers). */
export type Session = Answer<'/api/auth/login', 'post'>;
export type Me = Answer<'/api/auth/me', 'get'>;
export type UserPage = Answer<'/api/users', 'get'>;
export type User = UserPage['items'][number];
export type AuditPage = Answer<'/api/audit', 'get'>;
export type AuditEntry = AuditPage['items'][number];

// ---- map and registry ----

export type Health = Answer<'/api/health', 'get'>;
export type Summary = Answer<'/api/map/summary', 'get'>;
export type FacilityTypeInfo = Summary['types'][number];
export type CommunityDetail = Answer<'/api/map/communities/{code}', 'get'>;
export type Isochrone = Answer<'/api/map/isochrone', 'get'>;
export type CoverageRow = Answer<'/api/map/coverage', 'get'>[number];
export type ImportAnswer = Answer<'/api/imports/{id}', 'get'>;
export type JobAnswer = Answer<'/api/jobs/{id}', 'get'>;
export type CommunityPage = Answer<'/api/communities', 'get'>;
export type Community = CommunityPage['items'][number];
export type FacilityPage = Answer<'/api/facilities', 'get'>;
export type ProviderPage = Answer<'/api/providers', 'get'>;

// ---- planning (the map's 规划 tab) ----

export type Gaps = Answer<'/api/planning/gaps', 'get'>;
export type Siting = Answer<'/api/planning/siting', 'post'>;
export type WhatIf = Answer<'/api/planning/what-if', 'post'>;

// ---- indicators ----

export type Board = Answer<'/api/indicators', 'get'>;
export type Indicator = Board['items'][number];
export type IndicatorValue = Indicator['values'][number];
export type Provenance = IndicatorValue['provenance'];
export type IndicatorHistory = Answer<'/api/indicators/{code}/values', 'get'>;
export type Suggestion = Answer<'/api/indicators/suggest', 'get'>[number];
export type Progress = Answer<'/api/indicators/progress', 'get'>['items'][number];
export type Scorecard = Answer<'/api/scorecard', 'get'>;

// ---- supervision: ratings and cases ----

export type CasePage = Answer<'/api/cases', 'get'>;
export type OutletPage = Answer<'/api/ratings/outlets', 'get'>;
export type RatedOutlet = OutletPage['items'][number];
export type RatingAnswer = Answer<'/api/ratings', 'post'>;

// ---- supervision: credit, 普惠 certification, 双随机 inspections ----

export type CreditProfile = Answer<'/api/providers/{uscc}/credit', 'get'>;
export type CreditRecordView = CreditProfile['records'][number];
/** A credit record added, with the class it gave. */
export type CreditChange = Answer<'/api/providers/{uscc}/credit-records', 'post'>;
/** A credit record repaired (信用修复), with the class it gave. */
export type CreditRepair = Answer<'/api/providers/{uscc}/credit-records/{id}/repair', 'post'>;
export type Disclosure = Answer<'/api/public/providers/{uscc}', 'get'>;
/** One permit, penalty or inspection of the disclosure; only permits say whether they have expired. */
export type DisclosedItem = Disclosure['permits' | 'penalties' | 'inspections'][number];
export type CertificationPage = Answer<'/api/certifications', 'get'>;
export type CertificationView = CertificationPage['items'][number];
export type DrawPage = Answer<'/api/inspections/draws', 'get'>;
export type DrawSummary = DrawPage['items'][number];
export type DrawDefaults = DrawPage['defaults'];
export type Draw = Answer<'/api/inspections/draws/{id}', 'get'>;
export type NewDraw = Answer<'/api/inspections/draws', 'post'>;

// ---- plans (policy documents) and their tracking ----

export type PlanSummary = Answer<'/api/plans', 'get'>['items'][number];
export type ImportedPlan = Answer<'/api/plans', 'post'>;
export type PlanDetail = Answer<'/api/plans/{id}', 'get'>;
export type Measure = PlanDetail['plan']['measures'][number];
export type Unit = Measure['responsibilities'][number]['units'][number];
export type Target = Measure['targets'][number];
/** A half-open range [start, end) of UTF-16 code units into the plan's text. */
export type Span = Measure['span'];
export type MeasureState = PlanDetail['measureStates'][number];
export type AssignAnswer = Answer<'/api/plans/{id}/assignments', 'post'>;
export type AssignmentRow = Answer<'/api/assignments', 'get'>['items'][number];
export type Report = NonNullable<AssignmentRow['lastReport']>;
export type ReportStatus = Report['status'];
export type ReminderGroup = Answer<'/api/plans/reminders', 'get'>['items'][number];
