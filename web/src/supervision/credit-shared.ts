import { currentSession } from '../api.js';
import { esc } from '../dom.js';
import { makeT } from '../i18n.js';

/** Strings and small pieces of the inspections page (Chinese first); credit and certification are in web/app. */
export const t = makeT(
  {
    riskClass: '风险分类',
    date: '日期',
    outcome: '检查结果',
    save: '保存',
    none: '无',
    'outcome.compliant': '未发现问题',
    'outcome.rectified': '发现问题已整改',
    'outcome.non-compliant': '发现问题',
    // inspections
    newDraw: '新建双随机抽查',
    seed: '随机种子（公开）',
    seedHint: '留空则自动生成并公开',
    region: '区划代码',
    ratios: '各类抽查比例',
    cityRule: '本市规则',
    cityRange: '本市规则范围',
    nationalDefault: '全国原则（系统默认比例）',
    nationalDefaultHint:
      'A类降低、B类常规、C类提高、D类大幅提高；国家未规定具体比例，以上为 LifeCircle 默认值，不是本市规则，请设置本市规则',
    teamSize: '每组检查人员',
    draw: '抽取',
    draws: '抽查批次',
    drawNo: '第 {id} 批',
    published: '已公开',
    unpublished: '未公开',
    publish: '公开',
    candidates: '候选名单',
    strata: '分层',
    ratio: '比例',
    drawn: '抽中',
    achieved: '实际比例',
    withinRule: '符合本市规则范围',
    targets: '抽中对象',
    rank: '序',
    inspectors: '检查人员',
    unassigned: '未能分配',
    downloadCandidates: '下载候选名单 CSV',
    downloadInspectors: '下载检查人员 CSV',
    rerun: '任何人可用以下命令复核本次抽取：',
    results: '检查结果',
    recordResult: '录入检查结果',
    findings: '检查情况（公开）',
    authority: '检查机关',
    target: '对象',
    noDraws: '暂无公开的抽查批次。',
    // certification
    provider: '经营主体',
  },
  {
    riskClass: 'Risk class',
    date: 'Date',
    outcome: 'Outcome',
    save: 'Save',
    none: 'none',
    'outcome.compliant': 'compliant',
    'outcome.rectified': 'rectified',
    'outcome.non-compliant': 'non-compliant',
    newDraw: 'New random inspection draw',
    seed: 'Seed (published)',
    seedHint: 'left empty: generated and published',
    region: 'Region code',
    ratios: 'Sampling ratio per class',
    cityRule: "The city's rule",
    cityRange: "The city's range",
    nationalDefault: 'National principle (LifeCircle default ratios)',
    nationalDefaultHint:
      "A lower, B ordinary, C higher, D much higher; no national figures exist, so these are LifeCircle's defaults, not the city's rule: set the city's own",
    teamSize: 'Inspectors per target',
    draw: 'Draw',
    draws: 'Draws',
    drawNo: 'Draw {id}',
    published: 'published',
    unpublished: 'not published',
    publish: 'Publish',
    candidates: 'Candidates',
    strata: 'Strata',
    ratio: 'Ratio',
    drawn: 'Drawn',
    achieved: 'Achieved',
    withinRule: "Within the city's range",
    targets: 'Targets',
    rank: '#',
    inspectors: 'Inspectors',
    unassigned: 'Unassigned',
    downloadCandidates: 'Download candidates CSV',
    downloadInspectors: 'Download inspectors CSV',
    rerun: 'Anyone can re-run this draw with:',
    results: 'Results',
    recordResult: 'Record a result',
    findings: 'Findings (public)',
    authority: 'Authority',
    target: 'Target',
    noDraws: 'No published draws yet.',
    provider: 'Provider',
  },
);

export type Key = Parameters<typeof t>[0];
/** For keys built from domain values (kind.penalty, state.revoked); unknown values show as they are. */
export const tv = (prefix: string, value: string | undefined | null): string =>
  value ? t(`${prefix}.${value}` as Key) : '';

export const role = (): string => currentSession()?.user.role ?? 'public';
export const username = (): string | null => currentSession()?.user.username ?? null;

export const classBadge = (cls: string): string =>
  `<span class="class-badge class-${esc(cls)}" data-class="${esc(cls)}">${esc(cls)}</span>`;

export const todayBeijing = (): string => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

/** A table that scrolls sideways on a phone. */
export const table = (id: string, head: string[], rows: string[]): string =>
  `<div class="table-scroll"><table id="${id}"><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead>` +
  `<tbody>${rows.join('') || `<tr><td colspan="${head.length}">${esc(t('none'))}</td></tr>`}</tbody></table></div>`;

export const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));
