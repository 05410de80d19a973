import { createI18n } from '../common/i18n.js';
import { Api, problemText, newKey } from '../common/api.js';
import { governanceDictionary, setupGovernance } from './governance.js';

const dictionary = {
  zh: {
    title: '积分超市', switchLang: 'English', setupTitle: '终端设置', setupHint: '请管理员输入终端密钥和超市编号。', kioskKey: '终端密钥',
    storeId: '超市编号', save: '保存', signInTitle: '请刷卡或输入卡号', cardNumber: '卡号', pin: '密码', clear: '清除', backspace: '退格',
    signIn: '登录', available: '可用积分', pending: '待公示积分', expiring: '90 天内到期', tier: '信用等级', stars: '志愿星级',
    goods: '兑换商品', myReservations: '我的预约与借用', signOut: '退出', cart: '已选商品', total: '合计', points: '分', reserve: '预约兑换',
    backHome: '返回首页', pickupTitle: '取货码', pickupHint: '请凭取货码到柜台取货, 48 小时内有效。', myLoans: '借用物品',
    idleHint: '60 秒无操作将自动退出', welcome: '{name}, 您好', kind_goods: '商品', kind_service: '服务券', kind_loan: '信用借还',
    left: '剩余 {n}', add: '加入', needsTier: '需 {tier} 级', noStars: '暂无', emptyCart: '还没有选商品', noneYet: '暂无记录',
    status_open: '待取货', status_fulfilled: '已取货', status_cancelled: '已取消', status_expired: '已过期', due: '应还 {date}',
    returned: '已归还', enterCardAndPin: '请输入卡号和密码', unrated: '未授权',
  },
  en: {
    title: 'Points Supermarket', switchLang: '中文', setupTitle: 'Kiosk setup', setupHint: 'An administrator enters the kiosk key and the store id.',
    kioskKey: 'Kiosk key', storeId: 'Store id', save: 'Save', signInTitle: 'Tap your card or type its number', cardNumber: 'Card number',
    pin: 'PIN', clear: 'Clear', backspace: 'Delete', signIn: 'Sign in', available: 'Points available', pending: 'Points pending',
    expiring: 'Expiring in 90 days', tier: 'Credit tier', stars: 'Volunteer stars', goods: 'Redeem goods', myReservations: 'My reservations and loans',
    signOut: 'Sign out', cart: 'Your selection', total: 'Total', points: 'points', reserve: 'Reserve', backHome: 'Back to home',
    pickupTitle: 'Pickup code', pickupHint: 'Show this code at the counter within 48 hours.', myLoans: 'Borrowed items',
    idleHint: 'Signs out after 60 seconds without a touch', welcome: 'Hello, {name}', kind_goods: 'Goods', kind_service: 'Service vouchers',
    kind_loan: 'Borrow on credit', left: '{n} left', add: 'Add', needsTier: 'Tier {tier}+', noStars: 'None yet', emptyCart: 'Nothing selected yet',
    noneYet: 'Nothing yet', status_open: 'Ready for pickup', status_fulfilled: 'Picked up', status_cancelled: 'Cancelled', status_expired: 'Expired',
    due: 'Due {date}', returned: 'Returned', enterCardAndPin: 'Enter your card number and PIN', unrated: 'Not rated',
  },
};

Object.assign(dictionary.zh, governanceDictionary.zh);
Object.assign(dictionary.en, governanceDictionary.en);
const i18n = createI18n(dictionary, localStorage.getItem('lang') || 'zh');
const $ = (id) => document.getElementById(id);
const IDLE_SECONDS = 60;

// The kiosk key and store are configured once per device: /kiosk/?key=…&store=… (then removed from the address bar).
const params = new URLSearchParams(location.search);
if (params.get('key') && params.get('store')) {
  localStorage.setItem('kioskKey', params.get('key'));
  localStorage.setItem('storeId', params.get('store'));
  history.replaceState(null, '', location.pathname);
}

const state = { session: null, residentId: null, resident: null, offers: [], cart: new Map(), pin: '', idle: null, pickup: null };
const api = new Api(() => ({
  'X-Api-Key': localStorage.getItem('kioskKey') ?? '',
  ...(state.session ? { 'X-Resident-Session': state.session } : {}),
}));
const store = () => localStorage.getItem('storeId');
const governance = setupGovernance({ api, i18n, state, show: (id) => show(id), problemText, newKey, $: (id) => document.getElementById(id) });
const name = (item) => (i18n.lang === 'zh' ? item.nameZh : item.nameEn);

function show(id) {
  for (const section of document.querySelectorAll('main > section')) section.hidden = section.id !== id;
  state.view = id;
}

function render() {
  if (state.resident) renderHome();
  if (state.view === 'goods') renderGoods();
  if (state.view === 'mine') loadMine();
  governance.render();
}

// --- sign in ---------------------------------------------------------------------------------------------------
function renderPin() { $('pin-dots').textContent = '●'.repeat(state.pin.length); }

$('keypad').addEventListener('click', (event) => {
  const key = event.target.dataset?.key;
  if (!key) return;
  if (key === 'clear') state.pin = '';
  else if (key === 'back') state.pin = state.pin.slice(0, -1);
  else if (state.pin.length < 8) state.pin += key;
  renderPin();
});

$('signin-btn').addEventListener('click', async () => {
  const card = $('card').value.trim();
  if (!card || !state.pin) {
    $('signin-error').textContent = i18n.t('enterCardAndPin');
    return;
  }

  const result = await api.post('/kiosk/sessions', { cardNumber: card, pin: state.pin });
  state.pin = '';
  renderPin();
  if (!result.ok) {
    $('signin-error').textContent = problemText(result.data, i18n.lang);
    return;
  }

  $('signin-error').textContent = '';
  $('card').value = '';
  state.session = result.data.token;
  state.residentId = result.data.residentId;
  await loadHome();
});

// --- home ------------------------------------------------------------------------------------------------------
async function loadHome() {
  const result = await api.get(`/residents/${state.residentId}`);
  if (!result.ok) return signOut();
  state.resident = result.data;
  renderHome();
  show('home');
  touch(); // the idle clock starts at sign-in, not at the next touch
}

function renderHome() {
  const r = state.resident;
  $('welcome').textContent = i18n.t('welcome', { name: r.displayName });
  $('available').textContent = r.balance.available;
  $('pending').textContent = r.balance.pending;
  $('expiring').textContent = r.expiringIn90Days;
  $('tier-tile').hidden = !r.credit.rated; // the tier is shown only to residents who consented to credit scoring
  $('tier').textContent = r.credit.rated ? r.credit.tier : '';
  $('stars').textContent = r.stars > 0 ? '★'.repeat(r.stars) : i18n.t('noStars');
}

$('go-goods').addEventListener('click', async () => {
  const result = await api.get(`/stores/${store()}/offers/${state.residentId}`);
  if (!result.ok) return;
  state.offers = result.data.items;
  $('goods-error').textContent = '';
  renderGoods();
  show('goods');
});

$('go-mine').addEventListener('click', async () => { await loadMine(); show('mine'); });
$('go-governance').addEventListener('click', () => governance.open());
$('signout').addEventListener('click', () => signOut());
for (const button of document.querySelectorAll('.home-btn')) button.addEventListener('click', () => loadHome());

// --- goods and cart --------------------------------------------------------------------------------------------
function renderGoods() {
  const catalog = $('catalog');
  catalog.replaceChildren();
  for (const kind of ['goods', 'service', 'loan']) {
    const items = state.offers.filter((o) => o.kind === kind);
    if (items.length === 0) continue;
    const group = document.createElement('div');
    group.className = 'kind';
    group.innerHTML = `<h3>${i18n.t(`kind_${kind}`)}</h3>`;
    for (const item of items) {
      const row = document.createElement('div');
      row.className = 'item';
      row.dataset.sku = item.sku;
      const price = item.yourPrice < item.price
        ? `<span class="old">${item.price}</span> <strong>${item.yourPrice}</strong>`
        : `<strong>${item.yourPrice}</strong>`;
      const badge = item.minTier ? `<span class="badge">${i18n.t('needsTier', { tier: item.minTier })}</span>` : '';
      row.innerHTML = `<div><div class="name"></div><div>${price} ${i18n.t('points')} · ${i18n.t('left', { n: item.stock })} ${badge}</div></div>`;
      row.querySelector('.name').textContent = name(item);
      const add = document.createElement('button');
      add.textContent = i18n.t('add');
      add.className = 'add';
      add.disabled = !item.tierAllows || item.stock === 0;
      add.addEventListener('click', () => { state.cart.set(item.sku, (state.cart.get(item.sku) ?? 0) + 1); renderCart(); });
      row.append(add);
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
    total += item.yourPrice * quantity;
    const li = document.createElement('li');
    li.innerHTML = '<span></span><span></span>';
    li.firstChild.textContent = `${name(item)} × ${quantity}`;
    const remove = document.createElement('button');
    remove.textContent = '−';
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

$('reserve').addEventListener('click', async () => {
  const lines = [...state.cart].map(([sku, quantity]) => ({ sku, quantity }));
  const result = await api.post(`/stores/${store()}/reservations`, { residentId: state.residentId, lines }, { 'Idempotency-Key': newKey() });
  if (!result.ok) {
    $('goods-error').textContent = problemText(result.data, i18n.lang);
    return;
  }

  state.cart.clear();
  $('pickup-code').textContent = result.data.pickupCode;
  const qr = await api.get(`/stores/${store()}/reservations/${result.data.pickupCode}/qr`);
  $('qr').innerHTML = qr.ok ? qr.data : '';
  show('pickup');
});

// --- my reservations and loans ---------------------------------------------------------------------------------
async function loadMine() {
  const result = await api.get(`/residents/${state.residentId}/reservations`);
  if (!result.ok) return;
  const reservations = $('reservations');
  reservations.replaceChildren();
  for (const r of result.data.reservations) {
    const li = document.createElement('li');
    li.textContent = `${r.pickupCode} · ${i18n.t(`status_${r.status}`)} · ${r.heldPoints} ${i18n.t('points')}`;
    reservations.append(li);
  }

  if (result.data.reservations.length === 0) reservations.innerHTML = `<li>${i18n.t('noneYet')}</li>`;
  const loans = $('loans');
  loans.replaceChildren();
  for (const l of result.data.loans) {
    const li = document.createElement('li');
    li.textContent = `${l.sku} × ${l.quantity} · ${l.returnedAt ? i18n.t('returned') : i18n.t('due', { date: new Date(l.dueAt).toLocaleDateString(i18n.lang === 'zh' ? 'zh-CN' : 'en-GB') })}`;
    loans.append(li);
  }

  if (result.data.loans.length === 0) loans.innerHTML = `<li>${i18n.t('noneYet')}</li>`;
}

// --- idle sign-out ---------------------------------------------------------------------------------------------
function touch() {
  clearTimeout(state.idle);
  if (state.session) state.idle = setTimeout(() => signOut(), IDLE_SECONDS * 1000);
}

for (const type of ['pointerdown', 'keydown']) document.addEventListener(type, touch, { capture: true });

async function signOut() {
  clearTimeout(state.idle);
  if (state.session) await api.del('/kiosk/sessions/current');
  Object.assign(state, { session: null, residentId: null, resident: null, offers: [], pin: '' });
  state.cart.clear();
  governance.reset();
  renderPin();
  show('signin');
}

// --- setup and language ----------------------------------------------------------------------------------------
$('setup-save').addEventListener('click', () => {
  localStorage.setItem('kioskKey', $('setup-key').value.trim());
  localStorage.setItem('storeId', $('setup-store').value.trim());
  show('signin');
});

$('lang').addEventListener('click', () => i18n.set(i18n.lang === 'zh' ? 'en' : 'zh'));
i18n.onChange(render);
i18n.apply();
show(localStorage.getItem('kioskKey') && store() ? 'signin' : 'setup');
