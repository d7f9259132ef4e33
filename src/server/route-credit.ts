import { randomBytes, randomUUID } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import { LifeCircleError } from '../errors.js';
import {
  CREDIT_RECORD_KINDS,
  DEFAULT_CERTIFICATION_CONFIG,
  DEFAULT_DRAW_CONFIG,
  DEFAULT_LEADER_CONFIG,
  DEFAULT_SCORING,
  RISK_CLASSES,
  RISK_CLASS_NAMES,
  SAMPLING_RANGES,
  applyCertificationAction,
  applyForCertification,
  certificationStatus,
  drawInspections,
  exclusionOf,
  inspectionResultToCreditRecord,
  lastInspectorsByProvider,
  presentBadge,
  presentDisclosure,
  rankLeaders,
  type Candidate,
  type Certification,
  type CertificationAction,
  type CreditClassification,
  type CreditRecord,
  type DrawConfig,
  type Inspector,
  type Rating,
  type RiskClass,
  type Rounding,
} from '../supervision/index.js';
import {
  MAX_PAGE_LIMIT,
  SERVICE_DOMAINS,
  type Provider,
  type ServiceDomain,
  type Store,
  type StoredDraw,
} from '../store/index.js';
import { actorOf } from './auth.js';
import {
  candidatesCsv,
  cliCommand,
  currentClass,
  forbidUnless,
  inspectorsCsv,
  providerScopeProblem,
  recordCredit,
  setAffordable,
  today as beijingToday,
} from './credit-service.js';
import { scopeProblem, type Viewer } from './permissions.js';
import { literals } from './schemas.js';
import type { RoutePlugin, RouteContext } from './route-context.js';
import { ERRORS } from './route-context.js';

/** Ratings for the 领跑者 ranking; supplied by the ratings area when it exists. */
export type LeaderRatingsProvider = () => Promise<Rating[]>;

export interface CreditRouteOptions extends RouteContext {
  ratings?: LeaderRatingsProvider;
  /** Today's Beijing date (YYYY-MM-DD); tests fix it. */
  today?: () => string;
}

const DATE = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });
const USCC = Type.String({ minLength: 18, maxLength: 18, description: '统一社会信用代码' });
const UsccParams = Type.Object({ uscc: USCC });
const IdParams = Type.Object({ id: Type.String({ pattern: '^[0-9]+$' }) });
const Json = Type.Unknown();
const CONFLICT = { 409: { $ref: 'ErrorBody#' } } as const;

const CreditRecordInput = Type.Object(
  {
    kind: literals(CREDIT_RECORD_KINDS),
    title: Type.String({ minLength: 1, maxLength: 200 }),
    authority: Type.String({ minLength: 1, maxLength: 100, description: 'the deciding body' }),
    document: Type.Optional(Type.String({ maxLength: 100, description: '文书号' })),
    date: DATE,
    validUntil: Type.Optional(DATE),
    repairedOn: Type.Optional(DATE),
    severity: Type.Optional(literals(['minor', 'ordinary', 'serious'] as const)),
    outcome: Type.Optional(literals(['compliant', 'rectified', 'non-compliant'] as const)),
    breached: Type.Optional(Type.Boolean()),
    internalNote: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);
type CreditRecordBody = {
  kind: CreditRecord['kind'];
  title: string;
  authority: string;
  document?: string;
  date: string;
  validUntil?: string;
  repairedOn?: string;
  severity?: CreditRecord['severity'];
  outcome?: CreditRecord['outcome'];
  breached?: boolean;
  internalNote?: string;
};

const DrawInputBody = Type.Object(
  {
    seed: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: 'published seed; generated when left out' }),
    ),
    regionCode: Type.Optional(Type.String({ pattern: '^[0-9]{2,12}$' })),
    domain: Type.Optional(literals(SERVICE_DOMAINS)),
    ratios: Type.Optional(
      Type.Object(
        Object.fromEntries(
          RISK_CLASSES.map((k) => [k, Type.Optional(Type.Number({ minimum: 0, maximum: 1 }))]),
        ),
        { additionalProperties: false },
      ),
    ),
    localRange: Type.Optional(
      Type.Boolean({ description: 'keep ratios inside the local rule (default true)' }),
    ),
    rounding: Type.Optional(literals(['nearest', 'up', 'down'] as const)),
    teamSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 8 })),
    assignInspectors: Type.Optional(Type.Boolean({ description: 'assign inspectors (default true)' })),
    conflicts: Type.Optional(
      Type.Array(Type.Object({ inspectorId: Type.String({ minLength: 1 }), uscc: USCC }), { maxItems: 1000 }),
    ),
  },
  { additionalProperties: false },
);
type DrawBody = {
  seed?: string;
  regionCode?: string;
  domain?: ServiceDomain;
  ratios?: Partial<Record<RiskClass, number>>;
  localRange?: boolean;
  rounding?: Rounding;
  teamSize?: number;
  assignInspectors?: boolean;
  conflicts?: { inspectorId: string; uscc: string }[];
};

const ResultInput = Type.Object(
  {
    drawId: Type.String({ pattern: '^[0-9]+$' }),
    uscc: USCC,
    inspectedOn: DATE,
    outcome: literals(['compliant', 'rectified', 'non-compliant'] as const),
    findings: Type.String({ minLength: 1, maxLength: 500, description: 'public summary of the findings' }),
    authority: Type.String({ minLength: 1, maxLength: 100 }),
    document: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
);

const ApplyInput = Type.Object(
  {
    outletId: Type.String({ minLength: 1, maxLength: 64 }),
    commitment: Type.Object(
      {
        text: Type.String({ minLength: 1, maxLength: 2000 }),
        signatoryRole: Type.String({
          minLength: 1,
          maxLength: 50,
          description: 'e.g. 法定代表人 (a role, not a name)',
        }),
        signedOn: Type.Optional(DATE),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

const ReviewInput = Type.Object(
  {
    decision: literals(['start-review', 'approve', 'reject', 'revoke'] as const),
    note: Type.String({ minLength: 1, maxLength: 1000 }),
    expiresOn: Type.Optional(DATE),
  },
  { additionalProperties: false },
);

const SEES_INTERNAL: readonly Viewer['role'][] = ['administrator', 'staff', 'inspector'];
const SEES_UNPUBLISHED: readonly Viewer['role'][] = ['administrator', 'coordinator', 'staff', 'inspector'];

/** Internal notes (inspectors, handlers) only for the supervising roles. */
function presentCreditRecord(r: CreditRecord, viewer: Viewer, asOf: string) {
  const { internalNote, ...rest } = r;
  return {
    ...rest,
    ...(SEES_INTERNAL.includes(viewer.role) && internalNote !== undefined ? { internalNote } : {}),
    inForce: exclusionOf(r, asOf) === null,
    excludedBecause: exclusionOf(r, asOf),
  };
}

function recordFromBody(uscc: string, b: CreditRecordBody): CreditRecord {
  const problem =
    b.severity !== undefined && b.kind !== 'penalty'
      ? 'severity: only penalties have a severity'
      : b.kind === 'penalty' && b.severity === undefined
        ? 'severity: a penalty needs minor, ordinary or serious'
        : b.outcome !== undefined && b.kind !== 'inspection'
          ? 'outcome: only inspections have an outcome'
          : b.kind === 'inspection' && b.outcome === undefined
            ? 'outcome: an inspection needs compliant, rectified or non-compliant'
            : b.breached !== undefined && b.kind !== 'commitment'
              ? 'breached: only credit commitments can be breached'
              : b.validUntil !== undefined && b.validUntil < b.date
                ? `validUntil: ${b.validUntil} is before the date ${b.date}`
                : b.repairedOn !== undefined && b.repairedOn < b.date
                  ? `repairedOn: ${b.repairedOn} is before the date ${b.date}`
                  : null;
  if (problem) throw new LifeCircleError('LC_INVALID_FIELD', `credit record ${problem}`);
  return {
    id: `cr-${randomUUID()}`,
    uscc,
    kind: b.kind,
    title: b.title.trim(),
    source: { authority: b.authority.trim(), ...(b.document ? { document: b.document.trim() } : {}) },
    date: b.date,
    ...(b.validUntil ? { validUntil: b.validUntil } : {}),
    ...(b.repairedOn ? { repairedOn: b.repairedOn } : {}),
    ...(b.severity ? { severity: b.severity } : {}),
    ...(b.outcome ? { outcome: b.outcome } : {}),
    ...(b.breached !== undefined ? { breached: b.breached } : {}),
    ...(b.internalNote ? { internalNote: b.internalNote } : {}),
  };
}

async function providerOr404(store: Store, uscc: string): Promise<Provider> {
  const provider = await store.providers.get(uscc);
  if (!provider) throw new LifeCircleError('LC_NOT_FOUND', `provider ${uscc} is not in the register`);
  return provider;
}

async function allProviders(store: Store, within: string, domain: ServiceDomain | undefined) {
  const out: Provider[] = [];
  for (let offset = 0; ; offset += MAX_PAGE_LIMIT) {
    const page = await store.providers.list({ within, domain, limit: MAX_PAGE_LIMIT, offset });
    out.push(...page.items);
    if (out.length >= page.total || page.items.length === 0) return out;
  }
}

const CANDIDATE_REGION = /^\d{6}(\d{3}(\d{3})?)?$/;

/** Candidates: the providers in scope with their current class and the inspectors of their last inspection. */
async function buildCandidates(
  store: Store,
  regionCode: string,
  domain: ServiceDomain | undefined,
  asOf: string,
) {
  const providers = await allProviders(store, regionCode, domain);
  const classes = await store.credit.classes(providers.map((p) => p.uscc));
  const last = lastInspectorsByProvider(await store.credit.listResults());
  const candidates: Candidate[] = [];
  const skipped: { uscc: string; reason: string }[] = [];
  for (const p of providers) {
    if (!p.regionCode || !CANDIDATE_REGION.test(p.regionCode)) {
      skipped.push({
        uscc: p.uscc,
        reason: `region ${p.regionCode ?? 'not set'}: needs a 6, 9 or 12-digit code`,
      });
      continue;
    }
    const riskClass =
      classes.get(p.uscc)?.riskClass ?? (await currentClass(store, p.uscc, asOf)).classification.riskClass;
    candidates.push({
      uscc: p.uscc,
      name: p.name,
      riskClass,
      regionCode: p.regionCode,
      lastInspectorIds: [...(last.get(p.uscc) ?? [])],
    });
  }
  return { candidates, skipped };
}

/** Inspectors: the enabled inspector accounts working in the scope, with the conflicts declared for this draw. */
async function buildInspectors(
  store: Store,
  cityCode: string,
  regionCode: string,
  conflicts: DrawBody['conflicts'],
) {
  const users = (await store.users.list({ limit: MAX_PAGE_LIMIT })).items;
  return users
    .filter((u) => u.role === 'inspector' && !u.disabled)
    .filter((u) => {
      const r = u.regionCode ?? cityCode;
      return r.startsWith(regionCode) || regionCode.startsWith(r);
    })
    .map((u): Inspector => ({
      id: u.username,
      regionCodes: [u.regionCode ?? cityCode],
      conflictUscc: (conflicts ?? []).filter((c) => c.inspectorId === u.username).map((c) => c.uscc),
    }));
}

/** The account that made a draw is internal; the rest of a published draw is public by design (一公开). */
function drawView(d: StoredDraw, viewer: Viewer) {
  const { createdBy, ...rest } = d;
  return {
    ...rest,
    ...(SEES_UNPUBLISHED.includes(viewer.role) ? { createdBy } : {}),
    files: {
      candidatesCsv: `/api/inspections/draws/${d.id}/candidates.csv`,
      ...(d.inspectors ? { inspectorsCsv: `/api/inspections/draws/${d.id}/inspectors.csv` } : {}),
    },
    cli: cliCommand(d),
    localRule: SAMPLING_RANGES,
    canPublish: !d.published && (viewer.role === 'administrator' || viewer.role === 'staff'),
  };
}

async function visibleDraw(store: Store, id: string, viewer: Viewer): Promise<StoredDraw> {
  const d = await store.credit.getDraw(id);
  // An unpublished draw does not exist for those who may not see it yet.
  if (!d || (!d.published && !SEES_UNPUBLISHED.includes(viewer.role)))
    throw new LifeCircleError('LC_NOT_FOUND', `inspection draw ${id} does not exist or is not published yet`);
  return d;
}

function certificationView(c: Certification, asOf: string, outletName: string | null) {
  return { ...c, outletName, status: certificationStatus(c, asOf), badge: presentBadge(c, asOf) };
}

export const creditRoutes: RoutePlugin<CreditRouteOptions> = async (app, ctx) => {
  const { store, cityCode } = ctx;
  const asOf = ctx.today ?? beijingToday;
  const tags = ['credit'];

  app.get(
    '/api/providers/:uscc/credit-records',
    {
      config: { permission: 'credit.read' },
      schema: {
        tags,
        summary: "A provider's credit records, oldest first",
        params: UsccParams,
        response: { 200: Json, ...ERRORS },
      },
    },
    async (request) => {
      const { uscc } = request.params as { uscc: string };
      forbidUnless(providerScopeProblem(request.viewer, await providerOr404(store, uscc)));
      const day = asOf();
      return {
        items: (await store.credit.listRecords(uscc)).map((r) => presentCreditRecord(r, request.viewer, day)),
      };
    },
  );

  app.post(
    '/api/providers/:uscc/credit-records',
    {
      config: { permission: 'credit.write' },
      schema: {
        tags,
        summary:
          'Add a credit record; the class is recomputed and due revocations applied in the same transaction',
        params: UsccParams,
        body: CreditRecordInput,
        response: { 201: Json, ...ERRORS },
      },
    },
    async (request, reply) => {
      const { uscc } = request.params as { uscc: string };
      forbidUnless(providerScopeProblem(request.viewer, await providerOr404(store, uscc)));
      const record = recordFromBody(uscc, request.body as CreditRecordBody);
      const day = asOf();
      const change = await store.transaction((tx) => recordCredit(tx, record, actorOf(request.viewer), day));
      return reply.status(201).send({ record: presentCreditRecord(record, request.viewer, day), ...change });
    },
  );

  app.post(
    '/api/providers/:uscc/credit-records/:id/repair',
    {
      config: { permission: 'credit.write' },
      schema: {
        tags,
        summary:
          '信用修复: from this date the record no longer counts nor is disclosed; class recomputed, audited',
        params: Type.Object({ uscc: USCC, id: Type.String({ minLength: 1, maxLength: 100 }) }),
        body: Type.Object({ repairedOn: DATE }, { additionalProperties: false }),
        response: { 200: Json, ...ERRORS },
      },
    },
    async (request) => {
      const { uscc, id } = request.params as { uscc: string; id: string };
      const { repairedOn } = request.body as { repairedOn: string };
      forbidUnless(providerScopeProblem(request.viewer, await providerOr404(store, uscc)));
      const record = await store.credit.getRecord(id);
      if (!record || record.uscc !== uscc)
        throw new LifeCircleError('LC_NOT_FOUND', `provider ${uscc} has no credit record ${id}`);
      if (repairedOn < record.date)
        throw new LifeCircleError(
          'LC_INVALID_FIELD',
          `repairedOn: ${repairedOn} is before the record's date ${record.date}`,
        );
      const repaired: CreditRecord = { ...record, repairedOn };
      const day = asOf();
      const change = await store.transaction((tx) =>
        recordCredit(tx, repaired, actorOf(request.viewer), day),
      );
      return { record: presentCreditRecord(repaired, request.viewer, day), ...change };
    },
  );

  app.get(
    '/api/providers/:uscc/credit',
    {
      config: { permission: 'credit.read' },
      schema: {
        tags,
        summary: 'Risk class A–D, score, the records that drove it and the scoring model',
        params: UsccParams,
        response: { 200: Json, ...ERRORS },
      },
    },
    async (request) => {
      const { uscc } = request.params as { uscc: string };
      const provider = await providerOr404(store, uscc);
      forbidUnless(providerScopeProblem(request.viewer, provider));
      const day = asOf();
      const { classification, stored } = await currentClass(store, uscc, day);
      const records = (await store.credit.listRecords(uscc)).map((r) =>
        presentCreditRecord(r, request.viewer, day),
      );
      const certifications = await store.credit.listCertifications({ providerUscc: uscc });
      return {
        provider: { uscc: provider.uscc, name: provider.name, regionCode: provider.regionCode },
        classification,
        stored,
        className: RISK_CLASS_NAMES.value[classification.riskClass],
        classSource: RISK_CLASS_NAMES.source,
        records,
        scoring: DEFAULT_SCORING,
        certifications: certifications.map((c) => certificationView(c, day, null)),
      };
    },
  );

  app.get(
    '/api/public/providers/:uscc',
    {
      config: { permission: 'disclosure.read' },
      schema: {
        tags: ['disclosure'],
        summary:
          'Public disclosure (信息公示): permits, penalties and inspections in force, 普惠 badges; nothing personal',
        params: UsccParams,
        response: { 200: Json, ...ERRORS },
      },
    },
    async (request) => {
      const { uscc } = request.params as { uscc: string };
      const provider = await providerOr404(store, uscc);
      const day = asOf();
      const disclosure = presentDisclosure(provider, await store.credit.listRecords(uscc), day);
      const badges = [];
      for (const c of await store.credit.listCertifications({ providerUscc: uscc })) {
        const badge = presentBadge(c, day);
        if (!badge) continue;
        const outlet = await store.facilities.get(c.outletId);
        badges.push({ ...badge, outletName: outlet?.name ?? c.outletId });
      }
      return { ...disclosure, badges };
    },
  );

  app.post(
    '/api/inspections/draws',
    {
      config: { permission: 'inspections.draw' },
      schema: {
        tags: ['inspections'],
        summary:
          '双随机 draw: candidates = providers in scope with their current class; seed given or generated',
        body: DrawInputBody,
        response: { 201: Json, ...ERRORS },
      },
    },
    async (request, reply) => {
      const b = request.body as DrawBody;
      const viewer = request.viewer;
      const regionCode = b.regionCode ?? viewer.regionCode ?? cityCode;
      if (viewer.role === 'staff' && viewer.regionCode && !regionCode.startsWith(viewer.regionCode))
        throw new LifeCircleError(
          'LC_FORBIDDEN',
          `regionCode: ${viewer.department ?? 'staff'} acts in region ${viewer.regionCode}, not ${regionCode}`,
        );
      const config: DrawConfig = {
        ...DEFAULT_DRAW_CONFIG,
        ratios: { ...DEFAULT_DRAW_CONFIG.ratios, ...b.ratios },
        ranges: b.localRange === false ? null : DEFAULT_DRAW_CONFIG.ranges,
        rounding: b.rounding ?? 'nearest',
        inspectorsPerTarget: b.teamSize ?? DEFAULT_DRAW_CONFIG.inspectorsPerTarget,
      };
      const seed = b.seed?.trim() || `${asOf()}-${randomBytes(8).toString('hex')}`;
      const { candidates, skipped } = await buildCandidates(store, regionCode, b.domain, asOf());
      if (candidates.length === 0)
        throw new LifeCircleError(
          'LC_INVALID_FIELD',
          `regionCode: no providers to draw from in ${regionCode}${b.domain ? ` (${b.domain})` : ''}`,
        );
      const inspectors =
        b.assignInspectors === false ? null : await buildInspectors(store, cityCode, regionCode, b.conflicts);
      const result = drawInspections({ seed, candidates, config, ...(inspectors ? { inspectors } : {}) });
      const draw = await store.transaction(async (tx) => {
        const d = await tx.credit.createDraw({
          seed,
          scope: { regionCode, domain: b.domain ?? null },
          candidates,
          inspectors,
          config,
          result,
          createdBy: viewer.username,
        });
        await tx.audit.record({
          actorId: viewer.id || null,
          actorName: viewer.username,
          action: 'create',
          entity: 'inspection-draws',
          entityKey: d.id,
          before: null,
          after: {
            seed,
            scope: d.scope,
            candidateListSha256: result.candidateListSha256,
            targets: result.targets.length,
          },
        });
        return d;
      });
      return reply.status(201).send({ ...drawView(draw, viewer), skipped });
    },
  );

  app.get(
    '/api/inspections/draws',
    {
      config: { permission: 'inspections.read' },
      schema: {
        tags: ['inspections'],
        summary: 'Draws, newest first; the public sees published ones only',
        querystring: Type.Object({
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
          offset: Type.Optional(Type.Integer({ minimum: 0 })),
        }),
        response: { 200: Json, ...ERRORS },
      },
    },
    async (request) => {
      const q = request.query as { limit?: number; offset?: number };
      const all = SEES_UNPUBLISHED.includes(request.viewer.role);
      const listed = await store.credit.listDraws({ ...q, ...(all ? {} : { published: true }) });
      const page = all ? listed : { ...listed, items: listed.items.map(({ createdBy: _by, ...d }) => d) };
      // The defaults a new draw starts from, with the local rule they come from, for the dashboard's form.
      return { ...page, defaults: { config: DEFAULT_DRAW_CONFIG, localRule: SAMPLING_RANGES } };
    },
  );

  app.get(
    '/api/inspections/draws/:id',
    {
      config: { permission: 'inspections.read' },
      schema: {
        tags: ['inspections'],
        summary: 'One draw: seed, candidate and inspector lists, configuration, result, results recorded',
        params: IdParams,
        response: { 200: Json, ...ERRORS },
      },
    },
    async (request) => {
      const d = await visibleDraw(store, (request.params as { id: string }).id, request.viewer);
      const results = await store.credit.listResults({ drawId: d.id });
      return {
        ...drawView(d, request.viewer),
        results: results.map(({ createdBy: _by, ...r }) => r),
      };
    },
  );

  app.post(
    '/api/inspections/draws/:id/publish',
    {
      config: { permission: 'inspections.draw' },
      schema: {
        tags: ['inspections'],
        summary: 'Publish a draw (一公开); idempotent, audited',
        params: IdParams,
        response: { 200: Json, ...ERRORS },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const viewer = request.viewer;
      const d = await store.transaction(async (tx) => {
        const before = await tx.credit.getDraw(id);
        if (!before) throw new LifeCircleError('LC_NOT_FOUND', `inspection draw ${id} does not exist`);
        if (
          viewer.role === 'staff' &&
          viewer.regionCode &&
          !before.scope.regionCode.startsWith(viewer.regionCode)
        )
          throw new LifeCircleError(
            'LC_FORBIDDEN',
            `draw ${id} covers ${before.scope.regionCode}, outside ${viewer.regionCode}`,
          );
        if (before.published) return before;
        const after = (await tx.credit.publishDraw(id, new Date().toISOString())) as StoredDraw;
        await tx.audit.record({
          actorId: viewer.id || null,
          actorName: viewer.username,
          action: 'update',
          entity: 'inspection-draws',
          entityKey: id,
          before: { published: false },
          after: { published: true, publishedAt: after.publishedAt },
        });
        return after;
      });
      return drawView(d, viewer);
    },
  );

  for (const [file, body] of [
    ['candidates', (d: StoredDraw) => candidatesCsv(d.candidates)],
    ['inspectors', (d: StoredDraw) => (d.inspectors ? inspectorsCsv(d.inspectors) : null)],
  ] as const)
    app.get(
      `/api/inspections/draws/:id/${file}.csv`,
      {
        config: { permission: 'inspections.read' },
        schema: {
          tags: ['inspections'],
          summary: `The published ${file} list as CSV, as \`lifecircle inspections draw --${file}\` reads it`,
          params: IdParams,
          response: { 200: Type.String(), ...ERRORS },
        },
      },
      async (request, reply) => {
        const d = await visibleDraw(store, (request.params as { id: string }).id, request.viewer);
        const text = body(d);
        if (text === null) throw new LifeCircleError('LC_NOT_FOUND', `draw ${d.id} assigned no inspectors`);
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="draw-${d.id}-${file}.csv"`)
          .send(text);
      },
    );

  app.post(
    '/api/inspections/results',
    {
      config: { permission: 'inspections.record' },
      schema: {
        tags: ['inspections'],
        summary:
          "An inspector records a drawn target's result; it becomes a credit record and the class is recomputed",
        body: ResultInput,
        response: { 201: Json, ...ERRORS, ...CONFLICT },
      },
    },
    async (request, reply) => {
      const b = request.body as {
        drawId: string;
        uscc: string;
        inspectedOn: string;
        outcome: 'compliant' | 'rectified' | 'non-compliant';
        findings: string;
        authority: string;
        document?: string;
      };
      const viewer = request.viewer;
      const draw = await store.credit.getDraw(b.drawId);
      if (!draw)
        throw new LifeCircleError('LC_NOT_FOUND', `drawId: inspection draw ${b.drawId} does not exist`);
      const target = draw.result.targets.find((t) => t.uscc === b.uscc);
      if (!target)
        throw new LifeCircleError('LC_INVALID_FIELD', `uscc: ${b.uscc} was not drawn in draw ${b.drawId}`);
      if (target.inspectorIds && !target.inspectorIds.includes(viewer.username))
        throw new LifeCircleError(
          'LC_FORBIDDEN',
          `draw ${b.drawId} assigned ${b.uscc} to ${target.inspectorIds.join(', ')}, not to ${viewer.username}`,
        );
      if (!target.inspectorIds && viewer.regionCode && !target.regionCode.startsWith(viewer.regionCode))
        throw new LifeCircleError(
          'LC_FORBIDDEN',
          `${b.uscc} lies in ${target.regionCode}, outside ${viewer.regionCode}`,
        );
      if (b.inspectedOn > asOf())
        throw new LifeCircleError('LC_INVALID_FIELD', `inspectedOn: ${b.inspectedOn} is in the future`);
      const result = {
        drawId: draw.id,
        uscc: b.uscc,
        inspectedOn: b.inspectedOn,
        inspectorIds: target.inspectorIds ? [...target.inspectorIds] : [viewer.username],
        outcome: b.outcome,
        findings: b.findings.trim(),
        authority: b.authority.trim(),
        ...(b.document ? { document: b.document } : {}),
      };
      const day = asOf();
      const out = await store.transaction(async (tx) => {
        const stored = await tx.credit.addResult(result, viewer.username);
        await tx.audit.record({
          actorId: viewer.id || null,
          actorName: viewer.username,
          action: 'create',
          entity: 'inspection-results',
          entityKey: `${draw.id}:${b.uscc}`,
          before: null,
          after: result,
        });
        const record = inspectionResultToCreditRecord(result);
        const change = await recordCredit(tx, record, actorOf(viewer), day);
        return { result: stored, record: presentCreditRecord(record, viewer, day), ...change };
      });
      return reply.status(201).send(out);
    },
  );

  app.get(
    '/api/certifications',
    {
      config: { permission: 'certification.read' },
      schema: {
        tags: ['certification'],
        summary: '普惠 certifications (the review queue with ?state=applied); providers see their own',
        querystring: Type.Object({
          state: Type.Optional(
            literals(['applied', 'under-review', 'certified', 'rejected', 'revoked', 'withdrawn'] as const),
          ),
        }),
        response: { 200: Json, ...ERRORS },
      },
    },
    async (request) => {
      const { state } = request.query as { state?: Certification['state'] };
      const viewer = request.viewer;
      if (viewer.role === 'provider' && !viewer.providerUscc) return { items: [] };
      const list = await store.credit.listCertifications({
        state,
        ...(viewer.role === 'provider' ? { providerUscc: viewer.providerUscc ?? '' } : {}),
      });
      const day = asOf();
      const items = [];
      for (const c of list) {
        const outlet = await store.facilities.get(c.outletId);
        items.push(certificationView(c, day, outlet?.name ?? null));
      }
      return { items, config: DEFAULT_CERTIFICATION_CONFIG };
    },
  );

  app.post(
    '/api/certifications',
    {
      config: { permission: 'certification.apply' },
      schema: {
        tags: ['certification'],
        summary: 'A provider applies for 普惠 certification of one of its outlets with its credit commitment',
        body: ApplyInput,
        response: { 201: Json, ...ERRORS, ...CONFLICT },
      },
    },
    async (request, reply) => {
      const b = request.body as {
        outletId: string;
        commitment: { text: string; signatoryRole: string; signedOn?: string };
      };
      const viewer = request.viewer;
      const outlet = await store.facilities.get(b.outletId);
      if (!outlet)
        throw new LifeCircleError('LC_NOT_FOUND', `outletId: facility ${b.outletId} does not exist`);
      if (!viewer.providerUscc || outlet.providerUscc !== viewer.providerUscc)
        throw new LifeCircleError(
          'LC_FORBIDDEN',
          `outlet ${b.outletId} is not operated by provider ${viewer.providerUscc ?? '(none)'}`,
        );
      const day = asOf();
      const open = (await store.credit.listCertifications({ outletId: b.outletId })).find((c) =>
        ['applied', 'under-review', 'certified'].includes(certificationStatus(c, day)),
      );
      if (open)
        throw new LifeCircleError(
          'LC_CONFLICT',
          `outlet ${b.outletId} already has certification ${open.id} (${open.state})`,
        );
      const applied = applyForCertification({
        id: 'new',
        outletId: outlet.code,
        providerUscc: viewer.providerUscc,
        serviceType: outlet.typeCode,
        commitment: {
          text: b.commitment.text.trim(),
          signatoryRole: b.commitment.signatoryRole.trim(),
          signedOn: b.commitment.signedOn ?? day,
        },
        on: day,
      });
      if (!applied.ok) throw new LifeCircleError(applied.code, applied.message);
      const created = await store.transaction(async (tx) => {
        const c = await tx.credit.createCertification(applied.certification);
        await tx.audit.record({
          actorId: viewer.id || null,
          actorName: viewer.username,
          action: 'create',
          entity: 'certifications',
          entityKey: c.id,
          before: null,
          after: c,
        });
        return c;
      });
      return reply.status(201).send(certificationView(created, day, outlet.name));
    },
  );

  app.post(
    '/api/certifications/:id/review',
    {
      config: { permission: 'certification.review' },
      schema: {
        tags: ['certification'],
        summary:
          'Start review, approve (with expiry), reject or revoke; approval sets the outlet 普惠, revocation clears it',
        params: IdParams,
        body: ReviewInput,
        response: { 200: Json, ...ERRORS, ...CONFLICT },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const b = request.body as {
        decision: 'start-review' | 'approve' | 'reject' | 'revoke';
        note: string;
        expiresOn?: string;
      };
      const viewer = request.viewer;
      const day = asOf();
      if (b.expiresOn !== undefined && (b.decision !== 'approve' || b.expiresOn <= day))
        throw new LifeCircleError(
          'LC_INVALID_FIELD',
          b.decision !== 'approve'
            ? 'expiresOn: only an approval has an expiry date'
            : `expiresOn: expected a date after today (${day}), got ${b.expiresOn}`,
        );
      const out = await store.transaction(async (tx) => {
        const c = await tx.credit.getCertification(id);
        if (!c) throw new LifeCircleError('LC_NOT_FOUND', `certification ${id} does not exist`);
        const outlet = await tx.facilities.get(c.outletId);
        const types = new Map((await tx.facilityTypes.list()).map((t) => [t.code, t]));
        if (outlet) forbidUnless(scopeProblem(viewer, 'facilities', [outlet], types));
        const actor = { role: 'department' as const, id: viewer.username };
        const steps: CertificationAction[] = [];
        if (b.decision === 'start-review') steps.push({ type: 'start-review' });
        else if (b.decision === 'revoke') steps.push({ type: 'revoke', reason: b.note });
        else {
          if (c.state === 'applied') steps.push({ type: 'start-review' });
          const credit: CreditClassification = (await currentClass(tx, c.providerUscc, day)).classification;
          steps.push({ type: 'decide', approve: b.decision === 'approve', note: b.note, credit });
        }
        let next = c;
        for (const step of steps) {
          const r = applyCertificationAction(next, step, actor, day);
          if (!r.ok) throw new LifeCircleError(r.code, r.message);
          next = r.certification;
        }
        if (b.decision === 'approve' && b.expiresOn) next = { ...next, expiresOn: b.expiresOn };
        await tx.credit.saveCertification(next);
        await tx.audit.record({
          actorId: viewer.id || null,
          actorName: viewer.username,
          action: 'update',
          entity: 'certifications',
          entityKey: id,
          before: c,
          after: next,
        });
        if (next.state === 'certified' || next.state === 'revoked')
          await setAffordable(tx, next.outletId, next.state === 'certified', actorOf(viewer));
        return next;
      });
      const outlet = await store.facilities.get(out.outletId);
      return certificationView(out, day, outlet?.name ?? null);
    },
  );

  app.post(
    '/api/certifications/:id/withdraw',
    {
      config: { permission: 'certification.apply' },
      schema: {
        tags: ['certification'],
        summary:
          'The provider withdraws its application or certification; a certified outlet loses its 普惠 flag',
        params: IdParams,
        body: Type.Object(
          { note: Type.Optional(Type.String({ maxLength: 1000 })) },
          { additionalProperties: false },
        ),
        response: { 200: Json, ...ERRORS, ...CONFLICT },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const { note } = request.body as { note?: string };
      const viewer = request.viewer;
      const day = asOf();
      const out = await store.transaction(async (tx) => {
        const c = await tx.credit.getCertification(id);
        if (!c) throw new LifeCircleError('LC_NOT_FOUND', `certification ${id} does not exist`);
        if (c.providerUscc !== viewer.providerUscc)
          throw new LifeCircleError('LC_FORBIDDEN', `certification ${id} belongs to another provider`);
        const r = applyCertificationAction(
          c,
          { type: 'withdraw', ...(note ? { note } : {}) },
          { role: 'provider', id: c.providerUscc },
          day,
        );
        if (!r.ok) throw new LifeCircleError(r.code, r.message);
        await tx.credit.saveCertification(r.certification);
        await tx.audit.record({
          actorId: viewer.id || null,
          actorName: viewer.username,
          action: 'update',
          entity: 'certifications',
          entityKey: id,
          before: c,
          after: r.certification,
        });
        if (c.state === 'certified') await setAffordable(tx, c.outletId, false, actorOf(viewer));
        return r.certification;
      });
      const outlet = await store.facilities.get(out.outletId);
      return certificationView(out, day, outlet?.name ?? null);
    },
  );

  app.get(
    '/api/leaders',
    {
      config: { permission: 'disclosure.read' },
      schema: {
        tags: ['disclosure'],
        summary:
          '领跑者 ranking per service type: ratings and credit, or credit alone while no ratings are wired in',
        response: { 200: Json, ...ERRORS },
      },
    },
    async (request) => {
      const classes = await store.credit.classes();
      const outlets = [];
      for (const uscc of classes.keys())
        for (const f of (
          await store.facilities.list({ providerUscc: uscc, status: 'open', limit: MAX_PAGE_LIMIT })
        ).items)
          outlets.push({ outletId: f.code, providerUscc: uscc, serviceType: f.typeCode, name: f.name });
      const names = new Map(outlets.map((o) => [o.outletId, o.name]));
      const internal = SEES_INTERNAL.includes(request.viewer.role) || request.viewer.role === 'coordinator';
      const ranked = ctx.ratings
        ? rankLeaders(outlets, await ctx.ratings(), classes)
        : creditOnlyRanking(outlets, classes);
      return {
        basis: ctx.ratings ? 'ratings-and-credit' : 'credit-only',
        note: ctx.ratings
          ? 'Bayesian satisfaction and credit score blended (docs/supervision.md)'
          : 'No ratings are wired into this server yet: outlets are ranked by their provider’s credit score alone.',
        config: DEFAULT_LEADER_CONFIG,
        types: [...ranked].map(([serviceType, entries]) => ({
          serviceType,
          entries: entries.map((e) => ({
            rank: e.rank,
            outletId: e.outletId,
            outletName: names.get(e.outletId) ?? e.outletId,
            providerUscc: e.providerUscc,
            // The class and score are an internal supervision reference, not a public rating.
            ...(internal ? { score: e.score, riskClass: e.riskClass } : {}),
          })),
        })),
      };
    },
  );
};

/** Without ratings: eligible classes only, highest credit score first, per service type. */
function creditOnlyRanking(
  outlets: { outletId: string; providerUscc: string; serviceType: string }[],
  classes: ReadonlyMap<string, CreditClassification>,
) {
  const out = new Map<
    string,
    { rank: number; outletId: string; providerUscc: string; score: number; riskClass: RiskClass }[]
  >();
  const byType = new Map<string, typeof outlets>();
  for (const o of outlets) byType.set(o.serviceType, [...(byType.get(o.serviceType) ?? []), o]);
  for (const [type, list] of [...byType].sort(([a], [b]) => a.localeCompare(b))) {
    const entries = list
      .map((o) => ({ o, c: classes.get(o.providerUscc) }))
      .filter(
        (x): x is { o: (typeof list)[number]; c: CreditClassification } =>
          x.c !== undefined && DEFAULT_LEADER_CONFIG.eligibleClasses.includes(x.c.riskClass),
      )
      .sort((x, y) => y.c.score - x.c.score || x.o.outletId.localeCompare(y.o.outletId))
      .slice(0, DEFAULT_LEADER_CONFIG.top)
      .map((x, i) => ({
        rank: i + 1,
        outletId: x.o.outletId,
        providerUscc: x.o.providerUscc,
        score: x.c.score,
        riskClass: x.c.riskClass,
      }));
    out.set(type, entries);
  }
  return out;
}
