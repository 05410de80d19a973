// 商品与库存 (issue 14, docs/pages.md): the store's items with their stock (free, held, handed over or lent) and a
// low-stock badge; a form for a new item or an edit (the whole definition is sent again), with a picture scaled in the
// browser before it is uploaded; stock changes (入库 / 报损 / 盘点修正) with a reason, and the item's stock journal.
// The API decides everything (prices, tiers, limits, what is low); the page lays it out and names what it refused.
import { problemText, newKey } from '../common/api.js';

export const goodsDictionary = {
  zh: {
    navGoods: '商品与库存', goodsTitle: '商品与库存', goodsHint: '可用库存 = 可以预约的数量; 预约占用 = 已预约、待取货的数量。',
    goodsNew: '新增商品', goodsLowOnly: '只看库存不足', goodsCaption: '本超市的商品与库存', goodsCount: '共 {n} 件商品, 其中 {low} 件库存不足',
    goodsNone: '暂无商品', goodsNoneLow: '没有库存不足的商品',
    colSku: '编号', colItem: '商品', colItemKind: '类型', colPrice: '价格 (分)', colStock: '可用库存', colHeld: '预约占用', colHanded: '已交付 / 借出中',
    colState: '状态', colChange: '变动', colHandledBy: '经手人',
    itemKind_goods: '实物商品', itemKind_service: '服务券', itemKind_loan: '借用物品', needsTier: '需 {tier} 级',
    lowStock: '库存不足', notYetActive: '未到上架时间', noLongerActive: '已下架', onSale: '在售',
    edit: '编辑', stockChange: '库存变动', journal: '流水',
    newItemTitle: '新增商品', editItemTitle: '编辑商品: {name} ({sku})',
    itemSku: '编号 (字母、数字、- 或 _, 最多 32 位)', itemKind: '类型', itemNameZh: '中文名称', itemNameEn: '英文名称', itemPrice: '价格 (积分)',
    itemStock: '期初库存 (入库数量)', itemLowStock: '库存提醒线 (不高于此数即提示)', itemMinTier: '最低信用等级',
    itemLoanDays: '借用天数', itemOverdue: '逾期未还时记录的指标', noOverdue: '不记录', noMinTier: '不限等级',
    itemTierPrices: '等级价格 (该等级及以上的居民按此折扣)', tierPriceAdd: '添加等级价格', tierPriceTier: '等级', tierPricePercent: '按原价的百分比 (%)',
    tierPriceRemove: '删除', tierPriceRow: '第 {n} 行', chooseTier: '请选择等级',
    itemLimit: '每人限购', limitPeriod: '周期', limitNone: '不限购', limit_day: '每天', limit_month: '每月', limit_year: '每年', limitQuantity: '最多数量',
    itemWindow: '上架时间 (社区时间, {zone})', activeFrom: '开始 (留空为立即)', activeTo: '结束 (留空为长期)',
    itemPicture: '商品图片', pictureHint: 'JPEG、PNG 或 WebP 照片; 上传前自动缩小到长边不超过 1024 像素。', pictureChoose: '选择图片',
    pictureRemove: '移除图片', picturePreview: '{name} 的图片预览', pictureCurrent: '当前图片', pictureScaled: '已缩小为 {w} × {h} 像素, {kb} KB (原文件 {orig} KB), 保存时上传',
    pictureUnreadable: '无法读取这张图片: 请选择 JPEG、PNG 或 WebP 照片', pictureTooLarge: '图片缩小后仍超过 512 KiB, 请换一张',
    pictureUploading: '正在上传图片…', itemSave: '保存商品', close: '关闭', saving: '正在保存…',
    itemCreated: '已新增 {name} ({sku}), 可继续修改或关闭。', itemUpdated: '已保存 {name} ({sku})。',
    skuExists: '{sku} 已用于 {name}; 要修改它, 请在表格中点"编辑", 否则换一个编号', required: '请填写此项',
    networkFailed: '网络连接失败: 请再按一次保存 (不会重复保存)',
    stockTitle: '库存变动: {name} ({sku})', stockNow: '当前可用库存 {stock} · 预约占用 {held}', stockKind: '变动类型',
    receive: '入库', writeOff: '报损', correction: '盘点修正',
    qty_receive: '入库数量', qty_writeOff: '报损数量', qty_correction: '增减数量 (盘点多出为正, 短少为负)',
    stockAfter: '保存后可用库存: {stock}', stockReason: '原因 (必填, 如: 街道配送到货、包装破损)', stockSave: '保存库存变动',
    stockSaved: '已保存: {name} {kind} {quantity}, 现有可用库存 {stock}', needReason: '请填写原因', needQuantity: '请填写数量 (不能为 0)',
    journalTitle: '库存流水: {name} ({sku}) · 最新的在最上面', journalNone: '暂无库存变动', openingStock: '期初库存',
    field_sku: '编号', field_nameZh: '名称', field_nameEn: '英文名称', field_price: '价格', field_stock: '期初库存', field_kind: '类型',
    field_minTier: '最低信用等级', field_tierPrices: '等级价格', field_perResidentLimit: '每人限购', field_loanDays: '借用天数',
    field_overdueIndicator: '逾期指标', field_activeFrom: '上架开始时间', field_activeTo: '上架结束时间', field_picture: '商品图片',
    field_file: '商品图片', field_lowStockAt: '库存提醒线', field_quantity: '数量', field_reason: '原因',
    // The engine's item and stock refusals have no Chinese text yet: the page's own sentence for the field it names.
    fix_sku: '编号为 1–32 位字母、数字、- 或 _', fix_nameZh: '中文名称和英文名称都必填, 各不超过 100 字',
    fix_price: '价格须为 0–1000000 的整数积分', fix_minTier: '请选择目录中的信用等级', fix_tierPrices: '每一行都须选择等级, 并填写 1–100 的百分比',
    fix_perResidentLimit: '限购数量为 1–999, 周期为每天、每月或每年', fix_activeTo: '结束时间须晚于开始时间', fix_activeFrom: '开始时间无效',
    fix_loanDays: '借用物品须填写 1–365 天; 其他类型不填', fix_picture: '图片无效, 请重新选择并上传', fix_lowStockAt: '库存提醒线须为 0 或正整数',
    fix_overdueIndicator: '逾期指标只能用于借用物品, 且须为目录中的指标', fix_quantity: '入库和报损的数量须大于 0; 盘点修正不能为 0',
    fix_reason: '请填写原因', fix_other: '请检查此项',
  },
  en: {
    navGoods: 'Goods & stock', goodsTitle: 'Goods & stock', goodsHint: 'Free stock = units residents can still reserve; held = reserved, waiting for pickup.',
    goodsNew: 'New item', goodsLowOnly: 'Only low stock', goodsCaption: 'Items and stock of this store', goodsCount: '{n} items, {low} low on stock',
    goodsNone: 'No items yet', goodsNoneLow: 'No item is low on stock',
    colSku: 'SKU', colItem: 'Item', colItemKind: 'Kind', colPrice: 'Price (points)', colStock: 'Free stock', colHeld: 'Held', colHanded: 'Handed over / lent out',
    colState: 'State', colChange: 'Change', colHandledBy: 'By',
    itemKind_goods: 'Goods', itemKind_service: 'Service voucher', itemKind_loan: 'Loan', needsTier: 'tier {tier}+',
    lowStock: 'Low stock', notYetActive: 'Not on sale yet', noLongerActive: 'No longer on sale', onSale: 'On sale',
    edit: 'Edit', stockChange: 'Stock change', journal: 'Journal',
    newItemTitle: 'New item', editItemTitle: 'Edit item: {name} ({sku})',
    itemSku: 'SKU (letters, digits, - or _, up to 32)', itemKind: 'Kind', itemNameZh: 'Chinese name', itemNameEn: 'English name', itemPrice: 'Price (points)',
    itemStock: 'Opening stock (units received)', itemLowStock: 'Low-stock mark (at or below: low)', itemMinTier: 'Minimum credit tier',
    itemLoanDays: 'Loan days', itemOverdue: 'Indicator recorded when overdue', noOverdue: 'Record nothing', noMinTier: 'Any tier',
    itemTierPrices: 'Tier prices (residents of the tier or better pay this share)', tierPriceAdd: 'Add a tier price', tierPriceTier: 'Tier',
    tierPricePercent: 'Percent of the price (%)', tierPriceRemove: 'Remove', tierPriceRow: 'row {n}', chooseTier: 'Choose a tier',
    itemLimit: 'Per-resident limit', limitPeriod: 'Period', limitNone: 'No limit', limit_day: 'per day', limit_month: 'per month', limit_year: 'per year',
    limitQuantity: 'At most',
    itemWindow: 'On sale (community time, {zone})', activeFrom: 'From (empty: now)', activeTo: 'Until (empty: no end)',
    itemPicture: 'Picture', pictureHint: 'A JPEG, PNG or WebP photo; scaled down to at most 1024 pixels on the long side before upload.',
    pictureChoose: 'Choose a picture', pictureRemove: 'Remove picture', picturePreview: 'Preview of the picture of {name}', pictureCurrent: 'Current picture',
    pictureScaled: 'Scaled to {w} × {h} pixels, {kb} KB (file was {orig} KB); uploaded on save',
    pictureUnreadable: 'This picture cannot be read: choose a JPEG, PNG or WebP photo', pictureTooLarge: 'Still larger than 512 KiB after scaling: choose another picture',
    pictureUploading: 'Uploading the picture…', itemSave: 'Save item', close: 'Close', saving: 'Saving…',
    itemCreated: 'Added {name} ({sku}): change it further or close.', itemUpdated: 'Saved {name} ({sku}).',
    skuExists: '{sku} is already {name}: edit that item from the table, or choose another SKU', required: 'Fill this in',
    networkFailed: 'No connection: press save again (it will not be saved twice)',
    stockTitle: 'Stock change: {name} ({sku})', stockNow: 'Free stock now {stock} · held {held}', stockKind: 'Kind of change',
    receive: 'Receive', writeOff: 'Write off', correction: 'Count correction',
    qty_receive: 'Units received', qty_writeOff: 'Units written off', qty_correction: 'Difference (positive if the count found more, negative if fewer)',
    stockAfter: 'Free stock after saving: {stock}', stockReason: 'Reason (required, e.g. delivery from the street office, damaged packaging)',
    stockSave: 'Save stock change', stockSaved: 'Saved: {name} {kind} {quantity}; free stock now {stock}', needReason: 'Give a reason',
    needQuantity: 'Enter a quantity (not 0)',
    journalTitle: 'Stock journal: {name} ({sku}) · newest first', journalNone: 'No stock changes yet', openingStock: 'opening stock',
    field_sku: 'SKU', field_nameZh: 'Names', field_nameEn: 'English name', field_price: 'Price', field_stock: 'Opening stock', field_kind: 'Kind',
    field_minTier: 'Minimum tier', field_tierPrices: 'Tier prices', field_perResidentLimit: 'Per-resident limit', field_loanDays: 'Loan days',
    field_overdueIndicator: 'Overdue indicator', field_activeFrom: 'On sale from', field_activeTo: 'On sale until', field_picture: 'Picture',
    field_file: 'Picture', field_lowStockAt: 'Low-stock mark', field_quantity: 'Quantity', field_reason: 'Reason',
    fix_other: 'Check this field',
  },
};

const MAX_SIDE = 1024;
const MAX_BYTES = 512 * 1024;
// Where each field the API may name lives in the forms.
const FIELD_INPUTS = {
  sku: 'item-sku', nameZh: 'item-name-zh', nameEn: 'item-name-en', price: 'item-price', stock: 'item-stock', kind: 'item-kind',
  minTier: 'item-min-tier', tierPrices: 'tier-price-add', perResidentLimit: 'item-limit-quantity', loanDays: 'item-loan-days',
  overdueIndicator: 'item-overdue', activeFrom: 'item-active-from', activeTo: 'item-active-to', picture: 'item-picture-file', file: 'item-picture-file',
  lowStockAt: 'item-low-stock',
};

export function initGoods({ api, i18n, state, $, store, nameOf, zone }) {
  const g = {
    items: [], editing: null, picture: null, pending: null, itemAttempt: null, itemMessage: null,
    stockSku: null, stockAttempt: null, stockMessage: null, journalSku: null, journal: null, opener: null,
  };
  const t = (key, vars) => i18n.t(key, vars);
  const item = (sku) => g.items.find((i) => i.sku === sku);
  const hasChinese = (text) => /[\u4e00-\u9fff]/.test(text ?? '');
  const tiers = () => state.catalog?.creditTiers?.tiers ?? [];
  const el = (tag, props = {}, ...children) => { const e = Object.assign(document.createElement(tag), props); e.append(...children); return e; };

  // --- time in the community's zone (common/zone.js): the active window is typed and shown as its wall clock -------
  const toInstant = (value) => zone.toInstant(value);
  const toLocalInput = (instant) => zone.input(instant);
  const toLocalText = (instant) => zone.text(instant);
  const loadZone = () => zone.load();

  // --- the table ------------------------------------------------------------------------------------------------------
  async function load() {
    if (!store()) return;
    const result = await api.get(`/stores/${store()}/items`);
    if (!result.ok) { say('goods-message', problemText(result.data, i18n.lang), true); return; }
    g.items = result.data.items;
    state.items = g.items; // the resident view names reservation lines from these
    renderTable();
    renderStockNow();
  }

  function windowState(i) {
    const now = Date.now();
    if (i.activeFrom && Date.parse(i.activeFrom) > now) return 'notYetActive';
    if (i.activeTo && Date.parse(i.activeTo) <= now) return 'noLongerActive';
    return null;
  }

  function renderTable() {
    const lowOnly = $('goods-low-only').checked;
    const shown = g.items.filter((i) => !lowOnly || i.lowStock);
    const rows = shown.map(row);
    if (rows.length === 0) {
      const td = el('td', { colSpan: 9, className: 'empty', textContent: t(g.items.length ? 'goodsNoneLow' : 'goodsNone') });
      rows.push(el('tr', {}, td));
    }
    $('goods-rows').replaceChildren(...rows);
    $('goods-count').textContent = t('goodsCount', { n: g.items.length, low: g.items.filter((i) => i.lowStock).length });
  }

  function row(i) {
    const tr = el('tr');
    tr.dataset.sku = i.sku;
    if (i.lowStock) tr.className = 'low';
    const name = el('div', { className: 'name' });
    if (i.pictureUrl) name.append(el('img', { src: i.pictureUrl, alt: '', className: 'thumb', loading: 'lazy' }));
    name.append(el('span', { textContent: nameOf(i) }));
    const nameCell = el('td', {}, name);
    const kind = t(`itemKind_${i.kind}`) + (i.minTier ? ` · ${t('needsTier', { tier: i.minTier })}` : '');
    // Never colour alone: a low row also says 库存不足 in a framed badge.
    const stateCell = el('td', { className: 'state' });
    if (i.lowStock) stateCell.append(el('span', { className: 'badge low', textContent: t('lowStock') }));
    const window = windowState(i);
    if (window) stateCell.append(el('span', { className: 'badge', textContent: t(window) }));
    if (!i.lowStock && !window) stateCell.append(el('span', { className: 'quiet', textContent: t('onSale') }));
    const actions = el('td', { className: 'actions-cell' });
    for (const [action, label] of [['edit', 'edit'], ['stock', 'stockChange'], ['journal', 'journal']]) {
      // The item's name is part of each button's accessible name, so a screen reader hears which item it acts on.
      const button = el('button', { type: 'button', className: action }, t(label), el('span', { className: 'sr-only', textContent: ` ${nameOf(i)}` }));
      button.dataset.action = action;
      actions.append(button);
    }
    tr.append(
      el('td', { className: 'sku', textContent: i.sku }), nameCell, el('td', { textContent: kind }),
      el('td', { className: 'num', textContent: i.price }), el('td', { className: 'num stock', textContent: i.stock }),
      el('td', { className: 'num', textContent: i.held }), el('td', { className: 'num', textContent: i.handed }), stateCell, actions,
    );
    return tr;
  }

  $('goods-rows').addEventListener('click', (event) => {
    const button = event.target.closest('button[data-action]');
    if (!button) return;
    const i = item(button.closest('tr').dataset.sku);
    if (!i) return;
    g.opener = { sku: i.sku, action: button.dataset.action };
    if (button.dataset.action === 'edit') openForm(i);
    else if (button.dataset.action === 'stock') openStock(i);
    else openJournal(i, true);
  });
  $('goods-low-only').addEventListener('change', renderTable);
  $('goods-new').addEventListener('click', () => { g.opener = { new: true }; openForm(null); });

  function say(id, text, error = false) {
    $(id).textContent = text;
    $(id).classList.toggle('error', error);
  }

  // Closing a panel gives the focus back to the button that opened it.
  function returnFocus() {
    const o = g.opener;
    const target = o?.new ? $('goods-new') : o ? $('goods-rows').querySelector(`tr[data-sku="${CSS.escape(o.sku)}"] button[data-action="${o.action}"]`) : null;
    (target ?? $('goods-title')).focus();
  }

  // --- the item form --------------------------------------------------------------------------------------------------
  function fillSelects(selectedTier = $('item-min-tier').value, selectedOverdue = $('item-overdue').value) {
    $('item-min-tier').replaceChildren(new Option(t('noMinTier'), ''), ...tiers().map((x) => new Option(`${x.code} ${nameOf(x)}`, x.code)));
    $('item-min-tier').value = selectedTier ?? '';
    const indicators = (state.catalog?.indicators ?? []).filter((x) => x.active || x.code === selectedOverdue);
    $('item-overdue').replaceChildren(new Option(t('noOverdue'), ''), ...indicators.map((x) => new Option(`${x.code} ${nameOf(x)}`, x.code)));
    $('item-overdue').value = selectedOverdue ?? '';
    for (const select of $('tier-price-rows').querySelectorAll('select')) fillTierOptions(select, select.value);
  }

  function fillTierOptions(select, value) {
    select.replaceChildren(new Option(t('chooseTier'), ''), ...tiers().map((x) => new Option(`${x.code} ${nameOf(x)}`, x.code)));
    select.value = value ?? '';
  }

  function tierPriceRow(tp = { tier: '', percent: '' }) {
    const select = el('select', { className: 'tier' });
    fillTierOptions(select, tp.tier);
    const percent = el('input', { type: 'number', min: 1, max: 100, step: 1, inputMode: 'numeric', className: 'percent', value: tp.percent });
    const removeText = el('span', { textContent: t('tierPriceRemove') });
    removeText.dataset.i18n = 'tierPriceRemove';
    const remove = el('button', { type: 'button', className: 'remove' }, removeText, el('span', { className: 'sr-only row-name' }));
    remove.addEventListener('click', () => {
      const li = remove.closest('li');
      const next = li.nextElementSibling ?? li.previousElementSibling;
      li.remove();
      renumberTierRows();
      (next?.querySelector('button.remove') ?? $('tier-price-add')).focus();
    });
    const tierLabel = el('label', {}, el('span', { textContent: t('tierPriceTier') }), select);
    const percentLabel = el('label', {}, el('span', { textContent: t('tierPricePercent') }), percent);
    tierLabel.firstChild.dataset.i18n = 'tierPriceTier';
    percentLabel.firstChild.dataset.i18n = 'tierPricePercent';
    return el('li', {}, tierLabel, percentLabel, remove);
  }

  function renumberTierRows() {
    [...$('tier-price-rows').children].forEach((li, n) => { li.querySelector('.row-name').textContent = ` ${t('tierPriceRow', { n: n + 1 })}`; });
  }

  $('tier-price-add').addEventListener('click', () => {
    const li = tierPriceRow();
    $('tier-price-rows').append(li);
    renumberTierRows();
    li.querySelector('select').focus();
  });

  function showKindFields() {
    const loan = $('item-kind').value === 'loan';
    $('item-loan-days-field').hidden = !loan;
    $('item-overdue-field').hidden = !loan;
  }
  $('item-kind').addEventListener('change', showKindFields);

  function showLimitFields() {
    $('item-limit-quantity-field').hidden = !$('item-limit-period').value;
  }
  $('item-limit-period').addEventListener('change', () => {
    showLimitFields();
    if ($('item-limit-period').value && !$('item-limit-quantity').value) $('item-limit-quantity').value = 1;
  });

  function openForm(i) {
    closePanels();
    clearErrors();
    g.editing = i?.sku ?? null;
    g.picture = i?.picture ? { id: i.picture, url: i.pictureUrl } : null;
    dropPending();
    g.pictureProblem = null;
    g.itemAttempt = null;
    g.itemMessage = null;
    say('item-result', '');
    $('item-sku').value = i?.sku ?? '';
    $('item-sku').readOnly = !!i;
    $('item-name-zh').value = i?.nameZh ?? '';
    $('item-name-en').value = i?.nameEn ?? '';
    $('item-kind').value = i?.kind ?? 'goods';
    $('item-price').value = i?.price ?? '';
    $('item-stock').value = 0;
    $('item-stock-field').hidden = !!i;
    $('item-low-stock').value = i?.lowStockAt ?? 5;
    fillSelects(i?.minTier ?? '', i?.overdueIndicator ?? '');
    $('item-loan-days').value = i?.loanDays ?? '';
    $('tier-price-rows').replaceChildren(...(i?.tierPrices ?? []).map(tierPriceRow));
    renumberTierRows();
    $('item-limit-period').value = i?.perResidentLimit?.period ?? '';
    $('item-limit-quantity').value = i?.perResidentLimit?.quantity ?? '';
    $('item-active-from').value = i?.activeFrom ? toLocalInput(i.activeFrom) : '';
    $('item-active-to').value = i?.activeTo ? toLocalInput(i.activeTo) : '';
    $('item-picture-file').value = '';
    showKindFields();
    showLimitFields();
    renderForm();
    $('item-form').hidden = false;
    (i ? $('item-name-zh') : $('item-sku')).focus();
  }

  function renderForm() {
    const i = g.editing ? item(g.editing) : null;
    $('item-form-title').textContent = i ? t('editItemTitle', { name: nameOf(i), sku: i.sku }) : t('newItemTitle');
    $('item-window-legend').textContent = t('itemWindow', { zone: zone.name() });
    renderPicture();
    renderItemMessage();
  }

  function renderPicture() {
    const url = g.pending?.url ?? g.picture?.url;
    $('item-picture-box').hidden = !url;
    if (!url) { $('item-picture-preview').removeAttribute('src'); return; }
    $('item-picture-preview').src = url;
    const name = (i18n.lang === 'zh' ? $('item-name-zh').value : $('item-name-en').value).trim() || $('item-sku').value.trim();
    $('item-picture-preview').alt = t('picturePreview', { name });
    const p = g.pending;
    $('item-picture-info').textContent = p ? t('pictureScaled', { w: p.width, h: p.height, kb: Math.ceil(p.blob.size / 1024), orig: Math.ceil(p.original / 1024) }) : t('pictureCurrent');
  }

  function dropPending() {
    if (g.pending?.url) URL.revokeObjectURL(g.pending.url);
    g.pending = null;
  }

  // Phone photos are several MB: scaled here to at most 1024 px on the long side and encoded as JPEG (0.85), they fit
  // well under the API's 512 KiB. A busy picture that still does not fit is tried again at lower qualities.
  async function scale(file) {
    let source;
    try {
      source = await createImageBitmap(file, { imageOrientation: 'from-image' });
    } catch {
      source = await new Promise((resolve, reject) => {
        const img = new Image();
        img.onload = () => resolve(img);
        img.onerror = reject;
        img.src = URL.createObjectURL(file);
      });
    }
    const w = source.naturalWidth ?? source.width;
    const h = source.naturalHeight ?? source.height;
    if (!w || !h) throw new Error('empty');
    const k = Math.min(1, MAX_SIDE / Math.max(w, h));
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(w * k));
    canvas.height = Math.max(1, Math.round(h * k));
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#fff'; // JPEG has no transparency: a transparent PNG gets a white background, not a black one
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(source, 0, 0, canvas.width, canvas.height);
    for (const quality of [0.85, 0.7, 0.55]) {
      // eslint-disable-next-line no-await-in-loop
      const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', quality));
      if (blob && blob.size <= MAX_BYTES) return { blob, width: canvas.width, height: canvas.height, original: file.size, url: URL.createObjectURL(blob), id: null };
    }
    throw new RangeError('too large');
  }

  $('item-picture-file').addEventListener('change', async () => {
    const file = $('item-picture-file').files[0];
    clearErrors();
    g.pictureProblem = null;
    if (!file) return;
    try {
      const scaled = await scale(file);
      dropPending();
      g.pending = scaled;
      renderPicture();
    } catch (error) {
      $('item-picture-file').value = '';
      // Kept until another picture is chosen or the picture is removed: saving now would save the item without the
      // picture the staff member thinks they gave it.
      g.pictureProblem = error instanceof RangeError ? 'pictureTooLarge' : 'pictureUnreadable';
      fieldError('file', t(g.pictureProblem));
    }
  });

  $('item-picture-remove').addEventListener('click', () => {
    g.pictureProblem = null;
    dropPending();
    g.picture = null;
    $('item-picture-file').value = '';
    renderPicture();
    $('item-picture-file').focus();
  });

  for (const id of ['item-name-zh', 'item-name-en']) $(id).addEventListener('input', () => { if (!$('item-picture-box').hidden) renderPicture(); });

  const number = (id) => ($(id).value.trim() === '' ? null : Number($(id).value));

  function itemBody() {
    const kind = $('item-kind').value;
    const period = $('item-limit-period').value;
    const from = $('item-active-from').value;
    const to = $('item-active-to').value;
    return {
      sku: $('item-sku').value.trim(),
      nameZh: $('item-name-zh').value.trim(),
      nameEn: $('item-name-en').value.trim(),
      price: number('item-price'),
      stock: g.editing ? 0 : number('item-stock') ?? 0,
      kind,
      minTier: $('item-min-tier').value || null,
      perResidentLimit: period ? { quantity: number('item-limit-quantity'), period } : null,
      tierPrices: [...$('tier-price-rows').children].map((li) => ({ tier: li.querySelector('select').value, percent: Number(li.querySelector('input').value) })),
      loanDays: kind === 'loan' ? number('item-loan-days') : null,
      overdueIndicator: kind === 'loan' ? $('item-overdue').value || null : null,
      activeFrom: from ? toInstant(from) : null,
      activeTo: to ? toInstant(to) : null,
      picture: g.pending ? g.pending.id : g.picture?.id ?? null,
      lowStockAt: number('item-low-stock'),
    };
  }

  // --- errors next to the form: the field named, its input focused and marked invalid -----------------------------
  function clearErrors() {
    for (const f of document.querySelectorAll('#item-form [aria-invalid], #stock-form [aria-invalid]')) {
      f.removeAttribute('aria-invalid');
      f.removeAttribute('aria-errormessage');
    }
    say('item-error', '');
    say('stock-error', '');
  }

  function fieldOf(problemField) {
    return String(problemField ?? '').replace(/^\$\.?/, '').split(/[.[]/)[0];
  }

  function fieldError(field, message, form = 'item', focus = true) {
    const key = fieldOf(field);
    const label = t(`field_${key}`) === `field_${key}` ? '' : t(`field_${key}`);
    const error = form === 'item' ? 'item-error' : 'stock-error';
    say(error, label ? `${label}: ${message}` : message, true);
    let input = form === 'item' ? $(FIELD_INPUTS[key] ?? '') : $({ quantity: 'stock-quantity', reason: 'stock-reason', kind: 'stock-kind' }[key] ?? '');
    // A tier-price problem points at the first row when there is one.
    if (key === 'tierPrices') input = $('tier-price-rows').querySelector('select') ?? input;
    if (input && !input.closest('[hidden]')) {
      input.setAttribute('aria-invalid', 'true');
      input.setAttribute('aria-errormessage', error);
      if (focus) input.focus();
    }
  }

  // The API's words in the desk's language; where a refusal has no Chinese yet, the page's sentence for its field.
  function problemMessage(problem) {
    const text = problemText(problem, i18n.lang);
    if (i18n.lang !== 'zh' || hasChinese(text)) return text;
    const key = fieldOf(problem?.field);
    const fix = t(`fix_${key}`);
    return fix === `fix_${key}` ? t('fix_other') : fix;
  }

  function renderItemMessage(focus = false) {
    const m = g.itemMessage;
    if (!m) return;
    if (m.problem) fieldError(m.problem.field, problemMessage(m.problem), 'item', focus);
    else if (m.local) fieldError(m.local.field, t(m.local.key, m.local.vars), 'item', focus);
    else say('item-result', t(m.key, { name: nameOf(item(m.sku) ?? { nameZh: m.sku, nameEn: m.sku }), sku: m.sku }));
  }

  async function upload(blob) {
    const form = new FormData();
    form.append('file', blob, 'picture.jpg');
    const response = await fetch(`/api/v1/stores/${store()}/pictures`, { method: 'POST', credentials: 'same-origin', headers: api.headers(), body: form });
    const type = response.headers.get('content-type') ?? '';
    return { ok: response.ok, status: response.status, data: type.includes('json') ? await response.json() : await response.text() };
  }

  function localCheck(body) {
    if (g.pictureProblem) return { field: 'file', key: g.pictureProblem };
    const existing = !g.editing && item(body.sku);
    if (existing) return { field: 'sku', key: 'skuExists', vars: { sku: body.sku, name: nameOf(existing) } };
    for (const field of ['sku', 'nameZh', 'nameEn', 'price']) {
      if (body[field] === '' || body[field] === null) return { field, key: 'required' };
    }
    return null;
  }

  async function saveItem() {
    clearErrors();
    say('item-result', '');
    g.itemMessage = null;
    const check = localCheck(itemBody());
    if (check) { g.itemMessage = { local: check }; renderItemMessage(true); return; }
    $('item-save').disabled = true;
    try {
      // The picture first: the item then names it. Uploading is idempotent by content, so a retry sends it again safely.
      if (g.pending && !g.pending.id) {
        say('item-result', t('pictureUploading'));
        const uploaded = await upload(g.pending.blob);
        say('item-result', '');
        if (!uploaded.ok) { g.itemMessage = { problem: { field: 'file', ...uploaded.data } }; renderItemMessage(true); return; }
        g.pending.id = uploaded.data.pictureId;
        g.pending.served = uploaded.data.url;
      }
      const body = itemBody();
      // One Idempotency-Key per intended save, kept until the API answers: a retry after a lost answer saves once.
      const fingerprint = JSON.stringify([g.editing, body]);
      if (g.itemAttempt?.fingerprint !== fingerprint) g.itemAttempt = { fingerprint, key: newKey() };
      say('item-result', t('saving'));
      // A new item is sent create-only (If-None-Match: *): another desk's item of the same SKU is refused, not replaced.
      const headers = { 'Idempotency-Key': g.itemAttempt.key, ...(g.editing ? {} : { 'If-None-Match': '*' }) };
      const result = await api.post(`/stores/${store()}/items`, body, headers);
      say('item-result', '');
      if (result.status < 500) g.itemAttempt = null;
      if (!result.ok) { g.itemMessage = { problem: result.data }; renderItemMessage(true); return; }
      const saved = result.data;
      const created = !g.editing;
      g.editing = saved.sku;
      if (g.pending) { g.picture = { id: g.pending.id, url: g.pending.served ?? saved.pictureUrl }; dropPending(); }
      else g.picture = saved.picture ? { id: saved.picture, url: saved.pictureUrl } : null;
      $('item-picture-file').value = '';
      $('item-sku').readOnly = true;
      $('item-stock-field').hidden = true;
      await load();
      g.itemMessage = { key: created ? 'itemCreated' : 'itemUpdated', sku: saved.sku };
      renderForm();
    } catch {
      say('item-result', t('networkFailed'), true);
    } finally {
      $('item-save').disabled = false;
    }
  }

  $('item-form').addEventListener('submit', (event) => { event.preventDefault(); saveItem(); });
  $('item-cancel').addEventListener('click', () => { closePanels(); returnFocus(); });

  // Enter in a field does not save (as on the record form): only the save button does. Buttons keep their own Enter.
  for (const form of ['item-form', 'stock-form']) {
    $(form).addEventListener('keydown', (event) => {
      const tag = event.target.tagName;
      if (event.key === 'Enter' && (tag === 'SELECT' || (tag === 'INPUT' && event.target.type !== 'file'))) event.preventDefault();
    });
  }

  // --- stock changes and the journal ---------------------------------------------------------------------------------
  function openStock(i) {
    closePanels();
    clearErrors();
    g.stockSku = i.sku;
    g.stockAttempt = null;
    g.stockMessage = null;
    say('stock-result', '');
    $('stock-kind').value = 'receive';
    $('stock-quantity').value = '';
    $('stock-reason').value = '';
    $('stock-panel').hidden = false;
    renderStock();
    $('stock-kind').focus();
    openJournal(i, false);
  }

  function renderStock(focus = false) {
    const i = item(g.stockSku);
    if (!i) return;
    $('stock-title').textContent = t('stockTitle', { name: nameOf(i), sku: i.sku });
    const kind = $('stock-kind').value;
    $('stock-quantity-label').textContent = t(`qty_${kind}`);
    $('stock-quantity').min = kind === 'correction' ? '' : '1';
    renderStockNow();
    const m = g.stockMessage;
    if (m?.problem) fieldError(m.problem.field, problemMessage(m.problem), 'stock', focus);
    else if (m?.local) fieldError(m.local.field, t(m.local.key), 'stock', focus);
    // Worded when shown, so a change of language rewords it.
    else if (m) say('stock-result', t(m.key, { name: nameOf(i), kind: t(m.kind), quantity: signed(m.quantity), stock: m.stock }));
  }

  const delta = (kind, quantity) => (kind === 'writeOff' ? -quantity : quantity);
  const signed = (n) => (n > 0 ? `+${n}` : n < 0 ? `−${Math.abs(n)}` : '0');

  function renderStockNow() {
    const i = item(g.stockSku);
    if (!i || $('stock-panel').hidden) return;
    $('stock-now').textContent = t('stockNow', { stock: i.stock, held: i.held });
    const q = number('stock-quantity');
    // Only a preview of the arithmetic; the API refuses a change that would take the stock below zero.
    $('stock-after').textContent = q ? t('stockAfter', { stock: i.stock + delta($('stock-kind').value, q) }) : '';
  }

  $('stock-kind').addEventListener('change', () => { g.stockAttempt = null; renderStock(); });
  $('stock-quantity').addEventListener('input', renderStockNow);

  async function saveStock() {
    clearErrors();
    say('stock-result', '');
    g.stockMessage = null;
    const i = item(g.stockSku);
    if (!i) return;
    const kind = $('stock-kind').value;
    const quantity = number('stock-quantity');
    const reason = $('stock-reason').value.trim();
    if (!quantity) { g.stockMessage = { local: { field: 'quantity', key: 'needQuantity' } }; renderStock(true); return; }
    if (!reason) { g.stockMessage = { local: { field: 'reason', key: 'needReason' } }; renderStock(true); return; }
    const body = { kind, quantity, reason };
    // One Idempotency-Key per intended change, kept until it is answered: a retry after a lost answer counts once.
    const fingerprint = JSON.stringify([i.sku, body]);
    if (g.stockAttempt?.fingerprint !== fingerprint) g.stockAttempt = { fingerprint, key: newKey() };
    $('stock-save').disabled = true;
    try {
      const result = await api.post(`/stores/${store()}/items/${encodeURIComponent(i.sku)}/stock`, body, { 'Idempotency-Key': g.stockAttempt.key });
      if (result.status < 500) g.stockAttempt = null;
      if (!result.ok) { g.stockMessage = { problem: result.data }; renderStock(true); return; }
      // Emptied, so pressing save again is not a second receipt by accident.
      $('stock-quantity').value = '';
      $('stock-reason').value = '';
      await load();
      g.stockMessage = { key: 'stockSaved', kind, quantity: delta(kind, quantity), stock: result.data.stock };
      renderStock();
      await loadJournal();
    } catch {
      say('stock-result', t('networkFailed'), true);
    } finally {
      $('stock-save').disabled = false;
    }
  }

  $('stock-form').addEventListener('submit', (event) => { event.preventDefault(); saveStock(); });
  $('stock-close').addEventListener('click', () => { closePanels(); returnFocus(); });

  function openJournal(i, alone) {
    if (alone) closePanels();
    g.journalSku = i.sku;
    g.journal = null;
    $('journal-panel').hidden = false;
    renderJournal();
    if (alone) $('journal-title').focus();
    loadJournal();
  }

  async function loadJournal() {
    const sku = g.journalSku;
    if (!sku) return;
    const result = await api.get(`/stores/${store()}/items/${encodeURIComponent(sku)}/stock-changes`);
    if (g.journalSku !== sku) return;
    g.journal = result;
    renderJournal();
  }

  function renderJournal() {
    const i = item(g.journalSku);
    if (!i) return;
    $('journal-title').textContent = t('journalTitle', { name: nameOf(i), sku: i.sku });
    const r = g.journal;
    if (!r) { $('journal-rows').replaceChildren(); return; }
    if (!r.ok) { $('journal-rows').replaceChildren(el('tr', {}, el('td', { colSpan: 5, className: 'error', textContent: problemText(r.data, i18n.lang) }))); return; }
    const rows = r.data.changes.map((c) => {
      // The API writes the opening receipt's reason as 期初库存 (before 2026-12 as "opening stock"): in the desk's language.
      const reason = c.reason === '期初库存' || c.reason === 'opening stock' ? t('openingStock') : c.reason;
      const tr = el('tr', {}, el('td', { textContent: toLocalText(c.at) }), el('td', { textContent: t(c.kind) }),
        el('td', { className: `num ${c.quantity < 0 ? 'minus' : 'plus'}`, textContent: signed(c.quantity) }),
        el('td', { textContent: c.byName ?? c.by }), el('td', { textContent: reason }));
      tr.dataset.kind = c.kind;
      return tr;
    });
    $('journal-rows').replaceChildren(...(rows.length ? rows : [el('tr', {}, el('td', { colSpan: 5, className: 'empty', textContent: t('journalNone') }))]));
  }

  $('journal-close').addEventListener('click', () => {
    $('journal-panel').hidden = true;
    g.journalSku = null;
    if ($('stock-panel').hidden) returnFocus();
    else $('stock-title').focus();
  });

  function closePanels() {
    $('item-form').hidden = true;
    $('stock-panel').hidden = true;
    $('journal-panel').hidden = true;
    g.stockSku = null;
    g.journalSku = null;
    dropPending();
  }

  return {
    load,
    async opened(view) {
      if (view !== 'goods') return;
      await Promise.all([loadZone(), load()]);
      if (!$('item-form').hidden) renderForm();
    },
    rerender() {
      renderTable();
      if (!$('item-form').hidden) {
        fillSelects();
        for (const li of $('tier-price-rows').children) for (const s of li.querySelectorAll('[data-i18n]')) s.textContent = t(s.dataset.i18n);
        renumberTierRows();
        clearErrors();
        say('item-result', '');
        renderForm();
      }
      if (!$('stock-panel').hidden) { clearErrors(); say('stock-result', ''); renderStock(); }
      if (!$('journal-panel').hidden) renderJournal();
    },
    // Sign-out: nothing of the last member's work stays on the screen.
    clear() {
      closePanels();
      g.items = [];
      g.opener = null;
      $('goods-rows').replaceChildren();
      $('goods-count').textContent = '';
      say('goods-message', '');
    },
  };
}
