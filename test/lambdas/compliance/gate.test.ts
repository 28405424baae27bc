import fc from 'fast-check';
import { decide, type GateInput } from '../../../lambdas/compliance/gate';
import type { ConsentEvent } from '../../../lambdas/compliance/types';
import { messageTexts } from '../../../lambdas/rules/messages';
import { quietHours } from '../../../lambdas/rules/quiet-hours';
import { event } from './consent-events';

const phone = '+13055550100';
const agent = { id: 'agent-a', name: 'Dana Reyes', brokerage: 'Harbor Realty', suspended: false };
const florida = { states: ['FL'], zones: ['America/New_York'] };
// Monday 2026-11-23 10:00 in Miami.
const weekdayMorning = new Date('2026-11-23T15:00:00Z');

function consent(overrides: Partial<ConsentEvent> = {}): ConsentEvent {
  return event('express_written', '2026-01-10T12:00:00Z', {
    id: 'evt-consent',
    agentId: agent.id,
    phone,
    method: 'signed_form',
    ...overrides,
  });
}

/** A global opt-out (from any agent's number) of the phone at `at`. */
function globalOptOut(at: string): ConsentEvent {
  return consent({ id: 'opt-1', agentId: '*', type: 'global_opt_out', at: new Date(at) });
}

function input(overrides: Partial<GateInput> = {}): GateInput {
  return {
    at: weekdayMorning,
    purpose: 'automated',
    agent,
    recipient: { phone, location: florida },
    consentEvents: [consent()],
    body: 'Hi Sam, happy one-year home anniversary!',
    ...overrides,
  };
}

describe('decide', () => {
  it('sends a consented drip text inside the window, prefixed and with the opt-out footer', () => {
    const decision = decide(input());

    expect(decision.verdict).toBe('send');
    expect(decision.body).toBe(
      `Dana Reyes (Harbor Realty): Hi Sam, happy one-year home anniversary!\n${messageTexts.optOutFooter}`,
    );
    expect(decision.receipt.consent).toMatchObject({ status: 'express_written', reliedOn: 'evt-consent' });
    expect(decision.receipt.recipient.localTimes).toEqual([
      { zone: 'America/New_York', local: '2026-11-23 10:00 mon' },
    ]);
    expect(decision.receipt.rulesVersions).toContain(quietHours.version);
  });

  it('holds a Florida text sent at 20:30 until 08:00', () => {
    const decision = decide(input({ at: new Date('2026-11-24T01:30:00Z') }));

    expect(decision.verdict).toBe('hold');
    expect(decision.releaseAt?.toISOString()).toBe('2026-11-24T13:00:00.000Z');
    expect(decision.receipt.reasons.join(' ')).toMatch(/outside 08:00-20:00/);
  });

  it('blocks a suspended agent before anything else', () => {
    const decision = decide(input({ agent: { ...agent, suspended: true } }));

    expect(decision.verdict).toBe('block');
    expect(decision.receipt.reasons).toEqual(['account suspended pending review']);
  });

  it('blocks when a global opt-out from another agent’s number is later than the consent', () => {
    const optOut = globalOptOut('2026-06-01T12:00:00Z');

    const decision = decide(input({ consentEvents: [consent(), optOut] }));

    expect(decision.verdict).toBe('block');
    expect(decision.receipt.consent.status).toBe('opted_out');
    expect(decision.receipt.reasons).toEqual(['the number is on the global opt-out list']);
  });

  it('blocks an automated text resting on an inquiry only, but lets a manual one go', () => {
    const inquiry = consent({ id: 'inq', type: 'ebr_inquiry', at: new Date('2026-11-01T12:00:00Z') });

    const automated = decide(input({ consentEvents: [inquiry] }));
    const manual = decide(
      input({ consentEvents: [inquiry], purpose: 'manual', body: 'Dana Reyes here, the showing is at 4.' }),
    );

    expect(automated.verdict).toBe('block');
    expect(manual.verdict).toBe('send');
    expect(manual.body).toBe('Dana Reyes here, the showing is at 4.');
  });

  it('blocks a public URL shortener', () => {
    const decision = decide(input({ body: 'See the listing: https://bit.ly/3abcd' }));

    expect(decision.verdict).toBe('block');
    expect(decision.receipt.reasons[0]).toMatch(/bit\.ly/);
  });

  it('holds the fourth Florida text in 24 h until both the cap and the window allow it', () => {
    const recentSends = ['2026-11-22T23:30:00Z', '2026-11-23T01:00:00Z', '2026-11-23T02:00:00Z'].map(
      (at) => ({
        at: new Date(at),
        purpose: 'manual' as const,
      }),
    );

    const decision = decide(input({ purpose: 'manual', at: new Date('2026-11-23T15:00:00Z'), recentSends }));

    // The oldest send frees its slot at 2026-11-23T23:30Z = 18:30 in Miami, inside the window.
    expect(decision.verdict).toBe('hold');
    expect(decision.releaseAt?.toISOString()).toBe('2026-11-23T23:30:00.000Z');
  });

  it('sends an opt-out confirmation at 03:00 to an opted-out number of a suspended agent', () => {
    const optOut = globalOptOut('2026-11-23T07:59:00Z');

    const decision = decide(
      input({
        purpose: 'confirmation',
        at: new Date('2026-11-23T08:00:00Z'),
        agent: { ...agent, suspended: true },
        consentEvents: [optOut],
        body: 'Dana Reyes (Harbor Realty): You have been unsubscribed. Reply START to resubscribe.',
      }),
    );

    expect(decision.verdict).toBe('send');
    expect(decision.receipt.consent.status).toBe('exempt');
  });

  it('waits for double opt-in acceptance before anything but the opt-in request', () => {
    const waiting = decide(input({ doubleOptIn: { status: 'sent', isOptInRequest: false } }));
    const request = decide(input({ doubleOptIn: { status: 'not_sent', isOptInRequest: true } }));
    const accepted = decide(input({ doubleOptIn: { status: 'accepted', isOptInRequest: false } }));

    expect(waiting.verdict).toBe('block');
    expect(request.verdict).toBe('send');
    expect(accepted.verdict).toBe('send');
  });

  it('locates the recipient from the phone when no location is passed', () => {
    // 850 spans Eastern and Central: 07:30 Central is too early even though it is 08:30 Eastern.
    const panhandle = '+18505550100';

    const decision = decide(
      input({
        recipient: { phone: panhandle },
        consentEvents: [consent({ phone: panhandle })],
        at: new Date('2026-11-23T13:30:00Z'),
      }),
    );

    expect(decision.receipt.recipient.zones).toEqual(
      expect.arrayContaining(['America/Chicago', 'America/New_York']),
    );
    expect(decision.verdict).toBe('hold');
    expect(decision.releaseAt?.toISOString()).toBe('2026-11-23T14:00:00.000Z');
  });
});

describe('decide properties', () => {
  const instants = fc.date({
    min: new Date('2026-01-01T00:00:00Z'),
    max: new Date('2030-12-31T00:00:00Z'),
    noInvalidDate: true,
  });

  it('never sends an automated text whose latest revocation is later than every consent', () => {
    fc.assert(
      fc.property(instants, fc.integer({ min: 1, max: 10_000_000 }), (at, gapMs) => {
        const revocation = consent({ id: 'rev', type: 'revocation', at: new Date(at.getTime() - 1) });
        const earlier = consent({ at: new Date(at.getTime() - 1 - gapMs) });

        expect(decide(input({ at, consentEvents: [earlier, revocation] })).verdict).toBe('block');
      }),
    );
  });

  it('holds only until an instant the gate itself would send at', () => {
    fc.assert(
      fc.property(instants, (at) => {
        const held = decide(input({ at }));
        fc.pre(held.verdict === 'hold');

        expect(decide(input({ at: held.releaseAt! })).verdict).toBe('send');
      }),
      { numRuns: 300 },
    );
  });
});

describe('composeBody', () => {
  it('adds no second footer to a text that already ends with it', () => {
    const body =
      'You are subscribed. Msg & data rates may apply. Reply HELP for help. Reply STOP to opt out.';

    const decision = decide(input({ body: `Dana Reyes (Harbor Realty): ${body}` }));

    expect(decision.body).toBe(`Dana Reyes (Harbor Realty): ${body}`);
  });

  it('adds the footer when STOP appears without an opt-out instruction', () => {
    const decision = decide(
      input({ body: 'Dana Reyes: the STOP sign on Elm St is fixed. Opt for the side door.' }),
    );

    expect(decision.body.endsWith(`\n${messageTexts.optOutFooter}`)).toBe(true);
  });
});
