import { LifeCircleError } from '../errors.js';
import type {
  Certification,
  CreditClassification,
  CreditRecord,
  InspectionResult,
} from '../supervision/index.js';
import type {
  CertificationFilter,
  CreditRepository,
  DrawFilter,
  DrawSummary,
  StoredDraw,
  StoredInspectionResult,
} from './credit-types.js';
import { pageOf } from './paging.js';
import type { Row, Sql } from './sql.js';

const json = (value: unknown): string => JSON.stringify(value ?? null);
const parse = <T>(text: unknown): T => JSON.parse(String(text)) as T;

function drawFromRow(r: Row): StoredDraw {
  return {
    id: String(r.id),
    seed: r.seed as string,
    scope: parse(r.scope),
    candidates: parse(r.candidates),
    inspectors: r.inspectors === null ? null : parse(r.inspectors),
    config: parse(r.config),
    result: parse(r.result),
    published: r.published === 1,
    publishedAt: (r.published_at as string | null) ?? null,
    createdAt: r.created_at as string,
    createdBy: r.created_by as string,
  };
}

function summaryOf(d: StoredDraw): DrawSummary {
  const { candidates, inspectors: _inspectors, result, ...rest } = d;
  return { ...rest, candidateCount: candidates.length, targetCount: result.targets.length };
}

function certificationFromRow(r: Row): Certification {
  return { ...parse<Certification>(r.certification), id: String(r.id) };
}

/** CreditRepository over migration 6's tables, in either store. */
export function creditRepository(sql: Sql, now: () => string): CreditRepository {
  const getRecord = async (id: string): Promise<CreditRecord | null> => {
    const row = await sql.get('SELECT record FROM credit_records WHERE id = ?', [id]);
    return row ? parse<CreditRecord>(row.record) : null;
  };
  const getClass = async (uscc: string): Promise<CreditClassification | null> => {
    const row = await sql.get('SELECT classification FROM credit_classes WHERE uscc = ?', [uscc]);
    return row ? parse<CreditClassification>(row.classification) : null;
  };
  const getDraw = async (id: string): Promise<StoredDraw | null> => {
    const row = await sql.get('SELECT * FROM inspection_draws WHERE id = ?', [Number(id)]);
    return row ? drawFromRow(row) : null;
  };
  const getCertification = async (id: string): Promise<Certification | null> => {
    if (!/^\d+$/.test(id)) return null;
    const row = await sql.get('SELECT * FROM certifications WHERE id = ?', [Number(id)]);
    return row ? certificationFromRow(row) : null;
  };

  return {
    listRecords: async (uscc) =>
      (await sql.all('SELECT record FROM credit_records WHERE uscc = ? ORDER BY date, id', [uscc])).map((r) =>
        parse<CreditRecord>(r.record),
      ),
    recordPage: async (uscc, q) => {
      const { limit, offset } = pageOf(q);
      const total = (await sql.get<{ n: number }>('SELECT count(*) AS n FROM credit_records WHERE uscc = ?', [
        uscc,
      ]))!.n;
      const rows = await sql.all(
        'SELECT record FROM credit_records WHERE uscc = ? ORDER BY date, id LIMIT ? OFFSET ?',
        [uscc, limit, offset],
      );
      return { items: rows.map((r) => parse<CreditRecord>(r.record)), total, limit, offset };
    },
    getRecord: async (id) => getRecord(id),
    putRecord: async (record, by) => {
      const before = await getRecord(record.id);
      const at = now();
      await sql.run(
        `INSERT INTO credit_records (id, uscc, kind, date, record, created_at, created_by, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET uscc = excluded.uscc, kind = excluded.kind, date = excluded.date,
           record = excluded.record, updated_at = excluded.updated_at`,
        [record.id, record.uscc, record.kind, record.date, json(record), at, by, at],
      );
      return before;
    },
    getClass: async (uscc) => getClass(uscc),
    putClass: async (c) => {
      const before = await getClass(c.uscc);
      await sql.run(
        `INSERT INTO credit_classes (uscc, risk_class, score, as_of, classification, updated_at)
         VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (uscc) DO UPDATE SET risk_class = excluded.risk_class, score = excluded.score,
           as_of = excluded.as_of, classification = excluded.classification, updated_at = excluded.updated_at`,
        [c.uscc, c.riskClass, c.score, c.asOf, json(c), now()],
      );
      return before;
    },
    classes: async (usccs) => {
      const out = new Map<string, CreditClassification>();
      if (usccs) {
        for (const uscc of new Set(usccs)) {
          const c = await getClass(uscc);
          if (c) out.set(uscc, c);
        }
        return out;
      }
      for (const r of await sql.all('SELECT uscc, classification FROM credit_classes ORDER BY uscc'))
        out.set(r.uscc as string, parse<CreditClassification>(r.classification));
      return out;
    },

    createDraw: async (d) => {
      const id = await sql.insertId(
        `INSERT INTO inspection_draws (seed, scope, candidates, inspectors, config, result, published, created_at, created_by)
         VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)`,
        [
          d.seed,
          json(d.scope),
          json(d.candidates),
          d.inspectors === null ? null : json(d.inspectors),
          json(d.config),
          json(d.result),
          now(),
          d.createdBy,
        ],
      );
      return (await getDraw(String(id))) as StoredDraw;
    },
    getDraw: async (id) => (/^\d+$/.test(id) ? getDraw(id) : null),
    listDraws: async (f?: DrawFilter) => {
      const { limit, offset } = pageOf(f);
      const where = f?.published === undefined ? '' : 'WHERE published = ?';
      const params = f?.published === undefined ? [] : [f.published ? 1 : 0];
      const total = (await sql.get<{ n: number }>(
        `SELECT count(*) AS n FROM inspection_draws ${where}`,
        params,
      ))!.n;
      const rows = await sql.all(
        `SELECT * FROM inspection_draws ${where} ORDER BY id DESC LIMIT ? OFFSET ?`,
        [...params, limit, offset],
      );
      return { items: rows.map((r) => summaryOf(drawFromRow(r))), total, limit, offset };
    },
    publishDraw: async (id, at) => {
      if (!/^\d+$/.test(id)) return null;
      await sql.run(
        'UPDATE inspection_draws SET published = 1, published_at = ? WHERE id = ? AND published = 0',
        [at, Number(id)],
      );
      return getDraw(id);
    },

    addResult: async (result: InspectionResult, by) => {
      const exists = await sql.get('SELECT 1 FROM inspection_results WHERE draw_id = ? AND uscc = ?', [
        Number(result.drawId),
        result.uscc,
      ]);
      if (exists)
        throw new LifeCircleError(
          'LC_CONFLICT',
          `draw ${result.drawId}: the result for ${result.uscc} is already recorded`,
        );
      const at = now();
      await sql.run(
        `INSERT INTO inspection_results (draw_id, uscc, inspected_on, result, created_at, created_by)
         VALUES (?, ?, ?, ?, ?, ?)`,
        [Number(result.drawId), result.uscc, result.inspectedOn, json(result), at, by],
      );
      return { ...result, createdAt: at, createdBy: by };
    },
    listResults: async (f) => {
      const clauses: string[] = [];
      const params: unknown[] = [];
      if (f?.drawId !== undefined) {
        clauses.push('draw_id = ?');
        params.push(Number(f.drawId));
      }
      if (f?.uscc !== undefined) {
        clauses.push('uscc = ?');
        params.push(f.uscc);
      }
      const where = clauses.length ? `WHERE ${clauses.join(' AND ')}` : '';
      return (
        await sql.all(
          `SELECT * FROM inspection_results ${where} ORDER BY inspected_on, draw_id, uscc`,
          params,
        )
      ).map((r) => ({
        ...parse<InspectionResult>(r.result),
        createdAt: r.created_at as string,
        createdBy: r.created_by as string,
      })) satisfies StoredInspectionResult[];
    },

    createCertification: async (c) => {
      const at = now();
      const id = String(
        await sql.insertId(
          `INSERT INTO certifications (outlet_id, provider_uscc, state, certification, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?)`,
          [c.outletId, c.providerUscc, c.state, json(c), at, at],
        ),
      );
      const stored = { ...c, id };
      await sql.run('UPDATE certifications SET certification = ? WHERE id = ?', [json(stored), Number(id)]);
      return stored;
    },
    getCertification: async (id) => getCertification(id),
    saveCertification: async (c) => {
      const before = await getCertification(c.id);
      if (!before) throw new LifeCircleError('LC_NOT_FOUND', `certification ${c.id} does not exist`);
      await sql.run('UPDATE certifications SET state = ?, certification = ?, updated_at = ? WHERE id = ?', [
        c.state,
        json(c),
        now(),
        Number(c.id),
      ]);
      return before;
    },
    listCertifications: async (f?: CertificationFilter) => {
      const { where, params } = certificationWhere(f);
      return (await sql.all(`SELECT * FROM certifications ${where} ORDER BY id`, params)).map(
        certificationFromRow,
      );
    },
    certificationPage: async (f, q) => {
      const { where, params } = certificationWhere(f);
      const { limit, offset } = pageOf(q);
      const total = (await sql.get<{ n: number }>(
        `SELECT count(*) AS n FROM certifications ${where}`,
        params,
      ))!.n;
      const rows = await sql.all(`SELECT * FROM certifications ${where} ORDER BY id LIMIT ? OFFSET ?`, [
        ...params,
        limit,
        offset,
      ]);
      return { items: rows.map(certificationFromRow), total, limit, offset };
    },
  };
}

function certificationWhere(f: CertificationFilter | undefined): { where: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  for (const [value, clause] of [
    [f?.state, 'state = ?'],
    [f?.providerUscc, 'provider_uscc = ?'],
    [f?.outletId, 'outlet_id = ?'],
  ] as const)
    if (value) {
      clauses.push(clause);
      params.push(value);
    }
  return { where: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}
