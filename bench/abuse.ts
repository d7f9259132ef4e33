// Benchmark of the 好差评 abuse detectors: SYNTHETIC fake-rating campaigns injected into SYNTHETIC, realistic
// traffic, with a fixed seed. Prints recall (share of fake ratings held) and false-positive rate (share of genuine
// ratings held), overall and per campaign. Goal (issue 6): recall ≥ 90 %, false positives ≤ 2 %.
// Everything here is invented except the region codes (real 社区 of 成都 锦江区/青羊区, see fixtures/SOURCE.md).
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { detectAbuse, type AccountInfo, type Rating, type RatingLevel } from '../src/supervision/index.js';
import { seededRandom as mulberry32 } from './rng.js';

const SEED = Number(process.env.ABUSE_SEED ?? 20261122);
const DAYS = 90;
const OUTLETS = 400; // plus one that opens during the period
const ACCOUNTS = 15_000;
const START = Date.parse('2026-08-01T00:00:00+08:00');
const DAY = 86400_000;
const GOAL = { recall: 0.9, falsePositive: 0.02 };

const rand = mulberry32(SEED);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
/** Poisson sample (Knuth), for daily rating counts. */
function poisson(lambda: number): number {
  const l = Math.exp(-lambda);
  let k = 0;
  let p = 1;
  do {
    k += 1;
    p *= rand();
  } while (p > l);
  return k - 1;
}
const iso = (ms: number): string => new Date(ms).toISOString();

const communities = readFileSync(
  new URL('../../src/supervision/fixtures/chengdu-jinjiang-qingyang-communities.csv', import.meta.url),
  'utf8',
)
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => line.split(',')[0]);

const TYPES = ['elderly-care', 'childcare', 'canteen', 'housekeeping', 'repair', 'fitness'] as const;

// Phrase pools: real residents reuse the same phrases, which is what makes near-duplicate detection hard.
const GOOD = [
  '阿姨很细心',
  '饭菜味道不错',
  '价格实惠',
  '老人吃得放心',
  '服务态度好',
  '环境干净整洁',
  '师傅上门很准时',
  '老师很有耐心',
  '孩子很喜欢',
  '离家近很方便',
  '预约很顺利',
  '工作人员热情',
  '菜品种类多',
  '修得又快又好',
  '收费透明',
];
const BAD = [
  '等了很久',
  '态度不好',
  '饭菜偏咸',
  '收费不透明',
  '师傅迟到了',
  '卫生有待改进',
  '预约总是约不上',
  '退卡很麻烦',
  '菜凉了',
  '人手不够',
];
const NAMES = ['王阿姨', '李师傅', '张老师', '刘姐', '陈医生', '赵师傅', '周老师'];
const FILLERS = ['', '', '总体', '这次', '上周', '周末去的', '第二次来', '带老人来的', '孩子放学后'];

function genuineText(good: boolean): string {
  if (rand() < 0.45) return '';
  const n = 1 + Math.floor(rand() * 3);
  const parts: string[] = [];
  for (let i = 0; i < n; i += 1) parts.push(pick(good ? GOOD : BAD));
  if (rand() < 0.4) parts.unshift(pick(FILLERS) + pick(NAMES));
  return parts.join(pick(['，', '。', ' ', '！'])) + (rand() < 0.3 ? '！' : '');
}

interface Outlet {
  id: string;
  uscc: string;
  type: string;
  region: string;
  perDay: number;
  quality: number;
}
const outlets: Outlet[] = Array.from({ length: OUTLETS }, (_, i) => ({
  id: `outlet-${i}`,
  uscc: `SYN${String(i).padStart(15, '0')}`,
  type: pick(TYPES),
  region: pick(communities),
  perDay: Math.min(6, 0.05 + -Math.log(1 - rand()) * 0.6), // a few busy outlets, many quiet ones
  quality: 0.55 + rand() * 0.4,
}));

const accounts = new Map<string, AccountInfo>();
for (let i = 0; i < ACCOUNTS; i += 1)
  accounts.set(`acct-${i}`, { id: `acct-${i}`, createdAt: iso(START - Math.floor(rand() * 730) * DAY) });
// Genuine newcomers: residents who register the day they first rate.
let newcomer = 0;

function level(quality: number): RatingLevel {
  const r = rand();
  if (r < quality) return rand() < 0.7 ? 'very_satisfied' : 'satisfied';
  if (r < quality + (1 - quality) * 0.5) return 'basically_satisfied';
  return rand() < 0.6 ? 'dissatisfied' : 'very_dissatisfied';
}

const genuine: Rating[] = [];
/** Genuine events likely to look like campaigns, reported apart: rating id → event. */
const events = new Map<string, string>();
let seq = 0;
function rating(o: Outlet, accountId: string, t: number, lv: RatingLevel, text: string): Rating {
  seq += 1;
  return {
    id: `r${seq}`,
    accountId,
    outletId: o.id,
    providerUscc: o.uscc,
    serviceType: o.type,
    regionCode: o.region,
    level: lv,
    tags: [],
    text,
    channel: rand() < 0.7 ? 'mobile' : rand() < 0.8 ? 'web' : 'staff',
    createdAt: iso(t),
    status: 'published',
  };
}

/** Gamma(shape 2, mean 1) noise: real daily counts are over-dispersed, not Poisson. */
function dailyNoise(): number {
  return (-Math.log(1 - rand()) - Math.log(1 - rand())) / 2;
}
const WEEKLY = [1.3, 0.9, 0.9, 0.9, 1.0, 1.1, 1.3]; // Sunday first: weekends are busier

for (const o of outlets)
  for (let d = 0; d < DAYS; d += 1) {
    const weekday = new Date(START + d * DAY + 8 * 3600_000).getUTCDay();
    const n = poisson(o.perDay * WEEKLY[weekday] * dailyNoise());
    for (let k = 0; k < n; k += 1) {
      const t = START + d * DAY + Math.floor((7 + rand() * 14) * 3600_000); // 07:00–21:00
      let accountId: string;
      if (rand() < 0.08) {
        accountId = `newcomer-${newcomer++}`;
        accounts.set(accountId, { id: accountId, createdAt: iso(t - Math.floor(rand() * 3600_000)) });
      } else accountId = `acct-${Math.floor(rand() * ACCOUNTS)}`;
      const lv = level(o.quality);
      genuine.push(
        rating(o, accountId, t, lv, genuineText(lv !== 'dissatisfied' && lv !== 'very_dissatisfied')),
      );
    }
  }

// A genuine incident: one canteen serves spoiled food; 9 long-time residents rate 非常不满意 within a day.
{
  const o = outlets.find((x) => x.type === 'canteen') ?? outlets[0];
  const t0 = START + 40 * DAY + 11 * 3600_000;
  for (let k = 0; k < 9; k += 1) {
    genuine.push(
      rating(
        o,
        `acct-${Math.floor(rand() * ACCOUNTS)}`,
        t0 + Math.floor(rand() * 20 * 3600_000),
        'very_dissatisfied',
        genuineText(false),
      ),
    );
    events.set(genuine[genuine.length - 1].id, 'genuine incident (9 差评 in a day)');
  }
}

// A genuine opening week: a new community canteen opens on day 75 and residents, many of them registering on the
// spot through the QR code at the counter, rate it warmly (a legitimate surge the detectors may mistake for a boost).
{
  const o: Outlet = {
    ...outlets[0],
    id: 'outlet-new-canteen',
    uscc: 'SYN999999999999999',
    type: 'canteen',
    perDay: 0,
    quality: 0.9,
  };
  outlets.push(o);
  for (let k = 0; k < 30; k += 1) {
    const t = START + 75 * DAY + Math.floor(rand() * 7 * DAY);
    let accountId = `acct-${Math.floor(rand() * ACCOUNTS)}`;
    if (rand() < 0.25) {
      accountId = `newcomer-${newcomer++}`;
      accounts.set(accountId, { id: accountId, createdAt: iso(t - 600_000) });
    }
    const lv = level(o.quality);
    genuine.push(
      rating(o, accountId, t, lv, genuineText(lv !== 'dissatisfied' && lv !== 'very_dissatisfied')),
    );
    events.set(genuine[genuine.length - 1].id, 'genuine opening week (30 ratings)');
  }
}

// --- SYNTHETIC campaigns ---
const fake = new Map<string, string>(); // rating id → campaign
function account(prefix: string, createdAt: number, deviceHash?: string): string {
  const id = `${prefix}-${accounts.size}`;
  accounts.set(id, { id, createdAt: iso(createdAt), ...(deviceHash ? { deviceHash } : {}) });
  return id;
}
function vary(template: string): string {
  const swaps: [string, string][] = [
    ['非常', '特别'],
    ['推荐', '安利'],
    ['！', '!!'],
    ['大家', '各位'],
    ['很', '超'],
  ];
  let s = template;
  for (const [a, b] of swaps) if (rand() < 0.4) s = s.replace(a, b);
  return rand() < 0.5 ? s : `${s}${pick(['👍', '。', '！！', ''])}`;
}
function inject(campaign: string, r: Rating): void {
  fake.set(r.id, campaign);
  genuine.push(r); // pushed into the same stream; kept apart by the `fake` map only
}

// 1. 刷好评: 25 fresh accounts boost one quiet outlet within two days, with variants of one text.
{
  const o = outlets.filter((x) => x.perDay < 0.3)[3];
  const t0 = START + 20 * DAY;
  for (let k = 0; k < 25; k += 1) {
    const created = t0 + Math.floor(rand() * DAY);
    const id = account('boost', created);
    const text = rand() < 0.7 ? vary('这家店非常好，服务一流，强烈推荐给大家！') : '';
    inject('boost-new-accounts', rating(o, id, created + Math.floor(rand() * DAY), 'very_satisfied', text));
  }
}
// 2. 恶意差评: 12 bought, months-old accounts attack three competitors of one type with copy-pasted texts.
{
  const targets = outlets.filter((x) => x.type === 'housekeeping').slice(0, 3);
  const t0 = START + 50 * DAY;
  for (let k = 0; k < 12; k += 1) {
    const id = account('attack', t0 - (90 + Math.floor(rand() * 200)) * DAY);
    for (const o of targets)
      inject(
        'competitor-attack',
        rating(
          o,
          id,
          t0 + Math.floor(rand() * 3 * DAY),
          'very_dissatisfied',
          vary('大家千万别来，收了钱就不管了，非常差劲，预付卡退不了'),
        ),
      );
  }
}
// 3. one spam account rates 15 outlets within two hours.
{
  const id = account('spam', START - 400 * DAY);
  const t0 = START + 65 * DAY + 9 * 3600_000;
  for (let k = 0; k < 15; k += 1)
    inject(
      'spam-account',
      rating(
        pick(outlets),
        id,
        t0 + k * 8 * 60_000,
        pick(['very_satisfied', 'very_dissatisfied'] as const),
        '',
      ),
    );
}
// 4. a device farm: 8 accounts on 2 phones give 非常满意 to one outlet over ten days, short distinct texts.
{
  const o = outlets.filter((x) => x.perDay > 0.8)[5] ?? outlets[5];
  const t0 = START + 70 * DAY;
  for (let k = 0; k < 8; k += 1) {
    const id = account('farm', t0 - 30 * DAY, `device-${k % 2}`);
    inject('device-farm', rating(o, id, t0 + Math.floor(rand() * 10 * DAY), 'very_satisfied', pick(GOOD)));
  }
}
// 5. slow drip: one aged account per day for 20 days gives one outlet 非常满意 with ordinary-looking texts. Hard on
//    purpose: nothing but the outlet's slightly raised rate distinguishes it.
{
  const o = outlets.filter((x) => x.perDay > 0.3 && x.perDay < 1)[7] ?? outlets[7];
  const t0 = START + 30 * DAY;
  for (let k = 0; k < 20; k += 1) {
    const id = account('drip', t0 - (60 + k) * DAY);
    inject(
      'slow-drip',
      rating(o, id, t0 + k * DAY + Math.floor(rand() * DAY), 'very_satisfied', genuineText(true)),
    );
  }
}

const all = genuine;
const t0 = performance.now();
const report = detectAbuse(all, accounts);
const ms = performance.now() - t0;

const campaigns = new Map<string, { total: number; held: number }>();
let genuineTotal = 0;
let genuineHeld = 0;
const fpByDetector = new Map<string, number>();
for (const r of all) {
  const held = report.flags.has(r.id);
  const c = fake.get(r.id);
  if (c) {
    const s = campaigns.get(c) ?? { total: 0, held: 0 };
    s.total += 1;
    if (held) s.held += 1;
    campaigns.set(c, s);
  } else {
    genuineTotal += 1;
    if (held) {
      genuineHeld += 1;
      for (const f of report.flags.get(r.id) ?? [])
        fpByDetector.set(f.detector, (fpByDetector.get(f.detector) ?? 0) + 1);
    }
  }
}
const fakeTotal = [...campaigns.values()].reduce((s, c) => s + c.total, 0);
const fakeHeld = [...campaigns.values()].reduce((s, c) => s + c.held, 0);
const recall = fakeHeld / fakeTotal;
const fpr = genuineHeld / genuineTotal;
const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;

console.log('好差评 abuse benchmark — SYNTHETIC traffic and campaigns, seed', SEED);
console.log(
  `traffic        ${genuineTotal} genuine ratings, ${outlets.length} outlets, ${accounts.size} accounts, ${DAYS} days`,
);
console.log(`campaigns      ${fakeTotal} fake ratings in ${campaigns.size} campaigns`);
for (const [name, s] of campaigns)
  console.log(`  ${name.padEnd(20)} ${s.held}/${s.total} held (${pct(s.held / s.total)})`);
console.log(
  `recall         ${pct(recall)} (goal ≥ ${pct(GOAL.recall)}) ${recall >= GOAL.recall ? 'MET' : 'MISSED'}`,
);
console.log(
  `false pos.     ${pct(fpr)} = ${genuineHeld} genuine held (goal ≤ ${pct(GOAL.falsePositive)}) ${fpr <= GOAL.falsePositive ? 'MET' : 'MISSED'}`,
);
console.log(`  by detector  ${[...fpByDetector].map(([d, n]) => `${d} ${n}`).join(', ') || 'none'}`);
const eventStats = new Map<string, { total: number; held: number }>();
for (const [id, e] of events) {
  const st = eventStats.get(e) ?? { total: 0, held: 0 };
  st.total += 1;
  if (report.flags.has(id)) st.held += 1;
  eventStats.set(e, st);
}
for (const [e, st] of eventStats) console.log(`  ${e}: ${st.held}/${st.total} held`);
console.log(`time           ${ms.toFixed(0)} ms for ${all.length} ratings`);
