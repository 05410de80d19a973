// Time in the community's zone. The engine's days, months and years are the community's (docs/engine-core.md), so
// the desk shows and takes times as the community's wall clock, whatever zone the desk's computer is set to: a laptop
// on UTC must not show 06:27 for what the statement and the stock journal call 14:27.

// Reads the zone of a community once (GET /communities), falling back to the catalog's and then the browser's.
export function createZone(api, community, fallback) {
  let zone = null;
  let loading = null;
  const current = () => zone ?? fallback?.() ?? Intl.DateTimeFormat().resolvedOptions().timeZone;

  async function load() {
    if (zone) return zone;
    loading ??= api.get('/communities').then((result) => {
      const mine = result.ok && Array.isArray(result.data) ? result.data.find((c) => c.id === community()) : null;
      if (mine) zone = mine.timeZone;
      loading = null;
      return current();
    });
    return loading;
  }

  function wallClock(ms) {
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone: current(), hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    }).formatToParts(new Date(ms));
    return Object.fromEntries(parts.filter((p) => p.type !== 'literal').map((p) => [p.type, p.value]));
  }

  const offset = (ms) => { const p = wallClock(ms); return Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second) - Math.floor(ms / 1000) * 1000; };

  // 'YYYY-MM-DDTHH:mm' in the community's zone → an ISO instant. The second pass settles a time near a DST change.
  function toInstant(value) {
    const [date, time = '00:00'] = value.split('T');
    const [y, m, d] = date.split('-').map(Number);
    const [h, min] = time.split(':').map(Number);
    const guess = Date.UTC(y, m - 1, d, h, min);
    const first = guess - offset(guess);
    return new Date(guess - offset(first)).toISOString();
  }

  const parts = (instant) => wallClock(Date.parse(instant));
  return {
    load,
    name: current,
    toInstant,
    // The start of a local day ('YYYY-MM-DD'), and of the day after it: a filter "to 12-05" includes all of the 5th.
    startOfDay: (date) => toInstant(`${date}T00:00`),
    startOfNextDay: (date) => {
      const [y, m, d] = date.split('-').map(Number);
      return toInstant(`${new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10)}T00:00`);
    },
    input: (instant) => { const p = parts(instant); return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`; },
    text: (instant) => { const p = parts(instant); return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`; },
    seconds: (instant) => { const p = parts(instant); return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`; },
    date: (instant) => { const p = parts(instant); return `${p.year}-${p.month}-${p.day}`; },
  };
}
