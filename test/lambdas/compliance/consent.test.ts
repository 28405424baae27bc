import fc from 'fast-check';
import { deriveConsent, ebrExpiry, validateConsentMethod } from '../../../lambdas/compliance/consent';
import { describeConsent } from '../../../lambdas/compliance/consent-view';
import type {
  Channel,
  ConsentEvent,
  ConsentEventType,
  ConsentQuery,
  ConsentVerdict,
} from '../../../lambdas/compliance/types';
import { agentA, agentB, event, phone } from './consent-events';

const otherPhone = '+15125550199';

function query(at: string, overrides: Partial<ConsentQuery> = {}): ConsentQuery {
  return { agentId: agentA, phone, channel: 'sms', at: new Date(at), purpose: 'automated', ...overrides };
}

/** The verdicts of the ledger on a manual and on an automated text at `at`. */
function byPurpose(events: ConsentEvent[], at: string): Record<'manual' | 'automated', ConsentVerdict> {
  return {
    manual: deriveConsent(events, query(at, { purpose: 'manual' })),
    automated: deriveConsent(events, query(at, { purpose: 'automated' })),
  };
}

describe('validateConsentMethod', () => {
  it.each([
    'signed_form',
    'e_sign',
    'text_reply',
    'email_reply',
    'social_dm',
    'open_house_sheet_with_disclosure',
  ])('accepts %s as express written consent', (method) => {
    // act
    const check = validateConsentMethod(method);

    // assess
    expect(check).toEqual({ ok: true });
  });

  it.each(['verbal_call', 'in_person', 'referral_sourced'])(
    'refuses %s as written consent and says to log it as oral or send a consent request',
    (method) => {
      // act
      const check = validateConsentMethod(method, 'express_written');

      // assess
      expect(check.ok).toBe(false);
      expect(check.reason).toContain('express_oral');
      expect(check.reason).toContain('consent request');
    },
  );

  it.each(['verbal_call', 'in_person', 'referral_sourced'])(
    'accepts %s as express oral consent',
    (method) => {
      // act
      const check = validateConsentMethod(method, 'express_oral');

      // assess
      expect(check).toEqual({ ok: true });
    },
  );

  it('refuses a written method as oral consent and names the right type', () => {
    // act
    const check = validateConsentMethod('signed_form', 'express_oral');

    // assess
    expect(check).toEqual({ ok: false, reason: 'signed_form is written consent: log it as express_written' });
  });

  it('refuses an unknown oral method and lists the oral ones', () => {
    // act
    const check = validateConsentMethod('telepathy', 'express_oral');

    // assess
    expect(check.ok).toBe(false);
    for (const method of ['verbal_call', 'in_person', 'referral_sourced'])
      expect(check.reason).toContain(method);
    expect(check.reason).not.toContain('signed_form');
  });

  it.each([
    ['public_record', 'a number found online or in public records is not consent'],
    ['business_card', 'a business card implies a call, not texts'],
    ['open_house_sheet', 'an open-house sign-in sheet without an explicit texting disclosure is not consent'],
    ['social_like', 'a social-media like is not consent'],
    ['referrer_handoff', 'a referrer handing over a number without the contact asking is not consent'],
  ])('refuses %s and says why', (method, reason) => {
    // act
    const check = validateConsentMethod(method);

    // assess
    expect(check).toEqual({ ok: false, reason });
  });

  it('refuses an unknown method and lists the accepted ones', () => {
    // act
    const check = validateConsentMethod('carrier_pigeon');

    // assess
    expect(check.ok).toBe(false);
    expect(check.reason).toContain('carrier_pigeon');
    for (const method of ['signed_form', 'text_reply', 'social_dm', 'open_house_sheet_with_disclosure']) {
      expect(check.reason).toContain(method);
    }
  });

  it.each(['constructor', 'toString', '__proto__', ''])('refuses the non-method %j', (method) => {
    // act
    const check = validateConsentMethod(method);

    // assess
    expect(check.ok).toBe(false);
  });
});

describe('ebrExpiry', () => {
  it('ends a transaction EBR 18 calendar months after the closing', () => {
    // act
    const expiry = ebrExpiry({ type: 'ebr_transaction', at: new Date('2024-01-15T17:00:00Z') });

    // assess
    expect(expiry).toEqual(new Date('2025-07-15T17:00:00Z'));
  });

  it('ends an inquiry EBR 3 calendar months after the inquiry', () => {
    // act
    const expiry = ebrExpiry({ type: 'ebr_inquiry', at: new Date('2025-02-10T09:30:00Z') });

    // assess
    expect(expiry).toEqual(new Date('2025-05-10T09:30:00Z'));
  });

  it('clamps to the last day of a shorter month', () => {
    // act
    const expiry = ebrExpiry({ type: 'ebr_inquiry', at: new Date('2025-11-30T12:00:00Z') });

    // assess
    expect(expiry).toEqual(new Date('2026-02-28T12:00:00Z'));
  });

  it('gives no expiry for express written consent', () => {
    // act
    const expiry = ebrExpiry({ type: 'express_written', at: new Date('2025-01-01T00:00:00Z') });

    // assess
    expect(expiry).toBeUndefined();
  });
});

describe('deriveConsent', () => {
  it.each<[string, ConsentEvent[], number, ConsentQuery]>([
    [
      'permits an automated text on express written consent for SMS',
      [event('express_written', '2025-01-10T15:00:00Z', { method: 'signed_form' })],
      0,
      query('2030-01-01T15:00:00Z'),
    ],
    [
      'restores express written consent given after a revocation',
      [
        event('express_written', '2025-01-10T15:00:00Z'),
        event('revocation', '2025-02-10T15:00:00Z'),
        event('express_written', '2025-03-10T15:00:00Z', { method: 'verbal_call' }),
      ],
      2,
      query('2025-04-01T15:00:00Z'),
    ],
    [
      "ignores another agent's own revocation",
      [
        event('express_written', '2025-01-10T15:00:00Z', { agentId: agentA }),
        event('revocation', '2025-02-10T15:00:00Z', { agentId: agentB }),
      ],
      0,
      query('2025-03-01T15:00:00Z', { agentId: agentA }),
    ],
    [
      'ignores a revocation that has not happened yet',
      [event('express_written', '2025-01-10T15:00:00Z'), event('revocation', '2025-03-01T15:00:00.001Z')],
      0,
      query('2025-03-01T15:00:00Z'),
    ],
  ])('%s', (_label, events, reliedOn, at) => {
    // act
    const verdict = deriveConsent(events, at);

    // assess
    expect(verdict).toEqual({ status: 'express_written', permits: true, reliedOn: events[reliedOn]!.id });
  });

  it.each<[string, ConsentEvent[], number, ConsentQuery, string]>([
    [
      'permits a manual text on an inquiry until the last instant before 3 months',
      [event('ebr_inquiry', '2025-01-10T15:00:00Z')],
      0,
      query('2025-04-10T14:59:59.999Z', { purpose: 'manual' }),
      '2025-04-10T15:00:00Z',
    ],
    [
      'permits a manual text on a transaction EBR until 18 months after closing',
      [event('ebr_transaction', '2024-01-15T17:00:00Z')],
      0,
      query('2025-03-01T15:00:00Z', { purpose: 'manual' }),
      '2025-07-15T17:00:00Z',
    ],
    [
      'restarts an inquiry window on a new inquiry',
      [event('ebr_inquiry', '2025-03-01T12:00:00Z'), event('ebr_inquiry', '2025-01-01T12:00:00Z')],
      0,
      query('2025-05-15T12:00:00Z', { purpose: 'manual' }),
      '2025-06-01T12:00:00Z',
    ],
    [
      'relies on the longer-lasting window for a manual text when both EBRs are open',
      [event('ebr_transaction', '2024-10-01T12:00:00Z'), event('ebr_inquiry', '2025-01-01T12:00:00Z')],
      0,
      query('2025-02-01T12:00:00Z', { purpose: 'manual' }),
      '2026-04-01T12:00:00Z',
    ],
  ])('%s', (_label, events, reliedOn, at, expiresAt) => {
    // act
    const verdict = deriveConsent(events, at);

    // assess
    const ebr = events[reliedOn]!;
    expect(verdict).toEqual({
      status: ebr.type,
      permits: true,
      reliedOn: ebr.id,
      ebrExpiresAt: new Date(expiresAt),
    });
  });

  it.each<[string, ConsentEvent[], ConsentQuery, ConsentVerdict['status']]>([
    ['finds no consent in an empty ledger', [], query('2025-06-01T15:00:00Z', { purpose: 'manual' }), 'none'],
    [
      'stops permitting a manual text exactly 3 months after the inquiry',
      [event('ebr_inquiry', '2025-01-10T15:00:00Z')],
      query('2025-04-10T15:00:00Z', { purpose: 'manual' }),
      'none',
    ],
    [
      'drops a transaction EBR once its 18 months are over',
      [event('ebr_transaction', '2024-01-15T17:00:00Z')],
      query('2025-07-15T17:00:00Z', { purpose: 'manual' }),
      'none',
    ],
    [
      'applies a global opt-out recorded by another agent',
      [
        event('express_written', '2025-01-10T15:00:00Z', { agentId: agentA }),
        event('global_opt_out', '2025-02-10T15:00:00Z', { agentId: agentB }),
      ],
      query('2025-03-01T15:00:00Z', { agentId: agentA }),
      'opted_out',
    ],
    [
      "ignores another agent's consent and another phone's events",
      [
        event('express_written', '2025-01-10T15:00:00Z', { agentId: agentB }),
        event('express_written', '2025-01-10T15:00:00Z', { phone: otherPhone }),
      ],
      query('2025-03-01T15:00:00Z', { agentId: agentA }),
      'none',
    ],
    [
      'ignores a consent that has not happened yet',
      [event('express_written', '2025-03-02T15:00:00Z')],
      query('2025-03-01T15:00:00Z'),
      'none',
    ],
    [
      'lets a global opt-out win over an older inquiry window that is still open',
      [event('ebr_inquiry', '2025-01-10T15:00:00Z'), event('global_opt_out', '2025-01-20T15:00:00Z')],
      query('2025-02-01T15:00:00Z', { purpose: 'manual' }),
      'opted_out',
    ],
    [
      'keeps showing revoked once an inquiry after the revocation has expired',
      [event('revocation', '2025-01-01T15:00:00Z'), event('ebr_inquiry', '2025-02-01T15:00:00Z')],
      query('2025-06-01T15:00:00Z', { purpose: 'manual' }),
      'revoked',
    ],
    [
      'shows opted out before revoked when both block every consent',
      [
        event('express_written', '2025-01-01T15:00:00Z'),
        event('global_opt_out', '2025-02-01T15:00:00Z'),
        event('revocation', '2025-03-01T15:00:00Z'),
      ],
      query('2025-04-01T15:00:00Z'),
      'opted_out',
    ],
    [
      'shows revoked when re-consent outlived the opt-out but not a later revocation',
      [
        event('global_opt_out', '2025-01-01T15:00:00Z'),
        event('express_written', '2025-02-01T15:00:00Z'),
        event('revocation', '2025-03-01T15:00:00Z'),
      ],
      query('2025-04-01T15:00:00Z'),
      'revoked',
    ],
  ])('%s: permits nothing', (_label, events, at, status) => {
    // act
    const verdict = deriveConsent(events, at);

    // assess
    expect(verdict).toEqual({ status, permits: false });
  });

  it.each(['automated', 'manual'] as const)('never lets email consent permit a %s text', (purpose) => {
    // prepare
    const emailConsent = event('express_written', '2025-01-10T15:00:00Z', { channel: 'email' });

    // act
    const verdict = deriveConsent([emailConsent], query('2025-02-01T15:00:00Z', { purpose }));

    // assess
    expect(verdict).toEqual({ status: 'none', permits: false });
  });

  it.each(['ebr_inquiry', 'ebr_transaction'] as const)(
    'never permits an automated text on %s alone',
    (type) => {
      // prepare
      const ebr = event(type, '2025-01-10T15:00:00Z');

      // act
      const verdict = deriveConsent([ebr], query('2025-02-01T15:00:00Z', { purpose: 'automated' }));

      // assess
      expect(verdict.status).toBe(type);
      expect(verdict.permits).toBe(false);
      expect(verdict.reliedOn).toBeUndefined();
    },
  );

  it('restarts a transaction window on a new closing', () => {
    // prepare
    const first = event('ebr_transaction', '2022-01-10T12:00:00Z');
    const second = event('ebr_transaction', '2024-06-10T12:00:00Z');

    // act
    const verdict = deriveConsent([first, second], query('2025-03-01T12:00:00Z'));

    // assess
    expect(verdict.status).toBe('ebr_transaction');
    expect(verdict.ebrExpiresAt).toEqual(new Date('2025-12-10T12:00:00Z'));
  });

  it('shows the later-expiring EBR for an automated text when both windows are open', () => {
    // prepare
    const closing = event('ebr_transaction', '2024-10-01T12:00:00Z');
    const inquiry = event('ebr_inquiry', '2025-01-01T12:00:00Z');

    // act
    const verdict = deriveConsent(
      [inquiry, closing],
      query('2025-02-01T12:00:00Z', { purpose: 'automated' }),
    );

    // assess
    expect(verdict).toEqual({
      status: 'ebr_transaction',
      permits: false,
      ebrExpiresAt: new Date('2026-04-01T12:00:00Z'),
    });
  });

  it.each(['automated', 'manual'] as const)(
    'reports revoked and blocks a %s text when the revocation is later than the consent',
    (purpose) => {
      // prepare
      const events = [
        event('express_written', '2025-01-10T15:00:00Z'),
        event('revocation', '2025-02-10T15:00:00Z'),
      ];

      // act
      const verdict = deriveConsent(events, query('2025-03-01T15:00:00Z', { purpose }));

      // assess
      expect(verdict).toEqual({ status: 'revoked', permits: false });
    },
  );

  describe('after STOP then START to agent A', () => {
    const stopAt = '2025-02-10T15:00:00Z';
    const start = event('express_written', '2025-03-10T15:00:00Z', { method: 'text_reply' });
    const ledger = [
      event('express_written', '2025-01-10T15:00:00Z', { agentId: agentA }),
      event('express_written', '2025-01-11T15:00:00Z', { agentId: agentB }),
      event('revocation', stopAt, { agentId: agentA }),
      event('global_opt_out', stopAt, { agentId: agentA }),
      start,
    ];

    it('restores agent A', () => {
      // act
      const verdict = deriveConsent(ledger, query('2025-04-01T15:00:00Z', { agentId: agentA }));

      // assess
      expect(verdict).toEqual({ status: 'express_written', permits: true, reliedOn: start.id });
    });

    it('keeps agent B opted out despite its older consent', () => {
      // act
      const verdict = deriveConsent(
        ledger,
        query('2025-04-01T15:00:00Z', { agentId: agentB, purpose: 'manual' }),
      );

      // assess
      expect(verdict).toEqual({ status: 'opted_out', permits: false });
    });
  });

  it.each([
    ['express_written', 'revocation', 'automated', 'revoked'],
    ['express_written', 'global_opt_out', 'automated', 'opted_out'],
    ['ebr_inquiry', 'revocation', 'manual', 'revoked'],
    ['ebr_inquiry', 'global_opt_out', 'manual', 'opted_out'],
  ] as const)(
    'lets a %s lose to a %s at the same instant (%s text)',
    (consentType, blockType, purpose, status) => {
      // prepare
      const at = '2025-01-10T15:00:00Z';
      const events = [event(consentType, at), event(blockType, at)];

      // act
      const forward = deriveConsent(events, query('2025-02-01T15:00:00Z', { purpose }));
      const backward = deriveConsent([...events].reverse(), query('2025-02-01T15:00:00Z', { purpose }));

      // assess
      expect(forward).toEqual({ status, permits: false });
      expect(backward).toEqual(forward);
    },
  );

  it('permits a manual text on an inquiry the contact made after revoking', () => {
    // prepare
    const inquiry = event('ebr_inquiry', '2025-03-01T15:00:00Z');
    const events = [
      event('express_written', '2025-01-10T15:00:00Z'),
      event('revocation', '2025-02-01T15:00:00Z'),
      inquiry,
    ];

    // act
    const { manual, automated } = byPurpose(events, '2025-03-05T15:00:00Z');

    // assess
    expect(manual).toMatchObject({ status: 'ebr_inquiry', permits: true, reliedOn: inquiry.id });
    expect(automated).toMatchObject({ status: 'ebr_inquiry', permits: false });
  });

  it('relies on the same consent whatever the order of events at the same instant', () => {
    // prepare
    const first = event('express_written', '2025-01-10T15:00:00Z', { id: 'evt-a' });
    const second = event('express_written', '2025-01-10T15:00:00Z', { id: 'evt-b' });

    // act
    const forward = deriveConsent([first, second], query('2025-02-01T15:00:00Z'));
    const backward = deriveConsent([second, first], query('2025-02-01T15:00:00Z'));

    // assess
    expect(forward.reliedOn).toBe('evt-b');
    expect(backward).toEqual(forward);
  });

  it('refuses to fold an event with an invalid date', () => {
    // prepare
    const events = [event('revocation', 'not a date')];

    // act
    const fold = () => deriveConsent(events, query('2025-02-01T15:00:00Z'));

    // assess
    expect(fold).toThrow(RangeError);
  });
});

describe('deriveConsent: written vs oral, record order, revoke-all', () => {
  const recorded = (at: string, recordedAt: string, sequence: number) => ({
    recordedAt: new Date(recordedAt),
    sequence,
    at: new Date(at),
  });

  it.each([
    ['verbal_call', 'manual', true],
    ['in_person', 'manual', true],
    ['referral_sourced', 'manual', true],
    ['verbal_call', 'automated', false],
    ['in_person', 'automated', false],
    ['referral_sourced', 'automated', false],
  ] as const)('lets oral consent by %s permit a %s text: %s', (method, purpose, permits) => {
    // prepare
    const oral = event('express_oral', '2026-11-20T16:00:00Z', { method });

    // act
    const verdict = deriveConsent([oral], query('2026-11-23T15:00:00Z', { purpose }));

    // assess
    expect(verdict).toEqual(
      permits ? { status: 'express_oral', permits, reliedOn: oral.id } : { status: 'express_oral', permits },
    );
  });

  it.each([
    ['ebr_transaction', '2026-01-15T12:00:00Z'],
    ['ebr_inquiry', '2026-10-01T12:00:00Z'],
  ] as const)('permits a manual text, never an automated one, on an open %s', (type, at) => {
    // prepare
    const ebr = event(type, at);

    // act
    const { manual, automated } = byPurpose([ebr], '2026-11-23T15:00:00Z');

    // assess
    expect(manual).toMatchObject({ status: type, permits: true, reliedOn: ebr.id });
    expect(automated).toMatchObject({ status: type, permits: false });
  });

  it('lets a START recorded after a STOP at the same instant win', () => {
    // prepare
    const at = '2026-11-23T15:00:00Z';
    const stop = event('revocation', at, recorded(at, at, 2));
    const optOut = event('global_opt_out', at, { ...recorded(at, at, 2), chainAgentId: agentA });
    const start = event('express_written', at, { ...recorded(at, at, 3), method: 'text_reply' });
    const written = event('express_written', '2026-11-01T12:00:00Z', recorded('2026-11-01T12:00:00Z', at, 1));
    const events = [written, stop, optOut, start];

    // act
    const forward = deriveConsent(events, query(at));
    const backward = deriveConsent([...events].reverse(), query(at));

    // assess
    expect(forward).toEqual({ status: 'express_written', permits: true, reliedOn: start.id });
    expect(backward).toEqual(forward);
  });

  it('lets a STOP recorded after a START at the same instant win', () => {
    // prepare
    const at = '2026-11-23T15:00:00Z';
    const start = event('express_written', at, recorded(at, at, 1));
    const stop = event('revocation', at, recorded(at, '2026-11-23T15:00:00.004Z', 2));

    // act
    const verdict = deriveConsent([start, stop], query('2026-11-23T15:00:01Z'));

    // assess
    expect(verdict).toEqual({ status: 'revoked', permits: false });
  });

  it('lets a global opt-out through another number win a same-instant tie it cannot be ordered in', () => {
    // prepare
    const at = '2026-11-23T15:00:00Z';
    const start = event('express_written', at, recorded(at, at, 4));
    const elsewhere = event('global_opt_out', at, { recordedAt: new Date(at) });

    // act
    const verdict = deriveConsent([start, elsewhere], query(at));

    // assess
    expect(verdict).toEqual({ status: 'opted_out', permits: false });
  });

  it.each([
    ['2027-01-30T12:00:00Z', true],
    ['2027-02-01T12:00:00Z', false],
  ] as const)(
    'with an email revocation, reads SMS consent at %s as permitted: %s (revoke-all from 2027-01-31)',
    (at, permits) => {
      // prepare
      const consent = event('express_written', '2026-11-01T12:00:00Z');
      const emailRevocation = event('revocation', '2026-12-01T12:00:00Z', {
        channel: 'email',
        receivedVia: 'email',
      });

      // act
      const verdict = deriveConsent([consent, emailRevocation], query(at));

      // assess
      expect(verdict.permits).toBe(permits);
      expect(verdict.status).toBe(permits ? 'express_written' : 'revoked');
    },
  );

  it('counts "stop texting me" said on a call as an SMS revocation before revoke-all too', () => {
    // prepare
    const consent = event('express_written', '2026-11-01T12:00:00Z');
    const onCall = event('revocation', '2026-11-10T12:00:00Z', { channel: 'sms', receivedVia: 'voice' });

    // act
    const verdict = deriveConsent([consent, onCall], query('2026-11-23T15:00:00Z'));

    // assess
    expect(verdict).toEqual({ status: 'revoked', permits: false });
  });

  it('lets new oral consent after a revocation restore manual texts only', () => {
    // prepare
    const oral = event('express_oral', '2026-11-15T12:00:00Z', { method: 'verbal_call' });
    const events = [
      event('express_written', '2026-10-01T12:00:00Z'),
      event('revocation', '2026-11-01T12:00:00Z'),
      oral,
    ];

    // act
    const { manual, automated } = byPurpose(events, '2026-11-23T15:00:00Z');

    // assess
    expect(manual).toEqual({ status: 'express_oral', permits: true, reliedOn: oral.id });
    expect(automated).toEqual({ status: 'express_oral', permits: false });
  });
});

describe('deriveConsent properties', () => {
  const day = 86_400_000;
  const origin = Date.UTC(2024, 0, 1, 12);
  const consentTypes: ConsentEventType[] = [
    'express_written',
    'express_oral',
    'ebr_transaction',
    'ebr_inquiry',
  ];
  const types: ConsentEventType[] = [...consentTypes, 'revocation', 'global_opt_out'];

  // Few distinct days make same-instant ties common; the wide range crosses EBR expiries.
  const dayArb = fc.oneof(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 900 }));
  const dateArb = dayArb.map((offset) => new Date(origin + offset * day));
  const eventArb = (channel: fc.Arbitrary<Channel>): fc.Arbitrary<ConsentEvent> =>
    fc
      .record({
        id: fc.integer({ min: 0, max: 40 }).map((n) => `evt-${n}`),
        agentId: fc.constantFrom(agentA, agentB, '*'),
        phone: fc.constantFrom(phone, phone, otherPhone),
        channel,
        type: fc.constantFrom(...types),
        at: dateArb,
        // Recorded the same instant or a little later, in a chain position: ties by instant are common.
        recordedAt: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
        sequence: fc.option(fc.integer({ min: 1, max: 30 }), { nil: undefined }),
      })
      .map(({ recordedAt, sequence, ...rest }) => {
        const ranked: ConsentEvent = { ...rest };
        if (recordedAt !== undefined) ranked.recordedAt = new Date(rest.at.getTime() + recordedAt);
        if (sequence !== undefined) ranked.sequence = sequence;
        return ranked;
      });
  const smsHeavy = fc.constantFrom<Channel>('sms', 'sms', 'sms', 'email', 'voice');
  const ledgerArb = fc.array(eventArb(smsHeavy), { maxLength: 25 });
  const queryArb: fc.Arbitrary<ConsentQuery> = fc.record({
    agentId: fc.constantFrom(agentA, agentB),
    phone: fc.constant(phone),
    channel: fc.constant('sms' as const),
    at: dateArb,
    purpose: fc.constantFrom('automated' as const, 'manual' as const),
  });

  it('does not depend on the order of the events', () => {
    fc.assert(
      fc.property(
        ledgerArb.chain((events) =>
          fc.tuple(fc.constant(events), fc.shuffledSubarray(events, { minLength: events.length })),
        ),
        queryArb,
        ([events, shuffled], q) => {
          expect(deriveConsent(shuffled, q)).toEqual(deriveConsent(events, q));
        },
      ),
    );
  });

  it('never permits after a revocation or global opt-out later than every consent', () => {
    fc.assert(
      fc.property(
        ledgerArb,
        queryArb,
        fc.constantFrom<ConsentEventType>('revocation', 'global_opt_out'),
        fc.constantFrom(agentA, agentB, '*'),
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 0, max: 200 }),
        (events, q, blockType, optOutAgent, blockDelay, queryDelay) => {
          // prepare
          const lastConsent = Math.max(
            origin,
            ...events.filter((e) => consentTypes.includes(e.type)).map((e) => e.at.getTime()),
          );
          const blockAt = lastConsent + blockDelay * day;
          const block: ConsentEvent = {
            id: 'block',
            agentId: blockType === 'global_opt_out' ? optOutAgent : q.agentId,
            phone,
            channel: 'sms',
            type: blockType,
            at: new Date(blockAt),
          };
          const ledger = [...events, block];
          const at = new Date(blockAt + queryDelay * day);

          // act
          const automated = deriveConsent(ledger, { ...q, at, purpose: 'automated' });
          const manual = deriveConsent(ledger, { ...q, at, purpose: 'manual' });

          // assess
          expect(automated.permits).toBe(false);
          expect(manual.permits).toBe(false);
          expect(['revoked', 'opted_out']).toContain(manual.status);
        },
      ),
    );
  });

  it('permits a manual text whenever it permits an automated one', () => {
    fc.assert(
      fc.property(ledgerArb, queryArb, (events, q) => {
        // act
        const automated: ConsentVerdict = deriveConsent(events, { ...q, purpose: 'automated' });
        const manual: ConsentVerdict = deriveConsent(events, { ...q, purpose: 'manual' });

        // assess
        expect(!automated.permits || manual.permits).toBe(true);
      }),
    );
  });

  it('never changes the SMS verdict when an email event is added', () => {
    fc.assert(
      fc.property(
        ledgerArb,
        queryArb,
        eventArb(fc.constant<Channel>('email')),
        fc.nat(),
        (events, q, emailEvent, position) => {
          // prepare
          const index = position % (events.length + 1);
          const withEmail = [...events.slice(0, index), emailEvent, ...events.slice(index)];

          // act
          const verdict = deriveConsent(withEmail, q);

          // assess
          expect(verdict).toEqual(deriveConsent(events, q));
        },
      ),
    );
  });

  it('lets written consent recorded after every event permit automated texts, whatever came before', () => {
    fc.assert(
      fc.property(ledgerArb, queryArb, (events, q) => {
        // prepare: after every event both in time and in store order (an event whose store
        // time is unknown orders last at its own instant, so "after" means a later instant)
        const last = Math.max(
          q.at.getTime(),
          ...events.map((e) => Math.max(e.at.getTime(), (e.recordedAt ?? e.at).getTime())),
        );
        const start: ConsentEvent = {
          id: 'start',
          agentId: q.agentId,
          phone,
          channel: 'sms',
          type: 'express_written',
          at: new Date(last + 1),
          recordedAt: new Date(last + 1),
          sequence: 1_000,
        };

        // act
        const verdict = deriveConsent([...events, start], {
          ...q,
          at: new Date(last + 1),
          purpose: 'automated',
        });

        // assess
        expect(verdict).toEqual({ status: 'express_written', permits: true, reliedOn: 'start' });
      }),
    );
  });

  it('gives a view whose badge and permits agree with the gate for both purposes', () => {
    fc.assert(
      fc.property(ledgerArb, queryArb, (events, q) => {
        // act
        const view = describeConsent(events, q);
        const automated = deriveConsent(events, { ...q, purpose: 'automated' });
        const manual = deriveConsent(events, { ...q, purpose: 'manual' });

        // assess
        expect(view.permits.automated).toBe(automated.permits);
        expect(view.permits.manual).toBe(manual.permits);
        expect(view.badge === 'consented').toBe(automated.permits);
        expect(['consented', 'oral_only', 'ebr_only'].includes(view.badge)).toBe(manual.permits);
        expect(view.reliedOn?.eventId).toBe(manual.reliedOn);
        // a consent request is offered only on oral consent or an EBR
        expect(!view.permits.consentRequest || ['oral_only', 'ebr_only'].includes(view.badge)).toBe(true);
      }),
    );
  });
});

describe('deriveConsent with number_reassigned', () => {
  const reassigned = (at: string): ConsentEvent => event('number_reassigned', at, { agentId: '*' });

  it.each<[string, ConsentEvent[], string, ConsentVerdict['status'], boolean]>([
    [
      'voids this agent’s earlier consent',
      [event('express_written', '2026-01-10T16:00:00Z'), reassigned('2026-06-01T00:00:00Z')],
      agentA,
      'number_reassigned',
      false,
    ],
    [
      'voids another agent’s earlier consent too',
      [
        event('express_written', '2026-01-10T16:00:00Z', { agentId: agentB }),
        reassigned('2026-06-01T00:00:00Z'),
      ],
      agentB,
      'number_reassigned',
      false,
    ],
    [
      'lets a consent dated after it count',
      [
        event('express_written', '2026-01-10T16:00:00Z'),
        reassigned('2026-06-01T00:00:00Z'),
        event('express_written', '2026-07-05T16:00:00Z'),
      ],
      agentA,
      'express_written',
      true,
    ],
    [
      'does not apply before it happened',
      [event('express_written', '2026-01-10T16:00:00Z'), reassigned('2026-08-01T00:00:00Z')],
      agentA,
      'express_written',
      true,
    ],
    [
      'ignores a reassignment of another phone',
      [
        event('express_written', '2026-01-10T16:00:00Z'),
        { ...reassigned('2026-06-01T00:00:00Z'), phone: otherPhone },
      ],
      agentA,
      'express_written',
      true,
    ],
  ])('%s', (_, events, agentId, status, permits) => {
    // act
    const verdict = deriveConsent(events, query('2026-07-10T15:00:00Z', { agentId }));

    // assess
    expect(verdict.status).toBe(status);
    expect(verdict.permits).toBe(permits);
  });

  it('a later consent by the new owner to one agent leaves the others blocked', () => {
    // prepare
    const events = [
      event('express_written', '2026-01-10T16:00:00Z'),
      event('express_written', '2026-01-12T16:00:00Z', { agentId: agentB }),
      reassigned('2026-06-01T00:00:00Z'),
      event('express_written', '2026-07-05T16:00:00Z'),
    ];

    // act
    const forA = deriveConsent(events, query('2026-07-10T15:00:00Z'));
    const forB = deriveConsent(events, query('2026-07-10T15:00:00Z', { agentId: agentB }));

    // assess
    expect(forA.permits).toBe(true);
    expect(forB).toMatchObject({ status: 'number_reassigned', permits: false });
  });
});
