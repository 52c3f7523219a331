// The browser's local time zone as UTC-offset transitions, for the dates the
// app wrote in local time ("11/24/2025, 3:04:05 PM", "2025-11-24T15:04:05").
// The engine has no time zone database; the browser does, so the main thread
// measures it: day by day over the years legacy data can come from, then to
// the minute around each change. ~15k Date objects, a few ms, once.

const DAY = 86400000;
const MINUTE = 60000;
let cached = null;

/**
 * @param {{from?: number, to?: number}} [range] UTC ms
 * @returns {[number, number][]} [[utcMsFrom, minutesEastOfUtc], ...]
 */
export function timeZoneTransitions({ from = Date.UTC(2000, 0, 1), to = Date.UTC(2040, 0, 1) } = {}) {
  const offsetAt = (ms) => -new Date(ms).getTimezoneOffset();
  let prev = offsetAt(from);
  const out = [[from, prev]];
  for (let t = from + DAY; t <= to; t += DAY) {
    const now = offsetAt(t);
    if (now === prev) continue;
    let lo = t - DAY, hi = t;  // offsetAt(lo) === prev, offsetAt(hi) === now
    while (hi - lo > MINUTE) {
      const mid = lo + Math.max(MINUTE, Math.floor((hi - lo) / 2 / MINUTE) * MINUTE);
      if (offsetAt(mid) === prev) lo = mid;
      else hi = mid;
    }
    out.push([hi, now]);
    prev = now;
  }
  return out;
}

/** The `timeZone` argument of legacy.import / legacy.saveAd for this browser (memoized). */
export function localTimeZone() {
  cached ??= { transitions: timeZoneTransitions() };
  return cached;
}
