import fc from 'fast-check';
import { evaluateWindow } from '../../../lambdas/compliance/window';
import type { Purpose, RecipientLocation } from '../../../lambdas/compliance/types';
import { oracleAllows, oracleFirstAllowed } from './window-oracle';

const NY = 'America/New_York';
const CHI = 'America/Chicago';
const DEN = 'America/Denver';
const LA = 'America/Los_Angeles';

function next(location: RecipientLocation, iso: string, purpose: Purpose = 'automated') {
  return evaluateWindow({ location, at: new Date(iso), purpose });
}

describe('evaluateWindow', () => {
  it.each([
    // [case, states, zones, at (UTC), purpose, allowed, nextAllowedAt (UTC)]
    [
      'holds a Florida text sent at 20:30 until 08:00',
      ['FL'],
      [NY],
      '2026-11-24T01:30:00Z',
      'automated',
      false,
      '2026-11-24T13:00:00.000Z',
    ],
    [
      'allows a New York text at 20:30 (federal 21:00)',
      ['NY'],
      [NY],
      '2026-11-24T01:30:00Z',
      'manual',
      true,
      '2026-11-24T01:30:00.000Z',
    ],
    [
      'holds Connecticut until 09:00',
      ['CT'],
      [NY],
      '2026-11-23T13:30:00Z',
      'manual',
      false,
      '2026-11-23T14:00:00.000Z',
    ],
    [
      'holds a Texas Sunday morning text until noon',
      ['TX'],
      [CHI],
      '2026-11-22T16:00:00Z',
      'manual',
      false,
      '2026-11-22T18:00:00.000Z',
    ],
    [
      'allows a Texas Saturday 09:30 text',
      ['TX'],
      [CHI],
      '2026-11-21T15:30:00Z',
      'automated',
      true,
      '2026-11-21T15:30:00.000Z',
    ],
    [
      'holds a Utah Sunday text until Monday 08:00',
      ['UT'],
      [DEN],
      '2026-11-22T18:00:00Z',
      'automated',
      false,
      '2026-11-23T15:00:00.000Z',
    ],
    [
      'holds a Rhode Island Saturday 17:30 text until Monday 09:00',
      ['RI'],
      [NY],
      '2026-11-21T22:30:00Z',
      'manual',
      false,
      '2026-11-23T14:00:00.000Z',
    ],
    [
      'holds a Rhode Island Friday 18:30 text until Saturday 10:00',
      ['RI'],
      [NY],
      '2026-11-20T23:30:00Z',
      'manual',
      false,
      '2026-11-21T15:00:00.000Z',
    ],
    [
      'holds a South Dakota Saturday text until Monday 09:00',
      ['SD'],
      [CHI],
      '2026-11-21T16:00:00Z',
      'automated',
      false,
      '2026-11-23T15:00:00.000Z',
    ],
    [
      'holds Kentucky until 10:00',
      ['KY'],
      [NY],
      '2026-11-23T14:30:00Z',
      'manual',
      false,
      '2026-11-23T15:00:00.000Z',
    ],
    [
      'holds on Thanksgiving until Friday 08:00',
      ['NY'],
      [NY],
      '2026-11-26T15:00:00Z',
      'automated',
      false,
      '2026-11-27T13:00:00.000Z',
    ],
    [
      'lets a manual text go on Thanksgiving',
      ['NY'],
      [NY],
      '2026-11-26T15:00:00Z',
      'manual',
      true,
      '2026-11-26T15:00:00.000Z',
    ],
    [
      'observes a Sunday Christmas (2033) on Monday too',
      ['NY'],
      [NY],
      '2033-12-25T15:00:00Z',
      'automated',
      false,
      '2033-12-27T13:00:00.000Z',
    ],
    [
      'holds a Utah Pioneer Day text, manual too',
      ['UT'],
      [DEN],
      '2026-07-24T18:00:00Z',
      'manual',
      false,
      '2026-07-25T14:00:00.000Z',
    ],
    [
      'releases at 08:00 EDT on the spring-forward night',
      ['NY'],
      [NY],
      '2026-03-08T06:30:00Z',
      'automated',
      false,
      '2026-03-08T12:00:00.000Z',
    ],
    [
      'releases at 08:00 EST on the fall-back night',
      ['NY'],
      [NY],
      '2026-11-01T05:30:00Z',
      'automated',
      false,
      '2026-11-01T13:00:00.000Z',
    ],
    [
      'waits for the later zone of a split area code (850)',
      ['FL'],
      [NY, CHI],
      '2026-11-23T13:30:00Z',
      'automated',
      false,
      '2026-11-23T14:00:00.000Z',
    ],
    [
      'stops at the earlier zone of a split area code (850)',
      ['FL'],
      [NY, CHI],
      '2026-11-24T01:30:00Z',
      'automated',
      false,
      '2026-11-24T14:00:00.000Z',
    ],
    [
      'uses 12:00-20:00 Eastern for an unknown location',
      [],
      [],
      '2026-11-23T16:30:00Z',
      'manual',
      false,
      '2026-11-23T17:00:00.000Z',
    ],
    [
      'intersects disagreeing signals (TX phone, CA contact)',
      ['TX', 'CA'],
      [CHI, LA],
      '2026-11-23T16:30:00Z',
      'manual',
      false,
      '2026-11-23T17:00:00.000Z',
    ],
  ] as const)('%s', (_case, states, zones, at, purpose, allowed, expected) => {
    const location = { states: [...states], zones: [...zones] };

    const verdict = next(location, at, purpose);

    expect(verdict.allowed).toBe(allowed);
    expect(verdict.nextAllowedAt?.toISOString()).toBe(expected);
    expect(verdict.reasons.length > 0).toBe(!allowed);
  });

  it('exempts replies to the contact’s own keyword at 03:00', () => {
    const at = '2026-11-23T08:00:00Z';

    const verdict = next({ states: ['RI'], zones: [NY] }, at, 'confirmation');

    expect(verdict).toEqual({ allowed: true, nextAllowedAt: new Date(at), reasons: [] });
  });

  it('names the rule, zone and local time in its reasons', () => {
    const verdict = next({ states: ['FL'], zones: [NY] }, '2026-11-24T01:30:00Z');

    expect(verdict.reasons).toEqual(['20:30 in America/New_York is outside 08:00-20:00 (federal, FL)']);
  });
});

const zonePool = [
  NY,
  CHI,
  DEN,
  'America/Phoenix',
  LA,
  'America/Anchorage',
  'Pacific/Honolulu',
  'America/Boise',
];
const statePool = ['NY', 'CA', 'FL', 'CT', 'TX', 'UT', 'LA', 'AL', 'RI', 'SD', 'KY', 'NV', 'MI', 'WA', 'AZ'];

const locations = fc.record({
  states: fc.uniqueArray(fc.constantFrom(...statePool), { maxLength: 3 }),
  zones: fc.uniqueArray(fc.constantFrom(...zonePool), { maxLength: 3 }),
});
// Instants around DST changes, holidays and ordinary days, at whole minutes.
const anchors = [
  '2026-03-08T00:00:00Z',
  '2026-11-01T00:00:00Z',
  '2026-11-25T00:00:00Z',
  '2033-12-23T00:00:00Z',
  '2027-07-02T00:00:00Z',
  '2028-02-10T00:00:00Z',
];
const instants = fc
  .tuple(
    fc.constantFrom(...anchors),
    // Half-hour marks often, since every window edge sits on one.
    fc.oneof(
      fc.integer({ min: 0, max: 4 * 24 * 60 }),
      fc.integer({ min: 0, max: 4 * 48 }).map((n) => n * 30),
    ),
  )
  .map(([anchor, minutes]) => new Date(Date.parse(anchor) + minutes * 60_000));
const purposes = fc.constantFrom<Purpose>('automated', 'manual');

describe('evaluateWindow properties', () => {
  it('agrees with a minute-by-minute oracle on whether now is allowed', () => {
    fc.assert(
      fc.property(locations, instants, purposes, (location, at, purpose) => {
        expect(evaluateWindow({ location, at, purpose }).allowed).toBe(oracleAllows(location, at, purpose));
      }),
      { numRuns: 400 },
    );
  });

  it('finds the earliest allowed minute: inside every window, no earlier allowed minute', () => {
    const horizonMinutes = 4 * 24 * 60;
    fc.assert(
      fc.property(locations, instants, purposes, (location, at, purpose) => {
        const verdict = evaluateWindow({ location, at, purpose });

        const expected = oracleFirstAllowed(location, at, purpose, horizonMinutes);

        const horizonEnd = at.getTime() + horizonMinutes * 60_000;
        const found = verdict.nextAllowedAt?.getTime() ?? Number.POSITIVE_INFINITY;
        // Within the horizon the two must agree to the minute; beyond it the oracle saw nothing earlier.
        expect(expected ? found : Math.max(found, horizonEnd)).toBe(expected ? expected.getTime() : found);
        expect(verdict.nextAllowedAt === null || oracleAllows(location, verdict.nextAllowedAt, purpose)).toBe(
          true,
        );
      }),
      { numRuns: 150 },
    );
  });
});
