import Holidays from 'date-holidays';
import { quietHours } from '../../../lambdas/rules/quiet-hours';
import type { Purpose, RecipientLocation } from '../../../lambdas/compliance/types';
import { wallClock } from '../../support/wall-clock';

// A deliberately naive restatement of RULES §3 for property tests: one minute at a time, local
// time straight from Intl (`test/support/wall-clock.ts`), holidays straight from their
// definitions. Slow, obvious, independent of the production window code.

const memo = new Map<string, Set<string>>();
function remembered(key: string, build: () => Set<string>): Set<string> {
  let value = memo.get(key);
  if (!value) memo.set(key, (value = build()));
  return value;
}

function platformHolidays(year: number): Set<string> {
  return remembered(`platform:${year}`, () => buildPlatformHolidays(year));
}

function stateHolidays(state: string, year: number): Set<string> {
  return remembered(`${state}:${year}`, () => buildStateHolidays(state, year));
}

function buildPlatformHolidays(year: number): Set<string> {
  const iso = (d: Date) => d.toISOString().slice(0, 10);
  const days = [new Date(Date.UTC(year, 0, 1)), new Date(Date.UTC(year, 11, 25))];
  const novFirst = new Date(Date.UTC(year, 10, 1));
  const firstThursday = 1 + ((4 - novFirst.getUTCDay() + 7) % 7);
  days.push(new Date(Date.UTC(year, 10, firstThursday + 21)));
  const out = new Set(days.map(iso));
  for (const day of days) {
    if (day.getUTCDay() === 0) out.add(iso(new Date(day.getTime() + 86_400_000)));
  }
  return out;
}

function buildStateHolidays(state: string, year: number): Set<string> {
  const out = new Set<string>();
  for (const holiday of new Holidays('US', state).getHolidays(year)) {
    if (holiday.type !== 'public') continue;
    const date = holiday.date.slice(0, 10);
    out.add(date);
    const asDate = new Date(`${date}T00:00:00Z`);
    if (asDate.getUTCDay() === 0) out.add(new Date(asDate.getTime() + 86_400_000).toISOString().slice(0, 10));
  }
  return out;
}

export function oracleAllows(location: RecipientLocation, at: Date, purpose: Purpose): boolean {
  if (purpose === 'confirmation') return true;
  const unknown = location.states.length === 0;
  const zones = location.zones.length ? location.zones : quietHours.unknown.zones;
  const rules = unknown
    ? [quietHours.unknown.rule]
    : [
        quietHours.default,
        ...location.states.map((s) => quietHours.states[s]).filter((r) => r !== undefined),
      ];
  for (const zone of zones) {
    const { date, hhmm, weekday } = wallClock(zone, at);
    const year = Number(date.slice(0, 4));
    if (purpose === 'automated' && platformHolidays(year).has(date)) return false;
    for (const state of location.states) {
      // RULES §3: Pennsylvania's holidays forbid automated texts only; the other states' rules, every text.
      if (state === 'PA' && purpose !== 'automated') continue;
      if (quietHours.states[state]?.noHolidays && stateHolidays(state, year).has(date)) return false;
    }
    for (const rule of rules) {
      const span = rule.days[weekday];
      if (!span || hhmm < span[0] || hhmm >= span[1]) return false;
    }
  }
  return true;
}

/** The first allowed minute in [from, from + minutes), or null. */
export function oracleFirstAllowed(
  location: RecipientLocation,
  from: Date,
  purpose: Purpose,
  minutes: number,
) {
  for (let i = 0; i < minutes; i++) {
    const at = new Date(from.getTime() + i * 60_000);
    if (oracleAllows(location, at, purpose)) return at;
  }
  return null;
}
