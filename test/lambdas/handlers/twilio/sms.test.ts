import type { Agent, MessageRecord } from '../../../../lambdas/ports';
import { EMPTY_TWIML, newMessageSid, randomPhone, useTwilioFixture } from './fixture';

// RULES §2, written out here rather than read from the rules data, so the data is tested too.
const OPT_OUT_KEYWORDS = [
  'STOP',
  'STOPALL',
  'STOP ALL',
  'UNSUBSCRIBE',
  'CANCEL',
  'END',
  'QUIT',
  'REVOKE',
  'OPTOUT',
  'OPT OUT',
  'OPT-OUT',
  'REMOVE',
  'ARRET',
];
const OPT_IN_KEYWORDS = ['START', 'UNSTOP', 'YES'];
const HELP_KEYWORDS = ['HELP', 'INFO'];
// Twilio's own list (https://help.twilio.com/articles/223134027): exact single words it answers itself.
const TWILIO_OPT_OUT = ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT'];
const TWILIO_ANSWERED = (keywords: string[]) => [
  ...keywords,
  ...keywords.map((keyword) => `  ${keyword.toLowerCase()}\n`),
];
const CONSENTLINE_OPT_OUT = [
  ...OPT_OUT_KEYWORDS.filter((keyword) => !TWILIO_OPT_OUT.includes(keyword)),
  ...OPT_OUT_KEYWORDS.map((keyword) => `  ${keyword.toLowerCase()}! `),
];
const REVOCATION_PHRASES = [
  'stop texting me',
  'Please remove me from your list',
  "don't text me",
  'Do not contact me.',
  'lose my number',
  'No más',
];

describe('POST /twilio/sms', () => {
  const fx = useTwilioFixture({ name: 'Dana Reyes', brokerage: 'Harbor Realty' });

  beforeEach(() => {
    fx.enqueue.mockClear();
  });

  const text = (from: string, body: string, to = fx.agent.senderNumber) =>
    fx.post('/twilio/sms', fx.inboundSms({ from, to, body }));
  /** A text from a phone never seen before to the agent's number: the phone and the form Twilio posts. */
  const fromNewPhone = (body: string) => {
    const phone = randomPhone();
    return { phone, params: fx.inboundSms({ from: phone, to: fx.agent.senderNumber, body }) };
  };

  /** The distinct message ids put on the send queue. */
  const queuedIds = (): string[] => [...new Set(fx.enqueue.mock.calls.map(([message]) => message.messageId))];

  /** The agent's consent ledger for `phone`. */
  const ledgerOf = (phone: string) => fx.deps.stores.ledger.list(fx.agent.agentId, phone);

  /** A ledger event the contact's text reply of `words` recorded. */
  const recordedFromText = (type: string, words: string, more: Record<string, unknown> = {}) =>
    expect.objectContaining({ type, method: 'text_reply', evidence: words, ...more });

  const repliesTo = async (phone: string, owner: Agent = fx.agent): Promise<MessageRecord[]> =>
    (await fx.deps.stores.messages.listByContact(owner.agentId, phone)).filter(
      (m): m is MessageRecord => m.kind === 'keyword_reply',
    );

  describe('opt-out keywords', () => {
    it.each(TWILIO_ANSWERED(TWILIO_OPT_OUT))(
      'opts the phone out and queues no reply of its own when Twilio answered %p',
      async (keyword) => {
        // prepare
        const { phone, params } = fromNewPhone(keyword);

        // act
        const reply = await fx.post('/twilio/sms', params);

        // assess: the opt-out is as durable as ever; Twilio's confirmation is the one reply
        expect(reply).toMatchObject({ status: 200, body: EMPTY_TWIML });
        expect(await fx.deps.stores.optouts.list(phone)).toEqual([
          expect.objectContaining({ source: 'keyword', words: keyword, agentId: fx.agent.agentId }),
        ]);
        expect(await ledgerOf(phone)).toEqual([
          expect.objectContaining({ type: 'revocation', evidence: keyword }),
        ]);
        expect(await repliesTo(phone)).toEqual([]);
        expect(fx.enqueue).not.toHaveBeenCalled();
        expect(await fx.deps.stores.messages.getInbound(params.MessageSid!)).toMatchObject({
          repliedBy: 'twilio',
        });
        expect(await fx.deps.stores.twilioBlocks.get(fx.agent.senderNumber, phone)).toMatchObject({
          blocked: true,
          words: keyword,
        });
      },
    );

    it.each(CONSENTLINE_OPT_OUT)(
      'opts the phone out and queues one confirmation when the contact texts %p',
      async (keyword) => {
        // prepare
        const phone = randomPhone();

        // act
        const reply = await text(phone, keyword);

        // assess: durable as soon as the webhook has answered
        expect(reply).toMatchObject({ status: 200, body: EMPTY_TWIML });
        const optOuts = await fx.deps.stores.optouts.list(phone);
        expect(optOuts).toEqual([
          expect.objectContaining({ source: 'keyword', words: keyword, agentId: fx.agent.agentId }),
        ]);
        expect(await ledgerOf(phone)).toEqual([recordedFromText('revocation', keyword, { channel: 'sms' })]);
        const replies = await repliesTo(phone);
        expect(replies).toHaveLength(1);
        expect(replies[0]).toMatchObject({ purpose: 'confirmation', status: 'queued', phone });
        expect(replies[0]?.body).toContain('Dana Reyes (Harbor Realty)');
        expect(replies[0]?.body).toContain('Reply START to resubscribe');
        expect(fx.enqueue.mock.calls).toEqual([[{ messageId: replies[0]?.messageId, phone }]]);
      },
    );
  });

  describe('revocation phrases', () => {
    it.each(REVOCATION_PHRASES)('treats %p as a revocation and logs the exact words', async (phrase) => {
      // prepare
      const phone = randomPhone();

      // act
      const reply = await text(phone, phrase);

      // assess
      expect(reply.status).toBe(200);
      const optOuts = await fx.deps.stores.optouts.list(phone);
      expect(optOuts).toEqual([expect.objectContaining({ source: 'revocation_phrase', words: phrase })]);
      const ledger = await ledgerOf(phone);
      expect(ledger).toEqual([expect.objectContaining({ type: 'revocation', evidence: phrase })]);
      expect(await repliesTo(phone)).toHaveLength(1);
    });

    it('does not treat a negated phrase as a revocation', async () => {
      // prepare
      const phone = randomPhone();
      const params = fx.inboundSms({
        from: phone,
        to: fx.agent.senderNumber,
        body: "Please don't stop sending me listings",
      });

      // act
      await fx.post('/twilio/sms', params);

      // assess
      expect(await fx.deps.stores.optouts.list(phone)).toEqual([]);
      expect(await fx.deps.stores.messages.get(`fwd_${params.MessageSid}`)).toMatchObject({
        kind: 'forward',
      });
    });
  });

  describe('opt-in keywords', () => {
    it.each(TWILIO_ANSWERED(OPT_IN_KEYWORDS))(
      'records express written consent for this fx.agent and leaves the reply to Twilio for %p',
      async (keyword) => {
        // prepare
        const { phone, params } = fromNewPhone(keyword);

        // act
        await fx.post('/twilio/sms', params);

        // assess
        expect(await ledgerOf(phone)).toEqual([recordedFromText('express_written', keyword)]);
        expect(await fx.deps.stores.messages.get(`reply_${params.MessageSid}`)).toBeUndefined();
        expect(fx.enqueue).not.toHaveBeenCalled();
        expect(await fx.deps.stores.messages.getInbound(params.MessageSid!)).toMatchObject({
          repliedBy: 'twilio',
        });
      },
    );

    it.each(['start.', 'Yes!'])(
      'records express written consent for this fx.agent and confirms when the contact texts %p',
      async (keyword) => {
        // prepare
        const { phone, params } = fromNewPhone(keyword);

        // act
        const reply = await fx.post('/twilio/sms', params);

        // assess
        expect(reply.status).toBe(200);
        expect(await ledgerOf(phone)).toEqual([
          recordedFromText('express_written', keyword, { capturedBy: 'inbound_sms' }),
        ]);
        const confirmation = await fx.deps.stores.messages.get(`reply_${params.MessageSid}`);
        expect(confirmation).toMatchObject({
          kind: 'keyword_reply',
          purpose: 'confirmation',
          status: 'queued',
        });
        expect(confirmation?.body).toMatch(/STOP/);
        expect(confirmation?.body).toMatch(/HELP/);
        expect(confirmation?.body).toContain('Msg & data rates may apply');
        expect(fx.enqueue).toHaveBeenCalledWith({ messageId: `reply_${params.MessageSid}`, phone });
      },
    );
  });

  describe('help keywords', () => {
    it.each(TWILIO_ANSWERED(HELP_KEYWORDS))('leaves %p to Twilio, which answers it', async (keyword) => {
      // prepare
      const { phone, params } = fromNewPhone(keyword);

      // act
      await fx.post('/twilio/sms', params);

      // assess
      expect(await fx.deps.stores.messages.get(`reply_${params.MessageSid}`)).toBeUndefined();
      expect(fx.enqueue).not.toHaveBeenCalled();
      expect(await ledgerOf(phone)).toEqual([]);
    });

    it.each(['help?', 'Info.', 'HELP!'])(
      'answers %p with who is texting and how to stop, not consent',
      async (keyword) => {
        // prepare
        const { phone, params } = fromNewPhone(keyword);

        // act
        await fx.post('/twilio/sms', params);

        // assess
        const reply = await fx.deps.stores.messages.get(`reply_${params.MessageSid}`);
        expect(reply).toMatchObject({ kind: 'keyword_reply', purpose: 'confirmation', phone });
        for (const part of [
          'Dana Reyes',
          'Harbor Realty',
          fx.agent.senderNumber,
          'Msg & data rates may apply',
          'Reply STOP to opt out',
        ]) {
          expect(reply?.body).toContain(part);
        }
        expect(await ledgerOf(phone)).toEqual([]);
        expect(await fx.deps.stores.optouts.list(phone)).toEqual([]);
      },
    );
  });

  describe('other texts', () => {
    it("forwards anything else to the agent's own phone, naming the sender", async () => {
      // prepare
      const phone = randomPhone();
      await fx.deps.stores.contacts.upsert(
        fx.agent.agentId,
        phone,
        { name: 'Sam Ortiz' },
        fx.clock.now().toISOString(),
      );
      const params = fx.inboundSms({
        from: phone,
        to: fx.agent.senderNumber,
        body: 'Can we see the house on Saturday?',
      });

      // act
      const reply = await fx.post('/twilio/sms', params);

      // assess
      expect(reply).toMatchObject({ status: 200, body: EMPTY_TWIML });
      const forward = await fx.deps.stores.messages.get(`fwd_${params.MessageSid}`);
      expect(forward).toMatchObject({
        kind: 'forward',
        purpose: 'confirmation',
        phone: fx.agent.forwardTo,
        agentId: fx.agent.agentId,
        status: 'queued',
      });
      expect(forward?.body).toContain(phone);
      expect(forward?.body).toContain('Sam Ortiz');
      expect(forward?.body).toContain('Can we see the house on Saturday?');
      expect(fx.enqueue.mock.calls).toEqual([
        [{ messageId: `fwd_${params.MessageSid}`, phone: fx.agent.forwardTo }],
      ]);
      expect(await repliesTo(phone)).toEqual([]);
      expect(await ledgerOf(phone)).toEqual([]);
    });

    it('logs the inbound text with its exact words', async () => {
      // prepare
      const { phone, params } = fromNewPhone('  Call me after 5  ');

      // act
      await fx.post('/twilio/sms', params);

      // assess
      const inbound = await fx.deps.stores.messages.getInbound(params.MessageSid!);
      expect(inbound).toMatchObject({
        kind: 'inbound',
        phone,
        body: '  Call me after 5  ',
        status: 'handled',
      });
    });
  });

  describe('idempotency and unknown numbers', () => {
    it('gives a redelivered SID the same answer and no further effect', async () => {
      // prepare
      const { phone, params } = fromNewPhone('Stop.');
      const first = await fx.post('/twilio/sms', params);

      // act
      const second = await fx.post('/twilio/sms', params);

      // assess
      expect(second).toEqual(first);
      expect(await fx.deps.stores.optouts.list(phone)).toHaveLength(1);
      expect(await ledgerOf(phone)).toHaveLength(1);
      // The redelivery puts the one confirmation on the queue again: FIFO deduplication (same
      // message id) and the worker's conditional claim send it once.
      const [reply] = await repliesTo(phone);
      expect(queuedIds()).toStrictEqual([reply?.messageId]);
    });

    it('answers empty TwiML and writes nothing for a number no fx.agent holds', async () => {
      // prepare
      const phone = randomPhone();
      const params = fx.inboundSms({ from: phone, to: randomPhone(), body: 'STOP' });

      // act
      const reply = await fx.post('/twilio/sms', params);

      // assess
      expect(reply).toMatchObject({ status: 200, body: EMPTY_TWIML });
      expect(await fx.deps.stores.optouts.list(phone)).toEqual([]);
      expect(await fx.deps.stores.messages.getInbound(params.MessageSid!)).toBeUndefined();
      expect(fx.enqueue).not.toHaveBeenCalled();
    });

    it('keeps one confirmation when a STOP is followed later by another STOP', async () => {
      // prepare
      const phone = randomPhone();
      await text(phone, 'Stop.');
      fx.clock.advanceTo(new Date(fx.clock.now().getTime() + 3_600_000));

      // act
      const reply = await fx.post(
        '/twilio/sms',
        fx.inboundSms({ from: phone, to: fx.agent.senderNumber, body: 'stop!', sid: newMessageSid() }),
      );

      // assess
      expect(reply).toMatchObject({ status: 200, body: EMPTY_TWIML });
      expect(await repliesTo(phone)).toHaveLength(1);
      expect(await fx.deps.stores.optouts.list(phone)).toHaveLength(1);
      expect(fx.enqueue).toHaveBeenCalledTimes(1);
    });
  });
  describe('concurrent deliveries', () => {
    it('records one revocation, one opt-out and one confirmation for 10 identical STOP webhooks at once', async () => {
      // prepare
      const { phone, params } = fromNewPhone('Stop.');

      // act
      const replies = await Promise.all(Array.from({ length: 10 }, () => fx.post('/twilio/sms', params)));

      // assess
      expect(replies.map((reply) => reply.status)).toEqual(Array(10).fill(200));
      expect(await ledgerOf(phone)).toHaveLength(1);
      expect(await fx.deps.stores.optouts.list(phone)).toHaveLength(1);
      const confirmations = await repliesTo(phone);
      expect(confirmations).toHaveLength(1);
      expect(queuedIds()).toStrictEqual([confirmations[0]?.messageId]);
    });

    it('queues one confirmation for 5 STOPs with different SIDs at once', async () => {
      // prepare
      const phone = randomPhone();
      const forms = ['Stop.', 'stop!', 'STOP ALL', 'Opt out', 'stop texting me'].map((body) =>
        fx.inboundSms({ from: phone, to: fx.agent.senderNumber, body }),
      );

      // act
      const replies = await Promise.all(forms.map((form) => fx.post('/twilio/sms', form)));

      // assess
      expect(replies.map((reply) => reply.status)).toEqual(Array(5).fill(200));
      expect(await repliesTo(phone)).toHaveLength(1);
      expect(fx.enqueue).toHaveBeenCalledTimes(1);
      expect((await fx.deps.stores.optouts.list(phone)).length).toBeGreaterThanOrEqual(1);
    });
  });
});
