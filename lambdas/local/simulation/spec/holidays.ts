import Holidays from 'date-holidays';

/**
 * Holidays as the checker reads RULES §3, computed here and not read from the pipeline's tables:
 * the platform's three days (automated texts only) and, for states whose row says "no holidays",
 * the state's public holidays as the date-holidays package lists them. A Sunday holiday is also
 * observed on the Monday.
 */

const DAY_MS = 86_400_000;

const platformYears = new Map<number, Set<string>>();
const stateYears = new Map<string, Set<string>>();

const iso = (year: number, month: number, day: number): string =>
  new Date(Date.UTC(year, month - 1, day)).toISOString().slice(0, 10);

/** Adds the Monday after every Sunday in `dates`. */
function withSundayObservance(dates: Set<string>): Set<string> {
  for (const date of [...dates]) {
    const at = Date.parse(`${date}T00:00:00Z`);
    if (new Date(at).getUTCDay() === 0) dates.add(new Date(at + DAY_MS).toISOString().slice(0, 10));
  }
  return dates;
}

/** The fourth Thursday of November. */
function thanksgiving(year: number): string {
  const firstWeekday = new Date(Date.UTC(year, 10, 1)).getUTCDay();
  const firstThursday = 1 + ((4 - firstWeekday + 7) % 7);
  return iso(year, 11, firstThursday + 21);
}

/** New Year's Day, Thanksgiving and Christmas Day (seed 000 §5), as local dates of `year`. */
export function isPlatformHoliday(date: string): boolean {
  const year = Number(date.slice(0, 4));
  let days = platformYears.get(year);
  if (days === undefined) {
    // The previous year's 31 Dec is never one of them, but 1 Jan's observance may fall on 2 Jan.
    days = withSundayObservance(new Set([iso(year, 1, 1), thanksgiving(year), iso(year, 12, 25)]));
    platformYears.set(year, days);
  }
  return days.has(date);
}

/** A public holiday of `state` (USPS code) on local date `date`, per date-holidays. */
export function isStateHoliday(state: string, date: string): boolean {
  const year = Number(date.slice(0, 4));
  const key = `${state}#${year}`;
  let days = stateYears.get(key);
  if (days === undefined) {
    const calendar = new Holidays('US', state);
    days = withSundayObservance(
      new Set(
        (calendar.getHolidays(year) || [])
          .filter((holiday) => holiday.type === 'public')
          .map((holiday) => holiday.date.slice(0, 10)),
      ),
    );
    stateYears.set(key, days);
  }
  return days.has(date);
}
