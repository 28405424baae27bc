import { ACCOUNT_SID, randomPhone, useTwilioFixture } from './fixture';

describe('POST /twilio/voice', () => {
  const fx = useTwilioFixture();

  const call = (to: string) => ({
    CallSid: `CA${'3'.repeat(32)}`,
    AccountSid: ACCOUNT_SID,
    From: randomPhone(),
    To: to,
    CallStatus: 'ringing',
    Direction: 'inbound',
    ApiVersion: '2010-04-01',
  });

  it("dials the agent's own phone when a contact calls the agent's number", async () => {
    // prepare
    const params = call(fx.agent.senderNumber);

    // act
    const reply = await fx.post('/twilio/voice', params);

    // assess
    expect(reply.status).toBe(200);
    expect(reply.contentType).toMatch(/^text\/xml/);
    expect(reply.body).toBe(
      `<?xml version="1.0" encoding="UTF-8"?><Response><Dial>${fx.agent.forwardTo}</Dial></Response>`,
    );
  });

  it('rejects a call to a number no fx.agent holds', async () => {
    // prepare
    const params = call(randomPhone());

    // act
    const reply = await fx.post('/twilio/voice', params);

    // assess
    expect(reply.body).toBe('<?xml version="1.0" encoding="UTF-8"?><Response><Reject/></Response>');
  });

  it('refuses an unsigned call webhook with 403', async () => {
    // prepare
    const params = call(fx.agent.senderNumber);

    // act
    const reply = await fx.post('/twilio/voice', params, { signature: null });

    // assess
    expect(reply.status).toBe(403);
    expect(reply.body).not.toContain(fx.agent.forwardTo);
  });

  it('reads fields named like Object.prototype members as plain data, so a signed form still verifies', async () => {
    // prepare
    const params: Record<string, string> = {
      ...call(fx.agent.senderNumber),
      constructor: 'x',
      toString: 'z',
    };
    Object.defineProperty(params, '__proto__', { value: 'y', enumerable: true });

    // act
    const reply = await fx.post('/twilio/voice', params);

    // assess
    expect(reply.status).toBe(200);
    expect(reply.body).toContain(`<Dial>${fx.agent.forwardTo}</Dial>`);
  });
});
