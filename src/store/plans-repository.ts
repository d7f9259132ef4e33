import type { Assignment, Correction, EvidenceFile, ParsedPlan, ProgressReport } from '../plans/index.js';
import type { PlanRepository, PlanSummary, StoredPlan, TrackingFilter } from './plans-types.js';
import { pageOf } from './paging.js';
import { Where, inList, type Row, type Sql } from './sql.js';

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

/**
 * Assignments in the order they were added (a plan's in document order, as `createAssignments` made them).
 * `rowid` is SQLite's insertion order; PostgreSQL's plan_assignments has an identity column of that name.
 */
const ASSIGNMENT_ORDER = 'a.plan_id, a.rowid';

/** WHERE clause over plan_assignments (alias a) for a tracking filter. */
function assignmentWhere(f: TrackingFilter | undefined): Where {
  const w = new Where();
  if (f?.planId !== undefined) w.add('a.plan_id = ?', f.planId);
  if (f?.assignmentId !== undefined) w.add('a.id = ?', f.assignmentId);
  if (f?.assignmentIds !== undefined) w.add(`a.id ${inList(f.assignmentIds)}`, ...f.assignmentIds);
  if (f?.departmentKeys !== undefined)
    w.add(`a.department_key ${inList(f.departmentKeys)}`, ...f.departmentKeys);
  if (f?.ownedBy !== undefined)
    w.add(
      `(a.department_name = ? OR a.department_key ${inList(f.ownedBy.departmentKeys)})`,
      f.ownedBy.departmentName,
      ...f.ownedBy.departmentKeys,
    );
  // LIKE ignores ASCII case in SQLite but not in PostgreSQL; department keys and the prefixes asked for
  // (`district:`) are lower-case.
  if (f?.departmentKeyPrefix !== undefined)
    w.add("a.department_key LIKE ? ESCAPE '\\'", `${f.departmentKeyPrefix.replace(/[\\%_]/g, '\\$&')}%`);
  // Done = a completed report accepted (src/plans/tracking.ts, isDone), counted from the day it was submitted.
  if (f?.openOn !== undefined)
    w.add(
      `NOT EXISTS (SELECT 1 FROM progress_reports d JOIN report_reviews dv ON dv.report_id = d.id
         WHERE d.assignment_id = a.id AND d.status = 'completed' AND dv.decision = 'accepted'
           AND d.submitted_at <= ?)`,
      f.openOn,
    );
  return w;
}

/**
 * The plan repository over either store; `repositories(sql)` in repositories.ts wires it in (inside and outside
 * transactions).
 */
export function planRepository(sql: Sql, now: () => string): PlanRepository {
  const evidenceOf = async (reportId: string): Promise<EvidenceFile[]> =>
    (await sql.all('SELECT * FROM report_evidence WHERE report_id = ? ORDER BY position', [reportId])).map(
      (e) => ({
        fileName: e.file_name as string,
        mediaType: e.media_type as string,
        bytes: e.bytes as number,
        sha256: e.sha256 as string,
      }),
    );
  const reportFromRow = async (r: Row): Promise<ProgressReport> => ({
    id: r.id as string,
    assignmentId: r.assignment_id as string,
    departmentKey: r.department_key as string,
    submittedAt: r.submitted_at as string,
    status: r.status as ProgressReport['status'],
    value: (r.value as number | null) ?? null,
    narrative: r.narrative as string,
    evidence: await evidenceOf(r.id as string),
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
      await sql.run(
        `INSERT INTO plans (id, title, file_name, format, sha256, source_text, raw_extraction, imported_at, imported_by)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          p.id,
          p.title,
          p.fileName,
          p.format,
          p.sha256,
          p.raw.text,
          JSON.stringify(raw),
          p.importedAt,
          p.importedBy,
        ],
      );
    },
    getPlan: async (id) => {
      const r = await sql.get('SELECT * FROM plans WHERE id = ?', [id]);
      if (!r) return null;
      const raw = JSON.parse(r.raw_extraction as string) as ParsedPlan;
      return {
        ...summaryFromRow(r),
        raw: { ...raw, text: r.source_text as string },
      };
    },
    findPlanBySha256: async (sha256) => {
      const r = await sql.get(`${SUMMARY_SQL} WHERE p.sha256 = ?`, [sha256]);
      return r ? summaryFromRow(r) : null;
    },
    listPlans: async () =>
      (await sql.all(`${SUMMARY_SQL} ORDER BY p.imported_at DESC, p.id`)).map(summaryFromRow),
    planPage: async (q) => {
      const { limit, offset } = pageOf(q);
      const total = (await sql.get<{ n: number }>('SELECT count(*) AS n FROM plans'))!.n;
      const rows = await sql.all(`${SUMMARY_SQL} ORDER BY p.imported_at DESC, p.id LIMIT ? OFFSET ?`, [
        limit,
        offset,
      ]);
      return { items: rows.map(summaryFromRow), total, limit, offset };
    },
    corrections: async (planId) =>
      (await sql.all('SELECT body FROM plan_corrections WHERE plan_id = ? ORDER BY at, id', [planId])).map(
        (r) => JSON.parse(r.body as string) as Correction,
      ),
    addCorrection: async (planId, c) => {
      await sql.run(
        'INSERT INTO plan_corrections (id, plan_id, op, body, author, at) VALUES (?, ?, ?, ?, ?, ?)',
        [c.id, planId, c.op, JSON.stringify(c), c.author, c.at],
      );
    },
    addAssignments: async (assignments, createdBy) => {
      const at = now();
      let added = 0;
      for (const a of assignments)
        added += await sql.run(
          `INSERT INTO plan_assignments (id, plan_id, measure_id, measure_title, department_key, department_name,
             role, due_date, start_date, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (id) DO NOTHING`,
          [
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
          ],
        );
      return added;
    },
    getAssignment: async (id) => {
      const r = await sql.get('SELECT * FROM plan_assignments WHERE id = ?', [id]);
      return r ? assignmentFromRow(r) : null;
    },
    assignments: async (filter) => {
      const w = assignmentWhere(filter);
      return (
        await sql.all(`SELECT a.* FROM plan_assignments a ${w.sql} ORDER BY ${ASSIGNMENT_ORDER}`, w.params)
      ).map(assignmentFromRow);
    },
    assignmentPage: async (filter) => {
      const w = assignmentWhere(filter);
      const { limit, offset } = pageOf(filter);
      const total = (await sql.get<{ n: number }>(
        `SELECT count(*) AS n FROM plan_assignments a ${w.sql}`,
        w.params,
      ))!.n;
      const rows = await sql.all(
        `SELECT a.* FROM plan_assignments a ${w.sql} ORDER BY ${ASSIGNMENT_ORDER} LIMIT ? OFFSET ?`,
        [...w.params, limit, offset],
      );
      return { items: rows.map(assignmentFromRow), total, limit, offset };
    },
    nextReportId: async () => {
      // From the highest id, not the count, so a deleted report (a deleted plan cascades) never frees an id.
      const r = (await sql.get<{ id: string | null }>('SELECT max(id) AS id FROM progress_reports'))!;
      return `R${String(Number(r.id?.slice(1) ?? 0) + 1).padStart(8, '0')}`;
    },
    addReport: async (report, submittedBy) => {
      await sql.run(
        `INSERT INTO progress_reports (id, assignment_id, department_key, submitted_at, status, value, narrative,
           submitted_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          report.id,
          report.assignmentId,
          report.departmentKey,
          report.submittedAt,
          report.status,
          report.value,
          report.narrative,
          submittedBy,
          now(),
        ],
      );
      for (const [i, e] of report.evidence.entries())
        await sql.run(
          `INSERT INTO report_evidence (report_id, position, file_name, media_type, bytes, sha256)
           VALUES (?, ?, ?, ?, ?, ?)`,
          [report.id, i, e.fileName, e.mediaType, e.bytes, e.sha256],
        );
      if (report.review) {
        const v = report.review;
        await sql.run(
          'INSERT INTO report_reviews (report_id, decision, reviewer, reviewed_at, comment) VALUES (?, ?, ?, ?, ?)',
          [report.id, v.decision, v.reviewer, v.reviewedAt, v.comment],
        );
      }
    },
    getReport: async (id) => {
      const r = await sql.get(`${REPORT_SQL} WHERE r.id = ?`, [id]);
      return r ? reportFromRow(r) : null;
    },
    reports: async (filter) => {
      const w = assignmentWhere(filter);
      const reports: ProgressReport[] = [];
      for (const r of await sql.all(`${REPORT_SQL} ${w.sql} ORDER BY r.submitted_at, r.id`, w.params))
        reports.push(await reportFromRow(r));
      return reports;
    },
    addReview: async (reportId, v) =>
      (await sql.run(
        `INSERT INTO report_reviews (report_id, decision, reviewer, reviewed_at, comment) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (report_id) DO NOTHING`,
        [reportId, v.decision, v.reviewer, v.reviewedAt, v.comment],
      )) === 1,
  };
}
