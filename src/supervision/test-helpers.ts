// Test-only factories (STYLE habit 8: no shared state; each test builds what it needs). Not exported from index.ts.
import { readFileSync } from 'node:fs';
import type { Rating } from './ratings.js';

/** Real 统一社会信用代码 that pass both GB 32100 and GB 11714 checks (shared reference/uscc_vectors.json). */
export const REAL_USCC = {
  petroChina: '91110000710925462X',
  huawei: '914403001922038216',
  tencent: '91440300708461136T',
} as const;

export interface Community {
  readonly code: string;
  readonly name: string;
  readonly streetCode: string;
  readonly areaCode: string;
}

/** The 143 real 社区/村 of 锦江区 and 青羊区 (fixtures/SOURCE.md). */
export function loadCommunities(): Community[] {
  const url = new URL(
    '../../../src/supervision/fixtures/chengdu-jinjiang-qingyang-communities.csv',
    import.meta.url,
  );
  const [, ...rows] = readFileSync(url, 'utf8').trim().split('\n');
  return rows.map((line) => {
    const [code, quotedName, streetCode, , , areaCode] = line.split(',');
    return { code, name: quotedName.replace(/"/g, ''), streetCode, areaCode };
  });
}

let counter = 0;

export function buildRating(overrides: Partial<Rating> = {}): Rating {
  counter += 1;
  return {
    id: `r${counter}`,
    accountId: `acct-${counter}`,
    outletId: 'outlet-1',
    providerUscc: REAL_USCC.huawei,
    serviceType: 'elderly-care',
    regionCode: '510104017001',
    level: 'satisfied',
    tags: [],
    text: '',
    channel: 'mobile',
    createdAt: '2026-03-10T02:00:00Z',
    status: 'published',
    ...overrides,
  };
}

/** A seeded pseudo-random generator (mulberry32) for synthetic test data: the same on every run and machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
