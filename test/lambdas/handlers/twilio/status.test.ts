import { countRoundTrips } from '../../../../lambdas/adapters/dynamo/round-trips';
import type { MessageRecord } from '../../../../lambdas/ports';
import { ACCOUNT_SID, EMPTY_TWIML, newMessageSid, useTwilioFixture, type Tampering } from './fixture';

describe('POST /twilio/status', () => {
  const fx = useTwilioFixture();

  /** A message the send worker handed to Twilio: `sent`, with its SID. */
  const sentMessage = () => fx.sentMessage(fx.agent);

  const callback = (message: MessageRecord, status: string, errorCode?: string) => ({
    SmsSid: message.twilioSid ?? '',
    SmsStatus: status,
    MessageStatus: status,
    To: message.phone,
    MessageSid: message.twilioSid ?? '',
    AccountSid: ACCOUNT_SID,
    From: fx.agent.senderNumber,
    ApiVersion: '2010-04-01',
    ...(errorCode === undefined ? {} : { ErrorCode: errorCode }),
  });

  const statusesOf = async (message: MessageRecord) => {
    const stored = await fx.deps.stores.messages.get(message.messageId);
    return { status: stored?.status, history: stored?.history.map((change) => change.status) };
  };

  /** A delivered message as stored: delivered, each earlier status once and in order. */
  const delivered = { status: 'delivered', history: ['queued', 'sending', 'sent', 'delivered'] };

  /** Posts one status callback per status, in order; resolves to the HTTP status of each answer. */
  const postCallbacks = async (message: MessageRecord, statuses: string[], tampering?: Tampering) => {
    const answers: number[] = [];
    for (const status of statuses) {
      answers.push((await fx.post('/twilio/status', callback(message, status), tampering)).status);
    }
    return answers;
  };

  it('records delivered after sent', async () => {
    // prepare
    const message = await sentMessage();

    // act
    const reply = await fx.post('/twilio/status', callback(message, 'delivered'));

    // assess
    expect(reply).toMatchObject({ status: 200, body: EMPTY_TWIML });
    expect(await statusesOf(message)).toEqual(delivered);
  });

  it('keeps delivered when sent and delivered arrive out of order and twice', async () => {
    // prepare
    const message = await sentMessage();

    // act
    const statuses = ['delivered', 'sent', 'delivered', 'queued', 'sending', 'sent'];
    const answers = await postCallbacks(message, statuses);

    // assess
    expect(answers).toEqual(statuses.map(() => 200));
    expect(await statusesOf(message)).toEqual(delivered);
  });

  it('never changes a final status: undelivered stays undelivered when delivered arrives after it', async () => {
    // prepare
    const message = await sentMessage();

    // act
    await fx.post('/twilio/status', callback(message, 'undelivered', '30007'));
    await fx.post('/twilio/status', callback(message, 'delivered'));

    // assess
    const stored = await fx.deps.stores.messages.get(message.messageId);
    expect(stored).toMatchObject({ status: 'undelivered', errorCode: '30007' });
    expect(stored?.history.at(-1)).toMatchObject({ status: 'undelivered', errorCode: '30007' });
    expect(await fx.deps.stores.optouts.list(message.phone)).toEqual([]);
  });

  it('records one global opt-out when a callback with error 21610 arrives twice', async () => {
    // prepare
    const message = await sentMessage();

    // act
    await fx.post('/twilio/status', callback(message, 'failed', '21610'));
    await fx.post('/twilio/status', callback(message, 'failed', '21610'));

    // assess
    expect(await fx.deps.stores.optouts.list(message.phone)).toEqual([
      expect.objectContaining({ source: 'carrier_21610', words: '21610', messageSid: message.twilioSid }),
    ]);
    expect(await statusesOf(message)).toEqual({
      status: 'failed',
      history: ['queued', 'sending', 'sent', 'failed'],
    });
    const gate = await fx.gate(fx.agent, message.phone);
    expect(gate.verdict).toBe('block');
  });

  it('answers 200 and changes nothing for a SID it never stored', async () => {
    // prepare
    const stranger = { ...(await sentMessage()), twilioSid: newMessageSid(), messageId: 'not-stored' };
    const before = await fx.count('messages');

    // act
    const reply = await fx.post('/twilio/status', callback(stranger, 'delivered'));

    // assess
    expect(reply).toMatchObject({ status: 200, body: EMPTY_TWIML });
    expect(await fx.count('messages')).toBe(before);
    expect(await fx.deps.stores.optouts.list(stranger.phone)).toEqual([]);
  });

  it('refuses an unsigned status callback with 403 and leaves the message as it was', async () => {
    // prepare
    const message = await sentMessage();

    // act
    const reply = await fx.post('/twilio/status', callback(message, 'failed', '21610'), { signature: null });

    // assess
    expect(reply.status).toBe(403);
    expect((await statusesOf(message)).status).toBe('sent');
    expect(await fx.deps.stores.optouts.list(message.phone)).toEqual([]);
  });

  describe('with the message id in the signed callback URL', () => {
    const byId = (message: MessageRecord) => ({ query: { messageId: message.messageId } });

    it('records delivered with one conditional UpdateItem and no index lookup', async () => {
      // prepare
      const message = await sentMessage();
      const trips = countRoundTrips(fx.client);
      trips.reset();

      // act
      const reply = await fx.post('/twilio/status', callback(message, 'delivered'), byId(message));

      // assess
      expect(reply).toMatchObject({ status: 200, body: EMPTY_TWIML });
      expect(trips.count()).toBe(1);
      expect(await statusesOf(message)).toEqual(delivered);
    });

    it('keeps delivered when callbacks arrive repeated and out of order', async () => {
      // prepare
      const message = await sentMessage();

      // act
      const statuses = ['delivered', 'sent', 'delivered', 'queued', 'undelivered', 'sent'];
      const answers = await postCallbacks(message, statuses, byId(message));

      // assess
      expect(answers).toEqual(statuses.map(() => 200));
      expect(await statusesOf(message)).toEqual(delivered);
    });

    it('changes nothing when the callback names another SID than the one stored', async () => {
      // prepare
      const message = await sentMessage();

      // act
      const reply = await fx.post(
        '/twilio/status',
        { ...callback(message, 'delivered'), MessageSid: newMessageSid() },
        byId(message),
      );

      // assess
      expect(reply.status).toBe(200);
      expect((await statusesOf(message)).status).toBe('sent');
    });

    it('records one global opt-out when a callback with error 21610 arrives twice', async () => {
      // prepare
      const message = await sentMessage();

      // act
      await fx.post('/twilio/status', callback(message, 'failed', '21610'), byId(message));
      await fx.post('/twilio/status', callback(message, 'failed', '21610'), byId(message));

      // assess
      expect(await fx.deps.stores.optouts.list(message.phone)).toEqual([
        expect.objectContaining({
          source: 'carrier_21610',
          agentId: fx.agent.agentId,
          messageSid: message.twilioSid,
        }),
      ]);
      expect(await statusesOf(message)).toEqual({
        status: 'failed',
        history: ['queued', 'sending', 'sent', 'failed'],
      });
    });

    it('refuses a callback whose message id was changed after signing', async () => {
      // prepare
      const message = await sentMessage();
      const other = await sentMessage();

      // act
      const reply = await fx.post('/twilio/status', callback(message, 'delivered'), {
        query: { messageId: other.messageId },
        signWith: { url: `https://hooks.consentline.test/twilio/status?messageId=${message.messageId}` },
      });

      // assess
      expect(reply.status).toBe(403);
      expect((await statusesOf(other)).status).toBe('sent');
    });
  });
});
