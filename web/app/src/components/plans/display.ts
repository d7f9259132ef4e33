import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { api, unwrap, type Answer } from '../../api';

/** One plan as the API answers it. */
export async function fetchPlan(id: string) {
  return unwrap(await api.GET('/api/plans/{id}', { params: { path: { id } } }));
}

/**
 * The plans pages' types, from the API document, and how a plan's parts read in each language. The plan's type
 * is taken from the client's answer (its spans come out as number arrays there, not pairs).
 */
export type PlanDetail = Awaited<ReturnType<typeof fetchPlan>>;
export type Measure = PlanDetail['plan']['measures'][number];
export type Target = Measure['targets'][number];
export type Unit = Measure['responsibilities'][number]['units'][number];
export type PlanNote = PlanDetail['notes'][number];
export type MeasureState = PlanDetail['measureStates'][number];
export type PlanSummary = Answer<'/api/plans', 'get'>['items'][number];
export type Assignment = Answer<'/api/assignments', 'get'>['items'][number];
export type Report = NonNullable<Assignment['lastReport']>;
export type ReminderGroup = Answer<'/api/plans/reminders', 'get'>['items'][number];
export type Span = Measure['span'];

export const flatMeasures = (ms: Measure[]): Measure[] => ms.flatMap((m) => [m, ...flatMeasures(m.children)]);

/** A measure's units, each once (a unit named in the text and in the task table is one unit). */
export function unitsOf(m: Measure): Unit[] {
  const seen = new Set<string>();
  return m.responsibilities
    .flatMap((r) => r.units)
    .filter((u) => (seen.has(u.key) ? false : (seen.add(u.key), true)));
}

/** A measure's heading: its label and title, or the start of its text where it has no title. */
export const measureHeading = (m: Measure): string =>
  `${m.label ? `${m.label} ` : ''}${m.title ?? m.text.slice(0, 40)}`;

/**
 * A unit's name in the page's language: in English the department's English name where the unit is a known
 * department (`unitNamesEn`, from the server's department list); units known only as written are names from
 * the document and stay as written.
 */
export const unitName = (
  key: string,
  written: string,
  namesEn: Record<string, string>,
  locale: string,
): string => (locale === 'en' ? (namesEn[key] ?? written) : written);

const COMPARATOR: Record<Target['comparator'], string> = { eq: '=', gte: '≥', gt: '>', lte: '≤', lt: '<' };

/**
 * Target units in English. Chinese measure words (个, 家, 所, 处 …) have no English counterpart: a count stands
 * alone. Units not listed stay as written (they are the document's).
 */
export const UNIT_EN: Record<string, string> = {
  '%': '%',
  个百分点: ' percentage points',
  百分点: ' percentage points',
  '‰': '‰',
  倍: '×',
  千人: ' ×1,000 people',
  万户: ' ×10,000 households',
  万张: ' ×10,000 beds',
  万个: ' ×10,000',
  万册: ' ×10,000 volumes',
  万: ' ×10,000',
  亿人次: ' ×100 million visits',
  万亿元: ' trillion yuan',
  公顷: ' ha',
  亩: ' mu',
  千米: ' km',
  平方公里: ' km²',
  人: ' people',
  万人: ' ×10,000 people',
  人次: ' visits',
  万人次: ' ×10,000 visits',
  万次: ' ×10,000 times',
  平方米: ' m²',
  万平方米: ' ×10,000 m²',
  公里: ' km',
  米: ' m',
  元: ' yuan',
  万元: ' ×10,000 yuan',
  亿元: ' ×100 million yuan',
  张: ' beds',
  床: ' beds',
  张床位: ' beds',
  ...Object.fromEntries(
    ['个', '家', '所', '处', '套', '场', '部', '项', '条', '座', '支', '间', '栋', '件', '册'].map((w) => [
      w,
      '',
    ]),
  ),
};

const SCOPE_EN: Record<string, string> = {
  全市: 'citywide',
  全区: 'district-wide',
  全县: 'county-wide',
  全省: 'province-wide',
  每县: 'per county',
  每区: 'per district',
  农村: 'rural',
  城市: 'urban',
};

/**
 * A quantified target in words: comparator, value (or range) and unit, the deadline, and for a relative target
 * ("比2020年增加200人以上") the baseline year and direction, so it never reads as an absolute level.
 */
export function targetText(target: Target, locale: string): string {
  const en = locale === 'en';
  const unit = en ? (UNIT_EN[target.unit] ?? ` ${target.unit}`) : target.unit;
  const value = target.valueMax === null ? `${target.value}` : `${target.value}–${target.valueMax}`;
  const amount = `${COMPARATOR[target.comparator]} ${value}${unit}`;
  const scope = target.scope ? (en ? (SCOPE_EN[target.scope] ?? target.scope) : target.scope) : '';
  const by =
    target.deadlineYear === null ? '' : en ? ` by ${target.deadlineYear}` : `（${target.deadlineYear}年）`;
  const r = target.relative;
  if (r) {
    const change = en ? relativeEn(r, amount) : relativeZh(r, amount);
    return en ? `${change}${scope ? `, ${scope}` : ''}${by}` : `${scope}${change}${by}`;
  }
  return en ? `${amount}${scope ? `, ${scope}` : ''}${by}` : `${scope ? `${scope} ` : ''}${amount}${by}`;
}

type Relative = NonNullable<Target['relative']>;

/** 比2020年增加 ≥ 200人, 比基期提高 5个百分点, 比2020年增长 10%, 达到2020年的 2倍 (kind absent: stored before kinds). */
function relativeZh(r: Relative, amount: string): string {
  const base = r.baselineYear === null ? '基期' : `${r.baselineYear}年`;
  const up = r.change === 'increase';
  switch (r.kind ?? 'absolute') {
    case 'multiple':
      return `达到${base}的 ${amount}`;
    case 'percent':
      return `比${base}${up ? '增长' : '下降'} ${amount}`;
    case 'points':
      return `比${base}${up ? '提高' : '降低'} ${amount}`;
    default:
      return `比${base}${up ? '增加' : '减少'} ${amount}`;
  }
}

function relativeEn(r: Relative, amount: string): string {
  const base = r.baselineYear === null ? 'the baseline' : `${r.baselineYear}`;
  if (r.kind === 'multiple') return `${amount} the level of ${base}`;
  return `${r.change === 'increase' ? 'increase' : 'decrease'} of ${amount} on ${base}`;
}

/**
 * The level a relative target asks for from its baseline's value (as src/plans `relativeGoal` on the server:
 * + change, + points, × (1 ± %), × multiple).
 */
export function relativeLevel(r: Relative, amount: number, baseline: number): number {
  const sign = r.change === 'increase' ? 1 : -1;
  if (r.kind === 'percent') return baseline * (1 + (sign * amount) / 100);
  if (r.kind === 'multiple') return baseline * amount;
  return baseline + sign * amount;
}

export const ROLES = ['lead', 'co', 'unspecified'] as const;
export type UnitRole = (typeof ROLES)[number];
export const STAGES = ['not-started', 'in-progress', 'awaiting-review', 'returned', 'done'] as const;
export const REPORT_STATUSES = ['in-progress', 'completed', 'blocked'] as const;

/**
 * A file's SHA-256 in hex, computed in the browser: only the digest, name and size are sent (evidence).
 * `crypto.subtle` exists only in secure contexts (HTTPS or localhost); a district intranet often serves plain
 * HTTP, where @noble/hashes (audited, no dependencies) computes it instead.
 */
export async function sha256Hex(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  if (globalThis.crypto?.subtle)
    return bytesToHex(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes)));
  return bytesToHex(sha256(bytes));
}
