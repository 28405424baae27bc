import type { weekdays } from '../../lambdas/rules/quiet-hours';

/** The wall clock of an instant in one zone: calendar date, `hh:mm`, minute of the day, weekday. */
export type WallClock = {
  date: string;
  hhmm: string;
  minute: number;
  weekday: (typeof weekdays)[number];
};

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * The wall clock of `at` in `zone`, read straight from Intl. The tests' oracles read local time
 * here and nowhere else; it repeats the reading in `lambdas/compliance/zone-clock.ts` on purpose:
 * an oracle that called the code under test would agree with its bugs.
 */
export function wallClock(zone: string, at: Date | string): WallClock {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      weekday: 'short',
    });
    formatters.set(zone, formatter);
  }
  const parts = Object.fromEntries(
    formatter.formatToParts(new Date(at)).map((part) => [part.type, part.value]),
  );
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    hhmm: `${parts.hour}:${parts.minute}`,
    minute: Number(parts.hour) * 60 + Number(parts.minute),
    weekday: String(parts.weekday).toLowerCase().slice(0, 3) as WallClock['weekday'],
  };
}

/** The calendar date (`YYYY-MM-DD`) of `at` in `zone`, read by Intl. */
export function dateIn(zone: string, at: Date | string): string {
  return wallClock(zone, at).date;
}
