// 取货核销 (the counter): a typed or scanned pickup code first shows who (masked), what, the held points and the
// deadline; only then 确认交付 / 确认归还. A code already handed over says when and by whom. The API decides all of it.
import { problemText } from '../common/api.js';

export const counterDictionary = {
  zh: {
    lookup: '查询', fulfil: '确认交付', returnLoan: '确认归还', printSlip: '打印取货单',
    pickupSummary: '居民 {name} · 取货码 {code} · 冻结 {points} 分 · 取货截止 {deadline} · {status}',
    res_open: '待取货', res_fulfilled: '已交付', res_cancelled: '已取消', res_expired: '已过期',
    handedOver: '已核销: 已交付给 {name} — {goods}', alreadyHandedOver: '已交付: 已于 {at} 由 {by} 交付, 请勿重复交付',
    notOpen: '该预约{status}, 不能交付', returned: '已归还: {name} 的 {goods}', noLoansOpen: '借用物品均已归还',
    loanLine: '{item} × {quantity} · 应还 {due}', loanOverdue: '已逾期', loanReturned: '已于 {at} 归还',
    slipTitle: '积分超市取货单', slipResident: '居民', slipDeadline: '取货截止', slipPoints: '所用积分',
  },
  en: {
    lookup: 'Look up', fulfil: 'Confirm hand-over', returnLoan: 'Confirm return', printSlip: 'Print pickup slip',
    pickupSummary: 'Resident {name} · code {code} · {points} points held · pick up by {deadline} · {status}',
    res_open: 'waiting for pickup', res_fulfilled: 'handed over', res_cancelled: 'cancelled', res_expired: 'expired',
    handedOver: 'Handed over to {name}: {goods}', alreadyHandedOver: 'Already handed over on {at} by {by}: do not hand over again',
    notOpen: 'This reservation is {status}: nothing to hand over', returned: 'Returned: {goods} of {name}', noLoansOpen: 'Everything lent has come back',
    loanLine: '{item} × {quantity} · due {due}', loanOverdue: 'overdue', loanReturned: 'returned {at}',
    slipTitle: 'Points mall pickup slip', slipResident: 'Resident', slipDeadline: 'Pick up by', slipPoints: 'Points',
  },
};

export function initCounter({ api, i18n, $, store, nameOf }) {
  const counter = { view: null, qr: '', message: null, timer: null };
  const when = (instant) => new Date(instant).toLocaleString(i18n.lang === 'zh' ? 'zh-CN' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' });
  // A scanned QR reads "incentives:{store}:{code}"; a typed code is the code.
  const code = () => $('pickup-code').value.trim().split(':').pop().toUpperCase();
  const goods = (v) => (v.items ?? []).map((l) => `${nameOf(l)} × ${l.quantity}`).join(i18n.lang === 'zh' ? '、' : ', ');
  const loanItem = (sku) => nameOf(counter.view?.items?.find((l) => l.sku === sku) ?? { nameZh: sku, nameEn: sku });

  function say(text, kind = '') {
    counter.message = { text, kind };
    $('pickup-result').textContent = text;
    $('pickup-result').className = kind;
  }

  async function lookup() {
    clearTimeout(counter.timer);
    const value = code();
    if (!value) return;
    const result = await api.get(`/stores/${store()}/reservations/${encodeURIComponent(value)}`);
    if (!result.ok) {
      counter.view = null;
      render();
      say(problemText(result.data, i18n.lang), 'error');
      return;
    }

    counter.view = result.data;
    const qr = await api.get(`/stores/${store()}/reservations/${encodeURIComponent(value)}/qr`);
    counter.qr = qr.ok && typeof qr.data === 'string' ? qr.data : '';
    render();
    const v = counter.view;
    if (v.status === 'fulfilled') say(i18n.t('alreadyHandedOver', { at: when(v.fulfilledAt), by: v.fulfilledByName ?? v.fulfilledBy ?? '' }), 'warn');
    else if (v.status !== 'open') say(i18n.t('notOpen', { status: i18n.t(`res_${v.status}`) }), 'warn');
    else say('');
  }

  function render() {
    const v = counter.view;
    $('pickup-detail').hidden = !v;
    $('fulfil').disabled = !v || v.status !== 'open';
    $('return').disabled = !v || !(v.loans ?? []).some((l) => !l.returnedAt);
    if (!v) { $('pickup-slip').replaceChildren(); return; }
    $('pickup-summary').textContent = i18n.t('pickupSummary', {
      name: v.residentName, code: v.pickupCode, points: v.heldPoints, deadline: when(v.expiresAt), status: i18n.t(`res_${v.status}`),
    });
    $('pickup-lines').replaceChildren(...(v.items ?? []).map((l) => row([nameOf(l), l.quantity, l.unitPrice * l.quantity])));
    $('pickup-loans').replaceChildren(...(v.loans ?? []).map((l) => {
      const li = document.createElement('li');
      li.textContent = i18n.t('loanLine', { item: loanItem(l.sku), quantity: l.quantity, due: when(l.dueAt) });
      const state = document.createElement('span');
      if (l.returnedAt) { state.textContent = ` · ${i18n.t('loanReturned', { at: when(l.returnedAt) })}`; }
      else if (Date.parse(l.dueAt) < Date.now()) { state.textContent = i18n.t('loanOverdue'); state.className = 'overdue'; }
      li.append(state);
      return li;
    }));
    renderSlip(v);
  }

  function renderSlip(v) {
    const slip = $('pickup-slip');
    const title = document.createElement('h2');
    title.textContent = i18n.t('slipTitle');
    const codeLine = document.createElement('p');
    codeLine.className = 'code';
    codeLine.textContent = v.pickupCode;
    const qr = document.createElement('div');
    qr.className = 'qr';
    qr.innerHTML = counter.qr; // the service's own SVG
    const facts = document.createElement('p');
    facts.textContent = `${i18n.t('slipResident')}: ${v.residentName} · ${i18n.t('slipDeadline')}: ${when(v.expiresAt)} · ${i18n.t('slipPoints')}: ${v.heldPoints}`;
    const table = document.createElement('table');
    table.append(row([i18n.t('item'), i18n.t('quantity')], 'th'), ...(v.items ?? []).map((l) => row([nameOf(l), l.quantity])));
    slip.replaceChildren(title, codeLine, qr, facts, table);
  }

  function row(cells, tag = 'td') {
    const tr = document.createElement('tr');
    for (const text of cells) {
      const cell = document.createElement(tag);
      cell.textContent = text;
      tr.append(cell);
    }
    return tr;
  }

  $('pickup-form').addEventListener('submit', (event) => { event.preventDefault(); lookup(); });
  // A scanner types the code and Enter; a typed six-character code is looked up as it completes.
  $('pickup-code').addEventListener('input', () => {
    counter.view = null;
    render();
    say('');
    clearTimeout(counter.timer);
    if (code().length >= 6) counter.timer = setTimeout(lookup, 200);
  });

  $('fulfil').addEventListener('click', async () => {
    const v = counter.view;
    if (!v || v.status !== 'open') return;
    $('fulfil').disabled = true;
    const result = await api.post(`/stores/${store()}/reservations/${encodeURIComponent(v.pickupCode)}/fulfil`);
    if (!result.ok) {
      // A 409 already-fulfilled names when and by whom: shown as the API says it.
      say(problemText(result.data, i18n.lang), result.data?.code === 'already-fulfilled' ? 'warn' : 'error');
      await refresh();
      return;
    }
    await refresh();
    say(i18n.t('handedOver', { name: v.residentName, goods: goods(v) }));
  });

  $('return').addEventListener('click', async () => {
    const v = counter.view;
    if (!v) return;
    const open = (v.loans ?? []).filter((l) => !l.returnedAt);
    const result = await api.post(`/stores/${store()}/reservations/${encodeURIComponent(v.pickupCode)}/return`);
    await refresh();
    say(result.ok ? (open.length ? i18n.t('returned', { name: v.residentName, goods: open.map((l) => `${loanItem(l.sku)} × ${l.quantity}`).join('、') }) : i18n.t('noLoansOpen'))
      : problemText(result.data, i18n.lang), result.ok ? '' : 'error');
  });

  $('pickup-print').addEventListener('click', () => window.print());

  async function refresh() {
    const v = counter.view;
    if (!v) return;
    const again = await api.get(`/stores/${store()}/reservations/${encodeURIComponent(v.pickupCode)}`);
    if (again.ok) counter.view = again.data;
    render();
  }

  return {
    rerender() {
      render();
      if (counter.message) say(counter.message.text, counter.message.kind);
    },
  };
}
