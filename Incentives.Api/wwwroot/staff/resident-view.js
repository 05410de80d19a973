// 居民 (the staff resident view): search results as buttons, the statement with paging, date and kind filters and a
// CSV export, reversal with a chosen reason after a confirmation, manual adjustments (一事一议), the resident's
// reservations and loans, credit records and consent. Every number comes from the API.
import { problemText, newKey } from '../common/api.js';

const PAGE = 20;
const KINDS = ['award', 'deduction', 'reversal', 'adjustment', 'redemption', 'expiry'];
const REVERSIBLE = new Set(['award', 'deduction', 'adjustment']);

export const residentDictionary = {
  zh: {
    from: '起始日期', to: '截止日期', filter: '筛选', exportCsv: '导出 CSV', allKinds: '全部类型', colBy: '记录人', prevPage: '上一页', nextPage: '下一页',
    pageOf: '第 {page} / {pages} 页 · 共 {total} 条', reverseTitle: '确认冲正', reasonMistake: '录入错误', reasonDuplicate: '重复录入',
    reasonWrongResident: '记错居民', reasonOther: '其他', reasonText: '说明 (选“其他”时必填)', reverseConfirm: '确认冲正', cancel: '取消',
    reverseWhat: '将冲正: {time} · {kind} {points} 分 · {detail}', reasonNeeded: '请填写冲正原因', reversedBy: '已于 {at} 由 {by} 冲正',
    reversesEntry: '冲正流水 {id}', adjustTitle: '一事一议 (手动调整积分)', adjustPoints: '分值 (可为负)', adjusted: '已调整 {points} 分, 流水 {id}',
    reservationsTitle: '预约与借用', creditRecordsTitle: '信用记录', noReservations: '没有预约', noLoans: '没有借用', noCredit: '没有信用记录',
    reservationLine: '取货码 {code} · {status} · {points} 分 · {goods} · 截止 {deadline}', loanLineView: '借用 {item} × {quantity} · 应还 {due}',
    consentHistoryTitle: '信用评价同意记录', consentLineGranted: '{at} 同意 · 经办 {by}', consentLineRevoked: '{at} 撤回同意 · 经办 {by}', noConsents: '没有同意记录',
    creditLine: '{kind} {delta} · {reason} · 有效至 {validTo}', credit_indicator: '指标', credit_manual: '一事一议', credit_reversal: '冲正',
    credit_repair: '信用修复', credit_grading: '直接评级', consentGranted: '信用评价: 已同意 (自 {since}, 经办 {by})',
    consentRevoked: '信用评价: 已撤回同意 (自 {since})', consentNever: '信用评价: 未表示同意', notFoundResident: '未找到该居民',
    csvHeader: '流水号,时间,类型,指标,分值,未扣,说明,原因,记录人,冲正流水,冲正时间,冲正人',
  },
  en: {
    from: 'From', to: 'To', filter: 'Filter', exportCsv: 'Export CSV', allKinds: 'All kinds', colBy: 'Recorded by', prevPage: 'Previous', nextPage: 'Next',
    pageOf: 'Page {page} of {pages} · {total} lines', reverseTitle: 'Confirm reversal', reasonMistake: 'Recorded by mistake', reasonDuplicate: 'Recorded twice',
    reasonWrongResident: 'Wrong resident', reasonOther: 'Other', reasonText: 'Details (required for “Other”)', reverseConfirm: 'Reverse it', cancel: 'Cancel',
    reverseWhat: 'To be reversed: {time} · {kind} {points} points · {detail}', reasonNeeded: 'Give the reason for the reversal', reversedBy: 'Reversed {at} by {by}',
    reversesEntry: 'Reverses entry {id}', adjustTitle: 'Manual adjustment (一事一议)', adjustPoints: 'Points (may be negative)', adjusted: 'Adjusted {points} points: entry {id}',
    reservationsTitle: 'Reservations and loans', creditRecordsTitle: 'Credit records', noReservations: 'No reservations', noLoans: 'Nothing lent', noCredit: 'No credit records',
    reservationLine: 'Code {code} · {status} · {points} points · {goods} · by {deadline}', loanLineView: 'Lent {item} × {quantity} · due {due}',
    consentHistoryTitle: 'Consent to credit scoring', consentLineGranted: '{at} consented · recorded by {by}', consentLineRevoked: '{at} withdrew consent · recorded by {by}',
    noConsents: 'No consent recorded',
    creditLine: '{kind} {delta} · {reason} · valid to {validTo}', credit_indicator: 'indicator', credit_manual: 'manual', credit_reversal: 'reversal',
    credit_repair: 'repair', credit_grading: 'grading', consentGranted: 'Credit scoring: consented (since {since}, recorded by {by})',
    consentRevoked: 'Credit scoring: consent withdrawn (since {since})', consentNever: 'Credit scoring: no consent given', notFoundResident: 'No such resident',
    csvHeader: 'Entry,When,Kind,Indicator,Points,Uncovered,Details,Reason,Recorded by,Reversal entry,Reversed at,Reversed by',
  },
};

export function initResidentView({ api, i18n, state, $, nameOf, chartSvg, community, zone }) {
  const view = { page: 1, filters: {}, reversing: null, adjustKey: newKey() };
  // Times as the community's wall clock (common/zone.js), whatever zone the desk's computer is set to.
  const when = (instant) => (instant ? zone.text(instant) : '');
  const day = (instant) => (instant ? zone.date(instant) : '');
  const itemName = (sku) => { const i = (state.items ?? []).find((x) => x.sku === sku); return i ? nameOf(i) : sku; };

  // --- search: results are buttons (Tab, ↓/↑ and Enter) ----------------------------------------------------------
  let searches = 0;
  $('search').addEventListener('input', async () => {
    const mine = ++searches;
    const result = await api.get(`/communities/${community()}/residents?q=${encodeURIComponent($('search').value)}`);
    // Only the latest answer is shown: an earlier one arriving late must not replace it (or take the focus away).
    if (!result.ok || mine !== searches) return;
    $('results').replaceChildren(...result.data.map((r) => {
      const li = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'result';
      button.textContent = `${r.displayName} (${r.id})`;
      button.dataset.id = r.id;
      button.addEventListener('click', () => open(r.id));
      li.append(button);
      return li;
    }));
  });
  $('search').addEventListener('keydown', (event) => {
    if (event.key === 'ArrowDown') { event.preventDefault(); $('results').querySelector('button')?.focus(); }
    if (event.key === 'Enter') { event.preventDefault(); $('results').querySelector('button')?.click(); }
  });
  $('results').addEventListener('keydown', (event) => {
    if (!['ArrowDown', 'ArrowUp'].includes(event.key)) return;
    event.preventDefault();
    const buttons = [...$('results').querySelectorAll('button')];
    const i = buttons.indexOf(document.activeElement);
    if (event.key === 'ArrowUp' && i <= 0) $('search').focus();
    else buttons[Math.min(buttons.length - 1, i + (event.key === 'ArrowDown' ? 1 : -1))]?.focus();
  });

  // --- the resident ----------------------------------------------------------------------------------------------
  async function open(id) {
    const [resident, chart, reservations, credit, consents] = await Promise.all([
      api.get(`/residents/${id}`), api.get(`/residents/${id}/points-by-category?months=12`), api.get(`/residents/${id}/reservations`),
      api.get(`/residents/${id}/credit-records`), api.get(`/residents/${id}/consent-history`), zone.load(),
    ]);
    if (!resident.ok) return;
    if (state.resident?.id !== id) { view.page = 1; view.filters = {}; $('statement-from').value = ''; $('statement-to').value = ''; $('statement-kind').value = ''; }
    state.resident = { ...resident.data, chart: chart.ok ? chart.data : [], reservations: reservations.ok ? reservations.data : { reservations: [], loans: [] },
      creditRecords: credit.ok ? credit.data : [], consents: consents.ok ? consents.data.changes : [] };
    $('award-resident').value = id;
    $('award-resident').dispatchEvent(new Event('change'));
    await loadStatement();
    $('detail').hidden = false;
  }

  function query(page, pageSize) {
    const q = new URLSearchParams({ page, pageSize });
    const f = view.filters;
    // Dates are the community's days: from the start of 'from' to the end of 'to'.
    if (f.from) q.set('from', zone.startOfDay(f.from));
    if (f.to) q.set('to', zone.startOfNextDay(f.to));
    if (f.kind) q.set('kind', f.kind);
    return q.toString();
  }

  async function loadStatement() {
    const r = state.resident;
    const result = await api.get(`/residents/${r.id}/statement?${query(view.page, PAGE)}`);
    r.statement = result.ok ? result.data : { items: [], page: 1, pageSize: PAGE, total: 0 };
    render();
  }

  function render() {
    renderKinds();
    const r = state.resident;
    if (!r) return;
    $('detail-name').textContent = `${r.displayName} (${r.id})`;
    $('detail-summary').textContent = i18n.t('summary', {
      available: r.balance.available, reserved: r.balance.reserved, credit: r.credit.rated ? `${r.credit.tier} (${r.credit.score})` : i18n.t('unrated'), stars: r.stars,
    });
    $('detail-consent').textContent = !r.consent ? i18n.t('consentNever')
      : r.consent.granted ? i18n.t('consentGranted', { since: day(r.consent.since), by: r.consent.by }) : i18n.t('consentRevoked', { since: day(r.consent.since) });
    renderStatement();
    renderReservations();
    $('detail-credit').replaceChildren(...(r.creditRecords.length ? r.creditRecords.map((c) => li(i18n.t('creditLine', {
      kind: i18n.t(`credit_${c.kind}`), delta: c.delta > 0 ? `+${c.delta}` : c.delta, reason: c.reason ?? c.indicator ?? '', validTo: day(c.validTo),
    }))) : [li(i18n.t('noCredit'), 'empty')]));
    $('detail-consents').replaceChildren(...(r.consents.length ? r.consents.map((c) => li(i18n.t(c.granted ? 'consentLineGranted' : 'consentLineRevoked', {
      at: when(c.at), by: c.byName ?? c.by,
    }))) : [li(i18n.t('noConsents'), 'empty')]));
    $('chart').innerHTML = chartSvg(r.chart);
  }

  function renderStatement() {
    const s = state.resident.statement;
    $('statement').replaceChildren(...s.items.map((e) => {
      const tr = document.createElement('tr');
      tr.dataset.entry = e.entryId;
      if (e.reversedByEntry) tr.className = 'is-reversed';
      const detail = [e.explanation, e.reason && e.reason !== e.explanation ? e.reason : null, e.reverses ? i18n.t('reversesEntry', { id: e.reverses }) : null]
        .filter(Boolean).join(' · ');
      for (const text of [when(e.at), i18n.t(`kind_${e.kind}`), e.points, detail, e.recordedByName ?? e.recordedBy ?? '']) tr.append(cell(text));
      const action = document.createElement('td');
      if (e.reversedByEntry) {
        action.className = 'reversed-note';
        action.textContent = i18n.t('reversedBy', { at: when(e.reversedAt), by: e.reversedByName ?? e.reversedBy ?? '' });
      } else if (REVERSIBLE.has(e.kind)) {
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'reverse';
        button.textContent = i18n.t('reverse');
        button.addEventListener('click', () => askReversal(e, button));
        action.append(button);
      }
      tr.append(action);
      return tr;
    }));
    const pages = Math.max(1, Math.ceil(s.total / PAGE));
    $('statement-page').textContent = i18n.t('pageOf', { page: s.page, pages, total: s.total });
    $('statement-prev').disabled = s.page <= 1;
    $('statement-next').disabled = s.page >= pages;
  }

  function renderReservations() {
    const { reservations, loans } = state.resident.reservations;
    $('detail-reservations').replaceChildren(...(reservations.length ? reservations.map((x) => li(i18n.t('reservationLine', {
      code: x.pickupCode, status: i18n.t(`res_${x.status}`), points: x.heldPoints, deadline: when(x.expiresAt),
      goods: x.lines.map((l) => `${itemName(l.sku)} × ${l.quantity}`).join('、'),
    }))) : [li(i18n.t('noReservations'), 'empty')]));
    $('detail-loans').replaceChildren(...(loans.length ? loans.map((l) => {
      const item = li(i18n.t('loanLineView', { item: itemName(l.sku), quantity: l.quantity, due: day(l.dueAt) }));
      const state = document.createElement('span');
      if (l.returnedAt) state.textContent = ` · ${i18n.t('loanReturned', { at: day(l.returnedAt) })}`;
      else if (Date.parse(l.dueAt) < Date.now()) { state.textContent = i18n.t('loanOverdue'); state.className = 'overdue'; }
      item.append(state);
      return item;
    }) : [li(i18n.t('noLoans'), 'empty')]));
  }

  function renderKinds() {
    const select = $('statement-kind');
    const selected = select.value;
    select.replaceChildren(new Option(i18n.t('allKinds'), ''), ...KINDS.map((k) => new Option(i18n.t(`kind_${k}`), k)));
    select.value = selected;
  }

  const cell = (text) => { const td = document.createElement('td'); td.textContent = text; return td; };
  const li = (text, className = '') => { const item = document.createElement('li'); item.textContent = text; item.className = className; return item; };

  $('statement-filter').addEventListener('submit', async (event) => {
    event.preventDefault();
    view.filters = { from: $('statement-from').value, to: $('statement-to').value, kind: $('statement-kind').value };
    view.page = 1;
    await loadStatement();
  });
  $('statement-prev').addEventListener('click', async () => { view.page = Math.max(1, view.page - 1); await loadStatement(); });
  $('statement-next').addEventListener('click', async () => { view.page += 1; await loadStatement(); });

  // --- CSV: every page of the current filters, UTF-8 with a BOM so Excel reads the Chinese -------------------------
  $('statement-csv').addEventListener('click', async () => {
    const r = state.resident;
    const rows = [i18n.t('csvHeader')];
    for (let page = 1; ; page++) {
      const result = await api.get(`/residents/${r.id}/statement?${query(page, 500)}`);
      if (!result.ok) break;
      for (const e of result.data.items) {
        // Times in the community's zone to the second, as a spreadsheet user reads them (not 7-digit UTC fractions).
        rows.push([e.entryId, zone.seconds(e.at), i18n.t(`kind_${e.kind}`), e.indicator, e.points, e.uncovered, e.explanation, e.reason, e.recordedByName ?? e.recordedBy,
          e.reversedByEntry, e.reversedAt ? zone.seconds(e.reversedAt) : '', e.reversedByName ?? e.reversedBy].map(csv).join(','));
      }
      if (page * 500 >= result.data.total) break;
    }
    const blob = new Blob(['\uFEFF', rows.join('\r\n'), '\r\n'], { type: 'text/csv;charset=utf-8' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `statement-${r.id}.csv`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  });
  const csv = (v) => { const s = v === null || v === undefined ? '' : String(v); return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s; };

  // --- reversal: confirm what, and why --------------------------------------------------------------------------
  function askReversal(entry, opener) {
    view.reversing = { entry, opener, key: newKey() };
    $('reverse-what').textContent = i18n.t('reverseWhat', {
      time: when(entry.at), kind: i18n.t(`kind_${entry.kind}`), points: entry.points > 0 ? `+${entry.points}` : entry.points, detail: entry.explanation ?? '',
    });
    $('reverse-reason').value = '录入错误';
    $('reverse-text').value = '';
    $('reverse-error').textContent = '';
    $('reverse-dialog').showModal();
    $('reverse-reason').focus();
  }

  function closeReversal() {
    $('reverse-dialog').close();
    view.reversing?.opener?.isConnected && view.reversing.opener.focus();
    view.reversing = null;
  }

  $('reverse-cancel').addEventListener('click', closeReversal);
  $('reverse-dialog').addEventListener('cancel', () => { view.reversing = null; });
  $('reverse-form').addEventListener('submit', (event) => { event.preventDefault(); $('reverse-confirm').click(); });
  $('reverse-confirm').addEventListener('click', async () => {
    const r = view.reversing;
    if (!r) return;
    const choice = $('reverse-reason').value;
    const text = $('reverse-text').value.trim();
    if (choice === 'other' && !text) { $('reverse-error').textContent = i18n.t('reasonNeeded'); $('reverse-text').focus(); return; }
    const reason = choice === 'other' ? text : text ? `${choice}: ${text}` : choice;
    const result = await api.post(`/entries/${r.entry.entryId}/reversal`, { reason }, { 'Idempotency-Key': r.key });
    if (!result.ok) { $('reverse-error').textContent = problemText(result.data, i18n.lang); return; }
    $('reverse-dialog').close();
    view.reversing = null;
    $('reverse-result').textContent = i18n.t('reversed', { id: result.data.entryId });
    $('reverse-result').className = '';
    await open(state.resident.id);
  });

  // --- manual adjustment (一事一议) -------------------------------------------------------------------------------
  for (const id of ['adjust-points', 'adjust-reason']) $(id).addEventListener('input', () => { view.adjustKey = newKey(); });
  $('adjust-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = { points: Number($('adjust-points').value), reason: $('adjust-reason').value.trim() };
    const result = await api.post(`/residents/${state.resident.id}/adjustments`, body, { 'Idempotency-Key': view.adjustKey });
    $('adjust-result').textContent = result.ok ? i18n.t('adjusted', { points: result.data.points, id: result.data.entryId }) : problemText(result.data, i18n.lang);
    $('adjust-result').className = result.ok ? '' : 'error';
    if (result.ok) {
      view.adjustKey = newKey();
      $('adjust-points').value = '';
      $('adjust-reason').value = '';
      await open(state.resident.id);
    }
  });

  renderKinds();
  return { open, rerender: render };
}
