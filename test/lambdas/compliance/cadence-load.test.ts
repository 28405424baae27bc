import { dueAtFor } from '../../../lambdas/compliance/cadence';
import {
  cadenceSpanDays,
  dueStepsPerDay,
  steadyStateDuePerDay,
} from '../../../lambdas/compliance/cadence-load';
import { defaultCadence } from '../../../lambdas/rules/cadence';

/**
 * How many items the sweep reads per day at 100k enrolled contacts. The due index holds only
 * steps still to send and each sweep asks for `dueAt ≤ now`, so a day's items are read once:
 * items read per day = steps falling due that day.
 */
const CONTACTS = 100_000;
const DAY_MS = 86_400_000;
const TEN_YEARS_DAYS = 3652.5;
const steps = defaultCadence.steps.length;
const windowEnd = Date.parse('2036-01-01T00:00:00Z');

/** Due steps per UTC day when `perDay` contacts enroll every day over the `spreadDays` before `windowEnd`. */
function dueCountsPerDay(perDay: number, spreadDays: number): Map<number, number> {
  return dueStepsPerDay(defaultCadence, { perDay, spreadDays, until: new Date(windowEnd) });
}

/** Counts of the last `days` full days before `windowEnd`. */
function lastDays(counts: Map<number, number>, days: number): number[] {
  const endDay = windowEnd / DAY_MS;
  return Array.from({ length: days }, (_, i) => counts.get(endDay - 1 - i) ?? 0);
}

const mean = (values: number[]): number => values.reduce((sum, value) => sum + value, 0) / values.length;

describe('sweep load at 100k enrolled contacts', () => {
  const report: string[] = [];
  afterAll(() => console.log(report.join('\n')));

  it('reads about contacts × 22 / 3652.5 items a day in steady state (each contact enrolled for 10 years)', () => {
    // prepare: enrollments at the rate that keeps 100k contacts inside their 10 years, for 20 years
    const rate = CONTACTS / TEN_YEARS_DAYS;
    const analytic = rate * steps;

    // act
    const perDay = lastDays(dueCountsPerDay(rate, 2 * TEN_YEARS_DAYS), 365);

    // assess
    const simulated = mean(perDay);
    expect(Math.abs(simulated - analytic) / analytic).toBeLessThan(0.02);
    // Month-end clamping piles the enrollments of the 29th–31st onto a short month's last day
    // for the 19 calendar-unit steps: a busy day, never more than 4 days' worth of them.
    expect(Math.max(...perDay)).toBeLessThan(analytic * 4);
    report.push(
      `steady state: ${analytic.toFixed(0)} items/day analytic, ${simulated.toFixed(0)} simulated ` +
        `(busiest day ${Math.max(...perDay).toFixed(0)}, a month end)`,
    );
  });

  it('reads about contacts × (steps due within the year) / 365 a day in a first year of 100k enrollments', () => {
    // prepare: 100k contacts enrolled evenly over one year; the last 30 days see the steps due
    // within 335 days of an enrollment
    const rate = CONTACTS / 365;
    const start = new Date(windowEnd - 365 * DAY_MS);
    const earlySteps = defaultCadence.steps.filter(
      ({ offset }) => dueAtFor(start, offset, 'UTC').getTime() < windowEnd - 30 * DAY_MS,
    ).length;
    const analytic = rate * earlySteps;

    // act
    const perDay = lastDays(dueCountsPerDay(rate, 365), 30);

    // assess
    const simulated = mean(perDay);
    expect(Math.abs(simulated - analytic) / analytic).toBeLessThan(0.02);
    report.push(
      `first year (100k enrolled over 365 days): ${analytic.toFixed(0)} items/day analytic ` +
        `(${earlySteps} steps due within the year), ${simulated.toFixed(0)} simulated`,
    );
  });
});

describe('cadenceSpanDays', () => {
  it('measures a cadence by its last offset, in mean calendar days', () => {
    // prepare
    const cadence = { steps: [step(1, { days: 7 }), step(2, { years: 10 }), step(3, { months: 18 })] };

    // act
    const span = cadenceSpanDays(cadence);

    // assess: ten Gregorian years hold 2 or 3 leap days
    expect(span).toBeGreaterThan(3652);
    expect(span).toBeLessThan(3653);
  });
});

describe('steadyStateDuePerDay', () => {
  it('is enrolled contacts × steps ÷ the cadence span', () => {
    // prepare: a 2-step cadence over 100 days, 1,000 contacts inside it
    const cadence = { steps: [step(1, { days: 50 }), step(2, { days: 100 })] };

    // act
    const perDay = steadyStateDuePerDay(1_000, cadence);

    // assess: 10 enrollments a day, each bringing 2 steps
    expect(perDay).toBe(20);
  });
});

describe('dueStepsPerDay', () => {
  it('puts each enrollment day’s steps on the days their offsets land', () => {
    // prepare: 3 contacts a day on the 2 days before 2030-01-10
    const cadence = { steps: [step(1, { days: 1 }), step(2, { months: 1 })] };
    const until = new Date('2030-01-10T00:00:00Z');
    const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;

    // act
    const counts = dueStepsPerDay(cadence, { perDay: 3, spreadDays: 2, until });

    // assess
    expect(Object.fromEntries(counts)).toEqual({
      [day('2030-01-09')]: 3,
      [day('2030-01-10')]: 3,
      [day('2030-02-08')]: 3,
      [day('2030-02-09')]: 3,
    });
  });
});

function step(number: number, offset: { days: number } | { months: number } | { years: number }) {
  return { step: number, offset, template: 'Hi {firstName}' };
}
