import type { Agent } from '../../../../lambdas/ports';
import { ACCOUNT_SID, randomPhone, twilioFixture, type TwilioFixture } from './fixture';

describe('POST /twilio/voice', () => {
  let fx: TwilioFixture;
  let agent: Agent;

  beforeAll(async () => {
    fx = await twilioFixture();
    agent = await fx.newAgent();
  });

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
    const params = call(agent.senderNumber);

    // act
    const reply = await fx.post('/twilio/voice', params);

    // assess
    expect(reply.status).toBe(200);
    expect(reply.contentType).toMatch(/^text\/xml/);
    expect(reply.body).toBe(
      `<?xml version="1.0" encoding="UTF-8"?><Response><Dial>${agent.forwardTo}</Dial></Response>`,
    );
  });

  it('rejects a call to a number no agent holds', async () => {
    // prepare
    const params = call(randomPhone());

    // act
    const reply = await fx.post('/twilio/voice', params);

    // assess
    expect(reply.body).toBe('<?xml version="1.0" encoding="UTF-8"?><Response><Reject/></Response>');
  });

  it('refuses an unsigned call webhook with 403', async () => {
    // prepare
    const params = call(agent.senderNumber);

    // act
    const reply = await fx.post('/twilio/voice', params, { signature: null });

    // assess
    expect(reply.status).toBe(403);
    expect(reply.body).not.toContain(agent.forwardTo);
  });

  it('reads fields named like Object.prototype members as plain data, so a signed form still verifies', async () => {
    // prepare
    const params: Record<string, string> = { ...call(agent.senderNumber), constructor: 'x', toString: 'z' };
    Object.defineProperty(params, '__proto__', { value: 'y', enumerable: true });

    // act
    const reply = await fx.post('/twilio/voice', params);

    // assess
    expect(reply.status).toBe(200);
    expect(reply.body).toContain(`<Dial>${agent.forwardTo}</Dial>`);
  });
});
