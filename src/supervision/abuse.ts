import type { Rating } from './ratings.js';
import { ratingLevelRule, type RuleSource } from './rules.js';

/**
 * Abuse resistance for 好差评: four detectors over a window of ratings. A flagged rating is held for review
 * (status `held`), never deleted: it leaves the public aggregates until a reviewer releases or invalidates it, and a
 * held 差评 still reaches the case handler. Method and measured recall / false-positive rate: docs/supervision.md.
 *
 * 1. rate limit: more than `maxPerWindow` ratings by one account within `windowHours` → every rating in that window.
 * 2. near-duplicate text: character 3-gram shingles → 64 MinHash values → LSH with 16 bands of 4 rows; pairs in a
 *    bucket whose estimated Jaccard similarity ≥ `threshold` are joined. A group of ≥ `minRatings` near-identical
 *    texts from ≥ 2 accounts within `windowDays` is flagged, whatever outlets it targets (copy-paste campaigns).
 * 3. burst of extreme ratings: per outlet and polarity (非常满意 / 差评), a `windowHours` window holding k ratings is
 *    flagged when k ≥ `minCount` and the Poisson tail P(X ≥ k | λ) < `pValue`, λ being the outlet's own rate of such
 *    ratings over the preceding `baselineDays` (floored at `minBaselinePerWindow`).
 * 4. new-account clusters: ≥ `minAccounts` accounts younger than `maxAccountAgeDays` give the same outlet the same
 *    extreme polarity within `windowHours`; or ≥ `minAccountsPerDevice` accounts share one device fingerprint.
 */
export interface AccountInfo {
  readonly id: string;
  readonly createdAt: string;
  /** A salted hash of the device or browser fingerprint, when the channel provides one. */
  readonly deviceHash?: string;
}

export interface AbuseConfig {
  readonly rateLimit: { readonly maxPerWindow: number; readonly windowHours: number };
  readonly nearDuplicate: {
    readonly minTextLength: number;
    readonly threshold: number;
    readonly minRatings: number;
    readonly windowDays: number;
    /** A given long text recurs rarely by chance: smaller floor and laxer p-value than for rating bursts. */
    readonly pValue: number;
    readonly minBaselinePerWindow: number;
  };
  readonly burst: {
    /** Window lengths tried: a short one for sudden campaigns, a long one for slow drips. */
    readonly windowHours: readonly number[];
    readonly minCount: number;
    readonly pValue: number;
    readonly baselineDays: number;
    readonly minBaselinePerWindow: number;
  };
  readonly newAccounts: {
    readonly maxAccountAgeDays: number;
    readonly windowHours: number;
    readonly minAccounts: number;
    readonly minAccountsPerDevice: number;
  };
  readonly source: RuleSource;
}

export const DEFAULT_ABUSE_CONFIG: AbuseConfig = {
  rateLimit: { maxPerWindow: 5, windowHours: 24 },
  nearDuplicate: {
    minTextLength: 10,
    threshold: 0.6,
    minRatings: 3,
    windowDays: 7,
    pValue: 1e-3,
    minBaselinePerWindow: 0.1,
  },
  burst: { windowHours: [48, 336], minCount: 6, pValue: 1e-5, baselineDays: 60, minBaselinePerWindow: 0.5 },
  newAccounts: { maxAccountAgeDays: 7, windowHours: 72, minAccounts: 4, minAccountsPerDevice: 3 },
  source: {
    document: 'LifeCircle 项目默认值（异常评价识别）',
    documentEn: 'LifeCircle project defaults for spotting abusive ratings',
    status: 'project-default',
    note: 'Tuned on the synthetic benchmark bench/abuse.ts (docs/supervision.md). No published rule sets these thresholds; each city should re-measure on its own traffic.',
  },
};

export type AbuseDetector =
  'rate-limit' | 'near-duplicate' | 'burst' | 'new-account-cluster' | 'shared-device';

export interface AbuseFlag {
  readonly detector: AbuseDetector;
  readonly reason: string;
  /** Other ratings of the same pattern, for the reviewer. */
  readonly related: readonly string[];
}

export interface AbuseReport {
  readonly flags: ReadonlyMap<string, readonly AbuseFlag[]>;
  readonly config: AbuseConfig;
}

const HOUR = 3600_000;
const DAY = 24 * HOUR;

type Timed = { r: Rating; t: number };

function byTime(ratings: readonly Rating[]): Timed[] {
  return ratings
    .map((r) => ({ r, t: Date.parse(r.createdAt) }))
    .sort((a, b) => a.t - b.t || (a.r.id < b.r.id ? -1 : 1));
}

function groupBy<T>(items: readonly T[], key: (x: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of items) {
    const k = key(x);
    const g = m.get(k);
    if (g) g.push(x);
    else m.set(k, [x]);
  }
  return m;
}

class Flags {
  readonly map = new Map<string, AbuseFlag[]>();
  add(ids: readonly string[], detector: AbuseDetector, reason: string): void {
    for (const id of ids) {
      const list = this.map.get(id) ?? [];
      if (list.some((f) => f.detector === detector)) continue;
      const related: string[] = [];
      for (const x of ids) {
        if (related.length === 20) break;
        if (x !== id) related.push(x);
      }
      list.push({ detector, reason, related });
      this.map.set(id, list);
    }
  }
}

/** Sliding windows over time-sorted items: calls `hit` with each maximal window holding more than `limit` items. */
function windowsOver(
  items: readonly Timed[],
  spanMs: number,
  limit: number,
  hit: (window: Timed[]) => void,
): void {
  let start = 0;
  for (let end = 0; end < items.length; end += 1) {
    while (items[end].t - items[start].t > spanMs) start += 1;
    if (end - start + 1 > limit) hit(items.slice(start, end + 1));
  }
}

/**
 * Windows of time-sorted items that are improbably full: for each window of `spanMs` holding k ≥ `minCount` items,
 * λ is the group's own rate outside the window scaled to the window (at least `floor`), and the window is kept when
 * P(X ≥ k | λ) < `pValue` and `accept` agrees. Returns the indices of the kept items and the strongest window seen.
 */
function improbableWindows(
  items: readonly Timed[],
  spanMs: number,
  totalSpanMs: number,
  minCount: number,
  pValue: number,
  floor: number,
  accept: (start: number, end: number) => boolean = () => true,
): { hits: Set<number>; k: number; lambda: number; p: number } {
  const hits = new Set<number>();
  let best = { k: 0, lambda: 0, p: 1 };
  const outsideSpan = Math.max(spanMs, totalSpanMs - spanMs);
  let start = 0;
  for (let end = 0; end < items.length; end += 1) {
    while (items[end].t - items[start].t > spanMs) start += 1;
    const k = end - start + 1;
    if (k < minCount) continue;
    const lambda = Math.max(floor, ((items.length - k) * spanMs) / outsideSpan);
    const p = poissonTail(k, lambda);
    if (p < pValue && accept(start, end)) {
      for (let i = start; i <= end; i += 1) hits.add(i);
      if (p < best.p) best = { k, lambda, p };
    }
  }
  return { hits, ...best };
}

function rateLimit(sorted: Timed[], config: AbuseConfig, flags: Flags): void {
  const { maxPerWindow, windowHours } = config.rateLimit;
  for (const [account, items] of groupBy(sorted, (x) => x.r.accountId))
    windowsOver(items, windowHours * HOUR, maxPerWindow, (w) =>
      flags.add(
        w.map((x) => x.r.id),
        'rate-limit',
        `account ${account} gave ${w.length} ratings within ${windowHours} h (limit ${maxPerWindow})`,
      ),
    );
}

// --- near-duplicate text (MinHash + LSH) ---

const NUM_HASHES = 64;
const BANDS = 16;
const ROWS = NUM_HASHES / BANDS;

/** Letters and digits only, lower case: punctuation, emoji and spacing tricks do not hide a copy. */
export function normalizeText(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
}

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i += 1) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** murmur3's 32-bit finaliser: a cheap, well-mixed family h_i(x) = fmix(x ^ seed_i). */
function fmix(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

const SEEDS = Array.from({ length: NUM_HASHES }, (_, i) => fmix(0x9e3779b9 + i * 0x7f4a7c15));

/** MinHash signature of the character 3-gram shingles of a normalised text. */
export function minHash(normalized: string): Uint32Array {
  const sig = new Uint32Array(NUM_HASHES).fill(0xffffffff);
  const shingles = new Set<number>();
  if (normalized.length < 3) shingles.add(fnv1a(normalized));
  for (let i = 0; i + 3 <= normalized.length; i += 1) shingles.add(fnv1a(normalized.slice(i, i + 3)));
  for (const s of shingles)
    for (let k = 0; k < NUM_HASHES; k += 1) {
      const h = fmix(s ^ SEEDS[k]);
      if (h < sig[k]) sig[k] = h;
    }
  return sig;
}

/** Estimated Jaccard similarity: the share of equal MinHash values. */
export function similarity(a: Uint32Array, b: Uint32Array): number {
  let same = 0;
  for (let k = 0; k < NUM_HASHES; k += 1) if (a[k] === b[k]) same += 1;
  return same / NUM_HASHES;
}

function nearDuplicates(sorted: Timed[], totalSpanMs: number, config: AbuseConfig, flags: Flags): void {
  const { minTextLength, threshold, minRatings, windowDays, pValue, minBaselinePerWindow } =
    config.nearDuplicate;
  const items = sorted
    .map((x) => ({ x, text: normalizeText(x.r.text) }))
    .filter((e) => e.text.length >= minTextLength)
    .map((e) => ({ ...e, sig: minHash(e.text) }));
  const parent = items.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]];
    return i;
  };
  for (let b = 0; b < BANDS; b += 1) {
    const buckets = new Map<string, number[]>();
    items.forEach((e, i) => {
      const key = Array.from(e.sig.subarray(b * ROWS, (b + 1) * ROWS)).join(',');
      const bucket = buckets.get(key);
      if (bucket) bucket.push(i);
      else buckets.set(key, [i]);
    });
    for (const bucket of buckets.values()) {
      // Compare each member with the bucket's first member only: linear even for a huge bucket.
      for (let m = 1; m < bucket.length; m += 1)
        if (similarity(items[bucket[0]].sig, items[bucket[m]].sig) >= threshold)
          parent[find(bucket[m])] = find(bucket[0]);
    }
  }
  const groups = groupBy(
    items.map((e, i) => ({ e, root: find(i) })),
    (g) => String(g.root),
  );
  for (const group of groups.values()) {
    if (group.length < minRatings) continue;
    const timed = group.map((g) => g.e.x); // already in time order
    // Common phrasing recurs all the time; a copy-paste campaign is the same text far more often than usual.
    const { hits, k, lambda, p } = improbableWindows(
      timed,
      windowDays * DAY,
      totalSpanMs,
      minRatings,
      pValue,
      minBaselinePerWindow,
      (start, end) => new Set(timed.slice(start, end + 1).map((x) => x.r.accountId)).size >= 2,
    );
    if (hits.size === 0) continue;
    const w = [...hits].sort((a, b) => a - b).map((i) => timed[i]);
    flags.add(
      w.map((x) => x.r.id),
      'near-duplicate',
      `${k} near-identical texts within ${windowDays} days from ${new Set(w.map((x) => x.r.accountId)).size} accounts on ${new Set(w.map((x) => x.r.outletId)).size} outlets (expected ${lambda.toFixed(2)}, p = ${p.toExponential(1)})`,
    );
  }
}

// --- bursts of extreme ratings ---

/** P(X ≥ k) for X ~ Poisson(λ). */
export function poissonTail(k: number, lambda: number): number {
  let term = Math.exp(-lambda);
  let cdf = 0;
  for (let i = 0; i < k; i += 1) {
    cdf += term;
    term *= lambda / (i + 1);
  }
  return Math.max(0, 1 - cdf);
}

function polarity(r: Rating): 'top' | 'bad' | null {
  const rule = ratingLevelRule(r.level);
  if (rule.bad) return 'bad';
  return rule.score === 5 ? 'top' : null;
}

function bursts(sorted: Timed[], totalSpanMs: number, config: AbuseConfig, flags: Flags): void {
  const { windowHours, minCount, pValue, minBaselinePerWindow } = config.burst;
  const groups = groupBy(
    sorted.filter((x) => polarity(x.r) !== null),
    (x) => `${x.r.outletId}\u0000${polarity(x.r)}`,
  );
  for (const items of groups.values())
    for (const hours of windowHours) {
      const { hits, k, lambda, p } = improbableWindows(
        items,
        hours * HOUR,
        totalSpanMs,
        minCount,
        pValue,
        minBaselinePerWindow,
      );
      if (hits.size === 0) continue;
      const w = [...hits].sort((a, b) => a - b).map((i) => items[i]);
      flags.add(
        w.map((x) => x.r.id),
        'burst',
        `${k} ${polarity(w[0].r) === 'bad' ? '差评' : '非常满意'} for outlet ${w[0].r.outletId} within ${hours} h (expected ${lambda.toFixed(2)}, p = ${p.toExponential(1)})`,
      );
    }
}

// --- new-account clusters and shared devices ---

function newAccountClusters(
  sorted: Timed[],
  accounts: ReadonlyMap<string, AccountInfo>,
  config: AbuseConfig,
  flags: Flags,
): void {
  const { maxAccountAgeDays, windowHours, minAccounts, minAccountsPerDevice } = config.newAccounts;
  const young = sorted.filter((x) => {
    const a = accounts.get(x.r.accountId);
    return (
      a !== undefined && polarity(x.r) !== null && x.t - Date.parse(a.createdAt) <= maxAccountAgeDays * DAY
    );
  });
  for (const items of groupBy(young, (x) => `${x.r.outletId}\u0000${polarity(x.r)}`).values()) {
    let start = 0;
    for (let end = 0; end < items.length; end += 1) {
      while (items[end].t - items[start].t > windowHours * HOUR) start += 1;
      const w = items.slice(start, end + 1);
      const distinct = new Set(w.map((x) => x.r.accountId));
      if (distinct.size >= minAccounts)
        flags.add(
          w.map((x) => x.r.id),
          'new-account-cluster',
          `${distinct.size} accounts younger than ${maxAccountAgeDays} days gave outlet ${w[0].r.outletId} the same extreme rating within ${windowHours} h`,
        );
    }
  }
  const byDevice = groupBy(
    [...accounts.values()].filter((a) => a.deviceHash !== undefined),
    (a) => a.deviceHash ?? '',
  );
  const sharedDevice = new Map<string, number>();
  for (const list of byDevice.values())
    if (list.length >= minAccountsPerDevice) for (const a of list) sharedDevice.set(a.id, list.length);
  const onShared = sorted.filter((x) => sharedDevice.has(x.r.accountId));
  for (const [account, items] of groupBy(onShared, (x) => x.r.accountId))
    flags.add(
      items.map((x) => x.r.id),
      'shared-device',
      `account ${account} shares one device with ${(sharedDevice.get(account) ?? 1) - 1} other accounts`,
    );
}

/** Runs the four detectors over a window of ratings (e.g. the last 90 days) and reports the flags per rating id. */
export function detectAbuse(
  ratings: readonly Rating[],
  accounts: ReadonlyMap<string, AccountInfo>,
  config: AbuseConfig = DEFAULT_ABUSE_CONFIG,
): AbuseReport {
  const sorted = byTime(ratings.filter((r) => r.status !== 'invalidated'));
  const flags = new Flags();
  if (sorted.length === 0) return { flags: flags.map, config };
  // The rate a group is compared with comes from the whole analysed period, at least `baselineDays` long.
  const totalSpanMs = Math.max(config.burst.baselineDays * DAY, sorted[sorted.length - 1].t - sorted[0].t);
  rateLimit(sorted, config, flags);
  nearDuplicates(sorted, totalSpanMs, config, flags);
  bursts(sorted, totalSpanMs, config, flags);
  newAccountClusters(sorted, accounts, config, flags);
  return { flags: flags.map, config };
}

/** Flagged ratings are held for review: same rating, status `held`; nothing is removed. */
export function holdFlagged(ratings: readonly Rating[], report: AbuseReport): Rating[] {
  return ratings.map((r) =>
    r.status === 'published' && report.flags.has(r.id) ? { ...r, status: 'held' } : r,
  );
}

/**
 * What a new rating's abuse check must read of the recent window: the ratings it can share a pattern with —
 * same account (rate limit), same outlet (bursts, new-account clusters), and, when its own text is long enough,
 * every long text (near-duplicates, whatever outlet) — plus the window's first and last counted rating, which fix
 * the analysed period the burst baselines divide by. The detectors' verdict on the new rating is the same over this
 * neighbourhood as over the whole window, so a write reads what concerns it instead of 90 days of ratings.
 */
export interface AbuseNeighbourhood {
  /** Start of the window (ISO instant). */
  since: string;
  accountId: string;
  outletId: string;
  /** Raw texts at least this long are read (a superset of the normalised ones the detector keeps); null: none. */
  minTextLength: number | null;
}

export function abuseNeighbourhood(
  rating: Pick<Rating, 'accountId' | 'outletId' | 'text'>,
  since: string,
  config: AbuseConfig = DEFAULT_ABUSE_CONFIG,
): AbuseNeighbourhood {
  const { minTextLength } = config.nearDuplicate;
  return {
    since,
    accountId: rating.accountId,
    outletId: rating.outletId,
    minTextLength: normalizeText(rating.text).length >= minTextLength ? minTextLength : null,
  };
}

/**
 * The neighbourhood as a filter over a list (the store answers the same with indexed queries): `window` is every
 * rating since `n.since`; the first and last counted ones are always kept.
 */
export function selectNeighbourhood<R extends Rating>(window: readonly R[], n: AbuseNeighbourhood): R[] {
  const counted = byTime(window.filter((r) => r.status !== 'invalidated' && r.createdAt >= n.since));
  const ends = new Set([counted[0]?.r, counted[counted.length - 1]?.r]);
  return window.filter(
    (r) =>
      r.createdAt >= n.since &&
      (r.accountId === n.accountId ||
        r.outletId === n.outletId ||
        (n.minTextLength !== null && r.text.length >= n.minTextLength) ||
        ends.has(r)),
  );
}
