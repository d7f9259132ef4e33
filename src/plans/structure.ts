import { paragraphSpan, toSourceSpan, type Paragraph } from './paragraphs.js';
import { parseHeading } from './numbering.js';
import type { NumberStyle, Span } from './types.js';

/** A node of the measure tree before responsibilities and targets are attached. */
export interface MeasureNode {
  paragraph: Paragraph | null;
  label: string | null;
  number: number | null;
  numberStyle: NumberStyle | null;
  title: string | null;
  titleSpan: Span | null;
  /** Whether the paragraph has text beyond its heading. */
  hasBody: boolean;
  synthetic: boolean;
  children: MeasureNode[];
  parent: MeasureNode | null;
}

/** Boilerplate of the web pages documents are scraped from; never a measure. */
export const BOILERPLATE =
  /^(文章关键字|责任编辑|打印|来源\s*[:：]|今天是|[（(]此件主动公开[）)])|版权所有|\.(pdf|docx?|wps)$/i;

/** The title of a paragraph: the heading up to 。, or a short lead-in phrase (推广普惠养老服务。…). */
function readTitle(paragraph: Paragraph, headingLength: number, numbered: boolean) {
  const text = paragraph.text;
  const rest = text.slice(headingLength).replace(/^——/, '');
  const lead = headingLength + (text.length - headingLength - rest.length);
  const stop = rest.search(/[。．]/);
  if (stop < 0) {
    const isTitle = numbered && rest.length <= 40;
    return isTitle
      ? { title: rest, titleSpan: toSourceSpan(paragraph, lead, lead + rest.length), hasBody: false }
      : { title: null, titleSpan: null, hasBody: true };
  }
  const first = rest.slice(0, stop);
  const hasBody = stop + 1 < rest.length;
  const isTitle = numbered ? stop <= 60 : stop <= 25 && !/[，,；;]/.test(first);
  return isTitle
    ? { title: first, titleSpan: toSourceSpan(paragraph, lead, lead + stop), hasBody }
    : { title: null, titleSpan: null, hasBody: true };
}

/**
 * Build the measure tree. Numbering styles get depths in order of first appearance (一、 then （一） then 1.),
 * the convention of 党政机关公文格式 (GB/T 9704). Unnumbered paragraphs become children of a numbered measure
 * with a heading (基本公共教育。… under （一）) and siblings of each other.
 */
export function buildTree(body: Paragraph[]): MeasureNode[] {
  const root: MeasureNode = {
    paragraph: null,
    label: null,
    number: null,
    numberStyle: null,
    title: null,
    titleSpan: null,
    hasBody: false,
    synthetic: false,
    children: [],
    parent: null,
  };
  const depthOf = new Map<NumberStyle, number>();
  const stack: { node: MeasureNode; depth: number }[] = [];
  let last: MeasureNode | null = null;
  for (const paragraph of body) {
    const heading = parseHeading(paragraph.text);
    if (heading) {
      if (!depthOf.has(heading.style)) depthOf.set(heading.style, depthOf.size);
      const depth = depthOf.get(heading.style) ?? 0;
      while (stack.length > 0 && stack[stack.length - 1].depth >= depth) stack.pop();
      const parent = stack.length > 0 ? stack[stack.length - 1].node : root;
      const node: MeasureNode = {
        paragraph,
        label: heading.label,
        number: heading.number,
        numberStyle: heading.style,
        ...readTitle(paragraph, heading.label.length, true),
        synthetic: false,
        children: [],
        parent,
      };
      parent.children.push(node);
      stack.push({ node, depth });
      last = node;
      continue;
    }
    const { title, titleSpan, hasBody } = readTitle(paragraph, 0, false);
    let parent: MeasureNode;
    if (last === null) parent = root;
    else if (last.numberStyle !== null && (!last.hasBody || title !== null)) parent = last;
    else parent = last.parent ?? root;
    const node: MeasureNode = {
      paragraph,
      label: null,
      number: null,
      numberStyle: null,
      title,
      titleSpan,
      hasBody,
      synthetic: false,
      children: [],
      parent,
    };
    parent.children.push(node);
    last = node;
  }
  wrapRestarts(root);
  return root.children;
}

/**
 * Where numbering restarts (1. 2. 3. 4. 1. 2. …) with no heading between, the source lost the headings of the
 * groups (seed 003). Wrap each run in a synthetic group so the tree keeps the document's shape.
 */
function wrapRestarts(node: MeasureNode): void {
  for (const child of node.children) wrapRestarts(child);
  const numbered = node.children.filter((c) => c.number !== null);
  const restarts = numbered.some(
    (c, i) => i > 0 && c.number !== null && c.number <= (numbered[i - 1].number ?? 0),
  );
  if (!restarts) return;
  const groups: MeasureNode[] = [];
  const kept: MeasureNode[] = [];
  let current: MeasureNode | null = null;
  let previous = 0;
  for (const child of node.children) {
    if (child.number !== null && (current === null || child.number <= previous)) {
      current = {
        paragraph: null,
        label: null,
        number: groups.length + 1,
        numberStyle: 'lost',
        title: null,
        titleSpan: null,
        hasBody: false,
        synthetic: true,
        children: [],
        parent: node,
      };
      groups.push(current);
      kept.push(current);
    }
    if (child.number !== null) previous = child.number;
    if (current) {
      child.parent = current;
      current.children.push(child);
    } else kept.push(child);
  }
  node.children = kept;
}

/** The span a node covers: its paragraph, or for a synthetic group, its children. */
export function nodeSpan(node: MeasureNode): Span {
  if (node.paragraph) return paragraphSpan(node.paragraph);
  const first = node.children[0];
  const lastChild = node.children[node.children.length - 1];
  return [nodeSpan(first)[0], nodeSpan(lastChild)[1]];
}
