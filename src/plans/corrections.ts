import { createHash } from 'node:crypto';
import { LifeCircleError } from '../errors.js';
import { flattenMeasures } from './parse-plan.js';
import type { Comparator, Measure, ParsedPlan, Responsibility, Target, UnitMention } from './types.js';
import { normalizeUnit } from './units.js';

/**
 * People correct what the parser got wrong. Corrections are stored apart from the raw extraction and applied on
 * top of it, so re-importing a document (a new parser version, a fixed source file) keeps every correction
 * that still fits and reports the ones that no longer do.
 *
 * Each correction carries the fingerprint of the item it changes (`expect`) and of the measure it works in
 * (`measureExpect`, `parentExpect`) as the person saw them. On a new extraction the item is found by id, or,
 * when ids shifted, by that fingerprint; when neither finds it unchanged, the correction is not applied and is
 * reported as a conflict.
 */

export type TargetFields = Pick<
  Target,
  | 'phrase'
  | 'comparator'
  | 'value'
  | 'valueMax'
  | 'unit'
  | 'deadlineYear'
  | 'scope'
  | 'relative'
  | 'aspirational'
  | 'gradual'
>;

export type CorrectionOp =
  | { op: 'set-measure'; measureId: string; expect: string; title?: string | null; text?: string }
  | {
      op: 'add-measure';
      parentId: string | null;
      parentExpect: string | null;
      newId: string;
      title: string | null;
      text: string;
    }
  | { op: 'remove-measure'; measureId: string; expect: string }
  | { op: 'add-unit'; measureId: string; measureExpect: string; name: string; role: UnitMention['role'] }
  | {
      op: 'set-unit';
      measureId: string;
      measureExpect: string;
      unitKey: string;
      expect: string;
      role?: UnitMention['role'];
      name?: string;
    }
  | { op: 'remove-unit'; measureId: string; measureExpect: string; unitKey: string; expect: string }
  | {
      op: 'add-target';
      measureId: string;
      measureExpect: string;
      newId: string;
      target: Pick<TargetFields, 'phrase' | 'comparator' | 'value' | 'unit'> & Partial<TargetFields>;
    }
  | { op: 'set-target'; targetId: string; expect: string; changes: Partial<TargetFields> }
  | { op: 'remove-target'; targetId: string; expect: string };

export type Correction = CorrectionOp & { id: string; author: string; at: string; note?: string };

export interface Conflict {
  correctionId: string;
  kind: 'missing' | 'changed' | 'duplicate-id';
  message: string;
}

export interface CorrectedPlan {
  plan: ParsedPlan;
  applied: { correctionId: string; itemId: string; relocated: boolean }[];
  conflicts: Conflict[];
}

const hash = (s: string): string => createHash('sha256').update(s).digest('hex').slice(0, 16);

export function measureFingerprint(m: Measure): string {
  return hash(`measure|${m.title ?? ''}|${m.text}`);
}
export function unitFingerprint(u: UnitMention): string {
  return hash(`unit|${u.raw}|${u.key}|${u.role}`);
}
export function targetFingerprint(t: Target): string {
  return hash(
    `target|${JSON.stringify([t.phrase, t.comparator, t.value, t.valueMax, t.unit, t.deadlineYear, t.scope, t.relative])}`,
  );
}

function findMeasure(
  all: Measure[],
  id: string,
  expect?: string,
): { m: Measure; relocated: boolean } | Conflict['kind'] {
  const byId = all.find((m) => m.id === id);
  if (byId && (expect === undefined || measureFingerprint(byId) === expect))
    return { m: byId, relocated: false };
  const moved = expect === undefined ? undefined : all.find((m) => measureFingerprint(m) === expect);
  if (moved) return { m: moved, relocated: true };
  return byId ? 'changed' : 'missing';
}

function findTarget(
  all: Measure[],
  id: string,
  expect: string,
): { m: Measure; t: Target; relocated: boolean } | Conflict['kind'] {
  const targets = all.flatMap((m) => m.targets.map((t) => ({ m, t })));
  const byId = targets.find(({ t }) => t.id === id);
  if (byId && targetFingerprint(byId.t) === expect) return { ...byId, relocated: false };
  const moved = targets.find(({ t }) => targetFingerprint(t) === expect);
  if (moved) return { ...moved, relocated: true };
  return byId ? 'changed' : 'missing';
}

function correctionResponsibility(m: Measure, units: UnitMention[]): Responsibility {
  return { source: 'correction', raw: '', span: m.span, coversSpan: m.span, units, openEnded: false };
}

/** Apply corrections, oldest first, to a copy of the raw extraction. The raw plan is not modified. */
export function applyCorrections(raw: ParsedPlan, corrections: Correction[]): CorrectedPlan {
  const plan: ParsedPlan = structuredClone(raw);
  const applied: CorrectedPlan['applied'] = [];
  const conflicts: Conflict[] = [];
  const level = plan.metadata.issuerLevel;
  const conflict = (c: Correction, kind: Conflict['kind'], what: string): void => {
    conflicts.push({
      correctionId: c.id,
      kind,
      message:
        kind === 'missing'
          ? `${what} is no longer in the extraction`
          : kind === 'changed'
            ? `${what} changed in the new extraction since ${c.author} corrected it on ${c.at}; review it again`
            : `${what} already exists`,
    });
  };
  const done = (c: Correction, itemId: string, relocated = false): void => {
    applied.push({ correctionId: c.id, itemId, relocated });
  };

  for (const c of [...corrections].sort((a, b) => a.at.localeCompare(b.at))) {
    const all = flattenMeasures(plan.measures);
    switch (c.op) {
      case 'set-measure':
      case 'remove-measure': {
        const found = findMeasure(all, c.measureId, c.expect);
        if (typeof found === 'string') {
          conflict(c, found, `measure ${c.measureId}`);
          break;
        }
        const { m, relocated } = found;
        if (c.op === 'set-measure') {
          if (c.title !== undefined) m.title = c.title;
          if (c.text !== undefined) m.text = c.text;
          m.correctedBy = [...(m.correctedBy ?? []), c.id];
        } else {
          const siblings = all.find((p) => p.children.includes(m))?.children ?? plan.measures;
          siblings.splice(siblings.indexOf(m), 1);
        }
        done(c, m.id, relocated);
        break;
      }
      case 'add-measure': {
        if (all.some((m) => m.id === c.newId)) {
          conflict(c, 'duplicate-id', `measure ${c.newId}`);
          break;
        }
        const parent = c.parentId === null ? null : findMeasure(all, c.parentId, c.parentExpect ?? undefined);
        if (typeof parent === 'string') {
          conflict(c, parent, `parent measure ${c.parentId}`);
          break;
        }
        const at = parent?.m ?? null;
        const span = at?.span ?? [0, 0];
        (at?.children ?? plan.measures).push({
          id: c.newId,
          label: null,
          number: null,
          numberStyle: null,
          depth: at ? at.depth + 1 : 0,
          title: c.title,
          titleSpan: null,
          text: c.text,
          span: [span[0], span[1]],
          synthetic: false,
          responsibilities: [],
          targets: [],
          children: [],
          correctedBy: [c.id],
        });
        done(c, c.newId);
        break;
      }
      case 'add-unit':
      case 'set-unit':
      case 'remove-unit': {
        const found = findMeasure(all, c.measureId, c.measureExpect);
        if (typeof found === 'string') {
          conflict(c, found, `measure ${c.measureId}`);
          break;
        }
        const { m } = found;
        if (c.op === 'add-unit') {
          const unit: UnitMention = {
            raw: c.name,
            span: [m.span[0], m.span[1]],
            role: c.role,
            ...normalizeUnit(c.name, level),
            correctedBy: c.id,
          };
          m.responsibilities.push(correctionResponsibility(m, [unit]));
          done(c, `${m.id}/${unit.key}`);
          break;
        }
        const holders = m.responsibilities.flatMap((r) => r.units.map((u) => ({ r, u })));
        const hit = holders.find(({ u }) => u.key === c.unitKey && unitFingerprint(u) === c.expect);
        if (!hit) {
          conflict(
            c,
            holders.some(({ u }) => u.key === c.unitKey) ? 'changed' : 'missing',
            `unit ${c.unitKey} of ${m.id}`,
          );
          break;
        }
        // One unit can appear in several statements of the measure (inline and table): correct them all.
        for (const { r, u } of holders.filter(({ u }) => u.key === c.unitKey)) {
          if (c.op === 'remove-unit') r.units.splice(r.units.indexOf(u), 1);
          else {
            if (c.role) u.role = c.role;
            if (c.name) Object.assign(u, normalizeUnit(c.name, level), { raw: u.raw });
            u.correctedBy = c.id;
          }
        }
        done(c, `${m.id}/${c.unitKey}`);
        break;
      }
      case 'add-target': {
        const found = findMeasure(all, c.measureId, c.measureExpect);
        if (typeof found === 'string') {
          conflict(c, found, `measure ${c.measureId}`);
          break;
        }
        if (all.some((m) => m.targets.some((t) => t.id === c.newId))) {
          conflict(c, 'duplicate-id', `target ${c.newId}`);
          break;
        }
        const { m } = found;
        m.targets.push({
          id: c.newId,
          comparatorWords: [],
          deadlineSource: null,
          span: [m.span[0], m.span[1]],
          valueSpan: [m.span[0], m.span[1]],
          sentence: '',
          sentenceSpan: [m.span[0], m.span[1]],
          valueMax: null,
          deadlineYear: null,
          scope: null,
          relative: null,
          aspirational: false,
          gradual: false,
          ...c.target,
          correctedBy: c.id,
        });
        done(c, c.newId);
        break;
      }
      case 'set-target':
      case 'remove-target': {
        const found = findTarget(all, c.targetId, c.expect);
        if (typeof found === 'string') {
          conflict(c, found, `target ${c.targetId}`);
          break;
        }
        const { m, t, relocated } = found;
        if (c.op === 'set-target') Object.assign(t, c.changes, { correctedBy: c.id });
        else m.targets.splice(m.targets.indexOf(t), 1);
        done(c, t.id, relocated);
        break;
      }
    }
  }
  return { plan, applied, conflicts };
}

const COMPARATORS: Comparator[] = ['eq', 'gte', 'gt', 'lte', 'lt'];
const ROLES: UnitMention['role'][] = ['lead', 'co', 'unspecified'];

function fail(index: number, field: string, expected: string, got: unknown): never {
  throw new LifeCircleError(
    'LC_PLAN_CORRECTION',
    `correction ${index}, field ${field}: expected ${expected}, got ${JSON.stringify(got) ?? 'nothing'}`,
  );
}

/**
 * Check a correction received from the UI or API before it is stored: its op, ids, and the types of the fields
 * it sets. Throws LC_PLAN_CORRECTION naming the field; returns the value typed.
 */
export function validateCorrection(input: unknown, index = 0): Correction {
  if (typeof input !== 'object' || input === null) fail(index, '(root)', 'an object', input);
  const c = input as Record<string, unknown>;
  const str = (field: string, optional = false): void => {
    if (optional && c[field] === undefined) return;
    if (typeof c[field] !== 'string' || (c[field] as string).length === 0)
      fail(index, field, 'a non-empty string', c[field]);
  };
  str('id');
  str('author');
  str('at');
  const op = c.op;
  switch (op) {
    case 'set-measure':
    case 'remove-measure':
      str('measureId');
      str('expect');
      if (op === 'set-measure') {
        str('text', true);
        if (c.title !== undefined && c.title !== null && typeof c.title !== 'string')
          fail(index, 'title', 'a string or null', c.title);
      }
      break;
    case 'add-measure':
      if (c.parentId !== null) {
        str('parentId');
        str('parentExpect');
      }
      str('newId');
      str('text');
      break;
    case 'add-unit':
    case 'set-unit':
    case 'remove-unit':
      str('measureId');
      str('measureExpect');
      if (op === 'add-unit') str('name');
      else {
        str('unitKey');
        str('expect');
        str('name', true);
      }
      if (c.role !== undefined && !ROLES.includes(c.role as UnitMention['role']))
        fail(index, 'role', ROLES.join(' | '), c.role);
      if (op === 'add-unit' && c.role === undefined) fail(index, 'role', ROLES.join(' | '), c.role);
      break;
    case 'add-target':
    case 'set-target': {
      const fields = (op === 'add-target' ? c.target : c.changes) as Record<string, unknown> | undefined;
      const name = op === 'add-target' ? 'target' : 'changes';
      if (op === 'add-target') {
        str('measureId');
        str('measureExpect');
        str('newId');
      } else {
        str('targetId');
        str('expect');
      }
      if (typeof fields !== 'object' || fields === null) fail(index, name, 'an object', fields);
      const required = op === 'add-target';
      for (const key of ['value'] as const)
        if ((required || key in fields) && (typeof fields[key] !== 'number' || !Number.isFinite(fields[key])))
          fail(index, `${name}.${key}`, 'a number', fields[key]);
      for (const key of ['phrase', 'unit'] as const)
        if ((required || key in fields) && typeof fields[key] !== 'string')
          fail(index, `${name}.${key}`, 'a string', fields[key]);
      if ((required || 'comparator' in fields) && !COMPARATORS.includes(fields.comparator as Comparator))
        fail(index, `${name}.comparator`, COMPARATORS.join(' | '), fields.comparator);
      if ('deadlineYear' in fields && fields.deadlineYear !== null && !Number.isInteger(fields.deadlineYear))
        fail(index, `${name}.deadlineYear`, 'a year or null', fields.deadlineYear);
      break;
    }
    case 'remove-target':
      str('targetId');
      str('expect');
      break;
    default:
      fail(index, 'op', 'one of set-/add-/remove- measure, unit, target', op);
  }
  return input as Correction;
}
