import { createI18n } from '../common/i18n.js';
import { Api, problemText, newKey } from '../common/api.js';
import { govDictionary, initGovernance } from './gov.js';
import { residentsAdminDictionary, initResidentsAdmin } from './residents-admin.js';
import { counterDictionary, initCounter } from './counter.js';
import { residentDictionary, initResidentView } from './resident-view.js';
import { goodsDictionary, initGoods } from './goods.js';
import { createZone } from '../common/zone.js';

const dictionary = {
  zh: {
    title: '社区积分工作台', switchLang: 'English', navResidents: '居民', navRecord: '记录行为', navPickup: '取货核销',
    navReports: '报表 (即将推出)', setupTitle: '工作台设置',
    staffKey: '工作人员密钥', communityId: '社区编号', storeId: '超市编号', save: '保存', searchHint: '输入姓名或居民编号',
    chartTitle: '近 12 个月各类积分', statement: '积分明细', colTime: '时间', colKind: '类型', colPoints: '分值', colDetail: '说明', colActions: '操作',
    resident: '居民编号', category: '类别', indicator: '指标', quantity: '数量', when: '发生时间 (留空为现在)', evidence: '证明材料说明',
    previewTitle: '预览 (尚未保存)', saveAward: '保存记录', savedTitle: '已保存', pickupCode: '取货码', fulfil: '核销取货',
    returnLoan: '归还借用物品', item: '商品', reason: '原因',
    reverse: '冲正', reversed: '已冲正, 流水 {id}', summary: '可用 {available} 分 · 冻结 {reserved} 分 · 信用 {credit} · 志愿 {stars} 星',
    unrated: '未授权评级', savedEntry: '流水 {id}: {text}',
    kind_award: '加分', kind_deduction: '扣分', kind_reversal: '冲正',
    kind_adjustment: '调整', kind_redemption: '兑换', kind_expiry: '过期',
    signInTitle: '登录', staffId: '工号', password: '密码', signIn: '登录', signOut: '退出登录', useKey: '使用设备密钥配置',
    role_recorder: '记录员', role_reviewer: '审核员', role_manager: '管理员', who: '{name} ({role})',
    savedRecord: '记录 {id}: {status} · {text}', status_submitted: '待审核 (须由他人审核)', status_pending: '公示中',
  },
  en: {
    title: 'Community points desk', switchLang: '中文', navResidents: 'Residents', navRecord: 'Record behaviour', navPickup: 'Pickup',
    navReports: 'Reports (coming)',
    setupTitle: 'Desk setup', staffKey: 'Staff key', communityId: 'Community id', storeId: 'Store id', save: 'Save',
    searchHint: 'Type a name or resident id', chartTitle: 'Points by category, last 12 months', statement: 'Statement', colTime: 'When',
    colKind: 'Kind', colPoints: 'Points', colDetail: 'Details', colActions: 'Actions', resident: 'Resident id', category: 'Category', indicator: 'Indicator',
    quantity: 'Quantity', when: 'When (empty means now)', evidence: 'Evidence note', previewTitle: 'Preview (not saved yet)',
    saveAward: 'Save record', savedTitle: 'Saved', pickupCode: 'Pickup code', fulfil: 'Hand over', returnLoan: 'Take back loan', item: 'Item',
    reason: 'Reason', reverse: 'Reverse',
    reversed: 'Reversed: entry {id}', summary: '{available} available · {reserved} reserved · credit {credit} · {stars} stars',
    unrated: 'not rated', savedEntry: 'Entry {id}: {text}',
    kind_award: 'award', kind_deduction: 'deduction',
    kind_reversal: 'reversal', kind_adjustment: 'adjustment', kind_redemption: 'redemption', kind_expiry: 'expiry',
    signInTitle: 'Sign in', staffId: 'Staff id', password: 'Password', signIn: 'Sign in', signOut: 'Sign out', useKey: 'Configure with a device key',
    role_recorder: 'recorder', role_reviewer: 'reviewer', role_manager: 'manager', who: '{name} ({role})',
    savedRecord: 'Record {id}: {status} · {text}', status_submitted: 'waiting for review by someone else', status_pending: 'posted',
  },
};

// Units as the record form shows them (the catalog names each indicator's unit by its enum name).
const unitDictionary = {
  zh: {
    unit_hour: '小时', unit_event: '次', unit_month: '月', unit_check: '次检查', unit_award: '次表彰', unit_project: '个项目', unit_star: '星',
    unit_donation: '次捐赠', unit_meeting: '次会议', unit_adoption: '条采纳', unit_case: '起', unit_report: '次举报', unit_determination: '次认定',
    unit_tip: '条线索', unit_session: '场', savedNext: '已保存。修改表单后, 这里预览下一条记录。', residentUnknown: '未找到该居民',
  },
  en: {
    unit_hour: 'hour', unit_event: 'event', unit_month: 'month', unit_check: 'check', unit_award: 'award', unit_project: 'project', unit_star: 'star',
    unit_donation: 'donation', unit_meeting: 'meeting', unit_adoption: 'adoption', unit_case: 'case', unit_report: 'report', unit_determination: 'determination',
    unit_tip: 'tip', unit_session: 'session', savedNext: 'Saved. Change the form to preview the next record.', residentUnknown: 'No such resident',
  },
};

for (const lang of ['zh', 'en']) Object.assign(dictionary[lang], govDictionary[lang], counterDictionary[lang], residentDictionary[lang], unitDictionary[lang], residentsAdminDictionary[lang], goodsDictionary[lang]);

const i18n = createI18n(dictionary, localStorage.getItem('lang') || 'zh');
const $ = (id) => document.getElementById(id);

// Configured once per desk: /staff/?key=…&community=…&store=…
const params = new URLSearchParams(location.search);
for (const [param, item] of [['key', 'staffKey'], ['community', 'community'], ['store', 'staffStore']]) {
  if (params.get(param)) localStorage.setItem(item, params.get(param));
}
if (params.get('key')) history.replaceState(null, '', location.pathname);

// A desk configured with ?key= sends its key; otherwise the browser sends the signed-in member's session cookie.
const deskKey = () => localStorage.getItem('staffKey');
const api = new Api(() => (deskKey() ? { 'X-Api-Key': deskKey() } : {}), (problem) => { if (!deskKey()) showSignIn(problemText(problem, i18n.lang)); });
const state = { catalog: null, member: null, resident: null, awardKey: newKey(), previewTimer: null, lastPreview: null, lastSaved: null };
const nameOf = (x) => (i18n.lang === 'zh' ? x.nameZh : x.nameEn);
const governance = initGovernance({ api, i18n, state, $ });
initResidentsAdmin({ api, i18n, $ });
// A signed-in member's desk uses the store of ?store=, or by default the community's "{community}-mall".
const store = () => localStorage.getItem('staffStore') ?? (state.member ? `${state.member.community}-mall` : null);

function show(view) {
  for (const section of document.querySelectorAll('main > section')) section.hidden = section.id !== view;
  for (const button of document.querySelectorAll('nav [data-view]')) {
    if (button.dataset.view === view) button.setAttribute('aria-current', 'page');
    else button.removeAttribute('aria-current');
  }
  state.view = view;
}

// Navigating moves the focus to the section's heading, so a screen reader and the keyboard start there.
async function navigate(view) {
  show(view);
  $(view).querySelector('h2')?.focus();
  await Promise.all([governance.opened(view), goods.opened(view)]);
}

for (const button of document.querySelectorAll('nav [data-view]')) button.addEventListener('click', () => navigate(button.dataset.view));

// --- residents (resident-view.js) -----------------------------------------------------------------------------
// Stacked bars: one per month, one colour per category; values come from the API, the page only draws them.
function chartSvg(rows) {
  const colours = { ENV: '#2e7d32', CIV: '#6a1b9a', VOL: '#0b5cad', GOV: '#ef6c00', FAM: '#ad1457', SAF: '#00838f' };
  const months = [...new Set(rows.map((r) => r.month))];
  const width = 640, height = 220, pad = 30, barWidth = months.length ? (width - 2 * pad) / months.length - 6 : 0;
  const totals = months.map((m) => rows.filter((r) => r.month === m && r.points > 0).reduce((a, r) => a + r.points, 0));
  const max = Math.max(10, ...totals);
  let bars = '';
  months.forEach((month, i) => {
    let y = height - pad;
    for (const row of rows.filter((r) => r.month === month && r.points > 0)) {
      const h = (row.points / max) * (height - 2 * pad);
      y -= h;
      bars += `<rect x="${pad + i * (barWidth + 6)}" y="${y}" width="${barWidth}" height="${h}" fill="${colours[row.category] ?? '#777'}"><title>${row.category} ${row.points}</title></rect>`;
    }
    bars += `<text x="${pad + i * (barWidth + 6) + barWidth / 2}" y="${height - 10}" font-size="11" text-anchor="middle">${month.slice(2)}</text>`;
  });
  const legend = (state.catalog?.categories ?? []).map((c, i) =>
    `<rect x="${pad + i * 100}" y="4" width="10" height="10" fill="${colours[c.code]}"/><text x="${pad + i * 100 + 14}" y="13" font-size="11">${nameOf(c)}</text>`).join('');
  // The chart's text alternative: its title and each month's total (axe svg-img-alt).
  const label = [i18n.t('chartTitle'), ...months.map((m, i) => `${m} ${totals[i]}`)].join('; ').replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<svg role="img" aria-label="${label}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">${legend}${bars}</svg>`;
}

// One reading of the community's time zone for every screen: times are shown and typed as the community's wall clock.
const zone = createZone(api, () => localStorage.getItem('community'), () => state.catalog?.timeZone);
const residentView = initResidentView({ api, i18n, state, $, nameOf, chartSvg, community: () => localStorage.getItem('community'), zone });

// --- record behaviour ------------------------------------------------------------------------------------------
async function loadCatalog() {
  const result = await api.get('/catalog');
  if (!result.ok) return;
  state.catalog = result.data;
  renderCategories();
}

function renderCategories() {
  const categories = $('award-category');
  const selected = categories.value;
  categories.replaceChildren(...state.catalog.categories.map((c) => new Option(`${c.code} ${nameOf(c)}`, c.code)));
  if (selected) categories.value = selected;
  renderIndicators();
}

function renderIndicators() {
  const indicators = $('award-indicator');
  const selected = indicators.value;
  const category = $('award-category').value;
  indicators.replaceChildren(...state.catalog.indicators.filter((i) => i.category === category && i.active)
    .map((i) => new Option(`${i.code} ${nameOf(i)} (${i.points > 0 ? '+' : ''}${i.points}/${i18n.t(`unit_${i.unit}`)})`, i.code)));
  if ([...indicators.options].some((o) => o.value === selected)) indicators.value = selected;
}

function awardBody() {
  const when = $('award-when').value;
  return {
    residentId: $('award-resident').value.trim(),
    indicator: $('award-indicator').value,
    quantity: Number($('award-quantity').value),
    occurredAt: when ? new Date(when).toISOString() : undefined,
    evidence: $('award-evidence').value.trim() || undefined,
  };
}

const explanation = (view) => (i18n.lang === 'zh' ? view.explanationText : view.explanationTextEn);

async function preview() {
  const body = awardBody();
  if (!body.residentId || !body.indicator) return;
  const result = await api.post('/awards/preview', body);
  state.lastPreview = result;
  renderPreview();
}

function renderPreview() {
  const result = state.lastPreview;
  if (!result) return;
  $('preview').textContent = result.ok ? explanation(result.data) : problemText(result.data, i18n.lang);
  $('preview').className = result.ok && result.data.refusals.length === 0 ? '' : 'error';
}

$('award-category').addEventListener('change', () => { renderIndicators(); schedulePreview(); });
for (const id of ['award-resident', 'award-indicator', 'award-quantity', 'award-when', 'award-evidence']) {
  $(id).addEventListener('input', schedulePreview);
  $(id).addEventListener('change', schedulePreview);
}

function schedulePreview() {
  state.awardKey = newKey(); // a changed form is a new record
  clearTimeout(state.previewTimer);
  state.previewTimer = setTimeout(preview, 250);
}

$('award-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const result = await api.post('/awards', awardBody(), { 'Idempotency-Key': state.awardKey });
  state.lastSaved = result;
  renderSaved();
  // The saved result stays in view; the preview waits for the next change instead of evaluating the same record again.
  if (result.ok) {
    state.lastPreview = null;
    clearTimeout(state.previewTimer);
    $('preview').textContent = i18n.t('savedNext');
    $('preview').className = '';
  }
});

// Enter in a field does not save: only the save button (or a click on it) does.
$('award-form').addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && event.target !== $('award-save') && event.target.tagName !== 'TEXTAREA') event.preventDefault();
});

// The resident's name next to the id, looked up in the community's residents.
async function lookUpAwardResident() {
  const id = $('award-resident').value.trim();
  if (!id) { $('award-resident-name').textContent = ''; return; }
  const result = await api.get(`/communities/${localStorage.getItem('community')}/residents?q=${encodeURIComponent(id)}`);
  if ($('award-resident').value.trim() !== id) return;
  const match = result.ok ? result.data.find((r) => r.id === id) : null;
  $('award-resident-name').textContent = match ? match.displayName : i18n.t('residentUnknown');
  $('award-resident-name').className = match ? 'hint' : 'hint error';
}
$('award-resident').addEventListener('input', () => { clearTimeout(state.nameTimer); state.nameTimer = setTimeout(lookUpAwardResident, 250); });
$('award-resident').addEventListener('change', lookUpAwardResident);

function renderSaved() {
  const result = state.lastSaved;
  if (!result) return;
  // A record that needs a second person or a posting has no entry yet: the desk says where it went (审核 or 公示).
  const d = result.data;
  $('saved').textContent = !result.ok ? problemText(d, i18n.lang)
    : d.recordId && (d.status === 'submitted' || d.status === 'pending') ? i18n.t('savedRecord', { id: d.recordId, status: i18n.t(`status_${d.status}`), text: explanation(d) })
      : i18n.t('savedEntry', { id: d.entryId, text: explanation(d) });
  $('saved').className = result.ok ? '' : 'error';
}

// --- pickup (counter.js), goods and stock (goods.js) ------------------------------------------------------------
const counter = initCounter({ api, i18n, $, store, nameOf });
const goods = initGoods({ api, i18n, state, $, store, nameOf, zone });

// --- setup and language ----------------------------------------------------------------------------------------
$('setup-save').addEventListener('click', async () => {
  localStorage.setItem('staffKey', $('setup-key').value.trim());
  localStorage.setItem('community', $('setup-community').value.trim());
  localStorage.setItem('staffStore', $('setup-store').value.trim());
  await start();
});

$('lang').addEventListener('click', () => i18n.set(i18n.lang === 'zh' ? 'en' : 'zh'));
i18n.onChange(() => {
  if (state.catalog) renderCategories();
  residentView.rerender();
  counter.rerender();
  renderPreview();
  renderSaved();
  goods.rerender();
  governance.rerender();
});

async function start() {
  $('scope').textContent = [localStorage.getItem('community'), store()].filter(Boolean).join(' · ');
  renderWho();
  await Promise.all([loadCatalog(), goods.load()]);
  show('residents');
}

// --- staff sign-in (no key configured) ---------------------------------------------------------------------------
function showSignIn(message = '') {
  state.member = null;
  governance.clear();
  goods.clear();
  renderWho();
  $('signin-message').textContent = message;
  show('signin');
  ($('signin-id').value ? $('signin-password') : $('signin-id')).focus();
}

function renderWho() {
  const m = state.member;
  $('who').textContent = m ? i18n.t('who', { name: m.name, role: i18n.t(`role_${m.role}`) }) : '';
  $('signout').hidden = !m;
}

async function signedIn(member) {
  state.member = member;
  // The community comes from the session, never from the address.
  localStorage.setItem('community', member.community);
  await start();
}

$('signin-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  $('signin-message').textContent = '';
  const result = await api.post('/staff-sessions', { id: $('signin-id').value.trim(), password: $('signin-password').value });
  $('signin-password').value = '';
  if (result.ok) await signedIn(result.data.staff);
  else if (result.status !== 401) $('signin-message').textContent = problemText(result.data, i18n.lang);
});

$('signout').addEventListener('click', async () => {
  await api.del('/staff-sessions/current');
  showSignIn();
});

$('use-key').addEventListener('click', () => show('setup'));

async function resume() {
  const current = await api.get('/staff-sessions/current');
  if (current.ok) await signedIn(current.data.staff);
  // A 401 has already shown the sign-in form; without a cookie there is nothing to say yet.
  if (current.status === 401 && current.data?.code !== 'staff-session-expired') $('signin-message').textContent = '';
}

i18n.onChange(renderWho);
i18n.apply();
if (deskKey()) start(); else resume();
