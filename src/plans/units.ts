import {
  COMPOUND_UNIT_NAMES,
  DEPARTMENT_KINDS,
  GENERIC_UNIT_PATTERN,
  GOVERNMENT_PATTERNS,
  type DepartmentKind,
} from './departments.js';
import { toSourceSpan, type Paragraph } from './paragraphs.js';
import type { AdminLevel, UnitMention } from './types.js';

type Normalized = Omit<UnitMention, 'raw' | 'span' | 'role'>;

const ALIASES = new Map<string, DepartmentKind>();
for (const kind of DEPARTMENT_KINDS) for (const alias of kind.aliases) ALIASES.set(alias, kind);
const PATTERNS = DEPARTMENT_KINDS.flatMap((kind) =>
  (kind.patterns ?? []).map((source) => ({ kind, re: new RegExp(source) })),
);
const GOVERNMENTS = GOVERNMENT_PATTERNS.map(({ pattern, scope }) => ({ re: new RegExp(pattern), scope }));
const GENERIC = new RegExp(GENERIC_UNIT_PATTERN);
const LEVEL_PREFIX = /^(省|市|区|县)/;

function matchKind(core: string): { kind: DepartmentKind; place: string | null } | null {
  const kind = ALIASES.get(core);
  if (kind) return { kind, place: null };
  for (const { kind, re } of PATTERNS) {
    const m = re.exec(core);
    if (m) return { kind, place: m.groups?.place ?? null };
  }
  return null;
}

/**
 * Normalise one unit name against the department list. `issuerLevel` resolves names written without a level:
 * in a 区 plan, 商务局 means 区商务局. Names matching nothing are kept and marked unknown.
 */
export function normalizeUnit(name: string, issuerLevel: AdminLevel | null): Normalized {
  if (GENERIC.test(name))
    return {
      departmentId: null,
      level: null,
      levelInferred: false,
      place: null,
      normalized: name,
      key: `generic:${name}`,
      status: 'generic',
    };
  for (const { re, scope } of GOVERNMENTS)
    if (re.test(name.replace(/、/g, ''))) {
      const level =
        (/(区|县|市)/.exec(name.replace(/^(各|相关)/, ''))?.[1] as AdminLevel | undefined) ?? null;
      const key = scope === 'named-town' ? `gov:${name}` : `gov:${scope}:${level ?? '-'}`;
      return {
        departmentId: null,
        level,
        levelInferred: false,
        place: null,
        normalized: name,
        key,
        status: 'government',
      };
    }
  const prefix = LEVEL_PREFIX.exec(name);
  let found = prefix ? matchKind(name.slice(1)) : null;
  let level: AdminLevel | null = found && prefix ? (prefix[1] as AdminLevel) : null;
  if (!found) found = matchKind(name);
  if (!found)
    return {
      departmentId: null,
      level: null,
      levelInferred: false,
      place: null,
      normalized: name,
      key: `unknown:${name}`,
      status: 'unknown',
    };
  const { kind, place } = found;
  // Units named after a place (天津银保监局, 人行太原中心支行) are not part of the issuer's hierarchy.
  const placeBound = place !== null && level === null;
  const levelInferred = level === null && !placeBound && issuerLevel !== null;
  if (levelInferred) level = issuerLevel;
  const normalized = placeBound ? name : `${level ?? ''}${kind.canonical}${place ? `（${place}）` : ''}`;
  return {
    departmentId: kind.id,
    level,
    levelInferred,
    place,
    normalized,
    key: `${level ?? '-'}:${kind.id}${place ? `@${place}` : ''}`,
    status: 'known',
  };
}

/**
 * Separators and markers inside a list of responsible units. Named groups: `label` (牵头单位：), `etc` (等部门, an
 * open-ended list), `marker` (按职责分工负责 / 牵头 / 配合), or a plain separator.
 */
const UNIT_DELIMITER =
  /[【[]?(?<label>牵头单位|配合单位|责任单位|参与单位|牵头部门|配合部门|责任部门)[】\]]?[:：]|(?<etc>等(?:相关行业主管部门|有关部门|相关部门|行业主管部门|部门|单位)?)(?=[、，,；;。\s]|按|分工|负责|$)|(?<marker>按职责分工负责|按职责分工|分工负责|负责|牵头|配合|参与)|[、，,；;。\s]/g;

export interface UnitList {
  units: UnitMention[];
  openEnded: boolean;
}

/**
 * Read the units named in `paragraph.text[start, end)`: the inside of a （责任单位：…） or （…按职责分工负责）
 * parenthesis, or a table cell.
 */
export function parseUnitList(
  paragraph: Paragraph,
  start: number,
  end: number,
  issuerLevel: AdminLevel | null,
): UnitList {
  let inner = paragraph.text.slice(start, end);
  for (const { written, protect } of COMPOUND_UNIT_NAMES) inner = inner.split(written).join(protect);
  const tokens: { raw: string; at: number; role: UnitMention['role'] }[] = [];
  let openEnded = false;
  let labelRole: UnitMention['role'] = 'unspecified';
  let pending: typeof tokens = [];
  let last = 0;
  const push = (to: number): void => {
    const raw = inner.slice(last, to);
    if (raw.length > 0) {
      const token = { raw: raw.replace(/\ue000/g, '、'), at: last, role: labelRole };
      tokens.push(token);
      pending.push(token);
    }
  };
  for (const m of inner.matchAll(UNIT_DELIMITER)) {
    push(m.index);
    last = m.index + m[0].length;
    const g = m.groups ?? {};
    if (g.label) {
      labelRole = g.label.startsWith('牵头') ? 'lead' : g.label.startsWith('配合') ? 'co' : 'unspecified';
      pending = [];
    } else if (g.etc) openEnded = true;
    else if (g.marker === '牵头') {
      for (const t of pending) t.role = 'lead';
      pending = [];
    } else if (g.marker === '配合' || g.marker === '参与') {
      for (const t of pending) t.role = 'co';
      pending = [];
    } else if (g.marker || /[；;]/.test(m[0])) pending = [];
  }
  push(inner.length);

  const units: UnitMention[] = [];
  tokens.forEach((token, i) => {
    let normalized = normalizeUnit(token.raw, issuerLevel);
    // Shared suffix: 秦皇岛开发区、北戴河新区管委会 names two 管委会.
    const next = tokens[i + 1];
    if (normalized.status === 'unknown' && next && /(开发区|新区|高新区|经开区)$/.test(token.raw)) {
      const suffix = /管委会$/.exec(next.raw)?.[0];
      if (suffix) normalized = normalizeUnit(token.raw + suffix, issuerLevel);
    }
    units.push({
      raw: token.raw,
      span: toSourceSpan(paragraph, start + token.at, start + token.at + token.raw.length),
      role: token.role,
      ...normalized,
    });
  });
  return { units, openEnded };
}
