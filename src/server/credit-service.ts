import { LifeCircleError } from '../errors.js';
import {
  DEFAULT_SCORING,
  RISK_CLASSES,
  applyCertificationAction,
  classifyProvider,
  revocationsDue,
  type Candidate,
  type CreditClassification,
  type CreditRecord,
  type DrawConfig,
  type Inspector,
} from '../supervision/index.js';
import type { Actor, Provider, StoreRepositories } from '../store/index.js';
import type { Viewer } from '../policy/index.js';

/**
 * What the credit routes do inside one transaction: store a credit record, recompute the provider's class from all
 * its records, and revoke the 普惠 certifications that a serious penalty or a broken commitment makes due — all
 * audited, so a class change or a revocation is never separated from the record that caused it.
 */

export interface CreditChange {
  classification: CreditClassification;
  previousClass: CreditClassification['riskClass'] | null;
  revoked: string[];
}

const audit = (tx: StoreRepositories, actor: Actor) => ({
  write: (action: 'create' | 'update', entity: string, entityKey: string, before: unknown, after: unknown) =>
    tx.audit.record({
      actorId: actor.userId,
      actorName: actor.name,
      action,
      entity,
      entityKey,
      before,
      after,
    }),
});

/** Stores (or replaces) a credit record, then recomputes the class and applies due revocations. */
export async function recordCredit(
  tx: StoreRepositories,
  record: CreditRecord,
  actor: Actor,
  asOf: string,
): Promise<CreditChange> {
  // The class before the change, also for a provider whose base class was never stored.
  const prior = (await currentClass(tx, record.uscc, asOf)).classification.riskClass;
  const before = await tx.credit.putRecord(record, actor.name);
  await audit(tx, actor).write(before ? 'update' : 'create', 'credit-records', record.id, before, record);
  return { ...(await recomputeCredit(tx, record.uscc, actor, asOf)), previousClass: prior };
}

export async function recomputeCredit(
  tx: StoreRepositories,
  uscc: string,
  actor: Actor,
  asOf: string,
): Promise<CreditChange> {
  const records = await tx.credit.listRecords(uscc);
  const next = classifyProvider(uscc, records, asOf, DEFAULT_SCORING);
  const previous = await tx.credit.putClass(next);
  if (!previous || previous.riskClass !== next.riskClass || previous.score !== next.score)
    await audit(tx, actor).write(
      previous ? 'update' : 'create',
      'credit-classes',
      uscc,
      previous && { riskClass: previous.riskClass, score: previous.score, decidedBy: previous.decidedBy },
      { riskClass: next.riskClass, score: next.score, decidedBy: next.decidedBy },
    );
  const certified = await tx.credit.listCertifications({ providerUscc: uscc, state: 'certified' });
  const revoked: string[] = [];
  for (const due of revocationsDue(certified, records, asOf)) {
    const c = certified.find((x) => x.id === due.certificationId);
    if (!c) continue;
    const result = applyCertificationAction(
      c,
      { type: 'revoke', reason: due.reason },
      { role: 'system', id: 'credit-records' },
      asOf,
    );
    if (!result.ok) continue;
    const before = await tx.credit.saveCertification(result.certification);
    await audit(tx, actor).write('update', 'certifications', c.id, before, result.certification);
    await setAffordable(tx, c.outletId, false, actor);
    revoked.push(c.id);
  }
  return { classification: next, previousClass: previous?.riskClass ?? null, revoked };
}

/** The 普惠 flag of the outlet follows its certification, so the map and the residents' page show it. */
export async function setAffordable(
  tx: StoreRepositories,
  outletId: string,
  affordable: boolean,
  actor: Actor,
): Promise<void> {
  const facility = await tx.facilities.get(outletId);
  if (!facility || facility.affordable === affordable) return;
  const after = { ...facility, affordable };
  await tx.facilities.upsert(after);
  await audit(tx, actor).write('update', 'facilities', outletId, facility, after);
}

/** The stored class, or the class of a provider with no records yet (the base score). */
export async function currentClass(
  repos: StoreRepositories,
  uscc: string,
  asOf: string,
): Promise<{ classification: CreditClassification; stored: boolean }> {
  const stored = await repos.credit.getClass(uscc);
  if (stored) return { classification: stored, stored: true };
  return {
    classification: classifyProvider(uscc, await repos.credit.listRecords(uscc), asOf, DEFAULT_SCORING),
    stored: false,
  };
}

/** Why this viewer may not act on this provider's credit, or null when it may. */
export function providerScopeProblem(viewer: Viewer, provider: Provider): string | null {
  if (viewer.role === 'administrator' || viewer.role === 'coordinator') return null;
  if (viewer.role === 'provider')
    return viewer.providerUscc === provider.uscc ? null : `provider accounts see only their own credit`;
  if (viewer.regionCode && !(provider.regionCode ?? '').startsWith(viewer.regionCode))
    return `${viewer.department ?? viewer.role} acts in region ${viewer.regionCode}; provider ${provider.uscc} is registered in ${provider.regionCode ?? 'no region'}`;
  if (
    viewer.role === 'staff' &&
    viewer.domains.length > 0 &&
    provider.domains.length > 0 &&
    !provider.domains.some((d) => viewer.domains.includes(d))
  )
    return `${viewer.department ?? 'staff'} is responsible for ${viewer.domains.join(', ')}, provider ${provider.uscc} for ${provider.domains.join(', ')}`;
  return null;
}

export function forbidUnless(problem: string | null): void {
  if (problem) throw new LifeCircleError('LC_FORBIDDEN', problem);
}

const csvCell = (v: string): string => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const csv = (header: string[], rows: string[][]): string =>
  [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n';

/** The published candidate list in the format `lifecircle inspections draw --candidates` reads. */
export function candidatesCsv(candidates: readonly Candidate[]): string {
  return csv(
    ['uscc', 'name', 'riskClass', 'regionCode', 'lastInspectorIds'],
    candidates.map((c) => [c.uscc, c.name ?? '', c.riskClass, c.regionCode, c.lastInspectorIds.join(';')]),
  );
}

/** The published inspector list in the format `lifecircle inspections draw --inspectors` reads. */
export function inspectorsCsv(inspectors: readonly Inspector[]): string {
  return csv(
    ['id', 'regionCodes', 'conflictUscc'],
    inspectors.map((i) => [i.id, i.regionCodes.join(';'), i.conflictUscc.join(';')]),
  );
}

const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** The exact command that re-runs a stored draw from its published files. */
export function cliCommand(draw: {
  id: string;
  seed: string;
  config: DrawConfig;
  inspectors: readonly Inspector[] | null;
}): string {
  const c = draw.config;
  return [
    'lifecircle inspections draw',
    `--seed ${shellQuote(draw.seed)}`,
    `--candidates draw-${draw.id}-candidates.csv`,
    ...(draw.inspectors ? [`--inspectors draw-${draw.id}-inspectors.csv`] : []),
    `--ratios ${RISK_CLASSES.map((k) => `${k}=${c.ratios[k]}`).join(',')}`,
    ...(c.ranges ? [] : ['--no-local-range']),
    `--rounding ${c.rounding}`,
    `--team-size ${c.inspectorsPerTarget}`,
  ].join(' ');
}
