import { quietHours, weekdays, type DayRule } from '../rules/quiet-hours';
import { holidaysOn } from './holidays';
import type { RecipientLocation, WindowQuery, WindowVerdict } from './types';
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

type DayVerdict = { span: { from: number; to: number } | null; reasons: string[] };

type BoundRules = {
  rules: NamedRule[];
  zones: string[];
  holidayStates: string[];
  /** Identifies the rules and zones, for caches. */
  key: string;
  /** `allowedSpan` per local day and purpose, filled as days are asked for. */
  days: Map<number, DayVerdict>;
  /** The verdict per UTC minute and purpose, filled as minutes are asked for. */
  minutes: Map<number, MinuteVerdict>;
};

/**
 * The window's verdict for one UTC minute: the same for every instant in it, because zone offsets
 * are whole minutes (so every zone's wall minute and date hold for the whole minute) and every
 * allowed interval starts and ends on a whole minute (so the same interval is the next one).
 * Texts are decided many to the minute, each place's alike.
 */
type MinuteVerdict = { allowed: boolean; reasons: readonly string[]; nextStart: number | null };

// A location binds the same rules every time: derived once per location object (the gate's
// locations come from a cache, so recipients of one place share one) and once per key.
const boundByLocation = new WeakMap<RecipientLocation, BoundRules>();
const boundByKey = new Map<string, BoundRules>();
const MAX_BOUND = 5_000;
const MAX_DAYS_PER_BOUND = 4_000;
const PURPOSES: Array<WindowQuery['purpose']> = ['automated', 'manual', 'confirmation'];

/** The rules that bind a location: federal default plus every candidate state's, or the unknown-location rule. */
export function rulesFor(location: RecipientLocation): BoundRules {
  let bound = boundByLocation.get(location);
  if (bound === undefined) {
    const fresh = deriveRules(location);
    bound = boundByKey.get(fresh.key);
    if (bound === undefined) {
      if (boundByKey.size >= MAX_BOUND) boundByKey.clear();
      bound = fresh;
      boundByKey.set(fresh.key, bound);
    }
    boundByLocation.set(location, bound);
  }
  return bound;
}

function deriveRules(location: RecipientLocation): BoundRules {
  if (location.states.length === 0) {
    const zones = location.zones.length > 0 ? location.zones : quietHours.unknown.zones;
    return {
      rules: [{ label: 'unknown location', rule: quietHours.unknown.rule }],
      zones,
      holidayStates: [],
      key: `?|${zones.join(',')}`,
      days: new Map(),
      minutes: new Map(),
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
  return {
    rules,
    zones,
    holidayStates,
    key: `${location.states.join(',')}|${zones.join(',')}`,
    days: new Map(),
    minutes: new Map(),
  };
}

type Bound = BoundRules;

/**
 * Wall-clock span [from, to) in minutes allowed on `date` by every rule, or null; with the
 * reasons when null. Remembered per bound rules, day and purpose: the rules are fixed data.
 */
function allowedSpan(
  bound: Bound,
  date: LocalDate,
  purpose: WindowQuery['purpose'],
  reasons?: string[],
): { from: number; to: number } | null {
  const dayKey = date.dayNumber * PURPOSES.length + PURPOSES.indexOf(purpose);
  let verdict = bound.days.get(dayKey);
  if (verdict === undefined) {
    const dayReasons: string[] = [];
    verdict = { span: deriveSpan(bound, date, purpose, dayReasons), reasons: dayReasons };
    if (bound.days.size >= MAX_DAYS_PER_BOUND) bound.days.clear();
    bound.days.set(dayKey, verdict);
  }
  if (reasons !== undefined) for (const reason of verdict.reasons) reasons.push(reason);
  return verdict.span;
}

function deriveSpan(
  bound: Bound,
  date: LocalDate,
  purpose: WindowQuery['purpose'],
  reasons: string[],
): { from: number; to: number } | null {
  let from = 0;
  let to = 24 * 60;
  const weekday = weekdays[date.weekday]!;
  for (const { label, rule } of bound.rules) {
    const span = spansOf(rule)[date.weekday];
    if (!span) {
      reasons.push(`no sends on ${weekday} (${label})`);
      return null;
    }
    if (span.from > from) from = span.from;
    if (span.to < to) to = span.to;
  }
  const holidays = holidaysOn(date, purpose, bound.holidayStates);
  if (holidays.length > 0) {
    for (const hit of holidays) reasons.push(`holiday ${dateKey(date)}: ${hit.name} (${hit.source})`);
    return null;
  }
  if (from >= to) {
    reasons.push(`the candidate rules share no window on ${weekday}`);
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
  const start = nextIntervalStart(bound, fromMs, purpose);
  return start === null ? null : Math.max(start, fromMs);
}

/** Start of the first allowed interval that ends after `fromMs` (it may have begun before), or null. */
function nextIntervalStart(bound: Bound, fromMs: number, purpose: WindowQuery['purpose']): number | null {
  const startDays = bound.zones.map((zone) => wallTime(zone, fromMs).dayNumber);
  for (let offset = 0, chunk = 0; offset < HORIZON_DAYS; chunk++) {
    const days = CHUNKS[Math.min(chunk, CHUNKS.length - 1)]!;
    const common = commonIntervals(bound, startDays, offset, days, purpose);
    for (const interval of common) {
      if (interval.end > fromMs) return interval.start;
    }
    offset += days;
  }
  return null;
}

const MINUTE_MS = 60_000;
const MAX_MINUTE_VERDICTS = 200_000;
let minuteVerdicts = 0;

function minuteVerdict(bound: Bound, atMs: number, purpose: 'automated' | 'manual'): MinuteVerdict {
  const key = Math.floor(atMs / MINUTE_MS) * 2 + (purpose === 'manual' ? 1 : 0);
  let verdict = bound.minutes.get(key);
  if (verdict === undefined) {
    verdict = deriveMinuteVerdict(bound, atMs, purpose);
    if (++minuteVerdicts > MAX_MINUTE_VERDICTS) {
      for (const cached of boundByKey.values()) cached.minutes.clear();
      bound.minutes.clear();
      minuteVerdicts = 1;
    }
    bound.minutes.set(key, verdict);
  }
  return verdict;
}

function deriveMinuteVerdict(bound: Bound, atMs: number, purpose: 'automated' | 'manual'): MinuteVerdict {
  const reasons: string[] = [];
  for (const zone of bound.zones) {
    const wall = wallTime(zone, atMs);
    const span = allowedSpan(bound, wall, purpose, reasons);
    if (span && (wall.minuteOfDay < span.from || wall.minuteOfDay >= span.to)) {
      reasons.push(
        `${clockText(wall.minuteOfDay)} in ${zone} is outside ${clockText(span.from)}-${clockText(span.to)} (${bound.rules
          .map((rule) => rule.label)
          .join(', ')})`,
      );
    }
  }
  if (reasons.length === 0) return { allowed: true, reasons, nextStart: null };
  return {
    allowed: false,
    reasons: [...new Set(reasons)],
    nextStart: nextIntervalStart(bound, atMs, purpose),
  };
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
  const atMs = query.at.getTime();
  const verdict = minuteVerdict(rulesFor(query.location), atMs, query.purpose);
  if (verdict.allowed) return { allowed: true, nextAllowedAt: query.at, reasons: [] };
  return {
    allowed: false,
    nextAllowedAt: verdict.nextStart === null ? null : new Date(Math.max(verdict.nextStart, atMs)),
    reasons: verdict.reasons.slice(),
  };
}
