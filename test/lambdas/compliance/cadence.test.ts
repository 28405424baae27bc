import fc from 'fast-check';
import {
  dueAtFor,
  firstNameOf,
  planCadence,
  renderTemplate,
  utcDay,
} from '../../../lambdas/compliance/cadence';
import { analyzeContent } from '../../../lambdas/compliance/content';
import { defaultCadence } from '../../../lambdas/rules/cadence';
import { wallClock } from '../../support/wall-clock';

const DAY_MS = 86_400_000;
const agent = { name: 'Dana Reyes', brokerage: 'Harbor Realty' };
const contact = { name: 'Maria Lopez', address: '12 Elm St' };
const zone = 'America/New_York';
const ZONES = [
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Los_Angeles',
  'Pacific/Honolulu',
];

/** Ten calendar years later, counted independently of the code under test. */
function tenYearsAfter(at: Date): Date {
  const later = new Date(at);
  later.setUTCFullYear(later.getUTCFullYear() + 10);
  return later;
}

describe('planCadence', () => {
  const enrolledAt = new Date('2026-03-10T15:00:00.000Z');

  it('plans every step numbered in order, strictly later each time, all within 10 years', () => {
    // act
    const plan = planCadence({ cadence: defaultCadence, enrolledAt, contact, agent, zone });

    // assess
    expect(plan).toHaveLength(defaultCadence.steps.length);
    expect(plan.map((step) => step.step)).toEqual(defaultCadence.steps.map((_, i) => i + 1));
    for (let i = 1; i < plan.length; i++) {
      expect(plan[i]!.dueAt.getTime()).toBeGreaterThan(plan[i - 1]!.dueAt.getTime());
    }
    expect(plan[0]!.dueAt.getTime()).toBeGreaterThan(enrolledAt.getTime());
    // Noon on the date ten years on: later in the day than an enrollment in the morning.
    expect(plan.at(-1)!.dueAt.getTime()).toBeLessThanOrEqual(tenYearsAfter(enrolledAt).getTime() + DAY_MS);
  });

  it('is dense in year one and reaches year ten', () => {
    // act
    const plan = planCadence({ cadence: defaultCadence, enrolledAt, contact, agent, zone });

    // assess
    const yearOne = plan.filter((step) => step.dueAt.getTime() <= enrolledAt.getTime() + 366 * DAY_MS);
    expect(yearOne.length).toBeGreaterThanOrEqual(9);
    // Noon Eastern daylight time, ten years and one week after 11:00 EDT on 10 March 2026.
    expect(plan.at(-1)!.dueAt.toISOString()).toBe('2036-03-10T16:00:00.000Z');
    expect(plan[0]!.dueAt.toISOString()).toBe('2026-03-17T16:00:00.000Z');
  });

  it("puts every step at noon on its date in the contact's zone, counted from the enrollment's date there", () => {
    // prepare: 20:30 on 4 July in Los Angeles is already 5 July in UTC.
    const evening = new Date('2026-07-05T03:30:00.000Z');
    const losAngeles = 'America/Los_Angeles';

    // act
    const plan = planCadence({
      cadence: defaultCadence,
      enrolledAt: evening,
      contact,
      agent,
      zone: losAngeles,
    });

    // assess
    for (const step of plan) expect(wallClock(losAngeles, step.dueAt).hhmm).toBe('12:00');
    expect(wallClock(losAngeles, plan[0]!.dueAt).date).toBe('2026-07-11');
    expect(wallClock(losAngeles, plan.find((step) => step.step === 4)!.dueAt).date).toBe('2026-09-04');
  });

  it('personalises every step and leaves no placeholder behind', () => {
    // act
    const plan = planCadence({ cadence: defaultCadence, enrolledAt, contact, agent, zone });

    // assess
    for (const step of plan) {
      expect(step.body).not.toMatch(/[{}]/);
      expect(step.body).toContain('Maria');
      expect(step.body).not.toContain('Lopez');
    }
    expect(plan[0]!.body).toContain('Dana Reyes');
    expect(plan.find((step) => step.step === 11)!.body).toContain('Happy 2-year home anniversary, Maria!');
    expect(plan.some((step) => step.body.includes('12 Elm St'))).toBe(true);
  });

  it('uses the cadence fallback for a missing address and drops a missing first name cleanly', () => {
    // act
    const plan = planCadence({ cadence: defaultCadence, enrolledAt, contact: {}, agent, zone });

    // assess
    const anniversary = plan.find((step) => step.step === 11)!.body;
    expect(anniversary).toMatch(/^Happy 2-year home anniversary! Hope your home is treating you well\./);
    for (const step of plan) {
      expect(step.body).not.toMatch(/ [,.!?]|^[ ,]|,,| {2}/);
      expect(step.body).not.toMatch(/[{}]/);
    }
  });

  it('writes GSM-7 texts free of shorteners and SHAFT terms', () => {
    // act
    const plan = planCadence({ cadence: defaultCadence, enrolledAt, contact, agent, zone });

    // assess
    for (const step of plan) {
      const content = analyzeContent(step.body);
      expect(content).toMatchObject({ encoding: 'GSM-7', shortenerUrls: [], shaftFlags: [] });
    }
  });

  it('plans strictly increasing due instants at local noon, within 10 years, for any enrollment instant and zone', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('1990-01-01T00:00:00Z'),
          max: new Date('2089-12-31T23:59:59Z'),
          noInvalidDate: true,
        }),
        fc.constantFrom(...ZONES),
        (at, where) => {
          const plan = planCadence({ cadence: defaultCadence, enrolledAt: at, contact, agent, zone: where });
          let previous = at.getTime();
          for (const step of plan) {
            if (step.dueAt.getTime() <= previous) return false;
            if (wallClock(where, step.dueAt).hhmm !== '12:00') return false;
            previous = step.dueAt.getTime();
          }
          return previous <= tenYearsAfter(at).getTime() + 2 * DAY_MS;
        },
      ),
    );
  });
});

describe('dueAtFor', () => {
  it.each([
    [
      'clamps 31 January + 1 month to 28 February in a common year',
      '2027-01-31T14:30:00Z',
      { months: 1 },
      '2027-02-28T17:00:00.000Z',
    ],
    [
      'clamps 31 January + 1 month to 29 February in a leap year',
      '2028-01-31T14:30:00Z',
      { months: 1 },
      '2028-02-29T17:00:00.000Z',
    ],
    [
      'moves 29 February + 1 year to 28 February',
      '2028-02-29T09:00:00Z',
      { years: 1 },
      '2029-02-28T17:00:00.000Z',
    ],
    [
      'keeps 29 February + 4 years on 29 February',
      '2028-02-29T09:00:00Z',
      { years: 4 },
      '2032-02-29T17:00:00.000Z',
    ],
    [
      'counts months from the enrollment, not from the previous step (31 Jan + 2 months is 31 Mar)',
      '2027-01-31T14:30:00Z',
      { months: 2 },
      '2027-03-31T16:00:00.000Z',
    ],
    [
      'counts days as calendar days and keeps noon across a DST change',
      '2026-03-05T15:00:00Z',
      { days: 7 },
      '2026-03-12T16:00:00.000Z',
    ],
    [
      "counts from the enrollment's date in the zone, not in UTC (21:30 Eastern is the next day in UTC)",
      '2026-11-03T02:30:00Z',
      { days: 7 },
      '2026-11-09T17:00:00.000Z',
    ],
    [
      'is due at once, never skipped, when its noon is already past (same day, enrolled after noon)',
      '2026-03-05T20:00:00Z',
      { days: 0 },
      '2026-03-05T20:00:00.000Z',
    ],
  ])('%s', (_label, enrolledAt, offset, expected) => {
    // act
    const due = dueAtFor(new Date(enrolledAt), offset, zone);

    // assess
    expect(due.toISOString()).toBe(expected);
  });

  it('refuses an invalid enrollment date', () => {
    // act
    const act = () => dueAtFor(new Date(Number.NaN), { days: 7 }, zone);

    // assess
    expect(act).toThrow(RangeError);
  });
});

describe('renderTemplate', () => {
  it.each([
    ['Hi {firstName}, welcome home.', 'Hi, welcome home.'],
    ['Happy anniversary, {firstName}!', 'Happy anniversary!'],
    ['{firstName}, welcome home.', 'welcome home.'],
    ['Hi {firstName} and family!', 'Hi and family!'],
    ['Hi {firstName}', 'Hi'],
    ['Hi {firstName} {address}!', 'Hi!'],
  ])('drops a missing field with its dangling separator: %j → %j', (template, expected) => {
    // act
    const text = renderTemplate(template, {});

    // assess
    expect(text).toBe(expected);
  });

  it('fills known fields and puts a value on one line', () => {
    // act
    const text = renderTemplate('Hi {firstName}, see you at {address}.', {
      firstName: 'Ana',
      address: '12 Elm St\nApt 4',
    });

    // assess
    expect(text).toBe('Hi Ana, see you at 12 Elm St Apt 4.');
  });

  it('leaves an unknown field visible so a preview shows it', () => {
    // act
    const text = renderTemplate('Hi {nickname}, {firstName}', { firstName: 'Ana' });

    // assess
    expect(text).toBe('Hi {nickname}, Ana');
  });

  it('treats a blank value as missing', () => {
    // act
    const text = renderTemplate('Hi {firstName}, welcome.', { firstName: '   ' });

    // assess
    expect(text).toBe('Hi, welcome.');
  });
});

describe('firstNameOf', () => {
  it('takes the first word of the name and nothing from an empty one', () => {
    // act + assess
    expect(firstNameOf('  Maria  del Carmen Lopez ')).toBe('Maria');
    expect(firstNameOf('   ')).toBeUndefined();
    expect(firstNameOf(undefined)).toBeUndefined();
  });
});

describe('utcDay', () => {
  it('is the calendar day in UTC, not local time', () => {
    // act + assess
    expect(utcDay(new Date('2026-12-31T23:59:59-08:00'))).toBe('2027-01-01');
  });
});
