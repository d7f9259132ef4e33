import { randomBytes } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import { LifeCircleError } from '../errors.js';
import {
  DEFAULT_DRAW_CONFIG,
  RISK_CLASSES,
  SAMPLING_RANGES,
  drawInspections,
  inspectionResultToCreditRecord,
  lastInspectorsByProvider,
  type Candidate,
  type DrawConfig,
  type Inspector,
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
import { candidatesCsv, cliCommand, currentClass, inspectorsCsv, recordCredit } from './credit-service.js';
import type { Viewer } from '../policy/index.js';
import { literals } from './schemas.js';
import {
  CONFLICT,
  DATE,
  IdParams,
  Json,
  SEES_UNPUBLISHED,
  USCC,
  presentCreditRecord,
  type CreditRouteOptions,
} from './credit-common.js';
import { ERRORS, type RoutePlugin } from './route-context.js';
import { beijingToday } from '../time/index.js';

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

/** 双随机 draws (create, list, publish, the published lists) and inspectors' results. */
export const inspectionRoutes: RoutePlugin<CreditRouteOptions> = async (app, ctx) => {
  const { store, cityCode } = ctx;
  const asOf = (): string => beijingToday(ctx.clock);

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
        const after = (await tx.credit.publishDraw(id, ctx.clock().toISOString())) as StoredDraw;
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
};
