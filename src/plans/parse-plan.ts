import { LifeCircleError } from '../errors.js';
import { createHash } from 'node:crypto';
import { decodePlanSource } from './decode.js';
import { readMetadata } from './metadata.js';
import { splitParagraphs, type Paragraph } from './paragraphs.js';
import { findResponsibilities } from './responsibilities.js';
import { parseHeading } from './numbering.js';
import { BOILERPLATE, buildTree, nodeSpan, type MeasureNode } from './structure.js';
import { linkTable, readTable } from './table.js';
import { findTargets } from './targets.js';
import type { AdminLevel, DateMention, Measure, ParsedPlan, SourceInfo, Span, UnitMention } from './types.js';
import { lostHeadingsWarning, pastYearFiguresWarning, unknownUnitsWarning } from './warnings.js';

/** The notice wrapped around a plan (现将…印发给你们，请认真组织实施): never a measure. */
const NOTICE = /印发给你们|请认真组织实施|请照此执行|请结合实际/;

/** 到2022年，… opening a paragraph sets the deadline for the rest of its section (seed 004's 建设目标). */
const SECTION_DEADLINE = /^(?:——)?(?:到|至)(20\d{2})年/;

function toMeasures(
  nodes: MeasureNode[],
  prefix: string,
  depth: number,
  level: AdminLevel | null,
  inherited: number | null = null,
): Measure[] {
  let sectionDeadline = inherited;
  return nodes.map((node, i) => {
    const id = `${prefix}${i + 1}`;
    const paragraph = node.paragraph;
    const opening = paragraph ? SECTION_DEADLINE.exec(paragraph.text) : null;
    const targets = paragraph ? findTargets(paragraph, id) : [];
    for (const t of targets)
      if (t.deadlineYear === null && sectionDeadline !== null) {
        t.deadlineYear = sectionDeadline;
        t.deadlineSource = 'section';
      }
    const measure: Measure = {
      id,
      label: node.label,
      number: node.number,
      numberStyle: node.numberStyle,
      depth,
      title: node.title,
      titleSpan: node.titleSpan,
      text: paragraph?.text ?? '',
      span: nodeSpan(node),
      synthetic: node.synthetic,
      responsibilities: paragraph ? findResponsibilities(paragraph, level) : [],
      targets,
      children: toMeasures(
        node.children,
        `${id}.`,
        depth + 1,
        level,
        opening ? Number(opening[1]) : sectionDeadline,
      ),
    };
    if (opening) sectionDeadline = Number(opening[1]);
    return measure;
  });
}

const GOALS_TITLE = /(建设|发展|主要|行动|总体|工作)目标$/;

/** 到2022年 in the goals section (seed 004's （三）建设目标) sets the horizon of a plan that states none earlier. */
function goalsHorizon(measures: Measure[]): number | null {
  for (const goals of flattenMeasures(measures).filter((m) => GOALS_TITLE.test(m.title ?? '')))
    for (const m of [goals, ...flattenMeasures(goals.children)]) {
      const year = /到(20\d{2})年/.exec(m.text)?.[1];
      if (year) return Number(year);
    }
  return null;
}

/** Every measure in document order. */
export function flattenMeasures(measures: Measure[]): Measure[] {
  return measures.flatMap((m) => [m, ...flattenMeasures(m.children)]);
}

/** Units of a measure without repeats (same normalised key), lead units first. */
export function measureUnits(measure: Measure): UnitMention[] {
  const seen = new Map<string, UnitMention>();
  for (const r of measure.responsibilities)
    for (const u of r.units) {
      const known = seen.get(u.key);
      if (!known || (known.role !== 'lead' && u.role === 'lead')) seen.set(u.key, u);
    }
  return [...seen.values()].sort((a, b) => Number(b.role === 'lead') - Number(a.role === 'lead'));
}

/**
 * Split the paragraphs into front matter, body and attachment. The body starts at the first numbered heading,
 * or, in a document whose headings were all lost, at the first sentence that is not the notice.
 */
function sections(paragraphs: Paragraph[]): {
  front: Paragraph[];
  body: Paragraph[];
  attachment: Paragraph[];
} {
  let start = paragraphs.findIndex((p) => parseHeading(p.text) !== null && !BOILERPLATE.test(p.text));
  if (start < 0) start = paragraphs.findIndex((p) => /。/.test(p.text) && !NOTICE.test(p.text));
  if (start < 0) start = paragraphs.length;
  let end = paragraphs.findIndex((p, i) => i > start && /^附件/.test(p.text));
  if (end < 0) end = paragraphs.length;
  return {
    front: paragraphs.slice(0, start),
    body: attachUnitLines(paragraphs.slice(start, end).filter((p) => !BOILERPLATE.test(p.text))),
    attachment: paragraphs.slice(end),
  };
}

/** 责任单位：… on a line of its own belongs to the measure above it, not a measure of its own. */
const UNIT_LINE = /^[【[]?(?:责任|牵头|配合)(?:单位|部门)[】\]]?[:：]/;

function attachUnitLines(body: Paragraph[]): Paragraph[] {
  const out: Paragraph[] = [];
  for (const p of body) {
    const previous = out[out.length - 1];
    if (previous && UNIT_LINE.test(p.text))
      out[out.length - 1] = { text: previous.text + p.text, offsets: [...previous.offsets, ...p.offsets] };
    else out.push(p);
  }
  return out;
}

/** Parse decoded text into a structured plan. Pure: the same text always gives the same plan. */
export function parsePlanText(text: string, source?: Partial<SourceInfo>): ParsedPlan {
  const paragraphs = splitParagraphs(text);
  const { front, body, attachment } = sections(paragraphs);
  const metadata = readMetadata(front, paragraphs);
  const measures = toMeasures(buildTree(body), 'm', 0, metadata.issuerLevel);
  const warnings: string[] = [];
  const table = readTable(attachment, metadata.issuerLevel);
  if (table) warnings.push(...linkTable(table, measures));
  const all = flattenMeasures(measures);
  if (metadata.horizonYear === null) {
    const year = goalsHorizon(measures);
    if (year !== null) [metadata.horizonYear, metadata.horizonSource] = [year, 'goals'];
  }
  if (metadata.horizonYear !== null)
    for (const t of all.flatMap((m) => m.targets))
      if (t.deadlineYear === null) {
        t.deadlineYear = metadata.horizonYear;
        t.deadlineSource = 'plan';
      }
  const past = dropPastYearFigures(measures, issueYear(metadata.dates));
  if (past > 0) warnings.push(pastYearFiguresWarning(past));
  const lost = all.filter((m) => m.synthetic).length;
  if (lost > 0) warnings.push(lostHeadingsWarning(lost));
  const unknown = new Set(
    all
      .flatMap((m) => m.responsibilities.flatMap((r) => r.units.filter((u) => u.status === 'unknown')))
      .map((u) => u.raw),
  );
  if (unknown.size > 0) warnings.push(unknownUnitsWarning([...unknown]));
  const firstFront = front[0];
  const lastFront = front[front.length - 1];
  const preambleSpan: Span | null =
    firstFront && lastFront
      ? [firstFront.offsets[0], lastFront.offsets[lastFront.offsets.length - 1] + 1]
      : null;
  return {
    source: {
      fileName: source?.fileName ?? '(pasted text)',
      format: source?.format ?? 'text',
      encoding: source?.encoding ?? null,
      bytes: source?.bytes ?? Buffer.byteLength(text, 'utf8'),
      sha256: source?.sha256 ?? createHash('sha256').update(text).digest('hex'),
    },
    text,
    metadata,
    preambleSpan,
    measures,
    table,
    warnings,
  };
}

/** The year the plan was issued (成文日期) or, without one, published; null when neither is written. */
function issueYear(dates: readonly DateMention[]): number | null {
  const dated = dates.find((d) => d.role === 'issued') ?? dates.find((d) => d.role === 'published');
  return dated ? Number(dated.date.slice(0, 4)) : null;
}

/**
 * A figure the text dates before the plan was issued ("2021年，全市养老床位达到5万张" in a 2022 plan) reports the
 * past, even without a status word (截至, 已): it is not a target. The plan's horizon is never earlier; relative
 * targets keep their baseline year apart (比2020年). Returns how many were dropped.
 */
function dropPastYearFigures(measures: Measure[], issued: number | null): number {
  if (issued === null) return 0;
  let dropped = 0;
  for (const m of flattenMeasures(measures)) {
    const kept = m.targets.filter(
      (t) =>
        // A year written in the text (its clause, sentence or section), not the plan's horizon.
        !(
          t.deadlineSource !== null &&
          t.deadlineSource !== 'plan' &&
          (t.deadlineYear ?? issued) < issued &&
          !t.relative
        ),
    );
    dropped += m.targets.length - kept.length;
    m.targets = kept;
  }
  return dropped;
}

/**
 * Refuses a text with no plan structure: not one numbered measure (一、 （一） 1. 第一条 …) anywhere. Action plans
 * are numbered throughout (GB/T 9704-2012 公文格式, 7.3.3 结构层次序数); without numbering every paragraph of any
 * text would become a "measure", and a weather report would be stored as a 50-measure plan.
 */
export function requirePlanStructure(plan: ParsedPlan): ParsedPlan {
  const all = flattenMeasures(plan.measures);
  if (all.some((m) => m.label !== null && !m.synthetic)) return plan;
  throw new LifeCircleError(
    'LC_PLAN_NO_STRUCTURE',
    `${plan.source.fileName}: no numbered measures (一、 （一） 1. 第一条 …) were found in ${all.length} paragraph(s); ` +
      'this does not look like an action plan (行动方案). Check that the right file was sent, or that its numbering ' +
      'survived the conversion to text',
  );
}

/** Decode (UTF-8, GBK, .docx) and parse an uploaded or pasted document. */
export async function importPlan(bytes: Uint8Array, fileName: string): Promise<ParsedPlan> {
  const { text, info } = await decodePlanSource(bytes, fileName);
  return parsePlanText(text, info);
}
