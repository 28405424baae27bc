import { holidayRules, stateHolidays, type PlatformHoliday } from '../rules/holidays';
import { weekdays } from '../rules/quiet-hours';
import type { Purpose } from './types';
import { localDateOf, type LocalDate } from './zone-clock';

const DAY_MS = 86_400_000;

/** A day on which a holiday rule forbids sending, with the holiday's name. */
export type HolidayHit = { name: string; source: string };

/** Holiday names by local day number (days since 1970-01-01). */
type YearTable = Map<number, string>;

const platformYears = new Map<number, YearTable>();
const stateYears = new Map<string, YearTable>();

function dayNumberOf(year: number, month: number, day: number): number {
  return Math.floor(Date.UTC(year, month - 1, day) / DAY_MS);
}

function platformDayNumber(year: number, holiday: PlatformHoliday): number {
  if ('day' in holiday) return dayNumberOf(year, holiday.month, holiday.day);
  const first = dayNumberOf(year, holiday.month, 1);
  const wanted = weekdays.indexOf(holiday.weekday);
  const firstWeekday = localDateOf(first).weekday;
  return first + ((wanted - firstWeekday + 7) % 7) + (holiday.nth - 1) * 7;
}

/** Adds the Monday after a Sunday holiday and the Friday before a Saturday one (RULES §3 observed-date rules). */
function withObservance(
  table: YearTable,
  observe: { observeSundayOnMonday: boolean; observeSaturdayOnFriday: boolean },
): YearTable {
  for (const [dayNumber, name] of [...table]) {
    const weekday = localDateOf(dayNumber).weekday;
    if (observe.observeSundayOnMonday && weekday === 0 && !table.has(dayNumber + 1)) {
      table.set(dayNumber + 1, `${name} (observed)`);
    }
    if (observe.observeSaturdayOnFriday && weekday === 6 && !table.has(dayNumber - 1)) {
      table.set(dayNumber - 1, `${name} (observed)`);
    }
  }
  return table;
}

function platformYear(year: number): YearTable {
  let table = platformYears.get(year);
  if (!table) {
    table = new Map();
    for (const holiday of holidayRules.platform.days) {
      table.set(platformDayNumber(year, holiday), holiday.name);
    }
    platformYears.set(year, withObservance(table, holidayRules.platform));
  }
  return table;
}

/** Every listed legal holiday of a state, by day number, with Sunday→Monday observance. */
function stateTable(state: string): YearTable {
  let table = stateYears.get(state);
  if (!table) {
    table = new Map();
    for (const [name, dates] of Object.entries(stateHolidays.states[state] ?? {})) {
      for (const date of dates) {
        const [y, m, d] = date.split('-').map(Number) as [number, number, number];
        table.set(dayNumberOf(y, m, d), name);
      }
    }
    stateYears.set(state, withObservance(table, holidayRules.state));
  }
  return table;
}

const noHits: HolidayHit[] = [];

/**
 * The holidays that forbid a text of `purpose` on local date `date`: the platform's own days, and
 * the legal holidays of each state in `holidayStates` (states whose rule says "no holidays") for
 * the purposes that state's rule names (Pennsylvania: automated texts only).
 */
export function holidaysOn(
  date: LocalDate,
  purpose: Purpose,
  holidayStates: readonly string[],
): HolidayHit[] {
  const key = date.dayNumber;
  let hits: HolidayHit[] | undefined;
  if (holidayRules.platform.appliesTo.includes(purpose)) {
    const name = platformYear(date.year).get(key);
    if (name) (hits ??= []).push({ name, source: 'platform' });
  }
  const { appliesTo, appliesToByState } = holidayRules.state;
  if (appliesTo.includes(purpose)) {
    const [firstYear, lastYear] = stateHolidays.years;
    for (const state of holidayStates) {
      if (!(appliesToByState[state] ?? appliesTo).includes(purpose)) continue;
      // Outside the generated years the holidays are unknown: treat the day as one, never guess.
      const name =
        date.year < firstYear || date.year > lastYear
          ? `no holiday data for ${date.year}`
          : stateTable(state).get(key);
      if (name) (hits ??= []).push({ name, source: state });
    }
  }
  return hits ?? noHits;
}
