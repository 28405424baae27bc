import fc from 'fast-check';
import {
  STEP_MINUTE,
  closingAnchorOf,
  stepDueAfter,
  contactZone,
  planCadence,
  planEnrollment,
} from '../../../lambdas/compliance/cadence';
import { defaultCadence, type Cadence } from '../../../lambdas/rules/cadence';
import { stateZones } from '../../../lambdas/rules/state-zones';
import { dateIn, wallClock } from '../../support/wall-clock';

const agent = { name: 'Dana Reyes', brokerage: 'Harbor Realty' };
const contact = { name: 'Maria Lopez', address: '12 Elm St' };
/** Every zone the location rules can place a contact in. */
const zones = [...new Set(Object.values(stateZones.states).flat())].sort();

/** `date` + `years` calendar years; 29 February becomes 28 February in a common year. */
function anniversaryOf(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const year = y + years;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const day = m === 2 && d === 29 && !leap ? 28 : d;
  return `${year}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

const closingDates = fc
  .date({ min: new Date('1995-01-01T00:00:00Z'), max: new Date('2040-12-31T00:00:00Z'), noInvalidDate: true })
  .map((at) => at.toISOString().slice(0, 10));
const YEAR_MS = 365.25 * 86_400_000;

/** A closing, a zone and an enrollment from a year before the closing to twelve years after it. */
const scenario = fc
  .record({
    closing: closingDates,
    zone: fc.constantFrom(...zones),
    enrolledAfter: fc.double({ min: -1, max: 12, noNaN: true }),
  })
  .map(({ closing, zone, enrolledAfter }) => ({
    closing,
    zone,
    enrolledAt: new Date(Date.parse(`${closing}T15:00:00Z`) + Math.round(enrolledAfter * YEAR_MS)),
  }));

const closingSteps = defaultCadence.steps.filter((step) => step.anchor === 'closing');

/** The default cadence planned for one scenario: the contact closed on `closing`, lives in `zone`. */
function inputOf({ closing, zone, enrolledAt }: { closing: string; zone: string; enrolledAt: Date }) {
  return { cadence: defaultCadence, enrolledAt, contact, agent, closing: { date: closing }, zone };
}

describe('a cadence anchored to the closing', () => {
  it('puts no step before its anchor', () => {
    fc.assert(
      fc.property(scenario, ({ closing, zone, enrolledAt }) => {
        const plan = planCadence(inputOf({ closing, zone, enrolledAt }));
        const early = plan.filter((step) =>
          step.anchor === 'closing'
            ? dateIn(zone, step.dueAt) <= closing
            : step.dueAt.getTime() <= enrolledAt.getTime(),
        );
        expect(early).toEqual([]);
        expect(plan.filter((step) => step.anchor === 'closing').map((step) => step.step)).toEqual(
          closingSteps.map((step) => step.step),
        );
      }),
    );
  });

  it('skips a step exactly when its moment had passed at enrollment, and says why', () => {
    fc.assert(
      fc.property(scenario, ({ closing, zone, enrolledAt }) => {
        const input = inputOf({ closing, zone, enrolledAt });
        const all = planCadence(input);
        const { steps, skipped } = planEnrollment(input);

        const passed = all.filter((step) => step.dueAt.getTime() <= enrolledAt.getTime()).map((s) => s.step);
        expect(skipped.map((step) => step.step)).toEqual(passed);
        expect(steps.map((step) => step.step)).toEqual(
          all.filter((step) => !passed.includes(step.step)).map((s) => s.step),
        );
        for (const step of steps) expect(step.dueAt.getTime()).toBeGreaterThan(enrolledAt.getTime());
        for (const step of skipped) {
          expect(step.anchor).toBe('closing');
          expect(Date.parse(step.dueAt)).toBeLessThanOrEqual(enrolledAt.getTime());
          expect(step.reason).toContain(`the closing on ${closing}`);
          expect(step.reason).toContain(enrolledAt.toISOString());
        }
      }),
    );
  });

  it("lands every anniversary step on the closing's anniversary in the contact's zone", () => {
    const anniversaries = closingSteps.filter((step) => 'years' in step.offset);
    expect(anniversaries.length).toBeGreaterThan(0);
    fc.assert(
      fc.property(scenario, ({ closing, zone, enrolledAt }) => {
        const plan = planCadence(inputOf({ closing, zone, enrolledAt }));
        for (const { step, offset } of anniversaries) {
          const planned = plan.find((p) => p.step === step)!;
          const years = (offset as { years: number }).years;
          expect(dateIn(zone, planned.dueAt)).toBe(anniversaryOf(closing, years));
          expect(wallClock(zone, planned.dueAt).minute).toBe(STEP_MINUTE);
          expect(planned.body).not.toContain('{years}');
        }
      }),
    );
  });

  it('counts every step from the enrollment when the contact has no closing date', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('1995-01-01T00:00:00Z'),
          max: new Date('2060-01-01T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.constantFrom(...zones),
        (enrolledAt, zone) => {
          const { steps, skipped } = planEnrollment({
            cadence: defaultCadence,
            enrolledAt,
            contact,
            agent,
            zone,
          });
          expect(skipped).toEqual([]);
          expect(steps).toHaveLength(defaultCadence.steps.length);
          for (const step of steps) expect(step.anchor).toBe('enrollment');
        },
      ),
    );
  });

  it('skips the welcome and early steps of a contact who closed three years before enrolling', () => {
    // prepare
    const zone = 'America/Chicago';
    const closing = '2023-06-01';
    const enrolledAt = new Date('2026-06-15T15:00:00Z');

    // act
    const { steps, skipped } = planEnrollment(inputOf({ closing, zone, enrolledAt }));

    // assess
    const expectedSkipped = closingSteps
      .filter((step) => dateIn(zone, stepDueAfter(closing, step.offset, zone)) < '2026-06-15')
      .map((step) => step.step);
    expect(skipped.map((step) => step.step)).toEqual(expectedSkipped);
    expect(skipped[0]).toMatchObject({ step: 1, anchor: 'closing', dueAt: '2023-06-08T17:00:00.000Z' });
    expect(skipped[0]!.reason).toMatch(
      /moment had passed: due 2023-06-08T17:00:00\.000Z, 7 days after the closing on 2023-06-01/,
    );
    expect(steps.some((step) => step.body.includes('trusting me with your move'))).toBe(false);
    const nextAnniversary = steps
      .filter((step) => step.anchor === 'closing')
      .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime())[0]!;
    expect(dateIn(zone, nextAnniversary.dueAt)).toBe('2027-06-01');
    expect(nextAnniversary.body).toContain('Happy 4-year home anniversary, Maria!');
    expect(steps.length + skipped.length).toBe(defaultCadence.steps.length);
  });

  it('keeps a future closing: closing steps count from it, none is skipped', () => {
    // act
    const { steps, skipped } = planEnrollment({
      cadence: defaultCadence,
      enrolledAt: new Date('2026-05-01T15:00:00Z'),
      contact,
      agent,
      closing: { date: '2026-06-30' },
      zone: 'America/New_York',
    });

    // assess
    expect(skipped).toEqual([]);
    expect(dateIn('America/New_York', steps.find((step) => step.step === 1)!.dueAt)).toBe('2026-07-07');
  });

  it('treats a saved cadence whose steps name no anchor as counted from the enrollment', () => {
    // prepare
    const legacy: Pick<Cadence, 'steps' | 'fallbacks'> = {
      fallbacks: {},
      steps: [{ step: 1, offset: { days: 7 }, template: 'Hi {firstName}' }],
    };
    const enrolledAt = new Date('2026-06-15T15:00:00Z');

    // act
    const plan = planCadence({
      cadence: legacy,
      enrolledAt,
      contact,
      agent,
      closing: { date: '2020-01-01' },
      zone: 'America/Chicago',
    });

    // assess
    expect(plan).toEqual([
      { step: 1, anchor: 'enrollment', dueAt: new Date('2026-06-22T17:00:00Z'), body: 'Hi Maria' },
    ]);
  });
});

describe('closingAnchorOf', () => {
  const ebr = (id: string, at: string) => ({ id, type: 'ebr_transaction' as const, at: new Date(at) });

  it("prefers the contact's closing date over any ebr_transaction", () => {
    // act
    const anchor = closingAnchorOf(
      { closingDate: '2024-03-01' },
      [ebr('e1', '2025-01-01T12:00:00Z')],
      'America/Chicago',
    );

    // assess
    expect(anchor).toEqual({ date: '2024-03-01', source: 'closingDate' });
  });

  it("takes the latest ebr_transaction's date in the contact's zone otherwise", () => {
    // prepare: 03:00 UTC on 2 May is still 1 May in Chicago
    const events = [
      ebr('e1', '2022-01-10T12:00:00Z'),
      ebr('e2', '2024-05-02T03:00:00Z'),
      { id: 'e3', type: 'express_written' as const, at: new Date('2025-01-01T00:00:00Z') },
    ];

    // act
    const anchor = closingAnchorOf({}, events, 'America/Chicago');

    // assess
    expect(anchor).toEqual({ date: '2024-05-01', source: 'ebr_transaction', eventId: 'e2' });
  });

  it('is undefined without a closing date and without an ebr_transaction', () => {
    // act + assess
    expect(closingAnchorOf({}, [], 'America/Chicago')).toBeUndefined();
  });
});

describe('contactZone', () => {
  it('uses the explicit zone, else the zones its state and area code point to', () => {
    // act + assess
    expect(contactZone({ phone: '+12125550123', timeZone: 'America/Denver' })).toBe('America/Denver');
    expect(contactZone({ phone: '+13125550123' })).toBe('America/Chicago');
    expect(contactZone({ phone: '+12125550123', timeZone: '-05:00' })).toBe('America/New_York');
  });
});
