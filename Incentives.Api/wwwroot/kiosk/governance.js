// 公示与复核 at the kiosk: the resident's own records awaiting confirmation, the community's posting board with an
// objection per item, the resident's deductions and negative manual credit records with an appeal each, and the
// resident's appeals with their answer dates. Every rule (who may object, the 7-day appeal window,
// due dates) is the API's; refusals are shown from its messageZh / detail.
export const governanceDictionary = {
  zh: {
    govButton: '公示与复核', myRecordsTitle: '我的待确认记录', boardTitle: '本社区公示', deductionsTitle: '我的扣分', appealsTitle: '我的复核申请',
    objectHint: '公示期内, 本社区居民可对公示提出异议', appealHint: '扣分确认后 7 天内可申请复核; 复核期间该记录暂不计入信用',
    creditPoints: '信用分', creditUnavailable: '信用记录暂时无法显示, 请稍后再试', chooseReason: '请选择理由', reasonDetail: '补充说明 (选"其他"时必填)',
    submit: '提交', cancel: '取消', word_award: '加分', word_deduction: '扣分', word_record: '记录',
    rec_submitted: '待审核', rec_pending: '公示中', rec_objected: '有异议 — 异议处理中', postingEnds: '公示截止 {date}',
    confirmsThen: '届时无异议即确认', afterReview: '审核通过后公示', object: '提出异议', appeal: '申请复核',
    objectTitle: '对这条公示提出异议', appealTitle: '对这次扣分申请复核', appealCreditTitle: '对信用记录申请复核', creditRecord: '信用记录 {id}',
    deductionEntry: '扣分流水 {id}', reason_untrue: '情况不属实', reason_wrongDetails: '记录人员或日期有误', reason_wrongPoints: '分值与实际不符',
    reason_minor: '情节轻微, 请求减轻', reason_other: '其他', needReason: '请选择理由或填写说明', needOtherText: '选"其他"时请填写说明',
    objected: '异议已提交, 社区将核实处理。', appealed: '复核申请已提交, 答复期限 {date}。',
    networkRetry: '网络异常, 请再按一次"提交" (不会重复提交)。', appeal_open: '处理中', appeal_upheld: '维持原决定', appeal_reduced: '已减轻',
    appeal_voided: '已撤销', dueBy: '答复期限 {date}', overdue: '已超期', answer: '答复: {reason}', reducedTo: '减为 {n} 分', appealedAlready: '已申请复核',
    nothingPending: '没有待确认的记录', boardEmpty: '目前没有公示', noDeductions: '没有扣分记录', noAppeals: '没有复核申请', submitting: '正在提交…',
  },
  en: {
    govButton: 'Postings and appeals', myRecordsTitle: 'My records awaiting confirmation', boardTitle: 'Posted in this community',
    deductionsTitle: 'My deductions', appealsTitle: 'My appeals',
    objectHint: 'Residents of this community may object while a record is posted',
    appealHint: 'You may appeal within 7 days of a deduction\'s confirmation; while under review it does not count towards your credit',
    creditPoints: 'credit points', creditUnavailable: 'Credit records cannot be shown right now; please try again later', chooseReason: 'Choose a reason',
    reasonDetail: 'Details (required for "Other")', submit: 'Submit', cancel: 'Cancel', word_award: 'award', word_deduction: 'deduction',
    word_record: 'record', rec_submitted: 'Awaiting review', rec_pending: 'Posted', rec_objected: 'Objection under review',
    postingEnds: 'Posted until {date}', confirmsThen: 'confirmed then unless objected to', afterReview: 'posted once reviewed', object: 'Object',
    appeal: 'Appeal', objectTitle: 'Object to this posting', appealTitle: 'Appeal this deduction', appealCreditTitle: 'Appeal a credit record',
    creditRecord: 'Credit record {id}', deductionEntry: 'Deduction entry {id}', reason_untrue: 'It did not happen',
    reason_wrongDetails: 'Wrong person or date', reason_wrongPoints: 'The points do not match', reason_minor: 'Minor: please reduce it',
    reason_other: 'Other', needReason: 'Choose a reason or write one', needOtherText: 'Please write the details for "Other"',
    objected: 'Objection submitted; the community will look into it.',
    appealed: 'Appeal submitted; answer due by {date}.', networkRetry: 'Network problem: press "Submit" again (it will not be sent twice).',
    appeal_open: 'Under review', appeal_upheld: 'Upheld', appeal_reduced: 'Reduced', appeal_voided: 'Voided', dueBy: 'Answer due by {date}',
    overdue: 'Overdue', answer: 'Answer: {reason}', reducedTo: 'reduced to {n}', appealedAlready: 'Appealed', nothingPending: 'No records awaiting confirmation',
    boardEmpty: 'Nothing is posted', noDeductions: 'No deductions', noAppeals: 'No appeals', submitting: 'Submitting…',
  },
};

const OPEN_RECORD = ['submitted', 'pending', 'objected'];
const OBJECTION_REASONS = ['untrue', 'wrongDetails', 'wrongPoints', 'other'];
const APPEAL_REASONS = ['untrue', 'wrongDetails', 'minor', 'other'];

const pad = (n) => String(n).padStart(2, '0');
// An instant in the kiosk's own time zone (the kiosk stands in the community): yyyy-MM-dd HH:mm.
const instant = (iso) => {
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
};
// The board's postingEndsLocal is already the community's local time.
const local = (s) => `${s.slice(0, 10)} ${s.slice(11, 16)}`;

export function setupGovernance({ api, i18n, state, show, problemText, newKey, $ }) {
  const t = i18n.t;
  const zh = () => i18n.lang === 'zh';
  const indicatorName = (x) => (zh() ? x.indicatorNameZh : x.indicatorNameEn);
  const gov = () => state.gov;
  const signed = (p) => {
    const word = p > 0 ? 'award' : p < 0 ? 'deduction' : 'record';
    return `${p > 0 ? '+' : p < 0 ? '\u2212' : ''}${Math.abs(p)} ${t(`word_${word}`)}`;
  };

  // At sign-out: forget the resident's lists and any unsent action, and empty the (hidden) screen too.
  function reset() {
    state.gov = { records: [], board: null, deductions: [], credit: [], appeals: [], action: null, message: null };
    if (document.getElementById('my-records')) render();
    $('reason-text').value = '';
  }

  // The resident's records, the board, deductions, credit records and appeals; each list shows what it could load.
  async function load() {
    const id = state.residentId;
    const [records, board, deductions, credit, appeals] = await Promise.all([
      safe(api.get(`/residents/${id}/records`)),
      safe(api.get(`/communities/${encodeURIComponent(state.resident.communityId)}/board`)),
      safe(api.get(`/residents/${id}/statement?kind=deduction&pageSize=50`)),
      safe(api.get(`/residents/${id}/credit-records`)),
      safe(api.get(`/residents/${id}/appeals`)),
    ]);
    const g = gov();
    g.records = records.ok ? records.data.filter((r) => OPEN_RECORD.includes(r.status)) : [];
    g.board = board.ok ? board.data : null;
    g.deductions = deductions.ok ? deductions.data.items.filter((e) => e.kind === 'deduction') : [];
    g.credit = credit.ok ? appealableCredit(credit.data) : null;
    g.appeals = appeals.ok ? appeals.data : [];
    render();
  }

  // The credit records a resident appeals by themselves: negative manual records (一事一议) not cancelled by a
  // reversal. A record with an entry belongs to a deduction and is appealed through that deduction. Newest first.
  function appealableCredit(all) {
    const reversed = new Set(all.filter((r) => r.kind === 'reversal' && r.target != null).map((r) => r.target));
    return all
      .filter((r) => r.kind === 'manual' && r.delta < 0 && r.entry == null && !reversed.has(r.id))
      .sort((a, b) => Date.parse(b.recordedAt) - Date.parse(a.recordedAt) || b.id - a.id);
  }

  async function safe(promise) {
    try { return await promise; } catch { return { ok: false, status: 0, data: null }; }
  }

  function item(list, lines, button) {
    const li = document.createElement('li');
    const text = document.createElement('div');
    for (const [className, content] of lines) {
      if (!content) continue;
      const div = document.createElement('div');
      div.className = className;
      div.textContent = content;
      text.append(div);
    }

    li.append(text);
    if (button) li.append(button);
    list.append(li);
    return li;
  }

  function none(list, key) {
    const li = document.createElement('li');
    li.className = 'none';
    li.textContent = t(key);
    list.append(li);
  }

  function button(key, onClick) {
    const b = document.createElement('button');
    b.textContent = t(key);
    b.addEventListener('click', onClick);
    return b;
  }

  // In place of 申请复核 once appealed: the appeal's state.
  function appealState(appeal) {
    const span = document.createElement('span');
    span.className = `state appeal-state ${appeal.status}`;
    span.textContent = `${t('appealedAlready')}: ${t(`appeal_${appeal.status}`)}`;
    return span;
  }

  function stateBadge(li, text, className) {
    const span = document.createElement('span');
    span.className = `state ${className}`;
    span.textContent = text;
    li.firstChild.prepend(span);
  }

  function render() {
    const g = gov();
    if (!g) return;
    // The message is kept as a dictionary key and values, so it follows a language switch.
    $('gov-message').textContent = g.message ? t(g.message.key, g.message.vars) : '';
    $('gov-message').hidden = !g.message;
    const localEnds = new Map((g.board?.items ?? []).map((b) => [b.recordId, b.postingEndsLocal]));

    const records = $('my-records');
    records.replaceChildren();
    for (const r of g.records) {
      const ends = r.postingEndsAt ? t('postingEnds', { date: localEnds.has(r.id) ? local(localEnds.get(r.id)) : instant(r.postingEndsAt) }) : '';
      const li = item(records, [
        ['what', `${indicatorName(r)} · ${signed(r.points)}`],
        ['meta', r.status === 'submitted' ? t('afterReview') : `${ends}${r.status === 'pending' ? ` · ${t('confirmsThen')}` : ''}`],
      ]);
      li.dataset.record = r.id;
      stateBadge(li, t(`rec_${r.status}`), r.status);
    }

    if (g.records.length === 0) none(records, 'nothingPending');

    const board = $('gov-board');
    board.replaceChildren();
    for (const b of g.board?.items ?? []) {
      const li = item(board, [
        ['what', `${b.name} · ${indicatorName(b)} · ${signed(b.points)}`],
        ['meta', `${b.occurredOn} · ${t('postingEnds', { date: local(b.postingEndsLocal) })}`],
      ], button('object', () => openReason({ kind: 'objection', recordId: b.recordId, subject: `${b.name} · ${indicatorName(b)} · ${signed(b.points)}` })));
      li.dataset.record = b.recordId;
      li.dataset.status = b.status;
      stateBadge(li, t(`rec_${b.status}`), b.status);
    }

    if ((g.board?.items ?? []).length === 0) none(board, 'boardEmpty');

    const deductions = $('my-deductions');
    deductions.replaceChildren();
    for (const d of g.deductions) {
      const appealed = g.appeals.find((a) => a.entryId === d.entryId);
      const explanation = zh() ? d.explanation : d.explanationEn;
      const li = item(deductions, [
        ['what', `${signed(d.points)} · ${explanation}`],
        ['meta', `${instant(d.at)} · ${t('deductionEntry', { id: d.entryId })}${appealed ? ` · ${t('appealedAlready')}: ${t(`appeal_${appealed.status}`)}` : ''}`],
      ], appealed ? null : button('appeal', () => openReason({ kind: 'appeal', entryId: d.entryId, subject: `${signed(d.points)} · ${explanation}` })));
      li.dataset.entry = d.entryId;
    }

    const credit = $('my-credit-records');
    credit.replaceChildren();
    for (const r of g.credit ?? []) {
      const appealed = g.appeals.find((a) => a.creditRecordId === r.id);
      const delta = `\u2212${Math.abs(r.delta)} ${t('creditPoints')}`;
      const li = item(credit, [
        ['what', `${delta} · ${r.reason ?? ''}`],
        ['meta', `${instant(r.recordedAt)} · ${t('creditRecord', { id: r.id })}`],
      ], appealed ? appealState(appealed) : button('appeal', () => openReason({ kind: 'appeal', creditRecordId: r.id, subject: `${delta} · ${r.reason ?? ''}` })));
      li.dataset.creditRecord = r.id;
    }

    if (g.credit === null) none(credit, 'creditUnavailable');
    if (g.deductions.length === 0 && g.credit?.length === 0) none(deductions, 'noDeductions');

    const appeals = $('my-appeals');
    appeals.replaceChildren();
    for (const a of g.appeals) {
      const what = a.entryId != null ? t('deductionEntry', { id: a.entryId }) : t('creditRecord', { id: a.creditRecordId });
      const answer = a.decisionReason ? t('answer', { reason: a.decisionReason }) + (a.reducedTo != null ? ` (${t('reducedTo', { n: a.reducedTo })})` : '') : '';
      const li = item(appeals, [
        ['what', `${what} · ${a.reason}`],
        ['meta due', `${t('dueBy', { date: instant(a.dueAt) })}${a.overdue ? ` · ${t('overdue')}` : ''}`],
        ['meta', answer],
      ]);
      li.dataset.appeal = a.id;
      li.dataset.status = a.status;
      stateBadge(li, t(`appeal_${a.status}`), a.status);
    }

    if (g.appeals.length === 0) none(appeals, 'noAppeals');
    if (state.view === 'reason') renderReason();
  }

  // --- the reason chooser: one Idempotency-Key per intended action, kept until the API answers ---------------------
  const sameTarget = (a, b) => a && b && a.kind === b.kind && a.recordId === b.recordId && a.entryId === b.entryId && a.creditRecordId === b.creditRecordId;

  function openReason(target) {
    const g = gov();
    if (!sameTarget(g.action, target)) {
      g.action = { ...target, key: newKey(), preset: null };
      $('reason-text').value = '';
    }

    $('reason-error').textContent = '';
    renderReason();
    show('reason');
  }

  function renderReason() {
    const a = gov().action;
    if (!a) return;
    $('reason-title').textContent = t(a.kind === 'objection' ? 'objectTitle' : a.creditRecordId != null ? 'appealCreditTitle' : 'appealTitle');
    $('reason-subject').textContent = a.subject;
    const presets = $('reason-presets');
    presets.replaceChildren();
    for (const code of a.kind === 'objection' ? OBJECTION_REASONS : APPEAL_REASONS) {
      const b = button(`reason_${code}`, () => { a.preset = code; renderReason(); });
      b.dataset.reason = code;
      b.setAttribute('aria-pressed', String(a.preset === code));
      presets.append(b);
    }
  }

  // The reason as stored: the preset in Chinese (what the community staff read), then the resident's own words.
  function reasonText(a) {
    const typed = $('reason-text').value.trim();
    const preset = a.preset && a.preset !== 'other' ? governanceDictionary.zh[`reason_${a.preset}`] : '';
    return [preset, typed].filter(Boolean).join(': ');
  }

  async function submit() {
    const g = gov();
    const a = g.action;
    if (!a) return;
    const reason = reasonText(a);
    if (!a.preset && !reason) return void ($('reason-error').textContent = t('needReason'));
    if (a.preset === 'other' && !$('reason-text').value.trim()) return void ($('reason-error').textContent = t('needOtherText'));

    $('reason-submit').disabled = true;
    $('reason-error').textContent = t('submitting');
    const path = a.kind === 'objection' ? `/records/${a.recordId}/objections` : `/residents/${state.residentId}/appeals`;
    const body = a.kind === 'objection' ? { reason } : { entryId: a.entryId ?? null, creditRecordId: a.creditRecordId ?? null, reason };
    let result;
    try {
      result = await api.post(path, body, { 'Idempotency-Key': a.key });
    } catch {
      result = null;
    } finally {
      $('reason-submit').disabled = false;
    }

    // No answer, or the service could not take it now: keep the key, so pressing Submit again cannot act twice.
    if (!result || result.status === 0 || result.status >= 500) {
      $('reason-error').textContent = result?.status > 0 && result.data && typeof result.data === 'object' ? problemText(result.data, i18n.lang) : t('networkRetry');
      return;
    }

    if (!result.ok) {
      $('reason-error').textContent = problemText(result.data, i18n.lang);
      a.key = newKey(); // answered (refused): a new attempt is a new action
      return;
    }

    g.action = null;

    g.message = a.kind === 'objection' ? { key: 'objected' } : { key: 'appealed', vars: { date: instant(result.data.dueAt) } };
    $('reason-error').textContent = '';
    await load();
    show('governance');
  }

  $('reason-submit').addEventListener('click', submit);
  $('reason-cancel').addEventListener('click', () => { $('reason-error').textContent = ''; show('governance'); });
  reset();
  return {
    async open() {
      gov().message = null;
      await load();
      show('governance');
    },
    render,
    reset,
  };
}
