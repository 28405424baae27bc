import {
  ACCOUNT_SID,
  AUTH_TOKEN,
  EMPTY_TWIML,
  PUBLIC_BASE_URL,
  randomPhone,
  useTwilioFixture,
} from './fixture';

/** Changes one character of a string: the last one becomes another. */
const flipLastByte = (value: string): string => {
  const last = value.at(-1) ?? 'a';
  return `${value.slice(0, -1)}${last === 'x' ? 'y' : 'x'}`;
};

describe('twilioWebhook', () => {
  const fx = useTwilioFixture();

  async function expectNothingWritten(): Promise<void> {
    expect(await fx.count('messages')).toBe(0);
    // The ledger table holds the phone's events, its opt-outs and their derived state.
    expect(await fx.count('ledger')).toBe(0);
    expect(fx.enqueue).not.toHaveBeenCalled();
  }

  describe('refusals', () => {
    // Each case would opt the phone out if it got through.
    const stop = () => fx.inboundSms({ from: randomPhone(), to: fx.agent.senderNumber, body: 'STOP' });

    it('refuses a webhook without X-Twilio-Signature with 403 and writes nothing', async () => {
      // prepare
      const params = stop();

      // act
      const reply = await fx.post('/twilio/sms', params, { signature: null });

      // assess
      expect(reply.status).toBe(403);
      await expectNothingWritten();
    });

    it.each(['MessageSid', 'From', 'To', 'Body', 'AccountSid', 'SmsSid', 'ApiVersion', 'NumMedia'])(
      'refuses with 403 and writes nothing when one byte of %s changed after signing',
      async (field) => {
        // prepare
        const params = stop();

        // act
        const reply = await fx.post('/twilio/sms', params, {
          afterSigning: (form) => ({ ...form, [field]: flipLastByte(form[field] ?? '') }),
        });

        // assess
        expect(reply.status).toBe(403);
        await expectNothingWritten();
      },
    );

    it('refuses with 403 when a field was added after signing', async () => {
      // prepare
      const params = stop();

      // act
      const reply = await fx.post('/twilio/sms', params, {
        afterSigning: (form) => ({ ...form, Extra: '1' }),
      });

      // assess
      expect(reply.status).toBe(403);
      await expectNothingWritten();
    });

    it.each([
      ['the path', `${PUBLIC_BASE_URL}/twilio/smt`],
      ['the host', 'https://hooks.consentline.tesu/twilio/sms'],
      ['the scheme', 'http://hooks.consentline.test/twilio/sms'],
      ['the query string', `${PUBLIC_BASE_URL}/twilio/sms?x=1`],
    ])('refuses with 403 and writes nothing when the signed URL differs in %s', async (_what, url) => {
      // prepare
      const params = stop();

      // act
      const reply = await fx.post('/twilio/sms', params, { signWith: { url } });

      // assess
      expect(reply.status).toBe(403);
      await expectNothingWritten();
    });

    it('refuses with 403 and writes nothing when signed with a token one byte off', async () => {
      // prepare
      const params = stop();

      // act
      const reply = await fx.post('/twilio/sms', params, {
        signWith: { authToken: flipLastByte(AUTH_TOKEN) },
      });

      // assess
      expect(reply.status).toBe(403);
      await expectNothingWritten();
    });

    it('refuses with 403 a correctly signed webhook of another account', async () => {
      // prepare
      const params = { ...stop(), AccountSid: `AC${'2'.repeat(32)}` };

      // act
      const reply = await fx.post('/twilio/sms', params);

      // assess
      expect(reply.status).toBe(403);
      await expectNothingWritten();
    });

    it('answers 400 and writes nothing when a signed form has a malformed field', async () => {
      // prepare
      const params = { ...stop(), From: 'not-a-phone' };

      // act
      const reply = await fx.post('/twilio/sms', params);

      // assess
      expect(reply.status).toBe(400);
      expect(reply.body).toContain('form.From');
      await expectNothingWritten();
    });

    it('answers 415 to a body that is not a form', async () => {
      // prepare
      const params = stop();

      // act
      const reply = await fx.post('/twilio/sms', params, { contentType: 'application/json' });

      // assess
      expect(reply.status).toBe(415);
      await expectNothingWritten();
    });
  });

  describe('acceptance', () => {
    it('accepts a webhook signed with the twilio library and answers TwiML', async () => {
      // prepare
      const params = fx.inboundSms({
        from: randomPhone(),
        to: fx.agent.senderNumber,
        body: 'Is the house still for sale?',
      });

      // act
      const reply = await fx.post('/twilio/sms', params);

      // assess
      expect(reply).toEqual({
        status: 200,
        body: EMPTY_TWIML,
        contentType: expect.stringMatching(/^text\/xml/),
      });
      expect(params.AccountSid).toBe(ACCOUNT_SID);
    });

    it('accepts a signed form that API Gateway handed over base64-encoded', async () => {
      // prepare
      const from = randomPhone();
      const params = fx.inboundSms({ from, to: fx.agent.senderNumber, body: 'Hola, ¿sigue disponible? 🏡' });

      // act
      const reply = await fx.post('/twilio/sms', params, { base64: true });

      // assess
      expect(reply.status).toBe(200);
      const forwarded = await fx.deps.stores.messages.get(`fwd_${params.MessageSid}`);
      expect(forwarded?.body).toContain('Hola, ¿sigue disponible? 🏡');
    });
  });
});
