/**
 * Shapes of the API as the dashboard reads them: aliases of the generated API types (web/src/api), never copied
 * by hand. UI-only types (view state, chart series) stay beside the code that uses them.
 */
import type { Answer } from './api/index.js';

// ---- accounts ----

/** A login: the token, its expiry and the user (also what registering a resident answers). */
export type Session = Answer<'/api/auth/login', 'post'>;
export type UserPage = Answer<'/api/users', 'get'>;
export type User = UserPage['items'][number];
export type AuditPage = Answer<'/api/audit', 'get'>;

// ---- map and registry ----

export type Health = Answer<'/api/health', 'get'>;
export type Summary = Answer<'/api/map/summary', 'get'>;
export type CommunityPage = Answer<'/api/communities', 'get'>;
export type Community = CommunityPage['items'][number];

// ---- indicators ----

export type Board = Answer<'/api/indicators', 'get'>;
export type Indicator = Board['items'][number];
export type IndicatorValue = Indicator['values'][number];
export type Suggestion = Answer<'/api/indicators/suggest', 'get'>[number];

// ---- supervision: ratings and cases ----

export type CasePage = Answer<'/api/cases', 'get'>;
export type OutletPage = Answer<'/api/ratings/outlets', 'get'>;
export type RatedOutlet = OutletPage['items'][number];
export type RatingAnswer = Answer<'/api/ratings', 'post'>;

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
