/**
 * Wall-clock arithmetic in IANA zones, fast enough for the per-message gate.
 *
 * `Intl.DateTimeFormat` is the source of truth for offsets, but it costs microseconds per call,
 * so offsets are cached per 15-minute bucket: every real-world DST transition falls on a
 * quarter hour, so an offset never changes inside a bucket.
 *
 * Why not date-fns-tz: it asks `Intl` on every call. `npm run bench`, "Zone offsets", measured
 * 16.5 k offsets/s for its `getTimezoneOffset` against 2.8 M/s here (about 170× apart, same run,
 * Node 20), and the gate computes several offsets per decision, so it alone would hold the gate
 * far below its 200 k decisions/s budget. It stays a dev dependency so the bench keeps measuring
 * both.
 */

import { formatsByZone } from './zone-formats';

const BUCKET_MS = 15 * 60_000;
const MAX_CACHED_BUCKETS = 200_000;
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

const offsetCache = new Map<string, Map<number, number>>();
let cachedBuckets = 0;

const formatterFor = formatsByZone({
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
});

function computeOffsetMinutes(zone: string, instantMs: number): number {
  const parts = formatterFor(zone).formatToParts(new Date(instantMs));
  const field = (type: Intl.DateTimeFormatPartTypes): number =>
    Number(parts.find((part) => part.type === type)?.value ?? NaN);
  const asUtc = Date.UTC(
    field('year'),
    field('month') - 1,
    field('day'),
    field('hour'),
    field('minute'),
    field('second'),
  );
  return Math.round((asUtc - Math.floor(instantMs / 1000) * 1000) / MINUTE_MS);
}

/** Minutes to add to UTC to get the zone's wall clock at `instantMs`. */
export function offsetMinutes(zone: string, instantMs: number): number {
  const bucket = Math.floor(instantMs / BUCKET_MS);
  let zoneCache = offsetCache.get(zone);
  if (!zoneCache) offsetCache.set(zone, (zoneCache = new Map()));
  let offset = zoneCache.get(bucket);
  if (offset === undefined) {
    if (++cachedBuckets > MAX_CACHED_BUCKETS) {
      offsetCache.clear();
      cachedBuckets = 1;
      offsetCache.set(zone, (zoneCache = new Map()));
    }
    offset = computeOffsetMinutes(zone, bucket * BUCKET_MS);
    zoneCache.set(bucket, offset);
  }
  return offset;
}

/** A local calendar date; `dayNumber` counts days since 1970-01-01 so dates can be stepped. */
export type LocalDate = { year: number; month: number; day: number; weekday: number; dayNumber: number };

export type WallTime = LocalDate & {
  /** Minutes since local midnight. */
  minuteOfDay: number;
};

/** The wall clock of `zone` at an instant. */
export function wallTime(zone: string, instantMs: number): WallTime {
  const localMs = instantMs + offsetMinutes(zone, instantMs) * MINUTE_MS;
  const dayNumber = Math.floor(localMs / DAY_MS);
  const date = localDateOf(dayNumber) as WallTime;
  date.minuteOfDay = Math.floor((localMs - dayNumber * DAY_MS) / MINUTE_MS);
  return date;
}

/**
 * The calendar date `dayNumber` days after 1970-01-01 (proleptic Gregorian), by integer
 * arithmetic: the gate calls this per candidate day, and `Date` objects cost more.
 * Algorithm: H. Hinnant, "chrono-Compatible Low-Level Date Algorithms", civil_from_days.
 */
export function localDateOf(dayNumber: number): LocalDate {
  const z = dayNumber + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) /
      365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * shiftedMonth + 2) / 5) + 1;
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  // 1970-01-01 was a Thursday (4).
  const weekday = (((dayNumber + 4) % 7) + 7) % 7;
  return { year, month, day, weekday, dayNumber };
}

/** `YYYY-MM-DD` of a local date. */
export function dateKey(date: Pick<LocalDate, 'year' | 'month' | 'day'>): string {
  return `${date.year}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
}

/** `HH:MM` of minutes since midnight. */
export function clockText(minuteOfDay: number): string {
  return `${String(Math.floor(minuteOfDay / 60)).padStart(2, '0')}:${String(minuteOfDay % 60).padStart(2, '0')}`;
}

/**
 * The earliest real instant whose wall clock in `zone` is at or after `minuteOfDay` on local day
 * `dayNumber`. A wall time skipped by a spring-forward gap maps to the end of the gap; a repeated
 * one (fall back) maps to its first occurrence.
 */
export function instantAtWallClock(zone: string, dayNumber: number, minuteOfDay: number): number {
  const naive = dayNumber * DAY_MS + minuteOfDay * MINUTE_MS;
  // An instant is the wall time's iff the offset in force there is the one used to get it.
  const before = naive - offsetMinutes(zone, naive - DAY_MS / 2) * MINUTE_MS;
  const after = naive - offsetMinutes(zone, naive + DAY_MS / 2) * MINUTE_MS;
  const beforeValid = naive - offsetMinutes(zone, before) * MINUTE_MS === before;
  const afterValid = naive - offsetMinutes(zone, after) * MINUTE_MS === after;
  if (beforeValid && afterValid) return Math.min(before, after);
  if (beforeValid) return before;
  if (afterValid) return after;
  return firstInstantAtOrAfter(zone, naive);
}

/** Binary search, minute precision, for the first instant whose local wall clock reaches `naiveLocal`. */
function firstInstantAtOrAfter(zone: string, naiveLocal: number): number {
  const localOf = (instant: number) => instant + offsetMinutes(zone, instant) * MINUTE_MS;
  let low = naiveLocal - 15 * 60 * MINUTE_MS;
  let high = naiveLocal + 15 * 60 * MINUTE_MS;
  while (high - low > MINUTE_MS) {
    const mid = low + Math.floor((high - low) / 2 / MINUTE_MS) * MINUTE_MS;
    if (localOf(mid) >= naiveLocal) high = mid;
    else low = mid;
  }
  return high;
}

export const MS = { minute: MINUTE_MS, day: DAY_MS } as const;
