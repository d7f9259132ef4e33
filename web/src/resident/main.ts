import '../style.css';
import { ApiError, currentSession, getJson, postJson, setSession, type Session } from '../api.js';
import { $, esc, fmtDistance, fmtPct } from '../dom.js';
import { currentLang, makeT, setLang } from '../i18n.js';
import type { CasePage, Community, CommunityPage, OutletPage, RatedOutlet, RatingAnswer } from '../types.js';

/**
 * The residents' page (resident.html), phone first: find a community, see the outlets near it with their ratings
 * and 普惠 badge, rate one (five levels, tags, text) or complain, and follow "my cases". Rating needs a pseudonymous
 * account: register with a phone number (no SMS code is sent in this version) or log in.
 */
const t = makeT(
  {
    title: '生活圈 · 居民评价',
    account: '我的账号',
    register: '注册',
    login: '登录',
    logout: '退出',
    phone: '手机号',
    password: '密码（至少 10 位）',
    username: '手机号（或用户名）',
    loggedIn: '已登录：{name}（匿名账号，手机号仅用于回访）',
    noSms: '本版本不发送短信验证码。',
    search: '查找社区',
    searchPlaceholder: '输入社区名称',
    go: '查找',
    noCommunity: '没有找到该社区',
    outletsNear: '{name} 附近的服务网点',
    straight: '直线距离 {m}',
    ratings: '{n} 条评价',
    satisfaction: '满意率 {rate}',
    bayes: '综合评分 {score}',
    noRatings: '暂无评价',
    affordable: '普惠',
    rate: '评价',
    complain: '投诉',
    notRateable: '该网点尚无所在区划，暂不能评价（请联系所在街道）',
    needAccount: '请先注册或登录后再评价',
    tags: '标签',
    text: '说说您的体验',
    submit: '提交',
    category: '投诉类别',
    rated: '评价已提交。',
    caseOpened: '已生成工单，主管部门和经营主体将在 15 个工作日内处理。',
    held: '评价待审核后公开。',
    complained: '投诉已受理，已生成工单。',
    myCases: '我的工单',
    noCases: '暂无工单',
    deadline: '期限 {date}',
    confirmYes: '满意，结案',
    confirmNo: '不满意，重新办理',
    lv_very_satisfied: '非常满意',
    lv_satisfied: '满意',
    lv_basically_satisfied: '基本满意',
    lv_dissatisfied: '不满意',
    lv_very_dissatisfied: '非常不满意',
    tag_attitude: '服务态度',
    tag_quality: '服务质量',
    tag_price: '价格',
    tag_hygiene: '环境卫生',
    tag_waiting: '等待时间',
    cat_quality: '服务质量',
    cat_price: '价格收费',
    cat_safety: '安全',
    'cat_prepaid-card': '预付卡',
    cat_attitude: '服务态度',
    cat_other: '其他',
    st_opened: '已受理',
    st_assigned: '处理中',
    st_replied: '已答复',
    st_rectified: '已整改',
    'st_followed-up': '已回访，待您确认',
    'st_under-review': '经营主体申诉复核中',
    st_closed: '已办结',
  },
  {
    title: 'LifeCircle · rate local services',
    account: 'My account',
    register: 'Register',
    login: 'Log in',
    logout: 'Log out',
    phone: 'Mobile number',
    password: 'Password (10+ characters)',
    username: 'Mobile number (or user name)',
    loggedIn: 'Logged in: {name} (pseudonymous; the phone is used only for follow-up calls)',
    noSms: 'This version sends no SMS verification code.',
    search: 'Find a community',
    searchPlaceholder: 'community name',
    go: 'Search',
    noCommunity: 'No community found',
    outletsNear: 'Services near {name}',
    straight: '{m} straight-line',
    ratings: '{n} ratings',
    satisfaction: 'satisfaction {rate}',
    bayes: 'score {score}',
    noRatings: 'no ratings yet',
    affordable: 'Affordable (普惠)',
    rate: 'Rate',
    complain: 'Complain',
    notRateable:
      'This outlet has no region code yet, so it cannot be rated (contact the sub-district office)',
    needAccount: 'Register or log in to rate',
    tags: 'Tags',
    text: 'Your experience',
    submit: 'Submit',
    category: 'Category',
    rated: 'Rating submitted.',
    caseOpened: 'A case was opened: the department and the operator handle it within 15 working days.',
    held: 'Your rating is published after review.',
    complained: 'Complaint received; a case was opened.',
    myCases: 'My cases',
    noCases: 'No cases',
    deadline: 'due {date}',
    confirmYes: 'Satisfied, close it',
    confirmNo: 'Not satisfied, reopen',
    lv_very_satisfied: 'Very satisfied',
    lv_satisfied: 'Satisfied',
    lv_basically_satisfied: 'Basically satisfied',
    lv_dissatisfied: 'Dissatisfied',
    lv_very_dissatisfied: 'Very dissatisfied',
    tag_attitude: 'attitude',
    tag_quality: 'quality',
    tag_price: 'price',
    tag_hygiene: 'hygiene',
    tag_waiting: 'waiting time',
    cat_quality: 'quality',
    cat_price: 'price',
    cat_safety: 'safety',
    'cat_prepaid-card': 'prepaid card',
    cat_attitude: 'attitude',
    cat_other: 'other',
    st_opened: 'opened',
    st_assigned: 'in progress',
    st_replied: 'replied',
    st_rectified: 'rectified',
    'st_followed-up': 'followed up: please confirm',
    'st_under-review': 'operator appeal under review',
    st_closed: 'closed',
  },
);
type Key = Parameters<typeof t>[0];
const tk = (key: string): string => t(key as Key);

const LEVELS = ['very_satisfied', 'satisfied', 'basically_satisfied', 'dissatisfied', 'very_dissatisfied'];
const TAGS = ['attitude', 'quality', 'price', 'hygiene', 'waiting'];
const CATEGORIES = ['quality', 'price', 'safety', 'prepaid-card', 'attitude', 'other'];

const root = $('resident-root');
let community: Community | null = null;
let outlets: RatedOutlet[] = [];
let message = '';

const isResident = () => currentSession()?.user.role === 'resident';

function accountSection(): string {
  const s = currentSession();
  if (s)
    return `<section class="r-card" id="r-account"><p id="r-user">${esc(t('loggedIn', { name: s.user.displayName }))}</p>
      <button type="button" id="r-logout">${esc(t('logout'))}</button></section>`;
  return `<section class="r-card" id="r-account"><h2>${esc(t('account'))}</h2>
    <form id="r-register"><label>${esc(t('phone'))} <input name="phone" inputmode="tel" autocomplete="tel" required /></label>
      <label>${esc(t('password'))} <input name="password" type="password" autocomplete="new-password" required /></label>
      <button type="submit">${esc(t('register'))}</button><p class="hint">${esc(t('noSms'))}</p></form>
    <form id="r-login"><label>${esc(t('username'))} <input name="username" autocomplete="tel" inputmode="tel" required /></label>
      <label>${esc(t('password'))} <input name="password" type="password" autocomplete="current-password" required /></label>
      <button type="submit">${esc(t('login'))}</button></form></section>`;
}

/** Every service type of the place (one card per place, whatever the number of register records). */
const typeNames = (o: RatedOutlet): string =>
  [o, ...o.otherTypes]
    .map((x) => (currentLang() === 'zh' ? x.typeNameZh : x.typeNameEn))
    .join(currentLang() === 'zh' ? '、' : ', ');

function outletCard(o: RatedOutlet): string {
  const a = o.aggregate;
  const figures = a.count
    ? `${esc(t('satisfaction', { rate: fmtPct(a.satisfactionRate, 0) }))} · ${esc(t('bayes', { score: a.bayesianMean.toFixed(2) }))} · ${esc(t('ratings', { n: a.count }))}`
    : esc(t('noRatings'));
  const buttons = !o.rateable
    ? `<p class="hint">${esc(t('notRateable'))}</p>`
    : isResident()
      ? `<button type="button" data-open="rate">${esc(t('rate'))}</button>
         <button type="button" data-open="complain">${esc(t('complain'))}</button>`
      : `<p class="hint">${esc(t('needAccount'))}</p>`;
  return `<li class="outlet" data-outlet="${esc(o.code)}">
    <div class="outlet-head"><strong class="outlet-name">${esc(o.name || (currentLang() === 'zh' ? o.typeNameZh : o.typeNameEn))}</strong>
      ${o.affordable ? `<span class="badge affordable">${esc(t('affordable'))}</span>` : ''}</div>
    <div class="outlet-meta"><span class="outlet-types">${esc(typeNames(o))}</span> ·
      <span class="distance">${esc(t('straight', { m: fmtDistance(o.distanceM, currentLang()) }))}</span></div>
    <div class="outlet-figures">${figures}</div><div class="outlet-actions">${buttons}</div>
    <div class="outlet-form"></div></li>`;
}

function rateForm(): string {
  return `<form class="r-rate">
    <fieldset class="levels">${LEVELS.map(
      (l, i) =>
        `<label><input type="radio" name="level" value="${l}"${i === 1 ? ' checked' : ''} /> ${esc(tk(`lv_${l}`))}</label>`,
    ).join('')}</fieldset>
    <fieldset class="tags"><legend>${esc(t('tags'))}</legend>${TAGS.map(
      (g) =>
        `<label><input type="checkbox" name="tag" value="${esc(tk(`tag_${g}`))}" /> ${esc(tk(`tag_${g}`))}</label>`,
    ).join('')}</fieldset>
    <label>${esc(t('text'))} <textarea name="text" maxlength="1000" rows="3"></textarea></label>
    <button type="submit">${esc(t('submit'))}</button></form>`;
}

function complainForm(): string {
  return `<form class="r-complain">
    <label>${esc(t('category'))} <select name="category">${CATEGORIES.map(
      (c) => `<option value="${c}">${esc(tk(`cat_${c}`))}</option>`,
    ).join('')}</select></label>
    <label>${esc(t('text'))} <textarea name="text" maxlength="2000" rows="3" required></textarea></label>
    <button type="submit">${esc(t('submit'))}</button></form>`;
}

async function myCases(): Promise<string> {
  if (!isResident()) return '';
  const page = await getJson<CasePage>('/api/cases?limit=100');
  const items = page.items
    .map(
      (c) => `<li class="my-case" data-case="${esc(c.id)}" data-state="${esc(c.state)}">
      <strong>${esc(c.outletName)}</strong> <span class="case-state">${esc(tk(`st_${c.state}`))}</span>
      <span class="hint">${esc(t('deadline', { date: c.deadlineDate }))}</span>
      ${
        c.state === 'followed-up'
          ? `<div><button type="button" data-confirm="yes">${esc(t('confirmYes'))}</button>
             <button type="button" data-confirm="no">${esc(t('confirmNo'))}</button></div>`
          : ''
      }</li>`,
    )
    .join('');
  return `<section class="r-card" id="r-cases"><h2>${esc(t('myCases'))}</h2>
    ${items ? `<ul class="my-cases">${items}</ul>` : `<p class="hint">${esc(t('noCases'))}</p>`}</section>`;
}

async function render(): Promise<void> {
  document.title = t('title');
  $('r-title').textContent = t('title');
  $('r-lang').textContent = currentLang() === 'zh' ? 'English' : '中文';
  const near = community
    ? `<section class="r-card" id="r-outlets"><h2>${esc(t('outletsNear', { name: community.name }))}</h2>
       <ul class="outlets">${outlets.map(outletCard).join('')}</ul></section>`
    : '';
  root.innerHTML = `${accountSection()}
    <p id="r-message" class="r-message" role="status">${esc(message)}</p>
    <section class="r-card"><h2>${esc(t('search'))}</h2>
      <form id="r-search"><input id="r-q" name="q" placeholder="${esc(t('searchPlaceholder'))}" required />
      <button type="submit">${esc(t('go'))}</button></form><ul id="r-hits" class="hits"></ul></section>
    ${near}${await myCases()}`;
}

async function chooseCommunity(hit: Community): Promise<void> {
  community = hit;
  outlets = (
    await getJson<OutletPage>(`/api/ratings/outlets?community=${encodeURIComponent(hit.code)}&limit=20`)
  ).items;
  await render();
}

async function reloadOutlets(): Promise<void> {
  if (community) await chooseCommunity(community);
  else await render();
}

function show(error: unknown): void {
  message = error instanceof ApiError ? error.message : String(error);
  const out = document.getElementById('r-message');
  if (out) out.textContent = message;
}

const field = (form: HTMLFormElement, name: string) => (new FormData(form).get(name) as string | null) ?? '';

async function onSubmit(form: HTMLFormElement): Promise<void> {
  if (form.id === 'r-register' || form.id === 'r-login') {
    const session =
      form.id === 'r-register'
        ? await postJson<Session>('/api/residents/register', {
            phone: field(form, 'phone'),
            password: field(form, 'password'),
          })
        : await postJson<Session>('/api/auth/login', {
            username: field(form, 'username'),
            password: field(form, 'password'),
          });
    setSession(session);
    message = '';
    await reloadOutlets();
  } else if (form.id === 'r-search') {
    const hits = (
      await getJson<CommunityPage>(`/api/communities?limit=20&q=${encodeURIComponent(field(form, 'q'))}`)
    ).items;
    $('r-hits').innerHTML = hits.length
      ? hits
          .map(
            (h) => `<li><button type="button" data-community="${esc(h.code)}">${esc(h.name)}</button></li>`,
          )
          .join('')
      : `<li class="hint">${esc(t('noCommunity'))}</li>`;
    for (const h of hits) communityIndex.set(h.code, h);
  } else {
    const outletId = form.closest<HTMLElement>('[data-outlet]')?.dataset.outlet ?? '';
    if (form.matches('.r-rate')) {
      const tags = new FormData(form).getAll('tag') as string[];
      const res = await postJson<RatingAnswer>('/api/ratings', {
        outletId,
        level: field(form, 'level'),
        tags,
        text: field(form, 'text'),
        channel: 'mobile',
      });
      message = [t('rated'), res.caseId ? t('caseOpened') : '', res.rating.status === 'held' ? t('held') : '']
        .filter(Boolean)
        .join(' ');
    } else {
      await postJson('/api/complaints', {
        outletId,
        category: field(form, 'category'),
        text: field(form, 'text'),
        channel: 'mobile',
      });
      message = t('complained');
    }
    await reloadOutlets();
  }
}

const communityIndex = new Map<string, Community>();

root.addEventListener('submit', (e) => {
  e.preventDefault();
  onSubmit(e.target as HTMLFormElement).catch(show);
});

root.addEventListener('click', (e) => {
  const target = e.target as HTMLElement;
  const hit = target.closest<HTMLElement>('[data-community]')?.dataset.community;
  if (hit) {
    const found = communityIndex.get(hit);
    if (found) chooseCommunity(found).catch(show);
  }
  const open = target.closest<HTMLElement>('[data-open]')?.dataset.open;
  const slot = target.closest('[data-outlet]')?.querySelector<HTMLElement>('.outlet-form');
  if (open && slot) slot.innerHTML = open === 'rate' ? rateForm() : complainForm();
  const confirm = target.closest<HTMLElement>('[data-confirm]')?.dataset.confirm;
  const caseId = target.closest<HTMLElement>('[data-case]')?.dataset.case;
  if (confirm && caseId)
    postJson(`/api/cases/${encodeURIComponent(caseId)}/actions`, {
      type: 'confirm',
      satisfied: confirm === 'yes',
    })
      .then(render)
      .catch(show);
  if (target.id === 'r-logout') {
    const s = currentSession();
    setSession(null);
    if (s)
      void fetch('/api/auth/logout', { method: 'POST', headers: { authorization: `Bearer ${s.token}` } });
    void reloadOutlets();
  }
});

$('r-lang').addEventListener('click', () => {
  setLang(currentLang() === 'zh' ? 'en' : 'zh');
  void reloadOutlets();
});

setLang(currentLang());
render()
  .then(() => {
    document.body.dataset.ready = 'true';
  })
  .catch(show);
