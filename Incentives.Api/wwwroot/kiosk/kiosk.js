import { createI18n } from '../common/i18n.js';
import { Api, problemText, newKey } from '../common/api.js';
import { governanceDictionary, setupGovernance } from './governance.js';

const dictionary = {
  zh: {
    title: '积分超市', switchLang: 'English', setupTitle: '终端设置', setupHint: '请管理员输入终端密钥和超市编号。', kioskKey: '终端密钥',
    storeId: '超市编号', save: '保存', signInTitle: '请刷卡或输入卡号', cardNumber: '卡号', pin: '密码', clear: '清除', backspace: '退格',
    keypadHint: '先点卡号或密码框, 再用下面的按键输入', letters: '字母', digits: '数字', next: '下一项',
    signIn: '登录', available: '可用积分', held: '预约占用', pending: '待公示积分', expiring: '90 天内到期', tier: '信用等级', stars: '志愿星级',
    goods: '兑换商品', myReservations: '我的预约与借用', signOut: '退出', cart: '已选商品', total: '合计', points: '分', reserve: '预约兑换',
    backHome: '返回首页', pickupTitle: '取货码', pickupHint: '请凭取货码到柜台取货, 48 小时内有效。', myLoans: '借用物品',
    idleHint: '60 秒无操作将自动退出', welcome: '{name}, 您好', kind_goods: '商品', kind_service: '服务券', kind_loan: '信用借还',
    left: '剩余 {n}', add: '加入', needsTier: '需 {tier} 级', noStars: '暂无', emptyCart: '还没有选商品', noneYet: '暂无记录',
    status_open: '待取货', status_fulfilled: '已取货', status_cancelled: '已取消', status_expired: '已过期', due: '应还 {date}',
    returned: '已归还', enterCardAndPin: '请输入卡号和密码', unrated: '未授权', speak: '朗读', continueUsing: '继续使用',
    idleCountdown: '{n} 秒后将自动退出, 如需继续请按"继续使用"', remove: '减少 {name}',
    balanceLine: '可用 {available} 分 · 预约占用 {held} 分', why_tier: '需 {tier} 级 (您为 {yours} 级)', why_tierUnrated: '需 {tier} 级 (您未评级)',
    why_stock: '已兑完', why_limit: '本月已达上限', unavailable: '暂不可兑换', pickupBy: '取货截止 {date}', cancelReservation: '取消预约',
    cancelled: '已取消预约 {code}, 占用的积分已退回。', qrAlt: '取货码 {code} 的二维码', retryReserve: '网络连接失败, 请再按一次"预约兑换" (不会重复预约)。',
    reserving: '正在预约…', signedOutExpired: '登录已超时, 请重新刷卡登录。',
    err_network: '网络连接失败, 请稍后再试, 或请工作人员帮助。', err_generic: '操作没有成功, 请稍后再试, 或请工作人员帮助。',
    'err_wrong-card-or-pin': '卡号或密码不对, 请重新输入。', 'err_card-locked': '密码错误次数太多, 卡已锁定 15 分钟, 请稍后再试或请工作人员帮助。',
    'err_unknown-card': '卡号或密码不对, 请重新输入。', 'err_insufficient-points': '积分不够, 还差 {shortfall} 分。',
    'err_out-of-stock': '库存不足: 仅剩 {left} 件。商品列表已刷新。', 'err_out-of-stockNone': '已兑完。商品列表已刷新。',
    'err_limit-reached': '已达到每人兑换上限, 本期不能再兑换。', 'err_tier-too-low': '信用等级不够: 需 {tierNeeded} 级。',
    'err_item-inactive': '该商品现在不提供。', err_unauthorized: '登录已超时, 请重新刷卡登录。', 'err_rate-limited': '操作太频繁, 请稍等一下再试。',
    'err_server-error': '系统暂时出错, 请稍后再试, 或请工作人员帮助。', 'err_idempotency-conflict': '购物车已变化, 请再按一次"预约兑换"。',
    'err_invalid-state': '这个预约已不能取消 (可能已取货或已过期)。', err_forbidden: '没有权限进行此操作, 请工作人员帮助。',
    'err_resident-inactive': '该账户已停用, 请到社区服务台咨询。',
  },
  en: {
    title: 'Points Supermarket', switchLang: '中文', setupTitle: 'Kiosk setup', setupHint: 'An administrator enters the kiosk key and the store id.',
    kioskKey: 'Kiosk key', storeId: 'Store id', save: 'Save', signInTitle: 'Tap your card or type its number', cardNumber: 'Card number',
    pin: 'PIN', clear: 'Clear', backspace: 'Delete', keypadHint: 'Tap the card number or PIN box, then use the keys below', letters: 'Letters',
    digits: 'Digits', next: 'Next box', signIn: 'Sign in', available: 'Points available', held: 'Held by reservations', pending: 'Points pending',
    expiring: 'Expiring in 90 days', tier: 'Credit tier', stars: 'Volunteer stars', goods: 'Redeem goods', myReservations: 'My reservations and loans',
    signOut: 'Sign out', cart: 'Your selection', total: 'Total', points: 'points', reserve: 'Reserve', backHome: 'Back to home',
    pickupTitle: 'Pickup code', pickupHint: 'Show this code at the counter within 48 hours.', myLoans: 'Borrowed items',
    idleHint: 'Signs out after 60 seconds without a touch', welcome: 'Hello, {name}', kind_goods: 'Goods', kind_service: 'Service vouchers',
    kind_loan: 'Borrow on credit', left: '{n} left', add: 'Add', needsTier: 'Tier {tier}+', noStars: 'None yet', emptyCart: 'Nothing selected yet',
    noneYet: 'Nothing yet', status_open: 'Ready for pickup', status_fulfilled: 'Picked up', status_cancelled: 'Cancelled', status_expired: 'Expired',
    due: 'Due {date}', returned: 'Returned', enterCardAndPin: 'Enter your card number and PIN', unrated: 'Not rated', speak: 'Read aloud',
    continueUsing: 'Keep using', idleCountdown: 'Signing out in {n} seconds; press "Keep using" to continue', remove: 'One less {name}',
    balanceLine: '{available} points available · {held} held by reservations', why_tier: 'Needs tier {tier} (yours: {yours})',
    why_tierUnrated: 'Needs tier {tier} (you are not rated)', why_stock: 'Sold out', why_limit: 'Monthly limit reached', unavailable: 'Not available',
    pickupBy: 'Pick up by {date}', cancelReservation: 'Cancel reservation', cancelled: 'Reservation {code} cancelled; its points are free again.',
    qrAlt: 'QR code of pickup code {code}', retryReserve: 'Network problem: press "Reserve" again (it will not reserve twice).',
    reserving: 'Reserving…', signedOutExpired: 'Your session has ended; please sign in again.',
    err_network: 'No network connection; please try again later or ask the staff.', err_generic: 'That did not work; please try again later or ask the staff.',
    'err_wrong-card-or-pin': 'Wrong card number or PIN; please try again.', 'err_card-locked': 'Too many wrong PINs: the card is locked for 15 minutes.',
    'err_unknown-card': 'Wrong card number or PIN; please try again.', 'err_insufficient-points': 'Not enough points: {shortfall} short.',
    'err_out-of-stock': 'Not enough stock: {left} left. The list has been refreshed.', 'err_out-of-stockNone': 'Sold out. The list has been refreshed.',
    'err_limit-reached': 'The per-resident limit is reached for this period.', 'err_tier-too-low': 'Your credit tier is too low: tier {tierNeeded} needed.',
    'err_item-inactive': 'This item is not offered now.', err_unauthorized: 'Your session has ended; please sign in again.',
    'err_rate-limited': 'Too many requests; please wait a moment.', 'err_server-error': 'The system had a problem; please try again later or ask the staff.',
    'err_idempotency-conflict': 'Your selection changed; press "Reserve" again.', 'err_invalid-state': 'This reservation can no longer be cancelled.',
    err_forbidden: 'Not allowed here; please ask the staff.',
    'err_resident-inactive': 'This account is deactivated; please ask at the community service desk.',
  },
};

Object.assign(dictionary.zh, governanceDictionary.zh);
Object.assign(dictionary.en, governanceDictionary.en);
Object.assign(dictionary.zh, { why_limit_day: '今日已达上限', why_limit_month: '本月已达上限', why_limit_year: '今年已达上限' });
Object.assign(dictionary.en, { why_limit_day: 'Daily limit reached', why_limit_month: 'Monthly limit reached', why_limit_year: 'Yearly limit reached' });
// Every resident starts in Chinese: the language a previous resident chose is not kept (see signOut).
const i18n = createI18n(dictionary, 'zh');
const $ = (id) => document.getElementById(id);
const IDLE_SECONDS = 60;
const WARN_SECONDS = 15;
const CJK = /[\u3400-\u9fff]/;

// The kiosk key and store are configured once per device: /kiosk/?key=…&store=… (then removed from the address bar).
const params = new URLSearchParams(location.search);
if (params.get('key') && params.get('store')) {
  localStorage.setItem('kioskKey', params.get('key'));
  localStorage.setItem('storeId', params.get('store'));
  history.replaceState(null, '', location.pathname);
}

// Everything that belongs to the resident who is signed in; signOut puts it all back to this.
const fresh = () => ({
  session: null, residentId: null, resident: null, offers: [], items: null, cart: new Map(), idle: null, warn: null, tick: null,
  pickup: null, reserveKey: null, limitHit: new Set(), goodsMessage: null, mineMessage: null, reservations: null,
});
const state = { view: null, field: 'card', ...fresh() };
const raw = new Api(() => ({
  'X-Api-Key': localStorage.getItem('kioskKey') ?? '',
  ...(state.session ? { 'X-Resident-Session': state.session } : {}),
}));

// Every call answers: a lost network is { status: 0, data: { code: 'network' } }, never an exception or silence.
// A 401 while a resident is signed in means the session ended: say so and go back to sign-in.
const api = {
  async call(method, path, body, headers) {
    let result;
    try {
      result = await raw.call(method, path, body, headers);
    } catch {
      return { ok: false, status: 0, data: { code: 'network' } };
    }

    if (result.status === 401 && state.session && path !== '/kiosk/sessions') {
      await signOut({ expired: true });
      result.expired = true;
    }

    return result;
  },
  get(path) { return this.call('GET', path); },
  post(path, body, headers) { return this.call('POST', path, body ?? {}, headers); },
  del(path) { return this.call('DELETE', path); },
};

// A problem in the active language. Chinese: the API's messageZh, else the page's own words for the code, else a
// general sentence; English: the page's words for the code, else the API's detail. Never English on a Chinese screen.
function message(problem) {
  const p = problem && typeof problem === 'object' ? problem : {};
  const code = p.code ?? (p.status >= 500 ? 'server-error' : null);
  const vars = { shortfall: p.shortfall ?? '', left: p.left ?? 0, tierNeeded: p.tierNeeded ?? '' };
  const own = code && dictionary[i18n.lang][`err_${code}`] ? i18n.t(`err_${code}`, vars) : null;
  if (code === 'network' || code === 'unauthorized') return own;
  if (i18n.lang === 'zh') {
    if (typeof p.messageZh === 'string' && CJK.test(p.messageZh)) return p.messageZh;
    return own ?? i18n.t('err_generic');
  }

  return own ?? (typeof p.detail === 'string' && p.detail ? p.detail : i18n.t('err_generic'));
}

// Messages are kept as something to render (a problem, or a dictionary key and values) so they follow the language.
const render_ = (m) => (!m ? '' : m.problem ? message(m.problem) : i18n.t(m.key, m.vars));
const store = () => localStorage.getItem('storeId');
const governance = setupGovernance({
  api, i18n, state, show: (id) => show(id), newKey, $: (id) => document.getElementById(id),
  problemText: (problem) => message(problem),
});
const name = (item) => (i18n.lang === 'zh' ? item.nameZh : item.nameEn);
const pad = (n) => String(n).padStart(2, '0');
const instant = (iso) => {
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
};

function show(id) {
  for (const section of document.querySelectorAll('main > section')) section.hidden = section.id !== id;
  state.view = id;
  if (id === 'signin') focusField(state.field);
}

function render() {
  $('signin-error').textContent = render_(state.signinMessage);
  if (state.resident) renderHome();
  if (state.view === 'goods') renderGoods();
  if (state.view === 'mine') renderMine();
  if (state.pickup) $('qr').querySelector('svg')?.setAttribute('aria-label', i18n.t('qrAlt', { code: state.pickup }));
  renderIdle();
  governance.render();
}

// --- sign in: one keypad for both fields; the field that has the focus is the one it types into ------------------
function focusField(field) {
  state.field = field;
  $(field).focus();
  $('letters-toggle').hidden = field !== 'card';
  if (field !== 'card') toggleLetters(false);
  for (const f of ['card', 'pin']) $(f).closest('label').classList.toggle('active', f === field);
}

for (const f of ['card', 'pin']) $(f).addEventListener('focus', () => focusField(f));
$('card').addEventListener('input', () => { state.signinMessage = null; $('signin-error').textContent = ''; });
$('card').addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); focusField('pin'); } });
$('pin').addEventListener('input', () => { $('pin').value = $('pin').value.replace(/\D/g, '').slice(0, 8); });
$('pin').addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); signIn(); } });

const letters = $('letters');
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZ') {
  const b = document.createElement('button');
  b.dataset.key = c;
  b.textContent = c;
  letters.append(b);
}

function toggleLetters(open) {
  letters.hidden = !open;
  $('letters-toggle').setAttribute('aria-expanded', String(open));
}

// Keys do not take the focus: the field keeps it, so the resident sees where the next key goes.
for (const pad_ of [$('keypad'), letters]) {
  pad_.addEventListener('pointerdown', (e) => { if (e.target.closest('button')) e.preventDefault(); });
  pad_.addEventListener('mousedown', (e) => { if (e.target.closest('button')) e.preventDefault(); });
  pad_.addEventListener('click', (event) => {
    const key = event.target.closest('button')?.dataset.key;
    if (!key) return;
    const input = $(state.field);
    if (key === 'letters') return toggleLetters(letters.hidden);
    if (key === 'next') return focusField(state.field === 'card' ? 'pin' : 'card');
    if (key === 'clear') input.value = '';
    else if (key === 'back') input.value = input.value.slice(0, -1);
    else if (state.field === 'pin' ? input.value.length < 8 && /\d/.test(key) : input.value.length < 32) input.value += key;
    if (state.field === 'card') { state.signinMessage = null; $('signin-error').textContent = ''; }
    input.focus();
  });
}

$('signin-btn').addEventListener('click', () => signIn());

async function signIn() {
  const card = $('card').value.trim();
  const pin = $('pin').value;
  if (!card || !pin) {
    state.signinMessage = { key: 'enterCardAndPin' };
    $('signin-error').textContent = render_(state.signinMessage);
    focusField(card ? 'pin' : 'card');
    return;
  }

  state.signinMessage = null;
  $('signin-error').textContent = '';
  const result = await api.post('/kiosk/sessions', { cardNumber: card, pin });
  $('pin').value = '';
  if (!result.ok) {
    state.signinMessage = { problem: result.data };
    $('signin-error').textContent = render_(state.signinMessage);
    focusField('pin');
    return;
  }

  state.signinMessage = null;
  $('signin-error').textContent = '';
  $('card').value = '';
  state.field = 'card';
  state.session = result.data.token;
  state.residentId = result.data.residentId;
  await loadHome();
}

// --- home ------------------------------------------------------------------------------------------------------
async function loadHome() {
  const result = await api.get(`/residents/${state.residentId}`);
  if (result.expired) return;
  if (!result.ok) {
    // Signed in but the resident cannot be read: say why on the sign-in screen instead of showing nothing.
    const problem = result.data;
    await signOut();
    state.signinMessage = { problem };
    $('signin-error').textContent = render_(state.signinMessage);
    return;
  }

  state.resident = result.data;
  renderHome();
  show('home');
  touch(); // the idle clock starts at sign-in, not at the next touch
}

function renderHome() {
  const r = state.resident;
  $('welcome').textContent = i18n.t('welcome', { name: r.displayName });
  $('available').textContent = r.balance.available;
  $('held').textContent = r.balance.reserved ?? 0;
  $('pending').textContent = r.balance.pending;
  $('expiring').textContent = r.expiringIn90Days;
  $('tier-tile').hidden = !r.credit.rated; // the tier is shown only to residents who consented to credit scoring
  $('tier').textContent = r.credit.rated ? r.credit.tier : '';
  $('stars').textContent = r.stars > 0 ? '★'.repeat(r.stars) : i18n.t('noStars');
}

$('go-goods').addEventListener('click', () => openGoods());

async function openGoods() {
  state.goodsMessage = null;
  const ok = await loadOffers();
  if (ok === null) return;
  if (!ok) return;
  renderGoods();
  show('goods');
}

// The offers, the store's items (names for 我的预约, limits) and the balance, fresh from the API.
// true: loaded; false: refused (the message is shown); null: the session ended.
async function loadOffers() {
  const [offers, resident, items] = await Promise.all([
    api.get(`/stores/${store()}/offers/${state.residentId}`),
    api.get(`/residents/${state.residentId}`),
    state.items ? Promise.resolve(null) : api.get(`/stores/${store()}/items`),
  ]);
  if (!state.session) return null;
  if (items?.ok) state.items = items.data.items;
  if (resident.ok) state.resident = resident.data;
  if (!offers.ok) {
    const where = state.view === 'goods' ? 'goods-error' : 'home-error';
    state.goodsMessage = { problem: offers.data };
    showHomeError(offers.data, where);
    return false;
  }

  state.offers = offers.data.items;
  return true;
}

function showHomeError(problem, where) {
  if (where === 'goods-error') return void ($('goods-error').textContent = message(problem));
  state.homeMessage = { problem };
  $('home-error').textContent = message(problem);
}

$('go-mine').addEventListener('click', async () => {
  state.mineMessage = null;
  if (await loadMine() === null) return;
  show('mine');
});
$('go-governance').addEventListener('click', () => governance.open());
$('signout').addEventListener('click', () => signOut());
for (const button of document.querySelectorAll('.home-btn')) button.addEventListener('click', () => { state.homeMessage = null; $('home-error').textContent = ''; loadHome(); });

// --- goods and cart --------------------------------------------------------------------------------------------
function limitPeriod(sku) {
  return (state.offers?.find((o) => o.sku === sku) ?? state.items?.find((i) => i.sku === sku))?.perResidentLimit?.period ?? 'month';
}

// Why an item cannot be added, in words (never only grey): the API's tierAllows, stock and (when the API says so)
// a reached per-resident limit, or a limit-reached refusal this resident met in this session.
function whyNot(item) {
  if (!item.tierAllows) {
    const c = state.resident?.credit;
    return c?.rated ? i18n.t('why_tier', { tier: item.minTier, yours: c.tier }) : i18n.t('why_tierUnrated', { tier: item.minTier });
  }

  if (item.stock <= 0) return i18n.t('why_stock');
  if (item.limitReached === true || item.limitLeft === 0 || state.limitHit.has(item.sku)) return i18n.t(`why_limit_${limitPeriod(item.sku)}`);
  return null;
}

function renderGoods() {
  const r = state.resident;
  $('goods-balance').textContent = r ? i18n.t('balanceLine', { available: r.balance.available, held: r.balance.reserved ?? 0 }) : '';
  $('goods-error').textContent = render_(state.goodsMessage);
  const catalog = $('catalog');
  catalog.replaceChildren();
  for (const kind of ['goods', 'service', 'loan']) {
    const items = state.offers.filter((o) => o.kind === kind);
    if (items.length === 0) continue;
    const group = document.createElement('div');
    group.className = 'kind';
    group.innerHTML = `<h3>${i18n.t(`kind_${kind}`)}</h3>`;
    for (const item of items) {
      const why = whyNot(item);
      const row = document.createElement('div');
      row.className = `item${why ? ' unavailable' : ''}`;
      row.dataset.sku = item.sku;
      if (item.pictureUrl) {
        const img = document.createElement('img');
        img.className = 'picture';
        img.src = item.pictureUrl;
        img.alt = name(item);
        img.loading = 'lazy';
        row.append(img);
      }

      const text = document.createElement('div');
      text.className = 'text';
      const price = item.yourPrice < item.price
        ? `<span class="old">${item.price}</span> <strong>${item.yourPrice}</strong>`
        : `<strong>${item.yourPrice}</strong>`;
      const badge = item.minTier ? `<span class="badge">${i18n.t('needsTier', { tier: item.minTier })}</span>` : '';
      text.innerHTML = `<div class="name"></div><div>${price} ${i18n.t('points')} · ${i18n.t('left', { n: item.stock })} ${badge}</div>`;
      text.querySelector('.name').textContent = name(item);
      row.append(text);
      if (why) {
        const reason = document.createElement('span');
        reason.className = 'why';
        reason.textContent = why;
        row.append(reason);
      } else {
        const add = document.createElement('button');
        add.textContent = i18n.t('add');
        add.className = 'add';
        add.setAttribute('aria-label', `${i18n.t('add')} ${name(item)}`);
        add.addEventListener('click', () => { state.cart.set(item.sku, (state.cart.get(item.sku) ?? 0) + 1); renderCart(); });
        row.append(add);
      }

      group.append(row);
    }

    catalog.append(group);
  }

  renderCart();
}

function renderCart() {
  const list = $('cart-lines');
  list.replaceChildren();
  let total = 0;
  for (const [sku, quantity] of state.cart) {
    const item = state.offers.find((o) => o.sku === sku);
    if (!item) { state.cart.delete(sku); continue; }
    total += item.yourPrice * quantity;
    const li = document.createElement('li');
    li.innerHTML = '<span></span><span></span>';
    li.firstChild.textContent = `${name(item)} × ${quantity}`;
    const remove = document.createElement('button');
    remove.textContent = '−';
    remove.className = 'minus';
    remove.setAttribute('aria-label', i18n.t('remove', { name: name(item) }));
    remove.addEventListener('click', () => {
      if (quantity <= 1) state.cart.delete(sku); else state.cart.set(sku, quantity - 1);
      renderCart();
    });
    li.lastChild.append(remove);
    list.append(li);
  }

  if (state.cart.size === 0) list.innerHTML = `<li>${i18n.t('emptyCart')}</li>`;
  $('cart-total').textContent = total;
  $('reserve').disabled = state.cart.size === 0;
}

// One Idempotency-Key per intended reservation: the same cart keeps its key until the API answers it, so pressing
// 预约兑换 again after a lost answer cannot reserve twice; a changed cart is a new reservation with a new key.
function reservationKey(lines) {
  const signature = JSON.stringify(lines);
  if (!state.reserveKey || state.reserveKey.signature !== signature) state.reserveKey = { signature, key: newKey() };
  return state.reserveKey.key;
}

$('reserve').addEventListener('click', async () => {
  const lines = [...state.cart].map(([sku, quantity]) => ({ sku, quantity }));
  if (lines.length === 0) return;
  const key = reservationKey(lines);
  $('reserve').disabled = true;
  state.goodsMessage = { key: 'reserving' };
  $('goods-error').textContent = render_(state.goodsMessage);
  const result = await api.post(`/stores/${store()}/reservations`, { residentId: state.residentId, lines }, { 'Idempotency-Key': key });
  $('reserve').disabled = false;
  if (result.expired || !state.session) return;
  if (result.status === 0 || result.status >= 500) {
    // No answer (or the service could not take it now): the key stays, and the resident may simply press again.
    state.goodsMessage = result.status === 0 ? { key: 'retryReserve' } : { problem: result.data };
    $('goods-error').textContent = render_(state.goodsMessage);
    return;
  }

  state.reserveKey = null; // answered
  if (!result.ok) {
    const problem = result.data ?? {};
    if (problem.code === 'limit-reached') {
      const text = `${problem.messageZh ?? ''} ${problem.detail ?? ''}`;
      const hit = lines.filter((l) => { const o = state.offers.find((x) => x.sku === l.sku); return lines.length === 1 || (o && (text.includes(o.nameZh) || text.includes(o.nameEn))); });
      for (const l of hit) { state.limitHit.add(l.sku); state.cart.delete(l.sku); }
    }

    if (problem.code === 'out-of-stock' && problem.left === 0 && !problem.messageZh) problem.code = 'out-of-stockNone';
    // The refusal may come from a change since the list was loaded (someone took the last one): reload it.
    await loadOffers();
    if (!state.session) return;
    renderGoods();
    state.goodsMessage = { problem };
    $('goods-error').textContent = render_(state.goodsMessage);
    return;
  }

  state.cart.clear();
  state.goodsMessage = null;
  $('goods-error').textContent = '';
  state.pickup = result.data.pickupCode;
  $('pickup-code').textContent = result.data.pickupCode;
  const qr = await api.get(`/stores/${store()}/reservations/${result.data.pickupCode}/qr`);
  $('qr').innerHTML = qr.ok ? qr.data : '';
  const svg = $('qr').querySelector('svg');
  if (svg) {
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', i18n.t('qrAlt', { code: result.data.pickupCode }));
  }

  show('pickup');
});

// --- my reservations and loans ---------------------------------------------------------------------------------
async function loadMine() {
  const [result, items] = await Promise.all([
    api.get(`/residents/${state.residentId}/reservations`),
    state.items ? Promise.resolve(null) : api.get(`/stores/${store()}/items`),
  ]);
  if (!state.session) return null;
  if (items?.ok) state.items = items.data.items;
  if (!result.ok) {
    state.reservations = null;
    state.mineMessage = { problem: result.data };
  } else {
    state.reservations = result.data;
  }

  renderMine();
  return true;
}

function itemName(sku, storeId) {
  const item = storeId === store() || !storeId ? state.items?.find((i) => i.sku === sku) : null;
  return item ? name(item) : sku;
}

function renderMine() {
  $('mine-message').textContent = render_(state.mineMessage);
  $('mine-message').hidden = !state.mineMessage;
  const reservations = $('reservations');
  const loans = $('loans');
  reservations.replaceChildren();
  loans.replaceChildren();
  const data = state.reservations;
  if (!data) return;
  for (const r of data.reservations) {
    const li = document.createElement('li');
    li.dataset.code = r.pickupCode;
    li.dataset.status = r.status;
    const text = document.createElement('div');
    const what = document.createElement('div');
    what.className = 'what';
    what.textContent = r.lines.map((l) => `${itemName(l.sku, r.storeId)} × ${l.quantity}`).join(', ');
    const meta = document.createElement('div');
    meta.className = 'meta';
    const parts = [`${i18n.t('pickupTitle')} ${r.pickupCode}`, i18n.t(`status_${r.status}`), `${r.heldPoints} ${i18n.t('points')}`];
    if (r.status === 'open') parts.push(i18n.t('pickupBy', { date: instant(r.expiresAt) }));
    meta.textContent = parts.join(' · ');
    text.append(what, meta);
    li.append(text);
    if (r.status === 'open' && r.storeId === store()) {
      const cancel = document.createElement('button');
      cancel.className = 'cancel';
      cancel.textContent = i18n.t('cancelReservation');
      cancel.setAttribute('aria-label', `${i18n.t('cancelReservation')} ${r.pickupCode}`);
      cancel.addEventListener('click', () => cancelReservation(r.pickupCode, cancel));
      li.append(cancel);
    }

    reservations.append(li);
  }

  if (data.reservations.length === 0) reservations.innerHTML = `<li>${i18n.t('noneYet')}</li>`;
  for (const l of data.loans) {
    const li = document.createElement('li');
    li.textContent = `${itemName(l.sku, l.storeId)} × ${l.quantity} · ${l.returnedAt ? i18n.t('returned') : i18n.t('due', { date: new Date(l.dueAt).toLocaleDateString(i18n.lang === 'zh' ? 'zh-CN' : 'en-GB') })}`;
    loans.append(li);
  }

  if (data.loans.length === 0) loans.innerHTML = `<li>${i18n.t('noneYet')}</li>`;
}

// Cancelling is safe to repeat: the key is per reservation code, so a retry after a lost answer cancels once.
async function cancelReservation(code, button) {
  button.disabled = true;
  const result = await api.post(`/stores/${store()}/reservations/${code}/cancel`, {}, { 'Idempotency-Key': `kiosk-cancel-${state.residentId}-${code}` });
  if (!state.session) return;
  button.disabled = false;
  state.mineMessage = result.ok ? { key: 'cancelled', vars: { code } } : { problem: result.data };
  await loadMine();
  const resident = await api.get(`/residents/${state.residentId}`);
  if (resident.ok) state.resident = resident.data;
}

// --- idle sign-out: a visible countdown for the last 15 seconds, with 继续使用 -------------------------------------
function touch() {
  clearTimeout(state.idle);
  clearTimeout(state.warn);
  clearInterval(state.tick);
  state.tick = null;
  state.warnUntil = null;
  renderIdle();
  if (!state.session) return;
  state.idle = setTimeout(() => signOut(), IDLE_SECONDS * 1000);
  state.warn = setTimeout(() => {
    state.warnUntil = Date.now() + WARN_SECONDS * 1000;
    renderIdle();
    $('idle-continue').focus();
    state.tick = setInterval(renderIdle, 1000);
  }, (IDLE_SECONDS - WARN_SECONDS) * 1000);
}

function renderIdle() {
  const on = !!state.warnUntil && !!state.session;
  $('idle-warning').hidden = !on;
  if (on) $('idle-text').textContent = i18n.t('idleCountdown', { n: Math.max(0, Math.ceil((state.warnUntil - Date.now()) / 1000)) });
}

for (const type of ['pointerdown', 'keydown']) document.addEventListener(type, () => { if (state.session) touch(); else signinIdle(); }, { capture: true });
$('idle-continue').addEventListener('click', () => touch());

// On the sign-in screen a half-typed card, a PIN or a refusal (e.g. a lock-out) does not wait for the next person.
function signinIdle() {
  clearTimeout(state.signinIdle);
  state.signinIdle = setTimeout(() => { if (!state.session) clearSignin(); }, IDLE_SECONDS * 1000);
}

function clearSignin() {
  $('card').value = '';
  $('pin').value = '';
  state.signinMessage = null;
  $('signin-error').textContent = '';
  toggleLetters(false);
  if (i18n.lang !== 'zh') i18n.set('zh');
  if (state.view === 'signin') focusField('card');
}

// Everything of one resident goes at sign-out or timeout: session, names, balances, cart, pickup code, lists,
// messages and the language (back to Chinese); the screens are emptied, not just hidden.
async function signOut({ expired = false } = {}) {
  clearTimeout(state.idle);
  clearTimeout(state.warn);
  clearInterval(state.tick);
  const session = state.session;
  Object.assign(state, fresh(), { warnUntil: null, homeMessage: null });
  if (session) {
    try { await raw.call('DELETE', '/kiosk/sessions/current', undefined, { 'X-Resident-Session': session }); } catch { /* the session expires anyway */ }
  }

  governance.reset();
  for (const id of ['welcome', 'available', 'held', 'pending', 'expiring', 'tier', 'stars', 'pickup-code', 'qr', 'catalog', 'cart-lines',
    'goods-error', 'goods-balance', 'reservations', 'loans', 'mine-message', 'home-error', 'idle-text']) $(id).replaceChildren();
  $('cart-total').textContent = '0';
  $('mine-message').hidden = true;
  clearSignin();
  if (expired) {
    state.signinMessage = { key: 'signedOutExpired' };
    $('signin-error').textContent = render_(state.signinMessage);
  }

  renderIdle();
  show('signin');
}

// --- read aloud: the current screen's key line, where the device has a voice ---------------------------------------
const synth = 'speechSynthesis' in window ? window.speechSynthesis : null;
function voiceFor(lang) {
  const voices = synth?.getVoices() ?? [];
  return voices.find((v) => v.lang?.toLowerCase().startsWith(lang)) ?? null;
}

function updateSpeak() { $('speak').hidden = !voiceFor(i18n.lang === 'zh' ? 'zh' : 'en'); }

function keyLine() {
  if (!$('idle-warning').hidden) return $('idle-text').textContent;
  const section = $(state.view);
  const error = section?.querySelector('.error:not(:empty), .notice:not([hidden]):not(:empty)');
  const parts = [];
  if (state.view === 'home') parts.push($('welcome').textContent, `${i18n.t('available')} ${$('available').textContent}`, `${i18n.t('held')} ${$('held').textContent}`);
  else if (state.view === 'goods') parts.push($('goods-balance').textContent, `${i18n.t('total')} ${$('cart-total').textContent} ${i18n.t('points')}`);
  else if (state.view === 'pickup') parts.push(i18n.t('pickupTitle'), [...$('pickup-code').textContent].join(' '), i18n.t('pickupHint'));
  else parts.push(section?.querySelector('h2')?.textContent ?? '');
  if (error) parts.push(error.textContent);
  return parts.filter(Boolean).join('. ');
}

$('speak').addEventListener('click', () => {
  const voice = voiceFor(i18n.lang === 'zh' ? 'zh' : 'en');
  if (!synth || !voice) return;
  synth.cancel();
  const u = new SpeechSynthesisUtterance(keyLine());
  u.voice = voice;
  u.lang = voice.lang;
  u.rate = 0.9;
  synth.speak(u);
});

if (synth) synth.addEventListener?.('voiceschanged', updateSpeak);

// --- setup and language ----------------------------------------------------------------------------------------
$('setup-save').addEventListener('click', () => {
  localStorage.setItem('kioskKey', $('setup-key').value.trim());
  localStorage.setItem('storeId', $('setup-store').value.trim());
  show('signin');
});

$('lang').addEventListener('click', () => i18n.set(i18n.lang === 'zh' ? 'en' : 'zh'));
i18n.onChange(() => { render(); updateSpeak(); });
localStorage.removeItem('lang');
i18n.apply();
updateSpeak();
show(localStorage.getItem('kioskKey') && store() ? 'signin' : 'setup');
