/**
 * 双随机 writes: draw inspection targets (and inspectors), publish a draw (一公开), record an inspection result —
 * which becomes a credit record of the provider, its class recomputed in the same transaction.
 */
import { randomBytes } from 'node:crypto';
import { actorOf, recordAudit } from '../audit/index.js';
import { LifeCircleError } from '../errors.js';
import { defineCommand, requireCovers } from '../policy/index.js';
import type { Provider, ServiceDomain, Store, StoredDraw, StoredInspectionResult } from '../store/index.js';
import { beijingToday } from '../time/index.js';
import type { CreditRecord } from './credit.js';
import { recordCreditIn, type CreditChange } from './credit-commands.js';
import {
  DEFAULT_DRAW_CONFIG,
  drawInspections,
  inspectionResultToCreditRecord,
  lastInspectorsByProvider,
  type Candidate,
  type DrawConfig,
  type Inspector,
  type Rounding,
} from './inspections.js';
import { currentClass } from './queries.js';
import { drawConfigOf, samplingRuleOf } from './sampling-rule.js';
import type { RiskClass } from './rules.js';

/** The store's largest page. */
const PAGE = 1000;

async function allProviders(store: Store, within: string, domain: ServiceDomain | undefined) {
  const out: Provider[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await store.providers.list({ within, domain, limit: PAGE, offset });
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
  conflicts: DrawRequest['conflicts'],
) {
  const users = (await store.users.list({ limit: PAGE })).items;
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

export interface DrawRequest {
  seed?: string;
  regionCode?: string;
  domain?: ServiceDomain;
  ratios?: Partial<Record<RiskClass, number>>;
  localRange?: boolean;
  rounding?: Rounding;
  teamSize?: number;
  assignInspectors?: boolean;
  conflicts?: { inspectorId: string; uscc: string }[];
}

/**
 * A 双随机 draw over the providers of a region (the viewer's own by default, the city's for administrators):
 * candidates with their current class, a published or generated seed, inspectors assigned unless asked not to.
 */
export const drawInspectionTargets = defineCommand<
  DrawRequest,
  { draw: StoredDraw; skipped: { uscc: string; reason: string }[] }
>({
  name: 'inspections.draw',
  permission: 'inspections.draw',
  async run(deps, viewer, b) {
    const { store, cityCode } = deps;
    const regionCode = b.regionCode ?? viewer.regionCode ?? cityCode;
    // The draw's scope is a region: the department draws only inside its own.
    requireCovers(viewer, { label: `regionCode ${regionCode}`, regionCode });
    const asOf = beijingToday(deps.clock);
    // The city's own rule, else the national default; a draw may depart from it only by saying so (localRange).
    const rule = drawConfigOf(await samplingRuleOf(store, cityCode));
    const config: DrawConfig = {
      ...rule,
      ratios: { ...rule.ratios, ...b.ratios },
      ranges: b.localRange === false ? null : rule.ranges,
      rounding: b.rounding ?? 'nearest',
      inspectorsPerTarget: b.teamSize ?? DEFAULT_DRAW_CONFIG.inspectorsPerTarget,
    };
    const seed = b.seed?.trim() || `${asOf}-${randomBytes(8).toString('hex')}`;
    const { candidates, skipped } = await buildCandidates(store, regionCode, b.domain, asOf);
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
      await recordAudit(tx, actorOf(viewer), {
        action: 'create',
        entity: 'inspection_draws',
        key: d.id,
        after: {
          seed,
          scope: d.scope,
          candidateListSha256: result.candidateListSha256,
          targets: result.targets.length,
        },
      });
      return d;
    });
    return { draw, skipped };
  },
});

/** Publishes a draw (一公开); publishing a published draw changes nothing. */
export const publishDraw = defineCommand<{ id: string }, StoredDraw>({
  name: 'inspections.publish',
  permission: 'inspections.draw',
  async run(deps, viewer, { id }) {
    return deps.store.transaction(async (tx) => {
      const before = await tx.credit.getDraw(id);
      if (!before) throw new LifeCircleError('LC_NOT_FOUND', `inspection draw ${id} does not exist`);
      requireCovers(viewer, { label: `draw ${id}`, regionCode: before.scope.regionCode });
      if (before.published) return before;
      const after = (await tx.credit.publishDraw(id, deps.clock().toISOString())) as StoredDraw;
      await recordAudit(tx, actorOf(viewer), {
        action: 'update',
        entity: 'inspection_draws',
        key: id,
        before: { published: false },
        after: { published: true, publishedAt: after.publishedAt },
      });
      return after;
    });
  },
});

export interface ResultInput {
  drawId: string;
  uscc: string;
  inspectedOn: string;
  outcome: 'compliant' | 'rectified' | 'non-compliant';
  findings: string;
  authority: string;
  document?: string;
}

export interface ResultRecorded extends CreditChange {
  result: StoredInspectionResult;
  record: CreditRecord;
  asOf: string;
}

/**
 * An inspector records the result of a drawn target: only an inspector the draw assigned it to (or, when the draw
 * assigned none, one whose region covers the target). The result becomes a credit record in the same transaction.
 */
export const recordInspectionResult = defineCommand<ResultInput, ResultRecorded>({
  name: 'inspections.record',
  permission: 'inspections.record',
  async run(deps, viewer, b) {
    const { store } = deps;
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
    if (!target.inspectorIds) requireCovers(viewer, { label: b.uscc, regionCode: target.regionCode });
    const asOf = beijingToday(deps.clock);
    if (b.inspectedOn > asOf)
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
    return store.transaction(async (tx) => {
      const stored = await tx.credit.addResult(result, viewer.username);
      await recordAudit(tx, actorOf(viewer), {
        action: 'create',
        entity: 'inspection_results',
        key: `${draw.id}:${b.uscc}`,
        after: result,
      });
      const record = inspectionResultToCreditRecord(result);
      const change = await recordCreditIn(tx, record, actorOf(viewer), asOf);
      return { result: stored, record, asOf, ...change };
    });
  },
});
