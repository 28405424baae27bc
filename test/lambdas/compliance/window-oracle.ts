import Holidays from 'date-holidays';
import type { weekdays } from '../../../lambdas/rules/quiet-hours';
import { quietHours } from '../../../lambdas/rules/quiet-hours';
import type { Purpose, RecipientLocation } from '../../../lambdas/compliance/types';

/**
 * A deliberately naive restatement of RULES §3 for property tests: one minute at a time, local
 * time straight from Intl, holidays straight from their definitions. Slow, obvious, independent
 * of the production window code. Its Intl reading repeats the one in `lambdas/compliance/zone-clock.ts`
 * on purpose: an oracle that called the code under test would agree with its bugs.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function local(zone: string, at: Date) {
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
  const parts = Object.fromEntries(formatter.formatToParts(at).map((part) => [part.type, part.value]));
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    hhmm: `${parts.hour}:${parts.minute}`,
    weekday: String(parts.weekday).toLowerCase().slice(0, 3) as (typeof weekdays)[number],
  };
}

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
    const { date, hhmm, weekday } = local(zone, at);
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
