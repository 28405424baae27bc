import { quietHours, weekdays, type DayRule } from '../../../../lambdas/rules/quiet-hours';
import { holidaysOn } from '../../../../lambdas/compliance/holidays';
import type { RecipientLocation, WindowQuery, WindowVerdict } from '../../../../lambdas/compliance/types';
import { clockText, dateKey, instantAtWallClock, localDateOf, wallTime, type LocalDate } from './zone-clock';

/** How far ahead to look for an allowed instant before giving up (RI + a holiday weekend is ~4 days). */
const HORIZON_DAYS = 60;
/** Most holds end the same or next day: look two days ahead first, then a week at a time. */
const CHUNKS = [2, 7];

type NamedRule = { label: string; rule: DayRule };

/** An allowed stretch of time, as epoch milliseconds [start, end). */
type Interval = { start: number; end: number };

function parseClock(text: string): number {
  return Number(text.slice(0, 2)) * 60 + Number(text.slice(3, 5));
}

/** Each rule's spans by weekday index in minutes, parsed once. */
const parsedSpans = new WeakMap<DayRule, Array<{ from: number; to: number } | undefined>>();

function spansOf(rule: DayRule): Array<{ from: number; to: number } | undefined> {
  let spans = parsedSpans.get(rule);
  if (!spans) {
    spans = weekdays.map((weekday) => {
      const span = rule.days[weekday];
      return span ? { from: parseClock(span[0]), to: parseClock(span[1]) } : undefined;
    });
    parsedSpans.set(rule, spans);
  }
  return spans;
}

/** The rules that bind a location: federal default plus every candidate state's, or the unknown-location rule. */
export function rulesFor(location: RecipientLocation): {
  rules: NamedRule[];
  zones: string[];
  holidayStates: string[];
  /** Identifies the rules and zones, for caches. */
  key: string;
} {
  if (location.states.length === 0) {
    const zones = location.zones.length > 0 ? location.zones : quietHours.unknown.zones;
    return {
      rules: [{ label: 'unknown location', rule: quietHours.unknown.rule }],
      zones,
      holidayStates: [],
      key: `?|${zones.join(',')}`,
    };
  }
  const rules: NamedRule[] = [{ label: 'federal', rule: quietHours.default }];
  const holidayStates: string[] = [];
  for (const state of location.states) {
    const rule = quietHours.states[state];
    if (!rule) continue;
    rules.push({ label: state, rule });
    if (rule.noHolidays) holidayStates.push(state);
  }
  const zones = location.zones.length > 0 ? location.zones : quietHours.unknown.zones;
  return { rules, zones, holidayStates, key: `${location.states.join(',')}|${zones.join(',')}` };
}

type Bound = ReturnType<typeof rulesFor>;

/** Wall-clock span [from, to) in minutes allowed on `date` by every rule, or null; with the reasons when null. */
function allowedSpan(
  bound: Bound,
  date: LocalDate,
  purpose: WindowQuery['purpose'],
  reasons?: string[],
): { from: number; to: number } | null {
  let from = 0;
  let to = 24 * 60;
  const weekday = weekdays[date.weekday]!;
  for (const { label, rule } of bound.rules) {
    const span = spansOf(rule)[date.weekday];
    if (!span) {
      reasons?.push(`no sends on ${weekday} (${label})`);
      return null;
    }
    if (span.from > from) from = span.from;
    if (span.to < to) to = span.to;
  }
  const holidays = holidaysOn(date, purpose, bound.holidayStates);
  if (holidays.length > 0) {
    for (const hit of holidays) reasons?.push(`holiday ${dateKey(date)}: ${hit.name} (${hit.source})`);
    return null;
  }
  if (from >= to) {
    reasons?.push(`the candidate rules share no window on ${weekday}`);
    return null;
  }
  return { from, to };
}

function zoneIntervals(
  bound: Bound,
  zone: string,
  firstDay: number,
  days: number,
  purpose: WindowQuery['purpose'],
) {
  const intervals: Interval[] = [];
  for (let dayNumber = firstDay; dayNumber < firstDay + days; dayNumber++) {
    const span = allowedSpan(bound, localDateOf(dayNumber), purpose);
    if (!span) continue;
    intervals.push({
      start: instantAtWallClock(zone, dayNumber, span.from),
      end: instantAtWallClock(zone, dayNumber, span.to),
    });
  }
  return intervals;
}

function intersect(a: Interval[], b: Interval[]): Interval[] {
  const out: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const start = Math.max(a[i]!.start, b[j]!.start);
    const end = Math.min(a[i]!.end, b[j]!.end);
    if (start < end) out.push({ start, end });
    if (a[i]!.end < b[j]!.end) i++;
    else j++;
  }
  return out;
}

/** Allowed intervals shared by every zone, by (rules, zones, purpose, days): held texts of one place and day share them. */
const commonCache = new Map<string, Interval[]>();
const MAX_COMMON_CACHE = 50_000;

function commonIntervals(
  bound: Bound,
  startDays: number[],
  offset: number,
  days: number,
  purpose: WindowQuery['purpose'],
): Interval[] {
  const key = `${bound.key}|${purpose}|${startDays.join(',')}|${offset}|${days}`;
  let common = commonCache.get(key);
  if (common === undefined) {
    let joined: Interval[] | null = null;
    bound.zones.forEach((zone, index) => {
      // One day of overlap on each side so windows of neighbouring zones' dates line up.
      const intervals = zoneIntervals(bound, zone, startDays[index]! + offset - 1, days + 2, purpose);
      joined = joined ? intersect(joined, intervals) : intervals;
    });
    common = joined ?? [];
    if (commonCache.size >= MAX_COMMON_CACHE) commonCache.clear();
    commonCache.set(key, common);
  }
  return common;
}

/** Earliest instant ≥ `fromMs` allowed in every zone by every rule, or null within the horizon. */
export function nextAllowedAt(bound: Bound, fromMs: number, purpose: WindowQuery['purpose']): number | null {
  const startDays = bound.zones.map((zone) => wallTime(zone, fromMs).dayNumber);
  for (let offset = 0, chunk = 0; offset < HORIZON_DAYS; chunk++) {
    const days = CHUNKS[Math.min(chunk, CHUNKS.length - 1)]!;
    const common = commonIntervals(bound, startDays, offset, days, purpose);
    for (const interval of common) {
      if (interval.end > fromMs) return Math.max(interval.start, fromMs);
    }
    offset += days;
  }
  return null;
}

/**
 * Whether a text of `purpose` may go to a recipient at `at`, checked in every candidate zone under
 * every candidate state's rule (RULES §3), and the earliest instant it may. Replies to the
 * contact's own keyword (`confirmation`) are exempt.
 *
 * @example evaluateWindow({ location: { states: ['FL'], zones: ['America/New_York'] }, at, purpose: 'automated' })
 */
export function evaluateWindow(query: WindowQuery): WindowVerdict {
  if (query.purpose === 'confirmation') return { allowed: true, nextAllowedAt: query.at, reasons: [] };
  const bound = rulesFor(query.location);
  const atMs = query.at.getTime();
  const reasons: string[] = [];
  for (const zone of bound.zones) {
    const wall = wallTime(zone, atMs);
    const span = allowedSpan(bound, wall, query.purpose, reasons);
    if (span && (wall.minuteOfDay < span.from || wall.minuteOfDay >= span.to)) {
      reasons.push(
        `${clockText(wall.minuteOfDay)} in ${zone} is outside ${clockText(span.from)}-${clockText(span.to)} (${bound.rules
          .map((rule) => rule.label)
          .join(', ')})`,
      );
    }
  }
  if (reasons.length === 0) return { allowed: true, nextAllowedAt: query.at, reasons };
  const next = nextAllowedAt(bound, atMs, query.purpose);
  return {
    allowed: false,
    nextAllowedAt: next === null ? null : new Date(next),
    reasons: [...new Set(reasons)],
  };
}
