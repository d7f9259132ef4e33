import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  abuseNeighbourhood,
  detectAbuse,
  selectNeighbourhood,
  holdFlagged,
  minHash,
  normalizeText,
  poissonTail,
  similarity,
  type AccountInfo,
} from './abuse.js';
import type { Rating } from './ratings.js';
import { buildRating, seededRandom } from './test-helpers.js';

const T0 = Date.parse('2026-09-01T02:00:00Z');
const HOUR = 3600_000;
const DAY = 24 * HOUR;
const at = (ms: number): string => new Date(ms).toISOString();

function oldAccounts(ratings: readonly Rating[]): Map<string, AccountInfo> {
  return new Map(ratings.map((r) => [r.accountId, { id: r.accountId, createdAt: '2024-01-01T00:00:00Z' }]));
}

/** Quiet background: one ordinary rating a day for 60 days on each of three outlets. */
function background(): Rating[] {
  const out: Rating[] = [];
  for (let d = 0; d < 60; d += 1)
    for (const outletId of ['o1', 'o2', 'o3'])
      out.push(buildRating({ outletId, level: 'satisfied', createdAt: at(T0 + d * DAY + 3 * HOUR) }));
  return out;
}

function detectors(ratings: readonly Rating[], accounts = oldAccounts(ratings)): Map<string, string[]> {
  const report = detectAbuse(ratings, accounts);
  return new Map([...report.flags].map(([id, flags]) => [id, flags.map((f) => f.detector)]));
}

test('P(X ≥ 1) for a Poisson(1) variable is 1 − 1/e', () => {
  assert.ok(Math.abs(poissonTail(1, 1) - (1 - Math.exp(-1))) < 1e-12);
});

test('texts differing only in punctuation and emoji have the same MinHash signature', () => {
  const a = minHash(normalizeText('这家店非常好，服务一流，强烈推荐给大家！'));
  const b = minHash(normalizeText('这家店非常好!! 服务一流 强烈推荐给大家👍'));
  assert.equal(similarity(a, b), 1);
});

test('unrelated texts have a low estimated similarity', () => {
  const a = minHash(normalizeText('这家店非常好，服务一流，强烈推荐给大家！'));
  const b = minHash(normalizeText('阿姨很细心，老人吃得放心，离家近很方便'));
  assert.ok(similarity(a, b) < 0.2);
});

test('the quiet background raises no flag', () => {
  assert.equal(detectors(background()).size, 0);
});

test('an account giving six ratings within a day is rate-limited, all six held', () => {
  const spam = Array.from({ length: 6 }, (_, k) =>
    buildRating({ accountId: 'spammer', outletId: `o${k}`, createdAt: at(T0 + 10 * DAY + k * HOUR) }),
  );
  const flagged = detectors([...background(), ...spam]);
  assert.deepEqual(
    spam.map((r) => flagged.get(r.id)?.includes('rate-limit')),
    Array(6).fill(true),
  );
});

test('five ratings within a day stay under the rate limit', () => {
  const busy = Array.from({ length: 5 }, (_, k) =>
    buildRating({ accountId: 'busy', outletId: `o${k}`, createdAt: at(T0 + 10 * DAY + k * HOUR) }),
  );
  const flagged = detectors([...background(), ...busy]);
  assert.equal(
    busy.some((r) => flagged.get(r.id)?.includes('rate-limit')),
    false,
  );
});

test('the same text pasted by four accounts on three outlets within two days is held as near-duplicate', () => {
  const copies = ['o1', 'o2', 'o3', 'o1'].map((outletId, k) =>
    buildRating({
      accountId: `copy-${k}`,
      outletId,
      level: 'very_dissatisfied',
      text:
        k % 2 ? '大家千万别来，收了钱就不管了，预付卡退不了！' : '大家千万别来!收了钱就不管了 预付卡退不了',
      createdAt: at(T0 + 20 * DAY + k * 7 * HOUR),
    }),
  );
  const flagged = detectors([...background(), ...copies]);
  assert.deepEqual(
    copies.map((r) => flagged.get(r.id)?.includes('near-duplicate')),
    [true, true, true, true],
  );
});

test('a common phrase written now and then over two months is not a near-duplicate campaign', () => {
  const steady = Array.from({ length: 8 }, (_, k) =>
    buildRating({
      accountId: `res-${k}`,
      outletId: `o${(k % 3) + 1}`,
      text: '服务态度好，价格实惠，离家近很方便',
      createdAt: at(T0 + k * 7 * DAY),
    }),
  );
  const flagged = detectors([...background(), ...steady]);
  assert.equal(
    steady.some((r) => flagged.has(r.id)),
    false,
  );
});

test('eight 非常不满意 for one outlet within a day, against one rating a day before, are held as a burst', () => {
  const burst = Array.from({ length: 8 }, (_, k) =>
    buildRating({
      accountId: `b-${k}`,
      outletId: 'o2',
      level: 'very_dissatisfied',
      createdAt: at(T0 + 30 * DAY + k * HOUR),
    }),
  );
  const flagged = detectors([...background(), ...burst]);
  assert.equal(
    burst.every((r) => flagged.get(r.id)?.includes('burst')),
    true,
  );
});

test('four accounts created the same day giving one outlet 非常满意 are held as a new-account cluster', () => {
  const boost = Array.from({ length: 4 }, (_, k) =>
    buildRating({
      accountId: `new-${k}`,
      outletId: 'o3',
      level: 'very_satisfied',
      createdAt: at(T0 + 40 * DAY + k * 5 * HOUR),
    }),
  );
  const ratings = [...background(), ...boost];
  const accounts = oldAccounts(ratings);
  for (const r of boost) accounts.set(r.accountId, { id: r.accountId, createdAt: at(T0 + 40 * DAY - HOUR) });
  const flagged = detectors(ratings, accounts);
  assert.equal(
    boost.every((r) => flagged.get(r.id)?.includes('new-account-cluster')),
    true,
  );
});

test('three accounts on one device are held as a shared-device cluster', () => {
  const farm = Array.from({ length: 3 }, (_, k) =>
    buildRating({ accountId: `farm-${k}`, outletId: `o${k + 1}`, createdAt: at(T0 + 50 * DAY + k * DAY) }),
  );
  const ratings = [...background(), ...farm];
  const accounts = oldAccounts(ratings);
  for (const r of farm)
    accounts.set(r.accountId, { id: r.accountId, createdAt: '2025-01-01T00:00:00Z', deviceHash: 'd1' });
  const flagged = detectors(ratings, accounts);
  assert.equal(
    farm.every((r) => flagged.get(r.id)?.includes('shared-device')),
    true,
  );
});

test('flagged ratings are held for review, none is removed', () => {
  const spam = Array.from({ length: 6 }, (_, k) =>
    buildRating({ accountId: 'spammer', outletId: `o${k}`, createdAt: at(T0 + 10 * DAY + k * HOUR) }),
  );
  const ratings = [...background(), ...spam];
  const held = holdFlagged(ratings, detectAbuse(ratings, oldAccounts(ratings)));
  assert.equal(held.length, ratings.length);
  assert.deepEqual(
    held.filter((r) => r.status === 'held').map((r) => r.id),
    spam.map((r) => r.id),
  );
});

/**
 * SYNTHETIC traffic with every pattern the detectors know: ordinary ratings on 12 outlets over 80 days, a spammer,
 * a burst of 差评 on one outlet, a copy-paste text campaign across outlets, and a cluster of new accounts.
 */
function syntheticTraffic(): { ratings: Rating[]; accounts: Map<string, AccountInfo> } {
  const rand = seededRandom(20261203);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  const levels = [
    'very_satisfied',
    'satisfied',
    'basically_satisfied',
    'dissatisfied',
    'very_dissatisfied',
  ] as const;
  const phrases = [
    '服务很好，态度热情，下次还来',
    '等了很久才有人接待，体验一般',
    '环境干净，价格实惠，推荐大家',
  ];
  const ratings: Rating[] = [];
  for (let k = 0; k < 1500; k++)
    ratings.push(
      buildRating({
        accountId: `a${Math.floor(rand() * 400)}`,
        outletId: `o${Math.floor(rand() * 12)}`,
        level: pick(levels),
        text: rand() < 0.3 ? `${pick(phrases)}${rand() < 0.5 ? '' : Math.floor(rand() * 1000)}` : '',
        createdAt: at(T0 + rand() * 80 * DAY),
      }),
    );
  for (let k = 0; k < 7; k++)
    ratings.push(
      buildRating({ accountId: 'spammer', outletId: `o${k}`, createdAt: at(T0 + 70 * DAY + k * HOUR) }),
    );
  for (let k = 0; k < 10; k++)
    ratings.push(
      buildRating({
        outletId: 'o3',
        level: 'very_dissatisfied',
        createdAt: at(T0 + 75 * DAY + k * 3 * HOUR),
      }),
    );
  for (let k = 0; k < 5; k++)
    ratings.push(
      buildRating({
        outletId: `o${k + 5}`,
        text: '这家店简直太差了，大家千万不要去，上当受骗！',
        createdAt: at(T0 + 78 * DAY + k * HOUR),
      }),
    );
  const fresh = Array.from({ length: 5 }, (_, k) => `new${k}`);
  for (const accountId of fresh)
    ratings.push(
      buildRating({ accountId, outletId: 'o9', level: 'very_satisfied', createdAt: at(T0 + 79 * DAY) }),
    );
  const accounts = oldAccounts(ratings);
  for (const id of fresh) accounts.set(id, { id, createdAt: at(T0 + 78 * DAY) });
  return { ratings: ratings.sort((a, b) => a.createdAt.localeCompare(b.createdAt)), accounts };
}

test('the abuse check of a new rating gives the same verdict over its neighbourhood as over the whole window', () => {
  const { ratings, accounts } = syntheticTraffic();
  const lookback = 90 * DAY;
  let flagged = 0;
  // Every rating of the last 30 days, taken as the new one arriving after everything before it.
  for (let i = 0; i < ratings.length; i++) {
    const rating = ratings[i];
    if (Date.parse(rating.createdAt) < T0 + 50 * DAY) continue;
    const since = at(Date.parse(rating.createdAt) - lookback);
    const window = ratings.slice(0, i).filter((r) => r.createdAt >= since);
    const whole = detectAbuse([...window, rating], accounts).flags.get(rating.id);
    const near = selectNeighbourhood(window, abuseNeighbourhood(rating, since));
    assert.ok(near.length < window.length || window.length < 3, 'the neighbourhood is a part of the window');
    const part = detectAbuse([...near, rating], accounts).flags.get(rating.id);
    assert.deepEqual(part, whole, `rating ${rating.id} (${rating.outletId}, ${rating.accountId})`);
    if (whole) flagged++;
  }
  assert.ok(flagged >= 15, `the traffic holds flagged ratings (${flagged})`);
});
