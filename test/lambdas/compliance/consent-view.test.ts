import { describeConsent } from '../../../lambdas/compliance/consent-view';
import { agentA, agentB, event, phone } from './consent-events';

const now = new Date('2026-11-23T15:00:00Z');

describe('describeConsent', () => {
  it.each([
    [[], 'no_consent', { automated: false, manual: false, consentRequest: false }],
    [
      [event('express_written', '2026-11-20T16:00:00Z', { method: 'signed_form' })],
      'consented',
      { automated: true, manual: true, consentRequest: false },
    ],
    [
      [event('express_oral', '2026-11-20T16:00:00Z', { method: 'verbal_call' })],
      'oral_only',
      { automated: false, manual: true, consentRequest: true },
    ],
    [
      [event('ebr_transaction', '2026-06-01T16:00:00Z')],
      'ebr_only',
      { automated: false, manual: true, consentRequest: true },
    ],
    [
      [event('express_written', '2026-11-01T16:00:00Z'), event('revocation', '2026-11-10T16:00:00Z')],
      'revoked',
      { automated: false, manual: false, consentRequest: false },
    ],
    [
      [event('express_written', '2026-11-01T16:00:00Z'), event('global_opt_out', '2026-11-10T16:00:00Z')],
      'opted_out',
      { automated: false, manual: false, consentRequest: false },
    ],
  ] as const)('shows %j as %s with what it permits', (events, badge, permits) => {
    // act
    const view = describeConsent(events, { agentId: agentA, phone, at: now });

    // assess
    expect(view.badge).toBe(badge);
    expect(view.permits).toEqual(permits);
    expect(view.reason).toMatch(/\.$/);
  });

  it('shows a closing EBR with since, until and the event relied on', () => {
    // prepare
    const closing = event('ebr_transaction', '2026-06-01T16:00:00Z');

    // act
    const view = describeConsent([closing], { agentId: agentA, phone, at: now });

    // assess
    expect(view).toMatchObject({
      badge: 'ebr_only',
      since: '2026-06-01T16:00:00.000Z',
      until: '2027-12-01T16:00:00.000Z',
      reliedOn: { eventId: closing.id, type: 'ebr_transaction', at: '2026-06-01T16:00:00.000Z' },
    });
    expect(view.reason).toContain('manual texts until 2027-12-01');
  });

  it('shows consented with a note to the agent the number re-consented to, opted out to the others', () => {
    // prepare
    const events = [
      event('express_written', '2026-10-01T16:00:00Z', { agentId: agentB }),
      event('global_opt_out', '2026-11-01T16:00:00Z', { viaAgentId: agentA }),
      event('express_written', '2026-11-05T16:00:00Z', { method: 'text_reply' }),
    ];

    // act
    const mine = describeConsent(events, { agentId: agentA, phone, at: now });
    const theirs = describeConsent(events, { agentId: agentB, phone, at: now });

    // assess
    expect(mine.badge).toBe('consented');
    // The opt-out reached agent A's number: A sees when, B only that it exists.
    expect(mine.note).toContain('every agent on 2026-11-01');
    expect(theirs.since).toBeUndefined();
    expect(theirs.badge).toBe('opted_out');
    expect(theirs.permits.manual).toBe(false);
    // it opted out through agent A: agent B learns that it did, never when
    expect(theirs.since).toBeUndefined();
    expect(theirs.reason).not.toContain('2026-11-01');
  });

  it('allows one consent request per 30 days and says when the next may go', () => {
    // prepare
    const events = [event('express_oral', '2026-11-01T16:00:00Z', { method: 'in_person' })];

    // act
    const soon = describeConsent(events, {
      agentId: agentA,
      phone,
      at: now,
      lastConsentRequestAt: new Date('2026-11-10T16:00:00Z'),
    });
    const later = describeConsent(events, {
      agentId: agentA,
      phone,
      at: new Date('2026-12-10T16:00:00Z'),
      lastConsentRequestAt: new Date('2026-11-10T16:00:00Z'),
    });

    // assess
    expect(soon.permits).toEqual({ automated: false, manual: true, consentRequest: false });
    expect(soon.reason).toContain('another may go from 2026-12-10');
    expect(later.permits.consentRequest).toBe(true);
  });

  it('dates an opt-out only for the agent whose number received it', () => {
    // prepare
    const events = [
      event('express_written', '2026-10-01T16:00:00Z'),
      event('global_opt_out', '2026-11-01T16:00:00Z', { viaAgentId: agentA }),
    ];

    // act
    const view = describeConsent(events, { agentId: agentA, phone, at: now });

    // assess
    expect(view).toMatchObject({ badge: 'opted_out', since: '2026-11-01T16:00:00.000Z' });
    expect(view.reason).toContain('every agent on 2026-11-01');
  });
});
