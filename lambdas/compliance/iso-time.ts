/**
 * `Date.prototype.toISOString` for the receipts, without a `Date` per call: a receipt carries up
 * to five instants and the gate builds one per decision. Same text, byte for byte (property in
 * test/lambdas/compliance/iso-time.test.ts); instants outside 1970–9999 go to `toISOString`.
 */

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;
// 10000-01-01T00:00:00Z: from there on toISOString writes a six-digit, signed year.
const FAST_UNTIL_MS = 253_402_300_800_000;
const MAX_CACHED_DAYS = 4_096;

const twoDigits = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const threeDigits = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
const dayPrefixes = new Map<number, string>();

/** The ISO-8601 text `new Date(instantMs).toISOString()` gives (a RangeError for an invalid instant, too). */
export function isoString(instantMs: number): string {
  if (!(instantMs >= 0 && instantMs < FAST_UNTIL_MS) || !Number.isInteger(instantMs))
    return new Date(instantMs).toISOString();
  const day = Math.floor(instantMs / DAY_MS);
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    if (dayPrefixes.size >= MAX_CACHED_DAYS) dayPrefixes.clear();
    prefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
    dayPrefixes.set(day, prefix);
  }
  let rest = instantMs - day * DAY_MS;
  const hours = Math.floor(rest / HOUR_MS);
  rest -= hours * HOUR_MS;
  const minutes = Math.floor(rest / MINUTE_MS);
  rest -= minutes * MINUTE_MS;
  const seconds = Math.floor(rest / 1000);
  const millis = rest - seconds * 1000;
  return `${prefix}${twoDigits[hours]}:${twoDigits[minutes]}:${twoDigits[seconds]}.${threeDigits[millis]}Z`;
}
