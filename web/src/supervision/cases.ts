import { ApiError, currentSession, getJson, postJson } from '../api.js';
import { esc } from '../dom.js';
import { currentLang, makeT } from '../i18n.js';
import type { CaseDetail, CasePage, CaseRow, HeldPage, HeldRating } from '../types.js';
import type { View } from '../views.js';

/**
 * 好差评工单: the case queue in the viewer's scope (deadline in working days on the official calendar, overdue in
 * red), one case with its history and the action forms the viewer's role may use, and held ratings for review.
 * The server decides everything; the page only offers the forms that can succeed.
 */
const t = makeT(
  {
    needLogin: '登录后查看工单（管理员、部门人员、经营主体或居民）。',
    state: '状态',
    all: '全部',
    outlet: '网点',
    origin: '来源',
    opened: '受理时间',
    deadline: '整改期限',
    left: '剩余工作日',
    escalation: '督办',
    none: '暂无工单',
    overdue: '已超期 {n} 个工作日',
    daysLeft: '{n} 个工作日',
    rating: '差评',
    complaint: '投诉',
    history: '办理记录',
    actions: '办理',
    note: '说明',
    submit: '提交',
    resolution: '处理方式',
    immediate: '立行立改',
    rectify: '限期整改',
    explain: '解释说明',
    reached: '已联系到居民',
    satisfied: '居民满意',
    ground: '申诉理由',
    mistaken: '误评',
    malicious: '恶意评价',
    decision: '复核结论',
    upheld: '申诉成立',
    rejected: '申诉不成立',
    deadlineRule: '期限：受理次日起 {n} 个工作日（国务院办公厅节假日安排，含调休上班日）；{rule}',
    noProvider: '该网点尚未登记经营主体：由主管部门联系经营者，代为答复和报告整改。',
    held: '待审核评价（疑似刷评，暂不计入统计，不会删除）',
    release: '恢复公开',
    reject: '认定无效',
    reasons: '原因',
    level: '评价',
    text: '内容',
    phone: '联系电话',
    done: '已提交',
    act_assign: '分派',
    act_reply: '答复',
    'act_report-rectified': '报告整改完成',
    'act_follow-up': '回访',
    act_confirm: '确认',
    'act_close-unconfirmed': '无法确认结案',
    act_appeal: '申诉',
    act_review: '复核申诉',
    act_escalate: '督办升级',
    act_open: '受理',
    st_opened: '已受理',
    st_assigned: '待答复',
    st_replied: '已答复',
    st_rectified: '已整改',
    'st_followed-up': '已回访',
    'st_under-review': '申诉复核中',
    st_closed: '已办结',
    who_system: '系统',
    who_provider: '经营主体',
    who_department: '主管部门',
    who_resident: '居民',
  },
  {
    needLogin: 'Log in to see cases (administrator, department staff, provider or resident).',
    state: 'State',
    all: 'All',
    outlet: 'Outlet',
    origin: 'Origin',
    opened: 'Opened',
    deadline: 'Deadline',
    left: 'Working days left',
    escalation: 'Escalation',
    none: 'No cases',
    overdue: '{n} working days overdue',
    daysLeft: '{n} working days',
    rating: 'bad rating',
    complaint: 'complaint',
    history: 'History',
    actions: 'Act',
    note: 'Note',
    submit: 'Submit',
    resolution: 'Resolution',
    immediate: 'fixed at once',
    rectify: 'rectify by the deadline',
    explain: 'explanation',
    reached: 'resident reached',
    satisfied: 'resident satisfied',
    ground: 'Ground',
    mistaken: 'mistaken rating',
    malicious: 'malicious rating',
    decision: 'Decision',
    upheld: 'appeal upheld',
    rejected: 'appeal rejected',
    noProvider:
      'No operator is registered for this outlet: the supervising department reaches the operator and records the reply and rectification.',
    deadlineRule:
      'Deadline: {n} working days from the next day (State Council holiday calendar, make-up workdays included); {rule}',
    held: 'Held ratings (suspected abuse: out of the figures, never deleted)',
    release: 'Release',
    reject: 'Invalidate',
    reasons: 'Reasons',
    level: 'Rating',
    text: 'Text',
    phone: 'Phone',
    done: 'Submitted',
    act_assign: 'Assign',
    act_reply: 'Reply',
    'act_report-rectified': 'Report rectified',
    'act_follow-up': 'Follow up (回访)',
    act_confirm: 'Confirm',
    'act_close-unconfirmed': 'Close unconfirmed',
    act_appeal: 'Appeal (申诉)',
    act_review: 'Review appeal',
    act_escalate: 'Escalate',
    act_open: 'Opened',
    st_opened: 'opened',
    st_assigned: 'awaiting reply',
    st_replied: 'replied',
    st_rectified: 'rectified',
    'st_followed-up': 'followed up',
    'st_under-review': 'appeal under review',
    st_closed: 'closed',
    who_system: 'system',
    who_provider: 'provider',
    who_department: 'department',
    who_resident: 'resident',
  },
);
type Key = Parameters<typeof t>[0];
const tk = (key: string): string => t(key as Key);

const STATES = ['assigned', 'replied', 'rectified', 'followed-up', 'under-review', 'closed'];

let root: HTMLElement;
let selected: string | null = null;

const when = (iso: string) =>
  new Date(iso).toLocaleString(currentLang() === 'zh' ? 'zh-CN' : 'en-GB', { hour12: false });
const role = () => currentSession()?.user.role ?? 'public';

const select = (name: string, options: string[]) =>
  `<label>${esc(tk(name))} <select name="${name}">${options
    .map((o) => `<option value="${o}">${esc(tk(o))}</option>`)
    .join('')}</select></label>`;

function actionForm(action: string): string {
  const fields: Record<string, string> = {
    reply: select('resolution', ['rectify', 'immediate', 'explain']),
    'follow-up': `<label><input type="checkbox" name="residentReached" checked /> ${esc(t('reached'))}</label>`,
    confirm: `<label><input type="checkbox" name="satisfied" checked /> ${esc(t('satisfied'))}</label>`,
    appeal: select('ground', ['mistaken', 'malicious']),
    review: select('decision', ['upheld', 'rejected']),
  };
  return `<form class="case-action" data-action="${action}">
    <strong>${esc(tk(`act_${action}`))}</strong> ${fields[action] ?? ''}
    <label class="note">${esc(t('note'))} <input name="note" /></label>
    <button type="submit">${esc(t('submit'))}</button></form>`;
}

/** What the case came from: a rating's level, or a complaint's category. */
const originLabel = (o: NonNullable<CaseDetail['origin']>): string =>
  'levelZh' in o ? (currentLang() === 'zh' ? o.levelZh : o.levelEn) : o.category;

function renderDetail(c: CaseDetail): string {
  const o = c.origin;
  const origin = o
    ? `<p class="case-origin"><strong>${esc(originLabel(o))}</strong>
       ${esc(o.text)} ${'tags' in o && o.tags.length ? `<em>${o.tags.map(esc).join(' · ')}</em>` : ''}
       ${o.contactPhone ? `<span class="phone">${esc(t('phone'))}: ${esc(o.contactPhone)}</span>` : ''}</p>`
    : '';
  const history = c.history
    .map(
      (e) => `<li data-event="${esc(e.action)}"><time>${esc(when(e.at))}</time>
        <strong>${esc(tk(`act_${e.action}`))}</strong> <span class="who">${esc(tk(`who_${e.actor.role}`))} ${esc(e.actor.id)}</span>
        → ${esc(tk(`st_${e.to}`))}${e.note ? ` <q>${esc(e.note)}</q>` : ''}</li>`,
    )
    .join('');
  // The server says which steps this viewer may take now (the workflow's own rules, src/supervision/cases.ts).
  const actions = c.actions;
  return `<h3>${esc(c.outletName)} <small>${esc(c.id)}</small></h3>
    <p class="case-state" data-state="${esc(c.state)}">${esc(tk(`st_${c.state}`))} ·
      ${esc(t('deadline'))} ${esc(c.deadlineDate)} · ${esc(leftText(c))}</p>
    <p class="hint">${esc(t('deadlineRule', { n: c.deadline.workingDays, rule: c.deadlineRule.document }))}</p>
    ${c.providerUscc === null ? `<p class="hint" id="case-no-provider">${esc(t('noProvider'))}</p>` : ''}
    ${origin}
    <h4>${esc(t('history'))}</h4><ol class="case-history">${history}</ol>
    ${actions.length ? `<h4>${esc(t('actions'))}</h4>${actions.map(actionForm).join('')}` : ''}
    <p class="error" id="case-error"></p>`;
}

const leftText = (c: CaseRow) =>
  c.state === 'closed'
    ? '—'
    : c.overdue
      ? t('overdue', { n: -c.workingDaysLeft })
      : t('daysLeft', { n: c.workingDaysLeft });

function renderQueue(rows: CaseRow[]): string {
  if (!rows.length) return `<p class="hint">${esc(t('none'))}</p>`;
  const body = rows
    .map(
      (
        c,
      ) => `<tr data-case="${esc(c.id)}" class="${c.overdue ? 'overdue' : ''}${c.id === selected ? ' selected' : ''}">
      <td>${esc(c.outletName)}</td><td>${esc(t(c.originKind))}</td><td>${esc(tk(`st_${c.state}`))}</td>
      <td>${esc(when(c.openedAt))}</td><td class="deadline">${esc(c.deadlineDate)}</td>
      <td class="left">${esc(leftText(c))}</td><td>${c.escalationLevel || ''}</td></tr>`,
    )
    .join('');
  return `<div class="table-scroll"><table class="cases"><thead><tr><th>${esc(t('outlet'))}</th><th>${esc(t('origin'))}</th>
    <th>${esc(t('state'))}</th><th>${esc(t('opened'))}</th><th>${esc(t('deadline'))}</th><th>${esc(t('left'))}</th>
    <th>${esc(t('escalation'))}</th></tr></thead><tbody>${body}</tbody></table></div>`;
}

function renderHeld(items: HeldRating[]): string {
  if (!items.length) return '';
  const rows = items
    .map(
      (r) => `<tr data-rating="${esc(r.id)}"><td>${esc(r.outletId)}</td>
      <td>${esc(currentLang() === 'zh' ? r.levelZh : r.levelEn)}</td><td>${esc(r.text)}</td>
      <td>${r.flags.map((f) => esc(f.reason)).join('<br />')}</td>
      <td><button type="button" data-moderate="release">${esc(t('release'))}</button>
      <button type="button" data-moderate="reject">${esc(t('reject'))}</button></td></tr>`,
    )
    .join('');
  return `<h3>${esc(t('held'))}</h3><div class="table-scroll"><table class="held"><thead><tr><th>${esc(t('outlet'))}</th>
    <th>${esc(t('level'))}</th><th>${esc(t('text'))}</th><th>${esc(t('reasons'))}</th><th></th></tr></thead>
    <tbody>${rows}</tbody></table></div>`;
}

async function showDetail(id: string): Promise<void> {
  selected = id;
  for (const tr of root.querySelectorAll<HTMLElement>('tr[data-case]'))
    tr.classList.toggle('selected', tr.dataset.case === id);
  const detail = root.querySelector<HTMLElement>('#case-detail');
  if (!detail) return;
  const c = await getJson<CaseDetail>(`/api/cases/${encodeURIComponent(id)}`);
  detail.innerHTML = renderDetail(c);
}

function formBody(form: HTMLFormElement): Record<string, unknown> {
  const body: Record<string, unknown> = { type: form.dataset.action };
  for (const el of form.querySelectorAll<HTMLInputElement | HTMLSelectElement>('[name]')) {
    if (el instanceof HTMLInputElement && el.type === 'checkbox') body[el.name] = el.checked;
    else if (el.value) body[el.name] = el.value;
  }
  return body;
}

async function render(): Promise<void> {
  if (role() === 'public' || role() === 'inspector' || role() === 'coordinator') {
    root.innerHTML = `<p class="hint">${esc(t('needLogin'))}</p>`;
    return;
  }
  const state = root.querySelector<HTMLSelectElement>('#cases-state')?.value ?? '';
  const page = await getJson<CasePage>(`/api/cases?limit=200${state ? `&state=${state}` : ''}`);
  const held =
    role() === 'staff' || role() === 'administrator'
      ? (await getJson<HeldPage>('/api/ratings/held?limit=100')).items
      : [];
  root.innerHTML = `<div class="cases-page">
    <label class="cases-filter">${esc(t('state'))} <select id="cases-state"><option value="">${esc(t('all'))}</option>
      ${STATES.map((s) => `<option value="${s}"${s === state ? ' selected' : ''}>${esc(tk(`st_${s}`))}</option>`).join('')}
    </select></label>
    <div id="cases-queue">${renderQueue(page.items)}</div>
    <section id="case-detail" class="case-detail"></section>
    <section id="held-ratings">${renderHeld(held)}</section></div>`;
  if (selected && page.items.some((c) => c.id === selected)) await showDetail(selected);
}

function wire(): void {
  root.addEventListener('change', (e) => {
    if ((e.target as HTMLElement).id === 'cases-state') void render();
  });
  root.addEventListener('click', (e) => {
    const target = e.target as HTMLElement;
    const row = target.closest<HTMLElement>('tr[data-case]');
    if (row?.dataset.case) void showDetail(row.dataset.case);
    const moderate = target.closest<HTMLElement>('[data-moderate]');
    const rating = target.closest<HTMLElement>('tr[data-rating]')?.dataset.rating;
    if (moderate && rating)
      void postJson(`/api/ratings/${encodeURIComponent(rating)}/moderation`, {
        decision: moderate.dataset.moderate,
        note: currentLang() === 'zh' ? '人工审核' : 'reviewed',
      }).then(render);
  });
  root.addEventListener('submit', (e) => {
    const form = e.target as HTMLFormElement;
    if (!form.matches('form.case-action') || !selected) return;
    e.preventDefault();
    const id = selected;
    postJson(`/api/cases/${encodeURIComponent(id)}/actions`, formBody(form))
      .then(render)
      .catch((error: unknown) => {
        const out = root.querySelector<HTMLElement>('#case-error');
        if (out) out.textContent = error instanceof ApiError ? error.message : String(error);
      });
  });
}

export const page: View = {
  async mount(container) {
    root = container;
    wire();
    await render();
  },
  refresh: render,
};
