import type { Cadence, CadenceOffset } from '../rules/cadence';
import { dueAtFor } from './cadence';

const DAY_MS = 86_400_000;
/** Mean Gregorian year and month in days, for spans given in calendar units. */
const YEAR_DAYS = 365.2425;
const MONTH_DAYS = YEAR_DAYS / 12;

/** Enrollments at a constant rate: `perDay` contacts on every UTC day of the `spreadDays` before `until`. */
export type EnrollmentSpread = { perDay: number; spreadDays: number; until: Date };

/**
 * Drip steps falling due per UTC day (epoch day number → count) for a steady stream of
 * enrollments. The due index holds only steps still to send and a sweep asks for what is due,
 * so this is also what the sweep reads per day.
 *
 * A step falls due at noon on its date (counted here in UTC, where a US contact's noon falls on
 * the same UTC day), so every enrollment of one day has its steps on the same days: one plan
 * per enrollment day, weighted by that day's enrollments.
 *
 * @example
 * dueStepsPerDay(defaultCadence, { perDay: 27.4, spreadDays: 7305, until: new Date('2036-01-01Z') })
 */
export function dueStepsPerDay(
  cadence: Pick<Cadence, 'steps'>,
  spread: EnrollmentSpread,
): Map<number, number> {
  const counts = new Map<number, number>();
  const endDay = Math.floor(spread.until.getTime() / DAY_MS);
  for (let day = endDay - Math.round(spread.spreadDays); day < endDay; day++) {
    const enrolledAt = new Date(day * DAY_MS + DAY_MS / 2);
    for (const { offset } of cadence.steps) {
      const due = Math.floor(dueAtFor(enrolledAt, offset, 'UTC').getTime() / DAY_MS);
      counts.set(due, (counts.get(due) ?? 0) + spread.perDay);
    }
  }
  return counts;
}

/** How long a contact stays in the cadence: its last offset, in mean days. */
export function cadenceSpanDays(cadence: Pick<Cadence, 'steps'>): number {
  return Math.max(...cadence.steps.map(({ offset }) => offsetDays(offset)));
}

/**
 * Steady-state steps due per day with `enrolled` contacts inside the cadence at any time
 * (Little's law): enrollments run at `enrolled / span` a day and each brings every step once.
 */
export function steadyStateDuePerDay(enrolled: number, cadence: Pick<Cadence, 'steps'>): number {
  return (enrolled / cadenceSpanDays(cadence)) * cadence.steps.length;
}

function offsetDays(offset: CadenceOffset): number {
  if ('days' in offset) return offset.days;
  if ('months' in offset) return offset.months * MONTH_DAYS;
  return offset.years * YEAR_DAYS;
}
