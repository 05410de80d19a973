// The public posting board (公示栏) for a screen in the community hall: /board/?c=east.
// Read-only, no key: GET /api/v1/board/{community} gives masked names and no ids. Refreshes every 60 seconds; when a
// refresh fails the last good content stays on screen with a note saying how old it is.
const REFRESH_MS = 60_000;
const $ = (id) => document.getElementById(id);
const community = new URLSearchParams(location.search).get('c');
let lastGood = null;

const statusText = {
  pending: { zh: '公示中', en: 'Posted' },
  objected: { zh: '有异议 — 异议处理中', en: 'Objection under review' },
};

// postingEndsLocal is the community's local time, e.g. 2026-12-05T11:06:43.027 → 2026-12-05 11:06.
const localMinute = (s) => (s ? `${s.slice(0, 10)} ${s.slice(11, 16)}` : '');
const clock = (date) => date.toLocaleTimeString('zh-CN', { hour: '2-digit', minute: '2-digit', hour12: false });

// The sign and a word, never colour only: +10 加分 / −5 扣分.
function points(p) {
  const sign = p > 0 ? '+' : p < 0 ? '\u2212' : '';
  const word = p > 0 ? ['加分', 'award'] : p < 0 ? ['扣分', 'deduction'] : ['记录', 'record'];
  return { value: `${sign}${Math.abs(p)}`, zh: word[0], en: word[1] };
}

function cell(row, zh, en, className) {
  const td = row.insertCell();
  if (className) td.className = className;
  td.append(document.createTextNode(zh));
  if (en) {
    const small = document.createElement('span');
    small.className = 'en';
    small.lang = 'en';
    small.textContent = en;
    td.append(small);
  }

  return td;
}

function render(board) {
  $('community').textContent = board.communityName;
  document.title = `${board.communityName} 公示栏 Public posting`;
  const body = $('items');
  body.replaceChildren();
  for (const item of board.items) {
    const row = body.insertRow();
    row.dataset.status = item.status;
    cell(row, item.name, null, 'name');
    cell(row, item.indicatorNameZh, item.indicatorNameEn, 'indicator');
    const p = points(item.points);
    const td = cell(row, p.value, null, 'points');
    const word = document.createElement('span');
    word.className = 'word';
    word.textContent = `${p.zh} ${p.en}`;
    td.append(word);
    cell(row, item.occurredOn, null, 'nowrap');
    cell(row, localMinute(item.postingEndsLocal), null, 'nowrap ends');
    const status = statusText[item.status] ?? { zh: item.statusZh, en: item.status };
    cell(row, status.zh, status.en, `status ${item.status}`);
  }

  $('board').hidden = board.items.length === 0;
  $('empty').hidden = board.items.length > 0;
}

function showProblem(text) {
  $('problem').textContent = text;
  $('problem').hidden = !text;
}

async function refresh() {
  if (!community) {
    showProblem('请在地址中指定社区, 例如 /board/?c=east (Add the community to the address, e.g. /board/?c=east)');
    return;
  }

  try {
    const response = await fetch(`/api/v1/board/${encodeURIComponent(community)}`, { cache: 'no-store' });
    const data = await response.json();
    if (!response.ok) {
      showProblem(data.messageZh ?? data.detail ?? `HTTP ${response.status}`);
      return;
    }

    lastGood = new Date(data.generatedAt);
    render(data);
    showProblem('');
    $('updated').textContent = `更新于 ${clock(lastGood)} · Updated ${clock(lastGood)}`;
  } catch {
    showProblem(lastGood
      ? `暂时无法更新, 显示的是 ${clock(lastGood)} 的内容。(Cannot refresh; showing the board as of ${clock(lastGood)}.)`
      : '暂时无法读取公示, 稍后自动重试。(Cannot load the board; retrying shortly.)');
  }
}

refresh();
setInterval(refresh, REFRESH_MS);
