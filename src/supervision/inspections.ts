import { hash } from 'node:crypto';
import { LifeCircleError } from '../errors.js';
import type { CreditRecord, InspectionOutcome } from './credit.js';
import {
  DEFAULT_SAMPLING_RATIOS,
  INSPECTORS_PER_TARGET,
  RISK_CLASSES,
  type RiskClass,
  type RuleSource,
  type SamplingRange,
} from './rules.js';

/**
 * 双随机、一公开: a random draw of inspection targets, stratified by risk class, and a random assignment of
 * inspectors. Both are pure functions of a published seed and the published lists, built on SHA-256 only, so anyone
 * can re-run them (even by hand with `sha256sum`):
 *
 * - draw key of a candidate = SHA-256("lifecircle-draw-v1\n" + seed + "\n" + uscc); within each class the candidates
 *   with the smallest keys (as hex strings) are drawn. The result does not depend on the order of the list.
 * - assignment: targets are taken in class order, then key order; for each, w = the eight big-endian 32-bit words of
 *   SHA-256("lifecircle-assign-v1\n" + seed + "\n" + uscc); the j-th inspector is picked among the eligible ones
 *   with the fewest assignments so far (inspectors ordered by id) at index w[j] mod (their number). The modulo bias is
 *   below n / 2^32, negligible for any real number of inspectors.
 */
export const DRAW_ALGORITHM = 'lifecircle-draw-v1';
export const ASSIGN_ALGORITHM = 'lifecircle-assign-v1';

export interface Candidate {
  /** 统一社会信用代码, an opaque 18-character key here. */
  readonly uscc: string;
  readonly name?: string;
  readonly riskClass: RiskClass;
  /** Region code of the provider (6, 9 or 12 digits), for inspectors' regions. */
  readonly regionCode: string;
  /** Inspectors of the provider's previous inspection: excluded this time (no one inspects the same twice in a row). */
  readonly lastInspectorIds: readonly string[];
}

export interface Inspector {
  readonly id: string;
  /** Region codes (any prefix length) the inspector may work in. */
  readonly regionCodes: readonly string[];
  /** Providers the inspector has a conflict of interest with (回避). */
  readonly conflictUscc: readonly string[];
}

export type Rounding = 'nearest' | 'up' | 'down';

export interface DrawConfig {
  readonly ratios: Readonly<Record<RiskClass, number>>;
  /**
   * The ranges of the rule the city adopted, if it has any: counts are kept inside them when possible, and each
   * stratum says if it is. Null for the national default, which has none.
   */
  readonly ranges: Readonly<Record<RiskClass, SamplingRange>> | null;
  readonly rounding: Rounding;
  readonly inspectorsPerTarget: number;
  readonly sources: { readonly ratios: RuleSource; readonly inspectorsPerTarget: RuleSource };
}

export const DEFAULT_DRAW_CONFIG: DrawConfig = {
  ratios: DEFAULT_SAMPLING_RATIOS.value,
  ranges: null,
  rounding: 'nearest',
  inspectorsPerTarget: INSPECTORS_PER_TARGET.value,
  sources: { ratios: DEFAULT_SAMPLING_RATIOS.source, inspectorsPerTarget: INSPECTORS_PER_TARGET.source },
};

export interface Stratum {
  readonly riskClass: RiskClass;
  readonly candidates: number;
  readonly ratio: number;
  readonly drawn: number;
  readonly achievedRatio: number | null;
  /** Whether the achieved ratio lies in the local rule's range (null without a range or candidates). */
  readonly withinLocalRule: boolean | null;
}

export interface DrawTarget {
  readonly uscc: string;
  readonly riskClass: RiskClass;
  readonly regionCode: string;
  /** 1-based rank within its class. */
  readonly rank: number;
  readonly drawKey: string;
  readonly inspectorIds?: readonly string[];
}

export interface UnassignedTarget {
  readonly uscc: string;
  readonly eligible: number;
  readonly reason: string;
}

export interface DrawResult {
  readonly algorithm: typeof DRAW_ALGORITHM;
  readonly assignAlgorithm: typeof ASSIGN_ALGORITHM | null;
  readonly seed: string;
  readonly candidateListSha256: string;
  readonly inspectorListSha256: string | null;
  readonly config: DrawConfig;
  readonly strata: readonly Stratum[];
  readonly targets: readonly DrawTarget[];
  readonly unassigned: readonly UnassignedTarget[];
}

function sha256Hex(text: string): string {
  return hash('sha256', text, 'hex');
}

function hashLines(lines: string[]): string {
  return sha256Hex(lines.sort(byString).join(''));
}

/**
 * Indices of `keys` (lowercase hex strings of equal length) in ascending key order, the same order as a string sort.
 * Packs the leading bits of each key above its index into a float (53 bits in all), sorts those natively, then
 * re-sorts by the full key any run that shares the leading bits: several times faster than a string sort for 100,000
 * keys, and independent of the input order.
 */
export function orderByKey(keys: readonly string[]): number[] {
  const n = keys.length;
  const scale = 2 ** Math.max(1, Math.ceil(Math.log2(n + 1)));
  const hexChars = Math.floor((53 - Math.log2(scale)) / 4);
  const packed = new Float64Array(n);
  for (let i = 0; i < n; i += 1) packed[i] = parseInt(keys[i].slice(0, hexChars), 16) * scale + i;
  packed.sort();
  const order = Array.from(packed, (v) => v % scale);
  for (let start = 0; start < n;) {
    const prefix = Math.floor(packed[start] / scale);
    let end = start + 1;
    while (end < n && Math.floor(packed[end] / scale) === prefix) end += 1;
    if (end - start > 1) {
      const run = order
        .slice(start, end)
        .sort((a, b) => (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : 0));
      for (let k = start; k < end; k += 1) order[k] = run[k - start];
    }
    start = end;
  }
  return order;
}

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function candidateLine(c: Candidate): string {
  const last =
    c.lastInspectorIds.length < 2
      ? (c.lastInspectorIds[0] ?? '')
      : [...c.lastInspectorIds].sort(byString).join(';');
  return `${c.uscc},${c.riskClass},${c.regionCode},${last}\n`;
}

/** The candidates in canonical order (by USCC, then by their whole line) and the first USCC listed twice. */
function canonicalCandidates(candidates: readonly Candidate[]): {
  sorted: Candidate[];
  duplicate: string | null;
} {
  const sorted = [...candidates].sort(
    (a, b) => byString(a.uscc, b.uscc) || byString(candidateLine(a), candidateLine(b)),
  );
  for (let i = 1; i < sorted.length; i += 1)
    if (sorted[i].uscc === sorted[i - 1].uscc) return { sorted, duplicate: sorted[i].uscc };
  return { sorted, duplicate: null };
}

/** SHA-256 of the canonical candidate list (sorted by USCC, one `uscc,class,region,last;inspectors` line each). */
export function candidateListHash(candidates: readonly Candidate[]): string {
  return sha256Hex(canonicalCandidates(candidates).sorted.map(candidateLine).join(''));
}

/** SHA-256 of the canonical inspector list (sorted by id, one `id,regions,conflicts` line each). */
export function inspectorListHash(inspectors: readonly Inspector[]): string {
  return hashLines(
    inspectors.map(
      (i) => `${i.id},${[...i.regionCodes].sort().join(';')},${[...i.conflictUscc].sort().join(';')}\n`,
    ),
  );
}

function validateConfig(config: DrawConfig): void {
  for (const k of RISK_CLASSES) {
    const r = config.ratios[k];
    if (!(r >= 0 && r <= 1))
      throw new LifeCircleError(
        'LC_SUPERVISION_CONFIG',
        `sampling ratio of class ${k}: expected 0–1, got ${r}`,
      );
    const range = config.ranges?.[k];
    if (range && (r < range.min - 1e-9 || r > range.max + 1e-9))
      throw new LifeCircleError(
        'LC_SUPERVISION_CONFIG',
        `sampling ratio of class ${k}: ${r} is outside the range of the rule in force, ${range.min}–${range.max} (${config.sources.ratios.document}); choose a ratio inside it or drop the range`,
      );
  }
  const t = config.inspectorsPerTarget;
  if (!Number.isInteger(t) || t < 1 || t > 8)
    throw new LifeCircleError(
      'LC_SUPERVISION_CONFIG',
      `inspectors per target: expected an integer 1–8, got ${t}`,
    );
}

/** How many to draw from a stratum of n: the ratio, rounded, then kept inside the local range when that is possible. */
export function stratumCount(
  n: number,
  ratio: number,
  rounding: Rounding,
  range: SamplingRange | null,
): number {
  const exact = ratio * n;
  const eps = 1e-9;
  let count =
    rounding === 'up'
      ? Math.ceil(exact - eps)
      : rounding === 'down'
        ? Math.floor(exact + eps)
        : Math.floor(exact + 0.5);
  if (range) {
    const lo = Math.ceil(range.min * n - eps);
    const hi = Math.floor(range.max * n + eps);
    if (lo <= hi) count = Math.min(hi, Math.max(lo, count));
  }
  return Math.min(n, Math.max(0, count));
}

/** Inspectors by each region code they cover, for a prefix lookup per target. */
function indexInspectors(inspectors: readonly Inspector[]): Map<string, Inspector[]> {
  const byRegion = new Map<string, Inspector[]>();
  for (const i of inspectors)
    for (const code of new Set(i.regionCodes)) {
      const list = byRegion.get(code);
      if (list) list.push(i);
      else byRegion.set(code, [i]);
    }
  return byRegion;
}

const REGION_PREFIXES = [2, 4, 6, 9, 12];

function assign(
  seed: string,
  targets: DrawTarget[],
  candidates: readonly Candidate[],
  inspectors: readonly Inspector[],
  perTarget: number,
): { targets: DrawTarget[]; unassigned: UnassignedTarget[] } {
  const sorted = [...inspectors].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const order = new Map(sorted.map((ins, i) => [ins.id, i]));
  const byRegion = indexInspectors(sorted);
  // Conflicts of interest by provider: only the few providers someone declared are in it.
  const conflicts = new Map<string, Set<number>>();
  sorted.forEach((ins, k) => {
    for (const uscc of ins.conflictUscc) {
      const set = conflicts.get(uscc);
      if (set) set.add(k);
      else conflicts.set(uscc, new Set([k]));
    }
  });
  const load = new Int32Array(sorted.length);
  // Inspectors covering a region code, in id order; targets share few region codes, so this is cached.
  const coverCache = new Map<string, number[]>();
  const covering = (regionCode: string): number[] => {
    let list = coverCache.get(regionCode);
    if (!list) {
      const found = new Set<number>();
      for (const len of REGION_PREFIXES) {
        if (len > regionCode.length) break;
        for (const i of byRegion.get(regionCode.slice(0, len)) ?? []) found.add(order.get(i.id) ?? 0);
      }
      list = [...found].sort((a, b) => a - b);
      coverCache.set(regionCode, list);
    }
    return list;
  };
  const out: DrawTarget[] = [];
  const unassigned: UnassignedTarget[] = [];
  const eligible: number[] = [];
  targets.forEach((t, n) => {
    const c = candidates[n];
    const inRegion = covering(c.regionCode);
    let conflicted = 0;
    let repeated = 0;
    eligible.length = 0;
    const conflictOf = conflicts.get(c.uscc);
    const previous = c.lastInspectorIds.length > 0 ? c.lastInspectorIds : null;
    for (const k of inRegion) {
      if (conflictOf?.has(k)) conflicted += 1;
      else if (previous?.includes(sorted[k].id)) repeated += 1;
      else eligible.push(k);
    }
    if (eligible.length < perTarget) {
      unassigned.push({
        uscc: c.uscc,
        eligible: eligible.length,
        reason: `needs ${perTarget} inspectors, ${eligible.length} eligible: ${inRegion.length} cover region ${c.regionCode}, ${conflicted} excluded for conflict of interest, ${repeated} inspected it last time`,
      });
      out.push(t);
      return;
    }
    const digest = hash('sha256', `${ASSIGN_ALGORITHM}\n${seed}\n${c.uscc}`, 'buffer');
    const chosen: number[] = [];
    for (let j = 0; j < perTarget; j += 1) {
      // The pool: eligible inspectors not chosen yet with the fewest assignments so far, in id order.
      let least = Infinity;
      let poolSize = 0;
      for (const k of eligible) {
        if (chosen.includes(k)) continue;
        if (load[k] < least) {
          least = load[k];
          poolSize = 1;
        } else if (load[k] === least) poolSize += 1;
      }
      let index = digest.readUInt32BE(4 * j) % poolSize;
      for (const k of eligible) {
        if (chosen.includes(k) || load[k] !== least) continue;
        if (index === 0) {
          chosen.push(k);
          break;
        }
        index -= 1;
      }
    }
    for (const k of chosen) load[k] += 1;
    out.push({ ...t, inspectorIds: chosen.map((k) => sorted[k].id) });
  });
  return { targets: out, unassigned };
}

export interface DrawInput {
  readonly seed: string;
  readonly candidates: readonly Candidate[];
  readonly inspectors?: readonly Inspector[];
  readonly config?: DrawConfig;
}

/** The draw: a pure function of the seed, the candidate list, the inspector list and the configuration. */
export function drawInspections(input: DrawInput): DrawResult {
  const config = input.config ?? DEFAULT_DRAW_CONFIG;
  validateConfig(config);
  if (input.seed.trim() === '')
    throw new LifeCircleError(
      'LC_USAGE',
      'the draw needs a published, non-empty seed (e.g. the lottery number of the day)',
    );
  const { sorted, duplicate } = canonicalCandidates(input.candidates);
  if (duplicate !== null)
    throw new LifeCircleError(
      'LC_INSPECTION_INPUT',
      `candidate ${duplicate} is listed twice; each provider once`,
    );
  const candidateListSha256 = sha256Hex(sorted.map(candidateLine).join(''));
  const strata = new Map<RiskClass, { keys: string[]; members: Candidate[] }>(
    RISK_CLASSES.map((k) => [k, { keys: [], members: [] }]),
  );
  for (const c of input.candidates) {
    const stratum = strata.get(c.riskClass);
    if (!stratum) continue;
    stratum.keys.push(sha256Hex(`${DRAW_ALGORITHM}\n${input.seed}\n${c.uscc}`));
    stratum.members.push(c);
  }

  const stats: Stratum[] = [];
  const targets: DrawTarget[] = [];
  const drawn: Candidate[] = []; // the candidate of each target, for the assignment
  for (const riskClass of RISK_CLASSES) {
    const { keys, members } = strata.get(riskClass) ?? { keys: [], members: [] };
    const order = orderByKey(keys);
    const range = config.ranges?.[riskClass] ?? null;
    const count = stratumCount(members.length, config.ratios[riskClass], config.rounding, range);
    const achieved = members.length === 0 ? null : count / members.length;
    stats.push({
      riskClass,
      candidates: members.length,
      ratio: config.ratios[riskClass],
      drawn: count,
      achievedRatio: achieved,
      withinLocalRule:
        range === null || achieved === null
          ? null
          : achieved >= range.min - 1e-9 && achieved <= range.max + 1e-9,
    });
    for (let rank = 0; rank < count; rank += 1) {
      const i = order[rank];
      drawn.push(members[i]);
      targets.push({
        uscc: members[i].uscc,
        riskClass,
        regionCode: members[i].regionCode,
        rank: rank + 1,
        drawKey: keys[i],
      });
    }
  }
  const inspectors = input.inspectors;
  const assigned = inspectors
    ? assign(input.seed, targets, drawn, inspectors, config.inspectorsPerTarget)
    : { targets, unassigned: [] };
  return {
    algorithm: DRAW_ALGORITHM,
    assignAlgorithm: inspectors ? ASSIGN_ALGORITHM : null,
    seed: input.seed,
    candidateListSha256,
    inspectorListSha256: inspectors ? inspectorListHash(inspectors) : null,
    config,
    strata: stats,
    targets: assigned.targets,
    unassigned: assigned.unassigned,
  };
}

/** An inspector's recorded result of one drawn inspection (一公开: results are published). */
export interface InspectionResult {
  readonly drawId: string;
  readonly uscc: string;
  readonly inspectedOn: string;
  readonly inspectorIds: readonly string[];
  readonly outcome: InspectionOutcome;
  /** Public summary of the findings. */
  readonly findings: string;
  readonly authority: string;
  readonly document?: string;
}

/** Inspection results become credit records (the inspectors stay internal). */
export function inspectionResultToCreditRecord(result: InspectionResult): CreditRecord {
  return {
    id: `inspection:${result.drawId}:${result.uscc}`,
    uscc: result.uscc,
    kind: 'inspection',
    title: `双随机抽查 ${result.drawId}: ${result.findings}`,
    source: {
      authority: result.authority,
      ...(result.document === undefined ? {} : { document: result.document }),
    },
    date: result.inspectedOn,
    outcome: result.outcome,
    internalNote: `inspectors: ${result.inspectorIds.join(', ')}`,
  };
}

/** The inspectors of each provider's latest inspection, to exclude them from its next one. */
export function lastInspectorsByProvider(
  results: readonly InspectionResult[],
): Map<string, readonly string[]> {
  const latest = new Map<string, InspectionResult>();
  for (const r of results) {
    const seen = latest.get(r.uscc);
    if (!seen || r.inspectedOn > seen.inspectedOn) latest.set(r.uscc, r);
  }
  return new Map([...latest].map(([uscc, r]) => [uscc, r.inspectorIds]));
}
