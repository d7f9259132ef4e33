import type Database from 'better-sqlite3';
import type { Assignment, Correction, EvidenceFile, ParsedPlan, ProgressReport } from '../plans/index.js';
import type { PlanRepository, PlanSummary, StoredPlan, TrackingFilter } from './plans-types.js';
import { pageOf } from './paging.js';

type Db = Database.Database;
type Row = Record<string, unknown>;

const summaryFromRow = (r: Row): PlanSummary => ({
  id: r.id as string,
  title: r.title as string,
  fileName: r.file_name as string,
  format: r.format as StoredPlan['format'],
  sha256: r.sha256 as string,
  importedAt: r.imported_at as string,
  importedBy: r.imported_by as string,
  corrections: (r.corrections as number | undefined) ?? 0,
  assignments: (r.assignments as number | undefined) ?? 0,
});

const assignmentFromRow = (r: Row): Assignment => ({
  id: r.id as string,
  planId: r.plan_id as string,
  measureId: r.measure_id as string,
  measureTitle: r.measure_title as string,
  departmentKey: r.department_key as string,
  departmentName: r.department_name as string,
  role: r.role as Assignment['role'],
  dueDate: (r.due_date as string | null) ?? null,
  startDate: r.start_date as string,
});

const SUMMARY_SQL = `SELECT p.id, p.title, p.file_name, p.format, p.sha256, p.imported_at, p.imported_by,
  (SELECT count(*) FROM plan_corrections c WHERE c.plan_id = p.id) AS corrections,
  (SELECT count(*) FROM plan_assignments a WHERE a.plan_id = p.id) AS assignments
  FROM plans p`;

/** `IN (?, ?, …)` for a list; an empty list matches nothing. */
const inList = (values: readonly unknown[]): string => `IN (${values.map(() => '?').join(', ') || 'NULL'})`;

/** WHERE clause over plan_assignments (alias a) for a tracking filter. */
function assignmentWhere(f: TrackingFilter | undefined): { sql: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const add = (clause: string, ...values: unknown[]): void => {
    clauses.push(clause);
    params.push(...values);
  };
  if (f?.planId !== undefined) add('a.plan_id = ?', f.planId);
  if (f?.assignmentId !== undefined) add('a.id = ?', f.assignmentId);
  if (f?.assignmentIds !== undefined) add(`a.id ${inList(f.assignmentIds)}`, ...f.assignmentIds);
  if (f?.departmentKeys !== undefined)
    add(`a.department_key ${inList(f.departmentKeys)}`, ...f.departmentKeys);
  if (f?.ownedBy !== undefined)
    add(
      `(a.department_name = ? OR a.department_key ${inList(f.ownedBy.departmentKeys)})`,
      f.ownedBy.departmentName,
      ...f.ownedBy.departmentKeys,
    );
  if (f?.departmentKeyPrefix !== undefined)
    add("a.department_key LIKE ? ESCAPE '\\'", `${f.departmentKeyPrefix.replace(/[\\%_]/g, '\\$&')}%`);
  // Done = a completed report accepted (src/plans/tracking.ts, isDone), counted from the day it was submitted.
  if (f?.openOn !== undefined)
    add(
      `NOT EXISTS (SELECT 1 FROM progress_reports d JOIN report_reviews dv ON dv.report_id = d.id
         WHERE d.assignment_id = a.id AND d.status = 'completed' AND dv.decision = 'accepted'
           AND d.submitted_at <= ?)`,
      f.openOn,
    );
  return { sql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

/** The SQLite plan repository; `repositories(db)` in sqlite-store.ts wires it in (inside and outside transactions). */
export function sqlitePlanRepository(db: Db, now: () => string): PlanRepository {
  const evidenceOf = (reportId: string): EvidenceFile[] =>
    (
      db.prepare('SELECT * FROM report_evidence WHERE report_id = ? ORDER BY position').all(reportId) as Row[]
    ).map((e) => ({
      fileName: e.file_name as string,
      mediaType: e.media_type as string,
      bytes: e.bytes as number,
      sha256: e.sha256 as string,
    }));
  const reportFromRow = (r: Row): ProgressReport => ({
    id: r.id as string,
    assignmentId: r.assignment_id as string,
    departmentKey: r.department_key as string,
    submittedAt: r.submitted_at as string,
    status: r.status as ProgressReport['status'],
    value: (r.value as number | null) ?? null,
    narrative: r.narrative as string,
    evidence: evidenceOf(r.id as string),
    review:
      r.decision === null || r.decision === undefined
        ? null
        : {
            decision: r.decision as 'accepted' | 'returned',
            reviewer: r.reviewer as string,
            reviewedAt: r.reviewed_at as string,
            comment: r.comment as string,
          },
  });
  const REPORT_SQL = `SELECT r.*, v.decision, v.reviewer, v.reviewed_at, v.comment FROM progress_reports r
    JOIN plan_assignments a ON a.id = r.assignment_id
    LEFT JOIN report_reviews v ON v.report_id = r.id`;

  return {
    createPlan: async (p) => {
      // The text has its own column; the JSON keeps everything else the parser produced.
      const raw: ParsedPlan = { ...p.raw, text: '' };
      db.prepare(
        `INSERT INTO plans (id, title, file_name, format, sha256, source_text, raw_extraction, imported_at, imported_by)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        p.id,
        p.title,
        p.fileName,
        p.format,
        p.sha256,
        p.raw.text,
        JSON.stringify(raw),
        p.importedAt,
        p.importedBy,
      );
    },
    getPlan: async (id) => {
      const r = db.prepare('SELECT * FROM plans WHERE id = ?').get(id) as Row | undefined;
      if (!r) return null;
      const raw = JSON.parse(r.raw_extraction as string) as ParsedPlan;
      return {
        ...summaryFromRow(r),
        raw: { ...raw, text: r.source_text as string },
      };
    },
    findPlanBySha256: async (sha256) => {
      const r = db.prepare(`${SUMMARY_SQL} WHERE p.sha256 = ?`).get(sha256) as Row | undefined;
      return r ? summaryFromRow(r) : null;
    },
    listPlans: async () =>
      (db.prepare(`${SUMMARY_SQL} ORDER BY p.imported_at DESC, p.id`).all() as Row[]).map(summaryFromRow),
    planPage: async (q) => {
      const { limit, offset } = pageOf(q);
      const total = (db.prepare('SELECT count(*) AS n FROM plans').get() as { n: number }).n;
      const rows = db
        .prepare(`${SUMMARY_SQL} ORDER BY p.imported_at DESC, p.id LIMIT ? OFFSET ?`)
        .all(limit, offset) as Row[];
      return { items: rows.map(summaryFromRow), total, limit, offset };
    },
    corrections: async (planId) =>
      (
        db.prepare('SELECT body FROM plan_corrections WHERE plan_id = ? ORDER BY at, id').all(planId) as Row[]
      ).map((r) => JSON.parse(r.body as string) as Correction),
    addCorrection: async (planId, c) => {
      db.prepare(
        'INSERT INTO plan_corrections (id, plan_id, op, body, author, at) VALUES (?, ?, ?, ?, ?, ?)',
      ).run(c.id, planId, c.op, JSON.stringify(c), c.author, c.at);
    },
    addAssignments: async (assignments, createdBy) => {
      const insert = db.prepare(
        `INSERT INTO plan_assignments (id, plan_id, measure_id, measure_title, department_key, department_name,
           role, due_date, start_date, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO NOTHING`,
      );
      const at = now();
      let added = 0;
      for (const a of assignments)
        added += insert.run(
          a.id,
          a.planId,
          a.measureId,
          a.measureTitle,
          a.departmentKey,
          a.departmentName,
          a.role,
          a.dueDate,
          a.startDate,
          at,
          createdBy,
        ).changes;
      return added;
    },
    getAssignment: async (id) => {
      const r = db.prepare('SELECT * FROM plan_assignments WHERE id = ?').get(id) as Row | undefined;
      return r ? assignmentFromRow(r) : null;
    },
    assignments: async (filter) => {
      const w = assignmentWhere(filter);
      return (
        db
          .prepare(`SELECT a.* FROM plan_assignments a ${w.sql} ORDER BY a.plan_id, a.rowid`)
          .all(...w.params) as Row[]
      ).map(assignmentFromRow);
    },
    assignmentPage: async (filter) => {
      const w = assignmentWhere(filter);
      const { limit, offset } = pageOf(filter);
      const total = (
        db.prepare(`SELECT count(*) AS n FROM plan_assignments a ${w.sql}`).get(...w.params) as { n: number }
      ).n;
      const rows = db
        .prepare(`SELECT a.* FROM plan_assignments a ${w.sql} ORDER BY a.plan_id, a.rowid LIMIT ? OFFSET ?`)
        .all(...w.params, limit, offset) as Row[];
      return { items: rows.map(assignmentFromRow), total, limit, offset };
    },
    nextReportId: async () => {
      // From the highest id, not the count, so a deleted report (a deleted plan cascades) never frees an id.
      const r = db.prepare('SELECT max(id) AS id FROM progress_reports').get() as { id: string | null };
      return `R${String(Number(r.id?.slice(1) ?? 0) + 1).padStart(8, '0')}`;
    },
    addReport: async (report, submittedBy) => {
      db.prepare(
        `INSERT INTO progress_reports (id, assignment_id, department_key, submitted_at, status, value, narrative,
           submitted_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        report.id,
        report.assignmentId,
        report.departmentKey,
        report.submittedAt,
        report.status,
        report.value,
        report.narrative,
        submittedBy,
        now(),
      );
      const evidence = db.prepare(
        `INSERT INTO report_evidence (report_id, position, file_name, media_type, bytes, sha256)
         VALUES (?, ?, ?, ?, ?, ?)`,
      );
      report.evidence.forEach((e, i) =>
        evidence.run(report.id, i, e.fileName, e.mediaType, e.bytes, e.sha256),
      );
      if (report.review) {
        const v = report.review;
        db.prepare(
          'INSERT INTO report_reviews (report_id, decision, reviewer, reviewed_at, comment) VALUES (?, ?, ?, ?, ?)',
        ).run(report.id, v.decision, v.reviewer, v.reviewedAt, v.comment);
      }
    },
    getReport: async (id) => {
      const r = db.prepare(`${REPORT_SQL} WHERE r.id = ?`).get(id) as Row | undefined;
      return r ? reportFromRow(r) : null;
    },
    reports: async (filter) => {
      const w = assignmentWhere(filter);
      return (
        db.prepare(`${REPORT_SQL} ${w.sql} ORDER BY r.submitted_at, r.id`).all(...w.params) as Row[]
      ).map(reportFromRow);
    },
    addReview: async (reportId, v) =>
      db
        .prepare(
          `INSERT INTO report_reviews (report_id, decision, reviewer, reviewed_at, comment) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (report_id) DO NOTHING`,
        )
        .run(reportId, v.decision, v.reviewer, v.reviewedAt, v.comment).changes === 1,
  };
}
