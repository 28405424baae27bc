import { evaluateWindow } from '../../../lambdas/compliance/window';

const NY = 'America/New_York';

describe('holidays: Pennsylvania and Saturday observance (RULES §3)', () => {
  it('holds an automated text to Pennsylvania on Juneteenth until the next day', () => {
    // act: Friday 2026-06-19, 10:00 in Philadelphia
    const verdict = evaluateWindow({
      location: { states: ['PA'], zones: [NY] },
      at: new Date('2026-06-19T14:00:00Z'),
      purpose: 'automated',
    });

    // assess
    expect(verdict.allowed).toBe(false);
    expect(verdict.reasons.join(' ')).toMatch(/Juneteenth/);
    expect(verdict.nextAllowedAt).toEqual(new Date('2026-06-20T12:00:00Z'));
  });

  it('lets the same text go to New York on Juneteenth', () => {
    // act
    const verdict = evaluateWindow({
      location: { states: ['NY'], zones: [NY] },
      at: new Date('2026-06-19T14:00:00Z'),
      purpose: 'automated',
    });

    // assess
    expect(verdict.allowed).toBe(true);
  });

  it('observes Christmas on a Saturday the Friday before too', () => {
    // act: Friday 2027-12-24, 10:00 in New York; Christmas 2027 is a Saturday
    const friday = evaluateWindow({
      location: { states: ['NY'], zones: [NY] },
      at: new Date('2027-12-24T15:00:00Z'),
      purpose: 'automated',
    });
    const thursday = evaluateWindow({
      location: { states: ['NY'], zones: [NY] },
      at: new Date('2027-12-23T15:00:00Z'),
      purpose: 'automated',
    });

    // assess
    expect(friday.allowed).toBe(false);
    expect(friday.reasons.join(' ')).toMatch(/Christmas Day \(observed\)/);
    expect(thursday.allowed).toBe(true);
  });
});

describe('holidays: Pennsylvania holds automated texts only (RULES §3)', () => {
  it('lets a manual text go to Pennsylvania on Juneteenth, and still holds one to Louisiana on Mardi Gras', () => {
    // act: Friday 2026-06-19, 10:00 in Philadelphia; Tuesday 2026-02-17, 10:00 in New Orleans
    const pennsylvania = evaluateWindow({
      location: { states: ['PA'], zones: [NY] },
      at: new Date('2026-06-19T14:00:00Z'),
      purpose: 'manual',
    });
    const louisiana = evaluateWindow({
      location: { states: ['LA'], zones: ['America/Chicago'] },
      at: new Date('2026-02-17T16:00:00Z'),
      purpose: 'manual',
    });

    // assess
    expect(pennsylvania.allowed).toBe(true);
    expect(pennsylvania.reasons).toEqual([]);
    expect(louisiana.allowed).toBe(false);
    expect(louisiana.reasons.join(' ')).toMatch(/holiday 2026-02-17/);
  });
});
