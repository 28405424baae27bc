import { evaluateWindow } from '../../../lambdas/compliance/window';
import type { Purpose } from '../../../lambdas/compliance/types';

const NY = 'America/New_York';

/** The window's verdict on a text of `purpose` at `at` to a recipient in one state and zone. */
function verdictFor(state: string, zone: string, at: string, purpose: Purpose) {
  return evaluateWindow({ location: { states: [state], zones: [zone] }, at: new Date(at), purpose });
}

describe('holidays: Pennsylvania and Saturday observance (RULES §3)', () => {
  it('holds an automated text to Pennsylvania on Juneteenth until the next day', () => {
    // act: Friday 2026-06-19, 10:00 in Philadelphia
    const verdict = verdictFor('PA', NY, '2026-06-19T14:00:00Z', 'automated');

    // assess
    expect(verdict.allowed).toBe(false);
    expect(verdict.reasons.join(' ')).toMatch(/Juneteenth/);
    expect(verdict.nextAllowedAt).toEqual(new Date('2026-06-20T12:00:00Z'));
  });

  it.each([
    // Christmas 2027 is a Saturday: observed on Friday 2027-12-24 too
    [
      'Christmas on a Saturday the Friday before',
      'NY',
      NY,
      '2027-12-24T15:00:00Z',
      'automated',
      /Christmas Day \(observed\)/,
    ],
    // Pennsylvania holds automated texts only; Louisiana holds a manual one on Mardi Gras (10:00 in New Orleans)
    [
      'Mardi Gras in Louisiana, even for a manual text',
      'LA',
      'America/Chicago',
      '2026-02-17T16:00:00Z',
      'manual',
      /holiday 2026-02-17/,
    ],
  ] as const)('observes %s', (_label, state, zone, at, purpose, reason) => {
    // act
    const verdict = verdictFor(state, zone, at, purpose);

    // assess
    expect(verdict.allowed).toBe(false);
    expect(verdict.reasons.join(' ')).toMatch(reason);
  });

  it.each([
    ['the same automated text to New York on Juneteenth', 'NY', '2026-06-19T14:00:00Z', 'automated'],
    [
      'an automated text to New York on the Thursday before an observed Christmas',
      'NY',
      '2027-12-23T15:00:00Z',
      'automated',
    ],
    ['a manual text to Pennsylvania on Juneteenth', 'PA', '2026-06-19T14:00:00Z', 'manual'],
  ] as const)('lets %s go', (_label, state, at, purpose) => {
    // act
    const verdict = verdictFor(state, NY, at, purpose);

    // assess
    expect(verdict.allowed).toBe(true);
    expect(verdict.reasons).toEqual([]);
  });
});
