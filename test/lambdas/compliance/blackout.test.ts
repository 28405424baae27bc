import { blackoutProblems, type EmergencyBlackout } from '../../../lambdas/compliance/blackout';
import { decide, type GateInput } from '../../../lambdas/compliance/gate';
import type { ConsentEvent, Purpose } from '../../../lambdas/compliance/types';
import { blackoutRules } from '../../../lambdas/rules/blackouts';
import { event } from './consent-events';

const agent = { id: 'agent-a', name: 'Dana Reyes', brokerage: 'Harbor Realty', suspended: false };
const NEW_ORLEANS = '+15045550123';
const DALLAS = '+12145550123';
// Tuesday 2026-03-10, 10:00 in New Orleans and Dallas (CDT, UTC-5).
const TUESDAY_MORNING = new Date('2026-03-10T15:00:00Z');
const DAY_MS = 86_400_000;

function consent(phone: string): ConsentEvent {
  return event('express_written', '2026-01-10T12:00:00Z', {
    id: `consent-${phone}`,
    agentId: agent.id,
    phone,
    method: 'signed_form',
  });
}

function blackout(overrides: Partial<EmergencyBlackout> = {}): EmergencyBlackout {
  return {
    id: 'blk-ida',
    states: ['LA'],
    // Monday 00:00 to Thursday 18:00 in New Orleans.
    start: new Date('2026-03-09T05:00:00Z'),
    end: new Date('2026-03-12T23:00:00Z'),
    reason: 'Hurricane Ida: state of emergency (R.S. 45:844.31)',
    ...overrides,
  };
}

function input(
  phone: string,
  overrides: Partial<GateInput> = {},
  recipient: Partial<GateInput['recipient']> = {},
): GateInput {
  return {
    at: TUESDAY_MORNING,
    purpose: 'automated',
    agent,
    recipient: { phone, ...recipient },
    consentEvents: [consent(phone)],
    body: 'Hi Sam, happy one-year home anniversary!',
    blackouts: [blackout()],
    ...overrides,
  };
}

describe('decide with state-of-emergency blackouts (RULES §3)', () => {
  it('holds an automated text to Louisiana during a Louisiana blackout until it ends, naming it', () => {
    // act
    const decision = decide(input(NEW_ORLEANS));

    // assess
    expect(decision.verdict).toBe('hold');
    expect(decision.releaseAt?.toISOString()).toBe('2026-03-12T23:00:00.000Z');
    expect(decision.receipt.releaseAt).toBe('2026-03-12T23:00:00.000Z');
    expect(decision.receipt.blackouts).toEqual([
      {
        id: 'blk-ida',
        states: ['LA'],
        reason: 'Hurricane Ida: state of emergency (R.S. 45:844.31)',
        end: '2026-03-12T23:00:00.000Z',
      },
    ]);
    expect(decision.receipt.reasons.join(' ')).toMatch(
      /blackout blk-ida \(LA\) until 2026-03-12T23:00:00.000Z/,
    );
  });

  it.each([
    // [blackout end, release, why]
    ['2026-03-13T02:00:00Z', '2026-03-13T13:00:00.000Z', 'ends Thursday 21:00: Friday 08:00'],
    [
      '2026-03-15T03:00:00Z',
      '2026-03-16T13:00:00.000Z',
      'ends Saturday 22:00: no Sundays in Louisiana, Monday 08:00',
    ],
    ['2026-03-12T23:00:30Z', '2026-03-12T23:00:30.000Z', 'ends inside the window: at its end'],
  ])('releases a held text at the next allowed window after the end (%s → %s: %s)', (end, release) => {
    // act
    const decision = decide(input(NEW_ORLEANS, { blackouts: [blackout({ end: new Date(end) })] }));

    // assess
    expect(decision.verdict).toBe('hold');
    expect(decision.releaseAt?.toISOString()).toBe(release);
  });

  it('sends the same text before the blackout starts and after it ends', () => {
    // act: Friday 10:00, after the end; Friday of the week before, before the start
    const after = decide(input(NEW_ORLEANS, { at: new Date('2026-03-13T15:00:00Z') }));
    const before = decide(input(NEW_ORLEANS, { at: new Date('2026-03-06T16:00:00Z') }));

    // assess
    expect(after.verdict).toBe('send');
    expect(before.verdict).toBe('send');
    expect(after.receipt.blackouts).toBeUndefined();
  });

  it('leaves another state’s recipient unaffected, receipt byte for byte as without the blackout', () => {
    // act
    const during = decide(input(DALLAS));
    const without = decide(input(DALLAS, { blackouts: undefined }));

    // assess
    expect(during.verdict).toBe('send');
    expect(JSON.stringify(during)).toBe(JSON.stringify(without));
  });

  it.each<[Purpose, string]>([
    ['manual', 'send'],
    ['confirmation', 'send'],
    ['automated', 'hold'],
  ])('holds automated texts only: a %s text to Louisiana during the blackout is "%s"', (purpose, verdict) => {
    // act
    const decision = decide(input(NEW_ORLEANS, { purpose }));

    // assess
    expect(blackoutRules.appliesTo).toEqual(['automated']);
    expect(decision.verdict).toBe(verdict);
  });

  it.each([
    ['an area code of two states (201: NJ, NY), a New York blackout', '+12015550123', {}, ['NY']],
    ['an area code of two states (201: NJ, NY), a New Jersey blackout', '+12015550123', {}, ['NJ']],
    ['a New Orleans number whose contact says Texas', NEW_ORLEANS, { state: 'TX' }, ['LA']],
    ['a Dallas number whose ZIP is in Louisiana', DALLAS, { postalCode: '70112' }, ['LA']],
  ])('holds a recipient with any candidate state in the blackout: %s', (_, phone, signals, states) => {
    // act
    const decision = decide(input(phone, { blackouts: [blackout({ states })] }, signals));

    // assess
    expect(decision.verdict).toBe('hold');
    expect(decision.receipt.recipient.states).toEqual(expect.arrayContaining(states));
    expect(decision.receipt.blackouts?.map((held) => held.id)).toEqual(['blk-ida']);
  });

  it('holds a recipient whose state is unknown under any blackout', () => {
    // act
    const decision = decide(
      input(
        NEW_ORLEANS,
        {},
        { location: { states: [], zones: ['America/New_York', 'America/Los_Angeles'] } },
      ),
    );

    // assess
    expect(blackoutRules.unknownLocation).toBe('held');
    expect(decision.verdict).toBe('hold');
  });

  it('moves a window release that falls inside a later blackout to after it', () => {
    // prepare: Tuesday 21:00 in New Orleans is past the window (next: Wednesday 08:00); a
    // blackout declared for Wednesday 00:00–12:00
    const at = new Date('2026-03-11T02:00:00Z');
    const later = blackout({
      start: new Date('2026-03-11T05:00:00Z'),
      end: new Date('2026-03-11T17:00:00Z'),
    });

    // act
    const decision = decide(input(NEW_ORLEANS, { at, blackouts: [later] }));

    // assess
    expect(decision.verdict).toBe('hold');
    expect(decision.releaseAt?.toISOString()).toBe('2026-03-11T17:00:00.000Z');
    expect(decision.receipt.reasons.join(' ')).toMatch(/outside 08:00-20:00/);
    expect(decision.receipt.reasons.join(' ')).toMatch(
      /the release waits for the end of state of emergency blackout/,
    );
    expect(decision.receipt.blackouts?.map((held) => held.id)).toEqual(['blk-ida']);
  });

  it('waits for back-to-back blackouts one after the other', () => {
    // prepare
    const first = blackout({ id: 'blk-1' });
    const second = blackout({ id: 'blk-2', start: first.end, end: new Date(first.end.getTime() + DAY_MS) });

    // act
    const decision = decide(input(NEW_ORLEANS, { blackouts: [second, first] }));

    // assess: Friday 18:00 in New Orleans
    expect(decision.releaseAt?.toISOString()).toBe('2026-03-13T23:00:00.000Z');
    expect(decision.receipt.blackouts?.map((held) => held.id)).toEqual(['blk-1', 'blk-2']);
  });

  it('ignores a blackout that was ended before it started', () => {
    // act
    const decision = decide(
      input(NEW_ORLEANS, { blackouts: [blackout({ end: new Date('2026-03-09T05:00:00Z') })] }),
    );

    // assess
    expect(decision.verdict).toBe('send');
  });

  it('still blocks what may never go: a blackout does not turn a block into a hold', () => {
    // act
    const decision = decide(input(NEW_ORLEANS, { consentEvents: [] }));

    // assess
    expect(decision.verdict).toBe('block');
    expect(decision.receipt.blackouts).toBeUndefined();
  });
});

describe('blackoutProblems', () => {
  const start = new Date('2026-03-09T05:00:00Z');
  const valid = { states: ['LA', 'MS'], start, end: new Date(start.getTime() + DAY_MS), reason: 'Hurricane' };

  it.each([
    ['end before start', { end: new Date(start.getTime() - 1) }, 'end', /must be after start/],
    ['end equal to start', { end: start }, 'end', /must be after start/],
    ['an unknown state', { states: ['LA', 'XX'] }, 'states.1', /not a USPS state or territory code/],
    [
      'a period over the longest',
      { end: new Date(start.getTime() + (blackoutRules.maxDays * DAY_MS + 60_000)) },
      'end',
      new RegExp(`at most ${blackoutRules.maxDays} days`),
    ],
    ['an empty reason', { reason: '  ' }, 'reason', /must not be empty/],
    ['no state', { states: [] }, 'states', /at least one state/],
  ])('refuses %s, naming the field and the rule', (_, change, path, message) => {
    // act
    const problems = blackoutProblems({ ...valid, ...change });

    // assess
    expect(problems).toEqual([{ path, message: expect.stringMatching(message) }]);
  });

  it('accepts territories and exactly the longest period', () => {
    // act
    const problems = blackoutProblems({
      ...valid,
      states: ['PR', 'VI', 'GU'],
      end: new Date(start.getTime() + blackoutRules.maxDays * DAY_MS),
    });

    // assess
    expect(problems).toEqual([]);
  });
});
