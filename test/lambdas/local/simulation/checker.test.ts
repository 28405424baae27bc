import {
  checkRun,
  VIOLATION_KINDS,
  type ViolationCounts,
} from '../../../../lambdas/local/simulation/checker';
import type { OutboxSend, RunSnapshot } from '../../../../lambdas/local/simulation/snapshot-types';

const AGENT = {
  agentId: 'agt_1',
  senderNumber: '+13055550100',
  forwardTo: '+13055550199',
  doubleOptIn: false,
};
// New York: 08:00–21:00 Eastern (EST, UTC-5, in January).
const PHONE = '+12125550123';

/** A clean week: consent, a drip, a manual text, a STOP with its confirmation. */
function cleanRun(): RunSnapshot {
  const sends: Array<OutboxSend & { messageId: string; kind: string }> = [
    {
      sid: 'SM01',
      messageId: 'm1',
      kind: 'opt_in_request',
      at: '2027-01-04T15:00:00.000Z',
      body: 'Dana: subscribed',
    },
    { sid: 'SM02', messageId: 'm2', kind: 'drip', at: '2027-01-05T15:00:00.000Z', body: 'Dana: step 1' },
    {
      sid: 'SM03',
      messageId: 'm3',
      kind: 'manual',
      at: '2027-01-06T16:30:00.000Z',
      body: 'Dana: see you at 5',
    },
    {
      sid: 'SM04',
      messageId: 'm4',
      kind: 'keyword_reply',
      at: '2027-01-07T03:00:00.000Z',
      body: 'Dana: You have been unsubscribed from these texts.',
    },
  ].map((send) => ({ ...send, from: AGENT.senderNumber, to: PHONE }));
  return {
    agents: [AGENT],
    contacts: [{ agentId: AGENT.agentId, phone: PHONE, state: 'NY' }],
    ledger: [
      {
        agentId: AGENT.agentId,
        phone: PHONE,
        channel: 'sms',
        type: 'express_written',
        method: 'signed_form',
        at: '2027-01-03T12:00:00.000Z',
        recordedAt: '2027-01-03T12:00:00.000Z',
      },
      {
        agentId: AGENT.agentId,
        phone: PHONE,
        channel: 'sms',
        type: 'revocation',
        at: '2027-01-07T03:00:00.000Z',
        recordedAt: '2027-01-07T03:00:00.000Z',
      },
    ],
    // A STOP at 22:00 New York time: the confirmation is exempt from the window.
    optOuts: [
      {
        phone: PHONE,
        at: '2027-01-07T03:00:00.000Z',
        recordedAt: '2027-01-07T03:00:00.000Z',
        source: 'keyword',
      },
    ],
    messages: [
      ...sends.map(({ sid, messageId, kind, at, body }) => ({
        messageId,
        agentId: AGENT.agentId,
        phone: PHONE,
        kind,
        status: 'delivered',
        createdAt: at,
        twilioSid: sid,
        body,
      })),
      {
        messageId: 'inbound_SM99',
        agentId: AGENT.agentId,
        phone: PHONE,
        kind: 'inbound',
        status: 'delivered',
        createdAt: '2027-01-07T03:00:00.000Z',
        body: 'STOP',
      },
    ],
    outbox: sends.map(({ sid, from, to, body, at }) => ({ sid, from, to, body, at })),
    endedAt: '2027-01-10T00:00:00.000Z',
  };
}

function withOutbox(run: RunSnapshot, change: (outbox: OutboxSend[]) => OutboxSend[]): RunSnapshot {
  return { ...run, outbox: change(run.outbox.map((send) => ({ ...send }))) };
}

function nonZero(counts: ViolationCounts): Partial<ViolationCounts> {
  return Object.fromEntries(
    VIOLATION_KINDS.filter((kind) => counts[kind] !== 0).map((kind) => [kind, counts[kind]]),
  );
}

describe('checkRun', () => {
  it('finds nothing wrong in a clean run, night-time opt-out confirmation included', () => {
    // prepare
    const run = cleanRun();

    // act
    const report = checkRun(run);

    // assess
    expect(nonZero(report.counts)).toEqual({});
    expect(report.sends).toBe(4);
    expect(report.exemptSends).toBe(1);
  });

  it('counts a manual text moved to 23:00 New York time as one send outside the window', () => {
    // prepare
    const run = withOutbox(cleanRun(), (outbox) =>
      outbox.map((send) => (send.sid === 'SM03' ? { ...send, at: '2027-01-06T04:00:00.000Z' } : send)),
    );

    // act
    const report = checkRun(run);

    // assess
    expect(nonZero(report.counts)).toEqual({ sendsOutsideWindow: 1 });
    expect(report.violations[0]).toMatchObject({ sid: 'SM03', messageId: 'm3', kind: 'sendsOutsideWindow' });
    expect(report.violations[0]?.detail).toMatch(/2027-01-05 23:00 America\/New_York/);
  });

  it('counts a text moved after the STOP as one send after an opt-out', () => {
    // prepare
    const run = withOutbox(cleanRun(), (outbox) =>
      outbox.map((send) => (send.sid === 'SM03' ? { ...send, at: '2027-01-07T16:30:00.000Z' } : send)),
    );

    // act
    const report = checkRun(run);

    // assess
    expect(nonZero(report.counts)).toEqual({ sendsAfterOptOut: 1 });
  });

  it('counts the same text delivered twice as one duplicate delivery (and the copy as unlogged)', () => {
    // prepare
    const run = withOutbox(cleanRun(), (outbox) => [
      ...outbox,
      { ...outbox.find((send) => send.sid === 'SM03')!, sid: 'SM03bis', at: '2027-01-06T16:31:00.000Z' },
    ]);

    // act
    const report = checkRun(run);

    // assess
    expect(nonZero(report.counts)).toEqual({ duplicateDeliveries: 1, unloggedSends: 1 });
  });

  it("takes Twilio's own STOP reply as the confirmation, and counts a second reply of ours as a duplicate", () => {
    // prepare: Twilio answers the 22:00 STOP itself (unlogged by us, origin keyword)
    const twilioReply: OutboxSend = {
      sid: 'SMtw',
      from: AGENT.senderNumber,
      to: PHONE,
      body: 'You have successfully been unsubscribed. Reply START to resubscribe.',
      at: '2027-01-07T03:00:00.000Z',
      origin: 'keyword',
    };
    const twilioOnly = withOutbox(cleanRun(), (outbox) => [
      ...outbox.filter((send) => send.sid !== 'SM04'),
      twilioReply,
    ]);
    const both = withOutbox(cleanRun(), (outbox) => [twilioReply, ...outbox]);

    // act
    const alone = checkRun(twilioOnly);
    const twice = checkRun(both);

    // assess
    expect(nonZero(alone.counts)).toEqual({});
    expect(nonZero(twice.counts)).toEqual({ duplicateDeliveries: 1, confirmationMismatches: 1 });
  });

  it('takes a text Twilio accepted while its answer timed out as the logged text left for review', () => {
    // prepare: the manual text's answer never came back; the log has it without a SID
    const run = cleanRun();
    const timedOut: RunSnapshot = {
      ...run,
      messages: run.messages.map((m) =>
        m.messageId === 'm3'
          ? { ...m, twilioSid: undefined, status: 'needs_review', errorCode: 'timeout' }
          : m,
      ),
    };
    const copied = withOutbox(timedOut, (outbox) => [
      ...outbox,
      { ...outbox.find((send) => send.sid === 'SM03')!, sid: 'SM03bis', at: '2027-01-06T16:31:00.000Z' },
    ]);

    // act
    const once = checkRun(timedOut);
    const twice = checkRun(copied);

    // assess
    expect(nonZero(once.counts)).toEqual({});
    expect(twice.counts.unloggedSends).toBe(1);
  });

  it('counts all three doctored sends at once, one each', () => {
    // prepare
    const run = withOutbox(cleanRun(), (outbox) => [
      ...outbox.map((send) => (send.sid === 'SM02' ? { ...send, at: '2027-01-06T04:00:00.000Z' } : send)),
      {
        ...outbox.find((send) => send.sid === 'SM03')!,
        sid: 'SM05',
        at: '2027-01-08T16:00:00.000Z',
        body: 'late',
      },
      { ...outbox.find((send) => send.sid === 'SM03')!, sid: 'SM06', at: '2027-01-06T16:45:00.000Z' },
    ]);

    // act
    const { counts } = checkRun(run);

    // assess
    expect(counts.sendsOutsideWindow).toBe(1);
    expect(counts.sendsAfterOptOut).toBe(1);
    expect(counts.duplicateDeliveries).toBe(1);
  });

  it('counts an automated text on Christmas Day as a holiday send', () => {
    // prepare
    const run = withOutbox(cleanRun(), (outbox) =>
      outbox.map((send) => (send.sid === 'SM02' ? { ...send, at: '2026-12-25T16:00:00.000Z' } : send)),
    );
    run.ledger[0] = {
      ...run.ledger[0]!,
      at: '2026-12-01T12:00:00.000Z',
      recordedAt: '2026-12-01T12:00:00.000Z',
    };

    // act
    const report = checkRun(run);

    // assess
    expect(nonZero(report.counts)).toEqual({ holidaySends: 1 });
  });

  it('holds a 850 (Florida panhandle) number to Central time too: 08:30 Eastern is 07:30 there', () => {
    // prepare
    const panhandle = '+18505550123';
    const run = cleanRun();
    const moved: RunSnapshot = {
      ...run,
      contacts: [{ agentId: AGENT.agentId, phone: panhandle }],
      ledger: run.ledger.map((event) => ({ ...event, phone: panhandle })),
      optOuts: [],
      messages: run.messages
        .filter((message) => message.messageId === 'm3')
        .map((m) => ({ ...m, phone: panhandle })),
      outbox: run.outbox
        .filter((send) => send.sid === 'SM03')
        .map((send) => ({ ...send, to: panhandle, at: '2027-01-06T13:30:00.000Z' })),
    };

    // act
    const report = checkRun(moved);

    // assess
    expect(nonZero(report.counts)).toEqual({ sendsOutsideWindow: 1 });
    expect(report.violations[0]?.detail).toMatch(/07:30 America\/Chicago/);
  });

  it('counts a fourth text within 24 h to a Florida number as a cap breach', () => {
    // prepare
    const florida = '+13055550123';
    const run = cleanRun();
    const times = ['14:00', '15:00', '16:00', '17:00'].map((time) => `2027-01-06T${time}:00.000Z`);
    const capped: RunSnapshot = {
      ...run,
      contacts: [{ agentId: AGENT.agentId, phone: florida, state: 'FL' }],
      ledger: run.ledger.slice(0, 1).map((event) => ({ ...event, phone: florida })),
      optOuts: [],
      messages: times.map((at, i) => ({
        messageId: `c${i}`,
        agentId: AGENT.agentId,
        phone: florida,
        kind: 'manual',
        status: 'delivered',
        createdAt: at,
        twilioSid: `SMc${i}`,
      })),
      outbox: times.map((at, i) => ({
        sid: `SMc${i}`,
        from: AGENT.senderNumber,
        to: florida,
        body: `text ${i}`,
        at,
      })),
    };

    // act
    const report = checkRun(capped);

    // assess
    expect(nonZero(report.counts)).toEqual({ capBreaches: 1 });
    expect(report.violations[0]).toMatchObject({ sid: 'SMc3' });
  });

  it('counts an opt-out that was never confirmed, and a held text left past its release', () => {
    // prepare
    const run = withOutbox(cleanRun(), (outbox) => outbox.filter((send) => send.sid !== 'SM04'));
    run.messages.push({
      messageId: 'held1',
      agentId: AGENT.agentId,
      phone: PHONE,
      kind: 'manual',
      status: 'held',
      createdAt: '2027-01-06T04:00:00.000Z',
      releaseAt: '2027-01-06T13:00:00.000Z',
    });

    // act
    const report = checkRun(run);

    // assess
    expect(nonZero(report.counts)).toEqual({ confirmationMismatches: 1, heldNeverResolved: 1 });
  });

  it('counts a phone whose derived state drifted from its records, and not one that agrees', () => {
    // prepare
    const run: RunSnapshot = {
      ...cleanRun(),
      derivedStateDrift: [
        { phone: PHONE, differences: ['optOuts.seq: stored 0, recomputed 1'] },
        { phone: '+12125550124', differences: [] },
      ],
    };

    // act
    const report = checkRun(run);

    // assess
    expect(nonZero(report.counts)).toEqual({ derivedStateDrift: 1 });
    expect(report.violations.find((v) => v.kind === 'derivedStateDrift')).toMatchObject({
      phone: PHONE,
      detail: expect.stringContaining('optOuts.seq'),
    });
  });

  it('counts a drip to a double opt-in contact that never answered YES, and not one after YES', () => {
    // prepare
    const run = cleanRun();
    const strict: RunSnapshot = {
      ...run,
      agents: [{ ...AGENT, doubleOptIn: true }],
      optOuts: [],
      ledger: run.ledger.slice(0, 1),
      outbox: run.outbox.filter((send) => send.sid === 'SM01' || send.sid === 'SM02'),
    };
    const answered: RunSnapshot = {
      ...strict,
      messages: [
        ...strict.messages,
        {
          messageId: 'inbound_SM98',
          agentId: AGENT.agentId,
          phone: PHONE,
          kind: 'inbound',
          status: 'delivered',
          createdAt: '2027-01-04T18:00:00.000Z',
          body: 'Yes!',
        },
      ],
    };

    // act
    const silent = checkRun(strict);
    const accepted = checkRun(answered);

    // assess
    expect(nonZero(silent.counts)).toEqual({ sendsBeforeDoubleOptIn: 1 });
    expect(silent.violations[0]).toMatchObject({ sid: 'SM02' });
    expect(nonZero(accepted.counts)).toEqual({});
  });

  describe('what the phones sent and received', () => {
    const HELP_AT = '2027-01-06T17:00:00.000Z';
    const helpText = {
      sid: 'SMin1',
      from: PHONE,
      to: AGENT.senderNumber,
      body: 'help ',
      at: HELP_AT,
      optOut: false,
    };
    const inboundLogged = (sid: string, at: string, body: string) => ({
      messageId: `inbound_${sid}`,
      agentId: AGENT.agentId,
      phone: PHONE,
      kind: 'inbound',
      status: 'delivered',
      createdAt: at,
      body,
    });
    const twilioHelp: OutboxSend = {
      sid: 'SMtwh',
      from: AGENT.senderNumber,
      to: PHONE,
      body: 'Reply STOP to unsubscribe. Msg&Data Rates May Apply.',
      at: HELP_AT,
      origin: 'keyword',
    };

    it("counts a HELP answered by Twilio and by us as one extra keyword reply, and Twilio's alone as none", () => {
      // prepare
      const base = cleanRun();
      const once: RunSnapshot = {
        ...base,
        phoneTexts: [helpText],
        messages: [...base.messages, inboundLogged('SMin1', HELP_AT, 'help ')],
        outbox: [...base.outbox, twilioHelp],
      };
      const twice: RunSnapshot = {
        ...once,
        messages: [
          ...once.messages,
          {
            messageId: 'm5',
            agentId: AGENT.agentId,
            phone: PHONE,
            kind: 'keyword_reply',
            status: 'delivered',
            createdAt: HELP_AT,
            twilioSid: 'SM05',
          },
        ],
        outbox: [
          ...once.outbox,
          {
            sid: 'SM05',
            from: AGENT.senderNumber,
            to: PHONE,
            body: 'Dana: Reply STOP to opt out.',
            at: HELP_AT,
          },
        ],
      };

      // act
      const alone = checkRun(once);
      const both = checkRun(twice);

      // assess
      expect(nonZero(alone.counts)).toEqual({});
      expect(both.counts.extraKeywordReplies).toBe(1);
      expect(both.violations.find((v) => v.kind === 'extraKeywordReplies')).toMatchObject({
        phone: PHONE,
        at: HELP_AT,
        sid: 'SM05',
      });
    });

    it('counts a revocation the pipeline never recorded, and a text that never reached the log, as lost', () => {
      // prepare: a second phone of the agent's, never opted out before
      const OTHER = '+12125550124';
      const revokedAt = '2027-01-08T15:00:00.000Z';
      const base = cleanRun();
      const run: RunSnapshot = {
        ...base,
        phoneTexts: [
          {
            sid: 'SMin2',
            from: OTHER,
            to: AGENT.senderNumber,
            body: 'please stop texting me',
            at: revokedAt,
            optOut: true,
          },
          {
            sid: 'SMin3',
            from: OTHER,
            to: AGENT.senderNumber,
            body: 'Who is this?',
            at: revokedAt,
            optOut: false,
          },
          // The 03:00 STOP of the clean run, recorded as an opt-out: not lost.
          {
            sid: 'SM99',
            from: PHONE,
            to: AGENT.senderNumber,
            body: 'STOP',
            at: '2027-01-07T03:00:00.000Z',
            optOut: true,
          },
        ],
        messages: [...base.messages, inboundLogged('SMin2', revokedAt, 'please stop texting me')],
      };

      // act
      const report = checkRun(run);

      // assess
      expect(nonZero(report.counts)).toEqual({ inboundLost: 2 });
      expect(report.violations.map((v) => v.sid).sort()).toEqual(['SMin2', 'SMin3']);
    });

    it('takes a second STOP from a phone still opted out as applied, and not once a START lifted it', () => {
      // prepare: the clean run's 03:00 STOP stands; the phone writes "STOP ALL" a day later
      const base = cleanRun();
      const again = {
        sid: 'SMin4',
        from: PHONE,
        to: AGENT.senderNumber,
        body: 'STOP ALL',
        at: '2027-01-08T15:00:00.000Z',
        optOut: true,
      };
      const start = {
        sid: 'SMin5',
        from: PHONE,
        to: AGENT.senderNumber,
        body: 'START',
        at: '2027-01-08T12:00:00.000Z',
        optOut: false,
      };
      const messages = [
        ...base.messages,
        inboundLogged('SMin4', again.at, again.body),
        inboundLogged('SMin5', start.at, start.body),
      ];

      // act
      const standing = checkRun({ ...base, messages, phoneTexts: [again] });
      const lifted = checkRun({ ...base, messages, phoneTexts: [start, again] });

      // assess
      expect(standing.counts.inboundLost).toBe(0);
      expect(lifted.violations.filter((v) => v.kind === 'inboundLost').map((v) => v.sid)).toEqual(['SMin4']);
    });

    it('counts a hold that outlived its release by more than 10 minutes, and not one released in the minute', () => {
      // prepare
      const release = '2027-01-06T13:00:00.000Z';
      const held = (movedOnAt: string) => ({
        messageId: 'held2',
        agentId: AGENT.agentId,
        phone: PHONE,
        kind: 'manual',
        status: 'sent',
        createdAt: '2027-01-06T04:00:00.000Z',
        releaseAt: release,
        history: [
          { status: 'queued', at: '2027-01-06T04:00:00.000Z' },
          { status: 'held', at: '2027-01-06T04:00:00.000Z', releaseAt: release },
          { status: 'queued', at: movedOnAt },
          { status: 'sent', at: movedOnAt },
        ],
      });
      const base = cleanRun();

      // act
      const onTime = checkRun({ ...base, messages: [...base.messages, held('2027-01-06T13:00:41.000Z')] });
      const late = checkRun({ ...base, messages: [...base.messages, held('2027-01-06T13:12:00.000Z')] });

      // assess
      expect(nonZero(onTime.counts)).toEqual({});
      expect(nonZero(late.counts)).toEqual({ heldPastRelease: 1 });
      expect(late.violations[0]).toMatchObject({ messageId: 'held2', at: release });
    });

    it('counts a drip to the new subscriber of a reassigned number, and any text after the pipeline knew', () => {
      // prepare: disconnected Jan 1, someone else's from Feb 15 (FCC aging), found by a check on Jan 5
      const base = cleanRun();
      const reassignments = [
        {
          phone: PHONE,
          disconnectedAt: '2027-01-01T12:00:00.000Z',
          newOwnerFrom: '2027-02-15T12:00:00.000Z',
        },
      ];
      const drip = (at: string) => ({
        sid: 'SM07',
        from: AGENT.senderNumber,
        to: PHONE,
        body: 'Dana: step 5',
        at,
      });
      const dripLogged = (at: string) => ({
        messageId: 'm7',
        agentId: AGENT.agentId,
        phone: PHONE,
        kind: 'drip',
        status: 'delivered',
        createdAt: at,
        twilioSid: 'SM07',
      });
      const unknown: RunSnapshot = {
        ...base,
        optOuts: [],
        reassignments,
        messages: [...base.messages.slice(0, 3), dripLogged('2027-02-16T15:00:00.000Z')],
        outbox: [...base.outbox.slice(0, 3), drip('2027-02-16T15:00:00.000Z')],
      };
      const before = { ...unknown, outbox: unknown.outbox.slice(0, 3) };
      const known: RunSnapshot = {
        ...before,
        reassignmentsFound: [
          { phone: PHONE, at: '2027-01-05T00:00:00.000Z', recordedAt: '2027-01-05T15:00:00.000Z' },
        ],
      };

      // act
      const toNewOwner = checkRun(unknown).counts.sendsToReassignedNumber;
      const clean = checkRun(before).counts.sendsToReassignedNumber;
      // The manual text of Jan 6 went after the pipeline recorded the reassignment on Jan 5.
      const afterKnown = checkRun(known).violations.filter((v) => v.kind === 'sendsToReassignedNumber');

      // assess
      expect(toNewOwner).toBe(1);
      expect(clean).toBe(0);
      expect(afterKnown.map((v) => v.sid)).toEqual(['SM03']);
    });
  });
});
