/**
 * RULES §3's window table, written down by the checker from the spec text itself (not from
 * `rules/data/quiet-hours.json`), so a wrong row in the pipeline's data shows up as violations.
 * Times are local wall-clock minutes; a window is [from, to).
 */
export type Span = readonly [from: number, to: number];
/** Spans by weekday, 0 = Sunday; a missing day allows no texts. */
export type StateWindow = { days: ReadonlyArray<Span | undefined>; noHolidays: boolean };

const at = (clock: string): number => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));
const span = (from: string, to: string): Span => [at(from), at(to)];

function everyDay(from: string, to: string, noHolidays = false): StateWindow {
  return { days: Array.from({ length: 7 }, () => span(from, to)), noHolidays };
}

/** Monday to Saturday only (no Sundays). */
function noSundays(from: string, to: string, noHolidays: boolean): StateWindow {
  return { days: [undefined, ...Array.from({ length: 6 }, () => span(from, to))], noHolidays };
}

/** Federal: 08:00–21:00 every day, for every recipient. */
export const FEDERAL_WINDOW: StateWindow = everyDay('08:00', '21:00');

/** Unknown location: 09:00–20:00, applied in Eastern and Pacific time alike. */
export const UNKNOWN_WINDOW: StateWindow = everyDay('09:00', '20:00');
export const UNKNOWN_ZONES: readonly string[] = ['America/New_York', 'America/Los_Angeles'];

const weekdays = (from: string, to: string) => Array.from({ length: 5 }, () => span(from, to));

/** The state rows of RULES §3. */
export const STATE_WINDOWS: Readonly<Record<string, StateWindow>> = {
  FL: everyDay('08:00', '20:00'),
  OK: everyDay('08:00', '20:00'),
  MD: everyDay('08:00', '20:00'),
  WA: everyDay('08:00', '20:00'),
  MA: everyDay('08:00', '20:00'),
  TN: everyDay('08:00', '20:00'),
  CT: everyDay('09:00', '20:00'),
  TX: {
    days: [span('12:00', '21:00'), ...Array.from({ length: 6 }, () => span('09:00', '21:00'))],
    noHolidays: false,
  },
  UT: noSundays('08:00', '21:00', true),
  LA: noSundays('08:00', '20:00', true),
  AL: noSundays('08:00', '20:00', true),
  MS: noSundays('08:00', '20:00', true),
  RI: { days: [undefined, ...weekdays('09:00', '18:00'), span('10:00', '17:00')], noHolidays: true },
  SD: { days: [undefined, ...weekdays('09:00', '21:00'), undefined], noHolidays: false },
  KY: everyDay('10:00', '21:00'),
  NV: everyDay('09:00', '20:00'),
  MI: everyDay('09:00', '21:00'),
  MN: everyDay('09:00', '21:00'),
  NM: everyDay('09:00', '21:00'),
};

/** RULES §3 frequency caps. */
export const CAPS = {
  windowMs: 24 * 3_600_000,
  strictStates: ['FL', 'OK', 'MD'] as readonly string[],
  strictMax: 3,
  automatedMax: 1,
};
