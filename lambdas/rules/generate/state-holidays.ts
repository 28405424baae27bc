/**
 * Generates `lambdas/rules/data/state-holidays.json`: the legal holidays of every state whose
 * quiet-hours rule says "no sends on holidays" (RULES §3), for a span of years, from the
 * `date-holidays` package. The gate reads the generated table, so the Lambda bundles carry a few
 * kilobytes of dates instead of date-holidays and its calendar engines (≈1.3 MB).
 *
 * Run: `npx tsx lambdas/rules/generate/state-holidays.ts` — after changing which states have
 * `noHolidays`, the holiday types in holidays.json, or to extend the years. Bump the version.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Holidays from 'date-holidays';
import dateHolidaysPackage from 'date-holidays/package.json';
import { holidayRules } from '../holidays';
import { quietHours } from '../quiet-hours';

export const stateHolidaysVersion = 'state-holidays/2026-12-01.1';
export const FIRST_YEAR = 2020;
export const LAST_YEAR = 2050;

export function generateStateHolidays() {
  const types = new Set<string>(holidayRules.state.holidayTypes);
  const states: Record<string, Record<string, string[]>> = {};
  for (const [state, rule] of Object.entries(quietHours.states)) {
    if (!rule.noHolidays) continue;
    // By holiday name, each with its dates: names repeat every year, dates do not.
    const byName: Record<string, string[]> = {};
    for (let year = FIRST_YEAR; year <= LAST_YEAR; year++) {
      for (const holiday of new Holidays('US', state).getHolidays(year) || []) {
        if (types.has(holiday.type)) (byName[holiday.name] ??= []).push(holiday.date.slice(0, 10));
      }
    }
    states[state] = Object.fromEntries(
      Object.entries(byName)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, dates]) => [name, [...new Set(dates)].sort()]),
    );
  }
  return {
    version: stateHolidaysVersion,
    source: `date-holidays ${dateHolidaysPackage.version}: types ${[...types].join(', ')} for US-<state>, ${FIRST_YEAR}-${LAST_YEAR}, substitute days included; Sunday→Monday observance is applied by the gate`,
    years: [FIRST_YEAR, LAST_YEAR],
    states,
  };
}

if (require.main === module) {
  const out = join(__dirname, '..', 'data', 'state-holidays.json');
  writeFileSync(out, `${JSON.stringify(generateStateHolidays(), null, 2)}\n`);
  console.log(`wrote ${out}`);
}
