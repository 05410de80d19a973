// The staff desk's governance sections (docs/governance.md, docs/pages.md): 审核 (the review queue), 公示栏 (postings,
// objections, decisions) and 复核 (appeals, and for managers the manual credit-record forms).
// Everything shown comes from the API; the page only lays it out, and hides the buttons the signed-in role cannot use.
// The API stays the judge: a refusal is shown with its messageZh (or its English detail).
import { problemText, newKey } from '../common/api.js';

export const govDictionary = {
  zh: {
    navApprovals: '审核', navPostings: '公示栏', navAppeals: '复核',
    approvalsTitle: '审核', postingsTitle: '公示栏', appealsTitle: '复核', queueTitle: '待审核 (按提交先后)',
    postingListTitle: '公示中与有异议', decisionsTitle: '最近的决定', openAppealsTitle: '待决定的复核申请', decidedAppealsTitle: '已决定',
    appealFormTitle: '代居民申请复核', appealEntry: '扣分流水号 (二选一)', appealCredit: '信用记录编号 (二选一)', appealSubmit: '提交复核申请',
    creditTitle: '信用记录', creditHint: '仅负责人可用; 如服务端拒绝, 显示其原因。', creditManual: '一事一议 (手动信用记录)',
    creditDelta: '信用分变动 (可为负)', document: '文书编号', validYears: '有效年数 (留空按目录)', creditGrading: '直接评级', tier: '最高等级',
    years: '年数', creditRepair: '信用修复', creditRecordId: '信用记录编号', newDelta: '新的变动值 (留空不变)', newValidTo: '新的截止日期 (留空不变)',
    approve: '通过', reject: '驳回', rejectReason: '驳回原因', confirmReject: '确认驳回', cancel: '取消', object: '提出异议',
    objectReason: '异议理由', confirmObject: '提交异议', decideReason: '决定理由', confirmRecord: '确认', voidRecord: '作废',
    uphold: '维持', reduce: '减轻', voidAppeal: '撤销', reducedTo: '减轻为 (分, 仅"减轻"时填写)',
    award: '加分', deduction: '扣分', points: '{sign}{n} {word}', submittedBy: '{who} 提交于 {at}', occurred: '发生于 {at}',
    postingEnds: '公示截止 {at}', objection: '异议 ({who}, {at}): {reason}', ownRecord: '本人提交, 须由他人审核',
    emptyQueue: '没有待审核的记录', emptyPostings: '目前没有公示中的记录', emptyDecisions: '暂无决定', emptyAppeals: '没有待决定的复核申请',
    emptyDecided: '暂无已决定的复核', selfApproval: '不能审核自己提交的记录', loadFailed: '加载失败: {text}',
    approved: '记录 {id} 已审核通过: {status}', rejected: '记录 {id} 已驳回', objected: '已对记录 {id} 提出异议',
    decided: '记录 {id}: {status}', step_confirmed: '确认', step_voided: '作废', step_rejected: '驳回', step_by: '{kind} ({who}, {at}): {reason}',
    appealLine: '复核 {id} · {resident} · {target}', entryTarget: '扣分流水 {id}', creditTarget: '信用记录 {id}', appealReason: '申请理由 ({who}, {at}): {reason}',
    dueAt: '答复期限 {at}', overdue: '已逾期', appeal_open: '处理中', appeal_upheld: '维持原决定', appeal_reduced: '已减轻', appeal_voided: '已撤销',
    appealDecision: '{status} ({who}, {at}): {reason}', reducedToText: '减为 {n} 分', appealDecided: '复核 {id}: {status}',
    appealFiled: '复核申请 {id} 已提交, 答复期限 {at}', oneTarget: '请填写扣分流水号或信用记录编号中的一个',
    creditSaved: '信用记录 {id} 已保存 ({kind}, {delta})',
    roleRecorder: '您是记录员: 可查看, 不能审核或决定。', roleReviewer: '您是审核员: 可审核他人提交的记录, 不能作出负责人的决定。',
    roleManager: '您是负责人: 可审核、决定异议和复核。', roleKey: '此工作台使用共用密钥: 可查看和提出异议; 审核和决定须由工作人员登录后进行。',
  },
  en: {
    navApprovals: 'Approvals', navPostings: 'Posting board', navAppeals: 'Appeals',
    approvalsTitle: 'Approvals', postingsTitle: 'Posting board', appealsTitle: 'Appeals', queueTitle: 'Waiting for review (oldest first)',
    postingListTitle: 'Posted and objected', decisionsTitle: 'Recent decisions', openAppealsTitle: 'Appeals to decide', decidedAppealsTitle: 'Decided',
    appealFormTitle: 'Appeal on a resident\'s behalf', appealEntry: 'Deduction entry no. (one of the two)', appealCredit: 'Credit record no. (one of the two)',
    appealSubmit: 'File the appeal', creditTitle: 'Credit records', creditHint: 'Managers only; a refusal by the service is shown with its reason.',
    creditManual: 'Manual credit record', creditDelta: 'Score change (may be negative)', document: 'Document reference',
    validYears: 'Valid for years (empty: catalogue default)', creditGrading: 'Direct grading', tier: 'Highest tier', years: 'Years',
    creditRepair: 'Credit repair', creditRecordId: 'Credit record no.', newDelta: 'New change (empty: keep)', newValidTo: 'New end date (empty: keep)',
    approve: 'Approve', reject: 'Reject', rejectReason: 'Reason for rejecting', confirmReject: 'Reject it', cancel: 'Cancel', object: 'Object',
    objectReason: 'Reason for the objection', confirmObject: 'File the objection', decideReason: 'Reason for the decision', confirmRecord: 'Confirm',
    voidRecord: 'Void', uphold: 'Uphold', reduce: 'Reduce', voidAppeal: 'Void', reducedTo: 'Reduce to (points, for "Reduce" only)',
    award: 'award', deduction: 'deduction', points: '{sign}{n} {word}', submittedBy: 'submitted by {who} at {at}', occurred: 'happened {at}',
    postingEnds: 'posting ends {at}', objection: 'objection ({who}, {at}): {reason}', ownRecord: 'you submitted this: someone else must review it',
    emptyQueue: 'Nothing waits for review', emptyPostings: 'Nothing is posted', emptyDecisions: 'No decisions yet', emptyAppeals: 'No appeals to decide',
    emptyDecided: 'No decided appeals yet', selfApproval: 'You cannot review a record you submitted', loadFailed: 'Could not load: {text}',
    approved: 'Record {id} approved: {status}', rejected: 'Record {id} rejected', objected: 'Objection filed on record {id}',
    decided: 'Record {id}: {status}', step_confirmed: 'confirmed', step_voided: 'voided', step_rejected: 'rejected', step_by: '{kind} ({who}, {at}): {reason}',
    appealLine: 'Appeal {id} · {resident} · {target}', entryTarget: 'deduction entry {id}', creditTarget: 'credit record {id}',
    appealReason: 'reason ({who}, {at}): {reason}', dueAt: 'answer due {at}', overdue: 'OVERDUE', appeal_open: 'open', appeal_upheld: 'upheld',
    appeal_reduced: 'reduced', appeal_voided: 'voided', appealDecision: '{status} ({who}, {at}): {reason}', reducedToText: 'reduced to {n} points',
    appealDecided: 'Appeal {id}: {status}', appealFiled: 'Appeal {id} filed, answer due {at}', oneTarget: 'Give either the entry no. or the credit record no.',
    creditSaved: 'Credit record {id} saved ({kind}, {delta})',
    roleRecorder: 'You are a recorder: you can look, not review or decide.', roleReviewer: 'You are a reviewer: you review others\' records; managers decide.',
    roleManager: 'You are a manager: you review and decide objections and appeals.',
    roleKey: 'This desk uses a shared key: it can look and object; reviews and decisions need a signed-in staff member.',
  },
};

const STATUS_EN = { submitted: 'waiting for review', pending: 'posted', objected: 'objected', confirmed: 'confirmed', rejected: 'rejected', voided: 'voided' };

export function initGovernance({ api, i18n, state, $ }) {
  const gov = { queue: null, postings: null, decisions: null, open: null, decided: null, names: new Map(), messages: {} };
  // One Idempotency-Key per intended action, kept until that action is answered (a retry after a lost answer counts once).
  const attempts = new Map();

  const role = () => state.member?.role ?? null; // null: a desk configured with the shared key
  const canReview = () => role() === 'reviewer' || role() === 'manager';
  const canDecide = () => role() === 'manager';
  const zh = () => i18n.lang === 'zh';

  const pad = (n) => String(n).padStart(2, '0');
  const fmt = (instant) => {
    if (!instant) return '';
    const d = new Date(instant);
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
  };
  const points = (n) => i18n.t('points', { sign: n < 0 ? '\u2212' : '+', n: Math.abs(n), word: i18n.t(n < 0 ? 'deduction' : 'award') });
  const statusText = (r) => (zh() ? r.statusZh : STATUS_EN[r.status] ?? r.status);
  const who = (id, name) => (name ? `${name} (${id})` : id ?? '');
  const el = (tag, props = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(props)) {
      if (k === 'dataset') Object.assign(node.dataset, v);
      else if (k in node) node[k] = v;
      else node.setAttribute(k, v);
    }
    node.append(...children.filter((c) => c !== null && c !== undefined && c !== false));
    return node;
  };
  const refusal = (result) => {
    const text = problemText(result.data, i18n.lang);
    return result.data?.code === 'self-approval' ? `${i18n.t('selfApproval')} (${text})` : text;
  };

  async function act(action, path, body) {
    const fingerprint = `${action}|${JSON.stringify(body ?? null)}`;
    if (!attempts.has(fingerprint)) attempts.set(fingerprint, newKey());
    const result = await api.post(path, body, { 'Idempotency-Key': attempts.get(fingerprint) });
    if (result.status < 500) attempts.delete(fingerprint);
    return result;
  }

  function say(section, text, error) {
    gov.messages[section] = { text, error };
    const p = $(`${section}-message`);
    p.textContent = text;
    p.className = error ? 'error' : '';
  }

  const community = () => localStorage.getItem('community');

  // --- reading ---------------------------------------------------------------------------------------------------
  async function loadApprovals() {
    const result = await api.get(`/communities/${community()}/records?status=submitted`);
    gov.queue = result.ok ? result.data : { error: problemText(result.data, i18n.lang) };
    renderApprovals();
  }

  async function loadPostings() {
    const [open, decided] = await Promise.all([
      api.get(`/communities/${community()}/records?status=pending,objected`),
      api.get(`/communities/${community()}/records?status=confirmed,voided,rejected&limit=50`),
    ]);
    gov.postings = open.ok ? open.data : { error: problemText(open.data, i18n.lang) };
    gov.decisions = decided.ok ? decided.data : { error: problemText(decided.data, i18n.lang) };
    renderPostings();
  }

  async function loadAppeals() {
    const [open, all] = await Promise.all([api.get(`/communities/${community()}/appeals`), api.get(`/communities/${community()}/appeals?open=false`)]);
    gov.open = open.ok ? open.data : { error: problemText(open.data, i18n.lang) };
    gov.decided = all.ok ? all.data.filter((a) => a.status !== 'open') : { error: problemText(all.data, i18n.lang) };
    // Appeals carry the resident's id only; the name is looked up once per resident for the desk.
    const ids = [...new Set([...(Array.isArray(gov.open) ? gov.open : []), ...(Array.isArray(gov.decided) ? gov.decided : [])].map((a) => a.residentId))];
    await Promise.all(ids.filter((id) => !gov.names.has(id)).map(async (id) => {
      const r = await api.get(`/residents/${id}`);
      if (r.ok) gov.names.set(id, r.data.displayName);
    }));
    renderAppeals();
  }

  // --- rendering -------------------------------------------------------------------------------------------------
  function fill(list, items, empty, render) {
    list.replaceChildren();
    if (items?.error) list.append(el('li', { className: 'error' }, i18n.t('loadFailed', { text: items.error })));
    else if (!items || items.length === 0) list.append(el('li', { className: 'empty' }, i18n.t(empty)));
    else for (const item of items) list.append(render(item));
  }

  function recordHead(r) {
    return el('p', { className: 'head' },
      el('strong', { className: 'name' }, `${r.residentName} (${r.residentId})`), ' · ',
      el('span', { className: 'indicator' }, `${r.indicator} ${zh() ? r.indicatorNameZh : r.indicatorNameEn}`), ' · ',
      el('span', { className: `points ${r.points < 0 ? 'minus' : 'plus'}` }, points(r.points)), ' · ',
      el('span', { className: 'status', dataset: { status: r.status } }, statusText(r)));
  }

  // A small inline form: a required reason and one or more submit buttons (event.submitter says which).
  function reasonForm(label, buttons, onSubmit, extra) {
    const input = el('input', { required: true, maxLength: 500, className: 'reason' });
    const form = el('form', { className: 'inline' }, el('label', {}, el('span', {}, label), input), extra?.node,
      ...buttons.map(([text, value, cls]) => el('button', { type: 'submit', value, className: cls ?? '' }, text)));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const submit = event.submitter;
      for (const b of form.querySelectorAll('button')) b.disabled = true;
      try { await onSubmit(submit?.value, input.value.trim(), extra); } finally { for (const b of form.querySelectorAll('button')) b.disabled = false; }
    });
    return { form, input };
  }

  function renderApprovals() {
    $('approvals-role').textContent = roleHint();
    fill($('approval-queue'), gov.queue, 'emptyQueue', (r) => {
      const li = el('li', { dataset: { record: r.id, status: r.status } }, recordHead(r),
        el('p', { className: 'meta' }, i18n.t('submittedBy', { who: who(r.submittedBy, r.submittedByName), at: fmt(r.submittedAt) }), ' · ',
          i18n.t('occurred', { at: fmt(r.occurredAt) })),
        el('p', { className: 'explanation' }, zh() ? r.explanation : r.explanationEn));
      if (state.member && r.submittedBy === state.member.id) li.append(el('p', { className: 'note' }, i18n.t('ownRecord')));
      if (canReview()) {
        const actions = el('div', { className: 'actions' });
        const approve = el('button', { type: 'button', className: 'approve primary' }, i18n.t('approve'));
        const reject = el('button', { type: 'button', className: 'reject' }, i18n.t('reject'));
        approve.addEventListener('click', async () => {
          approve.disabled = true;
          const result = await act(`approve:${r.id}`, `/records/${r.id}/approval`);
          approve.disabled = false;
          if (result.ok) say('approvals', i18n.t('approved', { id: r.id, status: statusText(result.data) }));
          else say('approvals', refusal(result), true);
          await loadApprovals();
        });
        const { form, input } = reasonForm(i18n.t('rejectReason'), [[i18n.t('confirmReject'), 'reject', 'primary']], async (_, reason) => {
          const result = await act(`reject:${r.id}`, `/records/${r.id}/rejection`, { reason });
          if (result.ok) say('approvals', i18n.t('rejected', { id: r.id }));
          else say('approvals', refusal(result), true);
          await loadApprovals();
        });
        form.hidden = true;
        const cancel = el('button', { type: 'button' }, i18n.t('cancel'));
        cancel.addEventListener('click', () => { form.hidden = true; reject.focus(); });
        form.append(cancel);
        reject.addEventListener('click', () => { form.hidden = false; input.focus(); });
        actions.append(approve, reject);
        li.append(actions, form);
      }
      return li;
    });
    restoreMessage('approvals');
  }

  const objections = (r) => r.steps.filter((s) => s.kind === 'objected');

  function renderPostings() {
    $('postings-role').textContent = roleHint();
    fill($('posting-list'), gov.postings, 'emptyPostings', (r) => {
      const li = el('li', { dataset: { record: r.id, status: r.status } }, recordHead(r),
        el('p', { className: 'meta' }, el('span', { className: 'ends' }, i18n.t('postingEnds', { at: fmt(r.postingEndsAt) })), ' · ',
          i18n.t('occurred', { at: fmt(r.occurredAt) })),
        el('p', { className: 'explanation' }, zh() ? r.explanation : r.explanationEn));
      const list = objections(r);
      if (list.length) {
        li.append(el('ul', { className: 'objections' }, ...list.map((s) => el('li', {}, i18n.t('objection', { who: who(s.by, s.byName), at: fmt(s.at), reason: s.reason ?? '' })))));
      }

      if (r.status === 'pending') {
        const open = el('button', { type: 'button', className: 'object' }, i18n.t('object'));
        const { form, input } = reasonForm(i18n.t('objectReason'), [[i18n.t('confirmObject'), 'object', 'primary']], async (_, reason) => {
          const result = await act(`object:${r.id}`, `/records/${r.id}/objections`, { reason });
          say('postings', result.ok ? i18n.t('objected', { id: r.id }) : refusal(result), !result.ok);
          await loadPostings();
        });
        form.hidden = true;
        open.addEventListener('click', () => { form.hidden = false; input.focus(); });
        li.append(el('div', { className: 'actions' }, open), form);
      } else if (r.status === 'objected' && canDecide()) {
        const { form } = reasonForm(i18n.t('decideReason'), [[i18n.t('confirmRecord'), 'confirm', 'confirm primary'], [i18n.t('voidRecord'), 'void', 'void']],
          async (which, reason) => {
            const result = await act(`decide:${r.id}:${which}`, `/records/${r.id}/decision`, { confirm: which === 'confirm', reason });
            say('postings', result.ok ? i18n.t('decided', { id: r.id, status: statusText(result.data) }) : refusal(result), !result.ok);
            await loadPostings();
          });
        form.classList.add('decision');
        li.append(form);
      }

      return li;
    });

    // Most recent first: by the time of the record's last step.
    const last = (r) => r.steps.at(-1)?.at ?? r.submittedAt;
    const decisions = Array.isArray(gov.decisions) ? [...gov.decisions].sort((a, b) => (last(a) < last(b) ? 1 : -1)) : gov.decisions;
    fill($('decision-list'), decisions, 'emptyDecisions', (r) => {
      const steps = r.steps.filter((s) => ['confirmed', 'voided', 'rejected'].includes(s.kind) || s.kind === 'objected');
      return el('li', { dataset: { record: r.id, status: r.status } }, recordHead(r),
        el('ul', { className: 'steps' }, ...steps.map((s) => el('li', {}, s.kind === 'objected'
          ? i18n.t('objection', { who: who(s.by, s.byName), at: fmt(s.at), reason: s.reason ?? '' })
          : i18n.t('step_by', { kind: i18n.t(`step_${s.kind}`), who: who(s.by, s.byName), at: fmt(s.at), reason: s.reason ?? '' })))));
    });
    restoreMessage('postings');
  }

  function appealHead(a) {
    const name = gov.names.get(a.residentId);
    return el('p', { className: 'head' }, el('strong', {}, i18n.t('appealLine', {
      id: a.id, resident: name ? `${name} (${a.residentId})` : a.residentId,
      target: a.entryId ? i18n.t('entryTarget', { id: a.entryId }) : i18n.t('creditTarget', { id: a.creditRecordId }),
    })), ' · ', el('span', { className: 'status', dataset: { status: a.status } }, i18n.t(`appeal_${a.status}`)));
  }

  function renderAppeals() {
    $('appeals-role').textContent = roleHint();
    fill($('open-appeals'), gov.open, 'emptyAppeals', (a) => {
      const li = el('li', { dataset: { appeal: a.id, overdue: a.overdue } }, appealHead(a),
        el('p', { className: 'meta' }, el('span', { className: 'due' }, i18n.t('dueAt', { at: fmt(a.dueAt) })),
          a.overdue ? el('strong', { className: 'overdue' }, ` ${i18n.t('overdue')}`) : null),
        el('p', {}, i18n.t('appealReason', { who: a.by, at: fmt(a.at), reason: a.reason })));
      if (canDecide()) {
        const reduced = el('input', { type: 'number', min: 0, step: 1, className: 'reduced-to' });
        const extra = { node: el('label', {}, el('span', {}, i18n.t('reducedTo')), reduced) };
        const { form } = reasonForm(i18n.t('decideReason'), [[i18n.t('uphold'), 'upheld', 'upheld primary'], [i18n.t('reduce'), 'reduced', 'reduced'],
          [i18n.t('voidAppeal'), 'voided', 'voided']], async (outcome, reason) => {
          const body = { outcome, reason, reducedTo: outcome === 'reduced' && reduced.value !== '' ? Number(reduced.value) : undefined };
          const result = await act(`appeal:${a.id}:${outcome}`, `/appeals/${a.id}/decision`, body);
          say('appeals', result.ok ? i18n.t('appealDecided', { id: a.id, status: i18n.t(`appeal_${result.data.status}`) }) : refusal(result), !result.ok);
          await loadAppeals();
        }, extra);
        form.classList.add('decision');
        li.append(form);
      }

      return li;
    });
    const decided = Array.isArray(gov.decided) ? [...gov.decided].sort((a, b) => ((a.decidedAt ?? '') < (b.decidedAt ?? '') ? 1 : -1)) : gov.decided;
    fill($('decided-appeals'), decided, 'emptyDecided', (a) => el('li', { dataset: { appeal: a.id, status: a.status } }, appealHead(a),
      el('p', {}, i18n.t('appealReason', { who: a.by, at: fmt(a.at), reason: a.reason })),
      el('p', { className: 'decision-text' }, i18n.t('appealDecision', {
        status: i18n.t(`appeal_${a.status}`) + (a.reducedTo !== null && a.reducedTo !== undefined ? `, ${i18n.t('reducedToText', { n: a.reducedTo })}` : ''),
        who: a.decidedBy ?? '', at: fmt(a.decidedAt), reason: a.decisionReason ?? '',
      }))));
    $('credit-tools').hidden = !canDecide();
    restoreMessage('appeals');
  }

  function roleHint() {
    const r = role();
    return i18n.t(r === 'recorder' ? 'roleRecorder' : r === 'reviewer' ? 'roleReviewer' : r === 'manager' ? 'roleManager' : 'roleKey');
  }

  function restoreMessage(section) {
    const m = gov.messages[section];
    if (m) say(section, m.text, m.error);
  }

  // --- forms -----------------------------------------------------------------------------------------------------
  const number = (id) => ($(id).value.trim() === '' ? undefined : Number($(id).value.trim()));

  $('appeal-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const entryId = number('appeal-entry');
    const creditRecordId = number('appeal-credit');
    const out = $('appeal-result');
    if ((entryId === undefined) === (creditRecordId === undefined)) {
      out.textContent = i18n.t('oneTarget');
      out.className = 'error';
      return;
    }

    const resident = $('appeal-resident').value.trim();
    const result = await act(`appeal-file:${resident}`, `/residents/${encodeURIComponent(resident)}/appeals`, { entryId, creditRecordId, reason: $('appeal-reason').value.trim() });
    out.textContent = result.ok ? i18n.t('appealFiled', { id: result.data.id, at: fmt(result.data.dueAt) }) : problemText(result.data, i18n.lang);
    out.className = result.ok ? '' : 'error';
    if (result.ok) await loadAppeals();
  });

  function creditForm(id, path, body) {
    $(id).addEventListener('submit', async (event) => {
      event.preventDefault();
      const out = $(id).querySelector('.result');
      const result = await act(id, path(), body());
      out.textContent = result.ok ? i18n.t('creditSaved', { id: result.data.id, kind: result.data.kind, delta: result.data.delta }) : problemText(result.data, i18n.lang);
      out.className = `result${result.ok ? '' : ' error'}`;
    });
  }

  creditForm('credit-manual', () => `/residents/${encodeURIComponent($('cm-resident').value.trim())}/credit-records`, () => ({
    delta: number('cm-delta'), reason: $('cm-reason').value.trim(), document: $('cm-document').value.trim(), validYears: number('cm-years'),
  }));
  creditForm('credit-grading', () => `/residents/${encodeURIComponent($('cg-resident').value.trim())}/credit-gradings`, () => ({
    tier: $('cg-tier').value.trim(), years: number('cg-years'), reason: $('cg-reason').value.trim(), document: $('cg-document').value.trim(),
  }));
  creditForm('credit-repair', () => `/credit-records/${encodeURIComponent($('cr-record').value.trim())}/repairs`, () => ({
    newDelta: number('cr-delta'),
    // A date means the start of that day on this desk's clock.
    newValidTo: $('cr-valid-to').value ? new Date(`${$('cr-valid-to').value}T00:00`).toISOString() : undefined,
    reason: $('cr-reason').value.trim(), document: $('cr-document').value.trim(),
  }));

  const loaders = { approvals: loadApprovals, postings: loadPostings, appeals: loadAppeals };
  return {
    // Called whenever a section is shown: its lists are read afresh.
    async opened(view) { if (loaders[view]) await loaders[view](); },
    rerender() {
      if (gov.queue) renderApprovals();
      if (gov.postings) renderPostings();
      if (gov.open) renderAppeals();
    },
    // Sign-out: nothing of the previous member stays in the page.
    clear() {
      Object.assign(gov, { queue: null, postings: null, decisions: null, open: null, decided: null, messages: {} });
      for (const id of ['approval-queue', 'posting-list', 'decision-list', 'open-appeals', 'decided-appeals']) $(id).replaceChildren();
      for (const id of ['approvals-message', 'postings-message', 'appeals-message', 'appeal-result']) $(id).textContent = '';
      $('credit-tools').hidden = true;
    },
  };
}
