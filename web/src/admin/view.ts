import { ApiError, currentSession, getJson, patchJson, postJson } from '../api.js';
import { esc } from '../dom.js';
import { currentLang, makeT } from '../i18n.js';
import type { AuditPage, User, UserPage } from '../types.js';
import type { View } from '../views.js';
import { ROLES, SERVICE_DOMAINS } from '../api/index.js';

/**
 * 系统管理 (administrators): the accounts — create department staff, coordinators, inspectors and provider
 * accounts with their scope, disable them or set a new password — and the audit log of every write with its
 * before and after. Everything goes through /api/users and /api/audit, which enforce the role again.
 */
const t = makeT(
  {
    adminOnly: '仅系统管理员可用，请以管理员身份登录。',
    users: '用户与权限',
    audit: '审计日志',
    username: '用户名',
    displayName: '显示名称',
    password: '初始密码（至少 10 位）',
    role: '角色',
    department: '部门（责任单位）',
    domains: '负责领域',
    region: '行政区划代码',
    provider: '经营主体信用代码',
    state: '状态',
    create: '新建用户',
    created: '已创建用户 {name}。',
    disable: '停用',
    enable: '启用',
    disabled: '已停用',
    active: '正常',
    newPassword: '重设密码',
    passwordPrompt: '为 {name} 输入新密码（至少 10 位）：',
    passwordSet: '已为 {name} 重设密码，其登录会话已结束。',
    at: '时间',
    actor: '操作人',
    action: '操作',
    entity: '对象',
    key: '编号',
    change: '变更',
    filterEntity: '对象类型',
    filterKey: '编号',
    filter: '筛选',
    all: '全部',
    older: '更早',
    newer: '较新',
    shown: '第 {from}–{to} 条，共 {total} 条',
    before: '变更前',
    after: '变更后',
    role_administrator: '系统管理员',
    role_coordinator: '统筹协调',
    role_staff: '部门人员',
    role_inspector: '检查人员',
    role_provider: '经营主体',
    role_resident: '居民',
    role_public: '公众',
    domain_elderly_care: '养老',
    domain_childcare: '托育',
    domain_health: '健康',
    domain_education: '教育',
    domain_retail_food: '商贸餐饮',
    domain_housekeeping: '家政',
    domain_culture: '文化',
    domain_sport: '体育',
  },
  {
    adminOnly: 'For administrators only: log in as an administrator.',
    users: 'Users and roles',
    audit: 'Audit log',
    username: 'User name',
    displayName: 'Display name',
    password: 'Initial password (10+ characters)',
    role: 'Role',
    department: 'Department',
    domains: 'Domains',
    region: 'Division code',
    provider: 'Provider USCC',
    state: 'State',
    create: 'Create user',
    created: 'User {name} created.',
    disable: 'Disable',
    enable: 'Enable',
    disabled: 'disabled',
    active: 'active',
    newPassword: 'Set password',
    passwordPrompt: 'New password for {name} (10+ characters):',
    passwordSet: 'Password of {name} set; their sessions have ended.',
    at: 'When',
    actor: 'Who',
    action: 'Action',
    entity: 'Entity',
    key: 'Key',
    change: 'Change',
    filterEntity: 'Entity',
    filterKey: 'Key',
    filter: 'Filter',
    all: 'all',
    older: 'Older',
    newer: 'Newer',
    shown: '{from}–{to} of {total}',
    before: 'before',
    after: 'after',
    role_administrator: 'administrator',
    role_coordinator: 'coordinator',
    role_staff: 'department staff',
    role_inspector: 'inspector',
    role_provider: 'provider',
    role_resident: 'resident',
    role_public: 'public',
    domain_elderly_care: 'elderly care',
    domain_childcare: 'childcare',
    domain_health: 'health',
    domain_education: 'education',
    domain_retail_food: 'retail & food',
    domain_housekeeping: 'housekeeping',
    domain_culture: 'culture',
    domain_sport: 'sport',
  },
);

type Key = Parameters<typeof t>[0];
// Roles and service domains come from the server's own lists (generated with the API types).
const DOMAINS = SERVICE_DOMAINS;
const PAGE = 50;

let root: HTMLElement;
let auditOffset = 0;

const message = (error: unknown) => (error instanceof ApiError ? error.message : String(error));
const roleName = (role: string) => t(`role_${role}` as Key);
const time = (iso: string) =>
  new Date(iso).toLocaleString(currentLang() === 'en' ? 'en-GB' : 'zh-CN', { timeZone: 'Asia/Shanghai' });

function userForm(): string {
  const field = (name: string, label: Key, input: string) =>
    `<label><span>${esc(t(label))}</span>${input.replace('<input', `<input name="${name}"`)}</label>`;
  return (
    `<form id="user-form" class="form-grid">` +
    field('username', 'username', '<input required pattern="[A-Za-z0-9_.@\\-]{3,64}" autocomplete="off">') +
    field('displayName', 'displayName', '<input required>') +
    field(
      'password',
      'password',
      '<input type="password" required minlength="10" autocomplete="new-password">',
    ) +
    `<label><span>${esc(t('role'))}</span><select name="role">${ROLES.map(
      (r) => `<option value="${r}"${r === 'staff' ? ' selected' : ''}>${esc(roleName(r))}</option>`,
    ).join('')}</select></label>` +
    field('department', 'department', '<input placeholder="锦江区民政局">') +
    field('regionCode', 'region', '<input pattern="[0-9]{2,12}" placeholder="510104">') +
    field('providerUscc', 'provider', '<input pattern="[0-9A-HJ-NPQRTUWXY]{18}">') +
    `<fieldset><legend>${esc(t('domains'))}</legend>${DOMAINS.map(
      (d) =>
        `<label class="check"><input type="checkbox" name="domains" value="${d}">${esc(t(`domain_${d}`))}</label>`,
    ).join('')}</fieldset>` +
    `<button type="submit">${esc(t('create'))}</button><p id="user-form-note" class="note"></p></form>`
  );
}

async function renderUsers(): Promise<void> {
  const box = root.querySelector<HTMLElement>('#users-table');
  if (!box) return;
  const page = await getJson<UserPage>('/api/users?limit=1000');
  box.innerHTML =
    `<div class="scroll"><table class="users"><thead><tr><th>${esc(t('username'))}</th><th>${esc(t('displayName'))}</th><th>${esc(
      t('role'),
    )}</th><th>${esc(t('department'))}</th><th>${esc(t('domains'))}</th><th>${esc(t('region'))}</th><th>${esc(
      t('state'),
    )}</th><th></th></tr></thead><tbody>` +
    page.items
      .map(
        (u) =>
          `<tr data-user="${u.id}"${u.disabled ? ' class="muted"' : ''}><td>${esc(u.username)}</td><td>${esc(
            u.displayName,
          )}</td><td>${esc(roleName(u.role))}</td><td>${esc(u.department ?? (u.providerUscc ? u.providerUscc : ''))}</td><td>${esc(
            u.domains.map((d) => t(`domain_${d}` as Key)).join('、'),
          )}</td><td>${esc(u.regionCode ?? '')}</td><td>${esc(u.disabled ? t('disabled') : t('active'))}</td><td>` +
          `<button type="button" data-toggle="${u.id}">${esc(u.disabled ? t('enable') : t('disable'))}</button> ` +
          `<button type="button" data-password="${u.id}">${esc(t('newPassword'))}</button></td></tr>`,
      )
      .join('') +
    '</tbody></table></div>';
  const note = root.querySelector<HTMLElement>('#user-form-note');
  for (const b of box.querySelectorAll<HTMLElement>('[data-toggle]'))
    b.addEventListener('click', () => {
      const user = page.items.find((u) => u.id === Number(b.dataset.toggle));
      if (!user) return;
      void patchJson(`/api/users/${user.id}`, { disabled: !user.disabled })
        .then(() => Promise.all([renderUsers(), renderAudit()]))
        .catch((error: unknown) => note && (note.textContent = message(error)));
    });
  for (const b of box.querySelectorAll<HTMLElement>('[data-password]'))
    b.addEventListener('click', () => {
      const user = page.items.find((u) => u.id === Number(b.dataset.password));
      const password = user && prompt(t('passwordPrompt', { name: user.username }));
      if (!user || !password) return;
      void patchJson(`/api/users/${user.id}`, { password })
        .then(() => {
          if (note) note.textContent = t('passwordSet', { name: user.username });
          return renderAudit();
        })
        .catch((error: unknown) => note && (note.textContent = message(error)));
    });
}

async function createFromForm(form: HTMLFormElement): Promise<void> {
  const data = new FormData(form);
  const text = (name: string) => {
    const v = String(data.get(name) ?? '').trim();
    return v === '' ? null : v;
  };
  const note = root.querySelector<HTMLElement>('#user-form-note');
  try {
    const user = await postJson<User>('/api/users', {
      username: text('username'),
      displayName: text('displayName'),
      password: String(data.get('password') ?? ''),
      role: text('role'),
      department: text('department'),
      regionCode: text('regionCode'),
      providerUscc: text('providerUscc'),
      domains: data.getAll('domains').map(String),
    });
    form.reset();
    if (note) note.textContent = t('created', { name: user.username });
    await Promise.all([renderUsers(), renderAudit()]);
  } catch (error) {
    if (note) note.textContent = message(error);
  }
}

const json = (v: unknown) => (v === null || v === undefined ? '' : JSON.stringify(v, null, 1));

async function renderAudit(): Promise<void> {
  const box = root.querySelector<HTMLElement>('#audit-table');
  const filter = root.querySelector<HTMLFormElement>('#audit-filter');
  if (!box || !filter) return;
  const data = new FormData(filter);
  const query = new URLSearchParams({ limit: String(PAGE), offset: String(auditOffset) });
  for (const name of ['entity', 'entityKey']) {
    const v = String(data.get(name) ?? '').trim();
    if (v) query.set(name, v);
  }
  const page = await getJson<AuditPage>(`/api/audit?${query}`);
  box.innerHTML =
    `<p class="note">${esc(
      t('shown', {
        from: page.total ? page.offset + 1 : 0,
        to: page.offset + page.items.length,
        total: page.total,
      }),
    )} <button type="button" id="audit-newer"${auditOffset === 0 ? ' disabled' : ''}>${esc(t('newer'))}</button> <button type="button" id="audit-older"${
      page.offset + page.items.length >= page.total ? ' disabled' : ''
    }>${esc(t('older'))}</button></p>` +
    `<div class="scroll"><table class="audit"><thead><tr><th>${esc(t('at'))}</th><th>${esc(t('actor'))}</th><th>${esc(
      t('action'),
    )}</th><th>${esc(t('entity'))}</th><th>${esc(t('key'))}</th><th>${esc(t('change'))}</th></tr></thead><tbody>` +
    page.items
      .map(
        (e) =>
          `<tr><td>${esc(time(e.at))}</td><td>${esc(e.actorName)}</td><td>${esc(e.action)}</td><td>${esc(e.entity)}</td><td>${esc(
            e.entityKey,
          )}</td><td>${
            e.before === null && e.after === null
              ? ''
              : `<details><summary>${esc(t('before'))} / ${esc(t('after'))}</summary><pre>${esc(json(e.before))}</pre><pre>${esc(
                  json(e.after),
                )}</pre></details>`
          }</td></tr>`,
      )
      .join('') +
    '</tbody></table></div>';
  box.querySelector('#audit-newer')?.addEventListener('click', () => {
    auditOffset = Math.max(0, auditOffset - PAGE);
    void renderAudit();
  });
  box.querySelector('#audit-older')?.addEventListener('click', () => {
    auditOffset += PAGE;
    void renderAudit();
  });
}

async function render(): Promise<void> {
  if (currentSession()?.user.role !== 'administrator') {
    root.innerHTML = `<p class="hint">${esc(t('adminOnly'))}</p>`;
    return;
  }
  root.innerHTML =
    `<section class="admin-users"><h2>${esc(t('users'))}</h2>${userForm()}<div id="users-table"></div></section>` +
    `<section class="admin-audit"><h2>${esc(t('audit'))}</h2><form id="audit-filter" class="inline"><label>${esc(
      t('filterEntity'),
    )} <input name="entity" placeholder="facilities"></label> <label>${esc(t('filterKey'))} <input name="entityKey"></label> <button type="submit">${esc(
      t('filter'),
    )}</button></form><div id="audit-table"></div></section>`;
  const form = root.querySelector<HTMLFormElement>('#user-form');
  form?.addEventListener('submit', (e) => {
    e.preventDefault();
    void createFromForm(form);
  });
  root.querySelector<HTMLFormElement>('#audit-filter')?.addEventListener('submit', (e) => {
    e.preventDefault();
    auditOffset = 0;
    void renderAudit();
  });
  try {
    await Promise.all([renderUsers(), renderAudit()]);
  } catch (error) {
    root.insertAdjacentHTML('beforeend', `<p class="error">${esc(message(error))}</p>`);
  }
}

export const view: View = {
  async mount(container) {
    root = container;
    await render();
  },
  refresh: render,
};
