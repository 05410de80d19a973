// The staff desk's 居民管理 section (issue 14, docs/residents.md): register a resident, issue or replace a card, reset
// a PIN (shown once, large, with 打印), unlock a card, record consent, activate/deactivate, correct the contact details
// (楼栋, 网格, 电话: kept in api.db, not the ledger, so they can be corrected or erased); import residents, opening
// balances and contact details from a spreadsheet (预检 → problems by row and column → 导入 only when clean); export.
// The API decides everything; a refusal is shown with its messageZh (or its English detail).
import { problemText, newKey } from '../common/api.js';

export const residentsAdminDictionary = {
  zh: {
    navResidentsAdmin: '居民管理', raTitle: '居民管理', raRegisterTitle: '登记居民', raName: '姓名', raBuilding: '楼栋', raGrid: '网格 (可留空)', raPhone: '电话 (可留空)',
    raBirthYear: '出生年份', raCard: '卡号 (如 E10001, 可留空)', raIdNumber: '身份证号 (只保存其加密摘要)', raRegister: '登记',
    raManageTitle: '卡、密码与状态', raResident: '居民编号', raLoad: '查看', raNewCard: '新卡号', raIssue: '发卡 / 换卡', raResetPin: '重置密码',
    raUnlock: '解锁', raConsent: '同意信用评分', raRevoke: '撤回同意', raDeactivate: '停用', raActivate: '恢复在册',
    raPinTitle: '新密码 (只显示这一次)', raPrint: '打印', raPinHint: '请让居民记下密码; 关闭后无法再次查看, 只能重置。',
    raImportTitle: '从表格导入', raImportHint: '第一行为列名: 姓名 (必填)、卡号、身份证号、出生年份、楼栋、网格、电话、期初积分; .xlsx 或 UTF-8 的 .csv, 最大 1 MiB。',
    raFile: '表格文件', raDryRun: '预检', raImport: '导入', raExportCsv: '导出 CSV', raExportXlsx: '导出 XLSX',
    raColRow: '行', raColColumn: '列', raColMessage: '问题', raColCard: '卡号', raColName: '姓名', raColPin: '密码', raColResident: '居民编号', raColBalance: '期初积分',
    raClean: '预检通过: {rows} 行, 期初积分合计 {points}。可以导入。', raProblems: '发现 {n} 处问题, 修正后重新预检; 未写入任何数据。',
    raImported: '已导入 {n} 位居民, 期初积分合计 {points}。', raReplayed: '此文件已于之前导入: 本次未作任何更改 ({n} 位居民)。',
    raCardsTitle: '卡号与密码 (只显示这一次, 请打印)', raRegistered: '已登记 {name} ({id})', raCardHeld: '卡号 {card} 已属于 {name} ({id}): 请换一张卡, 未登记', raCardIssued: '{id} 的卡 {card} 已启用',
    raReplaced: ', 旧卡 {card} 已停用', raNoCard: '尚无卡', raCardState: '卡号 {card}{locked}', raLocked: ' · 已锁定至 {at}',
    raUnlocked: '卡 {card} 已解锁', raStatus: '状态: {status}', status_active: '在册', status_inactive: '已停用',
    raConsentOn: '已记录同意', raConsentOff: '已撤回同意', raChooseFile: '请先选择文件', raImporting: '正在导入, 请稍候…', raNeedResident: '请填写居民编号',
    raProfileTitle: '联系信息', raSaveProfile: '保存联系信息', raProfileSaved: '{id} 的联系信息已保存',
  },
  en: {
    navResidentsAdmin: 'Residents admin', raTitle: 'Residents admin', raRegisterTitle: 'Register a resident', raName: 'Name',
    raBuilding: 'Building', raGrid: 'Grid (optional)', raPhone: 'Phone (optional)', raBirthYear: 'Year of birth', raCard: 'Card number (e.g. E10001, optional)',
    raIdNumber: 'ID number (kept only as a keyed hash)', raRegister: 'Register',
    raManageTitle: 'Card, PIN and status', raResident: 'Resident id', raLoad: 'Look up', raNewCard: 'New card number', raIssue: 'Issue / replace card',
    raResetPin: 'Reset PIN', raUnlock: 'Unlock', raConsent: 'Consent to credit scoring', raRevoke: 'Revoke consent', raDeactivate: 'Deactivate',
    raActivate: 'Activate', raPinTitle: 'New PIN (shown this once)', raPrint: 'Print',
    raPinHint: 'Let the resident note the PIN: once closed it cannot be shown again, only reset.',
    raImportTitle: 'Import from a spreadsheet',
    raImportHint: 'First row: the column names 姓名/name (required), 卡号/cardNumber, 身份证号/idNumber, 出生年份/birthYear, 楼栋/building, 网格/grid, 电话/phone, 期初积分/openingBalance; .xlsx or UTF-8 .csv, at most 1 MiB.',
    raFile: 'Spreadsheet', raDryRun: 'Check', raImport: 'Import', raExportCsv: 'Export CSV', raExportXlsx: 'Export XLSX',
    raColRow: 'Row', raColColumn: 'Column', raColMessage: 'Problem', raColCard: 'Card', raColName: 'Name', raColPin: 'PIN', raColResident: 'Resident id', raColBalance: 'Opening balance',
    raClean: 'Check passed: {rows} rows, opening balances {points} in all. Ready to import.', raProblems: '{n} problem(s): fix them and check again; nothing was written.',
    raImported: 'Imported {n} residents, opening balances {points} in all.', raReplayed: 'This file was imported before: nothing changed now ({n} residents).',
    raCardsTitle: 'Cards and PINs (shown this once: print them)', raRegistered: 'Registered {name} ({id})', raCardHeld: 'Card {card} already belongs to {name} ({id}): use another card; nobody was registered', raCardIssued: 'Card {card} of {id} is active',
    raReplaced: '; the old card {card} no longer works', raNoCard: 'no card yet', raCardState: 'card {card}{locked}', raLocked: ' · locked until {at}',
    raUnlocked: 'Card {card} unlocked', raStatus: 'Status: {status}', status_active: 'active', status_inactive: 'inactive',
    raConsentOn: 'Consent recorded', raConsentOff: 'Consent revoked', raChooseFile: 'Choose a file first', raImporting: 'Importing, please wait…', raNeedResident: 'Enter a resident id',
    raProfileTitle: 'Contact details', raSaveProfile: 'Save contact details', raProfileSaved: 'Contact details of {id} saved',
  },
};

export function initResidentsAdmin({ api, i18n, $ }) {
  const community = () => localStorage.getItem('community');
  const say = (id, text, error = false) => { const el = $(id); el.textContent = text; el.classList.toggle('error', error); };
  const fail = (id, result) => say(id, problemText(result.data, i18n.lang), true);
  const residentId = () => $('ra-resident').value.trim();
  let checked = null; // the file (name, size, lastModified) whose 预检 was clean
  let registerAttempt = null; // { fingerprint, key } of the registration not yet answered

  const showPin = (view, name = '') => {
    $('ra-pin').hidden = false;
    $('ra-pin-value').textContent = view.pin;
    $('ra-pin-card').textContent = `${view.cardNumber} · ${view.residentId}${name ? ` · ${name}` : ''}${$('ra-building').value ? ` · ${$('ra-building').value}` : ''}`;
    $('ra-pin-value').focus();
  };

  // --- register ---
  $('ra-register').addEventListener('submit', async (event) => {
    event.preventDefault();
    const birth = $('ra-birth').value.trim();
    const optional = (id) => $(id).value.trim() || null;
    const body = {
      displayName: $('ra-name').value.trim(), idNumber: optional('ra-idnumber'), birthYear: birth ? Number(birth) : null,
      building: optional('ra-building'), grid: optional('ra-grid'), phone: optional('ra-phone'),
    };
    const card = $('ra-card').value.trim().toUpperCase();
    // A card already in use is found before anyone is registered: registering and issuing are two calls, and a
    // resident registered without the card they came for is a duplicate waiting to happen.
    if (card) {
      const found = await api.get(`/communities/${community()}/residents?q=${encodeURIComponent(card)}`);
      const holder = found.ok ? found.data.find((r) => r.cardNumber === card) : null;
      if (holder) return say('ra-register-result', i18n.t('raCardHeld', { card, name: holder.displayName, id: holder.id }), true);
    }

    // One Idempotency-Key per intended registration, kept until it is answered (or the form changes): pressing 登记
    // again after a lost answer, or twice, registers one resident.
    const fingerprint = JSON.stringify([community(), body]);
    if (registerAttempt?.fingerprint !== fingerprint) registerAttempt = { fingerprint, key: newKey() };
    const made = await api.post(`/communities/${community()}/residents`, body, { 'Idempotency-Key': registerAttempt.key });
    if (made.status >= 500 || made.status === 0) return fail('ra-register-result', made);
    if (!made.ok) { registerAttempt = null; return fail('ra-register-result', made); }
    $('ra-idnumber').value = '';
    $('ra-phone').value = '';
    $('ra-resident').value = made.data.id;
    let text = i18n.t('raRegistered', { name: made.data.displayName, id: made.data.id });
    if (card) {
      const issued = await api.post(`/residents/${made.data.id}/card`, { cardNumber: card });
      if (!issued.ok) return say('ra-register-result', `${text} — ${problemText(issued.data, i18n.lang)}`, true);
      text += ` · ${i18n.t('raCardIssued', { card, id: made.data.id })}`;
      showPin(issued.data, made.data.displayName);
    }
    // Done: the form is emptied, so a second press is not a second resident.
    for (const id of ['ra-name', 'ra-birth', 'ra-building', 'ra-grid', 'ra-card']) $(id).value = '';
    registerAttempt = null;
    say('ra-register-result', text);
    await load();
  });

  // --- card, PIN, status ---
  async function load() {
    const id = residentId();
    if (!id) return say('ra-manage-result', i18n.t('raNeedResident'), true);
    const [resident, card, profile] = await Promise.all([api.get(`/residents/${id}`), api.get(`/residents/${id}/card`), api.get(`/residents/${id}/profile`)]);
    if (!resident.ok) return fail('ra-manage-result', resident);
    // The resident's own profile: the one place the phone is shown in full.
    for (const field of ['building', 'grid', 'phone']) $(`ra-p-${field}`).value = (profile.ok && profile.data[field]) || '';
    const locked = card.ok && card.data.lockedUntil ? i18n.t('raLocked', { at: new Date(card.data.lockedUntil).toLocaleString(i18n.lang === 'zh' ? 'zh-CN' : 'en-GB') }) : '';
    $('ra-state').textContent = `${resident.data.displayName} (${id}) · ${i18n.t('raStatus', { status: i18n.t(`status_${resident.data.status}`) })} · `
      + (card.ok ? i18n.t('raCardState', { card: card.data.cardNumber, locked }) : i18n.t('raNoCard'));
    return null;
  }

  const act = (button, run) => $(button).addEventListener('click', async () => {
    if (!residentId()) return say('ra-manage-result', i18n.t('raNeedResident'), true);
    const text = await run(residentId());
    if (text) say('ra-manage-result', text);
    await load();
    return null;
  });
  const guarded = (result, ok) => (result.ok ? ok(result.data) : (fail('ra-manage-result', result), null));

  $('ra-load').addEventListener('click', load);
  act('ra-issue', async (id) => {
    const card = $('ra-newcard').value.trim().toUpperCase();
    return guarded(await api.post(`/residents/${id}/card`, { cardNumber: card }), (d) => {
      showPin(d);
      return i18n.t('raCardIssued', { card: d.cardNumber, id }) + (d.replacedCard ? i18n.t('raReplaced', { card: d.replacedCard }) : '');
    });
  });
  act('ra-reset', async (id) => guarded(await api.post(`/residents/${id}/pin`), (d) => { showPin(d); return i18n.t('raCardIssued', { card: d.cardNumber, id }); }));
  act('ra-unlock', async (id) => guarded(await api.post(`/residents/${id}/card/unlock`, undefined, { 'Idempotency-Key': newKey() }), (d) => i18n.t('raUnlocked', { card: d.cardNumber })));
  act('ra-consent', async (id) => guarded(await api.post(`/residents/${id}/consent`), () => i18n.t('raConsentOn')));
  act('ra-revoke', async (id) => guarded(await api.del(`/residents/${id}/consent`), () => i18n.t('raConsentOff')));
  for (const [button, status] of [['ra-deactivate', 'inactive'], ['ra-activate', 'active']]) {
    act(button, async (id) => guarded(await api.call('PUT', `/residents/${id}/status`, { status }, { 'Idempotency-Key': newKey() }),
      (d) => i18n.t('raStatus', { status: i18n.t(`status_${d.status}`) })));
  }
  // PUT replaces the whole profile (what is left empty is cleared); all three emptied is an erasure, which the API
  // takes only as a DELETE, so that an empty form never erases by accident on the server's side.
  // Not through act(): a refused save keeps what was typed (reloading would put the stored values back over it).
  $('ra-save-profile').addEventListener('click', async () => {
    const id = residentId();
    if (!id) return say('ra-manage-result', i18n.t('raNeedResident'), true);
    const profile = Object.fromEntries(['building', 'grid', 'phone'].map((f) => [f, $(`ra-p-${f}`).value.trim() || null]));
    const erase = Object.values(profile).every((v) => v === null);
    const result = erase ? await api.call('DELETE', `/residents/${id}/profile`, undefined, { 'Idempotency-Key': newKey() })
      : await api.call('PUT', `/residents/${id}/profile`, profile, { 'Idempotency-Key': newKey() });
    if (!result.ok) return fail('ra-manage-result', result);
    say('ra-manage-result', i18n.t('raProfileSaved', { id }));
    await load();
    return null;
  });
  $('ra-pin-print').addEventListener('click', () => window.print());

  // --- import ---
  const fileOf = () => $('ra-file').files[0];
  const signature = (f) => f && `${f.name}|${f.size}|${f.lastModified}`;
  $('ra-file').addEventListener('change', () => { checked = null; $('ra-import').disabled = true; $('ra-problems').hidden = true; say('ra-import-result', ''); });

  async function upload(dryRun) {
    const file = fileOf();
    if (!file) { say('ra-import-result', i18n.t('raChooseFile'), true); return null; }
    const form = new FormData();
    form.append('file', file, file.name);
    const response = await fetch(`/api/v1/communities/${community()}/imports?dryRun=${dryRun}`, {
      method: 'POST', credentials: 'same-origin', headers: api.headers(), body: form,
    });
    return { ok: response.ok, status: response.status, data: await response.json() };
  }

  function problems(list) {
    const body = $('ra-problems-body');
    body.replaceChildren();
    for (const p of list) {
      const tr = document.createElement('tr');
      tr.dataset.row = p.row;
      tr.dataset.column = p.column;
      for (const text of [p.row, p.column, i18n.lang === 'zh' ? p.messageZh : p.message]) {
        const td = document.createElement('td');
        td.textContent = text;
        tr.append(td);
      }
      body.append(tr);
    }
    $('ra-problems').hidden = list.length === 0;
  }

  function cards(list) {
    const body = $('ra-cards-body');
    body.replaceChildren();
    for (const c of list) {
      const tr = document.createElement('tr');
      for (const text of [c.cardNumber, c.displayName, c.residentId, c.pin ?? '—']) {
        const td = document.createElement('td');
        td.textContent = text;
        tr.append(td);
      }
      body.append(tr);
    }
    $('ra-cards').hidden = list.length === 0;
  }

  $('ra-dryrun').addEventListener('click', async () => {
    cards([]);
    const result = await upload(true);
    if (!result) return;
    if (!result.ok) { problems([]); fail('ra-import-result', result); return; }
    const d = result.data;
    problems(d.problems);
    if (d.replayed) { say('ra-import-result', i18n.t('raReplayed', { n: d.residents.length })); checked = signature(fileOf()); $('ra-import').disabled = false; return; }
    const clean = d.problems.length === 0;
    checked = clean ? signature(fileOf()) : null;
    $('ra-import').disabled = !clean;
    say('ra-import-result', clean ? i18n.t('raClean', { rows: d.rows, points: d.pointsPosted }) : i18n.t('raProblems', { n: d.problems.length }), !clean);
  });

  $('ra-import').addEventListener('click', async () => {
    if (checked !== signature(fileOf())) { $('ra-import').disabled = true; return; }
    $('ra-import').disabled = true;
    say('ra-import-result', i18n.t('raImporting'));
    const result = await upload(false);
    if (!result) return;
    if (!result.ok) { problems(result.data.problems ?? []); fail('ra-import-result', result); return; }
    const d = result.data;
    say('ra-import-result', i18n.t(d.replayed ? 'raReplayed' : 'raImported', { n: d.residents.length, points: d.pointsPosted }));
    cards(d.cards);
  });
  $('ra-cards-print').addEventListener('click', () => window.print());

  // --- export: fetched with the desk's credentials, then saved ---
  for (const format of ['csv', 'xlsx']) {
    $(`ra-export-${format}`).addEventListener('click', async () => {
      const response = await fetch(`/api/v1/communities/${community()}/residents/export?format=${format}`, { credentials: 'same-origin', headers: api.headers() });
      if (!response.ok) { say('ra-import-result', problemText(await response.json(), i18n.lang), true); return; }
      const link = document.createElement('a');
      link.href = URL.createObjectURL(await response.blob());
      link.download = `residents-${community()}.${format}`;
      link.click();
      URL.revokeObjectURL(link.href);
    });
  }
}
